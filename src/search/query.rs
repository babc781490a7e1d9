//! Query building: what the operator typed becomes a tantivy query, without a query parser.
//!
//! Input of any shape is accepted: quotes, colons and brackets are just separators, and a query
//! with no words is an empty plan (no hits, no error). Common words (`не`, `что`, `у`, `по`,
//! `the`: [`crate::text::is_common`]) are left out, so that alone they find nothing, and a plan
//! without a word of its own ([`QueryPlan::has_words`]: common words, a letter begun, or the
//! beginning of a common word, «скаж») looks for nothing yet. For every word the plan keeps its
//! variants (as typed, and read in the other keyboard layout); each variant matches:
//!
//! - its stem, exactly, in the ranked fields (BM25 scores these; title and questions weigh more);
//! - its plain form with typos (none under 5 letters, 1 edit from 5, 2 from 9), a constant score
//!   lower than an exact match, because tantivy's fuzzy query scores all matches alike;
//! - for the last word while it is still being typed (no space after it), its plain form as a
//!   prefix, with the same typo allowance.
//!
//! The typo and prefix matches walk the term dictionary with a Levenshtein automaton. Building
//! one for a word of 9 letters or more (two typos) costs more than the rest of a search, and a
//! keystroke repeats every word before the one being typed, in two fields: a whole word's
//! automaton is built once and kept ([`automaton`]), the word being typed gets one per keystroke
//! for both fields. Walking the dictionary again costs about as much as the rest of a keystroke's
//! search: a kept automaton also keeps the answers it matched in each segment and field it
//! walked (an answer index's segments never change; a new knowledge snapshot is new segments).

use super::layout::other_layout;
use crate::text::{begins_common, is_common, stem, words};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use tantivy::index::SegmentId;
use tantivy::query::{
    AutomatonWeight, BitSetDocSet, BooleanQuery, BoostQuery, ConstScorer, DfaWrapper, EmptyQuery,
    EnableScoring, Explanation, FuzzyTermQuery, Occur, Query, Scorer, TermQuery, Weight,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{BitSet, DocId, DocSet, Score, SegmentReader, Term, TERMINATED};

/// Words beyond this many are ignored: a pasted page must not become a query of thousands of
/// fuzzy clauses.
pub const MAX_QUERY_WORDS: usize = 12;
/// Prefix matching starts at this many letters; one letter matches too much to be useful.
pub const MIN_PREFIX_LETTERS: usize = 2;

/// One form a query word may take.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    /// Normalized word (lowercase, `ё` as `е`).
    pub plain: String,
    /// Its stem.
    pub stem: String,
}

/// One word of the query with its variants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryWord {
    /// As typed first, then the other keyboard layout's reading.
    pub variants: Vec<Variant>,
    /// The word is still being typed: match it as a prefix.
    pub prefix: bool,
}

/// What to look for, derived from the raw query text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueryPlan {
    /// The query's words, in order, without repeats.
    pub words: Vec<QueryWord>,
}

/// Edits allowed for a word of `letters` letters: none under 5, 1 from 5, 2 from 9.
pub fn typo_allowance(letters: usize) -> u8 {
    match letters {
        0..=4 => 0,
        5..=8 => 1,
        _ => 2,
    }
}

impl QueryPlan {
    /// Builds the plan for a raw query. Never fails.
    pub fn parse(raw: &str) -> QueryPlan {
        let typing_last_word = raw.chars().last().is_some_and(|c| !c.is_whitespace());
        let chunks: Vec<&str> = raw.split_whitespace().collect();
        let mut plan = QueryPlan::default();
        let last_chunk = chunks.len().saturating_sub(1);
        for (i, chunk) in chunks.iter().enumerate() {
            let typed = words(chunk);
            let swapped = other_layout(chunk).map(|s| words(&s)).unwrap_or_default();
            let chunk_is_last = i == last_chunk;
            for (j, w) in typed.iter().enumerate() {
                if plan.words.len() >= MAX_QUERY_WORDS {
                    return plan;
                }
                // A common word carries no result and is never highlighted; nor does a word the
                // stemmer cuts to one letter.
                let typed_variant = variant(&w.text);
                if is_common(&w.text) || typed_variant.cut_to_a_letter() {
                    continue;
                }
                let mut variants = vec![typed_variant];
                // Only a chunk that is one word in both layouts pairs its words one to one.
                if typed.len() == 1 && swapped.len() == 1 && swapped[0].text != w.text {
                    let other = variant(&swapped[0].text);
                    if !other.cut_to_a_letter() {
                        variants.push(other);
                    }
                }
                if plan.words.iter().any(|q| q.variants == variants) {
                    continue;
                }
                let prefix = typing_last_word && chunk_is_last && j + 1 == typed.len();
                plan.words.push(QueryWord { variants, prefix });
            }
            // A chunk that is one word only in the other layout (`k.,k.` is two words as typed
            // and `люблю` when read in Russian): add that reading as its own word.
            if typed.len() != 1 && swapped.len() == 1 && plan.words.len() < MAX_QUERY_WORDS {
                let other = variant(&swapped[0].text);
                if !other.cut_to_a_letter() {
                    let prefix = typing_last_word && chunk_is_last;
                    plan.words.push(QueryWord {
                        variants: vec![other],
                        prefix,
                    });
                }
            }
        }
        plan
    }

    /// Whether the plan has nothing to look for.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// Whether it has a word of its own to look for: a word typed whole, or one being typed
    /// that has [`MIN_PREFIX_LETTERS`] letters and is no longer the beginning of a common word
    /// («скаж» may still be «скажите», «пожал» «пожалуйста»). While the operator types a
    /// caller's opening («Скажите, пожалуйста, а у вас »), the query has none: a prefix of it
    /// would match words at random, and the results would jump at every key.
    pub fn has_words(&self) -> bool {
        // A word being typed is judged as typed: its other layout's reading of a few letters
        // («crf» of «скаж») means nothing yet.
        self.words.iter().any(|w| {
            !w.prefix
                || w.variants.first().is_some_and(|v| {
                    v.plain.chars().count() >= MIN_PREFIX_LETTERS && !begins_common(&v.plain)
                })
        })
    }
}

impl Variant {
    /// Whether the stemmer cut a word of several letters to one: «яя» (`zz` read in the other
    /// layout) to «я». No word of the shipped answers or the shared sets is cut so; a stem of
    /// one letter would match that letter's word wherever it stands.
    fn cut_to_a_letter(&self) -> bool {
        self.stem.chars().count() < 2 && self.plain.chars().count() >= 2
    }
}

fn variant(plain: &str) -> Variant {
    Variant {
        plain: plain.to_string(),
        stem: stem(plain),
    }
}

/// Index fields a query runs over, with their weights.
#[derive(Debug, Clone)]
pub struct Weighted {
    /// Stemmed field and its BM25 boost.
    pub stemmed: Vec<(Field, f32)>,
    /// Plain field and the constant score of a typo or prefix match in it.
    pub plain: Vec<(Field, f32)>,
}

impl QueryPlan {
    /// The tantivy query for this plan over the given fields: a disjunction of words, each a
    /// disjunction of its variants' exact, typo and prefix clauses.
    pub fn to_query(&self, fields: &Weighted) -> Box<dyn Query> {
        if self.is_empty() {
            return Box::new(EmptyQuery);
        }
        let word_clauses = self
            .words
            .iter()
            .map(|word| {
                let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
                for v in &word.variants {
                    for &(field, boost) in &fields.stemmed {
                        let term = Term::from_field_text(field, &v.stem);
                        let q = TermQuery::new(term, IndexRecordOption::WithFreqs);
                        clauses
                            .push((Occur::Should, Box::new(BoostQuery::new(Box::new(q), boost))));
                    }
                    let letters = v.plain.chars().count();
                    let edits = typo_allowance(letters);
                    let prefix = word.prefix && letters >= MIN_PREFIX_LETTERS;
                    if !prefix && edits == 0 {
                        continue;
                    }
                    let Some(automaton) = automaton(&v.plain, edits, prefix) else {
                        continue;
                    };
                    for &(field, boost) in &fields.plain {
                        let q = Fuzzy {
                            field,
                            automaton: Arc::clone(&automaton),
                        };
                        clauses
                            .push((Occur::Should, Box::new(BoostQuery::new(Box::new(q), boost))));
                    }
                }
                (
                    Occur::Should,
                    Box::new(BooleanQuery::new(clauses)) as Box<dyn Query>,
                )
            })
            .collect();
        Box::new(BooleanQuery::new(word_clauses))
    }
}

/// Automata of whole words kept at most; all are dropped when there are more (a two-typo
/// automaton of a long word can take a few hundred kilobytes).
const AUTOMATA_KEPT: usize = 128;
/// Segments and fields whose matches one kept automaton remembers, the latest: the answer index
/// has one segment and two fields searched this way.
const MATCHES_KEPT: usize = 4;

/// The documents an automaton matched, by the segment and field it walked.
type Matched = Vec<((SegmentId, Field), BitSet)>;

/// A Levenshtein automaton, with what it matched where it walked the term dictionary when it is
/// a whole word's and kept.
struct Automaton {
    dfa: Arc<DfaWrapper>,
    /// The documents it matched, by segment and field; never filled for the word being typed.
    matched: Option<Mutex<Matched>>,
}

impl Automaton {
    fn matched(&self, at: (SegmentId, Field)) -> Option<BitSet> {
        let matched = self.matched.as_ref()?;
        let matched = matched.lock().unwrap_or_else(|p| p.into_inner());
        matched
            .iter()
            .find(|(k, _)| *k == at)
            .map(|(_, d)| d.clone())
    }

    fn remember(&self, at: (SegmentId, Field), docs: &BitSet) {
        let Some(matched) = self.matched.as_ref() else {
            return;
        };
        let mut matched = matched.lock().unwrap_or_else(|p| p.into_inner());
        if matched.iter().all(|(k, _)| *k != at) {
            if matched.len() >= MATCHES_KEPT {
                matched.remove(0);
            }
            matched.push((at, docs.clone()));
        }
    }
}

/// The Levenshtein automaton of `word` (`edits` typos, transpositions costing one; as a prefix
/// when `prefix`), the one tantivy's fuzzy query builds; `None` for an allowance tantivy has no
/// automaton for. A whole word's is built once and kept, with what it matches: the next
/// keystrokes and the other field ask for it again. The word being typed changes with every
/// keystroke: its prefix automaton is built each time.
fn automaton(word: &str, edits: u8, prefix: bool) -> Option<Arc<Automaton>> {
    type Kept = Mutex<HashMap<(String, u8), Arc<Automaton>>>;
    static KEPT: OnceLock<Kept> = OnceLock::new();
    // Only the term's text is read: the field is any.
    let build = || {
        let term = Term::from_field_text(Field::from_field_id(0), word);
        let query = match prefix {
            true => FuzzyTermQuery::new_prefix(term, edits, true),
            false => FuzzyTermQuery::new(term, edits, true),
        };
        query.automaton().ok().map(Arc::new)
    };
    if prefix {
        return build().map(|dfa| Arc::new(Automaton { dfa, matched: None }));
    }
    let kept = KEPT.get_or_init(Kept::default);
    let key = (word.to_string(), edits);
    if let Some(found) = kept.lock().unwrap_or_else(|p| p.into_inner()).get(&key) {
        return Some(Arc::clone(found));
    }
    let built = Arc::new(Automaton {
        dfa: build()?,
        matched: Some(Mutex::default()),
    });
    let mut kept = kept.lock().unwrap_or_else(|p| p.into_inner());
    if kept.len() >= AUTOMATA_KEPT {
        kept.clear();
    }
    kept.insert(key, Arc::clone(&built));
    Some(built)
}

/// tantivy's fuzzy term query over a kept automaton: every term of `field` it accepts matches,
/// all with the same score.
#[derive(Clone)]
struct Fuzzy {
    field: Field,
    automaton: Arc<Automaton>,
}

impl std::fmt::Debug for Fuzzy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fuzzy").field("field", &self.field).finish()
    }
}

impl Query for Fuzzy {
    fn weight(&self, _: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(self.clone()))
    }
}

impl Fuzzy {
    /// The documents of the segment the automaton matches: remembered, or found by walking the
    /// term dictionary as tantivy's fuzzy query does.
    fn docs(&self, reader: &SegmentReader) -> tantivy::Result<BitSet> {
        let at = (reader.segment_id(), self.field);
        if let Some(docs) = self.automaton.matched(at) {
            return Ok(docs);
        }
        let walk = AutomatonWeight::<DfaWrapper>::new(self.field, Arc::clone(&self.automaton.dfa));
        let mut scorer = walk.scorer(reader, 1.0)?;
        let mut docs = BitSet::with_max_value(reader.max_doc());
        let mut doc = scorer.doc();
        while doc != TERMINATED {
            docs.insert(doc);
            doc = scorer.advance();
        }
        self.automaton.remember(at, &docs);
        Ok(docs)
    }
}

impl Weight for Fuzzy {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let docs = BitSetDocSet::from(self.docs(reader)?);
        Ok(Box::new(ConstScorer::new(docs, boost)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        if self.docs(reader)?.contains(doc) {
            Ok(Explanation::new("Fuzzy", 1.0))
        } else {
            Err(tantivy::TantivyError::InvalidArgument(format!(
                "document {doc} does not match"
            )))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plains(plan: &QueryPlan) -> Vec<Vec<String>> {
        plan.words
            .iter()
            .map(|w| w.variants.iter().map(|v| v.plain.clone()).collect())
            .collect()
    }

    #[test]
    fn typo_allowance_follows_word_length() {
        assert_eq!(typo_allowance(4), 0);
        assert_eq!(typo_allowance(5), 1);
        assert_eq!(typo_allowance(8), 1);
        assert_eq!(typo_allowance(9), 2);
    }

    #[test]
    fn wrong_layout_word_gets_its_russian_reading() {
        let plan = QueryPlan::parse("ghbynth");
        assert_eq!(plains(&plan), [["ghbynth", "принтер"]]);
    }

    #[test]
    fn only_the_last_word_being_typed_is_a_prefix() {
        let plan = QueryPlan::parse("заправка карт");
        assert_eq!(
            plan.words.iter().map(|w| w.prefix).collect::<Vec<_>>(),
            [false, true]
        );
        let plan = QueryPlan::parse("заправка карт ");
        assert!(plan.words.iter().all(|w| !w.prefix));
    }

    #[test]
    fn punctuation_and_blank_input_give_an_empty_plan() {
        assert!(QueryPlan::parse("\":(  ) ").is_empty());
        assert!(QueryPlan::parse("   ").is_empty());
        assert!(QueryPlan::parse("").is_empty());
    }

    #[test]
    fn huge_input_is_capped() {
        let text = (0..5000)
            .map(|i| format!("слово{i}"))
            .collect::<Vec<_>>()
            .join(" ");
        assert_eq!(QueryPlan::parse(&text).words.len(), MAX_QUERY_WORDS);
    }

    #[test]
    fn a_word_the_stemmer_cuts_to_a_letter_carries_nothing() {
        // `zz` in the other layout is «яя», which the stemmer cuts to «я».
        assert_eq!(stem("яя"), "я");
        assert_eq!(plains(&QueryPlan::parse("zz")), [["zz"]]);
        assert!(QueryPlan::parse("яя").is_empty());
        assert_eq!(plains(&QueryPlan::parse("имя")), [["имя", "bvz"]]);
        assert_eq!(
            plains(&QueryPlan::parse("ghbynth")),
            [["ghbynth", "принтер"]]
        );
    }

    #[test]
    fn common_words_carry_nothing() {
        assert!(QueryPlan::parse("что у вас по").is_empty());
        let firsts: Vec<String> = plains(&QueryPlan::parse("не печатает принтер"))
            .into_iter()
            .map(|v| v[0].clone())
            .collect();
        assert_eq!(firsts, ["печатает", "принтер"]);
    }

    #[test]
    fn an_opening_being_typed_has_no_word_to_look_for_yet() {
        for opening in [
            "Скаж",
            "Скажите, пожал",
            "Скажите, пожалуйста, а у ва",
            "Нам на",
            "у вас ",
            "Скажите, п",
            // Whether one may or must is the request around what is asked.
            "А у вас можн",
            "А можно на",
            "нужно ",
            "Can I",
        ] {
            assert!(!QueryPlan::parse(opening).has_words(), "{opening}");
        }
        for asked in [
            "Скажите, пожалуйста, когда инж",
            "А у вас можно наст",
            "can I change my pin",
            "принтер п",
            "нал",
            "5 ",
            "ghbyn",
        ] {
            assert!(QueryPlan::parse(asked).has_words(), "{asked}");
        }
    }

    #[test]
    fn repeated_words_count_once() {
        assert_eq!(QueryPlan::parse("принтер Принтер").words.len(), 1);
    }

    #[test]
    fn stems_are_computed_per_variant() {
        let plan = QueryPlan::parse("принтеры ");
        assert_eq!(plan.words[0].variants[0].stem, stem("принтер"));
    }
}
