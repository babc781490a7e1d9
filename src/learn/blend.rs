//! How the learned models' probabilities are pooled into one ranking, and how much each counts:
//! the word model always, with the model over static word vectors on a keystroke or with the
//! model over the sentence model's vectors once typing pauses. Their weighted geometric mean, each weight
//! chosen on a tenth of the history held out from trial models trained on the rest.

use super::dense::{DenseModel, Example};
use super::model::{Link, Model};
use crate::signal::Stop;
use std::collections::HashMap;

/// Weights a meaning model may get against the word model's probabilities.
pub const WEIGHTS: [f32; 5] = [0.5, 1.0, 1.5, 2.0, 3.0];

/// Fewest linked questions that can tell one weight from another; with fewer, 1.
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

/// One linked question of the history, with what the meaning models read of it.
pub struct Held<'a> {
    /// The question as the word model reads it.
    pub link: Link,
    /// Its vector for each meaning model already weighed (in the order of their weights).
    pub fixed: Vec<&'a [f32]>,
    /// Its vector for the model whose weight is chosen.
    pub candidate: &'a [f32],
}

/// The weight among `choices` that ranks the held-out tenth of `history` best (mean reciprocal
/// rank), for a meaning model pooled with the word model and the meaning models already
/// weighed (`fixed`, their weights): trial models of each are trained on the other nine
/// tenths. 1 with too little history to tell; `None` when `stop` is requested.
pub fn choose_weight(
    history: &[Held<'_>],
    fixed: &[f32],
    choices: &[f32],
    answers: &[String],
    stop: &Stop,
) -> Option<f32> {
    if history.len() < MIN_HISTORY {
        return Some(1.0);
    }
    let (held, kept): (Vec<_>, Vec<_>) = history.iter().enumerate().partition(|(i, _)| i % 10 == 9);
    let words = Model::train_unless(
        &kept.iter().map(|(_, h)| h.link.clone()).collect::<Vec<_>>(),
        answers,
        0x5eed,
        stop,
    )?;
    let trial = |vector: &dyn for<'h> Fn(&'h Held<'_>) -> &'h [f32]| -> Option<DenseModel> {
        let examples: Vec<Example<'_>> = kept
            .iter()
            .map(|(_, h)| (h.link.answer.as_str(), vector(h)))
            .collect();
        DenseModel::train_unless(&examples, answers, 0x5eed, stop)
    };
    let mut fixed_models = Vec::with_capacity(fixed.len());
    for i in 0..fixed.len() {
        fixed_models.push(trial(&|h| h.fixed[i])?);
    }
    let candidate = trial(&|h| h.candidate)?;
    let total = answers.len();
    let as_map = |ranked: Vec<(String, f32)>| ranked.into_iter().collect::<HashMap<_, _>>();
    type Ranked = (Vec<HashMap<String, f32>>, HashMap<String, f32>);
    let ranked: Vec<(Ranked, &str)> = held
        .iter()
        .map(|(_, h)| {
            let mut parts = vec![as_map(
                words
                    .rank(&h.link.text, total)
                    .into_iter()
                    .map(|s| (s.slug, s.probability))
                    .collect(),
            )];
            for (m, v) in fixed_models.iter().zip(&h.fixed) {
                parts.push(as_map(m.rank(v)));
            }
            (
                (parts, as_map(candidate.rank(h.candidate))),
                h.link.answer.as_str(),
            )
        })
        .collect();
    let mrr = |weight: f32| -> f64 {
        let mut sum = 0.0;
        for ((parts, candidate), answer) in &ranked {
            let mut weighed: Vec<(&HashMap<String, f32>, f32)> = vec![(&parts[0], 1.0)];
            weighed.extend(parts[1..].iter().zip(fixed).map(|(p, &w)| (p, w)));
            weighed.push((candidate, weight));
            let pooled = pool_all(&weighed);
            let rank = pooled
                .iter()
                .position(|(a, _)| a == answer)
                .unwrap_or(answers.len());
            sum += 1.0 / (rank + 1) as f64;
        }
        sum / ranked.len().max(1) as f64
    };
    let mut best = (f64::MIN, 1.0);
    for &weight in choices {
        let m = mrr(weight);
        if m > best.0 {
            best = (m, weight);
        }
    }
    Some(best.1)
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

    #[test]
    fn an_answer_one_model_rules_out_stays_unlikely() {
        let words = map(&[("a", 0.98), ("b", 0.01)]);
        let meaning = map(&[("a", 0.0), ("b", 0.6)]);
        let pooled = pool(&words, &meaning, 1.0);
        assert_eq!(pooled[0].0, "b");
    }
}
