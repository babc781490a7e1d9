//! The trainer: retrains the learned ranking and the keystroke model (and the model over
//! linked questions' sentence vectors, when enough of them got theirs) in the background when
//! the links changed enough since it was trained (a hundredth of them, or any change while the
//! history is small, or more at once than is learned online), a moment after the last change,
//! and saves the model now and then so that a start does not train again. A guest: its thread
//! runs below requests, and a retrain gives up at its next step when the server stops.

use super::{Signal, Wake};
use crate::app::App;
use std::time::{Duration, Instant};

/// How often the trainer looks.
const LOOK_EVERY: Duration = Duration::from_secs(2);
/// How long after the last change a retrain waits, so that a burst of links trains once.
const SETTLE: Duration = Duration::from_secs(2);
/// How often a model changed online is saved.
const SAVE_EVERY: Duration = Duration::from_secs(60);

/// The trainer's loop, until stopped; the model is saved when it stops.
pub fn run(app: &App, signal: &Signal) {
    let mut last_save = Instant::now();
    let mut seen_changes = app.learner.model().online_changes;
    let mut changed_at = Instant::now();
    loop {
        let wake = signal.wait(LOOK_EVERY);
        if wake == Wake::Stop {
            if let Err(e) = app.learner.save_if_changed() {
                tracing::error!("{e:#}");
            }
            return;
        }
        let changes = app.learner.model().online_changes;
        if changes != seen_changes {
            seen_changes = changes;
            changed_at = Instant::now();
        }
        if app.learner.needs_training() && changed_at.elapsed() >= SETTLE {
            let answers = app.shelf.current().knowledge.slugs();
            if let Err(e) = app.learner.retrain(&app.store, &answers, &app.stop) {
                tracing::error!("training the learned ranking: {e:#}");
            }
            last_save = Instant::now();
            seen_changes = app.learner.model().online_changes;
        } else if app.learner.keystroke_due() {
            let answers = app.shelf.current().knowledge.slugs();
            if let Err(e) = app
                .learner
                .retrain_keystroke(&app.store, &answers, &app.stop)
            {
                tracing::error!("training the keystroke meaning model: {e:#}");
            }
        } else if app.learner.dense_due() && changed_at.elapsed() >= SETTLE {
            let answers = app.shelf.current().knowledge.slugs();
            if let Err(e) = app.learner.retrain_dense(&app.store, &answers, &app.stop) {
                tracing::error!("training the meaning model: {e:#}");
            }
            match app.meaning.calibrate(&app.store) {
                Ok(trust) => tracing::info!(trust, "answers' meaning measured on the history"),
                Err(e) => tracing::error!("measuring the answers' meaning: {e:#}"),
            }
        } else if last_save.elapsed() >= SAVE_EVERY {
            if let Err(e) = app.learner.save_if_changed() {
                tracing::error!("{e:#}");
            }
            last_save = Instant::now();
        }
    }
}
