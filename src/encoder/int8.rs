//! The encoder's matrix products in 8-bit integers: `y = W·x + b` with the weights rounded to
//! 8 bits once at load and each row of activations rounded to 8 bits before the product, both
//! with one scale per block of [`BLOCK`] inputs; the products of a block are summed exactly in
//! 32-bit integers (AVX-512 VNNI `vpdpbusd`, 64 of them per instruction), then scaled and
//! summed in f32.
//!
//! How close it stays to the f32 products (`exact`): on all 13,841 texts of the shared
//! evaluation sets the sentence vectors keep a cosine of at least 0.999 with them. Rounding the
//! file's 4-bit weights (already on a 16-step grid per block of 32) to 8 bits costs almost
//! nothing; the activations' rounding is most of the difference, and blocks of 128 keep one
//! large value from coarsening a whole row (one scale per row lost 2.5 times as much cosine:
//! mean 0.9992 instead of 0.9997).
//!
//! Layout: outputs are taken 32 at a time (a *pair* of 16-lane registers); for each pair, block
//! and group of 4 inputs, the 32 outputs' 4 weights lie side by side (128 bytes), so one
//! broadcast of 4 activation bytes feeds 2 × 16 dot products. The activations are stored
//! unsigned (`+ 128`, as `vpdpbusd` wants); each block's sum starts at `−128 · Σ w` to take
//! the offset back out.
//!
//! Without AVX-512 VNNI a plain version of the same arithmetic runs (the same numbers, slowly):
//! the encoder then prefers the f32 products (`Precision::fastest`).

use super::math::{self, vectorised};
use anyhow::{ensure, Result};

/// Inputs that share one scale, for weights and activations alike.
pub const BLOCK: usize = 128;
/// Outputs computed together: two 16-lane registers.
const PAIR: usize = 32;
/// Input rows (tokens) computed together: 6 × 2 registers of integer sums and as many of
/// f32 sums fit the 32 vector registers.
const ROWS: usize = 6;
/// Blocks of inputs per sweep over the outputs, so that one pair's weights (16 KB) stay in
/// the first-level cache while every row passes.
const SWEEP: usize = 4;

/// A weight matrix rounded to 8 bits, packed for the products.
pub struct Linear {
    inputs: usize,
    outputs: usize,
    /// `[pair][block][group of 4 inputs][32 outputs][4]`.
    weights: Vec<i8>,
    /// `[pair][block][32]`: the weights' scale.
    scales: Vec<f32>,
    /// `[pair][block][32]`: `−128 ·` the sum of the block's rounded weights.
    offsets: Vec<i32>,
    bias: Vec<f32>,
}

impl std::fmt::Debug for Linear {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "int8::Linear({} → {})", self.inputs, self.outputs)
    }
}

/// Rows of activations rounded to 8 bits (stored `+ 128`), one scale per block.
#[derive(Debug, Default)]
pub struct Activations {
    values: Vec<u8>,
    scales: Vec<f32>,
    rows: usize,
    cols: usize,
}

vectorised! {
    /// Rounds every block of `x` (rows of `cols`) to 8 bits: `scale = max |v| / 127`, stored
    /// `round(v / scale) + 128`.
    fn quantise_into(x: &[f32], cols: usize, values: &mut [u8], scales: &mut [f32]) {
        for ((block, out), scale) in x
            .chunks_exact(BLOCK)
            .zip(values.chunks_exact_mut(BLOCK))
            .zip(scales.iter_mut())
        {
            let most = math::max_abs(block);
            let inverse = if most > 0.0 { 127.0 / most } else { 0.0 };
            *scale = most / 127.0;
            for (o, v) in out.iter_mut().zip(block) {
                *o = math::offset_byte(v * inverse);
            }
        }
        debug_assert_eq!(x.len() % cols, 0);
    }
}

impl Activations {
    /// Rounds `x`, `rows` rows of `cols` (a multiple of [`BLOCK`]).
    pub fn quantise(&mut self, x: &[f32], rows: usize, cols: usize) {
        assert!(cols.is_multiple_of(BLOCK) && x.len() == rows * cols);
        self.values.resize(rows * cols, 0);
        self.scales.resize(rows * cols / BLOCK, 0.0);
        self.rows = rows;
        self.cols = cols;
        quantise_into(x, cols, &mut self.values, &mut self.scales);
    }
}

impl Linear {
    /// Rounds `w` (`[outputs, inputs]`, row by row) to 8 bits; `b` is the bias.
    pub fn quantise(w: &[f32], b: &[f32], inputs: usize, outputs: usize) -> Result<Linear> {
        ensure!(
            inputs.is_multiple_of(BLOCK) && outputs.is_multiple_of(PAIR),
            "8-bit products need inputs in blocks of {BLOCK} and outputs in groups of {PAIR}, \
             not {inputs} → {outputs}"
        );
        ensure!(w.len() == inputs * outputs && b.len() == outputs);
        let blocks = inputs / BLOCK;
        let mut rounded = vec![0i8; w.len()];
        let mut row_scales = vec![0.0f32; outputs * blocks];
        for ((row, q), scales) in w
            .chunks_exact(inputs)
            .zip(rounded.chunks_exact_mut(inputs))
            .zip(row_scales.chunks_exact_mut(blocks))
        {
            for ((block, q), scale) in row
                .chunks_exact(BLOCK)
                .zip(q.chunks_exact_mut(BLOCK))
                .zip(scales.iter_mut())
            {
                let most = block.iter().fold(0.0f32, |m, v| m.max(v.abs()));
                *scale = most / 127.0;
                let inverse = if most > 0.0 { 127.0 / most } else { 0.0 };
                for (q, v) in q.iter_mut().zip(block) {
                    *q = (v * inverse).round() as i8;
                }
            }
        }
        let pairs = outputs / PAIR;
        let mut weights = Vec::with_capacity(w.len());
        let mut scales = Vec::with_capacity(outputs * blocks);
        let mut offsets = Vec::with_capacity(outputs * blocks);
        for p in 0..pairs {
            for block in 0..blocks {
                for group in (0..BLOCK).step_by(4) {
                    for lane in 0..PAIR {
                        let at = (p * PAIR + lane) * inputs + block * BLOCK + group;
                        weights.extend_from_slice(&rounded[at..at + 4]);
                    }
                }
                for lane in 0..PAIR {
                    let o = p * PAIR + lane;
                    let at = o * inputs + block * BLOCK;
                    let sum: i32 = rounded[at..at + BLOCK].iter().map(|&q| i32::from(q)).sum();
                    scales.push(row_scales[o * blocks + block]);
                    offsets.push(-128 * sum);
                }
            }
        }
        Ok(Linear {
            inputs,
            outputs,
            weights,
            scales,
            offsets,
            bias: b.to_vec(),
        })
    }

    /// Inputs.
    pub fn inputs(&self) -> usize {
        self.inputs
    }

    /// Bytes it holds.
    pub fn bytes(&self) -> usize {
        self.weights.len() + 4 * (self.scales.len() + self.offsets.len() + self.bias.len())
    }

    /// `out = W·a + b` (or `out += W·a + b` with `add`), `out` being `[a.rows, outputs]`.
    pub fn apply(&self, a: &Activations, out: &mut [f32], add: bool) {
        assert_eq!(a.cols, self.inputs);
        assert_eq!(out.len(), a.rows * self.outputs);
        let vnni = math::level() == math::Level::Avx512Vnni;
        let blocks = self.inputs / BLOCK;
        for first in (0..blocks).step_by(SWEEP) {
            let start = match (first, add) {
                (0, false) => Start::Bias,
                (0, true) => Start::AddBias,
                _ => Start::Sums,
            };
            let last = (first + SWEEP).min(blocks);
            for pair in 0..self.outputs / PAIR {
                for row in (0..a.rows).step_by(ROWS) {
                    let tile = Tile {
                        linear: self,
                        a,
                        pair,
                        row,
                        blocks: first..last,
                        start,
                    };
                    let n = ROWS.min(a.rows - row);
                    if vnni {
                        tile.run_vnni(n, out);
                    } else {
                        tile.run_plain(n, out);
                    }
                }
            }
        }
    }
}

/// What a tile's sums start from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Start {
    /// The bias (the first blocks of `out = W·a + b`).
    Bias,
    /// What `out` holds plus the bias (the first blocks of `out += W·a + b`).
    AddBias,
    /// What `out` holds (the sums of earlier blocks).
    Sums,
}

/// One product tile: up to [`ROWS`] rows of activations, one pair of outputs, a range of
/// blocks; its sums are added to `out`.
struct Tile<'a> {
    linear: &'a Linear,
    a: &'a Activations,
    pair: usize,
    row: usize,
    blocks: std::ops::Range<usize>,
    start: Start,
}

impl Tile<'_> {
    /// The number a sum starts from for output `lane` of the pair, `out` holding `held`.
    fn initial(&self, lane: usize, held: f32) -> f32 {
        let bias = self.linear.bias[self.pair * PAIR + lane];
        match self.start {
            Start::Bias => bias,
            Start::AddBias => held + bias,
            Start::Sums => held,
        }
    }

    /// Where the pair's numbers for `block` start in `scales` and `offsets`.
    fn per_block(&self, block: usize) -> usize {
        (self.pair * (self.linear.inputs / BLOCK) + block) * PAIR
    }

    /// Where the pair's weights for `block` start.
    fn weights_at(&self, block: usize) -> usize {
        self.pair * self.linear.inputs * PAIR + block * BLOCK * PAIR
    }

    /// The same arithmetic as the vector kernel, one number at a time.
    fn run_plain(&self, rows: usize, out: &mut [f32]) {
        let (l, a) = (self.linear, self.a);
        let blocks_per_row = a.cols / BLOCK;
        for i in 0..rows {
            let r = self.row + i;
            for lane in 0..PAIR {
                let o = r * l.outputs + self.pair * PAIR + lane;
                out[o] = self.initial(lane, out[o]);
            }
            for block in self.blocks.clone() {
                let w = &l.weights[self.weights_at(block)..];
                let at = self.per_block(block);
                let acts = &a.values[r * a.cols + block * BLOCK..][..BLOCK];
                let scale_a = a.scales[r * blocks_per_row + block];
                for lane in 0..PAIR {
                    let mut sum = l.offsets[at + lane];
                    for (group, four) in acts.chunks_exact(4).enumerate() {
                        let ws = &w[group * PAIR * 4 + lane * 4..][..4];
                        for (&x, &q) in four.iter().zip(ws) {
                            sum += i32::from(x) * i32::from(q);
                        }
                    }
                    let o = r * l.outputs + self.pair * PAIR + lane;
                    out[o] += sum as f32 * l.scales[at + lane] * scale_a;
                }
            }
        }
    }

    fn run_vnni(&self, rows: usize, out: &mut [f32]) {
        #[cfg(target_arch = "x86_64")]
        {
            // Safety: the level says the processor has AVX-512 F, BW and VNNI; `check` keeps
            // every read and write inside the slices.
            self.check(rows, out.len());
            unsafe {
                match rows {
                    6 => self.vnni::<6>(out),
                    5 => self.vnni::<5>(out),
                    4 => self.vnni::<4>(out),
                    3 => self.vnni::<3>(out),
                    2 => self.vnni::<2>(out),
                    _ => self.vnni::<1>(out),
                }
            }
        }
        #[cfg(not(target_arch = "x86_64"))]
        self.run_plain(rows, out);
    }

    /// The extents the kernel touches lie inside the slices.
    #[cfg(target_arch = "x86_64")]
    fn check(&self, rows: usize, out_len: usize) {
        let (l, a) = (self.linear, self.a);
        assert!((1..=ROWS).contains(&rows) && self.row + rows <= a.rows);
        assert!(self.blocks.end <= l.inputs / BLOCK && self.pair < l.outputs / PAIR);
        assert!(out_len >= (self.row + rows) * l.outputs);
        assert!(a.values.len() >= (self.row + rows) * a.cols);
        assert!(l.weights.len() >= self.weights_at(self.blocks.end));
        assert!(l.scales.len() >= self.per_block(self.blocks.end - 1) + PAIR);
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx512f,avx512bw,avx512vnni")]
    unsafe fn vnni<const R: usize>(&self, out: &mut [f32]) {
        use std::arch::x86_64::*;
        let (l, a) = (self.linear, self.a);
        let blocks_per_row = a.cols / BLOCK;
        let out = out
            .as_mut_ptr()
            .add(self.row * l.outputs + self.pair * PAIR);
        let acts = a.values.as_ptr().add(self.row * a.cols);
        let bias = l.bias.as_ptr().add(self.pair * PAIR);
        let bias = [_mm512_loadu_ps(bias), _mm512_loadu_ps(bias.add(16))];
        let mut sums = [bias; R];
        if self.start != Start::Bias {
            for (i, s) in sums.iter_mut().enumerate() {
                let o = out.add(i * l.outputs);
                let held = [_mm512_loadu_ps(o), _mm512_loadu_ps(o.add(16))];
                *s = match self.start {
                    Start::AddBias => [
                        _mm512_add_ps(held[0], bias[0]),
                        _mm512_add_ps(held[1], bias[1]),
                    ],
                    _ => held,
                };
            }
        }
        for block in self.blocks.clone() {
            let at = self.per_block(block);
            let offsets = l.offsets.as_ptr().add(at);
            let start = [
                _mm512_loadu_epi32(offsets),
                _mm512_loadu_epi32(offsets.add(16)),
            ];
            let mut dots = [start; R];
            let w = l.weights.as_ptr().add(self.weights_at(block));
            for group in 0..BLOCK / 4 {
                let w0 = _mm512_loadu_epi8(w.add(group * 128));
                let w1 = _mm512_loadu_epi8(w.add(group * 128 + 64));
                for (i, d) in dots.iter_mut().enumerate() {
                    let four = acts
                        .add(i * a.cols + block * BLOCK + group * 4)
                        .cast::<i32>()
                        .read_unaligned();
                    let x = _mm512_set1_epi32(four);
                    d[0] = _mm512_dpbusd_epi32(d[0], x, w0);
                    d[1] = _mm512_dpbusd_epi32(d[1], x, w1);
                }
            }
            let scales = l.scales.as_ptr().add(at);
            let ws = [_mm512_loadu_ps(scales), _mm512_loadu_ps(scales.add(16))];
            for (i, (s, d)) in sums.iter_mut().zip(&dots).enumerate() {
                let sa = _mm512_set1_ps(a.scales[(self.row + i) * blocks_per_row + block]);
                for h in 0..2 {
                    let scaled = _mm512_mul_ps(_mm512_cvtepi32_ps(d[h]), ws[h]);
                    s[h] = _mm512_fmadd_ps(scaled, sa, s[h]);
                }
            }
        }
        for (i, s) in sums.iter().enumerate() {
            let o = out.add(i * l.outputs);
            _mm512_storeu_ps(o, s[0]);
            _mm512_storeu_ps(o.add(16), s[1]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A deterministic spread of values in `[-1, 1)`.
    fn values(n: usize, seed: u32) -> Vec<f32> {
        let mut s = seed.wrapping_mul(2_654_435_761).max(1);
        (0..n)
            .map(|_| {
                s ^= s << 13;
                s ^= s >> 17;
                s ^= s << 5;
                (s % 2000) as f32 / 1000.0 - 1.0
            })
            .collect()
    }

    fn exact(w: &[f32], b: &[f32], x: &[f32], inputs: usize) -> Vec<f32> {
        x.chunks(inputs)
            .flat_map(|row| {
                w.chunks(inputs)
                    .zip(b)
                    .map(|(wr, bias)| bias + wr.iter().zip(row).map(|(p, q)| p * q).sum::<f32>())
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    #[test]
    fn eight_bit_products_stay_within_a_percent_of_f32() {
        let (inputs, outputs, rows) = (2 * BLOCK, 2 * PAIR, 7);
        let w = values(inputs * outputs, 1);
        let b = values(outputs, 2);
        let x = values(rows * inputs, 3);
        let linear = Linear::quantise(&w, &b, inputs, outputs).unwrap();
        let mut a = Activations::default();
        a.quantise(&x, rows, inputs);
        let mut got = vec![0.0; rows * outputs];
        linear.apply(&a, &mut got, false);
        let want = exact(&w, &b, &x, inputs);
        let err = got
            .iter()
            .zip(&want)
            .map(|(g, w)| (g - w).powi(2))
            .sum::<f32>();
        let norm = want.iter().map(|w| w * w).sum::<f32>();
        assert!(err / norm < 1e-4, "relative squared error {}", err / norm);
        // With `add`, the product and bias are added to what is there.
        let mut twice = got.clone();
        linear.apply(&a, &mut twice, true);
        for (t, g) in twice.iter().zip(&got) {
            assert!((t - 2.0 * g).abs() < 1e-4);
        }
    }

    #[test]
    fn the_vector_kernel_computes_what_the_plain_one_does() {
        if math::level() != math::Level::Avx512Vnni {
            eprintln!("no AVX-512 VNNI here: only the plain kernel runs");
            return;
        }
        let (inputs, outputs) = (5 * BLOCK, 3 * PAIR);
        let w = values(inputs * outputs, 4);
        let b = values(outputs, 5);
        let linear = Linear::quantise(&w, &b, inputs, outputs).unwrap();
        for rows in 1..=13 {
            let x = values(rows * inputs, 6 + rows as u32);
            let mut a = Activations::default();
            a.quantise(&x, rows, inputs);
            let (mut plain, mut vector) = (vec![0.5; rows * outputs], vec![0.5; rows * outputs]);
            for first in (0..inputs / BLOCK).step_by(SWEEP) {
                let blocks = first..(first + SWEEP).min(inputs / BLOCK);
                for pair in 0..outputs / PAIR {
                    for row in (0..rows).step_by(ROWS) {
                        let n = ROWS.min(rows - row);
                        let tile = Tile {
                            linear: &linear,
                            a: &a,
                            pair,
                            row,
                            blocks: blocks.clone(),
                            start: if first == 0 {
                                Start::AddBias
                            } else {
                                Start::Sums
                            },
                        };
                        tile.run_plain(n, &mut plain);
                        tile.run_vnni(n, &mut vector);
                    }
                }
            }
            for (p, v) in plain.iter().zip(&vector) {
                assert!(
                    (p - v).abs() <= 1e-5 * p.abs().max(1.0),
                    "{rows} rows: {p} vs {v}"
                );
            }
        }
    }

    #[test]
    fn zero_rows_and_zero_blocks_round_to_zero() {
        let mut a = Activations::default();
        a.quantise(&vec![0.0; BLOCK], 1, BLOCK);
        assert!(a.values.iter().all(|&v| v == 128));
        assert_eq!(a.scales, vec![0.0]);
        let linear = Linear::quantise(&vec![0.0; BLOCK * PAIR], &[1.0; PAIR], BLOCK, PAIR).unwrap();
        let mut out = vec![0.0; PAIR];
        linear.apply(&a, &mut out, false);
        assert_eq!(out, vec![1.0; PAIR]);
    }

    #[test]
    fn sizes_that_do_not_fit_the_blocks_are_refused() {
        assert!(Linear::quantise(&[0.0; 100], &[0.0; 1], 100, 1).is_err());
    }
}
