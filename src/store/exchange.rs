//! Calls as the phone exchange reports them (`exchange_calls`) and every event taken
//! (`exchange_events`): one row per call of the exchange, keyed by the exchange and its id for
//! the whole call, linked to the call record it became.
//!
//! An event is written whole in one transaction ([`Store::record_exchange_event`]): its key,
//! the exchange call's new state, the call record it opens, the missed call's callback (and the
//! notices a new one gives) and the audit line, or nothing at all. A key taken before changes
//! nothing, so a replayed or duplicated event is harmless. What an event should do is decided
//! by `actions::pbx`; this file only writes it.

use super::callbacks::{promise, Promise, Promised};
use super::calls::{insert_call, load_record};
use super::rows::parse_stamp;
use super::{audit, sql_limit, stamp, write, Store};
use crate::calls::CallChanges;
use crate::pbx::{Ending, MissedAs, MissedCall};
use anyhow::{Context, Result};
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row};

/// Where a call of the exchange stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ExchangeState {
    /// It rings; nobody has answered.
    Ringing,
    /// A person answered.
    Answered,
    /// It is over.
    Ended,
}

impl ExchangeState {
    /// The stored word.
    pub fn as_str(self) -> &'static str {
        match self {
            ExchangeState::Ringing => "ringing",
            ExchangeState::Answered => "answered",
            ExchangeState::Ended => "ended",
        }
    }

    fn parse(word: &str) -> ExchangeState {
        match word {
            "answered" => ExchangeState::Answered,
            "ended" => ExchangeState::Ended,
            _ => ExchangeState::Ringing,
        }
    }
}

/// A call as the exchange reported it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExchangeCall {
    /// Its row id.
    pub id: i64,
    /// The exchange's name (`zadarma`...).
    pub exchange: String,
    /// The exchange's id for the whole call.
    pub call_id: String,
    /// Where it stands.
    pub state: ExchangeState,
    /// How it ended, once it has.
    pub ending: Option<Ending>,
    /// The caller's number as the exchange sent it.
    pub caller: Option<String>,
    /// The office's number the caller dialled.
    pub called: Option<String>,
    /// The extension that rang last, or answered.
    pub extension: Option<String>,
    /// The call record it became.
    pub call: Option<i64>,
    /// When it started ringing.
    pub started_at: DateTime<Utc>,
    /// When a person answered.
    pub answered_at: Option<DateTime<Utc>>,
    /// When it ended.
    pub ended_at: Option<DateTime<Utc>>,
}

/// The callback a missed call leaves.
#[derive(Debug, Clone)]
pub struct Missed<'a> {
    /// The caller's key (their number in normal form).
    pub caller_key: &'a str,
    /// The manager who owns it; nobody (the desk) when `None`.
    pub owner: Option<&'a str>,
    /// When it falls due.
    pub due: DateTime<Utc>,
    /// A new callback's notices, enqueued in the event's write.
    pub tell: super::Tell<'a>,
}

/// What one event writes, as `actions::pbx` decided it.
#[derive(Debug, Clone)]
pub struct ExchangeWrite<'a> {
    /// The event's key (`exchange:call:kind`): taken once.
    pub key: &'a str,
    /// The exchange's name.
    pub exchange: &'a str,
    /// The exchange's id for the whole call.
    pub call_id: &'a str,
    /// The call's state after the event.
    pub state: ExchangeState,
    /// How it ended, when the event says so.
    pub ending: Option<Ending>,
    /// The caller's number, when the event tells it (a known one is kept).
    pub caller: Option<&'a str>,
    /// Its normal form.
    pub caller_key: Option<&'a str>,
    /// The office's number, when the event tells it.
    pub called: Option<&'a str>,
    /// The extension the event names (the newest wins).
    pub extension: Option<&'a str>,
    /// When the call started, for a call not seen before.
    pub started_at: DateTime<Utc>,
    /// When a person answered, if the event says so (the first time is kept).
    pub answered_at: Option<DateTime<Utc>>,
    /// When the call ended, if the event says so.
    pub ended_at: Option<DateTime<Utc>>,
    /// A call record to open, unless the call has one.
    pub open_call: Option<&'a CallChanges>,
    /// What the desk made of the call nobody answered, when it ends so.
    pub missed_as: Option<MissedAs>,
    /// A callback to open or join for a missed call, on its call record.
    pub missed: Option<Missed<'a>>,
    /// The audit line's actor.
    pub actor: &'a str,
    /// The audit line's subject.
    pub subject: &'a str,
}

/// What an event wrote.
#[derive(Debug, Clone)]
pub struct Written {
    /// The exchange call as it stands now.
    pub exchange_call: ExchangeCall,
    /// The event's key was taken before: nothing was written.
    pub duplicate: bool,
    /// The call record this event opened.
    pub opened: Option<i64>,
    /// The callback the missed call opened or joined.
    pub promised: Option<Promised>,
}

const COLUMNS: &str = "id, exchange, call_id, state, ending, caller, called, extension, call, \
                       started_at, answered_at, ended_at";

fn from_row(r: &Row<'_>) -> rusqlite::Result<ExchangeCall> {
    let state: String = r.get(3)?;
    let ending: Option<String> = r.get(4)?;
    let optional_stamp = |i: usize| -> rusqlite::Result<Option<DateTime<Utc>>> {
        r.get::<_, Option<String>>(i)?
            .map(|t| parse_stamp(i, t))
            .transpose()
    };
    Ok(ExchangeCall {
        id: r.get(0)?,
        exchange: r.get(1)?,
        call_id: r.get(2)?,
        state: ExchangeState::parse(&state),
        ending: ending.as_deref().and_then(Ending::from_name),
        caller: r.get(5)?,
        called: r.get(6)?,
        extension: r.get(7)?,
        call: r.get(8)?,
        started_at: parse_stamp(9, r.get(9)?)?,
        answered_at: optional_stamp(10)?,
        ended_at: optional_stamp(11)?,
    })
}

fn find(
    conn: &Connection,
    exchange: &str,
    call_id: &str,
) -> rusqlite::Result<Option<ExchangeCall>> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM exchange_calls WHERE exchange = ?1 AND call_id = ?2"
    ))?
    .query_row([exchange, call_id], from_row)
    .optional()
}

impl Store {
    /// The call `call_id` of `exchange`, if the exchange told of it.
    pub fn exchange_call(&self, exchange: &str, call_id: &str) -> Result<Option<ExchangeCall>> {
        find(&self.lock(), exchange, call_id)
            .with_context(|| format!("reading the exchange's call {exchange}:{call_id}"))
    }

    /// Notes the extension a call rang, when none is known yet (a duplicate ringing event of a
    /// ring group's phone).
    pub fn note_exchange_extension(
        &self,
        exchange: &str,
        call_id: &str,
        extension: &str,
    ) -> Result<()> {
        self.lock()
            .prepare_cached(
                "UPDATE exchange_calls SET extension = ?3 \
                 WHERE exchange = ?1 AND call_id = ?2 AND extension IS NULL",
            )?
            .execute(params![exchange, call_id, extension])
            .context("noting the extension an exchange call rang")?;
        Ok(())
    }

    /// Whether an event with this key was taken.
    pub fn exchange_event_taken(&self, key: &str) -> Result<bool> {
        self.lock()
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM exchange_events WHERE key = ?1)")?
            .query_row([key], |r| r.get(0))
            .context("looking up an exchange event")
    }

    /// How many events were taken, in all.
    pub fn exchange_events_taken(&self) -> Result<usize> {
        let count: i64 = self
            .read()
            .query_row("SELECT COUNT(*) FROM exchange_events", [], |r| r.get(0))
            .context("counting exchange events")?;
        Ok(usize::try_from(count).unwrap_or(0))
    }

    /// The calls of `exchange` (of every exchange: `None`) not ended yet that started after
    /// `since`, oldest first, at most `limit`.
    pub fn unended_exchange_calls(
        &self,
        exchange: Option<&str>,
        since: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<ExchangeCall>> {
        let conn = self.read();
        let mut select = conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM exchange_calls \
             WHERE (?1 IS NULL OR exchange = ?1) AND state <> 'ended' AND started_at > ?2 \
             ORDER BY started_at, id LIMIT ?3"
        ))?;
        let calls = select
            .query_map(params![exchange, stamp(since), sql_limit(limit)], from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()
            .context("listing the exchange's calls not ended");
        calls
    }

    /// The newest calls the exchange told of, at most `limit`.
    pub fn exchange_calls(&self, limit: usize) -> Result<Vec<ExchangeCall>> {
        let conn = self.read();
        let mut select = conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM exchange_calls ORDER BY started_at DESC, id DESC LIMIT ?1"
        ))?;
        let calls = select
            .query_map([sql_limit(limit)], from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()
            .context("listing the exchange's calls");
        calls
    }

    /// Writes one event whole, or nothing when its key was taken before (see the module's
    /// comment).
    pub fn record_exchange_event(
        &self,
        w: &ExchangeWrite<'_>,
        now: DateTime<Utc>,
    ) -> Result<Written> {
        let context = || format!("recording the exchange event {}", w.key);
        let mut conn = self.lock();
        let tx = write(&mut conn).with_context(context)?;
        if let Some(known) = find(&tx, w.exchange, w.call_id).with_context(context)? {
            let taken: bool = tx
                .prepare_cached("SELECT EXISTS (SELECT 1 FROM exchange_events WHERE key = ?1)")?
                .query_row([w.key], |r| r.get(0))?;
            if taken {
                return Ok(Written {
                    exchange_call: known,
                    duplicate: true,
                    opened: None,
                    promised: None,
                });
            }
        }
        tx.prepare_cached(
            "INSERT INTO exchange_calls (exchange, call_id, state, ending, caller, caller_key, called, \
             extension, started_at, answered_at, ended_at, missed) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) \
             ON CONFLICT (exchange, call_id) DO UPDATE SET state = excluded.state, \
             ending = COALESCE(excluded.ending, ending), caller = COALESCE(caller, excluded.caller), \
             caller_key = COALESCE(caller_key, excluded.caller_key), \
             called = COALESCE(called, excluded.called), \
             extension = COALESCE(excluded.extension, extension), \
             answered_at = COALESCE(answered_at, excluded.answered_at), \
             ended_at = COALESCE(ended_at, excluded.ended_at), \
             missed = COALESCE(missed, excluded.missed)",
        )?
        .execute(params![
            w.exchange,
            w.call_id,
            w.state.as_str(),
            w.ending.map(Ending::as_str),
            w.caller,
            w.caller_key,
            w.called,
            w.extension,
            stamp(w.started_at),
            w.answered_at.map(stamp),
            w.ended_at.map(stamp),
            w.missed_as.map(MissedAs::as_str),
        ])
        .with_context(context)?;
        let row = find(&tx, w.exchange, w.call_id)?.with_context(context)?;
        tx.prepare_cached(
            "INSERT INTO exchange_events (key, exchange_call, received_at) VALUES (?1, ?2, ?3)",
        )?
        .execute(params![w.key, row.id, stamp(now)])
        .with_context(context)?;
        let mut opened = None;
        if let (Some(changes), None) = (w.open_call, row.call) {
            let id = insert_call(&tx, changes, now).with_context(context)?;
            tx.prepare_cached("UPDATE exchange_calls SET call = ?2 WHERE id = ?1")?
                .execute(params![row.id, id])?;
            opened = Some(id);
        }
        let mut promised = None;
        if let (Some(missed), Some(call)) = (&w.missed, opened.or(row.call)) {
            let record = load_record(&tx, call)?.with_context(context)?.call;
            let reach = record.phone.as_deref().or(w.caller);
            let p = Promise {
                call_id: call,
                caller_key: missed.caller_key,
                name: record.name.as_deref(),
                phone: reach.filter(|p| !p.contains('@')),
                email: reach.filter(|p| p.contains('@')),
                company: record.company.as_deref(),
                owner: missed.owner,
                due: missed.due,
                missed: true,
            };
            let made = promise(&tx, &p, now).with_context(context)?;
            if let Promised::Opened(id) = made {
                let opened = super::callbacks::load(&tx, id)?;
                super::callbacks::tell_in(&tx, missed.tell, opened.as_ref(), now)?;
            }
            promised = Some(made);
        }
        audit::line(&tx, w.actor, "pbx", w.subject, None)?;
        let exchange_call = find(&tx, w.exchange, w.call_id)?.with_context(context)?;
        tx.commit().with_context(context)?;
        Ok(Written {
            exchange_call,
            duplicate: false,
            opened,
            promised,
        })
    }

    /// The calls nobody answered that started in `[from, to)`: when each started, and what the
    /// desk made of it.
    pub fn missed_calls(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<(DateTime<Utc>, MissedAs)>> {
        let conn = self.read();
        let mut select = conn.prepare_cached(
            "SELECT started_at, missed FROM exchange_calls \
             WHERE missed IS NOT NULL AND started_at >= ?1 AND started_at < ?2",
        )?;
        let rows = select
            .query_map(params![stamp(from), stamp(to)], |r| {
                Ok((parse_stamp(0, r.get(0)?)?, r.get::<_, String>(1)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()
            .context("reading missed calls")?;
        Ok(rows
            .into_iter()
            .filter_map(|(at, word)| Some((at, MissedAs::parse(&word)?)))
            .collect())
    }

    /// The calls nobody answered that started in `[from, to)`, only those the desk made
    /// `which` of when given; newest first, at most `limit`: what the desk report's missed
    /// figures count, by the same rule as [`Store::missed_calls`].
    pub fn missed_list(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        which: Option<MissedAs>,
        limit: usize,
    ) -> Result<Vec<MissedCall>> {
        let conn = self.read();
        let mut select = conn.prepare_cached(
            "SELECT started_at, caller, ending, missed, call FROM exchange_calls \
             WHERE missed IS NOT NULL AND started_at >= ?1 AND started_at < ?2 \
               AND (?3 IS NULL OR missed = ?3) \
             ORDER BY started_at DESC, id DESC LIMIT ?4",
        )?;
        let rows = select
            .query_map(
                params![
                    stamp(from),
                    stamp(to),
                    which.map(MissedAs::as_str),
                    sql_limit(limit)
                ],
                |r| {
                    Ok((
                        parse_stamp(0, r.get(0)?)?,
                        r.get::<_, Option<String>>(1)?,
                        r.get::<_, Option<String>>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, Option<i64>>(4)?,
                    ))
                },
            )?
            .collect::<rusqlite::Result<Vec<_>>>()
            .context("listing missed calls")?;
        Ok(rows
            .into_iter()
            .filter_map(|(started_at, caller, ending, missed, call)| {
                Some(MissedCall {
                    started_at,
                    caller,
                    ending: ending.as_deref().and_then(Ending::from_name),
                    missed: MissedAs::parse(&missed)?,
                    call,
                })
            })
            .collect())
    }

    /// Links a call the exchange told of to the call record the desk opened for it, unless it
    /// has one: whether it was linked.
    pub fn attach_exchange_call(&self, exchange: &str, call_id: &str, call: i64) -> Result<bool> {
        let changed = self
            .lock()
            .prepare_cached(
                "UPDATE exchange_calls SET call = ?3 WHERE exchange = ?1 AND call_id = ?2 AND call IS NULL",
            )?
            .execute(params![exchange, call_id, call])
            .with_context(|| format!("linking the exchange's call {exchange}:{call_id}"))?;
        Ok(changed > 0)
    }

    /// Erases the callers' numbers of the exchange's calls that started before `cutoff`, as
    /// the calls' personal data is erased.
    pub(super) fn erase_exchange_callers_before(&self, cutoff: DateTime<Utc>) -> Result<usize> {
        self.lock()
            .execute(
                "UPDATE exchange_calls SET caller = NULL, caller_key = NULL \
                 WHERE started_at < ?1 AND caller IS NOT NULL",
                [stamp(cutoff)],
            )
            .context("erasing callers' numbers of the exchange's calls")
    }

    /// Erases one caller's number (in normal form) from the exchange's calls.
    pub(super) fn erase_exchange_caller(&self, phone_key: &str) -> Result<usize> {
        self.lock()
            .execute(
                "UPDATE exchange_calls SET caller = NULL, caller_key = NULL WHERE caller_key = ?1",
                [phone_key],
            )
            .context("erasing a caller's number from the exchange's calls")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::testing::store;

    fn ringing<'a>(key: &'a str, at: DateTime<Utc>) -> ExchangeWrite<'a> {
        ExchangeWrite {
            key,
            exchange: "generic",
            call_id: "c1",
            state: ExchangeState::Ringing,
            ending: None,
            caller: Some("+7 916 123-45-67"),
            caller_key: Some("79161234567"),
            called: None,
            extension: None,
            started_at: at,
            answered_at: None,
            ended_at: None,
            open_call: None,
            missed_as: None,
            missed: None,
            actor: "token:pbx",
            subject: "generic call c1 ringing",
        }
    }

    #[test]
    fn an_event_taken_twice_writes_nothing_the_second_time() {
        let (_d, store) = store();
        let now = Utc::now();
        let first = store
            .record_exchange_event(&ringing("generic:c1:ringing", now), now)
            .unwrap();
        assert!(!first.duplicate);
        let audit_lines = store.audit_log(100, None).unwrap().len();
        let again = store
            .record_exchange_event(&ringing("generic:c1:ringing", now), now)
            .unwrap();
        assert!(again.duplicate);
        assert_eq!(again.exchange_call, first.exchange_call);
        assert_eq!(store.exchange_events_taken().unwrap(), 1);
        assert_eq!(store.audit_log(100, None).unwrap().len(), audit_lines);
    }

    #[test]
    fn a_missed_call_opens_its_record_and_one_callback_however_often_the_caller_tries() {
        let (_d, store) = store();
        let now = Utc::now();
        let changes = CallChanges {
            phone: Some(Some("+7 916 123-45-67".into())),
            ..CallChanges::default()
        };
        // The new callback's notice is written with it, made from it; a call that joins it
        // tells nothing.
        let tell = |c: &crate::callbacks::Callback| {
            vec![crate::store::OutgoingNotice {
                key: format!(
                    "callback:{}:assigned:{}",
                    c.id,
                    c.owner.as_deref().unwrap_or("")
                ),
                channel: crate::store::Channel::Webhook,
                recipient: "webhook".into(),
                subject: "assigned".into(),
                body: format!("{}", c.missed_calls),
            }]
        };
        for call_id in ["c1", "c2"] {
            let key = format!("generic:{call_id}:ended");
            let mut w = ringing(&key, now);
            w.call_id = call_id;
            w.state = ExchangeState::Ended;
            w.ending = Some(Ending::Missed);
            w.open_call = Some(&changes);
            w.missed = Some(Missed {
                caller_key: "79161234567",
                owner: Some("mikhail"),
                due: now + chrono::Duration::hours(1),
                tell: crate::store::Tell(Some(&tell)),
            });
            let written = store.record_exchange_event(&w, now).unwrap();
            assert!(written.opened.is_some());
            assert_eq!(written.exchange_call.call, written.opened);
        }
        let callback = store.open_callback_of("79161234567").unwrap().unwrap();
        assert_eq!(callback.missed_calls, 2);
        assert_eq!(callback.owner.as_deref(), Some("mikhail"));
        assert_eq!(callback.call_ids.len(), 2);
        let told = store
            .notices_due(now + chrono::Duration::days(1), 10)
            .unwrap();
        let keys: Vec<(&str, &str)> = told
            .iter()
            .map(|n| (n.key.as_str(), n.body.as_str()))
            .collect();
        let key = format!("callback:{}:assigned:mikhail", callback.id);
        assert_eq!(keys, [(key.as_str(), "1")]);
    }

    #[test]
    fn a_known_number_is_kept_and_the_newest_extension_wins() {
        let (_d, store) = store();
        let now = Utc::now();
        store
            .record_exchange_event(&ringing("generic:c1:ringing", now), now)
            .unwrap();
        let mut answered = ringing("generic:c1:answered", now);
        answered.state = ExchangeState::Answered;
        answered.caller = None;
        answered.caller_key = None;
        answered.extension = Some("101");
        answered.answered_at = Some(now);
        let written = store.record_exchange_event(&answered, now).unwrap();
        let call = written.exchange_call;
        assert_eq!(call.state, ExchangeState::Answered);
        assert_eq!(call.caller.as_deref(), Some("+7 916 123-45-67"));
        assert_eq!(call.extension.as_deref(), Some("101"));
        let card = store.create_call(&CallChanges::default(), now).unwrap();
        assert!(store
            .attach_exchange_call("generic", "c1", card.call.id)
            .unwrap());
        assert!(
            !store
                .attach_exchange_call("generic", "c1", card.call.id)
                .unwrap(),
            "a call linked once stays linked"
        );
    }
}
