//! How a text becomes words, shared by the knowledge base, search, snippets and grouping.
//!
//! A *word* is a run of letters and digits, lowercased, with `ё` folded to `е`. Words keep their
//! byte offsets in the original text so that snippets can highlight them; a hyphenated word also
//! counts joined (`Wi-Fi` is `wi`, `fi` and `wifi`). A *stem* is the word reduced by the Snowball
//! stemmer of its script: Russian for Cyrillic words, English for Latin ones; numbers and mixed
//! tokens stay as they are. Only absurd tokens over [`MAX_WORD_CHARS`] letters are skipped.

pub mod features;

use rust_stemmers::{Algorithm, Stemmer};
use std::sync::LazyLock;

/// Longer tokens are not words a caller says (base64, pasted garbage) and are skipped.
pub const MAX_WORD_CHARS: usize = 64;

static RUSSIAN: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::Russian));
static ENGLISH: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::English));

/// One word of a text: normalized form and where it stands in the original.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// Lowercased, `ё` folded to `е`.
    pub text: String,
    /// Byte offset of the first character in the original text.
    pub from: usize,
    /// Byte offset just past the last character in the original text.
    pub to: usize,
}

impl Word {
    /// Number of letters (not bytes) in the word.
    pub fn len(&self) -> usize {
        self.text.chars().count()
    }

    /// Whether the word has no letters (never, for a word [`words`] found).
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }
}

/// Splits a text into normalized words, in order.
pub fn words(text: &str) -> Vec<Word> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let push = |from: usize, to: usize, out: &mut Vec<Word>| {
        let raw = &text[from..to];
        if raw.chars().count() <= MAX_WORD_CHARS {
            out.push(Word {
                text: normalize(raw),
                from,
                to,
            });
        }
    };
    for (i, c) in text.char_indices() {
        if c.is_alphanumeric() {
            start.get_or_insert(i);
        } else if let Some(s) = start.take() {
            push(s, i, &mut out);
        }
    }
    if let Some(s) = start {
        push(s, text.len(), &mut out);
    }
    join_hyphenated(text, out)
}

/// Adds the joined form of hyphenated words after their parts: `Wi-Fi` is `wi`, `fi` and
/// `wifi`, so that whichever way a caller's words are typed, they meet.
fn join_hyphenated(text: &str, words: Vec<Word>) -> Vec<Word> {
    let mut out = Vec::with_capacity(words.len());
    for (i, w) in words.iter().enumerate() {
        out.push(w.clone());
        if let Some(prev) = i.checked_sub(1).map(|p| &words[p]) {
            if matches!(&text[prev.to..w.from], "-" | "\u{2011}")
                && prev.len() + w.len() <= MAX_WORD_CHARS
            {
                out.push(Word {
                    text: format!("{}{}", prev.text, w.text),
                    from: prev.from,
                    to: w.to,
                });
            }
        }
    }
    out
}

/// At most `max_chars` characters of `text`, with `…` where it was cut: what a visitor typed is
/// clipped this way before it is stored in the audit log or written to the server's log.
pub fn clip(text: &str, max_chars: usize) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(max_chars) {
        None => std::borrow::Cow::Borrowed(text),
        Some((at, _)) => {
            let keep = text[..at].char_indices().last().map_or(0, |(i, _)| i);
            std::borrow::Cow::Owned(format!("{}…", &text[..keep]))
        }
    }
}

/// Whether `c` changes how text around it is shown without being seen itself: direction
/// controls (which can turn «Иванов» into what looks like another name), zero-width characters,
/// the soft hyphen, and control characters other than a line break or a tab.
pub fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{061C}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}' | '\u{FFF9}'..='\u{FFFB}')
        || (c.is_control() && c != '\n' && c != '\t')
}

/// `text` without [`is_invisible`] characters: what callers' names, notes and questions keep
/// when they are stored, so that what staff see is what was typed.
pub fn visible(text: &str) -> std::borrow::Cow<'_, str> {
    if text.chars().any(is_invisible) {
        std::borrow::Cow::Owned(text.chars().filter(|&c| !is_invisible(c)).collect())
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// Words so common that they say nothing about what a caller wants on their own: a query of
/// these alone finds nothing, and they are never highlighted. Russian and English function
/// words (pronouns, prepositions, conjunctions, particles, auxiliaries and modal words),
/// normalised.
const COMMON_WORDS: &[&str] = &[
    // Russian
    "а",
    "без",
    "более",
    "бы",
    "был",
    "была",
    "были",
    "было",
    "быть",
    "в",
    "вам",
    "вас",
    "ведь",
    "весь",
    "во",
    "вот",
    "все",
    "всё",
    "всего",
    "всех",
    "вы",
    "где",
    "да",
    "даже",
    "для",
    "до",
    "его",
    "ее",
    "её",
    "ей",
    "ему",
    "если",
    "есть",
    "еще",
    "ещё",
    "же",
    "за",
    "здесь",
    "и",
    "из",
    "или",
    "им",
    "их",
    "к",
    "как",
    "ко",
    "когда",
    "кто",
    "ли",
    "либо",
    "мне",
    "меня",
    "мной",
    "мы",
    "на",
    "над",
    "нам",
    "нас",
    "не",
    "него",
    "нее",
    "неё",
    "нет",
    "ни",
    "них",
    "но",
    "ну",
    "о",
    "об",
    "он",
    "она",
    "они",
    "оно",
    "от",
    "по",
    "под",
    "при",
    "про",
    "с",
    "со",
    "так",
    "также",
    "там",
    "то",
    "тогда",
    "тоже",
    "только",
    "тот",
    "ты",
    "у",
    "уж",
    "уже",
    "чем",
    "что",
    "чтобы",
    "чтоб",
    "эта",
    "эти",
    "это",
    "этот",
    "этой",
    "этом",
    "этого",
    "я",
    "мой",
    "моя",
    "мои",
    "наш",
    "наша",
    "наши",
    "ваш",
    "ваша",
    "ваши",
    "себя",
    "свой",
    "сам",
    "вон",
    "ой",
    "пожалуйста",
    "здравствуйте",
    "добрый",
    "день",
    "скажите",
    "подскажите",
    // Whether one may or must: the request around what is asked («а можно …», «нужно …»).
    "можно",
    "может",
    "можете",
    "надо",
    "нужно",
    // English
    "a",
    "an",
    "the",
    "and",
    "or",
    "but",
    "if",
    "of",
    "to",
    "in",
    "on",
    "at",
    "by",
    "for",
    "with",
    "from",
    "as",
    "is",
    "are",
    "was",
    "were",
    "be",
    "been",
    "am",
    "i",
    "you",
    "he",
    "she",
    "it",
    "we",
    "they",
    "me",
    "my",
    "your",
    "our",
    "their",
    "this",
    "that",
    "these",
    "those",
    "do",
    "does",
    "did",
    "have",
    "has",
    "had",
    "so",
    "there",
    "its",
    "im",
    "please",
    "can",
    "could",
    "would",
    "will",
    "should",
];

/// Words a caller opens a call with before the question: a greeting, an address to the one
/// who answers, a polite request to tell. Phone etiquette, in Russian and English.
const OPENING_WORDS: &[&str] = &[
    "алло",
    "ало",
    "здравствуйте",
    "здрасьте",
    "здрасте",
    "привет",
    "девушка",
    "подскажите",
    "скажите",
    "пожалуйста",
    "извините",
    "простите",
    "слушайте",
    "hello",
    "hi",
    "please",
];
/// Pairs of words that open a call together, and only together («добрый день», but «добрый»
/// alone may be what is asked about).
const OPENING_PAIRS: &[(&str, &str)] = &[
    ("добрый", "день"),
    ("добрый", "вечер"),
    ("доброе", "утро"),
    ("молодой", "человек"),
    ("будьте", "добры"),
    ("good", "morning"),
    ("good", "afternoon"),
    ("good", "evening"),
    ("excuse", "me"),
];

/// The text without the words a caller opens with («алло, добрый день, подскажите,
/// пожалуйста, …»): what is asked. The text as it is when nothing is left after the opening,
/// or there is none.
pub fn without_opening(text: &str) -> &str {
    let all = words(text);
    let mut cut = 0;
    let mut i = 0;
    while let Some(w) = all.get(i) {
        let next = all.get(i + 1);
        if OPENING_WORDS.contains(&w.text.as_str()) {
            cut = w.to;
            i += 1;
        } else if let Some(n) =
            next.filter(|n| OPENING_PAIRS.contains(&(w.text.as_str(), n.text.as_str())))
        {
            cut = n.to;
            i += 2;
        } else {
            break;
        }
    }
    let rest = text[cut..].trim_start_matches(|c: char| !c.is_alphanumeric());
    if cut == 0 || rest.is_empty() {
        text
    } else {
        rest
    }
}

/// Whether a normalised word is one of the [`COMMON_WORDS`].
pub fn is_common(word: &str) -> bool {
    COMMON_WORDS.contains(&word)
}

/// Whether a normalised word being typed may still become one of the [`COMMON_WORDS`]
/// («пожал» of «пожалуйста»), or is one.
pub fn begins_common(prefix: &str) -> bool {
    COMMON_WORDS.iter().any(|w| w.starts_with(prefix))
}

/// Lowercases and folds `ё` to `е`.
pub fn normalize(word: &str) -> String {
    word.chars()
        .flat_map(char::to_lowercase)
        .map(|c| if c == 'ё' { 'е' } else { c })
        .collect()
}

/// Whether a character is Cyrillic.
pub fn is_cyrillic(c: char) -> bool {
    matches!(c, '\u{0400}'..='\u{04FF}')
}

/// Reduces a normalized word to its stem with the stemmer of its script.
pub fn stem(word: &str) -> String {
    if word.chars().all(is_cyrillic) {
        RUSSIAN.stem(word).into_owned()
    } else if word.chars().all(|c| c.is_ascii_alphabetic()) {
        ENGLISH.stem(word).into_owned()
    } else {
        word.to_string()
    }
}

#[cfg(test)]
mod invisible_tests {
    use super::*;

    #[test]
    fn direction_and_zero_width_characters_are_dropped_and_text_kept() {
        assert_eq!(visible("Иван\u{202E}вонави"), "Иванвонави");
        assert_eq!(visible("a\u{200B}b\u{2066}c\u{2069}"), "abc");
        assert_eq!(visible("строка\nвторая\tтаб"), "строка\nвторая\tтаб");
        assert!(matches!(visible("Михаил"), std::borrow::Cow::Borrowed(_)));
        assert_eq!(visible("x\u{0007}y"), "xy");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_callers_opening_is_left_out_of_what_they_ask() {
        assert_eq!(
            without_opening("Алло, добрый день! Подскажите, пожалуйста, сколько стоит выезд"),
            "сколько стоит выезд"
        );
        assert_eq!(
            without_opening("девушка, у нас весь офис без интернета"),
            "у нас весь офис без интернета"
        );
        assert_eq!(without_opening("Hi, please help me"), "help me");
        // «день» alone is what is asked about, not a greeting; nothing but a greeting stays.
        assert_eq!(
            without_opening("день рождения клиента"),
            "день рождения клиента"
        );
        assert_eq!(without_opening("добрый день"), "добрый день");
        assert_eq!(
            without_opening("Добрый вечер, будьте добры, где вы находитесь"),
            "где вы находитесь"
        );
        // A word that opens a call only with the next one stays on its own.
        assert_eq!(
            without_opening("good price for ten laptops?"),
            "good price for ten laptops?"
        );
        assert_eq!(without_opening("добрый совет нужен"), "добрый совет нужен");
        assert_eq!(without_opening("сколько стоит"), "сколько стоит");
    }

    fn texts(s: &str) -> Vec<String> {
        words(s).into_iter().map(|w| w.text).collect()
    }

    #[test]
    fn words_are_lowercased_and_yo_is_folded() {
        assert_eq!(texts("Удалённое ЁЖИК"), ["удаленное", "ежик"]);
    }

    #[test]
    fn words_split_on_punctuation_and_keep_offsets() {
        let w = words("Canon 2100: «принтер»!");
        assert_eq!(
            texts("Canon 2100: «принтер»!"),
            ["canon", "2100", "принтер"]
        );
        assert_eq!(&"Canon 2100: «принтер»!"[w[2].from..w[2].to], "принтер");
    }

    #[test]
    fn plural_and_genitive_share_the_stem_of_the_singular() {
        assert_eq!(stem("принтеры"), stem("принтер"));
        assert_eq!(stem("принтера"), stem("принтер"));
        assert_eq!(stem("printers"), stem("printer"));
    }

    #[test]
    fn long_russian_words_are_kept() {
        // 24 letters, 48 bytes: tantivy's default RemoveLongFilter(40) would drop it.
        let word = "человеконенавистничество";
        assert_eq!(texts(word), [word]);
        assert!(!stem(word).is_empty());
    }

    #[test]
    fn hyphenated_words_also_count_joined() {
        assert_eq!(texts("Wi-Fi в офисе"), ["wi", "fi", "wifi", "в", "офисе"]);
        let w = words("сети Wi-Fi");
        assert_eq!(&"сети Wi-Fi"[w[3].from..w[3].to], "Wi-Fi");
        assert_eq!(
            texts("1С - бухгалтерия"),
            ["1с", "бухгалтерия"],
            "a spaced dash joins nothing"
        );
    }

    #[test]
    fn clipping_keeps_short_text_and_cuts_long_text_on_a_character() {
        assert_eq!(clip("короткий", 10), "короткий");
        assert_eq!(clip("длинный текст", 5), "длин…");
        assert_eq!(clip(&"я".repeat(60_000), 100).chars().count(), 100);
    }

    #[test]
    fn common_words_are_known_in_both_languages() {
        for w in ["не", "что", "у", "по", "можно", "нужно", "the", "can"] {
            assert!(is_common(w), "{w}");
        }
        assert!(!is_common("принтер") && !is_common("картридж") && !is_common("printer"));
    }

    #[test]
    fn garbage_tokens_are_skipped() {
        let long = "a".repeat(MAX_WORD_CHARS + 1);
        assert_eq!(texts(&format!("{long} ok")), ["ok"]);
    }
}
