//! Promised callbacks (`callbacks`, `callback_calls`, `callback_attempts`): one open per caller,
//! enforced by the database itself (a unique index on the caller's key among open ones), so
//! that two calls of the same caller at once can never make two.

use super::rows::parse_stamp;
use super::{stamp, write, Store};
use crate::callbacks::{Attempt, Callback, CallbackClosed, Outcome, State};
use anyhow::{Context, Result};
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row};

const COLUMNS: &str =
    "id, caller_key, name, phone, email, company, owner, due, state, created_at, \
     closed_at, called_again, missed_calls, first_attempt, lost_reason, note, promised_due";

/// SQL: when callback `cb` (a table's alias or name) was promised: when the call that opened it
/// (the first recorded) started, no later than the callback was written (a start corrected to
/// after it moves it no later than that).
fn promised_at(cb: &str) -> String {
    format!(
        "MIN(COALESCE((SELECT c.started_at FROM callback_calls x JOIN calls c ON c.id = x.call_id \
         WHERE x.callback_id = {cb}.id ORDER BY c.id LIMIT 1), {cb}.created_at), {cb}.created_at)"
    )
}

fn callback_from_row(r: &Row<'_>) -> rusqlite::Result<Callback> {
    let state: String = r.get(8)?;
    let optional_stamp = |i: usize| -> rusqlite::Result<Option<DateTime<Utc>>> {
        r.get::<_, Option<String>>(i)?
            .map(|t| parse_stamp(i, t))
            .transpose()
    };
    Ok(Callback {
        id: r.get(0)?,
        caller_key: r.get(1)?,
        name: r.get(2)?,
        phone: r.get(3)?,
        email: r.get(4)?,
        company: r.get(5)?,
        owner: r.get(6)?,
        due: parse_stamp(7, r.get(7)?)?,
        promised_due: optional_stamp(16)?,
        state: State::parse(&state).unwrap_or(State::Open),
        created_at: parse_stamp(9, r.get(9)?)?,
        closed_at: optional_stamp(10)?,
        called_again: r.get(11)?,
        missed_calls: r.get(12)?,
        first_attempt: optional_stamp(13)?,
        lost_reason: r.get(14)?,
        note: r.get(15)?,
        call_ids: Vec::new(),
        attempts: Vec::new(),
    })
}

/// A callback promised on a call.
#[derive(Debug, Clone)]
pub struct Promise<'a> {
    /// The call it is promised on.
    pub call_id: i64,
    /// The caller's key (phone or e-mail in normal form; `call:ID` when there is none).
    pub caller_key: &'a str,
    /// The caller's name.
    pub name: Option<&'a str>,
    /// Their phone.
    pub phone: Option<&'a str>,
    /// Their e-mail.
    pub email: Option<&'a str>,
    /// Their company.
    pub company: Option<&'a str>,
    /// The manager who owns it.
    pub owner: Option<&'a str>,
    /// When it is due.
    pub due: DateTime<Utc>,
    /// A missed call (the exchange's) rather than a promise of the desk.
    pub missed: bool,
}

/// What a promise did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Promised {
    /// A new callback.
    Opened(i64),
    /// The caller's open one, which this call joined.
    Joined(i64),
}

/// Which callbacks to list.
#[derive(Debug, Clone, Default)]
pub struct Listed<'a> {
    /// Only this owner's (`Some(None)`: the unassigned ones); everyone's when `None`.
    pub owner: Option<Option<&'a str>>,
    /// Only in this state.
    pub state: Option<State>,
    /// Only open and due before this moment.
    pub due_before: Option<DateTime<Utc>>,
    /// At most this many (newest due first among closed, soonest due first among open).
    pub limit: usize,
}

/// Minutes within which the same person's new due time corrects their last one, recorded as
/// one reschedule.
const CORRECTED_WITHIN_MINUTES: i64 = 15;

/// Whether a new due time is the promise still being agreed, not a reschedule: set by who
/// took the call that promised it, within [`CORRECTED_WITHIN_MINUTES`] of the promise, before
/// anything else was done with the callback and before the caller called again.
fn still_agreed(conn: &Connection, c: &Callback, attempt: &Attempt) -> Result<bool> {
    if attempt.result != Outcome::Rescheduled
        || !c.attempts.is_empty()
        || c.call_ids.len() != 1
        || c.called_again > 0
        || attempt.at - c.created_at > chrono::Duration::minutes(CORRECTED_WITHIN_MINUTES)
    {
        return Ok(false);
    }
    let Some(first) = c.call_ids.first() else {
        return Ok(false);
    };
    let operator: Option<String> = conn
        .prepare_cached("SELECT operator FROM calls WHERE id = ?1")?
        .query_row([first], |r| r.get(0))
        .optional()?
        .flatten();
    Ok(operator.is_some_and(|o| o.eq_ignore_ascii_case(&attempt.by)))
}

/// A change an attempt makes to its callback.
#[derive(Debug, Clone, Default)]
pub struct Change<'a> {
    /// The new state.
    pub state: Option<State>,
    /// The new due time.
    pub due: Option<DateTime<Utc>>,
    /// The new owner.
    pub owner: Option<Option<&'a str>>,
    /// Why it was lost.
    pub lost_reason: Option<&'a str>,
    /// The notices it gives, enqueued with it.
    pub tell: super::Tell<'a>,
    /// The owner the change was decided on, where holding it is what allows it: another
    /// owner by the time it is written refuses it ([`crate::callbacks::CallbackMoved`]).
    pub held_by: Option<Option<&'a str>>,
}

/// Enqueues on `conn` (a change's transaction) the notices `tell` makes of the callback as the
/// change leaves it.
pub(super) fn tell_in(
    conn: &Connection,
    tell: super::Tell<'_>,
    callback: Option<&Callback>,
    at: DateTime<Utc>,
) -> Result<()> {
    if let (Some(tell), Some(callback)) = (tell.0, callback) {
        for notice in tell(callback) {
            super::notices::insert(conn, &notice, at)?;
        }
    }
    Ok(())
}

pub(super) fn load(conn: &Connection, id: i64) -> Result<Option<Callback>> {
    let Some(mut c) = conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM callbacks WHERE id = ?1"))?
        .query_row([id], callback_from_row)
        .optional()?
    else {
        return Ok(None);
    };
    c.call_ids = conn
        .prepare_cached(
            "SELECT call_id FROM callback_calls WHERE callback_id = ?1 ORDER BY call_id",
        )?
        .query_map([id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    c.attempts = conn
        .prepare_cached(
            "SELECT at, by, result, note, reason, from_owner, next_due FROM callback_attempts WHERE callback_id = ?1 ORDER BY at, id",
        )?
        .query_map([id], |r| {
            let result: String = r.get(2)?;
            Ok(Attempt {
                at: parse_stamp(0, r.get(0)?)?,
                by: r.get(1)?,
                result: Outcome::parse(&result).unwrap_or(Outcome::NoAnswer),
                note: r.get(3)?,
                reason: r.get(4)?,
                from: r.get(5)?,
                next_due: r
                    .get::<_, Option<String>>(6)?
                    .map(|t| parse_stamp(6, t))
                    .transpose()?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(Some(c))
}

/// Puts back a callback as an export wrote it, promised on `call_id` by `caller_key`, inside
/// the importing transaction: its id; `None`, writing nothing, when it is open and the caller
/// has an open one already (the call then joins that one, as any promise would). An open one
/// overdue by `now` is listed for the heads, not announced again.
pub(super) fn put_back(
    tx: &Connection,
    line: &crate::calls::transfer::CallbackLine,
    (call_id, caller_key): (i64, &str),
    call: &crate::calls::Call,
    now: DateTime<Utc>,
) -> Result<Option<i64>> {
    let open = line.state == crate::callbacks::State::Open;
    if open {
        let taken: bool = tx
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM callbacks WHERE caller_key = ?1 AND state = 'open')",
            )?
            .query_row([caller_key], |r| r.get(0))?;
        if taken {
            return Ok(None);
        }
    }
    let phone = call.phone.as_deref();
    let told = open && line.due < now;
    tx.prepare_cached(
        "INSERT INTO callbacks (caller_key, name, phone, email, company, owner, due, promised_due,          state, created_at, closed_at, called_again, missed_calls, first_attempt, lost_reason, note,          overdue_told, escalated)          VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?17)",
    )?
    .execute(params![
        caller_key,
        call.name,
        phone.filter(|p| !p.contains('@')),
        phone.filter(|p| p.contains('@')),
        call.company,
        line.owner,
        stamp(line.due),
        stamp(line.promised_due.unwrap_or(line.due)),
        line.state.as_str(),
        stamp(line.created_at),
        line.closed_at.map(stamp),
        line.called_again,
        line.missed_calls,
        // A line that lists its attempts but not when the first was (written by hand, or by
        // another system) has it from them, as recording them would have set it.
        line.first_attempt
            .or_else(|| {
                line.attempts
                    .iter()
                    .filter(|a| matches!(a.result, Outcome::Reached | Outcome::NoAnswer | Outcome::Lost))
                    .map(|a| a.at)
                    .min()
            })
            .map(stamp),
        line.lost_reason,
        line.note,
        // Closed ones are past telling; open ones overdue already were told before.
        !open || told,
    ])?;
    let id = tx.last_insert_rowid();
    tx.prepare_cached("INSERT INTO callback_calls (callback_id, call_id) VALUES (?1, ?2)")?
        .execute(params![id, call_id])?;
    let mut attempt = tx.prepare_cached(
        "INSERT INTO callback_attempts (callback_id, at, by, result, note, reason, from_owner, next_due)          VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    for a in &line.attempts {
        attempt.execute(params![
            id,
            stamp(a.at),
            a.by,
            a.result.as_str(),
            a.note,
            a.reason,
            a.from,
            a.next_due.map(stamp)
        ])?;
    }
    Ok(Some(id))
}

/// Opens or joins a callback inside the caller's transaction (see [`Store::promise_callback`]):
/// an exchange's event, or an import adopting many at once.
pub(super) fn promise(tx: &Connection, p: &Promise<'_>, now: DateTime<Utc>) -> Result<Promised> {
    let open: Option<i64> = tx
        .prepare_cached("SELECT id FROM callbacks WHERE caller_key = ?1 AND state = 'open'")?
        .query_row([p.caller_key], |r| r.get(0))
        .optional()?;
    let promised = match open {
        Some(id) => {
            let new_call = tx
                .prepare_cached(
                    "INSERT OR IGNORE INTO callback_calls (callback_id, call_id) VALUES (?1, ?2)",
                )?
                .execute(params![id, p.call_id])?
                > 0;
            if new_call {
                let column = if p.missed {
                    "missed_calls"
                } else {
                    "called_again"
                };
                tx.execute(
                    &format!("UPDATE callbacks SET {column} = {column} + 1 WHERE id = ?1"),
                    [id],
                )?;
            }
            Promised::Joined(id)
        }
        None => {
            tx.prepare_cached(
                    "INSERT INTO callbacks (caller_key, name, phone, email, company, owner, due, promised_due, state, created_at, missed_calls) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, 'open', ?8, ?9)",
                )?
                .execute(params![
                    p.caller_key,
                    p.name,
                    p.phone,
                    p.email,
                    p.company,
                    p.owner,
                    stamp(p.due),
                    stamp(now),
                    i64::from(p.missed)
                ])?;
            let id = tx.last_insert_rowid();
            tx.prepare_cached("INSERT INTO callback_calls (callback_id, call_id) VALUES (?1, ?2)")?
                .execute(params![id, p.call_id])?;
            Promised::Opened(id)
        }
    };
    Ok(promised)
}

impl Store {
    /// Opens a callback for a call, or, when the caller has an open one, joins the call to it
    /// (counted as "called again", or as one more missed call) and never makes a second.
    /// A new callback's notices (`tell`) are enqueued in the same write.
    pub fn promise_callback(
        &self,
        p: &Promise<'_>,
        now: DateTime<Utc>,
        tell: super::Tell<'_>,
    ) -> Result<Promised> {
        let mut conn = self.lock();
        let tx = write(&mut conn).context("promising a callback")?;
        let promised = promise(&tx, p, now)?;
        if let Promised::Opened(id) = promised {
            tell_in(&tx, tell, load(&tx, id)?.as_ref(), now)?;
        }
        tx.commit().context("saving a callback")?;
        Ok(promised)
    }

    /// Joins a call of a caller who has an open callback to it ("called again before we called
    /// back"); the callback's id, if there is one.
    pub fn join_open_callback(&self, caller_key: &str, call_id: i64) -> Result<Option<i64>> {
        let mut conn = self.lock();
        let tx = write(&mut conn).context("joining a call to its callback")?;
        let open: Option<i64> = tx
            .prepare_cached("SELECT id FROM callbacks WHERE caller_key = ?1 AND state = 'open'")?
            .query_row([caller_key], |r| r.get(0))
            .optional()?;
        if let Some(id) = open {
            let joined = tx
                .prepare_cached(
                    "INSERT OR IGNORE INTO callback_calls (callback_id, call_id) VALUES (?1, ?2)",
                )?
                .execute(params![id, call_id])?
                > 0;
            if joined {
                tx.execute(
                    "UPDATE callbacks SET called_again = called_again + 1 WHERE id = ?1",
                    [id],
                )?;
            }
        }
        tx.commit().context("joining a call to its callback")?;
        Ok(open)
    }

    /// A callback with its calls and attempts.
    pub fn callback(&self, id: i64) -> Result<Option<Callback>> {
        load(&self.read(), id).with_context(|| format!("reading callback {id}"))
    }

    /// The caller's open callback, if any.
    pub fn open_callback_of(&self, caller_key: &str) -> Result<Option<Callback>> {
        let conn = self.read();
        let id: Option<i64> = conn
            .prepare_cached("SELECT id FROM callbacks WHERE caller_key = ?1 AND state = 'open'")?
            .query_row([caller_key], |r| r.get(0))
            .optional()?;
        match id {
            Some(id) => load(&conn, id),
            None => Ok(None),
        }
    }

    /// The open callback a call belongs to, if any.
    pub fn open_callback_of_call(&self, call_id: i64) -> Result<Option<Callback>> {
        let conn = self.read();
        let id: Option<i64> = conn
            .prepare_cached(
                "SELECT c.id FROM callbacks c JOIN callback_calls cc ON cc.callback_id = c.id \
                 WHERE cc.call_id = ?1 AND c.state = 'open'",
            )?
            .query_row([call_id], |r| r.get(0))
            .optional()?;
        match id {
            Some(id) => load(&conn, id),
            None => Ok(None),
        }
    }

    /// The latest callback a call belongs to, open or closed.
    pub fn callback_of_call(&self, call_id: i64) -> Result<Option<Callback>> {
        let conn = self.read();
        let id: Option<i64> = conn
            .prepare_cached(
                "SELECT callback_id FROM callback_calls WHERE call_id = ?1 \
                 ORDER BY callback_id DESC LIMIT 1",
            )?
            .query_row([call_id], |r| r.get(0))
            .optional()?;
        match id {
            Some(id) => load(&conn, id),
            None => Ok(None),
        }
    }

    /// Files an open callback under another caller (the promising call's phone corrected):
    /// `false`, changing nothing, when that caller has an open callback already.
    pub fn rekey_callback(
        &self,
        id: i64,
        caller_key: &str,
        phone: Option<&str>,
        email: Option<&str>,
    ) -> Result<bool> {
        let mut conn = self.lock();
        let tx = write(&mut conn).context("filing a callback under another caller")?;
        let taken: bool = tx
            .prepare_cached(
                "SELECT EXISTS(SELECT 1 FROM callbacks WHERE caller_key = ?1 AND state = 'open' AND id <> ?2)",
            )?
            .query_row(params![caller_key, id], |r| r.get(0))?;
        if taken {
            return Ok(false);
        }
        tx.execute(
            "UPDATE callbacks SET caller_key = ?2, phone = ?3, email = ?4 WHERE id = ?1 AND state = 'open'",
            params![id, caller_key, phone, email],
        )?;
        tx.commit().context("saving a callback's caller")?;
        Ok(true)
    }

    /// Callbacks as `which` says, open ones soonest due first, closed ones latest closed first.
    pub fn callbacks(&self, which: &Listed<'_>) -> Result<Vec<Callback>> {
        let conn = self.read();
        let mut sql = String::from("SELECT id FROM callbacks WHERE 1 = 1");
        let mut args: Vec<Box<dyn rusqlite::ToSql>> = Vec::new();
        match which.owner {
            Some(Some(owner)) => {
                args.push(Box::new(owner.to_string()));
                sql.push_str(&format!(" AND owner = ?{}", args.len()));
            }
            Some(None) => sql.push_str(" AND owner IS NULL"),
            None => {}
        }
        if let Some(state) = which.state {
            args.push(Box::new(state.as_str()));
            sql.push_str(&format!(" AND state = ?{}", args.len()));
        }
        if let Some(before) = which.due_before {
            args.push(Box::new(stamp(before)));
            sql.push_str(&format!(" AND state = 'open' AND due < ?{}", args.len()));
        }
        // Open ones by due time, the caller waiting longest first among those due together
        // (since the call that made the promise, as the report dates it: the first recorded
        // call's start, no later than the callback was written); closed ones newest first.
        sql.push_str(&format!(
            " ORDER BY state <> 'open', CASE WHEN state = 'open' THEN due END, \
             CASE WHEN state = 'open' THEN {promised} END, \
             CASE WHEN state = 'open' THEN id END, closed_at DESC, id DESC",
            promised = promised_at("callbacks"),
        ));
        args.push(Box::new(which.limit.max(1) as i64));
        sql.push_str(&format!(" LIMIT ?{}", args.len()));
        let ids: Vec<i64> = conn
            .prepare(&sql)?
            .query_map(rusqlite::params_from_iter(args.iter()), |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()
            .context("listing callbacks")?;
        ids.into_iter()
            .filter_map(|id| load(&conn, id).transpose())
            .collect()
    }

    /// The caller of an open callback named again (their name and company, as the card that
    /// promised it now has them).
    pub fn rename_callback_caller(
        &self,
        id: i64,
        name: Option<&str>,
        company: Option<&str>,
    ) -> Result<()> {
        let mut conn = self.lock();
        let tx = write(&mut conn).context("naming a callback's caller")?;
        tx.execute(
            "UPDATE callbacks SET name = ?2, company = ?3 WHERE id = ?1 AND state = 'open'",
            params![id, name, company],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The callback whose manager opened call `call_id` on reaching its caller, if it is such
    /// a follow-up call.
    pub fn followed_up(&self, call_id: i64) -> Result<Option<i64>> {
        follow_up_of(&self.read(), call_id)
    }

    /// The calls its manager opened on reaching the caller of callback `id`, oldest first.
    pub fn follow_ups_of(&self, id: i64) -> Result<Vec<i64>> {
        Ok(self
            .read()
            .prepare_cached(
                "SELECT call_id FROM callback_follow_ups WHERE callback_id = ?1 ORDER BY call_id",
            )?
            .query_map([id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?)
    }

    /// Whether `owner` holds any callback, in any state.
    pub fn owns_callbacks(&self, owner: &str) -> Result<bool> {
        Ok(self
            .read()
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM callbacks WHERE owner = ?1)")?
            .query_row(params![owner], |r| r.get(0))?)
    }

    /// How many open callbacks each owner has (owners with none left out).
    pub fn open_callbacks_by_owner(&self) -> Result<std::collections::HashMap<String, i64>> {
        self.read()
            .prepare_cached(
                "SELECT owner, COUNT(*) FROM callbacks \
                 WHERE state = 'open' AND owner IS NOT NULL GROUP BY owner",
            )?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()
            .context("counting open callbacks by owner")
    }

    /// How many open callbacks `owner` has, and how many of them are past due at `now`.
    pub fn callback_counts(&self, owner: Option<&str>, now: DateTime<Utc>) -> Result<(i64, i64)> {
        self.read()
            .prepare_cached(
                "SELECT COUNT(*), COALESCE(SUM(due < ?2), 0) FROM callbacks \
                 WHERE (?1 IS NULL OR owner = ?1) AND state = 'open'",
            )?
            .query_row(params![owner, stamp(now)], |r| Ok((r.get(0)?, r.get(1)?)))
            .context("counting callbacks")
    }

    /// Records an attempt (or another change) and what it changes, in one transaction; the
    /// callback as it is now, `None` when there is no such callback. Only an open callback
    /// takes one: a closed one (perhaps closed by another request a moment before) gives
    /// [`CallbackClosed`] and nothing is written.
    pub fn record_attempt(
        &self,
        id: i64,
        attempt: &Attempt,
        change: &Change<'_>,
    ) -> Result<Option<Callback>> {
        let mut conn = self.lock();
        let tx = write(&mut conn).context("recording an attempt")?;
        let (owner, agreeing) = match load(&tx, id)? {
            None => return Ok(None),
            Some(c) if c.state != State::Open => {
                return Err(CallbackClosed { callback_id: id }.into())
            }
            Some(c)
                if change
                    .held_by
                    .is_some_and(|held| held != c.owner.as_deref()) =>
            {
                return Err(crate::callbacks::CallbackMoved {
                    callback_id: id,
                    owner: c.owner,
                }
                .into())
            }
            Some(c) => {
                let agreeing = still_agreed(&tx, &c, attempt)?;
                (c.owner, agreeing)
            }
        };
        // The time still being agreed on the call that promised it (the operator corrects the
        // card while the caller is on the line): the promise is that time, and nothing was
        // moved.
        if let (true, Some(due)) = (agreeing, change.due) {
            tx.execute(
                "UPDATE callbacks SET due = ?2, promised_due = ?2, overdue_told = 0, escalated = 0 \
                 WHERE id = ?1",
                params![id, stamp(due)],
            )?;
            let now = load(&tx, id)?;
            tell_in(&tx, change.tell, now.as_ref(), attempt.at)?;
            tx.commit().context("saving an attempt")?;
            return Ok(now);
        }
        // Whose it was, on a hand-over: `""` for nobody's (NULL is a hand-over of before).
        let from = (attempt.result == Outcome::HandedOver).then(|| owner.unwrap_or_default());
        // A time corrected again by the same person within minutes (a card adjusted while
        // the caller is on the line) is one reschedule, to the time last set.
        let corrected: Option<i64> = if attempt.result == Outcome::Rescheduled {
            tx.prepare_cached(
                "SELECT id FROM callback_attempts WHERE callback_id = ?1 \
                 AND id = (SELECT MAX(id) FROM callback_attempts WHERE callback_id = ?1) \
                 AND result = 'rescheduled' AND by = ?2 AND at >= ?3",
            )?
            .query_row(
                params![
                    id,
                    attempt.by,
                    stamp(attempt.at - chrono::Duration::minutes(CORRECTED_WITHIN_MINUTES))
                ],
                |r| r.get(0),
            )
            .optional()?
        } else {
            None
        };
        match corrected {
            Some(last) => {
                tx.prepare_cached(
                    "UPDATE callback_attempts SET at = ?2, reason = ?3, next_due = ?4 WHERE id = ?1",
                )?
                .execute(params![
                    last,
                    stamp(attempt.at),
                    attempt.reason,
                    attempt.next_due.map(stamp)
                ])?;
            }
            None => {
                tx.prepare_cached(
                    "INSERT INTO callback_attempts (callback_id, at, by, result, note, reason, from_owner, next_due) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                )?
                .execute(params![
                    id,
                    stamp(attempt.at),
                    attempt.by,
                    attempt.result.as_str(),
                    attempt.note,
                    attempt.reason,
                    from,
                    attempt.next_due.map(stamp)
                ])?;
            }
        }
        if matches!(
            attempt.result,
            Outcome::Reached | Outcome::NoAnswer | Outcome::Lost
        ) {
            tx.execute(
                "UPDATE callbacks SET first_attempt = COALESCE(first_attempt, ?2), note = ?3 WHERE id = ?1",
                params![id, stamp(attempt.at), attempt.note],
            )?;
        }
        if let Some(state) = change.state {
            let closed = (state != State::Open).then(|| stamp(attempt.at));
            tx.execute(
                "UPDATE callbacks SET state = ?2, closed_at = ?3 WHERE id = ?1",
                params![id, state.as_str(), closed],
            )?;
            // The calls that promised it, or asked after it, read «перезвонили» in the day's
            // list, written with the result that closed it.
            if state == State::Done {
                tx.execute(
                    "UPDATE calls SET callback_done_at = ?2 WHERE callback_done_at IS NULL \
                     AND id IN (SELECT call_id FROM callback_calls WHERE callback_id = ?1)",
                    params![id, stamp(attempt.at)],
                )?;
            }
        }
        if let Some(due) = change.due {
            // Moved before it fell due (the time agreed again, or a slip corrected), the new
            // time is the one promised; moved once overdue, or after no answer, the first
            // promise stands, and doing it by the new time is still late.
            let moved_in_time = attempt.result == Outcome::Rescheduled;
            tx.execute(
                "UPDATE callbacks SET due = ?2, overdue_told = 0, escalated = 0, \
                 promised_due = CASE WHEN ?3 AND ?4 <= COALESCE(promised_due, due) THEN ?2 \
                                ELSE promised_due END WHERE id = ?1",
                params![id, stamp(due), moved_in_time, stamp(attempt.at)],
            )?;
        }
        if let Some(owner) = change.owner {
            tx.execute(
                "UPDATE callbacks SET owner = ?2 WHERE id = ?1",
                params![id, owner],
            )?;
        }
        if let Some(reason) = change.lost_reason {
            tx.execute(
                "UPDATE callbacks SET lost_reason = ?2 WHERE id = ?1",
                params![id, reason],
            )?;
        }
        let now = load(&tx, id)?;
        tell_in(&tx, change.tell, now.as_ref(), attempt.at)?;
        tx.commit().context("saving an attempt")?;
        Ok(now)
    }

    /// Gives the open callbacks `owner` owns to nobody (the heads give them out), each with a
    /// hand-over by `by` at `at` in its attempts: their owner can no longer work them (disabled,
    /// or no longer a manager). Their ids.
    pub fn release_callbacks(&self, owner: &str, by: &str, at: DateTime<Utc>) -> Result<Vec<i64>> {
        let context = || format!("releasing the callbacks of `{owner}`");
        let mut conn = self.lock();
        let tx = write(&mut conn).with_context(context)?;
        let ids: Vec<i64> = tx
            .prepare("SELECT id FROM callbacks WHERE owner = ?1 AND state = 'open' ORDER BY id")?
            .query_map([owner], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()
            .with_context(context)?;
        for id in &ids {
            tx.execute(
                "INSERT INTO callback_attempts (callback_id, at, by, result, note, reason, from_owner) VALUES (?1, ?2, ?3, ?4, NULL, NULL, ?5)",
                params![id, stamp(at), by, Outcome::HandedOver.as_str(), owner],
            )
            .with_context(context)?;
            tx.execute("UPDATE callbacks SET owner = NULL WHERE id = ?1", [id])
                .with_context(context)?;
        }
        tx.commit().with_context(context)?;
        Ok(ids)
    }

    /// Callbacks promised between `from` and `to`, for the desk figures, each with when it was
    /// promised: when the call that promised it started (a call recorded afterwards promised
    /// on its own day), or when it was opened, for one that lost its calls or whose call's
    /// start was corrected to later.
    pub fn callbacks_promised(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<(Callback, DateTime<Utc>)>> {
        let conn = self.read();
        // It was promised when the call that opened it (the first recorded) started; a call of
        // the caller's typed in later with an earlier time joins it and moves nothing, and a
        // start corrected to after the callback was written moves it no later than that: so
        // none opened before `from` counts. One withdrawn on its card (chosen by mistake) was
        // never promised.
        let found: Vec<(i64, DateTime<Utc>)> = conn
            .prepare_cached(&format!(
                "SELECT cb.id, {promised} AS at \
                 FROM callbacks cb \
                 WHERE cb.created_at >= ?1 \
                   AND NOT (cb.state = 'lost' AND cb.lost_reason IS 'withdrawn') \
                   AND at >= ?1 AND at < ?2 \
                 ORDER BY cb.id",
                promised = promised_at("cb"),
            ))?
            .query_map(params![stamp(from), stamp(to)], |r| {
                Ok((r.get(0)?, parse_stamp(1, r.get(1)?)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut out = Vec::with_capacity(found.len());
        for (id, at) in found {
            if let Some(c) = load(&conn, id)? {
                out.push((c, at));
            }
        }
        Ok(out)
    }

    /// Open callbacks due before `now` whose owner or heads are still to be told: what the
    /// notices job chases.
    pub fn overdue_callbacks(&self, now: DateTime<Utc>) -> Result<Vec<Callback>> {
        let conn = self.read();
        let ids: Vec<i64> = conn
            .prepare_cached(
                "SELECT id FROM callbacks WHERE state = 'open' AND escalated = 0 AND due < ?1 \
                 ORDER BY due LIMIT 1000",
            )?
            .query_map([stamp(now)], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        ids.into_iter()
            .filter_map(|id| load(&conn, id).transpose())
            .collect()
    }

    /// Whether the owner of callback `id` was told it is overdue.
    pub fn overdue_told(&self, id: i64) -> Result<bool> {
        Ok(self
            .read()
            .query_row(
                "SELECT overdue_told FROM callbacks WHERE id = ?1",
                [id],
                |r| r.get(0),
            )
            .optional()?
            .unwrap_or(true))
    }

    /// Notes that the owner of callback `id` was told it is overdue, and (`escalated`) the heads
    /// that it is long overdue.
    pub fn mark_told(&self, id: i64, escalated: bool) -> Result<()> {
        self.lock().execute(
            "UPDATE callbacks SET overdue_told = 1, escalated = escalated OR ?2 WHERE id = ?1",
            params![id, escalated],
        )?;
        Ok(())
    }
}

/// Records `call_id` as the call the manager of callback `callback_id` opened on reaching its
/// caller (in the write that creates the call, or an import's).
pub(super) fn mark_follow_up(conn: &Connection, call_id: i64, callback_id: i64) -> Result<()> {
    conn.prepare_cached(
        "INSERT OR REPLACE INTO callback_follow_ups (call_id, callback_id) VALUES (?1, ?2)",
    )?
    .execute(params![call_id, callback_id])?;
    Ok(())
}

/// The callback call `call_id` was opened for on reaching its caller, if it is such a call.
pub(super) fn follow_up_of(conn: &Connection, call_id: i64) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT callback_id FROM callback_follow_ups WHERE call_id = ?1")?
        .query_row([call_id], |r| r.get(0))
        .optional()?)
}
