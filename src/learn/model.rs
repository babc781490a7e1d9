//! The learned ranking: a linear model per answer over the features of [`super::features`],
//! trained on every caller question an operator linked to an answer, with its weights in an
//! inverted index (feature → answers), so that scoring a query is a walk over the postings of
//! its features whatever the number of caller questions.
//!
//! - **Training** ([`Model::train`]): multinomial logistic regression by averaged SGD, a
//!   constant step of 1, 10 to 30 epochs ([`EPOCHS`]) each in a fresh seeded order, no bias, no
//!   L2 term (the epoch count regularises); the deployed weights are the average of all steps (Polyak). Up to
//!   [`FULL_SOFTMAX`] answers every step scores every answer; beyond, a step scores the linked
//!   answer and the [`CANDIDATES`] best others by the weights of the previous epoch. Weights
//!   under [`PRUNE`] are dropped from the index.
//! - **Calibration**: scores become probabilities by `softmax(score / T)` over all answers of
//!   the knowledge base (an answer without postings scores 0); `T` is fitted on a held-out tenth
//!   of the links, so that a probability means the same on a small desk and a large one.
//! - **Online**: a new link takes one plain SGD step on the live weights at once
//!   ([`Model::learn`]); a removed link subtracts exactly what that question added
//!   ([`Model::forget`]), kept per question as its coefficients over answers. A background
//!   retrain absorbs both.
//!
//! The recipe and its alternatives, measured on the shared sets, are in `BENCHMARKS.md`.

use crate::text::features::{counts, idf_of, normalize, sublinear, FeatureId, Sparse};
use crate::numeric::{Shuffler, Softmax};
use crate::signal::Stop;
use std::collections::HashMap;
use std::io::{self, Read, Write};
use std::path::Path;

/// SGD step.
pub const RATE: f32 = 1.0;
/// Passes over the links: enough for [`STEPS`] steps, at least 10 and at most 30. A constant
/// step under-fits a small history in 10 passes (a desk with five phrasings per answer needs
/// more); a large one is fitted in 10.
pub const EPOCHS: (usize, usize) = (10, 30);
/// Examples between two looks at the stop while training.
const STOP_EVERY: usize = 4096;
/// Steps a training run aims at.
pub const STEPS: usize = 100_000;
/// Up to this many answers, every step scores every answer.
pub const FULL_SOFTMAX: usize = 128;
/// Competing answers a step scores beyond [`FULL_SOFTMAX`].
pub const CANDIDATES: usize = 30;
/// Weights smaller than this are not kept in the index.
pub const PRUNE: f32 = 0.1;
/// Coefficients kept per question for exact removal: the largest.
const BETA_KEPT: usize = 6;
/// Gradient entries smaller than this are skipped: they would only grow the index.
const MIN_GRADIENT: f32 = 1e-3;
/// Steps an online link takes at most: one, as in training, so that one link, right or wrong,
/// moves the ranking by one question's worth until the next retrain weighs it among the rest.
const ONLINE_STEPS: usize = 1;
/// Fewer links than this: no hold-out to fit the temperature on; `T = 1`.
const MIN_LINKS_FOR_CALIBRATION: usize = 60;

/// One training example: a caller question linked to an answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    /// The question's id.
    pub question: i64,
    /// The caller's words.
    pub text: String,
    /// The linked answer's slug.
    pub answer: String,
}

/// An answer's score for a query.
#[derive(Debug, Clone, PartialEq)]
pub struct Scored {
    /// The answer.
    pub slug: String,
    /// The raw linear score.
    pub score: f32,
    /// The calibrated probability among all answers.
    pub probability: f32,
}

/// The trained, servable model.
#[derive(Debug, Clone, Default)]
pub struct Model {
    answers: Vec<String>,
    by_slug: HashMap<String, u32>,
    vocab: HashMap<FeatureId, u32>,
    idf: Vec<f32>,
    postings: Vec<Vec<(u32, f32)>>,
    temperature: f32,
    /// Per question, what its steps added, over answers: `W += x ⊗ β`.
    beta: HashMap<i64, Vec<(u32, f32)>>,
    /// The links version of the store this model reflects.
    pub version: u64,
    /// Links it was trained on.
    pub trained_links: usize,
    /// Links learned or forgotten online since.
    pub online_changes: usize,
}

/// The weights while training: per feature, `(answer, w, u)` sorted by answer, `u` the
/// accumulator of the average.
struct Training {
    rows: Vec<Vec<(u32, f32, f32)>>,
}

impl Training {
    fn get(&self, f: usize, a: u32) -> f32 {
        let row = &self.rows[f];
        row.binary_search_by_key(&a, |e| e.0)
            .map_or(0.0, |i| row[i].1)
    }

    fn add(&mut self, f: usize, a: u32, d: f32, c: f32) {
        let row = &mut self.rows[f];
        match row.binary_search_by_key(&a, |e| e.0) {
            Ok(i) => {
                row[i].1 += d;
                row[i].2 += c * d;
            }
            Err(i) => row.insert(i, (a, d, c * d)),
        }
    }
}

/// The examples of one training run, vectorised once.
struct Examples {
    vectors: Vec<Sparse<u32>>,
    answers: Vec<u32>,
}

impl Model {
    /// A model that knows nothing: every answer scores 0.
    pub fn empty() -> Model {
        Model {
            temperature: 1.0,
            ..Model::default()
        }
    }

    /// Whether it learned anything.
    pub fn is_empty(&self) -> bool {
        self.postings.is_empty()
    }

    /// Gives answer `old` the slug `new`, keeping its weights; `false` when the model does not
    /// know `old` or knows `new` already.
    pub fn rename_answer(&mut self, old: &str, new: &str) -> bool {
        if self.by_slug.contains_key(new) {
            return false;
        }
        let Some(i) = self.by_slug.remove(old) else {
            return false;
        };
        self.answers[i as usize] = new.to_string();
        self.by_slug.insert(new.to_string(), i);
        self.online_changes += 1;
        true
    }

    /// Answers the model has weights for.
    pub fn answers(&self) -> &[String] {
        &self.answers
    }

    /// The calibration temperature.
    pub fn temperature(&self) -> f32 {
        self.temperature
    }

    /// Postings in the index.
    pub fn postings_len(&self) -> usize {
        self.postings.iter().map(Vec::len).sum()
    }

    /// Trains on `links`, the answers being `answers` (every answer of the knowledge base, so
    /// that an answer no one linked yet still competes). `seed` fixes the order.
    pub fn train(links: &[Link], answers: &[String], seed: u64) -> Model {
        Model::train_unless(links, answers, seed, &Stop::never()).expect("never stopped")
    }

    /// [`Model::train`], given up (`None`) as soon as `stop` is requested.
    pub fn train_unless(
        links: &[Link],
        answers: &[String],
        seed: u64,
        stop: &Stop,
    ) -> Option<Model> {
        let mut slugs: Vec<String> = answers.to_vec();
        for l in links {
            slugs.push(l.answer.clone());
        }
        slugs.sort();
        slugs.dedup();
        let temperature = if links.len() >= MIN_LINKS_FOR_CALIBRATION {
            // A tenth held out, every tenth link in a seeded order.
            let mut order: Vec<usize> = (0..links.len()).collect();
            Shuffler::new(seed ^ 0x9e37_79b9).shuffle(&mut order);
            let (held, kept): (Vec<usize>, Vec<usize>) = order.iter().partition(|&&i| i % 10 == 0);
            let kept: Vec<Link> = kept.iter().map(|&i| links[i].clone()).collect();
            let trial = Model::fit(&kept, &slugs, seed, 1.0, stop)?;
            let held: Vec<(Vec<(u32, f32)>, u32)> = held
                .iter()
                .filter_map(|&i| {
                    let a = *trial.by_slug.get(&links[i].answer)?;
                    Some((trial.raw_scores(&trial.vector(&links[i].text)), a))
                })
                .collect();
            fit_temperature(&held, slugs.len())
        } else {
            1.0
        };
        Model::fit(links, &slugs, seed, temperature, stop)
    }

    fn fit(
        links: &[Link],
        slugs: &[String],
        seed: u64,
        temperature: f32,
        stop: &Stop,
    ) -> Option<Model> {
        let by_slug: HashMap<String, u32> = slugs
            .iter()
            .enumerate()
            .map(|(i, s)| (s.clone(), i as u32))
            .collect();
        // Vocabulary and document frequencies over the linked questions.
        let mut vocab: HashMap<FeatureId, u32> = HashMap::new();
        let mut df: Vec<u32> = Vec::new();
        let mut all_counts: Vec<Vec<(u32, u32)>> = Vec::with_capacity(links.len());
        for (n, l) in links.iter().enumerate() {
            if n % STOP_EVERY == 0 && stop.requested() {
                return None;
            }
            let c: Vec<(u32, u32)> = counts(&l.text)
                .into_iter()
                .map(|(f, n)| {
                    let next = vocab.len() as u32;
                    let i = *vocab.entry(f).or_insert(next);
                    if i as usize == df.len() {
                        df.push(0);
                    }
                    df[i as usize] += 1;
                    (i, n)
                })
                .collect();
            all_counts.push(c);
        }
        let idf: Vec<f32> = df.iter().map(|&d| idf_of(links.len() as u32, d)).collect();
        let examples = Examples {
            vectors: all_counts
                .into_iter()
                .map(|c| {
                    let mut v: Sparse<u32> = c
                        .into_iter()
                        .map(|(i, tf)| (i, sublinear(tf) * idf[i as usize]))
                        .collect();
                    normalize(&mut v);
                    v
                })
                .collect(),
            answers: links.iter().map(|l| by_slug[&l.answer]).collect(),
        };
        let (postings, beta) = sgd(&examples, vocab.len(), slugs.len(), seed, stop)?;
        let questions: Vec<i64> = links.iter().map(|l| l.question).collect();
        Some(Model {
            answers: slugs.to_vec(),
            by_slug,
            vocab,
            idf,
            postings,
            temperature,
            beta: questions.into_iter().zip(beta).collect(),
            version: 0,
            trained_links: links.len(),
            online_changes: 0,
        })
    }

    /// A text's vector over the features the model knows (unknown ones are dropped).
    pub fn vector(&self, text: &str) -> Sparse<u32> {
        let mut v: Sparse<u32> = counts(text)
            .into_iter()
            .filter_map(|(f, tf)| {
                let i = *self.vocab.get(&f)?;
                Some((i, sublinear(tf) * self.idf[i as usize]))
            })
            .collect();
        normalize(&mut v);
        v
    }

    /// A text's vector, new features added to the vocabulary as if seen once: an online link
    /// may bring words no linked question had.
    fn vector_growing(&mut self, text: &str) -> Sparse<u32> {
        let idf_new = idf_of(self.trained_links as u32, 1);
        let mut v: Sparse<u32> = counts(text)
            .into_iter()
            .map(|(f, tf)| {
                let next = self.vocab.len() as u32;
                let i = *self.vocab.entry(f).or_insert(next);
                if i as usize == self.idf.len() {
                    self.idf.push(idf_new);
                    self.postings.push(Vec::new());
                }
                (i, sublinear(tf) * self.idf[i as usize])
            })
            .collect();
        normalize(&mut v);
        v
    }

    /// Whether the model knows a feature.
    pub fn knows(&self, feature: FeatureId) -> bool {
        self.vocab.contains_key(&feature)
    }

    fn raw_scores(&self, v: &Sparse<u32>) -> Vec<(u32, f32)> {
        let mut scores: HashMap<u32, f32> = HashMap::new();
        for &(f, x) in v {
            for &(a, w) in &self.postings[f as usize] {
                *scores.entry(a).or_insert(0.0) += x * w;
            }
        }
        let mut out: Vec<(u32, f32)> = scores.into_iter().collect();
        // A fixed order, so that sums over answers come out the same every time.
        out.sort_unstable_by_key(|e| e.0);
        out
    }

    /// The answers a text scores for, best first, with their probability among `answers_total`
    /// answers (the knowledge base's size: answers without postings score 0).
    pub fn rank(&self, text: &str, answers_total: usize) -> Vec<Scored> {
        let v = self.vector(text);
        if v.is_empty() {
            return Vec::new();
        }
        let raw = self.raw_scores(&v);
        let t = self.temperature.max(1e-3);
        // The answers without a score, and "none of them", which scores 0 too.
        let unscored = answers_total.saturating_sub(raw.len()) as f32 + 1.0;
        let softmax = Softmax::over(raw.iter().map(|(_, s)| *s), unscored, t);
        let mut out: Vec<Scored> = raw
            .into_iter()
            .map(|(a, s)| Scored {
                slug: self.answers[a as usize].clone(),
                score: s,
                probability: softmax.probability(s),
            })
            .collect();
        out.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then_with(|| a.slug.cmp(&b.slug))
        });
        out
    }

    fn answer_index(&mut self, slug: &str) -> u32 {
        if let Some(&i) = self.by_slug.get(slug) {
            return i;
        }
        let i = self.answers.len() as u32;
        self.answers.push(slug.to_string());
        self.by_slug.insert(slug.to_string(), i);
        i
    }

    /// Learns one new link at once: one plain SGD step on the live weights, among
    /// `answers_total` answers. A question learned before is forgotten first.
    pub fn learn(&mut self, question: i64, text: &str, answer: &str, answers_total: usize) {
        self.forget(question, text);
        let y = self.answer_index(answer);
        let v = self.vector_growing(text);
        if v.is_empty() {
            return;
        }
        // Steps until the linked answer leads with half the probability, at most a few: a new
        // link should count at once, as the operator expects.
        let mut beta: Vec<(u32, f32)> = Vec::new();
        for _ in 0..ONLINE_STEPS {
            let step = self.step(&v, y, answers_total);
            let leads = step.1;
            self.apply(&v, &step.0, 1.0);
            for (a, b) in step.0 {
                match beta.iter_mut().find(|e| e.0 == a) {
                    Some(e) => e.1 += b,
                    None => beta.push((a, b)),
                }
            }
            if leads {
                break;
            }
        }
        truncate_beta(&mut beta);
        self.beta.insert(question, beta);
        self.online_changes += 1;
    }

    /// One plain SGD step's coefficients for `v` linked to `y`: the linked answer and the best
    /// others compete, as in training; and whether `y` already leads with half the probability.
    fn step(&self, v: &Sparse<u32>, y: u32, answers_total: usize) -> (Vec<(u32, f32)>, bool) {
        let raw: HashMap<u32, f32> = self.raw_scores(v).into_iter().collect();
        let mut candidates: Vec<(u32, f32)> = raw.iter().map(|(&a, &s)| (a, s)).collect();
        candidates.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        candidates.truncate(CANDIDATES);
        if !candidates.iter().any(|(a, _)| *a == y) {
            candidates.push((y, raw.get(&y).copied().unwrap_or(0.0)));
        }
        // The answers without a score, and "none of them", share the rest of the probability.
        let unscored = answers_total
            .max(self.answers.len())
            .saturating_sub(candidates.len()) as f32
            + 1.0;
        let softmax = Softmax::over(candidates.iter().map(|(_, s)| *s), unscored, 1.0);
        let mut beta = Vec::new();
        let mut leads = false;
        for (a, s) in candidates {
            let p = softmax.probability(s);
            if a == y {
                leads = p >= 0.5;
            }
            let g = p - if a == y { 1.0 } else { 0.0 };
            if g.abs() >= MIN_GRADIENT {
                beta.push((a, -RATE * g));
            }
        }
        (beta, leads)
    }

    /// Takes back what a question's steps added, exactly (as far as the index kept it).
    pub fn forget(&mut self, question: i64, text: &str) {
        let Some(beta) = self.beta.remove(&question) else {
            return;
        };
        let v = self.vector(text);
        self.apply(&v, &beta, -1.0);
        self.online_changes += 1;
    }

    fn apply(&mut self, v: &Sparse<u32>, beta: &[(u32, f32)], sign: f32) {
        for &(f, x) in v {
            let row = &mut self.postings[f as usize];
            for &(a, b) in beta {
                let d = sign * x * b;
                match row.binary_search_by_key(&a, |e| e.0) {
                    Ok(i) => row[i].1 += d,
                    Err(i) => row.insert(i, (a, d)),
                }
            }
        }
    }

    /// Writes the model to `path` through a temporary file.
    pub fn save(&self, path: &Path) -> io::Result<()> {
        crate::numeric::write_atomically(path, |mut out| {
            out.write_all(MAGIC)?;
            put_u64(&mut out, self.version)?;
            put_u64(&mut out, self.trained_links as u64)?;
            put_f32(&mut out, self.temperature)?;
            put_u64(&mut out, self.answers.len() as u64)?;
            for a in &self.answers {
                put_u64(&mut out, a.len() as u64)?;
                out.write_all(a.as_bytes())?;
            }
            let mut features: Vec<(FeatureId, u32)> =
                self.vocab.iter().map(|(&f, &i)| (f, i)).collect();
            features.sort_by_key(|&(_, i)| i);
            put_u64(&mut out, features.len() as u64)?;
            for (f, i) in features {
                put_u64(&mut out, f)?;
                put_f32(&mut out, self.idf[i as usize])?;
                let row = &self.postings[i as usize];
                put_u64(&mut out, row.len() as u64)?;
                for &(a, w) in row {
                    put_u32(&mut out, a)?;
                    put_f32(&mut out, w)?;
                }
            }
            put_u64(&mut out, self.beta.len() as u64)?;
            for (&q, b) in &self.beta {
                put_u64(&mut out, q as u64)?;
                put_u64(&mut out, b.len() as u64)?;
                for &(a, w) in b {
                    put_u32(&mut out, a)?;
                    put_f32(&mut out, w)?;
                }
            }
            Ok(())
        })
    }

    /// Reads a model written by [`Model::save`].
    pub fn load(path: &Path) -> io::Result<Model> {
        let mut input = io::BufReader::new(std::fs::File::open(path)?);
        let mut magic = [0u8; 8];
        input.read_exact(&mut magic)?;
        if &magic != MAGIC {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "not a callfaq model of this version",
            ));
        }
        let mut m = Model::empty();
        m.version = get_u64(&mut input)?;
        m.trained_links = get_u64(&mut input)? as usize;
        m.temperature = get_f32(&mut input)?;
        let answers = get_u64(&mut input)?;
        for i in 0..answers {
            let len = get_u64(&mut input)? as usize;
            let mut bytes = vec![0u8; len.min(1 << 20)];
            input.read_exact(&mut bytes)?;
            let slug = String::from_utf8(bytes)
                .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
            m.by_slug.insert(slug.clone(), i as u32);
            m.answers.push(slug);
        }
        let features = get_u64(&mut input)?;
        for i in 0..features {
            let f = get_u64(&mut input)?;
            m.vocab.insert(f, i as u32);
            m.idf.push(get_f32(&mut input)?);
            let n = get_u64(&mut input)? as usize;
            let mut row = Vec::with_capacity(n.min(1 << 16));
            for _ in 0..n {
                row.push((get_u32(&mut input)?, get_f32(&mut input)?));
            }
            m.postings.push(row);
        }
        let betas = get_u64(&mut input)?;
        for _ in 0..betas {
            let q = get_u64(&mut input)? as i64;
            let n = get_u64(&mut input)? as usize;
            let mut b = Vec::with_capacity(n.min(64));
            for _ in 0..n {
                b.push((get_u32(&mut input)?, get_f32(&mut input)?));
            }
            m.beta.insert(q, b);
        }
        Ok(m)
    }
}

const MAGIC: &[u8; 8] = b"CFQM0001";

fn put_u64(out: &mut impl Write, v: u64) -> io::Result<()> {
    out.write_all(&v.to_le_bytes())
}
fn put_u32(out: &mut impl Write, v: u32) -> io::Result<()> {
    out.write_all(&v.to_le_bytes())
}
fn put_f32(out: &mut impl Write, v: f32) -> io::Result<()> {
    out.write_all(&v.to_le_bytes())
}
fn get_u64(input: &mut impl Read) -> io::Result<u64> {
    let mut b = [0u8; 8];
    input.read_exact(&mut b)?;
    Ok(u64::from_le_bytes(b))
}
fn get_u32(input: &mut impl Read) -> io::Result<u32> {
    let mut b = [0u8; 4];
    input.read_exact(&mut b)?;
    Ok(u32::from_le_bytes(b))
}
fn get_f32(input: &mut impl Read) -> io::Result<f32> {
    let mut b = [0u8; 4];
    input.read_exact(&mut b)?;
    Ok(f32::from_le_bytes(b))
}

fn truncate_beta(beta: &mut Vec<(u32, f32)>) {
    beta.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()));
    beta.truncate(BETA_KEPT);
    beta.sort_by_key(|e| e.0);
}

/// Averaged softmax SGD over the examples; the pruned postings of the averaged weights, and
/// each example's coefficients for exact removal.
fn sgd(
    examples: &Examples,
    features: usize,
    answers: usize,
    seed: u64,
    stop: &Stop,
) -> Option<(Vec<Vec<(u32, f32)>>, Vec<Vec<(u32, f32)>>)> {
    let mut w = Training {
        rows: vec![Vec::new(); features],
    };
    let full = answers <= FULL_SOFTMAX;
    // Per example, its coefficient sums B and B·c over answers.
    let mut dual: Vec<HashMap<u32, (f32, f32)>> = vec![HashMap::new(); examples.vectors.len()];
    let mut order: Vec<usize> = (0..examples.vectors.len()).collect();
    let mut shuffler = Shuffler::new(seed);
    let mut c: f32 = 1.0;
    let mut scores = vec![0.0f32; answers];
    // Candidate index for large answer sets: the weights as of the last epoch, pruned.
    let mut candidate_rows: Vec<Vec<(u32, f32)>> = vec![Vec::new(); features];
    let epochs = STEPS
        .div_ceil(examples.vectors.len().max(1))
        .clamp(EPOCHS.0, EPOCHS.1);
    for _ in 0..epochs {
        shuffler.shuffle(&mut order);
        if !full {
            for (f, row) in w.rows.iter().enumerate() {
                candidate_rows[f] = row
                    .iter()
                    .filter(|e| e.1.abs() >= PRUNE)
                    .map(|e| (e.0, e.1))
                    .collect();
            }
        }
        for (n, &i) in order.iter().enumerate() {
            if n % STOP_EVERY == 0 && stop.requested() {
                return None;
            }
            let x = &examples.vectors[i];
            let y = examples.answers[i];
            let candidates: Vec<u32> = if full {
                scores.iter_mut().for_each(|s| *s = 0.0);
                for &(f, v) in x {
                    for e in &w.rows[f as usize] {
                        scores[e.0 as usize] += v * e.1;
                    }
                }
                (0..answers as u32).collect()
            } else {
                let mut rough: HashMap<u32, f32> = HashMap::new();
                for &(f, v) in x {
                    for &(a, wt) in &candidate_rows[f as usize] {
                        *rough.entry(a).or_insert(0.0) += v * wt;
                    }
                }
                let mut best: Vec<(u32, f32)> =
                    rough.into_iter().filter(|(a, _)| *a != y).collect();
                best.sort_by(|a, b| b.1.total_cmp(&a.1));
                best.truncate(CANDIDATES);
                let mut cands: Vec<u32> = best.into_iter().map(|(a, _)| a).collect();
                cands.push(y);
                for &a in &cands {
                    scores[a as usize] = x.iter().map(|&(f, v)| v * w.get(f as usize, a)).sum();
                }
                cands
            };
            // "None of them" competes with a fixed score of 0, so that a desk with one answer
            // still learns which questions are not about it.
            let softmax = Softmax::over(candidates.iter().map(|&a| scores[a as usize]), 1.0, 1.0);
            for &a in &candidates {
                let p = softmax.probability(scores[a as usize]);
                let g = p - if a == y { 1.0 } else { 0.0 };
                if g.abs() < MIN_GRADIENT {
                    continue;
                }
                let d = -RATE * g;
                for &(f, v) in x {
                    w.add(f as usize, a, d * v, c);
                }
                let e = dual[i].entry(a).or_insert((0.0, 0.0));
                e.0 += d;
                e.1 += c * d;
            }
            c += 1.0;
        }
    }
    let postings = w
        .rows
        .into_iter()
        .map(|row| {
            row.into_iter()
                .map(|(a, wt, u)| (a, wt - u / c))
                .filter(|(_, avg)| avg.abs() >= PRUNE)
                .collect()
        })
        .collect();
    let beta = dual
        .into_iter()
        .map(|d| {
            let mut b: Vec<(u32, f32)> =
                d.into_iter().map(|(a, (b, bu))| (a, b - bu / c)).collect();
            truncate_beta(&mut b);
            b
        })
        .collect();
    Some((postings, beta))
}

/// The temperature that makes held-out probabilities honest: the one minimising their negative
/// log-likelihood, searched on a log scale.
fn fit_temperature(held: &[(Vec<(u32, f32)>, u32)], answers: usize) -> f32 {
    if held.is_empty() {
        return 1.0;
    }
    let nll = |t: f32| -> f64 {
        held.iter()
            .map(|(scores, y)| {
                let unscored = answers.saturating_sub(scores.len()) as f32 + 1.0;
                let softmax = Softmax::over(scores.iter().map(|(_, s)| *s), unscored, t);
                let sy = scores.iter().find(|(a, _)| a == y).map_or(0.0, |(_, s)| *s);
                -f64::from(softmax.log_probability(sy))
            })
            .sum()
    };
    let mut best = (1.0f32, f64::MAX);
    let mut t = 0.05f32;
    while t <= 5.0 {
        let v = nll(t);
        if v < best.1 {
            best = (t, v);
        }
        t *= 1.1;
    }
    best.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(q: i64, text: &str, answer: &str) -> Link {
        Link {
            question: q,
            text: text.into(),
            answer: answer.into(),
        }
    }

    fn slugs(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    fn top(model: &Model, text: &str) -> Option<String> {
        model
            .rank(text, model.answers().len())
            .first()
            .map(|s| s.slug.clone())
    }

    fn desk() -> Vec<Link> {
        vec![
            link(1, "тонер закончился печатает бледно", "refill"),
            link(2, "картридж пустой, бледная печать", "refill"),
            link(3, "сколько стоит заправка картриджа", "refill"),
            link(4, "инженер может подъехать завтра", "visit"),
            link(5, "когда приедет ваш специалист", "visit"),
            link(6, "выезд мастера в офис", "visit"),
            link(7, "счёт на оплату пришлите", "invoice"),
            link(8, "нужен счёт с ндс", "invoice"),
        ]
    }

    #[test]
    fn linked_phrasings_teach_their_answer() {
        let model = Model::train(&desk(), &slugs(&["refill", "visit", "invoice", "other"]), 1);
        assert_eq!(top(&model, "печатает бледно").as_deref(), Some("refill"));
        assert_eq!(top(&model, "специалист подъедет").as_deref(), Some("visit"));
        assert_eq!(top(&model, "пришлите счёт").as_deref(), Some("invoice"));
    }

    #[test]
    fn probabilities_count_every_answer_of_the_knowledge_base() {
        let model = Model::train(&desk()[..3], &slugs(&["refill"]), 1);
        let alone = model.rank("бледно печатает", 1)[0].probability;
        let among_many = model.rank("бледно печатает", 100)[0].probability;
        assert!(among_many < alone, "{among_many} vs {alone}");
    }

    #[test]
    fn an_online_link_counts_at_once_and_forgetting_takes_it_back_exactly() {
        let mut model = Model::train(&desk(), &slugs(&["refill", "visit", "invoice", "other"]), 1);
        // A query of words the model knew before, so that its vector stays the same.
        let before = model.rank("выезд мастера, счёт", 4);
        for q in 100..103 {
            model.learn(q, "акт сверки для бухгалтерии", "other", 4);
        }
        assert_eq!(
            top(&model, "бухгалтерия акт сверки").as_deref(),
            Some("other")
        );
        for q in 100..103 {
            model.forget(q, "акт сверки для бухгалтерии");
        }
        let after = model.rank("выезд мастера, счёт", 4);
        for (b, a) in before.iter().zip(&after) {
            assert!((b.score - a.score).abs() < 1e-4, "{b:?} vs {a:?}");
        }
    }

    #[test]
    fn a_saved_model_reads_back_the_same() {
        let mut model = Model::train(&desk(), &slugs(&["refill", "visit", "invoice"]), 7);
        model.version = 42;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("model.bin");
        model.save(&path).unwrap();
        let back = Model::load(&path).unwrap();
        assert_eq!(back.version, 42);
        assert_eq!(
            back.rank("бледно печатает", 3),
            model.rank("бледно печатает", 3)
        );
        std::fs::write(&path, b"garbage").unwrap();
        assert!(Model::load(&path).is_err());
    }

    #[test]
    fn the_same_seed_trains_the_same_model() {
        let a = Model::train(&desk(), &[], 3);
        let b = Model::train(&desk(), &[], 3);
        assert_eq!(a.rank("выезд инженера", 3), b.rank("выезд инженера", 3));
    }

    #[test]
    fn an_empty_model_ranks_nothing_and_learns_online() {
        let mut model = Model::empty();
        assert!(model.rank("что угодно", 10).is_empty());
        model.learn(1, "сломался сканер", "scanner", 10);
        assert_eq!(model.rank("сканер сломался", 10)[0].slug, "scanner");
    }
}
