//! Everything the server holds, opened once at start-up: the knowledge shelf, the call store,
//! the caller-question index with its indexer thread, the desk settings, the login throttle and
//! a short-lived count of the most asked answers.

use crate::accounts::throttle::Throttle;
use crate::calls::CallKind;
use crate::desk::Desk;
use crate::library::Shelf;
use crate::search::questions::{self, Indexer, QuestionIndex};
use crate::store::Store;
use anyhow::Context;
use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Password checks allowed at once.
const PASSWORD_CHECKS: usize = 4;

/// The opened state of one data folder and one knowledge folder.
pub struct App {
    /// Answers and their index.
    pub shelf: Arc<Shelf>,
    /// Calls and caller questions.
    pub store: Arc<Store>,
    /// Caller questions, searchable.
    pub questions: Arc<QuestionIndex>,
    /// Keeps `questions` in step with `store`.
    pub indexer: Indexer,
    /// Managers, topics and the desk script.
    pub desk: Desk,
    /// Failed-login counts.
    pub throttle: Throttle,
    /// Password checks running at once (each argon2 check takes about 19 MiB).
    pub password_checks: tokio::sync::Semaphore,
    /// The most asked answers per call kind, for the desk screen's buttons.
    pub top_answers: TopAnswers,
}

/// How long a count of the most asked answers is reused.
const TOP_ANSWERS_FOR: Duration = Duration::from_secs(60);

/// The answers most linked on calls of each kind, recounted at most once a minute: the desk
/// screen shows them on every call, and counting a million questions takes a few hundred ms.
#[derive(Default)]
pub struct TopAnswers {
    cached: Mutex<HashMap<(CallKind, i64, usize), (Instant, Vec<(String, u64)>)>>,
}

impl TopAnswers {
    /// Slugs and counts of the `limit` answers most linked on calls of `kind` in the last `days`.
    pub fn get(
        &self,
        store: &Store,
        kind: CallKind,
        days: i64,
        limit: usize,
    ) -> anyhow::Result<Vec<(String, u64)>> {
        let key = (kind, days, limit);
        if let Some((at, top)) = self
            .cached
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&key)
        {
            if at.elapsed() < TOP_ANSWERS_FOR {
                return Ok(top.clone());
            }
        }
        let since = chrono::Utc::now() - chrono::Duration::days(days);
        let top = store.top_answers(kind, since, limit)?;
        self.cached
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(key, (Instant::now(), top.clone()));
        Ok(top)
    }
}

impl App {
    /// Opens the data folder (creating it) and loads the knowledge folder.
    pub fn open(knowledge: &Path, data: &Path) -> anyhow::Result<App> {
        std::fs::create_dir_all(data)
            .with_context(|| format!("creating the data folder {}", data.display()))?;
        anyhow::ensure!(
            knowledge.is_dir(),
            "the knowledge folder {} does not exist: create it or pass --knowledge DIR",
            knowledge.display()
        );
        let store = Arc::new(Store::open(data)?);
        let (index, fresh) = QuestionIndex::open_or_create(&questions::index_dir(data))?;
        let questions = Arc::new(index);
        if fresh {
            let count = questions::rebuild(&questions, &store)?;
            if count > 0 {
                tracing::info!(count, "question index rebuilt from the database");
            }
        }
        let indexer = Indexer::start(Arc::clone(&questions), Arc::clone(&store))?;
        let shelf = Shelf::open(knowledge)?;
        let desk = Desk::load(data)?;
        Ok(App {
            shelf,
            store,
            questions,
            indexer,
            desk,
            throttle: Throttle::default(),
            password_checks: tokio::sync::Semaphore::new(PASSWORD_CHECKS),
            top_answers: TopAnswers::default(),
        })
    }
}
