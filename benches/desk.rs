//! Keystroke to results on the desk screen, in a real browser.
//!
//! Run with `cargo bench --bench desk`. It starts the release binary (or `BENCH_BINARY`, to
//! measure another build with the same benchmark) on the shipped knowledge with a small
//! generated history (2,000 caller questions, `BENCH_HISTORY`, loaded with `callfaq import`),
//! opens a call's desk screen in headless Chromium at 1366×768 through chromedriver, and types
//! two caller questions letter by letter, 100 letters in all (`BENCH_KEYS`), one every 150 ms
//! (`BENCH_PACE_MS`), with Enter after each question, as an operator does.
//!
//! Inside the page a listener notes when each letter was about to go in (the `beforeinput`
//! event's own time stamp: chromedriver types a Cyrillic letter as text, with no keydown) and
//! what the box then held; an observer notes every time the result list changed and the next
//! animation frame after it (when the change is on screen), with the text the results are for
//! (the list's `data-query`). A keystroke's time to results is from its letter to the first
//! frame showing results for its text or a later one of the same question (a page that skips a
//! text it has no time for is not charged for it). Printed: the median, p90 and max over the
//! keystrokes and where that time goes (letter to request, the request, response to the list
//! changed, to the next frame), the search requests the page sent, the server's own time per
//! search, and how long after the last letter of each question the results weighed by meaning
//! were on screen.
//!
//! Chromium and chromedriver are needed (`CALLFAQ_CHROMIUM`, `CALLFAQ_CHROMEDRIVER` or the
//! `PATH`); without them it says so and exits. Without `--bench` (as `cargo test --benches`
//! runs it) it types 20 letters.

mod common;

use common::browser::{Browser, ENTER};
use common::history::generate_calls;
use common::server::{agent, binary, operator_token, Server};
use common::{cpu_model, env_usize, ms, percentile, summary, Rng};
use serde_json::{json, Value};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The questions typed, in order; letters are taken from them until the keystrokes are spent.
const QUESTIONS: &[&str] = &[
    "сколько стоит удалённое администрирование серверов в месяц",
    "можно ли заправить картридж к принтеру canon 2100 у вас в офисе",
];

const LOGIN: &str = "bench-desk";
const PASSWORD: &str = "bench-desk-password";

/// Notes key presses and result changes inside the page, on `window.bench`.
const INSTRUMENT: &str = r#"
const input = document.getElementById('question');
const list = document.getElementById('results');
window.bench = { keys: [], renders: [] };
// A letter typed: chromedriver sends a letter off the US keyboard as text, without a keydown,
// so the keystroke is when its text was about to go in (the event's own time stamp).
let before = null;
input.addEventListener('beforeinput', (e) => { before = Math.min(e.timeStamp, performance.now()); }, true);
input.addEventListener('input', (e) => {
  if (e.inputType === 'insertText') window.bench.keys.push({ t: before === null ? e.timeStamp : before, v: input.value });
  before = null;
}, true);
new MutationObserver(() => {
  const r = { dom: performance.now(), q: list.dataset.query || '', settled: list.dataset.settled === '1', n: list.children.length };
  requestAnimationFrame(() => { r.t = performance.now(); window.bench.renders.push(r); });
}).observe(list, { childList: true, attributes: true, attributeFilter: ['data-query', 'data-settled'] });
return true;
"#;

fn add_account(data: &Path) {
    let mut child = Command::new(binary())
        .args(["user", "add", LOGIN, "--role", "operator", "--data"])
        .arg(data)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("running callfaq user add");
    writeln!(child.stdin.take().unwrap(), "{PASSWORD}").unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "callfaq user add: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A generated history, loaded with the binary's own `callfaq import` (so that a build of
/// another schema, `BENCH_BINARY`, can be measured with the same benchmark).
fn build_history(data: &Path, questions: usize) {
    let mut rng = Rng::new(42);
    let calls = generate_calls(&mut rng, 0, questions.div_ceil(10), 10);
    let file = data.with_extension("jsonl");
    let lines: Vec<String> = calls
        .iter()
        .map(|c| serde_json::to_string(c).expect("a call line"))
        .collect();
    std::fs::write(&file, lines.join("\n") + "\n").expect("the history file");
    let out = Command::new(binary())
        .arg("import")
        .arg(&file)
        .arg("--data")
        .arg(data)
        .output()
        .expect("running callfaq import");
    assert!(
        out.status.success(),
        "callfaq import: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The load of the machine, from `/proc/loadavg`.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

/// A number of a JSON object.
fn num(v: &Value, key: &str) -> f64 {
    v[key].as_f64().unwrap_or(f64::NAN)
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let keys = if full {
        env_usize("BENCH_KEYS", 100)
    } else {
        20
    };
    let pace = Duration::from_millis(env_usize("BENCH_PACE_MS", 150) as u64);
    let history = env_usize("BENCH_HISTORY", if full { 2_000 } else { 200 });
    println!(
        "callfaq desk benchmark: keystroke to results in headless Chromium{}",
        if full { "" } else { " (smoke run)" }
    );
    println!(
        "machine: nproc {}, cpu {}; load average {}; binary {}",
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(0),
        cpu_model(),
        load_average(),
        binary().display()
    );
    let Some(browser) = Browser::start() else {
        println!("skipped: Chromium or chromedriver not found (apt-get install chromium chromium-driver)");
        return;
    };
    let knowledge = Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge");
    let tmp = tempfile::Builder::new()
        .prefix("callfaq-desk-")
        .tempdir()
        .expect("temporary folder");
    let data = tmp.path().join("data");
    build_history(&data, history);
    add_account(&data);
    let token = operator_token(&data);
    let server = Server::start(&data, &knowledge, &tmp.path().join("server.log"), &token);
    let base = server.base.clone();
    let http = agent(Duration::from_secs(10));
    let call: Value = http
        .post(&format!("{base}/api/calls"))
        .header("authorization", &server.auth)
        .send_json(json!({"kind": "primary"}))
        .expect("opening a call")
        .body_mut()
        .read_json()
        .expect("the call");
    let id = call["id"].as_i64().expect("a call id");

    // The server's own time for every text the page may ask for.
    let mut took: Vec<Duration> = Vec::new();
    for q in QUESTIONS {
        let letters: Vec<char> = q.chars().collect();
        for n in 1..=letters.len() {
            let text: String = letters[..n].iter().collect();
            let url = format!(
                "{base}/api/search?limit=9&kind=primary&q={}",
                callfaq::paths::encode_component(&text)
            );
            if let Ok(mut r) = http.get(&url).header("authorization", &server.auth).call() {
                if let Some(t) = r
                    .body_mut()
                    .read_json::<Value>()
                    .ok()
                    .and_then(|b| b["took_ms"].as_f64())
                {
                    took.push(Duration::from_secs_f64(t / 1000.0));
                }
            }
        }
    }

    // One search weighed by meaning before typing, so that the model is warm as in service.
    let warm = format!(
        "{base}/api/search?settled=1&limit=9&kind=primary&q={}",
        callfaq::paths::encode_component(QUESTIONS[0])
    );
    let settled_took = http
        .get(&warm)
        .header("authorization", &server.auth)
        .call()
        .ok()
        .and_then(|mut r| r.body_mut().read_json::<Value>().ok())
        .and_then(|b| b["took_ms"].as_f64())
        .unwrap_or(f64::NAN);

    browser.login(&base, LOGIN, PASSWORD);
    browser.goto(&format!("{base}/calls/{id}"));
    browser.wait_until(
        "the desk screen",
        "return document.readyState === 'complete' && !!document.getElementById('question')",
    );
    browser.script(INSTRUMENT);
    let input = browser.find("#question");
    let requests_before = browser
        .script("return performance.getEntriesByType('resource').filter(e => e.name.includes('/api/search')).length")
        .as_u64()
        .unwrap_or(0);

    // Type: letter by letter at the pace, Enter after each question, a pause before the next.
    let mut typed = 0;
    // How long chromedriver takes for one key: it works in the page before and after the key.
    let mut key_commands: Vec<Duration> = Vec::new();
    let mut questions_typed: Vec<String> = Vec::new();
    'typing: for q in QUESTIONS.iter().cycle() {
        let mut text = String::new();
        let mut next = Instant::now();
        for letter in q.chars() {
            if typed == keys {
                break;
            }
            let now = Instant::now();
            if next > now {
                std::thread::sleep(next - now);
            }
            next += pace;
            let sent = Instant::now();
            browser.type_into(&input, &letter.to_string());
            key_commands.push(sent.elapsed());
            text.push(letter);
            typed += 1;
        }
        // Time for the results weighed by meaning to arrive, then log the question.
        std::thread::sleep(Duration::from_millis(1500));
        questions_typed.push(text);
        browser.type_into(&input, ENTER);
        std::thread::sleep(Duration::from_millis(500));
        if typed == keys {
            break 'typing;
        }
    }
    let seen = browser.script("return window.bench");
    let requests = browser.script(
        "return performance.getEntriesByType('resource').filter(e => e.name.includes('/api/search')).map(e => e.name.includes('settled=1'))",
    );
    // Where the time goes, for each letter whose own text was searched and shown: letter to
    // request sent, request to its last byte (the browser's resource timing), last byte to the
    // list changed, list changed to the next frame.
    let parts = browser.script(
        "const res = performance.getEntriesByType('resource') \
           .filter(e => e.name.includes('/api/search') && !e.name.includes('settled=1')); \
         const out = []; \
         for (const k of window.bench.keys) { \
           const e = res.find(e => new URL(e.name).searchParams.get('q') === k.v); \
           const r = window.bench.renders.find(r => r.q === k.v && r.dom >= k.t); \
           if (e && r) out.push([e.startTime - k.t, e.responseEnd - e.startTime, r.dom - e.responseEnd, r.t - r.dom]); \
         } \
         return out;",
    );
    let requests: Vec<bool> = requests
        .as_array()
        .map(|a| {
            a.iter()
                .skip(requests_before as usize)
                .map(|v| v == &json!(true))
                .collect()
        })
        .unwrap_or_default();
    drop(browser);

    let keys_seen = seen["keys"].as_array().cloned().unwrap_or_default();
    let renders = seen["renders"].as_array().cloned().unwrap_or_default();
    // Each keystroke: its time and text; results count for it when their text is its text or
    // a longer one of the same question.
    let mut latencies: Vec<Duration> = Vec::new();
    let mut missed = 0;
    for k in &keys_seen {
        let (t, v) = (num(k, "t"), k["v"].as_str().unwrap_or(""));
        let Some(question) = questions_typed
            .iter()
            .find(|q| q.starts_with(v) && !v.is_empty())
        else {
            continue;
        };
        let shown = renders.iter().find(|r| {
            let q = r["q"].as_str().unwrap_or("");
            num(r, "t") >= t && q.len() >= v.len() && q.starts_with(v) && question.starts_with(q)
        });
        match shown {
            Some(r) => latencies.push(Duration::from_secs_f64((num(r, "t") - t).max(0.0) / 1000.0)),
            None => missed += 1,
        }
    }
    latencies.sort();
    took.sort();
    let mut breakdown: Vec<Vec<Duration>> = vec![Vec::new(); 4];
    for row in parts.as_array().cloned().unwrap_or_default() {
        for (i, part) in breakdown.iter_mut().enumerate() {
            let ms = row[i].as_f64().unwrap_or(0.0).max(0.0);
            part.push(Duration::from_secs_f64(ms / 1000.0));
        }
    }
    for part in &mut breakdown {
        part.sort();
    }
    println!(
        "typed {} letters ({} questions) at one every {} ms; history {history} caller questions",
        keys_seen.len(),
        questions_typed.len(),
        pace.as_millis()
    );
    println!(
        "keystroke to results: median {:.1} ms  p90 {:.1} ms  max {:.1} ms  (n={}, never shown {missed})",
        ms(percentile(&latencies, 50.0)),
        ms(percentile(&latencies, 90.0)),
        ms(*latencies.last().unwrap_or(&Duration::ZERO)),
        latencies.len()
    );
    println!(
        "server took_ms per search: median {:.2} ms  p90 {:.2} ms (n={})",
        ms(percentile(&took, 50.0)),
        ms(percentile(&took, 90.0)),
        took.len()
    );
    println!("{}", summary("keystroke to results", &latencies));
    for (part, what) in breakdown.iter().zip([
        "letter to request sent",
        "request to its last byte",
        "last byte to list changed",
        "list changed to next frame",
    ]) {
        println!(
            "  {what:<27} median {:>5.1} ms  p90 {:>5.1} ms (n={})",
            ms(percentile(part, 50.0)),
            ms(percentile(part, 90.0)),
            part.len()
        );
    }
    println!(
        "server took_ms of a whole question weighed by meaning (warm-up): {settled_took:.1} ms"
    );
    key_commands.sort();
    println!(
        "one key through WebDriver (the command, round trip): median {:.1} ms  p90 {:.1} ms",
        ms(percentile(&key_commands, 50.0)),
        ms(percentile(&key_commands, 90.0))
    );
    let settled = requests.iter().filter(|s| **s).count();
    println!(
        "search requests the page sent: {} as typed, {} weighed by meaning, for {} letters",
        requests.len() - settled,
        settled,
        keys_seen.len()
    );
    // The meaning pass: from each question's last letter to its settled results on screen.
    for q in &questions_typed {
        let last = keys_seen
            .iter()
            .filter(|k| k["v"].as_str() == Some(q.as_str()))
            .map(|k| num(k, "t"))
            .next_back();
        let landed = last.and_then(|t| {
            renders
                .iter()
                .find(|r| {
                    r["settled"] == json!(true) && r["q"].as_str() == Some(q) && num(r, "t") >= t
                })
                .map(|r| num(r, "t") - t)
        });
        match landed {
            Some(after) => println!(
                "results weighed by meaning on screen {after:.0} ms after the last letter of «{q}»"
            ),
            None => println!("no results weighed by meaning for «{q}» within 1.5 s"),
        }
    }
    println!("load average after: {}", load_average());
}
