//! What the learned ranking and the grouping see of a text: its word stems (`w:` features) and
//! the character 2- to 5-grams inside each word, taken from the word padded as `^word$` (`c:`
//! features). The grams make a typo, an unfinished word or another inflection still meet most
//! of the word's features; the stems carry whole words.
//!
//! A feature is named by a 64-bit FNV-1a hash of its family and text, stable across runs and
//! versions, so that a model saved to disk reads back the same. A text becomes counts
//! ([`counts`]); [`Idf`] weighs them `(1 + ln tf) · idf` with the smooth IDF
//! `ln((1 + N) / (1 + df)) + 1`, and the vector is L2-normalised. These choices, and the
//! alternatives measured against them on the shared sets, are in `BENCHMARKS.md`.

use super::{stem, words};
use std::collections::HashMap;

/// A feature's name: the hash of its family and text.
pub type FeatureId = u64;

/// The shortest and longest character n-gram taken inside a word.
pub const GRAMS: (usize, usize) = (2, 5);

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

fn fnv(family: u8, parts: &[&[u8]]) -> FeatureId {
    let mut h = FNV_OFFSET;
    let mut eat = |b: u8| {
        h ^= u64::from(b);
        h = h.wrapping_mul(FNV_PRIME);
    };
    eat(family);
    for part in parts {
        for &b in *part {
            eat(b);
        }
    }
    h
}

/// The id of the stem feature of a word (already normalised).
pub fn stem_feature(word: &str) -> FeatureId {
    fnv(b'w', &[stem(word).as_bytes()])
}

/// The features of a text with their counts, in first-seen order.
pub fn counts(text: &str) -> Vec<(FeatureId, u32)> {
    let mut seen: HashMap<FeatureId, usize> = HashMap::new();
    let mut out: Vec<(FeatureId, u32)> = Vec::new();
    let mut add = |id: FeatureId| match seen.get(&id) {
        Some(&i) => out[i].1 += 1,
        None => {
            seen.insert(id, out.len());
            out.push((id, 1));
        }
    };
    let mut padded: Vec<char> = Vec::with_capacity(32);
    let mut buf = [0u8; 4];
    let mut gram: Vec<u8> = Vec::with_capacity(32);
    for w in words(text) {
        add(stem_feature(&w.text));
        padded.clear();
        padded.push('^');
        padded.extend(w.text.chars());
        padded.push('$');
        let (lo, hi) = GRAMS;
        for n in lo..=hi {
            if padded.len() < n {
                break;
            }
            for start in 0..=padded.len() - n {
                gram.clear();
                for c in &padded[start..start + n] {
                    gram.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                }
                add(fnv(b'c', &[&gram]));
            }
        }
    }
    out
}

/// A sparse vector: feature ids (or indices) with weights.
pub type Sparse<K> = Vec<(K, f32)>;

/// Scales a vector to unit length; an empty or zero vector stays as it is.
pub fn normalize<K>(v: &mut Sparse<K>) {
    let norm = v.iter().map(|(_, x)| x * x).sum::<f32>().sqrt();
    if norm > 0.0 {
        for (_, x) in v.iter_mut() {
            *x /= norm;
        }
    }
}

/// The weight of a feature seen `tf` times in a text, before IDF: `1 + ln tf`.
pub fn sublinear(tf: u32) -> f32 {
    1.0 + (tf.max(1) as f32).ln()
}

/// Document frequencies over a set of texts, and the IDF they give.
#[derive(Debug, Clone, Default)]
pub struct Idf {
    /// Texts counted.
    pub texts: u32,
    /// Texts holding each feature.
    pub df: HashMap<FeatureId, u32>,
}

impl Idf {
    /// Counts one more text's features.
    pub fn add(&mut self, counts: &[(FeatureId, u32)]) {
        self.texts += 1;
        for (f, _) in counts {
            *self.df.entry(*f).or_insert(0) += 1;
        }
    }

    /// The smooth IDF of a feature: `ln((1 + N) / (1 + df)) + 1`.
    pub fn idf(&self, feature: FeatureId) -> f32 {
        let df = self.df.get(&feature).copied().unwrap_or(0);
        idf_of(self.texts, df)
    }

    /// The L2-normalised TF-IDF vector of a text's counts.
    pub fn vector(&self, counts: &[(FeatureId, u32)]) -> Sparse<FeatureId> {
        let mut v: Sparse<FeatureId> = counts
            .iter()
            .map(|&(f, tf)| (f, sublinear(tf) * self.idf(f)))
            .collect();
        normalize(&mut v);
        v
    }
}

/// The smooth IDF for a feature in `df` of `texts` texts.
pub fn idf_of(texts: u32, df: u32) -> f32 {
    ((1.0 + texts as f32) / (1.0 + df as f32)).ln() + 1.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_word_gives_its_stem_and_its_padded_grams() {
        // «еж»: ^е еж ж$ | ^еж еж$ | ^еж$ — six grams and one stem.
        let c = counts("еж");
        assert_eq!(c.len(), 7);
        assert!(c.iter().all(|&(_, n)| n == 1));
        assert_eq!(c[0].0, stem_feature("еж"));
    }

    #[test]
    fn case_and_yo_do_not_change_the_features() {
        assert_eq!(counts("Ёжик"), counts("ежик"));
    }

    #[test]
    fn repeated_words_count_up() {
        let c = counts("принтер принтер");
        assert!(c.iter().all(|&(_, n)| n == 2));
    }

    #[test]
    fn an_inflection_shares_the_stem_and_most_grams() {
        let a: Vec<FeatureId> = counts("картриджа").into_iter().map(|(f, _)| f).collect();
        let b: Vec<FeatureId> = counts("картриджи").into_iter().map(|(f, _)| f).collect();
        assert_eq!(a[0], b[0], "one stem");
        let shared = a.iter().filter(|f| b.contains(f)).count();
        assert!(shared * 3 > a.len() * 2, "{shared} of {}", a.len());
    }

    #[test]
    fn vectors_are_unit_length_and_rare_features_weigh_more() {
        let mut idf = Idf::default();
        for t in ["принтер", "принтер canon", "принтер hp"] {
            idf.add(&counts(t));
        }
        let v = idf.vector(&counts("принтер canon"));
        let norm: f32 = v.iter().map(|(_, x)| x * x).sum::<f32>().sqrt();
        assert!((norm - 1.0).abs() < 1e-5);
        let weight = |f: FeatureId| v.iter().find(|(g, _)| *g == f).unwrap().1;
        assert!(weight(stem_feature("canon")) > weight(stem_feature("принтер")));
    }
}
