//! The served snapshot: a knowledge snapshot together with its index, swapped whole on reload,
//! and the answers callers ask most, for the desk screen's buttons.
//!
//! [`Shelf`] holds the current [`Library`] behind an `ArcSwap`: a request takes one snapshot and
//! sees answers and index that belong together, while a reload builds a new snapshot aside and
//! swaps it in (the knowledge watcher in `jobs` decides when).

use crate::calls::CallKind;
use crate::knowledge::{self, Answer, Audience, Knowledge, Problem};
use crate::learn::{Learner, Model};
use crate::meaning::AnswerVectors;
use crate::search::layout::other_layout;
use crate::search::query::QueryPlan;
use crate::search::{AnswerIndex, Matcher, SearchHit};
use crate::store::Store;
use crate::text::features::stem_feature;
use crate::text::words;
use arc_swap::ArcSwap;
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Answers taken from the answer index, and from the learned ranking, before they are blended.
const CANDIDATES: usize = 50;
/// Weight of an answer's own text against the learned probability: the best textual match
/// counts as much as a probability of one half.
pub const TEXT_WEIGHT: f32 = 0.5;

/// Weight of the answers' own meaning against a learned probability: as much, times how much
/// the linked history says it can be trusted.
pub const MEANING_TEXT_WEIGHT: f32 = 1.0;

/// The sentence model's share of a settled query's meaning; the static word vectors weigh the
/// rest. Two readings of one query err on different queries: the sentence model reads a
/// sentence whole but can let its topic outweigh what is asked («не работает интернет в
/// офисе» read as setting up a network), the word vectors weigh each word. Pooled, answers
/// made of phrasings find more (BENCHMARKS.md, "Meaning of a settled query"); with a history
/// the learned ranking decides and the pool changes nothing measured.
pub const SENTENCE_SHARE: f32 = 0.7;

/// What a search is for.
#[derive(Debug, Clone, Copy)]
pub struct SearchOptions {
    /// Hits wanted.
    pub limit: usize,
    /// Kind of the call being taken, if any: answers for its audience are preferred.
    pub kind: Option<CallKind>,
}

/// How much an answer's audience suits a call of this kind: a tie-break between answers that
/// match about equally (the same question answered for new clients and for clients), never
/// more. The kind is often a guess (a caller the desk does not recognise is a new client until
/// the operator says otherwise): at a quarter more, «не работает интернет в офисе» on such a
/// call found the office network's set-up (for new clients) above the outage (for clients).
fn audience_factor(audience: Audience, kind: CallKind) -> f32 {
    match (audience, kind) {
        (Audience::Primary, CallKind::Primary) | (Audience::Secondary, CallKind::Secondary) => 1.05,
        (Audience::All, _) => 1.02,
        _ => 1.0,
    }
}

/// Answers, their index, and the problems found when they were loaded.
pub struct Library {
    /// The answers.
    pub knowledge: Knowledge,
    /// Their index.
    pub index: AnswerIndex,
    /// What was wrong in the folder at load time.
    pub problems: Vec<Problem>,
    /// The folder's state just before it was read: the watcher reloads when it differs.
    pub fingerprint: knowledge::Fingerprint,
}

impl Library {
    /// Loads the folder and indexes it; `previous` keeps the last good version of broken files.
    pub fn load(dir: &Path, previous: Option<&Library>) -> anyhow::Result<Library> {
        // Taken first, so that an edit made while loading still differs and triggers a reload.
        let fingerprint = knowledge::fingerprint(dir);
        let (knowledge, problems) = Knowledge::load(dir, previous.map(|l| &l.knowledge));
        let index = AnswerIndex::build(&knowledge)?;
        Ok(Library {
            knowledge,
            index,
            problems,
            fingerprint,
        })
    }

    /// Answers for a raw query, best first. Never fails on the query's shape.
    ///
    /// Each answer scores its calibrated probability from the learned ranking (what linked
    /// caller questions taught), as far as its links bear it out ([`Model::borne_out`]), plus
    /// [`TEXT_WEIGHT`] times its own text's match relative to the best match (title,
    /// phrasings, body, with typos and the word being typed); with a call kind, answers for
    /// that audience are preferred. A query of common words only finds nothing.
    pub fn search(
        &self,
        query: &str,
        options: &SearchOptions,
        learner: Option<&Learner>,
    ) -> anyhow::Result<Vec<SearchHit>> {
        self.search_meaning(query, options, learner, None, None)
    }

    /// The same, with what the whole query means (its sentence vector and the answers'
    /// vectors), as when the operator stopped typing: the learned model over the linked
    /// questions' vectors and the answers' closest phrasings add their probabilities.
    pub fn search_meaning(
        &self,
        query: &str,
        options: &SearchOptions,
        learner: Option<&Learner>,
        meaning: Option<(&[f32], &AnswerVectors)>,
        typed: Option<(&[f32], &AnswerVectors)>,
    ) -> anyhow::Result<Vec<SearchHit>> {
        let plan = QueryPlan::parse(query);
        if plan.is_empty() || options.limit == 0 {
            return Ok(Vec::new());
        }
        let mut scored: HashMap<&str, (Arc<Answer>, f32)> = HashMap::new();
        let ranked = self.index.ranked(&plan, options.limit.max(CANDIDATES))?;
        let best = ranked.first().map_or(0.0, |(_, s)| *s);
        for (answer, score) in &ranked {
            let text = if best > 0.0 { score / best } else { 0.0 };
            scored.insert(&answer.slug, (Arc::clone(answer), TEXT_WEIGHT * text));
        }
        let mut add = |slug: &str, p: f32| {
            if let Some(answer) = self.knowledge.get(slug) {
                scored
                    .entry(&answer.slug)
                    .or_insert_with(|| (Arc::clone(answer), 0.0))
                    .1 += p;
            }
        };
        // What the linked history taught: the word model, pooled with the meaning model when
        // the whole query's vector is there.
        if let Some(learner) = learner {
            let text = model_text(query, &learner.model());
            // The static vector of the text as typed serves, without the sentence vector, when
            // the model reads it unchanged.
            let typed_vector = typed
                .filter(|_| meaning.is_none() && text == query.trim())
                .map(|(v, _)| v);
            // Each answer as far as its links bear the query out: a link says its answer's
            // words, the words it shares with every other question («сколько стоит») as much
            // as its subject; a question in its links' words again is its answer's in full.
            let (learned, borne_out) = learner.ranked_borne_out(
                &text,
                meaning.map(|(v, _)| v),
                typed_vector,
                self.knowledge.len(),
            );
            for (slug, p) in learned.answers.into_iter().take(CANDIDATES) {
                add(&slug, p * borne_out.get(&slug).copied().unwrap_or(0.0));
            }
        }
        // The answers' own meaning: once typing stopped by the sentence model with the static
        // word vectors beside it, else by the static word vectors alone; each trusted as far as
        // it finds the linked questions' answers. Pooled, each reading weighs its share times
        // its trust, together as much as the sentence model's alone would (a reading the
        // history finds no better than chance gives its share to the other).
        let parts: Vec<((&[f32], &AnswerVectors), f32)> = match (meaning, typed) {
            (Some(m), Some(t)) => {
                let (sentence, words) = (
                    SENTENCE_SHARE * m.1.trust,
                    (1.0 - SENTENCE_SHARE) * t.1.trust,
                );
                let pooled = sentence + words;
                if pooled > 0.0 {
                    let whole = m.1.trust / pooled;
                    vec![(m, sentence * whole), (t, words * whole)]
                } else {
                    Vec::new()
                }
            }
            (Some(one), None) | (None, Some(one)) => vec![(one, one.1.trust)],
            (None, None) => Vec::new(),
        };
        for ((vector, answers), weight) in parts {
            if weight <= 0.0 {
                continue;
            }
            for (slug, p) in answers.rank(vector).into_iter().take(CANDIDATES) {
                add(&slug, MEANING_TEXT_WEIGHT * weight * p);
            }
        }
        let mut ranked: Vec<(Arc<Answer>, f32)> = scored
            .into_values()
            .map(|(answer, score)| {
                let factor = options
                    .kind
                    .map_or(1.0, |kind| audience_factor(answer.audience, kind));
                (answer, score * factor)
            })
            .collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.slug.cmp(&b.0.slug)));
        ranked.truncate(options.limit);
        let matcher = Matcher::new(&plan);
        Ok(ranked
            .into_iter()
            .map(|(answer, score)| self.index.hit(&matcher, &answer, score))
            .collect())
    }

    /// The query as what it means is read from: each word nobody knows, neither the answers
    /// nor the linked history, spelled as the answers spell it (a typo, the other layout);
    /// `None` when it reads as typed.
    pub fn respelled(&self, query: &str, learner: Option<&Learner>) -> Option<String> {
        let model = learner.map(Learner::model);
        self.index.respell(query, |word| {
            model.as_ref().is_some_and(|m| m.knows(stem_feature(word)))
        })
    }
}

impl Library {
    /// The words as the operator meant them when they were typed with the wrong keyboard
    /// layout on («xtr ghbiktn yf gjxne&» for «чек пришлет на почту?»): each chunk of Latin
    /// keys the answers or the linked history know only in the other layout's reading is read
    /// so, when at least half of such chunks are and one of them is a word of substance. A
    /// word known as typed, an acronym (`VPN`), a code (`GY-VAE`), an address or a number stays
    /// as typed. `None` when it reads as typed.
    pub fn meant(&self, text: &str, learner: Option<&Learner>) -> Option<String> {
        const KEYS: &str = ",.;'[]`&?/^$";
        if text.chars().any(crate::text::is_cyrillic) {
            return None;
        }
        let model = learner.map(Learner::model);
        let known = |word: &str| {
            self.index.knows_word(word)
                || model.as_ref().is_some_and(|m| m.knows(stem_feature(word)))
        };
        let candidate = |chunk: &str| {
            let letters: Vec<char> = chunk.chars().filter(char::is_ascii_alphabetic).collect();
            !letters.is_empty()
                && chunk
                    .chars()
                    .all(|c| c.is_ascii_alphabetic() || KEYS.contains(c))
                && !(letters.len() >= 2 && letters.iter().all(char::is_ascii_uppercase))
        };
        let chunks: Vec<&str> = text.split_whitespace().collect();
        let mut candidates = 0;
        let mut substance = false;
        let mut read = Vec::with_capacity(chunks.len());
        for chunk in &chunks {
            if !candidate(chunk) {
                read.push(chunk.to_string());
                continue;
            }
            candidates += 1;
            let swapped = crate::search::layout::typed_as_russian(chunk);
            let other = words(&swapped);
            let swap = !words(chunk).iter().any(|w| known(&w.text))
                && !other.is_empty()
                && other.iter().all(|w| known(&w.text));
            if swap {
                substance |= other
                    .iter()
                    .any(|w| w.text.chars().count() >= 3 && !crate::text::is_common(&w.text));
                read.push(swapped);
            } else {
                read.push(chunk.to_string());
            }
        }
        let swapped = read
            .iter()
            .zip(&chunks)
            .filter(|(r, c)| r.as_str() != **c)
            .count();
        (substance && swapped * 2 >= candidates).then(|| read.join(" "))
    }
}

/// The query as the learned ranking reads it: each chunk typed in the wrong keyboard layout
/// read in the other one when only that reading has words the model knows.
fn model_text(query: &str, model: &Model) -> String {
    let known = |chunk: &str| {
        words(chunk)
            .iter()
            .filter(|w| model.knows(stem_feature(&w.text)))
            .count()
    };
    query
        .split_whitespace()
        .map(|chunk| match other_layout(chunk) {
            Some(swapped) if known(chunk) == 0 && known(&swapped) > 0 => swapped,
            _ => chunk.to_string(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The current library, replaceable while requests are served.
pub struct Shelf {
    dir: PathBuf,
    current: ArcSwap<Library>,
}

impl Shelf {
    /// Loads the folder for the first time and logs its problems.
    pub fn open(dir: &Path) -> anyhow::Result<Arc<Shelf>> {
        let library = Library::load(dir, None)?;
        log_problems(&library.problems);
        tracing::info!(answers = library.knowledge.len(), dir = %dir.display(), "knowledge loaded");
        Ok(Arc::new(Shelf {
            dir: dir.to_path_buf(),
            current: ArcSwap::from_pointee(library),
        }))
    }

    /// The snapshot to serve one request from.
    pub fn current(&self) -> Arc<Library> {
        self.current.load_full()
    }

    /// Reloads the folder now and swaps the result in.
    pub fn reload(&self) -> anyhow::Result<()> {
        let previous = self.current();
        let library = Library::load(&self.dir, Some(&previous))?;
        log_problems(&library.problems);
        tracing::info!(answers = library.knowledge.len(), "knowledge reloaded");
        self.current.store(Arc::new(library));
        Ok(())
    }

    /// The knowledge folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

fn log_problems(problems: &[Problem]) {
    for p in problems {
        tracing::warn!("{p}");
    }
}

/// Buttons on the desk screen.
const FREQUENT_BUTTONS: usize = 8;
/// How far back the buttons count.
const FREQUENT_WINDOW_DAYS: i64 = 90;
/// How long a count of the most asked answers is reused.
const FREQUENT_FOR: Duration = Duration::from_secs(60);

/// When the answers were counted, and their slugs and counts.
type Counted = (Instant, Vec<(String, u64)>);

/// The answers most linked on calls of each kind, recounted at most once a minute: the desk
/// screen shows them on every call, and counting a million questions takes a few hundred ms.
#[derive(Default)]
pub struct FrequentAnswers {
    cached: Mutex<HashMap<CallKind, Counted>>,
}

impl FrequentAnswers {
    /// Slugs and counts of the answers most linked on calls of `kind` lately.
    fn counts(
        &self,
        store: &Store,
        kind: CallKind,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Vec<(String, u64)>> {
        if let Some((at, counts)) = self
            .cached
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&kind)
        {
            if at.elapsed() < FREQUENT_FOR {
                return Ok(counts.clone());
            }
        }
        let since = now - chrono::Duration::days(FREQUENT_WINDOW_DAYS);
        let counts = store.frequent_answers(kind, since, FREQUENT_BUTTONS)?;
        self.cached
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(kind, (Instant::now(), counts.clone()));
        Ok(counts)
    }

    /// The buttons beside the desk's question box: the typical questions callers of this kind
    /// ask most, answers (slug and title) and open groups (no slug, the group's phrasing), by
    /// how often they were asked lately; then, while history is thin, the desk's `starting`
    /// answers for this audience or everyone, in their order, and other answers written for
    /// this audience.
    pub fn buttons(
        &self,
        library: &Library,
        store: &Store,
        kind: CallKind,
        now: DateTime<Utc>,
        starting: &[String],
    ) -> anyhow::Result<Vec<(Option<String>, String)>> {
        let mut counted: Vec<(u64, Option<String>, String)> = Vec::new();
        for (slug, n) in self.counts(store, kind, now)? {
            if let Some(answer) = library.knowledge.get(&slug) {
                counted.push((n, Some(answer.slug.clone()), answer.title.clone()));
            }
        }
        let since = now - chrono::Duration::days(FREQUENT_WINDOW_DAYS);
        for (_, title, n) in store.frequent_groups(kind, since, FREQUENT_BUTTONS)? {
            counted.push((n, None, title));
        }
        counted.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.2.cmp(&b.2)));
        let mut out: Vec<(Option<String>, String)> = counted
            .into_iter()
            .take(FREQUENT_BUTTONS)
            .map(|(_, slug, title)| (slug, title))
            .collect();
        let audience = match kind {
            CallKind::Primary => Audience::Primary,
            CallKind::Secondary => Audience::Secondary,
        };
        let started = starting
            .iter()
            .filter_map(|slug| library.knowledge.get(slug))
            .filter(|a| a.audience == audience || a.audience == Audience::All);
        let written_for = library
            .knowledge
            .answers()
            .iter()
            .filter(|a| a.audience == audience);
        for answer in started.chain(written_for) {
            if out.len() >= FREQUENT_BUTTONS {
                break;
            }
            if !out
                .iter()
                .any(|(slug, _)| slug.as_deref() == Some(answer.slug.as_str()))
            {
                out.push((Some(answer.slug.clone()), answer.title.clone()));
            }
        }
        Ok(out)
    }
}
