//! Import and export of whole calls with their questions: all or nothing in one transaction on
//! the way in (or a slice of calls a transaction while a server runs on the database), one
//! consistent snapshot on the way out. The line format is `calls::transfer`'s.

use super::calls::{call_from_row, save_call};
use super::questions::question_from_row;
use super::{links, outbox, stamp, write, Store};
use crate::calls::transfer::{CallLine, CallbackLine};
use crate::calls::Call;
use anyhow::{Context, Result};
use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension};

/// Calls an import saves in one transaction at most while a server runs on the database: the
/// desk's writes wait for one slice, not the whole file. Each slice is sized to hold the
/// database about [`SLICE_TIME`], and the import pauses as long after it.
pub const IMPORT_SLICE: usize = 2_000;

/// How long a slice of an import beside a running server should hold the database.
const SLICE_TIME: std::time::Duration = std::time::Duration::from_millis(100);

/// Calls in the first slice beside a running server; the next are sized by how long it took.
const FIRST_SLICE: usize = 100;

/// The shortest pause between two slices.
const MIN_PAUSE: std::time::Duration = std::time::Duration::from_millis(20);

/// The next slice's size: `size` calls took `took`; sized to take [`SLICE_TIME`], at least one
/// call and at most `most`, and never more than twice the last (one quick slice says little).
fn next_slice(size: usize, took: std::time::Duration, most: usize) -> usize {
    let fitted = size as f64 * SLICE_TIME.as_secs_f64() / took.as_secs_f64().max(1e-3);
    (fitted as usize).clamp(1, (size * 2).min(most).max(1))
}

/// How long a slice of an import waits for the database a running server writes to.
const IMPORT_PATIENCE: std::time::Duration = std::time::Duration::from_secs(300);

/// The busy handler of an import beside a running server: tries again as often as the desk's
/// writes do (else a busy desk never leaves it a moment), for [`IMPORT_PATIENCE`].
fn wait_for_the_server(tries: i32) -> bool {
    super::wait_busy(tries, IMPORT_PATIENCE)
}

/// A file imported before, with the same bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EarlierImport {
    /// Its path as given then.
    pub file: String,
    /// When (RFC 3339, UTC).
    pub at: String,
    /// How many calls it held.
    pub calls: i64,
}

/// What an import did, beside the calls it added.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Imported {
    /// Calls added.
    pub calls: usize,
    /// Open callbacks of callers who had an open one already (one caller, one open callback):
    /// their calls joined that one, their own terms and attempts left out.
    pub callbacks_merged: usize,
    /// Calls marked as joining a callback, with no promise of their own, whose caller has no
    /// callback before them in the file and none open: imported as plain calls.
    pub joins_dropped: usize,
    /// Calls marked as a callback's follow-up whose caller has no callback before them in the
    /// file: imported as calls the desk took.
    pub follow_ups_dropped: usize,
}

impl Store {
    /// Adds calls and their questions, all or nothing, in one transaction; returns how many calls.
    /// A question without `asked_at` gets its call's start. Each question goes to the index outbox;
    /// each call that promised a callback then becomes one.
    /// `now`, the time of the import, is not stored yet: the schema has no place for it.
    pub fn import(&self, calls: &[CallLine], now: DateTime<Utc>) -> Result<usize> {
        Ok(self.import_recorded(calls, now, None, calls.len())?.calls)
    }

    /// [`Store::import`], recording the file (`(digest, name)`) the calls came from with its
    /// last calls, a transaction for each `slice` calls at most (fewer where they hold the
    /// database longer than [`SLICE_TIME`]): while a server runs on the database, its desk
    /// writes between two slices instead of waiting for the whole file. A failure after
    /// the first slice says how many calls were saved (they stay).
    fn import_recorded(
        &self,
        calls: &[CallLine],
        now: DateTime<Utc>,
        file: Option<(&str, &str)>,
        slice: usize,
    ) -> Result<Imported> {
        let mut imported = Imported::default();
        // The callbacks put back, by caller: where their later calls go.
        let mut put_back_of: std::collections::HashMap<String, i64> =
            std::collections::HashMap::new();
        let sliced = slice < calls.len();
        if sliced {
            // Beside a running server, whose jobs write too: a batch of its own that may wait
            // its turn for as long as a slice of theirs takes, not the desk's five seconds.
            self.lock()
                .busy_handler(Some(wait_for_the_server))
                .context("importing calls")?;
        }
        let mut size = if sliced {
            slice.min(FIRST_SLICE)
        } else {
            slice
        }
        .max(1);
        loop {
            let offset = imported.calls;
            let end = (offset + size).min(calls.len());
            let last = end == calls.len();
            let saved = self.import_slice(
                &calls[offset..end],
                offset,
                calls.len(),
                (now, last.then_some(file).flatten()),
                &mut put_back_of,
                &mut imported,
            );
            let held = match saved {
                Ok(held) => held,
                Err(e) if offset == 0 => return Err(e),
                Err(e) => {
                    return Err(e.context(format!(
                        "the first {offset} calls of {} were saved and stay; the rest were not \
                         (importing the same file again would add those {offset} twice: \
                         import the lines after them)",
                        calls.len()
                    )))
                }
            };
            imported.calls = end;
            if last {
                break;
            }
            if sliced {
                // The desk's writes waiting on the database get as long as the slice held it,
                // and the next slice is sized to hold it about SLICE_TIME.
                std::thread::sleep(held.max(MIN_PAUSE));
                size = next_slice(size, held, slice);
            }
        }
        // Many rows changed at once: refresh the planner's statistics. The calls are saved
        // already, so a failure here is only worth a warning.
        if let Err(e) = self.lock().execute_batch("PRAGMA optimize") {
            tracing::warn!("refreshing statistics after an import: {e}");
        }
        // Promised callbacks become callbacks of their own (those overdue already are listed,
        // not announced). Were this cut short, the next start finishes it.
        self.adopt_promised_calls(now)
            .context("turning imported promises into callbacks")?;
        Ok(imported)
    }

    /// One slice of [`Store::import_recorded`], in one transaction: the calls `calls`, the
    /// `offset`-th of `total` first; the file's record with the last slice. Returns how long it
    /// held the database (from the moment it got it to its commit).
    fn import_slice(
        &self,
        calls: &[CallLine],
        offset: usize,
        total: usize,
        (now, file): (DateTime<Utc>, Option<(&str, &str)>),
        put_back_of: &mut std::collections::HashMap<String, i64>,
        imported: &mut Imported,
    ) -> Result<std::time::Duration> {
        let mut conn = self.lock();
        let tx = write(&mut conn).context("importing calls")?;
        let got = std::time::Instant::now();
        // One link change for the slice: every linked question gets its version, which a
        // running server's learner catches up from.
        let version = if calls
            .iter()
            .any(|c| c.questions.iter().any(|q| q.answer.is_some()))
        {
            links::next_version(&tx).context("importing calls")?
        } else {
            0
        };
        let last_question: i64 = tx
            .query_row("SELECT COALESCE(MAX(id), 0) FROM questions", [], |row| {
                row.get(0)
            })
            .context("importing calls")?;
        for (j, line) in calls.iter().enumerate() {
            let i = offset + j;
            let call = Call {
                id: 0,
                started_at: line.started_at,
                ended_at: line.ended_at,
                operator: line.operator.clone(),
                kind: line.kind,
                potential_client: line.potential_client,
                name: line.name.clone(),
                phone: line.phone.clone(),
                company: line.company.clone(),
                topic: line.topic.clone(),
                outcome: line.outcome,
                manager: line.manager.clone(),
                callback_due: line.callback_due,
                callback_done_at: line.callback_done_at,
                notes: line.notes.clone(),
                contact_confirmed: line.contact_confirmed,
            };
            let call_id = save_call(&tx, None, &call)
                .with_context(|| format!("importing call {} of {}", i + 1, total))?;
            // A callback as an export wrote it is put back as it stood, and the caller's later
            // calls that joined it join it again; a bare promise is adopted below, as an older
            // release's would be.
            let key = crate::callbacks::caller_key(call.phone.as_deref())
                .unwrap_or_else(|| format!("call:{call_id}"));
            // The call a manager opened on reaching the caller: of their callback put back last.
            if line.follow_up {
                match put_back_of.get(&key) {
                    Some(&callback) => super::callbacks::mark_follow_up(&tx, call_id, callback)?,
                    None => imported.follow_ups_dropped += 1,
                }
            }
            let put_back = match (&line.callback, put_back_of.get(&key)) {
                (Some(callback), _) => {
                    let id = super::callbacks::put_back(&tx, callback, (call_id, &key), &call, now)
                        .with_context(|| {
                            format!("importing the callback of call {} of {}", i + 1, total)
                        })?;
                    match id {
                        Some(id) => {
                            put_back_of.insert(key, id);
                        }
                        None => {
                            // The caller's open one stands: their later calls join it.
                            imported.callbacks_merged += 1;
                            if let Some(open) = open_callback_of(&tx, &key)? {
                                put_back_of.insert(key, open);
                            }
                        }
                    }
                    id.is_some()
                }
                (None, Some(&callback)) if line.joined_callback => {
                    tx.prepare_cached(
                        "INSERT OR IGNORE INTO callback_calls (callback_id, call_id) VALUES (?1, ?2)",
                    )?
                    .execute(params![callback, call_id])?;
                    true
                }
                // A later call whose callback is not in the file joins the caller's open one,
                // if they have one (a promise of its own joins it when adopted below).
                (None, None) if line.joined_callback => match open_callback_of(&tx, &key)? {
                    Some(open) => {
                        tx.prepare_cached(
                            "INSERT OR IGNORE INTO callback_calls (callback_id, call_id) VALUES (?1, ?2)",
                        )?
                        .execute(params![open, call_id])?;
                        put_back_of.insert(key, open);
                        true
                    }
                    None => {
                        if call.outcome != Some(crate::calls::Outcome::Callback) {
                            imported.joins_dropped += 1;
                        }
                        false
                    }
                },
                _ => false,
            };
            if !put_back && call.outcome == Some(crate::calls::Outcome::Callback) {
                tx.prepare_cached(
                    "INSERT OR IGNORE INTO callbacks_to_adopt (call_id) VALUES (?1)",
                )?
                .execute([call_id])
                .context("importing a promised callback")?;
            }
            let mut insert = tx
                .prepare_cached(
                    "INSERT INTO questions (call_id, text, asked_at, answer, link_version, declined) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                )
                .context("importing questions")?;
            for q in &line.questions {
                insert
                    .execute(params![
                        call_id,
                        q.text,
                        stamp(q.asked_at.unwrap_or(line.started_at)),
                        q.answer,
                        if q.answer.is_some() { version } else { 0 },
                        q.declined && q.answer.is_none()
                    ])
                    .with_context(|| {
                        format!("importing the questions of call {} of {}", i + 1, total)
                    })?;
            }
        }
        // Every question of the slice at once: the rows above the largest id before it (the
        // transaction holds the database: no other write comes between).
        outbox::add_after(&tx, last_question)
            .context("queueing imported questions for the index")?;
        if let Some((digest, name)) = file {
            tx.execute(
                "INSERT OR REPLACE INTO imports (digest, file, imported_at, calls) VALUES (?1, ?2, ?3, ?4)",
                params![digest, name, stamp(now), total as i64],
            )
            .context("recording the import")?;
        }
        tx.commit().context("saving imported calls")?;
        Ok(got.elapsed())
    }

    /// Imports the calls of a file whose bytes have the SHA-256 `digest`, a transaction for each
    /// `slice` calls (all in one when `slice` is at least their number), the record that it was
    /// imported with the last; `Ok(Err(earlier))` (nothing imported) when a file
    /// with the same bytes was imported before, unless `again`.
    pub fn import_file(
        &self,
        digest: &str,
        file: &str,
        calls: &[CallLine],
        now: DateTime<Utc>,
        again: bool,
        slice: usize,
    ) -> Result<std::result::Result<Imported, EarlierImport>> {
        if !again {
            let earlier = self
                .read()
                .query_row(
                    "SELECT file, imported_at, calls FROM imports WHERE digest = ?1",
                    [digest],
                    |row| {
                        Ok(EarlierImport {
                            file: row.get(0)?,
                            at: row.get(1)?,
                            calls: row.get(2)?,
                        })
                    },
                )
                .optional()
                .context("looking for an earlier import of the file")?;
            if let Some(earlier) = earlier {
                return Ok(Err(earlier));
            }
        }
        Ok(Ok(self.import_recorded(
            calls,
            now,
            Some((digest, file)),
            slice,
        )?))
    }

    /// Hands every call, in id order with its questions, to `each`; returns how many. The store is
    /// busy until it returns: `each` must not call the store (write to a file instead).
    pub fn export(&self, mut each: impl FnMut(CallLine) -> Result<()>) -> Result<usize> {
        let conn = self.lock();
        // One read transaction: a consistent snapshot even while another process writes.
        let tx = conn.unchecked_transaction().context("exporting calls")?;
        let mut calls = tx
            .prepare_cached(concat!(
                "SELECT ",
                call_columns!(),
                " FROM calls c ORDER BY c.id"
            ))
            .context("exporting calls")?;
        let mut questions = tx
            .prepare_cached(concat!(
                "SELECT ",
                question_columns!(),
                " FROM questions q WHERE q.call_id = ?1 ORDER BY q.asked_at, q.id"
            ))
            .context("exporting questions")?;
        let mut rows = calls.query([]).context("exporting calls")?;
        let mut count = 0;
        while let Some(row) = rows.next().context("exporting calls")? {
            let call = call_from_row(row).context("exporting calls")?;
            let asked = questions
                .query_map([call.id], question_from_row)
                .and_then(Iterator::collect)
                .with_context(|| format!("exporting the questions of call {}", call.id))?;
            // The callback goes with the call that promised it (its first).
            let promised: Option<i64> = tx
                .prepare_cached(
                    "SELECT callback_id FROM callback_calls WHERE call_id = ?1 \
                     ORDER BY callback_id DESC LIMIT 1",
                )?
                .query_row([call.id], |r| r.get(0))
                .optional()?;
            let callback = match promised {
                Some(id) => super::callbacks::load(&tx, id)?,
                None => None,
            };
            let id = call.id;
            let first = callback
                .as_ref()
                .is_some_and(|c| c.call_ids.first() == Some(&id));
            let mut line = CallLine::from_call(call, asked);
            line.callback = callback.as_ref().filter(|_| first).map(CallbackLine::of);
            line.joined_callback = callback.is_some() && !first;
            line.follow_up = super::callbacks::follow_up_of(&tx, id)?.is_some();
            each(line).with_context(|| format!("exporting call {id}"))?;
            count += 1;
        }
        Ok(count)
    }
}

/// The open callback of a caller, if any.
fn open_callback_of(tx: &rusqlite::Connection, caller_key: &str) -> rusqlite::Result<Option<i64>> {
    tx.prepare_cached("SELECT id FROM callbacks WHERE caller_key = ?1 AND state = 'open'")?
        .query_row([caller_key], |r| r.get(0))
        .optional()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calls::transfer::QuestionLine;
    use crate::store::testing::{at, store};

    fn line(started_at: &str, phone: &str, questions: &[(&str, Option<&str>)]) -> CallLine {
        let (mut calls, errors) = crate::calls::transfer::parse(
            &format!(
                r#"{{"started_at":"{started_at}","phone":"{phone}","potential_client":true}}"#
            ),
            |_| true,
            &crate::clock::Clock::new(chrono_tz::UTC),
        );
        assert!(errors.is_empty());
        let mut call = calls.remove(0).1;
        call.questions = questions
            .iter()
            .map(|(text, answer)| QuestionLine {
                text: text.to_string(),
                asked_at: None,
                answer: answer.map(str::to_string),
                declined: false,
            })
            .collect();
        call
    }

    #[test]
    fn a_slice_beside_the_server_is_sized_to_hold_the_database_a_tenth_of_a_second() {
        let ms = std::time::Duration::from_millis;
        // Quick: twice as many next, up to the most.
        assert_eq!(next_slice(100, ms(10), 2_000), 200);
        assert_eq!(next_slice(1_500, ms(10), 2_000), 2_000);
        // Slow: as many as fit in SLICE_TIME, at least one.
        assert_eq!(next_slice(1_000, ms(400), 2_000), 250);
        assert_eq!(next_slice(10, ms(60_000), 2_000), 1);
    }

    #[test]
    fn the_report_counts_take_the_hours_changed_when_they_started_not_an_import_going_on() {
        let (_dir, store) = store();
        let now = at("2026-12-01T12:00:00Z");
        let clock = crate::clock::Clock::fixed(chrono_tz::Europe::Moscow, now);
        let call_on = |n: i64| {
            let day = at("2026-06-01T10:00:00Z") + chrono::Duration::days(n);
            line(&day.to_rfc3339(), "84951234567", &[("цена?", None)])
        };
        let first: Vec<CallLine> = (0..3).map(call_on).collect();
        store.import(&first, now).unwrap();
        // An import beside the refresh: calls on fifteen more days before each of its steps,
        // more than a step counts.
        let imported = std::cell::Cell::new(3);
        let importing = || {
            if imported.get() < 48 {
                let next = imported.get();
                let calls: Vec<CallLine> = (next..next + 15).map(call_on).collect();
                store.import(&calls, now).unwrap();
                imported.set(next + 15);
            }
            true
        };
        let days = store
            .refresh_reports_while(&clock, &importing, false)
            .unwrap();
        assert!(
            days < 20,
            "stopped once the hours changed at its start were counted: {days}"
        );
        assert!(
            store.reports_stale().unwrap(),
            "the import's later days wait"
        );
        let rest = store.refresh_reports(&clock).unwrap();
        assert_eq!(
            days + rest,
            imported.get() as usize,
            "every day counted once"
        );
    }

    #[test]
    fn an_import_comes_back_out_of_an_export() {
        let (_dir, store) = store();
        let lines = vec![
            line(
                "2026-11-27T10:00:00Z",
                "84951234567",
                &[("цена?", Some("price")), ("сроки?", None)],
            ),
            line("2026-11-28T10:00:00Z", "+7 495 123 45 67", &[]),
        ];
        assert_eq!(store.import(&lines, at("2026-12-01")).unwrap(), 2);
        let mut exported = Vec::new();
        assert_eq!(
            store
                .export(|l| {
                    exported.push(l);
                    Ok(())
                })
                .unwrap(),
            2
        );
        let mut expected = lines.clone();
        let started_at = expected[0].started_at;
        for q in &mut expected[0].questions {
            q.asked_at = Some(started_at);
        }
        assert_eq!(exported, expected);

        assert_eq!(
            store.outbox(0, 10).unwrap().len(),
            2,
            "imported questions are queued for the index"
        );
        let second = store.call(2).unwrap().unwrap();
        assert_eq!(
            second.previous_calls,
            vec![1],
            "imported calls are recognised by phone"
        );
    }

    #[test]
    fn a_failed_import_leaves_nothing_behind() {
        let (_dir, store) = store();
        store
            .lock()
            .execute_batch(
                "CREATE TEMP TRIGGER refuse BEFORE INSERT ON main.questions WHEN NEW.text = 'boom'
                 BEGIN SELECT RAISE(ABORT, 'boom'); END;",
            )
            .unwrap();
        let lines = vec![
            line("2026-11-27T10:00:00Z", "84951234567", &[("цена?", None)]),
            line("2026-11-28T10:00:00Z", "84951234567", &[("boom", None)]),
        ];
        let error = store.import(&lines, at("2026-12-01")).unwrap_err();
        assert!(format!("{error:#}").contains("call 2 of 2"), "{error:#}");
        assert_eq!(store.export(|_| Ok(())).unwrap(), 0);
        assert!(store.outbox(0, 10).unwrap().is_empty());
        // In slices (a server runs): the slices before the failure stay, and the error says so;
        // the file is not recorded as imported.
        let error = store
            .import_file("digest", "calls.jsonl", &lines, at("2026-12-01"), false, 1)
            .unwrap_err();
        let said = format!("{error:#}");
        assert!(said.contains("the first 1 calls of 2 were saved"), "{said}");
        assert!(said.contains("call 2 of 2"), "{said}");
        assert_eq!(store.export(|_| Ok(())).unwrap(), 1);
        assert_eq!(
            store.outbox(0, 10).unwrap().len(),
            1,
            "its question is indexed"
        );
        let again = store.import_file(
            "digest",
            "calls.jsonl",
            &lines[..1],
            at("2026-12-01"),
            false,
            1,
        );
        assert!(again.unwrap().is_ok(), "not recorded as imported");
    }

    #[test]
    fn an_import_in_slices_saves_what_one_transaction_does() {
        let lines: Vec<CallLine> = (0..7)
            .map(|n| {
                let phone = format!("8495123456{}", n % 3);
                let asked: &[(&str, Option<&str>)] = &[("цена?", None), ("сроки?", None)];
                line(&format!("2026-11-2{}T10:00:00Z", n + 1), &phone, asked)
            })
            .collect();
        let saved = |slice: usize| {
            let (_dir, store) = store();
            let done = store
                .import_file("d", "f", &lines, at("2026-12-01"), false, slice)
                .unwrap()
                .unwrap();
            assert_eq!(done.calls, 7);
            let mut exported = Vec::new();
            store
                .export(|call| {
                    exported.push(crate::calls::transfer::to_line(&call));
                    Ok(())
                })
                .unwrap();
            let refused = store.import_file("d", "f", &lines, at("2026-12-01"), false, slice);
            assert!(
                refused.unwrap().is_err(),
                "recorded once, with the last slice"
            );
            (exported, store.outbox(0, 100).unwrap().len())
        };
        let whole = saved(7);
        assert_eq!(whole.1, 14);
        assert_eq!(saved(3), whole);
        assert_eq!(saved(1), whole);
    }

    /// A callback written by hand lists its attempts but not when the first was: the desk
    /// figures read it from them (a hand-over is no attempt).
    #[test]
    fn an_imported_callbacks_first_attempt_is_read_from_its_attempts() {
        let (_dir, store) = store();
        let text = r#"{"started_at":"2026-11-27T10:00:00Z","phone":"84951234567","outcome":"callback","manager":"lena","callback_due":"2026-11-27T12:00:00Z","callback":{"owner":"lena","due":"2026-11-27T12:00:00Z","state":"done","created_at":"2026-11-27T10:05:00Z","closed_at":"2026-11-27T11:30:00Z","attempts":[{"at":"2026-11-27T10:30:00Z","by":"head","result":"handed_over","reason":"lena","from":""},{"at":"2026-11-27T11:00:00Z","by":"lena","result":"no_answer"},{"at":"2026-11-27T11:30:00Z","by":"lena","result":"reached"}]}}"#;
        let (lines, errors) = crate::calls::transfer::parse(
            text,
            |_| true,
            &crate::clock::Clock::new(chrono_tz::UTC),
        );
        assert!(errors.is_empty(), "{errors:?}");
        let calls: Vec<CallLine> = lines.into_iter().map(|(_, c)| c).collect();
        assert_eq!(calls[0].callback.as_ref().unwrap().first_attempt, None);
        store.import(&calls, at("2026-12-01")).unwrap();
        let mut id = 0;
        store
            .export(|line| {
                assert!(line.callback.is_some());
                id += 1;
                Ok(())
            })
            .unwrap();
        let callback = store.callback_of_call(id).unwrap().unwrap();
        assert_eq!(callback.first_attempt, Some(at("2026-11-27T11:00:00Z")));
    }
}
