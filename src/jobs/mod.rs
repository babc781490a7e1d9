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
//! clean stop leaves nothing to replay and nothing to rebuild at the next start.
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
use std::sync::Arc;
use std::thread::JoinHandle;

/// The longest a stop spends applying the outbox to the index; the rest waits for the next start.
const SHUTDOWN_CATCH_UP: std::time::Duration = std::time::Duration::from_millis(500);

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

/// The running jobs of one server.
pub struct Jobs {
    app: Arc<App>,
    running: Vec<(Signal, JoinHandle<()>)>,
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
        let handle = std::thread::Builder::new()
            .name(name.into())
            .spawn(move || {
                if priority == Priority::Guest {
                    crate::signal::lower_priority();
                }
                work()
            })
            .map_err(|e| anyhow::anyhow!("starting the {name} job: {e}"))?;
        self.running.push((signal, handle));
        Ok(())
    }

    /// Stops every job and waits for it; then applies what is left of the outbox (for a moment
    /// at most: a big backlog stays in the outbox for the next start), commits the index and
    /// checkpoints the database.
    pub fn shutdown(mut self) -> anyhow::Result<()> {
        self.stop_all();
        let deadline = std::time::Instant::now() + SHUTDOWN_CATCH_UP;
        let applied = self
            .app
            .questions
            .catch_up_while(&self.app.store, &|| std::time::Instant::now() < deadline)?;
        if applied > 0 {
            tracing::info!(applied, "applied the last changes to the question index");
        }
        let answers = self.app.shelf.current().knowledge.len();
        self.app.learner.catch_up(&self.app.store, answers)?;
        self.app.learner.save_if_changed()?;
        self.app.store.checkpoint()
    }

    fn stop_all(&mut self) {
        self.app.stop.request();
        for (signal, _) in &self.running {
            signal.stop();
        }
        for (_, handle) in self.running.drain(..) {
            if handle.join().is_err() {
                tracing::error!("a background job panicked while stopping");
            }
        }
    }
}

impl Drop for Jobs {
    fn drop(&mut self) {
        self.stop_all();
    }
}
