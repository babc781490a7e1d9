//! Load benchmark: a busy desk over HTTP on loopback.
//!
//! Run with `cargo bench --bench load`. It builds a history of 20,000 generated caller questions
//! (`BENCH_HISTORY`), starts the release binary on it as a child process, and then:
//!
//! 1. **The desk**: 32 operators (`BENCH_OPERATORS`) for 60 s (`BENCH_SECONDS`), each on its own
//!    keep-alive connection, typing at 5 searches a second: every prefix of a caller's question
//!    as the live page sends it, then the whole question; and logging a question every 10 s.
//!    Reported: client-side latency of searches and of logging (p50, p99, max), the server's own
//!    `took_ms`, errors (any non-2xx or transport failure), and the cores the server used.
//! 2. **Saturation**: the same operators at rising rates (10 s a step) until the search p99
//!    passes 25 ms: the searches a second the desk can take.
//!
//! Only loopback traffic, bounded in count and time. Without `--bench` (as `cargo test
//! --benches` runs it) it does a smoke run of four operators for two seconds.

mod common;

use callfaq::search::questions::{self, QuestionIndex};
use callfaq::store::Store;
use common::history::{as_typed, caller_question, generate_calls, QUERIES};
use common::server::{agent, operator_token, Server};
use common::{cpu_model, env_usize, ms, percentile, summary, Rng};
use serde_json::{json, Value};
use std::path::Path;
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

/// What one operator saw.
#[derive(Default)]
struct Seen {
    searches: Vec<Duration>,
    took: Vec<Duration>,
    settled: Vec<Duration>,
    settled_took: Vec<Duration>,
    logs: Vec<Duration>,
    errors: usize,
    first_error: Option<String>,
}

impl Seen {
    fn merge(&mut self, other: Seen) {
        self.searches.extend(other.searches);
        self.took.extend(other.took);
        self.settled.extend(other.settled);
        self.settled_took.extend(other.settled_took);
        self.logs.extend(other.logs);
        self.errors += other.errors;
        if self.first_error.is_none() {
            self.first_error = other.first_error;
        }
    }

    fn error(&mut self, what: String) {
        self.errors += 1;
        self.first_error.get_or_insert(what);
    }
}

/// What an operator types next: a generated caller question or one of the fixed queries.
fn next_question(rng: &mut Rng) -> String {
    if rng.chance(50) {
        caller_question(rng).0
    } else {
        rng.pick(QUERIES).1.trim().to_string()
    }
}

/// One operator: a call of their own, searches every `every`, a question logged every 10 s.
fn operator(server_base: &str, auth: &str, seed: u64, every: Duration, until: Instant) -> Seen {
    let agent = agent(Duration::from_secs(10));
    let mut rng = Rng::new(seed);
    let mut seen = Seen::default();
    let call: Option<Value> = agent
        .post(&format!("{server_base}/api/calls"))
        .header("authorization", auth)
        .send_json(json!({"kind": if seed % 2 == 0 { "primary" } else { "secondary" }}))
        .ok()
        .and_then(|mut r| r.body_mut().read_json().ok());
    let Some(call) = call.and_then(|c| c["id"].as_i64()) else {
        seen.error("opening a call".into());
        return seen;
    };
    let kind = if seed % 2 == 0 {
        "primary"
    } else {
        "secondary"
    };
    let log_every = Duration::from_secs(10);
    // Operators do not start in step: each logs first at a different moment.
    let mut next_log = Instant::now() + Duration::from_millis(rng.range(500, 10_000) as u64);
    let mut next_search = Instant::now() + Duration::from_millis(rng.range(0, 200) as u64);
    let mut typing: Vec<String> = Vec::new();
    let mut logged = 0;
    while Instant::now() < until {
        let now = Instant::now();
        if now >= next_log {
            next_log += log_every;
            let text = next_question(&mut rng);
            let started = Instant::now();
            let result = agent
                .post(&format!("{server_base}/api/calls/{call}/questions"))
                .header("authorization", auth)
                .send_json(json!({ "text": text }));
            match result {
                Ok(r) if r.status() == 201 => seen.logs.push(started.elapsed()),
                Ok(r) => seen.error(format!("logging: {}", r.status())),
                Err(e) => seen.error(format!("logging: {e}")),
            }
            logged += 1;
            if logged >= 400 {
                break;
            }
            continue;
        }
        if now < next_search {
            std::thread::sleep((next_search - now).min(next_log.saturating_duration_since(now)));
            continue;
        }
        next_search += every;
        if typing.is_empty() {
            let mut q = as_typed(&next_question(&mut rng));
            q.reverse();
            typing = q;
        }
        let q = typing.pop().unwrap_or_default();
        // The whole question, once typed, is sent again as the page does after a pause: weighed
        // by its meaning too.
        let settled = typing.is_empty();
        let url = format!(
            "{server_base}/api/search?limit=9&kind={kind}&q={}{}",
            callfaq::paths::encode_component(&q),
            if settled { "&settled=1" } else { "" }
        );
        let started = Instant::now();
        match agent.get(&url).header("authorization", auth).call() {
            Ok(mut r) if r.status() == 200 => {
                let took = r
                    .body_mut()
                    .read_json::<Value>()
                    .ok()
                    .and_then(|body| body["took_ms"].as_f64())
                    .map(|t| Duration::from_secs_f64(t / 1000.0));
                if settled {
                    seen.settled.push(started.elapsed());
                    seen.settled_took.extend(took);
                } else {
                    seen.searches.push(started.elapsed());
                    seen.took.extend(took);
                }
            }
            Ok(r) => seen.error(format!("search: {}", r.status())),
            Err(e) => seen.error(format!("search: {e}")),
        }
    }
    seen
}

/// Server CPU seconds so far (user + system), from `/proc/PID/stat`.
fn cpu_seconds(pid: &str) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // Fields after the command name (which is in parentheses and may hold spaces).
    let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // utime and stime are fields 14 and 15 of the whole line: 11 and 12 after the name.
    (ticks(11) + ticks(12)) / 100.0
}

/// Runs `operators` operators for `seconds`, each searching every `every`.
fn desk(server: &Server, operators: usize, every: Duration, seconds: u64) -> (Seen, f64, f64) {
    let barrier = Arc::new(Barrier::new(operators + 1));
    let handles: Vec<_> = (0..operators)
        .map(|i| {
            let (base, auth, barrier) = (
                server.base.clone(),
                server.auth.clone(),
                Arc::clone(&barrier),
            );
            std::thread::spawn(move || {
                barrier.wait();
                let until = Instant::now() + Duration::from_secs(seconds);
                operator(&base, &auth, 1 + i as u64 * 7919, every, until)
            })
        })
        .collect();
    let cpu_before = cpu_seconds(&server.pid());
    barrier.wait();
    let started = Instant::now();
    let mut seen = Seen::default();
    for h in handles {
        seen.merge(h.join().expect("an operator thread"));
    }
    let wall = started.elapsed().as_secs_f64();
    let cores = (cpu_seconds(&server.pid()) - cpu_before) / wall;
    (seen, wall, cores)
}

fn build_history(data: &Path, questions: usize) {
    let started = Instant::now();
    let store = Store::open(data).expect("store");
    let mut rng = Rng::new(42);
    let per_call = 10;
    let calls = generate_calls(&mut rng, 0, questions.div_ceil(per_call), per_call);
    store.import(&calls, chrono::Utc::now()).expect("import");
    let (index, _) =
        QuestionIndex::open_or_create(&questions::index_dir(data)).expect("question index");
    let indexed = questions::rebuild(&index, &store).expect("index");
    println!(
        "history: {indexed} caller questions in {} calls, built in {:.1} s",
        calls.len(),
        started.elapsed().as_secs_f64()
    );
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let operators = if full {
        env_usize("BENCH_OPERATORS", 32)
    } else {
        4
    };
    let seconds = if full {
        env_usize("BENCH_SECONDS", 60) as u64
    } else {
        2
    };
    let history = if full {
        env_usize("BENCH_HISTORY", 20_000)
    } else {
        500
    };
    println!(
        "callfaq load benchmark{}",
        if full { "" } else { " (smoke run)" }
    );
    println!(
        "machine: nproc {}, cpu {}; binary {}",
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(0),
        cpu_model(),
        env!("CARGO_BIN_EXE_callfaq")
    );
    let knowledge = Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge");
    let tmp = tempfile::Builder::new()
        .prefix("callfaq-load-")
        .tempdir()
        .expect("temporary folder");
    let data = tmp.path().join("data");
    build_history(&data, history);
    let token = operator_token(&data);
    let server = Server::start(&data, &knowledge, &tmp.path().join("server.log"), &token);
    println!("server ready after {:.0} ms", ms(server.ready_after));

    println!("\n== the desk: {operators} operators for {seconds} s, 5 searches a second each, a question logged every 10 s ==");
    let (seen, wall, cores) = desk(&server, operators, Duration::from_millis(200), seconds);
    println!(
        "{} searches ({:.0}/s), {} questions logged, {} errors{}; server used {cores:.2} cores",
        seen.searches.len(),
        seen.searches.len() as f64 / wall,
        seen.logs.len(),
        seen.errors,
        seen.first_error
            .as_deref()
            .map(|e| format!(" (first: {e})"))
            .unwrap_or_default()
    );
    println!("{}", summary("search (client side)", &seen.searches));
    println!("{}", summary("search took_ms (server)", &seen.took));
    println!("{}", summary("settled (client side)", &seen.settled));
    println!(
        "{}",
        summary("settled took_ms (server)", &seen.settled_took)
    );
    println!("{}", summary("logging (client side)", &seen.logs));
    println!("server: {}", server.memory());

    if full {
        println!("\n== saturation: the same operators searching faster, 10 s a step ==");
        for per_second in [10usize, 15, 20, 30, 40, 60] {
            let every = Duration::from_secs_f64(1.0 / per_second as f64);
            let (seen, wall, cores) = desk(&server, operators, every, 10);
            let mut s = seen.searches.clone();
            s.sort();
            let p99 = percentile(&s, 99.0);
            println!(
                "asked {:>5}/s  served {:>6.0}/s  p50 {:>6.2} ms  p99 {:>7.2} ms  errors {}  server {cores:.2} cores",
                operators * per_second,
                s.len() as f64 / wall,
                ms(percentile(&s, 50.0)),
                ms(p99),
                seen.errors
            );
            if p99 > Duration::from_millis(25) {
                println!(
                    "p99 passed 25 ms at {} searches asked a second",
                    operators * per_second
                );
                break;
            }
        }
    }
    let log = server.log();
    let problems: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("ERROR") || l.contains("WARN"))
        .take(5)
        .collect();
    if !problems.is_empty() {
        println!("server log warnings/errors: {problems:?}");
    }
}
