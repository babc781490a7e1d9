//! Call pages: the list of the day's calls, the new-call card, and the desk screen where the
//! operator logs what the caller asks, reads the answer aloud, and fills the call's record.
//!
//! The desk screen has two columns that scroll on their own: on the right the question box
//! with the results (or the answer to read, in their place, under the box where the eyes are);
//! on the left the call: who calls, the questions logged so far, the script, the card, earlier
//! calls. `templates/js/desk.js` makes it keyboard-driven; without it every action is a form.

use super::card;
pub use super::card::{Card, Proposed, Typed};
use super::{csrf_field, layout, Ctx};
use crate::actions::calls::{DayRow, DeskScreen, MissedRow};
use crate::calls::{Call, CallKind, CallRecord, Outcome};
use crate::desk::Desk;
use crate::i18n::Texts;
use crate::knowledge::Knowledge;
use crate::paths;
use crate::store::Counted;
use chrono::NaiveDate;
use maud::{html, Markup};
use std::borrow::Cow;

/// Characters a frequent question's button shows at most (the whole in its tooltip).
const CHIP_CHARS: usize = 90;

/// The caller's name, company and phone, each isolated (`<bdi>`) so that text written right
/// to left cannot reorder what follows it; a phone number kept on one line (it is read whole).
fn caller_line(call: &Call) -> Option<Markup> {
    let parts: Vec<(&str, bool)> = [
        (call.name.as_deref(), false),
        (call.company.as_deref(), false),
        (call.phone.as_deref(), true),
    ]
    .into_iter()
    // An e-mail in the phone's place wraps where it must, as words do.
    .filter_map(|(part, number)| part.map(|p| (p, number && !p.contains('@'))))
    .collect();
    (!parts.is_empty()).then(|| {
        html! {
            @for (i, (part, number)) in parts.iter().enumerate() {
                // The dot stays with what it follows, never alone at a line's start.
                @if i > 0 { "\u{a0}· " }
                // A number in the groups it is read in, a Russian one in one form whoever typed
                // it (the exchange, or an operator as `8 (916) …`).
                @if *number { bdi.number { (crate::calls::phone::international(part)) } } @else { bdi { (part) } }
            }
        }
    })
}

/// A select of choices with an empty first option; the current value is kept even when it is
/// not in the list (lists change, records stay).
pub fn select(
    name: &str,
    id: &str,
    choose: &str,
    choices: &[(String, String)],
    current: Option<&str>,
) -> Markup {
    let current = current.unwrap_or("");
    html! {
        select name=(name) id=(id) {
            option value="" { (choose) }
            @for (value, label) in choices {
                option value=(value) selected[value == current] { (label) }
            }
            @if !current.is_empty() && !choices.iter().any(|(v, _)| v == current) {
                option value=(current) selected { (current) }
            }
        }
    }
}

pub(super) fn plain_choices(items: &[String]) -> Vec<(String, String)> {
    items.iter().map(|m| (m.clone(), m.clone())).collect()
}

/// Outcome words and their labels as a JSON object, for the script.
fn outcome_labels(ctx: &Ctx) -> String {
    let map: serde_json::Map<String, serde_json::Value> = Outcome::ALL
        .iter()
        .map(|o| (o.as_str().to_string(), ctx.texts.outcome(*o).into()))
        .collect();
    serde_json::Value::Object(map).to_string()
}

/// Which calls the list shows.
#[derive(Debug, Clone, Copy)]
pub struct ListFilter<'a> {
    /// The day.
    pub date: NaiveDate,
    /// Only calls that ended so.
    pub outcome: Option<Outcome>,
    /// Only calls this operator took.
    pub operator: Option<&'a str>,
    /// The call just ended from its card: said, with the next call offered (and focused).
    pub ended: Option<i64>,
}

/// How the calls list names people: (value or login, name shown).
#[derive(Debug, Clone, Copy)]
pub struct Names<'a> {
    /// The managers a card offers.
    pub managers: &'a [(String, String)],
    /// The accounts with a display name.
    pub people: &'a [(String, String)],
}

/// The name the first of `lists` that names `value` shows for it, else the value itself (an
/// extension no account had said as such, [`Texts::recorded_person`]).
fn shown_in<'a>(t: &Texts, lists: &[&'a [(String, String)]], value: &'a str) -> Cow<'a, str> {
    lists
        .iter()
        .flat_map(|names| names.iter())
        .find(|(v, _)| v == value)
        .map_or_else(
            || t.recorded_person(value),
            |(_, name)| name.as_str().into(),
        )
}

/// The day's calls, callbacks due first; managers and operators by the names they are shown
/// by.
pub fn list(ctx: &Ctx, filter: ListFilter<'_>, rows: &[DayRow], names: Names<'_>) -> Markup {
    let ListFilter {
        date,
        outcome,
        operator,
        ended,
    } = filter;
    let texts = ctx.texts;
    layout(
        ctx,
        texts.calls_title,
        html! {
            h1 { (texts.calls_title) }
            @if let Some(id) = ended {
                p.status.saved role="status" {
                    (crate::i18n::Texts::fill(texts.call_ended, &[&id])) " "
                    a href=(paths::NEW_CALL_PAGE) autofocus { (texts.next_call) }
                }
            }
            form.filters method="get" action=(paths::CALLS_PAGE) {
                label { (texts.date) " " input type="date" name="date" value=(date.to_string()) max="2999-12-31"; }
                label { (texts.field_outcome) " " (select("outcome", "outcome", texts.filter_all, &card::outcome_choices(ctx), outcome.map(|o| o.as_str()))) }
                label { (texts.field_operator) " " input type="text" name="operator" value=(operator.unwrap_or("")); }
                button type="submit" { (texts.filter_button) }
            }
            @if rows.is_empty() {
                @if outcome.is_some() || operator.is_some_and(|o| !o.trim().is_empty()) {
                    p.empty { (texts.calls_none_match) " " a href=(format!("{}?date={date}", paths::CALLS_PAGE)) { (texts.calls_all_of_day) } }
                } @else {
                    p.empty { (texts.calls_empty) }
                }
            } @else {
                (calls_table(ctx, Some(date), rows, names))
            }
        },
    )
}

/// Which calls of the desk report a list shows.
pub struct Drill<'a> {
    /// The first day.
    pub from: NaiveDate,
    /// The last day.
    pub to: NaiveDate,
    /// The operator's row (as recorded; `""`: nobody).
    pub operator: Option<&'a str>,
    /// The operators' row of the calls nobody answered.
    pub unanswered: bool,
    /// The manager's row (a login; `""`: nobody).
    pub manager: Option<&'a str>,
    /// Which of the row's calls.
    pub which: Counted,
    /// The report it came from.
    pub back: &'a str,
}

/// What a figure of the desk report counts, as a line: the days, whose row, which calls.
fn drill_line(ctx: &Ctx, from: NaiveDate, to: NaiveDate, whose: &[String], which: &str) -> String {
    let t = ctx.texts;
    let mut parts = vec![Texts::fill(t.counted_period, &[&t.day(from), &t.day(to)])];
    parts.extend(whose.iter().cloned());
    parts.push(which.to_string());
    parts.join(" · ")
}

/// The words of which calls a figure counts.
pub fn counted_words(t: &Texts, which: Counted) -> &'static str {
    match which {
        Counted::All => t.counted_all,
        Counted::Primary => t.counted_primary,
        Counted::Secondary => t.counted_secondary,
        Counted::Potential => t.counted_potential,
        Counted::Contact => t.counted_contact,
        Counted::NumberOnly => t.counted_number,
        Counted::NoContact => t.counted_no_contact,
        Counted::NotCaptured => t.counted_not_captured,
    }
}

/// The calls behind a figure of the desk report, newest first, with the way back to it.
pub fn counted(ctx: &Ctx, drill: &Drill<'_>, rows: &[DayRow], names: Names<'_>) -> Markup {
    let t = ctx.texts;
    let mut whose = Vec::new();
    if let Some(o) = drill.operator {
        let name = if drill.unanswered {
            t.report_unanswered_row.into()
        } else if o.is_empty() {
            t.report_nobody.into()
        } else {
            shown_in(t, &[names.people], o)
        };
        whose.push(Texts::fill(t.counted_operator, &[&name]));
    }
    if let Some(m) = drill.manager {
        let name = if m.is_empty() {
            t.callbacks_unassigned.into()
        } else {
            shown_in(t, &[names.managers, names.people], m)
        };
        whose.push(Texts::fill(t.counted_manager, &[&name]));
    }
    let line = drill_line(
        ctx,
        drill.from,
        drill.to,
        &whose,
        counted_words(t, drill.which),
    );
    let day = (drill.from == drill.to).then_some(drill.from);
    let table = calls_table(ctx, day, rows, names);
    drill_page(
        ctx,
        t.counted_calls_title,
        &line,
        drill.back,
        rows.len(),
        table,
    )
}

/// A list behind a figure of the desk report: what it counts (`line`), the way back to the
/// report, and its `count` rows in `table` (nothing, said so, when there are none).
fn drill_page(
    ctx: &Ctx,
    title: &str,
    line: &str,
    back: &str,
    count: usize,
    table: Markup,
) -> Markup {
    let t = ctx.texts;
    layout(
        ctx,
        title,
        html! {
            h1 { (title) }
            p.drill { (line) }
            p { a href=(back) { (t.counted_back) } }
            @if count == 0 {
                p.empty { (t.counted_none) }
            } @else {
                @if count >= crate::actions::calls::COUNTED_LIMIT {
                    p.hint { (Texts::fill(t.counted_truncated, &[&count])) }
                }
                (table)
            }
        },
    )
}

/// A missed figure's list: its days, which of the calls nobody answered, the report it came
/// from.
pub struct MissedList<'a> {
    /// The first day.
    pub from: NaiveDate,
    /// The last day.
    pub to: NaiveDate,
    /// Which (`all`, `callback`, `no_number`, `ignored`).
    pub which: &'a str,
    /// The report it came from.
    pub back: &'a str,
    /// The managers' logins and names.
    pub managers: &'a [(String, String)],
}

/// The words of which missed calls a figure counts (see
/// [`MISSED_WORDS`](crate::actions::calls::MISSED_WORDS)).
pub fn missed_words(t: &Texts, which: &str) -> &'static str {
    match crate::pbx::MissedAs::parse(which) {
        Some(crate::pbx::MissedAs::Callback) => t.report_col_missed_called_back,
        Some(crate::pbx::MissedAs::NoNumber) => t.report_col_missed_no_number,
        Some(crate::pbx::MissedAs::Ignored) => t.report_col_missed_ignored,
        None => t.report_col_missed,
    }
}

/// The calls nobody answered behind a missed figure of the desk report, newest first: when,
/// from which number, how it ended, and what the desk made of it (the callback as it stands
/// now, for who may open it a link), with the way back to the report.
pub fn missed(ctx: &Ctx, list: &MissedList<'_>, rows: &[MissedRow]) -> Markup {
    let t = ctx.texts;
    let line = drill_line(ctx, list.from, list.to, &[], missed_words(t, list.which));
    let made = |row: &MissedRow| missed_words(t, row.missed.missed.as_str());
    let table = html! {
        table.calls.missed {
            thead { tr {
                th { (t.col_time) } th { (t.field_phone) } th { (t.missed_col_ending) }
                th { (t.missed_col_made) } th { (t.field_manager) }
            } }
            tbody {
                @for row in rows {
                    @let when = ctx.moment(row.missed.started_at);
                    tr {
                        td { @match row.missed.call {
                            Some(id) => a href=(paths::call_page(id)) { (when) },
                            None => (when),
                        } }
                        // Grouped as the banners and the callbacks show it, however the exchange
                        // wrote it.
                        td.caller { @match row.missed.caller.as_deref() {
                            Some(number) => (crate::calls::phone::international(number)),
                            None => (t.missed_hidden),
                        } }
                        td { @match row.missed.ending {
                            Some(crate::pbx::Ending::Busy) => (t.missed_ending_busy),
                            _ => (t.missed_ending_missed),
                        } }
                        td {
                            (made(row))
                            @if let Some(c) = &row.callback {
                                " · "
                                @if ctx.may_open_callback(c.owner.as_deref()) {
                                    a href=(paths::with_id(paths::CALLBACK_PAGE, c.id)) { (Texts::fill(t.callback_title, &[&c.id])) }
                                } @else { (Texts::fill(t.callback_title, &[&c.id])) }
                                ": " (super::callbacks::state_text(t, c))
                            }
                        }
                        td { @match row.callback.as_ref().and_then(|c| c.owner.as_deref()) {
                            Some(owner) => (shown_in(t, &[list.managers], owner)),
                            None => @if row.callback.is_some() { (t.callbacks_unassigned) },
                        } }
                    }
                }
            }
        }
    };
    drill_page(
        ctx,
        t.missed_calls_title,
        &line,
        list.back,
        rows.len(),
        table,
    )
}

/// The calls of the list: each with its time (its date too when not of `day`), caller, kind,
/// outcome, manager, callback as it stands, questions and operator.
fn calls_table(ctx: &Ctx, day: Option<NaiveDate>, rows: &[DayRow], names: Names<'_>) -> Markup {
    let texts = ctx.texts;
    html! {
        table.calls {
            thead { tr {
                th { (texts.col_time) } th { (texts.col_caller) } th { (texts.col_kind) }
                th { (texts.field_outcome) } th { (texts.field_manager) } th { (texts.field_callback_due) }
                th { (texts.col_questions) } th { (texts.field_operator) }
            } }
            tbody {
                @for DayRow { call, questions, callback, follow_up, unanswered } in rows {
                    // A promise's callback as it stands now: its manager and time, or how
                    // it was closed.
                    @let promised = callback.as_ref().filter(|_| call.outcome == Some(Outcome::Callback));
                    @let open = promised.is_none_or(|c| c.state == crate::callbacks::State::Open);
                    tr.callback[call.outcome == Some(Outcome::Callback) && open] {
                        // A callback of another day listed first says its date.
                        td { a href=(paths::call_page(call.id)) {
                            @if Some(ctx.clock.date_of(call.started_at)) == day { (ctx.clock.time_text(call.started_at)) }
                            @else { (ctx.moment(call.started_at)) }
                        } }
                        td.caller { a href=(paths::call_page(call.id)) { @if let Some(who) = caller_line(call) { (who) } } }
                        td { (texts.kind(call.kind)) }
                        // A call never finished says so, not a blank that looks like any outcome.
                        td {
                            @if let Some(o) = call.outcome { (texts.outcome(o)) }
                            @else if call.ended_at.is_none() { span.muted { (texts.call_not_finished) } }
                            @if *unanswered { " " span.badge.missed { (texts.call_missed) } }
                        }
                        // The manager the call named, and the callback's own when it was handed
                        // over since (the desk report counts the call for the first).
                        @let named = |m: &str| shown_in(texts, &[names.managers, names.people], m).to_string();
                        @let handed = promised.and_then(|c| c.owner.as_deref()).filter(|o| call.manager.as_deref() != Some(*o));
                        td {
                            @if let Some(m) = call.manager.as_deref() { (named(m)) }
                            @if let Some(owner) = handed {
                                @if call.manager.is_some() { " → " }
                                (named(owner))
                            }
                            // A manager's call on reaching the caller: that manager's.
                            @if let (None, None, Some(made)) = (call.manager.as_deref(), handed, follow_up) {
                                @if let Some(owner) = made.owner.as_deref() { (named(owner)) }
                            }
                        }
                        @match promised {
                            Some(c) if c.state == crate::callbacks::State::Open => {
                                td.due.overdue[c.overdue(ctx.clock.now())] {
                                    (ctx.moment(c.due))
                                    @if c.overdue(ctx.clock.now()) { " " strong { (texts.callback_promised_overdue) } }
                                }
                            }
                            Some(c) => { td { @if c.state == crate::callbacks::State::Done { "✓ " } (super::callbacks::state_text(texts, c)) } }
                            None => {
                                td {
                                    // The manager's call on reaching the caller: which callback it made.
                                    @if let Some(made) = follow_up {
                                        // A link for who may open it; for others its number.
                                        @if ctx.may_open_callback(made.owner.as_deref()) {
                                            a href=(paths::with_id(paths::CALLBACK_PAGE, made.id)) { (Texts::fill(texts.callback_title, &[&made.id])) }
                                        } @else {
                                            (Texts::fill(texts.callback_title, &[&made.id]))
                                        }
                                        " · " (texts.callback_follow_up_call)
                                    }
                                    @if let Some(due) = &call.callback_due { (ctx.moment(*due)) }
                                    @if call.callback_done_at.is_some() { " ✓ " (texts.field_callback_done) }
                                }
                            }
                        }
                        td.num { (questions) }
                        td { (call.operator.as_deref().map(|o| shown_in(texts, &[names.people], o)).unwrap_or_default()) }
                    }
                }
            }
        }
    }
}

/// The script, each phrase as said on this call. `card.js` says them again as the card's fields
/// change, by the same rule ([`crate::desk::Phrase::say`]): each phrase carries its ways to be
/// said (`data-say`), the list the call's values and the words for unknown ones.
fn script(ctx: &Ctx, desk: &Desk, call: &Call) -> Markup {
    let texts = ctx.texts;
    let blank = |placeholder: &str| format!("[{}]", texts.placeholder(placeholder));
    let known = crate::desk::placeholder_values(call);
    let values: serde_json::Map<String, serde_json::Value> = known
        .iter()
        .map(|(name, value)| (name.to_string(), value.clone().into()))
        .collect();
    let blanks: serde_json::Map<String, serde_json::Value> = known
        .iter()
        .map(|(name, _)| (name.to_string(), blank(name).into()))
        .collect();
    html! {
        details.script open aria-label=(texts.script_title) {
            summary { (texts.script_title) }
            ol.phrases data-values=(serde_json::Value::Object(values)) data-blanks=(serde_json::Value::Object(blanks)) {
                @for phrase in &desk.script {
                    li data-key=(phrase.key) data-say=(serde_json::Value::from(phrase.ways().cloned().collect::<Vec<_>>())) {
                        span.phrase-label { (texts.phrase_label(&phrase.key)) }
                        span.phrase { (phrase.say(call, blank)) }
                    }
                }
            }
        }
    }
}

/// The kind of call in the desk's words, chosen automatically unless the operator says.
fn kind_choice(ctx: &Ctx, current: Option<CallKind>) -> Markup {
    let texts = ctx.texts;
    html! {
        fieldset.kind {
            legend { (texts.field_kind) }
            label.inline { input type="radio" name="kind" value="" checked[current.is_none()]; " " (texts.kind_auto) }
            @for kind in [CallKind::Primary, CallKind::Secondary] {
                label.inline { input type="radio" name="kind" value=(kind.as_str()) checked[current == Some(kind)]; " " (texts.kind(kind)) }
            }
        }
    }
}

/// What the new-call card starts with: a number (typed into the link, or the phone
/// exchange's), a name the exchange proposes, or the card as refused.
#[derive(Debug, Default)]
pub struct NewCard<'a> {
    /// The caller's number, if known.
    pub phone: &'a str,
    /// A name proposed for the caller.
    pub name: Option<&'a str>,
    /// Whether the number came from the phone exchange (not typed, not yet read back).
    pub from_exchange: bool,
    /// The exchange's call the card was opened from (`exchange:call_id`), which the call
    /// recorded from it is linked to.
    pub exchange: Option<&'a str>,
    /// The card as submitted and refused.
    pub typed: Option<&'a Typed>,
}

/// The card for a call not yet recorded: the greeting, then the fields in the order the desk
/// standard asks for them (name, question, phone read back, company), one button to start.
pub fn new_call(ctx: &Ctx, desk: &Desk, start: &NewCard<'_>) -> Markup {
    let texts = ctx.texts;
    let typed = start.typed;
    let v = |name: &str, given: Option<&str>| Typed::value(typed, name, given).to_string();
    let wrong = |name: &str| Typed::wrong(typed, name).then_some("true");
    let phone = v("phone", Some(start.phone));
    let call = Call::blank(
        ctx.clock.now(),
        Some(phone.clone()).filter(|p| !p.is_empty()),
    );
    // Read back by default when the operator types the number (the box follows as they type
    // it); not when the exchange sent it, and not while there is no number.
    let confirmed = Typed::checked(
        typed,
        "contact_confirmed",
        !start.from_exchange && !phone.trim().is_empty(),
    );
    let potential = v("potential_client", None);
    let kind = typed.map(|t| t.form.get("kind").cloned().unwrap_or_default());
    layout(
        ctx,
        texts.new_call_title,
        html! {
            div.new-call {
                section {
                    h1 { (texts.new_call_title) }
                    form.card #new-call data-keep="new-call" data-unsent[typed.is_some()] method="post" action=(paths::CALLS_PAGE) data-caller=(paths::API_CALLER)
                        data-proposed=(texts.proposed_from_earlier) data-returning=(texts.returning_calls) data-returning-company=(texts.returning_company_calls)
                        data-outcomes=(outcome_labels(ctx)) data-zone=(ctx.clock.zone().name())
                        data-due=(texts.field_callback_due) data-called-back=(texts.field_callback_done) data-promised=(texts.callback_promised)
                        data-overdue=(texts.callback_promised_overdue) data-waiting=(texts.callback_promised_waiting)
                        data-manager=(texts.field_manager) data-unassigned=(texts.callbacks_unassigned) {
                        (csrf_field(ctx))
                        @if let Some(reference) = start.exchange {
                            input type="hidden" name="exchange" value=(reference);
                        }
                        (card::refused(ctx, typed))
                        div.fields {
                            @let proposed = start.name.filter(|_| typed.is_none());
                            label.wide { span { (texts.field_name) } input #name .proposed[proposed.is_some()] type="text" name="name" value=(v("name", start.name)) autofocus[typed.is_none() || Typed::wrong(typed, "name")] autocomplete="off" aria-invalid=[wrong("name")] data-proposed=[proposed] title=[proposed.map(|_| texts.proposed_from_earlier)]; }
                            label.wide { span { (texts.field_question) } input #first-question type="text" name="question" maxlength=(crate::calls::MAX_QUESTION_CHARS) value=(v("question", None)) autocomplete="off" placeholder=(texts.question_placeholder_card) aria-invalid=[wrong("question")] autofocus[Typed::wrong(typed, "question")]; }
                            label { span { (texts.field_phone) } input #phone type="tel" name="phone" value=(phone) autocomplete="off" aria-invalid=[wrong("phone")] autofocus[Typed::wrong(typed, "phone")] data-from-exchange=[start.from_exchange.then_some("1")]; }
                            label.inline.confirm { input #contact-confirmed type="checkbox" name="contact_confirmed" checked[confirmed]; " " (texts.contact_confirmed) " " small.auto-ticked hidden { (texts.contact_auto_ticked) } }
                            label { span { (texts.field_company) } input #company type="text" name="company" value=(v("company", None)) autocomplete="off" aria-invalid=[wrong("company")] autofocus[Typed::wrong(typed, "company")]; }
                            // A desk with no topics asks no clarifying question.
                            @if !desk.settings.topics.is_empty() {
                                label { span { (texts.field_topic) } (select("topic", "topic", texts.choose, &plain_choices(&desk.settings.topics), Some(v("topic", None).as_str()))) }
                            }
                            label {
                                span { (texts.field_potential_client) }
                                select name="potential_client" {
                                    option value="" selected[potential.is_empty()] { (texts.potential_auto) }
                                    option value="on" selected[potential == "on"] { (texts.yes) }
                                    option value="off" selected[potential == "off"] { (texts.no) }
                                }
                            }
                            (kind_choice(ctx, kind.as_deref().and_then(CallKind::parse)))
                        }
                        p #caller-promised .returning-callback hidden {}
                        p #caller-history .caller-history hidden {}
                        div.actions { button.primary type="submit" { (texts.start_call) } }
                    }
                }
                (script(ctx, desk, &call))
            }
        },
    )
}

/// Every answer as (slug, title), by title: the choices of the plain forms' selects.
fn answers_by_title(knowledge: &Knowledge) -> Vec<(&str, &str)> {
    let mut answers: Vec<(&str, &str)> = knowledge
        .answers()
        .iter()
        .map(|a| (a.slug.as_str(), a.title.as_str()))
        .collect();
    answers.sort_by(|a, b| a.1.cmp(b.1));
    answers
}

fn question_list(
    ctx: &Ctx,
    knowledge: &Knowledge,
    answers: &[(&str, &str)],
    record: &CallRecord,
) -> Markup {
    let texts = ctx.texts;
    html! {
        section.asked {
            h2 { (texts.questions_title) }
            p #no-questions .empty hidden[!record.questions.is_empty()] { (texts.no_questions) }
            ol #logged .logged {
                @for q in &record.questions {
                    li data-id=(q.id) data-text=(q.text) {
                        // First, floated right: it keeps to the entry's first line however
                        // long the question.
                        button.q-delete.jsonly type="button" title=(texts.delete_question) { "×" }
                        span.q-time { (ctx.clock.time_text(q.asked_at)) }
                        span.q-text { (q.text) }
                        span.q-answer {
                            @match q.answer.as_deref().and_then(|s| knowledge.get(s).map(|a| (s, a))) {
                                Some((slug, answer)) => a href=(paths::answer_page(slug)) data-slug=(slug) { (answer.title) },
                                None => @match &q.answer {
                                    Some(slug) => span.stale { (slug) },
                                    None => span.none { (texts.no_answer) },
                                },
                            }
                        }
                        form.delete.nojs method="post" action=(paths::with_id(paths::QUESTION_DELETE_FORM, q.id)) {
                            (csrf_field(ctx))
                            button type="submit" { (texts.delete_question) }
                        }
                        form.relink.nojs method="post" action=(paths::question_answer_form(q.id)) {
                            (csrf_field(ctx))
                            select name="answer" aria-label=(texts.link_button) {
                                option value="" { (texts.no_answer) }
                                @for (slug, title) in answers {
                                    option value=(slug) selected[q.answer.as_deref() == Some(*slug)] { (title) }
                                }
                            }
                            button type="submit" { (texts.link_button) }
                        }
                    }
                }
            }
        }
    }
}

/// A returning caller's earlier calls, newest first: when, how it ended, what they asked.
pub fn earlier_list(
    ctx: &Ctx,
    knowledge: &Knowledge,
    earlier: &[CallRecord],
    names: &[&[(String, String)]],
    callbacks: &[&crate::callbacks::Callback],
) -> Markup {
    // A manager by the name they are shown by (a disabled one's too), not their login.
    let shown = |m: &str| -> String { shown_in(ctx.texts, names, m).to_string() };
    // On the call that promised one of `callbacks`, whose it is now where it was handed over.
    let handed = |r: &CallRecord| callbacks.iter().find_map(|c| c.owner_since(&r.call));
    let texts = ctx.texts;
    html! {
        @if !earlier.is_empty() {
            section.earlier {
                h2 { (texts.earlier_calls) }
                ul {
                    @for r in earlier {
                        li {
                            a href=(paths::call_page(r.call.id)) { (ctx.moment(r.call.started_at)) }
                            " · " (texts.kind(r.call.kind))
                            @if let Some(m) = &r.call.manager {
                                " · " (texts.field_manager) ": " (shown(m))
                                @if let Some(now) = handed(r) { " → " (shown(now)) }
                            }
                            @if let Some(o) = r.call.outcome { " · " strong { (texts.outcome(o)) } }
                            @if r.call.callback_done_at.is_some() { " · ✓ " (texts.field_callback_done) }
                            @if !r.questions.is_empty() {
                                ul.earlier-questions {
                                    @for q in &r.questions {
                                        li { (texts.quoted(&q.text))
                                            @if let Some(answer) = q.answer.as_deref().and_then(|s| knowledge.get(s)) { " → " (answer.title) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The desk screen of one call.
pub fn desk(
    ctx: &Ctx,
    desk: &Desk,
    knowledge: &Knowledge,
    screen: &DeskScreen,
    card_shown: Card<'_>,
) -> Markup {
    let texts = ctx.texts;
    let typed = card_shown.typed();
    let (record, earlier, typical) = (&screen.record, &screen.earlier, &screen.buttons);
    let proposed = Proposed {
        name: screen.name_proposed,
        company: screen.company_proposed,
    };
    let call = &record.call;
    // The script says the manager's name, not their login, and the number in groups.
    let mut said = call.clone();
    said.phone = call.phone.as_deref().map(crate::calls::phone::spoken);
    if let Some(m) = &call.manager {
        if let Some((_, name)) = screen.managers.iter().find(|(v, _)| v == m) {
            said.manager = Some(name.clone());
        }
    }
    let title = format!("{}{}", texts.call_number, call.id);
    let answers = answers_by_title(knowledge);
    // The last question, when it has no answer yet, is the one a chosen result links to.
    let open_question = record.questions.last().filter(|q| q.answer.is_none());
    layout(
        ctx,
        &title,
        html! {
            div.desk #desk data-call=(call.id) data-kind=(call.kind.as_str())
                data-log=(paths::api_call_questions(call.id)) data-link=(paths::API_QUESTIONS_PREFIX)
                data-search=(paths::API_SEARCH) data-answer=(paths::API_ANSWERS_PREFIX)
                data-last-id=[open_question.map(|q| q.id)] data-last-text=[open_question.map(|q| q.text.as_str())]
                data-no-answer=(texts.no_answer) data-hint=(texts.question_hint) data-nothing-fits=(texts.desk_nothing_fits)
                data-logged-hint=(texts.logged_hint) data-linked=(texts.linked_status)
                data-unlinked=(texts.unlinked_status) data-saving=(texts.saving)
                data-failed=(texts.save_failed) data-retry=(texts.retry)
                data-link-this=(texts.link_this) data-close=(texts.close_answer)
                data-refused=(texts.save_refused) data-answer-gone=(texts.answer_gone) data-delete-question=(texts.delete_question)
                data-standing-hint=(texts.standing_hint) data-already-logged=(texts.already_logged) data-reworded=(texts.reworded_hint)
                data-delete-confirm=(texts.delete_confirm) data-deleted=(texts.question_deleted)
                data-zone=(ctx.clock.zone().name()) {
                section.call-side {
                    h1 {
                        (title) " "
                        span.badge.kind { (texts.kind(call.kind)) }
                        @if screen.follow_up.is_some() {
                            " " span.badge.follow-up { (texts.follow_up_badge) }
                        } @else if record.returning() {
                            " " span.badge.returning { (texts.returning_badge) }
                        }
                        @if call.ended_at.is_some() { " " span.badge { (texts.ended) } }
                        @if screen.unanswered { " " span.badge.missed { (texts.call_missed) } }
                    }
                    p.meta {
                        (ctx.moment(call.started_at))
                        @if let Some(who) = caller_line(call) { " · " strong { (who) } }
                        @if let Some(op) = &call.operator {
                            // Who made a follow-up call is the callback's manager, not the desk's operator.
                            @let who = if screen.follow_up.is_some() { texts.field_manager } else { texts.field_operator };
                            " · " (who) ": " (shown_in(texts, &[&screen.people], op))
                        }
                    }
                    @if let Some(cb) = &screen.callback { (card::promised(ctx, call.id, cb, &screen.managers)) }
                    (question_list(ctx, knowledge, &answers, record))
                    @let callbacks: Vec<&crate::callbacks::Callback> = screen.callback.iter().chain(&screen.follow_up).collect();
                    (earlier_list(ctx, knowledge, earlier, &[&screen.managers, &screen.people], &callbacks))
                    @if let Some(made) = &screen.follow_up {
                        p.follow-up {
                            (texts.follow_up_note) " "
                            @if ctx.may_open_callback(made.owner.as_deref()) {
                                a href=(paths::with_id(paths::CALLBACK_PAGE, made.id)) { (Texts::fill(texts.callback_title, &[&made.id])) }
                            } @else {
                                (Texts::fill(texts.callback_title, &[&made.id]))
                            }
                        }
                    } @else {
                        (script(ctx, desk, &said))
                    }
                    (card::card(ctx, screen, &proposed, card_shown, &desk.settings.topics))
                }
                section.ask #questions {
                    form #question-form method="post" action=(paths::call_questions_form(call.id)) {
                        (csrf_field(ctx))
                        label for="question" { (texts.question_label) }
                        div.ask-row {
                            input #question type="search" name="text" placeholder=(texts.question_placeholder)
                                autofocus[typed.is_none()] autocomplete="off" spellcheck="false" maxlength=(crate::calls::MAX_QUESTION_CHARS);
                            select.nojs name="answer" aria-label=(texts.link_button) {
                                option value="" { (texts.no_answer) }
                                @for (slug, title) in &answers { option value=(slug) { (title) } }
                            }
                            button.nojs type="submit" { (texts.log_button) }
                        }
                    }
                    p.status #desk-status role="status" aria-live="polite" { (texts.question_hint) }
                    // Folded to its heading while a question is typed or an answer is open
                    // (desk.js), so that the results or the answer start under the box; one
                    // click unfolds it.
                    @if !typical.is_empty() {
                        details.typical open {
                            summary { h2 { (texts.typical_title) } }
                            div.buttons {
                                @for (slug, title) in typical {
                                    form method="post" action=(paths::call_questions_form(call.id)) {
                                        (csrf_field(ctx))
                                        input type="hidden" name="text" value=(title);
                                        @if let Some(slug) = slug { input type="hidden" name="answer" value=(slug); }
                                        button.typical-question.group[slug.is_none()] type="submit" data-slug=(slug.as_deref().unwrap_or("")) data-title=(title) { (super::clipped(title, CHIP_CHARS)) }
                                    }
                                }
                            }
                        }
                    }
                    ol #results .results role="listbox" aria-label=(texts.search_label) {}
                    div #answer-panel .answer-panel hidden {}
                }
            }
        },
    )
}
