//! maud only: the layout, small components, and one file per page, and the JSON API's shapes
//! ([`json`]). Views take plain data and [`Texts`]; they do no I/O and know nothing of axum.

pub mod account;
pub mod answer;
pub mod callbacks;
pub mod calls;
pub mod card;
pub mod editing;
pub mod groups;
pub mod json;
pub mod reports;
pub mod search;

use crate::accounts::{Principal, Role};
use crate::clock::Clock;
use crate::i18n::Texts;
use crate::paths;
use maud::{html, Markup, DOCTYPE};

/// What every page needs besides its own data: the UI's words and who is looking.
#[derive(Clone, Copy)]
pub struct Ctx<'a> {
    /// The UI's words.
    pub texts: &'static Texts,
    /// Who is logged in, if anyone.
    pub principal: Option<&'a Principal>,
    /// The desk's clock: times on pages are the desk's.
    pub clock: &'a Clock,
    /// The desk's working hours: a callback due outside them is said to be.
    pub hours: &'a crate::callbacks::hours::WorkingHours,
    /// The page's path: the menu marks the section it is in.
    pub path: &'a str,
}

impl Ctx<'_> {
    /// A moment as the desk's clock reads it, in the page's language (`03.12.2026 14:05`).
    pub fn moment(&self, at: chrono::DateTime<chrono::Utc>) -> String {
        self.texts.moment(self.clock.local(at))
    }

    /// A day in the page's language (`03.12.2026`).
    pub fn day(&self, day: chrono::NaiveDate) -> String {
        self.texts.day(day)
    }

    /// Whether the viewer may do what `role` may.
    pub fn allows(&self, role: Role) -> bool {
        self.principal.is_some_and(|p| p.role.allows(role))
    }

    /// Whether the viewer may open a callback `owner` owns (as the callback's page allows: its
    /// owner, a head, an admin): pages link it only then, and name it otherwise.
    pub fn may_open_callback(&self, owner: Option<&str>) -> bool {
        self.allows(Role::Head)
            || self
                .principal
                .is_some_and(|p| p.role.allows(Role::Manager) && owner == Some(p.name.as_str()))
    }
}

/// Characters of a caller's question, or a title made of one, that a list shows: a pasted
/// page stays one entry, whole in its tooltip and on its own page.
pub const LISTED_CHARS: usize = 200;

/// `text` as a list shows it: clipped at [`LISTED_CHARS`] with `…`, the whole in its tooltip.
pub fn listed(text: &str) -> Markup {
    clipped(text, LISTED_CHARS)
}

/// [`listed`] in the interface's quotes, as lists quote what callers said.
pub fn listed_quoted(texts: &crate::i18n::Texts, text: &str) -> Markup {
    html! { (texts.quote_open) (listed(text)) (texts.quote_close) }
}

/// `text` clipped at `max` characters with `…`, the whole in its tooltip.
pub fn clipped(text: &str, max: usize) -> Markup {
    match crate::text::clip(text, max) {
        std::borrow::Cow::Borrowed(whole) => html! { (whole) },
        std::borrow::Cow::Owned(clipped) => html! { span.clipped title=(text) { (clipped) } },
    }
}

/// The hidden anti-forgery field every form that changes something carries.
pub fn csrf_field(ctx: &Ctx) -> Markup {
    html! {
        @if let Some(token) = ctx.principal.and_then(|p| p.csrf.as_deref()) {
            input type="hidden" name=(paths::CSRF_FIELD) value=(token);
        }
    }
}

/// The stylesheet, embedded from `templates/`.
pub const STYLESHEET: &str = include_str!("../../templates/app.css");
/// The scripts that make search live and the desk keyboard-driven, embedded from
/// `templates/js/` and served as one file.
pub const SCRIPT: &str = concat!(
    include_str!("../../templates/js/common.js"),
    include_str!("../../templates/js/search.js"),
    include_str!("../../templates/js/desk.js"),
    include_str!("../../templates/js/card.js"),
    include_str!("../../templates/js/callbacks.js"),
    include_str!("../../templates/js/ringing.js"),
    include_str!("../../templates/js/editor.js"),
);

/// The menu's link for the section a page at `path` is in, by the path's first segment: a
/// call's own screen is in the calls, an answer's pages in search; the new call's form is its
/// own link. Pages of no section (a password change, a new answer) mark none.
fn section(path: &str) -> Option<&'static str> {
    fn first(path: &str) -> &str {
        path.trim_start_matches('/').split('/').next().unwrap_or("")
    }
    if path == paths::NEW_CALL_PAGE {
        return Some(paths::NEW_CALL_PAGE);
    }
    if first(path) == first(paths::ANSWER_PAGE) {
        // An answer as the desk reads it is search's; its editors' pages (edit, history, ...)
        // are the editors' work on answers.
        let word = path.trim_start_matches('/').split('/').nth(1).unwrap_or("");
        return Some(
            match paths::moved_answer_address(&format!("{word}/x"), false) {
                Some(_) => paths::REVIEW_PAGE,
                None => paths::SEARCH_PAGE,
            },
        );
    }
    if path == paths::NEW_ANSWER_PAGE {
        return Some(paths::REVIEW_PAGE);
    }
    [
        paths::SEARCH_PAGE,
        paths::CALLS_PAGE,
        paths::CALLBACKS_PAGE,
        paths::GROUPS_PAGE,
        paths::REVIEW_PAGE,
        paths::QUESTIONS_REPORT_PAGE,
        paths::CHEAT_SHEET_PAGE,
        paths::ADMIN_PAGE,
    ]
    .into_iter()
    .find(|link| first(link) == first(path))
}

/// The page frame shared by every page.
pub fn layout(ctx: &Ctx, title: &str, body: Markup) -> Markup {
    let texts = ctx.texts;
    let current = section(ctx.path);
    let here = |link: &str| (current == Some(link)).then_some("page");
    html! {
        (DOCTYPE)
        html lang=(texts.html_lang()) data-search-log=[ctx.principal.map(|_| paths::API_SEARCH_LOG)] data-no-connection=(texts.no_connection) data-form-kept=(texts.form_kept) data-pasted-cut=(texts.pasted_cut) data-typed-full=(texts.typed_full) data-quote-open=(texts.quote_open) data-quote-close=(texts.quote_close) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · " (texts.app_name) }
                @if let Some(token) = ctx.principal.and_then(|p| p.csrf.as_deref()) {
                    meta name="csrf-token" content=(token);
                }
                // No icon to fetch: a browser asks for /favicon.ico otherwise, and logs its 404.
                link rel="icon" href="data:,";
                link rel="stylesheet" href=(paths::STYLESHEET);
                script src=(paths::SCRIPT) defer {}
            }
            body {
                header.top {
                    a.brand href=(paths::SEARCH_PAGE) { (texts.app_name) }
                    // A forced password change bounces every link: no menu until it is done.
                    @if let Some(p) = ctx.principal {
                        @if !p.must_change_password { nav {
                            a href=(paths::SEARCH_PAGE) aria-current=[here(paths::SEARCH_PAGE)] { (texts.nav_search) }
                            a href=(paths::CALLS_PAGE) aria-current=[here(paths::CALLS_PAGE)] { (texts.nav_calls) }
                            a.primary href=(paths::NEW_CALL_PAGE) accesskey="n" aria-current=[here(paths::NEW_CALL_PAGE)] { (texts.nav_new_call) }
                            // Managers own callbacks, heads give them out; an editor owns none.
                            @if ctx.principal.is_some_and(|p| p.role == Role::Manager) || ctx.allows(Role::Head) {
                                a #callbacks-link href=(paths::CALLBACKS_PAGE) data-count=(paths::API_CALLBACK_COUNT) title=(if ctx.allows(Role::Head) { texts.callbacks_badge_title_all } else { texts.callbacks_badge_title }) aria-current=[here(paths::CALLBACKS_PAGE)] {
                                    (texts.nav_callbacks) " " span.count hidden {}
                                }
                            }
                            @if ctx.allows(Role::Editor) { a href=(paths::GROUPS_PAGE) aria-current=[here(paths::GROUPS_PAGE)] { (texts.nav_groups) } }
                            @if ctx.allows(Role::Editor) { a href=(paths::REVIEW_PAGE) aria-current=[here(paths::REVIEW_PAGE)] { (texts.nav_review) } }
                            @if ctx.allows(Role::Head) { a href=(paths::QUESTIONS_REPORT_PAGE) aria-current=[here(paths::QUESTIONS_REPORT_PAGE)] { (texts.nav_reports) } }
                            a href=(paths::CHEAT_SHEET_PAGE) aria-current=[here(paths::CHEAT_SHEET_PAGE)] { (texts.nav_cheat_sheet) }
                            @if ctx.allows(Role::Admin) { a href=(paths::ADMIN_PAGE) aria-current=[here(paths::ADMIN_PAGE)] { (texts.nav_admin) } }
                        } }
                        @if p.csrf.is_some() {
                            form.whoami method="post" action=(paths::LOGOUT) {
                                (csrf_field(ctx))
                                a href=(paths::PASSWORD_PAGE) title=(p.display_name.as_ref().map_or_else(|| p.name.clone(), |d| format!("{d} ({})", p.name))) { (p.display_name.as_deref().unwrap_or(&p.name)) }
                                " "
                                button type="submit" { (texts.logout) }
                            }
                        }
                    }
                    a.language href=(format!("{}?to={}", paths::LANGUAGE, texts.other_language_code))
                        lang=(texts.other_language_code) hreflang=(texts.other_language_code)
                        title=(texts.other_language_hint) { (texts.other_language) }
                }
                main { (body) }
                @if let Some(p) = ctx.principal {
                    @if !p.must_change_password && p.csrf.is_some() { (ringing_banner(ctx)) }
                }
            }
        }
    }
}

/// Where a page shows the calls ringing now (`templates/js/ringing.js` fills it from the
/// exchange's stream), with the words it says them in.
fn ringing_banner(ctx: &Ctx) -> Markup {
    let t = ctx.texts;
    html! {
        aside #ringing .ringing hidden aria-live="assertive"
            data-stream=(paths::API_PBX_RINGING) data-new-call=(paths::NEW_CALL_PAGE)
            data-call-page=(paths::CALL_PAGE) data-zone=(ctx.clock.zone().name())
            data-person=[ctx.principal.map(|p| p.name.as_str())]
            data-title=(t.ringing_title) data-key=(t.ringing_key) data-open=(t.ringing_open)
            data-hide=(t.ringing_hide) data-no-number=(t.ringing_no_number)
            data-first-time=(t.ringing_first_time) data-returning=(t.ringing_returning)
            data-existing=(t.ringing_existing) data-manager=(t.ringing_manager)
            data-callback=(t.ringing_callback) data-overdue=(t.ringing_overdue)
            data-answered-here=(t.ringing_answered_here) data-open-call=(t.ringing_open_call)
            data-more=(t.ringing_more) data-since=(t.ringing_since) {}
    }
}

/// A page that says something was not found.
pub fn not_found_page(ctx: &Ctx, message: &str) -> Markup {
    let texts = ctx.texts;
    layout(
        ctx,
        texts.not_found,
        html! {
            h1 { (texts.not_found) }
            p { (message) }
            (form_orphan(ctx))
            p { a href=(paths::SEARCH_PAGE) { (texts.back_to_search) } }
        },
    )
}

/// Where a page that refuses a form without showing it (a role that may no longer go there,
/// a thing gone) shows what was typed into it, to be copied before it is lost: filled by the
/// page's script from what the form kept (`data-keep`), hidden when there is nothing.
pub fn form_orphan(ctx: &Ctx) -> Markup {
    html! { section.form-orphan hidden data-form-orphan=(ctx.texts.form_orphan) {} }
}

/// A page with a heading and one message, such as what was wrong with submitted input.
pub fn message_page(ctx: &Ctx, title: &str, message: &str) -> Markup {
    let back = html! { a href=(paths::SEARCH_PAGE) { (ctx.texts.back_to_search) } };
    one_message(ctx, title, html! { p { (message) } }, back)
}

/// A page that says what was wrong with a form it refused (`field` at fault); its link goes
/// back to the form, which is filled again as it was sent, the cursor in that field (see
/// `data-keep` in the pages' script).
pub fn refused_page(ctx: &Ctx, title: &str, message: &str, field: &str) -> Markup {
    let said = html! { p.error role="alert" data-form-refused=(field) { (message) } };
    let back = html! { a href=(paths::SEARCH_PAGE) data-back { (ctx.texts.back_to_form) } };
    one_message(ctx, title, said, back)
}

/// A page that says what was wrong with its address (a link, no form sent): the way back is to
/// the page before.
pub fn refused_address_page(ctx: &Ctx, title: &str, message: &str) -> Markup {
    let said = html! { p.error role="alert" { (message) } };
    let back = html! { a href=(paths::SEARCH_PAGE) data-back { (ctx.texts.back_to_before) } };
    one_message(ctx, title, said, back)
}

/// A heading, what is said, and a link on.
fn one_message(ctx: &Ctx, title: &str, said: Markup, link: Markup) -> Markup {
    layout(
        ctx,
        title,
        html! {
            h1 { (title) }
            (said)
            p { (link) }
        },
    )
}

/// A page that says something went wrong on our side.
pub fn error_page(ctx: &Ctx) -> Markup {
    let texts = ctx.texts;
    layout(
        ctx,
        texts.error,
        html! {
            h1 { (texts.error) }
            p { (texts.error_text) }
            p { a href=(paths::SEARCH_PAGE) { (texts.back_to_search) } }
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_clips_a_pasted_page_and_keeps_it_whole_in_the_tooltip() {
        assert_eq!(listed("короткий вопрос").into_string(), "короткий вопрос");
        let long = "очень длинный вопрос ".repeat(40);
        let shown = listed(&long).into_string();
        assert!(
            shown.starts_with("<span class=\"clipped\" title=\"очень"),
            "{shown}"
        );
        let text = shown.split('>').nth(1).unwrap().trim_end_matches("</span");
        assert_eq!(text.chars().count(), LISTED_CHARS);
        assert!(text.ends_with('…'));
    }

    #[test]
    fn the_menu_marks_the_section_a_page_is_in() {
        for (path, link) in [
            ("/", Some(paths::SEARCH_PAGE)),
            ("/answers/printer-repair", Some(paths::SEARCH_PAGE)),
            ("/answers/printers/canon", Some(paths::SEARCH_PAGE)),
            ("/answers/edit/printers/canon", Some(paths::REVIEW_PAGE)),
            ("/answers/history/printer-repair", Some(paths::REVIEW_PAGE)),
            ("/new-answer", Some(paths::REVIEW_PAGE)),
            ("/calls", Some(paths::CALLS_PAGE)),
            ("/calls/12", Some(paths::CALLS_PAGE)),
            ("/calls/new", Some(paths::NEW_CALL_PAGE)),
            ("/callbacks/3", Some(paths::CALLBACKS_PAGE)),
            ("/groups/7", Some(paths::GROUPS_PAGE)),
            ("/reports/desk", Some(paths::QUESTIONS_REPORT_PAGE)),
            ("/admin", Some(paths::ADMIN_PAGE)),
            ("/account/password", None),
            ("/login", None),
        ] {
            assert_eq!(section(path), link, "{path}");
        }
    }

    #[test]
    fn the_callbacks_link_is_for_who_owns_or_gives_out_callbacks() {
        let clock = crate::clock::Clock::fixed(
            crate::clock::parse_zone("Europe/Moscow").unwrap(),
            "2026-12-07T09:00:00Z".parse().unwrap(),
        );
        let hours = crate::callbacks::hours::WorkingHours::default();
        for (role, shown) in [
            (Role::Operator, false),
            (Role::Manager, true),
            (Role::Editor, false),
            (Role::Head, true),
            (Role::Admin, true),
        ] {
            let principal = Principal {
                name: "someone".into(),
                role,
                csrf: Some("token".into()),
                must_change_password: false,
                display_name: None,
            };
            let ctx = Ctx {
                texts: &crate::i18n::RU,
                principal: Some(&principal),
                clock: &clock,
                hours: &hours,
                path: "/",
            };
            let page = layout(&ctx, "t", html! {}).into_string();
            assert_eq!(page.contains("callbacks-link"), shown, "{role:?}");
        }
    }
}
