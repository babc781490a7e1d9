//! Promised callbacks: opened (or joined) when a call ends with «Перезвонить», listed for their
//! owner and the heads, tried (reached, no answer, lost), handed over, rescheduled, closed from
//! the desk when the caller calls again and is helped there. One open callback per caller; a
//! manager changes only their own, operators open and close them from a call, heads and admins
//! all. Every change is audited and wakes the notices job, which tells the owner (and, when a
//! callback is long overdue, the heads).

use super::{ActionError, Actor, Result, Thing};
use crate::accounts::{Account, Role};
use crate::app::App;
use crate::callbacks::hours::Preset;
use crate::callbacks::{
    self, Attempt, Callback, CallbackClosed, Outcome, State, LOST_REASONS, WITHDRAWN,
};
use crate::calls::{CallChanges, CallKind, CallRecord};
use crate::fields::{FieldError, FieldProblem};
use crate::store::{CallbackChange, CallbacksListed, Promise, Promised, Tell};
use chrono::{DateTime, Utc};

/// Callbacks a list shows at most.
pub const LIST_LIMIT: usize = 500;

/// The managers a callback can be given to: enabled accounts of the manager role.
pub fn managers(app: &App) -> Result<Vec<Account>> {
    Ok(app.store.accounts_of_role(Role::Manager)?)
}

/// The login of the manager a call names: a manager's login, or (as an earlier release wrote
/// it) their display name; `None` for a name no manager account has.
fn manager_login(app: &App, named: Option<&str>) -> Result<Option<String>> {
    let Some(named) = named.map(str::trim).filter(|n| !n.is_empty()) else {
        return Ok(None);
    };
    Ok(managers(app)?
        .into_iter()
        .find(|m| m.login == named || m.display_name.as_deref() == Some(named))
        .map(|m| m.login))
}

/// When a callback promised now with no time given falls due: an hour of working time.
pub fn default_due(app: &App) -> DateTime<Utc> {
    let now = app.clock.local(app.clock.now());
    app.clock
        .from_local(app.desk.settings.hours.due(Preset::InAnHour, now))
}

/// The due time of each preset at this moment; a preset that falls when an earlier one does
/// (after closing, «через час» is the next morning too) is left out.
pub fn presets(app: &App) -> Vec<(Preset, DateTime<Utc>)> {
    presets_at(&app.desk.settings.hours, &app.clock)
}

fn presets_at(
    hours: &crate::callbacks::hours::WorkingHours,
    clock: &crate::clock::Clock,
) -> Vec<(Preset, DateTime<Utc>)> {
    let now = clock.local(clock.now());
    let mut out: Vec<(Preset, DateTime<Utc>)> = Vec::new();
    for p in Preset::ALL {
        let at = clock.from_local(hours.due(p, now));
        if out.iter().all(|(_, seen)| *seen != at) {
            out.push((p, at));
        }
    }
    out
}

/// Refuses a due time that has passed, or one more than [`MAX_DUE_DAYS`] ahead.
pub fn check_due(app: &App, field: &str, due: DateTime<Utc>) -> Result<()> {
    if due <= app.clock.now() {
        return Err(FieldError::new(field, FieldProblem::InThePast).into());
    }
    if due > app.clock.now() + chrono::Duration::days(MAX_DUE_DAYS) {
        return Err(FieldError::new(field, FieldProblem::TooFarAhead).into());
    }
    Ok(())
}

/// How far ahead a callback may be promised, in days: further, it would never fall due.
pub const MAX_DUE_DAYS: i64 = 366;

/// The key of a call's caller: their phone or e-mail in normal form, else the call itself.
fn caller_key_of(record: &CallRecord) -> String {
    callbacks::caller_key(record.call.phone.as_deref())
        .unwrap_or_else(|| format!("call:{}", record.call.id))
}

/// What a saved call means for callbacks. `was` is the call before this save (`None`: a new
/// call); nothing happens unless the outcome, phone, manager or due time changed, so a card
/// saved again for its notes neither reopens a callback already done nor undoes a hand-over or
/// a new due time.
///
/// - Ending with «Перезвонить» opens one for the caller, or joins their open one (never a
///   second), whose time becomes the one agreed on this call (and whose manager, when it had
///   none, the one named); the promising card's later changes of manager or time are the
///   callback's, and a corrected phone files it under that number (or joins that number's open
///   callback).
/// - A promising card that no longer says «Перезвонить» withdraws its callback (lost, reason
///   `withdrawn`), unless someone has tried it already.
/// - Any other call of a caller with an open callback joins it as "called again".
///
/// Returns the callback's id, if any.
pub fn follow_call(
    app: &App,
    actor: &Actor,
    was: Option<&crate::calls::Call>,
    record: &CallRecord,
) -> Result<Option<i64>> {
    use crate::calls::Outcome as CallOutcome;
    let call = &record.call;
    let differs = |f: &dyn Fn(&crate::calls::Call) -> String| was.is_none_or(|w| f(w) != f(call));
    let outcome_changed = differs(&|c| format!("{:?}", c.outcome));
    let phone_changed = differs(&|c| format!("{:?}", c.phone));
    let manager_changed = differs(&|c| format!("{:?}", c.manager));
    let due_changed = differs(&|c| format!("{:?}", c.callback_due));
    // The caller's name or company corrected on the card: the callback they were promised,
    // still open, names them so too.
    if was.is_some() && differs(&|c| format!("{:?}{:?}", c.name, c.company)) {
        if let Some(own) = app
            .store
            .open_callback_of_call(call.id)?
            .filter(|c| c.call_ids.first() == Some(&call.id))
        {
            app.store.rename_callback_caller(
                own.id,
                call.name.as_deref(),
                call.company.as_deref(),
            )?;
        }
    }
    if !(outcome_changed || phone_changed || manager_changed || due_changed) {
        return Ok(None);
    }
    let key = caller_key_of(record);
    let promised_before = was.is_some_and(|w| w.outcome == Some(CallOutcome::Callback));
    // The callback this call promised, while it is open.
    let own = app
        .store
        .open_callback_of_call(call.id)?
        .filter(|c| c.call_ids.first() == Some(&call.id));
    if call.outcome != Some(CallOutcome::Callback) {
        if let Some(c) = own.filter(|_| promised_before) {
            return withdraw(app, actor, c).map(Some);
        }
        if was.is_some() && !phone_changed {
            return Ok(None);
        }
        return Ok(app.store.join_open_callback(&key, call.id)?);
    }
    let owner = manager_login(app, call.manager.as_deref())?;
    if let Some(mut c) = own {
        if phone_changed && c.caller_key != key {
            let phone = call.phone.as_deref().filter(|p| !p.contains('@'));
            let email = call.phone.as_deref().filter(|p| p.contains('@'));
            if !app.store.rekey_callback(c.id, &key, phone, email)? {
                // The corrected number has a callback of its own: this call joins it.
                withdraw(app, actor, c)?;
                return Ok(app.store.join_open_callback(&key, call.id)?);
            }
            c = load(app, c.id)?;
        }
        let owner = owner.as_deref().filter(|_| manager_changed);
        // A time to the minute, as the card shows it, is the callback's own.
        let due = call
            .callback_due
            .filter(|_| due_changed)
            .filter(|d| !crate::callbacks::same_minute(*d, c.due));
        let id = set_terms(app, actor, c, owner, due)?.id;
        app.notices.nudge();
        return Ok(Some(id));
    }
    if promised_before && !outcome_changed {
        // Promised on an earlier save: done, lost, or joined to the caller's own callback,
        // whose terms a time (or manager) corrected on this call still are.
        if due_changed || manager_changed {
            if let Some(joined) = app.store.open_callback_of_call(call.id)? {
                let id = joined.id;
                agreed_on_call(app, actor, joined, call, owner.as_deref())?;
                return Ok(Some(id));
            }
        }
        return Ok(None);
    }
    let phone = call.phone.as_deref().filter(|p| !p.contains('@'));
    let email = call.phone.as_deref().filter(|p| p.contains('@'));
    let promise = Promise {
        call_id: call.id,
        caller_key: &key,
        name: call.name.as_deref(),
        phone,
        email,
        company: call.company.as_deref(),
        owner: owner.as_deref(),
        due: call.callback_due.unwrap_or_else(|| default_due(app)),
        missed: false,
    };
    // A new callback's owner is told in the write that opens it.
    let told = audience(app, Event::Assigned, owner.as_deref())?;
    let tell = |c: &Callback| told.notices(app, c);
    let id = match app
        .store
        .promise_callback(&promise, app.clock.now(), Tell(Some(&tell)))?
    {
        Promised::Opened(id) => {
            actor.audit(
                app,
                "callback",
                format!("callback {id} promised on call {}", call.id),
            );
            id
        }
        Promised::Joined(id) => joined(app, actor, id, &promise, call)?,
    };
    app.notices.nudge();
    Ok(Some(id))
}

/// `call`, promising a callback, joined the caller's open callback `id`: the terms agreed on
/// the call become the callback's. One closed meanwhile (its manager reached the caller while
/// the call was saved) takes no terms: the call's promise opens a callback of its own, so
/// that the call saved is never left promising with nobody to call back.
fn joined(
    app: &App,
    actor: &Actor,
    id: i64,
    promise: &Promise<'_>,
    call: &crate::calls::Call,
) -> Result<i64> {
    actor.audit(
        app,
        "callback",
        format!("callback {id} joined by call {}", call.id),
    );
    match agreed_on_call(app, actor, load(app, id)?, call, promise.owner) {
        Err(ActionError::Invalid(e)) if e.problem == FieldProblem::Closed => {}
        agreed => return agreed.map(|()| id),
    }
    let told = audience(app, Event::Assigned, promise.owner)?;
    let tell = |c: &Callback| told.notices(app, c);
    match app
        .store
        .promise_callback(promise, app.clock.now(), Tell(Some(&tell)))?
    {
        Promised::Opened(new) => {
            actor.audit(
                app,
                "callback",
                format!("callback {new} promised on call {} ({id} closed)", call.id),
            );
            Ok(new)
        }
        Promised::Joined(other) => joined(app, actor, other, promise, call),
    }
}

/// The caller, calling again, agreed a new time on `call` (and, for a callback nobody owns,
/// named a manager): the latest word with the caller is the `joined` callback's terms. Times
/// are agreed to the minute: one within a minute of the callback's is the same; one gone by
/// changes nothing.
fn agreed_on_call(
    app: &App,
    actor: &Actor,
    joined: Callback,
    call: &crate::calls::Call,
    owner: Option<&str>,
) -> Result<()> {
    // A call from before the promise is no later word with the caller.
    if call.started_at < joined.created_at {
        return Ok(());
    }
    let due = call
        .callback_due
        .filter(|d| (*d - joined.due).num_seconds().abs() >= 60 && *d > app.clock.now());
    let owner = owner.filter(|_| joined.owner.is_none());
    if due.is_some() || owner.is_some() {
        set_terms(app, actor, joined, owner, due)?;
    }
    Ok(())
}

/// Refuses a change of a call that would change the open callback it promised (its manager,
/// due time or number, or the promise taken back) by someone who may not change that
/// callback: its owner, a head or an admin may, and so may who took the call (or anyone, on a
/// call no person took: opened by the exchange) while nobody else has touched the callback
/// (the card corrected before anyone acted on it). The refusal names the field that would
/// change it and whose the callback is, so that the card says it under that field, keeping
/// what was typed. A new due time must be ahead, as on the callback itself. Checked before
/// the call is written.
pub fn check_call_change(
    app: &App,
    actor: &Actor,
    was: &crate::calls::Call,
    changes: &CallChanges,
) -> Result<()> {
    use crate::calls::Outcome as CallOutcome;
    let differs = |new: Option<Option<&str>>, old: Option<&str>| new.is_some_and(|n| n != old);
    let manager = differs(
        changes.manager.as_ref().map(Option::as_deref),
        was.manager.as_deref(),
    );
    let phone = differs(
        changes.phone.as_ref().map(Option::as_deref),
        was.phone.as_deref(),
    );
    let due = changes
        .callback_due
        .flatten()
        .filter(|d| Some(*d) != was.callback_due);
    // A time cleared from the call's record, which the callback keeps: the record still
    // speaks of the callback.
    let cleared = changes.callback_due == Some(None) && was.callback_due.is_some();
    let taken_back = was.outcome == Some(CallOutcome::Callback)
        && changes
            .outcome
            .is_some_and(|o| o != Some(CallOutcome::Callback));
    if !(manager || phone || due.is_some() || cleared || taken_back) {
        return Ok(());
    }
    // The callback the call belongs to, or the one its caller has open that the change
    // would join it to (a number corrected along with new terms, in one request).
    let phone_after = match &changes.phone {
        Some(p) => p.as_deref(),
        None => was.phone.as_deref(),
    };
    let promises_after = match changes.outcome {
        Some(o) => o == Some(CallOutcome::Callback),
        None => was.outcome == Some(CallOutcome::Callback),
    };
    let callback = match app.store.open_callback_of_call(was.id)? {
        Some(c) => c,
        None if promises_after => match open_for(app, phone_after)? {
            Some(c) => c,
            None => return Ok(()),
        },
        None => return Ok(()),
    };
    // The card shows the callback's terms as they stand: sent back unchanged, they change
    // nothing, though the call's own record still has the terms first promised.
    let manager = manager
        && changes.manager.clone().flatten().as_deref() != callback.owner.as_deref()
        && manager_login(app, changes.manager.clone().flatten().as_deref())?.as_deref()
            != callback.owner.as_deref();
    let due = due.filter(|d| !crate::callbacks::same_minute(*d, callback.due));
    if !(manager || phone || due.is_some() || cleared || taken_back) {
        return Ok(());
    }
    let took_it = !crate::actions::calls::taken_by_another(app, actor, was)?;
    let started = changes.started_at.unwrap_or(was.started_at);
    let allowed = if callback.call_ids.first() == Some(&was.id) {
        // The call that promised it: who took it corrects its card until someone else acts.
        took_it && callback.attempts.iter().all(|a| a.by == actor.name)
    } else {
        // A later call of the caller, which joined it (or joins it now): who took that call
        // agreed new terms with the caller (the latest word), on a call after the promise;
        // its number or outcome changes no callback.
        (took_it && started >= callback.created_at) || !(manager || due.is_some() || cleared)
    };
    if !allowed && may_change(app, actor, &callback).is_err() {
        let field = match () {
            _ if manager => "manager",
            _ if phone => "phone",
            _ if due.is_some() || cleared => "callback_due",
            _ => "outcome",
        };
        let held = FieldProblem::CallbackHeld(owner_name(app, callback.owner.as_deref())?);
        return Err(FieldError::new(field, held).into());
    }
    if let Some(due) = due.filter(|d| *d != callback.due) {
        check_due(app, "callback_due", due)?;
    }
    Ok(())
}

/// Withdraws the callback a call's card no longer promises: lost, reason `withdrawn`; one
/// already tried by its owner stays as it is.
fn withdraw(app: &App, actor: &Actor, c: Callback) -> Result<i64> {
    let tried = c.attempts.iter().any(|a| {
        matches!(
            a.result,
            Outcome::Reached | Outcome::NoAnswer | Outcome::Lost
        )
    });
    if tried {
        return Ok(c.id);
    }
    let attempt = Attempt {
        at: app.clock.now(),
        by: actor.name.clone(),
        result: Outcome::Lost,
        note: None,
        reason: Some(WITHDRAWN.to_string()),
        from: None,
        next_due: None,
    };
    let change = CallbackChange {
        state: Some(State::Lost),
        lost_reason: Some(WITHDRAWN),
        ..CallbackChange::default()
    };
    match app.store.record_attempt(c.id, &attempt, &change) {
        // Closed meanwhile: there is nothing left to withdraw.
        Err(e) if e.is::<CallbackClosed>() => return Ok(c.id),
        other => other?,
    };
    actor.audit(
        app,
        "callback",
        format!("callback {} withdrawn on its call's card", c.id),
    );
    Ok(c.id)
}

/// Whose callbacks a list shows: `me` (the default), a manager's login, `all`, `none`
/// (unassigned). Only heads and admins see others'.
fn owner_of<'a>(actor: &'a Actor, owner: Option<&'a str>) -> Result<Option<Option<&'a str>>> {
    let me = actor.person.as_deref();
    match owner.map(str::trim) {
        // A machine token is nobody: it names whose callbacks it wants.
        None | Some("") | Some("me") if me.is_none() => Err(FieldError::new(
            "owner",
            FieldProblem::ExpectedOneOf(&["all", "none", "LOGIN"]),
        )
        .into()),
        None | Some("") | Some("me") => Ok(Some(me)),
        Some("all") => {
            actor.require(Role::Head)?;
            Ok(None)
        }
        Some("none") => {
            actor.require(Role::Head)?;
            Ok(Some(None))
        }
        Some(login) if Some(login) == me => Ok(Some(me)),
        Some(login) => {
            actor.require(Role::Head)?;
            Ok(Some(Some(login)))
        }
    }
}

/// The state words a list takes.
pub const STATE_WORDS: &[&str] = &["open", "overdue", "done", "lost"];

/// A callback with what its owner needs beside it: the caller's questions on its calls, each
/// with the answer the desk linked, and their earlier calls.
#[derive(Debug, Clone)]
pub struct Shown {
    /// The callback.
    pub callback: Callback,
    /// Its calls with their questions, oldest first.
    pub calls: Vec<CallRecord>,
    /// The calls its manager opened on reaching the caller, oldest first.
    pub follow_ups: Vec<CallRecord>,
    /// The caller's other calls that logged questions, newest first, at most
    /// [`EARLIER_ASKED`]: what they asked before (a missed call asks nothing). Only on the
    /// callback's own page, not in lists.
    pub earlier: Vec<CallRecord>,
    /// Of the questions above nobody linked, the answer each is counted under (one that
    /// plainly fits it, or its group's): (question id, answer's slug). Only on the callback's
    /// own page, where what to say takes them too.
    pub counted_under: Vec<(i64, String)>,
}

/// The caller's other calls with questions a callback's page shows at most.
pub const EARLIER_ASKED: usize = 3;

/// The callbacks `owner` (`me`, a login, `all`, `none`) has in `state` (`open` by default,
/// `overdue`, `done`, `lost`): open ones soonest due first, so the overdue come first.
pub fn list(
    app: &App,
    actor: &Actor,
    owner: Option<&str>,
    state: Option<&str>,
) -> Result<Vec<Shown>> {
    actor.require(Role::Manager)?;
    let owner = owner_of(actor, owner)?;
    let (state, due_before) = match state.map(str::trim) {
        None | Some("") | Some("open") => (Some(State::Open), None),
        Some("overdue") => (None, Some(app.clock.now())),
        Some("done") => (Some(State::Done), None),
        Some("lost") => (Some(State::Lost), None),
        Some(_) => {
            return Err(FieldError::new("state", FieldProblem::ExpectedOneOf(STATE_WORDS)).into())
        }
    };
    let found = app.store.callbacks(&CallbacksListed {
        owner,
        state,
        due_before,
        limit: LIST_LIMIT,
    })?;
    // A login no account has lists what such a former owner still holds; with nothing held, it
    // is a slip, refused as a hand-over to it would be.
    if let (Some(Some(login)), true) = (owner, found.is_empty()) {
        if app.store.account_by_login(login)?.is_none() && !app.store.owns_callbacks(login)? {
            let unknown = FieldProblem::NoSuchManager(login.to_string());
            return Err(FieldError::new("owner", unknown).into());
        }
    }
    found.into_iter().map(|c| shown(app, c)).collect()
}

/// The words of a desk report figure's callbacks (`/callbacks?from=...&counted=...`).
pub const COUNTED_WORDS: &[&str] = &[
    "promised",
    "in_time",
    "late",
    "caller_called",
    "open",
    "overdue",
    "lost",
];

/// The callbacks behind a figure of the desk report: promised on the desk's days `from` to `to`
/// (`to` is `from` when absent), counted for `owner` (as [`list`] takes it) the way the report
/// counts them (for the manager who held one when it fell due), and of the figure's outcome
/// (`counted`: every one promised when absent or `promised`); newest first; audited.
pub fn counted(
    app: &App,
    actor: &Actor,
    from: &str,
    to: Option<&str>,
    owner: Option<&str>,
    counted: Option<&str>,
) -> Result<Vec<Shown>> {
    use crate::report::desk::CallbackOutcome;
    // The desk report's slices are the head's, as the report is.
    actor.require(Role::Head)?;
    let owner = owner_of(actor, owner)?;
    let days = super::calls::report_days(app, from, to)?;
    let counted = counted.map(str::trim);
    // Overdue ones are open ones past their due time now.
    let overdue = counted == Some("overdue");
    let outcome = match counted {
        None | Some("") | Some("promised") => None,
        Some("in_time") => Some(CallbackOutcome::InTime),
        Some("late") => Some(CallbackOutcome::Late),
        Some("caller_called") => Some(CallbackOutcome::CallerCalled),
        Some("open") | Some("overdue") => Some(CallbackOutcome::Open),
        Some("lost") => Some(CallbackOutcome::Lost),
        Some(_) => {
            let words = FieldProblem::ExpectedOneOf(COUNTED_WORDS);
            return Err(FieldError::new("counted", words).into());
        }
    };
    let mut found: Vec<Callback> = app
        .store
        .callbacks_promised(days.start, days.end)?
        .into_iter()
        .map(|(c, _)| c)
        .collect();
    found.retain(|c| {
        let whose =
            owner.is_none_or(|o| crate::report::counted_owner(c, &app.clock) == o.unwrap_or(""));
        whose
            && outcome.is_none_or(|o| crate::report::counted_outcome(c) == o)
            && (!overdue || c.overdue(app.clock.now()))
    });
    // Promised ones newest first, as the calls behind a figure are; the open ones soonest due
    // first, as a manager's list has them.
    match outcome {
        Some(CallbackOutcome::Open) => {
            found.sort_by(|a, b| a.due.cmp(&b.due).then(a.id.cmp(&b.id)))
        }
        _ => found.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(b.id.cmp(&a.id))),
    }
    found.truncate(LIST_LIMIT);
    actor.audit(
        app,
        "view",
        format!("callbacks promised {} to {}", days.from, days.to),
    );
    found.into_iter().map(|c| shown(app, c)).collect()
}

fn shown(app: &App, callback: Callback) -> Result<Shown> {
    let records = |ids: &[i64]| {
        ids.iter()
            .filter_map(|id| app.store.call(*id).transpose())
            .collect::<anyhow::Result<Vec<_>>>()
    };
    let calls = records(&callback.call_ids)?;
    let follow_ups = records(&app.store.follow_ups_of(callback.id)?)?;
    Ok(Shown {
        callback,
        calls,
        follow_ups,
        earlier: Vec::new(),
        counted_under: Vec::new(),
    })
}

/// Refuses an actor who may not change this callback: its owner, a head or an admin may.
fn may_change(app: &App, actor: &Actor, callback: &Callback) -> Result<()> {
    let own = actor.person.is_some() && callback.owner.as_deref() == actor.person.as_deref();
    if own || actor.role.allows(Role::Head) {
        Ok(())
    } else if actor.role == Role::Manager {
        Err(ActionError::NotTheOwner(owner_name(
            app,
            callback.owner.as_deref(),
        )?))
    } else {
        Err(ActionError::Forbidden(actor.role))
    }
}

/// A callback's owner by the name the desk knows them by.
fn owner_name(app: &App, login: Option<&str>) -> Result<Option<String>> {
    Ok(match login {
        Some(login) => Some(
            app.store
                .account_by_login(login)?
                .and_then(|(a, _)| a.display_name)
                .unwrap_or_else(|| login.to_string()),
        ),
        None => None,
    })
}

/// The owner a change by `actor` to `callback` is decided on, where holding it is what allows
/// it (a manager's own callback; a head acts on anyone's).
fn held_by<'a>(actor: &Actor, callback: &'a Callback) -> Option<Option<&'a str>> {
    (!actor.role.allows(Role::Head)).then_some(callback.owner.as_deref())
}

fn load(app: &App, id: i64) -> Result<Callback> {
    app.store
        .callback(id)?
        .ok_or_else(|| ActionError::not_found(Thing::Callback, id))
}

/// Records an attempt on an open callback; one closed meanwhile (by another request) is
/// refused as closed in `field`, nothing written.
fn record(
    app: &App,
    id: i64,
    attempt: &Attempt,
    change: &CallbackChange<'_>,
    field: &str,
) -> Result<Callback> {
    match app.store.record_attempt(id, attempt, change) {
        Ok(Some(callback)) => Ok(callback),
        Ok(None) => Err(ActionError::not_found(Thing::Callback, id)),
        Err(e) if e.is::<CallbackClosed>() => {
            Err(FieldError::new(field, FieldProblem::Closed).into())
        }
        Err(e) => match e.downcast::<crate::callbacks::CallbackMoved>() {
            Ok(moved) => {
                let owner = owner_name(app, moved.owner.as_deref())?;
                Err(FieldError::new(field, FieldProblem::CallbackHeld(owner)).into())
            }
            Err(e) => Err(e.into()),
        },
    }
}

/// Where a callback stands and its manager's name, for its owner, a head or an admin: what
/// its open page asks to say it changed meanwhile. It carries nothing of the caller, so asking
/// is not audited; a manager it no longer belongs to is told whose it is now.
pub fn standing(app: &App, actor: &Actor, id: i64) -> Result<(Callback, Option<String>)> {
    let callback = load(app, id)?;
    may_change(app, actor, &callback)?;
    let owner = owner_name(app, callback.owner.as_deref())?;
    Ok((callback, owner))
}

/// One callback, for its owner, a head or an admin; viewing it is audited (callers' data).
pub fn one(app: &App, actor: &Actor, id: i64) -> Result<Shown> {
    let callback = load(app, id)?;
    may_change(app, actor, &callback)?;
    actor.audit(app, "view", format!("callback {id}"));
    let phone = callback.phone.clone();
    let mut shown = shown(app, callback)?;
    // What the caller asked on their other calls, newest first.
    if let Some(phone) = phone {
        let own: Vec<i64> = shown
            .calls
            .iter()
            .chain(&shown.follow_ups)
            .map(|r| r.call.id)
            .collect();
        shown.earlier = app
            .store
            .caller(Some(&phone), None)?
            .earlier
            .into_iter()
            .filter(|r| !own.contains(&r.call.id) && !r.questions.is_empty())
            .take(EARLIER_ASKED)
            .collect();
    }
    for q in shown
        .calls
        .iter()
        .chain(&shown.earlier)
        .flat_map(|r| &r.questions)
        .filter(|q| q.answer.is_none())
    {
        if let Some(slug) = app.store.counted_under(q.id)? {
            shown.counted_under.push((q.id, slug));
        }
    }
    Ok(shown)
}

/// What an attempt says.
#[derive(Debug, Clone, Default)]
pub struct Try {
    /// `reached`, `no_answer` or `lost`.
    pub result: String,
    /// What came of it.
    pub note: Option<String>,
    /// When to try again after no answer (an hour of working time by default).
    pub next_due: Option<DateTime<Utc>>,
    /// Why it was lost: one of [`LOST_REASONS`].
    pub reason: Option<String>,
    /// After reaching the caller, open a call on them to log what they ask further.
    pub open_call: bool,
}

/// A due time as typed in `field` (a preset's value, `15:30`, `04.12 10:00`, RFC 3339);
/// `None` when nothing was typed.
pub fn due_field(app: &App, field: &str, text: Option<&str>) -> Result<Option<DateTime<Utc>>> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(t) => crate::callbacks::due_as_said(t, &app.clock, &app.desk.settings.hours)
            .map(Some)
            .ok_or_else(|| {
                // A date or hour that cannot be is said as such, not as no time at all.
                let problem = match crate::callbacks::no_such_moment(t, app.clock.today()) {
                    Some(crate::callbacks::NoSuch::Date(said)) => FieldProblem::NoSuchDate(said),
                    Some(crate::callbacks::NoSuch::Time(said)) => FieldProblem::NoSuchTime(said),
                    None => FieldProblem::ExpectedDueTime,
                };
                FieldError::new(field, problem).into()
            }),
    }
}

/// A due time as typed, read before it is saved (the card and a callback's page say how they
/// read it while it is typed): when, and whether it falls outside the desk's hours. Refused as
/// saving it would refuse it: unreadable, gone by, or too far ahead.
pub fn read_due(app: &App, text: &str) -> Result<(DateTime<Utc>, bool)> {
    let due = due_field(app, "text", Some(text))?
        .ok_or_else(|| FieldError::new("text", FieldProblem::Required))?;
    check_due(app, "text", due)?;
    let off_hours = !app.desk.settings.hours.is_open(app.clock.local(due));
    Ok((due, off_hours))
}

/// Records an attempt: reached (done, and optionally a secondary call opened on the caller,
/// whose id is returned), no answer (tried again at `next_due`), or lost (with a reason).
pub fn attempt(app: &App, actor: &Actor, id: i64, t: &Try) -> Result<(Callback, Option<i64>)> {
    let callback = load(app, id)?;
    may_change(app, actor, &callback)?;
    if callback.state != State::Open {
        return Err(FieldError::new("result", FieldProblem::Closed).into());
    }
    let result = Outcome::parse(&t.result)
        .filter(|r| Outcome::ATTEMPT_WORDS.contains(&r.as_str()))
        .ok_or_else(|| {
            FieldError::new(
                "result",
                FieldProblem::ExpectedOneOf(Outcome::ATTEMPT_WORDS),
            )
        })?;
    let note = t.note.as_deref().map(str::trim).filter(|n| !n.is_empty());
    if note.is_some_and(|n| n.chars().count() > crate::calls::MAX_FIELD_CHARS) {
        return Err(
            FieldError::new("note", FieldProblem::TooLong(crate::calls::MAX_FIELD_CHARS)).into(),
        );
    }
    let mut change = CallbackChange::default();
    let (mut reason, mut next_due) = (None, None);
    match result {
        Outcome::Reached => change.state = Some(State::Done),
        Outcome::Lost => {
            let why = t
                .reason
                .as_deref()
                .filter(|r| LOST_REASONS.contains(r))
                .ok_or_else(|| {
                    FieldError::new("reason", FieldProblem::ExpectedOneOf(LOST_REASONS))
                })?;
            // «Другое» says nothing by itself: the note says what it was.
            if why == "other" && note.is_none() {
                return Err(FieldError::new("note", FieldProblem::SayWhy).into());
            }
            change.state = Some(State::Lost);
            change.lost_reason = Some(why);
            reason = Some(why.to_string());
        }
        _ => {
            // Not reached before the time agreed: that time stays, unless another is given.
            let due = t
                .next_due
                .unwrap_or_else(|| default_due(app).max(callback.due));
            check_due(app, "next_due", due)?;
            change.due = Some(due);
            // The next try, as a reschedule names its time.
            reason = Some(app.clock.date_time_text(due));
            next_due = Some(due);
        }
    }
    let now = app.clock.now();
    let tried = Attempt {
        at: now,
        by: actor.name.clone(),
        result,
        note: note.map(str::to_string),
        reason,
        from: None,
        next_due,
    };
    // Done and lost are told in the write that records them (the calls it was promised on
    // read «перезвонили» in it too).
    let event = match result {
        Outcome::Reached => Some(Event::Done),
        Outcome::Lost => Some(Event::Lost),
        _ => None,
    };
    let told = match event {
        Some(event) => Some(audience(app, event, callback.owner.as_deref())?),
        None => None,
    };
    let tell = |c: &Callback| told.as_ref().map_or_else(Vec::new, |a| a.notices(app, c));
    change.tell = Tell(Some(&tell));
    change.held_by = held_by(actor, &callback);
    let callback = record(app, id, &tried, &change, "result")?;
    actor.audit(
        app,
        "callback",
        format!("callback {id} {}", result.as_str()),
    );
    let opened = if result == Outcome::Reached && t.open_call {
        Some(open_follow_up(app, actor, &callback)?)
    } else {
        None
    };
    app.notices.nudge();
    Ok((callback, opened))
}

/// A call on a reached caller, where the manager logs what they ask further: of the kind the
/// call that promised the callback was (a first-time caller stays one), a potential client and
/// its number read back if they were there.
fn open_follow_up(app: &App, actor: &Actor, callback: &Callback) -> Result<i64> {
    let promising = match callback.call_ids.first() {
        Some(&id) => app.store.call(id)?.map(|r| r.call),
        None => None,
    };
    let changes = CallChanges {
        kind: Some(promising.as_ref().map_or(CallKind::Secondary, |c| c.kind)),
        potential_client: Some(promising.as_ref().is_some_and(|c| c.potential_client)),
        // The number was read back on the call that promised, and has just been called.
        contact_confirmed: Some(promising.as_ref().is_some_and(|c| c.contact_confirmed)),
        name: Some(callback.name.clone()),
        phone: Some(callback.phone.clone().or_else(|| callback.email.clone())),
        company: Some(callback.company.clone()),
        // What the call was about stays what it is about.
        topic: Some(promising.as_ref().and_then(|c| c.topic.clone())),
        ..CallChanges::default()
    };
    Ok(
        super::calls::open_follow_up(app, actor, changes, callback.id)?
            .call
            .id,
    )
}

/// Hands a callback over to another manager, or moves when it is due; both checked before
/// either is written.
pub fn change(
    app: &App,
    actor: &Actor,
    id: i64,
    owner: Option<&str>,
    due: Option<DateTime<Utc>>,
) -> Result<Callback> {
    let callback = load(app, id)?;
    may_change(app, actor, &callback)?;
    if callback.state != State::Open {
        let field = if owner.is_some() { "owner" } else { "due" };
        return Err(FieldError::new(field, FieldProblem::Closed).into());
    }
    // Sent with neither (Enter in an empty time): nothing to change is said, not done silently.
    if owner.is_none() && due.is_none() {
        return Err(FieldError::new("due", FieldProblem::Required).into());
    }
    let login = owner
        .map(|owner| {
            manager_login(app, Some(owner))?.ok_or_else(|| {
                ActionError::from(FieldError::new(
                    "owner",
                    FieldProblem::NoSuchManager(owner.to_string()),
                ))
            })
        })
        .transpose()?;
    if let Some(due) = due {
        check_due(app, "due", due)?;
    }
    let callback = set_terms(app, actor, callback, login.as_deref(), due)?;
    app.notices.nudge();
    Ok(callback)
}

/// Gives an open callback to `owner` and makes it due at `due`, where they differ from its
/// own; each change is an attempt of its own kind (handed over, rescheduled), audited.
fn set_terms(
    app: &App,
    actor: &Actor,
    mut callback: Callback,
    owner: Option<&str>,
    due: Option<DateTime<Utc>>,
) -> Result<Callback> {
    let (id, now) = (callback.id, app.clock.now());
    if let Some(due) = due.filter(|d| *d != callback.due) {
        let moved = Attempt {
            at: now,
            by: actor.name.clone(),
            result: Outcome::Rescheduled,
            note: None,
            reason: Some(app.clock.date_time_text(due)),
            from: None,
            next_due: Some(due),
        };
        let change = CallbackChange {
            due: Some(due),
            held_by: held_by(actor, &callback),
            ..CallbackChange::default()
        };
        callback = record(app, id, &moved, &change, "due")?;
        actor.audit(
            app,
            "callback",
            format!("callback {id} due {}", app.clock.date_time_text(due)),
        );
    }
    if let Some(login) = owner.filter(|o| callback.owner.as_deref() != Some(*o)) {
        let handed = Attempt {
            at: now,
            by: actor.name.clone(),
            result: Outcome::HandedOver,
            note: None,
            reason: Some(login.to_string()),
            from: None,
            next_due: None,
        };
        // The new owner is told in the write that hands it over, and the one before (unless
        // they handed it over themselves) that it is no longer theirs.
        let told = audience(app, Event::Assigned, Some(login))?;
        let away = match callback.owner.as_deref() {
            Some(before) if before != actor.name => {
                Some(notices::handed_away(app, before, Some(login))?)
            }
            _ => None,
        };
        let tell = |c: &Callback| {
            let mut all = told.notices(app, c);
            all.extend(away.iter().flat_map(|a| a.notices(app, c)));
            all
        };
        let change = CallbackChange {
            owner: Some(Some(login)),
            tell: Tell(Some(&tell)),
            held_by: held_by(actor, &callback),
            ..CallbackChange::default()
        };
        callback = record(app, id, &handed, &change, "owner")?;
        actor.audit(
            app,
            "callback",
            format!("callback {id} handed over to {login}"),
        );
    }
    Ok(callback)
}

/// Closes a call's open callback from the desk: the caller called again and was helped there
/// («поговорили сейчас»). Operators may do this.
pub fn close_from_call(app: &App, actor: &Actor, call_id: i64) -> Result<Callback> {
    let callback = app
        .store
        .open_callback_of_call(call_id)?
        .ok_or_else(|| ActionError::not_found(Thing::CallbackOfCall, call_id))?;
    // The desk closes it on a call of the caller's that came after the promise, which this
    // operator took; any other way, it is for its manager or a head.
    let call = app
        .store
        .call(call_id)?
        .ok_or_else(|| ActionError::not_found(Thing::Call, call_id))?
        .call;
    let after =
        callback.call_ids.first() != Some(&call_id) && call.started_at >= callback.created_at;
    if !after || crate::actions::calls::taken_by_another(app, actor, &call)? {
        may_change(app, actor, &callback)?;
    }
    let talked = Attempt {
        at: app.clock.now(),
        by: actor.name.clone(),
        result: Outcome::TalkedAtDesk,
        note: Some(format!("call {call_id}")),
        reason: None,
        from: None,
        next_due: None,
    };
    let told = audience(app, Event::Done, callback.owner.as_deref())?;
    let tell = |c: &Callback| told.notices(app, c);
    let change = CallbackChange {
        state: Some(State::Done),
        tell: Tell(Some(&tell)),
        ..CallbackChange::default()
    };
    let done = record(app, callback.id, &talked, &change, "callback")?;
    actor.audit(
        app,
        "callback",
        format!("callback {} closed on call {call_id}", done.id),
    );
    app.notices.nudge();
    Ok(done)
}

/// [`close_from_call`], unless the callback was closed meanwhile (its manager was quicker):
/// whether this closed it.
pub fn close_if_open_from_call(app: &App, actor: &Actor, call_id: i64) -> Result<bool> {
    match close_from_call(app, actor, call_id) {
        Ok(_) => Ok(true),
        Err(ActionError::NotFound(..)) => Ok(false),
        Err(e) => Err(e),
    }
}

/// The caller's open callback, if any, as the desk shows it when they call again.
pub fn open_for(app: &App, phone: Option<&str>) -> Result<Option<Callback>> {
    match callbacks::caller_key(phone) {
        Some(key) => Ok(app.store.open_callback_of(&key)?),
        None => Ok(None),
    }
}

/// How many open callbacks the signed-in person owns (a head: everyone's), and how many are
/// overdue.
pub fn counts(app: &App, actor: &Actor) -> Result<(i64, i64)> {
    let now = app.clock.now();
    match &actor.person {
        // A head's menu counts everyone's, as their list shows them.
        Some(_) if actor.role.allows(Role::Head) => Ok(app.store.callback_counts(None, now)?),
        Some(me) if actor.role.allows(Role::Manager) => {
            Ok(app.store.callback_counts(Some(me), now)?)
        }
        _ => Ok((0, 0)),
    }
}

mod notices;
pub use notices::{audience, failing_notices, notify, Audience, Event};

/// How many open callbacks each owner has (owners with none left out): what disabling one
/// leaves to the heads.
pub fn open_owned(app: &App) -> Result<std::collections::HashMap<String, i64>> {
    Ok(app.store.open_callbacks_by_owner()?)
}

#[cfg(test)]
mod tests;
