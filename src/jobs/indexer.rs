//! The indexer: keeps the caller-question index in step with the database.
//!
//! Each insert or relink of a question writes a row to the store's outbox in the same
//! transaction; a request that logged one nudges the indexer, which waits a moment for more,
//! applies the batch to the index in one commit (well under a second of lag), and only then
//! clears the rows it applied. A crash at any point replays the rest at the next start. Then the
//! learned ranking learns the links changed since its version. It also looks every half second,
//! for rows another process (an import) wrote.

use super::{Signal, Wake};
use crate::app::App;
use std::time::Duration;

/// How long the indexer waits for more changes before committing what it has.
const BATCH_WINDOW: Duration = Duration::from_millis(150);
/// How often the indexer looks at the outbox when nobody nudges it.
const IDLE_POLL: Duration = Duration::from_millis(500);

/// The indexer's loop, until stopped; what is left at the stop is applied by
/// [`super::Jobs::shutdown`].
pub fn run(app: &App, signal: &Signal) {
    loop {
        match signal.wait(IDLE_POLL) {
            Wake::Stop => return,
            // Let a burst of changes gather into one commit.
            Wake::Nudged => std::thread::sleep(BATCH_WINDOW),
            Wake::Timeout => {}
        }
        // The outbox keeps what was not applied, so a failure, even a panic, is retried: the
        // thread must outlive it, or questions would stop being searchable until a restart.
        let applied = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            app.questions
                .catch_up_while(&app.store, &|| !app.stop.requested())?;
            let answers = app.shelf.current().knowledge.len();
            let learned = app.learner.catch_up(&app.store, answers)?;
            // Every change is one for the grouping too: a new question, a link.
            app.placing.nudge();
            app.embedding.nudge();
            Ok::<usize, anyhow::Error>(learned)
        }));
        match applied {
            Ok(Ok(_)) => {}
            Ok(Err(e)) => {
                tracing::error!("question index update failed (retrying): {e:#}");
                std::thread::sleep(IDLE_POLL);
            }
            Err(_) => {
                tracing::error!("question index update panicked (retrying)");
                std::thread::sleep(IDLE_POLL);
            }
        }
    }
}
