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
use common::history::generate_calls;
use common::operators::desk;
use common::server::{operator_token, Server};
use common::{cpu_model, env_usize, ms, percentile, summary, Rng};
use std::path::Path;
use std::time::{Duration, Instant};

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
        common::server::binary().display()
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
