//! Static word vectors benchmark: what the distilled table (`models/e5-small-static.bin`)
//! costs and what it is worth, alone and pooled with a words model, against the full encoder.
//!
//! Run with `cargo bench --bench words` (release build). On each shared evaluation set
//! (`../shared/data/eval/*`, or the folder in `BENCH_EVAL`; skipped with a message if absent)
//! the train split is the history and each test question is classified:
//!
//! - words: the product's word model (`learn::model::Model`: stems and character n-grams, a
//!   linear model per answer) trained on the train split, alone;
//! - static / encoder: a nearest centroid (cosine to each label's centred mean) and a softmax
//!   (multinomial logistic regression) over the static vectors or the encoder's;
//! - pooled: the word model's and the softmax's probabilities through `learn::pool` (their
//!   weighted geometric mean) at fixed weights, and at the weight that does best on a held-out
//!   tenth of the train split (the honest figure);
//! - how many test questions the pooling puts right that words alone got wrong, and wrong
//!   that words got right.
//!
//! It also prints the table's load time, memory and the time to embed a text (p50, p99).
//! This is an offline experiment, not the search path: the keystroke search is another's.

use callfaq::encoder::words::{StaticVectors, DEFAULT_PATH};
use callfaq::encoder::{normalise, Encoder};
use callfaq::learn::model::{Link, Model};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// A labelled split.
struct Split {
    texts: Vec<String>,
    labels: Vec<usize>,
}

fn read(path: &Path, names: &mut HashMap<String, usize>) -> Split {
    let mut split = Split {
        texts: Vec::new(),
        labels: Vec::new(),
    };
    let body = std::fs::read_to_string(path).expect("a readable set");
    for line in body.lines().filter(|l| !l.trim().is_empty()) {
        let v: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
        let n = names.len();
        let label = *names
            .entry(v["label"].as_str().expect("a label").to_string())
            .or_insert(n);
        split
            .texts
            .push(v["text"].as_str().expect("a text").to_string());
        split.labels.push(label);
    }
    split
}

fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Vectors centred on the train split's mean and normalised again.
fn centre(train: &[Vec<f32>], all: &[Vec<f32>]) -> Vec<Vec<f32>> {
    let d = train[0].len();
    let mut mean = vec![0.0f32; d];
    for v in train {
        for (m, x) in mean.iter_mut().zip(v) {
            *m += x / train.len() as f32;
        }
    }
    all.iter()
        .map(|v| {
            let mut c: Vec<f32> = v.iter().zip(&mean).map(|(x, m)| x - m).collect();
            normalise(&mut c);
            c
        })
        .collect()
}

fn top(p: &[f32]) -> usize {
    (0..p.len())
        .max_by(|&a, &b| p[a].total_cmp(&p[b]))
        .unwrap_or(0)
}

fn accuracy(probabilities: &[Vec<f32>], labels: &[usize]) -> f64 {
    let hits = probabilities
        .iter()
        .zip(labels)
        .filter(|(p, &y)| top(p) == y)
        .count();
    hits as f64 / labels.len().max(1) as f64
}

/// Cosine to each label's centroid, as scores.
fn centroid(train: &[Vec<f32>], labels: &[usize], test: &[Vec<f32>], k: usize) -> Vec<Vec<f32>> {
    let (tr, te) = (centre(train, train), centre(train, test));
    let mut centres = vec![vec![0.0f32; tr[0].len()]; k];
    for (v, &y) in tr.iter().zip(labels) {
        for (c, x) in centres[y].iter_mut().zip(v) {
            *c += x;
        }
    }
    centres.iter_mut().for_each(|c| normalise(c));
    te.iter()
        .map(|q| centres.iter().map(|c| dot(c, q)).collect())
        .collect()
}

/// A softmax over labels, trained with Adam on mini-batches of the centred train vectors;
/// the test vectors' probabilities.
fn softmax(train: &[Vec<f32>], labels: &[usize], test: &[Vec<f32>], k: usize) -> Vec<Vec<f32>> {
    const TEMPERATURE: f32 = 0.1;
    let (x, te) = (centre(train, train), centre(train, test));
    let d = x[0].len();
    let (mut w, mut b) = (vec![0.0f32; k * d], vec![0.0f32; k]);
    let (mut mw, mut vw) = (vec![0.0f32; k * d], vec![0.0f32; k * d]);
    let (mut mb, mut vb) = (vec![0.0f32; k], vec![0.0f32; k]);
    let probabilities = |w: &[f32], b: &[f32], v: &[f32]| -> Vec<f32> {
        let mut p: Vec<f32> = (0..k)
            .map(|c| (b[c] + dot(&w[c * d..(c + 1) * d], v)) / TEMPERATURE)
            .collect();
        let most = p.iter().copied().fold(f32::MIN, f32::max);
        p.iter_mut().for_each(|s| *s = (*s - most).exp());
        let total: f32 = p.iter().sum();
        p.iter_mut().for_each(|s| *s /= total);
        p
    };
    let mut order: Vec<usize> = (0..x.len()).collect();
    let (mut seed, mut step) = (0x9e37_79b9_7f4a_7c15u64, 0);
    let epochs = (200_000 / x.len().max(1)).clamp(20, 200);
    for _ in 0..epochs {
        for i in (1..order.len()).rev() {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            order.swap(i, (seed % (i as u64 + 1)) as usize);
        }
        for batch in order.chunks(32) {
            let (mut gw, mut gb) = (vec![0.0f32; k * d], vec![0.0f32; k]);
            for &i in batch {
                for (c, pc) in probabilities(&w, &b, &x[i]).into_iter().enumerate() {
                    let g = (pc - f32::from(u8::from(c == labels[i]))) / TEMPERATURE;
                    gb[c] += g;
                    for (gg, xx) in gw[c * d..(c + 1) * d].iter_mut().zip(&x[i]) {
                        *gg += g * xx;
                    }
                }
            }
            step += 1;
            let (c1, c2) = (1.0 - 0.9f32.powi(step), 1.0 - 0.999f32.powi(step));
            let scale = 1.0 / batch.len() as f32;
            let adam = |p: &mut [f32], g: &[f32], m: &mut [f32], v: &mut [f32], l2: f32| {
                for j in 0..p.len() {
                    let g = g[j] * scale + l2 * p[j];
                    m[j] = 0.9 * m[j] + 0.1 * g;
                    v[j] = 0.999 * v[j] + 0.001 * g * g;
                    p[j] -= 0.01 * (m[j] / c1) / ((v[j] / c2).sqrt() + 1e-8);
                }
            };
            adam(&mut w, &gw, &mut mw, &mut vw, 1e-4);
            adam(&mut b, &gb, &mut mb, &mut vb, 0.0);
        }
    }
    te.iter().map(|v| probabilities(&w, &b, v)).collect()
}

/// The word model's probabilities of every label for each test text.
fn words(train: &Split, test: &[String], k: usize) -> Vec<Vec<f32>> {
    let answers: Vec<String> = (0..k).map(|i| format!("a{i}")).collect();
    let links: Vec<Link> = train
        .texts
        .iter()
        .zip(&train.labels)
        .enumerate()
        .map(|(i, (t, y))| Link {
            question: i as i64,
            text: t.clone(),
            answer: answers[*y].clone(),
        })
        .collect();
    // The shared sets' answers are neutral (no title or phrasings of their own): no texts to
    // count the words' rarity over beside the links.
    let model = Model::train(&links, &answers, &[], 0x5eed);
    test.iter()
        .map(|t| {
            let mut p = vec![0.0f32; k];
            for s in model.rank(t, k) {
                p[s.slug[1..].parse::<usize>().expect("a label")] = s.probability;
            }
            p
        })
        .collect()
}

/// `learn::pool` of two label distributions.
fn pool(a: &[Vec<f32>], b: &[Vec<f32>], weight: f32) -> Vec<Vec<f32>> {
    a.iter()
        .zip(b)
        .map(|(pa, pb)| {
            let as_map = |p: &[f32]| -> HashMap<String, f32> {
                p.iter()
                    .enumerate()
                    .map(|(i, &v)| (i.to_string(), v))
                    .collect()
            };
            let mut out = vec![0.0f32; pa.len()];
            for (label, p) in callfaq::learn::pool(&as_map(pa), &as_map(pb), weight) {
                out[label.parse::<usize>().expect("a label")] = p;
            }
            out
        })
        .collect()
}

const WEIGHTS: [f32; 5] = [0.25, 0.5, 1.0, 2.0, 3.0];

/// The pooling weight that does best on a held-out tenth of the train split.
fn held_out_weight(train: &Split, vectors: &[Vec<f32>], k: usize) -> f32 {
    let (held, kept): (Vec<usize>, Vec<usize>) = (0..train.texts.len()).partition(|i| i % 10 == 9);
    let sub = Split {
        texts: kept.iter().map(|&i| train.texts[i].clone()).collect(),
        labels: kept.iter().map(|&i| train.labels[i]).collect(),
    };
    let held_texts: Vec<String> = held.iter().map(|&i| train.texts[i].clone()).collect();
    let held_labels: Vec<usize> = held.iter().map(|&i| train.labels[i]).collect();
    let pw = words(&sub, &held_texts, k);
    let kept_vectors: Vec<Vec<f32>> = kept.iter().map(|&i| vectors[i].clone()).collect();
    let held_vectors: Vec<Vec<f32>> = held.iter().map(|&i| vectors[i].clone()).collect();
    let pm = softmax(&kept_vectors, &sub.labels, &held_vectors, k);
    WEIGHTS
        .into_iter()
        .map(|w| (w, accuracy(&pool(&pw, &pm, w), &held_labels)))
        .fold(
            (1.0, -1.0),
            |best, (w, a)| if a > best.1 { (w, a) } else { best },
        )
        .0
}

fn report(
    name: &str,
    train: &Split,
    test: &Split,
    k: usize,
    pw: &[Vec<f32>],
    tr: &[Vec<f32>],
    te: &[Vec<f32>],
) {
    let pc = centroid(tr, &train.labels, te, k);
    let pm = softmax(tr, &train.labels, te, k);
    let fixed: Vec<String> = WEIGHTS
        .iter()
        .map(|&w| format!("{w} {:.4}", accuracy(&pool(pw, &pm, w), &test.labels)))
        .collect();
    let w = held_out_weight(train, tr, k);
    let pooled = pool(pw, &pm, w);
    let (mut fixes, mut breaks) = (0, 0);
    for ((p, q), &y) in pooled.iter().zip(pw).zip(&test.labels) {
        match (top(q) == y, top(p) == y) {
            (false, true) => fixes += 1,
            (true, false) => breaks += 1,
            _ => {}
        }
    }
    println!(
        "  {name:<8} centroid {:.4}  softmax {:.4}  pooled with words {:.4} (weight {w} chosen \
         on held-out train; fixes {fixes}, breaks {breaks}); fixed weights: {}",
        accuracy(&pc, &test.labels),
        accuracy(&pm, &test.labels),
        accuracy(&pooled, &test.labels),
        fixed.join(", ")
    );
}

fn refs(s: &Split) -> Vec<&str> {
    s.texts.iter().map(String::as_str).collect()
}

fn rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let dir = std::env::var("BENCH_EVAL")
        .map(PathBuf::from)
        .unwrap_or_else(|_| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/eval"));
    let mut sets: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|d| d.filter_map(|e| Some(e.ok()?.path())).collect())
        .unwrap_or_default();
    sets.retain(|p| p.join("train.jsonl").exists() && p.join("test.jsonl").exists());
    sets.sort();
    if sets.is_empty() || !full {
        println!(
            "static word vectors benchmark skipped: {}",
            if full {
                format!("no evaluation sets in {} (set BENCH_EVAL)", dir.display())
            } else {
                "run it with cargo bench --bench words".into()
            }
        );
        return;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let before = rss_mb();
    let started = Instant::now();
    let table = StaticVectors::load(&root.join(DEFAULT_PATH)).expect("the shipped table loads");
    println!(
        "static word vectors: loaded in {:.0} ms, {} numbers a text, rows {:.1} MB, process RSS +{:.0} MB",
        started.elapsed().as_secs_f64() * 1000.0,
        table.dimensions(),
        table.bytes() as f64 / 1e6,
        rss_mb() - before
    );
    let encoder = Encoder::load(&root.join(callfaq::encoder::DEFAULT_PATH)).expect("the model");
    for set in &sets {
        let mut names = HashMap::new();
        let train = read(&set.join("train.jsonl"), &mut names);
        let test = read(&set.join("test.jsonl"), &mut names);
        let k = names.len();
        let name = set.file_name().unwrap().to_string_lossy();
        let mut times: Vec<Duration> = Vec::with_capacity(test.texts.len());
        let static_of = |texts: &[String], times: &mut Vec<Duration>| -> Vec<Vec<f32>> {
            texts
                .iter()
                .map(|t| {
                    let started = Instant::now();
                    let v = table.embed(t);
                    times.push(started.elapsed());
                    v
                })
                .collect()
        };
        let (str_, ste) = (
            static_of(&train.texts, &mut times),
            static_of(&test.texts, &mut times),
        );
        times.sort();
        let at = |p: f64| times[((p * times.len() as f64) as usize).min(times.len() - 1)];
        let (etr, ete) = (
            encoder.embed_many_on(&refs(&train), 2),
            encoder.embed_many_on(&refs(&test), 2),
        );
        let pw = words(&train, &test.texts, k);
        println!(
            "{name}: {} train, {} test, {k} labels; a static vector in p50 {:.1} µs, p99 {:.1} µs",
            train.texts.len(),
            test.texts.len(),
            at(0.5).as_secs_f64() * 1e6,
            at(0.99).as_secs_f64() * 1e6
        );
        println!("  words    alone {:.4}", accuracy(&pw, &test.labels));
        report("static", &train, &test, k, &pw, &str_, &ste);
        report("encoder", &train, &test, k, &pw, &etr, &ete);
    }
}
