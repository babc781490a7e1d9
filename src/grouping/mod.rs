//! Caller questions into typical questions: every caller question belongs to the typical
//! question of an answer (linked by the operator, or matched with confidence by the learned
//! ranking), to a group of earlier unanswered questions that mean the same, or starts a new
//! group. This module is the grouping itself, pure: it is handed questions and hands back
//! where they went; the store keeps the result and `jobs` runs it as questions are logged.
//!
//! The [`Grouper`] works online, one question at a time, as the desk logs them:
//!
//! 1. A question's vector is its features (`learn::features`) weighted by an IDF over the
//!    questions seen so far (this one included), frozen when it arrives; with the sentence
//!    model, its sentence vector comes along (kept as `i8` steps, a quarter of the size).
//! 2. It joins the group whose members it resembles most on average (the mean cosine
//!    similarity to the members, average linkage), when that is at least [`Params::join`];
//!    otherwise it starts a new group. Where both have sentence vectors, the resemblance is
//!    the words' and the meaning's, weighed by [`Params::meaning`]; the meaning's is the
//!    cosine less what every text seen shares (see `Centre`), linear in the members, so a
//!    group's sum of vectors is all it takes.
//! 3. A group still of one question [`Params::absorb_after`] arrivals after its last join is
//!    merged into the group whose centroid is closest, when their cosine is at least
//!    [`Params::absorb_min`]: a lone phrasing finds its kin once more of them have come.
//! 4. Every [`Params::refine_every`] arrivals (or every quarter of the questions grouped,
//!    if that is more), and on request, every question moves to the group it resembles
//!    most, itself left out, until nothing moves (at most [`Params::refine_passes`] passes).
//!
//! What an editor decided is pinned: pinned questions never move, and a group holding one is
//! never absorbed. The method, its alternatives and its figures on the shared sets are in
//! `BENCHMARKS.md`.

pub mod quality;

use crate::learn::features::{counts, FeatureId, Idf, Sparse};
use std::collections::{HashMap, VecDeque};

/// A group's id: the store's, or a negative one for a group not stored yet.
pub type GroupId = i64;
/// A caller question's id.
pub type QuestionId = i64;

/// Where a caller question belongs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Placement {
    /// An operator linked it to an answer: it belongs to that answer's typical question.
    Linked,
    /// Nobody linked it, and the learned ranking matched it to this answer with confidence.
    Matched(String),
    /// It is in this group of unanswered questions.
    Group(GroupId),
}

/// The state of a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupState {
    /// In the editors' queue.
    Open,
    /// Linked to an answer.
    Answered,
    /// Not a question for the knowledge base ("is Ivan in?"): its kin join it, unseen.
    Dismissed,
    /// Merged into another group.
    Merged,
}

impl GroupState {
    /// The word stored.
    pub fn as_str(self) -> &'static str {
        match self {
            GroupState::Open => "open",
            GroupState::Answered => "answered",
            GroupState::Dismissed => "dismissed",
            GroupState::Merged => "merged",
        }
    }

    /// Reads a stored word.
    pub fn parse(word: &str) -> Option<GroupState> {
        [
            GroupState::Open,
            GroupState::Answered,
            GroupState::Dismissed,
            GroupState::Merged,
        ]
        .into_iter()
        .find(|s| s.as_str() == word)
    }
}

/// A group as the editors' queue shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct TypicalQuestion {
    /// The group.
    pub id: GroupId,
    /// Its state.
    pub state: GroupState,
    /// The phrasing that stands for it.
    pub title: String,
    /// Questions in it.
    pub count: usize,
    /// Of which asked on primary calls.
    pub primary: usize,
    /// Of which asked on secondary calls.
    pub secondary: usize,
    /// Of which asked in the last seven days.
    pub recent: usize,
    /// When its first question was asked.
    pub first_asked: chrono::DateTime<chrono::Utc>,
    /// When its last question was asked.
    pub last_asked: chrono::DateTime<chrono::Utc>,
    /// Its questions, newest first: (id, the caller's words).
    pub questions: Vec<(i64, String)>,
    /// The answer it was linked to.
    pub answer: Option<String>,
}

/// A title proposed from a group's phrasing: its first letter capital, a question mark when it
/// asks one.
pub fn proposed_title(phrasing: &str) -> String {
    let text = phrasing.trim().trim_end_matches(['.', '!', ',']);
    let mut chars = text.chars();
    let mut title: String = match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    };
    if !title.ends_with('?') && !title.is_empty() {
        title.push('?');
    }
    title
}

/// How the grouping decides.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Params {
    /// Mean similarity to a group's members needed to join it.
    pub join: f32,
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
}

impl Default for Params {
    fn default() -> Params {
        Params {
            join: 0.15,
            absorb_after: 25,
            absorb_size: 1,
            absorb_min: 0.10,
            refine_every: 300,
            refine_passes: 10,
            meaning: 0.0,
        }
    }
}

impl Params {
    /// The settings when questions come with sentence vectors.
    pub fn with_meaning() -> Params {
        Params {
            join: 0.18,
            absorb_min: 0.30,
            meaning: 0.5,
            ..Params::default()
        }
    }
}

/// What happened to the groups, for the store to follow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// A group was started.
    Created(GroupId),
    /// A question went into a group (on arrival, or moved by a reassignment).
    Placed {
        /// The question.
        question: QuestionId,
        /// Its group now.
        group: GroupId,
    },
    /// A group was merged into another and is gone.
    Merged {
        /// The group that is gone.
        from: GroupId,
        /// Where its questions went.
        into: GroupId,
    },
    /// A group lost its last question and is gone.
    Emptied(GroupId),
}

#[derive(Debug, Clone, Default)]
struct Group {
    sum: HashMap<FeatureId, f32>,
    /// `|sum|²`.
    sq: f32,
    size: usize,
    last: u64,
    pinned: usize,
    /// The sum of its members' sentence vectors (empty while none has one).
    meaning: Vec<f32>,
    /// Members with a sentence vector.
    meant: usize,
}

#[derive(Debug, Clone)]
struct Member {
    group: GroupId,
    vector: Sparse<FeatureId>,
    pinned: bool,
    meaning: Option<Compact>,
}

/// A sentence vector kept small (a quarter of its `f32` size): each component as an `i8`
/// step of the vector's own scale. The error it adds to a cosine is far below what decides.
#[derive(Debug, Clone)]
struct Compact {
    scale: f32,
    parts: Box<[i8]>,
}

impl Compact {
    fn of(v: &[f32]) -> Compact {
        let max = v.iter().fold(0.0f32, |m, x| m.max(x.abs()));
        let scale = if max > 0.0 { max / 127.0 } else { 1.0 };
        Compact {
            scale,
            parts: v.iter().map(|x| (x / scale).round() as i8).collect(),
        }
    }

    fn expand(&self) -> Vec<f32> {
        self.parts
            .iter()
            .map(|&p| self.scale * f32::from(p))
            .collect()
    }
}

fn add_scaled(sum: &mut Vec<f32>, v: &[f32], sign: f32) {
    if sum.len() != v.len() {
        sum.clear();
        sum.resize(v.len(), 0.0);
    }
    for (s, x) in sum.iter_mut().zip(v) {
        *s += sign * x;
    }
}

fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// What all questions share, taken away before their meanings are compared: the sentence
/// model's raw cosines sit in a narrow band (about 0.7 to 0.95), so two questions resemble by
/// meaning as far as they both differ from the mean of every question seen, `μ`. The
/// similarity of `v` to a group whose vectors average `m` is `(v − μ)·(m − μ) / (1 − |μ|²)`:
/// linear in `m`, so a group's sum is all it takes, and about a cosine in scale (the expected
/// `|v − μ|²` of a unit vector is `1 − |μ|²`).
#[derive(Debug, Clone)]
struct Centre {
    mean: Vec<f32>,
    /// `|μ|²`.
    sq: f32,
    /// `1 − |μ|²`, kept off zero.
    spread: f32,
    /// `μ · sum` for every group with vectors.
    mean_dots: HashMap<GroupId, f32>,
}

impl Centre {
    /// The meaning similarity of `v` to the average of `count` vectors whose sum has `v_dot`
    /// with `v` and `mean_dot` with `μ`.
    fn similarity(&self, v_mean: f32, v_dot: f32, mean_dot: f32, count: usize) -> f32 {
        let n = count as f32;
        (v_dot / n - v_mean - mean_dot / n + self.sq) / self.spread
    }
}

/// Online grouping of caller questions.
#[derive(Debug, Clone, Default)]
pub struct Grouper {
    params: Params,
    idf: Idf,
    groups: HashMap<GroupId, Group>,
    /// Feature → the groups whose sum holds it, with its weight there.
    postings: HashMap<FeatureId, HashMap<GroupId, f32>>,
    members: HashMap<QuestionId, Member>,
    arrivals: u64,
    since_refine: u64,
    next_temporary: GroupId,
    lone: VecDeque<(u64, GroupId)>,
    changes: Vec<Change>,
    /// The sum of every sentence vector seen, and how many.
    seen_meaning: Vec<f32>,
    seen_meant: usize,
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

    /// Questions grouped.
    pub fn len(&self) -> usize {
        self.members.len()
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
        let g = self.groups.get(&group)?;
        self.members
            .iter()
            .filter(|(_, m)| m.group == group)
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
    fn arrive_vector(&mut self, text: &str) -> Sparse<FeatureId> {
        let c = counts(text);
        self.idf.add(&c);
        self.idf.vector(&c)
    }

    /// The dot products of `v` with every group's sum that shares a feature.
    fn dots(&self, v: &Sparse<FeatureId>) -> HashMap<GroupId, f32> {
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
    fn arrive_meaning(&mut self, meaning: Option<&[f32]>) -> Option<Compact> {
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
    fn centre(&self) -> Option<Centre> {
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
    fn resemblance(
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
            .max_by(|a, b| a.1.total_cmp(&b.1).then_with(|| b.0.cmp(&a.0)));
        let group = match best {
            Some((g, score)) if score >= self.params.join => g,
            _ => self.create(),
        };
        let dot = self.sparse_dot(group, &v);
        self.join(question, group, v, dot, false, compact);
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

    fn create(&mut self) -> GroupId {
        let id = self.next_temporary;
        self.next_temporary -= 1;
        self.groups.insert(id, Group::default());
        self.changes.push(Change::Created(id));
        id
    }

    /// The dot product of `v` with a group's sum of word vectors.
    fn sparse_dot(&self, group: GroupId, v: &Sparse<FeatureId>) -> f32 {
        self.groups.get(&group).map_or(0.0, |g| {
            v.iter()
                .map(|(f, x)| x * g.sum.get(f).copied().unwrap_or(0.0))
                .sum()
        })
    }

    /// Adds `v` (whose dot with the group's sum is `dot`) to a group.
    fn join(
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
        self.changes.push(Change::Placed { question, group });
    }

    /// Takes a question out of its group (it was linked to an answer, or deleted).
    pub fn remove(&mut self, question: QuestionId) {
        let Some(m) = self.members.remove(&question) else {
            return;
        };
        self.subtract(m.group, &m.vector, m.pinned, m.meaning.as_ref());
    }

    fn subtract(
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

    fn drop_group(&mut self, group: GroupId) {
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
    fn cosine_best(&self, group: GroupId) -> Option<(GroupId, f32)> {
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

    fn absorb_lone(&mut self) {
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
                if cosine >= self.params.absorb_min {
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
    /// out of its own group), pass after pass until nothing moves; returns the moves made.
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
            for q in questions {
                let m = &self.members[&q];
                let own = m.group;
                let meaning = m.meaning.as_ref().map(Compact::expand);
                let best = self
                    .resemblance(&m.vector, meaning.as_deref(), centre.as_ref(), Some(own))
                    .into_iter()
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

#[cfg(test)]
mod tests {
    use super::*;

    fn grouped(texts: &[&str]) -> Vec<GroupId> {
        let mut g = Grouper::new(Params::default());
        for (i, t) in texts.iter().enumerate() {
            g.place(i as QuestionId, t, None);
        }
        g.refine();
        (0..texts.len() as QuestionId)
            .map(|q| g.group_of(q).unwrap())
            .collect()
    }

    #[test]
    fn a_title_is_proposed_from_a_phrasing() {
        assert_eq!(
            proposed_title("можно ли оплатить картой"),
            "Можно ли оплатить картой?"
        );
        assert_eq!(
            proposed_title("Когда приедет инженер?"),
            "Когда приедет инженер?"
        );
    }

    #[test]
    fn questions_that_mean_the_same_share_a_group_and_others_do_not() {
        let groups = grouped(&[
            "сколько стоит заправка картриджа",
            "почём заправить картридж",
            "заправка картриджа цена",
            "инженер может приехать завтра",
            "когда приедет инженер",
            "инженер приедет в офис",
        ]);
        assert_eq!(groups[0], groups[1]);
        assert_eq!(groups[0], groups[2]);
        assert_eq!(groups[3], groups[4]);
        assert_eq!(groups[3], groups[5]);
        assert_ne!(groups[0], groups[3]);
    }

    #[test]
    fn new_groups_are_reported_and_renamed_when_stored() {
        let mut g = Grouper::new(Params::default());
        let temporary = g.place(1, "счёт на оплату", None);
        assert!(temporary < 0);
        let changes = g.drain_changes();
        assert_eq!(
            changes,
            [
                Change::Created(temporary),
                Change::Placed {
                    question: 1,
                    group: temporary
                }
            ]
        );
        g.rename(temporary, 40);
        assert_eq!(g.place(2, "пришлите счёт на оплату", None), 40);
    }

    #[test]
    fn a_removed_question_leaves_its_group_and_an_empty_group_goes() {
        let mut g = Grouper::new(Params::default());
        let a = g.place(1, "ремонт ноутбука", None);
        g.remove(1);
        assert_eq!(g.group_count(), 0);
        assert!(g.drain_changes().contains(&Change::Emptied(a)));
    }

    #[test]
    fn pinned_questions_stay_where_an_editor_put_them() {
        let mut g = Grouper::new(Params::default());
        g.restore(1, 7, "где мой счёт", true, None);
        g.restore(2, 8, "где мой счёт за октябрь", false, None);
        g.refine();
        assert_eq!(g.group_of(1), Some(7));
        assert_eq!(g.group_of(2), Some(7), "the unpinned one joins its kin");
    }

    #[test]
    fn a_lone_question_is_absorbed_once_its_kin_have_come() {
        let params = Params {
            absorb_after: 3,
            join: 0.9,
            ..Params::default()
        };
        let mut g = Grouper::new(params);
        g.place(1, "перезвоните пожалуйста менеджеру", None);
        g.place(2, "менеджер перезвонит мне", None);
        for i in 3..7 {
            g.place(i, &format!("совсем другое слово{i}"), None);
        }
        assert_eq!(g.group_of(1), g.group_of(2));
    }

    fn axis(i: usize) -> Vec<f32> {
        let mut v = vec![0.0; 8];
        v[i] = 1.0;
        v
    }

    #[test]
    fn meaning_joins_questions_without_a_shared_word_and_leaves_with_them() {
        let mut g = Grouper::new(Params::with_meaning());
        g.place(1, "alpha", Some(&axis(0)));
        g.place(2, "beta", Some(&axis(1)));
        g.place(3, "gamma", Some(&axis(0)));
        assert_eq!(g.group_of(1), g.group_of(3), "the same meaning");
        assert_ne!(g.group_of(1), g.group_of(2));
        let group = g.group_of(1).unwrap();
        g.remove(3);
        assert_eq!(g.groups[&group].meant, 1);
        let left = Compact::of(&axis(0)).expand();
        assert!(g.groups[&group]
            .meaning
            .iter()
            .zip(&left)
            .all(|(a, b)| (a - b).abs() < 1e-6));
        // Without meaning in the settings, vectors are not kept and words alone decide.
        let mut words = Grouper::new(Params::default());
        words.place(1, "alpha", Some(&axis(0)));
        words.place(3, "gamma", Some(&axis(0)));
        assert_ne!(words.group_of(1), words.group_of(3));
        assert!(words.members[&1].meaning.is_none());
    }

    #[test]
    fn a_compact_vector_keeps_its_cosines() {
        let v: Vec<f32> = (0..384).map(|i| ((i * 7919) % 101) as f32 - 50.0).collect();
        let norm = dot(&v, &v).sqrt();
        let v: Vec<f32> = v.iter().map(|x| x / norm).collect();
        let back = Compact::of(&v).expand();
        assert!(dot(&v, &back) > 0.9999);
    }
}
