//! Small things a week at the desk showed, through the in-process app: an answer's history
//! numbered per answer with − before +, a card left empty is no potential client, a notice
//! after a password change, a new password shown by a page reached by redirect (a reload
//! re-posts nothing), role names and a token's state in the interface's language, and an
//! English desk created in English.

use crate::harness::TestApp;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use callfaq::accounts::Role;
use serde_json::{json, Value};

/// The numbers in the history table's first column, top to bottom.
fn history_numbers(page: &str) -> Vec<String> {
    page.split("<tbody>")
        .nth(1)
        .unwrap_or("")
        .split("<tr")
        .skip(1)
        .filter_map(|row| {
            let cell = row.split("<td>").nth(1)?;
            Some(cell.split('<').next()?.to_string())
        })
        .collect()
}

async fn save(app: &TestApp, slug: &str, from: &str, to: &str) {
    let (_, source) = app.get_json(&format!("/api/answers/source/{slug}")).await;
    let text = source["text"].as_str().unwrap().replace(from, to);
    let (status, body) = app
        .json(
            "PUT",
            &format!("/api/answers/source/{slug}"),
            json!({"text": text, "version": source["version"]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

#[tokio::test]
async fn an_answers_history_numbers_its_own_versions_from_one_and_shows_removed_before_added() {
    let app = TestApp::new();
    // Another answer's versions come first: ids count every answer's versions.
    save(&app, "remote-admin", "15 000", "16 000").await;
    save(
        &app,
        "printer",
        "Доставка по Москве на следующий рабочий день.",
        "Доставка по Москве за два дня.",
    )
    .await;
    save(&app, "printer", "за два дня", "за три дня").await;
    let (status, page) = app.get("/answers/history/printer").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(history_numbers(&page), ["3", "2", "1"], "newest first");
    assert!(page.contains("Версия 3: что изменилось"), "{page}");
    let removed = page
        .find(r#"<tr class="removed">"#)
        .expect("a removed line");
    let added = page.find(r#"<tr class="added">"#).expect("an added line");
    assert!(removed < added, "− before +");
    assert!(page[removed..added].contains("за два дня"));
    assert!(page[added..].contains("за три дня"));
    // Compared as an editor reads the answer: its fields by name, not the file's front matter.
    assert!(page.contains("Клиенты спрашивают и так:"), "{page}");
    assert!(
        !page.contains("+++") && !page.contains("title = "),
        "{page}"
    );
    assert!(page.contains("<h2>Все версии</h2>"), "{page}");
    // The first version is the whole answer, so read.
    let (_, listed) = app.get_json("/api/answers/history/printer").await;
    let first = listed["versions"].as_array().unwrap().last().unwrap()["id"].clone();
    let (_, page) = app
        .get(&format!("/answers/history/printer?diff={first}"))
        .await;
    assert!(page.contains("Версия 1: первая, весь текст"), "{page}");
    assert!(
        page.contains("Типовой вопрос: Сколько стоит принтер Canon 2100?"),
        "{page}"
    );
}

async fn desk_total(app: &TestApp) -> Value {
    let today = app.app.clock.today();
    let (status, report) = app
        .get_json(&format!("/api/reports/desk?from={today}&to={today}"))
        .await;
    assert_eq!(status, StatusCode::OK, "{report}");
    report["total"].clone()
}

#[tokio::test]
async fn a_call_with_nothing_recorded_is_no_potential_client_until_something_is() {
    let app = TestApp::new();
    // The new-call card started with every field empty, and a call opened with nothing.
    let (status, _, _) = app.post_form("/calls", &[("potential_client", "")]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, empty) = app.json("POST", "/api/calls", json!({})).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(empty["kind"], "primary");
    let total = desk_total(&app).await;
    assert_eq!(
        (&total["calls"], &total["potential"], &total["contacts"]),
        (&json!(2), &json!(0), &json!(0)),
        "{total}"
    );
    assert_eq!(total["capture_rate"], json!(0.0));
    // A question logged on one, a name on another: potential clients without a contact.
    let (status, _) = app
        .json(
            "POST",
            &format!("/api/calls/{}/questions", empty["id"]),
            json!({"text": "сколько стоит принтер"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, named) = app.json("POST", "/api/calls", json!({})).await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, _) = app
        .json(
            "PATCH",
            &format!("/api/calls/{}", named["id"]),
            json!({"name": "Олег"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    // And one that left a phone, read back.
    let (status, _) = app
        .json(
            "POST",
            "/api/calls",
            json!({"phone": "+7 495 123-45-67", "contact_confirmed": true}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let total = desk_total(&app).await;
    assert_eq!(
        (&total["calls"], &total["potential"], &total["contacts"]),
        (&json!(4), &json!(3), &json!(1)),
        "{total}"
    );
}

/// The session cookie `name=value` of a response's `set-cookie`.
fn session_of(set_cookie: &str) -> String {
    set_cookie.split(';').next().unwrap().to_string()
}

async fn logged_in(app: &TestApp, login: &str, password: &str) -> String {
    let request = Request::post("/login")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(format!(
            "login={login}&password={}",
            crate::harness::encode(password)
        )))
        .unwrap();
    let (status, headers, _) = app.send_raw(request).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    session_of(headers["set-cookie"].to_str().unwrap())
}

async fn page(app: &TestApp, uri: &str, session: &str) -> (StatusCode, String, String) {
    let request = Request::get(uri)
        .header("cookie", session)
        .body(Body::empty())
        .unwrap();
    let (status, headers, body) = app.send_raw(request).await;
    let location = headers
        .get("location")
        .map(|l| l.to_str().unwrap().to_string())
        .unwrap_or_default();
    (status, body, location)
}

/// The page's anti-forgery token, encoded for a form.
fn csrf_in(html: &str) -> String {
    let marker = r#"name="csrf-token" content=""#;
    let at = html.find(marker).expect("the anti-forgery token") + marker.len();
    crate::harness::encode(html[at..].split('"').next().unwrap())
}

async fn post(
    app: &TestApp,
    uri: &str,
    session: &str,
    form: &str,
) -> (StatusCode, axum::http::HeaderMap, String) {
    let request = Request::post(uri)
        .header("cookie", session)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(form.to_string()))
        .unwrap();
    app.send_raw(request).await
}

#[tokio::test]
async fn a_changed_password_is_confirmed_on_the_page_that_changed_it() {
    let app = TestApp::new();
    app.account("vera", "first-password-1", Role::Operator);
    let session = logged_in(&app, "vera", "first-password-1").await;
    let (_, html, _) = page(&app, "/account/password", &session).await;
    assert!(!html.contains("Пароль изменён."));
    let form = format!(
        "_csrf={}&current=first-password-1&new=second-password-2&repeat=second-password-2",
        csrf_in(&html)
    );
    let (status, headers, _) = post(&app, "/account/password", &session, &form).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let location = headers["location"].to_str().unwrap().to_string();
    assert_eq!(location, "/account/password?changed=1");
    let session = session_of(headers["set-cookie"].to_str().unwrap());
    let (status, html, _) = page(&app, &location, &session).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Пароль изменён."), "{html}");
}

#[tokio::test]
async fn a_new_password_is_shown_by_a_page_reached_by_redirect_and_once() {
    let app = TestApp::new();
    app.account("boss", "admin-password-2026", Role::Admin);
    let session = logged_in(&app, "boss", "admin-password-2026").await;
    let (_, html, _) = page(&app, "/admin", &session).await;
    let csrf = csrf_in(&html);
    let (status, headers, _) = post(
        &app,
        "/admin/accounts",
        &session,
        &format!("_csrf={csrf}&login=vera&role=operator"),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "post, then redirect");
    let location = headers["location"].to_str().unwrap().to_string();
    assert!(location.starts_with("/admin?secret="), "{location}");
    // Another admin cannot open it.
    app.account("other", "other-password-2026", Role::Admin);
    let other = logged_in(&app, "other", "other-password-2026").await;
    assert_eq!(page(&app, &location, &other).await.0, StatusCode::GONE);
    let (status, html, _) = page(&app, &location, &session).await;
    assert_eq!(status, StatusCode::OK);
    let secret = html
        .split(r#"id="secret">"#)
        .nth(1)
        .and_then(|s| s.split('<').next())
        .expect("the password on the page")
        .to_string();
    assert!(secret.len() >= 10, "{secret}");
    // A reload shows it no more, and made nothing new.
    let (status, html, _) = page(&app, &location, &session).await;
    assert_eq!(status, StatusCode::GONE);
    assert!(!html.contains(&secret));
    assert!(html.contains("показывается один раз"), "{html}");
    let logged = logged_in(&app, "vera", &secret).await;
    assert!(!logged.is_empty());

    // A reset: the same way, and one reset.
    let (status, headers, _) = post(
        &app,
        "/admin/accounts/vera/password",
        &session,
        &format!("_csrf={csrf}"),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let location = headers["location"].to_str().unwrap().to_string();
    let (status, html, _) = page(&app, &location, &session).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(r#"id="secret""#));
    let resets = app
        .app
        .store
        .audit_log(50, None)
        .unwrap()
        .iter()
        .filter(|e| e.subject.contains("password reset"))
        .count();
    assert_eq!(resets, 1);
}

#[tokio::test]
async fn roles_and_a_tokens_state_read_in_the_interfaces_language() {
    let app = TestApp::new();
    app.account("boss", "admin-password-2026", Role::Admin);
    let session = logged_in(&app, "boss", "admin-password-2026").await;
    let (_, html, _) = page(&app, "/admin", &session).await;
    let csrf = csrf_in(&html);
    post(
        &app,
        "/admin/accounts",
        &session,
        &format!("_csrf={csrf}&login=vera&role=head"),
    )
    .await;
    post(
        &app,
        "/admin/tokens",
        &session,
        &format!("_csrf={csrf}&name=pbx&role=operator"),
    )
    .await;
    // A role no token may have is refused naming the roles a token may.
    let (status, _, refused) = post(
        &app,
        "/admin/tokens",
        &session,
        &format!("_csrf={csrf}&name=crm&role=root"),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.contains("нужно одно из: operator, editor, head, admin<"),
        "{refused}"
    );
    let (_, html, _) = page(&app, "/admin", &session).await;
    assert!(
        html.contains("учётная запись vera добавлена, роль «Руководитель продаж»"),
        "{html}"
    );
    assert!(html.contains("токен pbx создан, роль «Оператор»"), "{html}");
    assert!(!html.contains("роль operator") && !html.contains("роль head"));
    let tokens = html
        .split(r#"class="calls tokens""#)
        .nth(1)
        .and_then(|t| t.split("</table>").next())
        .unwrap_or("");
    assert!(
        tokens.contains("действует"),
        "a token is «действует»: {tokens}"
    );
    assert!(!tokens.contains("активна"));
}

#[test]
fn an_english_desk_is_created_with_english_lists_and_script() {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("data");
    let knowledge = crate::harness::fixtures();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_callfaq"))
        .args([
            "--lang",
            "en",
            "serve",
            "--bind",
            "127.0.0.1:0",
            "--model",
            "/none",
        ])
        .arg("--data")
        .arg(&data)
        .arg("--knowledge")
        .arg(&knowledge)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::BufRead;
    let lines = std::io::BufReader::new(child.stderr.take().unwrap()).lines();
    for line in lines {
        if line.unwrap().contains("serving on") {
            break;
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    let settings = std::fs::read_to_string(data.join("desk.toml")).unwrap();
    let script = std::fs::read_to_string(data.join("desk-script.md")).unwrap();
    assert!(
        settings.contains("Administration and outsourcing"),
        "{settings}"
    );
    assert!(!settings.contains("Администрирование"), "{settings}");
    assert!(script.contains("## greeting\nIT Service Plus"), "{script}");
    assert!(
        !script.chars().any(|c| ('а'..='я').contains(&c)),
        "{script}"
    );
}
