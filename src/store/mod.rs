//! The SQLite database: calls and caller questions here, accounts, sessions, tokens and the
//! audit log in [`accounts`]. The only code that touches SQLite, so that a server database can
//! replace it later.
//!
//! One file, `callfaq.sqlite3` in the data folder, in WAL mode with `synchronous=FULL`: a write
//! that returned is on disk. The schema grows by numbered [`MIGRATIONS`], tracked in
//! `PRAGMA user_version`; a database written by a newer callfaq is refused rather than guessed at.
//!
//! The search index is derived from this database. Every insert of a question and every change
//! of its answer (or of its call's kind) writes a row to `index_outbox` in the same transaction,
//! so the indexer ([`Store::outbox`], [`Store::outbox_done`]) misses nothing, even after a crash.
//!
//! Times are stored as RFC 3339 UTC text with milliseconds (`2026-11-28T07:15:00.000Z`), so that
//! text order is time order and ranges use the indexes. Validation of user input (lengths, answer
//! slugs) is the caller's job; the store keeps what it is given.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use anyhow::{bail, Context, Result};
use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::types::Type;
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction, TransactionBehavior};

mod accounts;

pub use accounts::AuditEntry;

use crate::calls::transfer::CallLine;
use crate::calls::{
    phone, Call, CallChanges, CallFull, CallKind, CallRecord, CallerQuestion, IndexedQuestion,
    Outcome, MAX_QUESTIONS_PER_CALL,
};

/// The database file inside the data folder.
pub const FILE_NAME: &str = "callfaq.sqlite3";

/// Earlier calls kept on a record.
const PREVIOUS_CALLS: i64 = 20;
/// Earlier calls shown in full on the desk screen.
const EARLIER_RECORDS: usize = 10;

/// The schema, one step per entry; entry `n` takes the database from `user_version` `n` to
/// `n + 1`. Append only: a released step is never edited.
pub const MIGRATIONS: &[&str] = &[
    // 1: calls, caller questions, the search index's outbox.
    r#"
    CREATE TABLE calls (
        id               INTEGER PRIMARY KEY,
        started_at       TEXT NOT NULL,
        ended_at         TEXT,
        operator         TEXT,
        kind             TEXT NOT NULL CHECK (kind IN ('primary', 'secondary')),
        potential_client INTEGER NOT NULL CHECK (potential_client IN (0, 1)),
        name             TEXT,
        phone            TEXT,
        phone_key        TEXT,
        company          TEXT,
        company_key      TEXT,
        topic            TEXT,
        outcome          TEXT CHECK (outcome IN ('answered', 'transferred', 'callback', 'not_a_client')),
        manager          TEXT,
        callback_due     TEXT,
        notes            TEXT
    );
    -- kind beside started_at, answer beside call_id: the top answers are counted from the
    -- indexes alone, without reading a row.
    CREATE INDEX calls_started_at ON calls (started_at, kind);
    -- (key, started_at): finding a caller's earlier calls reads only those.
    CREATE INDEX calls_phone_key ON calls (phone_key, started_at);
    CREATE INDEX calls_company_key ON calls (company_key, started_at);
    CREATE INDEX calls_callback_due ON calls (callback_due);

    CREATE TABLE questions (
        id       INTEGER PRIMARY KEY,
        call_id  INTEGER NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
        text     TEXT NOT NULL,
        asked_at TEXT NOT NULL,
        answer   TEXT
    );
    CREATE INDEX questions_call_id ON questions (call_id, answer);
    CREATE INDEX questions_answer ON questions (answer);

    CREATE TABLE index_outbox (
        seq         INTEGER PRIMARY KEY AUTOINCREMENT,
        question_id INTEGER NOT NULL
    );
    "#,
    // 2: staff accounts, their sessions, machine tokens, the audit log, erasure of callers'
    // personal data.
    accounts::MIGRATION,
    // 3: a partial index for the retention sweep.
    accounts::MIGRATION_3,
];

/// The call columns every query reads, in the order [`call_from_row`] expects; the table is
/// always aliased `c`.
macro_rules! call_columns {
    () => {
        "c.id, c.started_at, c.ended_at, c.operator, c.kind, c.potential_client, c.name, c.phone, \
         c.company, c.topic, c.outcome, c.manager, c.callback_due, c.notes"
    };
}
/// How many columns [`call_columns`] names: the index of the first column after them.
const CALL_COLUMN_COUNT: usize = 14;

/// The question columns, in the order [`question_from_row`] expects; the table is aliased `q`.
macro_rules! question_columns {
    () => {
        "q.id, q.call_id, q.text, q.asked_at, q.answer"
    };
}

/// The database of calls and caller questions. Cheap to share: put it in an `Arc`; every method
/// takes `&self` and waits its turn for the one connection. Methods block: call them off the
/// async executor (`spawn_blocking`).
pub struct Store {
    conn: Mutex<Connection>,
    path: PathBuf,
}

impl fmt::Debug for Store {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Store")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl Store {
    /// Opens (creating if missing) the database in `data_dir`, and brings its schema up to date.
    pub fn open(data_dir: &Path) -> Result<Store> {
        std::fs::create_dir_all(data_dir)
            .with_context(|| format!("creating the data folder {}", data_dir.display()))?;
        let path = data_dir.join(FILE_NAME);
        let mut conn = Connection::open(&path)
            .with_context(|| format!("opening the database {}", path.display()))?;
        configure(&conn).with_context(|| format!("configuring the database {}", path.display()))?;
        migrate(&mut conn).with_context(|| format!("updating the schema of {}", path.display()))?;
        Ok(Store {
            conn: Mutex::new(conn),
            path,
        })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Records a new call. `started_at` defaults to `now`. Earlier calls from the same phone
    /// number or company become `previous_calls`; the kind, unless given, is secondary when there
    /// are any and primary otherwise; a primary caller is a potential client unless told otherwise.
    pub fn create_call(&self, changes: &CallChanges, now: DateTime<Utc>) -> Result<CallRecord> {
        let mut conn = self.lock();
        let tx = write(&mut conn).context("creating a call")?;
        let mut call = Call {
            id: 0,
            started_at: now,
            ended_at: None,
            operator: None,
            kind: CallKind::Primary,
            potential_client: false,
            name: None,
            phone: None,
            company: None,
            topic: None,
            outcome: None,
            manager: None,
            callback_due: None,
            notes: None,
        };
        changes.apply(&mut call);
        let keys = Keys::of(&call);
        let previous = previous_calls(&tx, i64::MAX, &keys, &stamp(call.started_at))
            .context("finding earlier calls")?;
        call.kind = changes.kind.unwrap_or(if previous.is_empty() {
            CallKind::Primary
        } else {
            CallKind::Secondary
        });
        call.potential_client = changes
            .potential_client
            .unwrap_or(call.kind == CallKind::Primary);
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
            tx.prepare_cached(
                "INSERT INTO index_outbox (question_id) SELECT id FROM questions WHERE call_id = ?1 ORDER BY id",
            )
            .and_then(|mut s| s.execute([id]))
            .with_context(context)?;
        }
        let record = load_record(&tx, id).with_context(context)?;
        tx.commit().with_context(context)?;
        Ok(record)
    }

    /// Logs a caller question on a call, linked to `answer` if given; `None` if there is no such
    /// call, a [`CallFull`] error when it holds [`MAX_QUESTIONS_PER_CALL`] already. The slug is
    /// not checked here.
    pub fn add_question(
        &self,
        call_id: i64,
        text: &str,
        answer: Option<&str>,
        asked_at: DateTime<Utc>,
    ) -> Result<Option<CallerQuestion>> {
        let context = || format!("adding a question to call {call_id}");
        let mut conn = self.lock();
        let tx = write(&mut conn).with_context(context)?;
        let exists = tx
            .prepare_cached("SELECT 1 FROM calls WHERE id = ?1")
            .and_then(|mut s| s.exists([call_id]))
            .with_context(context)?;
        if !exists {
            return Ok(None);
        }
        let count: i64 = tx
            .prepare_cached("SELECT COUNT(*) FROM questions WHERE call_id = ?1")
            .and_then(|mut s| s.query_row([call_id], |r| r.get(0)))
            .with_context(context)?;
        // Counted inside the write transaction, so that parallel requests cannot pass it together.
        if count as usize >= MAX_QUESTIONS_PER_CALL {
            return Err(CallFull { call_id }.into());
        }
        let id =
            insert_question(&tx, call_id, text, answer, &stamp(asked_at)).with_context(context)?;
        let question = load_question(&tx, id).with_context(context)?;
        tx.commit().with_context(context)?;
        Ok(question)
    }

    /// Links a question to an answer, or unlinks it (`None`); `None` if there is no such question.
    pub fn set_answer(
        &self,
        question_id: i64,
        answer: Option<&str>,
    ) -> Result<Option<CallerQuestion>> {
        let context = || format!("linking question {question_id} to an answer");
        let mut conn = self.lock();
        let tx = write(&mut conn).with_context(context)?;
        let Some(mut question) = load_question(&tx, question_id).with_context(context)? else {
            return Ok(None);
        };
        if question.answer.as_deref() != answer {
            tx.prepare_cached("UPDATE questions SET answer = ?2 WHERE id = ?1")
                .and_then(|mut s| s.execute(params![question_id, answer]))
                .and_then(|_| outbox_add(&tx, question_id))
                .with_context(context)?;
            question.answer = answer.map(str::to_string);
        }
        tx.commit().with_context(context)?;
        Ok(Some(question))
    }

    /// One caller question; `None` if there is no such question.
    pub fn question(&self, id: i64) -> Result<Option<CallerQuestion>> {
        load_question(&self.lock(), id).with_context(|| format!("reading question {id}"))
    }

    /// How many questions a call has.
    pub fn question_count(&self, call_id: i64) -> Result<usize> {
        let count: i64 = self
            .lock()
            .prepare_cached("SELECT COUNT(*) FROM questions WHERE call_id = ?1")
            .and_then(|mut s| s.query_row([call_id], |row| row.get(0)))
            .with_context(|| format!("counting the questions of call {call_id}"))?;
        Ok(count as usize)
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
                   AND (?4 IS NULL OR c.operator = ?4)
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

    /// The answers most often linked to questions on calls of `kind` that started at or after
    /// `since`, with how many questions each, most first (ties by slug); at most `limit`.
    pub fn top_answers(
        &self,
        kind: CallKind,
        since: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<(String, u64)>> {
        let conn = self.lock();
        let mut select = conn
            .prepare_cached(
                "SELECT q.answer, COUNT(*) AS n FROM calls c JOIN questions q ON q.call_id = c.id
                 WHERE c.started_at >= ?1 AND c.kind = ?2 AND q.answer IS NOT NULL
                 GROUP BY q.answer ORDER BY n DESC, q.answer LIMIT ?3",
            )
            .context("counting linked answers")?;
        let top = select
            .query_map(
                params![stamp(since), kind.as_str(), sql_limit(limit)],
                |row| Ok((row.get(0)?, row.get::<_, i64>(1)? as u64)),
            )
            .and_then(Iterator::collect)
            .with_context(|| {
                format!(
                    "counting the answers linked on {} calls since {since}",
                    kind.as_str()
                )
            })?;
        Ok(top)
    }

    /// Pending changes for the search index: `(seq, question id, the question as it is now)`, the
    /// question `None` if it no longer exists; `seq > after_seq`, ascending, at most `limit`.
    /// A question may appear more than once; its latest state is given each time.
    pub fn outbox(
        &self,
        after_seq: i64,
        limit: usize,
    ) -> Result<Vec<(i64, i64, Option<IndexedQuestion>)>> {
        let conn = self.lock();
        let mut select = conn
            .prepare_cached(
                "SELECT o.seq, o.question_id, q.id, q.text, q.answer, c.kind
                 FROM index_outbox o
                 LEFT JOIN questions q ON q.id = o.question_id
                 LEFT JOIN calls c ON c.id = q.call_id
                 WHERE o.seq > ?1 ORDER BY o.seq LIMIT ?2",
            )
            .context("reading the index outbox")?;
        let rows = select
            .query_map(params![after_seq, sql_limit(limit)], |row| {
                let question = match row.get::<_, Option<i64>>(2)? {
                    None => None,
                    Some(id) => Some(IndexedQuestion {
                        id,
                        text: row.get(3)?,
                        answer: row.get(4)?,
                        kind: kind_at(row, 5)?,
                    }),
                };
                Ok((row.get(0)?, row.get(1)?, question))
            })
            .and_then(Iterator::collect)
            .context("reading the index outbox")?;
        Ok(rows)
    }

    /// Forgets the outbox rows up to `up_to_seq` inclusive, once the index has them.
    pub fn outbox_done(&self, up_to_seq: i64) -> Result<()> {
        self.lock()
            .prepare_cached("DELETE FROM index_outbox WHERE seq <= ?1")
            .and_then(|mut s| s.execute([up_to_seq]))
            .with_context(|| format!("clearing the index outbox up to {up_to_seq}"))?;
        Ok(())
    }

    /// All questions with an id above `after_id`, by id, at most `limit`: pages of a full reindex.
    pub fn questions_after(&self, after_id: i64, limit: usize) -> Result<Vec<IndexedQuestion>> {
        let conn = self.lock();
        let mut select = conn
            .prepare_cached(
                "SELECT q.id, q.text, q.answer, c.kind FROM questions q JOIN calls c ON c.id = q.call_id
                 WHERE q.id > ?1 ORDER BY q.id LIMIT ?2",
            )
            .context("reading questions")?;
        let page = select
            .query_map(params![after_id, sql_limit(limit)], |row| {
                Ok(IndexedQuestion {
                    id: row.get(0)?,
                    text: row.get(1)?,
                    answer: row.get(2)?,
                    kind: kind_at(row, 3)?,
                })
            })
            .and_then(Iterator::collect)
            .with_context(|| format!("reading questions after {after_id}"))?;
        Ok(page)
    }

    /// Adds calls and their questions, all or nothing, in one transaction; returns how many calls.
    /// A question without `asked_at` gets its call's start. Each question goes to the index outbox.
    /// `now`, the time of the import, is not stored yet: the schema has no place for it.
    pub fn import(&self, calls: &[CallLine], now: DateTime<Utc>) -> Result<usize> {
        let _ = now;
        let mut conn = self.lock();
        let tx = write(&mut conn).context("importing calls")?;
        let last_question: i64 = tx
            .query_row("SELECT COALESCE(MAX(id), 0) FROM questions", [], |row| {
                row.get(0)
            })
            .context("importing calls")?;
        for (i, line) in calls.iter().enumerate() {
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
                notes: line.notes.clone(),
            };
            let call_id = save_call(&tx, None, &call)
                .with_context(|| format!("importing call {} of {}", i + 1, calls.len()))?;
            let mut insert = tx
                .prepare_cached("INSERT INTO questions (call_id, text, asked_at, answer) VALUES (?1, ?2, ?3, ?4)")
                .context("importing questions")?;
            for q in &line.questions {
                insert
                    .execute(params![
                        call_id,
                        q.text,
                        stamp(q.asked_at.unwrap_or(line.started_at)),
                        q.answer
                    ])
                    .with_context(|| {
                        format!(
                            "importing the questions of call {} of {}",
                            i + 1,
                            calls.len()
                        )
                    })?;
            }
        }
        // Every imported question at once: the rows above the largest id before the import.
        tx.execute(
            "INSERT INTO index_outbox (question_id) SELECT id FROM questions WHERE id > ?1 ORDER BY id",
            [last_question],
        )
        .context("queueing imported questions for the index")?;
        tx.commit().context("saving imported calls")?;
        // Many rows changed at once: refresh the planner's statistics. The calls are saved
        // already, so a failure here is only worth a warning.
        if let Err(e) = conn.execute_batch("PRAGMA optimize") {
            tracing::warn!("refreshing statistics after an import: {e}");
        }
        Ok(calls.len())
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
            each(CallLine::from_call(call, asked))?;
            count += 1;
        }
        Ok(count)
    }

    fn lock(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock rolled its transaction back when it unwound (rusqlite
        // transactions roll back on drop), so the connection is still sound.
        self.conn
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

fn configure(conn: &Connection) -> Result<()> {
    let mode: String =
        conn.pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        bail!("the database cannot use WAL mode (it stays in {mode} mode); is the data folder on a network drive?");
    }
    // With WAL, FULL syncs the log on every commit: an acknowledged write survives a power cut.
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.busy_timeout(Duration::from_millis(5000))?;
    conn.set_prepared_statement_cache_capacity(64);
    // Keeps the planner's statistics fresh (https://sqlite.org/lang_analyze.html#autoanalyze):
    // without them it reads every linked question for the top answers.
    conn.execute_batch("PRAGMA optimize = 0x10002")?;
    Ok(())
}

fn migrate(conn: &mut Connection) -> Result<()> {
    let known = MIGRATIONS.len() as i64;
    let version = user_version(conn)?;
    if version > known || version < 0 {
        bail!(
            "the database has schema version {version}, but this callfaq knows versions up to {known}: \
             it was written by a newer callfaq; run that version, or restore a backup"
        );
    }
    for (step, sql) in MIGRATIONS.iter().enumerate() {
        let target = step as i64 + 1;
        let tx = write(conn)?;
        // Read again inside the write lock: another process may have migrated meanwhile.
        if user_version(&tx)? >= target {
            continue;
        }
        tx.execute_batch(sql)
            .with_context(|| format!("applying schema step {target}"))?;
        tx.pragma_update(None, "user_version", target)?;
        tx.commit()
            .with_context(|| format!("saving schema step {target}"))?;
    }
    Ok(())
}

fn user_version(conn: &Connection) -> Result<i64> {
    Ok(conn.pragma_query_value(None, "user_version", |row| row.get(0))?)
}

/// A write transaction that takes the write lock at once, so it never fails half-way on
/// `SQLITE_BUSY` when another process (an import, say) writes too; the busy timeout applies.
fn write(conn: &mut Connection) -> rusqlite::Result<Transaction<'_>> {
    conn.transaction_with_behavior(TransactionBehavior::Immediate)
}

/// A time as stored: RFC 3339 UTC with milliseconds.
fn stamp(time: DateTime<Utc>) -> String {
    time.to_rfc3339_opts(SecondsFormat::Millis, true)
}

fn sql_limit(limit: usize) -> i64 {
    i64::try_from(limit).unwrap_or(i64::MAX)
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
fn save_call(conn: &Connection, id: Option<i64>, call: &Call) -> rusqlite::Result<i64> {
    let keys = Keys::of(call);
    conn.prepare_cached(
        "INSERT INTO calls (id, started_at, ended_at, operator, kind, potential_client, name, phone, phone_key, \
         company, company_key, topic, outcome, manager, callback_due, notes) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16) \
         ON CONFLICT (id) DO UPDATE SET started_at = excluded.started_at, ended_at = excluded.ended_at, \
         operator = excluded.operator, kind = excluded.kind, potential_client = excluded.potential_client, \
         name = excluded.name, phone = excluded.phone, phone_key = excluded.phone_key, \
         company = excluded.company, company_key = excluded.company_key, topic = excluded.topic, \
         outcome = excluded.outcome, manager = excluded.manager, callback_due = excluded.callback_due, \
         notes = excluded.notes",
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
    ])?;
    Ok(id.unwrap_or_else(|| conn.last_insert_rowid()))
}

fn insert_question(
    conn: &Connection,
    call_id: i64,
    text: &str,
    answer: Option<&str>,
    asked_at: &str,
) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO questions (call_id, text, asked_at, answer) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![call_id, text, asked_at, answer])?;
    let id = conn.last_insert_rowid();
    outbox_add(conn, id)?;
    Ok(id)
}

fn outbox_add(conn: &Connection, question_id: i64) -> rusqlite::Result<()> {
    conn.prepare_cached("INSERT INTO index_outbox (question_id) VALUES (?1)")?
        .execute([question_id])?;
    Ok(())
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

fn load_question(conn: &Connection, id: i64) -> rusqlite::Result<Option<CallerQuestion>> {
    conn.prepare_cached(concat!(
        "SELECT ",
        question_columns!(),
        " FROM questions q WHERE q.id = ?1"
    ))?
    .query_row([id], question_from_row)
    .optional()
}

fn call_from_row(row: &Row<'_>) -> rusqlite::Result<Call> {
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
        notes: row.get(13)?,
    })
}

fn question_from_row(row: &Row<'_>) -> rusqlite::Result<CallerQuestion> {
    Ok(CallerQuestion {
        id: row.get(0)?,
        call_id: row.get(1)?,
        text: row.get(2)?,
        asked_at: time_at(row, 3)?,
        answer: row.get(4)?,
    })
}

fn kind_at(row: &Row<'_>, index: usize) -> rusqlite::Result<CallKind> {
    let word: String = row.get(index)?;
    CallKind::parse(&word).ok_or_else(|| unreadable(index, format!("unknown call kind {word:?}")))
}

fn time_at(row: &Row<'_>, index: usize) -> rusqlite::Result<DateTime<Utc>> {
    parse_stamp(index, row.get(index)?)
}

fn optional_time_at(row: &Row<'_>, index: usize) -> rusqlite::Result<Option<DateTime<Utc>>> {
    row.get::<_, Option<String>>(index)?
        .map(|text| parse_stamp(index, text))
        .transpose()
}

fn parse_stamp(index: usize, text: String) -> rusqlite::Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(&text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| unreadable(index, format!("bad time {text:?}: {e}")))
}

fn unreadable(index: usize, message: String) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(index, Type::Text, message.into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calls::parse_time;
    use crate::calls::transfer::QuestionLine;

    fn at(text: &str) -> DateTime<Utc> {
        parse_time(text).unwrap()
    }

    fn store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        (dir, store)
    }

    fn caller(phone: Option<&str>, company: Option<&str>) -> CallChanges {
        CallChanges {
            phone: Some(phone.map(str::to_string)),
            company: Some(company.map(str::to_string)),
            ..CallChanges::default()
        }
    }

    #[test]
    fn the_store_can_be_shared_between_threads() {
        fn shareable<T: Send + Sync>() {}
        shareable::<Store>();
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
        let first = store
            .create_call(
                &caller(Some("8 (495) 123 45 67"), None),
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
    fn questions_are_linked_relinked_and_queued_for_the_index() {
        let (_dir, store) = store();
        let call = store
            .create_call(&CallChanges::default(), at("2026-11-28T10:00:00Z"))
            .unwrap()
            .call;
        let q2 = store
            .add_question(call.id, "а принтеры?", None, at("2026-11-28T10:02:00Z"))
            .unwrap()
            .unwrap();
        let q1 = store
            .add_question(
                call.id,
                "сколько стоит?",
                Some("price"),
                at("2026-11-28T10:01:00Z"),
            )
            .unwrap()
            .unwrap();
        let record = store.call(call.id).unwrap().unwrap();
        assert_eq!(
            record.questions,
            vec![q1.clone(), q2.clone()],
            "in the order asked"
        );
        assert_eq!(store.question_count(call.id).unwrap(), 2);

        let relinked = store
            .set_answer(q1.id, Some("price-remote"))
            .unwrap()
            .unwrap();
        assert_eq!(relinked.answer.as_deref(), Some("price-remote"));
        store.set_answer(q1.id, Some("price-remote")).unwrap();
        store.set_answer(q2.id, Some("printers")).unwrap();
        store.set_answer(q2.id, None).unwrap();
        assert_eq!(store.question(q2.id).unwrap().unwrap().answer, None);

        let outbox = store.outbox(0, 100).unwrap();
        let ids: Vec<i64> = outbox.iter().map(|(_, id, _)| *id).collect();
        assert_eq!(
            ids,
            [q2.id, q1.id, q1.id, q2.id, q2.id],
            "one row per change, none for a no-op"
        );
        let (_, _, state) = &outbox[1];
        let state = state.as_ref().unwrap();
        assert_eq!(
            (state.answer.as_deref(), state.kind),
            (Some("price-remote"), CallKind::Primary),
            "the current state"
        );

        let (third_seq, _, _) = outbox[2];
        assert_eq!(store.outbox(third_seq, 100).unwrap().len(), 2);
        store.outbox_done(third_seq).unwrap();
        assert_eq!(store.outbox(0, 100).unwrap().len(), 2);
        store.outbox_done(i64::MAX).unwrap();
        assert!(store.outbox(0, 100).unwrap().is_empty());

        assert_eq!(
            store
                .add_question(999, "x", None, at("2026-11-28"))
                .unwrap(),
            None
        );
        assert_eq!(store.set_answer(999, Some("x")).unwrap(), None);
    }

    #[test]
    fn a_deleted_question_leaves_the_index_a_removal() {
        let (_dir, store) = store();
        let call = store
            .create_call(&CallChanges::default(), at("2026-11-28T10:00:00Z"))
            .unwrap()
            .call;
        let q = store
            .add_question(call.id, "цена?", None, at("2026-11-28T10:01:00Z"))
            .unwrap()
            .unwrap();
        store
            .lock()
            .execute("DELETE FROM calls WHERE id = ?1", [call.id])
            .unwrap();
        assert_eq!(
            store.question(q.id).unwrap(),
            None,
            "questions go with their call"
        );
        assert_eq!(store.outbox(0, 10).unwrap(), vec![(1, q.id, None)]);
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
    fn top_answers_count_links_per_kind_since_a_time() {
        let (_dir, store) = store();
        let primary = CallChanges {
            kind: Some(CallKind::Primary),
            ..CallChanges::default()
        };
        let secondary = CallChanges {
            kind: Some(CallKind::Secondary),
            ..CallChanges::default()
        };
        let old = store
            .create_call(&primary, at("2026-10-01T10:00:00Z"))
            .unwrap()
            .call
            .id;
        let new = store
            .create_call(&primary, at("2026-11-28T10:00:00Z"))
            .unwrap()
            .call
            .id;
        let other = store
            .create_call(&secondary, at("2026-11-28T11:00:00Z"))
            .unwrap()
            .call
            .id;
        for (call, answer) in [
            (old, Some("old")),
            (old, Some("old")),
            (new, Some("price")),
            (new, Some("price")),
            (new, Some("repair")),
            (new, None),
            (other, Some("invoice")),
        ] {
            store
                .add_question(call, "?", answer, at("2026-11-28T10:00:00Z"))
                .unwrap();
        }
        let since = at("2026-11-01");
        assert_eq!(
            store.top_answers(CallKind::Primary, since, 10).unwrap(),
            vec![("price".into(), 2), ("repair".into(), 1)]
        );
        assert_eq!(
            store.top_answers(CallKind::Primary, since, 1).unwrap(),
            vec![("price".into(), 2)]
        );
        assert_eq!(
            store.top_answers(CallKind::Secondary, since, 10).unwrap(),
            vec![("invoice".into(), 1)]
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

    #[test]
    fn questions_are_paged_by_id_for_a_reindex() {
        let (_dir, store) = store();
        let call = store
            .create_call(&CallChanges::default(), at("2026-11-28"))
            .unwrap()
            .call;
        let ids: Vec<i64> = (0..5)
            .map(|i| {
                store
                    .add_question(call.id, &format!("q{i}"), None, at("2026-11-28"))
                    .unwrap()
                    .unwrap()
                    .id
            })
            .collect();
        let first = store.questions_after(0, 3).unwrap();
        assert_eq!(first.iter().map(|q| q.id).collect::<Vec<_>>(), ids[..3]);
        let rest = store.questions_after(first[2].id, 3).unwrap();
        assert_eq!(rest.iter().map(|q| q.id).collect::<Vec<_>>(), ids[3..]);
    }

    fn line(started_at: &str, phone: &str, questions: &[(&str, Option<&str>)]) -> CallLine {
        let (mut calls, errors) = crate::calls::transfer::parse(
            &format!(
                r#"{{"started_at":"{started_at}","phone":"{phone}","potential_client":true}}"#
            ),
            |_| true,
        );
        assert!(errors.is_empty());
        let mut call = calls.remove(0).1;
        call.questions = questions
            .iter()
            .map(|(text, answer)| QuestionLine {
                text: text.to_string(),
                asked_at: None,
                answer: answer.map(str::to_string),
            })
            .collect();
        call
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
    }

    #[test]
    fn opening_twice_is_fine_and_a_newer_schema_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let first = Store::open(dir.path()).unwrap();
        let second = Store::open(dir.path()).unwrap();
        assert_eq!(
            user_version(&second.lock()).unwrap(),
            MIGRATIONS.len() as i64
        );
        let mode: String = first
            .lock()
            .pragma_query_value(None, "journal_mode", |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        drop((first, second));

        let conn = Connection::open(dir.path().join(FILE_NAME)).unwrap();
        conn.pragma_update(None, "user_version", MIGRATIONS.len() as i64 + 1)
            .unwrap();
        drop(conn);
        let error = format!("{:#}", Store::open(dir.path()).unwrap_err());
        assert!(error.contains("newer callfaq"), "{error}");
    }

    #[test]
    fn a_missing_data_folder_is_created() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("a/b")).unwrap();
        assert!(store.path().ends_with("a/b/callfaq.sqlite3") && store.path().exists());
    }
}
