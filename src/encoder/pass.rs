//! One pass of the encoder (BERT: 12 layers, post-LayerNorm, exact GELU) over a batch of
//! texts given as token ids. The tokens of every text are stacked as the rows of one matrix,
//! with no padding, so that each weight read serves every token of the batch; attention stays
//! within each text. The query, key and value projections are one product (1,152 outputs),
//! and the residual additions are folded into the products that precede them.
//!
//! The products are f32 (`exact`) or 8-bit (`int8`), chosen at load ([`Precision`]); the rest
//! is in `math`. Pooling and what a vector means are left to the module above.

use super::file::{dequantise_q4, ModelFile, Q4_BLOCK_BYTES};
use super::{exact, int8, math, Precision};
use anyhow::{Context, Result};
use std::ops::Range;

/// A product with weights, in the precision chosen at load.
enum Linear {
    Exact(exact::Linear),
    Int8(int8::Linear),
}

impl Linear {
    fn load(
        m: &ModelFile,
        names: &[String],
        inputs: usize,
        outputs: usize,
        precision: Precision,
    ) -> Result<Linear> {
        let mut w = Vec::with_capacity(names.len() * inputs * outputs);
        let mut b = Vec::with_capacity(names.len() * outputs);
        for name in names {
            w.extend(m.tensor(&format!("{name}.w"), inputs * outputs)?);
            b.extend(m.tensor(&format!("{name}.b"), outputs)?);
        }
        let outputs = outputs * names.len();
        Ok(match precision {
            Precision::F32 => Linear::Exact(exact::Linear::new(w, b, inputs, outputs)),
            Precision::Int8 => Linear::Int8(
                int8::Linear::quantise(&w, &b, inputs, outputs)
                    .with_context(|| format!("rounding {} to 8 bits", names.join("+")))?,
            ),
        })
    }

    /// `out = W·x + b`, or `out += W·x + b` with `add`.
    fn apply(
        &self,
        x: &[f32],
        rows: usize,
        out: &mut [f32],
        add: bool,
        rounded: &mut int8::Activations,
    ) {
        match self {
            Linear::Exact(l) => l.apply(x, rows, out, add),
            Linear::Int8(l) => {
                rounded.quantise(x, rows, l.inputs());
                l.apply(rounded, out, add);
            }
        }
    }

    fn bytes(&self) -> usize {
        match self {
            Linear::Exact(l) => l.bytes(),
            Linear::Int8(l) => l.bytes(),
        }
    }
}

struct Norm {
    w: Vec<f32>,
    b: Vec<f32>,
}

impl Norm {
    fn load(m: &ModelFile, name: &str, size: usize) -> Result<Norm> {
        Ok(Norm {
            w: m.tensor(&format!("{name}.w"), size)?,
            b: m.tensor(&format!("{name}.b"), size)?,
        })
    }

    fn apply(&self, x: &mut [f32], eps: f32) {
        math::layer_norm(x, &self.w, &self.b, eps);
    }
}

struct Layer {
    /// Query, key and value side by side.
    qkv: Linear,
    out: Linear,
    attention_norm: Norm,
    ffn_in: Linear,
    ffn_out: Linear,
    output_norm: Norm,
}

/// The encoder's weights, ready for passes.
pub struct Network {
    hidden: usize,
    heads: usize,
    ffn: usize,
    /// Tokens a text may have.
    pub positions: usize,
    eps: f32,
    words: Vec<u8>,
    position: Vec<f32>,
    token_type: Vec<f32>,
    embedding_norm: Norm,
    layers: Vec<Layer>,
}

/// The buffers of a pass, sized for its rows.
struct Scratch {
    qkv: Vec<f32>,
    context: Vec<f32>,
    inner: Vec<f32>,
    attention: Vec<f32>,
    rounded: int8::Activations,
}

impl Network {
    /// Reads the weights from the parsed file, in `precision`.
    pub fn load(m: &ModelFile, precision: Precision) -> Result<Network> {
        let h = m.header;
        let mut layers = Vec::with_capacity(h.layers);
        for i in 0..h.layers {
            let l = |part: &str| format!("l{i}.{part}");
            layers.push(Layer {
                qkv: Linear::load(m, &[l("q"), l("k"), l("v")], h.hidden, h.hidden, precision)?,
                out: Linear::load(m, &[l("ao")], h.hidden, h.hidden, precision)?,
                attention_norm: Norm::load(m, &l("aln"), h.hidden)?,
                ffn_in: Linear::load(m, &[l("fi")], h.hidden, h.ffn, precision)?,
                ffn_out: Linear::load(m, &[l("fo")], h.ffn, h.hidden, precision)?,
                output_norm: Norm::load(m, &l("oln"), h.hidden)?,
            });
        }
        Ok(Network {
            hidden: h.hidden,
            heads: h.heads,
            ffn: h.ffn,
            positions: h.positions,
            eps: h.eps,
            words: m.q4_blocks("emb.word", h.vocab * h.hidden)?,
            position: m.tensor("emb.pos", h.positions * h.hidden)?,
            token_type: m.tensor("emb.type", 2 * h.hidden)?,
            embedding_norm: Norm::load(m, "emb.ln", h.hidden)?,
            layers,
        })
    }

    /// The width of a token's state.
    pub fn hidden(&self) -> usize {
        self.hidden
    }

    /// Bytes its weights hold.
    pub fn bytes(&self) -> usize {
        let norms = 4 * 4 * self.hidden;
        self.words.len()
            + 4 * (self.position.len() + self.token_type.len())
            + self
                .layers
                .iter()
                .map(|l| l.qkv.bytes() + l.out.bytes() + l.ffn_in.bytes() + l.ffn_out.bytes())
                .sum::<usize>()
            + norms * self.layers.len()
    }

    /// The last layer's state of every token of every text (each text at most
    /// [`Network::positions`] ids), stacked `[tokens, hidden]`, and where each text's rows are.
    pub fn run(&self, texts: &[&[u32]]) -> (Vec<f32>, Vec<Range<usize>>) {
        let h = self.hidden;
        let rows: usize = texts.iter().map(|t| t.len()).sum();
        let mut spans = Vec::with_capacity(texts.len());
        let mut x = vec![0.0f32; rows * h];
        let row_bytes = h / 32 * Q4_BLOCK_BYTES;
        let mut first = 0;
        for &ids in texts {
            spans.push(first..first + ids.len());
            let states = &mut x[first * h..(first + ids.len()) * h];
            for (t, (&id, row)) in ids.iter().zip(states.chunks_exact_mut(h)).enumerate() {
                let start = id as usize * row_bytes;
                dequantise_q4(&self.words[start..start + row_bytes], row);
                math::add_assign(row, &self.position[t * h..(t + 1) * h]);
                math::add_assign(row, &self.token_type[..h]);
            }
            first += ids.len();
        }
        self.embedding_norm.apply(&mut x, self.eps);
        let longest = texts.iter().map(|t| t.len()).max().unwrap_or(0);
        let mut s = Scratch {
            qkv: vec![0.0; rows * 3 * h],
            context: vec![0.0; rows * h],
            inner: vec![0.0; rows * self.ffn],
            attention: Vec::with_capacity(longest.div_ceil(16) * 16 * 33),
            rounded: int8::Activations::default(),
        };
        for layer in &self.layers {
            self.layer(layer, &mut x, rows, &spans, &mut s);
        }
        (x, spans)
    }

    fn layer(
        &self,
        layer: &Layer,
        x: &mut [f32],
        rows: usize,
        spans: &[Range<usize>],
        s: &mut Scratch,
    ) {
        let h = self.hidden;
        let width = h / self.heads;
        layer.qkv.apply(x, rows, &mut s.qkv, false, &mut s.rounded);
        for span in spans {
            let qkv = &s.qkv[span.start * 3 * h..span.end * 3 * h];
            let context = &mut s.context[span.start * h..span.end * h];
            for head_index in 0..self.heads {
                let head = math::Head {
                    rows: span.len(),
                    stride: 3 * h,
                    width,
                    keys: h,
                    values: 2 * h,
                };
                let at = head_index * width;
                math::attend(&qkv[at..], head, &mut context[at..], h, &mut s.attention);
            }
        }
        layer.out.apply(&s.context, rows, x, true, &mut s.rounded);
        layer.attention_norm.apply(x, self.eps);
        layer
            .ffn_in
            .apply(x, rows, &mut s.inner, false, &mut s.rounded);
        math::gelu_all(&mut s.inner);
        layer.ffn_out.apply(&s.inner, rows, x, true, &mut s.rounded);
        layer.output_norm.apply(x, self.eps);
    }
}
