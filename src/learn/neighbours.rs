//! The linked caller questions nearest in meaning to a settled query, as a vote over answers:
//! the [`NEAREST`] questions whose sentence vectors are closest (cosine, centred on the mean of
//! all) vote for the answer they were linked to, each by `exp(SHARPNESS · (likeness − best))`.
//! Where a desk has many phrasings of an answer, these see the shapes a linear model over the
//! same vectors draws too smoothly; with a handful each they add noise, and the weight chosen on
//! held-out history ([`super::blend::Judged::best`]) is then 0.
//!
//! The vectors are kept as 8-bit integers, one scale each (a quarter of the memory of floats,
//! likeness within a thousandth), and every query compares itself with each of them: at
//! [`super::DENSE_LINKS`] questions, a few milliseconds of a settled search.

use super::dense::centred;
use crate::numeric::write_atomically;
use std::io::{self, Read};
use std::path::Path;

/// Questions that vote.
pub const NEAREST: usize = 20;
/// How much a nearer question's vote outweighs a farther one's.
const SHARPNESS: f32 = 20.0;
/// Share of the probability spread evenly over all answers: an answer none of the nearest
/// questions names stays possible for the other models.
const SMOOTHING: f32 = 0.1;

/// The linked questions' vectors, ready to be compared with a query's.
#[derive(Debug, Clone, Default)]
pub struct Neighbours {
    answers: Vec<String>,
    dims: usize,
    mean: Vec<f32>,
    /// Per question, its answer (an index into `answers`).
    labels: Vec<u32>,
    /// Per question, what one step of its codes is worth.
    scales: Vec<f32>,
    /// `[questions × dims]`.
    codes: Vec<i8>,
    /// How much its vote counts against the word model's probabilities, chosen on held-out
    /// history.
    pub weight: f32,
    /// The newest question it holds.
    pub newest_question: i64,
}

/// A vector as 8-bit codes and the worth of one step.
fn quantise(v: &[f32], out: &mut Vec<i8>) -> f32 {
    let top = v.iter().fold(0.0f32, |m, x| m.max(x.abs()));
    if top == 0.0 {
        out.extend(std::iter::repeat_n(0, v.len()));
        return 0.0;
    }
    let scale = 127.0 / top;
    out.extend(
        v.iter()
            .map(|x| (x * scale).round().clamp(-127.0, 127.0) as i8),
    );
    1.0 / scale
}

fn dot(a: &[i8], b: &[i8]) -> i32 {
    a.iter()
        .zip(b)
        .map(|(&x, &y)| i32::from(x) * i32::from(y))
        .sum()
}

impl Neighbours {
    /// Keeps the vectors of `(answer, vector)` links, all of one length; answers not in
    /// `answers` are left out. Empty with fewer than [`super::dense::MIN_LINKS`].
    pub fn build(links: &[super::dense::Example<'_>], answers: &[String]) -> Neighbours {
        let (kept, mean) = super::dense::kept_examples(links, answers);
        let dims = mean.len();
        if kept.len() < super::dense::MIN_LINKS || dims == 0 {
            return Neighbours::default();
        }
        let mut codes = Vec::with_capacity(kept.len() * dims);
        let mut scales = Vec::with_capacity(kept.len());
        for (_, v) in &kept {
            scales.push(quantise(&centred(v, &mean), &mut codes));
        }
        Neighbours {
            answers: answers.to_vec(),
            dims,
            mean,
            labels: kept.iter().map(|(a, _)| *a as u32).collect(),
            scales,
            codes,
            weight: 1.0,
            newest_question: 0,
        }
    }

    /// Whether it holds no question.
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// Questions it holds.
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// Bytes its questions take in memory.
    pub fn bytes(&self) -> usize {
        self.codes.len() + 4 * (self.scales.len() + self.labels.len())
    }

    /// Every answer's probability by the vote of the questions nearest to `vector`, best
    /// first; nothing for a vector of another length than it holds.
    pub fn rank(&self, vector: &[f32]) -> Vec<(String, f32)> {
        if self.is_empty() || vector.len() != self.dims {
            return Vec::new();
        }
        let mut query = Vec::with_capacity(self.dims);
        let step = quantise(&centred(vector, &self.mean), &mut query);
        let mut likeness: Vec<(f32, u32)> = self
            .codes
            .chunks_exact(self.dims)
            .zip(&self.scales)
            .zip(&self.labels)
            .map(|((codes, scale), label)| (dot(&query, codes) as f32 * step * scale, *label))
            .collect();
        let nearest = NEAREST.min(likeness.len());
        if nearest < likeness.len() {
            likeness.select_nth_unstable_by(nearest - 1, |a, b| b.0.total_cmp(&a.0));
            likeness.truncate(nearest);
        }
        let best = likeness.iter().fold(f32::MIN, |m, (l, _)| m.max(*l));
        let mut votes = vec![0.0f32; self.answers.len()];
        for (l, label) in &likeness {
            votes[*label as usize] += (SHARPNESS * (l - best)).exp();
        }
        let total: f32 = votes.iter().sum();
        let even = SMOOTHING / self.answers.len() as f32;
        let mut out: Vec<(String, f32)> = self
            .answers
            .iter()
            .zip(&votes)
            .map(|(a, v)| (a.clone(), (v / total + even) / (1.0 + SMOOTHING)))
            .collect();
        out.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        out
    }

    /// Gives answer `old` the slug `new`.
    pub fn rename_answer(&mut self, old: &str, new: &str) {
        super::dense::rename_in(&mut self.answers, old, new);
    }

    /// Writes them to `path` (a temporary file renamed into place).
    pub fn save(&self, path: &Path) -> io::Result<()> {
        let mut out = Vec::with_capacity(64 + self.codes.len() + self.labels.len() * 8);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&(self.answers.len() as u32).to_le_bytes());
        out.extend_from_slice(&(self.dims as u32).to_le_bytes());
        out.extend_from_slice(&(self.labels.len() as u64).to_le_bytes());
        out.extend_from_slice(&self.newest_question.to_le_bytes());
        out.extend_from_slice(&self.weight.to_le_bytes());
        for a in &self.answers {
            out.extend_from_slice(&(a.len() as u32).to_le_bytes());
            out.extend_from_slice(a.as_bytes());
        }
        for m in &self.mean {
            out.extend_from_slice(&m.to_le_bytes());
        }
        for (label, scale) in self.labels.iter().zip(&self.scales) {
            out.extend_from_slice(&label.to_le_bytes());
            out.extend_from_slice(&scale.to_le_bytes());
        }
        out.extend(self.codes.iter().map(|&c| c as u8));
        write_atomically(path, |f| io::Write::write_all(f, &out))
    }

    /// Reads what [`Neighbours::save`] wrote.
    pub fn load(path: &Path) -> io::Result<Neighbours> {
        let mut bytes = Vec::new();
        std::fs::File::open(path)?.read_to_end(&mut bytes)?;
        let bad = || io::Error::new(io::ErrorKind::InvalidData, "not a file of this callfaq");
        let mut at = 0usize;
        let mut take = |n: usize| -> io::Result<&[u8]> {
            let s = bytes.get(at..at + n).ok_or_else(bad)?;
            at += n;
            Ok(s)
        };
        if take(MAGIC.len())? != MAGIC {
            return Err(bad());
        }
        let u32_of = |b: &[u8]| u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
        let f32_of = |b: &[u8]| f32::from_le_bytes([b[0], b[1], b[2], b[3]]);
        let n = u32_of(take(4)?) as usize;
        let dims = u32_of(take(4)?) as usize;
        let count = u64::from_le_bytes(take(8)?.try_into().map_err(|_| bad())?) as usize;
        let newest_question = i64::from_le_bytes(take(8)?.try_into().map_err(|_| bad())?);
        let weight = f32_of(take(4)?);
        let mut answers = Vec::with_capacity(n);
        for _ in 0..n {
            let len = u32_of(take(4)?) as usize;
            answers.push(String::from_utf8(take(len)?.to_vec()).map_err(|_| bad())?);
        }
        let mean: Vec<f32> = take(dims * 4)?.chunks_exact(4).map(f32_of).collect();
        let mut labels = Vec::with_capacity(count);
        let mut scales = Vec::with_capacity(count);
        for pair in take(count.checked_mul(8).ok_or_else(bad)?)?.chunks_exact(8) {
            let label = u32_of(&pair[..4]);
            if label as usize >= n {
                return Err(bad());
            }
            labels.push(label);
            scales.push(f32_of(&pair[4..]));
        }
        let codes: Vec<i8> = take(count.checked_mul(dims).ok_or_else(bad)?)?
            .iter()
            .map(|&b| b as i8)
            .collect();
        Ok(Neighbours {
            answers,
            dims,
            mean,
            labels,
            scales,
            codes,
            weight,
            newest_question,
        })
    }
}

/// The file's magic number and version.
const MAGIC: &[u8; 5] = b"CFQN1";

#[cfg(test)]
mod tests {
    use super::*;

    /// A vector near direction `d` of `dims`, pushed a little by `noise`.
    fn near(d: usize, noise: usize, dims: usize) -> Vec<f32> {
        let mut v: Vec<f32> = (0..dims)
            .map(|i| {
                let base = if i % 8 == d { 1.0 } else { 0.0 };
                base + ((i * 31 + noise * 17) % 13) as f32 * 0.01
            })
            .collect();
        crate::encoder::normalise(&mut v);
        v
    }

    #[test]
    fn the_nearest_questions_name_their_answer_and_survive_a_save() {
        let answers: Vec<String> = ["a", "b", "c"].iter().map(|s| s.to_string()).collect();
        let vectors: Vec<(String, Vec<f32>)> = (0..60)
            .map(|i| (answers[i % 3].clone(), near(i % 3, i, 64)))
            .collect();
        let links: Vec<super::super::dense::Example<'_>> = vectors
            .iter()
            .map(|(a, v)| (a.as_str(), v.as_slice()))
            .collect();
        let n = Neighbours::build(&links, &answers);
        assert_eq!(n.len(), 60);
        for (d, answer) in answers.iter().enumerate() {
            let ranked = n.rank(&near(d, 1000 + d, 64));
            assert_eq!(&ranked[0].0, answer);
            assert_eq!(ranked.len(), 3, "every answer keeps a probability");
            let total: f32 = ranked.iter().map(|(_, p)| p).sum();
            assert!((total - 1.0).abs() < 1e-4, "{total}");
            assert!(
                ranked[2].1 > 0.0,
                "an answer no neighbour names stays possible"
            );
        }
        assert!(
            n.rank(&near(0, 1, 32)).is_empty(),
            "a vector of another length"
        );
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("neighbours.bin");
        n.save(&path).unwrap();
        let back = Neighbours::load(&path).unwrap();
        assert_eq!(back.rank(&near(2, 7, 64)), n.rank(&near(2, 7, 64)));
        std::fs::write(&path, b"CFQN1\x03\0\0\0").unwrap();
        assert!(Neighbours::load(&path).is_err(), "a cut file is refused");
        assert!(
            Neighbours::build(&links[..5], &answers).is_empty(),
            "too few"
        );
    }

    #[test]
    fn likeness_in_eight_bits_is_within_a_hundredth_of_the_floats() {
        let a = near(1, 3, 384);
        let b = near(1, 9, 384);
        let exact: f32 = a.iter().zip(&b).map(|(x, y)| x * y).sum();
        let (mut ca, mut cb) = (Vec::new(), Vec::new());
        let (sa, sb) = (quantise(&a, &mut ca), quantise(&b, &mut cb));
        let coded = dot(&ca, &cb) as f32 * sa * sb;
        assert!((exact - coded).abs() < 0.01, "{exact} against {coded}");
    }
}
