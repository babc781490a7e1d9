//! The small numeric and file helpers every model shares, written once: dot products and unit
//! vectors, the softmax (dense, and over the few answers a sparse model scored), a seeded
//! shuffler for training orders, and writing a file atomically.

use std::io::Write;
use std::path::Path;

/// The dot product: the cosine of unit vectors. Summed in [`LANES`] running sums at once, which
/// the compiler turns into vector instructions (one running sum waits on each addition).
pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    let n = a.len().min(b.len());
    let (a, b) = (a[..n].chunks_exact(LANES), b[..n].chunks_exact(LANES));
    let tail: f32 = a
        .remainder()
        .iter()
        .zip(b.remainder())
        .map(|(x, y)| x * y)
        .sum();
    let mut sums = [0.0f32; LANES];
    for (x, y) in a.zip(b) {
        for i in 0..LANES {
            sums[i] += x[i] * y[i];
        }
    }
    sums.iter().sum::<f32>() + tail
}

/// Running sums of [`dot`].
const LANES: usize = 8;

/// Scales `v` to unit length (a zero vector stays zero).
pub fn normalise(v: &mut [f32]) {
    let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    if norm > 1e-12 {
        for x in v.iter_mut() {
            *x /= norm;
        }
    }
}

/// Turns `scores` into probabilities in place: `exp(s / temperature)`, normalised.
pub fn softmax(scores: &mut [f32], temperature: f32) {
    let most = scores.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let mut total = 0.0;
    for s in scores.iter_mut() {
        *s = ((*s - most) / temperature).exp();
        total += *s;
    }
    if total > 0.0 {
        for s in scores.iter_mut() {
            *s /= total;
        }
    }
}

/// A softmax over the scores a sparse model gave some answers, the `unscored` others scoring
/// zero: what each score's probability is divided by. With the [`Softmax::probability`] of each
/// scored one, the scored and unscored together add up to one.
#[derive(Debug, Clone, Copy)]
pub struct Softmax {
    most: f32,
    total: f32,
    temperature: f32,
}

impl Softmax {
    /// The softmax of `scores` (divided by `temperature`) and `unscored` zeros.
    pub fn over(
        scores: impl Iterator<Item = f32> + Clone,
        unscored: f32,
        temperature: f32,
    ) -> Softmax {
        let t = temperature;
        let most = scores.clone().map(|s| s / t).fold(
            if unscored > 0.0 {
                0.0
            } else {
                f32::NEG_INFINITY
            },
            f32::max,
        );
        let total = scores.map(|s| (s / t - most).exp()).sum::<f32>() + unscored * (-most).exp();
        Softmax {
            most,
            total,
            temperature,
        }
    }

    /// The probability of a scored answer.
    pub fn probability(&self, score: f32) -> f32 {
        (score / self.temperature - self.most).exp() / self.total
    }

    /// The natural logarithm of a scored answer's probability.
    pub fn log_probability(&self, score: f32) -> f32 {
        (score / self.temperature - self.most) - self.total.ln()
    }

    /// The probability of each unscored answer.
    pub fn unscored(&self) -> f32 {
        (-self.most).exp() / self.total
    }
}

/// A small deterministic generator for training orders: the same seed, the same order, on
/// every machine. Two sequences, each the one a model was tuned with (a model's figures move by
/// a few thousandths with its training order): xorshift* for the word model, plain xorshift
/// (13, 7, 17) for the meaning model.
#[derive(Debug, Clone)]
pub struct Shuffler {
    state: u64,
    star: bool,
}

impl Shuffler {
    /// An xorshift* generator from `seed` (0 is taken as 1).
    pub fn new(seed: u64) -> Shuffler {
        Shuffler {
            state: seed.max(1),
            star: true,
        }
    }

    /// A plain xorshift generator from `seed` (0 is taken as 1).
    pub fn plain(seed: u64) -> Shuffler {
        Shuffler {
            state: seed.max(1),
            star: false,
        }
    }

    /// The next number.
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.state;
        if self.star {
            x ^= x >> 12;
            x ^= x << 25;
            x ^= x >> 27;
            self.state = x;
            x.wrapping_mul(0x2545_F491_4F6C_DD1D)
        } else {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            self.state = x;
            x
        }
    }

    /// A number below `n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// Shuffles `items` (Fisher–Yates).
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i + 1);
            items.swap(i, j);
        }
    }
}

/// Writes `path` atomically: `write` fills a temporary file beside it, which is synced and
/// renamed over `path`, and the folder synced, so that a crash leaves the old file or the new
/// one, never half of one. The folder is created if missing.
pub fn write_atomically(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty());
    if let Some(dir) = dir {
        std::fs::create_dir_all(dir)?;
    }
    let mut partial = path.as_os_str().to_owned();
    partial.push(".saving");
    let partial = std::path::PathBuf::from(partial);
    {
        let file = std::fs::File::create(&partial)?;
        let mut out = std::io::BufWriter::new(file);
        write(&mut out)?;
        out.flush()?;
        out.get_ref().sync_all()?;
    }
    std::fs::rename(&partial, path)?;
    if let Some(dir) = dir {
        // Makes the rename durable; not every platform can open a folder, and that is no error.
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_softmax_adds_up_to_one_with_the_unscored_answers() {
        let scores = [2.0f32, 1.0, -1.0];
        let s = Softmax::over(scores.iter().copied(), 4.0, 1.0);
        let total: f32 = scores.iter().map(|&x| s.probability(x)).sum::<f32>() + 4.0 * s.unscored();
        assert!((total - 1.0).abs() < 1e-5, "{total}");
        let mut dense = [2.0f32, 1.0, -1.0, 0.0];
        softmax(&mut dense, 1.0);
        assert!((dense.iter().sum::<f32>() - 1.0).abs() < 1e-5);
        assert!(
            (dense[0] - Softmax::over(scores.iter().copied(), 1.0, 1.0).probability(2.0)).abs()
                < 1e-6
        );
    }

    #[test]
    fn the_same_seed_shuffles_the_same_way() {
        let mut a: Vec<u32> = (0..50).collect();
        let mut b = a.clone();
        Shuffler::new(7).shuffle(&mut a);
        Shuffler::new(7).shuffle(&mut b);
        assert_eq!(a, b);
        assert_ne!(a, (0..50).collect::<Vec<_>>());
        let mut c: Vec<u32> = (0..50).collect();
        Shuffler::plain(7).shuffle(&mut c);
        assert_ne!(a, c, "another sequence");
    }

    #[test]
    fn an_atomic_write_replaces_the_whole_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub").join("model.bin");
        write_atomically(&path, |out| out.write_all(b"first")).unwrap();
        write_atomically(&path, |out| out.write_all(b"second")).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"second");
        assert_eq!(
            std::fs::read_dir(path.parent().unwrap()).unwrap().count(),
            1
        );
    }
}
