//! Slowing failed logins, per account and per address: after a few failures in a row, each
//! further attempt must wait, twice as long each time, up to a ceiling. An attempt counts as a
//! failure from the moment it starts until it succeeds. Kept in memory: a
//! restart forgets, which only helps someone who can already restart the server.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Failures allowed in a row before attempts are slowed.
pub const FREE_FAILURES: u32 = 5;
/// Longest wait between attempts.
pub const MAX_WAIT: Duration = Duration::from_secs(300);
/// Failures older than this are forgotten.
const FORGET_AFTER: Duration = Duration::from_secs(3600);

/// Failed-login counts by key (`login:anna`, `addr:10.0.0.5`).
#[derive(Default)]
pub struct Throttle {
    failures: Mutex<HashMap<String, (u32, Instant)>>,
}

/// How long the next attempt for `failures` failures in a row must wait after the last one.
pub fn wait_after(failures: u32) -> Duration {
    if failures < FREE_FAILURES {
        return Duration::ZERO;
    }
    let doublings = (failures - FREE_FAILURES).min(16);
    (Duration::from_secs(1) * 2u32.pow(doublings)).min(MAX_WAIT)
}

impl Throttle {
    /// Starts an attempt: `Err(wait)` when any of the keys must still wait; otherwise the
    /// attempt is counted as a failure at once (checked and counted under one lock, so that
    /// parallel attempts cannot all slip through), until [`Throttle::succeeded`] forgets it.
    pub fn attempt(&self, keys: &[String], now: Instant) -> Result<(), Duration> {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        let wait = keys
            .iter()
            .filter_map(|k| map.get(k))
            .map(|&(n, last)| (last + wait_after(n)).saturating_duration_since(now))
            .max()
            .unwrap_or(Duration::ZERO);
        if !wait.is_zero() {
            return Err(wait);
        }
        map.retain(|_, (_, last)| now.duration_since(*last) < FORGET_AFTER);
        for k in keys {
            let entry = map.entry(k.clone()).or_insert((0, now));
            entry.0 += 1;
            entry.1 = now;
        }
        Ok(())
    }

    /// Forgets the failures of the keys after a successful login.
    pub fn succeeded(&self, keys: &[String]) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        for k in keys {
            map.remove(k);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attempts_are_free_until_five_failures_then_wait_doubles() {
        assert_eq!(wait_after(4), Duration::ZERO);
        assert_eq!(wait_after(5), Duration::from_secs(1));
        assert_eq!(wait_after(7), Duration::from_secs(4));
        assert_eq!(wait_after(40), MAX_WAIT);
    }

    #[test]
    fn failures_slow_the_key_and_success_clears_it() {
        let t = Throttle::default();
        let keys = vec!["login:anna".to_string()];
        let now = Instant::now();
        for _ in 0..FREE_FAILURES {
            assert!(t.attempt(&keys, now).is_ok());
        }
        assert!(t.attempt(&keys, now).is_err());
        assert!(t.attempt(&keys, now + Duration::from_secs(2)).is_ok());
        assert!(t.attempt(&["login:other".to_string()], now).is_ok());
        t.succeeded(&keys);
        assert!(t.attempt(&keys, now).is_ok());
    }

    #[test]
    fn parallel_attempts_cannot_pass_together() {
        let t = std::sync::Arc::new(Throttle::default());
        let now = Instant::now();
        let passed: usize = (0..50)
            .map(|_| {
                let t = std::sync::Arc::clone(&t);
                std::thread::spawn(move || t.attempt(&["login:x".to_string()], now).is_ok())
            })
            .collect::<Vec<_>>()
            .into_iter()
            .map(|h| usize::from(h.join().unwrap()))
            .sum();
        assert_eq!(passed, FREE_FAILURES as usize);
    }
}
