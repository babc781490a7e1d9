//! Snippets: a short piece of an answer's text with the query's words marked.
//!
//! tantivy's snippet generator highlights exact terms only, so this module marks words itself:
//! a word of the text is marked when its stem equals a query word's stem, when it is within the
//! query word's typo allowance, or, for the word being typed, when it starts with that word
//! (typos allowed too). The result is HTML: the text escaped, matches in `<mark>`.

use super::query::{typo_allowance, QueryPlan, MIN_PREFIX_LETTERS};
use crate::text::{stem, words};
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Longest snippet, in characters, before the ellipses.
pub const SNIPPET_CHARS: usize = 180;

/// Whether a normalized word of a text matches the plan.
pub fn matches(plan: &QueryPlan, word: &str) -> bool {
    Matcher::new(plan).matches(word)
}

/// One query variant, prepared once for matching many words of a text.
struct PreparedVariant {
    chars: Vec<char>,
    stem: String,
    /// The stem's first letter: a word whose first letter differs cannot have this stem.
    stem_first: Option<char>,
    /// Typo allowance of the variant.
    edits: usize,
    /// The word is being typed and long enough to match as a prefix.
    prefix: bool,
}

/// A plan prepared for matching the words of texts: each variant's letters and typo allowance
/// are computed once, and each distinct word of the texts is decided once, however many of the
/// hits' texts hold it (one matcher serves every snippet of a search).
pub struct Matcher {
    variants: Vec<PreparedVariant>,
    decided: RefCell<HashMap<String, bool>>,
    /// By a [`Vocabulary`]'s word number: 0 not decided yet, 1 no, 2 yes.
    decided_ids: RefCell<Vec<u8>>,
    /// Each variant's decisions as its vocabulary keeps them from one search to the next;
    /// taken at the first word asked.
    kept: RefCell<Option<Vec<Decided>>>,
}

/// What one query variant was decided to match of a vocabulary's words, by number: 0 not
/// decided yet, 1 no, 2 yes.
type Decided = Arc<Mutex<Vec<u8>>>;

/// Bytes of decisions a vocabulary keeps at most (one a word a variant), and variants at most
/// however small the vocabulary; all are dropped when there would be more.
const DECISIONS_BYTES: usize = 8 << 20;
const DECISIONS_KEPT: usize = 512;

impl Matcher {
    /// The plan prepared.
    pub fn new(plan: &QueryPlan) -> Matcher {
        let variants = plan
            .words
            .iter()
            .flat_map(|q| {
                q.variants.iter().map(move |v| {
                    let chars: Vec<char> = v.plain.chars().collect();
                    PreparedVariant {
                        edits: typo_allowance(chars.len()) as usize,
                        prefix: q.prefix && chars.len() >= MIN_PREFIX_LETTERS,
                        stem_first: v.stem.chars().next(),
                        stem: v.stem.clone(),
                        chars,
                    }
                })
            })
            .collect();
        Matcher {
            variants,
            decided: RefCell::new(HashMap::new()),
            decided_ids: RefCell::new(Vec::new()),
            kept: RefCell::new(None),
        }
    }

    /// Whether a word of a vocabulary matches, decided once per word number in a search, and
    /// for each variant once while the vocabulary keeps its decisions: the next keystrokes
    /// repeat the words typed before, and the word being typed starts from what its shorter
    /// prefix ruled out ([`Vocabulary::decisions`]).
    fn matches_id(&self, vocabulary: &Vocabulary, id: u32) -> bool {
        let id = id as usize;
        if let Some(&known) = self.decided_ids.borrow().get(id) {
            if known != 0 {
                return known == 2;
            }
        }
        let mut kept = self.kept.borrow_mut();
        let kept = kept.get_or_insert_with(|| {
            self.variants
                .iter()
                .map(|v| vocabulary.decisions(v))
                .collect()
        });
        let word = &vocabulary.words[id];
        let chars = &vocabulary.letters[id];
        let mut word_stem = None;
        let found = self.variants.iter().zip(kept.iter()).any(|(v, decided)| {
            let mut decided = decided.lock().unwrap_or_else(|p| p.into_inner());
            match decided.get_mut(id) {
                Some(known @ 1..) => *known == 2,
                Some(slot) => {
                    let found = variant_matches(v, word, chars, &mut word_stem);
                    *slot = 1 + u8::from(found);
                    found
                }
                None => variant_matches(v, word, chars, &mut word_stem),
            }
        });
        let mut decided = self.decided_ids.borrow_mut();
        if decided.len() <= id {
            decided.resize(vocabulary.words.len().max(id + 1), 0);
        }
        decided[id] = 1 + u8::from(found);
        found
    }

    /// Whether a word matches, decided once per distinct word.
    fn matches_once(&self, word: &str) -> bool {
        if let Some(&known) = self.decided.borrow().get(word) {
            return known;
        }
        let found = self.matches(word);
        self.decided.borrow_mut().insert(word.to_string(), found);
        found
    }

    /// The module's matching rule ([`variant_matches`]) for any variant.
    fn matches(&self, word: &str) -> bool {
        let chars: Vec<char> = word.chars().collect();
        let mut word_stem = None;
        self.variants
            .iter()
            .any(|v| variant_matches(v, word, &chars, &mut word_stem))
    }
}

/// Whether `word` matches one variant, cheapest checks first: typo and prefix (skipped when the
/// lengths alone rule them out), then the stem, computed only when the variant's stem starts
/// with the word's first letter (Snowball's Russian and English stemmers rewrite endings only),
/// and once for all the variants a word is checked against (`word_stem`).
fn variant_matches(
    v: &PreparedVariant,
    word: &str,
    chars: &[char],
    word_stem: &mut Option<String>,
) -> bool {
    if v.edits > 0 && within(chars, &v.chars, v.edits) {
        return true;
    }
    if v.prefix && prefix_within(chars, &v.chars, v.edits) {
        return true;
    }
    if v.stem_first != chars.first().copied() {
        return false;
    }
    word_stem.get_or_insert_with(|| stem(word)).as_str() == v.stem
}

/// Builds a highlighted HTML snippet of `text` for the plan: the window with the most matched
/// words, or the start of the text when nothing matches.
pub fn snippet(plan: &QueryPlan, text: &str) -> String {
    snippet_with(&Matcher::new(plan), text)
}

/// The same with a prepared plan, shared by the snippets of one search.
pub fn snippet_with(matcher: &Matcher, text: &str) -> String {
    let spans: Vec<(usize, usize)> = words(text)
        .iter()
        .filter(|w| matcher.matches_once(&w.text))
        .map(|w| (w.from, w.to))
        .collect();
    render(text, &spans)
}

/// The normalized words of many texts, each kept once and numbered; and which of them each
/// query word matches, as snippets asked (within [`DECISIONS_BYTES`]).
#[derive(Debug, Default)]
pub struct Vocabulary {
    words: Vec<String>,
    numbers: HashMap<String, u32>,
    /// Each word's first letter, once sealed.
    firsts: Vec<Option<char>>,
    /// Each word's letters, by number: what the typo and prefix comparisons read, so that a
    /// search allocates none of them.
    letters: Vec<Box<[char]>>,
    /// By variant: its letters, typo allowance, and whether it is a prefix being typed.
    decisions: Mutex<HashMap<(String, u8, bool), Decided>>,
}

/// A text cut into words once ([`crate::text::words`]): each word's byte range and its number in
/// a [`Vocabulary`], so that a snippet of it neither cuts nor normalizes again.
#[derive(Debug, Default)]
pub struct Cut {
    words: Vec<(u32, u32, u32)>,
}

impl Vocabulary {
    /// Cuts `text`, numbering its new words.
    pub fn cut(&mut self, text: &str) -> Cut {
        let words = words(text)
            .into_iter()
            .map(|w| {
                let next = self.words.len() as u32;
                let id = *self.numbers.entry(w.text).or_insert_with_key(|word| {
                    self.words.push(word.clone());
                    self.letters.push(word.chars().collect());
                    next
                });
                (w.from as u32, w.to as u32, id)
            })
            .collect();
        Cut { words }
    }

    /// Done numbering: the lookup table is dropped.
    pub fn seal(&mut self) {
        self.numbers = HashMap::new();
        self.firsts = self.words.iter().map(|w| w.chars().next()).collect();
    }

    /// The words, by number.
    pub fn words(&self) -> &[String] {
        &self.words
    }

    /// The decisions kept for a query variant, undecided at first, but for what the word being
    /// typed inherits from its prefix one letter shorter with the same typo allowance: a word
    /// that prefix ruled out is ruled out for the longer one too (a word within `k` edits of
    /// the longer one, whole or as a prefix, has a prefix within `k` of the shorter), unless
    /// its first letter is the longer one's stem's, whose stem may then match.
    fn decisions(&self, v: &PreparedVariant) -> Decided {
        let letters: String = v.chars.iter().collect();
        let key = (letters, v.edits as u8, v.prefix);
        let mut kept = self.decisions.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(found) = kept.get(&key) {
            return Arc::clone(found);
        }
        let mut decided = vec![0; self.words.len()];
        let shorter = v.chars.len().checked_sub(1).filter(|_| v.prefix).map(|n| {
            let letters: String = v.chars[..n].iter().collect();
            (letters, key.1, true)
        });
        if let Some(parent) = shorter.and_then(|k| kept.get(&k)) {
            let parent = parent.lock().unwrap_or_else(|p| p.into_inner());
            if parent.len() == decided.len() && self.firsts.len() == decided.len() {
                for ((slot, &was), &first) in
                    decided.iter_mut().zip(parent.iter()).zip(&self.firsts)
                {
                    if was == 1 && first != v.stem_first {
                        *slot = 1;
                    }
                }
            }
        }
        let most = (DECISIONS_BYTES / self.words.len().max(1)).clamp(16, DECISIONS_KEPT);
        if kept.len() >= most {
            kept.clear();
        }
        let decided = Arc::new(Mutex::new(decided));
        kept.insert(key, Arc::clone(&decided));
        decided
    }
}

impl Cut {
    /// The numbers of its words, in order.
    pub fn numbers(&self) -> impl Iterator<Item = u32> + '_ {
        self.words.iter().map(|&(_, _, id)| id)
    }
}

/// The snippet of a text cut before: the same as [`snippet_with`] on the same text.
pub fn snippet_cut(matcher: &Matcher, vocabulary: &Vocabulary, cut: &Cut, text: &str) -> String {
    let spans: Vec<(usize, usize)> = cut
        .words
        .iter()
        .filter(|(_, _, id)| matcher.matches_id(vocabulary, *id))
        .map(|&(from, to, _)| (from as usize, to as usize))
        .collect();
    render(text, &spans)
}

/// The snippet's HTML around the matched words' byte ranges (in order).
fn render(text: &str, spans: &[(usize, usize)]) -> String {
    let (from, to) = window(text, spans);
    let mut out = String::new();
    if from > 0 {
        out.push('…');
    }
    let mut at = from;
    for &(w_from, w_to) in spans.iter().filter(|(f, t)| *f >= from && *t <= to) {
        // A joined hyphenated word overlaps its parts: mark only what is not marked yet.
        if w_from < at {
            continue;
        }
        escape_into(&text[at..w_from], &mut out);
        out.push_str("<mark>");
        escape_into(&text[w_from..w_to], &mut out);
        out.push_str("</mark>");
        at = w_to;
    }
    escape_into(&text[at..to], &mut out);
    if to < text.len() {
        out.push('…');
    }
    out
}

/// Picks the byte range of at most [`SNIPPET_CHARS`] characters holding the most hits, cut at
/// word boundaries.
fn window(text: &str, hits: &[(usize, usize)]) -> (usize, usize) {
    let char_starts: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
    let byte_at = |char_index: usize| char_starts.get(char_index).copied().unwrap_or(text.len());
    let char_index_of = |byte: usize| char_starts.partition_point(|&b| b < byte);
    let mut best_start = 0usize; // in chars
    let mut best_count = 0usize;
    // The phrase to say comes first in an answer: when it holds a match, the snippet starts
    // there rather than in the middle of a later list.
    let phrase_end = text.find('\n').unwrap_or(text.len());
    let in_phrase = hits.iter().take_while(|h| h.1 <= phrase_end).count();
    if in_phrase > 0 && hits[in_phrase - 1].1 <= byte_at(SNIPPET_CHARS) {
        best_count = usize::MAX;
    }
    for (i, h) in hits.iter().enumerate() {
        let start = char_index_of(h.0).saturating_sub(30);
        let end_byte = byte_at(start + SNIPPET_CHARS);
        let count = hits[i..].iter().take_while(|o| o.1 <= end_byte).count();
        if best_count != usize::MAX && count > best_count {
            best_count = count;
            best_start = start;
        }
    }
    let mut from = byte_at(best_start);
    let mut to = byte_at(best_start + SNIPPET_CHARS);
    // Do not cut a word in half at either end.
    if from > 0 {
        if let Some(space) = text[from..].find(char::is_whitespace) {
            if space < 30 {
                from += space;
            }
        }
        from += text[from..].len() - text[from..].trim_start().len();
    }
    if to < text.len() {
        if let Some(space) = text[from..to].rfind(char::is_whitespace) {
            to = from + space;
        }
        // Nor end on a list's bullet whose item is cut off («Цены: •…»).
        to = from
            + text[from..to]
                .trim_end_matches(|c: char| c.is_whitespace() || c == '•')
                .len();
    }
    (from, to.max(from))
}

fn escape_into(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
}

/// Edit distance with adjacent transpositions costing one (optimal string alignment).
pub fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut last = 0;
    osa_rows(&a, &b, a.len(), |_, row| {
        last = row[b.len()];
        false
    });
    last
}

/// Smallest edit distance between `typed` and any prefix of `word`.
pub fn prefix_distance(word: &str, typed: &str) -> usize {
    let chars: Vec<char> = word.chars().collect();
    let typed: Vec<char> = typed.chars().collect();
    let lo = typed.len().saturating_sub(2);
    let hi = (typed.len() + 2).min(chars.len());
    if chars.len() < lo {
        return usize::MAX;
    }
    let mut best = usize::MAX;
    osa_rows(&chars, &typed, hi, |i, row| {
        if i >= lo {
            best = best.min(row[typed.len()]);
        }
        false
    });
    best
}

/// Whether `distance(a, b) <= k`, without computing it when the lengths already say no: only
/// the cells within `k` of the diagonal (a distance is at least the lengths' difference), in
/// bytes on the stack, stopping once two rows in a row are over `k` (a transposition reaches
/// back two rows at most).
pub(crate) fn within(a: &[char], b: &[char], k: usize) -> bool {
    if a.len().abs_diff(b.len()) > k {
        return false;
    }
    if k == 0 {
        return a == b;
    }
    const WIDE: usize = 64;
    if b.len() >= WIDE || k >= usize::from(u8::MAX) - 1 {
        let mut last = usize::MAX;
        osa_rows(a, b, a.len(), |i, row| {
            if i == a.len() {
                last = row[b.len()];
            }
            false
        });
        return last <= k;
    }
    // Every distance over k is kept as k + 1.
    let over = (k + 1) as u8;
    let m = b.len();
    let mut before = [over; WIDE];
    let mut prev = [over; WIDE];
    let mut cur = [over; WIDE];
    for (j, cell) in prev.iter_mut().enumerate().take(m.min(k) + 1) {
        *cell = j as u8;
    }
    let mut prev_min = 0u8;
    for i in 1..=a.len() {
        let lo = i.saturating_sub(k).max(1);
        let hi = (i + k).min(m);
        cur[0] = i.min(k + 1) as u8;
        if lo > 1 {
            cur[lo - 1] = over;
        }
        let mut row_min = cur[0];
        for j in lo..=hi {
            let cost = u8::from(a[i - 1] != b[j - 1]);
            let mut d = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(before[j - 2] + 1);
            }
            let d = d.min(over);
            cur[j] = d;
            row_min = row_min.min(d);
        }
        if hi < m {
            cur[hi + 1] = over;
        }
        if row_min >= over && prev_min >= over {
            return false;
        }
        prev_min = row_min;
        std::mem::swap(&mut before, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    // After the last swap the last row is `prev`.
    usize::from(prev[m]) <= k
}

/// Whether `prefix_distance(word, typed) <= k`: only prefixes of `word` within `k` letters of
/// `typed`'s length can be close enough, so only those rows are computed.
fn prefix_within(word: &[char], typed: &[char], k: usize) -> bool {
    let m = typed.len();
    let lo = m.saturating_sub(2);
    let hi = (m + 2).min(word.len());
    if word.len() < lo {
        return false;
    }
    // distance(word[..i], typed) >= |i - m|: rows outside m ± k cannot match.
    let first = lo.max(m.saturating_sub(k));
    let last_row = hi.min(m + k);
    if first > last_row {
        return false;
    }
    let mut found = false;
    osa_rows(word, typed, last_row, |i, row| {
        if i >= first && row[m] <= k {
            found = true;
        }
        found
    });
    found
}

/// The optimal-string-alignment table of `a` against `b`, one row per letter of `a` up to row
/// `rows` (row `i` holds the distances of `a[..i]` to every prefix of `b`). `on_row` sees each
/// row, from row 0, and returns true to stop early. Three rolling rows, no table.
fn osa_rows(a: &[char], b: &[char], rows: usize, mut on_row: impl FnMut(usize, &[usize]) -> bool) {
    let width = b.len() + 1;
    let mut before: Vec<usize> = vec![0; width];
    let mut prev: Vec<usize> = (0..width).collect();
    let mut cur: Vec<usize> = vec![0; width];
    if on_row(0, &prev) {
        return;
    }
    for i in 1..=rows.min(a.len()) {
        cur[0] = i;
        for j in 1..width {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(before[j - 2] + 1);
            }
            cur[j] = d;
        }
        if on_row(i, &cur) {
            return;
        }
        std::mem::swap(&mut before, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance_counts_transposition_once() {
        assert_eq!(distance("принтер", "пирнтер"), 1);
        assert_eq!(distance("админстрирование", "администрирование"), 1);
        assert_eq!(distance("", "abc"), 3);
    }

    #[test]
    fn snippet_marks_a_hyphenated_word_once() {
        let s = snippet(&QueryPlan::parse("wifi "), "Настроим Wi-Fi и сеть.");
        assert!(s.contains("<mark>Wi-Fi</mark>"), "{s}");
        let s = snippet(&QueryPlan::parse("wi-fi "), "Настроим Wi-Fi и сеть.");
        assert_eq!(s.matches("<mark>").count(), 2, "{s}");
    }

    #[test]
    fn snippet_marks_stem_typo_and_prefix_matches() {
        let text = "Удалённое администрирование серверов и принтеров.";
        let s = snippet(&QueryPlan::parse("админстрирование принтер удал"), text);
        assert!(s.contains("<mark>администрирование</mark>"), "{s}");
        assert!(s.contains("<mark>принтеров</mark>"), "{s}");
        assert!(s.contains("<mark>Удалённое</mark>"), "{s}");
        assert!(!s.contains("<mark>серверов</mark>"), "{s}");
    }

    /// The full-table distance the fast paths must agree with.
    fn reference(a: &str, b: &str) -> usize {
        let a: Vec<char> = a.chars().collect();
        let b: Vec<char> = b.chars().collect();
        let mut rows = vec![vec![0usize; b.len() + 1]; a.len() + 1];
        for (i, row) in rows.iter_mut().enumerate() {
            row[0] = i;
        }
        for (j, cell) in rows[0].iter_mut().enumerate() {
            *cell = j;
        }
        for i in 1..=a.len() {
            for j in 1..=b.len() {
                let cost = usize::from(a[i - 1] != b[j - 1]);
                let mut d = (rows[i - 1][j] + 1)
                    .min(rows[i][j - 1] + 1)
                    .min(rows[i - 1][j - 1] + cost);
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    d = d.min(rows[i - 2][j - 2] + 1);
                }
                rows[i][j] = d;
            }
        }
        rows[a.len()][b.len()]
    }

    #[test]
    fn fast_checks_agree_with_the_full_table() {
        let words = [
            "",
            "а",
            "ка",
            "кар",
            "картридж",
            "картридш",
            "картриджи",
            "картриджей",
            "ткартридж",
            "администрирование",
            "админстрирование",
            "адмнистрирвоание",
            "принтер",
            "пирнтер",
            "принт",
            "прнт",
            "принтеры",
            "ghbynth",
            "canon",
            "сфтщт",
            "2100",
            "abc",
            "bca",
        ];
        for a in words {
            for b in words {
                assert_eq!(distance(a, b), reference(a, b), "{a} {b}");
                let ac: Vec<char> = a.chars().collect();
                let bc: Vec<char> = b.chars().collect();
                let lo = bc.len().saturating_sub(2);
                let hi = (bc.len() + 2).min(ac.len());
                let by_table = (lo..=hi.max(lo))
                    .filter(|&n| n <= ac.len())
                    .map(|n| reference(&ac[..n].iter().collect::<String>(), b))
                    .min()
                    .unwrap_or(usize::MAX);
                assert_eq!(prefix_distance(a, b), by_table, "{a} {b}");
                for k in 0..=3 {
                    assert_eq!(within(&ac, &bc, k), reference(a, b) <= k, "{a} {b} {k}");
                    assert_eq!(prefix_within(&ac, &bc, k), by_table <= k, "{a} {b} {k}");
                }
            }
        }
    }

    #[test]
    fn a_text_cut_once_gives_the_same_snippets_as_cut_each_time() {
        let long = format!("{} принтер Canon 2100 в наличии.", "вступление ".repeat(40));
        let texts = [
            "Удалённое администрирование серверов и принтеров.",
            "Настроим Wi-Fi и сеть, тег <b>жирный</b>.",
            long.as_str(),
            "",
        ];
        let mut vocabulary = Vocabulary::default();
        let cuts: Vec<Cut> = texts.iter().map(|t| vocabulary.cut(t)).collect();
        vocabulary.seal();
        let typed = [
            "админстрирование принтер удал",
            "wifi ",
            "wi-fi сеть",
            "canon 2100",
            "ghbynth",
            "тег",
            "принтеры удалённо",
            "",
        ];
        // Each query whole, and letter by letter as typed: the vocabulary's kept decisions
        // (whole words repeated, a prefix from its shorter one) give what a fresh look gives.
        let keystrokes = typed.iter().flat_map(|q| {
            let ends: Vec<usize> = q.char_indices().map(|(i, c)| i + c.len_utf8()).collect();
            std::iter::once(*q).chain(ends.into_iter().map(|end| &q[..end]))
        });
        for q in keystrokes {
            let plan = QueryPlan::parse(q);
            // One matcher for every text, as one search's hits share it.
            let matcher = Matcher::new(&plan);
            for (text, cut) in texts.iter().zip(&cuts) {
                assert_eq!(
                    snippet_cut(&matcher, &vocabulary, cut, text),
                    snippet(&plan, text),
                    "{q:?} in {text:?}"
                );
            }
        }
        assert!(!vocabulary.decisions.lock().unwrap().is_empty());
    }

    #[test]
    fn snippet_escapes_markup() {
        let s = snippet(&QueryPlan::parse("тег"), "тег <script>alert(1)</script>");
        assert!(s.contains("&lt;script&gt;"), "{s}");
        assert!(!s.contains("<script>"));
    }

    #[test]
    fn snippet_without_matches_is_the_start_of_the_text() {
        let text = "Первое предложение. ".repeat(30);
        let s = snippet(&QueryPlan::parse("ничего"), &text);
        assert!(s.starts_with("Первое"));
        assert!(s.ends_with('…'));
        assert!(s.chars().count() <= SNIPPET_CHARS + 2);
    }

    #[test]
    fn snippet_does_not_end_on_a_bullet_whose_item_is_cut_off() {
        // The cut falls right after the bullet of the list's first item.
        let phrase = format!("Заправка картриджа {}Цены:", "стоит недорого ".repeat(10));
        let text = format!("{phrase}\n• чёрно-белый — от 900 ₽\n• цветной — от 1 500 ₽");
        let s = snippet(&QueryPlan::parse("заправка"), &text);
        assert!(s.ends_with("Цены:…"), "{s}");
    }

    #[test]
    fn snippet_centres_on_the_matches() {
        let text = format!("{} принтер Canon 2100 в наличии.", "вступление ".repeat(40));
        let s = snippet(&QueryPlan::parse("canon 2100"), &text);
        assert!(s.starts_with('…'));
        assert!(s.contains("<mark>Canon</mark> <mark>2100</mark>"), "{s}");
    }

    #[test]
    fn snippet_starts_at_the_phrase_to_say_when_it_matches() {
        let text = format!(
            "Скажите клиенту: заправка картриджа стоит 900 рублей.\n{}• заправка при вас\n• заправка цветных\n• заправка срочная",
            "• другие условия и подробности\n".repeat(12)
        );
        let s = snippet(&QueryPlan::parse("заправка "), &text);
        assert!(
            s.starts_with("Скажите клиенту: <mark>заправка</mark>"),
            "{s}"
        );
    }
}
