//! Slowing failed logins without locking out an office.
//!
//! Three counters of failures in a row: per account (guessing one account from anywhere), per
//! address and account (one machine guessing one account), and per address (one machine
//! guessing many accounts, or one password tried over many). After a few failures each further
//! attempt must wait, twice as long each time. The account counters apply to every attempt on
//! that account, up to [`MAX_WAIT`]. The address counter applies to every attempt from that
//! address, on any account it has not logged into lately, but only up to [`SPRAY_WAIT`]: enough
//! to stretch a password sprayed over three hundred accounts from seconds to a quarter of an
//! hour, while a colleague behind the same office NAT or proxy pays seconds for someone else's
//! guessing and nothing at all on an account they have logged into from there before. A success
//! clears its own account's counters and takes back its own provisional count from the address,
//! nothing more: logging into one's own account does not reset the slowing of guesses on others.
//!
//! An attempt counts as a failure from the moment it starts until it succeeds, checked and
//! counted under one lock, so that parallel attempts cannot all slip through. Kept in memory: a
//! restart forgets, which only helps someone who can already restart the server.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Failures in a row allowed on one account (and from one address on it) before slowing.
pub const FREE_FAILURES: u32 = 5;
/// Failures in a row allowed from one address across accounts: an office mistypes too.
pub const FREE_ADDRESS_FAILURES: u32 = 20;
/// Longest wait between attempts on one account.
pub const MAX_WAIT: Duration = Duration::from_secs(300);
/// Longest wait an address's failures across accounts impose on an attempt.
pub const SPRAY_WAIT: Duration = Duration::from_secs(4);
/// How long a login from an address exempts that account there from the address's slowing.
const TRUSTED_FOR: Duration = Duration::from_secs(14 * 24 * 3600);
/// Failures older than this are forgotten.
const FORGET_AFTER: Duration = Duration::from_secs(3600);
/// Keys kept at most: a flood of logins with random names must not grow memory without bound.
const MAX_KEYS: usize = 100_000;

/// How long the next attempt after `failures` failures in a row must wait, with `free` of them
/// allowed before slowing.
pub fn wait_after(failures: u32) -> Duration {
    wait_after_free(failures, FREE_FAILURES)
}

fn wait_after_free(failures: u32, free: u32) -> Duration {
    if failures < free {
        return Duration::ZERO;
    }
    let doublings = (failures - free).min(16);
    (Duration::from_secs(1) * 2u32.pow(doublings)).min(MAX_WAIT)
}

/// One login attempt: from where, on which account.
#[derive(Debug, Clone)]
pub struct Attempt {
    account: String,
    pair: String,
    address: String,
}

impl Attempt {
    /// An attempt on `login` (compared case-insensitively) from `address`.
    pub fn new(address: &str, login: &str) -> Attempt {
        let login = login.to_lowercase();
        Attempt {
            account: format!("login:{login}"),
            pair: format!("pair:{address}:{login}"),
            address: format!("addr:{address}"),
        }
    }

    /// A check of one's own password (changing it), slowed like a login.
    pub fn password(login: &str) -> Attempt {
        let key = format!("password:{login}");
        Attempt {
            account: key.clone(),
            pair: key.clone(),
            address: key,
        }
    }
}

/// Failed-login counts by key, and the accounts each address logged into.
#[derive(Default)]
pub struct Throttle {
    failures: Mutex<HashMap<String, (u32, Instant)>>,
    trusted: Mutex<HashMap<String, Instant>>,
}

impl Throttle {
    /// Starts an attempt: `Err(wait)` when it must still wait; otherwise it is counted as a
    /// failure at once, until [`Throttle::succeeded`].
    pub fn attempt(&self, attempt: &Attempt, now: Instant) -> Result<(), Duration> {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        // What is left of the wait after the key's last failure, the wait at most `most`.
        let waiting = |key: &str, free: u32, most: Duration| {
            map.get(key).map_or(Duration::ZERO, |&(n, last)| {
                let wait = wait_after_free(n, free).min(most);
                if wait.is_zero() {
                    return wait;
                }
                (last + wait).saturating_duration_since(now)
            })
        };
        let mut wait = waiting(&attempt.account, FREE_FAILURES, MAX_WAIT).max(waiting(
            &attempt.pair,
            FREE_FAILURES,
            MAX_WAIT,
        ));
        // The address's failures elsewhere cost seconds, never minutes, and nothing on an
        // account it logged into lately.
        let trusted = self
            .trusted
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&attempt.pair)
            .is_some_and(|at| now.saturating_duration_since(*at) < TRUSTED_FOR);
        if attempt.pair != attempt.address && !trusted {
            wait = wait.max(waiting(&attempt.address, FREE_ADDRESS_FAILURES, SPRAY_WAIT));
        }
        if !wait.is_zero() {
            return Err(wait);
        }
        map.retain(|_, (_, last)| now.duration_since(*last) < FORGET_AFTER);
        if map.len() >= MAX_KEYS {
            // Under a flood, forget the oldest half rather than grow.
            let mut times: Vec<Instant> = map.values().map(|(_, t)| *t).collect();
            times.sort_unstable();
            let cutoff = times[times.len() / 2];
            map.retain(|_, (_, last)| *last > cutoff);
        }
        let mut keys = vec![&attempt.account, &attempt.pair, &attempt.address];
        keys.dedup();
        for key in keys {
            let entry = map.entry(key.clone()).or_insert((0, now));
            entry.0 += 1;
            entry.1 = now;
        }
        Ok(())
    }

    /// Forgets the failures of the attempt's own account, and its own count at the address;
    /// the account is trusted from that address from now on.
    pub fn succeeded(&self, attempt: &Attempt) {
        if attempt.pair != attempt.address {
            let mut trusted = self.trusted.lock().unwrap_or_else(|p| p.into_inner());
            if trusted.len() >= MAX_KEYS {
                let now = Instant::now();
                trusted.retain(|_, at| now.saturating_duration_since(*at) < TRUSTED_FOR / 14);
                if trusted.len() >= MAX_KEYS {
                    trusted.clear();
                }
            }
            trusted.insert(attempt.pair.clone(), Instant::now());
        }
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        map.remove(&attempt.account);
        map.remove(&attempt.pair);
        if let Some(entry) = map.get_mut(&attempt.address) {
            entry.0 = entry.0.saturating_sub(1);
            if entry.0 == 0 {
                map.remove(&attempt.address);
            }
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
        let anna = Attempt::new("10.0.0.5", "anna");
        let now = Instant::now();
        for _ in 0..FREE_FAILURES {
            assert!(t.attempt(&anna, now).is_ok());
        }
        assert!(t.attempt(&anna, now).is_err());
        assert!(t.attempt(&anna, now + Duration::from_secs(2)).is_ok());
        assert!(t.attempt(&Attempt::new("10.0.0.5", "other"), now).is_ok());
        t.succeeded(&anna);
        assert!(t.attempt(&anna, now).is_ok());
    }

    #[test]
    fn an_office_behind_one_address_is_not_locked_out_by_one_guesser() {
        let t = Throttle::default();
        let now = Instant::now();
        // Someone at the office guesses the boss's password, and many other accounts' too.
        for victim in ["boss", "a", "b", "c", "d", "e"] {
            for _ in 0..FREE_FAILURES {
                let _ = t.attempt(&Attempt::new("192.168.1.1", victim), now);
            }
        }
        assert!(t
            .attempt(&Attempt::new("192.168.1.1", "boss"), now)
            .is_err());
        // A colleague behind the same address who logged in from there before is not slowed.
        let anna = Attempt::new("192.168.1.1", "anna");
        t.succeeded(&anna);
        assert!(t.attempt(&anna, now).is_ok());
        t.succeeded(&anna);
        assert!(t.attempt(&anna, now).is_ok(), "and again later");
        // One who never did waits seconds at most.
        let vera = Attempt::new("192.168.1.1", "vera");
        let waited = t.attempt(&vera, now).err().unwrap_or_default();
        assert!(waited <= SPRAY_WAIT, "{waited:?}");
        assert!(t.attempt(&vera, now + waited).is_ok());
    }

    /// The two edges: a colleague's own typo after a flood of made-up names costs
    /// seconds, and one password tried over 300 accounts is slowed from the first try on each.
    #[test]
    fn a_colleagues_typo_costs_seconds_and_a_sprayed_password_costs_a_quarter_hour() {
        let t = Throttle::default();
        let mut now = Instant::now();
        for i in 0..60 {
            let made_up = Attempt::new("10.1.1.1", &format!("nobody{i}"));
            if let Err(wait) = t.attempt(&made_up, now) {
                now += wait;
                t.attempt(&made_up, now).unwrap();
            }
        }
        let anna = Attempt::new("10.1.1.1", "anna");
        let first = t.attempt(&anna, now).err().unwrap_or_default();
        now += first;
        t.attempt(&anna, now).unwrap(); // mistyped
        let second = t.attempt(&anna, now).err().unwrap_or_default();
        assert!(
            first <= SPRAY_WAIT && second <= SPRAY_WAIT,
            "{first:?} {second:?}"
        );

        let t = Throttle::default();
        let start = Instant::now();
        let mut now = start;
        for i in 0..300 {
            let guess = Attempt::new("203.0.113.9", &format!("user{i}"));
            if let Err(wait) = t.attempt(&guess, now) {
                now += wait;
                t.attempt(&guess, now).unwrap();
            }
        }
        let took = now - start;
        assert!(took >= Duration::from_secs(15 * 60), "{took:?}");
    }

    #[test]
    fn logging_into_ones_own_account_does_not_reset_guessing_others() {
        let t = Throttle::default();
        let now = Instant::now();
        let me = Attempt::new("10.0.0.9", "mallory");
        let mut checked = 0;
        for round in 0..10 {
            for victim in ["v1", "v2", "v3", "v4", "v5"] {
                if t.attempt(&Attempt::new("10.0.0.9", victim), now).is_ok() {
                    checked += 1;
                }
            }
            if round % 2 == 0 {
                assert!(t.attempt(&me, now).is_ok());
                t.succeeded(&me);
            }
        }
        // Without slowing, 50 guesses would be checked; each victim account allows five.
        assert!(checked <= 5 * 5, "{checked} guesses checked");
        assert!(t.attempt(&Attempt::new("10.0.0.9", "v1"), now).is_err());
    }

    #[test]
    fn an_address_guessing_many_accounts_is_slowed_on_them() {
        let t = Throttle::default();
        let now = Instant::now();
        let mut checked = 0;
        for i in 0..100 {
            // Two guesses on each of many accounts, never five on one.
            for _ in 0..2 {
                if t.attempt(&Attempt::new("203.0.113.7", &format!("user{i}")), now)
                    .is_ok()
                {
                    checked += 1;
                }
            }
        }
        // The first guess on each account passes; the second, once the address has failed
        // more than FREE_ADDRESS_FAILURES times, must wait.
        assert!(checked < 100 + FREE_ADDRESS_FAILURES as usize, "{checked}");
    }

    #[test]
    fn parallel_attempts_cannot_pass_together() {
        let t = std::sync::Arc::new(Throttle::default());
        let now = Instant::now();
        let passed: usize = (0..50)
            .map(|_| {
                let t = std::sync::Arc::clone(&t);
                std::thread::spawn(move || t.attempt(&Attempt::new("a", "x"), now).is_ok())
            })
            .collect::<Vec<_>>()
            .into_iter()
            .map(|h| usize::from(h.join().unwrap()))
            .sum();
        assert_eq!(passed, FREE_FAILURES as usize);
    }
}
