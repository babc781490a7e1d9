//! The phone exchange's word on calls: each event taken once, the call record it opens, the
//! callback a missed call leaves, the operators' screens told; and what the desk knows of a
//! caller, for the exchange to route by.
//!
//! - A call rings: the screens show it (with what the desk knows of the caller); no record yet.
//! - A person answers: the call record opens, taken by the account whose extension answered
//!   (else the token's or the exchange's name), and that person's screen opens it.
//! - The call ends: answered, it is recorded as answered; missed or busy (or in the voice menu,
//!   when `desk.toml` says so), it becomes a callback of the caller, opened or joined, owned by
//!   their responsible manager, else the manager on duty, else nobody (the heads give it out);
//!   a number on the ignore list makes none.
//!
//! One call record per call of the exchange, never one per leg or per phone that rang: events
//! are taken one at a time ([`crate::pbx::Exchanges::serial`]) and each is written whole by
//! the store with its key, so a replayed or duplicated event changes nothing. An event for a
//! call never heard of that does not even name the caller is refused: there is nothing to
//! record it on. Every event taken, and every request refused, is audited (a flood of refusals
//! in part, the rest counted).

use super::{callbacks, calls, Actor, Result};
use crate::accounts::{Account, Role};
use crate::app::App;
use crate::calls::{phone, CallChanges, CallRecord, Outcome};
use crate::fields::{FieldError, FieldProblem};
use crate::pbx::refusals::Refusal;
use crate::pbx::screens::{ScreenEvent, Shown};
use crate::pbx::{CallEvent, Ending, EventKind, Exchange, MissedAs, MAX_ID};
use crate::store::{ExchangeCall, ExchangeState, ExchangeWrite, MissedCall, Promised};
use chrono::{DateTime, Utc};

/// What an event did.
#[derive(Debug, Clone)]
pub struct Taken {
    /// The event was taken before: nothing changed.
    pub duplicate: bool,
    /// The exchange's call as it stands now.
    pub exchange_call: ExchangeCall,
    /// The call record this event opened.
    pub opened: Option<i64>,
    /// The callback a missed call opened or joined.
    pub callback: Option<i64>,
}

/// The actor of an exchange's own webhook, which proves itself with the exchange's secret
/// rather than a token: `exchange:zadarma`.
pub fn exchange_actor(exchange: Exchange) -> Actor {
    Actor {
        name: format!("exchange:{}", exchange.as_str()),
        role: Role::Operator,
        person: None,
    }
}

/// Writes the audit line of a request an exchange's route refused (a bad signature, a body
/// that is not the exchange's, an adapter that is off); `from` is the client's address. A
/// flood is written in part, the rest counted ([`crate::pbx::refusals`]).
pub fn refused(app: &App, actor: &Actor, exchange: Exchange, from: &str, why: &str) {
    let name = exchange.as_str();
    match app
        .exchanges
        .refusals
        .note(exchange, std::time::Instant::now())
    {
        Refusal::Count => {}
        Refusal::Write { unwritten: 0 } => {
            actor.audit(app, "pbx", format!("{name} refused from {from}: {why}"));
        }
        Refusal::Write { unwritten } => {
            tracing::warn!(
                exchange = name,
                unwritten,
                "refused requests not audited one by one"
            );
            actor.audit(
                app,
                "pbx",
                format!(
                    "{name} refused from {from}: {why} (and {unwritten} refused before it, not written one by one)"
                ),
            );
        }
    }
}

/// Takes one event of the exchange (see the module's comment).
pub fn take(app: &App, actor: &Actor, mut event: CallEvent) -> Result<Taken> {
    actor.require(Role::Operator)?;
    // Exchanges name a withheld number in words («anonymous», «Unknown», «Private»): the
    // desk treats it as no number rather than show the word or look it up.
    let withheld = event
        .caller
        .as_deref()
        .is_some_and(|c| !c.chars().any(|ch| ch.is_ascii_digit()));
    if withheld {
        event.caller = None;
    }
    // A time no exchange means (a clock reset to year 1) would count the call in no period.
    if event
        .at
        .is_some_and(|t| !crate::calls::plausible_date(t.date_naive()))
    {
        return Err(FieldError::new("at", FieldProblem::ExpectedTime).into());
    }
    let _one_at_a_time = app
        .exchanges
        .serial
        .lock()
        .unwrap_or_else(|p| p.into_inner());
    let now = app.clock.now();
    // An exchange's clock ahead of ours is not believed.
    let at = event.at.map_or(now, |t| t.min(now));
    let exchange = event.exchange.as_str();
    let key = event.key();
    let known = app.store.exchange_call(exchange, &event.call_id)?;
    if let Some(exchange_call) = &known {
        if app.store.exchange_event_taken(&key)? {
            // A phone of the ring group rang (a ringing event told again with an extension):
            // kept, so that the end of the call knows a person's phone rang.
            if let (EventKind::Ringing, Some(extension), None) = (
                event.kind,
                event.extension.as_deref(),
                exchange_call.extension.as_deref(),
            ) {
                app.store
                    .note_exchange_extension(exchange, &event.call_id, extension)?;
            }
            actor.audit(
                app,
                "pbx",
                format!("{} duplicate, ignored", subject_of(&event)),
            );
            return Ok(Taken {
                duplicate: true,
                exchange_call: exchange_call.clone(),
                opened: None,
                callback: None,
            });
        }
    }
    let caller = event
        .caller
        .clone()
        .or_else(|| known.as_ref().and_then(|k| k.caller.clone()));
    let caller_key = caller.as_deref().and_then(phone::normalize);
    // A call first told of at its end or answer names its caller, or says the number was
    // withheld (an exchange that reports only the end of a missed call from one): an event
    // that does neither is no call of the desk's.
    if known.is_none() && event.kind != EventKind::Ringing && caller_key.is_none() && !withheld {
        let subject = format!(
            "{} refused: never told of, no caller's number",
            subject_of(&event)
        );
        actor.audit(app, "pbx", subject);
        return Err(FieldError::new("call_id", FieldProblem::CallNeverSeen).into());
    }
    // The generic form names the caller on a call's first ring, or says in words that the
    // number was withheld: a first ring with no `caller` at all comes from a sender that names
    // it otherwise (`from`), and taken as a withheld number it would lose every missed call's
    // callback without a word.
    if known.is_none()
        && event.kind == EventKind::Ringing
        && event.exchange == Exchange::Generic
        && event.caller.is_none()
        && !withheld
    {
        let subject = format!(
            "{} refused: no caller's number, nor a word that it was withheld",
            subject_of(&event)
        );
        actor.audit(app, "pbx", subject);
        return Err(FieldError::new("caller", FieldProblem::Required).into());
    }
    let plan = plan(app, actor, &event, known.as_ref(), caller.as_deref(), at)?;
    let subject = format!("{}{}", subject_of(&event), plan.note);
    let event_caller_key = event.caller.as_deref().and_then(phone::normalize);
    // A new callback's owner is told in the event's write.
    let told = match &plan.missed {
        Some(m) => Some(callbacks::audience(
            app,
            callbacks::Event::Assigned,
            m.owner.as_deref(),
        )?),
        None => None,
    };
    let tell =
        |c: &crate::callbacks::Callback| told.as_ref().map_or_else(Vec::new, |a| a.notices(app, c));
    let write = ExchangeWrite {
        key: &key,
        exchange,
        call_id: &event.call_id,
        state: plan.state,
        ending: match event.kind {
            EventKind::Ended(ending) => Some(ending),
            _ => None,
        },
        caller: event.caller.as_deref(),
        caller_key: event_caller_key.as_deref(),
        called: event.called.as_deref(),
        extension: event.extension.as_deref(),
        started_at: at,
        // An answer told after the call's end (delivered late) is audited, not believed.
        answered_at: (event.kind == EventKind::Answered && plan.state == ExchangeState::Answered)
            .then_some(at),
        ended_at: matches!(event.kind, EventKind::Ended(_)).then_some(at),
        open_call: plan.open_call.as_ref(),
        missed_as: plan.missed_as,
        missed: plan.missed.as_ref().map(|m| MissedCall {
            caller_key: &m.caller_key,
            owner: m.owner.as_deref(),
            due: m.due,
            tell: crate::store::Tell(Some(&tell)),
        }),
        actor: &actor.name,
        subject: &subject,
    };
    let written = app.store.record_exchange_event(&write, now)?;
    let exchange_call = written.exchange_call.clone();
    if written.duplicate {
        return Ok(Taken {
            duplicate: true,
            exchange_call,
            opened: None,
            callback: None,
        });
    }
    if let (Some(call), None, EventKind::Ended(_)) =
        (exchange_call.call, written.opened, event.kind)
    {
        end_record(app, call, at)?;
    }
    if let Some(id) = written.opened {
        if plan.missed.is_none() {
            // A caller with an open callback who got through: "called again" on it.
            if let Some(record) = app.store.call(id)? {
                callbacks::follow_call(app, actor, None, &record)?;
            }
        }
    }
    let callback = match written.promised {
        Some(Promised::Opened(id)) => {
            actor.audit(
                app,
                "callback",
                format!("callback {id} opened for a missed call of {exchange}"),
            );
            app.notices.nudge();
            Some(id)
        }
        Some(Promised::Joined(id)) => {
            app.notices.nudge();
            Some(id)
        }
        None => None,
    };
    show(
        app,
        &event,
        known.as_ref(),
        &exchange_call,
        plan.answered_by,
    )?;
    Ok(Taken {
        duplicate: false,
        exchange_call,
        opened: written.opened,
        callback,
    })
}

/// What an event is to write, decided before it is written.
struct Plan {
    state: ExchangeState,
    open_call: Option<CallChanges>,
    missed: Option<Missed>,
    answered_by: Option<String>,
    /// What the desk made of the call, when nobody answered it.
    missed_as: Option<MissedAs>,
    /// What the audit line adds to the event.
    note: &'static str,
}

struct Missed {
    caller_key: String,
    owner: Option<String>,
    due: DateTime<Utc>,
}

fn plan(
    app: &App,
    actor: &Actor,
    event: &CallEvent,
    known: Option<&ExchangeCall>,
    caller: Option<&str>,
    at: DateTime<Utc>,
) -> Result<Plan> {
    let was = known.map(|k| k.state);
    let started = known.map_or(at, |k| k.started_at);
    let has_record = known.is_some_and(|k| k.call.is_some());
    let was_answered = known.is_some_and(|k| k.answered_at.is_some());
    let mut plan = Plan {
        state: was.unwrap_or(ExchangeState::Ringing),
        open_call: None,
        missed: None,
        answered_by: None,
        missed_as: None,
        note: "",
    };
    let extension = event
        .extension
        .as_deref()
        .or(known.and_then(|k| k.extension.as_deref()));
    let answered = |ended: Option<DateTime<Utc>>| -> Result<(CallChanges, Option<String>)> {
        let person = person_at(app, extension)?;
        // Answered on an extension nobody has: that phone, rather than the token's name.
        let operator = person
            .clone()
            .or_else(|| extension.map(crate::calls::extension_operator))
            .or_else(|| actor.recorded_name())
            .unwrap_or_else(|| event.exchange.as_str().to_string());
        let changes = CallChanges {
            started_at: Some(started),
            ended_at: ended.map(Some),
            operator: Some(Some(operator)),
            phone: Some(caller.map(phone::international)),
            contact_confirmed: Some(false),
            ..CallChanges::default()
        };
        Ok((changes, person))
    };
    match event.kind {
        EventKind::Ringing => {}
        EventKind::Answered if was == Some(ExchangeState::Ended) => plan.note = " (after its end)",
        EventKind::Answered => {
            plan.state = ExchangeState::Answered;
            let (changes, person) = answered(None)?;
            plan.answered_by = person;
            if !has_record {
                plan.open_call = Some(changes);
                plan.note = ": call opened";
            }
        }
        EventKind::Ended(ending) => {
            plan.state = ExchangeState::Ended;
            // A call that rang someone's phone did not end in the voice menu, whatever the
            // last message leaves out: it was missed.
            let rang_a_phone = known.is_some_and(|k| k.extension.is_some());
            let ending = if ending == Ending::VoiceMenu && rang_a_phone {
                Ending::Missed
            } else {
                ending
            };
            let missed = is_missed(app, ending) && !was_answered;
            if !missed {
                if ending == Ending::Answered || was_answered {
                    if !has_record {
                        plan.open_call = Some(answered(Some(at.max(started)))?.0);
                        plan.note = ": call opened";
                    }
                } else {
                    plan.note = ": not missed";
                }
            } else {
                match crate::callbacks::caller_key(caller) {
                    _ if ignored(app, caller) => {
                        plan.note = ": number ignored";
                        plan.missed_as = Some(MissedAs::Ignored);
                    }
                    None => {
                        plan.note = ": no number to call back";
                        plan.missed_as = Some(MissedAs::NoNumber);
                    }
                    Some(caller_key) => {
                        plan.missed_as = Some(MissedAs::Callback);
                        let owner = owner_of(app, caller)?;
                        let due = callbacks::default_due(app);
                        // Nobody spoke with the caller: the record keeps the call and its
                        // callback, and is no potential client's conversation in the desk's
                        // figures (the callback is counted among callbacks).
                        plan.open_call = (!has_record).then(|| CallChanges {
                            started_at: Some(started),
                            ended_at: Some(Some(at.max(started))),
                            potential_client: Some(false),
                            phone: Some(caller.map(phone::international)),
                            contact_confirmed: Some(false),
                            outcome: Some(Some(Outcome::Callback)),
                            manager: Some(owner.clone()),
                            callback_due: Some(Some(due)),
                            ..CallChanges::default()
                        });
                        plan.missed = Some(Missed {
                            caller_key,
                            owner,
                            due,
                        });
                        plan.note = ": missed, a callback";
                    }
                }
            }
        }
    }
    Ok(plan)
}

/// Whether an ending leaves a callback: missed and busy calls do; one that ended in the voice
/// menu does when `desk.toml` says `voice_menu_is_missed = true`.
fn is_missed(app: &App, ending: Ending) -> bool {
    match ending {
        Ending::Missed | Ending::Busy => true,
        Ending::VoiceMenu => app.desk.settings.callbacks.voice_menu_is_missed,
        Ending::Answered => false,
    }
}

/// Whether the number is on `ignore_numbers` (compared in normal form).
fn ignored(app: &App, caller: Option<&str>) -> bool {
    let Some(key) = crate::callbacks::caller_key(caller) else {
        return false;
    };
    app.desk
        .settings
        .callbacks
        .ignore_numbers
        .iter()
        .any(|n| crate::callbacks::caller_key(Some(n)).as_deref() == Some(key.as_str()))
}

/// The login of the enabled account whose extension is `extension`.
fn person_at(app: &App, extension: Option<&str>) -> Result<Option<String>> {
    let Some(extension) = extension.map(str::trim).filter(|e| !e.is_empty()) else {
        return Ok(None);
    };
    Ok(app
        .store
        .accounts()?
        .into_iter()
        .find(|a| !a.disabled && a.extension.as_deref().map(str::trim) == Some(extension))
        .map(|a| a.login))
}

/// Who owns a missed call's callback: the caller's responsible manager, else the manager on
/// duty (when that login is a manager's), else nobody.
fn owner_of(app: &App, caller: Option<&str>) -> Result<Option<String>> {
    let managers = callbacks::managers(app)?;
    if let Some(manager) = responsible(app, &managers, caller)? {
        return Ok(Some(manager.login.clone()));
    }
    let on_duty = app.desk.settings.callbacks.manager_on_duty.as_deref();
    match on_duty.map(str::trim).filter(|l| !l.is_empty()) {
        Some(login) if managers.iter().any(|m| m.login == login) => Ok(Some(login.to_string())),
        Some(login) => {
            tracing::warn!(
                login,
                "desk.toml: manager_on_duty is not a manager's login; the callback is left to the heads"
            );
            Ok(None)
        }
        None => Ok(None),
    }
}

/// The caller's responsible manager: the manager of their newest call that has one. A call a
/// manager opened on reaching the caller is that manager's; a call that promised a callback is
/// its callback's owner's (a head's hand-over moves the client with it); another call is the
/// manager it names (by login, or by display name as an earlier release wrote it).
fn responsible<'m>(
    app: &App,
    managers: &'m [Account],
    caller: Option<&str>,
) -> Result<Option<&'m Account>> {
    let Some(caller) = caller.filter(|c| phone::normalize(c).is_some()) else {
        return Ok(None);
    };
    let account = |named: &str| {
        managers
            .iter()
            .find(|m| m.login == named || m.display_name.as_deref() == Some(named))
    };
    let history = app.store.caller(Some(caller), None)?;
    for record in &history.earlier {
        let call = &record.call;
        let owner = match app.store.followed_up(call.id)? {
            // A call a manager opened on reaching the caller: theirs.
            Some(callback) => match call.operator.as_deref().filter(|o| account(o).is_some()) {
                Some(maker) => Some(maker.to_string()),
                None => app.store.callback(callback)?.and_then(|c| c.owner),
            },
            // A call that promised a callback: its owner's, as handed over since.
            None => app.store.callback_of_call(call.id)?.and_then(|c| c.owner),
        };
        let found = owner
            .as_deref()
            .and_then(account)
            .or_else(|| call.manager.as_deref().and_then(account));
        if found.is_some() {
            return Ok(found);
        }
    }
    Ok(None)
}

/// The call record's end, when the exchange's word comes after the record was opened. An
/// exchange that dates its summary by the call's start (ITooLabs' `history`) ends it no earlier
/// than it began.
fn end_record(app: &App, call: i64, at: DateTime<Utc>) -> Result<()> {
    if let Some(record) = app.store.call(call)? {
        if record.call.ended_at.is_none() {
            let end = CallChanges {
                ended_at: Some(Some(at.max(record.call.started_at))),
                ..CallChanges::default()
            };
            app.store.update_call(call, &end)?;
        }
    }
    Ok(())
}

/// Tells the operators' pages what happened.
fn show(
    app: &App,
    event: &CallEvent,
    known: Option<&ExchangeCall>,
    now: &ExchangeCall,
    answered_by: Option<String>,
) -> Result<()> {
    let shown = match event.kind {
        // A call already answered or over that rings again (a late report) is not shown.
        EventKind::Ringing if known.is_none() => Shown::Ringing,
        EventKind::Ringing => return Ok(()),
        EventKind::Answered if now.state == ExchangeState::Answered => Shown::Answered,
        EventKind::Answered => return Ok(()),
        EventKind::Ended(_) => Shown::Ended,
    };
    let caller = match (shown, now.caller.as_deref()) {
        (Shown::Ringing, Some(number)) => Some(card(app, number)?),
        _ => None,
    };
    app.exchanges.screens.show(ScreenEvent {
        shown,
        call: reference(event.exchange, &event.call_id),
        phone: now.caller.clone(),
        since: (shown == Shown::Ringing).then_some(now.started_at),
        caller,
        answered_by,
        record: now.call,
    });
    Ok(())
}

/// After a start, shows again on the operators' pages the calls that were ringing when the
/// server stopped (as the store holds them, from the last [`crate::pbx::screens::RING_FORGET`]): a page opened now
/// shows them as it would have; their end, when the exchange tells it, takes them off. How
/// many.
pub fn show_still_ringing(app: &App) -> Result<usize> {
    let since = app.clock.now()
        - chrono::Duration::from_std(crate::pbx::screens::RING_FORGET).unwrap_or_default();
    let calls = app.store.unended_exchange_calls(None, since, 100)?;
    let mut shown = 0;
    for call in calls {
        let Some(exchange) = Exchange::parse(&call.exchange) else {
            continue;
        };
        if call.state != ExchangeState::Ringing {
            continue;
        }
        let caller = match call.caller.as_deref() {
            Some(number) => Some(card(app, number)?),
            None => None,
        };
        app.exchanges.screens.show(ScreenEvent {
            shown: Shown::Ringing,
            call: reference(exchange, &call.call_id),
            phone: call.caller.clone(),
            since: Some(call.started_at),
            caller,
            answered_by: None,
            record: call.call,
        });
        shown += 1;
    }
    Ok(shown)
}

mod caller;
pub mod webhook;
use caller::card;
pub use caller::{lookup, route};

/// How pages and the new-call card name a call of the exchange: `exchange:call_id`.
pub fn reference(exchange: Exchange, call_id: &str) -> String {
    format!("{}:{call_id}", exchange.as_str())
}

/// The exchange and call a reference names, if it names one that could exist.
fn parse_reference(text: &str) -> Option<(Exchange, &str)> {
    let (exchange, call_id) = text.trim().split_once(':')?;
    let exchange = Exchange::parse(exchange)?;
    (!call_id.is_empty() && call_id.chars().count() <= MAX_ID).then_some((exchange, call_id))
}

/// The call record of the exchange's call `reference` (`generic:c6`) names, if it has one: the
/// call a new-call card opened from it is.
pub(super) fn record_of(app: &App, reference: &str) -> Result<Option<i64>> {
    let Some((exchange, call_id)) = parse_reference(reference) else {
        return Ok(None);
    };
    Ok(app
        .store
        .exchange_call(exchange.as_str(), call_id)?
        .and_then(|k| k.call))
}

/// Records the new-call card the operator opened from a ringing call (`reference`, as the
/// screens named it): when the exchange's call has a record already (someone answered), the
/// card is saved on it; otherwise a call opens, linked to the exchange's call so that its
/// answer opens no second one. A reference to nothing opens a call as the card always does.
pub fn open_card(
    app: &App,
    actor: &Actor,
    reference: &str,
    changes: CallChanges,
    question: Option<&str>,
) -> Result<CallRecord> {
    let Some((exchange, call_id)) = parse_reference(reference) else {
        return calls::open_with_question(app, actor, changes, question);
    };
    let _one_at_a_time = app
        .exchanges
        .serial
        .lock()
        .unwrap_or_else(|p| p.into_inner());
    let known = app.store.exchange_call(exchange.as_str(), call_id)?;
    // The record of the exchange's call, unless another person's card is on it already: a
    // second operator who opened the same ringing call gets a call of their own rather than
    // writing over the first one's card.
    let mine = |id: i64| -> Result<bool> {
        let Some(operator) = app.store.call(id)?.and_then(|r| r.call.operator) else {
            return Ok(true);
        };
        if operator == actor.name {
            return Ok(true);
        }
        // Recorded under the exchange's or a token's name: nobody's card yet.
        Ok(!app.store.accounts()?.iter().any(|a| a.login == operator))
    };
    let record_id = known.and_then(|k| k.call);
    if let Some(id) = record_id {
        if !mine(id)? {
            actor.audit(
                app,
                "pbx",
                format!("{reference}: call {id} is another person's, a call of its own opened"),
            );
            return calls::open_with_question(app, actor, changes, question);
        }
    }
    match record_id {
        Some(id) => {
            let question = question
                .map(str::trim)
                .filter(|q| !q.is_empty())
                .map(|q| calls::question_of_text(app, q))
                .transpose()?;
            let mut record = calls::save_card(app, actor, id, changes)?;
            if let Some(q) = question {
                record
                    .questions
                    .push(calls::log_question(app, actor, id, q)?);
            }
            Ok(record)
        }
        None => {
            let record = calls::open_with_question(app, actor, changes, question)?;
            if app
                .store
                .attach_exchange_call(exchange.as_str(), call_id, record.call.id)?
            {
                actor.audit(
                    app,
                    "pbx",
                    format!("{reference} linked to call {}", record.call.id),
                );
                // Taken: every page's banner of this call goes (the page of the person who
                // took it is the call's own now).
                app.exchanges.screens.show(ScreenEvent {
                    shown: Shown::Answered,
                    call: reference.to_string(),
                    phone: record.call.phone.clone(),
                    since: None,
                    caller: None,
                    answered_by: None,
                    record: Some(record.call.id),
                });
            }
            Ok(record)
        }
    }
}

/// The audit subject of an event: `zadarma call in_5f0c2b ended missed`.
fn subject_of(event: &CallEvent) -> String {
    let kind = match event.kind {
        EventKind::Ended(ending) => format!("ended {}", ending.as_str()),
        kind => kind.as_str().to_string(),
    };
    format!(
        "{} call {} {kind}",
        event.exchange.as_str(),
        crate::text::clip(&event.call_id, 64)
    )
}

#[cfg(test)]
mod tests;
