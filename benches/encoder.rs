//! Encoder benchmark: how many typical caller questions the sentence model encodes a second,
//! how long one takes, and how close the fast path stays to the reference.
//!
//! Run with `cargo bench --bench encoder` (release build). It reads the texts of the shared
//! evaluation sets (`../shared/data/eval/*/{train,test}.jsonl` beside the repository, or the
//! folder in `BENCH_EVAL`; without them it says so and stops) and prints:
//!
//! 1. each precision's load time and the memory its weights take;
//! 2. questions a second through `Encoder::embed_many_on` on 1 and 2 threads, by the wall
//!    clock and per CPU-second of the process (on a shared machine the wall clock depends on
//!    the neighbours: the load average is printed before and after);
//! 3. single-question latency (`Encoder::embed`, one at a time): p50, p99, max;
//! 4. the cosine of every text's vector to the f32 reference ([`Precision::F32`], the
//!    products as they were before the 8-bit path): min and mean, per set, and the worst
//!    text; and to the C engine's vectors in `tests/fixtures/encoder/reference.json`;
//! 5. the time one settled query's vote of the nearest linked questions takes over as many as
//!    the meaning model learns from.
//!
//! Knobs: `BENCH_STEP` (every n-th text, default 1), `BENCH_LATENCY` (texts timed one by one,
//! default 400). Without `--bench` (as `cargo test --benches` runs it) a smoke run on a few
//! texts.

use callfaq::encoder::{dot, Encoder, Precision};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// One set's texts.
struct Set {
    name: String,
    texts: Vec<String>,
}

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The texts of `train.jsonl` and `test.jsonl` of every set in `dir`, every `step`-th.
fn read_sets(dir: &Path, step: usize) -> Vec<Set> {
    let mut names: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| d.filter_map(|e| Some(e.ok()?.path())).collect())
        .unwrap_or_default();
    names.sort();
    names
        .into_iter()
        .filter(|p| p.join("test.jsonl").exists())
        .map(|p| {
            let mut texts = Vec::new();
            for split in ["train.jsonl", "test.jsonl"] {
                let body = std::fs::read_to_string(p.join(split)).unwrap_or_default();
                for line in body.lines().filter(|l| !l.trim().is_empty()) {
                    let v: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
                    texts.push(v["text"].as_str().expect("a text").to_string());
                }
            }
            Set {
                name: p.file_name().unwrap().to_string_lossy().into_owned(),
                texts: texts.into_iter().step_by(step.max(1)).collect(),
            }
        })
        .collect()
}

/// CPU time of this process so far (every thread, user and system).
fn cpu_time() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command's closing parenthesis; utime and stime are the 14th and 15th.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(0)
    };
    // Clock ticks of 10 ms (USER_HZ is 100 on Linux).
    Duration::from_millis((ticks(11) + ticks(12)) * 10)
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

fn rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn load(path: &Path, precision: Precision) -> Encoder {
    let before = rss_mb();
    let started = Instant::now();
    let e = Encoder::load_with(path, precision).expect("the shipped model loads");
    println!(
        "{precision:?}: loaded in {:.0} ms; weights {:.1} MB; process RSS +{:.0} MB",
        ms(started.elapsed()),
        e.weight_bytes() as f64 / 1e6,
        rss_mb() - before
    );
    e
}

/// Encodes `texts` on `threads` threads; prints and returns the vectors.
fn throughput(e: &Encoder, texts: &[&str], threads: usize) -> Vec<Vec<f32>> {
    let (wall, cpu) = (Instant::now(), cpu_time());
    let vectors = e.embed_many_on(texts, threads);
    let (wall, cpu) = (wall.elapsed(), cpu_time() - cpu);
    println!(
        "  {:?} on {threads} thread(s): {} texts in {:.1} s: {:.0} questions/s by the clock, \
         {:.0} per CPU-second ({:.2} ms CPU each)",
        e.precision(),
        texts.len(),
        wall.as_secs_f64(),
        texts.len() as f64 / wall.as_secs_f64(),
        texts.len() as f64 / cpu.as_secs_f64().max(1e-9),
        ms(cpu) / texts.len().max(1) as f64
    );
    vectors
}

/// Each item's time through `f`, one at a time, as "p50 … p99 … max … (n=…)".
fn each_timed<T>(items: &[T], f: impl Fn(&T)) -> String {
    let mut times: Vec<Duration> = items
        .iter()
        .map(|item| {
            let started = Instant::now();
            f(item);
            started.elapsed()
        })
        .collect();
    times.sort();
    format!(
        "p50 {:.2} ms  p99 {:.2} ms  max {:.2} ms (n={})",
        ms(percentile(&times, 50.0)),
        ms(percentile(&times, 99.0)),
        ms(*times.last().unwrap_or(&Duration::ZERO)),
        times.len()
    )
}

fn latency(e: &Encoder, texts: &[&str]) {
    let spread = each_timed(texts, |t| {
        std::hint::black_box(e.embed(t));
    });
    println!("  {:?} one question at a time: {spread}", e.precision());
}

/// The min and mean cosine of pairs of vectors, and where the min is.
fn cosines(a: &[Vec<f32>], b: &[Vec<f32>]) -> (f32, f64, usize) {
    let cs: Vec<f32> = a.iter().zip(b).map(|(x, y)| dot(x, y)).collect();
    let (worst, min) =
        cs.iter().enumerate().fold(
            (0, f32::INFINITY),
            |m, (i, &c)| if c < m.1 { (i, c) } else { m },
        );
    let mean = cs.iter().map(|&c| f64::from(c)).sum::<f64>() / cs.len().max(1) as f64;
    (min, mean, worst)
}

fn against_the_c_engine(e: &Encoder) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/encoder/reference.json");
    let cases: Vec<serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(path).expect("the reference fixture"))
            .expect("JSON");
    let min = cases
        .iter()
        .map(|c| {
            let expected: Vec<f32> = c["vector"]
                .as_array()
                .expect("a vector")
                .iter()
                .map(|v| v.as_f64().unwrap_or(0.0) as f32)
                .collect();
            dot(&e.embed(c["text"].as_str().unwrap_or("")), &expected)
        })
        .fold(f32::INFINITY, f32::min);
    println!(
        "  {:?} against the C engine (reference.json, {} texts): min cosine {min:.6}",
        e.precision(),
        cases.len()
    );
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let dir = std::env::var("BENCH_EVAL")
        .map(PathBuf::from)
        .unwrap_or_else(|_| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/eval"));
    let step = if full {
        env_usize("BENCH_STEP", 1)
    } else {
        400
    };
    let sets = read_sets(&dir, step);
    if sets.is_empty() {
        println!(
            "encoder benchmark skipped: no evaluation sets in {} (set BENCH_EVAL)",
            dir.display()
        );
        return;
    }
    println!(
        "callfaq encoder benchmark{}; {} processors; load average {}",
        if full { "" } else { " (smoke run)" },
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        load_average()
    );
    let model = Path::new(env!("CARGO_MANIFEST_DIR")).join(callfaq::encoder::DEFAULT_PATH);
    let fast = load(&model, Precision::fastest());
    let reference = load(&model, Precision::F32);
    let all: Vec<&str> = sets
        .iter()
        .flat_map(|s| s.texts.iter().map(String::as_str))
        .collect();
    println!("{} texts of {} sets", all.len(), sets.len());

    println!("throughput (load average {}):", load_average());
    let ours = throughput(&fast, &all, 1);
    let two = throughput(&fast, &all, 2);
    assert!(
        ours.iter().zip(&two).all(|(a, b)| a == b),
        "threads change nothing"
    );
    let theirs = throughput(&reference, &all, 2);

    let every = (all.len() / env_usize("BENCH_LATENCY", 400)).max(1);
    let sample: Vec<&str> = all.iter().step_by(every).copied().collect();
    println!("latency:");
    latency(&fast, &sample);
    latency(&reference, &sample);

    println!(
        "{:?} against {:?}:",
        fast.precision(),
        reference.precision()
    );
    let mut at = 0;
    for set in &sets {
        let n = set.texts.len();
        let (min, mean, worst) = cosines(&ours[at..at + n], &theirs[at..at + n]);
        println!(
            "  {}: {n} texts, cosine min {min:.6} mean {mean:.6}; worst {:?}",
            set.name, set.texts[worst]
        );
        at += n;
    }
    let (min, mean, _) = cosines(&ours, &theirs);
    println!("  all: cosine min {min:.6} mean {mean:.6}");
    against_the_c_engine(&fast);
    against_the_c_engine(&reference);
    vote(
        &ours,
        &sample.iter().map(|t| fast.embed(t)).collect::<Vec<_>>(),
    );
    println!("load average after: {}", load_average());
}

/// The nearest linked questions' vote as a settled search asks it, over
/// [`callfaq::learn::DENSE_LINKS`] linked questions (the texts' vectors, repeated to that many,
/// each linked to one of 77 answers): p50, p99 and max of one query's vote, and its memory.
fn vote(vectors: &[Vec<f32>], queries: &[Vec<f32>]) {
    use callfaq::learn::neighbours::Neighbours;
    let links = callfaq::learn::DENSE_LINKS;
    let answers: Vec<String> = (0..77).map(|a| format!("answer-{a}")).collect();
    let examples: Vec<(&str, &[f32])> = (0..links)
        .map(|i| {
            (
                answers[i % 77].as_str(),
                vectors[i % vectors.len()].as_slice(),
            )
        })
        .collect();
    let started = Instant::now();
    let near = Neighbours::build(&examples, &answers);
    let built = started.elapsed();
    let spread = each_timed(queries, |q| {
        std::hint::black_box(near.rank(q));
    });
    println!(
        "the nearest questions' vote over {} linked questions (built in {:.0} ms, {:.1} MB), \
         a query: {spread}",
        near.len(),
        ms(built),
        near.bytes() as f64 / 1e6,
    );
}
