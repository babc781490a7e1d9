//! The SQLite database, the only code that touches it: one file per table or aggregate, each
//! owning its SQL, so that a server database could later sit behind the same functions. Nothing
//! outside this module sees a `rusqlite` type.
//!
//! - [`calls`]: calls and the normal forms that recognise a returning caller;
//! - [`callbacks`]: promised callbacks, one open per caller, and their attempts; `adoption`:
//!   calls that promised one before callbacks were records (an import) become callbacks;
//! - [`notices`]: the outbox of e-mails and webhooks, each sent once;
//! - [`exchange`]: calls as the phone exchange reports them, and every event taken, once;
//! - [`questions`]: caller questions and their links to answers;
//! - [`outbox`]: the search index's queue of changed questions;
//! - [`links`]: links as training data, versioned for the learned ranking;
//! - [`groups`]: typical questions without an answer yet, and editors' decisions on them;
//! - [`reports`]: questions and calls counted per desk day, and the log of searches;
//! - [`revisions`]: every version of every answer file, and renames;
//! - [`vectors`]: sentence vectors of texts, and the questions still without one;
//! - [`transfer`]: import and export of whole calls;
//! - [`accounts`]: staff accounts, sessions and machine tokens;
//! - [`audit`]: who viewed, changed, exported or erased what;
//! - [`erasure`]: erasing callers' personal data (retention, requests);
//! - [`backup()`]: consistent copies while the server runs, and [`restore`];
//! - [`private`]: the data folder and the files with callers' data kept from other users.
//!
//! One file, `callfaq.sqlite3` in the data folder, in WAL mode with `synchronous=FULL`: a write
//! that returned is on disk. The schema grows by the numbered files in `store/migrations/`,
//! embedded in the binary and tracked in `PRAGMA user_version`; a database written by a newer
//! callfaq is refused rather than guessed at.
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
use rusqlite::{Connection, Transaction, TransactionBehavior};

/// The call columns every query reads, in the order `calls::call_from_row` expects; the table
/// is always aliased `c`.
macro_rules! call_columns {
    () => {
        "c.id, c.started_at, c.ended_at, c.operator, c.kind, c.potential_client, c.name, c.phone, \
         c.company, c.topic, c.outcome, c.manager, c.callback_due, c.notes, c.callback_done_at, \
         c.contact_confirmed"
    };
}

/// The question columns, in the order `questions::question_from_row` expects; the table is
/// aliased `q`.
macro_rules! question_columns {
    () => {
        "q.id, q.call_id, q.text, q.asked_at, q.answer, q.declined"
    };
}

mod accounts;
mod adoption;
mod audit;
mod backup;
mod callbacks;
mod calls;
mod erasure;
mod exchange;
mod groups;
mod links;
mod notices;
mod outbox;
pub mod private;
mod questions;
mod reports;
mod revisions;
mod rows;
mod transfer;
pub use transfer::{Imported, IMPORT_SLICE};
mod vectors;

pub use backup::{backup, inspect, restore, with_suffix, DataLock, Summary as BackupSummary};
pub use callbacks::{Change as CallbackChange, Listed as CallbacksListed, Promise, Promised};
pub use calls::{CallerHistory, Counted, CountedCalls};
pub use exchange::{ExchangeCall, ExchangeState, ExchangeWrite, Missed as MissedCall, Written};
pub use groups::{Grouped, GroupingBatch, Split, Unassigned, QUEUE_PHRASINGS, QUEUE_WORDINGS};
pub use links::LinkChange;
pub use notices::{Channel, Failing as FailingNotices, Notice, Outgoing as OutgoingNotice, Tell};
pub use reports::{
    Behind, Chosen, CountedAs, DeskDay, GroupTitle, KeyCount, KeyWeek, SearchCount,
    MAX_SEARCH_CHARS,
};
pub use vectors::LinkedVector;

/// How the name of a backup copy made for a download starts (in the data folder).
pub const DOWNLOAD_PREFIX: &str = "download-";

/// The database file inside the data folder.
pub const FILE_NAME: &str = "callfaq.sqlite3";

/// The schema, one step per file; step `n` takes the database from `user_version` `n - 1` to
/// `n`. Append only: a released step is never edited.
const MIGRATIONS: &[(&str, &str)] = &[
    ("001_calls", include_str!("migrations/001_calls.sql")),
    ("002_accounts", include_str!("migrations/002_accounts.sql")),
    (
        "003_retention_index",
        include_str!("migrations/003_retention_index.sql"),
    ),
    ("004_links", include_str!("migrations/004_links.sql")),
    ("005_groups", include_str!("migrations/005_groups.sql")),
    ("006_reports", include_str!("migrations/006_reports.sql")),
    (
        "007_revisions",
        include_str!("migrations/007_revisions.sql"),
    ),
    ("008_vectors", include_str!("migrations/008_vectors.sql")),
    ("009_imports", include_str!("migrations/009_imports.sql")),
    (
        "010_callbacks",
        include_str!("migrations/010_callbacks.sql"),
    ),
    ("011_recorded", include_str!("migrations/011_recorded.sql")),
    ("012_exchange", include_str!("migrations/012_exchange.sql")),
    (
        "013_promised_due",
        include_str!("migrations/013_promised_due.sql"),
    ),
    (
        "014_handed_from",
        include_str!("migrations/014_handed_from.sql"),
    ),
    ("015_missed", include_str!("migrations/015_missed.sql")),
    (
        "016_not_a_client",
        include_str!("migrations/016_not_a_client.sql"),
    ),
    ("017_declined", include_str!("migrations/017_declined.sql")),
    (
        "018_manager_recount",
        include_str!("migrations/018_manager_recount.sql"),
    ),
    (
        "019_follow_up",
        include_str!("migrations/019_follow_up.sql"),
    ),
    (
        "020_attempt_next_due",
        include_str!("migrations/020_attempt_next_due.sql"),
    ),
    (
        "021_unanswered_row",
        include_str!("migrations/021_unanswered_row.sql"),
    ),
    (
        "022_talked_at_desk",
        include_str!("migrations/022_talked_at_desk.sql"),
    ),
    (
        "023_matches_again",
        include_str!("migrations/023_matches_again.sql"),
    ),
];

/// The schema version this callfaq writes: the number of migrations.
pub fn schema_version() -> i64 {
    MIGRATIONS.len() as i64
}

/// The database of calls and caller questions. Cheap to share: put it in an `Arc`; every method
/// takes `&self` and waits its turn for the one connection. Methods block: call them off the
/// async executor (`spawn_blocking`).
pub struct Store {
    conn: Mutex<Connection>,
    /// Read-only connections for the reports: a long read neither waits for the desk's writes
    /// nor holds them up, and two reads run at once.
    readers: [Mutex<Connection>; READERS],
    path: PathBuf,
}

/// Read-only connections beside the writing one.
const READERS: usize = 2;

impl fmt::Debug for Store {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Store")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl AsRef<Store> for Store {
    fn as_ref(&self) -> &Store {
        self
    }
}

impl Store {
    /// Removes the copies a backup download left in the data folder (a server stopped while
    /// one was made); how many files.
    pub fn forget_downloads(&self) -> usize {
        let Ok(entries) = std::fs::read_dir(self.data_dir()) else {
            return 0;
        };
        entries
            .filter_map(|e| e.ok())
            .filter(|e| {
                let name = e.file_name();
                let name = name.to_string_lossy();
                name.starts_with(DOWNLOAD_PREFIX) && name.contains(".sqlite3")
            })
            .filter(|e| std::fs::remove_file(e.path()).is_ok())
            .count()
    }

    /// The data folder the database is in.
    pub fn data_dir(&self) -> &Path {
        self.path.parent().unwrap_or(Path::new("."))
    }

    /// Opens (creating if missing) the database in `data_dir`, and brings its schema up to date.
    pub fn open(data_dir: &Path) -> Result<Store> {
        private::folder(data_dir)?;
        let path = data_dir.join(FILE_NAME);
        private::file(&path)?;
        let mut conn = Connection::open(&path)
            .with_context(|| format!("opening the database {}", path.display()))?;
        configure(&conn).with_context(|| format!("configuring the database {}", path.display()))?;
        migrate(&mut conn).with_context(|| format!("updating the schema of {}", path.display()))?;
        // Logs an earlier release left readable to others.
        for side in ["-wal", "-shm"] {
            private::tighten(&backup::with_suffix(&path, side))?;
        }
        let reader = || -> Result<Mutex<Connection>> {
            let conn = Connection::open_with_flags(
                &path,
                rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY
                    | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )
            .with_context(|| format!("opening the database {} to read", path.display()))?;
            conn.busy_timeout(Duration::from_millis(5000))?;
            conn.set_prepared_statement_cache_capacity(32);
            Ok(Mutex::new(conn))
        };
        Ok(Store {
            conn: Mutex::new(conn),
            readers: [reader()?, reader()?],
            path,
        })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Copies the write-ahead log into the database file, so that a clean stop leaves one
    /// self-contained file.
    pub fn checkpoint(&self) -> Result<()> {
        self.lock()
            .execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
            .context("checkpointing the database")
    }

    /// A read-only connection: a free one, or the first when both are busy.
    fn read(&self) -> MutexGuard<'_, Connection> {
        for reader in &self.readers {
            match reader.try_lock() {
                Ok(guard) => return guard,
                Err(std::sync::TryLockError::Poisoned(p)) => return p.into_inner(),
                Err(std::sync::TryLockError::WouldBlock) => {}
            }
        }
        self.readers[0]
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
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
    conn.busy_handler(Some(wait_for_the_desk))?;
    conn.set_prepared_statement_cache_capacity(64);
    // Keeps the planner's statistics fresh (https://sqlite.org/lang_analyze.html#autoanalyze):
    // without them it reads every linked question for the frequent answers.
    conn.execute_batch("PRAGMA optimize = 0x10002")?;
    Ok(())
}

fn migrate(conn: &mut Connection) -> Result<()> {
    let known = schema_version();
    let version = user_version(conn)?;
    if version > known || version < 0 {
        bail!(
            "the database has schema version {version}, but this callfaq knows versions up to {known}: \
             it was written by a newer callfaq; run that version, or restore a backup"
        );
    }
    for (step, (name, sql)) in MIGRATIONS.iter().enumerate() {
        let target = step as i64 + 1;
        if user_version(conn)? >= target {
            continue;
        }
        // A step that rebuilds a table others refer to runs with foreign keys off (they can
        // only be switched outside a transaction), and checks them before it commits.
        let rebuild = sql.starts_with("-- foreign keys off");
        if rebuild {
            conn.pragma_update(None, "foreign_keys", "OFF")?;
        }
        let applied = (|| -> Result<()> {
            let tx = write(conn)?;
            // Read again inside the write lock: another process may have migrated meanwhile.
            if user_version(&tx)? >= target {
                return Ok(());
            }
            tx.execute_batch(sql)
                .with_context(|| format!("applying schema step {name}"))?;
            if rebuild {
                let broken: i64 =
                    tx.query_row("SELECT COUNT(*) FROM pragma_foreign_key_check", [], |row| {
                        row.get(0)
                    })?;
                if broken > 0 {
                    bail!("schema step {name} left {broken} broken references");
                }
            }
            tx.pragma_update(None, "user_version", target)?;
            tx.commit()
                .with_context(|| format!("saving schema step {name}"))
        })();
        if rebuild {
            conn.pragma_update(None, "foreign_keys", "ON")?;
        }
        applied?;
    }
    Ok(())
}

fn user_version(conn: &Connection) -> Result<i64> {
    Ok(conn.pragma_query_value(None, "user_version", |row| row.get(0))?)
}

/// How long a write waits for the database while another process (an import beside the
/// server) writes to it.
const PATIENCE: Duration = Duration::from_secs(5);

/// How often a waiting write tries the database again. SQLite's own wait tries again every 100
/// ms after its first third of a second, so the short pause an import leaves between two of its
/// slices went by unseen and a desk write waited out several slices.
const RETRY: Duration = Duration::from_millis(2);

/// The busy handler of the store's connections: tries again every [`RETRY`] for [`PATIENCE`].
fn wait_for_the_desk(tries: i32) -> bool {
    wait_busy(tries, PATIENCE)
}

/// The busy handler's wait, `tries` the number of tries so far for this write, measured in
/// time since the first (a busy machine oversleeps a short sleep).
fn wait_busy(tries: i32, patience: Duration) -> bool {
    thread_local! {
        static SINCE: std::cell::Cell<Option<std::time::Instant>> =
            const { std::cell::Cell::new(None) };
    }
    let now = std::time::Instant::now();
    let since = SINCE.with(|since| {
        if tries == 0 || since.get().is_none() {
            since.set(Some(now));
        }
        since.get().unwrap_or(now)
    });
    if now.duration_since(since) >= patience {
        return false;
    }
    std::thread::sleep(RETRY);
    true
}

/// A write transaction that takes the write lock at once, so it never fails half-way on
/// `SQLITE_BUSY` when another process (an import, say) writes too; it waits as the busy
/// handler ([`wait_for_the_desk`]) says.
fn write(conn: &mut Connection) -> rusqlite::Result<Transaction<'_>> {
    conn.transaction_with_behavior(TransactionBehavior::Immediate)
}

/// A time as stored: RFC 3339 UTC with milliseconds.
/// A time as the store writes it (RFC 3339, UTC, milliseconds): what keys built from times use.
pub fn stamp_text(time: DateTime<Utc>) -> String {
    stamp(time)
}

fn stamp(time: DateTime<Utc>) -> String {
    time.to_rfc3339_opts(SecondsFormat::Millis, true)
}

fn sql_limit(limit: usize) -> i64 {
    i64::try_from(limit).unwrap_or(i64::MAX)
}

/// Whether an error comes of a disk with no room left (SQLite's "database or disk is full", or
/// the system's "no space left on device").
pub fn disk_full(cause: &anyhow::Error) -> bool {
    cause.chain().any(|e| {
        if let Some(rusqlite::Error::SqliteFailure(failure, _)) =
            e.downcast_ref::<rusqlite::Error>()
        {
            return failure.code == rusqlite::ErrorCode::DiskFull;
        }
        e.downcast_ref::<std::io::Error>().is_some_and(|io| {
            io.kind() == std::io::ErrorKind::StorageFull || io.raw_os_error() == Some(28)
        })
    })
}

/// What the tests of every store file share, and the store's own tests.
#[cfg(test)]
pub(crate) mod testing;

#[cfg(test)]
mod disk_tests {
    use super::disk_full;
    use anyhow::Context;

    #[test]
    fn a_full_disk_is_told_apart_from_other_failures() {
        let sqlite = rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_FULL),
            Some("database or disk is full".into()),
        );
        let wrapped = Err::<(), _>(sqlite)
            .context("saving a new call")
            .unwrap_err();
        assert!(disk_full(&wrapped));
        let io = anyhow::Error::from(std::io::Error::from_raw_os_error(28))
            .context("writing the knowledge folder");
        assert!(disk_full(&io));
        let busy = rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
            None,
        );
        assert!(!disk_full(&anyhow::Error::from(busy)));
        assert!(!disk_full(&anyhow::anyhow!("something else")));
    }
}
