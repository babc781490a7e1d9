//! The embedding job: computes the sentence vector of every text that needs one, once, and
//! keeps it: the answers' titles and phrasings first (whenever the knowledge changes), then
//! caller questions, newest first, as fast as the hardware allows without costing the desk: in
//! the 8-bit path where the processor has it, many texts to a pass, on every core while no
//! request is being served and on one while the desk is busy, always at the lowest priority
//! (see `jobs`), a step of a few texts at a time between two looks at the server's stop. The
//! meaning model is told which linked questions got theirs.

use super::{Signal, Wake};
use crate::app::App;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

/// Questions read from the store, encoded and saved together, per thread at work.
const BATCH: usize = 32;
/// Texts encoded between two looks at the server's stop, per thread: a moment even when the
/// job gets little of a core.
const STEP: usize = 8;
/// Answer texts encoded per pass before questions get their turn.
const ANSWER_BUDGET: usize = 16;
/// How long the job sleeps when it has nothing to do.
const IDLE: Duration = Duration::from_secs(5);
/// How long without a request before the desk counts as idle and the job takes every core.
const QUIET: Duration = Duration::from_millis(500);

/// The job's loop, until stopped.
pub fn run(app: &App, signal: &Signal) {
    // The app built the answers' static word vectors for the knowledge it opened with; their
    // sentence vectors may still be missing: the first pass looks for those alone.
    let mut answers_for = Some(app.shelf.current());
    let mut answers_missing = 1usize;
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    loop {
        let library = app.shelf.current();
        let changed = answers_for
            .as_ref()
            .is_none_or(|l| !Arc::ptr_eq(l, &library));
        let mut worked = false;
        if changed || answers_missing > 0 {
            // The answers' static word vectors only when the knowledge changed, not at each
            // pass while their sentence vectors are being computed.
            let refreshed = if changed {
                app.meaning
                    .refresh_answers(&app.store, &library.knowledge, ANSWER_BUDGET)
            } else {
                app.meaning
                    .refresh_sentences(&app.store, &library.knowledge, ANSWER_BUDGET)
            };
            match refreshed {
                Ok(missing) => {
                    worked |= missing > 0 || answers_missing > 0;
                    answers_missing = missing;
                    answers_for = Some(Arc::clone(&library));
                }
                Err(e) => tracing::error!("encoding the answers: {e:#}"),
            }
        }
        if answers_missing == 0 {
            let threads = if app.traffic.idle(QUIET) { cores } else { 1 };
            match questions(app, threads) {
                Ok(n) => worked |= n > 0,
                Err(e) => tracing::error!("encoding caller questions: {e:#}"),
            }
        }
        let pause = if worked { Duration::ZERO } else { IDLE };
        if signal.wait(pause) == Wake::Stop || app.stop.requested() {
            return;
        }
    }
}

/// Encodes one batch of caller questions on `threads` threads; returns how many it did (the
/// part done when the server stops is kept).
fn questions(app: &App, threads: usize) -> anyhow::Result<usize> {
    let batch = app.store.unembedded(BATCH * threads)?;
    if batch.is_empty() {
        return Ok(0);
    }
    let texts: Vec<String> = batch.iter().map(|(_, t, _)| t.clone()).collect();
    let known = app.store.vectors(&texts)?;
    let missing = crate::meaning::to_encode(&texts, &known);
    let mut fresh: HashMap<String, Vec<f32>> = HashMap::with_capacity(missing.len());
    for step in missing.chunks(STEP * threads) {
        if app.stop.requested() {
            break;
        }
        let turn = app.traffic.turn();
        let vectors = app.meaning.embed_many_on(step, threads).unwrap_or_default();
        drop(turn);
        fresh.extend(step.iter().map(|t| t.to_string()).zip(vectors));
    }
    // Questions whose text has its vector now (kept before, or just computed).
    let done: Vec<&(i64, String, bool)> = batch
        .iter()
        .filter(|(_, t, _)| known.contains_key(t) || fresh.contains_key(t))
        .collect();
    let ids: Vec<i64> = done.iter().map(|(id, _, _)| *id).collect();
    app.store
        .save_vectors(&fresh.into_iter().collect::<Vec<_>>(), &ids)?;
    let linked: Vec<i64> = done
        .iter()
        .filter(|(_, _, linked)| *linked)
        .map(|(id, _, _)| *id)
        .collect();
    app.learner.vectors_added(&linked);
    Ok(ids.len())
}
