//! The sentence model: a small multilingual encoder (multilingual-e5-small, 4-bit, its
//! vocabulary pruned to Cyrillic, Latin, digits and single characters; `models/`) that turns a
//! text into a 384-number vector, so that texts that mean the same are close whatever words
//! they use («у нас всё легло» and «сервер не работает»).
//!
//! - [`file`]: the model file's layout;
//! - [`tokenizer`]: SentencePiece unigram cutting;
//! - here: the forward pass of the BERT encoder (12 layers, post-LayerNorm, exact GELU), mean
//!   pooling over every token and L2 normalisation. The 4-bit layer weights are expanded to f32
//!   once at load (85 MB); the word embeddings stay 4-bit and are expanded per token.
//!
//! Every text is encoded as `"query: " + text`, as the model was trained for questions. One
//! pass takes tens of milliseconds on one core: callers encode whole questions (logged, or
//! when the operator stops typing), never every keystroke.

pub mod file;
pub mod tokenizer;

use anyhow::{Context, Result};
use file::{dequantise_q4, ModelFile, Q4_BLOCK_BYTES};
use std::path::{Path, PathBuf};
use tokenizer::Tokenizer;

/// Numbers a vector has.
pub const DIMENSIONS: usize = 384;

/// The model file shipped in the repository, relative to where callfaq runs.
pub const DEFAULT_PATH: &str = "models/e5-small-q4.bin";

/// The prefix the model expects on a question.
const QUERY_PREFIX: &str = "query: ";

/// A unit-length sentence vector.
pub type Vector = Vec<f32>;

struct Layer {
    q: Linear,
    k: Linear,
    v: Linear,
    out: Linear,
    attention_norm: Norm,
    ffn_in: Linear,
    ffn_out: Linear,
    output_norm: Norm,
}

/// `y = W·x + b`, `W` stored `[out, in]`.
struct Linear {
    w: Vec<f32>,
    b: Vec<f32>,
    inputs: usize,
    outputs: usize,
}

struct Norm {
    w: Vec<f32>,
    b: Vec<f32>,
}

/// The loaded model.
pub struct Encoder {
    tokenizer: Tokenizer,
    hidden: usize,
    heads: usize,
    positions: usize,
    eps: f32,
    words: Vec<u8>,
    position: Vec<f32>,
    token_type: Vec<f32>,
    embedding_norm: Norm,
    layers: Vec<Layer>,
    path: PathBuf,
}

impl std::fmt::Debug for Encoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Encoder")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl Linear {
    fn load(m: &ModelFile, name: &str, inputs: usize, outputs: usize) -> Result<Linear> {
        Ok(Linear {
            w: m.tensor(&format!("{name}.w"), inputs * outputs)?,
            b: m.tensor(&format!("{name}.b"), outputs)?,
            inputs,
            outputs,
        })
    }

    /// `x` is `[rows, inputs]`; returns `[rows, outputs]`.
    fn apply(&self, x: &[f32], rows: usize) -> Vec<f32> {
        let mut y: Vec<f32> = Vec::with_capacity(rows * self.outputs);
        for _ in 0..rows {
            y.extend_from_slice(&self.b);
        }
        // y = x · Wᵀ + y. Safety: the pointers and strides describe the slices' own extents:
        // x is rows × inputs (row stride inputs), Wᵀ is inputs × outputs read from W stored
        // outputs × inputs (row stride 1, column stride inputs), y is rows × outputs.
        unsafe {
            matrixmultiply::sgemm(
                rows,
                self.inputs,
                self.outputs,
                1.0,
                x.as_ptr(),
                self.inputs as isize,
                1,
                self.w.as_ptr(),
                1,
                self.inputs as isize,
                1.0,
                y.as_mut_ptr(),
                self.outputs as isize,
                1,
            );
        }
        y
    }
}

impl Norm {
    fn load(m: &ModelFile, name: &str, size: usize) -> Result<Norm> {
        Ok(Norm {
            w: m.tensor(&format!("{name}.w"), size)?,
            b: m.tensor(&format!("{name}.b"), size)?,
        })
    }

    /// LayerNorm of every row of `x`, in place (biased variance).
    fn apply(&self, x: &mut [f32], eps: f32) {
        let size = self.w.len();
        for row in x.chunks_exact_mut(size) {
            let mean = row.iter().sum::<f32>() / size as f32;
            let var = row.iter().map(|v| (v - mean) * (v - mean)).sum::<f32>() / size as f32;
            let scale = 1.0 / (var + eps).sqrt();
            for ((v, w), b) in row.iter_mut().zip(&self.w).zip(&self.b) {
                *v = (*v - mean) * scale * w + b;
            }
        }
    }
}

/// The error function, to 1.5e-7 (Abramowitz and Stegun 7.1.26).
fn erf(x: f32) -> f32 {
    let sign = if x < 0.0 { -1.0 } else { 1.0 };
    let x = f64::from(x.abs());
    let t = 1.0 / (1.0 + 0.327_591_1 * x);
    let poly = t
        * (0.254_829_592
            + t * (-0.284_496_736
                + t * (1.421_413_741 + t * (-1.453_152_027 + t * 1.061_405_429))));
    sign * (1.0 - poly * (-x * x).exp()) as f32
}

fn gelu(x: f32) -> f32 {
    0.5 * x * (1.0 + erf(x / std::f32::consts::SQRT_2))
}

impl Encoder {
    /// Loads the model file.
    pub fn load(path: &Path) -> Result<Encoder> {
        let bytes = std::fs::read(path)
            .with_context(|| format!("reading the sentence model {}", path.display()))?;
        let m = ModelFile::parse(bytes)
            .with_context(|| format!("reading the sentence model {}", path.display()))?;
        let h = m.header;
        let mut layers = Vec::with_capacity(h.layers);
        for i in 0..h.layers {
            let l = |part: &str| format!("l{i}.{part}");
            layers.push(Layer {
                q: Linear::load(&m, &l("q"), h.hidden, h.hidden)?,
                k: Linear::load(&m, &l("k"), h.hidden, h.hidden)?,
                v: Linear::load(&m, &l("v"), h.hidden, h.hidden)?,
                out: Linear::load(&m, &l("ao"), h.hidden, h.hidden)?,
                attention_norm: Norm::load(&m, &l("aln"), h.hidden)?,
                ffn_in: Linear::load(&m, &l("fi"), h.hidden, h.ffn)?,
                ffn_out: Linear::load(&m, &l("fo"), h.ffn, h.hidden)?,
                output_norm: Norm::load(&m, &l("oln"), h.hidden)?,
            });
        }
        Ok(Encoder {
            tokenizer: Tokenizer::new(&m.vocabulary),
            hidden: h.hidden,
            heads: h.heads,
            positions: h.positions,
            eps: h.eps,
            words: m.q4_blocks("emb.word", h.vocab * h.hidden)?,
            position: m.tensor("emb.pos", h.positions * h.hidden)?,
            token_type: m.tensor("emb.type", 2 * h.hidden)?,
            embedding_norm: Norm::load(&m, "emb.ln", h.hidden)?,
            layers,
            path: path.to_path_buf(),
        })
    }

    /// Where it was loaded from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The token ids the model reads for a question: `<s>`, the prefix and the text's pieces
    /// (at most what fits), `</s>`.
    pub fn token_ids(&self, text: &str) -> Vec<u32> {
        let mut content = self.tokenizer.ids(&format!("{QUERY_PREFIX}{text}"));
        content.truncate(self.positions - 2);
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
        let ids = self.token_ids(text);
        self.forward(&[ids]).pop().unwrap_or_default()
    }

    /// The vectors of several questions in one pass: the same vectors as one by one, in
    /// about half the time, since every weight read from memory serves all their tokens.
    pub fn embed_many(&self, texts: &[&str]) -> Vec<Vector> {
        let ids: Vec<Vec<u32>> = texts.iter().map(|t| self.token_ids(t)).collect();
        self.forward(&ids)
    }

    /// The model over texts given as token ids: their tokens are stacked as the rows of one
    /// matrix for every product with weights; attention stays within each text.
    fn forward(&self, texts: &[Vec<u32>]) -> Vec<Vector> {
        let h = self.hidden;
        let l: usize = texts.iter().map(Vec::len).sum();
        let mut spans = Vec::with_capacity(texts.len());
        let row_bytes = h / 32 * Q4_BLOCK_BYTES;
        let mut x = vec![0.0f32; l * h];
        let mut first = 0;
        for ids in texts {
            spans.push(first..first + ids.len());
            let rows = &mut x[first * h..(first + ids.len()) * h];
            for (t, (&id, row)) in ids.iter().zip(rows.chunks_exact_mut(h)).enumerate() {
                let start = id as usize * row_bytes;
                dequantise_q4(&self.words[start..start + row_bytes], row);
                for ((v, p), ty) in row
                    .iter_mut()
                    .zip(&self.position[t * h..(t + 1) * h])
                    .zip(&self.token_type[..h])
                {
                    *v += p + ty;
                }
            }
            first += ids.len();
        }
        self.embedding_norm.apply(&mut x, self.eps);
        let hd = h / self.heads;
        let scale = 1.0 / (hd as f32).sqrt();
        let longest = texts.iter().map(Vec::len).max().unwrap_or(0);
        let mut scores = vec![0.0f32; longest];
        for layer in &self.layers {
            let q = layer.q.apply(&x, l);
            let k = layer.k.apply(&x, l);
            let v = layer.v.apply(&x, l);
            let mut context = vec![0.0f32; l * h];
            for span in &spans {
                let scores = &mut scores[..span.len()];
                for head in 0..self.heads {
                    let cols = head * hd..(head + 1) * hd;
                    for t in span.clone() {
                        let qt = &q[t * h + cols.start..t * h + cols.end];
                        let mut most = f32::NEG_INFINITY;
                        for (s, score) in span.clone().zip(scores.iter_mut()) {
                            let ks = &k[s * h + cols.start..s * h + cols.end];
                            *score = qt.iter().zip(ks).map(|(a, b)| a * b).sum::<f32>() * scale;
                            most = most.max(*score);
                        }
                        let mut total = 0.0;
                        for score in scores.iter_mut() {
                            *score = (*score - most).exp();
                            total += *score;
                        }
                        let ctx = &mut context[t * h + cols.start..t * h + cols.end];
                        for (s, score) in span.clone().zip(scores.iter()) {
                            let w = score / total;
                            let vs = &v[s * h + cols.start..s * h + cols.end];
                            for (c, vv) in ctx.iter_mut().zip(vs) {
                                *c += w * vv;
                            }
                        }
                    }
                }
            }
            let attended = layer.out.apply(&context, l);
            for (xi, a) in x.iter_mut().zip(&attended) {
                *xi += a;
            }
            layer.attention_norm.apply(&mut x, self.eps);
            let mut inner = layer.ffn_in.apply(&x, l);
            for v in &mut inner {
                *v = gelu(*v);
            }
            let out = layer.ffn_out.apply(&inner, l);
            for (xi, o) in x.iter_mut().zip(&out) {
                *xi += o;
            }
            layer.output_norm.apply(&mut x, self.eps);
        }
        spans
            .into_iter()
            .map(|span| {
                let mut pooled = vec![0.0f32; h];
                for row in x[span.start * h..span.end * h].chunks_exact(h) {
                    for (p, v) in pooled.iter_mut().zip(row) {
                        *p += v;
                    }
                }
                normalise(&mut pooled);
                pooled
            })
            .collect()
    }
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

    #[test]
    fn erf_and_gelu_match_known_values() {
        assert!((erf(0.5) - 0.520_499_9).abs() < 1e-6);
        assert!((erf(-1.0) + 0.842_700_8).abs() < 1e-6);
        assert!((gelu(1.0) - 0.841_344_7).abs() < 1e-5);
        assert_eq!(gelu(0.0), 0.0);
    }
}
