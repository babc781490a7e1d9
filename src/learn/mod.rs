//! What the history of caller questions teaches: over the features of a text
//! ([`crate::text::features`]), the [`model`] of which
//! answer a question means, learned from every question an operator linked, and the
//! [`Learner`] that keeps one model in service, follows the store's links and is retrained in
//! the background. The store hands it links, `library` asks it for scores, `jobs` keeps it
//! trained; nothing here knows HTTP or tantivy.

pub mod dense;
mod file;
pub mod model;
mod train;

pub use model::{Link, Model, Scored};

use crate::signal::Stop;
use crate::store::{LinkChange, Store};
use std::collections::HashMap;
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

/// Where the model over sentence vectors is kept in a data folder.
pub fn dense_path(data: &Path) -> PathBuf {
    data.join("model").join("meaning.bin")
}

/// Linked questions the model over sentence vectors trains on at most: the newest.
pub const DENSE_LINKS: usize = 50_000;

/// The model in service: read by every search, updated online as links change, replaced whole
/// by a retrain, saved to the data folder so that a start does not train again.
pub struct Learner {
    model: RwLock<Model>,
    path: PathBuf,
    /// Online changes when it was last saved.
    saved_at: AtomicUsize,
    /// The links changed by more than can be learned online: a retrain is due.
    backlog: AtomicBool,
    /// The model over sentence vectors of linked questions.
    dense: RwLock<dense::DenseModel>,
    /// Linked questions that got their vector since it was trained.
    dense_pending: AtomicUsize,
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
            dense: RwLock::new(dense::DenseModel::load(&dense_path(data)).unwrap_or_default()),
            dense_pending: AtomicUsize::new(0),
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
        self.dense
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .rename_answer(old, new);
    }

    /// What the linked history says of a text: each answer's probability by the word model,
    /// pooled with the meaning model when the text's sentence `vector` is there (and that model
    /// is trained), best first. The one place words and meaning are pooled: search and the
    /// placement of caller questions both ask here.
    pub fn ranked(&self, text: &str, vector: Option<&[f32]>, answers_total: usize) -> Learned {
        let model = self.model();
        let words: Vec<(String, f32)> = model
            .rank(text, answers_total)
            .into_iter()
            .map(|s| (s.slug, s.probability))
            .collect();
        drop(model);
        let dense = self.dense();
        match vector {
            Some(v) if !dense.is_empty() => {
                let meaning: HashMap<String, f32> = dense.rank(v).into_iter().collect();
                Learned {
                    answers: pool(&words.into_iter().collect(), &meaning, dense.weight),
                    total: 1.0 + dense.weight,
                }
            }
            _ => Learned {
                answers: words,
                total: 1.0,
            },
        }
    }

    /// The model over sentence vectors, for reading.
    pub fn dense(&self) -> RwLockReadGuard<'_, dense::DenseModel> {
        self.dense.read().unwrap_or_else(|p| p.into_inner())
    }

    /// Notes that `n` linked questions got their sentence vector.
    pub fn vectors_added(&self, n: usize) {
        self.dense_pending.fetch_add(n, Ordering::Relaxed);
    }

    /// Whether the model over sentence vectors should be trained again: enough linked
    /// questions got their vector since (a hundredth of what it knows, 20 at least).
    pub fn dense_due(&self) -> bool {
        let pending = self.dense_pending.load(Ordering::Relaxed);
        pending >= dense::MIN_LINKS.max(self.dense().trained_links / 100)
    }

    /// Trains the model over sentence vectors on the newest linked questions that have one,
    /// puts it in service and saves it.
    pub fn retrain_dense(
        &self,
        store: &Store,
        answers: &[String],
        stop: &Stop,
    ) -> anyhow::Result<()> {
        let started = Instant::now();
        self.dense_pending.store(0, Ordering::Relaxed);
        let linked = store.linked_with_vectors(DENSE_LINKS)?;
        let links: Vec<(String, Vec<f32>)> = linked
            .iter()
            .map(|l| (l.answer.clone(), l.vector.clone()))
            .collect();
        let given_up = || {
            tracing::info!("training the meaning model given up: the server is stopping");
            Ok(())
        };
        let Some(mut fresh) = dense::DenseModel::train_unless(&links, answers, 0x5eed, stop) else {
            return given_up();
        };
        let Some(weight) = blend_weight(&linked, answers, stop) else {
            return given_up();
        };
        fresh.weight = weight;
        tracing::info!(
            links = fresh.trained_links,
            weight = fresh.weight,
            seconds = started.elapsed().as_secs_f64(),
            "meaning model trained"
        );
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir)?;
            fresh.save(&dir.join("meaning.bin"))?;
        }
        *self.dense.write().unwrap_or_else(|p| p.into_inner()) = fresh;
        Ok(())
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
    /// made while it trained applied on top; then saves it. Given up, the model in service kept,
    /// when `stop` is requested (the retrain is still due at the next start).
    pub fn retrain(&self, store: &Store, answers: &[String], stop: &Stop) -> anyhow::Result<()> {
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
        let Some(mut fresh) = Model::train_unless(&links, answers, 0x5eed, stop) else {
            tracing::info!("training the learned ranking given up: the server is stopping");
            return Ok(());
        };
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

/// Answers by what the linked history says of a text, best first, with scores that add up to
/// `total`.
#[derive(Debug, Clone, PartialEq)]
pub struct Learned {
    /// (slug, score), best first.
    pub answers: Vec<(String, f32)>,
    /// What the scores add up to: 1 for the word model alone, `1 + w` pooled with the meaning
    /// model of weight `w` (divide by it for a probability).
    pub total: f32,
}

/// The word model's and the meaning model's probabilities pooled: their weighted geometric
/// mean, renormalised (`p ∝ p_words^(1/(1+w)) · p_meaning^(w/(1+w))`), scaled to `1 + w`, the
/// total the two would add to. An answer one of them finds unlikely stays unlikely, which a sum
/// of probabilities does not do.
pub fn pool(
    words: &HashMap<String, f32>,
    meaning: &HashMap<String, f32>,
    weight: f32,
) -> Vec<(String, f32)> {
    const FLOOR: f32 = 1e-6;
    let (a, b) = (1.0 / (1.0 + weight), weight / (1.0 + weight));
    let mut out: Vec<(String, f32)> = meaning
        .iter()
        .map(|(slug, &pm)| {
            let pw = words.get(slug).copied().unwrap_or(0.0);
            (
                slug.clone(),
                (a * pw.max(FLOOR).ln() + b * pm.max(FLOOR).ln()).exp(),
            )
        })
        .collect();
    let total: f32 = out.iter().map(|(_, p)| p).sum();
    if total > 0.0 {
        for (_, p) in out.iter_mut() {
            *p *= (1.0 + weight) / total;
        }
    }
    out.sort_by(|x, y| y.1.total_cmp(&x.1));
    out
}

/// Weights the model over sentence vectors may get against the word model's probabilities.
const BLEND_WEIGHTS: [f32; 5] = [0.5, 1.0, 1.5, 2.0, 3.0];

/// How much the model over sentence vectors should count against the word model: both are
/// trained on nine tenths of the linked history and the weight that ranks the last tenth best
/// (mean reciprocal rank) is taken; 1 with too little history to tell.
fn blend_weight(
    linked: &[crate::store::LinkedVector],
    answers: &[String],
    stop: &Stop,
) -> Option<f32> {
    if linked.len() < 10 * dense::MIN_LINKS {
        return Some(1.0);
    }
    let (held, kept): (Vec<_>, Vec<_>) = linked.iter().enumerate().partition(|(i, _)| i % 10 == 9);
    let words = Model::train_unless(
        &kept
            .iter()
            .map(|(_, l)| Link {
                question: l.question,
                text: l.text.clone(),
                answer: l.answer.clone(),
            })
            .collect::<Vec<_>>(),
        answers,
        0x5eed,
        stop,
    )?;
    let meaning = dense::DenseModel::train_unless(
        &kept
            .iter()
            .map(|(_, l)| (l.answer.clone(), l.vector.clone()))
            .collect::<Vec<_>>(),
        answers,
        0x5eed,
        stop,
    )?;
    let total = answers.len();
    let ranked: Vec<(HashMap<String, f32>, HashMap<String, f32>, &str)> = held
        .iter()
        .map(|(_, l)| {
            let w = words
                .rank(&l.text, total)
                .into_iter()
                .map(|s| (s.slug, s.probability))
                .collect();
            let m = meaning.rank(&l.vector).into_iter().collect();
            (w, m, l.answer.as_str())
        })
        .collect();
    let mrr = |weight: f32| -> f64 {
        let mut sum = 0.0;
        for (w, m, answer) in &ranked {
            let pooled = pool(w, m, weight);
            let rank = pooled
                .iter()
                .position(|(a, _)| a == answer)
                .unwrap_or(answers.len());
            sum += 1.0 / (rank + 1) as f64;
        }
        sum / ranked.len().max(1) as f64
    };
    let mut best = (f64::MIN, 1.0);
    for weight in BLEND_WEIGHTS {
        let m = mrr(weight);
        if m > best.0 {
            best = (m, weight);
        }
    }
    Some(best.1)
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
