//! Snippets: a short piece of an answer's text with the query's words marked.
//!
//! tantivy's snippet generator highlights exact terms only, so this module marks words itself:
//! a word of the text is marked when its stem equals a query word's stem, when it is within the
//! query word's typo allowance, or, for the word being typed, when it starts with that word
//! (typos allowed too). The result is HTML: the text escaped, matches in `<mark>`.

use super::analysis::{stem, words, Word};
use super::query::{typo_allowance, QueryPlan, MIN_PREFIX_LETTERS};

/// Longest snippet, in characters, before the ellipses.
pub const SNIPPET_CHARS: usize = 180;

/// Whether a normalized word of a text matches the plan.
pub fn matches(plan: &QueryPlan, word: &str) -> bool {
    let word_stem = stem(word);
    plan.words.iter().any(|q| {
        q.variants.iter().any(|v| {
            let letters = v.plain.chars().count();
            let edits = typo_allowance(letters) as usize;
            v.stem == word_stem
                || (edits > 0 && distance(word, &v.plain) <= edits)
                || (q.prefix
                    && letters >= MIN_PREFIX_LETTERS
                    && prefix_distance(word, &v.plain) <= edits)
        })
    })
}

/// Builds a highlighted HTML snippet of `text` for the plan: the window with the most matched
/// words, or the start of the text when nothing matches.
pub fn snippet(plan: &QueryPlan, text: &str) -> String {
    let all = words(text);
    let hits: Vec<&Word> = all.iter().filter(|w| matches(plan, &w.text)).collect();
    let (from, to) = window(text, &hits);
    let mut out = String::new();
    if from > 0 {
        out.push('…');
    }
    let mut at = from;
    for w in hits.iter().filter(|w| w.from >= from && w.to <= to) {
        escape_into(&text[at..w.from], &mut out);
        out.push_str("<mark>");
        escape_into(&text[w.from..w.to], &mut out);
        out.push_str("</mark>");
        at = w.to;
    }
    escape_into(&text[at..to], &mut out);
    if to < text.len() {
        out.push('…');
    }
    out
}

/// Picks the byte range of at most [`SNIPPET_CHARS`] characters holding the most hits, cut at
/// word boundaries.
fn window(text: &str, hits: &[&Word]) -> (usize, usize) {
    let char_starts: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
    let byte_at = |char_index: usize| char_starts.get(char_index).copied().unwrap_or(text.len());
    let char_index_of = |byte: usize| char_starts.partition_point(|&b| b < byte);
    let mut best_start = 0usize; // in chars
    let mut best_count = 0usize;
    for (i, h) in hits.iter().enumerate() {
        let start = char_index_of(h.from).saturating_sub(30);
        let end_byte = byte_at(start + SNIPPET_CHARS);
        let count = hits[i..].iter().take_while(|o| o.to <= end_byte).count();
        if count > best_count {
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
    let mut rows = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    for j in 0..=b.len() {
        rows[0][j] = j;
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

/// Smallest edit distance between `typed` and any prefix of `word`.
pub fn prefix_distance(word: &str, typed: &str) -> usize {
    let chars: Vec<char> = word.chars().collect();
    let typed_len = typed.chars().count();
    let lo = typed_len.saturating_sub(2);
    let hi = (typed_len + 2).min(chars.len());
    (lo..=hi.max(lo))
        .filter(|&n| n <= chars.len())
        .map(|n| distance(&chars[..n].iter().collect::<String>(), typed))
        .min()
        .unwrap_or(usize::MAX)
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
    fn snippet_marks_stem_typo_and_prefix_matches() {
        let text = "Удалённое администрирование серверов и принтеров.";
        let s = snippet(&QueryPlan::parse("админстрирование принтер удал"), text);
        assert!(s.contains("<mark>администрирование</mark>"), "{s}");
        assert!(s.contains("<mark>принтеров</mark>"), "{s}");
        assert!(s.contains("<mark>Удалённое</mark>"), "{s}");
        assert!(!s.contains("<mark>серверов</mark>"), "{s}");
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
    fn snippet_centres_on_the_matches() {
        let text = format!("{} принтер Canon 2100 в наличии.", "вступление ".repeat(40));
        let s = snippet(&QueryPlan::parse("canon 2100"), &text);
        assert!(s.starts_with('…'));
        assert!(s.contains("<mark>Canon</mark> <mark>2100</mark>"), "{s}");
    }
}
