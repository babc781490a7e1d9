//! The call's card on the desk screen: who calls, the call's ending with the callback promised
//! (manager, due time from presets or typed), and a card refused with what was typed kept, the
//! cursor in the field at fault; a card refused because a colleague saved the same fields
//! meanwhile says what is saved now, keeping its person's values and everything else as it
//! now stands. The card carries what it showed when opened (`seen`).

use super::calls::{plain_choices, select};
use super::{csrf_field, Ctx};
use crate::actions::calls::{DeskScreen, SEEN_FIELD};
use crate::callbacks::hours::Preset;
use crate::callbacks::Callback;
use crate::calls::card::Seen;
use crate::calls::{Call, CallKind, Outcome};
use crate::fields::{FieldError, FieldProblem};
use crate::i18n::Texts;
use crate::paths;
use maud::{html, Markup};
use std::collections::HashMap;

/// A card as it was submitted and refused: shown again with what was typed, and why.
#[derive(Debug, Clone)]
pub struct Typed {
    /// The submitted fields.
    pub form: HashMap<String, String>,
    /// What was wrong.
    pub error: FieldError,
    /// What else is wrong with the card as typed, said beside it so that all is mended at once
    /// ([`crate::calls::card::card_problems`]).
    pub also: Vec<FieldError>,
}

/// How the desk shows a call's card.
#[derive(Debug, Clone, Copy)]
pub enum Card<'a> {
    /// As saved.
    Shown,
    /// As saved, just now: it says so.
    Saved,
    /// The caller's open callback just closed from this call («поговорили сейчас»): it says so.
    CallbackClosed,
    /// As submitted and refused.
    Refused(&'a Typed),
}

impl Card<'_> {
    /// The refused card, if it was.
    pub fn typed(&self) -> Option<&Typed> {
        match self {
            Card::Refused(typed) => Some(typed),
            _ => None,
        }
    }
}

impl Typed {
    /// The card as typed, when field `name` is to show what was typed: every field of a card
    /// refused for its input; of one refused because a colleague saved meanwhile, only those
    /// its person changed (the rest show what is saved now).
    fn mine<'a>(typed: Option<&'a Typed>, name: &str) -> Option<&'a Typed> {
        typed.filter(|t| match &t.error.problem {
            FieldProblem::ChangedMeanwhile { mine, .. } => mine.contains(&name),
            _ => true,
        })
    }

    pub(super) fn value<'a>(
        typed: Option<&'a Typed>,
        name: &str,
        saved: Option<&'a str>,
    ) -> &'a str {
        match Typed::mine(typed, name) {
            Some(t) => t.form.get(name).map_or("", String::as_str),
            None => saved.unwrap_or(""),
        }
    }

    pub(super) fn checked(typed: Option<&Typed>, name: &str, saved: bool) -> bool {
        Typed::mine(typed, name).map_or(saved, |t| t.form.contains_key(name))
    }

    /// What the card showed when it was opened, to send with it again: a card refused for
    /// its input keeps the one it was opened with (what a colleague saved since is still
    /// theirs); one refused for a colleague's save, and a card shown afresh, the call as
    /// stored now.
    fn seen(typed: Option<&Typed>, call: &Call) -> Option<String> {
        match typed {
            Some(t) if !matches!(t.error.problem, FieldProblem::ChangedMeanwhile { .. }) => {
                t.form.get(SEEN_FIELD).cloned()
            }
            _ => Some(Seen::of(call).token()),
        }
    }

    pub(super) fn wrong(typed: Option<&Typed>, name: &str) -> bool {
        typed.is_some_and(|t| match &t.error.problem {
            FieldProblem::ChangedMeanwhile { clashes, .. } => clashes.contains(&name),
            _ => t.error.field == name,
        })
    }
}

/// A field's label, for saying what was wrong with it: the card's own (`name` is the
/// caller's), else the label pages give the field ([`Texts::field_label`]).
fn field_label(texts: &Texts, field: &str) -> &'static str {
    match field {
        "name" => texts.field_name,
        "topic" => texts.field_topic,
        "notes" => texts.field_notes,
        "outcome" => texts.field_outcome,
        "kind" => texts.field_kind,
        "contact_confirmed" => texts.contact_confirmed,
        "potential_client" => texts.field_potential_client,
        other => texts.field_label(other).unwrap_or(""),
    }
}

/// What was refused, above the card.
pub(super) fn refused(ctx: &Ctx, typed: Option<&Typed>) -> Markup {
    let texts = ctx.texts;
    html! {
        @if let Some(t) = typed.filter(|t| !matches!(t.error.problem, FieldProblem::ChangedMeanwhile { .. })) {
            @let label = field_label(texts, &t.error.field);
            p.error #card-error role="alert" data-field=(t.error.field) {
                (texts.card_not_saved) " "
                @if !label.is_empty() { (texts.labelled_problem(label, &t.error.problem)) }
                @else { (texts.field_error(&t.error)) }
                // Said here too: the others' own lines may be out of the card's view.
                @if !t.also.is_empty() {
                    @let others: Vec<String> = t.also.iter().map(|e| {
                        let label = field_label(texts, &e.field);
                        Texts::fill(texts.field_named, &[&if label.is_empty() { e.field.as_str() } else { label }])
                    }).collect();
                    br;
                    (Texts::fill(texts.card_also_wrong, &[&others.join(", ")]))
                }
            }
            // The script puts each under its field, as the first.
            @for e in &t.also {
                @let label = field_label(texts, &e.field);
                p.error.card-error-also role="alert" data-field=(e.field) {
                    @if !label.is_empty() { (texts.labelled_problem(label, &e.problem)) }
                    @else { (texts.field_error(e)) }
                }
            }
        }
    }
}

/// Above a card refused because a colleague saved some of the same fields since it was
/// opened: each such field with what is saved in it now.
fn changed_meanwhile(
    ctx: &Ctx,
    typed: Option<&Typed>,
    call: &Call,
    managers: &[(String, String)],
) -> Markup {
    let texts = ctx.texts;
    let Some(FieldProblem::ChangedMeanwhile { clashes, .. }) = typed.map(|t| &t.error.problem)
    else {
        return html! {};
    };
    let text = |value: &Option<String>| {
        value
            .as_deref()
            .filter(|v| !v.trim().is_empty())
            .map(str::to_string)
    };
    let yes_no = |yes: bool| Some(if yes { texts.yes } else { texts.no }.to_string());
    // What is saved now; `None`: nothing (the colleague emptied it).
    let now = |field: &str| match field {
        "name" => text(&call.name),
        "phone" => text(&call.phone),
        "company" => text(&call.company),
        "topic" => text(&call.topic),
        "notes" => text(&call.notes),
        "contact_confirmed" => yes_no(call.contact_confirmed),
        "potential_client" => yes_no(call.potential_client),
        "kind" => Some(texts.kind(call.kind).to_string()),
        "outcome" => call.outcome.map(|o| texts.outcome(o).to_string()),
        "manager" => call.manager.as_ref().map(|login| {
            managers
                .iter()
                .find(|(l, _)| l == login)
                .map_or(login.as_str(), |(_, name)| name.as_str())
                .to_string()
        }),
        "callback_due" => call.callback_due.map(|t| ctx.moment(t)),
        _ => None,
    };
    html! {
        div.error.changed #card-error role="alert" data-field=(clashes.first().copied().unwrap_or("")) {
            p { (texts.card_changed_meanwhile) }
            ul {
                @for field in clashes {
                    @let label = field_label(texts, field);
                    li { @match now(field) {
                        Some(value) => (Texts::fill(texts.card_now_saved, &[&label, &value])),
                        None => (Texts::fill(texts.card_now_empty, &[&label])),
                    } }
                }
            }
        }
    }
}

/// The caller's open callback: when it was promised for and whether it is late; the operator
/// closes it here when the caller was helped on this call.
pub(super) fn promised(
    ctx: &Ctx,
    call_id: i64,
    callback: &Callback,
    managers: &[(String, String)],
) -> Markup {
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
        div.returning-callback.overdue[callback.overdue(now)] #promised role="status" {
            strong { (Texts::fill(texts.callback_promised, &[&texts.day_short(local.date()), &local.format("%H:%M")])) }
            " " @if callback.overdue(now) { strong.overdue { (texts.callback_promised_overdue) } } @else { (texts.callback_promised_waiting) }
            " · " (texts.field_manager) ": " (owner.unwrap_or(texts.callbacks_unassigned))
            // Sent with the card, so that what was typed on it is saved first, not lost.
            @if earlier {
                " " button type="submit" form="card" name="action" value=(crate::actions::calls::TALKED) accesskey="p" { (texts.talked_now) }
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
    let saved_text = saved.map(|t| ctx.moment(t));
    let chosen = match Typed::mine(typed, "callback_due") {
        Some(t) => t.form.get("callback_when").cloned().unwrap_or_default(),
        None if saved.is_some() => "exact".to_string(),
        None => Preset::InAnHour.as_str().to_string(),
    };
    let typed_text = Typed::value(typed, "callback_due", saved_text.as_deref());
    html! {
        fieldset.due-choice data-when="outcome:callback" {
            legend { (texts.field_callback_due) }
            @for (preset, at) in presets {
                label.inline title=(ctx.moment(*at)) {
                    input type="radio" name="callback_when" value=(preset.as_str()) checked[chosen == preset.as_str()];
                    " " (super::callbacks::preset_label(ctx, *preset, *at))
                }
            }
            label.inline {
                input type="radio" name="callback_when" value="exact" checked[chosen == "exact"];
                " " (texts.preset_exact) " "
                input #callback-due type="text" name="callback_due" data-due-read=(paths::API_DUE) value=(typed_text) placeholder=(super::callbacks::due_example(ctx, presets, false)) autocomplete="off" size="16"
                    aria-label=(Texts::fill(texts.custom_time, &[&super::callbacks::due_example(ctx, presets, true)])) aria-invalid=[Typed::wrong(typed, "callback_due").then_some("true")];
            }
            // A time agreed outside the desk's hours (a Saturday, the evening) is kept, and said.
            @if let Some(at) = saved.filter(|t| typed.is_none() && !ctx.hours.is_open(ctx.clock.local(*t))) {
                p.hint.off-hours { (Texts::fill(texts.off_hours_note, &[&ctx.moment(at)])) }
            }
        }
    }
}

pub(super) fn outcome_choices(ctx: &Ctx) -> Vec<(String, String)> {
    Outcome::ALL
        .iter()
        .map(|o| (o.as_str().to_string(), ctx.texts.outcome(*o).to_string()))
        .collect()
}

/// The card of a recorded call: who calls, then what belongs to the end of the call. A card
/// refused (`typed`) shows what was typed, and why, with the cursor in the field at fault. A
/// caller with an open callback has its manager and (while ahead) its time offered, so that
/// «Перезвонить» again says what was promised.
pub(super) fn card(
    ctx: &Ctx,
    screen: &DeskScreen,
    proposed: &Proposed,
    shown: Card<'_>,
    topics: &[String],
) -> Markup {
    let texts = ctx.texts;
    let typed = shown.typed();
    let call = &screen.record.call;
    let open = screen.callback.as_ref();
    // The callback this call promised, open: the card shows its terms as they stand now (a
    // hand-over or a new time since), so that the card and the callback never disagree.
    let own = open.filter(|c| c.call_ids.first() == Some(&call.id));
    let manager = match own {
        Some(c) => c.owner.as_deref(),
        None => call.manager.as_deref(),
    }
    .or(open.and_then(|c| c.owner.as_deref()));
    let due = match own {
        Some(c) => Some(c.due),
        None => call.callback_due,
    }
    .or(open.map(|c| c.due).filter(|d| *d > ctx.clock.now()));
    let note = |yes: bool| {
        html! { @if yes { small.proposed { (texts.proposed_from_earlier) } } }
    };
    let v = |name: &str, saved: Option<&str>| Typed::value(typed, name, saved).to_string();
    let wrong = |name: &str| Typed::wrong(typed, name).then_some("true");
    let focus = |name: &str| Typed::wrong(typed, name);
    let outcome = v("outcome", call.outcome.map(|o| o.as_str()));
    html! {
        form.card #card data-keep="card" data-unsent[typed.is_some()] method="post" action=(paths::call_page(call.id)) {
            (csrf_field(ctx))
            input type="hidden" name="card" value="1";
            @if let Some(seen) = Typed::seen(typed, call) { input type="hidden" name=(SEEN_FIELD) value=(seen); }
            (refused(ctx, typed))
            (changed_meanwhile(ctx, typed, call, &screen.managers))
            @match shown {
                Card::Saved => p.status.saved #card-saved role="status" { (texts.card_saved) },
                Card::CallbackClosed => p.status.saved #card-saved role="status" { (texts.card_callback_closed) },
                _ => {},
            }
            div.fields {
                @let name = v("name", call.name.as_deref());
                label { span { (texts.field_name) " " (note(proposed.name)) } input type="text" name="name" value=(name) data-proposed=[proposed.name.then_some(&name)] autocomplete="off" aria-invalid=[wrong("name")] autofocus[focus("name")]; }
                label { span { (texts.field_phone) } input #card-phone type="tel" name="phone" value=(v("phone", call.phone.as_deref())) autocomplete="off" aria-invalid=[wrong("phone")] autofocus[focus("phone")]; }
                label.inline.confirm { input #contact-confirmed type="checkbox" name="contact_confirmed" checked[Typed::checked(typed, "contact_confirmed", call.contact_confirmed)]; " " (texts.contact_confirmed) " " small.auto-ticked hidden { (texts.contact_auto_ticked) } }
                @let company = v("company", call.company.as_deref());
                label { span { (texts.field_company) " " (note(proposed.company)) } input type="text" name="company" value=(company) data-proposed=[proposed.company.then_some(&company)] autocomplete="off" aria-invalid=[wrong("company")] autofocus[focus("company")]; }
                // A desk with no topics asks no clarifying question (a topic given before shows).
                @if !topics.is_empty() || call.topic.is_some() {
                    label.wide { span { (texts.field_topic) } (select("topic", "topic", texts.choose, &plain_choices(topics), Some(v("topic", call.topic.as_deref()).as_str()))) }
                }
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
                    label data-when="outcome:transferred callback" { span { (texts.field_manager) } (select("manager", "manager", texts.choose, &screen.managers, Some(v("manager", manager).as_str()))) }
                    @if !screen.managers.is_empty() {
                        p.hint #no-manager data-when="outcome:callback;manager:" { (texts.callback_no_manager) }
                    }
                    (due_choice(ctx, &screen.presets, due, typed))
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
