//! What both benchmarks share: percentiles and their summary line, reading the machine and the
//! process, and the knobs.

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
