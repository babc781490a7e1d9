//! Static word vectors: one row of numbers per vocabulary piece, distilled once from the
//! sentence model (`distil`, `callfaq distill`), and a text's vector as the weighted mean of
//! its pieces' rows, L2-normalised. It costs microseconds (cutting the text into pieces is
//! most of it), so it can weigh what a question means on every keystroke, where a pass of the
//! encoder (milliseconds) runs only once typing pauses. Its vectors live in a space of their
//! own (fewer dimensions, by PCA): compare them with each other, not with the encoder's.
//!
//! The file (`models/e5-small-static.bin`, layout `E5W1`, little-endian) carries its own
//! tokenizer, so it loads without the model file:
//!
//! ```text
//! "E5W1"  u32 version (1)  u32 dims  u32 pieces  u32 bos  u32 eos  u32 unk
//! per piece:  u16 bytes, the piece in UTF-8, f32 score (SentencePiece log-probability)
//! u32 entries of the normalisation map:  u32 from, u8 n, n × u32 to
//! pieces × dims i8 rows, then pieces × f32 scales (row = i8 · scale; 0: no row)
//! ```
//!
//! A piece's weight (how much it counts in a text) is folded into its row at distillation.

use super::file::{Reader, Vocabulary};
use super::normalise;
use super::tokenizer::Tokenizer;
use anyhow::{ensure, Context, Result};
use std::collections::HashMap;
use std::path::Path;

/// The table shipped in the repository, relative to where callfaq runs.
pub const DEFAULT_PATH: &str = "models/e5-small-static.bin";

const MAGIC: &[u8; 4] = b"E5W1";
const VERSION: u32 = 1;

/// The whole file's content: the tokenizer's vocabulary and the rows.
#[derive(Debug, Clone)]
pub struct Table {
    /// The pieces (piece `i` is row `i`), their scores and the normalisation map.
    pub vocabulary: Vocabulary,
    /// Numbers per row.
    pub dims: usize,
    /// `[pieces × dims]`.
    pub rows: Vec<i8>,
    /// One per piece; 0 for a piece without a row.
    pub scales: Vec<f32>,
}

impl Table {
    /// Rounds f32 rows (`[pieces × dims]`) to 8 bits, one scale a row.
    pub fn quantise(vocabulary: Vocabulary, dims: usize, rows: &[f32]) -> Table {
        assert_eq!(rows.len(), vocabulary.pieces.len() * dims);
        let mut out = Vec::with_capacity(rows.len());
        let mut scales = Vec::with_capacity(vocabulary.pieces.len());
        for row in rows.chunks_exact(dims) {
            let most = row.iter().fold(0.0f32, |m, v| m.max(v.abs()));
            let inverse = if most > 0.0 { 127.0 / most } else { 0.0 };
            out.extend(row.iter().map(|v| (v * inverse).round() as i8));
            scales.push(most / 127.0);
        }
        Table {
            vocabulary,
            dims,
            rows: out,
            scales,
        }
    }

    /// The file's bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let v = &self.vocabulary;
        let mut out = Vec::with_capacity(self.rows.len() + 24 * v.pieces.len());
        out.extend_from_slice(MAGIC);
        for n in [
            VERSION,
            self.dims as u32,
            v.pieces.len() as u32,
            v.bos,
            v.eos,
            v.unk,
        ] {
            out.extend_from_slice(&n.to_le_bytes());
        }
        for (piece, score) in v.pieces.iter().zip(&v.scores) {
            out.extend_from_slice(&(piece.len() as u16).to_le_bytes());
            out.extend_from_slice(piece.as_bytes());
            out.extend_from_slice(&score.to_le_bytes());
        }
        let mut map: Vec<(&char, &Vec<char>)> = v.normalise.iter().collect();
        map.sort();
        out.extend_from_slice(&(map.len() as u32).to_le_bytes());
        for (from, to) in map {
            out.extend_from_slice(&u32::from(*from).to_le_bytes());
            out.push(to.len() as u8);
            for c in to {
                out.extend_from_slice(&u32::from(*c).to_le_bytes());
            }
        }
        out.extend(self.rows.iter().map(|&q| q as u8));
        for s in &self.scales {
            out.extend_from_slice(&s.to_le_bytes());
        }
        out
    }

    /// Reads a file's bytes.
    pub fn parse(bytes: &[u8]) -> Result<Table> {
        let mut r = Reader::new(bytes);
        ensure!(
            r.take(4)? == MAGIC,
            "not a static word-vector file (no E5W1 magic)"
        );
        let version = r.u32()?;
        ensure!(
            version == VERSION,
            "static word vectors of version {version}: only {VERSION} is known"
        );
        let dims = r.u32()? as usize;
        let n = r.u32()? as usize;
        let (bos, eos, unk) = (r.u32()?, r.u32()?, r.u32()?);
        ensure!(
            dims > 0 && n > 0 && (unk as usize) < n,
            "inconsistent sizes in the header"
        );
        let mut pieces = Vec::with_capacity(n);
        let mut scores = Vec::with_capacity(n);
        for _ in 0..n {
            let len = r.u16()? as usize;
            let piece = std::str::from_utf8(r.take(len)?).context("a piece that is not UTF-8")?;
            pieces.push(piece.to_string());
            scores.push(r.f32()?);
        }
        let entries = r.u32()? as usize;
        let mut normalise = HashMap::with_capacity(entries);
        for _ in 0..entries {
            let from = char::from_u32(r.u32()?).context("a bad codepoint in the map")?;
            let count = r.u8()?;
            let to = (0..count)
                .map(|_| Ok(char::from_u32(r.u32()?).unwrap_or(' ')))
                .collect::<Result<Vec<char>>>()?;
            normalise.insert(from, to);
        }
        let rows = r.take(n * dims)?.iter().map(|&b| b as i8).collect();
        let scales = (0..n).map(|_| r.f32()).collect::<Result<Vec<f32>>>()?;
        ensure!(r.at_end(), "bytes left after the rows");
        Ok(Table {
            vocabulary: Vocabulary {
                pieces,
                scores,
                bos,
                eos,
                unk,
                normalise,
            },
            dims,
            rows,
            scales,
        })
    }
}

/// The loaded table, ready to embed texts.
pub struct StaticVectors {
    tokenizer: Tokenizer,
    dims: usize,
    rows: Vec<i8>,
    scales: Vec<f32>,
}

impl std::fmt::Debug for StaticVectors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StaticVectors")
            .field("dims", &self.dims)
            .field("pieces", &self.scales.len())
            .finish_non_exhaustive()
    }
}

impl From<Table> for StaticVectors {
    fn from(t: Table) -> StaticVectors {
        StaticVectors {
            tokenizer: Tokenizer::new(&t.vocabulary),
            dims: t.dims,
            rows: t.rows,
            scales: t.scales,
        }
    }
}

impl StaticVectors {
    /// Loads a table file written by `callfaq distill`.
    pub fn load(path: &Path) -> Result<StaticVectors> {
        let bytes = std::fs::read(path)
            .with_context(|| format!("reading the static word vectors {}", path.display()))?;
        let table = Table::parse(&bytes)
            .with_context(|| format!("reading the static word vectors {}", path.display()))?;
        Ok(table.into())
    }

    /// Numbers a vector has.
    pub fn dimensions(&self) -> usize {
        self.dims
    }

    /// The pieces of a text that have a row (as the encoder's tokenizer cuts it).
    pub fn pieces(&self, text: &str) -> Vec<u32> {
        self.tokenizer
            .ids(text)
            .into_iter()
            .filter(|&id| self.scales.get(id as usize).is_some_and(|&s| s > 0.0))
            .collect()
    }

    /// The vector of a text: the weighted mean of its pieces' rows, unit length; all zeros
    /// when no piece of it has a row (an empty text). A caller's opening («добрый день,
    /// подскажите, пожалуйста, …», [`crate::text::without_opening`]) is left out: a bag of
    /// pieces has no order to tell a greeting from what is asked, and «добрый день» read as
    /// days put the working hours above a laptop's warranty. (The sentence model reads the
    /// sentence whole: left out there, it cost more than it gained, BENCHMARKS.md.)
    pub fn embed(&self, text: &str) -> Vec<f32> {
        let kept = crate::text::without_opening(text);
        let mut out = vec![0.0f32; self.dims];
        for id in self.tokenizer.ids(kept) {
            let id = id as usize;
            let scale = self.scales.get(id).copied().unwrap_or(0.0);
            if scale > 0.0 {
                let row = &self.rows[id * self.dims..(id + 1) * self.dims];
                for (o, &q) in out.iter_mut().zip(row) {
                    *o += f32::from(q) * scale;
                }
            }
        }
        normalise(&mut out);
        out
    }

    /// Bytes it holds in memory, the tokenizer's table of pieces aside.
    pub fn bytes(&self) -> usize {
        self.rows.len() + 4 * self.scales.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pieces `<unk>`, `▁a`, `▁b`, `c`: rows (1, 0), (0, 1), (1, 1); `<unk>` has none.
    fn table() -> Table {
        let vocabulary = Vocabulary {
            pieces: ["<unk>", "▁a", "▁b", "c"].map(String::from).to_vec(),
            scores: vec![0.0, -1.0, -2.0, -3.0],
            bos: 0,
            eos: 0,
            unk: 0,
            normalise: HashMap::from([('\u{a0}', vec![' '])]),
        };
        Table::quantise(vocabulary, 2, &[0.0, 0.0, 1.0, 0.0, 0.0, 1.0, 1.0, 1.0])
    }

    #[test]
    fn a_text_is_the_normalised_sum_of_its_pieces_rows() {
        let v = StaticVectors::from(table());
        let ab = v.embed("a b");
        let s = std::f32::consts::FRAC_1_SQRT_2;
        assert!((ab[0] - s).abs() < 1e-6 && (ab[1] - s).abs() < 1e-6);
        assert_eq!(v.embed("a"), vec![1.0, 0.0]);
        // A non-breaking space is a space; an unknown character adds nothing.
        assert_eq!(v.embed("a\u{a0}b"), ab);
        assert_eq!(v.embed("a ж"), vec![1.0, 0.0]);
        assert_eq!(v.embed(""), vec![0.0, 0.0]);
        assert_eq!(v.pieces("bc"), vec![2, 3]);
    }

    #[test]
    fn the_file_reads_back_what_was_written() {
        let t = table();
        let back = Table::parse(&t.to_bytes()).unwrap();
        assert_eq!(back.vocabulary.pieces, t.vocabulary.pieces);
        assert_eq!(back.vocabulary.scores, t.vocabulary.scores);
        assert_eq!(back.vocabulary.normalise, t.vocabulary.normalise);
        assert_eq!(back.rows, t.rows);
        assert_eq!(back.scales, t.scales);
        assert_eq!(back.dims, 2);
    }

    #[test]
    fn a_cut_or_foreign_file_is_refused_with_a_reason() {
        let bytes = table().to_bytes();
        let err = Table::parse(&bytes[..bytes.len() - 3]).unwrap_err();
        assert!(format!("{err:#}").contains("ends early"), "{err:#}");
        let err = Table::parse(b"E5S1 something else").unwrap_err();
        assert!(format!("{err:#}").contains("magic"), "{err:#}");
    }
}
