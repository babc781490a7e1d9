//! How the learned models' probabilities are pooled into one ranking, and how much each counts:
//! the word model always, with the model over static word vectors on a keystroke, or with the
//! model over the sentence model's vectors and the nearest linked questions' vote once typing
//! pauses. Their weighted geometric mean, each weight chosen on held-out history ranked once by
//! trial models trained on the rest ([`judge`], then [`Judged::best`]).

use super::dense::{DenseModel, Example};
use super::model::{Link, Model};
use super::neighbours::Neighbours;
use crate::signal::Stop;
use std::collections::HashMap;

/// Weights a meaning model may get against the word model's probabilities.
pub const WEIGHTS: [f32; 5] = [0.5, 1.0, 1.5, 2.0, 3.0];

/// Weights the nearest questions' vote may get: 0 when it does not help.
pub const NEIGHBOUR_WEIGHTS: [f32; 4] = [0.0, 0.5, 1.0, 2.0];

/// Held-out questions that judge a weight at most: enough to tell one from another, and the
/// nearest questions' vote of each costs a pass over the history.
const MAX_HELD: usize = 2_000;

/// Held-out questions under which a tenth is too few to judge: the history is then cut into
/// [`SMALL_PARTS`], each held out in turn, so that every question judges.
const FEW_HELD: usize = 200;

/// Parts a small history is cut into.
const SMALL_PARTS: usize = 5;

/// Fewest linked questions that can tell one weight from another; with fewer, their share of it.
const MIN_HISTORY: usize = 10 * super::dense::MIN_LINKS;

/// The word model's and the meaning model's probabilities pooled: their weighted geometric
/// mean, renormalised (`p ∝ p_words^(1/(1+w)) · p_meaning^(w/(1+w))`), scaled to `1 + w`, the
/// total the two would add to. An answer one of them finds unlikely stays unlikely, which a sum
/// of probabilities does not do.
pub fn pool(
    words: &HashMap<String, f32>,
    meaning: &HashMap<String, f32>,
    weight: f32,
) -> Vec<(String, f32)> {
    pool_all(&[(words, 1.0), (meaning, weight)])
}

/// Several models' probabilities pooled the same way, each with its weight (the word model's
/// first, weight 1): `p ∝ Π p_i^(w_i / Σw)`, scaled to `Σw`. The answers are those of the
/// models after the first (the meaning models score every answer); the first alone is
/// returned as it is.
pub fn pool_all(parts: &[(&HashMap<String, f32>, f32)]) -> Vec<(String, f32)> {
    const FLOOR: f32 = 1e-6;
    if let [(only, _)] = parts {
        let mut out: Vec<(String, f32)> = only.iter().map(|(s, p)| (s.clone(), *p)).collect();
        out.sort_by(|x, y| y.1.total_cmp(&x.1).then_with(|| x.0.cmp(&y.0)));
        return out;
    }
    let total_weight: f32 = parts.iter().map(|(_, w)| w).sum();
    let mut slugs: Vec<&String> = parts.iter().skip(1).flat_map(|(p, _)| p.keys()).collect();
    slugs.sort_unstable();
    slugs.dedup();
    let mut out: Vec<(String, f32)> = slugs
        .into_iter()
        .map(|slug| {
            let log: f32 = parts
                .iter()
                .map(|(p, w)| {
                    w / total_weight * p.get(slug).copied().unwrap_or(0.0).max(FLOOR).ln()
                })
                .sum();
            (slug.clone(), log.exp())
        })
        .collect();
    let total: f32 = out.iter().map(|(_, p)| p).sum();
    if total > 0.0 {
        for (_, p) in out.iter_mut() {
            *p *= total_weight / total;
        }
    }
    out.sort_by(|x, y| y.1.total_cmp(&x.1).then_with(|| x.0.cmp(&y.0)));
    out
}

/// One linked question of the history, with what each candidate reads of it.
pub struct Held<'a> {
    /// The question as the word model reads it.
    pub link: Link,
    /// Its vector for each candidate judged (in the order of the candidates).
    pub vectors: Vec<&'a [f32]>,
}

/// What is weighed against the word model: a model over vectors, or the nearest linked
/// questions' vote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Candidate {
    /// A [`DenseModel`] trained on the vectors.
    Model,
    /// [`Neighbours`] holding the vectors.
    Neighbours,
}

/// One held-out question: each model's probabilities of the answers (the word model's first),
/// and the question's answer.
type Row<'h> = (Vec<HashMap<String, f32>>, &'h str);

/// Held-out history ranked by trial models: for each held-out question, the word model's
/// probabilities and each candidate's, with the question's answer. Weights are then chosen on
/// it without training again.
pub struct Judged<'h> {
    rows: Vec<Row<'h>>,
    answers: usize,
    /// The linked questions there were to judge by.
    history: usize,
}

/// Ranks held-out history by trial models of the word model and each of `candidates` (their
/// vectors in [`Held::vectors`], in that order), trained on the rest. A tenth of `history` is
/// held out (at most [`MAX_HELD`] of it); while that tenth is under [`FEW_HELD`] questions,
/// each fifth in turn ([`SMALL_PARTS`]), so that every question judges. Nothing is held out
/// with too little history to tell one weight from another; `None` when `stop` is requested.
pub fn judge<'h>(
    history: &'h [Held<'_>],
    candidates: &[Candidate],
    answers: &[String],
    corpus: &[String],
    stop: &Stop,
) -> Option<Judged<'h>> {
    let mut judged = Judged {
        rows: Vec::new(),
        answers: answers.len(),
        history: history.len(),
    };
    if history.len() < MIN_HISTORY {
        return Some(judged);
    }
    // Parts the history is cut into, and how many of them are held out in turn.
    let (parts, turns) = match history.len() / 10 < FEW_HELD {
        true => (SMALL_PARTS, SMALL_PARTS),
        false => (10, 1),
    };
    for fold in (0..turns).map(|f| parts - 1 - f) {
        judged.rows.extend(held_out(
            history, parts, fold, candidates, answers, corpus, stop,
        )?);
    }
    Some(judged)
}

impl Judged<'_> {
    /// Whether nothing was held out (too little history to tell one weight from another).
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The weight among `choices` that ranks the held-out history best (mean reciprocal rank)
    /// for candidate number `fixed.len()`, pooled with the word model and the candidates before
    /// it at their weights (`fixed`); the candidates after it are left out. 1 when nothing was
    /// held out.
    pub fn best(&self, fixed: &[f32], choices: &[f32]) -> f32 {
        // Too little history to tell one weight from another: a meaning model it trained
        // counts for the history's share of what would judge it (20 linked questions of the
        // 200: a tenth), so that a desk's first links, read by what they mean, do not pull
        // every question alike to them («сколько стоит …») to their answers.
        if self.rows.is_empty() {
            return (self.history as f32 / MIN_HISTORY as f32).min(1.0);
        }
        let mrr = |weight: f32| -> f64 {
            let mut sum = 0.0;
            for (parts, answer) in &self.rows {
                let mut weighed: Vec<(&HashMap<String, f32>, f32)> = vec![(&parts[0], 1.0)];
                weighed.extend(parts[1..].iter().zip(fixed).map(|(p, &w)| (p, w)));
                weighed.push((&parts[1 + fixed.len()], weight));
                let pooled = pool_all(&weighed);
                let rank = pooled
                    .iter()
                    .position(|(a, _)| a == answer)
                    .unwrap_or(self.answers);
                sum += 1.0 / (rank + 1) as f64;
            }
            sum / self.rows.len() as f64
        };
        let mut best = (f64::MIN, 1.0);
        for &weight in choices {
            let m = mrr(weight);
            if m > best.0 {
                best = (m, weight);
            }
        }
        best.1
    }
}

/// The questions of `history` in part `fold` of `parts` (at most [`MAX_HELD`]), ranked by trial
/// models trained on the other parts (the word model's first, then each candidate's), with
/// their answers.
fn held_out<'h>(
    history: &'h [Held<'_>],
    parts: usize,
    fold: usize,
    candidates: &[Candidate],
    answers: &[String],
    corpus: &[String],
    stop: &Stop,
) -> Option<Vec<Row<'h>>> {
    let (mut held, kept): (Vec<_>, Vec<_>) = history
        .iter()
        .enumerate()
        .partition(|(i, _)| i % parts == fold);
    held.truncate(MAX_HELD);
    let words = Model::train_unless(
        &kept.iter().map(|(_, h)| h.link.clone()).collect::<Vec<_>>(),
        answers,
        corpus,
        0x5eed,
        stop,
    )?;
    type Rank = Box<dyn Fn(&[f32]) -> Vec<(String, f32)>>;
    let mut trials: Vec<Rank> = Vec::with_capacity(candidates.len());
    for (i, candidate) in candidates.iter().enumerate() {
        let examples: Vec<Example<'_>> = kept
            .iter()
            .map(|(_, h)| (h.link.answer.as_str(), h.vectors[i]))
            .collect();
        trials.push(match candidate {
            Candidate::Model => {
                let m = DenseModel::train_unless(&examples, answers, 0x5eed, stop)?;
                Box::new(move |v| m.rank(v))
            }
            Candidate::Neighbours => {
                let n = Neighbours::build(&examples, answers);
                Box::new(move |v| n.rank(v))
            }
        });
    }
    let total = answers.len();
    let as_map = |ranked: Vec<(String, f32)>| ranked.into_iter().collect::<HashMap<_, _>>();
    Some(
        held.iter()
            .map(|(_, h)| {
                let mut parts = vec![as_map(
                    words
                        .rank(&h.link.text, total)
                        .into_iter()
                        .map(|s| (s.slug, s.probability))
                        .collect(),
                )];
                for (trial, v) in trials.iter().zip(&h.vectors) {
                    parts.push(as_map(trial(v)));
                }
                (parts, h.link.answer.as_str())
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: &[(&str, f32)]) -> HashMap<String, f32> {
        pairs.iter().map(|(s, p)| (s.to_string(), *p)).collect()
    }

    #[test]
    fn pooling_two_is_pooling_them_as_two_of_many() {
        let words = map(&[("a", 0.7), ("b", 0.2)]);
        let meaning = map(&[("a", 0.3), ("b", 0.6), ("c", 0.1)]);
        let two = pool(&words, &meaning, 2.0);
        let total: f32 = two.iter().map(|(_, p)| p).sum();
        assert!((total - 3.0).abs() < 1e-4, "{total}");
        assert_eq!(two.len(), 3);
        let all = pool_all(&[(&words, 1.0), (&meaning, 2.0)]);
        assert_eq!(two, all);
        // A third model of weight 0 changes nothing but the total.
        let third = map(&[("c", 1.0)]);
        let with_zero = pool_all(&[(&words, 1.0), (&meaning, 2.0), (&third, 0.0)]);
        for ((s1, p1), (s2, p2)) in two.iter().zip(&with_zero) {
            assert_eq!(s1, s2);
            assert!((p1 - p2).abs() < 1e-4);
        }
    }

    /// 240 linked questions over four answers: each text names its answer's word in
    /// `words_right` of every ten questions (another answer's otherwise), and each vector points
    /// to its answer when `vectors_right` (and is noise otherwise).
    fn history(words_right: usize, vectors_right: bool) -> (Vec<Link>, Vec<Vec<f32>>) {
        let topics = ["принтер", "пароль", "счёт", "доставка"];
        (0..240)
            .map(|i| {
                let answer = i % 4;
                let named = if i / 4 % 10 < words_right {
                    answer
                } else {
                    (answer + 1 + i % 3) % 4
                };
                let link = Link {
                    question: i as i64,
                    text: format!("вопрос {} номер {}", topics[named], i % 7),
                    answer: topics[answer].to_string(),
                };
                // Noise from a mixed hash of the question and the dimension, unrelated to the answer.
                let noise = |d: usize| {
                    let mut h = (i as u64 * 16 + d as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
                    h ^= h >> 31;
                    (h.wrapping_mul(0xbf58_476d_1ce4_e5b9) >> 40) as f32 / (1u64 << 24) as f32
                };
                let mut v: Vec<f32> = (0..16)
                    .map(|d| f32::from(vectors_right && d % 4 == answer) + noise(d))
                    .collect();
                crate::numeric::normalise(&mut v);
                (link, v)
            })
            .unzip()
    }

    fn judged_weights(words_right: usize, vectors_right: bool) -> (f32, f32) {
        let (links, vectors) = history(words_right, vectors_right);
        let answers: Vec<String> = {
            let mut a: Vec<String> = links.iter().map(|l| l.answer.clone()).collect();
            a.sort();
            a.dedup();
            a
        };
        let held: Vec<Held<'_>> = links
            .iter()
            .zip(&vectors)
            .map(|(l, v)| Held {
                link: l.clone(),
                vectors: vec![v, v],
            })
            .collect();
        let candidates = [Candidate::Model, Candidate::Neighbours];
        let few = judge(&held[..100], &candidates, &answers, &[], &Stop::never()).unwrap();
        assert!(few.is_empty(), "too little history to judge on");
        // Its share of what would judge: 100 questions of 200.
        assert_eq!(few.best(&[], &[0.5, 1.0, 2.0]), 0.5);
        let judged = judge(&held, &candidates, &answers, &[], &Stop::never()).unwrap();
        assert_eq!(
            judged.rows.len(),
            240,
            "a small history is held out part by part"
        );
        // The vote judged without the model (at weight 0), to be seen on its own.
        let model = judged.best(&[], &[0.0, 0.5, 1.0, 2.0]);
        (model, judged.best(&[0.0], &NEIGHBOUR_WEIGHTS))
    }

    #[test]
    fn meaning_that_names_the_answer_gets_weight_and_meaning_that_does_not_gets_none() {
        let (model, vote) = judged_weights(3, true);
        assert!(
            model > 0.0,
            "vectors that know the answer, words that mostly do not: {model}"
        );
        assert!(vote > 0.0, "the same for the vote: {vote}");
        let (model, vote) = judged_weights(10, false);
        assert_eq!(
            (model, vote),
            (0.0, 0.0),
            "noise beside words that know the answer"
        );
    }

    #[test]
    fn an_answer_one_model_rules_out_stays_unlikely() {
        let words = map(&[("a", 0.98), ("b", 0.01)]);
        let meaning = map(&[("a", 0.0), ("b", 0.6)]);
        let pooled = pool(&words, &meaning, 1.0);
        assert_eq!(pooled[0].0, "b");
    }
}
