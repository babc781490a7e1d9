//! What the history of caller questions teaches: over the features of a text
//! ([`crate::text::features`]), the [`model`] of which answer a question means, learned from the
//! questions operators linked; over what texts mean, two [`dense`] models, one on the static
//! word vectors (every keystroke) and one on the sentence model's vectors (a settled query),
//! and beside the latter the vote of the linked questions nearest in meaning ([`neighbours`]);
//! [`blend`] pools them. The [`Learner`] keeps them in service, follows the store's links and
//! is retrained in the background. The store hands it links, `library` asks it for scores,
//! `jobs` keeps it trained; nothing here knows HTTP or tantivy.
//!
//! A retrain reads at most the newest [`TRAIN_LINKS`] links (the meaning models the newest
//! [`DENSE_LINKS`]), so that its time and memory stay bounded whatever the history's size.

pub mod blend;
pub mod dense;
mod file;
pub mod model;
pub mod neighbours;
mod train;

pub use blend::pool;
pub use model::{Link, Model, Scored};

use crate::encoder::words::StaticVectors;
use crate::signal::{release_memory, Stop};
use crate::store::{LinkChange, Store};
use blend::Held;
use neighbours::Neighbours;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, RwLock, RwLockReadGuard};
use std::time::Instant;

/// The most link changes applied online at once; a larger backlog (a big import while the
/// server runs) is left to a retrain in the background, so that no search waits for it.
pub const MAX_ONLINE_BACKLOG: usize = 5_000;

/// Linked questions the word model trains on at most: the newest. A desk's phrasings of the
/// last hundred thousand questions teach what older ones would (and the time and memory of a
/// retrain stay those of a hundred thousand).
pub const TRAIN_LINKS: usize = 100_000;

/// Linked questions the meaning models train on at most: the newest.
pub const DENSE_LINKS: usize = 50_000;

/// Online changes applied under one hold of the model: searches read between two slices.
const ONLINE_SLICE: usize = 256;

/// Weights the model over static word vectors may get: 0 when it does not help.
const KEYSTROKE_WEIGHTS: [f32; 6] = [0.0, 0.25, 0.5, 1.0, 1.5, 2.0];

/// The folder of every learned model of a data folder: what they learnt is the database's
/// links, so a database put back from a backup goes with this folder removed.
pub fn models_dir(data: &Path) -> PathBuf {
    data.join("model")
}

/// Where the model is kept in a data folder.
pub fn model_path(data: &Path) -> PathBuf {
    data.join("model").join("links.bin")
}

/// Where the model over sentence vectors is kept in a data folder.
pub fn dense_path(data: &Path) -> PathBuf {
    data.join("model").join("meaning.bin")
}

/// Where the nearest linked questions' vectors are kept in a data folder.
pub fn neighbours_path(data: &Path) -> PathBuf {
    data.join("model").join("neighbours.bin")
}

/// Where the model over static word vectors is kept in a data folder.
pub fn keystroke_path(data: &Path) -> PathBuf {
    data.join("model").join("keystroke.bin")
}

/// The models in service: the word model read by every search, updated online as links change,
/// replaced whole by a retrain; the two meaning models beside it; all saved to the data folder
/// so that a start does not train again.
pub struct Learner {
    model: RwLock<Model>,
    path: PathBuf,
    /// Online changes when it was last saved.
    saved_at: AtomicUsize,
    /// The model in service does not cover the links: a retrain is due (many links changed at
    /// once, or it was trained on a first slice of them).
    backlog: AtomicBool,
    /// The model over sentence vectors of linked questions.
    dense: RwLock<dense::DenseModel>,
    /// The same vectors, for the vote of the nearest.
    neighbours: RwLock<Neighbours>,
    /// Linked questions that got their vector since it was trained (and would change it).
    dense_pending: AtomicUsize,
    /// The model over static word vectors of linked questions.
    keystroke: RwLock<dense::DenseModel>,
    /// The static word vectors, once given.
    words: RwLock<Option<Arc<StaticVectors>>>,
    /// The keystroke model should be trained (the word vectors came after the word model).
    keystroke_stale: AtomicBool,
    /// The answers' own texts (title and phrasings), which the word model counts in how rare
    /// a word is ([`Learner::know_answers`]).
    corpus: RwLock<Arc<Vec<String>>>,
}

/// What a meaning model is to the learner: kept in the model folder, trained on so many links,
/// weighed against the word model.
trait Kept: Default {
    fn load(path: &Path) -> std::io::Result<Self>;
    fn save(&self, path: &Path) -> std::io::Result<()>;
    fn links(&self) -> usize;
    fn weight(&self) -> f32;
}

impl Kept for dense::DenseModel {
    fn load(path: &Path) -> std::io::Result<Self> {
        dense::DenseModel::load(path)
    }
    fn save(&self, path: &Path) -> std::io::Result<()> {
        dense::DenseModel::save(self, path)
    }
    fn links(&self) -> usize {
        self.trained_links
    }
    fn weight(&self) -> f32 {
        self.weight
    }
}

impl Kept for Neighbours {
    fn load(path: &Path) -> std::io::Result<Self> {
        Neighbours::load(path)
    }
    fn save(&self, path: &Path) -> std::io::Result<()> {
        Neighbours::save(self, path)
    }
    fn links(&self) -> usize {
        self.len()
    }
    fn weight(&self) -> f32 {
        self.weight
    }
}

fn load_kept<K: Kept>(path: &Path) -> K {
    match K::load(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => K::default(),
        Err(e) => {
            tracing::warn!(path = %path.display(), "a saved meaning model cannot be read ({e}); it is trained again");
            K::default()
        }
    }
}

impl Learner {
    /// The models saved in `data`, or empty ones (a warning says why) when there are none or
    /// they cannot be read: the trainer job then trains them.
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
            dense: RwLock::new(load_kept(&dense_path(data))),
            neighbours: RwLock::new(load_kept(&neighbours_path(data))),
            dense_pending: AtomicUsize::new(0),
            keystroke: RwLock::new(load_kept(&keystroke_path(data))),
            words: RwLock::new(None),
            keystroke_stale: AtomicBool::new(false),
            corpus: RwLock::new(Arc::new(Vec::new())),
        }
    }

    /// Takes the answers' own texts (each answer's title and phrasings), for the word model's
    /// next training to count in how rare each word is; given at open and after the answers
    /// change.
    pub fn know_answers(&self, knowledge: &crate::knowledge::Knowledge) {
        let texts: Vec<String> = knowledge
            .answers()
            .iter()
            .map(|a| {
                let mut text = a.title.clone();
                for p in &a.questions {
                    text.push('\n');
                    text.push_str(p);
                }
                text
            })
            .collect();
        *self.corpus.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(texts);
    }

    fn corpus(&self) -> Arc<Vec<String>> {
        Arc::clone(&self.corpus.read().unwrap_or_else(|p| p.into_inner()))
    }

    /// Gives it the static word vectors: the keystroke model reads texts through them.
    pub fn use_word_vectors(&self, words: Arc<StaticVectors>) {
        *self.words.write().unwrap_or_else(|p| p.into_inner()) = Some(words);
        if self.keystroke().is_empty() && !self.untrained() {
            self.keystroke_stale.store(true, Ordering::Relaxed);
        }
    }

    fn word_vectors(&self) -> Option<Arc<StaticVectors>> {
        self.words.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// The model, for reading.
    pub fn model(&self) -> RwLockReadGuard<'_, Model> {
        self.model.read().unwrap_or_else(|p| p.into_inner())
    }

    /// Answers for a text, best first, among `answers_total` answers.
    pub fn rank(&self, text: &str, answers_total: usize) -> Vec<Scored> {
        self.model().rank(text, answers_total)
    }

    /// Applies the store's link changes since the model's version, online, a slice at a time;
    /// returns how many. A backlog over [`MAX_ONLINE_BACKLOG`] is not applied but marks a
    /// retrain as due.
    pub fn catch_up(&self, store: &Store, answers_total: usize) -> anyhow::Result<usize> {
        if self.backlog.load(Ordering::Relaxed) {
            return Ok(0);
        }
        let since = self.model().version as i64;
        // A model that learnt more link changes than the database ever made learnt another
        // database's (one replaced by hand): trained again on this one's.
        if since > store.links_version()? {
            tracing::warn!(
                "the learned ranking is ahead of the database's links: it is trained again on them"
            );
            self.backlog.store(true, Ordering::Relaxed);
            return Ok(0);
        }
        if store.links_changed_count_since(since)? > MAX_ONLINE_BACKLOG {
            tracing::info!(
                "many links changed at once: the learned ranking is trained again on all of them"
            );
            self.backlog.store(true, Ordering::Relaxed);
            return Ok(0);
        }
        let changes = store.links_changed_since(since)?;
        for slice in changes.chunks(ONLINE_SLICE) {
            let mut model = self.model.write().unwrap_or_else(|p| p.into_inner());
            apply(&mut model, slice, answers_total);
            let version = slice.iter().map(|c| c.version).max().unwrap_or(0);
            model.version = model.version.max(version as u64);
        }
        Ok(changes.len())
    }

    /// Follows an answer's new slug.
    pub fn rename_answer(&self, old: &str, new: &str) {
        let mut model = self.model.write().unwrap_or_else(|p| p.into_inner());
        model.rename_answer(old, new);
        for dense in [&self.dense, &self.keystroke] {
            dense
                .write()
                .unwrap_or_else(|p| p.into_inner())
                .rename_answer(old, new);
        }
        self.neighbours
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .rename_answer(old, new);
    }

    /// What the linked history says of a text: each answer's probability by the word model,
    /// pooled with the meaning model when the text's sentence `vector` is there (a settled
    /// query), else with the keystroke model (the text's static word vector, microseconds), best
    /// first. The sentence model reads more of a text than the word vectors do: beside it the
    /// keystroke model only adds noise. The one place words and meaning are pooled: search and
    /// the placement of caller questions both ask here.
    pub fn ranked(&self, text: &str, vector: Option<&[f32]>, answers_total: usize) -> Learned {
        self.ranked_borne_out(text, vector, None, answers_total).0
    }

    /// [`Learner::ranked`], given the text's static word vector when the caller has computed it
    /// already (`typed`; else it is computed here when the keystroke model needs it), and how
    /// far the linked history bears out each answer ([`Model::borne_out`]): the text read by
    /// the word model once for both.
    pub fn ranked_borne_out(
        &self,
        text: &str,
        vector: Option<&[f32]>,
        typed: Option<&[f32]>,
        answers_total: usize,
    ) -> (Learned, HashMap<String, f32>) {
        let model = self.model();
        let read = model.vector(text);
        let words: HashMap<String, f32> = model
            .rank_vector(&read, answers_total)
            .into_iter()
            .map(|s| (s.slug, s.probability))
            .collect();
        let borne_out = model.borne_out_vector(&read);
        drop(model);
        (self.pooled(words, text, vector, typed), borne_out)
    }

    /// The word model's probabilities pooled with the meaning models'.
    fn pooled(
        &self,
        words: HashMap<String, f32>,
        text: &str,
        vector: Option<&[f32]>,
        typed: Option<&[f32]>,
    ) -> Learned {
        let mut parts: Vec<(HashMap<String, f32>, f32)> = Vec::new();
        let dense = self.dense();
        if let Some(v) = vector.filter(|_| !dense.is_empty()) {
            parts.push((dense.rank(v).into_iter().collect(), dense.weight));
            let neighbours = self.neighbours();
            if neighbours.weight > 0.0 {
                let voted = neighbours.rank(v);
                if !voted.is_empty() {
                    parts.push((voted.into_iter().collect(), neighbours.weight));
                }
            }
        }
        drop(dense);
        let keystroke = self.keystroke();
        if parts.is_empty() && !keystroke.is_empty() && keystroke.weight > 0.0 {
            let embedded: Option<std::borrow::Cow<'_, [f32]>> = match typed {
                Some(v) => Some(v.into()),
                None => self.word_vectors().map(|table| table.embed(text).into()),
            };
            if let Some(v) = embedded {
                let ranked = keystroke.rank(&v);
                if !ranked.is_empty() {
                    parts.push((ranked.into_iter().collect(), keystroke.weight));
                }
            }
        }
        drop(keystroke);
        if parts.is_empty() {
            let mut answers: Vec<(String, f32)> = words.into_iter().collect();
            answers.sort_by(|x, y| y.1.total_cmp(&x.1).then_with(|| x.0.cmp(&y.0)));
            return Learned {
                answers,
                total: 1.0,
            };
        }
        let mut weighed: Vec<(&HashMap<String, f32>, f32)> = vec![(&words, 1.0)];
        weighed.extend(parts.iter().map(|(p, w)| (p, *w)));
        Learned {
            total: weighed.iter().map(|(_, w)| w).sum(),
            answers: blend::pool_all(&weighed),
        }
    }

    /// The model over sentence vectors, for reading.
    pub fn dense(&self) -> RwLockReadGuard<'_, dense::DenseModel> {
        self.dense.read().unwrap_or_else(|p| p.into_inner())
    }

    /// The nearest linked questions' vote, for reading.
    pub fn neighbours(&self) -> RwLockReadGuard<'_, Neighbours> {
        self.neighbours.read().unwrap_or_else(|p| p.into_inner())
    }

    /// The model over static word vectors, for reading.
    pub fn keystroke(&self) -> RwLockReadGuard<'_, dense::DenseModel> {
        self.keystroke.read().unwrap_or_else(|p| p.into_inner())
    }

    /// Notes that these linked questions got their sentence vector: those the meaning model
    /// would train on (while it knows fewer than [`DENSE_LINKS`], any; then only newer ones
    /// than it knows, not a backlog of older history).
    pub fn vectors_added(&self, linked: &[i64]) {
        let dense = self.dense();
        let counted = if dense.trained_links < DENSE_LINKS {
            linked.len()
        } else {
            linked
                .iter()
                .filter(|&&q| q > dense.newest_question)
                .count()
        };
        self.dense_pending.fetch_add(counted, Ordering::Relaxed);
    }

    /// Whether the model over sentence vectors should be trained again: enough linked
    /// questions got their vector since (half as many again as it knows while it grows, 20 at
    /// least; a hundredth of the window once full).
    pub fn dense_due(&self) -> bool {
        let pending = self.dense_pending.load(Ordering::Relaxed);
        let trained = self.dense().trained_links;
        let due = if trained < DENSE_LINKS {
            dense::MIN_LINKS.max(trained / 2)
        } else {
            DENSE_LINKS / 100
        };
        pending >= due
    }

    /// Puts a freshly trained model over sentence (or word) vectors in service in `slot`, kept
    /// in the model folder as `file`.
    fn publish<K: Kept>(
        &self,
        slot: &RwLock<K>,
        fresh: K,
        file: &str,
        what: &str,
        started: Instant,
    ) -> anyhow::Result<()> {
        tracing::info!(
            links = fresh.links(),
            weight = fresh.weight(),
            seconds = started.elapsed().as_secs_f64(),
            "{what} trained"
        );
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir)?;
            fresh.save(&dir.join(file))?;
        }
        *slot.write().unwrap_or_else(|p| p.into_inner()) = fresh;
        Ok(())
    }

    /// Trains the model over sentence vectors on the newest linked questions that have one,
    /// its weight against the word model chosen on held-out history; puts it in service and
    /// saves it.
    pub fn retrain_dense(
        &self,
        store: &Store,
        answers: &[String],
        stop: &Stop,
    ) -> anyhow::Result<()> {
        let started = Instant::now();
        self.dense_pending.store(0, Ordering::Relaxed);
        let linked = store.linked_with_vectors(DENSE_LINKS)?;
        let examples: Vec<dense::Example<'_>> = linked
            .iter()
            .map(|l| (l.answer.as_str(), l.vector.as_slice()))
            .collect();
        let given_up = || {
            tracing::info!("training the meaning model given up: the server is stopping");
            Ok(())
        };
        let Some(mut fresh) = dense::DenseModel::train_unless(&examples, answers, 0x5eed, stop)
        else {
            return given_up();
        };
        // The meaning model's weight against the word model, then the nearest questions'
        // vote's against both (see `Learner::ranked`), judged on the same held-out history.
        let held: Vec<Held<'_>> = linked
            .iter()
            .map(|l| Held {
                link: Link {
                    question: l.question,
                    text: l.text.clone(),
                    answer: l.answer.clone(),
                },
                vectors: vec![&l.vector, &l.vector],
            })
            .collect();
        let candidates = [blend::Candidate::Model, blend::Candidate::Neighbours];
        let corpus = self.corpus();
        let Some(judged) = blend::judge(&held, &candidates, answers, &corpus, stop) else {
            return given_up();
        };
        fresh.weight = judged.best(&[], &blend::WEIGHTS);
        // Where too little history was held out to judge it, the vote is not asked: with a
        // handful of questions an answer, the nearest add noise.
        let vote = match judged.is_empty() {
            true => 0.0,
            false => judged.best(&[fresh.weight], &blend::NEIGHBOUR_WEIGHTS),
        };
        // A vote no search asks (weight 0) is kept empty rather than in memory.
        let mut near = match vote > 0.0 {
            true => Neighbours::build(&examples, answers),
            false => Neighbours::default(),
        };
        drop(examples);
        near.weight = vote;
        let newest = linked.iter().map(|l| l.question).max().unwrap_or(0);
        fresh.newest_question = newest;
        near.newest_question = newest;
        self.publish(&self.dense, fresh, "meaning.bin", "meaning model", started)?;
        self.publish(
            &self.neighbours,
            near,
            "neighbours.bin",
            "nearest questions' vote",
            started,
        )?;
        drop(held);
        drop(linked);
        release_memory();
        Ok(())
    }

    /// Whether the model was never trained though there are links to learn from.
    pub fn untrained(&self) -> bool {
        self.model().trained_links == 0
    }

    /// Whether a retrain is due: the model in service does not cover the links, or there are
    /// links and no trained model, or the links changed online by more than a hundredth of what
    /// the model was trained on.
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

    /// Trains a new word model on the newest [`TRAIN_LINKS`] links of the store and puts it in
    /// service, with the changes made while it trained applied on top; then the keystroke model
    /// beside it; then saves them. Given up, the models in service kept, when `stop` is
    /// requested (the retrain is still due at the next start).
    pub fn retrain(&self, store: &Store, answers: &[String], stop: &Stop) -> anyhow::Result<()> {
        self.retrain_on(store, answers, stop, TRAIN_LINKS)
    }

    /// [`Learner::retrain`] on the newest `limit` links only; when that leaves older links out
    /// (a first slice, to serve a large history learned at once), a full retrain stays due.
    pub fn retrain_on(
        &self,
        store: &Store,
        answers: &[String],
        stop: &Stop,
        limit: usize,
    ) -> anyhow::Result<()> {
        let started = Instant::now();
        let (version, changes) = store.newest_links(limit.min(TRAIN_LINKS))?;
        let partial = limit < TRAIN_LINKS && changes.len() == limit;
        tracing::info!(links = changes.len(), "training the learned ranking");
        let mut links: Vec<Link> = changes
            .into_iter()
            .filter_map(|c| {
                Some(Link {
                    question: c.question,
                    text: c.text,
                    answer: c.answer?,
                })
            })
            .collect();
        let corpus = self.corpus();
        let Some(mut fresh) = Model::train_unless(&links, answers, &corpus, 0x5eed, stop) else {
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
        self.backlog.store(partial, Ordering::Relaxed);
        tracing::info!(
            links = links.len(),
            partial,
            seconds = started.elapsed().as_secs_f64(),
            "learned ranking trained"
        );
        self.save()?;
        links.truncate(DENSE_LINKS);
        if !partial {
            self.train_keystroke(&links, answers, stop)?;
        }
        drop(links);
        release_memory();
        Ok(())
    }

    /// Whether the keystroke model should be trained though the word model need not: the
    /// static word vectors came after the word model was trained (a start).
    pub fn keystroke_due(&self) -> bool {
        self.keystroke_stale.load(Ordering::Relaxed)
    }

    /// Trains the model over static word vectors on the newest [`DENSE_LINKS`] links.
    pub fn retrain_keystroke(
        &self,
        store: &Store,
        answers: &[String],
        stop: &Stop,
    ) -> anyhow::Result<()> {
        let (_, changes) = store.newest_links(DENSE_LINKS)?;
        let links: Vec<Link> = changes
            .into_iter()
            .filter_map(|c| {
                Some(Link {
                    question: c.question,
                    text: c.text,
                    answer: c.answer?,
                })
            })
            .collect();
        self.train_keystroke(&links, answers, stop)
    }

    /// Trains the model over static word vectors on the newest linked questions (the first of
    /// `links`, newest first), its weight chosen on held-out history (0 when it does not
    /// help); puts it in service and saves it.
    fn train_keystroke(
        &self,
        links: &[Link],
        answers: &[String],
        stop: &Stop,
    ) -> anyhow::Result<()> {
        let Some(table) = self.word_vectors() else {
            return Ok(());
        };
        self.keystroke_stale.store(false, Ordering::Relaxed);
        let started = Instant::now();
        let vectors: Vec<Vec<f32>> = links.iter().map(|l| table.embed(&l.text)).collect();
        let examples: Vec<dense::Example<'_>> = links
            .iter()
            .zip(&vectors)
            .map(|(l, v)| (l.answer.as_str(), v.as_slice()))
            .collect();
        let Some(mut fresh) = dense::DenseModel::train_unless(&examples, answers, 0x5eed, stop)
        else {
            return Ok(());
        };
        drop(examples);
        let held: Vec<Held<'_>> = links
            .iter()
            .zip(&vectors)
            .map(|(l, v)| Held {
                link: l.clone(),
                vectors: vec![v],
            })
            .collect();
        let corpus = self.corpus();
        let Some(judged) = blend::judge(&held, &[blend::Candidate::Model], answers, &corpus, stop)
        else {
            return Ok(());
        };
        fresh.weight = judged.best(&[], &KEYSTROKE_WEIGHTS);
        fresh.newest_question = links.iter().map(|l| l.question).max().unwrap_or(0);
        self.publish(
            &self.keystroke,
            fresh,
            "keystroke.bin",
            "keystroke meaning model",
            started,
        )?;
        Ok(())
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
    /// What the scores add up to: 1 for the word model alone, `1 + Σw` pooled with meaning
    /// models of weights `w` (divide by it for a probability).
    pub total: f32,
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

#[cfg(test)]
mod tests {
    #[test]
    fn a_model_ahead_of_the_databases_links_is_trained_again() {
        let t = crate::actions::testing::app();
        let learner = &t.app.learner;
        assert!(!learner.needs_training());
        // As if it had learnt another database's changes (one replaced by hand).
        learner
            .model
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .version = 1_000;
        assert_eq!(learner.catch_up(&t.app.store, 10).unwrap(), 0);
        assert!(
            learner.needs_training(),
            "trained again on this one's links"
        );
    }
}
