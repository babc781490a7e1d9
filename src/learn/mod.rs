//! What the history of caller questions teaches: [`features`] of a text, the [`model`] of which
//! answer a question means, learned from every question an operator linked, and the
//! [`Learner`] that keeps one model in service, follows the store's links and is retrained in
//! the background. The store hands it links, `library` asks it for scores, `jobs` keeps it
//! trained; nothing here knows HTTP or tantivy.

pub mod features;
pub mod model;

pub use model::{Link, Model, Scored};

use crate::store::{LinkChange, Store};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{RwLock, RwLockReadGuard};
use std::time::Instant;

/// The most link changes applied online at once; a larger backlog (a big import, a start
/// without a saved model) is left to a retrain in the background, so that no search waits for
/// it.
pub const MAX_ONLINE_BACKLOG: usize = 5_000;

/// Where the model is kept in a data folder.
pub fn model_path(data: &Path) -> PathBuf {
    data.join("model").join("links.bin")
}

/// The model in service: read by every search, updated online as links change, replaced whole
/// by a retrain, saved to the data folder so that a start does not train again.
pub struct Learner {
    model: RwLock<Model>,
    path: PathBuf,
    /// Online changes when it was last saved.
    saved_at: AtomicUsize,
    /// The links changed by more than can be learned online: a retrain is due.
    backlog: AtomicBool,
}

impl Learner {
    /// The model saved in `data`, or an empty one (a warning says why) when there is none or it
    /// cannot be read: the trainer job then trains one.
    pub fn open(data: &Path) -> Learner {
        let path = model_path(data);
        let model = match Model::load(&path) {
            Ok(m) => {
                tracing::info!(links = m.trained_links, "learned ranking loaded");
                m
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Model::empty(),
            Err(e) => {
                tracing::warn!(path = %path.display(), "the saved learned ranking cannot be read ({e}); it is trained again");
                Model::empty()
            }
        };
        Learner {
            model: RwLock::new(model),
            path,
            saved_at: AtomicUsize::new(0),
            backlog: AtomicBool::new(false),
        }
    }

    /// The model, for reading.
    pub fn model(&self) -> RwLockReadGuard<'_, Model> {
        self.model.read().unwrap_or_else(|p| p.into_inner())
    }

    /// Answers for a text, best first, among `answers_total` answers.
    pub fn rank(&self, text: &str, answers_total: usize) -> Vec<Scored> {
        self.model().rank(text, answers_total)
    }

    /// Applies the store's link changes since the model's version, online; returns how many.
    /// A backlog over [`MAX_ONLINE_BACKLOG`] is not applied but marks a retrain as due.
    pub fn catch_up(&self, store: &Store, answers_total: usize) -> anyhow::Result<usize> {
        if self.backlog.load(Ordering::Relaxed) {
            return Ok(0);
        }
        let since = self.model().version as i64;
        if store.links_changed_count_since(since)? > MAX_ONLINE_BACKLOG {
            tracing::info!(
                "many links changed at once: the learned ranking is retrained in the background"
            );
            self.backlog.store(true, Ordering::Relaxed);
            return Ok(0);
        }
        let changes = store.links_changed_since(since)?;
        if changes.is_empty() {
            return Ok(0);
        }
        let mut model = self.model.write().unwrap_or_else(|p| p.into_inner());
        apply(&mut model, &changes, answers_total);
        let version = changes.iter().map(|c| c.version).max().unwrap_or(0);
        model.version = model.version.max(version as u64);
        Ok(changes.len())
    }

    /// Follows an answer's new slug.
    pub fn rename_answer(&self, old: &str, new: &str) {
        let mut model = self.model.write().unwrap_or_else(|p| p.into_inner());
        model.rename_answer(old, new);
    }

    /// Whether the model was never trained though there are links to learn from.
    pub fn untrained(&self) -> bool {
        self.model().trained_links == 0
    }

    /// Whether a retrain is due: there are links and no trained model, or the links changed
    /// online by more than a hundredth of what the model was trained on.
    pub fn needs_training(&self) -> bool {
        if self.backlog.load(Ordering::Relaxed) {
            return true;
        }
        let m = self.model();
        let changed = m.online_changes;
        if m.trained_links == 0 {
            return changed > 0;
        }
        changed > 0 && changed * 100 >= m.trained_links
    }

    /// Trains a new model on every link of the store and puts it in service, with the changes
    /// made while it trained applied on top; then saves it.
    pub fn retrain(&self, store: &Store, answers: &[String]) -> anyhow::Result<()> {
        let started = Instant::now();
        let (version, links) = store.links()?;
        let links: Vec<Link> = links
            .into_iter()
            .filter_map(|c| {
                Some(Link {
                    question: c.question,
                    text: c.text,
                    answer: c.answer?,
                })
            })
            .collect();
        let mut fresh = Model::train(&links, answers, 0x5eed);
        fresh.version = version as u64;
        let later = store.links_changed_since(version)?;
        {
            let mut model = self.model.write().unwrap_or_else(|p| p.into_inner());
            apply(&mut fresh, &later, answers.len());
            let last = later.iter().map(|c| c.version).max().unwrap_or(version);
            fresh.version = fresh.version.max(last as u64);
            fresh.online_changes = 0;
            *model = fresh;
        }
        self.backlog.store(false, Ordering::Relaxed);
        tracing::info!(
            links = links.len(),
            seconds = started.elapsed().as_secs_f64(),
            "learned ranking trained"
        );
        self.save()
    }

    /// Saves the model when it changed since the last save.
    pub fn save_if_changed(&self) -> anyhow::Result<()> {
        let changes = self.model().online_changes;
        if changes != self.saved_at.load(Ordering::Relaxed) {
            self.save()?;
        }
        Ok(())
    }

    /// Saves the model to the data folder.
    pub fn save(&self) -> anyhow::Result<()> {
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let model = self.model();
        model.save(&self.path).map_err(|e| {
            anyhow::anyhow!("saving the learned ranking to {}: {e}", self.path.display())
        })?;
        self.saved_at.store(model.online_changes, Ordering::Relaxed);
        Ok(())
    }
}

/// Learns the links made and forgets the ones removed, in the order they changed.
fn apply(model: &mut Model, changes: &[LinkChange], answers_total: usize) {
    for c in changes {
        match &c.answer {
            Some(answer) => model.learn(c.question, &c.text, answer, answers_total),
            None => model.forget(c.question, &c.text),
        }
    }
}
