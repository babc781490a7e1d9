//! Distilling static word vectors ([`super::words`]) from the sentence model, after
//! Model2Vec's recipe: every vocabulary piece goes through the encoder once, alone after the
//! question prefix; the vectors are centred and turned by PCA onto their main axes (fewer
//! numbers for as much of what tells them apart); each piece is weighted by how rare it is
//! (SIF, `a / (a + p)`, `p` its SentencePiece probability: frequent pieces such as `▁в` or
//! `,` count little); rows are rounded to 8 bits.
//!
//! This owns the recipe and its arithmetic (the eigenvectors too); `callfaq distill` runs it
//! and writes the file.

use super::file::Vocabulary;
use super::tokenizer::SPECIALS;
use super::words::Table;
use super::{Encoder, DIMENSIONS};
use std::sync::atomic::{AtomicUsize, Ordering};

/// How a piece is put through the encoder, `<s> query: PIECE </s>` in both cases.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// The sentence vector of that text (the mean of every token's state, normalised).
    Sentence,
    /// The piece's own state only.
    Token,
}

/// The recipe's settings.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// How a piece is put through the encoder.
    pub context: Context,
    /// Numbers per row (at most [`DIMENSIONS`]): the first principal axes.
    pub dims: usize,
    /// SIF's `a`; 0 weighs every piece alike.
    pub sif: f32,
    /// Threads to encode on.
    pub threads: usize,
}

/// Pieces sent through the encoder in one call per thread.
const CHUNK: usize = 512;

/// The pieces that get a row: all but the special ones (`<s>`, `<pad>`, `</s>`, `<unk>`,
/// `<mask>`, empty).
pub fn pieces(v: &Vocabulary) -> Vec<u32> {
    v.pieces
        .iter()
        .enumerate()
        .filter(|(_, p)| !p.is_empty() && !SPECIALS.contains(&p.as_str()))
        .map(|(i, _)| i as u32)
        .collect()
}

/// The vector of every piece of `ids` (`[ids × DIMENSIONS]`, each of unit length), on
/// `threads` threads; `progress` is told how many are done.
pub fn piece_vectors(
    encoder: &Encoder,
    ids: &[u32],
    context: Context,
    threads: usize,
    progress: &(dyn Fn(usize) + Sync),
) -> Vec<f32> {
    let prefix = encoder.token_ids("");
    // `<s> query: </s>` cut into `<s>` + prefix and `</s>`; the content's last piece is the
    // space the empty text leaves, dropped.
    let eos = prefix[prefix.len() - 1];
    let head: Vec<u32> = prefix[..prefix.len() - 2].to_vec();
    let at = head.len();
    let mut out = vec![0.0f32; ids.len() * DIMENSIONS];
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let work = |slots: &mut Vec<(usize, Vec<f32>)>| loop {
        let start = next.fetch_add(CHUNK, Ordering::Relaxed);
        if start >= ids.len() {
            return;
        }
        let end = (start + CHUNK).min(ids.len());
        let texts: Vec<Vec<u32>> = ids[start..end]
            .iter()
            .map(|&id| {
                let mut t = head.clone();
                t.push(id);
                t.push(eos);
                t
            })
            .collect();
        let vectors: Vec<Vec<f32>> = match context {
            Context::Sentence => encoder.embed_ids(&texts),
            Context::Token => encoder
                .token_states(&texts)
                .into_iter()
                .map(|states| {
                    let mut v = states[at * DIMENSIONS..(at + 1) * DIMENSIONS].to_vec();
                    super::normalise(&mut v);
                    v
                })
                .collect(),
        };
        for (i, v) in vectors.into_iter().enumerate() {
            slots.push((start + i, v));
        }
        progress(done.fetch_add(end - start, Ordering::Relaxed) + end - start);
    };
    let results: Vec<Vec<(usize, Vec<f32>)>> = std::thread::scope(|scope| {
        let running: Vec<_> = (0..threads.max(1))
            .map(|_| {
                scope.spawn(|| {
                    let mut slots = Vec::new();
                    work(&mut slots);
                    slots
                })
            })
            .collect();
        running
            .into_iter()
            .map(|r| r.join().expect("an encoding thread panicked"))
            .collect()
    });
    for (i, v) in results.into_iter().flatten() {
        out[i * DIMENSIONS..(i + 1) * DIMENSIONS].copy_from_slice(&v);
    }
    out
}

/// A centring and a turn onto the first principal axes.
#[derive(Debug, Clone)]
pub struct Projection {
    mean: Vec<f32>,
    /// `[dims × width]`: the axes, by decreasing variance.
    axes: Vec<f32>,
    width: usize,
    /// The share of the total variance each kept axis carries.
    pub explained: Vec<f64>,
}

impl Projection {
    /// The first `dims` principal axes of `vectors` (rows of `width`).
    pub fn fit(vectors: &[f32], width: usize, dims: usize) -> Projection {
        let n = vectors.len() / width;
        assert!(n > 0 && dims <= width);
        let mut mean = vec![0.0f64; width];
        for row in vectors.chunks_exact(width) {
            for (m, &v) in mean.iter_mut().zip(row) {
                *m += f64::from(v);
            }
        }
        mean.iter_mut().for_each(|m| *m /= n as f64);
        let mean: Vec<f32> = mean.into_iter().map(|m| m as f32).collect();
        let covariance = covariance(vectors, &mean, width);
        let (values, vectors_of) = symmetric_eigen(covariance, width);
        let mut order: Vec<usize> = (0..width).collect();
        order.sort_by(|&a, &b| values[b].total_cmp(&values[a]));
        let total: f64 = values.iter().map(|v| v.max(0.0)).sum();
        let mut axes = Vec::with_capacity(dims * width);
        let mut explained = Vec::with_capacity(dims);
        for &k in &order[..dims] {
            axes.extend((0..width).map(|i| vectors_of[i * width + k] as f32));
            explained.push(values[k].max(0.0) / total.max(f64::MIN_POSITIVE));
        }
        Projection {
            mean,
            axes,
            width,
            explained,
        }
    }

    /// Numbers it gives.
    pub fn dims(&self) -> usize {
        self.axes.len() / self.width
    }

    /// `v` centred and turned.
    pub fn apply(&self, v: &[f32]) -> Vec<f32> {
        let centred: Vec<f32> = v.iter().zip(&self.mean).map(|(x, m)| x - m).collect();
        self.axes
            .chunks_exact(self.width)
            .map(|axis| axis.iter().zip(&centred).map(|(a, c)| a * c).sum())
            .collect()
    }
}

/// The covariance matrix of the rows of `vectors` (`width` each) around `mean`, in f64,
/// summed from f32 products of 4,096 rows at a time.
fn covariance(vectors: &[f32], mean: &[f32], width: usize) -> Vec<f64> {
    let n = vectors.len() / width;
    let mut total = vec![0.0f64; width * width];
    let mut part = vec![0.0f32; width * width];
    for rows in vectors.chunks(4096 * width) {
        let m = rows.len() / width;
        let centred: Vec<f32> = rows
            .chunks_exact(width)
            .flat_map(|r| r.iter().zip(mean).map(|(x, mu)| x - mu))
            .collect();
        // part = centredᵀ · centred. Safety: centred is m × width (row stride width), read
        // transposed as width × m (row stride 1, column stride width); part is width × width.
        unsafe {
            matrixmultiply::sgemm(
                width,
                m,
                width,
                1.0,
                centred.as_ptr(),
                1,
                width as isize,
                centred.as_ptr(),
                width as isize,
                1,
                0.0,
                part.as_mut_ptr(),
                width as isize,
                1,
            );
        }
        for (t, p) in total.iter_mut().zip(&part) {
            *t += f64::from(*p);
        }
    }
    total.iter_mut().for_each(|t| *t /= n.max(1) as f64);
    total
}

/// The eigenvalues and eigenvectors of a symmetric matrix (`n × n`, row-major), by cyclic
/// Jacobi rotations: returns the values and the vectors as the columns of an `n × n` matrix.
pub fn symmetric_eigen(mut a: Vec<f64>, n: usize) -> (Vec<f64>, Vec<f64>) {
    let mut v = vec![0.0f64; n * n];
    for i in 0..n {
        v[i * n + i] = 1.0;
    }
    let scale: f64 = a.iter().map(|x| x * x).sum::<f64>().max(f64::MIN_POSITIVE);
    for _sweep in 0..60 {
        let off: f64 = (0..n)
            .flat_map(|p| (0..n).filter(move |&q| q != p).map(move |q| (p, q)))
            .map(|(p, q)| a[p * n + q] * a[p * n + q])
            .sum();
        if off <= 1e-24 * scale {
            break;
        }
        for p in 0..n {
            for q in p + 1..n {
                let apq = a[p * n + q];
                if apq.abs() <= 1e-300 {
                    continue;
                }
                // The rotation in the (p, q) plane that zeroes a[p][q] (Golub and Van Loan 8.5).
                let theta = (a[q * n + q] - a[p * n + p]) / (2.0 * apq);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for k in 0..n {
                    let (akp, akq) = (a[k * n + p], a[k * n + q]);
                    a[k * n + p] = c * akp - s * akq;
                    a[k * n + q] = s * akp + c * akq;
                }
                for k in 0..n {
                    let (apk, aqk) = (a[p * n + k], a[q * n + k]);
                    a[p * n + k] = c * apk - s * aqk;
                    a[q * n + k] = s * apk + c * aqk;
                }
                for k in 0..n {
                    let (vkp, vkq) = (v[k * n + p], v[k * n + q]);
                    v[k * n + p] = c * vkp - s * vkq;
                    v[k * n + q] = s * vkp + c * vkq;
                }
            }
        }
    }
    ((0..n).map(|i| a[i * n + i]).collect(), v)
}

/// SIF's weight for a piece of unigram log-probability `score`: `a / (a + p)`.
pub fn sif_weight(score: f32, a: f32) -> f32 {
    if a <= 0.0 {
        return 1.0;
    }
    a / (a + score.exp())
}

/// The whole recipe: the table for `vocabulary` (the encoder's own).
pub fn distil(
    encoder: &Encoder,
    vocabulary: Vocabulary,
    options: &Options,
    progress: &(dyn Fn(usize) + Sync),
) -> (Table, Projection) {
    let ids = pieces(&vocabulary);
    let vectors = piece_vectors(encoder, &ids, options.context, options.threads, progress);
    let projection = Projection::fit(&vectors, DIMENSIONS, options.dims.min(DIMENSIONS));
    let dims = projection.dims();
    let mut rows = vec![0.0f32; vocabulary.pieces.len() * dims];
    for (&id, v) in ids.iter().zip(vectors.chunks_exact(DIMENSIONS)) {
        let weight = sif_weight(vocabulary.scores[id as usize], options.sif);
        let row = &mut rows[id as usize * dims..(id as usize + 1) * dims];
        for (r, p) in row.iter_mut().zip(projection.apply(v)) {
            *r = p * weight;
        }
    }
    (Table::quantise(vocabulary, dims, &rows), projection)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jacobi_finds_the_eigenvectors_of_a_symmetric_matrix() {
        let n = 5;
        let a: Vec<f64> = (0..n * n)
            .map(|k| {
                let (i, j) = (k / n, k % n);
                ((i + 1) * (j + 1)) as f64 / 7.0 + if i == j { i as f64 } else { 0.0 }
            })
            .collect();
        let (values, v) = symmetric_eigen(a.clone(), n);
        for k in 0..n {
            for i in 0..n {
                let av: f64 = (0..n).map(|j| a[i * n + j] * v[j * n + k]).sum();
                assert!((av - values[k] * v[i * n + k]).abs() < 1e-9, "A·v = λ·v");
            }
            let norm: f64 = (0..n).map(|i| v[i * n + k].powi(2)).sum();
            assert!((norm - 1.0).abs() < 1e-9);
        }
    }

    #[test]
    fn pca_keeps_the_direction_of_largest_spread() {
        // Points along (1, 1, 0) with a little noise across.
        let vectors: Vec<f32> = (0..200)
            .flat_map(|i| {
                let t = i as f32 / 10.0 - 10.0;
                let e = if i % 2 == 0 { 0.1 } else { -0.1 };
                [t + e, t - e, 0.05 * e]
            })
            .collect();
        let p = Projection::fit(&vectors, 3, 1);
        assert_eq!(p.dims(), 1);
        assert!(p.explained[0] > 0.99);
        let along = p.apply(&[1.0, 1.0, 0.0])[0] - p.apply(&[0.0, 0.0, 0.0])[0];
        assert!((along.abs() - std::f32::consts::SQRT_2).abs() < 1e-3);
    }

    #[test]
    fn frequent_pieces_weigh_less_than_rare_ones() {
        assert!(sif_weight(-3.0, 1e-3) < sif_weight(-12.0, 1e-3));
        assert!((sif_weight(-20.0, 1e-3) - 1.0).abs() < 1e-4);
        assert_eq!(sif_weight(-3.0, 0.0), 1.0);
    }

    #[test]
    fn special_pieces_get_no_row() {
        let v = Vocabulary {
            pieces: ["<s>", "<pad>", "</s>", "<unk>", "▁a", "<mask>", "<"]
                .map(String::from)
                .to_vec(),
            scores: vec![0.0; 7],
            bos: 0,
            eos: 2,
            unk: 3,
            normalise: Default::default(),
        };
        assert_eq!(pieces(&v), vec![4, 6]);
    }
}
