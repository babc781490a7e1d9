//! The report counts: brought up to date at start and every minute after, so that a report
//! opened later has only the last minute's changes to count (a report counts whatever is left
//! itself, so it is never behind).

use super::{Signal, Wake};
use crate::app::App;
use std::time::Duration;

/// How often the counts are brought up to date.
pub const REFRESH_EVERY: Duration = Duration::from_secs(60);

/// The job's loop, until stopped.
pub fn run(app: &App, signal: &Signal) {
    loop {
        match app
            .store
            .refresh_reports_while(&app.clock, &|| !app.stop.requested(), true)
        {
            Ok(0) => {}
            Ok(days) => tracing::debug!(days, "report counts brought up to date"),
            Err(e) => tracing::error!("report counts: {e:#}"),
        }
        if signal.wait(REFRESH_EVERY) == Wake::Stop {
            return;
        }
    }
}
