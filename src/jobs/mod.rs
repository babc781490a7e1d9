//! Background work, all started and stopped here: the indexer (outbox → caller-question index,
//! link changes → the learned ranking), the placement (each question to its typical question),
//! the trainer (retrains and saves the learned ranking),
//! the embedding job (sentence vectors of answers and questions), the knowledge watcher
//! (edited files → a new library), the notices (callbacks chased, e-mails and webhooks sent),
//! the report counts (changed days
//! counted again), and the retention sweep (old callers' personal data erased). The Asterisk
//! feed ([`exchange`]) is started apart, by `callfaq serve --ami`.
//!
//! Each job is one thread that sleeps on its [`Signal`] and wakes when nudged, when its interval
//! has passed, or when the server stops. [`Jobs::shutdown`] stops every job, lets the indexer
//! apply what is left in the outbox, commits the index and checkpoints the database, so that a
//! clean stop leaves nothing to replay and nothing to rebuild at the next start; each step for a
//! bounded time, so that a machine too busy to run a guest's thread never holds the stop up.
//!
//! The desk comes first: every job but the indexer (which makes a logged question searchable
//! within a second) is a guest, its thread at the lowest priority
//! ([`crate::signal::lower_priority`]), so that a request always gets a core before it; its
//! work comes in bounded steps, each of which looks at the server's stop; and the embedding job
//! takes the second core only while no request is being served.

pub mod embedder;
pub mod exchange;
pub mod indexer;
pub mod notices;
pub mod placement;
pub mod reports;
pub mod retention;
pub mod trainer;
pub mod watcher;

use crate::app::App;
pub use crate::signal::{Signal, Wake};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// The longest a stop spends applying the outbox to the index; the rest waits for the next start.
const SHUTDOWN_CATCH_UP: std::time::Duration = std::time::Duration::from_millis(500);

/// The longest a stop waits for the jobs to see it. A guest's thread runs only on a core the
/// machine leaves free: on a machine busy with other work it may not reach its next step for
/// minutes. It is left then; what it was doing is done again at the next start (its writes are
/// transactions and its files are replaced whole, so nothing is left half written).
const SHUTDOWN_JOIN: std::time::Duration = std::time::Duration::from_millis(1_000);

/// The longest a stop spends on what follows (the outbox, the learned ranking, the checkpoint),
/// which may wait for the store that a starved guest still holds; past it the server exits and
/// the next start replays the rest from the database.
const SHUTDOWN_FINISH: std::time::Duration = std::time::Duration::from_millis(2_500);

/// Which jobs to run besides the indexer, which always runs.
#[derive(Debug, Clone, Copy)]
pub struct JobOptions {
    /// Reload the knowledge folder when a file changes.
    pub watch_knowledge: bool,
    /// Erase callers' personal data after this many days; 0 keeps it.
    pub retention_days: u32,
}

/// Whether a job's thread runs beside requests or below them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Priority {
    /// As requests: the desk's own follow-up, short.
    Desk,
    /// Below requests.
    Guest,
}

/// A job's thread: how it is stopped, and whether its work has returned.
struct Running {
    name: String,
    signal: Signal,
    /// Set by the thread itself when its work returns: a guest on a busy machine may need a
    /// while to get a core again and exit, so a stop does not join it ([`SHUTDOWN_JOIN`]).
    done: Arc<AtomicBool>,
}

/// The running jobs of one server.
pub struct Jobs {
    app: Arc<App>,
    running: Vec<Running>,
}

impl Jobs {
    /// Starts the jobs over an opened app.
    pub fn start(app: &Arc<App>, options: JobOptions) -> anyhow::Result<Jobs> {
        let mut jobs = Jobs {
            app: Arc::clone(app),
            running: Vec::new(),
        };
        // Versions of answer files the history has not seen: the first start, edits while
        // stopped.
        watcher::record(app);
        let signal = app.indexing.clone();
        jobs.spawn_at("question-indexer", Priority::Desk, signal.clone(), {
            let app = Arc::clone(app);
            move || indexer::run(&app, &signal)
        })?;
        let signal = app.placing.clone();
        jobs.spawn("placement", signal.clone(), {
            let app = Arc::clone(app);
            move || placement::run(&app, &signal)
        })?;
        let signal = Signal::default();
        jobs.spawn("trainer", signal.clone(), {
            let app = Arc::clone(app);
            move || trainer::run(&app, &signal)
        })?;
        if app.meaning.available() {
            let signal = app.embedding.clone();
            jobs.spawn("embedding", signal.clone(), {
                let app = Arc::clone(app);
                move || embedder::run(&app, &signal)
            })?;
        }
        let signal = app.notices.clone();
        jobs.spawn("notices", signal.clone(), {
            let app = Arc::clone(app);
            move || notices::run(&app, &signal)
        })?;
        let signal = Signal::default();
        jobs.spawn("report-counts", signal.clone(), {
            let app = Arc::clone(app);
            move || reports::run(&app, &signal)
        })?;
        if options.watch_knowledge {
            let signal = Signal::default();
            jobs.spawn("knowledge-watch", signal.clone(), {
                let app = Arc::clone(app);
                move || watcher::run(&app, &signal)
            })?;
        }
        if options.retention_days > 0 {
            let signal = Signal::default();
            let days = options.retention_days;
            jobs.spawn("retention", signal.clone(), {
                let app = Arc::clone(app);
                move || retention::run(&app, days, &signal)
            })?;
        }
        Ok(jobs)
    }

    /// Starts a guest job: its thread at the lowest priority.
    fn spawn(
        &mut self,
        name: &str,
        signal: Signal,
        work: impl FnOnce() + Send + 'static,
    ) -> anyhow::Result<()> {
        self.spawn_at(name, Priority::Guest, signal, work)
    }

    fn spawn_at(
        &mut self,
        name: &str,
        priority: Priority,
        signal: Signal,
        work: impl FnOnce() + Send + 'static,
    ) -> anyhow::Result<()> {
        let done = Arc::new(AtomicBool::new(false));
        let finished = Arc::clone(&done);
        let job = name.to_string();
        std::thread::Builder::new()
            .name(name.into())
            .spawn(move || {
                if priority == Priority::Guest {
                    crate::signal::lower_priority();
                }
                if std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)).is_err() {
                    tracing::error!(job, "a background job panicked");
                }
                finished.store(true, Ordering::SeqCst);
            })
            .map_err(|e| anyhow::anyhow!("starting the {name} job: {e}"))?;
        self.running.push(Running {
            name: name.to_string(),
            signal,
            done,
        });
        Ok(())
    }

    /// Stops every job and waits for it ([`SHUTDOWN_JOIN`] at most); then applies what is left
    /// of the outbox (for a moment at most: a big backlog stays in the outbox for the next
    /// start), commits the index and checkpoints the database ([`SHUTDOWN_FINISH`] at most).
    pub fn shutdown(mut self) -> anyhow::Result<()> {
        self.stop_all();
        let app = Arc::clone(&self.app);
        let (done, finished) = std::sync::mpsc::channel();
        std::thread::Builder::new()
            .name("shutdown".into())
            .spawn(move || {
                let _ = done.send(finish(&app));
            })?;
        match finished.recv_timeout(SHUTDOWN_FINISH) {
            Ok(result) => result,
            Err(_) => {
                tracing::warn!(
                    "stopping took longer than {} s (the machine is busy): the rest is done at the next start",
                    SHUTDOWN_FINISH.as_secs_f32()
                );
                Ok(())
            }
        }
    }

    fn stop_all(&mut self) {
        self.app.stop.request();
        for job in &self.running {
            job.signal.stop();
        }
        // Each guest, and each thread it started, gets a core again to see the stop and exit,
        // where the server may say so.
        crate::signal::raise_all();
        let deadline = std::time::Instant::now() + SHUTDOWN_JOIN;
        let returned = |job: &Running| job.done.load(Ordering::SeqCst);
        while std::time::Instant::now() < deadline && !self.running.iter().all(returned) {
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        // None is joined: a thread whose work returned exits by itself, one that has not is
        // left to the process's exit (see [`SHUTDOWN_JOIN`]).
        for job in self.running.drain(..) {
            if !returned(&job) {
                tracing::warn!(
                    job = job.name,
                    "a background job had not stopped within {} s (the machine is busy): left to the next start",
                    SHUTDOWN_JOIN.as_secs_f32()
                );
            }
        }
    }
}

/// What a stop does once the jobs are stopped: the outbox applied to the index for a moment,
/// the learned ranking brought up to date and saved, the database checkpointed.
fn finish(app: &App) -> anyhow::Result<()> {
    let deadline = std::time::Instant::now() + SHUTDOWN_CATCH_UP;
    let applied = app
        .questions
        .catch_up_while(&app.store, &|| std::time::Instant::now() < deadline)?;
    if applied > 0 {
        tracing::info!(applied, "applied the last changes to the question index");
    }
    let answers = app.shelf.current().knowledge.len();
    app.learner.catch_up(&app.store, answers)?;
    app.learner.save_if_changed()?;
    app.store.checkpoint()
}

impl Drop for Jobs {
    fn drop(&mut self) {
        self.stop_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_stop_does_not_wait_for_a_job_that_cannot_see_it() {
        let crate::actions::testing::Opened { app, _root } = crate::actions::testing::app();
        let mut jobs = Jobs {
            app: Arc::new(app),
            running: Vec::new(),
        };
        // A guest that gets no core for a long while (a machine busy with other work) looks at
        // the stop only when it runs again: here, never before the stop is over.
        let ended = Arc::new(AtomicBool::new(false));
        let (release, held) = std::sync::mpsc::channel::<()>();
        jobs.spawn("starved", Signal::default(), {
            let ended = Arc::clone(&ended);
            move || {
                let _ = held.recv();
                ended.store(true, Ordering::SeqCst);
            }
        })
        .unwrap();
        // A job that sees the stop ends, and is waited for.
        let signal = Signal::default();
        let quick_ended = Arc::new(AtomicBool::new(false));
        jobs.spawn("quick", signal.clone(), {
            let ended = Arc::clone(&quick_ended);
            move || {
                while signal.wait(Duration::from_secs(60)) != Wake::Stop {}
                ended.store(true, Ordering::SeqCst);
            }
        })
        .unwrap();
        let app = Arc::clone(&jobs.app);
        jobs.shutdown().unwrap();
        assert!(
            quick_ended.load(Ordering::SeqCst),
            "the quick job was waited for"
        );
        assert!(!ended.load(Ordering::SeqCst), "the starved job was not");
        assert!(app.stop.requested());
        drop(release);
    }
}
