//! The placement job: places every caller question within a moment of its logging (or relink,
//! or an editor's move), through a [`Session`] kept in memory and rebuilt from the store at
//! start. What placing means is `actions::placement`; this is only the loop.

use super::{Signal, Wake};
use crate::actions::placement::Session;
use crate::app::App;
use std::time::Duration;

/// How often the job looks when nobody nudges it.
const IDLE_POLL: Duration = Duration::from_millis(500);
/// The longest the job waits at start for the answers' phrasings to be encoded.
const ANSWERS_WAIT: Duration = Duration::from_secs(30);

/// The job's loop, until stopped.
pub fn run(app: &App, signal: &Signal) {
    // On a first start the embedding job encodes the answers' phrasings within seconds; the
    // grouping waits for them (a while at most), so that the first questions are told apart
    // by what they mean against them.
    let waiting_since = std::time::Instant::now();
    while app.meaning.available()
        && app.meaning.answers().mean().is_none()
        && !app.shelf.current().knowledge.is_empty()
        && waiting_since.elapsed() < ANSWERS_WAIT
    {
        if signal.wait(Duration::from_millis(100)) == Wake::Stop {
            return;
        }
    }
    // The grouping as the store has it, placing in turns with the other background jobs.
    let restore = || {
        Session::restore(&app.store, &app.meaning, &app.stop).map(|mut g| {
            g.take_turns(app.traffic.clone());
            g
        })
    };
    let mut grouping = match restore() {
        Ok(g) => g,
        Err(e) => {
            tracing::error!("grouping could not start: {e:#}");
            return;
        }
    };
    loop {
        let library = app.shelf.current();
        let placed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            grouping.remove_deleted(&app.store, &app.removed, app.clock.now())?;
            grouping.place_waiting(
                &app.store,
                &app.learner,
                &app.meaning,
                &library,
                app.clock.now(),
                &app.stop,
            )
        }));
        match placed {
            Ok(Ok(_)) => {}
            Ok(Err(e)) => tracing::error!("grouping failed (retrying): {e:#}"),
            Err(_) => {
                tracing::error!("grouping panicked: rebuilding it from the store");
                match restore() {
                    Ok(g) => grouping = g,
                    Err(e) => tracing::error!("grouping could not restart: {e:#}"),
                }
            }
        }
        if signal.wait(IDLE_POLL) == Wake::Stop {
            return;
        }
    }
}
