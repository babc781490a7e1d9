//! The sentence model's tokenizer: XLM-R's SentencePiece unigram model. A text is normalised
//! codepoint by codepoint (the file's map: odd spaces to spaces, full-width to ASCII, control
//! characters dropped), runs of spaces collapse, spaces become `▁` (one in front), and the
//! Viterbi path of the highest total piece score cuts it; a character no piece covers is
//! `<unk>`.

use super::file::Vocabulary;
use std::collections::HashMap;

/// The word-start mark.
const METASPACE: char = '\u{2581}';

/// Pieces never matched in text.
const SPECIALS: &[&str] = &["<s>", "<pad>", "</s>", "<unk>", "<mask>"];

/// Cuts texts into token ids.
pub struct Tokenizer {
    ids: HashMap<String, u32>,
    scores: Vec<f32>,
    normalise: HashMap<char, Vec<char>>,
    longest: usize,
    unk: u32,
    unk_score: f32,
    /// `<s>`.
    pub bos: u32,
    /// `</s>`.
    pub eos: u32,
}

impl Tokenizer {
    /// From the file's vocabulary.
    pub fn new(v: &Vocabulary) -> Tokenizer {
        let ids: HashMap<String, u32> = v
            .pieces
            .iter()
            .enumerate()
            .filter(|(_, p)| !SPECIALS.contains(&p.as_str()) && !p.is_empty())
            .map(|(i, p)| (p.clone(), i as u32))
            .collect();
        let longest = ids.keys().map(String::len).max().unwrap_or(1);
        let lowest = v.scores.iter().copied().fold(0.0f32, f32::min);
        Tokenizer {
            ids,
            scores: v.scores.clone(),
            normalise: v.normalise.clone(),
            longest,
            unk: v.unk,
            unk_score: lowest - 10.0,
            bos: v.bos,
            eos: v.eos,
        }
    }

    /// The text as the pieces see it: normalised, spaces collapsed, `▁` for each space and one
    /// in front.
    fn prepare(&self, text: &str) -> String {
        let mut normal = String::with_capacity(text.len() + 3);
        for c in text.chars() {
            match self.normalise.get(&c) {
                Some(to) => normal.extend(to),
                None => normal.push(c),
            }
        }
        let mut out = String::with_capacity(normal.len() + 3);
        if !normal.starts_with(' ') {
            out.push(METASPACE);
        }
        let mut space = false;
        for c in normal.chars() {
            if c == ' ' {
                if !space {
                    out.push(METASPACE);
                }
                space = true;
            } else {
                out.push(c);
                space = false;
            }
        }
        out
    }

    /// The content token ids of a text (no `<s>`/`</s>`).
    pub fn ids(&self, text: &str) -> Vec<u32> {
        let s = self.prepare(text);
        // Byte offset of every character boundary.
        let bounds: Vec<usize> = s.char_indices().map(|(i, _)| i).chain([s.len()]).collect();
        let n = bounds.len() - 1;
        let mut best = vec![f32::NEG_INFINITY; n + 1];
        let mut back: Vec<(u32, usize)> = vec![(self.unk, 0); n + 1];
        best[0] = 0.0;
        for i in 0..n {
            if best[i] == f32::NEG_INFINITY {
                continue;
            }
            for e in i + 1..=n {
                if bounds[e] - bounds[i] > self.longest {
                    break;
                }
                if let Some(&id) = self.ids.get(&s[bounds[i]..bounds[e]]) {
                    let cand = best[i] + self.scores[id as usize];
                    if cand > best[e] {
                        best[e] = cand;
                        back[e] = (id, i);
                    }
                }
            }
            let cand = best[i] + self.unk_score;
            if cand > best[i + 1] {
                best[i + 1] = cand;
                back[i + 1] = (self.unk, i);
            }
        }
        let mut ids = Vec::new();
        let mut at = n;
        while at > 0 {
            let (id, from) = back[at];
            ids.push(id);
            at = from;
        }
        ids.reverse();
        ids
    }
}
