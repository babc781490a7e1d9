//! How well groups agree with known labels: normalised mutual information (arithmetic mean
//! normalisation, as scikit-learn's default) and the adjusted Rand index.

use std::collections::HashMap;
use std::hash::Hash;

/// Counts of each pair of labels, and of each label on either side.
type Contingency<A, B> = (HashMap<(A, B), f64>, HashMap<A, f64>, HashMap<B, f64>);

fn contingency<A: Hash + Eq + Clone, B: Hash + Eq + Clone>(a: &[A], b: &[B]) -> Contingency<A, B> {
    let mut joint: HashMap<(A, B), f64> = HashMap::new();
    let mut left: HashMap<A, f64> = HashMap::new();
    let mut right: HashMap<B, f64> = HashMap::new();
    for (x, y) in a.iter().zip(b) {
        *joint.entry((x.clone(), y.clone())).or_insert(0.0) += 1.0;
        *left.entry(x.clone()).or_insert(0.0) += 1.0;
        *right.entry(y.clone()).or_insert(0.0) += 1.0;
    }
    (joint, left, right)
}

fn entropy<K>(counts: &HashMap<K, f64>, n: f64) -> f64 {
    counts
        .values()
        .filter(|&&c| c > 0.0)
        .map(|&c| -(c / n) * (c / n).ln())
        .sum()
}

/// Normalised mutual information of two labellings of the same items, in `[0, 1]`.
pub fn nmi<A: Hash + Eq + Clone, B: Hash + Eq + Clone>(a: &[A], b: &[B]) -> f64 {
    let n = a.len() as f64;
    if n == 0.0 {
        return 0.0;
    }
    let (joint, left, right) = contingency(a, b);
    let (ha, hb) = (entropy(&left, n), entropy(&right, n));
    if ha == 0.0 && hb == 0.0 {
        return 1.0;
    }
    let mi: f64 = joint
        .iter()
        .map(|((x, y), &c)| {
            let (cx, cy) = (left[x], right[y]);
            (c / n) * ((n * c) / (cx * cy)).ln()
        })
        .sum();
    let mean = (ha + hb) / 2.0;
    if mean <= 0.0 {
        0.0
    } else {
        (mi / mean).clamp(0.0, 1.0)
    }
}

/// Adjusted Rand index of two labellings: 1 for the same partition, about 0 for chance.
pub fn ari<A: Hash + Eq + Clone, B: Hash + Eq + Clone>(a: &[A], b: &[B]) -> f64 {
    let n = a.len() as f64;
    let pairs = |c: f64| c * (c - 1.0) / 2.0;
    let (joint, left, right) = contingency(a, b);
    let index: f64 = joint.values().map(|&c| pairs(c)).sum();
    let sum_a: f64 = left.values().map(|&c| pairs(c)).sum();
    let sum_b: f64 = right.values().map(|&c| pairs(c)).sum();
    let all = pairs(n);
    if all == 0.0 {
        return 1.0;
    }
    let expected = sum_a * sum_b / all;
    let max = (sum_a + sum_b) / 2.0;
    if max == expected {
        return 1.0;
    }
    (index - expected) / (max - expected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_partition_scores_one_whatever_the_names() {
        let a = [1, 1, 2, 2, 3];
        let b = ["x", "x", "y", "y", "z"];
        assert!((nmi(&a, &b) - 1.0).abs() < 1e-12);
        assert!((ari(&a, &b) - 1.0).abs() < 1e-12);
    }

    #[test]
    fn figures_match_a_worked_example() {
        // scikit-learn: normalized_mutual_info_score([0,0,1,1],[0,0,1,2]) = 0.8, and
        // adjusted_rand_score of the same = 0.5714285714285715.
        let a = [0, 0, 1, 1];
        let b = [0, 0, 1, 2];
        assert!((nmi(&a, &b) - 0.8).abs() < 1e-9, "{}", nmi(&a, &b));
        assert!(
            (ari(&a, &b) - 0.571_428_571_428_571_5).abs() < 1e-9,
            "{}",
            ari(&a, &b)
        );
    }

    #[test]
    fn one_group_for_everything_tells_nothing() {
        let labels = [1, 2, 3, 4];
        let one = [0, 0, 0, 0];
        assert!(nmi(&labels, &one).abs() < 1e-12);
        assert!(ari(&labels, &one).abs() < 1e-12);
    }
}
