//! How many refusals of the exchanges' routes reach the audit log.
//!
//! The exchanges' own webhooks are open to anyone who can reach the server: a request with a
//! bad signature, or a body that is not the exchange's, is refused and audited. Unbounded, a
//! flood of such requests would fill the audit log and bury the lines that matter. So each
//! exchange writes at most [`WRITTEN_PER_WINDOW`] refusal lines in a [`WINDOW`]; the rest are
//! counted, and the first line written after the window says how many went unwritten. Kept in
//! memory per exchange (four at most), so nothing grows with the flood.

use super::Exchange;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Refusal lines an exchange writes in one window.
pub const WRITTEN_PER_WINDOW: u32 = 20;
/// The window.
pub const WINDOW: Duration = Duration::from_secs(600);

/// The refusals counted per exchange (see the module's comment).
#[derive(Debug, Default)]
pub struct Refusals {
    windows: Mutex<HashMap<Exchange, Window>>,
}

#[derive(Debug, Clone, Copy)]
struct Window {
    started: Instant,
    written: u32,
    unwritten: u64,
}

/// Whether a refusal is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Written, saying how many refusals before it went unwritten (0: none).
    Write {
        /// Refusals of the exchange counted and not written since the last line.
        unwritten: u64,
    },
    /// Over the window's lines: counted only.
    Count,
}

impl Refusals {
    /// Counts a refusal of `exchange` at `now` and says whether it is written.
    pub fn note(&self, exchange: Exchange, now: Instant) -> Refusal {
        let mut windows = self.windows.lock().unwrap_or_else(|p| p.into_inner());
        let window = windows.entry(exchange).or_insert(Window {
            started: now,
            written: 0,
            unwritten: 0,
        });
        if now.saturating_duration_since(window.started) >= WINDOW {
            window.started = now;
            window.written = 0;
        }
        if window.written >= WRITTEN_PER_WINDOW {
            window.unwritten += 1;
            if window.unwritten == 1 {
                tracing::warn!(
                    exchange = exchange.as_str(),
                    "refused requests of the exchange are now counted, not audited one by one"
                );
            }
            return Refusal::Count;
        }
        window.written += 1;
        let unwritten = std::mem::take(&mut window.unwritten);
        Refusal::Write { unwritten }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flood_writes_a_window_of_lines_then_the_count_of_the_rest() {
        let refusals = Refusals::default();
        let start = Instant::now();
        let written = (0..1000)
            .filter(|_| refusals.note(Exchange::Zadarma, start) != Refusal::Count)
            .count();
        assert_eq!(written, WRITTEN_PER_WINDOW as usize);
        // Another exchange has its own window.
        assert_eq!(
            refusals.note(Exchange::Mango, start),
            Refusal::Write { unwritten: 0 }
        );
        // After the window, the next line says how many were not written; the one after, none.
        let later = start + WINDOW;
        assert_eq!(
            refusals.note(Exchange::Zadarma, later),
            Refusal::Write {
                unwritten: 1000 - u64::from(WRITTEN_PER_WINDOW)
            }
        );
        assert_eq!(
            refusals.note(Exchange::Zadarma, later),
            Refusal::Write { unwritten: 0 }
        );
    }
}
