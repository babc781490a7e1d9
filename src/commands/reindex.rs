//! `callfaq reindex`: rebuilds the answer index and the caller-question index from their
//! sources of truth, and says what they hold.

use crate::config::Config;
use crate::library::Library;
use crate::search::questions::{self, QuestionIndex};
use crate::store::Store;
use std::process::ExitCode;
use std::time::Instant;

/// Rebuilds the answer index and the caller-question index, and reports what they hold.
pub fn reindex(config: &Config) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let library = Library::load(&config.knowledge, None)?;
    for p in &library.problems {
        println!("{p}");
    }
    eprintln!(
        "indexed {} answers in {:.0} ms",
        library.knowledge.len(),
        started.elapsed().as_secs_f64() * 1000.0
    );
    let started = Instant::now();
    let store = Store::open(&config.data)?;
    let (index, _) = QuestionIndex::open_or_create(&questions::index_dir(&config.data))?;
    let count = questions::rebuild(&index, &store)?;
    eprintln!(
        "indexed {count} caller questions in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}
