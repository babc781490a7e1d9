//! `callfaq regroup`: rebuilds every group from the whole history (after a change of the
//! grouping, or an import), with the server stopped. What editors decided (links, merges,
//! moves, splits, dismissals) stays: their questions are restored where they put them, and
//! every other question is placed again, in the order it was asked.

use crate::config::Config;
use crate::jobs::grouper::Grouping;
use crate::knowledge::Knowledge;
use crate::learn::Learner;
use crate::store::{DataLock, Store};
use std::process::ExitCode;
use std::time::Instant;

/// Regroups the history of the data folder.
pub fn regroup(config: &Config) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let _lock = DataLock::take(&config.data)?;
    let store = Store::open(&config.data)?;
    let (knowledge, _) = Knowledge::load(&config.knowledge, None);
    let learner = Learner::open(&config.data);
    let waiting = store.reset_grouping()?;
    eprintln!("regrouping {waiting} caller questions");
    let meaning = crate::meaning::Meaning::open(&config.model);
    meaning.refresh_answers(&store, &knowledge, usize::MAX)?;
    let mut grouping = Grouping::empty(&meaning);
    let now = chrono::Utc::now();
    grouping.place_waiting(
        &store,
        &learner,
        &meaning,
        knowledge.len(),
        now,
        &crate::signal::Stop::never(),
    )?;
    let moved = grouping.refine(&store, now)?;
    store.audit(
        "cli",
        "group",
        "regroup",
        Some(&format!("{waiting} questions")),
    )?;
    eprintln!(
        "regrouped in {:.1} s ({moved} moved by the final reassignment)",
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}
