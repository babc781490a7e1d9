//! The knowledge watcher: polls the knowledge folder and swaps a new library in when a file
//! changed, so that an edit shows within two seconds without a restart; and records in the
//! answers' history every file changed (or removed) on disk.

use super::{Signal, Wake};
use crate::app::App;
use crate::knowledge;
use std::time::Duration;

/// How often the watcher looks at the knowledge folder.
pub const WATCH_INTERVAL: Duration = Duration::from_millis(500);

/// The watcher's loop, until stopped.
pub fn run(app: &App, signal: &Signal) {
    loop {
        if signal.wait(WATCH_INTERVAL) == Wake::Stop {
            return;
        }
        let shelf = &app.shelf;
        if knowledge::fingerprint(shelf.dir()) != shelf.current().fingerprint {
            if let Err(e) = shelf.reload() {
                tracing::error!("knowledge reload failed: {e:#}");
            }
            app.learner.know_answers(&shelf.current().knowledge);
            record(app);
        }
    }
}

/// Records the versions on disk the history does not have.
pub fn record(app: &App) {
    match crate::actions::answers::record_disk(app) {
        Ok(0) => {}
        Ok(n) => tracing::info!(
            versions = n,
            "answer versions found on disk recorded in the history"
        ),
        Err(e) => tracing::error!("recording answer versions: {e:#}"),
    }
}
