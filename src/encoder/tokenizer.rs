//! The sentence model's tokenizer: XLM-R's SentencePiece unigram model. A text is normalised
//! codepoint by codepoint (the file's map: odd spaces to spaces, full-width to ASCII, control
//! characters dropped), runs of spaces collapse, spaces become `▁` (one in front), and the
//! Viterbi path of the highest total piece score cuts it; a character no piece covers is
//! `<unk>`.

use super::file::Vocabulary;
use std::collections::HashMap;
use std::hash::{BuildHasher, Hasher};

/// The word-start mark.
const METASPACE: char = '\u{2581}';

/// Pieces never matched in text.
pub(super) const SPECIALS: &[&str] = &["<s>", "<pad>", "</s>", "<unk>", "<mask>"];

/// A fast hash for the pieces' table (multiply and rotate, 8 bytes at a time): its keys are
/// the model's fixed vocabulary, so text typed in cannot crowd a bucket, and a lookup costs a
/// fraction of the default SipHash's (a text of 50 letters makes about 1,000 lookups).
#[derive(Debug, Clone, Copy, Default)]
struct PieceHash;

/// The state of [`PieceHash`].
struct PieceHasher(u64);

impl BuildHasher for PieceHash {
    type Hasher = PieceHasher;
    fn build_hasher(&self) -> PieceHasher {
        PieceHasher(0)
    }
}

impl Hasher for PieceHasher {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x517c_c1b7_2722_0a95;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let word = u64::from_le_bytes(c.try_into().expect("8 bytes"));
            self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(K);
        }
        let mut last = [0u8; 8];
        let rest = chunks.remainder();
        last[..rest.len()].copy_from_slice(rest);
        self.0 =
            (self.0.rotate_left(5) ^ u64::from_le_bytes(last) ^ rest.len() as u64).wrapping_mul(K);
    }

    fn finish(&self) -> u64 {
        // The high bits are the best mixed; the table indexes by the low ones.
        self.0.rotate_left(26)
    }
}

/// Cuts texts into token ids.
pub struct Tokenizer {
    ids: HashMap<String, u32, PieceHash>,
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
        let ids: HashMap<String, u32, PieceHash> = v
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
