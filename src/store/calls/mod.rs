//! Calls: one row per call with the caller's details and the normal forms of phone and company
//! that recognise a returning caller. A change of kind requeues the call's questions for the
//! search index, which files each question under its call's kind.

use super::outbox;
use super::questions::question_from_row;
use super::rows::{kind_at, optional_time_at, time_at, unreadable};
use super::{stamp, write, Store};
use crate::calls::{phone, Call, CallChanges, CallKind, CallRecord, Outcome};
use anyhow::{Context, Result};
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row};

/// How many columns [`call_columns`] names: the index of the first column after them.
const CALL_COLUMN_COUNT: usize = 16;
/// Earlier calls kept on a record.
const PREVIOUS_CALLS: i64 = 20;
/// Earlier calls shown in full on the desk screen.
const EARLIER_RECORDS: usize = 10;

/// A potential client's call as the desk report counts it: marked so, with something recorded,
/// not ended «Не клиент» (as `reports::recount_calls` counts them).
const PROSPECT: &str = "(c.potential_client AND c.recorded AND c.outcome IS NOT 'not_a_client')";

/// Which of a row's calls a desk report figure counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Counted {
    /// Every call.
    #[default]
    All,
    /// Primary calls.
    Primary,
    /// Secondary calls.
    Secondary,
    /// Calls from potential clients.
    Potential,
    /// Of those, with a contact captured.
    Contact,
    /// Of those, with only the number the exchange sent.
    NumberOnly,
    /// Of those, with no contact at all.
    NoContact,
    /// Of those, with no contact captured (none, or only the exchange's number): what the
    /// share of contacts misses.
    NotCaptured,
}

impl Counted {
    /// The word in a link (`/calls?counted=...`).
    pub fn as_str(self) -> &'static str {
        match self {
            Counted::All => "all",
            Counted::Primary => "primary",
            Counted::Secondary => "secondary",
            Counted::Potential => "potential",
            Counted::Contact => "contact",
            Counted::NumberOnly => "number",
            Counted::NoContact => "no_contact",
            Counted::NotCaptured => "not_captured",
        }
    }

    /// Every one, for parsing and for the error that lists them.
    pub const WORDS: &'static [&'static str] = &[
        "all",
        "primary",
        "secondary",
        "potential",
        "contact",
        "number",
        "no_contact",
        "not_captured",
    ];

    /// From its word.
    pub fn parse(word: &str) -> Option<Counted> {
        [
            Counted::All,
            Counted::Primary,
            Counted::Secondary,
            Counted::Potential,
            Counted::Contact,
            Counted::NumberOnly,
            Counted::NoContact,
            Counted::NotCaptured,
        ]
        .into_iter()
        .find(|c| c.as_str() == word)
    }
}

/// A desk report figure's calls: whose row (an operator as recorded, a manager's login; empty
/// for nobody) and which of its calls.
#[derive(Debug, Clone, Default)]
pub struct CountedCalls<'a> {
    /// The operator the calls were recorded under (`""`: nobody).
    pub operator: Option<&'a str>,
    /// The manager they were given to (`""`: nobody).
    pub manager: Option<&'a str>,
    /// Only the calls nobody answered (`true`), or only the others (`false`): the operators'
    /// table keeps them in rows of their own.
    pub unanswered: Option<bool>,
    /// Which.
    pub which: Counted,
}

impl Store {
    /// Records a new call. `started_at` defaults to `now`. Earlier calls from the same phone
    /// number or company become `previous_calls`; the kind, unless given, is secondary when there
    /// are any and primary otherwise; a primary caller is a potential client unless told otherwise.
    pub fn create_call(&self, changes: &CallChanges, now: DateTime<Utc>) -> Result<CallRecord> {
        self.create_call_for(changes, now, None)
    }

    /// The same, as the call the manager of callback `follow_up` opened on reaching its
    /// caller when it is `Some`: the call and its mark are written together, so that no
    /// failure between them leaves a plain call.
    pub fn create_call_for(
        &self,
        changes: &CallChanges,
        now: DateTime<Utc>,
        follow_up: Option<i64>,
    ) -> Result<CallRecord> {
        let mut conn = self.lock();
        let tx = write(&mut conn).context("creating a call")?;
        let id = insert_call(&tx, changes, now)?;
        if let Some(callback) = follow_up {
            super::callbacks::mark_follow_up(&tx, id, callback)?;
        }
        let record = load_record(&tx, id)?.context("reading back a new call")?;
        tx.commit().context("saving a new call")?;
        Ok(record)
    }

    /// The call with its questions (in the order asked) and its earlier calls; `None` if there is
    /// no such call.
    pub fn call(&self, id: i64) -> Result<Option<CallRecord>> {
        load_record(&self.lock(), id).with_context(|| format!("reading call {id}"))
    }

    /// Changes a call; `None` if there is no such call. A new kind reaches the search index too.
    pub fn update_call(&self, id: i64, changes: &CallChanges) -> Result<Option<CallRecord>> {
        self.update_call_seen(id, changes, None)
    }

    /// The same, from a card that showed the call as `seen`: refused with a
    /// [`Clash`](crate::calls::card::Clash) error, and nothing written, when a field it writes
    /// was changed by someone else since, to another value.
    pub fn update_call_seen(
        &self,
        id: i64,
        changes: &CallChanges,
        seen: Option<&crate::calls::card::Seen>,
    ) -> Result<Option<CallRecord>> {
        let context = || format!("updating call {id}");
        let mut conn = self.lock();
        let tx = write(&mut conn).with_context(context)?;
        let Some((mut call, _)) = load_call(&tx, id).with_context(context)? else {
            return Ok(None);
        };
        if let Some(seen) = seen {
            let clashes = seen.clashes(changes, &call);
            if !clashes.is_empty() {
                return Err(crate::calls::card::Clash(clashes).into());
            }
        }
        let old_kind = call.kind;
        changes.apply(&mut call);
        save_call(&tx, Some(id), &call).with_context(context)?;
        if call.kind != old_kind {
            // The index files each question under its call's kind.
            outbox::add_call(&tx, id).with_context(context)?;
        }
        let record = load_record(&tx, id).with_context(context)?;
        tx.commit().with_context(context)?;
        Ok(record)
    }

    /// Of calls `ids`, those nobody answered: the phone exchange told them missed and nobody
    /// took them (kept for their callback), as the desk report counts them. One query.
    pub fn calls_unanswered(&self, ids: &[i64]) -> Result<std::collections::HashSet<i64>> {
        if ids.is_empty() {
            return Ok(Default::default());
        }
        let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
        let sql = format!(
            "SELECT c.id FROM calls c WHERE c.id IN ({list}) AND {}",
            super::reports::unanswered("c")
        );
        let conn = self.read();
        let found = conn
            .prepare(&sql)?
            .query_map([], |row| row.get(0))
            .and_then(Iterator::collect)
            .context("reading which calls nobody answered")?;
        Ok(found)
    }

    /// Calls that started in `[from, to)`, oldest first.
    pub fn calls_between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<Call>> {
        let conn = self.lock();
        let mut select = conn
            .prepare_cached(concat!(
                "SELECT ",
                call_columns!(),
                " FROM calls c WHERE c.started_at >= ?1 AND c.started_at < ?2 ORDER BY c.started_at, c.id"
            ))
            .context("listing calls")?;
        let calls = select
            .query_map([stamp(from), stamp(to)], call_from_row)
            .and_then(Iterator::collect)
            .with_context(|| format!("listing calls from {from} to {to}"))?;
        Ok(calls)
    }

    /// The calls list: calls that started in `[from, to)`, and earlier calls whose callback is
    /// still open and due by `to`, with their question counts; only those with `outcome` and
    /// `operator` when given. Open callbacks come first, the soonest due first by the
    /// callback's own time as it stands now (those without a time last), then the other calls,
    /// newest first. (A call marked `callback` with no callback record counts as open.)
    pub fn calls_overview(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        outcome: Option<Outcome>,
        operator: Option<&str>,
    ) -> Result<Vec<(Call, usize)>> {
        let conn = self.lock();
        let mut select = conn
            .prepare_cached(concat!(
                "SELECT ",
                call_columns!(),
                ", (SELECT COUNT(*) FROM questions q WHERE q.call_id = c.id)
                 FROM calls c
                 LEFT JOIN callbacks b
                   ON b.id = (SELECT MAX(callback_id) FROM callback_calls WHERE call_id = c.id)
                 WHERE ((c.started_at >= ?1 AND c.started_at < ?2)
                        OR (c.outcome = 'callback' AND COALESCE(b.state, 'open') = 'open'
                            AND COALESCE(b.due, c.callback_due) < ?2 AND c.started_at < ?1))
                   AND (?3 IS NULL OR c.outcome = ?3)
                   AND (?4 IS NULL OR lower(c.operator) = lower(?4))
                 ORDER BY (c.outcome IS 'callback' AND COALESCE(b.state, 'open') = 'open') DESC,
                          CASE WHEN c.outcome IS 'callback' AND COALESCE(b.state, 'open') = 'open'
                            THEN COALESCE(b.due, c.callback_due) END ASC NULLS LAST,
                          c.started_at DESC, c.id DESC"
            ))
            .context("listing calls")?;
        let rows = select
            .query_map(
                params![
                    stamp(from),
                    stamp(to),
                    outcome.map(Outcome::as_str),
                    operator
                ],
                |row| {
                    Ok((
                        call_from_row(row)?,
                        row.get::<_, i64>(CALL_COLUMN_COUNT)? as usize,
                    ))
                },
            )
            .and_then(Iterator::collect)
            .with_context(|| format!("listing calls from {from} to {to}"))?;
        Ok(rows)
    }

    /// The calls behind a figure of the desk report: started in `[from, to)`, taken by and
    /// given to whom the figure's row says, of the figure's kind; newest first, at most
    /// `limit`, with their question counts. The same rules as the report's day counts.
    pub fn calls_counted(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        counted: &CountedCalls<'_>,
        limit: usize,
    ) -> Result<Vec<(Call, usize)>> {
        let conn = self.read();
        let which = match counted.which {
            Counted::All => "1".to_string(),
            Counted::Primary => "c.kind = 'primary'".to_string(),
            Counted::Secondary => "c.kind = 'secondary'".to_string(),
            Counted::Potential => PROSPECT.to_string(),
            Counted::Contact => format!("{PROSPECT} AND c.contact_recorded = 1"),
            Counted::NumberOnly => format!("{PROSPECT} AND c.contact_recorded = 2"),
            Counted::NoContact => format!("{PROSPECT} AND c.contact_recorded = 0"),
            Counted::NotCaptured => format!("{PROSPECT} AND c.contact_recorded <> 1"),
        };
        let sql = format!(
            "SELECT {}, (SELECT COUNT(*) FROM questions q WHERE q.call_id = c.id)
             FROM calls c
             WHERE c.started_at >= ?1 AND c.started_at < ?2
               AND (?3 IS NULL OR COALESCE(c.operator, '') = ?3)
               AND (?4 IS NULL OR COALESCE(c.manager, '') = ?4)
               AND (?6 IS NULL OR {unanswered} = ?6)
               AND {which} AND NOT {follow_up}
             ORDER BY c.started_at DESC, c.id DESC LIMIT ?5",
            call_columns!(),
            follow_up = super::reports::follow_up("c.id"),
            unanswered = super::reports::unanswered("c"),
        );
        let rows = conn
            .prepare(&sql)
            .context("listing a figure's calls")?
            .query_map(
                params![
                    stamp(from),
                    stamp(to),
                    counted.operator,
                    counted.manager,
                    super::sql_limit(limit),
                    counted.unanswered
                ],
                |row| {
                    Ok((
                        call_from_row(row)?,
                        row.get::<_, i64>(CALL_COLUMN_COUNT)? as usize,
                    ))
                },
            )
            .and_then(Iterator::collect)
            .with_context(|| format!("listing a figure's calls from {from} to {to}"))?;
        Ok(rows)
    }

    /// What the desk knows of a caller before a call is recorded, by phone or company as typed:
    /// their earlier calls in full (newest first, at most 10) and the name and company to
    /// propose.
    pub fn caller(&self, phone: Option<&str>, company: Option<&str>) -> Result<CallerHistory> {
        let keys = Keys {
            phone: phone.and_then(phone::normalize),
            company: company.and_then(phone::company_key),
        };
        let conn = self.lock();
        // Every call of theirs: none starts after the year 9999.
        let ids = previous_calls(&conn, i64::MAX, &keys, "9999-12-31T23:59:59.999Z")
            .context("finding a caller's calls")?;
        let (name, company) = proposals(&conn, &keys, &ids).context("reading earlier calls")?;
        let mut earlier = Vec::new();
        for id in ids.into_iter().take(EARLIER_RECORDS) {
            earlier.extend(load_record(&conn, id).context("reading earlier calls")?);
        }
        Ok(CallerHistory {
            earlier,
            name,
            company,
        })
    }

    /// The earlier calls of call `id` in full, with their questions, newest first, at most 10:
    /// what the desk screen shows about a returning caller. Empty if there is no such call.
    pub fn earlier_calls(&self, id: i64) -> Result<Vec<CallRecord>> {
        let context = || format!("reading the earlier calls of call {id}");
        let conn = self.lock();
        let Some(record) = load_record(&conn, id).with_context(context)? else {
            return Ok(Vec::new());
        };
        let mut earlier = Vec::new();
        for previous in record.previous_calls.into_iter().take(EARLIER_RECORDS) {
            earlier.extend(load_record(&conn, previous).with_context(context)?);
        }
        Ok(earlier)
    }
}

/// Records a new call inside the caller's transaction (see [`Store::create_call`]); its id.
pub(super) fn insert_call(
    tx: &Connection,
    changes: &CallChanges,
    now: DateTime<Utc>,
) -> Result<i64> {
    let mut call = Call::blank(now, None);
    changes.apply(&mut call);
    let keys = Keys::of(&call);
    let previous = previous_calls(tx, i64::MAX, &keys, &stamp(call.started_at))
        .context("finding earlier calls")?;
    // An existing client has had a secondary call or was put through to a manager; a caller
    // whose earlier calls were all first-time ones with no manager taking them is still a
    // prospect, calling again (often because nobody called back).
    let existing_client = previous.iter().try_fold(false, |found, &id| {
        Ok::<bool, anyhow::Error>(
            found
                || load_call(tx, id)?.is_some_and(|(c, _)| {
                    c.kind == CallKind::Secondary || c.outcome == Some(Outcome::Transferred)
                }),
        )
    })?;
    call.kind = changes.kind.unwrap_or(if existing_client {
        CallKind::Secondary
    } else {
        CallKind::Primary
    });
    // A returning caller's name and company, unless given: the operator sees them on the
    // card and keeps or changes them.
    let (name, company) = proposals(tx, &keys, &previous).context("reading earlier calls")?;
    // A prospect who calls again is still a potential client, until a manager took them.
    let still_prospect = match previous.first() {
        Some(&last) => load_call(tx, last)
            .context("reading earlier calls")?
            .is_some_and(|(c, _)| c.potential_client && c.outcome != Some(Outcome::Transferred)),
        None => false,
    };
    call.potential_client = changes
        .potential_client
        .unwrap_or(call.kind == CallKind::Primary || still_prospect);
    if changes.name.is_none() {
        call.name = name;
    }
    if changes.company.is_none() {
        call.company = company;
    }
    save_call(tx, None, &call).context("creating a call")
}

/// What the desk knows of a caller from earlier calls.
#[derive(Debug, Clone, PartialEq)]
pub struct CallerHistory {
    /// Earlier calls in full, newest first.
    pub earlier: Vec<CallRecord>,
    /// The name given on the newest earlier call from the same phone, if any.
    pub name: Option<String>,
    /// The company given on the newest earlier call that had one.
    pub company: Option<String>,
}

/// The name (from calls of the same phone only: a company has many people) and the company to
/// propose for a caller, from their earlier calls `ids`, newest first.
fn proposals(
    conn: &Connection,
    keys: &Keys,
    ids: &[i64],
) -> rusqlite::Result<(Option<String>, Option<String>)> {
    let (mut name, mut company) = (None, None);
    for &id in ids.iter().take(PREVIOUS_CALLS as usize) {
        let Some((call, found)) = load_call(conn, id)? else {
            continue;
        };
        if name.is_none() && keys.phone.is_some() && found.phone == keys.phone {
            name = call.name;
        }
        if company.is_none() {
            company = call.company;
        }
        if name.is_some() && company.is_some() {
            break;
        }
    }
    Ok((name, company))
}

/// The normal forms that recognise a returning caller.
struct Keys {
    phone: Option<String>,
    company: Option<String>,
}

impl Keys {
    fn of(call: &Call) -> Keys {
        Keys {
            phone: call.phone.as_deref().and_then(phone::normalize),
            company: call.company.as_deref().and_then(phone::company_key),
        }
    }
}

/// Writes a call's fields: a new row when `id` is `None`, else that row (its questions stay).
/// One statement for both, so that the column list is spelled once.
pub(super) fn save_call(conn: &Connection, id: Option<i64>, call: &Call) -> rusqlite::Result<i64> {
    let keys = Keys::of(call);
    conn.prepare_cached(
        "INSERT INTO calls (id, started_at, ended_at, operator, kind, potential_client, name, phone, phone_key, \
         company, company_key, topic, outcome, manager, callback_due, notes, callback_done_at, \
         contact_confirmed, contact_recorded) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19) \
         ON CONFLICT (id) DO UPDATE SET started_at = excluded.started_at, ended_at = excluded.ended_at, \
         operator = excluded.operator, kind = excluded.kind, potential_client = excluded.potential_client, \
         name = excluded.name, phone = excluded.phone, phone_key = excluded.phone_key, \
         company = excluded.company, company_key = excluded.company_key, topic = excluded.topic, \
         outcome = excluded.outcome, manager = excluded.manager, callback_due = excluded.callback_due, \
         notes = excluded.notes, callback_done_at = excluded.callback_done_at, \
         contact_confirmed = excluded.contact_confirmed, contact_recorded = excluded.contact_recorded",
    )?
    .execute(params![
        id,
        stamp(call.started_at),
        call.ended_at.map(stamp),
        call.operator,
        call.kind.as_str(),
        call.potential_client,
        call.name,
        call.phone,
        keys.phone,
        call.company,
        keys.company,
        call.topic,
        call.outcome.map(Outcome::as_str),
        call.manager,
        call.callback_due.map(stamp),
        call.notes,
        call.callback_done_at.map(stamp),
        call.contact_confirmed,
        contact_state(call),
    ])?;
    Ok(id.unwrap_or_else(|| conn.last_insert_rowid()))
}

/// What the desk figures count of a call's contact: 0 none, 1 a contact captured (confirmed,
/// and a way to call back), 2 a number known only.
fn contact_state(call: &Call) -> i64 {
    match call
        .phone
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        None => 0,
        Some(p) if call.contact_confirmed && crate::callbacks::reachable(p) => 1,
        Some(_) => 2,
    }
}

/// The call and its stored keys.
/// A call's fields (no questions) within a transaction.
pub(super) fn call_in(conn: &Connection, id: i64) -> rusqlite::Result<Option<Call>> {
    Ok(load_call(conn, id)?.map(|(call, _)| call))
}

fn load_call(conn: &Connection, id: i64) -> rusqlite::Result<Option<(Call, Keys)>> {
    conn.prepare_cached(concat!(
        "SELECT ",
        call_columns!(),
        ", c.phone_key, c.company_key FROM calls c WHERE c.id = ?1"
    ))?
    .query_row([id], |row| {
        let keys = Keys {
            phone: row.get(CALL_COLUMN_COUNT)?,
            company: row.get(CALL_COLUMN_COUNT + 1)?,
        };
        Ok((call_from_row(row)?, keys))
    })
    .optional()
}

pub(super) fn load_record(conn: &Connection, id: i64) -> Result<Option<CallRecord>> {
    let Some((call, keys)) = load_call(conn, id).with_context(|| format!("reading call {id}"))?
    else {
        return Ok(None);
    };
    let questions = conn
        .prepare_cached(concat!(
            "SELECT ",
            question_columns!(),
            " FROM questions q WHERE q.call_id = ?1 ORDER BY q.asked_at, q.id"
        ))
        .and_then(|mut s| s.query_map([id], question_from_row)?.collect())
        .with_context(|| format!("reading the questions of call {id}"))?;
    let previous_calls = previous_calls(conn, id, &keys, &stamp(call.started_at))
        .with_context(|| format!("finding the earlier calls of call {id}"))?;
    Ok(Some(CallRecord {
        call,
        questions,
        previous_calls,
    }))
}

/// Ids of the calls with the same phone or company key that started before `started_at` (or at
/// the same moment with a smaller id), other than `id`; newest first, at most 20.
fn previous_calls(
    conn: &Connection,
    id: i64,
    keys: &Keys,
    started_at: &str,
) -> rusqlite::Result<Vec<i64>> {
    if keys.phone.is_none() && keys.company.is_none() {
        return Ok(Vec::new());
    }
    conn.prepare_cached(
        "SELECT c.id FROM calls c
         WHERE (c.phone_key = ?2 OR c.company_key = ?3)
           AND (c.started_at < ?4 OR (c.started_at = ?4 AND c.id < ?1))
         ORDER BY c.started_at DESC, c.id DESC LIMIT ?5",
    )?
    .query_map(
        params![id, keys.phone, keys.company, started_at, PREVIOUS_CALLS],
        |row| row.get(0),
    )?
    .collect()
}

pub(super) fn call_from_row(row: &Row<'_>) -> rusqlite::Result<Call> {
    Ok(Call {
        id: row.get(0)?,
        started_at: time_at(row, 1)?,
        ended_at: optional_time_at(row, 2)?,
        operator: row.get(3)?,
        kind: kind_at(row, 4)?,
        potential_client: row.get(5)?,
        name: row.get(6)?,
        phone: row.get(7)?,
        company: row.get(8)?,
        topic: row.get(9)?,
        outcome: match row.get::<_, Option<String>>(10)? {
            None => None,
            Some(word) => Some(
                Outcome::parse(&word)
                    .ok_or_else(|| unreadable(10, format!("unknown outcome {word:?}")))?,
            ),
        },
        manager: row.get(11)?,
        callback_due: optional_time_at(row, 12)?,
        callback_done_at: optional_time_at(row, 14)?,
        notes: row.get(13)?,
        contact_confirmed: row.get(15)?,
    })
}

#[cfg(test)]
mod tests;
