//! Caller questions into typical questions: every caller question belongs to the typical
//! question of an answer (linked by the operator, or matched with confidence by the learned
//! ranking), to a group of earlier unanswered questions that mean the same, or starts a new
//! group. This module is the grouping itself, pure: it is handed questions and hands back
//! where they went; the store keeps the result and `jobs` runs it as questions are logged.
//!
//! The [`Grouper`] works online, one question at a time, as the desk logs them:
//!
//! 1. A question's vector is its features (`text::features`) weighted by an IDF over the
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

mod centre;
mod grouper;
pub mod quality;
#[cfg(test)]
mod tests;
mod tidy;

pub use grouper::{Grouper, Params};

/// A group's id: the store's, or a negative one for a group not stored yet.
pub type GroupId = i64;
/// A caller question's id.
pub type QuestionId = i64;

/// Questions deleted since the placement job last looked: they leave their groups.
#[derive(Default)]
pub struct Removals(std::sync::Mutex<Vec<QuestionId>>);

impl Removals {
    /// Tells the job a question is gone.
    pub fn push(&self, question: QuestionId) {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(question);
    }

    /// The questions gone since the last call.
    pub fn take(&self) -> Vec<QuestionId> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(|p| p.into_inner()))
    }
}

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
    /// Its questions, newest first: (id, the caller's words); in the queue, the newest
    /// [`crate::store::QUEUE_PHRASINGS`] only.
    pub questions: Vec<(i64, String)>,
    /// Each wording of all its questions as written, with how many say it so, the most
    /// recently asked first (in the queue, the newest [`crate::store::QUEUE_WORDINGS`]).
    pub wordings: Vec<(String, usize)>,
    /// The answer it was linked to.
    pub answer: Option<String>,
}

impl TypicalQuestion {
    /// The title proposed for the group's answer: [`proposed_title`] of its title, asking
    /// when it asks, or when half its questions or more were typed with a question mark
    /// («Иван Петрович на месте?» typed so nine times in ten).
    pub fn proposed_title(&self) -> String {
        let title = proposed_title(&self.title);
        let (marked, all) = self.wordings.iter().fold((0, 0), |(m, a), (w, n)| {
            (m + if w.contains('?') { *n } else { 0 }, a + n)
        });
        if all > 0 && 2 * marked >= all && !title.ends_with(['?', '…']) && !title.is_empty() {
            return title + "?";
        }
        title
    }
}

/// Characters of a phrasing a proposed title keeps: a pasted page proposes its beginning.
pub const PROPOSED_TITLE_CHARS: usize = 150;

/// Words that make a phrasing a question wherever they stand (`сколько`, `ли`, `how`).
const ASKING_WORDS: &[&str] = &[
    "как",
    "какой",
    "какая",
    "какое",
    "какие",
    "каких",
    "каким",
    "какую",
    "каков",
    "где",
    "куда",
    "откуда",
    "когда",
    "сколько",
    "почему",
    "зачем",
    "что",
    "чем",
    "чего",
    "кто",
    "кого",
    "кому",
    "чей",
    "чья",
    "чьё",
    "ли",
    "почём",
    "вы",
    "вас",
    "вам",
    "how",
    "what",
    "where",
    "when",
    "why",
    "who",
    "whom",
    "which",
    "whose",
    "you",
    "your",
];

/// Words that make a phrasing a question when it begins with them (`можно`, `есть`, `do`).
const ASKING_FIRST_WORDS: &[&str] = &[
    "можно",
    "есть",
    "нужно",
    "надо",
    "правда",
    "can",
    "could",
    "do",
    "does",
    "did",
    "is",
    "are",
    "was",
    "were",
    "will",
    "would",
    "should",
    "may",
    "have",
    "has",
    "any",
];

/// Whether a phrasing asks: a question mark, a question word (`сколько`, `ли`, `how`), the
/// caller addressing the company (`у вас`, `you`, a verb said to «вы»: `сдаёте`), or a first
/// word that opens a question (`можно`, `есть`, `do`). «Утилизация старых компьютеров» names
/// a subject and asks nothing.
pub fn asks(phrasing: &str) -> bool {
    if phrasing.contains('?') {
        return true;
    }
    let lower = phrasing.to_lowercase();
    let mut words = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty());
    let first = words.next();
    let said_to_you = |w: &str| w.chars().count() > 4 && (w.ends_with("ете") || w.ends_with("ёте"));
    first.is_some_and(|w| {
        ASKING_FIRST_WORDS.contains(&w) || ASKING_WORDS.contains(&w) || said_to_you(w)
    }) || words.any(|w| ASKING_WORDS.contains(&w) || said_to_you(w))
}

/// A title proposed from a group's phrasing: its first letter capital, a question mark when it
/// asks one ([`asks`]); a phrasing longer than [`PROPOSED_TITLE_CHARS`] is cut at a word with `…`.
pub fn proposed_title(phrasing: &str) -> String {
    let text = phrasing.trim();
    if text.chars().count() > PROPOSED_TITLE_CHARS {
        let end = text
            .char_indices()
            .nth(PROPOSED_TITLE_CHARS)
            .map_or(text.len(), |(at, _)| at);
        let cut = &text[..end];
        let cut = cut.rfind(char::is_whitespace).map_or(cut, |at| &cut[..at]);
        let cut = cut.trim_end_matches(|c: char| c.is_whitespace() || c.is_ascii_punctuation());
        return proposed_title(cut).trim_end_matches('?').to_string() + "…";
    }
    let text = text.trim_end_matches(['.', '!', ',']);
    let mut chars = text.chars();
    let mut title: String = match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    };
    if !title.ends_with('?') && !title.is_empty() && asks(&title) {
        title.push('?');
    }
    title
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
