//! Call pages: the list of the day's calls, the new-call card, and the desk screen where the
//! operator logs what the caller asks, reads the answer aloud, and fills the call's record.
//!
//! The desk screen has two columns that scroll on their own: on the right the question box
//! with the results (or the answer to read, in their place, under the box where the eyes are);
//! on the left the call: who calls, the questions logged so far, the script, the card, earlier
//! calls. `templates/js/desk.js` makes it keyboard-driven; without it every action is a form.

use super::{csrf_field, layout, Ctx};
use crate::actions::calls::DeskScreen;
use crate::callbacks::hours::Preset;
use crate::callbacks::Callback;
use crate::calls::{Call, CallKind, CallRecord, Outcome};
use crate::desk::Desk;
use crate::fields::FieldError;
use crate::i18n::Texts;
use crate::knowledge::Knowledge;
use crate::paths;
use chrono::NaiveDate;
use maud::{html, Markup};
use std::collections::HashMap;

/// The caller's name, company and phone, each isolated (`<bdi>`) so that text written right
/// to left cannot reorder what follows it.
fn caller_line(call: &Call) -> Option<Markup> {
    let parts: Vec<&str> = [
        call.name.as_deref(),
        call.company.as_deref(),
        call.phone.as_deref(),
    ]
    .into_iter()
    .flatten()
    .collect();
    (!parts.is_empty()).then(|| {
        html! {
            @for (i, part) in parts.iter().enumerate() {
                @if i > 0 { " · " }
                bdi { (part) }
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

fn plain_choices(items: &[String]) -> Vec<(String, String)> {
    items.iter().map(|m| (m.clone(), m.clone())).collect()
}

/// A card as it was submitted and refused: shown again with what was typed, and why.
#[derive(Debug, Clone)]
pub struct Typed {
    /// The submitted fields.
    pub form: HashMap<String, String>,
    /// What was wrong.
    pub error: FieldError,
}

impl Typed {
    fn value<'a>(typed: Option<&'a Typed>, name: &str, saved: Option<&'a str>) -> &'a str {
        match typed {
            Some(t) => t.form.get(name).map_or("", String::as_str),
            None => saved.unwrap_or(""),
        }
    }

    fn checked(typed: Option<&Typed>, name: &str, saved: bool) -> bool {
        typed.map_or(saved, |t| t.form.contains_key(name))
    }

    fn wrong(typed: Option<&Typed>, name: &str) -> bool {
        typed.is_some_and(|t| t.error.field == name)
    }
}

/// A field's label, for saying what was wrong with it.
fn field_label(texts: &Texts, field: &str) -> &'static str {
    match field {
        "name" => texts.field_name,
        "phone" => texts.field_phone,
        "company" => texts.field_company,
        "topic" => texts.field_topic,
        "notes" => texts.field_notes,
        "manager" => texts.field_manager,
        "callback_due" => texts.field_callback_due,
        "question" => texts.field_question,
        "outcome" => texts.field_outcome,
        _ => "",
    }
}

/// What was refused, above the card.
fn refused(ctx: &Ctx, typed: Option<&Typed>) -> Markup {
    let texts = ctx.texts;
    html! {
        @if let Some(t) = typed {
            @let label = field_label(texts, &t.error.field);
            p.error #card-error role="alert" {
                (texts.card_not_saved) " "
                @if !label.is_empty() { "«" (label) "»: " (texts.field_problem(&t.error.problem)) }
                @else { (texts.field_error(&t.error)) }
            }
        }
    }
}

/// The caller's open callback: when it was promised for and whether it is late; the operator
/// closes it here when the caller was helped on this call.
fn promised(ctx: &Ctx, call_id: i64, callback: &Callback, managers: &[(String, String)]) -> Markup {
    let texts = ctx.texts;
    let now = ctx.clock.now();
    let local = ctx.clock.local(callback.due);
    let owner = callback.owner.as_deref().map(|o| {
        managers
            .iter()
            .find(|(v, _)| v == o)
            .map_or(o, |(_, name)| name.as_str())
    });
    let earlier = callback.call_ids.first() != Some(&call_id);
    html! {
        div.returning-callback #promised role="status" {
            strong { (Texts::fill(texts.callback_promised, &[&local.format("%d.%m"), &local.format("%H:%M")])) }
            " " @if callback.overdue(now) { strong.overdue { (texts.callback_promised_overdue) } } @else { (texts.callback_promised_waiting) }
            " · " (texts.field_manager) ": " (owner.unwrap_or(texts.callbacks_unassigned))
            @if earlier {
                form.inline method="post" action=(paths::with_id(paths::CALL_CALLBACK_CLOSE_FORM, call_id)) {
                    (csrf_field(ctx))
                    " " button type="submit" accesskey="p" { (texts.talked_now) }
                }
            }
        }
    }
}

/// The due time of a callback: presets (their times on hover) or a time typed as the desk says
/// it; a saved time shows as typed, so that saving the card again keeps it.
fn due_choice(
    ctx: &Ctx,
    presets: &[(Preset, chrono::DateTime<chrono::Utc>)],
    saved: Option<chrono::DateTime<chrono::Utc>>,
    typed: Option<&Typed>,
) -> Markup {
    let texts = ctx.texts;
    let saved_text = saved.map(|t| ctx.clock.local(t).format("%d.%m.%Y %H:%M").to_string());
    let chosen = match typed {
        Some(t) => t.form.get("callback_when").cloned().unwrap_or_default(),
        None if saved.is_some() => "exact".to_string(),
        None => Preset::InAnHour.as_str().to_string(),
    };
    let typed_text = Typed::value(typed, "callback_due", saved_text.as_deref());
    html! {
        fieldset.due-choice data-when="outcome:callback" {
            legend { (texts.field_callback_due) }
            @for (preset, at) in presets {
                @let label = match preset { Preset::InAnHour => texts.preset_hour, Preset::EndOfDay => texts.preset_end_of_day, Preset::TomorrowMorning => texts.preset_morning };
                label.inline title=(ctx.clock.date_time_text(*at)) {
                    input type="radio" name="callback_when" value=(preset.as_str()) checked[chosen == preset.as_str()];
                    " " (label)
                }
            }
            label.inline {
                input type="radio" name="callback_when" value="exact" checked[chosen == "exact"];
                " " (texts.preset_exact) " "
                input #callback-due type="text" name="callback_due" value=(typed_text) placeholder="04.12 10:00" autocomplete="off" size="16"
                    aria-label=(texts.custom_time) aria-invalid=[Typed::wrong(typed, "callback_due").then_some("true")];
            }
        }
    }
}

fn outcome_choices(ctx: &Ctx) -> Vec<(String, String)> {
    Outcome::ALL
        .iter()
        .map(|o| (o.as_str().to_string(), ctx.texts.outcome(*o).to_string()))
        .collect()
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
}

/// The day's calls, callbacks due first; managers by the names they are shown by.
pub fn list(
    ctx: &Ctx,
    filter: ListFilter<'_>,
    rows: &[(Call, usize)],
    managers: &[(String, String)],
) -> Markup {
    let ListFilter {
        date,
        outcome,
        operator,
    } = filter;
    let texts = ctx.texts;
    let manager = |m: &str| -> String {
        managers
            .iter()
            .find(|(v, _)| v == m)
            .map_or(m, |(_, name)| name.as_str())
            .to_string()
    };
    layout(
        ctx,
        texts.calls_title,
        html! {
            h1 { (texts.calls_title) }
            form.filters method="get" action=(paths::CALLS_PAGE) {
                label { (texts.date) " " input type="date" name="date" value=(date.to_string()); }
                label { (texts.field_outcome) " " (select("outcome", "outcome", texts.filter_all, &outcome_choices(ctx), outcome.map(|o| o.as_str()))) }
                label { (texts.field_operator) " " input type="text" name="operator" value=(operator.unwrap_or("")); }
                button type="submit" { (texts.filter_button) }
            }
            @if rows.is_empty() {
                p.empty { (texts.calls_empty) }
            } @else {
                table.calls {
                    thead { tr {
                        th { (texts.col_time) } th { (texts.col_caller) } th { (texts.col_kind) }
                        th { (texts.field_outcome) } th { (texts.field_manager) } th { (texts.field_callback_due) }
                        th { (texts.col_questions) } th { (texts.field_operator) }
                    } }
                    tbody {
                        @for (call, questions) in rows {
                            tr.callback[call.outcome == Some(Outcome::Callback)] {
                                td { a href=(paths::call_page(call.id)) { (ctx.clock.time_text(call.started_at)) } }
                                td { a href=(paths::call_page(call.id)) { @if let Some(who) = caller_line(call) { (who) } } }
                                td { (texts.kind(call.kind)) }
                                td { @if let Some(o) = call.outcome { (texts.outcome(o)) } }
                                td { (call.manager.as_deref().map(manager).unwrap_or_default()) }
                                td {
                                    @if let Some(due) = &call.callback_due { (ctx.clock.date_time_text(*due)) }
                                    @if call.callback_done_at.is_some() { " ✓ " (texts.field_callback_done) }
                                }
                                td.num { (questions) }
                                td { (call.operator.as_deref().unwrap_or("")) }
                            }
                        }
                    }
                }
            }
        },
    )
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
    // Read back by default when the operator types the number; not when the exchange sent it.
    let confirmed = Typed::checked(typed, "contact_confirmed", !start.from_exchange);
    let potential = v("potential_client", None);
    let kind = typed.map(|t| t.form.get("kind").cloned().unwrap_or_default());
    layout(
        ctx,
        texts.new_call_title,
        html! {
            div.new-call {
                section {
                    h1 { (texts.new_call_title) }
                    form.card #new-call method="post" action=(paths::CALLS_PAGE) data-caller=(paths::API_CALLER)
                        data-proposed=(texts.proposed_from_earlier) data-returning=(texts.returning_calls)
                        data-outcomes=(outcome_labels(ctx)) data-zone=(ctx.clock.zone().name())
                        data-due=(texts.field_callback_due) data-promised=(texts.callback_promised)
                        data-overdue=(texts.callback_promised_overdue) data-waiting=(texts.callback_promised_waiting) {
                        (csrf_field(ctx))
                        @if let Some(reference) = start.exchange {
                            input type="hidden" name="exchange" value=(reference);
                        }
                        (refused(ctx, typed))
                        div.fields {
                            @let proposed = start.name.filter(|_| typed.is_none());
                            label.wide { span { (texts.field_name) } input #name .proposed[proposed.is_some()] type="text" name="name" value=(v("name", start.name)) autofocus[typed.is_none() || Typed::wrong(typed, "name")] autocomplete="off" aria-invalid=[wrong("name")] data-proposed=[proposed] title=[proposed.map(|_| texts.proposed_from_earlier)]; }
                            label.wide { span { (texts.field_question) } input #first-question type="text" name="question" value=(v("question", None)) autocomplete="off" placeholder=(texts.question_placeholder_card) aria-invalid=[wrong("question")] autofocus[Typed::wrong(typed, "question")]; }
                            label { span { (texts.field_phone) } input #phone type="tel" name="phone" value=(phone) autocomplete="off" aria-invalid=[wrong("phone")] autofocus[Typed::wrong(typed, "phone")] data-from-exchange=[start.from_exchange.then_some("1")]; }
                            label.inline.confirm { input #contact-confirmed type="checkbox" name="contact_confirmed" checked[confirmed]; " " (texts.contact_confirmed) }
                            label { span { (texts.field_company) } input #company type="text" name="company" value=(v("company", None)) autocomplete="off" aria-invalid=[wrong("company")] autofocus[Typed::wrong(typed, "company")]; }
                            label { span { (texts.field_topic) } (select("topic", "topic", texts.choose, &plain_choices(&desk.settings.topics), Some(v("topic", None).as_str()))) }
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
                        button.q-delete.jsonly type="button" title=(texts.delete_question) { "×" }
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
pub fn earlier_list(ctx: &Ctx, knowledge: &Knowledge, earlier: &[CallRecord]) -> Markup {
    let texts = ctx.texts;
    html! {
        @if !earlier.is_empty() {
            section.earlier {
                h2 { (texts.earlier_calls) }
                ul {
                    @for r in earlier {
                        li {
                            a href=(paths::call_page(r.call.id)) { (ctx.clock.date_time_text(r.call.started_at)) }
                            " · " (texts.kind(r.call.kind))
                            @if let Some(m) = &r.call.manager { " · " (texts.field_manager) ": " (m) }
                            @if let Some(o) = r.call.outcome { " · " strong { (texts.outcome(o)) } }
                            @if !r.questions.is_empty() {
                                ul.earlier-questions {
                                    @for q in &r.questions {
                                        li { "«" (q.text) "»"
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

/// The card of a recorded call: who calls, then what belongs to the end of the call. A card
/// refused (`typed`) shows what was typed, and why, with the cursor in the field at fault.
fn card(
    ctx: &Ctx,
    screen: &DeskScreen,
    proposed: &Proposed,
    typed: Option<&Typed>,
    topics: &[String],
) -> Markup {
    let texts = ctx.texts;
    let call = &screen.record.call;
    let note = |yes: bool| {
        html! { @if yes { small.proposed { (texts.proposed_from_earlier) } } }
    };
    let v = |name: &str, saved: Option<&str>| Typed::value(typed, name, saved).to_string();
    let wrong = |name: &str| Typed::wrong(typed, name).then_some("true");
    let focus = |name: &str| Typed::wrong(typed, name);
    let outcome = v("outcome", call.outcome.map(|o| o.as_str()));
    html! {
        form.card #card method="post" action=(paths::call_page(call.id)) {
            (csrf_field(ctx))
            input type="hidden" name="card" value="1";
            (refused(ctx, typed))
            div.fields {
                label { span { (texts.field_name) " " (note(proposed.name)) } input type="text" name="name" value=(v("name", call.name.as_deref())) autocomplete="off" aria-invalid=[wrong("name")] autofocus[focus("name")]; }
                label { span { (texts.field_phone) } input #card-phone type="tel" name="phone" value=(v("phone", call.phone.as_deref())) autocomplete="off" aria-invalid=[wrong("phone")] autofocus[focus("phone")]; }
                label.inline.confirm { input #contact-confirmed type="checkbox" name="contact_confirmed" checked[Typed::checked(typed, "contact_confirmed", call.contact_confirmed)]; " " (texts.contact_confirmed) }
                label { span { (texts.field_company) " " (note(proposed.company)) } input type="text" name="company" value=(v("company", call.company.as_deref())) autocomplete="off" aria-invalid=[wrong("company")] autofocus[focus("company")]; }
                label { span { (texts.field_topic) } (select("topic", "topic", texts.choose, &plain_choices(topics), Some(v("topic", call.topic.as_deref()).as_str()))) }
                fieldset.kind {
                    legend { (texts.field_kind) }
                    @let kind = v("kind", Some(call.kind.as_str()));
                    @for k in [CallKind::Primary, CallKind::Secondary] {
                        label.inline { input type="radio" name="kind" value=(k.as_str()) checked[kind == k.as_str()]; " " (texts.kind(k)) }
                    }
                    label.inline { input type="checkbox" name="potential_client" checked[Typed::checked(typed, "potential_client", call.potential_client)]; " " (texts.field_potential_client) }
                }
            }
            fieldset.ending {
                legend { (texts.ending_title) }
                div.fields {
                    label { span { (texts.field_outcome) } (select("outcome", "outcome", texts.choose, &outcome_choices(ctx), Some(outcome.as_str()))) }
                    label data-when="outcome:transferred callback" { span { (texts.field_manager) } (select("manager", "manager", texts.choose, &screen.managers, Some(v("manager", call.manager.as_deref()).as_str()))) }
                    (due_choice(ctx, &screen.presets, call.callback_due, typed))
                    label.wide { span { (texts.field_notes) } textarea name="notes" rows="2" aria-invalid=[wrong("notes")] autofocus[focus("notes")] { (v("notes", call.notes.as_deref())) } }
                }
            }
            div.actions {
                button type="submit" name="action" value="save" { (texts.save) }
                button type="submit" name="action" value="end" { (texts.end_call) }
            }
        }
    }
}

/// Which values of a card came from earlier calls rather than the operator.
#[derive(Debug, Clone, Copy, Default)]
pub struct Proposed {
    /// The name.
    pub name: bool,
    /// The company.
    pub company: bool,
}

/// The desk screen of one call.
pub fn desk(
    ctx: &Ctx,
    desk: &Desk,
    knowledge: &Knowledge,
    screen: &DeskScreen,
    typed: Option<&Typed>,
) -> Markup {
    let texts = ctx.texts;
    let (record, earlier, typical) = (&screen.record, &screen.earlier, &screen.buttons);
    let proposed = Proposed {
        name: screen.name_proposed,
        company: screen.company_proposed,
    };
    let call = &record.call;
    // The script says the manager's name, not their login.
    let mut said = call.clone();
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
                data-no-answer=(texts.no_answer) data-hint=(texts.question_hint) data-nothing-fits=(texts.nothing_fits)
                data-logged-hint=(texts.logged_hint) data-linked=(texts.linked_status)
                data-unlinked=(texts.unlinked_status) data-saving=(texts.saving)
                data-failed=(texts.save_failed) data-retry=(texts.retry)
                data-link-this=(texts.link_this) data-close=(texts.close_answer)
                data-refused=(texts.save_refused) data-delete-question=(texts.delete_question)
                data-standing-hint=(texts.standing_hint) data-already-logged=(texts.already_logged)
                data-delete-confirm=(texts.delete_confirm) data-zone=(ctx.clock.zone().name()) {
                section.call-side {
                    h1 {
                        (title) " "
                        span.badge.kind { (texts.kind(call.kind)) }
                        @if record.returning() { " " span.badge.returning { (texts.returning_badge) } }
                        @if call.ended_at.is_some() { " " span.badge { (texts.ended) } }
                    }
                    p.meta {
                        (ctx.clock.date_time_text(call.started_at))
                        @if let Some(who) = caller_line(call) { " · " strong { (who) } }
                        @if let Some(op) = &call.operator { " · " (texts.field_operator) ": " (op) }
                    }
                    @if let Some(cb) = &screen.callback { (promised(ctx, call.id, cb, &screen.managers)) }
                    (question_list(ctx, knowledge, &answers, record))
                    (earlier_list(ctx, knowledge, earlier))
                    (script(ctx, desk, &said))
                    (card(ctx, screen, &proposed, typed, &desk.settings.topics))
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
                    // Folded to its heading while an answer is open (desk.js), so that the
                    // answer to read starts under the box; one click unfolds it.
                    @if !typical.is_empty() {
                        details.typical open {
                            summary { h2 { (texts.typical_title) } }
                            div.buttons {
                                @for (slug, title) in typical {
                                    form method="post" action=(paths::call_questions_form(call.id)) {
                                        (csrf_field(ctx))
                                        input type="hidden" name="text" value=(title);
                                        @if let Some(slug) = slug { input type="hidden" name="answer" value=(slug); }
                                        button.typical-question.group[slug.is_none()] type="submit" data-slug=(slug.as_deref().unwrap_or("")) data-title=(title) { (title) }
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
