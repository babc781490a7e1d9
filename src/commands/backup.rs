//! `callfaq backup FILE` and `callfaq restore FILE`: a consistent copy of the database taken
//! while the server runs, and putting one back while it is stopped.

use crate::config::Config;
use crate::search::questions::{self, QuestionIndex};
use crate::store::{self, DataLock, Store};
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

/// Writes a consistent copy of the database to `file`.
pub fn backup(config: &Config, file: &Path) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let summary = store::backup(&config.data, file)?;
    eprintln!(
        "backed up {} calls with {} questions to {} ({} KB) in {:.1} s",
        summary.calls,
        summary.questions,
        file.display(),
        summary.bytes.div_ceil(1024),
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}

/// Puts a backup in place of the database and rebuilds the search index from it.
pub fn restore(config: &Config, file: &Path) -> anyhow::Result<ExitCode> {
    let lock = DataLock::take(&config.data)?;
    let (summary, kept) = store::restore(&config.data, file, &lock)?;
    let before = match kept {
        Some(kept) => format!("the database before it is kept as {}", kept.display()),
        None => "there was no database before it".to_string(),
    };
    eprintln!(
        "restored {} calls with {} questions from {}; {before}",
        summary.calls,
        summary.questions,
        file.display(),
    );
    let store = Store::open(&config.data)?;
    // A call saved a moment before the backup, its callback a moment after, came back
    // promising one with none: it becomes one now.
    let (orphans, _) = store.adopt_orphaned_promises(chrono::Utc::now())?;
    if orphans > 0 {
        eprintln!("{orphans} calls promised a callback the backup did not hold: each has one now");
    }
    // What was learnt from the replaced database's links goes with it: the next start trains
    // on the restored links.
    let models = crate::learn::models_dir(&config.data);
    if models.exists() {
        std::fs::remove_dir_all(&models)?;
    }
    let dir = questions::index_dir(&config.data);
    if dir.exists() {
        std::fs::remove_dir_all(&dir)?;
    }
    let (index, _) = QuestionIndex::open_or_create(&dir)?;
    let count = questions::rebuild(&index, &store)?;
    store.audit(
        "cli",
        "restore",
        &format!("database from {}", file.display()),
        Some(&format!(
            "{} calls, {} questions",
            summary.calls, summary.questions
        )),
    )?;
    eprintln!("rebuilt the question index: {count} caller questions");
    Ok(ExitCode::SUCCESS)
}
