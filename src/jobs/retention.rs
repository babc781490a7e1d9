//! The retention sweep: callers' names, phones, companies and notes older than the retention
//! period are erased at start and every hour after; their questions, links and counts stay.
//! It sweeps only while the desk is quiet ([`QUIET`] without a request), a batch at a time:
//! each batch holds the database's writer, which this guest would hold for as long as the
//! desk keeps the cores busy; a sweep cut short goes on at the next quiet minute.

use super::{Signal, Wake};
use crate::app::App;
use std::time::Duration;

/// How often the retention period is applied.
pub const RETENTION_EVERY: Duration = Duration::from_secs(3600);

/// How long without a request before the sweep goes on.
pub const QUIET: Duration = Duration::from_secs(2);
/// How soon a sweep the desk cut short looks again.
const AGAIN: Duration = Duration::from_secs(60);

/// The sweep's loop, until stopped.
pub fn run(app: &App, days: u32, signal: &Signal) {
    loop {
        let pause = if sweep(app, days) {
            RETENTION_EVERY
        } else {
            AGAIN
        };
        if signal.wait(pause) == Wake::Stop {
            return;
        }
    }
}

/// One sweep, as far as the quiet desk lets it go; whether it finished.
fn sweep(app: &App, days: u32) -> bool {
    let cutoff = app.clock.now() - chrono::Duration::days(i64::from(days));
    let quiet = || app.traffic.idle(QUIET) && !app.stop.requested();
    let (erased, finished) = match app.store.erase_personal_data_before_while(cutoff, &quiet) {
        Ok(done) => done,
        Err(e) => {
            tracing::error!("retention: {e:#}");
            return true;
        }
    };
    match erased {
        0 => {}
        n => {
            tracing::info!(
                calls = n,
                days,
                "erased callers' personal data past the retention period"
            );
            let subject = format!("{n} calls before {}", app.clock.date_of(cutoff));
            if let Err(e) = app.store.audit("retention", "erase", &subject, None) {
                tracing::error!("retention: writing the audit log: {e:#}");
            }
        }
    }
    finished
}
