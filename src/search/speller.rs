//! The query's words spelled as the answers spell them, for what the query means.
//!
//! The answer index forgives a typo or the other keyboard layout word by word, but the
//! sentence model reads the text as typed: «принтр» or «ghbynth» mean nothing to it, and a
//! settled search then weighs a meaning that is noise. [`Speller::respell`] replaces a word
//! that neither the answers nor the linked history know by the answers' word it is a typo of
//! (within the same allowance the index grants, [`typo_allowance`]), or by its reading in the
//! other layout when the answers know that; a word anyone knows, or that shares its stem with
//! a word of the answers, is left as typed; so is a query longer than [`RESPELL_WORDS`]. Only
//! what the query means is read from the respelled text: the words are searched as typed.

use super::layout::other_layout;
use super::query::typo_allowance;
use super::snippet::within;
use crate::text::{stem, words};
use std::collections::{HashMap, HashSet};

/// Counts the words of a text into `counts`.
pub fn count_words(text: &str, counts: &mut HashMap<String, u32>) {
    for w in words(text) {
        *counts.entry(w.text).or_default() += 1;
    }
}

/// Longest query respelled, in words. A few words typed are the terms the operator looks
/// for, and one unknown among them is most likely a typo of the answers' word; a longer,
/// spoken sentence is read by the sentence model in its context, and the words of it the
/// answers do not use are everyday words (not typos) that meaning is there to catch.
pub const RESPELL_WORDS: usize = 3;

/// The words of the answers, by length, with how often each occurs.
#[derive(Debug, Default)]
pub struct Speller {
    /// Per length in letters: `(letters, word, count)`, most frequent first.
    by_length: Vec<Vec<(Vec<char>, String, u32)>>,
    known: HashSet<String>,
    stems: HashSet<String>,
}

impl Speller {
    /// The speller of words counted already (normalized as [`words`] gives them; the answer
    /// index counts its bodies' words from the snippets' cut text, and adds the titles' and
    /// phrasings' with [`count_words`]).
    pub fn of_counts(counts: HashMap<String, u32>) -> Speller {
        let mut speller = Speller::default();
        let mut sorted: Vec<(String, u32)> = counts
            .into_iter()
            .filter(|(w, _)| w.chars().all(char::is_alphabetic))
            .collect();
        sorted.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        for (word, count) in sorted {
            let letters: Vec<char> = word.chars().collect();
            if speller.by_length.len() <= letters.len() {
                speller.by_length.resize_with(letters.len() + 1, Vec::new);
            }
            speller.stems.insert(stem(&word));
            speller.known.insert(word.clone());
            speller.by_length[letters.len()].push((letters, word, count));
        }
        speller
    }

    /// Whether the answers have this word, or a word of its stem.
    pub fn has(&self, word: &str) -> bool {
        self.known.contains(word) || self.stems.contains(&stem(word))
    }

    /// The answers' word `word` is a typo of: the nearest within its allowance, the most
    /// frequent among equals.
    fn nearest(&self, word: &str) -> Option<&str> {
        let letters: Vec<char> = word.chars().collect();
        let k = typo_allowance(letters.len()) as usize;
        if k == 0 {
            return None;
        }
        let lengths = letters.len().saturating_sub(k)..=letters.len() + k;
        let mut best: Option<(usize, u32, &str)> = None;
        for length in lengths {
            for (candidate, text, count) in self.by_length.get(length).into_iter().flatten() {
                if !within(&letters, candidate, k) {
                    continue;
                }
                let d = super::snippet::distance(word, text);
                let better = best.is_none_or(|(bd, bc, _)| d < bd || (d == bd && *count > bc));
                if better {
                    best = Some((d, *count, text));
                }
            }
        }
        best.map(|(_, _, text)| text)
    }

    /// `text` with each word nobody knows spelled as the answers spell it; `knows` says
    /// whether the linked history knows a word. `None` when nothing changed.
    pub fn respell(&self, text: &str, knows: impl Fn(&str) -> bool) -> Option<String> {
        let words = words(text);
        if words.len() > RESPELL_WORDS {
            return None;
        }
        let mut out = String::with_capacity(text.len());
        let mut last = 0;
        let mut changed = false;
        for w in words {
            if !w.text.chars().all(char::is_alphabetic) || self.has(&w.text) || knows(&w.text) {
                continue;
            }
            let swapped = other_layout(&w.text).filter(|s| self.has(s));
            let Some(better) = swapped.or_else(|| self.nearest(&w.text).map(str::to_string)) else {
                continue;
            };
            out.push_str(&text[last..w.from]);
            out.push_str(&better);
            last = w.to;
            changed = true;
        }
        changed.then(|| {
            out.push_str(&text[last..]);
            out
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn speller() -> Speller {
        let mut counts = HashMap::new();
        for text in [
            "Принтер не печатает",
            "Сколько стоит заправка картриджа? Заправка картриджа Canon",
            "Где вы находитесь, адрес офиса",
        ] {
            count_words(text, &mut counts);
        }
        Speller::of_counts(counts)
    }

    #[test]
    fn a_typo_is_spelled_as_the_answers_spell_the_word() {
        let s = speller();
        assert_eq!(s.respell("принтр", |_| false).as_deref(), Some("принтер"));
        assert_eq!(
            s.respell("сколько стоит запрвка", |_| false).as_deref(),
            Some("сколько стоит заправка")
        );
    }

    #[test]
    fn the_other_layout_is_read_when_the_answers_know_that_reading() {
        assert_eq!(
            speller().respell("ghbynth ytn", |_| false).as_deref(),
            Some("принтер ytn")
        );
    }

    #[test]
    fn a_spoken_sentence_is_read_as_said() {
        // Everyday words near the answers' own («встало» and «стало») are not typos in context.
        assert_eq!(
            speller().respell("у нас всё встало, принтр не печатает", |_| false),
            None
        );
    }

    #[test]
    fn known_words_short_words_and_other_forms_stay_as_typed() {
        let s = speller();
        // Another form of an answer's word, a word the history knows, a short word, a word
        // far from any: unchanged.
        assert_eq!(s.respell("принтеры печатают", |_| false), None);
        assert_eq!(s.respell("печаталка", |w| w == "печаталка"), None);
        assert_eq!(s.respell("адрс", |_| false), None);
        assert_eq!(s.respell("бухгалтерия", |_| false), None);
    }
}
