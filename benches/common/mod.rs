//! What both benchmarks share: a deterministic random generator, percentiles and their summary line, reading the machine and the
//! process, and the knobs.

pub mod browser;
pub mod history;
pub mod operators;
pub mod server;

use std::time::Duration;

/// A duration in milliseconds.
pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Nearest-rank percentile of sorted samples.
pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// One line: p50, p99, max and mean of the samples.
pub fn summary(label: &str, samples: &[Duration]) -> String {
    let mut s = samples.to_vec();
    s.sort();
    let mean = s.iter().sum::<Duration>() / s.len().max(1) as u32;
    format!(
        "{label:<26} p50 {:.2} ms  p99 {:.2} ms  max {:.2} ms  mean {:.2} ms (n={})",
        ms(percentile(&s, 50.0)),
        ms(percentile(&s, 99.0)),
        ms(*s.last().unwrap_or(&Duration::ZERO)),
        ms(mean),
        s.len()
    )
}

/// A field of `/proc/PID/status` (`self` for this process), such as `VmHWM:`.
pub fn status_field(pid: &str, name: &str) -> String {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(name))
                .map(|l| l[name.len()..].trim().to_string())
        })
        .unwrap_or_else(|| "unknown".into())
}

/// The processor's model name.
pub fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, v)| v.trim().to_string())
        })
        .unwrap_or_else(|| "unknown".into())
}

/// A whole-number knob from the environment.
pub fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// xorshift64*: tiny, deterministic, good enough to pick words.
pub struct Rng(u64);

impl Rng {
    /// A generator from a fixed seed.
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }
    /// The next 64 random bits.
    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    /// A number in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    /// A number in `lo..=hi_inclusive`.
    pub fn range(&mut self, lo: usize, hi_inclusive: usize) -> usize {
        lo + self.below(hi_inclusive - lo + 1)
    }
    /// True `percent` times in a hundred.
    #[allow(dead_code)] // used by one benchmark only
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
    /// One of the items.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}
