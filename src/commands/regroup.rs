//! `callfaq regroup`: rebuilds every group from the whole history (after a change of the
//! grouping, or an import), with the server stopped. What editors decided (links, merges,
//! moves, splits, dismissals) stays: their questions are restored where they put them, and
//! every other question is placed again, in the order it was asked.

use crate::app::App;
use crate::config::Config;
use crate::store::DataLock;
use std::process::ExitCode;
use std::time::Instant;

/// Regroups the history of the data folder.
pub fn regroup(config: &Config) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let _lock = DataLock::take(&config.data)?;
    let app = App::open(&config.knowledge, &config.data, config.clock())?.with_meaning(
        crate::meaning::Meaning::open(&config.model).with_word_vectors_from(&config.word_vectors),
    );
    let (placed, moved) = crate::actions::placement::regroup(&app)?;
    eprintln!(
        "regrouped {placed} caller questions in {:.1} s ({moved} moved by the final reassignment)",
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}
