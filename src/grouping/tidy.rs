//! How the groups are tidied as questions arrive: a lone question absorbed into its closest
//! group, every question reassigned to the group it resembles most, and editors' merges.

use super::centre::{add_scaled, Compact};
use super::grouper::{Group, Grouper};
use super::{Change, GroupId, QuestionId};
use crate::numeric::dot;
use crate::text::features::{FeatureId, Sparse};

impl Grouper {
    /// Merges group `from` into `into`: its questions go there.
    pub fn merge(&mut self, from: GroupId, into: GroupId) {
        if from == into || !self.groups.contains_key(&into) {
            return;
        }
        let Some(source) = self.groups.remove(&from) else {
            return;
        };
        let target = self.groups.get_mut(&into).expect("checked above");
        let dot: f32 = source
            .sum
            .iter()
            .map(|(f, x)| x * target.sum.get(f).copied().unwrap_or(0.0))
            .sum();
        target.sq += source.sq + 2.0 * dot;
        target.size += source.size;
        target.pinned += source.pinned;
        target.last = target.last.max(source.last);
        if source.meant > 0 {
            add_scaled(&mut target.meaning, &source.meaning, 1.0);
            target.meant += source.meant;
        }
        for (f, x) in &source.sum {
            let w = target.sum.entry(*f).or_insert(0.0);
            *w += x;
            let w = *w;
            let p = self.postings.entry(*f).or_default();
            p.remove(&from);
            p.insert(into, w);
        }
        for m in self.members.values_mut() {
            if m.group == from {
                m.group = into;
            }
        }
        self.changes.push(Change::Merged { from, into });
    }

    /// The group whose centre is closest to this one's: by the cosine of the sums of word
    /// vectors and, where both hold sentence vectors, of their mean meanings (less `μ`),
    /// weighed by [`Params::meaning`].
    pub(super) fn cosine_best(&self, group: GroupId) -> Option<(GroupId, f32)> {
        let g = self.groups.get(&group)?;
        let v: Sparse<FeatureId> = g.sum.iter().map(|(&f, &x)| (f, x)).collect();
        let norm = g.sq.sqrt();
        if norm <= 0.0 {
            return None;
        }
        let words = self.dots(&v);
        let centre = self.centre().filter(|_| g.meant > 0);
        let centred = |h: &Group| -> Vec<f32> {
            let c = centre.as_ref().expect("only with a centre");
            let n = h.meant as f32;
            let mut out: Vec<f32> = h
                .meaning
                .iter()
                .zip(&c.mean)
                .map(|(s, m)| s / n - m)
                .collect();
            crate::encoder::normalise(&mut out);
            out
        };
        let mine = centre.as_ref().map(|_| centred(g));
        let w = self.params.meaning;
        self.groups
            .iter()
            .filter(|(h, _)| **h != group)
            .filter_map(|(&h, other)| {
                let by_words = words
                    .get(&h)
                    .copied()
                    .map(|d| d / (norm * other.sq.sqrt().max(1e-6)));
                let score = match (&mine, other.meant > 0) {
                    (Some(mine), true) => {
                        (1.0 - w) * by_words.unwrap_or(0.0) + w * dot(mine, &centred(other))
                    }
                    _ => by_words?,
                };
                Some((h, score))
            })
            .max_by(|a, b| a.1.total_cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
    }

    pub(super) fn absorb_lone(&mut self) {
        let now = self.arrivals;
        while let Some(&(at, group)) = self.lone.front() {
            if now.saturating_sub(at) < self.params.absorb_after {
                break;
            }
            self.lone.pop_front();
            let Some(g) = self.groups.get(&group) else {
                continue;
            };
            if g.last != at || g.size > self.params.absorb_size || g.pinned > 0 {
                continue;
            }
            if let Some((h, cosine)) = self.cosine_best(group) {
                if cosine >= self.params.absorb_min && !self.quiet.contains(&h) {
                    let (small, large) = if self.groups[&h].size >= self.groups[&group].size {
                        (group, h)
                    } else {
                        (h, group)
                    };
                    self.merge(small, large);
                }
            }
        }
    }

    /// Moves every question that is not pinned to the group it resembles most (itself left
    /// out of its own group), pass after pass until nothing moves; returns the moves made. A
    /// stop (see [`Grouper::heed`]) gives up the pass under way.
    pub fn refine(&mut self) -> usize {
        self.since_refine = 0;
        let mut total = 0;
        for _ in 0..self.params.refine_passes {
            let mut moves: Vec<(QuestionId, GroupId)> = Vec::new();
            let mut questions: Vec<QuestionId> = self
                .members
                .iter()
                .filter(|(_, m)| !m.pinned)
                .map(|(&q, _)| q)
                .collect();
            questions.sort_unstable();
            let centre = self.centre();
            for (n, q) in questions.into_iter().enumerate() {
                if n % 256 == 0 && self.stop.requested() {
                    return total;
                }
                let m = &self.members[&q];
                let own = m.group;
                let meaning = m.meaning.as_ref().map(Compact::expand);
                // Into a dismissed group only past its own bar.
                let best = self
                    .resemblance(&m.vector, meaning.as_deref(), centre.as_ref(), Some(own))
                    .into_iter()
                    .filter(|&(h, score)| {
                        h == own || !self.quiet.contains(&h) || score >= self.bar(h)
                    })
                    .max_by(|a, b| a.1.total_cmp(&b.1).then_with(|| b.0.cmp(&a.0)));
                if let Some((h, _)) = best {
                    if h != own {
                        moves.push((q, h));
                    }
                }
            }
            if moves.is_empty() {
                break;
            }
            total += moves.len();
            for (q, to) in moves {
                let Some(m) = self.members.remove(&q) else {
                    continue;
                };
                if !self.groups.contains_key(&to) {
                    self.members.insert(q, m);
                    continue;
                }
                self.subtract(m.group, &m.vector, false, m.meaning.as_ref());
                let dot = self.sparse_dot(to, &m.vector);
                let last = self.groups[&to].last;
                self.join(q, to, m.vector, dot, false, m.meaning);
                // A move is no join: the group's last arrival stays.
                if let Some(g) = self.groups.get_mut(&to) {
                    g.last = last;
                }
            }
        }
        total
    }
}
