//! How background work is woken and stopped: a [`Signal`] per job (nudged when there is work,
//! stopped with the server) and the server's one [`Stop`], which long computations (a retrain,
//! a backlog) look at between steps so that a stop never waits for them. Defined here, below
//! `app` and every job, so that the app can hold them and the jobs and the core can read them.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

/// Why a job woke up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wake {
    /// Someone has work for it.
    Nudged,
    /// Its interval passed.
    Timeout,
    /// The server is stopping: finish up and return.
    Stop,
}

#[derive(Default)]
struct SignalState {
    nudged: bool,
    stopping: bool,
}

/// How a job is woken: nudged when there is work, stopped when the server stops. Cheap to clone.
#[derive(Clone, Default)]
pub struct Signal(Arc<(Mutex<SignalState>, Condvar)>);

impl Signal {
    /// Tells the job there is work.
    pub fn nudge(&self) {
        let (state, wake) = &*self.0;
        state.lock().unwrap_or_else(|p| p.into_inner()).nudged = true;
        wake.notify_all();
    }

    /// Tells the job to finish.
    pub fn stop(&self) {
        let (state, wake) = &*self.0;
        state.lock().unwrap_or_else(|p| p.into_inner()).stopping = true;
        wake.notify_all();
    }

    /// Whether the job was told to finish.
    pub fn stopping(&self) -> bool {
        self.0 .0.lock().unwrap_or_else(|p| p.into_inner()).stopping
    }

    /// Sleeps until nudged, stopped, or `timeout` passed. A nudge that came while the job was
    /// busy is not lost: the next wait returns at once.
    pub fn wait(&self, timeout: Duration) -> Wake {
        let (state, wake) = &*self.0;
        let guard = state.lock().unwrap_or_else(|p| p.into_inner());
        let (mut guard, _) = wake
            .wait_timeout_while(guard, timeout, |s| !s.nudged && !s.stopping)
            .unwrap_or_else(|p| p.into_inner());
        if guard.stopping {
            Wake::Stop
        } else if std::mem::take(&mut guard.nudged) {
            Wake::Nudged
        } else {
            Wake::Timeout
        }
    }
}

/// Set once, when the server stops: work that takes more than a moment asks
/// [`Stop::requested`] between its steps and gives up, leaving the rest to the next start.
#[derive(Debug, Clone, Default)]
pub struct Stop(Arc<AtomicBool>);

impl Stop {
    /// Asks every long computation to give up.
    pub fn request(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    /// Whether a stop was asked for.
    pub fn requested(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }

    /// A stop that is never asked for, for work that runs to its end (commands, tests).
    pub fn never() -> Stop {
        Stop::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    #[test]
    fn a_nudge_wakes_a_waiting_job_and_is_not_lost_while_it_works() {
        let signal = Signal::default();
        signal.nudge();
        assert_eq!(signal.wait(Duration::from_secs(5)), Wake::Nudged);
        assert_eq!(signal.wait(Duration::from_millis(10)), Wake::Timeout);
        let other = signal.clone();
        let started = Instant::now();
        let waiter = std::thread::spawn(move || other.wait(Duration::from_secs(30)));
        std::thread::sleep(Duration::from_millis(20));
        signal.nudge();
        assert_eq!(waiter.join().unwrap(), Wake::Nudged);
        assert!(started.elapsed() < Duration::from_secs(30));
    }

    #[test]
    fn a_stop_is_seen_by_every_clone() {
        let stop = Stop::default();
        let other = stop.clone();
        assert!(!other.requested());
        stop.request();
        assert!(other.requested());
    }

    #[test]
    fn stop_wins_over_a_nudge_and_lasts() {
        let signal = Signal::default();
        signal.nudge();
        signal.stop();
        assert_eq!(signal.wait(Duration::from_secs(5)), Wake::Stop);
        assert_eq!(signal.wait(Duration::from_secs(5)), Wake::Stop);
        assert!(signal.stopping());
    }
}
