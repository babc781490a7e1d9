//! Call records and caller questions: open a call, change it, save the desk's card, log a
//! question (also from the search page, on a call or a new one), link or unlink it, delete one
//! logged by mistake; read a call, the calls of some days, what the desk knows of a caller, the
//! desk screen. Every change and every view of callers' data is audited; a logged, relinked or
//! deleted question wakes the indexer.

use super::callbacks::MAX_DUE_DAYS;
use super::{callbacks, ActionError, Actor, Result, Thing};
use crate::app::App;
use crate::calls::card::{Clash, Seen};
use crate::calls::{
    answer_slug, Call, CallChanges, CallFull, CallRecord, CallerQuestion, NewQuestion, Outcome,
};
use crate::fields::{FieldError, FieldProblem};
use crate::store::{CallerHistory, CountedCalls};
use chrono::{DateTime, NaiveDate, Utc};
use serde_json::{Map, Value};
use std::collections::HashMap;

/// Longest range of days listed at once.
pub const MAX_RANGE_DAYS: i64 = 366;

/// An answer slug field (`null` or `""` for none) that the served knowledge must know.
pub fn answer_field(app: &App, field: &str, value: &Value) -> Result<Option<String>> {
    // A page opened before its answer was renamed names the old slug: the new one is meant.
    let served = match value.as_str() {
        Some(slug) => super::answers::served_slug(app, slug)?.map(Value::String),
        None => None,
    };
    let library = app.shelf.current();
    Ok(answer_slug(
        field,
        served.as_ref().unwrap_or(value),
        |slug| library.knowledge.get(slug).is_some(),
    )?)
}

/// The answer a link's fields name (`{"answer": "slug"}`, or `null` to unlink): `answer` must be
/// there and nothing else.
pub fn link_field(app: &App, object: &Map<String, Value>) -> Result<Option<String>> {
    if let Some(other) = object.keys().find(|k| *k != "answer") {
        return Err(FieldError::new(other, FieldProblem::Unknown).into());
    }
    let value = object
        .get("answer")
        .ok_or_else(|| FieldError::new("answer", FieldProblem::Required))?;
    answer_field(app, "answer", value)
}

/// A new caller question from its fields (`text`, `answer`, `asked_at`), against the served
/// knowledge.
pub fn new_question(app: &App, object: &Map<String, Value>) -> Result<NewQuestion> {
    // A page opened before its answer was renamed names the old slug: the new one is meant.
    let renamed = match object.get("answer").and_then(Value::as_str) {
        Some(slug) => super::answers::served_slug(app, slug)?.filter(|s| s != slug),
        None => None,
    };
    let mut object = std::borrow::Cow::Borrowed(object);
    if let Some(slug) = renamed {
        object.to_mut().insert("answer".into(), Value::String(slug));
    }
    let library = app.shelf.current();
    Ok(NewQuestion::from_json(&object, &app.clock, |slug| {
        library.knowledge.get(slug).is_some()
    })?)
}

/// A new caller question of `text` alone.
pub fn question_of_text(app: &App, text: &str) -> Result<NewQuestion> {
    let object = Map::from_iter([("text".to_string(), Value::String(text.to_string()))]);
    new_question(app, &object)
}

/// Refuses a person below the heads naming someone else as a call's operator: the desk's
/// figures count calls by it. Machines (an exchange, an import through the API) and heads may.
fn check_operator(actor: &Actor, changes: &CallChanges) -> Result<()> {
    let named = changes.operator.as_ref().and_then(|o| o.as_deref());
    match (&actor.person, named) {
        (Some(me), Some(named))
            if named.trim() != me && !actor.role.allows(crate::accounts::Role::Head) =>
        {
            Err(FieldError::new("operator", FieldProblem::OnlyYourself).into())
        }
        _ => Ok(()),
    }
}

/// Whether another person took `call`: its operator is an account's login, not the actor's. A
/// machine's name (the exchange's token, before an operator answered) is nobody's.
pub(crate) fn taken_by_another(app: &App, actor: &Actor, call: &Call) -> Result<bool> {
    let Some(operator) = call
        .operator
        .as_deref()
        .map(str::trim)
        .filter(|o| !o.is_empty())
    else {
        return Ok(false);
    };
    if actor.person.as_deref() == Some(operator) {
        return Ok(false);
    }
    Ok(app.store.account_by_login(operator)?.is_some())
}

/// Opens a call. Unless told otherwise, it records who took it: the person signed in, or the
/// machine token's name (an exchange opening calls).
pub fn open(app: &App, actor: &Actor, changes: CallChanges) -> Result<CallRecord> {
    create(app, actor, changes, None)
}

/// The same, as the call the manager of callback `callback_id` opened on reaching its caller
/// (marked so in the same write).
pub(super) fn open_follow_up(
    app: &App,
    actor: &Actor,
    changes: CallChanges,
    callback_id: i64,
) -> Result<CallRecord> {
    create(app, actor, changes, Some(callback_id))
}

fn create(
    app: &App,
    actor: &Actor,
    mut changes: CallChanges,
    follow_up: Option<i64>,
) -> Result<CallRecord> {
    check_operator(actor, &changes)?;
    if changes.operator.is_none() {
        if let Some(name) = actor.recorded_name() {
            changes.operator = Some(Some(name));
        }
    }
    let starts = changes.started_at.unwrap_or_else(|| app.clock.now());
    check_callback(app, &changes, None, starts)?;
    check_manager(app, &mut changes, None)?;
    let record = app
        .store
        .create_call_for(&changes, app.clock.now(), follow_up)?;
    actor.audit(app, "change", format!("call {} (opened)", record.call.id));
    callbacks::follow_call(app, actor, None, &record)?;
    Ok(record)
}

/// Refuses a callback promised for before the call (a record of a past call may have a due time
/// that has passed since; the desk's card refuses any time that has passed, [`live_callback`]),
/// a call that ends before it starts, and times no desk could mean: a call starting more than
/// a day ahead, a callback promised more than a year ahead (it would never fall due).
fn check_callback(
    app: &App,
    changes: &CallChanges,
    was: Option<&Call>,
    starts: chrono::DateTime<chrono::Utc>,
) -> Result<()> {
    let now = app.clock.now();
    if starts > now + chrono::Duration::days(1) {
        return Err(FieldError::new("started_at", FieldProblem::TooFarAhead).into());
    }
    let ends = match changes.ended_at {
        Some(ends) => ends,
        None => was.and_then(|c| c.ended_at),
    };
    if ends.is_some_and(|e| e < starts) {
        return Err(FieldError::new("ended_at", FieldProblem::BeforeStart).into());
    }
    // «Перезвонить» needs a number or an e-mail to call back on, whichever of the two changed.
    if changes.outcome.is_some() || changes.phone.is_some() {
        let outcome = changes
            .outcome
            .unwrap_or_else(|| was.and_then(|c| c.outcome));
        let phone = match &changes.phone {
            Some(p) => p.as_deref(),
            None => was.and_then(|c| c.phone.as_deref()),
        };
        if outcome == Some(crate::calls::Outcome::Callback)
            && phone.is_none_or(|p| p.trim().is_empty())
        {
            return Err(FieldError::new("phone", FieldProblem::NothingToCallBack).into());
        }
    }
    match changes.callback_due {
        Some(Some(due)) if due <= starts => {
            Err(FieldError::new("callback_due", FieldProblem::InThePast).into())
        }
        Some(Some(due)) if due > now + chrono::Duration::days(MAX_DUE_DAYS) => {
            Err(FieldError::new("callback_due", FieldProblem::TooFarAhead).into())
        }
        _ => Ok(()),
    }
}

/// Refuses a manager no manager account has (by login or display name), once managers are
/// accounts, unless the call named them already; a display name is recorded as the login.
fn check_manager(app: &App, changes: &mut CallChanges, was: Option<&Call>) -> Result<()> {
    let Some(Some(named)) = &changes.manager else {
        return Ok(());
    };
    let named = named.trim().to_string();
    if was.is_some_and(|c| c.manager.as_deref() == Some(named.as_str())) {
        return Ok(());
    }
    let managers = callbacks::managers(app)?;
    if managers.is_empty() {
        return Ok(());
    }
    match managers
        .iter()
        .find(|m| m.login == named || m.display_name.as_deref() == Some(named.as_str()))
    {
        Some(m) => {
            changes.manager = Some(Some(m.login.clone()));
            Ok(())
        }
        None => Err(FieldError::new("manager", FieldProblem::NoSuchManager(named)).into()),
    }
}

/// Refuses, on the desk's card, a callback due at a time that has passed.
fn live_callback(app: &App, changes: &CallChanges) -> Result<()> {
    if let Some(Some(due)) = changes.callback_due {
        callbacks::check_due(app, "callback_due", due)?;
    }
    Ok(())
}

/// Opens a call from the new-call card with the caller's first question, if one was typed
/// (checked before anything is written).
pub fn open_with_question(
    app: &App,
    actor: &Actor,
    changes: CallChanges,
    question: Option<&str>,
) -> Result<CallRecord> {
    let question = question
        .map(str::trim)
        .filter(|q| !q.is_empty())
        .map(|q| question_of_text(app, q))
        .transpose()?;
    live_callback(app, &changes)?;
    let mut record = open(app, actor, changes)?;
    // The card's first question is written before any answer is offered: nobody left it
    // unanswered yet (the desk screen offers answers for it next).
    if let Some(q) = question {
        record
            .questions
            .push(log(app, actor, record.call.id, q, false)?);
    }
    Ok(record)
}

/// The new-call card as a page submits it: a call opened from its fields with the caller's
/// first question (`question`), linked to the exchange's ringing call the card was opened from
/// (`exchange`) when there is one.
pub fn open_from_card(
    app: &App,
    actor: &Actor,
    form: &HashMap<String, String>,
) -> Result<CallRecord> {
    let mut fields = form.clone();
    let exchange = fields.remove("exchange").filter(|e| !e.trim().is_empty());
    let changes = CallChanges::from_card(&fields, &app.clock, &app.desk.settings.hours)?;
    let question = form.get("question").map(String::as_str);
    match exchange {
        Some(reference) => super::pbx::open_card(app, actor, &reference, changes, question),
        None => open_with_question(app, actor, changes, question),
    }
}

/// The desk's card as a page submits it: saved as the card (`card` in the form), else as
/// changes to the call's fields.
pub fn save_from_card(
    app: &App,
    actor: &Actor,
    id: i64,
    form: &HashMap<String, String>,
) -> Result<CallRecord> {
    let changes = CallChanges::from_card(form, &app.clock, &app.desk.settings.hours)?;
    match form.contains_key("card") {
        true => {
            let seen = form.get(SEEN_FIELD).and_then(|t| Seen::parse(t));
            save_card_seen(app, actor, id, changes, seen.as_ref())
        }
        false => change(app, actor, id, changes),
    }
}

/// The card's `action` of «Поговорили сейчас»: the card saved, then the caller's open callback
/// closed as done on this call.
pub const TALKED: &str = "talked";

/// The desk's card as its button sends it: saved ([`save_from_card`]), and with «Поговорили
/// сейчас» ([`TALKED`]) the caller's open callback closed on this call; whether it was (one a
/// manager closed meanwhile stays as they left it).
pub fn save_card_form(
    app: &App,
    actor: &Actor,
    id: i64,
    form: &HashMap<String, String>,
) -> Result<(CallRecord, bool)> {
    let record = save_from_card(app, actor, id, form)?;
    let closed = match form.get("action").map(String::as_str) == Some(TALKED) {
        true => callbacks::close_if_open_from_call(app, actor, id)?,
        false => false,
    };
    Ok((record, closed))
}

/// The card's hidden field that says what it showed when it was opened ([`Seen::token`]).
pub const SEEN_FIELD: &str = "seen";

/// Changes a call's fields.
pub fn change(app: &App, actor: &Actor, id: i64, changes: CallChanges) -> Result<CallRecord> {
    let was = app
        .store
        .call(id)?
        .ok_or_else(|| ActionError::not_found(Thing::Call, id))?
        .call;
    change_from(app, actor, was, changes, None)
}

/// Changes call `was` (as just read), from a card that showed it as `seen` when given.
fn change_from(
    app: &App,
    actor: &Actor,
    was: Call,
    mut changes: CallChanges,
    seen: Option<&Seen>,
) -> Result<CallRecord> {
    let id = was.id;
    check_callback(
        app,
        &changes,
        Some(&was),
        changes.started_at.unwrap_or(was.started_at),
    )?;
    check_manager(app, &mut changes, Some(&was))?;
    if changes
        .operator
        .as_ref()
        .is_some_and(|o| *o != was.operator)
    {
        check_operator(actor, &changes)?;
        // Nor does a person below the heads take a colleague's call, or clear who took it:
        // who took a call decides what they may change of its callback.
        let head = actor.role.allows(crate::accounts::Role::Head);
        if actor.person.is_some() && !head && taken_by_another(app, actor, &was)? {
            let by = was.operator.clone().unwrap_or_default();
            return Err(FieldError::new("operator", FieldProblem::TakenBy(by)).into());
        }
    }
    callbacks::check_call_change(app, actor, &was, &changes)?;
    let record = match app.store.update_call_seen(id, &changes, seen) {
        Ok(record) => record.ok_or_else(|| ActionError::not_found(Thing::Call, id))?,
        Err(e) => match e.downcast::<Clash>() {
            Ok(Clash(clashes)) => return Err(changed_meanwhile(clashes, &changes)),
            Err(e) => return Err(e.into()),
        },
    };
    actor.audit(app, "change", format!("call {id}"));
    callbacks::follow_call(app, actor, Some(&was), &record)?;
    Ok(record)
}

/// Changes a call's fields from a client that read the call as `seen` (the `seen` of
/// `GET /api/calls/{id}`), when it says so: as a card does ([`save_card_seen`]), only the
/// fields it changed from what it read are written, and a field someone else changed since,
/// to another value, refuses the whole change.
pub fn change_seen(
    app: &App,
    actor: &Actor,
    id: i64,
    changes: CallChanges,
    seen: Option<&Seen>,
) -> Result<CallRecord> {
    changed_from_seen(app, actor, id, changes, seen, false)
}

/// Saves the desk's card. The callback's due time, shown to the minute, is checked only when
/// it was changed: a card saved again after its time has passed keeps it.
pub fn save_card(app: &App, actor: &Actor, id: i64, changes: CallChanges) -> Result<CallRecord> {
    save_card_seen(app, actor, id, changes, None)
}

/// The same, from a card that showed the call as `seen` when it was opened: only the fields
/// its person changed are written, so that a colleague's save since is kept; a field they
/// both changed, to different values, refuses the card (nothing of it written) naming what
/// is stored now, and the card shown again is saved over it when its person saves it again.
pub fn save_card_seen(
    app: &App,
    actor: &Actor,
    id: i64,
    changes: CallChanges,
    seen: Option<&Seen>,
) -> Result<CallRecord> {
    changed_from_seen(app, actor, id, changes, seen, true)
}

/// Changes call `id` from what a client read as `seen`, as a `card` (whose due time is shown
/// to the minute, and whose callback must still be open) or through the API.
fn changed_from_seen(
    app: &App,
    actor: &Actor,
    id: i64,
    mut changes: CallChanges,
    seen: Option<&Seen>,
    card: bool,
) -> Result<CallRecord> {
    let was = app
        .store
        .call(id)?
        .ok_or_else(|| ActionError::not_found(Thing::Call, id))?
        .call;
    if let Some(seen) = seen {
        seen.keep_changed(&mut changes);
    }
    if let (true, Some(Some(due)), Some(stored)) = (card, changes.callback_due, was.callback_due) {
        if crate::callbacks::same_minute(due, stored) {
            changes.callback_due = None;
        }
    }
    if let Some(seen) = seen {
        let clashes = seen.clashes(&changes, &was);
        if !clashes.is_empty() {
            return Err(changed_meanwhile(clashes, &changes));
        }
    }
    if card {
        live_callback(app, &changes)?;
    }
    change_from(app, actor, was, changes, seen)
}

/// A card refused for `clashes`: fields someone else changed meanwhile that `changes` (what
/// its person changed) would write over.
fn changed_meanwhile(clashes: Vec<&'static str>, changes: &CallChanges) -> ActionError {
    let field = clashes.first().copied().unwrap_or("card");
    let mine = Seen::written(changes);
    FieldError::new(field, FieldProblem::ChangedMeanwhile { clashes, mine }).into()
}

/// A call with its questions; viewing it is audited.
pub fn read(app: &App, actor: &Actor, id: i64) -> Result<CallRecord> {
    let record = app
        .store
        .call(id)?
        .ok_or_else(|| ActionError::not_found(Thing::Call, id))?;
    actor.audit(app, "view", format!("call {id}"));
    Ok(record)
}

/// Logs a question on a call and wakes the indexer. Logged by a person with no answer, it is
/// one they left unanswered (see `Store::add_question`).
pub fn log_question(
    app: &App,
    actor: &Actor,
    call_id: i64,
    q: NewQuestion,
) -> Result<CallerQuestion> {
    log(app, actor, call_id, q, actor.person.is_some())
}

fn log(
    app: &App,
    actor: &Actor,
    call_id: i64,
    q: NewQuestion,
    declined: bool,
) -> Result<CallerQuestion> {
    // A question asked more than a day ahead is a slip no report week would ever count.
    if q.asked_at
        .is_some_and(|at| at > app.clock.now() + chrono::Duration::days(1))
    {
        return Err(FieldError::new("asked_at", FieldProblem::TooFarAhead).into());
    }
    // Typed whole in the wrong keyboard layout, it is kept as meant: editors, reports and the
    // grouping read the caller's words, not the keys.
    let text = app
        .shelf
        .current()
        .meant(&q.text, Some(&app.learner))
        .unwrap_or(q.text);
    let logged = app
        .store
        .add_question(
            call_id,
            &text,
            q.answer.as_deref(),
            q.asked_at.unwrap_or_else(|| app.clock.now()),
            declined,
        )
        .map_err(|e| match e.downcast::<CallFull>() {
            Ok(full) => ActionError::from(full),
            Err(e) => ActionError::Failed(e),
        })?;
    let question = logged.ok_or_else(|| ActionError::not_found(Thing::Call, call_id))?;
    app.indexing.nudge();
    let subject = format!("call {call_id} (question {} logged)", question.id);
    actor.audit(app, "change", subject);
    Ok(question)
}

/// Logs a question with no answer from the search page, on the call `call` or (`None`) a new
/// one; the call's id.
pub fn log_unanswered(app: &App, actor: &Actor, call: Option<i64>, text: &str) -> Result<i64> {
    let question = question_of_text(app, text)?;
    let call = match call {
        Some(id) => id,
        None => open(app, actor, CallChanges::default())?.call.id,
    };
    log_question(app, actor, call, question)?;
    Ok(call)
}

/// Links a question to an answer the served knowledge knows, or unlinks it (`None`), and wakes
/// the indexer.
pub fn relink(
    app: &App,
    actor: &Actor,
    question_id: i64,
    answer: Option<&str>,
) -> Result<CallerQuestion> {
    // A page opened before its answer was renamed links to the old name: the new one is meant.
    let answer =
        match answer {
            Some(slug) => Some(super::answers::served_slug(app, slug)?.ok_or_else(|| {
                FieldError::new("answer", FieldProblem::NoSuchAnswer(slug.into()))
            })?),
            None => None,
        };
    let question = app
        .store
        .set_answer(question_id, answer.as_deref(), actor.person.is_some())?
        .ok_or_else(|| ActionError::not_found(Thing::Question, question_id))?;
    app.indexing.nudge();
    let what = if answer.is_some() {
        "linked"
    } else {
        "unlinked"
    };
    let subject = format!("call {} (question {question_id} {what})", question.call_id);
    actor.audit(app, "change", subject);
    Ok(question)
}

/// Deletes a question logged by mistake: it leaves its group, the index and the history.
pub fn delete_question(app: &App, actor: &Actor, id: i64) -> Result<CallerQuestion> {
    let question = app
        .store
        .delete_question(id)?
        .ok_or_else(|| ActionError::not_found(Thing::Question, id))?;
    app.removed.push(id);
    app.indexing.nudge();
    let subject = format!("call {} (question {id} deleted)", question.call_id);
    actor.audit(app, "change", subject);
    Ok(question)
}

/// A `YYYY-MM-DD` field (or `DD.MM.YYYY`, as the desk's pages write dates), `default` when
/// absent or empty.
pub fn date_field(field: &str, value: Option<&str>, default: NaiveDate) -> Result<NaiveDate> {
    match value.map(str::trim) {
        None | Some("") => Ok(default),
        Some(text) => NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .or_else(|_| NaiveDate::parse_from_str(text, "%d.%m.%Y"))
            .ok()
            .filter(|d| crate::calls::plausible_date(*d))
            .ok_or_else(|| FieldError::new(field, FieldProblem::ExpectedDate).into()),
    }
}

/// A period's ends as given: when neither is a date, both are said at once (`period`), not
/// one after the other.
pub fn period_dates(from: Option<&str>, to: Option<&str>) -> Result<()> {
    let wrong = |value| date_field("", value, NaiveDate::MIN).is_err();
    if wrong(from) && wrong(to) {
        return Err(FieldError::new("period", FieldProblem::ExpectedDates).into());
    }
    Ok(())
}

/// The calls of the desk's days `from` to `to` (both included; today by default, and `to` at
/// least today when only `from` is given), oldest first, with their questions; audited.
pub fn between(
    app: &App,
    actor: &Actor,
    from: Option<&str>,
    to: Option<&str>,
) -> Result<(NaiveDate, NaiveDate, Vec<CallRecord>)> {
    period_dates(from, to)?;
    let clock = app.clock;
    let today = clock.today();
    let from_day = date_field("from", from, today)?;
    let to_default = if from.is_some_and(|f| !f.trim().is_empty()) {
        from_day.max(today)
    } else {
        today
    };
    let to_day = date_field("to", to, to_default)?;
    if to_day < from_day {
        return Err(FieldError::new("to", FieldProblem::BeforeFrom).into());
    }
    if (to_day - from_day).num_days() > MAX_RANGE_DAYS {
        return Err(FieldError::new("to", FieldProblem::RangeTooLong(MAX_RANGE_DAYS)).into());
    }
    let (start, end) = clock
        .days(from_day, to_day)
        .ok_or_else(|| FieldError::new("to", FieldProblem::TooFarAhead))?;
    let calls = app.store.calls_between(start, end)?;
    let records = calls
        .iter()
        .filter_map(|c| app.store.call(c.id).transpose())
        .collect::<anyhow::Result<Vec<_>>>()?;
    actor.audit(
        app,
        "view",
        format!("calls {from_day}..{to_day} ({})", records.len()),
    );
    Ok((from_day, to_day, records))
}

/// What the desk knows of a caller by phone or company before the call is recorded; looking
/// one up who called before is audited.
pub fn caller(
    app: &App,
    actor: &Actor,
    phone: Option<&str>,
    company: Option<&str>,
) -> Result<CallerHistory> {
    let clip = |v: Option<&str>| {
        v.map(|s| crate::text::clip(s.trim(), crate::calls::MAX_FIELD_CHARS).into_owned())
            .filter(|s| !s.is_empty())
    };
    let (phone, company) = (clip(phone), clip(company));
    let history = app.store.caller(phone.as_deref(), company.as_deref())?;
    if !history.earlier.is_empty() {
        let who = phone.or(company).unwrap_or_default();
        actor.audit(
            app,
            "view",
            format!("caller {}", crate::text::clip(&who, 40)),
        );
    }
    Ok(history)
}

/// [`caller`], as a new-call card opened from the exchange's call `exchange` (`generic:c6`)
/// reads it: that call's own record (opened by the exchange as it was answered) is no earlier
/// call.
pub fn caller_for_card(
    app: &App,
    actor: &Actor,
    phone: Option<&str>,
    company: Option<&str>,
    exchange: Option<&str>,
) -> Result<CallerHistory> {
    let mut history = caller(app, actor, phone, company)?;
    if let Some(reference) = exchange.filter(|r| !r.is_empty()) {
        if let Some(this) = super::pbx::record_of(app, reference)? {
            history.earlier.retain(|r| r.call.id != this);
        }
    }
    Ok(history)
}

/// The calls of one desk day (today when `date` is absent; a `date` that is not one is refused
/// and names the field), callbacks due first,
/// filtered by outcome and operator, each with its number of questions and the callback it
/// belongs to as that stands now; audited. The operator is found by any part of their login
/// or display name, in any case, `ё` as `е`.
pub fn day(
    app: &App,
    actor: &Actor,
    date: Option<&str>,
    outcome: Option<Outcome>,
    operator: Option<&str>,
) -> Result<(NaiveDate, Vec<DayRow>)> {
    let clock = app.clock;
    let today = clock.today();
    let date = date_field("date", date, today)?;
    let (start, end) = clock.days(date, date).unwrap_or((clock.now(), clock.now()));
    let mut rows = app.store.calls_overview(start, end, outcome, None)?;
    let typed = operator
        .map(crate::text::normalize)
        .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|t| !t.is_empty());
    if let Some(typed) = typed {
        // The list names operators by display name: the filter takes a part of either.
        let names = display_names(app)?;
        let found = |text: &str| crate::text::normalize(text).contains(&typed);
        rows.retain(|(call, _)| {
            call.operator.as_deref().is_some_and(|login| {
                found(login) || names.iter().any(|(l, name)| l == login && found(name))
            })
        });
    }
    actor.audit(app, "view", format!("calls list {date}"));
    Ok((date, day_rows(app, rows)?))
}

/// The callback whose manager made call `call_id` on reaching the caller, if it is such a call.
fn follow_up_of(app: &App, call_id: i64) -> Result<Option<crate::callbacks::Callback>> {
    match app.store.followed_up(call_id)? {
        Some(id) => Ok(app.store.callback(id)?),
        None => Ok(None),
    }
}

fn day_rows(app: &App, rows: Vec<(Call, usize)>) -> Result<Vec<DayRow>> {
    let ids: Vec<i64> = rows.iter().map(|(call, _)| call.id).collect();
    let unanswered = app.store.calls_unanswered(&ids)?;
    rows.into_iter()
        .map(|(call, questions)| {
            let callback = app.store.callback_of_call(call.id)?;
            let follow_up = follow_up_of(app, call.id)?;
            Ok(DayRow {
                unanswered: unanswered.contains(&call.id),
                follow_up,
                call,
                questions,
                callback,
            })
        })
        .collect()
}

/// The days a desk report figure's list covers, and their bounds in time.
pub struct ReportDays {
    /// The first day.
    pub from: NaiveDate,
    /// The last day.
    pub to: NaiveDate,
    /// The first day's start.
    pub start: DateTime<Utc>,
    /// The day after the last's start.
    pub end: DateTime<Utc>,
}

/// The days a desk report figure's list covers: `from` to `to` (`from` when absent), checked
/// as a report's period is.
pub fn report_days(app: &App, from: &str, to: Option<&str>) -> Result<ReportDays> {
    period_dates(Some(from), to)?;
    let from_day = date_field("from", Some(from), app.clock.today())?;
    let to_day = date_field("to", to, from_day)?;
    if to_day < from_day {
        return Err(FieldError::new("to", FieldProblem::BeforeFrom).into());
    }
    if (to_day - from_day).num_days() > crate::report::MAX_DAYS {
        let long = FieldProblem::RangeTooLong(crate::report::MAX_DAYS);
        return Err(FieldError::new("to", long).into());
    }
    let (start, end) = app
        .clock
        .days(from_day, to_day)
        .ok_or_else(|| FieldError::new("to", FieldProblem::ExpectedDate))?;
    Ok(ReportDays {
        from: from_day,
        to: to_day,
        start,
        end,
    })
}

/// Calls a figure of the desk report lists at most.
pub const COUNTED_LIMIT: usize = 1_000;

/// The calls behind a figure of the desk report: the desk's days `from` to `to` (`to` is
/// `from` when absent), the row's operator or manager, the figure's kind of call; newest
/// first, at most [`COUNTED_LIMIT`]; audited.
pub fn counted(
    app: &App,
    actor: &Actor,
    from: &str,
    to: Option<&str>,
    counted: &CountedCalls<'_>,
) -> Result<(NaiveDate, NaiveDate, Vec<DayRow>)> {
    // The desk report's slices are the head's, as the report is.
    actor.require(crate::accounts::Role::Head)?;
    let days = report_days(app, from, to)?;
    let rows = app
        .store
        .calls_counted(days.start, days.end, counted, COUNTED_LIMIT)?;
    let (from, to) = (days.from, days.to);
    actor.audit(app, "view", format!("calls list {from} to {to}"));
    Ok((from, to, day_rows(app, rows)?))
}

/// The words of which missed calls a figure of the desk report counts: every one, or what the
/// desk made of them ([`MissedAs`](crate::pbx::MissedAs)).
pub const MISSED_WORDS: &[&str] = &["all", "callback", "no_number", "ignored"];

/// A call nobody answered, of a missed figure's list, with the callback it opened or joined
/// as that stands now.
pub struct MissedRow {
    /// The exchange's call.
    pub missed: crate::pbx::MissedCall,
    /// The callback of the call record the desk has of it.
    pub callback: Option<crate::callbacks::Callback>,
}

/// The calls nobody answered behind a missed figure of the desk report: the desk's days
/// `from` to `to` (`to` is `from` when absent), those the desk made `which` of ([`MISSED_WORDS`];
/// every one when absent or `all`); newest first, at most [`COUNTED_LIMIT`]; audited.
pub fn missed(
    app: &App,
    actor: &Actor,
    from: &str,
    to: Option<&str>,
    which: Option<&str>,
) -> Result<(NaiveDate, NaiveDate, Vec<MissedRow>)> {
    // The desk report's slices are the head's, as the report is.
    actor.require(crate::accounts::Role::Head)?;
    let which =
        match which.map(str::trim) {
            None | Some("") | Some("all") => None,
            Some(word) => Some(crate::pbx::MissedAs::parse(word).ok_or_else(|| {
                FieldError::new("missed", FieldProblem::ExpectedOneOf(MISSED_WORDS))
            })?),
        };
    let days = report_days(app, from, to)?;
    let rows = app
        .store
        .missed_list(days.start, days.end, which, COUNTED_LIMIT)?
        .into_iter()
        .map(|missed| {
            let callback = match missed.call {
                Some(id) => app.store.callback_of_call(id)?,
                None => None,
            };
            Ok(MissedRow { missed, callback })
        })
        .collect::<Result<Vec<_>>>()?;
    let (from, to) = (days.from, days.to);
    actor.audit(app, "view", format!("missed calls {from} to {to}"));
    Ok((from, to, rows))
}

/// A call of the calls list.
pub struct DayRow {
    /// The call as saved.
    pub call: Call,
    /// How many questions it logged.
    pub questions: usize,
    /// The callback it belongs to (promised on it, or joined by it), as it stands now.
    pub callback: Option<crate::callbacks::Callback>,
    /// The callback whose manager made this call on reaching the caller, if it is one.
    pub follow_up: Option<crate::callbacks::Callback>,
    /// The phone exchange told it missed and nobody took it.
    pub unanswered: bool,
}

/// Calls of today the person took that have not ended, newest first: where a question from the
/// search page may go.
pub fn open_today(app: &App, person: &str) -> Result<Vec<Call>> {
    let clock = app.clock;
    let Some((start, end)) = clock.days(clock.today(), clock.today()) else {
        return Ok(Vec::new());
    };
    let rows = app.store.calls_overview(start, end, None, Some(person))?;
    let mut open: Vec<Call> = rows
        .into_iter()
        .map(|(call, _)| call)
        .filter(|call| call.ended_at.is_none() && call.started_at >= start)
        .collect();
    // The call the operator is on is the newest: first, and chosen.
    open.sort_by(|a, b| b.started_at.cmp(&a.started_at).then(b.id.cmp(&a.id)));
    open.truncate(5);
    Ok(open)
}

/// What the desk screen of a call shows.
pub struct DeskScreen {
    /// The call with its questions.
    pub record: CallRecord,
    /// The caller's earlier calls, newest first.
    pub earlier: Vec<CallRecord>,
    /// The buttons of what callers of this kind ask most: (answer slug or none, title).
    pub buttons: Vec<(Option<String>, String)>,
    /// Whether the name was proposed from an earlier call (it equals one's).
    pub name_proposed: bool,
    /// Whether the company was.
    pub company_proposed: bool,
    /// The managers the card offers: (value, name shown).
    pub managers: Vec<(String, String)>,
    /// The accounts with a display name, disabled ones too, as (login, display name): how the
    /// desk names the people calls were recorded under.
    pub people: Vec<(String, String)>,
    /// The caller's open callback, if any (promised on this call or an earlier one).
    pub callback: Option<crate::callbacks::Callback>,
    /// The callback whose manager opened this call on reaching the caller: a call the desk
    /// made, with no incoming script.
    pub follow_up: Option<crate::callbacks::Callback>,
    /// The phone exchange told it missed and nobody took it.
    pub unanswered: bool,
    /// The due time of each preset at this moment.
    pub presets: Vec<(
        crate::callbacks::hours::Preset,
        chrono::DateTime<chrono::Utc>,
    )>,
}

/// The accounts that have a display name, as (login, display name): how pages name the
/// people calls were recorded under.
pub fn display_names(app: &App) -> Result<Vec<(String, String)>> {
    Ok(app
        .store
        .accounts()?
        .into_iter()
        .filter_map(|a| Some((a.login, a.display_name?)))
        .collect())
}

/// The managers a call card offers, as (value, name shown): the manager accounts, or, before
/// there are any, the names in `desk.toml`.
pub fn manager_choices(app: &App) -> Result<Vec<(String, String)>> {
    let accounts = callbacks::managers(app)?;
    Ok(if accounts.is_empty() {
        app.desk
            .settings
            .managers
            .iter()
            .map(|m| (m.clone(), m.clone()))
            .collect()
    } else {
        accounts
            .iter()
            .map(|m| (m.login.clone(), m.shown_name().to_string()))
            .collect()
    })
}

/// The desk screen of call `id`; viewing it is audited.
pub fn desk(app: &App, actor: &Actor, id: i64) -> Result<DeskScreen> {
    let record = app
        .store
        .call(id)?
        .ok_or_else(|| ActionError::not_found(Thing::Call, id))?;
    let earlier = app.store.earlier_calls(id)?;
    let library = app.shelf.current();
    let buttons = app.frequent.buttons(
        &library,
        &app.store,
        record.call.kind,
        app.clock.now(),
        &app.desk.settings.starting_answers,
    )?;
    actor.audit(app, "view", format!("call {id}"));
    let same = |pick: fn(&CallRecord) -> &Option<String>| {
        pick(&record).is_some() && earlier.iter().any(|r| pick(r) == pick(&record))
    };
    let callback = match app.store.open_callback_of_call(id)? {
        Some(c) => Some(c),
        None => callbacks::open_for(app, record.call.phone.as_deref())?,
    };
    Ok(DeskScreen {
        name_proposed: same(|r| &r.call.name),
        company_proposed: same(|r| &r.call.company),
        managers: manager_choices(app)?,
        people: display_names(app)?,
        callback,
        follow_up: follow_up_of(app, id)?,
        unanswered: app.store.calls_unanswered(&[id])?.contains(&id),
        presets: callbacks::presets(app),
        record,
        earlier,
        buttons,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::Role;
    use crate::actions::testing;

    fn operator() -> Actor {
        Actor::person("anna", Role::Operator)
    }

    #[test]
    fn with_no_history_the_desk_offers_its_starting_answers_for_the_audience_first() {
        let t = testing::app();
        let library = t.app.shelf.current();
        let slugs = |starting: &[&str]| -> Vec<String> {
            let starting: Vec<String> = starting.iter().map(|s| s.to_string()).collect();
            t.app
                .frequent
                .buttons(
                    &library,
                    &t.app.store,
                    crate::calls::CallKind::Primary,
                    t.app.clock.now(),
                    &starting,
                )
                .unwrap()
                .into_iter()
                .filter_map(|(slug, _)| slug)
                .collect()
        };
        // Without: the answers written for first-time callers, in the folder's order.
        assert_eq!(slugs(&[]), ["printer", "talon-new"]);
        // The desk's own first, in its order: one for everyone, one for first-time callers;
        // one for clients and one no longer in the folder left out.
        assert_eq!(
            slugs(&["remote-admin", "gone", "talon-old", "talon-new"]),
            ["remote-admin", "talon-new", "printer"]
        );
    }

    #[test]
    fn the_days_list_finds_an_operator_by_a_part_of_their_login_or_display_name() {
        let t = testing::app();
        for (login, name) in [
            ("nastya", "Анастасия Константинопольская"),
            ("petr", "Пётр Иванов"),
        ] {
            t.app
                .store
                .create_account(login, "x", Role::Operator, false)
                .unwrap();
            t.app
                .store
                .set_profile(login, Some(name), None, None)
                .unwrap();
            open(
                &t.app,
                &Actor::person(login, Role::Operator),
                CallChanges::default(),
            )
            .unwrap();
        }
        let head = Actor::person("head", Role::Head);
        let operators = |typed: Option<&str>| -> Vec<String> {
            day(&t.app, &head, None, None, typed)
                .unwrap()
                .1
                .into_iter()
                .filter_map(|r| r.call.operator)
                .collect()
        };
        assert_eq!(operators(None).len(), 2);
        for typed in ["анастасия", "  КОНСТАНТИН ", "nastya", "NAST"] {
            assert_eq!(operators(Some(typed)), ["nastya"], "{typed}");
        }
        assert_eq!(operators(Some("Петр")), ["petr"]);
        assert_eq!(operators(Some("пётр  иванов")), ["petr"]);
        assert!(operators(Some("Ольга")).is_empty());
        assert_eq!(
            display_names(&t.app).unwrap(),
            [
                (
                    "nastya".to_string(),
                    "Анастасия Константинопольская".to_string()
                ),
                ("petr".to_string(), "Пётр Иванов".to_string())
            ]
        );
    }

    #[test]
    fn a_call_opened_by_a_person_or_a_token_records_who_took_it() {
        let t = testing::app();
        let call = open(&t.app, &operator(), CallChanges::default()).unwrap();
        assert_eq!(call.call.operator.as_deref(), Some("anna"));
        let pbx = Actor {
            name: "token:pbx".into(),
            role: Role::Operator,
            person: None,
        };
        let call = open(&t.app, &pbx, CallChanges::default()).unwrap();
        assert_eq!(call.call.operator.as_deref(), Some("pbx"));
        let audit = t.app.store.audit_log(10, None).unwrap();
        assert!(audit.iter().any(|e| e.actor == "token:pbx"));
    }

    #[test]
    fn a_pages_card_opens_or_saves_a_call_and_a_link_names_its_answer_alone() {
        let (t, a) = (testing::app(), operator());
        let form = |pairs: &[(&str, &str)]| -> HashMap<String, String> {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        let card = [
            ("phone", "+7 916 000-11-22"),
            ("question", "сколько стоит заправка"),
        ];
        let mut card = form(&card);
        card.insert("exchange".into(), "generic:never-rang".into());
        let opened = open_from_card(&t.app, &a, &card).unwrap();
        assert_eq!(opened.questions.len(), 1);
        let id = opened.call.id;
        let saved = save_from_card(&t.app, &a, id, &form(&[("company", "Ромашка")])).unwrap();
        assert_eq!(saved.call.company.as_deref(), Some("Ромашка"));
        let refused = save_from_card(&t.app, &a, id, &form(&[("outcome", "maybe")]));
        assert!(matches!(refused, Err(ActionError::Invalid(e)) if e.field == "outcome"));
        let field = |pairs: Vec<(&str, Value)>| {
            link_field(
                &t.app,
                &pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect(),
            )
        };
        assert!(matches!(field(vec![]), Err(ActionError::Invalid(e)) if e.field == "answer"));
        let extra = vec![("answer", Value::Null), ("colour", Value::Null)];
        assert!(matches!(field(extra), Err(ActionError::Invalid(e)) if e.field == "colour"));
        assert_eq!(field(vec![("answer", Value::Null)]).unwrap(), None);
    }

    #[test]
    fn a_question_is_logged_linked_and_deleted_with_its_checks() {
        let t = testing::app();
        let a = operator();
        let call = open(&t.app, &a, CallChanges::default()).unwrap().call.id;
        let q = log_question(
            &t.app,
            &a,
            call,
            question_of_text(&t.app, "сколько стоит заправка").unwrap(),
        )
        .unwrap();
        assert!(matches!(
            relink(&t.app, &a, q.id, Some("no-such-answer")),
            Err(ActionError::Invalid(_))
        ));
        assert_eq!(
            relink(&t.app, &a, q.id, Some("printer"))
                .unwrap()
                .answer
                .as_deref(),
            Some("printer")
        );
        assert!(matches!(
            log_question(&t.app, &a, 999_999, question_of_text(&t.app, "x").unwrap()),
            Err(ActionError::NotFound(Thing::Call, _))
        ));
        delete_question(&t.app, &a, q.id).unwrap();
        assert!(matches!(
            delete_question(&t.app, &a, q.id),
            Err(ActionError::NotFound(Thing::Question, _))
        ));
    }

    #[test]
    fn a_bad_first_question_on_the_card_opens_no_call() {
        let t = testing::app();
        let long = "x".repeat(crate::calls::MAX_QUESTION_CHARS + 1);
        assert!(matches!(
            open_with_question(&t.app, &operator(), CallChanges::default(), Some(&long)),
            Err(ActionError::Invalid(_))
        ));
        let (_, _, calls) = between(&t.app, &operator(), None, None).unwrap();
        assert!(calls.is_empty());
    }

    #[test]
    fn a_range_of_days_is_checked() {
        let t = testing::app();
        assert!(matches!(
            between(&t.app, &operator(), Some("2026-02-01"), Some("2026-01-01")),
            Err(ActionError::Invalid(e)) if e.problem == FieldProblem::BeforeFrom
        ));
        assert!(matches!(
            between(&t.app, &operator(), Some("вчера"), None),
            Err(ActionError::Invalid(e)) if e.field == "from"
        ));
    }
}
