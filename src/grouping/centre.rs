//! The meaning side of the grouping: sentence vectors kept small ([`Compact`]) and the centre
//! every question's meaning is compared from ([`Centre`]).

use super::GroupId;
use std::collections::HashMap;

/// A sentence vector kept small (a quarter of its `f32` size): each component as an `i8`
/// step of the vector's own scale. The error it adds to a cosine is far below what decides.
#[derive(Debug, Clone)]
pub(super) struct Compact {
    pub(super) scale: f32,
    pub(super) parts: Box<[i8]>,
}

impl Compact {
    pub(super) fn of(v: &[f32]) -> Compact {
        let max = v.iter().fold(0.0f32, |m, x| m.max(x.abs()));
        let scale = if max > 0.0 { max / 127.0 } else { 1.0 };
        Compact {
            scale,
            parts: v.iter().map(|x| (x / scale).round() as i8).collect(),
        }
    }

    pub(super) fn expand(&self) -> Vec<f32> {
        self.parts
            .iter()
            .map(|&p| self.scale * f32::from(p))
            .collect()
    }
}

pub(super) fn add_scaled(sum: &mut Vec<f32>, v: &[f32], sign: f32) {
    if sum.len() != v.len() {
        sum.clear();
        sum.resize(v.len(), 0.0);
    }
    for (s, x) in sum.iter_mut().zip(v) {
        *s += sign * x;
    }
}

/// What all questions share, taken away before their meanings are compared: the sentence
/// model's raw cosines sit in a narrow band (about 0.7 to 0.95), so two questions resemble by
/// meaning as far as they both differ from the mean of every question seen, `μ`. The
/// similarity of `v` to a group whose vectors average `m` is `(v − μ)·(m − μ) / (1 − |μ|²)`:
/// linear in `m`, so a group's sum is all it takes, and about a cosine in scale (the expected
/// `|v − μ|²` of a unit vector is `1 − |μ|²`).
#[derive(Debug, Clone)]
pub(super) struct Centre {
    pub(super) mean: Vec<f32>,
    /// `|μ|²`.
    pub(super) sq: f32,
    /// `1 − |μ|²`, kept off zero.
    pub(super) spread: f32,
    /// `μ · sum` for every group with vectors.
    pub(super) mean_dots: HashMap<GroupId, f32>,
}

impl Centre {
    /// The meaning similarity of `v` to the average of `count` vectors whose sum has `v_dot`
    /// with `v` and `mean_dot` with `μ`.
    pub(super) fn similarity(&self, v_mean: f32, v_dot: f32, mean_dot: f32, count: usize) -> f32 {
        let n = count as f32;
        (v_dot / n - v_mean - mean_dot / n + self.sq) / self.spread
    }
}
