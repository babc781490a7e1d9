//! Training the learned ranking: the whole history by averaged SGD with a calibrated
//! temperature ([`Model::train`]), and online, one link learned or forgotten at a time
//! ([`Model::learn`], [`Model::forget`]). The recipe is told in `super::model`.

use super::model::{Link, Model};
use crate::numeric::{Shuffler, Softmax};
use crate::signal::Stop;
use crate::text::features::{counts, idf_of, sublinear, FeatureId, Sparse};
use std::collections::HashMap;

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
/// Fewer phrasings than this: too few for a tenth to fit the temperature on; each of
/// [`SMALL_PARTS`] parts is held out in turn instead.
const MIN_PHRASINGS_FOR_CALIBRATION: usize = 60;
/// Parts a small history is cut into to fit the temperature.
const SMALL_PARTS: usize = 5;
/// The softest temperature: what a model whose held-out links it did not predict gets.
const MAX_TEMPERATURE: f32 = 5.0;

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

/// The examples of one training run, vectorised once, in one flat array (a vector per
/// example would cost an allocation and its header each: a tenth more memory at 100,000).
struct Examples {
    entries: Vec<(u32, f32)>,
    /// Where each example's entries start; one more at the end.
    starts: Vec<usize>,
    answers: Vec<u32>,
}

impl Examples {
    fn len(&self) -> usize {
        self.answers.len()
    }

    fn vector(&self, i: usize) -> &[(u32, f32)] {
        &self.entries[self.starts[i]..self.starts[i + 1]]
    }
}

/// Answers whose coefficients are kept per example while training, at most: the ones with the
/// largest sums (exact removal keeps [`BETA_KEPT`] of them in the end). A fixed slot array per
/// example: with every answer scored at every step, a map per example grew to a kilobyte and
/// a half, the largest part of a big retrain's memory.
const DUAL_SLOTS: usize = 8;
/// An empty slot.
const NO_ANSWER: u32 = u32::MAX;

/// One example's coefficients while training: `(answer, B, B·c)`.
type Dual = [(u32, f32, f32); DUAL_SLOTS];

/// Adds `(d, c·d)` to answer `a`'s coefficients; when the slots are full, the slot of the
/// smallest sum gives way to a larger step.
fn add_dual(slots: &mut Dual, a: u32, d: f32, cd: f32) {
    if let Some(s) = slots.iter_mut().find(|s| s.0 == a) {
        s.1 += d;
        s.2 += cd;
        return;
    }
    if let Some(s) = slots.iter_mut().find(|s| s.0 == NO_ANSWER) {
        *s = (a, d, cd);
        return;
    }
    let smallest = slots
        .iter_mut()
        .min_by(|x, y| x.1.abs().total_cmp(&y.1.abs()))
        .expect("slots");
    if d.abs() > smallest.1.abs() {
        *smallest = (a, d, cd);
    }
}

impl Model {
    /// Trains on `links`, the answers being `answers` (every answer of the knowledge base, so
    /// that an answer no one linked yet still competes). `corpus`, the answers' own texts
    /// (title and phrasings, one text an answer), counts in how rare each word is, not in what
    /// is learnt: a word many answers use («сколько стоит») tells them apart less than one
    /// they do not share, however few links a desk has. `seed` fixes the order.
    pub fn train(links: &[Link], answers: &[String], corpus: &[String], seed: u64) -> Model {
        Model::train_unless(links, answers, corpus, seed, &Stop::never()).expect("never stopped")
    }

    /// [`Model::train`], given up (`None`) as soon as `stop` is requested.
    pub fn train_unless(
        links: &[Link],
        answers: &[String],
        corpus: &[String],
        seed: u64,
        stop: &Stop,
    ) -> Option<Model> {
        let mut slugs: Vec<String> = answers.to_vec();
        for l in links {
            slugs.push(l.answer.clone());
        }
        slugs.sort();
        slugs.dedup();
        // Held out by phrasing, in a seeded order: a tenth of the phrasings of a history large
        // enough; each of a few parts in turn of a small one, so that a desk's first links,
        // which may not teach what callers ask next, are trusted only as far as they predicted
        // one another. Every link of one phrasing falls on one side: a phrasing asked again
        // (the same short question, linked each time) would otherwise predict itself, and the
        // model would be trusted as if it knew what callers ask in words it never saw.
        let (phrasing, phrasings) = phrasings(links);
        let parts = match phrasings {
            n if n >= MIN_PHRASINGS_FOR_CALIBRATION => 1,
            n if n >= 2 => SMALL_PARTS.min(n),
            _ => 0,
        };
        let temperature = if parts == 0 {
            match links.len() {
                // One link has predicted nothing yet: it counts, softly, until another bears
                // it out.
                0 | 1 => MAX_TEMPERATURE,
                // One phrasing linked again and again is borne out as far as a small history
                // may be (its held-out links could only soften it), but for its own words.
                _ => 1.0,
            }
        } else {
            let mut order: Vec<usize> = (0..phrasings).collect();
            Shuffler::new(seed ^ 0x9e37_79b9).shuffle(&mut order);
            let mut place = vec![0; phrasings];
            for (at, &p) in order.iter().enumerate() {
                place[p] = at;
            }
            let mut held: Vec<(Vec<(u32, f32)>, u32)> = Vec::new();
            for part in 0..parts {
                // Every tenth phrasing of a large one; of a small one, every `parts`-th in the
                // seeded order from `part`.
                let out = |at: usize| match parts {
                    1 => at.is_multiple_of(10),
                    _ => at % parts == part,
                };
                let (mut out_links, mut kept) = (Vec::new(), Vec::new());
                for (i, link) in links.iter().enumerate() {
                    match out(place[phrasing[i]]) {
                        true => out_links.push(i),
                        false => kept.push(link.clone()),
                    }
                }
                let trial = Model::fit(&kept, &slugs, corpus, seed, 1.0, stop)?;
                held.extend(out_links.iter().filter_map(|&i| {
                    let a = *trial.by_slug.get(&links[i].answer)?;
                    Some((trial.raw_scores(&trial.vector(&links[i].text)), a))
                }));
            }
            // A small history's held-out links are too few to make it sharper than its own
            // scores: they may only soften it.
            let fitted = fit_temperature(&held, slugs.len());
            if parts > 1 {
                fitted.max(1.0)
            } else {
                fitted
            }
        };
        Model::fit(links, &slugs, corpus, seed, temperature, stop)
    }

    fn fit(
        links: &[Link],
        slugs: &[String],
        corpus: &[String],
        seed: u64,
        temperature: f32,
        stop: &Stop,
    ) -> Option<Model> {
        let by_slug: HashMap<String, u32> = slugs
            .iter()
            .enumerate()
            .map(|(i, s)| (s.clone(), i as u32))
            .collect();
        // Vocabulary and document frequencies over the linked questions; the counts kept in the
        // one flat array that then holds the weighted vectors.
        let mut vocab: HashMap<FeatureId, u32> = HashMap::new();
        let mut df: Vec<u32> = Vec::new();
        let mut entries: Vec<(u32, f32)> = Vec::new();
        let mut starts: Vec<usize> = Vec::with_capacity(links.len() + 1);
        for (n, l) in links.iter().enumerate() {
            if n % STOP_EVERY == 0 && stop.requested() {
                return None;
            }
            starts.push(entries.len());
            for (f, tf) in counts(&l.text) {
                let next = vocab.len() as u32;
                let i = *vocab.entry(f).or_insert(next);
                if i as usize == df.len() {
                    df.push(0);
                }
                df[i as usize] += 1;
                entries.push((i, tf as f32));
            }
        }
        starts.push(entries.len());
        entries.shrink_to_fit();
        // The answers' own texts count in the frequencies only: their words are known to the
        // model (a query's word it has no weight for still weighs its share of the query), and
        // a word every answer uses is a common one.
        for text in corpus {
            for (f, _) in counts(text) {
                let next = vocab.len() as u32;
                let i = *vocab.entry(f).or_insert(next);
                if i as usize == df.len() {
                    df.push(0);
                }
                df[i as usize] += 1;
            }
        }
        let documents = links.len() + corpus.len();
        let idf: Vec<f32> = df.iter().map(|&d| idf_of(documents as u32, d)).collect();
        drop(df);
        for e in 0..links.len() {
            let row = &mut entries[starts[e]..starts[e + 1]];
            for (i, x) in row.iter_mut() {
                *x = sublinear(*x as u32) * idf[*i as usize];
            }
            let norm = row.iter().map(|(_, x)| x * x).sum::<f32>().sqrt();
            if norm > 0.0 {
                row.iter_mut().for_each(|(_, x)| *x /= norm);
            }
        }
        let examples = Examples {
            entries,
            starts,
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
            documents,
            online_changes: 0,
        })
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
}

fn truncate_beta(beta: &mut Vec<(u32, f32)>) {
    beta.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()));
    beta.truncate(BETA_KEPT);
    beta.sort_by_key(|e| e.0);
}

/// Non-zero entries of a row: (column, value).
type SparseRow = Vec<(u32, f32)>;

/// Averaged softmax SGD over the examples; the pruned postings of the averaged weights, and
/// each example's coefficients for exact removal.
fn sgd(
    examples: &Examples,
    features: usize,
    answers: usize,
    seed: u64,
    stop: &Stop,
) -> Option<(Vec<SparseRow>, Vec<SparseRow>)> {
    let mut w = Training {
        rows: vec![Vec::new(); features],
    };
    let full = answers <= FULL_SOFTMAX;
    // Per example, its coefficient sums B and B·c over answers.
    let mut dual: Vec<Dual> = vec![[(NO_ANSWER, 0.0, 0.0); DUAL_SLOTS]; examples.len()];
    let mut order: Vec<usize> = (0..examples.len()).collect();
    let mut shuffler = Shuffler::new(seed);
    let mut c: f32 = 1.0;
    let mut scores = vec![0.0f32; answers];
    // Candidate index for large answer sets: the weights as of the last epoch, pruned.
    let mut candidate_rows: Vec<Vec<(u32, f32)>> = vec![Vec::new(); features];
    let epochs = STEPS
        .div_ceil(examples.len().max(1))
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
            let x = examples.vector(i);
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
                add_dual(&mut dual[i], a, d, c * d);
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
            let mut b: Vec<(u32, f32)> = d
                .into_iter()
                .filter(|s| s.0 != NO_ANSWER)
                .map(|(a, b, bu)| (a, b - bu / c))
                .collect();
            truncate_beta(&mut b);
            b
        })
        .collect();
    Some((postings, beta))
}

/// Each link's phrasing (its words, however written) as a number, and how many there are.
fn phrasings(links: &[Link]) -> (Vec<usize>, usize) {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let numbers = links
        .iter()
        .map(|l| {
            let words: Vec<String> = crate::text::words(&l.text)
                .into_iter()
                .map(|w| w.text)
                .collect();
            let next = seen.len();
            *seen.entry(words.join(" ")).or_insert(next)
        })
        .collect();
    (numbers, seen.len())
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
    while t <= MAX_TEMPERATURE {
        let v = nll(t);
        if v < best.1 {
            best = (t, v);
        }
        t *= 1.1;
    }
    best.0
}
