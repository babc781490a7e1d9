//! Backups of the database, the lock that keeps one server per data folder, and restoring.
//!
//! [`backup`] copies the database through SQLite's online backup in one step, under one read
//! snapshot: every write committed before it began is in the copy, and the server keeps
//! writing meanwhile (WAL readers do not block writers). The copy is written to a temporary file,
//! checked, synced, and renamed into place, so a cron job never leaves half a backup.
//!
//! [`restore`] needs the data folder's [`DataLock`], which a running server holds: it checks the
//! backup, keeps the current database beside it (`callfaq.sqlite3.before-restore-…`), and puts
//! the backup in its place. The search index is derived and is rebuilt from it.

use super::{schema_version, FILE_NAME};
use anyhow::{bail, Context, Result};
use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The lock file in the data folder.
pub const LOCK_FILE: &str = "callfaq.lock";

/// What a backup holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    /// Calls.
    pub calls: u64,
    /// Caller questions.
    pub questions: u64,
    /// Bytes of the file.
    pub bytes: u64,
}

/// The exclusive right to a data folder, held by a server for its lifetime and by `restore`.
#[derive(Debug)]
pub struct DataLock {
    _file: File,
}

impl DataLock {
    /// Takes the lock of `data_dir` (creating the folder), or says who holds it.
    pub fn take(data_dir: &Path) -> Result<DataLock> {
        super::private::folder(data_dir)?;
        let path = data_dir.join(LOCK_FILE);
        let file = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .with_context(|| format!("opening {}", path.display()))?;
        match file.try_lock() {
            Ok(()) => Ok(DataLock { _file: file }),
            Err(std::fs::TryLockError::WouldBlock) => bail!(
                "a callfaq server (or a restore or import learning into it) is using the data \
                 folder {}: stop it first",
                data_dir.display()
            ),
            Err(std::fs::TryLockError::Error(e)) => {
                Err(e).with_context(|| format!("locking {}", path.display()))
            }
        }
    }
}

fn read_only(path: &Path) -> Result<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .with_context(|| format!("opening {}", path.display()))?;
    conn.busy_timeout(Duration::from_secs(5))?;
    Ok(conn)
}

/// Checks that `path` is a sound callfaq database this version can open; what it holds.
pub fn inspect(path: &Path) -> Result<Summary> {
    let conn = read_only(path)?;
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .with_context(|| format!("{} is not an SQLite database", path.display()))?;
    if integrity != "ok" {
        bail!("{} is damaged: {integrity}", path.display());
    }
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if version < 1 {
        bail!("{} is not a callfaq database", path.display());
    }
    if version > schema_version() {
        bail!(
            "{} was written by a newer callfaq (schema {version}, this one knows {}): restore it with that version",
            path.display(),
            schema_version()
        );
    }
    let count = |table: &str| -> Result<u64> {
        let n: i64 = conn
            .query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0))
            .with_context(|| format!("{} has no {table} table", path.display()))?;
        Ok(n as u64)
    };
    Ok(Summary {
        calls: count("calls")?,
        questions: count("questions")?,
        bytes: std::fs::metadata(path)?.len(),
    })
}

fn sync_dir(dir: &Path) {
    // Makes the rename durable; not every platform can open a folder, and that is no error.
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

/// Whether two paths name the same file, existing or not: their folders resolved (links, `..`)
/// and their names compared.
fn same_path(a: &Path, b: &Path) -> bool {
    let resolved = |p: &Path| -> Option<PathBuf> {
        let name = p.file_name()?;
        let dir = match p.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        Some(dir.canonicalize().ok()?.join(name))
    };
    match (resolved(a), resolved(b)) {
        (Some(a), Some(b)) => a == b,
        _ => false,
    }
}

/// `path` with `suffix` added to its name (`callfaq.sqlite3` → `callfaq.sqlite3-wal`).
pub fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Writes a consistent copy of the database of `data_dir` to `target`. A copy that fails (a
/// disk too full for it, say) leaves nothing behind.
pub fn backup(data_dir: &Path, target: &Path) -> Result<Summary> {
    let source = data_dir.join(FILE_NAME);
    if !source.exists() {
        bail!("there is no database in {} to back up", data_dir.display());
    }
    // A copy over the live database (or its log, or the lock that tells a server holds the
    // folder, or the desk's settings) would replace it under the running server.
    for live in [
        source.clone(),
        with_suffix(&source, "-wal"),
        with_suffix(&source, "-shm"),
        with_suffix(&source, "-journal"),
        data_dir.join(LOCK_FILE),
        data_dir.join(crate::desk::SETTINGS_FILE),
    ] {
        if same_path(&live, target) {
            bail!(
                "{} is the server's own file: give the backup another name or folder",
                target.display()
            );
        }
    }
    let partial = with_suffix(target, ".partial");
    let copied = copy_to(&source, &partial, target);
    if copied.is_err() {
        for leftover in [partial.clone(), with_suffix(&partial, "-journal")] {
            let _ = std::fs::remove_file(leftover);
        }
    }
    copied
}

/// [`backup`]'s copy, through the file `partial`.
fn copy_to(source: &Path, partial: &Path, target: &Path) -> Result<Summary> {
    let _ = std::fs::remove_file(partial);
    super::private::file(partial)?;
    {
        let from = read_only(source)?;
        let mut to =
            Connection::open(partial).with_context(|| format!("creating {}", partial.display()))?;
        // All pages in one step (-1): one read snapshot, so the copy is consistent.
        let context = || format!("copying the database to {}", partial.display());
        let copy = Backup::new(&from, &mut to).with_context(context)?;
        let mut tries = 0;
        loop {
            match copy.step(-1).with_context(context)? {
                StepResult::Done => break,
                StepResult::More | StepResult::Busy | StepResult::Locked if tries < 200 => {
                    tries += 1;
                    std::thread::sleep(Duration::from_millis(50));
                }
                _ => bail!("the database stayed busy for 10 s; try again"),
            }
        }
        drop(copy);
        // A self-contained file, whatever journal mode the copy inherited.
        to.pragma_update(None, "journal_mode", "DELETE")?;
    }
    let summary = inspect(partial)?;
    File::open(partial)?.sync_all()?;
    std::fs::rename(partial, target)
        .with_context(|| format!("moving the backup to {}", target.display()))?;
    if let Some(dir) = target.parent() {
        sync_dir(dir);
    }
    Ok(summary)
}

/// Puts the backup `source` in place of the database of `data_dir`; the current database is
/// kept beside it. Returns what the backup holds and where the old database went (`None`:
/// there was none).
pub fn restore(
    data_dir: &Path,
    source: &Path,
    _lock: &DataLock,
) -> Result<(Summary, Option<PathBuf>)> {
    inspect(source)?;
    let target = data_dir.join(FILE_NAME);
    let incoming = with_suffix(&target, ".restoring");
    // Through SQLite, not a file copy: a backup that still has its write-ahead log beside it
    // (the database of a server that died, kept by an earlier restore) comes back whole.
    let copied = copy_to(source, &with_suffix(&incoming, ".partial"), &incoming);
    if copied.is_err() {
        for leftover in [with_suffix(&incoming, ".partial"), incoming.clone()] {
            let _ = std::fs::remove_file(leftover);
        }
    }
    let summary =
        copied.with_context(|| format!("copying {} into the data folder", source.display()))?;
    let stamp = chrono::Utc::now().format("%Y%m%d-%H%M%S");
    // Never over a database kept before (two restores within a second).
    let kept = (1..)
        .map(|n| match n {
            1 => with_suffix(&target, &format!(".before-restore-{stamp}")),
            n => with_suffix(&target, &format!(".before-restore-{stamp}-{n}")),
        })
        .find(|kept| !kept.exists() && !with_suffix(kept, "-wal").exists())
        .expect("a free name");
    let had = target.exists();
    if had {
        std::fs::rename(&target, &kept)
            .with_context(|| format!("keeping the current database as {}", kept.display()))?;
        for side in ["-wal", "-shm"] {
            let from = with_suffix(&target, side);
            if from.exists() {
                std::fs::rename(&from, with_suffix(&kept, side))?;
            }
        }
    }
    std::fs::rename(&incoming, &target)
        .with_context(|| format!("putting the backup in place of {}", target.display()))?;
    sync_dir(data_dir);
    Ok((summary, had.then_some(kept)))
}
