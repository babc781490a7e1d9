//! The embedding job: computes the sentence vector of every text that needs one, once, and
//! keeps it: the answers' titles and phrasings first (whenever the knowledge changes), then
//! caller questions, newest first. It works at most half the time of one core, so that a big
//! import's backlog never starves the desk; the model over linked questions' vectors is told
//! how many new ones it has.

use super::{Signal, Wake};
use crate::app::App;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Questions read per batch.
const BATCH: usize = 16;
/// Answer texts encoded per pass before questions get their turn.
const ANSWER_BUDGET: usize = 16;
/// How long the job sleeps when it has nothing to do.
const IDLE: Duration = Duration::from_secs(5);

/// The job's loop, until stopped.
pub fn run(app: &App, signal: &Signal) {
    let mut answers_for = None;
    let mut answers_missing = 0usize;
    loop {
        let started = Instant::now();
        let library = app.shelf.current();
        let changed = answers_for
            .as_ref()
            .is_none_or(|l| !Arc::ptr_eq(l, &library));
        let mut worked = false;
        if changed || answers_missing > 0 {
            match app
                .meaning
                .refresh_answers(&app.store, &library.knowledge, ANSWER_BUDGET)
            {
                Ok(missing) => {
                    worked |= missing > 0 || answers_missing > 0;
                    answers_missing = missing;
                    answers_for = Some(Arc::clone(&library));
                }
                Err(e) => tracing::error!("encoding the answers: {e:#}"),
            }
        }
        if answers_missing == 0 {
            match questions(app) {
                Ok(n) => worked |= n > 0,
                Err(e) => tracing::error!("encoding caller questions: {e:#}"),
            }
        }
        // Half a core at most: rest as long as the work took.
        let pause = if worked {
            started.elapsed().max(Duration::from_millis(5))
        } else {
            IDLE
        };
        if signal.wait(pause) == Wake::Stop {
            return;
        }
    }
}

/// Encodes one batch of caller questions; returns how many it did.
fn questions(app: &App) -> anyhow::Result<usize> {
    let batch = app.store.unembedded(BATCH)?;
    if batch.is_empty() {
        return Ok(0);
    }
    let texts: Vec<String> = batch.iter().map(|(_, t, _)| t.clone()).collect();
    let known = app.store.vectors(&texts)?;
    let mut missing: Vec<&str> = texts
        .iter()
        .filter(|t| !known.contains_key(*t))
        .map(String::as_str)
        .collect();
    missing.sort_unstable();
    missing.dedup();
    let vectors = app.meaning.embed_many(&missing).unwrap_or_default();
    let fresh: HashMap<String, Vec<f32>> =
        missing.iter().map(|t| t.to_string()).zip(vectors).collect();
    let ids: Vec<i64> = batch.iter().map(|(id, _, _)| *id).collect();
    app.store
        .save_vectors(&fresh.into_iter().collect::<Vec<_>>(), &ids)?;
    app.learner
        .vectors_added(batch.iter().filter(|(_, _, linked)| *linked).count());
    Ok(batch.len())
}
