//! Call pages: the list of the day's calls, the new-call card, and the desk screen where the
//! operator follows the script, fills the card and logs caller questions beside the search.

use super::{csrf_field, layout, Ctx};
use crate::calls::{Call, CallKind, CallRecord, Outcome};
use crate::desk::Desk;
use crate::i18n::Texts;
use crate::knowledge::Knowledge;
use crate::paths;
use chrono::NaiveDate;
use maud::{html, Markup};

fn caller_line(call: &Call) -> String {
    [
        call.name.as_deref(),
        call.company.as_deref(),
        call.phone.as_deref(),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" · ")
}

/// A select of choices with an empty first option; the current value is kept even when it is
/// not in the list (lists change, records stay).
fn select(
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

/// The day's calls, callbacks due first.
pub fn list(
    ctx: &Ctx,
    date: NaiveDate,
    outcome: Option<Outcome>,
    operator: Option<&str>,
    rows: &[(Call, usize)],
) -> Markup {
    let texts = ctx.texts;
    let outcomes: Vec<(String, String)> = Outcome::ALL
        .iter()
        .map(|o| (o.as_str().to_string(), texts.outcome(*o).to_string()))
        .collect();
    layout(
        ctx,
        texts.calls_title,
        html! {
            h1 { (texts.calls_title) }
            form.filters method="get" action=(paths::CALLS_PAGE) {
                label { (texts.date) " " input type="date" name="date" value=(date.to_string()); }
                label { (texts.field_outcome) " " (select("outcome", "outcome", texts.filter_all, &outcomes, outcome.map(|o| o.as_str()))) }
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
                                td { a href=(paths::call_page(call.id)) { (caller_line(call)) } }
                                td { (texts.kind(call.kind)) }
                                td { @if let Some(o) = call.outcome { (texts.outcome(o)) } }
                                td { (call.manager.as_deref().unwrap_or("")) }
                                td { @if let Some(due) = &call.callback_due { (ctx.clock.date_time_text(*due)) } }
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

fn script(texts: &Texts, desk: &Desk, call: &Call) -> Markup {
    html! {
        section.script aria-label=(texts.script_title) {
            h2 { (texts.script_title) }
            ol.phrases {
                @for phrase in &desk.script {
                    li data-key=(phrase.key) {
                        span.phrase-label { (texts.phrase_label(&phrase.key)) }
                        span.phrase { (desk.phrase(&phrase.key, call, texts.blank).unwrap_or_default()) }
                    }
                }
            }
        }
    }
}

/// The call card's fields. On a call not yet recorded (`new`), kind and potential client are
/// left to the store unless the operator chooses: a returning caller becomes secondary.
fn card_fields(ctx: &Ctx, desk: &Desk, call: &Call, new: bool) -> Markup {
    let texts = ctx.texts;
    let outcomes: Vec<(String, String)> = Outcome::ALL
        .iter()
        .map(|o| (o.as_str().to_string(), texts.outcome(*o).to_string()))
        .collect();
    html! {
        @if !new { input type="hidden" name="card" value="1"; }
        div.fields {
            label { span { (texts.field_name) } input type="text" name="name" value=(call.name.as_deref().unwrap_or("")) autocomplete="off"; }
            label { span { (texts.field_phone) } input type="tel" name="phone" value=(call.phone.as_deref().unwrap_or("")) autocomplete="off"; }
            label { span { (texts.field_company) } input type="text" name="company" value=(call.company.as_deref().unwrap_or("")) autocomplete="off"; }
            label { span { (texts.field_topic) } (select("topic", "topic", texts.choose, &plain_choices(&desk.settings.topics), call.topic.as_deref())) }
            fieldset.kind {
                legend { (texts.field_kind) }
                @if new {
                    label.inline { input type="radio" name="kind" value="" checked; " " (texts.kind_auto) }
                }
                @for kind in [CallKind::Primary, CallKind::Secondary] {
                    label.inline { input type="radio" name="kind" value=(kind.as_str()) checked[!new && call.kind == kind]; " " (texts.kind(kind)) }
                }
                @if new {
                    label.inline {
                        (texts.field_potential_client) " "
                        select name="potential_client" {
                            option value="" selected { (texts.kind_auto) }
                            option value="on" { (texts.yes) }
                            option value="off" { (texts.no) }
                        }
                    }
                } @else {
                    label.inline { input type="checkbox" name="potential_client" checked[call.potential_client]; " " (texts.field_potential_client) }
                }
            }
            label { span { (texts.field_manager) } (select("manager", "manager", texts.choose, &plain_choices(&desk.settings.managers), call.manager.as_deref())) }
            label { span { (texts.field_outcome) } (select("outcome", "outcome", texts.choose, &outcomes, call.outcome.map(|o| o.as_str()))) }
            label { span { (texts.field_callback_due) } input type="datetime-local" name="callback_due" value=(call.callback_due.map(|t| ctx.clock.input_text(t)).unwrap_or_default()); }
            label { span { (texts.field_operator) } input type="text" name="operator" value=(call.operator.as_deref().unwrap_or("")); }
            label.wide { span { (texts.field_notes) } textarea name="notes" rows="3" { (call.notes.as_deref().unwrap_or("")) } }
        }
    }
}

/// The card for a call not yet recorded: the greeting and the fields, one button to start.
pub fn new_call(ctx: &Ctx, desk: &Desk, phone: &str) -> Markup {
    let texts = ctx.texts;
    let call = Call {
        id: 0,
        started_at: ctx.clock.now(),
        ended_at: None,
        operator: None,
        kind: CallKind::Primary,
        potential_client: true,
        name: None,
        phone: Some(phone.to_string()).filter(|p| !p.is_empty()),
        company: None,
        topic: None,
        outcome: None,
        manager: None,
        callback_due: None,
        notes: None,
    };
    layout(
        ctx,
        texts.new_call_title,
        html! {
            h1 { (texts.new_call_title) }
            (script(texts, desk, &call))
            form.card method="post" action=(paths::CALLS_PAGE) {
                (csrf_field(ctx))
                (card_fields(ctx, desk, &call, true))
                div.actions { button.primary type="submit" autofocus { (texts.start_call) } }
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
        h2 { (texts.questions_title) }
        p #no-questions .empty hidden[!record.questions.is_empty()] { (texts.no_questions) }
        ol #logged .logged {
            @for q in &record.questions {
                li data-id=(q.id) {
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
                    form.relink method="post" action=(paths::question_answer_form(q.id)) {
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

fn earlier_list(ctx: &Ctx, knowledge: &Knowledge, earlier: &[CallRecord]) -> Markup {
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
                            @if let Some(o) = r.call.outcome { " · " (texts.outcome(o)) }
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

/// The desk screen of one call.
pub fn desk(
    ctx: &Ctx,
    desk: &Desk,
    knowledge: &Knowledge,
    record: &CallRecord,
    earlier: &[CallRecord],
    frequent: &[(String, String)],
) -> Markup {
    let texts = ctx.texts;
    let call = &record.call;
    let title = format!("{}{}", texts.call_number, call.id);
    let answers = answers_by_title(knowledge);
    layout(
        ctx,
        &title,
        html! {
            div.desk #desk data-call=(call.id) data-kind=(call.kind.as_str())
                data-log=(paths::api_call_questions(call.id)) data-link=(paths::API_QUESTIONS_PREFIX)
                data-search=(paths::API_SEARCH) data-no-answer=(texts.no_answer) data-link-hint=(texts.link_mode_hint) {
                section.call-card {
                    h1 {
                        (title) " "
                        span.badge.kind { (texts.kind(call.kind)) }
                        @if record.returning() { " " span.badge.returning { (texts.returning_badge) } }
                        @if call.ended_at.is_some() { " " span.badge { (texts.ended) } }
                    }
                    p.meta { (ctx.clock.date_time_text(call.started_at)) }
                    (script(texts, desk, call))
                    form.card method="post" action=(paths::call_page(call.id)) {
                    (csrf_field(ctx))
                        (card_fields(ctx, desk, call, false))
                        div.actions {
                            button type="submit" name="action" value="save" { (texts.save) }
                            button type="submit" name="action" value="end" { (texts.end_call) }
                        }
                    }
                    (earlier_list(ctx, knowledge, earlier))
                }
                section.ask #questions {
                    form #question-form method="post" action=(paths::call_questions_form(call.id)) {
                    (csrf_field(ctx))
                        label for="question" { (texts.question_label) }
                        div.ask-row {
                            input #question type="search" name="text" placeholder=(texts.question_placeholder)
                                autofocus autocomplete="off" spellcheck="false";
                            select.nojs name="answer" aria-label=(texts.link_button) {
                                option value="" { (texts.no_answer) }
                                @for (slug, title) in &answers { option value=(slug) { (title) } }
                            }
                            button.nojs type="submit" { (texts.log_button) }
                        }
                    }
                    p.hint #desk-hint { (texts.question_hint) }
                    ol #results .results.numbered role="listbox" {}
                    @if !frequent.is_empty() {
                        section.typical {
                            h2 { (texts.typical_title) }
                            div.buttons {
                                @for (slug, title) in frequent {
                                    form method="post" action=(paths::call_questions_form(call.id)) {
                                    (csrf_field(ctx))
                                        input type="hidden" name="text" value=(title);
                                        input type="hidden" name="answer" value=(slug);
                                        button.typical-question type="submit" data-slug=(slug) data-title=(title) { (title) }
                                    }
                                }
                            }
                        }
                    }
                    div #answer-panel .answer-panel { p.empty { (texts.answer_panel_hint) } }
                    (question_list(ctx, knowledge, &answers, record))
                }
            }
        },
    )
}
