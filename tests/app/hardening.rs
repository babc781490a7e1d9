//! Hostile input and a busy desk: security headers, connection timeouts and the connection cap,
//! answer files that would stall rendering, backups taken while the desk logs questions, and a
//! restore refused while a server runs.

use crate::harness::{cli_token, fixtures, Server, TestApp};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use callfaq::config::Limits;
use serde_json::{json, Value};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

fn callfaq() -> Command {
    Command::new(env!("CARGO_BIN_EXE_callfaq"))
}

#[tokio::test]
async fn pages_with_callers_data_forbid_scripts_from_elsewhere_framing_and_caching() {
    let app = TestApp::new();
    let (_, call) = app
        .json("POST", "/api/calls", json!({"name": "Михаил"}))
        .await;
    let id = call["id"].as_i64().unwrap();
    for uri in [
        format!("/calls/{id}"),
        format!("/api/calls/{id}"),
        "/calls".into(),
    ] {
        let (status, headers, _) = app
            .send(Request::get(uri.as_str()).body(Body::empty()).unwrap())
            .await;
        assert_eq!(status, StatusCode::OK, "{uri}");
        let csp = headers["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("script-src 'self'"), "{uri}: {csp}");
        assert!(!csp.contains("unsafe-inline"), "{uri}: {csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{uri}: {csp}");
        assert_eq!(headers["cache-control"], "no-store", "{uri}");
        assert_eq!(headers["x-content-type-options"], "nosniff", "{uri}");
        assert!(headers.contains_key("referrer-policy"), "{uri}");
    }
    // Errors carry them too.
    let (status, headers, _) = app
        .send(Request::get("/calls/999999").body(Body::empty()).unwrap())
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(headers["cache-control"], "no-store");
}

/// Serves the app with our listener and these limits; the base address.
fn serve(app: &TestApp, limits: Limits) -> std::net::SocketAddr {
    serve_router(app.router(), limits)
}

/// Serves a router with our listener and these limits; the base address.
fn serve_router(router: axum::Router, limits: Limits) -> std::net::SocketAddr {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            tx.send(listener.local_addr().unwrap()).unwrap();
            callfaq::listener::serve(listener, router, limits, std::future::pending())
                .await
                .unwrap();
        });
    });
    rx.recv().unwrap()
}

fn healthz(address: std::net::SocketAddr) -> Option<String> {
    let mut stream = TcpStream::connect(address).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .ok()?;
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .ok()?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer).ok()?;
    Some(answer)
}

/// Reads until the server closes the connection; how long that took.
fn closed_after(mut stream: TcpStream) -> Duration {
    let started = Instant::now();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let mut buf = [0u8; 256];
    loop {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return started.elapsed(),
            Ok(_) => {}
        }
    }
}

#[test]
fn a_client_that_never_finishes_its_request_is_disconnected() {
    let app = TestApp::new();
    let limits = Limits {
        header_timeout: Duration::from_secs(1),
        ..Limits::default()
    };
    let address = serve(&app, limits);
    let silent = TcpStream::connect(address).unwrap();
    let mut slow = TcpStream::connect(address).unwrap();
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        .unwrap();
    assert!(closed_after(silent) < Duration::from_secs(20));
    assert!(closed_after(slow) < Duration::from_secs(20));
}

#[test]
fn a_body_that_never_comes_is_answered_408_and_the_connection_closed() {
    let app = TestApp::new();
    let token = app.token_for(callfaq::accounts::Role::Operator);
    let address = serve_router(
        app.router_with_body_timeout(Duration::from_secs(1)),
        Limits::default(),
    );
    // A signed-in API write, the exchange's public webhook and the login form: each sends its
    // head and seven of the thousand bytes it announced, then nothing.
    let heads = [
        format!("POST /api/calls HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\n"),
        "POST /api/pbx/zadarma HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n".to_string(),
        "POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n".to_string(),
    ];
    for head in heads {
        let mut stream = TcpStream::connect(address).unwrap();
        stream
            .write_all(format!("{head}Content-Length: 1000\r\n\r\n{{\"a\": 1").as_bytes())
            .unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer);
        let answer = String::from_utf8_lossy(&answer);
        assert!(answer.starts_with("HTTP/1.1 408"), "{head}: {answer}");
    }
    assert!(healthz(address).is_some_and(|a| a.starts_with("HTTP/1.1 200")));
}

#[test]
fn a_kept_alive_connection_that_stays_silent_is_closed() {
    let app = TestApp::new();
    let limits = Limits {
        idle_timeout: Duration::from_secs(1),
        header_timeout: Duration::from_secs(60),
        ..Limits::default()
    };
    let address = serve(&app, limits);
    let mut stream = TcpStream::connect(address).unwrap();
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let mut buf = [0u8; 512];
    let n = stream.read(&mut buf).unwrap();
    assert!(String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 200"));
    assert!(closed_after(stream) < Duration::from_secs(20));
}

#[test]
fn idle_sockets_past_the_cap_wait_without_making_the_server_unreachable() {
    let app = TestApp::new();
    let limits = Limits {
        max_connections: 4,
        header_timeout: Duration::from_secs(1),
        ..Limits::default()
    };
    let address = serve(&app, limits);
    // Many more idle sockets than the cap allows at once.
    let idle: Vec<TcpStream> = (0..40)
        .filter_map(|_| TcpStream::connect(address).ok())
        .collect();
    assert!(idle.len() >= 4);
    let answer = healthz(address).expect("the health check was answered");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    drop(idle);
}

#[test]
fn check_names_a_huge_nested_answer_and_refuses_it() {
    let dir = tempfile::tempdir().unwrap();
    let body = ">".repeat(100 * 1024);
    std::fs::write(
        dir.path().join("quotes.md"),
        format!(
            "+++\ntitle = \"Цитаты\"\naudience = \"all\"\nreviewed = 2026-11-01\n+++\n{body} x\n"
        ),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("divs.md"),
        format!(
            "+++\ntitle = \"Блоки\"\naudience = \"all\"\nreviewed = 2026-11-01\n+++\nтекст\n\n{}\n",
            "<div>".repeat(40_000)
        ),
    )
    .unwrap();
    let out = callfaq()
        .args(["check", "--knowledge"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("quotes.md:6: "), "{stdout}");
    assert!(stdout.contains("divs.md:8: "), "{stdout}");
}

fn agent() -> ureq::Agent {
    ureq::Agent::new_with_config(
        ureq::Agent::config_builder()
            .timeout_global(Some(Duration::from_secs(10)))
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
    (response.status() == 201).then(|| response.body_mut().read_json().ok())?
}

#[test]
fn a_backup_taken_while_the_desk_logs_restores_everything_acknowledged_before_it() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let token = cli_token(&data, "operator");
    let server = Server::start(&data, &fixtures());
    let base = server.base.clone();
    let call = post(&agent(), &token, &format!("{base}/api/calls"), json!({})).unwrap();
    let id = call["id"].as_i64().unwrap();
    let acknowledged = Arc::new(Mutex::new(Vec::<i64>::new()));
    let done = Arc::new(AtomicBool::new(false));
    let client = {
        let (acknowledged, done, token, base) = (
            Arc::clone(&acknowledged),
            Arc::clone(&done),
            token.clone(),
            base.clone(),
        );
        std::thread::spawn(move || {
            let agent = agent();
            let mut n = 0;
            // Within the questions a call may hold.
            while !done.load(Ordering::SeqCst) && n < 450 {
                n += 1;
                let q = post(
                    &agent,
                    &token,
                    &format!("{base}/api/calls/{id}/questions"),
                    json!({"text": format!("вопрос {n}")}),
                )
                .expect("logged");
                acknowledged.lock().unwrap().push(q["id"].as_i64().unwrap());
            }
        })
    };
    std::thread::sleep(Duration::from_millis(300));
    let before: Vec<i64> = acknowledged.lock().unwrap().clone();
    let file = dir.path().join("backup.sqlite3");
    let out = callfaq()
        .arg("backup")
        .arg(&file)
        .arg("--data")
        .arg(&data)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::thread::sleep(Duration::from_millis(200));
    done.store(true, Ordering::SeqCst);
    client.join().unwrap();
    assert!(!before.is_empty());

    // Restoring is refused while the server runs.
    let refused = callfaq()
        .arg("restore")
        .arg(&file)
        .arg("--data")
        .arg(&data)
        .output()
        .unwrap();
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("stop it first"));

    assert!(server.terminate().success());
    let restored = callfaq()
        .arg("restore")
        .arg(&file)
        .arg("--data")
        .arg(&data)
        .output()
        .unwrap();
    assert!(
        restored.status.success(),
        "{}",
        String::from_utf8_lossy(&restored.stderr)
    );
    assert!(String::from_utf8_lossy(&restored.stderr).contains("the database before it is kept as"));
    // Into a folder that had none, it says so, not that one was kept.
    let fresh = dir.path().join("fresh");
    let out = callfaq()
        .arg("restore")
        .arg(&file)
        .arg("--data")
        .arg(&fresh)
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && said.contains("there was no database before it"),
        "{said}"
    );
    let server = Server::start(&data, &fixtures());
    let mut response = agent()
        .get(&format!("{}/api/calls/{id}", server.base))
        .header("authorization", &format!("Bearer {token}"))
        .call()
        .unwrap();
    let call: Value = response.body_mut().read_json().unwrap();
    let ids: Vec<i64> = call["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["id"].as_i64().unwrap())
        .collect();
    for q in &before {
        assert!(
            ids.contains(q),
            "question {q} acknowledged before the backup is missing"
        );
    }
}

fn count_calls(database: &std::path::Path) -> i64 {
    let conn = rusqlite::Connection::open(database).unwrap();
    conn.query_row("SELECT COUNT(*) FROM calls", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn a_restore_brings_back_a_database_with_its_log_whole_and_keeps_every_one_it_replaced() {
    let dir = tempfile::tempdir().unwrap();
    // A server killed mid-day: its database with writes still in the write-ahead log.
    let crashed = dir.path().join("crashed");
    std::fs::create_dir_all(&crashed).unwrap();
    {
        let store = callfaq::store::Store::open(&crashed).unwrap();
        for _ in 0..25 {
            store
                .create_call(&Default::default(), chrono::Utc::now())
                .unwrap();
        }
        let live = crashed.join("callfaq.sqlite3");
        let wal = crashed.join("callfaq.sqlite3-wal");
        assert!(
            std::fs::metadata(&wal).unwrap().len() > 0,
            "writes in the log"
        );
        let copy = dir.path().join("copy");
        std::fs::create_dir_all(&copy).unwrap();
        std::fs::copy(&live, copy.join("callfaq.sqlite3")).unwrap();
        std::fs::copy(&wal, copy.join("callfaq.sqlite3-wal")).unwrap();
    }
    let source = dir.path().join("copy").join("callfaq.sqlite3");
    let data = dir.path().join("data");
    let restore = |file: &std::path::Path| {
        let out = callfaq()
            .arg("restore")
            .arg(file)
            .arg("--data")
            .arg(&data)
            .output()
            .unwrap();
        let said = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(out.status.success(), "{said}");
        said
    };
    let said = restore(&source);
    assert!(said.contains("restored 25 calls"), "{said}");
    assert_eq!(count_calls(&data.join("callfaq.sqlite3")), 25, "every call");
    // What was learnt from the database replaced goes with it.
    let models = data.join("model");
    std::fs::create_dir_all(&models).unwrap();
    std::fs::write(models.join("links.bin"), b"another database's").unwrap();
    // Restored twice in a row: each database replaced is kept, none over another.
    restore(&source);
    restore(&source);
    assert!(
        !models.exists(),
        "the learned models of the replaced database"
    );
    let kept: Vec<String> = std::fs::read_dir(&data)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| {
            name.contains(".before-restore-") && !name.ends_with("-wal") && !name.ends_with("-shm")
        })
        .collect();
    assert_eq!(kept.len(), 2, "{kept:?}");
    // A backup aimed at the live database is refused, and the database is left as it was.
    for target in [
        "callfaq.sqlite3",
        "callfaq.sqlite3-wal",
        "callfaq.lock",
        "desk.toml",
    ] {
        let out = callfaq()
            .arg("backup")
            .arg(data.join("..").join("data").join(target))
            .arg("--data")
            .arg(&data)
            .output()
            .unwrap();
        assert!(!out.status.success(), "{target}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("is the server's own file"),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert_eq!(count_calls(&data.join("callfaq.sqlite3")), 25);
}

/// A client that keeps reopening connections from one address holds at most its share: a
/// client at another address is still served (the issue's flood took 6-19 s).
#[test]
fn a_flood_of_reopened_connections_from_one_address_leaves_others_served() {
    let app = TestApp::new();
    let limits = Limits {
        max_connections: 64,
        max_per_address: 16,
        header_timeout: Duration::from_secs(60),
        ..Limits::default()
    };
    let address = serve(&app, limits);
    let stop = Arc::new(AtomicBool::new(false));
    let flood = {
        let stop = Arc::clone(&stop);
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Runtime::new().unwrap();
            runtime.block_on(async move {
                let mut tasks = Vec::new();
                for _ in 0..200 {
                    let stop = Arc::clone(&stop);
                    tasks.push(tokio::spawn(async move {
                        // Reopen each connection as soon as the server closes it.
                        while !stop.load(Ordering::SeqCst) {
                            let socket = tokio::net::TcpSocket::new_v4().unwrap();
                            if socket.bind("127.0.0.2:0".parse().unwrap()).is_err() {
                                return;
                            }
                            let Ok(stream) = socket.connect(address).await else {
                                tokio::time::sleep(Duration::from_millis(10)).await;
                                continue;
                            };
                            // Hold it until the server closes it.
                            let held = async {
                                let mut buf = [0u8; 16];
                                loop {
                                    if stream.readable().await.is_err() {
                                        return;
                                    }
                                    match stream.try_read(&mut buf) {
                                        Ok(0) => return,
                                        Ok(_) => {}
                                        Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
                                        Err(_) => return,
                                    }
                                }
                            };
                            let _ = tokio::time::timeout(Duration::from_secs(60), held).await;
                        }
                    }));
                }
                for task in tasks {
                    let _ = task.await;
                }
            });
        })
    };
    std::thread::sleep(Duration::from_secs(1));
    for _ in 0..3 {
        let started = Instant::now();
        let answer = healthz(address).expect("answered while flooded");
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "served only after {:?}",
            started.elapsed()
        );
    }
    stop.store(true, Ordering::SeqCst);
    drop(flood);
}

/// The header timeout is for a request being sent, not for a kept-alive connection waiting
/// between requests (which the idle timeout closes).
#[test]
fn a_kept_alive_connection_outlives_the_header_timeout_between_requests() {
    let app = TestApp::new();
    let limits = Limits {
        header_timeout: Duration::from_secs(1),
        idle_timeout: Duration::from_secs(30),
        ..Limits::default()
    };
    let address = serve(&app, limits);
    let mut stream = TcpStream::connect(address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut buf = [0u8; 512];
    for round in 0..2 {
        stream
            .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            .unwrap();
        let n = stream.read(&mut buf).unwrap();
        assert!(
            String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 200"),
            "round {round}"
        );
        // Three header timeouts of silence between the two requests.
        std::thread::sleep(Duration::from_secs(3));
    }
}

/// Previews of bodies built to stall rendering are refused before rendering, off the request
/// threads: the health check keeps answering.
#[test]
fn two_huge_previews_leave_the_health_check_answering() {
    let app = TestApp::new();
    let token = app.token_for(callfaq::accounts::Role::Editor);
    let address = serve(&app, Limits::default());
    let bodies = [
        ">".repeat(1_000_000),
        "<div/>".repeat(1_000_000 / 6),
        format!("{}x", "> ".repeat(400_000)),
    ];
    let previews: Vec<_> = bodies
        .into_iter()
        .map(|body| {
            let token = token.clone();
            std::thread::spawn(move || {
                let mut response = agent()
                    .post(&format!("http://{address}/api/preview"))
                    .header("authorization", &format!("Bearer {token}"))
                    .send_json(json!({"title": "x", "reviewed": "2026-11-01", "audience": "all", "body": body}))
                    .unwrap();
                let status = response.status();
                let value: Value = response.body_mut().read_json().unwrap();
                (status, value)
            })
        })
        .collect();
    for _ in 0..5 {
        let answer = healthz(address).expect("the health check answered");
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    }
    for preview in previews {
        let (status, value) = preview.join().unwrap();
        assert_eq!(status, 200);
        assert_eq!(value["html"], "", "nothing rendered");
        assert!(!value["problems"].as_array().unwrap().is_empty(), "{value}");
    }
}

#[cfg(unix)]
#[test]
fn the_database_its_log_and_backups_are_the_owners_alone() {
    use std::os::unix::fs::PermissionsExt;
    let mode =
        |path: &std::path::Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let token = cli_token(&data, "operator");
    let server = Server::start(&data, &fixtures());
    post(
        &agent(),
        &token,
        &format!("{}/api/calls", server.base),
        json!({"name": "Михаил", "phone": "+7 495 123-45-67"}),
    )
    .unwrap();
    assert_eq!(mode(&data), 0o700);
    assert_eq!(mode(&data.join("callfaq.sqlite3")), 0o600);
    assert_eq!(mode(&data.join("callfaq.sqlite3-wal")), 0o600);
    let file = dir.path().join("backup.sqlite3");
    let out = callfaq()
        .arg("backup")
        .arg(&file)
        .arg("--data")
        .arg(&data)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(mode(&file), 0o600);
    let export = dir.path().join("calls.jsonl");
    let out = callfaq()
        .arg("export")
        .arg(&export)
        .arg("--data")
        .arg(&data)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(mode(&export), 0o600);
    assert!(server.terminate().success());
}

#[tokio::test]
async fn planted_formulas_stay_text_in_the_spreadsheets() {
    let app = TestApp::new();
    let planted = [
        "=1+1",
        "+7(495)",
        "-1+2",
        "@SUM(A1:A2)",
        "=HYPERLINK(\"http://x\")",
    ];
    for value in planted {
        let (status, call) = app
            .json(
                "POST",
                "/api/calls",
                json!({"operator": value, "name": value, "potential_client": true}),
            )
            .await;
        assert_eq!(status, 201, "{call}");
        let id = call["id"].as_i64().unwrap();
        app.json(
            "POST",
            &format!("/api/calls/{id}/questions"),
            json!({"text": value}),
        )
        .await;
    }
    for uri in [
        "/api/reports/desk?format=csv",
        "/api/reports/questions?format=csv",
    ] {
        let (status, csv) = app.get(uri).await;
        assert_eq!(status, 200, "{uri}");
        for line in csv.trim_start_matches('\u{feff}').lines() {
            for cell in line.split(';') {
                let cell = cell.trim_start_matches('"');
                assert!(
                    !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                    "{uri}: a cell starts a formula: {cell:?}"
                );
            }
        }
    }
}

/// An admin downloads a consistent copy of the database from the admin page: a SQLite file
/// holding the calls, named by the time, nothing left behind in the data folder; audited;
/// nobody below an admin may.
#[tokio::test]
async fn an_admin_downloads_a_backup_and_nothing_is_left_behind() {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let app = TestApp::new();
    let (status, _) = app
        .json("POST", "/api/calls", json!({"name": "Ольга"}))
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let (_, page) = app.get("/admin").await;
    assert!(
        page.contains(r#"href="/admin/backup""#),
        "the page offers it"
    );
    let request = Request::get("/admin/backup")
        .header(
            "authorization",
            format!("Bearer {}", app.token.clone().unwrap()),
        )
        .body(Body::empty())
        .unwrap();
    let response = app.router().oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let disposition = response.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        disposition.starts_with("attachment; filename=\"callfaq-")
            && disposition.ends_with(".sqlite3\""),
        "{disposition}"
    );
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    assert!(bytes.starts_with(b"SQLite format 3\0"));
    let copy = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(copy.path(), &bytes).unwrap();
    let summary = callfaq::store::inspect(copy.path()).unwrap();
    assert_eq!(summary.calls, 1);
    let left: Vec<_> = std::fs::read_dir(&app.data)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with("download-"))
        .collect();
    assert!(left.is_empty(), "nothing left in the data folder");
    let audit = app.app.store.audit_log(5, None).unwrap();
    assert!(audit
        .iter()
        .any(|e| e.subject == "backup downloaded (1 calls)"));
    let operator = app.as_token(Some(app.token_for(callfaq::accounts::Role::Head)));
    let (status, _) = operator.call("GET", "/admin/backup", None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}
