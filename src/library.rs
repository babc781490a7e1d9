//! The served snapshot: a knowledge snapshot together with its index, swapped whole on reload.
//!
//! [`Shelf`] holds the current [`Library`] behind an `ArcSwap`: a request takes one snapshot and
//! sees answers and index that belong together, while a reload builds a new snapshot aside and
//! swaps it in. [`Shelf::watch`] polls the knowledge folder so that an edit shows within two
//! seconds without a restart.

use crate::knowledge::{self, Knowledge, Problem};
use crate::search::query::QueryPlan;
use crate::search::{AnswerIndex, SearchHit};
use arc_swap::ArcSwap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// How often the watcher looks at the knowledge folder.
pub const WATCH_INTERVAL: Duration = Duration::from_millis(500);

/// Answers, their index, and the problems found when they were loaded.
pub struct Library {
    /// The answers.
    pub knowledge: Knowledge,
    /// Their index.
    pub index: AnswerIndex,
    /// What was wrong in the folder at load time.
    pub problems: Vec<Problem>,
    /// The folder's state just before it was read: the watcher reloads when it differs.
    pub fingerprint: knowledge::Fingerprint,
}

impl Library {
    /// Loads the folder and indexes it; `previous` keeps the last good version of broken files.
    pub fn load(dir: &Path, previous: Option<&Library>) -> anyhow::Result<Library> {
        // Taken first, so that an edit made while loading still differs and triggers a reload.
        let fingerprint = knowledge::fingerprint(dir);
        let (knowledge, problems) = Knowledge::load(dir, previous.map(|l| &l.knowledge));
        let index = AnswerIndex::build(&knowledge)?;
        Ok(Library {
            knowledge,
            index,
            problems,
            fingerprint,
        })
    }

    /// Answers for a raw query, best first. Never fails on the query's shape.
    pub fn search(&self, query: &str, limit: usize) -> anyhow::Result<Vec<SearchHit>> {
        self.index.search(&QueryPlan::parse(query), limit)
    }
}

/// The current library, replaceable while requests are served.
pub struct Shelf {
    dir: PathBuf,
    current: ArcSwap<Library>,
}

impl Shelf {
    /// Loads the folder for the first time and logs its problems.
    pub fn open(dir: &Path) -> anyhow::Result<Arc<Shelf>> {
        let library = Library::load(dir, None)?;
        log_problems(&library.problems);
        tracing::info!(answers = library.knowledge.len(), dir = %dir.display(), "knowledge loaded");
        Ok(Arc::new(Shelf {
            dir: dir.to_path_buf(),
            current: ArcSwap::from_pointee(library),
        }))
    }

    /// The snapshot to serve one request from.
    pub fn current(&self) -> Arc<Library> {
        self.current.load_full()
    }

    /// Reloads the folder now and swaps the result in.
    pub fn reload(&self) -> anyhow::Result<()> {
        let previous = self.current();
        let library = Library::load(&self.dir, Some(&previous))?;
        log_problems(&library.problems);
        tracing::info!(answers = library.knowledge.len(), "knowledge reloaded");
        self.current.store(Arc::new(library));
        Ok(())
    }

    /// Starts a thread that reloads whenever a file in the folder changes.
    pub fn watch(self: &Arc<Self>) {
        let shelf = Arc::downgrade(self);
        std::thread::Builder::new()
            .name("knowledge-watch".into())
            .spawn(move || loop {
                std::thread::sleep(WATCH_INTERVAL);
                let Some(shelf) = shelf.upgrade() else { return };
                if knowledge::fingerprint(&shelf.dir) != shelf.current().fingerprint {
                    if let Err(e) = shelf.reload() {
                        tracing::error!("knowledge reload failed: {e:#}");
                    }
                }
            })
            .expect("spawning the knowledge watcher");
    }
}

fn log_problems(problems: &[Problem]) {
    for p in problems {
        tracing::warn!("{p}");
    }
}
