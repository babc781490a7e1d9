//! The sentence model: a small multilingual encoder (multilingual-e5-small, 4-bit, its
//! vocabulary pruned to Cyrillic, Latin, digits and single characters; `models/`) that turns a
//! text into a 384-number vector, so that texts that mean the same are close whatever words
//! they use («у нас всё легло» and «сервер не работает»).
//!
//! - [`file`]: the model file's layout;
//! - [`tokenizer`]: SentencePiece unigram cutting;
//! - `pass`: the forward pass of the BERT encoder over a batch of texts, its products in f32
//!   (`exact`, the reference) or 8 bits (`int8`, on processors with AVX-512 VNNI), the rest
//!   in `math`; the word embeddings stay 4-bit and are expanded per token;
//! - here: the public calls, batching, threads, mean pooling and L2 normalisation;
//! - [`words`]: static word vectors distilled from the model ([`distil`]), for every
//!   keystroke.
//!
//! Every text is encoded as `"query: " + text`, as the model was trained for questions. One
//! text takes a few milliseconds on one core: callers encode whole questions (logged, or when
//! the operator stops typing), never every keystroke.

pub mod distil;
mod exact;
pub mod file;
mod int8;
pub(crate) mod math;
mod pass;
pub mod tokenizer;
pub mod words;

use anyhow::{Context, Result};
use file::ModelFile;
use pass::Network;
use std::borrow::Cow;
use std::path::{Path, PathBuf};
use tokenizer::Tokenizer;

/// Numbers a vector has.
pub const DIMENSIONS: usize = 384;

/// The model file shipped in the repository, relative to where callfaq runs.
pub const DEFAULT_PATH: &str = "models/e5-small-q4.bin";

/// The prefix the model expects on a question.
const QUERY_PREFIX: &str = "query: ";

/// Tokens encoded together in one pass at most: enough for every weight read from memory to
/// serve many tokens (16 typical questions of 20), few enough for the buffers to stay small
/// (a pass of 320 tokens holds about 4 MB).
const PASS_TOKENS: usize = 320;

/// A unit-length sentence vector.
pub type Vector = Vec<f32>;

/// How the layers' matrix products are computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Precision {
    /// f32: the 4-bit weights expanded once at load (85 MB); the reference.
    F32,
    /// 8 bits: weights and activations rounded to 8 bits per block of 128 inputs, integer dot
    /// products (AVX-512 VNNI; 21 MB). Sentence vectors keep a cosine of at least 0.999 with
    /// [`Precision::F32`]'s on the shared evaluation sets.
    Int8,
}

impl Precision {
    /// The fastest that keeps the vectors: [`Precision::Int8`] where the processor has 8-bit
    /// dot products in vector registers (AVX-512 VNNI), [`Precision::F32`] elsewhere (the plain
    /// 8-bit arithmetic is slower than f32 products), and in a build without optimisations
    /// (as tests are built): there the 8-bit kernels run unoptimised, 5 times slower than the
    /// f32 products of `matrixmultiply`, a dependency built optimised.
    pub fn fastest() -> Precision {
        if math::level() == math::Level::Avx512Vnni && !cfg!(debug_assertions) {
            Precision::Int8
        } else {
            Precision::F32
        }
    }
}

/// The loaded model.
pub struct Encoder {
    tokenizer: Tokenizer,
    network: Network,
    precision: Precision,
    path: PathBuf,
}

impl std::fmt::Debug for Encoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Encoder")
            .field("path", &self.path)
            .field("precision", &self.precision)
            .finish_non_exhaustive()
    }
}

impl Encoder {
    /// Loads the model file, in the fastest precision this processor has
    /// ([`Precision::fastest`]).
    pub fn load(path: &Path) -> Result<Encoder> {
        Encoder::load_with(path, Precision::fastest())
    }

    /// Loads the model file, in `precision`.
    pub fn load_with(path: &Path, precision: Precision) -> Result<Encoder> {
        let read = || -> Result<Encoder> {
            let bytes = std::fs::read(path)?;
            let m = ModelFile::parse(bytes)?;
            Ok(Encoder {
                tokenizer: Tokenizer::new(&m.vocabulary),
                network: Network::load(&m, precision)?,
                precision,
                path: path.to_path_buf(),
            })
        };
        read().with_context(|| format!("reading the sentence model {}", path.display()))
    }

    /// Where it was loaded from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// How its products are computed.
    pub fn precision(&self) -> Precision {
        self.precision
    }

    /// Bytes its weights hold in memory (the tokenizer's pieces aside).
    pub fn weight_bytes(&self) -> usize {
        self.network.bytes()
    }

    /// The tokenizer, for tools that cut text as the model does.
    pub fn tokenizer(&self) -> &Tokenizer {
        &self.tokenizer
    }

    /// The token ids the model reads for a question: `<s>`, the prefix and the text's pieces
    /// (at most what fits), `</s>`.
    pub fn token_ids(&self, text: &str) -> Vec<u32> {
        self.wrap(self.content_ids(text))
    }

    /// `<s>`, `content` (cut to what fits), `</s>`.
    fn wrap(&self, mut content: Vec<u32>) -> Vec<u32> {
        content.truncate(self.network.positions - 2);
        let mut ids = Vec::with_capacity(content.len() + 2);
        ids.push(self.tokenizer.bos);
        ids.extend(content);
        ids.push(self.tokenizer.eos);
        ids
    }

    /// The content pieces of a question's text, without `<s>`/`</s>` (for tests and tools).
    pub fn content_ids(&self, text: &str) -> Vec<u32> {
        self.tokenizer.ids(&format!("{QUERY_PREFIX}{text}"))
    }

    /// The vector of a question.
    pub fn embed(&self, text: &str) -> Vector {
        self.embed_many(&[text]).pop().unwrap_or_default()
    }

    /// The vectors of several questions, in order, on this thread: their tokens go through
    /// the model together (up to 320 tokens a pass), so that every weight read from memory
    /// serves all of them; the vectors are those of one by one.
    pub fn embed_many(&self, texts: &[&str]) -> Vec<Vector> {
        let ids: Vec<Vec<u32>> = texts.iter().map(|t| self.token_ids(t)).collect();
        self.embed_ids(&ids)
    }

    /// The vectors of several questions, in order, on `threads` threads at most (each takes
    /// a contiguous share of about the same number of characters): for a backlog, when the
    /// desk is idle. `threads` 0 or 1 is [`Encoder::embed_many`].
    pub fn embed_many_on(&self, texts: &[&str], threads: usize) -> Vec<Vector> {
        let threads = threads.clamp(1, texts.len().max(1));
        if threads == 1 {
            return self.embed_many(texts);
        }
        let shares = shares(texts, threads);
        std::thread::scope(|scope| {
            let running: Vec<_> = shares
                .into_iter()
                .map(|share| scope.spawn(move || self.embed_many(&texts[share])))
                .collect();
            running
                .into_iter()
                .flat_map(|r| r.join().expect("an encoding thread panicked"))
                .collect()
        })
    }

    /// The vectors of texts given as token ids (`<s>`, content, `</s>`, as
    /// [`Encoder::token_ids`] gives them; a longer text is cut to what fits).
    pub fn embed_ids(&self, texts: &[Vec<u32>]) -> Vec<Vector> {
        self.states(texts, |states| self.pool(states))
    }

    /// The last layer's state of every token of texts given as token ids (as for
    /// [`Encoder::embed_ids`]), one `[tokens, DIMENSIONS]` matrix per text: what a sentence
    /// vector is the normalised mean of.
    pub fn token_states(&self, texts: &[Vec<u32>]) -> Vec<Vec<f32>> {
        self.states(texts, <[f32]>::to_vec)
    }

    /// `each` of every text's states, computed in passes of [`PASS_TOKENS`].
    fn states<T>(&self, texts: &[Vec<u32>], mut each: impl FnMut(&[f32]) -> T) -> Vec<T> {
        let h = self.network.hidden();
        let clipped: Vec<Cow<'_, [u32]>> = texts.iter().map(|ids| self.clip(ids)).collect();
        let mut out = Vec::with_capacity(texts.len());
        for pass in passes(&clipped) {
            let ids: Vec<&[u32]> = clipped[pass].iter().map(|c| c.as_ref()).collect();
            let (states, spans) = self.network.run(&ids);
            out.extend(
                spans
                    .into_iter()
                    .map(|span| each(&states[span.start * h..span.end * h])),
            );
        }
        out
    }

    /// `ids` cut to what fits, keeping the last (`</s>`).
    fn clip<'a>(&self, ids: &'a [u32]) -> Cow<'a, [u32]> {
        let most = self.network.positions;
        if ids.len() <= most {
            return Cow::Borrowed(ids);
        }
        let mut out = ids[..most - 1].to_vec();
        out.push(ids[ids.len() - 1]);
        Cow::Owned(out)
    }

    /// Mean pooling and L2 normalisation.
    fn pool(&self, states: &[f32]) -> Vector {
        let h = self.network.hidden();
        let mut pooled = vec![0.0f32; h];
        for row in states.chunks_exact(h) {
            math::add_assign(&mut pooled, row);
        }
        normalise(&mut pooled);
        pooled
    }
}

/// Consecutive runs of texts of at most [`PASS_TOKENS`] tokens together (a longer text alone).
fn passes<T: AsRef<[u32]>>(texts: &[T]) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let (mut start, mut tokens) = (0, 0);
    for (i, ids) in texts.iter().enumerate() {
        let len = ids.as_ref().len();
        if i > start && tokens + len > PASS_TOKENS {
            out.push(start..i);
            (start, tokens) = (i, 0);
        }
        tokens += len;
    }
    if start < texts.len() {
        out.push(start..texts.len());
    }
    out
}

/// `threads` consecutive shares of `texts` of about the same number of bytes (none empty
/// while there are texts).
fn shares(texts: &[&str], threads: usize) -> Vec<std::ops::Range<usize>> {
    let total: usize = texts.iter().map(|t| t.len() + 8).sum();
    let mut out = Vec::with_capacity(threads);
    let (mut start, mut seen) = (0, 0);
    for (i, t) in texts.iter().enumerate() {
        seen += t.len() + 8;
        let still = threads - out.len() - 1;
        let left = texts.len() - (i + 1);
        let due = total * (out.len() + 1) / threads;
        if still > 0 && (left == still || (seen >= due && left >= still)) {
            out.push(start..i + 1);
            start = i + 1;
        }
    }
    out.push(start..texts.len());
    out
}

pub use crate::numeric::{dot, normalise};

/// Loads the model at `path`, or explains at start why search goes without it.
pub fn load_or_warn(path: &Path) -> Option<Encoder> {
    match Encoder::load(path) {
        Ok(e) => {
            tracing::info!(path = %path.display(), "sentence model loaded");
            Some(e)
        }
        Err(e) => {
            tracing::warn!(
                "the sentence model is not available ({e:#}): search and grouping go by words and the linked history alone; \
                 put the model file at {} or pass --model",
                path.display()
            );
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shipped model, in 8 bits, and the C engine's vectors of six texts.
    #[test]
    fn the_eight_bit_path_matches_the_reference_engine() {
        if math::level() != math::Level::Avx512Vnni {
            eprintln!("no AVX-512 VNNI here: the 8-bit path is not the one in service");
            return;
        }
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let e = Encoder::load_with(&root.join(DEFAULT_PATH), Precision::Int8).unwrap();
        let fixture = root.join("tests/fixtures/encoder/reference.json");
        let cases: Vec<serde_json::Value> =
            serde_json::from_str(&std::fs::read_to_string(fixture).unwrap()).unwrap();
        let texts: Vec<&str> = cases.iter().map(|c| c["text"].as_str().unwrap()).collect();
        for (case, got) in cases.iter().zip(e.embed_many_on(&texts, 2)) {
            let expected: Vec<f32> = case["vector"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_f64().unwrap() as f32)
                .collect();
            let cosine = dot(&got, &expected);
            assert!(cosine > 0.999, "{}: cosine {cosine}", case["text"]);
        }
    }

    #[test]
    fn passes_hold_at_most_the_token_budget_and_keep_order() {
        let texts: Vec<Vec<u32>> = [100, 100, 100, 50, 400, 10]
            .iter()
            .map(|&n| vec![0; n])
            .collect();
        assert_eq!(passes(&texts), vec![0..3, 3..4, 4..5, 5..6]);
        assert!(passes::<Vec<u32>>(&[]).is_empty());
    }

    #[test]
    fn shares_split_texts_evenly_and_cover_them_all() {
        let texts = ["aaaa"; 10];
        assert_eq!(shares(&texts, 2), vec![0..5, 5..10]);
        let uneven = [
            "a",
            "a",
            "a",
            "a very long text indeed, as long as the rest together",
        ];
        let s = shares(&uneven, 2);
        assert_eq!(s, vec![0..3, 3..4]);
        assert_eq!(shares(&texts[..1], 1), vec![0..1]);
    }
}
