//! Durability: every question the API acknowledged is there after the server is killed with
//! SIGKILL mid-stream and started again on the same data folder; a SIGTERM stops it cleanly,
//! with exit code 0, and the next start neither replays nor rebuilds anything.

use crate::harness::{cli_token, fixtures, Server};
use serde_json::{json, Value};
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn agent() -> ureq::Agent {
    ureq::Agent::new_with_config(
        ureq::Agent::config_builder()
            .timeout_global(Some(Duration::from_secs(5)))
            .http_status_as_error(false)
            .build(),
    )
}

fn post(agent: &ureq::Agent, token: &str, url: &str, body: Value) -> Option<Value> {
    let mut response = agent
        .post(url)
        .header("authorization", &format!("Bearer {token}"))
        .send_json(body)
        .ok()?;
    if response.status() != 201 {
        return None;
    }
    response.body_mut().read_json().ok()
}

#[test]
fn acknowledged_questions_survive_sigkill() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let token = cli_token(&data, "operator");
    let server = Server::start(&data, &fixtures());
    let base = server.base.clone();
    let agent = agent();
    let call = post(
        &agent,
        &token,
        &format!("{base}/api/calls"),
        json!({"phone": "+7 495 000-00-00"}),
    )
    .expect("call created");
    let id = call["id"].as_i64().unwrap();

    let killed = Arc::new(AtomicBool::new(false));
    let mut acknowledged: Vec<(i64, String, Option<&str>)> = Vec::new();
    let started = Instant::now();
    let mut n = 0;
    loop {
        // Kill once enough questions are in flight, without waiting for a quiet moment.
        if acknowledged.len() == 40 && !killed.swap(true, Ordering::SeqCst) {
            let pid = server.pid();
            std::thread::spawn(move || {
                std::thread::sleep(Duration::from_millis(20));
                let _ = Command::new("kill")
                    .args(["-KILL", &pid.to_string()])
                    .status();
            });
        }
        n += 1;
        let text = format!("вопрос номер {n} про принтер");
        let answer = (n % 2 == 0).then_some("printer");
        match post(
            &agent,
            &token,
            &format!("{base}/api/calls/{id}/questions"),
            json!({"text": text, "answer": answer}),
        ) {
            Some(q) => acknowledged.push((q["id"].as_i64().unwrap(), text, answer)),
            None if killed.load(Ordering::SeqCst) => break,
            None => panic!("the server refused question {n} before it was killed"),
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the server was never killed"
        );
    }
    drop(server);
    assert!(acknowledged.len() >= 40);

    let server = Server::start(&data, &fixtures());
    let base = &server.base;
    let mut response = agent
        .get(&format!("{base}/api/calls/{id}"))
        .header("authorization", &format!("Bearer {token}"))
        .call()
        .unwrap();
    let call: Value = response.body_mut().read_json().unwrap();
    let questions = call["questions"].as_array().unwrap();
    for (qid, text, answer) in &acknowledged {
        let q = questions
            .iter()
            .find(|q| q["id"].as_i64() == Some(*qid))
            .unwrap_or_else(|| panic!("question {qid} lost"));
        assert_eq!(q["text"], *text);
        assert_eq!(q["answer"].as_str(), *answer);
    }
}

#[test]
fn sigterm_while_logging_loses_nothing_exits_zero_and_rebuilds_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let token = cli_token(&data, "operator");
    let server = Server::start(&data, &fixtures());
    let base = server.base.clone();
    let call = post(
        &agent(),
        &token,
        &format!("{base}/api/calls"),
        json!({"phone": "+7 495 000-00-01"}),
    )
    .expect("call created");
    let id = call["id"].as_i64().unwrap();

    // A client logs questions as fast as it can while the server is told to stop.
    let stop_sent = Arc::new(AtomicBool::new(false));
    let client = {
        let (base, token, stop_sent) = (base.clone(), token.clone(), Arc::clone(&stop_sent));
        std::thread::spawn(move || {
            let agent = agent();
            let mut acknowledged = Vec::new();
            for n in 0..5000 {
                let text = format!("вопрос {n} перед остановкой");
                match post(
                    &agent,
                    &token,
                    &format!("{base}/api/calls/{id}/questions"),
                    json!({"text": text, "answer": "printer"}),
                ) {
                    Some(q) => acknowledged.push((q["id"].as_i64().unwrap(), text)),
                    None if stop_sent.load(Ordering::SeqCst) => break,
                    None => panic!("question {n} refused before the stop"),
                }
            }
            acknowledged
        })
    };
    std::thread::sleep(Duration::from_millis(400));
    stop_sent.store(true, Ordering::SeqCst);
    let status = server.terminate();
    let acknowledged = client.join().unwrap();
    assert!(status.success(), "exit status {status}");
    assert!(
        !acknowledged.is_empty(),
        "no question was logged before the stop"
    );

    let server = Server::start(&data, &fixtures());
    let log = server.startup_log.join("\n");
    assert!(!log.contains("rebuilt"), "the index was rebuilt:\n{log}");
    assert!(
        !log.contains("left in the outbox"),
        "the outbox had changes left to replay:\n{log}"
    );
    let mut response = agent()
        .get(&format!("{}/api/calls/{id}", server.base))
        .header("authorization", &format!("Bearer {token}"))
        .call()
        .unwrap();
    let call: Value = response.body_mut().read_json().unwrap();
    let questions = call["questions"].as_array().unwrap();
    for (qid, text) in &acknowledged {
        let q = questions
            .iter()
            .find(|q| q["id"].as_i64() == Some(*qid))
            .unwrap_or_else(|| panic!("question {qid} lost"));
        assert_eq!(q["text"], *text);
    }
    let indexed = format!("questions={}", questions.len());
    assert!(
        log.contains(&indexed),
        "the index should hold all {} questions at start:\n{log}",
        questions.len()
    );
}

/// A history big enough to be trained and encoded in the background: `calls` calls of 50
/// linked questions each, as import lines.
fn big_history(path: &std::path::Path, calls: usize) {
    use std::io::Write;
    let slugs = ["printer", "remote-admin", "talon-new"];
    let words = [
        "картридж",
        "сервер",
        "талон",
        "печать",
        "доступ",
        "мастер",
        "заправка",
    ];
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    for c in 0..calls {
        let questions: Vec<Value> = (0..50)
            .map(|q| {
                let n = c * 50 + q;
                json!({
                    "text": format!("{} {} вопрос {n}", words[n % 7], words[(n / 7) % 7]),
                    "asked_at": "2026-10-01T09:00:00+03:00",
                    "answer": slugs[n % 3],
                })
            })
            .collect();
        let line = json!({"started_at": "2026-10-01T09:00:00+03:00", "questions": questions});
        writeln!(out, "{line}").unwrap();
    }
}

/// Questions without their sentence vector yet, and questions in all, read beside the server.
fn counts(data: &std::path::Path) -> (i64, i64) {
    let conn = rusqlite::Connection::open_with_flags(
        data.join(callfaq::store::FILE_NAME),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    )
    .unwrap();
    conn.busy_timeout(Duration::from_secs(10)).unwrap();
    conn.query_row(
        "SELECT COUNT(*) FILTER (WHERE embedded = 0), COUNT(*) FROM questions",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .unwrap()
}

/// The case: a large history imported while the server runs, so that the learned
/// ranking retrains in the background and the embedding backlog runs; SIGTERM in the middle of
/// the retrain stops the server with exit 0 (within seconds: a hang would take minutes); the
/// next start loses nothing and resumes both: the retrain is done and the backlog shrinks.
#[test]
fn sigterm_during_a_large_retrain_and_backlog_stops_at_once_and_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let token = cli_token(&data, "operator");
    let history = dir.path().join("history.jsonl");
    // More links at once than are learned online: a retrain in the background.
    big_history(&history, 160);
    let server = Server::start(&data, &fixtures());
    let out = Command::new(env!("CARGO_BIN_EXE_callfaq"))
        .arg("import")
        .arg(&history)
        .arg("--data")
        .arg(&data)
        .arg("--knowledge")
        .arg(fixtures())
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{said}");
    assert!(
        said.contains("learns the imported questions in the background"),
        "{said}"
    );
    assert!(
        server.wait_for_log("training the learned ranking", Duration::from_secs(120)),
        "the server never started retraining"
    );
    let started = Instant::now();
    let status = server.terminate();
    let took = started.elapsed();
    assert!(status.success(), "exit status {status}");
    assert!(took < Duration::from_secs(20), "stopped after {took:?}");
    let (waiting, total) = counts(&data);
    assert_eq!(total, 8_000, "every imported question is kept");

    let server = Server::start(&data, &fixtures());
    assert!(
        server.wait_for_log("learned ranking trained", Duration::from_secs(300)),
        "the retrain was not resumed"
    );
    let resumed = Instant::now();
    while counts(&data).0 >= waiting && resumed.elapsed() < Duration::from_secs(300) {
        std::thread::sleep(Duration::from_millis(200));
    }
    assert!(
        counts(&data).0 < waiting,
        "the embedding backlog did not resume ({waiting} waiting)"
    );
    let mut response = agent()
        .get(&format!(
            "{}/api/calls?from=2026-10-01&to=2026-10-01",
            server.base
        ))
        .header("authorization", &format!("Bearer {token}"))
        .call()
        .unwrap();
    let listed: Value = response.body_mut().read_json().unwrap();
    assert_eq!(listed["calls"].as_array().unwrap().len(), 160);
    let mut response = agent()
        .get(&format!(
            "{}/api/search?q=%D0%BA%D0%B0%D1%80%D1%82%D1%80%D0%B8%D0%B4%D0%B6",
            server.base
        ))
        .header("authorization", &format!("Bearer {token}"))
        .call()
        .unwrap();
    assert_eq!(response.status(), 200);
    let _: Value = response.body_mut().read_json().unwrap();
    assert!(server.terminate().success());
}
