//! Callbacks: a manager's list (overdue first, in red with how late, then due today, then
//! later) and one callback's page: the caller, what they asked with the answers the desk read
//! as speech modules, the calls and attempts, and the actions, each one key or one click.

use super::{csrf_field, layout, Ctx};
use crate::accounts::Account;
use crate::actions::callbacks::Shown;
use crate::callbacks::hours::Preset;
use crate::callbacks::{Callback, Outcome, State, LOST_REASONS};
use crate::i18n::Texts;
use crate::knowledge::Knowledge;
use crate::paths;
use chrono::{DateTime, Utc};
use maud::{html, Markup, PreEscaped};

/// What the list shows: whose (`me`, a login, `all`, `none`) and which.
#[derive(Debug, Clone, Copy)]
pub struct Filter<'a> {
    /// Whose.
    pub owner: &'a str,
    /// Which: `open`, `overdue`, `done`, `lost`.
    pub state: &'a str,
    /// The callbacks behind a figure of the desk report, when the list shows those.
    pub drill: Option<Drill<'a>>,
}

/// Which callbacks of the desk report a list shows: promised `from` to `to` (ISO dates, as
/// the address gave them), and which (`promised`, `in_time`, `late`, `open`, `lost`).
#[derive(Debug, Clone, Copy)]
pub struct Drill<'a> {
    /// The first day.
    pub from: &'a str,
    /// The last day.
    pub to: &'a str,
    /// Which.
    pub counted: &'a str,
    /// The report it came from.
    pub back: &'a str,
}

/// The words of which callbacks a figure counts.
pub(super) fn counted_words(t: &Texts, counted: &str) -> &'static str {
    match counted {
        "in_time" => t.counted_in_time,
        "late" => t.counted_late,
        "caller_called" => t.counted_caller_called,
        "open" => t.counted_open,
        "overdue" => t.counted_overdue,
        "lost" => t.counted_lost,
        _ => t.counted_promised,
    }
}

/// A span of time as a person says it: `2 ч 15 мин`.
pub fn span(t: &Texts, span: chrono::Duration) -> String {
    let minutes = span.num_minutes().max(0);
    let (days, hours, mins) = (minutes / 1440, minutes / 60 % 24, minutes % 60);
    if days > 0 {
        Texts::fill(t.duration_days, &[&days, &hours])
    } else if hours > 0 {
        Texts::fill(t.duration_hours, &[&hours, &mins])
    } else {
        Texts::fill(t.duration_minutes, &[&mins])
    }
}

/// The `tel:` link of a phone as typed: a Russian number with its country code however it was
/// written (`8 916 …`, `79165554433` as an exchange sends it, `916 …`), so that a softphone or
/// a mobile abroad dials it; any other number as typed.
fn tel(phone: &str) -> String {
    let typed: String = phone
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '+')
        .collect();
    let digits = typed.trim_start_matches('+').len();
    match crate::calls::phone::normalize(phone) {
        Some(russian)
            if russian.len() == 11
                && russian.starts_with('7')
                && digits >= 10
                && !typed.starts_with("+8") =>
        {
            format!("tel:+{russian}")
        }
        _ => format!("tel:{typed}"),
    }
}

fn owner_name<'a>(t: &'a Texts, managers: &'a [Account], owner: Option<&'a str>) -> &'a str {
    match owner {
        None => t.callbacks_unassigned,
        Some(login) => managers
            .iter()
            .find(|m| m.login == login)
            .map_or(login, |m| m.shown_name()),
    }
}

/// The caller: name and company, the phone as a link to call, the e-mail.
fn caller(c: &Callback) -> Markup {
    html! {
        span.caller {
            @if let Some(n) = &c.name { strong { bdi { (n) } } " " }
            @if let Some(co) = &c.company { bdi { (co) } " " }
            @if let Some(p) = &c.phone { a.tel href=(tel(p)) { (crate::calls::phone::international(p)) } " " }
            @if let Some(e) = &c.email { a href=(format!("mailto:{e}")) { (e) } }
        }
    }
}

/// When it is due, and how late it is.
fn due(ctx: &Ctx, c: &Callback, now: DateTime<Utc>) -> Markup {
    let t = ctx.texts;
    html! {
        span.due.overdue[c.overdue(now)] {
            (Texts::fill(t.callback_due_by, &[&ctx.moment(c.due)]))
            // Late by less than a minute is said as a minute, not «0 мин».
            @if c.overdue(now) { " · " strong { (Texts::fill(t.callback_late_by, &[&span(t, (now - c.due).max(chrono::Duration::minutes(1)))])) } }
        }
        @if c.state == State::Open && !c.overdue(now) && !ctx.hours.is_open(ctx.clock.local(c.due)) {
            " " span.off-hours { (t.off_hours) }
        }
    }
}

/// What the caller asked on the callback's calls, each with the answer the desk linked; in the
/// list (`listed`) a long question is clipped, on the callback's page it is whole.
fn asked(t: &Texts, shown: &Shown, knowledge: &Knowledge, listed: bool) -> Markup {
    asked_list(
        t,
        shown.calls.iter().flat_map(|r| &r.questions),
        knowledge,
        listed,
    )
}

/// Caller questions as a list, each with the answer the desk linked.
fn asked_list<'q>(
    t: &Texts,
    questions: impl Iterator<Item = &'q crate::calls::CallerQuestion>,
    knowledge: &Knowledge,
    listed: bool,
) -> Markup {
    html! {
        ul.asked {
            @for q in questions {
                li {
                    @if listed { (super::listed_quoted(t, &q.text)) } @else { (t.quoted(&q.text)) }
                    @if let Some(a) = q.answer.as_deref().and_then(|s| knowledge.get(s)) { " → " (a.title) }
                }
            }
        }
    }
}

/// One attempt as the callback's page lists it: when, who, what came of it, and the note.
fn attempt_line(ctx: &Ctx, people: &[Account], a: &crate::callbacks::Attempt) -> Markup {
    let t = ctx.texts;
    html! {
        (ctx.moment(a.at)) " · " (owner_name(t, people, Some(&a.by))) " · " strong { (result_text(t, a.result)) }
        @if a.result == Outcome::HandedOver {
            " · "
            @if let Some(from) = &a.from { (owner_name(t, people, Some(from.as_str()).filter(|f| !f.is_empty()))) " → " }
            (owner_name(t, people, a.reason.as_deref()))
        } @else if let (Some(due), Outcome::NoAnswer | Outcome::Rescheduled) = (a.next_due, a.result) {
            // The time is written in the page's language, not as the attempt kept it.
            " · "
            @if a.result == Outcome::NoAnswer { (t.next_try) ": " }
            (ctx.moment(due))
        } @else if let Some(r) = &a.reason {
            " · "
            @match a.result {
                Outcome::Lost => (reason_text(t, r)),
                Outcome::NoAnswer => { (t.next_try) ": " (r) },
                _ => (owner_name(t, people, Some(r))),
            }
        }
        @if let Some(n) = &a.note {
            " — "
            // The call it was closed on, to open.
            @match n.strip_prefix("call ").and_then(|id| id.parse::<i64>().ok()) {
                Some(id) => a href=(paths::call_page(id)) { (t.attempt_note(n)) },
                None => (t.attempt_note(n)),
            }
        }
    }
}

/// The time the caller was promised, once the callback was moved past it: the manager sees it
/// is late already.
fn promised_line(ctx: &Ctx, c: &Callback) -> Markup {
    html! {
        @if let Some(promised) = c.promised_due.filter(|p| *p < c.due) {
            p.again { (Texts::fill(ctx.texts.callback_promised_by, &[&ctx.moment(promised)])) }
        }
    }
}

fn item(
    ctx: &Ctx,
    shown: &Shown,
    managers: &[Account],
    people: &[Account],
    heads: bool,
    knowledge: &Knowledge,
) -> Markup {
    let (t, c, now) = (ctx.texts, &shown.callback, ctx.clock.now());
    html! {
        li.callback.overdue[c.overdue(now)] {
            div.line {
                a.open href=(paths::with_id(paths::CALLBACK_PAGE, c.id)) { (Texts::fill(t.callback_title, &[&c.id])) }
                " " (caller(c)) " " (due(ctx, c, now))
                // Kept together: a narrow line wraps before the «·», not after it.
                @if heads { " " span.nowrap { "· " (t.callback_owner) ": " (owner_name(t, managers, c.owner.as_deref())) } }
            }
            (promised_line(ctx, c))
            // What the last try came to («не берёт трубку»), so that the next one starts from it.
            @if let Some(last) = c.attempts.last() {
                p.last-attempt { (t.callback_last_attempt) ": " (attempt_line(ctx, people, last)) }
            }
            @if c.called_again > 0 { p.again { (Texts::fill(t.callback_called_again, &[&c.called_again])) } }
            @if c.missed_calls > 0 { p.again { (Texts::fill(t.callback_missed, &[&c.missed_calls])) } }
            (asked(t, shown, knowledge, true))
            @for note in shown.calls.iter().filter_map(|r| r.call.notes.as_deref()) { p.notes { (note) } }
        }
    }
}

fn filter_form(ctx: &Ctx, managers: &[Account], filter: Filter<'_>) -> Markup {
    let t = ctx.texts;
    let heads = ctx.allows(crate::accounts::Role::Head);
    html! {
        form.filter method="get" action=(paths::CALLBACKS_PAGE) {
            @if heads {
                label { (t.callbacks_owner_label) " "
                    select name="owner" {
                        option value="me" selected[filter.owner == "me"] { (t.callbacks_owner_me) }
                        option value="all" selected[filter.owner == "all"] { (t.callbacks_owner_all) }
                        option value="none" selected[filter.owner == "none"] { (t.callbacks_owner_none) }
                        @for m in managers { option value=(m.login) selected[filter.owner == m.login] { (m.shown_name()) } }
                    }
                }
                " "
            }
            label { (t.callbacks_state_label) " "
                select name="state" {
                    @for (word, label) in [("open", t.callbacks_state_open), ("overdue", t.callbacks_state_overdue), ("done", t.callbacks_state_done), ("lost", t.callbacks_state_lost)] {
                        option value=(word) selected[filter.state == word] { (label) }
                    }
                }
            }
            " " button type="submit" { (t.callbacks_filter) }
        }
    }
}

/// What the list says of the action just done.
#[derive(Debug, Clone, Copy)]
pub enum Notice<'a> {
    /// An attempt recorded on this callback.
    Saved(&'a Callback),
    /// This callback handed over to this login (empty: to nobody).
    Handed(i64, &'a str),
}

/// `/callbacks`: the list; `notice`: what was just done; `people`: every account, by the
/// names they are shown by (who made the last try may be a head).
pub fn list(
    ctx: &Ctx,
    list: &[Shown],
    managers: &[Account],
    filter: Filter<'_>,
    knowledge: &Knowledge,
    notice: Option<Notice<'_>>,
    people: &[Account],
) -> Markup {
    let t = ctx.texts;
    let now = ctx.clock.now();
    let title = match filter.owner {
        "me" => t.callbacks_title_mine.to_string(),
        "all" => t.callbacks_title_all.to_string(),
        "none" => t.callbacks_title_unassigned.to_string(),
        login => Texts::fill(
            t.callbacks_title_of,
            &[&owner_name(t, managers, Some(login))],
        ),
    };
    let heads = filter.owner != "me";
    // A desk report figure's callbacks: what it counts, and the way back to the report.
    let drill = filter.drill.map(|d| {
        let mut parts = vec![Texts::fill(
            t.counted_period,
            &[&t.iso_day(d.from), &t.iso_day(d.to)],
        )];
        if !matches!(filter.owner, "all" | "me") {
            let who = match filter.owner {
                "none" => t.callbacks_unassigned.to_string(),
                login => owner_name(t, managers, Some(login)).to_string(),
            };
            parts.push(Texts::fill(t.counted_manager, &[&who]));
        }
        parts.push(counted_words(t, d.counted).to_string());
        (parts.join(" · "), d.back)
    });
    let title = if drill.is_some() {
        t.counted_callbacks_title.to_string()
    } else {
        title
    };
    let today_end = ctx
        .clock
        .day_start(ctx.clock.today().succ_opt().unwrap_or(ctx.clock.today()));
    let open = |pick: &dyn Fn(&Callback) -> bool| -> Vec<&Shown> {
        list.iter()
            .filter(|s| s.callback.state == State::Open && pick(&s.callback))
            .collect()
    };
    let sections = [
        (t.callbacks_overdue, open(&|c| c.due < now)),
        (
            t.callbacks_today,
            open(&|c| c.due >= now && c.due < today_end),
        ),
        (t.callbacks_later, open(&|c| c.due >= today_end)),
    ];
    let closed: Vec<&Shown> = list
        .iter()
        .filter(|s| s.callback.state != State::Open)
        .collect();
    layout(
        ctx,
        &title,
        html! {
            h1 { (title) }
            @match notice {
                Some(Notice::Saved(c)) => p.status.saved role="status" {
                    (Texts::fill(t.callback_saved, &[&c.id, &state_text(t, c)]))
                    @if c.state == State::Open { " · " (due(ctx, c, now)) }
                },
                Some(Notice::Handed(id, to)) => p.status.saved role="status" {
                    (Texts::fill(t.callback_handed, &[&id, &owner_name(t, managers, Some(to).filter(|l| !l.is_empty()))]))
                },
                None => {},
            }
            @if let Some((line, back)) = &drill {
                p.drill { (line) }
                p.hint { (t.counted_callbacks_hint) }
                p { a href=(back) { (t.counted_back) } }
                @if list.is_empty() { p.empty { (t.counted_none) } }
                @if list.len() >= crate::actions::callbacks::LIST_LIMIT {
                    p.hint { (Texts::fill(t.counted_truncated, &[&list.len()])) }
                }
            } @else {
                (filter_form(ctx, managers, filter))
                // The open callbacks the menu counts (a manager's own, a head's everyone's):
                // when that count changes, the list says so, to be reloaded (a list that
                // reordered itself under the reader would move what they are about to open).
                @let head = ctx.allows(crate::accounts::Role::Head);
                @let counted = filter.state == "open" && filter.owner == (if head { "all" } else { "me" });
                @if counted && list.len() < crate::actions::callbacks::LIST_LIMIT {
                    p #callbacks-changed .status role="status" hidden data-listed=(list.len()) {
                        (t.callbacks_changed) " "
                        a href=(paths::CALLBACKS_PAGE) { (t.callbacks_reload) }
                    }
                }
                @if list.is_empty() { p.empty { (t.callbacks_none) } }
            }
            @for (heading, items) in &sections {
                @if !items.is_empty() {
                    section.callbacks {
                        h2 { (heading) " (" (items.len()) ")" }
                        ol { @for s in items { (item(ctx, s, managers, people, heads, knowledge)) } }
                    }
                }
            }
            @if !closed.is_empty() {
                ol.callbacks.closed {
                    @for s in &closed {
                        li {
                            a href=(paths::with_id(paths::CALLBACK_PAGE, s.callback.id)) { (Texts::fill(t.callback_title, &[&s.callback.id])) }
                            " " (caller(&s.callback)) " · " (state_text(t, &s.callback))
                            // Lost: why; closed: when, and by what time it was promised.
                            @if let Some(reason) = s.callback.lost_reason.as_deref() { " (" (reason_text(t, reason)) ")" }
                            @if let Some(closed) = s.callback.closed_at {
                                " · " (ctx.moment(closed))
                                @if s.callback.state == State::Done {
                                    " · " (Texts::fill(t.callback_due_by, &[&ctx.moment(s.callback.promised_due.unwrap_or(s.callback.due))]))
                                }
                            }
                            @if heads { " " span.nowrap { "· " (t.callback_owner) ": " (owner_name(t, managers, s.callback.owner.as_deref())) } }
                        }
                    }
                }
            }
        },
    )
}

/// How a callback stands: open, done in time or late, lost.
pub(super) fn state_text(t: &Texts, c: &Callback) -> &'static str {
    match (c.state, c.in_time()) {
        (State::Done, _) if c.caller_called_first() => t.callback_done_by_caller,
        (State::Done, Some(true)) => t.callback_done_in_time,
        (State::Done, _) => t.callback_done_late,
        (State::Lost, _) => t.result_lost,
        (State::Open, _) => t.callback_still_open,
    }
}

fn result_text(t: &Texts, r: Outcome) -> &'static str {
    match r {
        Outcome::Reached => t.result_reached,
        Outcome::NoAnswer => t.result_no_answer,
        Outcome::Lost => t.result_lost,
        Outcome::HandedOver => t.result_handed_over,
        Outcome::Rescheduled => t.result_rescheduled,
        Outcome::TalkedAtDesk => t.result_talked_at_desk,
    }
}

fn reason_text(t: &Texts, reason: &str) -> &'static str {
    match reason {
        "refused" => t.reason_refused,
        "not_a_client" => t.reason_not_a_client,
        "wrong_number" => t.reason_wrong_number,
        crate::callbacks::WITHDRAWN => t.reason_withdrawn,
        _ => t.reason_other,
    }
}

/// An example of a due time to type, the next working day's date in it (a fixed date would one
/// day be a time gone by; the morning preset knows the desk's days): «10.12 10:00», with
/// «15:30, » before it when `with_time` is asked.
pub fn due_example(ctx: &Ctx, presets: &[(Preset, DateTime<Utc>)], with_time: bool) -> String {
    // The next working morning, from the desk's hours (the presets drop a time another one
    // shares: on a Saturday «через час» is Monday's morning too).
    let next = presets
        .iter()
        .find(|(p, _)| *p == Preset::TomorrowMorning)
        .map(|(_, at)| ctx.clock.date_of(*at))
        .unwrap_or_else(|| {
            let now = ctx.clock.local(ctx.clock.now());
            ctx.hours.due(Preset::TomorrowMorning, now).date()
        });
    let day = format!("{} 10:00", ctx.texts.day_short(next));
    if with_time {
        format!("15:30, {day}")
    } else {
        day
    }
}

/// The preset buttons of a due time: each submits its form with that time.
pub fn preset_buttons(ctx: &Ctx, name: &str, presets: &[(Preset, DateTime<Utc>)]) -> Markup {
    html! {
        // Enter in a text field submits the form through its first submit button: this one,
        // which sends what was typed, not the first preset.
        button.visually-hidden type="submit" tabindex="-1" aria-hidden="true" { (ctx.texts.save) }
        @for (preset, at) in presets {
            button.preset type="submit" name=(name) value=(at.to_rfc3339()) title=(ctx.moment(*at)) { (preset_label(ctx, *preset, *at)) }
            " "
        }
    }
}

/// A preset's name with the time it stands for in the desk's working hours («через час
/// (15:04)», or with the date when it is not today: after closing, «через час» is tomorrow).
pub fn preset_label(ctx: &Ctx, preset: Preset, at: DateTime<Utc>) -> Markup {
    let t = ctx.texts;
    // After closing, or before a weekend, «сегодня» and «завтра» would name the wrong day.
    let (today, day) = (ctx.clock.today(), ctx.clock.date_of(at));
    let name = match preset {
        // An hour that runs past closing lands on the next working morning's first hour: named
        // so, and apart from «Завтра утром» beside it, which is later that morning.
        Preset::InAnHour if day != today && today.succ_opt() == Some(day) => t.preset_opening,
        Preset::InAnHour if day != today => t.preset_next_opening,
        // Before opening, an hour from now is the morning's first hour: not «через час».
        Preset::InAnHour if at - ctx.clock.now() > chrono::Duration::minutes(75) => {
            t.preset_this_morning
        }
        Preset::InAnHour => t.preset_hour,
        Preset::EndOfDay if day == today => t.preset_end_of_day,
        Preset::EndOfDay => t.preset_end_of_next_day,
        Preset::TomorrowMorning if today.succ_opt() == Some(day) => t.preset_morning,
        Preset::TomorrowMorning => t.preset_next_morning,
    };
    let local = ctx.clock.local(at);
    let when = if day == today {
        local.format("%H:%M").to_string()
    } else {
        t.moment_short(local)
    };
    html! { (name) " " span.when { "(" (when) ")" } }
}

/// `/callbacks/{id}`: one callback, and what the manager does with it; people (`people`:
/// every account) by the names they are shown by; `terms_saved`: its manager or due time just
/// changed.
pub fn one(
    ctx: &Ctx,
    shown: &Shown,
    managers: &[Account],
    presets: &[(Preset, DateTime<Utc>)],
    knowledge: &Knowledge,
    terms_saved: bool,
    people: &[Account],
) -> Markup {
    let (t, c, now) = (ctx.texts, &shown.callback, ctx.clock.now());
    let title = Texts::fill(t.callback_title, &[&c.id]);
    let attempts = paths::with_id(paths::CALLBACK_ATTEMPT_FORM, c.id);
    let page = paths::with_id(paths::CALLBACK_PAGE, c.id);
    // What to say: the answers to the questions of the callback's own calls, then to those the
    // caller asked on the earlier calls shown (a missed call's callback has only those); a
    // question nobody linked by the answer the grouping counts it under.
    let answers: Vec<_> = {
        let mut seen = Vec::new();
        let counted = |id: i64| {
            shown
                .counted_under
                .iter()
                .find(|(q, _)| *q == id)
                .map(|(_, slug)| slug.as_str())
        };
        for slug in shown
            .calls
            .iter()
            .chain(&shown.earlier)
            .flat_map(|r| &r.questions)
            .filter_map(|q| q.answer.as_deref().or_else(|| counted(q.id)))
        {
            if let Some(a) = knowledge.get(slug) {
                if !seen
                    .iter()
                    .any(|s: &&std::sync::Arc<crate::knowledge::Answer>| s.slug == a.slug)
                {
                    seen.push(a);
                }
            }
        }
        seen
    };
    layout(
        ctx,
        &title,
        html! {
            h1 { (title) }
            // Just handed over or moved: said, with the terms as they stand now.
            @if terms_saved {
                p.status.saved role="status" {
                    (t.callback_terms_saved) " " (t.callback_owner) ": " (owner_name(t, people, c.owner.as_deref())) " · " (due(ctx, c, now))
                }
            }
            // Changed meanwhile (handed over, moved, tried from another screen): said here,
            // with the manager it has now; the script asks where it stands.
            p #callback-changed .status role="alert" hidden
                data-standing=(paths::with_id(paths::API_CALLBACK_STANDING, c.id))
                data-owner=(c.owner.as_deref().unwrap_or(""))
                data-due=(c.due.timestamp())
                data-state=(c.state.as_str())
                data-attempts=(c.attempts.len())
                data-again=(c.called_again)
                data-missed=(c.missed_calls)
                data-said=(t.callback_changed_meanwhile)
                data-unassigned=(t.callbacks_unassigned) {
                span.said {} " "
                a.reload href=(page) { (t.callback_reload) }
                a.to-list href=(paths::CALLBACKS_PAGE) hidden { (t.callback_to_list) }
            }
            p.lead { (caller(c)) " " (due(ctx, c, now)) " · " (t.callback_owner) ": " span.owner { (owner_name(t, people, c.owner.as_deref())) } }
            @if c.state != State::Open { p.state { strong { (state_text(t, c)) } } }
            (promised_line(ctx, c))
            @if c.called_again > 0 { p.again { (Texts::fill(t.callback_called_again, &[&c.called_again])) } }
            @if c.missed_calls > 0 { p.again { (Texts::fill(t.callback_missed, &[&c.missed_calls])) } }
            @if c.state == State::Open { p.hint.jsonly { (t.callback_keys) } }
            // What the caller asked and what to say from, before the results: read before the
            // call and during it; the keys reach the results from anywhere on the page.
            section {
                h2 { (t.callback_asked) }
                @if shown.calls.iter().all(|r| r.questions.is_empty()) {
                    p.empty { (t.callback_asked_nothing) }
                } @else {
                    (asked(t, shown, knowledge, false))
                }
                // A missed call asks nothing: what they asked on their other calls, by call.
                @for r in &shown.earlier {
                    h3.earlier-asked {
                        (t.callback_asked_earlier) " "
                        a href=(paths::call_page(r.call.id)) { (ctx.moment(r.call.started_at)) }
                    }
                    (asked_list(t, r.questions.iter(), knowledge, false))
                }
            }
            @if !answers.is_empty() {
                section.speech {
                    h2 { (t.callback_speech) }
                    @for a in &answers {
                        article.answer { h3 { a href=(paths::answer_page(&a.slug)) { (a.title) } } (PreEscaped(&a.html)) }
                    }
                }
            }
            @if c.state == State::Open {
                h2 { (t.callback_results) }
                div.callback-actions #callback-actions {
                    form.action data-keep="reached" data-in-place method="post" action=(attempts) data-key="1" {
                        h3 { kbd { "1" } " " (t.action_reached) }
                        (csrf_field(ctx))
                        input type="hidden" name="result" value="reached";
                        label { span { (t.reached_note) } input type="text" name="note" maxlength="2000" autocomplete="off"; }
                        label.inline { input type="checkbox" name="open_call"; " " (t.open_call) }
                        button type="submit" { (t.action_reached) }
                    }
                    form.action data-keep="no-answer" data-in-place method="post" action=(attempts) data-key="2" {
                        h3 { kbd { "2" } " " (t.action_no_answer) }
                        (csrf_field(ctx))
                        input type="hidden" name="result" value="no_answer";
                        label { span { (t.note) } input type="text" name="note" maxlength="2000" autocomplete="off"; }
                        // Named as a refusal names it: «Следующая попытка».
                        label { span { (t.next_try) } input type="text" name="next_due" data-due-read=(paths::API_DUE) autocomplete="off" placeholder=(due_example(ctx, presets, true)); }
                        span { (preset_buttons(ctx, "next_due", presets)) }
                        button type="submit" { (t.action_no_answer) }
                    }
                    form.action data-keep="lost" data-in-place method="post" action=(attempts) data-key="3" {
                        h3 { kbd { "3" } " " (t.action_lost) }
                        (csrf_field(ctx))
                        input type="hidden" name="result" value="lost";
                        label { span { (t.lost_reason) }
                            select name="reason" required {
                                @for r in LOST_REASONS { option value=(r) { (reason_text(t, r)) } }
                            }
                        }
                        label { span { (t.note) } input type="text" name="note" maxlength="2000" autocomplete="off"; }
                        button type="submit" { (t.action_lost) }
                    }
                    form.action data-keep="hand-over" data-in-place method="post" action=(page) data-key="4" {
                        @let hand_over = if c.owner.is_some() { t.action_hand_over } else { t.action_give_out };
                        h3 { kbd { "4" } " " (hand_over) }
                        (csrf_field(ctx))
                        @let others: Vec<_> = managers.iter().filter(|m| c.owner.as_deref() != Some(m.login.as_str())).collect();
                        @if others.is_empty() {
                            p.empty { (t.hand_over_nobody) }
                        } @else {
                            label { span { (t.callback_owner) }
                                // Nobody chosen at first: Enter on the list sends only a choice.
                                select name="owner" required {
                                    option value="" selected { (t.choose) }
                                    @for m in others { option value=(m.login) { (m.shown_name()) } }
                                }
                            }
                            button type="submit" { (hand_over) }
                        }
                    }
                    form.action data-keep="reschedule" data-in-place method="post" action=(page) data-key="5" {
                        h3 { kbd { "5" } " " (t.action_reschedule) }
                        (csrf_field(ctx))
                        label { span { (t.field_callback_due) } input type="text" name="due" data-due-read=(paths::API_DUE) autocomplete="off" placeholder=(due_example(ctx, presets, true)); }
                        (preset_buttons(ctx, "due", presets))
                        button type="submit" { (t.action_reschedule) }
                    }
                }
            }
            section {
                h2 { (t.callback_calls) }
                ul {
                    @for r in &shown.calls {
                        li {
                            a href=(paths::call_page(r.call.id)) { (ctx.moment(r.call.started_at)) }
                            @if let Some(notes) = &r.call.notes { " — " (notes) }
                        }
                    }
                    @for r in &shown.follow_ups {
                        li {
                            a href=(paths::call_page(r.call.id)) { (ctx.moment(r.call.started_at)) }
                            " · " (t.callback_follow_up_call)
                            @if let Some(notes) = &r.call.notes { " — " (notes) }
                        }
                    }
                }
            }
            @if !c.attempts.is_empty() {
                section {
                    h2 { (t.callback_attempts) }
                    ol.attempts {
                        @for a in &c.attempts { li { (attempt_line(ctx, people, a)) } }
                    }
                }
            }
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_russian_number_is_dialled_with_its_country_code_however_written() {
        for written in [
            "79165554433",
            "8 (916) 555-44-33",
            "+7 916 555-44-33",
            "916 555 44 33",
        ] {
            assert_eq!(tel(written), "tel:+79165554433", "{written}");
        }
        assert_eq!(tel("+44 20 7946 0958"), "tel:+442079460958");
        assert_eq!(tel("+8 123 456 78 90"), "tel:+81234567890");
        assert_eq!(tel("101"), "tel:101");
    }

    /// `f` over a page's context at `now` in Moscow, the desk's default hours.
    fn at_moment<T>(now: &str, f: impl FnOnce(&Ctx) -> T) -> T {
        let clock = crate::clock::Clock::fixed(
            crate::clock::parse_zone("Europe/Moscow").unwrap(),
            now.parse().unwrap(),
        );
        let hours = crate::callbacks::hours::WorkingHours::default();
        f(&Ctx {
            texts: &crate::i18n::RU,
            principal: None,
            clock: &clock,
            hours: &hours,
            path: "/callbacks",
        })
    }

    fn label(now: &str, preset: Preset, at: &str) -> String {
        at_moment(now, |ctx| {
            preset_label(ctx, preset, at.parse().unwrap()).into_string()
        })
    }

    #[test]
    fn a_presets_name_says_the_day_it_falls_on() {
        // Thursday 13:15 in Moscow: today's end, tomorrow's morning.
        let thursday = "2026-12-03T10:15:00Z";
        let end = label(thursday, Preset::EndOfDay, "2026-12-03T15:00:00Z");
        assert!(end.starts_with("Сегодня до конца дня"), "{end}");
        let morning = label(thursday, Preset::TomorrowMorning, "2026-12-04T07:00:00Z");
        assert!(morning.starts_with("Завтра утром"), "{morning}");
        // Friday 20:00: both fall on Monday, and are named so.
        let friday = "2026-12-04T17:00:00Z";
        let end = label(friday, Preset::EndOfDay, "2026-12-07T15:00:00Z");
        assert!(
            end.starts_with("До конца рабочего дня") && end.contains("07.12 18:00"),
            "{end}"
        );
        let morning = label(friday, Preset::TomorrowMorning, "2026-12-07T07:00:00Z");
        assert!(morning.starts_with("Утром рабочего дня"), "{morning}");
        // «Через час» after closing is that morning's opening, and says so, apart from the
        // morning preset beside it.
        let hour = label(friday, Preset::InAnHour, "2026-12-07T06:00:00Z");
        assert!(hour.starts_with("В начале рабочего дня"), "{hour}");
        let hour = label(thursday, Preset::InAnHour, "2026-12-03T11:15:00Z");
        assert!(hour.starts_with("Через час"), "{hour}");
        let late = label(
            "2026-12-03T14:45:00Z",
            Preset::InAnHour,
            "2026-12-04T06:15:00Z",
        );
        assert!(late.starts_with("Завтра в начале дня"), "{late}");
        let morning = label(
            "2026-12-03T14:45:00Z",
            Preset::TomorrowMorning,
            "2026-12-04T07:00:00Z",
        );
        assert!(morning.starts_with("Завтра утром"), "{morning}");
        // At night, before the desk opens, it is this morning.
        let night = label(
            "2026-12-03T23:40:00Z",
            Preset::InAnHour,
            "2026-12-04T07:00:00Z",
        );
        assert!(night.starts_with("Сегодня утром"), "{night}");
    }

    #[test]
    fn a_listed_callback_says_its_last_try_and_the_time_promised_once_moved_past_it() {
        let at = |t: &str| t.parse::<DateTime<Utc>>().unwrap();
        let tried = crate::callbacks::Attempt {
            at: at("2026-12-03T07:05:00Z"),
            by: "boss".into(),
            result: Outcome::NoAnswer,
            note: Some("не берёт трубку".into()),
            reason: Some("03.12 14:00".into()),
            from: None,
            next_due: None,
        };
        let mut callback = Callback {
            id: 4,
            caller_key: "74951234567".into(),
            name: Some("Николай".into()),
            phone: Some("84951234567".into()),
            email: None,
            company: None,
            owner: Some("ivan".into()),
            due: at("2026-12-03T11:00:00Z"),
            promised_due: Some(at("2026-12-03T07:00:00Z")),
            state: State::Open,
            created_at: at("2026-12-03T06:00:00Z"),
            closed_at: None,
            called_again: 0,
            missed_calls: 0,
            first_attempt: Some(at("2026-12-03T07:05:00Z")),
            lost_reason: None,
            note: None,
            call_ids: vec![1],
            attempts: vec![tried],
        };
        let shown = |callback: &Callback| {
            at_moment("2026-12-03T08:00:00Z", |ctx| {
                let shown = Shown {
                    callback: callback.clone(),
                    calls: vec![],
                    follow_ups: vec![],
                    earlier: vec![],
                    counted_under: vec![],
                };
                // Who tried is named as shown, a head too (not among the managers).
                let head = Account {
                    id: 1,
                    login: "boss".into(),
                    role: crate::accounts::Role::Head,
                    disabled: false,
                    must_change_password: false,
                    created_at: at("2026-12-01T00:00:00Z"),
                    display_name: Some("Сергей Иванов".into()),
                    email: None,
                    extension: None,
                };
                item(ctx, &shown, &[], &[head], false, &Knowledge::default()).into_string()
            })
        };
        let page = shown(&callback);
        assert!(
            page.contains("Последнее: 03.12")
                && page.contains(">+7 495 123-45-67</a>")
                && page.contains("Сергей Иванов")
                && page.contains("клиент не ответил")
                && page.contains("не берёт трубку"),
            "{page}"
        );
        assert!(
            page.contains("Клиенту обещали перезвонить до 03.12.2026 10:00"),
            "{page}"
        );
        // Moved before it fell due, the new time is the promise: nothing more to say.
        callback.promised_due = Some(callback.due);
        callback.attempts.clear();
        let page = shown(&callback);
        assert!(
            !page.contains("обещали") && !page.contains("Последнее"),
            "{page}"
        );
    }

    #[test]
    fn a_due_times_example_falls_on_the_next_working_day() {
        // Saturday noon: «через час» and «утром» both fall on Monday, and only one is listed.
        let monday = "2026-12-07T07:00:00Z".parse().unwrap();
        let example = at_moment("2026-12-05T09:00:00Z", |ctx| {
            due_example(ctx, &[(Preset::InAnHour, monday)], false)
        });
        assert_eq!(example, "07.12 10:00");
    }
}
