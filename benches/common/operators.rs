//! Operators at the desk over HTTP: each on its own keep-alive connection, typing a caller's
//! question letter by letter (a search per letter, as the live page sends it), sending the whole
//! question again as settled, and logging a question now and then. Shared by the benchmarks
//! that load the server.
#![allow(dead_code)] // each benchmark uses a part

use super::history::{as_typed, caller_question, QUERIES};
use super::server::{agent, Server};
use super::Rng;
use serde_json::{json, Value};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

/// What one operator saw.
#[derive(Default)]
pub struct Seen {
    /// Keystroke searches, client side.
    pub searches: Vec<Duration>,
    /// Their `took_ms`.
    pub took: Vec<Duration>,
    /// Settled searches, client side.
    pub settled: Vec<Duration>,
    /// Their `took_ms`.
    pub settled_took: Vec<Duration>,
    /// Questions logged, client side.
    pub logs: Vec<Duration>,
    /// Non-2xx answers and transport failures.
    pub errors: usize,
    /// What the first error was.
    pub first_error: Option<String>,
}

impl Seen {
    /// Adds another operator's.
    pub fn merge(&mut self, other: Seen) {
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
pub fn operator(server_base: &str, auth: &str, seed: u64, every: Duration, until: Instant) -> Seen {
    let agent = agent(Duration::from_secs(10));
    let mut rng = Rng::new(seed);
    let mut seen = Seen::default();
    let call: Option<Value> = agent
        .post(&format!("{server_base}/api/calls"))
        .header("authorization", auth)
        .send_json(json!({"kind": if seed.is_multiple_of(2) { "primary" } else { "secondary" }}))
        .ok()
        .and_then(|mut r| r.body_mut().read_json().ok());
    let Some(call) = call.and_then(|c| c["id"].as_i64()) else {
        seen.error("opening a call".into());
        return seen;
    };
    let kind = if seed.is_multiple_of(2) {
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
pub fn cpu_seconds(pid: &str) -> f64 {
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
pub fn desk(server: &Server, operators: usize, every: Duration, seconds: u64) -> (Seen, f64, f64) {
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
