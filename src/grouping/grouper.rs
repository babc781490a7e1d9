//! The [`Grouper`]: questions placed online, one at a time, into the group they resemble (by
//! words, and by meaning where both have sentence vectors), new groups started, deleted
//! questions taken out, editors' decisions restored. How groups are tidied afterwards (lone
//! questions absorbed, reassignment, merges) is in `tidy`; the meaning's centre in `centre`.

use super::centre::{add_scaled, Centre, Compact};
use super::{Change, GroupId, QuestionId};
use crate::numeric::dot;
use crate::signal::Stop;
use crate::text::features::{counts, FeatureId, Idf, Sparse};
use std::collections::{HashMap, HashSet, VecDeque};

/// How the grouping decides.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Params {
    /// Mean similarity to a group's members needed to join it.
    pub join: f32,
    /// The same, to join a dismissed group: a question that joins one leaves the editors'
    /// sight, so only a close kin may (one left out shows in the queue, where the editor
    /// dismisses it again at a glance).
    pub quiet_join: f32,
    /// Arrivals after which a group of [`Params::absorb_size`] or fewer questions is absorbed.
    pub absorb_after: u64,
    /// Largest group that is absorbed.
    pub absorb_size: usize,
    /// Centroid cosine needed to absorb a small group into another.
    pub absorb_min: f32,
    /// Arrivals between two reassignment runs, at least (a quarter of the questions grouped,
    /// when that is more).
    pub refine_every: u64,
    /// Passes of one reassignment run at most.
    pub refine_passes: usize,
    /// The share of what a question means (its sentence vector) in how much two questions
    /// resemble, against their words; used where both have a vector.
    pub meaning: f32,
    /// Questions kept in memory at most, the newest: an older one is retired, its words and
    /// meaning left in its group's sums (what newcomers are compared with) but no longer
    /// moved by a reassignment, so that the grouping's memory stays bounded whatever the
    /// history's size.
    pub members: usize,
}

impl Default for Params {
    fn default() -> Params {
        Params {
            join: 0.15,
            quiet_join: 0.30,
            absorb_after: 25,
            absorb_size: 1,
            absorb_min: 0.10,
            refine_every: 300,
            refine_passes: 10,
            meaning: 0.0,
            members: 40_000,
        }
    }
}

impl Params {
    /// The settings when questions come with sentence vectors.
    pub fn with_meaning() -> Params {
        Params {
            join: 0.18,
            quiet_join: 0.36,
            absorb_min: 0.30,
            meaning: 0.5,
            ..Params::default()
        }
    }
}

#[derive(Debug, Clone, Default)]
pub(super) struct Group {
    pub(super) sum: HashMap<FeatureId, f32>,
    /// `|sum|²`.
    pub(super) sq: f32,
    pub(super) size: usize,
    pub(super) last: u64,
    pub(super) pinned: usize,
    /// The sum of its members' sentence vectors (empty while none has one).
    pub(super) meaning: Vec<f32>,
    /// Members with a sentence vector.
    pub(super) meant: usize,
}

#[derive(Debug, Clone)]
pub(super) struct Member {
    pub(super) group: GroupId,
    pub(super) vector: Sparse<FeatureId>,
    pub(super) pinned: bool,
    pub(super) meaning: Option<Compact>,
}

/// Online grouping of caller questions.
#[derive(Debug, Clone, Default)]
pub struct Grouper {
    pub(super) params: Params,
    pub(super) idf: Idf,
    pub(super) groups: HashMap<GroupId, Group>,
    /// Feature → the groups whose sum holds it, with its weight there.
    pub(super) postings: HashMap<FeatureId, HashMap<GroupId, f32>>,
    pub(super) members: HashMap<QuestionId, Member>,
    pub(super) arrivals: u64,
    pub(super) since_refine: u64,
    pub(super) next_temporary: GroupId,
    pub(super) lone: VecDeque<(u64, GroupId)>,
    pub(super) changes: Vec<Change>,
    /// The sum of every sentence vector seen, and how many.
    pub(super) seen_meaning: Vec<f32>,
    pub(super) seen_meant: usize,
    /// Questions in the order they joined, oldest first (some may have left since): the
    /// next to retire past [`Params::members`].
    pub(super) joined: VecDeque<QuestionId>,
    /// Asked for when the server stops: a reassignment gives up at its next step.
    pub(super) stop: Stop,
    /// The groups editors dismissed: joined only past [`Params::quiet_join`], never by a
    /// merge of lone questions.
    pub(super) quiet: HashSet<GroupId>,
}

impl Grouper {
    /// An empty grouping.
    pub fn new(params: Params) -> Grouper {
        Grouper {
            params,
            next_temporary: -1,
            ..Grouper::default()
        }
    }

    /// Questions grouped and kept in memory.
    pub fn len(&self) -> usize {
        self.members.len()
    }

    /// Gives up a reassignment at its next step once `stop` is requested (its moves so far
    /// undone): the server is stopping.
    pub fn heed(&mut self, stop: Stop) {
        self.stop = stop;
    }

    /// Whether a question is kept in memory (grouped, and not retired).
    pub fn holds(&self, question: QuestionId) -> bool {
        self.members.contains_key(&question)
    }

    /// Retires the oldest questions past [`Params::members`] (pinned ones stay): they stay in
    /// their groups' sums and counts, and leave memory.
    fn retire_oldest(&mut self) {
        let mut pinned_seen = 0;
        while self.members.len() > self.params.members && pinned_seen <= self.joined.len() {
            let Some(q) = self.joined.pop_front() else {
                break;
            };
            match self.members.get(&q) {
                Some(m) if m.pinned => {
                    self.joined.push_back(q);
                    pinned_seen += 1;
                }
                Some(_) => {
                    self.members.remove(&q);
                }
                None => {}
            }
        }
        // Questions moved by a reassignment join again: keep the list about the members' size.
        if self.joined.len() > 2 * self.members.len() + 1024 {
            let mut seen = std::collections::HashSet::new();
            let members = &self.members;
            self.joined
                .retain(|q| members.contains_key(q) && seen.insert(*q));
        }
    }

    /// Whether no question is grouped.
    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }

    /// Groups that hold questions.
    pub fn group_count(&self) -> usize {
        self.groups.len()
    }

    /// Where each question is.
    pub fn assignment(&self) -> HashMap<QuestionId, GroupId> {
        self.members.iter().map(|(&q, m)| (q, m.group)).collect()
    }

    /// The group of a question.
    pub fn group_of(&self, question: QuestionId) -> Option<GroupId> {
        self.members.get(&question).map(|m| m.group)
    }

    /// The question closest to a group's centre: the phrasing that stands for it.
    pub fn central(&self, group: GroupId) -> Option<QuestionId> {
        self.central_where(group, |_| true)
    }

    /// The question closest to a group's centre among those `fits` takes.
    pub fn central_where(
        &self,
        group: GroupId,
        fits: impl Fn(QuestionId) -> bool,
    ) -> Option<QuestionId> {
        let g = self.groups.get(&group)?;
        self.members
            .iter()
            .filter(|(&q, m)| m.group == group && fits(q))
            .map(|(&q, m)| {
                let d: f32 = m
                    .vector
                    .iter()
                    .map(|(f, x)| x * g.sum.get(f).copied().unwrap_or(0.0))
                    .sum();
                (q, d)
            })
            .max_by(|a, b| a.1.total_cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
            .map(|(q, _)| q)
    }

    /// What happened since the last call.
    pub fn drain_changes(&mut self) -> Vec<Change> {
        std::mem::take(&mut self.changes)
    }

    /// A text's vector, counted into the IDF as one more question seen.
    pub(super) fn arrive_vector(&mut self, text: &str) -> Sparse<FeatureId> {
        let c = counts(text);
        self.idf.add(&c);
        self.idf.vector(&c)
    }

    /// The dot products of `v` with every group's sum that shares a feature.
    pub(super) fn dots(&self, v: &Sparse<FeatureId>) -> HashMap<GroupId, f32> {
        let mut out: HashMap<GroupId, f32> = HashMap::new();
        for (f, x) in v {
            if let Some(groups) = self.postings.get(f) {
                for (&g, &w) in groups {
                    *out.entry(g).or_insert(0.0) += x * w;
                }
            }
        }
        out
    }

    /// A sentence vector, counted into the mean of all seen; kept only when meaning counts.
    pub(super) fn arrive_meaning(&mut self, meaning: Option<&[f32]>) -> Option<Compact> {
        let v = meaning.filter(|_| self.params.meaning > 0.0)?;
        let compact = Compact::of(v);
        add_scaled(&mut self.seen_meaning, &compact.expand(), 1.0);
        self.seen_meant += 1;
        Some(compact)
    }

    /// Counts `count` texts whose vectors average `mean` into what all questions share,
    /// without grouping them: the answers' titles and phrasings, so that what tells questions
    /// apart is known from the first question on, before the desk has logged many.
    pub fn observe_meaning(&mut self, mean: &[f32], count: usize) {
        if self.params.meaning <= 0.0 || count == 0 {
            return;
        }
        let total: Vec<f32> = mean.iter().map(|x| x * count as f32).collect();
        add_scaled(&mut self.seen_meaning, &total, 1.0);
        self.seen_meant += count;
    }

    /// The mean of every sentence vector seen, and its dot with every group's sum; none
    /// while meaning does not count or fewer than two vectors were seen.
    pub(super) fn centre(&self) -> Option<Centre> {
        if self.params.meaning <= 0.0 || self.seen_meant < 2 {
            return None;
        }
        let n = self.seen_meant as f32;
        let mean: Vec<f32> = self.seen_meaning.iter().map(|x| x / n).collect();
        let sq = dot(&mean, &mean);
        let mean_dots = self
            .groups
            .iter()
            .filter(|(_, g)| g.meant > 0)
            .map(|(&id, g)| (id, dot(&mean, &g.meaning)))
            .collect();
        Some(Centre {
            mean,
            sq,
            spread: (1.0 - sq).max(1e-3),
            mean_dots,
        })
    }

    /// How much a question resembles each group that shares a feature with it or, when it
    /// has a sentence vector, holds vectors: its mean similarity to the members (average
    /// linkage), words and meaning weighed by [`Params::meaning`]. A question in `own` is
    /// left out of it.
    pub(super) fn resemblance(
        &self,
        v: &Sparse<FeatureId>,
        meaning: Option<&[f32]>,
        centre: Option<&Centre>,
        own: Option<GroupId>,
    ) -> Vec<(GroupId, f32)> {
        let self_sq: f32 = v.iter().map(|(_, x)| x * x).sum();
        let words = self.dots(v);
        let by_meaning = match (meaning, centre) {
            (Some(m), Some(c)) => Some((m, c, dot(m, &c.mean), dot(m, m))),
            _ => None,
        };
        let mut candidates: Vec<GroupId> = words.keys().copied().collect();
        if by_meaning.is_some() {
            candidates.extend(
                self.groups
                    .iter()
                    .filter(|(g, group)| group.meant > 0 && !words.contains_key(g))
                    .map(|(&g, _)| g),
            );
        }
        let w = self.params.meaning;
        candidates
            .into_iter()
            .filter_map(|g| {
                let group = self.groups.get(&g)?;
                let mine = usize::from(own == Some(g));
                let size = group.size.checked_sub(mine).filter(|&n| n > 0)?;
                let d = words.get(&g).copied().unwrap_or(0.0) - mine as f32 * self_sq;
                let by_words = d / size as f32;
                let score = match by_meaning {
                    Some((m, c, m_mean, m_sq)) if group.meant > mine => {
                        let v_dot = dot(m, &group.meaning) - mine as f32 * m_sq;
                        let mean_dot =
                            c.mean_dots.get(&g).copied().unwrap_or(0.0) - mine as f32 * m_mean;
                        let meant = c.similarity(m_mean, v_dot, mean_dot, group.meant - mine);
                        (1.0 - w) * by_words + w * meant
                    }
                    _ => by_words,
                };
                Some((g, score))
            })
            .collect()
    }

    /// The groups editors dismissed, as the store has them now.
    pub fn set_quiet(&mut self, groups: impl IntoIterator<Item = GroupId>) {
        self.quiet = groups.into_iter().collect();
    }

    /// The likeness a question needs to join group `g`.
    pub(super) fn bar(&self, g: GroupId) -> f32 {
        if self.quiet.contains(&g) {
            self.params.quiet_join
        } else {
            self.params.join
        }
    }

    /// Places a newly logged question: into the group it resembles most, or a new one; then
    /// absorbs lone groups that waited long enough and, every so often, reassigns. Returns
    /// its group (negative for a group not stored yet). `meaning` is its sentence vector,
    /// when the model is there.
    pub fn place(&mut self, question: QuestionId, text: &str, meaning: Option<&[f32]>) -> GroupId {
        self.remove(question);
        self.arrivals += 1;
        let v = self.arrive_vector(text);
        let compact = self.arrive_meaning(meaning);
        let expanded = compact.as_ref().map(Compact::expand);
        let centre = self.centre();
        let best = self
            .resemblance(&v, expanded.as_deref(), centre.as_ref(), None)
            .into_iter()
            .filter(|&(g, score)| score >= self.bar(g))
            .max_by(|a, b| a.1.total_cmp(&b.1).then_with(|| b.0.cmp(&a.0)));
        let group = match best {
            Some((g, _)) => g,
            None => self.create(),
        };
        let dot = self.sparse_dot(group, &v);
        self.join(question, group, v, dot, false, compact);
        self.retire_oldest();
        self.absorb_lone();
        self.since_refine += 1;
        // A reassignment costs in proportion to the questions grouped: run every quarter of
        // them at most, so that a long backlog costs linear time, not quadratic.
        let due = self.params.refine_every.max(self.members.len() as u64 / 4);
        if self.since_refine >= due {
            self.refine();
        }
        group
    }

    pub(super) fn create(&mut self) -> GroupId {
        let id = self.next_temporary;
        self.next_temporary -= 1;
        self.groups.insert(id, Group::default());
        self.changes.push(Change::Created(id));
        id
    }

    /// The dot product of `v` with a group's sum of word vectors.
    pub(super) fn sparse_dot(&self, group: GroupId, v: &Sparse<FeatureId>) -> f32 {
        self.groups.get(&group).map_or(0.0, |g| {
            v.iter()
                .map(|(f, x)| x * g.sum.get(f).copied().unwrap_or(0.0))
                .sum()
        })
    }

    /// Adds `v` (whose dot with the group's sum is `dot`) to a group.
    pub(super) fn join(
        &mut self,
        question: QuestionId,
        group: GroupId,
        v: Sparse<FeatureId>,
        dot: f32,
        pinned: bool,
        meaning: Option<Compact>,
    ) {
        let arrivals = self.arrivals;
        let g = self.groups.entry(group).or_default();
        let self_sq: f32 = v.iter().map(|(_, x)| x * x).sum();
        g.sq += 2.0 * dot + self_sq;
        g.size += 1;
        g.last = arrivals;
        if pinned {
            g.pinned += 1;
        }
        if let Some(m) = &meaning {
            add_scaled(&mut g.meaning, &m.expand(), 1.0);
            g.meant += 1;
        }
        for &(f, x) in &v {
            let w = g.sum.entry(f).or_insert(0.0);
            *w += x;
            self.postings.entry(f).or_default().insert(group, *w);
        }
        if g.size <= self.params.absorb_size {
            self.lone.push_back((arrivals, group));
        }
        self.members.insert(
            question,
            Member {
                group,
                vector: v,
                pinned,
                meaning,
            },
        );
        self.joined.push_back(question);
        self.changes.push(Change::Placed { question, group });
    }

    /// Takes a question out of its group (it was linked to an answer, or deleted).
    pub fn remove(&mut self, question: QuestionId) {
        let Some(m) = self.members.remove(&question) else {
            return;
        };
        self.subtract(m.group, &m.vector, m.pinned, m.meaning.as_ref());
    }

    pub(super) fn subtract(
        &mut self,
        group: GroupId,
        v: &Sparse<FeatureId>,
        pinned: bool,
        meaning: Option<&Compact>,
    ) {
        let Some(g) = self.groups.get_mut(&group) else {
            return;
        };
        if let Some(m) = meaning {
            add_scaled(&mut g.meaning, &m.expand(), -1.0);
            g.meant = g.meant.saturating_sub(1);
            if g.meant == 0 {
                g.meaning.clear();
            }
        }
        let dot: f32 = v
            .iter()
            .map(|(f, x)| x * g.sum.get(f).copied().unwrap_or(0.0))
            .sum();
        let self_sq: f32 = v.iter().map(|(_, x)| x * x).sum();
        g.sq = (g.sq - 2.0 * dot + self_sq).max(0.0);
        g.size = g.size.saturating_sub(1);
        if pinned {
            g.pinned = g.pinned.saturating_sub(1);
        }
        for (f, x) in v {
            if let Some(w) = g.sum.get_mut(f) {
                *w -= x;
                let w = *w;
                if let Some(p) = self.postings.get_mut(f) {
                    if w.abs() < 1e-6 {
                        p.remove(&group);
                    } else {
                        p.insert(group, w);
                    }
                }
            }
        }
        if g.size == 0 {
            self.drop_group(group);
            self.changes.push(Change::Emptied(group));
        }
    }

    pub(super) fn drop_group(&mut self, group: GroupId) {
        if let Some(g) = self.groups.remove(&group) {
            for f in g.sum.keys() {
                if let Some(p) = self.postings.get_mut(f) {
                    p.remove(&group);
                    if p.is_empty() {
                        self.postings.remove(f);
                    }
                }
            }
        }
    }

    /// Puts a question in a known group as it was stored (at start-up) or as an editor placed
    /// it (`pinned`): it is counted into the IDF and the mean meaning but decides nothing.
    pub fn restore(
        &mut self,
        question: QuestionId,
        group: GroupId,
        text: &str,
        pinned: bool,
        meaning: Option<&[f32]>,
    ) {
        self.remove(question);
        self.arrivals += 1;
        let v = self.arrive_vector(text);
        let compact = self.arrive_meaning(meaning);
        let dot = self.sparse_dot(group, &v);
        self.join(question, group, v, dot, pinned, compact);
        self.retire_oldest();
        // Restoring records nothing new for the store.
        self.changes.pop();
        self.next_temporary = self.next_temporary.min(group.min(0) - 1);
    }

    /// Gives a group not stored yet its stored id.
    pub fn rename(&mut self, temporary: GroupId, stored: GroupId) {
        let Some(g) = self.groups.remove(&temporary) else {
            return;
        };
        for f in g.sum.keys() {
            if let Some(p) = self.postings.get_mut(f) {
                if let Some(w) = p.remove(&temporary) {
                    p.insert(stored, w);
                }
            }
        }
        self.groups.insert(stored, g);
        for m in self.members.values_mut() {
            if m.group == temporary {
                m.group = stored;
            }
        }
        for entry in self.lone.iter_mut() {
            if entry.1 == temporary {
                entry.1 = stored;
            }
        }
    }
}
