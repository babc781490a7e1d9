//! The element-wise arithmetic of the encoder's pass: LayerNorm, GELU, the softmax of
//! attention, and the vector helpers they share, written so that the compiler turns them into
//! wide vector instructions (AVX-512 or AVX2, chosen once at run time; plain code elsewhere).
//!
//! The matrix products live in `int8` and `exact`; this file owns everything between them.
//! Accuracy: `exp` to about 2 ulp, `erf` to 1.5e-7 (Abramowitz and Stegun 7.1.26), both in
//! f32, which moves a sentence vector by less than 1e-6 in cosine.

use std::sync::OnceLock;

/// The widest vector instructions this processor has that the encoder uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// AVX-512 (F, BW, VL) with VNNI: 8-bit dot products in 512-bit registers.
    Avx512Vnni,
    /// AVX-512 without VNNI.
    Avx512,
    /// AVX2 and FMA.
    Avx2,
    /// Neither: plain code.
    Portable,
}

/// The level of this processor, detected once.
pub fn level() -> Level {
    static LEVEL: OnceLock<Level> = OnceLock::new();
    *LEVEL.get_or_init(detect)
}

#[cfg(target_arch = "x86_64")]
fn detect() -> Level {
    use std::arch::is_x86_feature_detected as has;
    let avx512 = has!("avx512f") && has!("avx512bw") && has!("avx512vl") && has!("fma");
    if avx512 && has!("avx512vnni") {
        Level::Avx512Vnni
    } else if avx512 {
        Level::Avx512
    } else if has!("avx2") && has!("fma") {
        Level::Avx2
    } else {
        Level::Portable
    }
}

#[cfg(not(target_arch = "x86_64"))]
fn detect() -> Level {
    Level::Portable
}

/// Defines a function whose body is compiled three times (AVX-512, AVX2 and FMA, plain) and
/// runs as the widest the processor has. Everything the body calls must be `#[inline(always)]`
/// to be compiled wide too.
macro_rules! vectorised {
    ($(#[$m:meta])* $vis:vis fn $name:ident($($arg:ident: $ty:ty),* $(,)?) $(-> $ret:ty)? $body:block) => {
        $(#[$m])*
        $vis fn $name($($arg: $ty),*) $(-> $ret)? {
            #[inline(always)]
            fn body($($arg: $ty),*) $(-> $ret)? $body
            #[cfg(target_arch = "x86_64")]
            {
                #[target_feature(enable = "avx512f,avx512bw,avx512vl,avx2,fma")]
                unsafe fn wide($($arg: $ty),*) $(-> $ret)? { body($($arg),*) }
                #[target_feature(enable = "avx2,fma")]
                unsafe fn avx2($($arg: $ty),*) $(-> $ret)? { body($($arg),*) }
                match $crate::encoder::math::level() {
                    // Safety: the processor has these features (detected at run time).
                    $crate::encoder::math::Level::Avx512Vnni
                    | $crate::encoder::math::Level::Avx512 => return unsafe { wide($($arg),*) },
                    $crate::encoder::math::Level::Avx2 => return unsafe { avx2($($arg),*) },
                    $crate::encoder::math::Level::Portable => {}
                }
            }
            body($($arg),*)
        }
    };
}
pub(crate) use vectorised;

/// Lanes summed side by side, so that a sum vectorises (floating-point addition is not
/// reassociated by the compiler).
const LANES: usize = 16;

/// The sum of `f(x)` over `x`, in [`LANES`] running sums.
#[inline(always)]
pub fn sum_by(x: &[f32], f: impl Fn(f32) -> f32) -> f32 {
    let mut acc = [0.0f32; LANES];
    let chunks = x.chunks_exact(LANES);
    let rest = chunks.remainder();
    for c in chunks {
        for (a, v) in acc.iter_mut().zip(c) {
            *a += f(*v);
        }
    }
    acc.iter().sum::<f32>() + rest.iter().map(|v| f(*v)).sum::<f32>()
}

/// The largest absolute value, in [`LANES`] running maxima.
#[inline(always)]
pub fn max_abs(x: &[f32]) -> f32 {
    let mut acc = [0.0f32; LANES];
    let chunks = x.chunks_exact(LANES);
    let rest = chunks.remainder();
    for c in chunks {
        for (a, v) in acc.iter_mut().zip(c) {
            *a = a.max(v.abs());
        }
    }
    rest.iter().chain(&acc).fold(0.0f32, |m, v| m.max(v.abs()))
}

/// `1.5 · 2²³`: added to a float of magnitude under 2²², it rounds it to an integer (ties to
/// even) that then sits in the low bits of the sum's representation.
const ROUNDER: f32 = 12_582_912.0;

/// `e^x` in f32, without a branch: `x = n·ln 2 + r`, `e^r` by a degree-6 polynomial on
/// `|r| ≤ ln 2 / 2`, `2^n` put in the exponent bits. Relative error about 2e-7; below −87
/// it gives about 1.6e−38, above 88 about 1.6e38.
#[inline(always)]
pub fn exp(x: f32) -> f32 {
    const LN2_HI: f32 = 0.693_145_75;
    const LN2_LO: f32 = 1.428_606_8e-6;
    let x = x.clamp(-87.0, 88.0);
    let shifted = x * std::f32::consts::LOG2_E + ROUNDER;
    let n = shifted - ROUNDER;
    let r = x - n * LN2_HI - n * LN2_LO;
    let p = 1.0
        + r * (1.0
            + r * (0.5
                + r * (1.0 / 6.0 + r * (1.0 / 24.0 + r * (1.0 / 120.0 + r * (1.0 / 720.0))))));
    // The integer n is the difference of the representations (both floats in [2²³, 2²⁴)).
    let n = shifted.to_bits().wrapping_sub(ROUNDER.to_bits());
    p * f32::from_bits(n.wrapping_add(127) << 23)
}

/// `round(x) + 128` as a byte, for `|x| ≤ 127` (ties to even), in integer instructions only.
#[inline(always)]
pub fn offset_byte(x: f32) -> u8 {
    ((x + (128.0 + ROUNDER)).to_bits() & 0xff) as u8
}

/// The error function, to 1.5e-7 (Abramowitz and Stegun 7.1.26).
#[inline(always)]
pub fn erf(x: f32) -> f32 {
    let a = x.abs();
    let t = 1.0 / (1.0 + 0.327_591_1 * a);
    let poly = t
        * (0.254_829_6
            + t * (-0.284_496_74 + t * (1.421_413_7 + t * (-1.453_152_1 + t * 1.061_405_4))));
    (1.0 - poly * exp(-a * a)).copysign(x)
}

/// The exact GELU, `x · Φ(x)`.
#[inline(always)]
pub fn gelu(x: f32) -> f32 {
    0.5 * x * (1.0 + erf(x * std::f32::consts::FRAC_1_SQRT_2))
}

vectorised! {
    /// GELU of every value, in place.
    pub fn gelu_all(x: &mut [f32]) {
        for v in x.iter_mut() {
            *v = gelu(*v);
        }
    }
}

vectorised! {
    /// LayerNorm of every row of `x` (rows of `w.len()`), in place: `(v − mean) / √(var + eps)
    /// · w + b`, with the biased variance.
    pub fn layer_norm(x: &mut [f32], w: &[f32], b: &[f32], eps: f32) {
        let size = w.len();
        for row in x.chunks_exact_mut(size) {
            let mean = sum_by(row, |v| v) / size as f32;
            let var = sum_by(row, |v| (v - mean) * (v - mean)) / size as f32;
            let scale = 1.0 / (var + eps).sqrt();
            for ((v, w), b) in row.iter_mut().zip(w).zip(b) {
                *v = (*v - mean) * scale * w + b;
            }
        }
    }
}

vectorised! {
    /// `x += y`, element by element.
    pub fn add_assign(x: &mut [f32], y: &[f32]) {
        for (a, b) in x.iter_mut().zip(y) {
            *a += b;
        }
    }
}

/// Scores computed side by side in attention: keys are padded to a multiple of this.
const KEYS: usize = 16;
/// Queries computed together in attention: independent sums that keep the adder busy.
const QUERIES: usize = 4;

/// Where one head's numbers are for the tokens of one text: token `t`'s query starts at
/// `t · stride`, its key `keys` further and its value `values` further, each `width` long.
#[derive(Debug, Clone, Copy)]
pub struct Head {
    /// Tokens.
    pub rows: usize,
    /// Numbers from one token's query to the next one's.
    pub stride: usize,
    /// Numbers per head.
    pub width: usize,
    /// Offset of the keys from the queries.
    pub keys: usize,
    /// Offset of the values from the queries.
    pub values: usize,
}

vectorised! {
    /// Scaled dot-product attention of one text and one head (laid out in `qkv` as `head`
    /// says): each token's context, the softmax-weighted sum of the values, is written at
    /// `t · out_stride` in `out`. `scratch` is resized as needed.
    pub fn attend(qkv: &[f32], head: Head, out: &mut [f32], out_stride: usize, scratch: &mut Vec<f32>) {
        let Head { rows, stride, width, .. } = head;
        let (q, k, v) = (qkv, &qkv[head.keys..], &qkv[head.values..]);
        // The keys transposed, `[width][padded]`, zeros past `rows`: scores are then sums of
        // whole registers, with no sum across the lanes of one. Then QUERIES rows of scores.
        let padded = rows.div_ceil(KEYS) * KEYS;
        scratch.clear();
        scratch.resize(padded * (width + QUERIES), 0.0);
        let (keys, scores) = scratch.split_at_mut(width * padded);
        for s in 0..rows {
            for (d, &kv) in k[s * stride..s * stride + width].iter().enumerate() {
                keys[d * padded + s] = kv;
            }
        }
        let scale = 1.0 / (width as f32).sqrt();
        for first in (0..rows).step_by(QUERIES) {
            // Past the last row, the last query again (computed, not written).
            let query = |j: usize| (first + j).min(rows - 1);
            for group in 0..padded / KEYS {
                let mut acc = [[0.0f32; KEYS]; QUERIES];
                for d in 0..width {
                    let ks: &[f32; KEYS] = keys[d * padded + group * KEYS..][..KEYS]
                        .try_into()
                        .expect("KEYS numbers");
                    for (j, a) in acc.iter_mut().enumerate() {
                        let qd = q[query(j) * stride + d];
                        for (a, k) in a.iter_mut().zip(ks) {
                            *a += qd * k;
                        }
                    }
                }
                for (j, a) in acc.iter().enumerate() {
                    let row = &mut scores[j * padded + group * KEYS..][..KEYS];
                    for (c, a) in row.iter_mut().zip(a) {
                        *c = a * scale;
                    }
                }
            }
            let mut inverse = [0.0f32; QUERIES];
            for (j, inv) in inverse.iter_mut().enumerate() {
                let live = &mut scores[j * padded..j * padded + rows];
                let most = live.iter().fold(f32::NEG_INFINITY, |m, &v| m.max(v));
                for score in live.iter_mut() {
                    *score = exp(*score - most);
                }
                *inv = 1.0 / live.iter().sum::<f32>();
            }
            let whole = width / KEYS * KEYS;
            for at in (0..whole).step_by(KEYS) {
                let mut acc = [[0.0f32; KEYS]; QUERIES];
                for s in 0..rows {
                    let vs: &[f32; KEYS] = v[s * stride + at..][..KEYS]
                        .try_into()
                        .expect("KEYS numbers");
                    for (j, a) in acc.iter_mut().enumerate() {
                        let p = scores[j * padded + s];
                        for (a, x) in a.iter_mut().zip(vs) {
                            *a += p * x;
                        }
                    }
                }
                for (j, a) in acc.iter().enumerate().take(rows - first) {
                    let t = first + j;
                    let ctx = &mut out[t * out_stride + at..][..KEYS];
                    for (c, a) in ctx.iter_mut().zip(a) {
                        *c = a * inverse[j];
                    }
                }
            }
            for j in 0..QUERIES.min(rows - first) {
                let t = first + j;
                for d in whole..width {
                    out[t * out_stride + d] = (0..rows)
                        .map(|s| scores[j * padded + s] * v[s * stride + d])
                        .sum::<f32>()
                        * inverse[j];
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exp_matches_the_standard_library() {
        for i in -800..=800 {
            let x = i as f32 / 10.0;
            let (got, want) = (exp(x), x.exp());
            assert!(
                (got - want).abs() <= want * 5e-7,
                "exp({x}) = {got}, not {want}"
            );
        }
        assert!(exp(-200.0) < 1e-37);
        assert!(exp(200.0) > 1e38);
    }

    #[test]
    fn bytes_are_rounded_and_offset_by_128() {
        assert_eq!(offset_byte(0.0), 128);
        assert_eq!(offset_byte(-127.0), 1);
        assert_eq!(offset_byte(127.0), 255);
        assert_eq!(offset_byte(2.4), 130);
        assert_eq!(offset_byte(-2.6), 125);
        assert_eq!(offset_byte(0.5), 128);
        assert_eq!(offset_byte(1.5), 130);
    }

    #[test]
    fn erf_and_gelu_match_known_values() {
        assert!((erf(0.5) - 0.520_499_9).abs() < 1e-6);
        assert!((erf(-1.0) + 0.842_700_8).abs() < 1e-6);
        assert!((gelu(1.0) - 0.841_344_7).abs() < 1e-5);
        assert!((gelu(-3.0) + 0.004_049_6).abs() < 1e-6);
        assert_eq!(gelu(0.0), 0.0);
        let mut v = vec![1.0f32; 37];
        gelu_all(&mut v);
        assert!(v.iter().all(|g| (g - 0.841_344_7).abs() < 1e-5));
    }

    #[test]
    fn layer_norm_centres_and_scales_each_row() {
        let mut x: Vec<f32> = (0..40).map(|i| i as f32).collect();
        let w = vec![2.0f32; 20];
        let b = vec![1.0f32; 20];
        layer_norm(&mut x, &w, &b, 0.0);
        for row in x.chunks(20) {
            let mean = row.iter().sum::<f32>() / 20.0;
            let var = row.iter().map(|v| (v - mean).powi(2)).sum::<f32>() / 20.0;
            assert!((mean - 1.0).abs() < 1e-5);
            assert!((var - 4.0).abs() < 1e-3);
        }
    }

    #[test]
    fn lane_sums_and_maxima_equal_plain_ones() {
        let a: Vec<f32> = (0..37).map(|i| i as f32 * 0.5 - 3.0).collect();
        assert_eq!(max_abs(&a), 15.0);
        assert!((sum_by(&a, |v| v) - a.iter().sum::<f32>()).abs() < 1e-4);
    }

    #[test]
    fn attention_of_one_token_is_its_value() {
        // q = k = (1, 0), v = (7, -7).
        let qkv = [1.0, 0.0, 1.0, 0.0, 7.0, -7.0];
        let head = Head {
            rows: 1,
            stride: 6,
            width: 2,
            keys: 2,
            values: 4,
        };
        let mut out = [9.0; 2];
        attend(&qkv, head, &mut out, 2, &mut Vec::new());
        assert_eq!(out, [7.0, -7.0]);
    }

    #[test]
    fn attention_over_many_tokens_matches_the_plain_formula() {
        // 21 tokens, width 40 (two groups of 16 and a rest of 8), in rows of stride 130.
        let (rows, width, stride) = (21, 40, 130);
        let f = |i: usize| ((i * 7919) % 101) as f32 / 50.0 - 1.0;
        let qkv: Vec<f32> = (0..rows * stride).map(f).collect();
        let head = Head {
            rows,
            stride,
            width,
            keys: 43,
            values: 87,
        };
        let (q, k, v) = (&qkv[..], &qkv[43..], &qkv[87..]);
        let mut out = vec![0.0; rows * width];
        attend(&qkv, head, &mut out, width, &mut Vec::new());
        for t in 0..rows {
            let scores: Vec<f32> = (0..rows)
                .map(|s| {
                    (0..width)
                        .map(|d| q[t * stride + d] * k[s * stride + d])
                        .sum::<f32>()
                        / (width as f32).sqrt()
                })
                .collect();
            let most = scores.iter().cloned().fold(f32::MIN, f32::max);
            let e: Vec<f32> = scores.iter().map(|s| (s - most).exp()).collect();
            let total: f32 = e.iter().sum();
            for d in 0..width {
                let want: f32 = (0..rows).map(|s| e[s] / total * v[s * stride + d]).sum();
                assert!((out[t * width + d] - want).abs() < 1e-5, "{t} {d}");
            }
        }
    }

    #[test]
    fn attention_weighs_values_by_the_softmax_of_scores() {
        // Two tokens, width 1, rows (q, k, v): q = k = 0 gives equal weights, the mean.
        let head = Head {
            rows: 2,
            stride: 3,
            width: 1,
            keys: 1,
            values: 2,
        };
        let mut out = [0.0; 2];
        attend(
            &[0.0, 0.0, 2.0, 0.0, 0.0, 4.0],
            head,
            &mut out,
            1,
            &mut Vec::new(),
        );
        assert_eq!(out, [3.0, 3.0]);
        // A key that matches the query better takes more of the weight: q = (1, 0),
        // k = (1, -1).
        attend(
            &[1.0, 1.0, 2.0, 0.0, -1.0, 4.0],
            head,
            &mut out,
            1,
            &mut Vec::new(),
        );
        let w = 1.0 / (1.0 + (-2.0f32).exp());
        assert!((out[0] - (2.0 * w + 4.0 * (1.0 - w))).abs() < 1e-5);
    }
}
