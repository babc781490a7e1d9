//! The learned ranking over vectors of what texts mean: a softmax over answers (multinomial
//! logistic regression) on the vectors of linked caller questions, centred by their mean,
//! trained with Adam on mini-batches and calibrated by a temperature fitted on a tenth held out.
//! It sees what a question means where the word model sees only its words; the two are pooled
//! in ranking. One such model is trained over the sentence model's vectors (384 numbers, for a
//! settled query) and one over the static word vectors (192, for every keystroke): the
//! vectors' length is the model's own.

use crate::numeric::{dot, softmax, Shuffler};
use crate::signal::Stop;
use std::collections::HashMap;
use std::io::{self, Read};
use std::path::Path;

/// Examples seen per update.
const BATCH: usize = 32;
/// How far the weights may grow: the inverse strength of a Gaussian prior on them against the
/// summed loss of the examples (scikit-learn's `C`). The decay on the mean loss is then
/// `1 / (C n)`: the more history, the more it speaks for itself.
const PRIOR: f32 = 30.0;
/// Adam's step size.
const RATE: f32 = 0.01;
/// Fewest examples of history to train on.
pub const MIN_LINKS: usize = 20;

/// The trained model.
#[derive(Debug, Clone, Default)]
pub struct DenseModel {
    answers: Vec<String>,
    /// Numbers per vector.
    dims: usize,
    /// `[answers × dims]`.
    weights: Vec<f32>,
    bias: Vec<f32>,
    mean: Vec<f32>,
    temperature: f32,
    /// Links it was trained on.
    pub trained_links: usize,
    /// How much its probabilities count against the word model's, chosen on held-out history.
    pub weight: f32,
    /// The newest question it was trained on.
    pub newest_question: i64,
}

/// Gives answer `old` the slug `new` in a model's list of answers, unless `new` is there
/// already.
pub(super) fn rename_in(answers: &mut [String], old: &str, new: &str) {
    if answers.iter().any(|a| a == new) {
        return;
    }
    if let Some(a) = answers.iter_mut().find(|a| *a == old) {
        *a = new.to_string();
    }
}

/// A training example: a linked question's answer and vector.
pub type Example<'a> = (&'a str, &'a [f32]);

/// The examples a model over vectors learns from: those whose answer is in `answers` (by its
/// index there) and whose vector is as long as the first one's; and the mean of their vectors
/// (as long as they are; empty when there is none).
pub(super) fn kept_examples<'a>(
    links: &[Example<'a>],
    answers: &[String],
) -> (Vec<(usize, &'a [f32])>, Vec<f32>) {
    let index: HashMap<&str, usize> = answers
        .iter()
        .enumerate()
        .map(|(i, a)| (a.as_str(), i))
        .collect();
    let d = links.first().map_or(0, |(_, v)| v.len());
    let kept: Vec<(usize, &[f32])> = links
        .iter()
        .filter(|(_, v)| v.len() == d)
        .filter_map(|(a, v)| Some((*index.get(a)?, *v)))
        .collect();
    if kept.is_empty() {
        return (kept, Vec::new());
    }
    let mut mean = vec![0.0f32; d];
    for (_, v) in &kept {
        for (m, x) in mean.iter_mut().zip(v.iter()) {
            *m += x;
        }
    }
    mean.iter_mut().for_each(|m| *m /= kept.len() as f32);
    (kept, mean)
}

pub(super) use crate::meaning::centred;

struct Fit {
    weights: Vec<f32>,
    bias: Vec<f32>,
}

/// Epochs for `n` examples: about 200,000 example updates, between 15 and 200 passes.
fn epochs(n: usize) -> usize {
    (200_000usize.div_ceil(n.max(1))).clamp(15, 200)
}

fn train_on(x: &[Vec<f32>], y: &[usize], classes: usize, seed: u64, stop: &Stop) -> Option<Fit> {
    let d = x.first().map_or(0, Vec::len);
    let mut w = vec![0.0f32; classes * d];
    let mut b = vec![0.0f32; classes];
    let (mut mw, mut vw) = (vec![0.0f32; w.len()], vec![0.0f32; w.len()]);
    let (mut mb, mut vb) = (vec![0.0f32; classes], vec![0.0f32; classes]);
    let (beta1, beta2, eps) = (0.9f32, 0.999f32, 1e-8f32);
    let mut order: Vec<usize> = (0..x.len()).collect();
    let mut rng = Shuffler::plain(seed | 1);
    let mut step = 0i32;
    let mut gw = vec![0.0f32; w.len()];
    let mut gb = vec![0.0f32; classes];
    let mut p = vec![0.0f32; classes];
    let decay = 1.0 / (PRIOR * x.len().max(1) as f32);
    for _ in 0..epochs(x.len()) {
        rng.shuffle(&mut order);
        for batch in order.chunks(BATCH) {
            if stop.requested() {
                return None;
            }
            gw.iter_mut().for_each(|g| *g = 0.0);
            gb.iter_mut().for_each(|g| *g = 0.0);
            for &i in batch {
                let xi = &x[i];
                for (c, pc) in p.iter_mut().enumerate() {
                    *pc = b[c] + dot(&w[c * d..(c + 1) * d], xi);
                }
                softmax(&mut p, 1.0);
                for (c, &pc) in p.iter().enumerate() {
                    let g = pc - if c == y[i] { 1.0 } else { 0.0 };
                    if g.abs() < 1e-7 {
                        continue;
                    }
                    gb[c] += g;
                    for (gwc, v) in gw[c * d..(c + 1) * d].iter_mut().zip(xi) {
                        *gwc += g * v;
                    }
                }
            }
            step += 1;
            let scale = 1.0 / batch.len() as f32;
            let (c1, c2) = (1.0 - beta1.powi(step), 1.0 - beta2.powi(step));
            for j in 0..w.len() {
                let g = gw[j] * scale + decay * w[j];
                mw[j] = beta1 * mw[j] + (1.0 - beta1) * g;
                vw[j] = beta2 * vw[j] + (1.0 - beta2) * g * g;
                w[j] -= RATE * (mw[j] / c1) / ((vw[j] / c2).sqrt() + eps);
            }
            for c in 0..classes {
                let g = gb[c] * scale;
                mb[c] = beta1 * mb[c] + (1.0 - beta1) * g;
                vb[c] = beta2 * vb[c] + (1.0 - beta2) * g * g;
                b[c] -= RATE * (mb[c] / c1) / ((vb[c] / c2).sqrt() + eps);
            }
        }
    }
    Some(Fit {
        weights: w,
        bias: b,
    })
}

fn raw_scores(fit: &Fit, x: &[f32], out: &mut [f32]) {
    let d = x.len();
    for (c, o) in out.iter_mut().enumerate() {
        *o = fit.bias[c] + dot(&fit.weights[c * d..(c + 1) * d], x);
    }
}

impl DenseModel {
    /// Whether it learned anything.
    pub fn is_empty(&self) -> bool {
        self.answers.is_empty()
    }

    /// Numbers per vector it reads (0 while empty).
    pub fn dimensions(&self) -> usize {
        self.dims
    }

    /// Trains on `(answer, vector)` links, all vectors of one length; answers not in
    /// `answers` are left out.
    pub fn train(links: &[Example<'_>], answers: &[String], seed: u64) -> DenseModel {
        DenseModel::train_unless(links, answers, seed, &Stop::never()).unwrap_or_default()
    }

    /// [`DenseModel::train`], given up (`None`) as soon as `stop` is requested.
    pub fn train_unless(
        links: &[Example<'_>],
        answers: &[String],
        seed: u64,
        stop: &Stop,
    ) -> Option<DenseModel> {
        let (kept, mean) = kept_examples(links, answers);
        let d = mean.len();
        if kept.len() < MIN_LINKS || d == 0 {
            return Some(DenseModel::default());
        }
        let x: Vec<Vec<f32>> = kept.iter().map(|(_, v)| centred(v, &mean)).collect();
        let y: Vec<usize> = kept.iter().map(|(a, _)| *a).collect();
        // A tenth held out (every tenth example) fits the temperature; then all of it trains.
        let held: Vec<usize> = (0..x.len()).filter(|i| i % 10 == 9).collect();
        let temperature = if held.len() >= 5 {
            let train_idx: Vec<usize> = (0..x.len()).filter(|i| i % 10 != 9).collect();
            let tx: Vec<Vec<f32>> = train_idx.iter().map(|&i| x[i].clone()).collect();
            let ty: Vec<usize> = train_idx.iter().map(|&i| y[i]).collect();
            let fit = train_on(&tx, &ty, answers.len(), seed, stop)?;
            let mut scores = vec![0.0f32; answers.len()];
            let mut best = (f32::INFINITY, 1.0);
            for t in [0.5f32, 0.75, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0, 8.0] {
                let mut nll = 0.0;
                for &i in &held {
                    raw_scores(&fit, &x[i], &mut scores);
                    softmax(&mut scores, t);
                    nll -= scores[y[i]].max(1e-9).ln();
                }
                if nll < best.0 {
                    best = (nll, t);
                }
            }
            best.1
        } else {
            1.0
        };
        let fit = train_on(&x, &y, answers.len(), seed, stop)?;
        Some(DenseModel {
            answers: answers.to_vec(),
            dims: d,
            weights: fit.weights,
            bias: fit.bias,
            mean,
            temperature,
            trained_links: kept.len(),
            weight: 1.0,
            newest_question: 0,
        })
    }

    /// Every answer's calibrated probability for a question's vector, best first; nothing for
    /// a vector of another length than it was trained on.
    pub fn rank(&self, vector: &[f32]) -> Vec<(String, f32)> {
        if self.is_empty() || vector.len() != self.dims {
            return Vec::new();
        }
        let x = centred(vector, &self.mean);
        let mut scores = vec![0.0f32; self.answers.len()];
        let d = self.dims;
        for (c, o) in scores.iter_mut().enumerate() {
            *o = self.bias[c] + dot(&self.weights[c * d..(c + 1) * d], &x);
        }
        softmax(&mut scores, self.temperature);
        let mut out: Vec<(String, f32)> = self.answers.iter().cloned().zip(scores).collect();
        out.sort_by(|a, b| b.1.total_cmp(&a.1));
        out
    }

    /// Gives answer `old` the slug `new`.
    pub fn rename_answer(&mut self, old: &str, new: &str) {
        rename_in(&mut self.answers, old, new);
    }

    /// Writes the model to `path` (a temporary file renamed into place).
    pub fn save(&self, path: &Path) -> io::Result<()> {
        let mut out = Vec::new();
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&(self.answers.len() as u32).to_le_bytes());
        out.extend_from_slice(&(self.dims as u32).to_le_bytes());
        out.extend_from_slice(&self.newest_question.to_le_bytes());
        out.extend_from_slice(&(self.trained_links as u64).to_le_bytes());
        out.extend_from_slice(&self.temperature.to_le_bytes());
        out.extend_from_slice(&self.weight.to_le_bytes());
        for a in &self.answers {
            out.extend_from_slice(&(a.len() as u32).to_le_bytes());
            out.extend_from_slice(a.as_bytes());
        }
        for v in self.mean.iter().chain(&self.bias).chain(&self.weights) {
            out.extend_from_slice(&v.to_le_bytes());
        }
        crate::numeric::write_atomically(path, |f| f.write_all(&out))
    }

    /// Reads a model written by [`DenseModel::save`].
    pub fn load(path: &Path) -> io::Result<DenseModel> {
        let mut bytes = Vec::new();
        std::fs::File::open(path)?.read_to_end(&mut bytes)?;
        let bad = || {
            io::Error::new(
                io::ErrorKind::InvalidData,
                "not a model file of this callfaq",
            )
        };
        let mut at = 0usize;
        let mut take = |n: usize| -> io::Result<&[u8]> {
            let s = bytes.get(at..at + n).ok_or_else(bad)?;
            at += n;
            Ok(s)
        };
        // Version 2 had no length and no newest question: its vectors were the sentence
        // model's 384 numbers.
        let (dims, newest_question, n) = match take(5)? {
            b"CFQD2" => (
                OLD_DIMENSIONS,
                0,
                u32::from_le_bytes(take(4)?.try_into().map_err(|_| bad())?) as usize,
            ),
            m if m == MAGIC => {
                let n = u32::from_le_bytes(take(4)?.try_into().map_err(|_| bad())?) as usize;
                let dims = u32::from_le_bytes(take(4)?.try_into().map_err(|_| bad())?) as usize;
                let newest = i64::from_le_bytes(take(8)?.try_into().map_err(|_| bad())?);
                (dims, newest, n)
            }
            _ => return Err(bad()),
        };
        let trained_links = u64::from_le_bytes(take(8)?.try_into().map_err(|_| bad())?) as usize;
        let temperature = f32::from_le_bytes(take(4)?.try_into().map_err(|_| bad())?);
        let weight = f32::from_le_bytes(take(4)?.try_into().map_err(|_| bad())?);
        let mut answers = Vec::with_capacity(n);
        for _ in 0..n {
            let len = u32::from_le_bytes(take(4)?.try_into().map_err(|_| bad())?) as usize;
            answers.push(String::from_utf8(take(len)?.to_vec()).map_err(|_| bad())?);
        }
        let mut floats = |count: usize| -> io::Result<Vec<f32>> {
            let raw = take(count * 4)?;
            Ok(raw
                .chunks_exact(4)
                .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                .collect())
        };
        let mean = floats(dims)?;
        let bias = floats(n)?;
        let weights = floats(n * dims)?;
        Ok(DenseModel {
            answers,
            dims,
            weights,
            bias,
            mean,
            temperature,
            trained_links,
            weight,
            newest_question,
        })
    }
}

/// The file's magic number and version.
const MAGIC: &[u8; 5] = b"CFQD3";
/// The vectors' length in a version-2 file.
const OLD_DIMENSIONS: usize = 384;

#[cfg(test)]
mod tests {
    use super::*;

    fn vector(seed: usize, noise: usize) -> Vec<f32> {
        let mut v: Vec<f32> = (0..crate::encoder::DIMENSIONS)
            .map(|i| {
                (((i * 7 + seed * 13) % 17) as f32 - 8.0)
                    + (((i + noise) * 31 % 11) as f32 - 5.0) * 0.3
            })
            .collect();
        crate::encoder::normalise(&mut v);
        v
    }

    #[test]
    fn it_learns_two_kinds_of_vectors_and_survives_a_save() {
        let answers = vec!["a".to_string(), "b".to_string()];
        let vectors: Vec<(String, Vec<f32>)> = (0..40)
            .map(|i| (answers[i % 2].clone(), vector(i % 2, i)))
            .collect();
        let links: Vec<Example<'_>> = vectors
            .iter()
            .map(|(a, v)| (a.as_str(), v.as_slice()))
            .collect();
        let m = DenseModel::train(&links, &answers, 7);
        assert_eq!(m.rank(&vector(0, 99))[0].0, "a");
        assert_eq!(m.rank(&vector(1, 99))[0].0, "b");
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("dense.bin");
        m.save(&path).unwrap();
        let back = DenseModel::load(&path).unwrap();
        assert_eq!(back.rank(&vector(1, 5)), m.rank(&vector(1, 5)));
        assert!(
            DenseModel::train(&links[..5], &answers, 7).is_empty(),
            "too little history"
        );
    }

    #[test]
    fn vectors_of_any_length_are_learned_and_others_are_not_scored() {
        let answers = vec!["a".to_string(), "b".to_string()];
        let vectors: Vec<(String, Vec<f32>)> = (0..40)
            .map(|i| {
                let v = vector(i % 2, i);
                (answers[i % 2].clone(), v[..192].to_vec())
            })
            .collect();
        let links: Vec<Example<'_>> = vectors
            .iter()
            .map(|(a, v)| (a.as_str(), v.as_slice()))
            .collect();
        let m = DenseModel::train(&links, &answers, 7);
        assert_eq!(m.dimensions(), 192);
        assert_eq!(m.rank(&vector(1, 99)[..192])[0].0, "b");
        assert!(m.rank(&vector(1, 99)).is_empty(), "a 384-number vector");
    }
}
