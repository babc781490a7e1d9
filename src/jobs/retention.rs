//! The retention sweep: callers' names, phones, companies and notes older than the retention
//! period are erased at start and every hour after; their questions, links and counts stay.

use super::{Signal, Wake};
use crate::app::App;
use std::time::Duration;

/// How often the retention period is applied.
pub const RETENTION_EVERY: Duration = Duration::from_secs(3600);

/// The sweep's loop, until stopped.
pub fn run(app: &App, days: u32, signal: &Signal) {
    loop {
        sweep(app, days);
        if signal.wait(RETENTION_EVERY) == Wake::Stop {
            return;
        }
    }
}

fn sweep(app: &App, days: u32) {
    let cutoff = app.clock.now() - chrono::Duration::days(i64::from(days));
    match app.store.erase_personal_data_before(cutoff) {
        Ok(0) => {}
        Ok(n) => {
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
        Err(e) => tracing::error!("retention: {e:#}"),
    }
}
