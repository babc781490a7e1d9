//! A contact centre's history: what the desk sees from the first second after a large import.
//!
//! Run with `cargo bench --bench import` (release build; about half an hour with the defaults).
//! Everything goes through the release binary as a child process, over HTTP on loopback, as an
//! office would run it: `callfaq import FILE`, then `callfaq serve`. Two histories:
//!
//! 1. **Ten thousand real phrasings** (when the shared evaluation sets are there, `BENCH_EVAL`
//!    or `../shared/data/eval`): banking77_en's train split (10,003 questions) imported as
//!    calls of ten questions linked to one neutral answer per label (as `callfaq eval` builds
//!    them); from the server's first second, rounds over 300 of its test questions measure
//!    accuracy@1 as typed (a keystroke search of the whole sentence) and settled
//!    (`settled=1`); the rested figure is a last round once the embedding backlog is done.
//! 2. **A million generated caller questions** (`BENCH_QUESTIONS`) over the shipped
//!    knowledge, linked as a desk links them (`common::history::Desk`: topics skewed, 60%
//!    linked, one link in 60 to a wrong answer, outcomes as a desk has them), imported; then
//!    from the first second: rounds over 400 held-out generated questions (quality), 32
//!    operators typing for `BENCH_SECONDS` (`common::operators`: client-side p50/p99 of
//!    keystroke and settled searches, errors), the server's resident memory every second, the
//!    embedding backlog's rate while the desk types and then while it is idle
//!    (`BENCH_IDLE_SECONDS`), one operator typing alone (`BENCH_ONE_SECONDS`, the server's
//!    keystroke time at rest with the backlog still running), and how long SIGTERM takes:
//!    during the load, one second after a restart, and once more after the next start resumed
//!    the backlog.
//!
//! With `BENCH_KEEP` set, the temporary folder (the history file, the data folder after the
//! run, the servers' logs) is kept and its path printed, to serve it again by hand.
//!
//! The machine's load average is printed at the start and end of each phase. Only loopback
//! traffic, bounded in count and time. Without `--bench` (`cargo test --benches`) it does a
//! smoke run: 3,000 questions, 2 operators for 2 seconds, no evaluation set.

mod common;

use callfaq::calls::transfer::{to_line, CallLine, QuestionLine};
use callfaq::calls::Outcome;
use common::history::{generate_calls_with, Desk};
use common::operators::desk;
use common::server::{agent, mib, operator_token, Server};
use common::{cpu_model, env_usize, ms, summary, Rng};
use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The machine's load average (1, 5, 15 minutes).
fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

/// A labelled question: what is asked, and the answer that should come first.
type Held = (String, String);

/// One round over the held questions.
struct Round {
    /// Seconds from the server's first answer to the round's start.
    at: f64,
    typed: f64,
    settled: f64,
}

/// The answer a search puts first.
fn top(agent: &ureq::Agent, base: &str, auth: &str, q: &str, settled: bool) -> Option<String> {
    let url = format!(
        "{base}/api/search?limit=5&q={}{}",
        callfaq::paths::encode_component(q),
        if settled { "&settled=1" } else { "" }
    );
    let mut r = agent.get(&url).header("authorization", auth).call().ok()?;
    let body: Value = r.body_mut().read_json().ok()?;
    body["hits"][0]["slug"].as_str().map(str::to_string)
}

/// Rounds over the held questions, from now until `stop` (a round under way is finished).
fn rounds(server: (&str, &str), held: &[Held], since: Instant, stop: &AtomicBool) -> Vec<Round> {
    let agent = agent(Duration::from_secs(30));
    let mut out = Vec::new();
    while !stop.load(Ordering::Relaxed) {
        out.push(round(&agent, server, held, since));
    }
    out
}

fn round(agent: &ureq::Agent, (base, auth): (&str, &str), held: &[Held], since: Instant) -> Round {
    let at = since.elapsed().as_secs_f64();
    let (mut typed, mut settled) = (0, 0);
    for (q, expected) in held {
        typed += usize::from(top(agent, base, auth, q, false).as_deref() == Some(expected));
        settled += usize::from(top(agent, base, auth, q, true).as_deref() == Some(expected));
    }
    let n = held.len().max(1) as f64;
    Round {
        at,
        typed: typed as f64 / n,
        settled: settled as f64 / n,
    }
}

fn print_rounds(rounds: &[Round]) {
    for r in rounds {
        println!(
            "  from {:>6.1} s   as typed {:.4}   settled {:.4}",
            r.at, r.typed, r.settled
        );
    }
}

/// Questions still without a sentence vector, read from the database beside the server.
fn backlog(data: &Path) -> Option<i64> {
    let conn = rusqlite::Connection::open_with_flags(
        data.join(callfaq::store::FILE_NAME),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    )
    .ok()?;
    conn.busy_timeout(Duration::from_secs(5)).ok()?;
    conn.query_row(
        "SELECT COUNT(*) FROM questions WHERE embedded = 0",
        [],
        |r| r.get(0),
    )
    .ok()
}

/// `callfaq import FILE` on the folders; its time and what it said.
fn import(data: &Path, knowledge: &Path, file: &Path) -> (Duration, String) {
    let started = Instant::now();
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = Command::new(common::server::binary())
        .arg("import")
        .arg(file)
        .arg("--data")
        .arg(data)
        .arg("--knowledge")
        .arg(knowledge)
        .arg("--model")
        .arg(manifest.join(callfaq::encoder::DEFAULT_PATH))
        .arg("--word-vectors")
        .arg(manifest.join(callfaq::encoder::words::DEFAULT_PATH))
        .env("RUST_LOG", "callfaq=info,warn")
        .output()
        .expect("running callfaq import");
    let said = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(out.status.success(), "callfaq import failed:\n{said}");
    (started.elapsed(), said)
}

fn write_lines(path: &Path, calls: &[CallLine]) {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).expect("history file"));
    for c in calls {
        writeln!(out, "{}", to_line(c)).expect("writing the history");
    }
}

fn said_tail(said: &str, lines: usize) -> String {
    let all: Vec<&str> = said.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n    ")
}

/// Samples of the server's resident memory: (seconds since `since`, kB), every second until
/// `stop`.
fn memory(pid: String, since: Instant, stop: Arc<AtomicBool>) -> Vec<(f64, u64)> {
    let mut out = Vec::new();
    while !stop.load(Ordering::Relaxed) {
        let kb = common::status_field(&pid, "VmRSS:")
            .trim_end_matches(" kB")
            .trim()
            .parse()
            .unwrap_or(0);
        out.push((since.elapsed().as_secs_f64(), kb));
        std::thread::sleep(Duration::from_secs(1));
    }
    out
}

fn print_memory(label: &str, samples: &[(f64, u64)]) {
    let max = samples.iter().map(|s| s.1).max().unwrap_or(0);
    let every: Vec<String> = samples
        .iter()
        .step_by((samples.len() / 12).max(1))
        .map(|(t, kb)| format!("{t:.0}s {:.0}", *kb as f64 / 1024.0))
        .collect();
    println!(
        "{label}: RSS max {:.0} MiB; over time (MiB): {}",
        max as f64 / 1024.0,
        every.join(", ")
    );
}

/// The backlog's rate over `seconds`: questions given a vector a second.
fn backlog_rate(data: &Path, seconds: u64) -> (f64, i64) {
    let before = backlog(data).unwrap_or(0);
    let started = Instant::now();
    std::thread::sleep(Duration::from_secs(seconds));
    let after = backlog(data).unwrap_or(0);
    (
        (before - after) as f64 / started.elapsed().as_secs_f64(),
        after,
    )
}

fn terminate(server: &mut Server, when: &str) {
    let (took, code) = server.terminate();
    println!(
        "SIGTERM {when}: exited in {:.0} ms with code {code:?} (load {})",
        ms(took),
        load()
    );
}

/// The first history: banking77_en's train split over neutral answers.
fn real_phrasings(eval: &Path, tmp: &Path) {
    let read = |name: &str| -> Vec<(String, String)> {
        std::fs::read_to_string(eval.join(name))
            .unwrap_or_default()
            .lines()
            .filter_map(|l| serde_json::from_str::<Value>(l).ok())
            .filter_map(|v| Some((v["text"].as_str()?.into(), v["label"].as_str()?.into())))
            .collect()
    };
    let (train, test) = (read("train.jsonl"), read("test.jsonl"));
    if train.is_empty() || test.is_empty() {
        println!("no banking77_en in {}: skipped", eval.display());
        return;
    }
    println!(
        "\n== 1. {} real phrasings (banking77_en train) imported, then served (load {}) ==",
        train.len(),
        load()
    );
    let knowledge = tmp.join("neutral");
    std::fs::create_dir_all(&knowledge).expect("knowledge folder");
    let mut slugs: Vec<String> = train.iter().map(|(_, l)| l.clone()).collect();
    slugs.sort();
    slugs.dedup();
    let slug = |label: &str| {
        label
            .to_lowercase()
            .replace(|c: char| !c.is_ascii_alphanumeric(), "-")
    };
    for (i, label) in slugs.iter().enumerate() {
        let word = format!(
            "qx{}{}",
            (b'a' + (i % 26) as u8) as char,
            (b'a' + (i / 26) as u8) as char
        );
        std::fs::write(
            knowledge.join(format!("{}.md", slug(label))),
            format!(
                "+++\ntitle = \"{word}\"\naudience = \"all\"\nreviewed = 2026-01-01\n+++\n{word}\n"
            ),
        )
        .expect("an answer");
    }
    let now = chrono::Utc::now();
    let calls: Vec<CallLine> = train
        .chunks(10)
        .map(|chunk| {
            CallLine::of_questions(
                now - chrono::Duration::days(1),
                chunk
                    .iter()
                    .map(|(text, label)| QuestionLine {
                        text: text.clone(),
                        asked_at: None,
                        answer: Some(slug(label)),
                        declined: false,
                    })
                    .collect(),
            )
        })
        .collect();
    let file = tmp.join("banking77.jsonl");
    write_lines(&file, &calls);
    let data = tmp.join("data-real");
    let token = operator_token(&data);
    let (took, said) = import(&data, &knowledge, &file);
    println!(
        "import: {:.1} s\n    {}",
        took.as_secs_f64(),
        said_tail(&said, 4)
    );
    let step = (test.len() / 300).max(1);
    let held: Vec<Held> = test
        .iter()
        .step_by(step)
        .map(|(t, l)| (t.clone(), slug(l)))
        .collect();
    let mut server = Server::start(&data, &knowledge, &tmp.join("real.log"), &token);
    let since = Instant::now();
    println!(
        "server answered after {:.0} ms; rounds over {} test questions from its first second:",
        ms(server.ready_after),
        held.len()
    );
    let stop = AtomicBool::new(false);
    let seconds = env_usize("BENCH_QUALITY_SECONDS", 40) as u64;
    let early = std::thread::scope(|s| {
        let probe = s.spawn(|| rounds((&server.base, &server.auth), &held, since, &stop));
        std::thread::sleep(Duration::from_secs(seconds));
        stop.store(true, Ordering::Relaxed);
        probe.join().expect("the prober")
    });
    print_rounds(&early);
    // Rested: the backlog done and the trainer quiet.
    let waited = Instant::now();
    while backlog(&data).unwrap_or(0) > 0 && waited.elapsed() < Duration::from_secs(600) {
        std::thread::sleep(Duration::from_secs(2));
    }
    std::thread::sleep(Duration::from_secs(10));
    let agent = agent(Duration::from_secs(30));
    let rested = round(&agent, (&server.base, &server.auth), &held, since);
    println!(
        "rested (backlog done after {:.0} s more): as typed {:.4}, settled {:.4}",
        waited.elapsed().as_secs_f64(),
        rested.typed,
        rested.settled
    );
    println!("server: {}", server.memory());
    terminate(&mut server, "once rested");
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let questions = if full {
        env_usize("BENCH_QUESTIONS", 1_000_000)
    } else {
        3_000
    };
    let seconds = if full {
        env_usize("BENCH_SECONDS", 120)
    } else {
        2
    } as u64;
    let operators = if full {
        env_usize("BENCH_OPERATORS", 32)
    } else {
        2
    };
    let idle = if full {
        env_usize("BENCH_IDLE_SECONDS", 60)
    } else {
        2
    } as u64;
    println!(
        "callfaq import benchmark{}",
        if full { "" } else { " (smoke run)" }
    );
    println!(
        "machine: nproc {}, cpu {}; binary {}; load {}",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        cpu_model(),
        common::server::binary().display(),
        load()
    );
    let tmp = tempfile::Builder::new()
        .prefix("callfaq-import-")
        .tempdir()
        .expect("temporary folder");
    if full && std::env::var("BENCH_SKIP_REAL").is_err() {
        let eval = std::env::var("BENCH_EVAL")
            .map(PathBuf::from)
            .unwrap_or_else(|_| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/eval"));
        real_phrasings(&eval.join("banking77_en"), tmp.path());
    }

    println!(
        "\n== 2. {questions} generated caller questions, linked as a desk links them (load {}) ==",
        load()
    );
    let started = Instant::now();
    let desk_history = Desk::new(7);
    let mut rng = Rng::new(42);
    let per_call = 10;
    let calls = generate_calls_with(
        &mut rng,
        0,
        questions.div_ceil(per_call),
        per_call,
        &mut |rng| {
            let asked = desk_history.ask(rng);
            (asked.text, asked.linked)
        },
        &mut |rng| match rng.below(100) {
            0..=59 => Outcome::Answered,
            60..=79 => Outcome::Transferred,
            80..=94 => Outcome::Callback,
            _ => Outcome::NotAClient,
        },
    );
    let linked = calls
        .iter()
        .flat_map(|c| &c.questions)
        .filter(|q| q.answer.is_some())
        .count();
    let file = tmp.path().join("history.jsonl");
    write_lines(&file, &calls);
    drop(calls);
    println!(
        "generated {questions} questions ({linked} linked) in {:.1} s; file {:.0} MiB",
        started.elapsed().as_secs_f64(),
        mib(std::fs::metadata(&file).map_or(0, |m| m.len()))
    );
    let mut held_rng = Rng::new(4242);
    let mut held: Vec<Held> = Vec::new();
    while held.len() < 400 {
        let asked = desk_history.ask(&mut held_rng);
        if let Some(topic) = asked.topic {
            held.push((asked.text, topic.to_string()));
        }
    }
    let knowledge = Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge");
    let data = tmp.path().join("data");
    let token = operator_token(&data);
    let (took, said) = import(&data, &knowledge, &file);
    println!(
        "import: {:.1} s (load {})\n    {}",
        took.as_secs_f64(),
        load(),
        said_tail(&said, 5)
    );
    let waiting = backlog(&data).unwrap_or(0);
    let mut server = Server::start(&data, &knowledge, &tmp.path().join("server.log"), &token);
    let since = Instant::now();
    println!(
        "server answered after {:.0} ms; {waiting} questions wait for their sentence vector",
        ms(server.ready_after)
    );
    println!(
        "\n-- from the first second: {operators} operators typing for {seconds} s, held-out rounds, memory, backlog --"
    );
    let stop = Arc::new(AtomicBool::new(false));
    let sampler = {
        let (pid, stop) = (server.pid(), Arc::clone(&stop));
        std::thread::spawn(move || memory(pid, since, stop))
    };
    let before = backlog(&data).unwrap_or(0);
    let typing = Instant::now();
    let ((seen, wall, cores), busy_rounds) = std::thread::scope(|s| {
        let probe = s.spawn(|| rounds((&server.base, &server.auth), &held, since, &stop));
        let desk = desk(&server, operators, Duration::from_millis(200), seconds);
        stop.store(true, Ordering::Relaxed);
        (desk, probe.join().expect("the prober"))
    });
    let busy_rate = (before - backlog(&data).unwrap_or(0)) as f64 / typing.elapsed().as_secs_f64();
    println!(
        "{} keystroke searches ({:.0}/s), {} settled, {} questions logged, {} errors{}; server {cores:.2} cores (load {})",
        seen.searches.len(),
        seen.searches.len() as f64 / wall,
        seen.settled.len(),
        seen.logs.len(),
        seen.errors,
        seen.first_error
            .as_deref()
            .map(|e| format!(" (first: {e})"))
            .unwrap_or_default(),
        load()
    );
    println!("{}", summary("keystroke (client side)", &seen.searches));
    println!("{}", summary("keystroke took_ms", &seen.took));
    println!("{}", summary("settled (client side)", &seen.settled));
    println!("{}", summary("settled took_ms", &seen.settled_took));
    println!("{}", summary("logging (client side)", &seen.logs));
    println!("held-out rounds (400 questions each) while the desk typed:");
    print_rounds(&busy_rounds);
    println!("embedding backlog while the desk typed: {busy_rate:.0} questions/s");
    let (idle_rate, left) = backlog_rate(&data, idle);
    println!(
        "embedding backlog with the desk idle for {idle} s: {idle_rate:.0} questions/s ({left} left; load {})",
        load()
    );
    // One operator alone, as the search at rest is measured: the server's own time for a
    // keystroke with meaning on it, the backlog still running at its lowest priority.
    let alone = if full {
        env_usize("BENCH_ONE_SECONDS", 30)
    } else {
        1
    } as u64;
    let (one, _, one_cores) = desk(&server, 1, Duration::from_millis(200), alone);
    println!(
        "one operator typing alone for {alone} s: {} keystroke searches, {} errors; server {one_cores:.2} cores (load {})",
        one.searches.len(),
        one.errors,
        load()
    );
    println!(
        "{}",
        summary("alone: keystroke (client side)", &one.searches)
    );
    println!("{}", summary("alone: keystroke took_ms", &one.took));
    println!("{}", summary("alone: settled took_ms", &one.settled_took));
    stop.store(true, Ordering::Relaxed);
    let samples = sampler.join().expect("the memory sampler");
    print_memory("server while typing and idle", &samples);
    println!("server: {}", server.memory());
    let agent = agent(Duration::from_secs(30));
    let last = round(&agent, (&server.base, &server.auth), &held, since);
    println!(
        "held-out round at the end: as typed {:.4}, settled {:.4}",
        last.typed, last.settled
    );
    terminate(&mut server, "while the backlog runs");
    let trained = server.log();
    for needle in [
        "learned ranking trained",
        "meaning model trained",
        "ERROR",
        "WARN",
    ] {
        let n = trained.lines().filter(|l| l.contains(needle)).count();
        println!("server log: {n} lines with {needle:?}");
    }

    println!("\n-- restarts (load {}) --", load());
    let mut server = Server::start(&data, &knowledge, &tmp.path().join("second.log"), &token);
    println!(
        "second start answered after {:.0} ms; index rebuilt: {}",
        ms(server.ready_after),
        server.log().contains("rebuilt")
    );
    std::thread::sleep(Duration::from_secs(1));
    terminate(&mut server, "one second after a start");
    let mut server = Server::start(&data, &knowledge, &tmp.path().join("third.log"), &token);
    let (rate, left) = backlog_rate(&data, if full { 20 } else { 1 });
    println!("third start: the backlog resumed at {rate:.0} questions/s ({left} left)");
    terminate(&mut server, "while the resumed backlog runs");
    println!(
        "\ndone in {:.0} s (load {})",
        started.elapsed().as_secs_f64(),
        load()
    );
    if std::env::var("BENCH_KEEP").is_ok() {
        println!("KEPT {}", tmp.path().display());
        std::mem::forget(tmp);
    }
}
