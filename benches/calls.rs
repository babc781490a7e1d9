//! Call-desk benchmark: logging caller questions over HTTP, search with a million caller
//! questions in the question index, and server start-up on that data folder.
//!
//! Run with `cargo bench --bench calls` (release build; it also builds the release binary, which
//! it starts as a child process on loopback ports). What it does, in four phases:
//!
//! 1. `http`: starts `callfaq serve` on an empty temporary data folder and the shipped
//!    `knowledge/`, makes an operator token with `callfaq token create`, opens calls with
//!    `POST /api/calls` and logs questions with `POST /api/calls/{id}/questions` (with and
//!    without an `answer` slug), one client and then four concurrent clients, each scenario
//!    bounded in count and time, a new call every 100 questions. Only `201` responses count.
//!    Also times a bare `write + fdatasync` on the same disk: with SQLite in WAL mode and
//!    `synchronous=FULL` every commit waits for one (a logged question commits twice: the
//!    question and its audit line).
//! 2. `search`: generates 1,000,000 Russian caller questions (100,000 calls × 10) with a fixed
//!    seed, about 60% linked to slugs of the shipped answers, loads them with `Store::import`,
//!    builds the question index with `questions::rebuild`, then times a fixed set of queries and
//!    their as-you-type prefixes through `Library::search` with the question index: the
//!    server-side path of `GET /api/search`. A breakdown times answer ranking, caller-question
//!    evidence and snippets apart, and the same searches without the question index.
//! 3. `reports`: spreads the unlinked questions over 400 open groups and logs a search for every
//!    question (`BENCH_SEARCHES`, default 1,000,000) straight in SQL, counts the report's day
//!    tables from scratch once, then times the question frequency report (12 weeks, 12 weeks of
//!    primary calls, a year, three years), the desk figures, the cheat sheet, and the report
//!    right after a new call was logged (its day counted again), through `callfaq::report`.
//! 4. `startup`: starts the release binary on that data folder four times (the folder's first
//!    start, which also creates the `admin` account; one with the folder's files evicted from
//!    the page cache; two warm), measures the time from spawn to the first `200` from
//!    `GET /healthz`, checks that the log mentions no rebuild, times the first search (it waits
//!    for the retention sweep, which holds the store at start-up), reads `VmRSS` / `VmHWM` from
//!    `/proc/PID/status` after start and after sending every query as typed through
//!    `GET /api/search`.
//!
//! Everything is written to a temporary folder that is removed at the end.
//!
//! Environment: `BENCH_QUESTIONS` (default 1000000), `BENCH_ROUNDS` (default 10, rounds of the
//! full queries; the as-you-type prefixes run a quarter as many), `BENCH_HTTP_SECONDS` (default
//! 15, time limit per logging scenario), `BENCH_HTTP_MAX` (default 3000, questions per logging
//! scenario at most), `BENCH_PHASES` (default `http,search,reports,startup`), `BENCH_DATA` (a folder to
//! keep the generated data in and reuse on the next run instead of the temporary one; never
//! removed). Without `--bench` (as `cargo test --benches` runs it) it does a quick smoke run.

mod common;

use callfaq::calls::CallKind;
use callfaq::learn::Learner;
use callfaq::library::{Library, SearchOptions};
use callfaq::search::query::QueryPlan;
use callfaq::search::questions::{self, QuestionIndex};
use callfaq::search::Matcher;
use callfaq::store::Store;
use common::history::{
    as_typed, caller_question, generate_calls, kind_for, CALLER_TOPICS, QUERIES,
};
use common::server::{agent, disk_size, fsync_probe, mib, operator_token, Server};
use common::{cpu_model, env_usize, ms, status_field, summary, Rng};
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

// ---------------------------------------------------------------------------------------------
// Phase 1: questions logged over HTTP
// ---------------------------------------------------------------------------------------------

/// Questions one call takes before the client opens the next (the API allows 500).
const QUESTIONS_PER_CALL: usize = 100;

struct Logged {
    acknowledged: usize,
    other: BTreeMap<String, usize>,
    calls: usize,
    latencies: Vec<Duration>,
}

fn post(agent: &ureq::Agent, auth: &str, url: &str, body: &Value) -> (String, Option<Value>) {
    match agent
        .post(url)
        .header("authorization", auth)
        .send_json(body)
    {
        Ok(mut r) => {
            let status = r.status().as_u16();
            if status == 201 {
                (status.to_string(), r.body_mut().read_json::<Value>().ok())
            } else {
                (status.to_string(), None)
            }
        }
        Err(e) => (format!("error: {e}"), None),
    }
}

/// One client: opens a call, logs questions on it, a new call every [`QUESTIONS_PER_CALL`].
fn client(base: &str, auth: &str, seed: u64, max: usize, until: Instant, linked: bool) -> Logged {
    let agent = agent(Duration::from_secs(30));
    let mut rng = Rng::new(seed);
    let mut out = Logged {
        acknowledged: 0,
        other: BTreeMap::new(),
        calls: 0,
        latencies: Vec::with_capacity(max),
    };
    let mut call_url = String::new();
    let mut on_call = QUESTIONS_PER_CALL;
    let mut sent = 0;
    while sent < max && Instant::now() < until {
        if on_call == QUESTIONS_PER_CALL {
            let body = json!({
                "kind": if rng.chance(50) { "primary" } else { "secondary" },
                "phone": format!("+7 495 {:03}-{:02}-{:02}", rng.below(1000), rng.below(100), rng.below(100)),
                "operator": "Анна",
            });
            let (status, call) = post(&agent, auth, &format!("{base}/api/calls"), &body);
            let Some(id) = call.as_ref().and_then(|c| c["id"].as_i64()) else {
                *out.other.entry(format!("call {status}")).or_default() += 1;
                std::thread::sleep(Duration::from_millis(10));
                continue;
            };
            out.calls += 1;
            call_url = format!("{base}/api/calls/{id}/questions");
            on_call = 0;
        }
        let (text, answer) = loop {
            let (text, answer) = caller_question(&mut rng);
            if !linked || answer.is_some() {
                break (text, answer);
            }
        };
        let body = if linked {
            json!({ "text": text, "answer": answer })
        } else {
            json!({ "text": text })
        };
        let t = Instant::now();
        let (status, _) = post(&agent, auth, &call_url, &body);
        let took = t.elapsed();
        sent += 1;
        on_call += 1;
        if status == "201" {
            out.acknowledged += 1;
            out.latencies.push(took);
        } else {
            *out.other.entry(status).or_default() += 1;
        }
    }
    out
}

fn logging_scenario(server: &Server, clients: usize, linked: bool, max: usize, limit: Duration) {
    let barrier = Arc::new(Barrier::new(clients + 1));
    let per_client = max.div_ceil(clients);
    let handles: Vec<_> = (0..clients)
        .map(|i| {
            let barrier = Arc::clone(&barrier);
            let base = server.base.clone();
            let auth = server.auth.clone();
            std::thread::spawn(move || {
                barrier.wait();
                let until = Instant::now() + limit;
                client(
                    &base,
                    &auth,
                    0xCA11_0000 + i as u64 * 7919 + linked as u64,
                    per_client,
                    until,
                    linked,
                )
            })
        })
        .collect();
    barrier.wait();
    let started = Instant::now();
    let results: Vec<Logged> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    let elapsed = started.elapsed();
    let acknowledged: usize = results.iter().map(|r| r.acknowledged).sum();
    let calls: usize = results.iter().map(|r| r.calls).sum();
    let mut other: BTreeMap<String, usize> = BTreeMap::new();
    for r in &results {
        for (k, v) in &r.other {
            *other.entry(k.clone()).or_default() += v;
        }
    }
    let latencies: Vec<Duration> = results.iter().flat_map(|r| r.latencies.clone()).collect();
    let label = format!(
        "{} client{}, {}",
        clients,
        if clients == 1 { "" } else { "s" },
        if linked { "with answer" } else { "no answer" }
    );
    println!(
        "{label:<26} {:.0} questions/s acknowledged ({} × 201 in {:.1} s; {} calls opened; not 201: {:?})",
        acknowledged as f64 / elapsed.as_secs_f64(),
        acknowledged,
        elapsed.as_secs_f64(),
        calls,
        other
    );
    println!("{}", summary("  POST latency", &latencies));
    println!("  server: {}", server.memory());
}

fn phase_http(tmp: &Path, knowledge: &Path, full: bool) {
    println!("\n== questions logged over HTTP (release server, loopback) ==");
    let data = tmp.join("http-data");
    std::fs::create_dir_all(&data).unwrap();
    let probe = fsync_probe(&data, if full { 300 } else { 20 });
    println!("{}", summary("disk: 4 KiB write+fdatasync", &probe));
    let token = operator_token(&data);
    let server = Server::start(&data, knowledge, &tmp.join("http-server.log"), &token);
    println!(
        "server pid {} on {}, ready after {:.0} ms",
        server.pid(),
        server.base,
        ms(server.ready_after)
    );
    let max = if full {
        env_usize("BENCH_HTTP_MAX", 3000)
    } else {
        20
    };
    let limit = Duration::from_secs(if full {
        env_usize("BENCH_HTTP_SECONDS", 15) as u64
    } else {
        2
    });
    println!(
        "each scenario: at most {max} questions or {} s, {QUESTIONS_PER_CALL} questions per call",
        limit.as_secs()
    );
    for clients in [1, 4] {
        for linked in [false, true] {
            logging_scenario(&server, clients, linked, max, limit);
        }
    }
    // Let the indexer catch up, then look at what it left.
    std::thread::sleep(Duration::from_secs(1));
    println!(
        "server after logging: {}; database + WAL {:.1} MiB",
        server.memory(),
        mib(disk_size(&data.join(callfaq::store::FILE_NAME))
            + disk_size(&data.join(format!("{}-wal", callfaq::store::FILE_NAME))))
    );
    let log = server.log();
    let errors: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("ERROR") || l.contains("WARN"))
        .collect();
    if !errors.is_empty() {
        println!("server log warnings/errors: {errors:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// Phase 2: search with a million caller questions
// ---------------------------------------------------------------------------------------------

/// Builds the data folder: generated calls through `Store::import`, then `questions::rebuild`.
fn build_data(data: &Path, questions_total: usize, per_call: usize) {
    let calls_total = questions_total.div_ceil(per_call);
    let chunk = 10_000.min(calls_total);
    let store = Store::open(data).expect("store");
    let mut rng = Rng::new(0x00C0_FFEE_2026_1128);
    let mut generating = Duration::ZERO;
    let mut importing = Duration::ZERO;
    let mut linked = 0usize;
    let mut chars = 0usize;
    let mut first = 0;
    let mut sample = Vec::new();
    while first < calls_total {
        let count = chunk.min(calls_total - first);
        let t = Instant::now();
        let calls = generate_calls(&mut rng, first, count, per_call);
        generating += t.elapsed();
        for c in &calls {
            for q in &c.questions {
                linked += q.answer.is_some() as usize;
                chars += q.text.chars().count();
                if sample.len() < 12 {
                    sample.push(format!(
                        "{:?} → {}",
                        q.text,
                        q.answer.as_deref().unwrap_or("-")
                    ));
                }
            }
        }
        let t = Instant::now();
        store.import(&calls, chrono::Utc::now()).expect("import");
        importing += t.elapsed();
        first += count;
    }
    let total = calls_total * per_call;
    println!(
        "generated {calls_total} calls × {per_call} = {total} questions ({:.0}% linked, mean {:.0} characters) in {:.1} s",
        100.0 * linked as f64 / total as f64,
        chars as f64 / total as f64,
        generating.as_secs_f64()
    );
    println!("sample: {}", sample.join("; "));
    println!(
        "Store::import {:.1} s ({} transactions of {chunk} calls; {:.0} questions/s); database + WAL {:.0} MiB",
        importing.as_secs_f64(),
        calls_total.div_ceil(chunk),
        total as f64 / importing.as_secs_f64(),
        mib(disk_size(&data.join(callfaq::store::FILE_NAME))
            + disk_size(&data.join(format!("{}-wal", callfaq::store::FILE_NAME))))
    );
    let t = Instant::now();
    let (index, fresh) =
        QuestionIndex::open_or_create(&questions::index_dir(data)).expect("question index");
    assert!(fresh, "a new data folder has an empty index");
    let indexed = questions::rebuild(&index, &store).expect("rebuild");
    let took = t.elapsed();
    drop(index);
    println!(
        "questions::rebuild {:.1} s ({indexed} questions, {:.0}/s); index on disk {:.0} MiB",
        took.as_secs_f64(),
        indexed as f64 / took.as_secs_f64(),
        mib(disk_size(&questions::index_dir(data)))
    );
}

/// `Library::search` in parts, as it does them: parse, answer ranking (50 candidates), the
/// learned ranking, merge + snippets for the hits.
fn search_parts(library: &Library, learner: &Learner, q: &str, kind: CallKind) -> [Duration; 4] {
    let t0 = Instant::now();
    let plan = QueryPlan::parse(q);
    if plan.is_empty() {
        return [t0.elapsed(), Duration::ZERO, Duration::ZERO, Duration::ZERO];
    }
    let t1 = Instant::now();
    let ranked = library.index.ranked(&plan, 50).expect("ranked");
    let t2 = Instant::now();
    let learned = learner.rank(q, library.knowledge.len());
    let t3 = Instant::now();
    let best = ranked
        .first()
        .map_or(1.0, |(_, s)| s.max(f32::MIN_POSITIVE));
    let mut scored: HashMap<String, (Arc<callfaq::knowledge::Answer>, f32)> = ranked
        .iter()
        .map(|(a, s)| (a.slug.clone(), (Arc::clone(a), 0.5 * s / best)))
        .collect();
    for s in learned.iter().take(50) {
        if let Some(a) = library.knowledge.get(&s.slug) {
            scored
                .entry(s.slug.clone())
                .or_insert_with(|| (Arc::clone(a), 0.0))
                .1 += s.probability;
        }
    }
    let mut all: Vec<_> = scored.into_values().collect();
    all.sort_by(|a, b| b.1.total_cmp(&a.1));
    all.truncate(10);
    let matcher = Matcher::new(&plan);
    let hits: Vec<_> = all
        .iter()
        .map(|(a, s)| library.index.hit(&matcher, a, *s))
        .collect();
    std::hint::black_box((hits, kind));
    let t4 = Instant::now();
    [t1 - t0, t2 - t1, t3 - t2, t4 - t3]
}

fn phase_search(data: &Path, knowledge: &Path, full: bool) {
    println!("\n== search with the learned ranking of the caller questions ==");
    let library = Library::load(knowledge, None).expect("knowledge");
    let store = Store::open(data).expect("store");
    let t = Instant::now();
    let learner = Learner::open(data);
    let loaded = t.elapsed();
    if learner.untrained() {
        let answers: Vec<String> = library
            .knowledge
            .answers()
            .iter()
            .map(|a| a.slug.clone())
            .collect();
        let t = Instant::now();
        learner
            .retrain(&store, &answers, &callfaq::signal::Stop::never())
            .expect("training");
        println!(
            "learned ranking trained on the linked questions in {:.1} s; {} postings; saved to {:.0} MiB",
            t.elapsed().as_secs_f64(),
            learner.model().postings_len(),
            mib(disk_size(&callfaq::learn::model_path(data)))
        );
    } else {
        println!(
            "learned ranking loaded in {:.0} ms; {} postings",
            ms(loaded),
            learner.model().postings_len()
        );
    }
    drop(store);
    println!("answers {}", library.knowledge.len());
    let rounds = if full {
        env_usize("BENCH_ROUNDS", 10)
    } else {
        1
    };
    let typed_rounds = rounds.div_ceil(4);
    let search = |q: &str, i: usize, with_questions: bool| -> (Duration, usize) {
        let options = SearchOptions {
            limit: 10,
            kind: Some(kind_for(i)),
        };
        let t = Instant::now();
        let hits = library
            .search(q, &options, with_questions.then_some(&learner))
            .expect("search");
        (t.elapsed(), std::hint::black_box(hits).len())
    };

    // Warm-up: every input once, not measured.
    for (i, (_, q)) in QUERIES.iter().enumerate() {
        for p in as_typed(q) {
            search(&p, i, true);
        }
    }

    let mut overall = Vec::new();
    let mut by_kind: BTreeMap<&str, Vec<Duration>> = BTreeMap::new();
    let mut without = Vec::new();
    let mut worst: BTreeMap<String, Duration> = BTreeMap::new();
    let mut empty = Vec::new();
    for round in 0..rounds {
        for (i, (kind, q)) in QUERIES.iter().enumerate() {
            let (d, n) = search(q, i, true);
            overall.push(d);
            by_kind.entry(kind).or_default().push(d);
            if round == 0 && n == 0 {
                empty.push(*q);
            }
            let w = worst.entry(q.to_string()).or_default();
            *w = (*w).max(d);
            without.push(search(q, i, false).0);
        }
    }
    let mut typed = Vec::new();
    let mut typed_without = Vec::new();
    for _ in 0..typed_rounds {
        for (i, (_, q)) in QUERIES.iter().enumerate() {
            for p in as_typed(q) {
                let (d, _) = search(&p, i, true);
                typed.push(d);
                let w = worst.entry(p.clone()).or_default();
                *w = (*w).max(d);
                typed_without.push(search(&p, i, false).0);
            }
        }
    }
    let mut parts: [Vec<Duration>; 4] = Default::default();
    // The same, for the inputs of the long "caller" queries only: the slowest ones.
    let mut caller_parts: [Vec<Duration>; 4] = Default::default();
    let mut worst_evidence: BTreeMap<String, Duration> = BTreeMap::new();
    for _ in 0..typed_rounds {
        for (i, (kind, q)) in QUERIES.iter().enumerate() {
            for p in as_typed(q) {
                let timed = search_parts(&library, &learner, &p, kind_for(i));
                for (k, d) in timed.into_iter().enumerate() {
                    parts[k].push(d);
                    if *kind == "caller" {
                        caller_parts[k].push(d);
                    }
                }
                let w = worst_evidence.entry(p).or_default();
                *w = (*w).max(timed[2]);
            }
        }
    }
    println!(
        "queries {} ({} as-you-type inputs), {rounds} rounds of the queries, {typed_rounds} of the inputs; limit 10, kind alternating, single thread",
        QUERIES.len(),
        typed.len() / typed_rounds.max(1)
    );
    println!("{}", summary("search", &overall));
    println!("{}", summary("as-you-type", &typed));
    for (kind, samples) in &by_kind {
        println!("{}", summary(&format!("  {kind}"), samples));
    }
    println!("{}", summary("search, answers' text only", &without));
    println!("{}", summary("as-you-type, text only", &typed_without));
    println!("{}", summary("part: parse", &parts[0]));
    println!("{}", summary("part: answer ranking (50)", &parts[1]));
    println!("{}", summary("part: learned ranking", &parts[2]));
    println!("{}", summary("part: merge + snippets", &parts[3]));
    println!("{}", summary("  caller: answer ranking", &caller_parts[1]));
    println!("{}", summary("  caller: learned ranking", &caller_parts[2]));
    println!(
        "{}",
        summary("  caller: merge + snippets", &caller_parts[3])
    );
    let mut slowest: Vec<_> = worst.into_iter().collect();
    slowest.sort_by_key(|(_, d)| std::cmp::Reverse(*d));
    let slowest: Vec<String> = slowest
        .iter()
        .take(6)
        .map(|(q, d)| format!("{q:?} {:.2}", ms(*d)))
        .collect();
    println!("slowest (max ms): {}", slowest.join(", "));
    let mut slowest: Vec<_> = worst_evidence.into_iter().collect();
    slowest.sort_by_key(|(_, d)| std::cmp::Reverse(*d));
    let slowest: Vec<String> = slowest
        .iter()
        .take(6)
        .map(|(q, d)| format!("{q:?} {:.2}", ms(*d)))
        .collect();
    println!("slowest learned ranking (max ms): {}", slowest.join(", "));
    if !empty.is_empty() {
        println!("queries without hits: {empty:?}");
    }
    println!(
        "benchmark process: VmHWM {}, VmRSS {}",
        status_field("self", "VmHWM:"),
        status_field("self", "VmRSS:")
    );
    phase_meaning(data, &library, &learner, full);
}

/// The sentence model: loading it, encoding questions, and settled searches (the whole query
/// encoded, then ranked with its meaning) against the same history.
fn phase_meaning(data: &Path, library: &Library, learner: &Learner, full: bool) {
    println!("\n== the sentence model ==");
    let model = Path::new(env!("CARGO_MANIFEST_DIR")).join(callfaq::encoder::DEFAULT_PATH);
    let before = status_field("self", "VmRSS:");
    let t = Instant::now();
    let meaning = callfaq::meaning::Meaning::open(&model);
    if !meaning.available() {
        println!("no model at {}: skipped", model.display());
        return;
    }
    println!(
        "model loaded in {:.0} ms ({:.1} MB file); process VmRSS {before} before, {} after",
        ms(t.elapsed()),
        disk_size(&model) as f64 / 1e6,
        status_field("self", "VmRSS:")
    );
    let store = Store::open(data).expect("store");
    let t = Instant::now();
    let missing = meaning
        .refresh_answers(&store, &library.knowledge, usize::MAX)
        .expect("answers");
    println!(
        "the answers' titles and phrasings encoded and kept in {:.1} s ({missing} left)",
        t.elapsed().as_secs_f64()
    );
    let mut rng = Rng::new(0xE5);
    let samples = if full { 200 } else { 10 };
    let mut encode = Vec::new();
    let mut tokens = Vec::new();
    for _ in 0..samples {
        let (text, _) = caller_question(&mut rng);
        let t = Instant::now();
        std::hint::black_box(meaning.embed(&text));
        encode.push(t.elapsed());
        tokens.push(text.split_whitespace().count());
    }
    println!(
        "{}  (generated caller questions, mean {:.1} words)",
        summary("encode one question", &encode),
        tokens.iter().sum::<usize>() as f64 / tokens.len().max(1) as f64
    );
    let answers = meaning.answers();
    let options = SearchOptions {
        limit: 10,
        kind: None,
    };
    let mut settled = Vec::new();
    let mut ranking = Vec::new();
    for _ in 0..if full { 3 } else { 1 } {
        for (_, q) in QUERIES {
            let t = Instant::now();
            let vector = meaning.embed(q.trim()).expect("a vector");
            let encoded = t.elapsed();
            let hits = library
                .search_meaning(q, &options, Some(learner), Some((&vector, &*answers)), None)
                .expect("search");
            std::hint::black_box(hits);
            settled.push(t.elapsed());
            ranking.push(t.elapsed() - encoded);
        }
    }
    println!("{}", summary("settled search (encode + rank)", &settled));
    println!("{}", summary("  of which ranking", &ranking));
    println!(
        "benchmark process with the model: VmHWM {}, VmRSS {}",
        status_field("self", "VmHWM:"),
        status_field("self", "VmRSS:")
    );
}

// ---------------------------------------------------------------------------------------------
// Phase 2b: reports over the million questions
// ---------------------------------------------------------------------------------------------

/// Open groups the unlinked questions are spread over, as the grouping would have made them.
const BENCH_GROUPS: i64 = 400;

/// Gives the unlinked questions groups and logs a search for every question, straight in SQL
/// (one transaction; the product's own paths commit one at a time), unless done before.
fn prepare_report_data(data: &Path, searches: usize) {
    let mut conn = rusqlite::Connection::open(data.join(callfaq::store::FILE_NAME)).expect("db");
    let done: i64 = conn
        .query_row("SELECT COUNT(*) FROM groups", [], |r| r.get(0))
        .expect("groups");
    if done > 0 {
        println!("groups and search log exist (reused data folder)");
        return;
    }
    let t = Instant::now();
    let tx = conn.transaction().expect("transaction");
    for g in 1..=BENCH_GROUPS {
        tx.execute(
            "INSERT INTO groups (id, created_at, state, title) VALUES (?1, '2024-11-28T06:00:00.000Z', 'open', ?2)",
            rusqlite::params![g, format!("вопрос без ответа {g}")],
        )
        .expect("group");
    }
    let grouped = tx
        .execute(
            &format!("UPDATE questions SET group_id = 1 + id % {BENCH_GROUPS}, assigned = 1 WHERE answer IS NULL"),
            [],
        )
        .expect("grouping");
    let mut rng = Rng::new(0x5EA2_C4E5);
    let questions: i64 = tx
        .query_row("SELECT MAX(id) FROM questions", [], |r| r.get(0))
        .expect("questions");
    {
        let mut distinct = tx
            .prepare("INSERT OR IGNORE INTO searches (query) VALUES (?1)")
            .expect("insert");
        let mut insert = tx
            .prepare(
                "INSERT INTO search_log (at, search_id, found, chosen)
                 SELECT q.asked_at, s.id, ?3, ?4 FROM questions q, searches s WHERE q.id = ?1 AND s.query = ?2",
            )
            .expect("insert");
        for i in 0..searches {
            let (text, answer) = caller_question(&mut rng);
            let found = answer.is_some() || rng.chance(50);
            let chosen = match (found, rng.below(10)) {
                (false, _) => Some("logged"),
                (true, 0..=5) => Some("linked"),
                (true, 6..=7) => Some("opened"),
                _ => None,
            };
            let words: Vec<String> = text.split_whitespace().map(str::to_lowercase).collect();
            distinct.execute([words.join(" ")]).expect("search");
            insert
                .execute(rusqlite::params![
                    i as i64 % questions + 1,
                    words.join(" "),
                    found,
                    chosen
                ])
                .expect("search");
        }
    }
    tx.commit().expect("commit");
    println!(
        "{grouped} unlinked questions spread over {BENCH_GROUPS} open groups; {searches} searches logged; {:.1} s",
        t.elapsed().as_secs_f64()
    );
}

fn phase_reports(data: &Path, knowledge: &Path, full: bool) {
    println!("\n== reports over the caller questions ==");
    let searches = if full {
        env_usize("BENCH_SEARCHES", 1_000_000)
    } else {
        2_000
    };
    prepare_report_data(data, searches);
    let library = Library::load(knowledge, None).expect("knowledge");
    let store = Store::open(data).expect("store");
    let zone = callfaq::clock::parse_zone(callfaq::clock::DEFAULT_TIME_ZONE).unwrap();
    // The history ends on 2026-11-28: the reports look at it as of that day.
    let end = chrono::NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
    let clock = callfaq::clock::Clock::fixed(
        zone,
        chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 11, 28, 12, 0, 0).unwrap(),
    );
    let t = Instant::now();
    let days = store.refresh_reports(&clock).expect("refresh");
    println!(
        "first count of the day tables: {days} desk days in {:.1} s (once, at the upgrade or a change of time zone)",
        t.elapsed().as_secs_f64()
    );
    let rounds = if full { 20 } else { 2 };
    let period = |days: i64| callfaq::report::Period {
        from: end - chrono::Duration::days(days - 1),
        to: end,
    };
    let mut rows = 0;
    for (label, days, kind) in [
        ("questions, 12 weeks", 84, None),
        ("questions, 12 weeks, primary", 84, Some(CallKind::Primary)),
        ("questions, 1 year", 365, None),
        ("questions, 3 years", callfaq::report::MAX_DAYS, None),
    ] {
        let mut samples = Vec::new();
        for _ in 0..rounds {
            let t = Instant::now();
            let r = callfaq::report::question_report(
                &store,
                &clock,
                &library.knowledge,
                period(days),
                kind,
            )
            .expect("report");
            samples.push(t.elapsed());
            rows = r.rows.len() + r.no_result_searches.len() + r.unchosen_searches.len();
        }
        println!("{}  ({rows} lines)", summary(label, &samples));
    }
    for (label, days) in [
        ("desk, 12 weeks", 84),
        ("desk, 1 year", 365),
        ("desk, 3 years", callfaq::report::MAX_DAYS),
    ] {
        let mut samples = Vec::new();
        for _ in 0..rounds {
            let t = Instant::now();
            let r = callfaq::report::desk_report(&store, &clock, &Default::default(), period(days))
                .expect("report");
            samples.push(t.elapsed());
            rows = r.weeks.len() + r.operators.len();
        }
        println!("{}  ({rows} lines)", summary(label, &samples));
    }
    let mut samples = Vec::new();
    for _ in 0..rounds {
        let t = Instant::now();
        std::hint::black_box(
            callfaq::report::cheat_sheet(&store, &clock, &library.knowledge).expect("sheet"),
        );
        samples.push(t.elapsed());
    }
    println!("{}", summary("cheat sheet", &samples));
    // The desk keeps working: a call with ten questions, then the report counts its day again.
    let mut samples = Vec::new();
    let mut rng = Rng::new(7);
    for i in 0..rounds {
        let calls = generate_calls(&mut rng, 105_000 + i, 1, 10);
        let mut call = calls.into_iter().next().unwrap();
        call.started_at = clock.now() - chrono::Duration::minutes(30);
        for q in &mut call.questions {
            q.asked_at = Some(call.started_at);
        }
        store.import(&[call], clock.now()).expect("import");
        let t = Instant::now();
        callfaq::report::question_report(&store, &clock, &library.knowledge, period(84), None)
            .expect("report");
        samples.push(t.elapsed());
    }
    println!(
        "{}",
        summary("questions, 12 weeks, after a new call", &samples)
    );
}

// ---------------------------------------------------------------------------------------------
// Phase 3: server start-up and memory on that data folder
// ---------------------------------------------------------------------------------------------

/// Evicts the files of `dir` from the page cache (`dd iflag=nocache count=0` asks the kernel to
/// drop a file's cached pages, `POSIX_FADV_DONTNEED`), so that a start reads them from disk.
/// Touches only these files, not the machine's whole cache. A virtual disk may still be cached
/// by the host.
fn drop_page_cache(dir: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    let mut ok = true;
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        if path.is_dir() {
            ok &= drop_page_cache(&path);
        } else {
            ok &= Command::new("dd")
                .arg(format!("if={}", path.display()))
                .args(["iflag=nocache", "count=0", "status=none"])
                .status()
                .is_ok_and(|s| s.success());
        }
    }
    ok
}

fn phase_startup(tmp: &Path, data: &Path, knowledge: &Path, full: bool) {
    println!("\n== server start-up on the data folder ==");
    // Start 0 is the folder's first start: it also creates the `admin` account (a password
    // hash), which later starts do not do. Start 1 reads the folder from disk, 2 and 3 from
    // the page cache.
    let starts = if full { 3 } else { 1 };
    let token = operator_token(data);
    let mut last = None;
    for n in 0..=starts {
        drop(last.take());
        // The first start reads the data folder from disk, not from the page cache.
        let cache = match n {
            0 => "first start of the folder, creates the admin account",
            1 if drop_page_cache(data) => "data folder evicted from the page cache",
            1 => "page cache NOT evicted (dd failed)",
            _ => "warm page cache",
        };
        let server = Server::start(
            data,
            knowledge,
            &tmp.join(format!("startup-{n}.log")),
            &token,
        );
        let memory = server.memory();
        // The first search after start: it waits for whatever holds the store at start-up
        // (the retention sweep erases personal data of old calls under the store's lock).
        let t = Instant::now();
        let first = agent(Duration::from_secs(60))
            .get(format!("{}/api/search", server.base))
            .query("q", "сколько стоит заправка")
            .header("authorization", &server.auth)
            .call()
            .map(|r| r.status().as_u16())
            .unwrap_or(0);
        let first = format!("{first} in {:.0} ms", ms(t.elapsed()));
        let log = server.log();
        let startup_ms = log
            .split("startup_ms=")
            .nth(1)
            .and_then(|s| s.split_whitespace().next())
            .unwrap_or("?")
            .to_string();
        let questions = log
            .split("questions=")
            .nth(1)
            .and_then(|s| s.split_whitespace().next())
            .unwrap_or("?")
            .to_string();
        let rebuilt = log
            .lines()
            .filter(|l| l.to_lowercase().contains("rebuil"))
            .collect::<Vec<_>>();
        let erased = log
            .split("erased callers' personal data")
            .nth(1)
            .and_then(|s| s.split("calls=").nth(1))
            .and_then(|s| s.split_whitespace().next())
            .unwrap_or("0")
            .to_string();
        println!(
            "start {n} ({cache}): spawn → /healthz 200 in {:.0} ms (log: startup_ms={startup_ms}, questions={questions}); rebuild in log: {}; first search {first} (retention erased {erased} calls); after start {memory}",
            ms(server.ready_after),
            if rebuilt.is_empty() { "none".to_string() } else { format!("{rebuilt:?}") }
        );
        last = Some(server);
    }
    let server = last.expect("a server");
    // The queries and their as-you-type inputs through the HTTP API.
    let agent = agent(Duration::from_secs(30));
    let url = format!("{}/api/search", server.base);
    let mut client_side = Vec::new();
    let mut server_side = Vec::new();
    let mut not_ok = 0;
    let mut slowest = (Duration::ZERO, 0, String::new());
    for (i, (_, q)) in QUERIES.iter().enumerate() {
        for p in as_typed(q) {
            let t = Instant::now();
            let response = agent
                .get(&url)
                .query("q", &p)
                .query("limit", "10")
                .query("kind", kind_for(i).as_str())
                .header("authorization", &server.auth)
                .call();
            let took = t.elapsed();
            if took > slowest.0 {
                slowest = (took, client_side.len() + not_ok + 1, p.clone());
            }
            match response {
                Ok(mut r) if r.status() == 200 => {
                    client_side.push(took);
                    if let Some(ms) = r
                        .body_mut()
                        .read_json::<Value>()
                        .ok()
                        .and_then(|v| v["took_ms"].as_f64())
                    {
                        server_side.push(Duration::from_secs_f64(ms / 1000.0));
                    }
                }
                _ => not_ok += 1,
            }
        }
    }
    println!(
        "GET /api/search, every query as typed ({} requests, {not_ok} not 200):",
        client_side.len() + not_ok
    );
    println!("{}", summary("  client-side", &client_side));
    println!("{}", summary("  server took_ms", &server_side));
    println!(
        "  slowest request: #{} {:?} {:.1} ms (client-side)",
        slowest.1,
        slowest.2,
        ms(slowest.0)
    );
    println!("after the searches: {}", server.memory());
}

// ---------------------------------------------------------------------------------------------

fn main() {
    // `cargo bench` passes `--bench`; anything else (cargo test --benches) gets a smoke run.
    let full = std::env::args().any(|a| a == "--bench");
    let total = if full {
        env_usize("BENCH_QUESTIONS", 1_000_000)
    } else {
        2_000
    };
    let phases =
        std::env::var("BENCH_PHASES").unwrap_or_else(|_| "http,search,reports,startup".into());
    let knowledge = Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge");
    let started = Instant::now();

    println!(
        "callfaq call-desk benchmark{}",
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

    // Every slug the generator links to must be a shipped answer.
    let library = Library::load(&knowledge, None).expect("knowledge");
    for t in CALLER_TOPICS {
        assert!(
            library.knowledge.get(t.slug).is_some(),
            "the generator links to {}, which knowledge/ does not have",
            t.slug
        );
    }
    drop(library);

    let tmp = tempfile::Builder::new()
        .prefix("callfaq-bench-")
        .tempdir()
        .expect("temporary folder");
    println!("temporary folder {}", tmp.path().display());

    if phases.contains("http") {
        phase_http(tmp.path(), &knowledge, full);
    }

    if phases.contains("search") || phases.contains("reports") || phases.contains("startup") {
        let (data, reuse) = match std::env::var_os("BENCH_DATA") {
            Some(dir) => (PathBuf::from(dir), true),
            None => (tmp.path().join("million"), false),
        };
        println!("\n== {total} caller questions in {} ==", data.display());
        let existing = reuse && data.join(callfaq::store::FILE_NAME).is_file();
        if existing {
            println!("reusing the data folder (BENCH_DATA)");
        } else {
            build_data(&data, total, 10);
        }
        if phases.contains("search") {
            phase_search(&data, &knowledge, full);
        }
        if phases.contains("reports") {
            phase_reports(&data, &knowledge, full);
        }
        if phases.contains("startup") {
            phase_startup(tmp.path(), &data, &knowledge, full);
        }
    }

    drop(tmp);
    println!(
        "\ntotal {:.0} s; temporary folder removed",
        started.elapsed().as_secs_f64()
    );
}
