//! Input that would mislead staff or the history: invisible and direction characters in
//! callers' names, logins that look like others, text in the phone field, the same file
//! imported twice, oversized login forms.

use crate::harness::{fixtures, TestApp};
use serde_json::json;
use std::process::Command;

fn callfaq() -> Command {
    Command::new(env!("CARGO_BIN_EXE_callfaq"))
}

#[tokio::test]
async fn invisible_and_direction_characters_never_reach_staff() {
    let app = TestApp::new();
    let (status, call) = app
        .json(
            "POST",
            "/api/calls",
            json!({"name": "Иван\u{202E}вонави", "company": "Ро\u{200B}машка", "notes": "звонил\u{2066} дважды"}),
        )
        .await;
    assert_eq!(status, 201, "{call}");
    assert_eq!(call["name"], "Иванвонави");
    assert_eq!(call["company"], "Ромашка");
    assert_eq!(call["notes"], "звонил дважды");
    let id = call["id"].as_i64().unwrap();
    let (_, q) = app
        .json(
            "POST",
            &format!("/api/calls/{id}/questions"),
            json!({"text": "цена\u{200F} заправки"}),
        )
        .await;
    assert_eq!(q["text"], "цена заправки");
    let (_, page) = app.get("/calls").await;
    assert!(page.contains("<bdi>Иванвонави</bdi>"), "{page}");
}

#[tokio::test]
async fn the_phone_field_takes_a_number_or_an_email_and_nothing_else() {
    let app = TestApp::new();
    for ok in [
        "+7 495 123-45-67",
        "8 (495) 123 45 67 доб. 12",
        "+44 20 7946 0958 ext 3",
        "ivan@romashka.ru",
        "12345",
    ] {
        let (status, call) = app.json("POST", "/api/calls", json!({"phone": ok})).await;
        assert_eq!(status, 201, "{ok}: {call}");
    }
    for bad in [
        "позвоните мне завтра",
        "12",
        "ivan@",
        "звонить после 5",
        "+7 495 abc",
        "89035554433x",
        "8 495 123-45-67 доб.",
    ] {
        let (status, body) = app.json("POST", "/api/calls", json!({"phone": bad})).await;
        assert_eq!(status, 422, "{bad}: {body}");
        assert!(
            body["error"].as_str().unwrap().starts_with("phone: "),
            "{body}"
        );
    }
    // A digit short after +7, and a Cyrillic «З» for a 3: each said for what it is.
    let (status, body) = app
        .json("POST", "/api/calls", json!({"phone": "+7 495 123-45-6"}))
        .await;
    assert_eq!(status, 422);
    let error = body["error"].as_str().unwrap();
    assert!(error.contains("10") && error.contains(" 9"), "{error}");
    let (status, body) = app
        .json("POST", "/api/calls", json!({"phone": "+7 495 12З-45-67"}))
        .await;
    assert_eq!(status, 422);
    assert!(body["error"].as_str().unwrap().contains("«З»"), "{body}");
}

#[test]
fn a_login_that_looks_like_another_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut child = callfaq()
        .args([
            "user",
            "add",
            "\u{0430}dmin",
            "--role",
            "operator",
            "--data",
        ])
        .arg(&data)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        writeln!(stdin, "a-long-password-1").unwrap();
    }
    let out = child.wait_with_output().unwrap();
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("login"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn the_same_file_imported_twice_is_recognised() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let file = dir.path().join("history.jsonl");
    std::fs::write(
        &file,
        "{\"started_at\": \"2026-10-01T09:00:00+03:00\", \"questions\": [{\"text\": \"цена\", \"answer\": \"printer\"}]}\n",
    )
    .unwrap();
    let import = |again: bool| {
        let mut command = callfaq();
        command
            .arg("import")
            .arg(&file)
            .arg("--data")
            .arg(&data)
            .arg("--knowledge")
            .arg(fixtures());
        if again {
            command.arg("--again");
        }
        command.output().unwrap()
    };
    assert!(import(false).status.success());
    let twice = import(false);
    assert!(!twice.status.success());
    let said = String::from_utf8_lossy(&twice.stderr);
    assert!(
        said.contains("imported on") && said.contains("--again"),
        "{said}"
    );
    assert!(import(true).status.success(), "--again imports it");
    let store = callfaq::store::Store::open(&data).unwrap();
    assert_eq!(
        store.link_count().unwrap(),
        2,
        "once, then once more on purpose"
    );
}

#[tokio::test]
async fn a_login_form_is_held_to_a_few_kilobytes() {
    let app = TestApp::new();
    let body = format!("login=admin&password={}", "x".repeat(1 << 20));
    let (status, _, _) = app
        .as_token(None)
        .request("POST", "/login", Some(json!(body)))
        .await;
    assert_eq!(status, 413);
}

#[tokio::test]
async fn a_bad_query_parameter_is_a_json_error_naming_it() {
    let app = TestApp::new();
    for (uri, name) in [
        ("/api/audit?before=abc", "before"),
        ("/api/callbacks?owner=all&saved=abc", "saved"),
    ] {
        let request = axum::http::Request::get(uri)
            .header(
                "authorization",
                format!("Bearer {}", app.token_for(callfaq::accounts::Role::Admin)),
            )
            .body(axum::body::Body::empty())
            .unwrap();
        let (status, headers, body) = app.send_raw(request).await;
        assert_eq!(status, 422, "{uri}: {body}");
        assert_eq!(headers["content-type"], "application/json", "{uri}");
        let body: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert!(
            body["error"].as_str().unwrap().contains(name),
            "{uri}: {body}"
        );
    }
}
