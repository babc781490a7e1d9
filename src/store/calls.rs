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
const CALL_COLUMN_COUNT: usize = 15;
/// Earlier calls kept on a record.
const PREVIOUS_CALLS: i64 = 20;
/// Earlier calls shown in full on the desk screen.
const EARLIER_RECORDS: usize = 10;

impl Store {
    /// Records a new call. `started_at` defaults to `now`. Earlier calls from the same phone
    /// number or company become `previous_calls`; the kind, unless given, is secondary when there
    /// are any and primary otherwise; a primary caller is a potential client unless told otherwise.
    pub fn create_call(&self, changes: &CallChanges, now: DateTime<Utc>) -> Result<CallRecord> {
        let mut conn = self.lock();
        let tx = write(&mut conn).context("creating a call")?;
        let mut call = Call::blank(now, None);
        changes.apply(&mut call);
        let keys = Keys::of(&call);
        let previous = previous_calls(&tx, i64::MAX, &keys, &stamp(call.started_at))
            .context("finding earlier calls")?;
        call.kind = changes.kind.unwrap_or(if previous.is_empty() {
            CallKind::Primary
        } else {
            CallKind::Secondary
        });
        // A returning caller's name and company, unless given: the operator sees them on the
        // card and keeps or changes them.
        let (name, company) = proposals(&tx, &keys, &previous).context("reading earlier calls")?;
        // A prospect who calls again is still a potential client, until a manager took them.
        let still_prospect = match previous.first() {
            Some(&last) => load_call(&tx, last)
                .context("reading earlier calls")?
                .is_some_and(|(c, _)| {
                    c.potential_client && c.outcome != Some(Outcome::Transferred)
                }),
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
        let id = save_call(&tx, None, &call).context("creating a call")?;
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
        let context = || format!("updating call {id}");
        let mut conn = self.lock();
        let tx = write(&mut conn).with_context(context)?;
        let Some((mut call, _)) = load_call(&tx, id).with_context(context)? else {
            return Ok(None);
        };
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
    /// due by `to` (still marked `callback`), with their question counts; only those with
    /// `outcome` and `operator` when given. Callbacks come first, the soonest due first
    /// (those without a time last), then the other calls, newest first.
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
                 WHERE ((c.started_at >= ?1 AND c.started_at < ?2)
                        OR (c.outcome = 'callback' AND c.callback_due < ?2 AND c.started_at < ?1))
                   AND (?3 IS NULL OR c.outcome = ?3)
                   AND (?4 IS NULL OR lower(c.operator) = lower(?4))
                 ORDER BY c.outcome IS 'callback' DESC,
                          CASE WHEN c.outcome IS 'callback' THEN c.callback_due END ASC NULLS LAST,
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
         company, company_key, topic, outcome, manager, callback_due, notes, callback_done_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17) \
         ON CONFLICT (id) DO UPDATE SET started_at = excluded.started_at, ended_at = excluded.ended_at, \
         operator = excluded.operator, kind = excluded.kind, potential_client = excluded.potential_client, \
         name = excluded.name, phone = excluded.phone, phone_key = excluded.phone_key, \
         company = excluded.company, company_key = excluded.company_key, topic = excluded.topic, \
         outcome = excluded.outcome, manager = excluded.manager, callback_due = excluded.callback_due, \
         notes = excluded.notes, callback_done_at = excluded.callback_done_at",
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
    ])?;
    Ok(id.unwrap_or_else(|| conn.last_insert_rowid()))
}

/// The call and its stored keys.
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

fn load_record(conn: &Connection, id: i64) -> Result<Option<CallRecord>> {
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
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calls::IndexedQuestion;
    use crate::store::testing::{at, store};

    fn caller(phone: Option<&str>, company: Option<&str>) -> CallChanges {
        CallChanges {
            phone: Some(phone.map(str::to_string)),
            company: Some(company.map(str::to_string)),
            ..CallChanges::default()
        }
    }

    #[test]
    fn a_call_is_created_read_and_updated() {
        let (_dir, store) = store();
        let changes = CallChanges {
            name: Some(Some("Михаил".into())),
            operator: Some(Some("Наталья".into())),
            ..caller(Some("8 495 123-45-67"), None)
        };
        let created = store
            .create_call(&changes, at("2026-11-28T10:15:00.123456Z"))
            .unwrap();
        assert_eq!(
            created.call.started_at,
            at("2026-11-28T10:15:00.123Z"),
            "kept to the millisecond"
        );
        assert_eq!(created.call.kind, CallKind::Primary);
        assert!(
            created.call.potential_client,
            "a first-time caller is a potential client"
        );
        assert!(created.questions.is_empty() && created.previous_calls.is_empty());
        assert_eq!(
            store.call(created.call.id).unwrap().as_ref(),
            Some(&created)
        );

        let update = CallChanges {
            outcome: Some(Some(Outcome::Callback)),
            callback_due: Some(Some(at("2026-11-29T09:00:00Z"))),
            name: Some(None),
            ..CallChanges::default()
        };
        let updated = store
            .update_call(created.call.id, &update)
            .unwrap()
            .unwrap();
        assert_eq!(updated.call.outcome, Some(Outcome::Callback));
        assert_eq!(updated.call.callback_due, Some(at("2026-11-29T09:00:00Z")));
        assert_eq!(updated.call.name, None);
        assert_eq!(
            updated.call.operator.as_deref(),
            Some("Наталья"),
            "untouched fields stay"
        );
        assert_eq!(store.call(created.call.id).unwrap(), Some(updated));

        assert_eq!(store.call(999).unwrap(), None);
        assert_eq!(store.update_call(999, &update).unwrap(), None);
    }

    #[test]
    fn everything_is_there_after_reopening() {
        let dir = tempfile::tempdir().unwrap();
        let (call, question) = {
            let store = Store::open(dir.path()).unwrap();
            let call = store
                .create_call(
                    &caller(Some("84951234567"), None),
                    at("2026-11-28T10:00:00Z"),
                )
                .unwrap();
            let q = store
                .add_question(
                    call.call.id,
                    "цена?",
                    Some("price"),
                    at("2026-11-28T10:01:00Z"),
                )
                .unwrap()
                .unwrap();
            (call.call.id, q)
        };
        let store = Store::open(dir.path()).unwrap();
        let record = store.call(call).unwrap().unwrap();
        assert_eq!(record.questions, vec![question.clone()]);
        assert_eq!(store.question(question.id).unwrap(), Some(question));
        assert_eq!(
            store.outbox(0, 10).unwrap().len(),
            1,
            "unindexed changes survive a restart"
        );
    }

    #[test]
    fn a_returning_caller_is_recognised_by_phone_however_typed() {
        let (_dir, store) = store();
        // The first call was transferred to a manager: the caller works with one now.
        let first = store
            .create_call(
                &CallChanges {
                    outcome: Some(Some(Outcome::Transferred)),
                    ..caller(Some("8 (495) 123 45 67"), None)
                },
                at("2026-11-27T10:00:00Z"),
            )
            .unwrap();
        let second = store
            .create_call(
                &caller(Some("+7 495 123-45-67"), None),
                at("2026-11-28T10:00:00Z"),
            )
            .unwrap();
        assert_eq!(second.previous_calls, vec![first.call.id]);
        assert_eq!(second.call.kind, CallKind::Secondary);
        assert!(
            !second.call.potential_client,
            "an existing client is not counted as potential"
        );
        let third = store
            .create_call(
                &caller(Some("8 916 000 00 01"), None),
                at("2026-11-27T11:00:00Z"),
            )
            .unwrap();
        let again = store
            .create_call(
                &caller(Some("+79160000001"), None),
                at("2026-11-28T11:00:00Z"),
            )
            .unwrap();
        assert!(third.call.potential_client);
        assert!(
            again.call.potential_client,
            "a prospect calling again, whom no manager took yet, is still potential"
        );
        assert!(second.returning());
        assert!(
            store
                .call(first.call.id)
                .unwrap()
                .unwrap()
                .previous_calls
                .is_empty(),
            "later calls are not earlier ones"
        );
        let other = store
            .create_call(
                &caller(Some("+7 495 000-00-00"), None),
                at("2026-11-28T11:00:00Z"),
            )
            .unwrap();
        assert_eq!(other.call.kind, CallKind::Primary);
    }

    #[test]
    fn a_returning_company_is_recognised_from_another_phone() {
        let (_dir, store) = store();
        let first = store
            .create_call(
                &caller(Some("84951111111"), Some("ООО «Ромашка»")),
                at("2026-11-27T10:00:00Z"),
            )
            .unwrap();
        let second = store
            .create_call(
                &caller(Some("84952222222"), Some("ромашка")),
                at("2026-11-28T10:00:00Z"),
            )
            .unwrap();
        assert_eq!(second.previous_calls, vec![first.call.id]);
        assert_eq!(second.call.kind, CallKind::Secondary);
    }

    #[test]
    fn a_given_kind_and_mark_win_over_the_guess() {
        let (_dir, store) = store();
        store
            .create_call(
                &caller(Some("84951234567"), None),
                at("2026-11-27T10:00:00Z"),
            )
            .unwrap();
        let changes = CallChanges {
            kind: Some(CallKind::Primary),
            ..caller(Some("84951234567"), None)
        };
        let again = store
            .create_call(&changes, at("2026-11-28T10:00:00Z"))
            .unwrap();
        assert_eq!(again.call.kind, CallKind::Primary);
        assert!(again.call.potential_client);
        let changes = CallChanges {
            potential_client: Some(true),
            ..caller(Some("84951234567"), None)
        };
        assert!(
            store
                .create_call(&changes, at("2026-11-28T11:00:00Z"))
                .unwrap()
                .call
                .potential_client
        );
    }

    #[test]
    fn earlier_calls_come_in_full_newest_first() {
        let (_dir, store) = store();
        let mut ids = Vec::new();
        for day in 1..=12 {
            let call = store
                .create_call(
                    &caller(Some("84951234567"), None),
                    at(&format!("2026-11-{day:02}T10:00:00Z")),
                )
                .unwrap();
            store
                .add_question(
                    call.call.id,
                    &format!("вопрос {day}"),
                    None,
                    call.call.started_at,
                )
                .unwrap();
            ids.push(call.call.id);
        }
        let last = *ids.last().unwrap();
        let earlier = store.earlier_calls(last).unwrap();
        assert_eq!(earlier.len(), 10);
        assert_eq!(earlier[0].call.id, ids[10]);
        assert_eq!(earlier[0].questions[0].text, "вопрос 11");
        assert_eq!(store.call(last).unwrap().unwrap().previous_calls.len(), 11);
        assert!(store.earlier_calls(999).unwrap().is_empty());
    }

    #[test]
    fn a_new_kind_requeues_the_calls_questions() {
        let (_dir, store) = store();
        let call = store
            .create_call(&CallChanges::default(), at("2026-11-28T10:00:00Z"))
            .unwrap()
            .call;
        let q = store
            .add_question(call.id, "цена?", None, at("2026-11-28T10:01:00Z"))
            .unwrap()
            .unwrap();
        store.outbox_done(i64::MAX).unwrap();
        store
            .update_call(
                call.id,
                &CallChanges {
                    notes: Some(Some("x".into())),
                    ..CallChanges::default()
                },
            )
            .unwrap();
        assert!(store.outbox(0, 10).unwrap().is_empty());
        store
            .update_call(
                call.id,
                &CallChanges {
                    kind: Some(CallKind::Secondary),
                    ..CallChanges::default()
                },
            )
            .unwrap();
        let outbox = store.outbox(0, 10).unwrap();
        assert_eq!(outbox.len(), 1);
        assert_eq!(
            outbox[0].2,
            Some(IndexedQuestion {
                id: q.id,
                text: "цена?".into(),
                answer: None,
                kind: CallKind::Secondary
            })
        );
    }

    #[test]
    fn the_calls_list_puts_callbacks_first_and_filters() {
        let (_dir, store) = store();
        let make = |time: &str, outcome: Option<Outcome>, due: Option<&str>, operator: &str| {
            let changes = CallChanges {
                outcome: Some(outcome),
                callback_due: Some(due.map(at)),
                operator: Some(Some(operator.into())),
                ..CallChanges::default()
            };
            store.create_call(&changes, at(time)).unwrap().call.id
        };
        let answered_early = make(
            "2026-11-28T09:00:00Z",
            Some(Outcome::Answered),
            None,
            "Наталья",
        );
        let callback_late = make(
            "2026-11-28T09:30:00Z",
            Some(Outcome::Callback),
            Some("2026-11-29T15:00:00Z"),
            "Наталья",
        );
        let callback_undated = make(
            "2026-11-28T10:00:00Z",
            Some(Outcome::Callback),
            None,
            "Ольга",
        );
        let callback_soon = make(
            "2026-11-28T11:00:00Z",
            Some(Outcome::Callback),
            Some("2026-11-28T15:00:00Z"),
            "Ольга",
        );
        let open = make("2026-11-28T12:00:00Z", None, None, "Наталья");
        make(
            "2026-11-27T12:00:00Z",
            Some(Outcome::Callback),
            None,
            "Наталья",
        );
        store
            .add_question(open, "?", None, at("2026-11-28T12:01:00Z"))
            .unwrap();

        let (from, to) = (at("2026-11-28"), at("2026-11-29"));
        let all = store.calls_overview(from, to, None, None).unwrap();
        let ids: Vec<i64> = all.iter().map(|(c, _)| c.id).collect();
        assert_eq!(
            ids,
            [
                callback_soon,
                callback_late,
                callback_undated,
                open,
                answered_early
            ]
        );
        assert_eq!(all[3].1, 1, "with its question count");

        let callbacks = store
            .calls_overview(from, to, Some(Outcome::Callback), Some("Ольга"))
            .unwrap();
        assert_eq!(
            callbacks.iter().map(|(c, _)| c.id).collect::<Vec<_>>(),
            [callback_soon, callback_undated]
        );
        let natalya = store
            .calls_overview(from, to, None, Some("Наталья"))
            .unwrap();
        assert_eq!(
            natalya.iter().map(|(c, _)| c.id).collect::<Vec<_>>(),
            [callback_late, open, answered_early]
        );

        let between = store.calls_between(from, to).unwrap();
        assert_eq!(
            between.iter().map(|c| c.id).collect::<Vec<_>>(),
            [
                answered_early,
                callback_late,
                callback_undated,
                callback_soon,
                open
            ]
        );
    }
}
