//! Every URL of the app, spelled once: route patterns for the router and link builders for pages,
//! and the name of the anti-forgery form field that pages and the guard share. Views and web both
//! read this module; it imports nothing of theirs.

/// The search page.
pub const SEARCH_PAGE: &str = "/";
/// An answer's page, by slug (slugs may contain `/`).
pub const ANSWER_PAGE: &str = "/answers/{*slug}";
/// Search API.
pub const API_SEARCH: &str = "/api/search";
/// One answer as JSON.
pub const API_ANSWER: &str = "/api/answers/{*slug}";
/// Today's calls.
pub const CALLS_PAGE: &str = "/calls";
/// The form that opens a new call.
pub const NEW_CALL_PAGE: &str = "/calls/new";
/// The desk screen of one call.
pub const CALL_PAGE: &str = "/calls/{id}";
/// Form target that logs a caller question on a call.
pub const CALL_QUESTIONS_FORM: &str = "/calls/{id}/questions";
/// Form target that links a caller question to an answer.
pub const QUESTION_ANSWER_FORM: &str = "/questions/{id}/answer";
/// Form target that deletes a question logged by mistake.
pub const QUESTION_DELETE_FORM: &str = "/questions/{id}/delete";
/// A question: delete (DELETE).
pub const API_QUESTION: &str = "/api/questions/{id}";
/// Calls API: list (GET) and create (POST).
pub const API_CALLS: &str = "/api/calls";
/// One call: read (GET) and change (PATCH).
pub const API_CALL: &str = "/api/calls/{id}";
/// Log a caller question on a call.
pub const API_CALL_QUESTIONS: &str = "/api/calls/{id}/questions";
/// Link or unlink a caller question.
pub const API_QUESTION_ANSWER: &str = "/api/questions/{id}/answer";
/// What the desk knows of a caller by phone or company, before the call is recorded.
pub const API_CALLER: &str = "/api/caller";
/// Form target that logs a question with no answer from the search page, on a call or a new one.
pub const UNANSWERED_FORM: &str = "/questions";
/// Accounts: add one (POST).
pub const ADMIN_ACCOUNTS: &str = "/admin/accounts";
/// One account's role (POST).
pub const ADMIN_ACCOUNT_ROLE: &str = "/admin/accounts/{login}/role";
/// One account enabled or disabled (POST).
pub const ADMIN_ACCOUNT_STATE: &str = "/admin/accounts/{login}/state";
/// One account's password reset (POST).
pub const ADMIN_ACCOUNT_PASSWORD: &str = "/admin/accounts/{login}/password";
/// An account's display name, e-mail and extension (POST).
pub const ADMIN_ACCOUNT_PROFILE: &str = "/admin/accounts/{login}/profile";
/// Tokens: create one (POST).
pub const ADMIN_TOKENS: &str = "/admin/tokens";
/// A consistent copy of the database, downloaded (admins).
pub const ADMIN_BACKUP: &str = "/admin/backup";
/// One token revoked (POST).
pub const ADMIN_TOKEN_REVOKE: &str = "/admin/tokens/{name}/revoke";
/// The editors' queue of typical questions without an answer.
pub const GROUPS_PAGE: &str = "/groups";
/// One group, with its questions and actions.
pub const GROUP_PAGE: &str = "/groups/{id}";
/// Form target: link a group to an answer.
pub const GROUP_ANSWER_FORM: &str = "/groups/{id}/answer";
/// Form target: merge a group into another.
pub const GROUP_MERGE_FORM: &str = "/groups/{id}/merge";
/// Form target: dismiss a group.
pub const GROUP_DISMISS_FORM: &str = "/groups/{id}/dismiss";
/// Form target: put a dismissed group back in the queue.
pub const GROUP_REOPEN_FORM: &str = "/groups/{id}/reopen";
/// Form target: split questions off a group.
pub const GROUP_SPLIT_FORM: &str = "/groups/{id}/split";
/// Form target: write an answer for a group.
pub const GROUP_WRITE_FORM: &str = "/groups/{id}/write-answer";
/// Form target: move a question to another group.
pub const QUESTION_GROUP_FORM: &str = "/questions/{id}/group";
/// Groups as JSON.
pub const API_GROUPS: &str = "/api/groups";
/// Link a group to an answer (PUT).
pub const API_GROUP_ANSWER: &str = "/api/groups/{id}/answer";
/// Merge a group into another (POST).
pub const API_GROUP_MERGE: &str = "/api/groups/{id}/merge";
/// Dismiss a group (POST).
pub const API_GROUP_DISMISS: &str = "/api/groups/{id}/dismiss";
/// Put a dismissed group back in the queue (POST).
pub const API_GROUP_REOPEN: &str = "/api/groups/{id}/reopen";
/// Split questions off a group (POST).
pub const API_GROUP_SPLIT: &str = "/api/groups/{id}/split";
/// Write an answer for a group (POST).
pub const API_GROUP_WRITE: &str = "/api/groups/{id}/write-answer";
/// Move a question to another group (PUT).
pub const API_QUESTION_GROUP: &str = "/api/questions/{id}/group";
/// The question frequency report.
pub const QUESTIONS_REPORT_PAGE: &str = "/reports/questions";
/// The desk figures.
pub const DESK_REPORT_PAGE: &str = "/reports/desk";
/// The questions a row of the questions report counts
/// (`?from=&to=&kind=&key=answer:SLUG|group:ID`).
pub const QUESTIONS_BEHIND_PAGE: &str = "/reports/questions/behind";
/// The question frequency report as JSON (or CSV).
pub const API_QUESTIONS_REPORT: &str = "/api/reports/questions";
/// The desk figures as JSON (or CSV).
pub const API_DESK_REPORT: &str = "/api/reports/desk";
/// The printable cheat sheet.
pub const CHEAT_SHEET_PAGE: &str = "/cheatsheet";
/// An answer's edit form (editors): GET shows it, POST saves it.
pub const ANSWER_EDIT: &str = "/answers/edit/{*slug}";
/// An answer's history (editors).
pub const ANSWER_HISTORY: &str = "/answers/history/{*slug}";
/// Form target: put a version back.
pub const ANSWER_RESTORE: &str = "/answers/restore/{id}/{*slug}";
/// Form target: take an answer out of search.
pub const ANSWER_RETIRE: &str = "/answers/retire/{*slug}";
/// Form target: give an answer another slug.
pub const ANSWER_RENAME: &str = "/answers/rename/{*slug}";
/// Form target: the answer was checked today.
pub const ANSWER_REVIEWED: &str = "/answers/reviewed/{*slug}";
/// An answer's file (GET) and saving it (PUT).
pub const API_ANSWER_SOURCE: &str = "/api/answers/source/{*slug}";
/// An answer's versions.
pub const API_ANSWER_HISTORY: &str = "/api/answers/history/{*slug}";
/// Put a version back (POST).
pub const API_ANSWER_RESTORE: &str = "/api/answers/restore/{id}/{*slug}";
/// Retire an answer (POST).
pub const API_ANSWER_RETIRE: &str = "/api/answers/retire/{*slug}";
/// Rename an answer (POST `{"to"}`).
pub const API_ANSWER_RENAME: &str = "/api/answers/rename/{*slug}";
/// Mark an answer reviewed today (POST).
pub const API_ANSWER_REVIEWED: &str = "/api/answers/reviewed/{*slug}";
/// A new answer's form (editors).
pub const NEW_ANSWER_PAGE: &str = "/new-answer";
/// Answers due for review, and the ones retired (editors).
pub const REVIEW_PAGE: &str = "/review";
/// The preview of an answer being edited (POST).
pub const API_PREVIEW: &str = "/api/preview";
/// Searches as the desk ran them (POST).
pub const API_SEARCH_LOG: &str = "/api/search-log";
/// A manager's callbacks (the head: everyone's).
pub const CALLBACKS_PAGE: &str = "/callbacks";
/// One callback: its page (GET), a hand-over or new due time (POST).
pub const CALLBACK_PAGE: &str = "/callbacks/{id}";
/// Form target: an attempt on a callback.
pub const CALLBACK_ATTEMPT_FORM: &str = "/callbacks/{id}/attempts";
/// Callbacks as JSON.
pub const API_CALLBACKS: &str = "/api/callbacks";
/// One callback: read (GET), hand over or reschedule (PATCH).
pub const API_CALLBACK: &str = "/api/callbacks/{id}";
/// Where a callback stands (its manager, due time, state, tries), without the caller's
/// details: its open page asks, to say when it changed meanwhile.
pub const API_CALLBACK_STANDING: &str = "/api/callbacks/{id}/standing";
/// An attempt on a callback (POST).
pub const API_CALLBACK_ATTEMPTS: &str = "/api/callbacks/{id}/attempts";
/// How a due time typed on a card or a callback's page is read, before it is saved.
pub const API_DUE: &str = "/api/due";
/// The signed-in person's open and overdue callbacks, for the menu.
pub const API_CALLBACK_COUNT: &str = "/api/callbacks-count";
/// Form target: close a call's open callback from the desk («поговорили сейчас»).
pub const CALL_CALLBACK_CLOSE_FORM: &str = "/calls/{id}/callback/close";
/// The same through the API (POST).
pub const API_CALL_CALLBACK_CLOSE: &str = "/api/calls/{id}/callback/close";
/// The phone exchange's events in the generic JSON form (POST, a machine token).
pub const API_PBX_EVENTS: &str = "/api/pbx/events";
/// Zadarma's notifications: its address check (GET `?zd_echo=`) and events (POST).
pub const API_PBX_ZADARMA: &str = "/api/pbx/zadarma";
/// The address given to Mango Office's API connector, which appends `/events/<kind>`.
pub const API_PBX_MANGO_BASE: &str = "/api/pbx/mango";
/// Mango Office's events (`events/call`, `events/summary`...) (POST).
pub const API_PBX_MANGO: &str = "/api/pbx/mango/events/{kind}";
/// An ITooLabs virtual PBX's commands (`cmd=event|history|contact`) (POST).
pub const API_PBX_ITOOLABS: &str = "/api/pbx/itoolabs";
/// Whose client is calling (GET `?phone=`).
pub const API_PBX_LOOKUP: &str = "/api/pbx/lookup";
/// Ringing calls as server-sent events, for the operators' pages.
pub const API_PBX_RINGING: &str = "/api/pbx/ringing";
/// The login page (GET) and form target (POST).
pub const LOGIN: &str = "/login";
/// Switches the interface's language for this browser (GET `?to=ru|en`), back to the page.
pub const LANGUAGE: &str = "/language";
/// Ends the session (POST).
pub const LOGOUT: &str = "/logout";
/// Change one's own password.
pub const PASSWORD_PAGE: &str = "/account/password";
/// Accounts and the audit log, for admins.
pub const ADMIN_PAGE: &str = "/admin";
/// Accounts as JSON, for admins.
pub const API_USERS: &str = "/api/users";
/// The audit log as JSON, for admins.
pub const API_AUDIT: &str = "/api/audit";
/// Name of the anti-forgery form field.
pub const CSRF_FIELD: &str = "_csrf";
/// Prefix of the static assets.
pub const STATIC_PREFIX: &str = "/static/";
/// Liveness probe.
pub const HEALTHZ: &str = "/healthz";
/// The stylesheet.
pub const STYLESHEET: &str = "/static/app.css";
/// The script.
pub const SCRIPT: &str = "/static/app.js";

/// Link to an answer's page.
pub fn answer_page(slug: &str) -> String {
    format!("/answers/{}", encode_path(slug))
}

/// A pattern under an answer (`/answers/{*slug}/edit`) with the slug and `{id}` filled in.
pub fn answer_link(pattern: &str, slug: &str, id: Option<i64>) -> String {
    let filled = pattern.replace("{*slug}", &encode_path(slug));
    match id {
        Some(id) => with_id(&filled, id),
        None => filled,
    }
}

/// The editors' route an answer address names by a word around the slug, as the earlier layout
/// put it after the slug (`printers/canon/edit`) or as a percent-encoded word before it
/// (`%65dit/printers/canon`, which the router cannot tell from a slug): today's address of that
/// route, so that such an address is moved there and decided by that route's access. `rest` is
/// what follows `/answers/` (`api`: `/api/answers/`), decoded. `None` when no word names a route.
pub fn moved_answer_address(rest: &str, api: bool) -> Option<String> {
    let word_route = |word: &str| -> Option<&'static str> {
        Some(match (word, api) {
            ("edit", false) => ANSWER_EDIT,
            ("history", false) => ANSWER_HISTORY,
            ("retire", false) => ANSWER_RETIRE,
            ("rename", false) => ANSWER_RENAME,
            ("reviewed", false) => ANSWER_REVIEWED,
            ("source", true) => API_ANSWER_SOURCE,
            ("history", true) => API_ANSWER_HISTORY,
            ("retire", true) => API_ANSWER_RETIRE,
            ("rename", true) => API_ANSWER_RENAME,
            ("reviewed", true) => API_ANSWER_REVIEWED,
            _ => return None,
        })
    };
    let restore = if api {
        API_ANSWER_RESTORE
    } else {
        ANSWER_RESTORE
    };
    let parts: Vec<&str> = rest.split('/').collect();
    let (pattern, slug, id) = match parts.as_slice() {
        ["restore", id, slug @ ..] if !slug.is_empty() => (restore, slug, Some(id.parse().ok()?)),
        [slug @ .., "history", id, "restore"] if !slug.is_empty() => {
            (restore, slug, Some(id.parse().ok()?))
        }
        [word, slug @ ..] if !slug.is_empty() && word_route(word).is_some() => {
            (word_route(word)?, slug, None)
        }
        [slug @ .., word] if !slug.is_empty() => (word_route(word)?, slug, None),
        _ => return None,
    };
    Some(answer_link(pattern, &slug.join("/"), id))
}

/// The login page, returning to `next` afterwards.
pub fn login_page(next: &str) -> String {
    if next.is_empty() || next == "/" {
        LOGIN.to_string()
    } else {
        format!("{LOGIN}?next={}", encode_component(next))
    }
}

/// The login page after a session ended while a form was sent: it says so, keeps the form's
/// words in the browser tab, and goes back to `next` (the form's page) once signed in.
pub fn login_page_ended(next: &str) -> String {
    format!("{LOGIN}?ended=1&next={}", encode_component(next))
}

/// Link to the search page with a query.
pub fn search_page(query: &str) -> String {
    format!("/?q={}", encode_component(query))
}

/// A pattern with `{id}` filled in.
pub fn with_id(pattern: &str, id: i64) -> String {
    pattern.replace("{id}", &id.to_string())
}

/// Link to a call's desk screen.
pub fn call_page(id: i64) -> String {
    CALL_PAGE.replace("{id}", &id.to_string())
}

/// Form target for logging a question on a call.
pub fn call_questions_form(id: i64) -> String {
    CALL_QUESTIONS_FORM.replace("{id}", &id.to_string())
}

/// Form target for linking a question.
pub fn question_answer_form(id: i64) -> String {
    QUESTION_ANSWER_FORM.replace("{id}", &id.to_string())
}

/// API URL for logging a question on a call.
pub fn api_call_questions(id: i64) -> String {
    API_CALL_QUESTIONS.replace("{id}", &id.to_string())
}

/// API URL of a call.
pub fn api_call(id: i64) -> String {
    API_CALL.replace("{id}", &id.to_string())
}

/// API URL prefix of answers: the script appends the slug.
pub const API_ANSWERS_PREFIX: &str = "/api/answers/";

/// An admin form target about one account.
pub fn admin_account(pattern: &str, login: &str) -> String {
    pattern.replace("{login}", &encode_component(login))
}

/// The form target that revokes a token.
pub fn admin_token_revoke(name: &str) -> String {
    ADMIN_TOKEN_REVOKE.replace("{name}", &encode_component(name))
}

/// An answer's page reached from a search, which its back link returns to.
pub fn answer_page_from(slug: &str, query: &str) -> String {
    if query.trim().is_empty() {
        answer_page(slug)
    } else {
        format!("{}?q={}", answer_page(slug), encode_component(query))
    }
}

/// An answer's page reached from the editors' queue, which its back link returns to.
pub fn answer_page_from_queue(slug: &str) -> String {
    format!("{}?from=queue", answer_page(slug))
}

/// An answer's page reached from a group's page, which its back link returns to.
pub fn answer_page_from_group(slug: &str, group: i64) -> String {
    format!("{}?group={group}", answer_page(slug))
}

/// API URL prefix for linking questions: the script appends `{id}/answer`.
pub const API_QUESTIONS_PREFIX: &str = "/api/questions/";

fn encode_path(slug: &str) -> String {
    slug.split('/')
        .map(encode_component)
        .collect::<Vec<_>>()
        .join("/")
}

/// The calls behind a desk report figure: the days, the row's operator or manager as recorded
/// (`""`: nobody), and which of its calls (`counted`, as `Counted::as_str` names them).
pub fn counted_calls(
    from: &str,
    to: &str,
    operator: Option<(&str, bool)>,
    manager: Option<&str>,
    counted: &str,
) -> String {
    let mut url = format!("{CALLS_PAGE}?from={from}&to={to}&counted={counted}");
    if let Some((o, unanswered)) = operator {
        url.push_str(&format!("&taken_by={}", encode_component(o)));
        // Nobody's calls are two rows: those nobody answered, and those recorded so.
        if o.is_empty() {
            url.push_str(if unanswered {
                "&unanswered=1"
            } else {
                "&unanswered=0"
            });
        }
    }
    if let Some(m) = manager {
        url.push_str(&format!("&manager={}", encode_component(m)));
    }
    url
}

/// The calls nobody answered behind a missed figure of the desk report: its days and which
/// (`all`, `callback`, `no_number`, `ignored`).
pub fn missed_calls(from: &str, to: &str, which: &str) -> String {
    format!("{CALLS_PAGE}?from={from}&to={to}&missed={which}")
}

/// The callbacks behind a desk report figure: the days promised, whose (`all`, `none`, a login)
/// and which (`promised`, `in_time`, `late`, `open`, `lost`).
pub fn counted_callbacks(from: &str, to: &str, owner: &str, counted: &str) -> String {
    format!(
        "{CALLBACKS_PAGE}?from={from}&to={to}&owner={}&counted={counted}",
        encode_component(owner)
    )
}

/// Percent-encodes everything but unreserved characters.
pub fn encode_component(text: &str) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

pub fn safe_next(next: &str) -> &str {
    // Only paths of this site: never `//evil.example`, `https://...`, nor a path that a browser
    // would read as one after dropping a tab or a backslash (`/\t/evil.example`).
    let plain = next
        .chars()
        .all(|c| !c.is_control() && c != '\\' && !c.is_whitespace());
    if plain && next.starts_with('/') && !next.starts_with("//") {
        next
    } else {
        SEARCH_PAGE
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn addresses_of_the_earlier_layout_move_to_the_word_before_the_slug() {
        use super::moved_answer_address as moved;
        assert_eq!(
            moved("printers/canon/edit", false).as_deref(),
            Some("/answers/edit/printers/canon")
        );
        assert_eq!(
            moved("a/history/12/restore", true).as_deref(),
            Some("/api/answers/restore/12/a")
        );
        assert_eq!(
            moved("a b/source", true).as_deref(),
            Some("/api/answers/source/a%20b")
        );
        assert_eq!(
            moved("edit/printers/canon", false).as_deref(),
            Some("/answers/edit/printers/canon"),
            "an encoded word before the slug"
        );
        assert_eq!(
            moved("restore/7/a", true).as_deref(),
            Some("/api/answers/restore/7/a")
        );
        assert_eq!(moved("edit", false), None, "no slug");
        assert_eq!(moved("printer", false), None);
        assert_eq!(moved("printer/source", false), None, "not a page word");
        assert_eq!(moved("a/history/x/restore", false), None);
        assert_eq!(
            super::answer_link(super::ANSWER_RESTORE, "a b/c", Some(3)),
            "/answers/restore/3/a%20b/c"
        );
    }

    #[test]
    fn links_are_encoded() {
        assert_eq!(super::answer_page("a/b c"), "/answers/a/b%20c");
        assert_eq!(super::search_page("ц&"), "/?q=%D1%86%26");
    }

    #[test]
    fn next_stays_on_this_site() {
        use super::safe_next;
        assert_eq!(safe_next("/calls/3"), "/calls/3");
        assert_eq!(safe_next("//evil.example"), "/");
        assert_eq!(safe_next("https://evil.example"), "/");
        assert_eq!(safe_next("/\t/evil.example"), "/");
        assert_eq!(safe_next("/\\evil.example"), "/");
        assert_eq!(safe_next("/\n"), "/");
    }
}
