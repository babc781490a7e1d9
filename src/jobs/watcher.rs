//! The knowledge watcher: polls the knowledge folder and swaps a new library in when a file
//! changed, so that an edit shows within two seconds without a restart.

use super::{Signal, Wake};
use crate::knowledge;
use crate::library::Shelf;
use std::time::Duration;

/// How often the watcher looks at the knowledge folder.
pub const WATCH_INTERVAL: Duration = Duration::from_millis(500);

/// The watcher's loop, until stopped.
pub fn run(shelf: &Shelf, signal: &Signal) {
    loop {
        if signal.wait(WATCH_INTERVAL) == Wake::Stop {
            return;
        }
        if knowledge::fingerprint(shelf.dir()) != shelf.current().fingerprint {
            if let Err(e) = shelf.reload() {
                tracing::error!("knowledge reload failed: {e:#}");
            }
        }
    }
}
