//! Everything a server holds, opened once at start-up: the knowledge shelf, the call store, the
//! caller-question index, the learned ranking, the signals that wake the jobs, the desk settings, the clock, the
//! login throttle, the count of the most asked answers, the phone exchanges' link to the
//! operators' screens, and the desk's traffic that background work yields to. Opening starts
//! no thread: the background jobs are started apart (`jobs::Jobs::start`).

use crate::accounts::throttle::Throttle;
use crate::clock::Clock;
use crate::desk::Desk;
use crate::grouping::Removals;
use crate::learn::Learner;
use crate::library::{FrequentAnswers, Shelf};
use crate::search::questions::{self, QuestionIndex};
use crate::signal::{Signal, Stop, Traffic};
use crate::store::Store;
use std::path::Path;
use std::sync::Arc;

/// A model that was never trained (a first start on an imported history, a lost model file) is
/// trained on this many of the newest links before serving (well under a second), so that the
/// history counts from the first search; a larger history is then learned whole by the trainer
/// job in the background.
const TRAIN_AT_OPEN: usize = 10_000;
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
    /// What linked caller questions taught: the learned ranking in service.
    pub learner: Arc<Learner>,
    /// Wakes the indexer job: the store's outbox has new rows.
    pub indexing: Signal,
    /// Wakes the placement job: questions wait to be placed, or editors changed groups.
    pub placing: Signal,
    /// Questions deleted, for the grouping job to take out of their groups.
    pub removed: Removals,
    /// Managers, topics and the desk script.
    pub desk: Desk,
    /// What time it is at the desk.
    pub clock: Clock,
    /// Failed-login counts.
    pub throttle: Throttle,
    /// New passwords and tokens waiting for the one page that shows them.
    pub shown_once: crate::accounts::once::ShownOnce,
    /// Password checks running at once (each argon2 check takes about 19 MiB).
    pub password_checks: tokio::sync::Semaphore,
    /// The most asked answers per call kind, for the desk screen's buttons.
    pub frequent: FrequentAnswers,
    /// Held by each change to an answer file, and by the watcher recording files changed on
    /// disk, so that they happen one at a time.
    pub edits: std::sync::Mutex<()>,
    /// Answers not checked for this many days are listed for review.
    pub review_days: u32,
    /// The sentence model and the answers' vectors (empty until [`App::with_meaning`]).
    pub meaning: crate::meaning::Meaning,
    /// Wakes the embedding job.
    pub embedding: Signal,
    /// Asked for when the server stops: long background work gives up at its next step.
    pub stop: Stop,
    /// The interface's language, which notices speak too.
    pub lang: crate::i18n::Lang,
    /// Wakes the notices job: a callback changed, a notice waits.
    pub notices: Signal,
    /// The phone exchanges: their secrets (none until set from the environment), and the pages
    /// showing ringing calls.
    pub exchanges: crate::pbx::Exchanges,
    /// Requests being served: background work takes both cores only when the desk is idle.
    pub traffic: Traffic,
}

/// Days after which an answer is due for review, by default.
pub const REVIEW_DAYS: u32 = 180;

impl App {
    /// Opens the data folder (creating it), loads the knowledge folder, and brings the
    /// caller-question index up to date with the database.
    pub fn open(knowledge: &Path, data: &Path, clock: Clock) -> anyhow::Result<App> {
        crate::store::private::folder(data)?;
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
        let replayed = questions.catch_up(&store)?;
        if replayed > 0 {
            tracing::info!(
                replayed,
                "applied question changes left in the outbox by the last run"
            );
        }
        let shelf = Shelf::open(knowledge)?;
        let learner = Arc::new(Learner::open(data));
        learner.know_answers(&shelf.current().knowledge);
        let answers = shelf.current().knowledge.slugs();
        if learner.untrained() && store.link_count()? > 0 {
            learner.retrain_on(&store, &answers, &Stop::never(), TRAIN_AT_OPEN)?;
        }
        let learned = learner.catch_up(&store, answers.len())?;
        if learned > 0 {
            tracing::info!(learned, "learned ranking caught up with the links");
        }
        let desk = Desk::load(data)?;
        let left = store.forget_downloads();
        if left > 0 {
            tracing::info!(left, "backup copies left by a download cut short removed");
        }
        // A call saved just before the server died, its callback not yet: the call promises
        // one, and it becomes one now.
        let (orphans, adopted) = store.adopt_orphaned_promises(clock.now())?;
        if orphans > 0 {
            tracing::warn!(
                orphans,
                "calls promised a callback the database did not hold"
            );
        }
        if adopted > 0 {
            tracing::info!(adopted, "calls that promised a callback became callbacks");
        }
        let matched = store.match_managers_on_calls()?;
        if matched > 0 {
            tracing::info!(
                matched,
                "managers' names on calls matched to their accounts"
            );
        }
        Ok(App {
            shelf,
            store,
            questions,
            learner,
            indexing: Signal::default(),
            placing: Signal::default(),
            removed: Removals::default(),
            desk,
            clock,
            throttle: Throttle::default(),
            password_checks: tokio::sync::Semaphore::new(PASSWORD_CHECKS),
            shown_once: Default::default(),
            frequent: FrequentAnswers::default(),
            edits: std::sync::Mutex::new(()),
            review_days: REVIEW_DAYS,
            meaning: crate::meaning::Meaning::none(),
            embedding: Signal::default(),
            stop: Stop::default(),
            lang: crate::i18n::Lang::Ru,
            notices: Signal::default(),
            exchanges: crate::pbx::Exchanges::default(),
            traffic: Traffic::default(),
        })
    }

    /// The app with a sentence model in service (the answers' vectors from the database; the
    /// embedding job computes the missing ones).
    pub fn with_meaning(mut self, meaning: crate::meaning::Meaning) -> App {
        self.meaning = meaning;
        if let Some(words) = self.meaning.word_vectors() {
            self.learner.use_word_vectors(words);
        }
        let library = self.shelf.current();
        if let Err(e) = self
            .meaning
            .refresh_answers(&self.store, &library.knowledge, 0)
        {
            tracing::error!("reading the answers' sentence vectors: {e:#}");
        }
        self
    }
}
