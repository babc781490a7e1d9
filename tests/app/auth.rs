//! Access control: every role against every route, logins and their slowing, sessions,
//! anti-forgery tokens, inert script payloads, body limits, tokens from the command line,
//! purge and the audit log.

use crate::harness::TestApp;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use callfaq::accounts::Role;
use callfaq::web::Access;
use serde_json::{json, Value};

/// Who sends a request in the access table.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Who {
    Nobody,
    As(Role),
}

/// Unsafe routes whose answers are about credentials rather than access, each tested on its own
/// (`login_sets_a_safe_session_cookie_and_logout_ends_it`, `first_admin_must_set_a_new_password_first`).
const ABOUT_CREDENTIALS: &[(&str, &str)] = &[
    ("POST", "/login"),
    ("POST", "/logout"),
    ("POST", "/account/password"),
];

/// Every declared route with the least role it needs (`None`: public), read from the route
/// table itself, plus a URL no route serves.
fn routes(call: i64, question: i64) -> Vec<(&'static str, String, Option<Value>, Option<Role>)> {
    let mut out = Vec::new();
    for route in callfaq::web::routes().table() {
        let needed = match route.access {
            Access::Public => None,
            Access::Signed => Some(Role::Operator),
            Access::Role(role) => Some(role),
        };
        let id = if route.pattern.starts_with("/questions/")
            || route.pattern.starts_with("/api/questions/")
        {
            question
        } else {
            call
        };
        let mut path = route
            .pattern
            .replace("{id}", &id.to_string())
            .replace("{*slug}", "printer");
        if route.pattern == "/language" {
            path.push_str("?to=en");
        }
        for method in &route.methods {
            let method: &'static str = match method.as_str() {
                "GET" => "GET",
                "POST" => "POST",
                "PUT" => "PUT",
                "PATCH" => "PATCH",
                "DELETE" => "DELETE",
                other => panic!("no test request for {other}"),
            };
            if ABOUT_CREDENTIALS.contains(&(method, route.pattern)) {
                continue;
            }
            let body = match (method, path.starts_with("/api/")) {
                ("GET", _) => None,
                (_, true) => Some(json!({})),
                (_, false) => Some(json!("card=1&name=x")),
            };
            out.push((method, path.clone(), body, needed));
        }
    }
    out.push(("GET", "/no/such/page".into(), None, Some(Role::Operator)));
    out
}

#[tokio::test]
async fn every_role_against_every_route() {
    let app = TestApp::new();
    let (_, call) = app.json("POST", "/api/calls", json!({})).await;
    let call_id = call["id"].as_i64().unwrap();
    let (_, q) = app
        .json(
            "POST",
            &format!("/api/calls/{call_id}/questions"),
            json!({"text": "вопрос"}),
        )
        .await;
    let question_id = q["id"].as_i64().unwrap();
    let mut who = vec![Who::Nobody];
    who.extend(Role::ALL.map(Who::As));
    let mut failures = Vec::new();
    for (method, path, body, needed) in routes(call_id, question_id) {
        for w in &who {
            let token = match w {
                Who::Nobody => None,
                Who::As(role) => Some(app.token_for(*role)),
            };
            let (status, headers, _) = app
                .as_token(token)
                .request(method, &path, body.clone())
                .await;
            let to_login = headers
                .get("location")
                .is_some_and(|l| l.to_str().unwrap().starts_with("/login"));
            let api = path.starts_with("/api/");
            let ok = match (needed, w) {
                // An exchange's webhook is off until desk.toml switches it on: a clear 404.
                (None, _) if path.starts_with("/api/pbx/") => status == StatusCode::NOT_FOUND,
                // The language switch goes back to the page (here: none, the search).
                (None, _) if path.starts_with("/language") => status == StatusCode::SEE_OTHER,
                (None, _) => status.is_success(),
                (Some(_), Who::Nobody) if api => status == StatusCode::UNAUTHORIZED,
                (Some(_), Who::Nobody) => status == StatusCode::SEE_OTHER && to_login,
                (Some(role), Who::As(r)) if !r.allows(role) => status == StatusCode::FORBIDDEN,
                (Some(_), Who::As(_)) => {
                    !matches!(status, StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN)
                        && !to_login
                        && !status.is_server_error()
                }
            };
            if !ok {
                failures.push(format!("{method} {path} as {w:?}: {status}"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "unexpected answers:\n{}",
        failures.join("\n")
    );
}

#[tokio::test]
async fn the_issue_examples_hold() {
    let app = TestApp::new();
    let nobody = app.as_token(None);
    assert_eq!(
        nobody.call("GET", "/api/search?q=x", None).await.0,
        StatusCode::UNAUTHORIZED
    );
    let (status, headers, _) = nobody
        .send(Request::get("/").body(Body::empty()).unwrap())
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(headers["location"].to_str().unwrap().starts_with("/login"));
    assert_eq!(nobody.call("GET", "/healthz", None).await.0, StatusCode::OK);
    let operator = app.as_token(Some(app.token_for(Role::Operator)));
    assert_eq!(
        operator.call("GET", "/api/search?q=x", None).await.0,
        StatusCode::OK
    );
    assert_eq!(
        operator
            .call(
                "POST",
                "/api/calls",
                Some(json!({"phone": "+7 495 000-00-01"}))
            )
            .await
            .0,
        StatusCode::CREATED
    );
    assert_eq!(
        operator.call("GET", "/api/users", None).await.0,
        StatusCode::FORBIDDEN
    );
    let admin = app.as_token(Some(app.token_for(Role::Admin)));
    let (status, body) = admin.call("GET", "/api/users", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        !body.contains("argon2"),
        "no password hash leaves the server: {body}"
    );
}

#[tokio::test]
async fn unknown_or_revoked_tokens_are_refused() {
    let app = TestApp::new();
    let client = app.as_token(Some("cfq_not_a_token".into()));
    assert_eq!(
        client.call("GET", "/api/search?q=x", None).await.0,
        StatusCode::UNAUTHORIZED
    );
}

/// Logs in through the form; returns the status and the session cookie, if one was set.
async fn login(app: &TestApp, login: &str, password: &str) -> (StatusCode, Option<String>, String) {
    let body = format!(
        "login={login}&password={}",
        crate::harness::encode(password)
    );
    let request = Request::post("/login")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(body))
        .unwrap();
    let (status, headers, _) = app.send_raw(request).await;
    let cookie = headers
        .get("set-cookie")
        .map(|c| c.to_str().unwrap().to_string());
    let location = headers
        .get("location")
        .map(|l| l.to_str().unwrap().to_string())
        .unwrap_or_default();
    (status, cookie, location)
}

fn session_of(cookie: &str) -> String {
    cookie.split(';').next().unwrap().to_string()
}

async fn page_with_cookie(app: &TestApp, uri: &str, cookie: &str) -> (StatusCode, String) {
    let request = Request::get(uri)
        .header("cookie", cookie)
        .body(Body::empty())
        .unwrap();
    let (status, _, body) = app.send_raw(request).await;
    (status, body)
}

fn csrf_in(html: &str) -> String {
    let at = html
        .find(r#"name="csrf-token" content=""#)
        .expect("the page carries the anti-forgery token");
    let rest = &html[at + r#"name="csrf-token" content=""#.len()..];
    rest[..rest.find('"').unwrap()].to_string()
}

#[tokio::test]
async fn login_sets_a_safe_session_cookie_and_logout_ends_it() {
    let app = TestApp::new();
    app.account("anna", "anna-password-1", Role::Operator);
    let (status, _, _) = login(&app, "anna", "wrong-password").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, cookie, location) = login(&app, "anna", "anna-password-1").await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location, "/");
    let cookie = cookie.expect("a session cookie");
    for part in ["HttpOnly", "SameSite=Strict", "Max-Age=", "Path=/"] {
        assert!(cookie.contains(part), "{cookie} lacks {part}");
    }
    assert!(!cookie.contains("Secure"), "plain HTTP gets no Secure flag");
    let session = session_of(&cookie);
    let (status, html) = page_with_cookie(&app, "/", &session).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("anna"));
    let csrf = csrf_in(&html);
    let request = Request::post("/logout")
        .header("cookie", &session)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(format!("_csrf={csrf}")))
        .unwrap();
    assert_eq!(app.send_raw(request).await.0, StatusCode::SEE_OTHER);
    assert_eq!(
        page_with_cookie(&app, "/", &session).await.0,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn a_disabled_account_is_told_so_only_with_its_right_password() {
    let app = TestApp::new();
    app.account("anna", "anna-password-1", Role::Operator);
    callfaq::actions::accounts::set_disabled(
        &*app.app,
        &callfaq::actions::Actor::cli(),
        "anna",
        true,
    )
    .unwrap();
    // A wrong password says nothing of the account.
    let (status, cookie, _) = login(&app, "anna", "wrong-password").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(cookie.is_none());
    // The right one is refused, saying why, with no session.
    let (status, cookie, _) = login(&app, "anna", "anna-password-1").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(cookie.is_none());
    let request = Request::post("/login")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from("login=anna&password=anna-password-1"))
        .unwrap();
    let (_, _, body) = app.send_raw(request).await;
    assert!(body.contains("Эта учётная запись отключена"), "{body}");
    let request = Request::post("/login")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from("login=anna&password=wrong-password"))
        .unwrap();
    let (_, _, body) = app.send_raw(request).await;
    assert!(
        !body.contains("отключена") && body.contains("Неверный логин или пароль"),
        "{body}"
    );
}

#[tokio::test]
async fn a_browser_switches_its_pages_to_english_and_back_and_its_errors_follow() {
    let app = TestApp::new();
    app.account("anna", "anna-password-1", Role::Operator);
    let (_, cookie, _) = login(&app, "anna", "anna-password-1").await;
    let session = session_of(&cookie.unwrap());
    let (_, russian) = page_with_cookie(&app, "/calls", &session).await;
    assert!(russian.contains("lang=\"ru\"") && russian.contains(">English</a>"));
    // The switch sets a cookie for this browser and goes back to the page it was on.
    let switch = |to: &str, referer: &str| {
        Request::get(format!("/language?to={to}"))
            .header("host", "desk.example")
            .header("referer", referer)
            .header("cookie", &session)
            .body(Body::empty())
            .unwrap()
    };
    let (status, headers, _) = app
        .send_raw(switch("en", "http://desk.example/calls?date=2026-12-01"))
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(headers["location"], "/calls?date=2026-12-01");
    let set = headers["set-cookie"].to_str().unwrap();
    assert!(
        set.starts_with("callfaq_lang=en;") && set.contains("Path=/"),
        "{set}"
    );
    let both = format!("{session}; callfaq_lang=en");
    let (_, english) = page_with_cookie(&app, "/calls", &both).await;
    assert!(english.contains("lang=\"en\"") && english.contains(">Русский</a>"));
    // Days in English are written with the month's name, not in the Russian order.
    let (_, answer) = page_with_cookie(&app, "/answers/printer", &both).await;
    assert!(answer.contains(">20\u{a0}Nov\u{a0}2026</time>"), "{answer}");
    let (_, answer) = page_with_cookie(&app, "/answers/printer", &session).await;
    assert!(answer.contains(">20.11.2026</time>"), "{answer}");
    // An editor in English writes a new answer in the desk's language, which callers hear.
    app.account("elena", "elena-password-1", Role::Editor);
    let (_, cookie, _) = login(&app, "elena", "elena-password-1").await;
    let editor = format!("{}; callfaq_lang=en", session_of(&cookie.unwrap()));
    let (status, stub) = page_with_cookie(&app, "/new-answer", &editor).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        stub.contains("lang=\"en\"") && stub.contains("Скажите клиенту"),
        "{stub}"
    );
    // Refusals speak it too, pages and the API.
    let (status, page) = page_with_cookie(&app, "/calls/999999", &both).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(page.contains("lang=\"en\""), "{page}");
    let (_, api) = page_with_cookie(&app, "/api/search?q=x&limit=lots", &both).await;
    assert!(api.is_ascii(), "{api}");
    // Back from another site goes to the search, never away; an unknown language is refused.
    let (_, headers, _) = app
        .send_raw(switch("ru", "http://elsewhere.example/phish"))
        .await;
    assert_eq!(headers["location"], "/");
    assert!(headers["set-cookie"]
        .to_str()
        .unwrap()
        .starts_with("callfaq_lang=ru;"));
    // From a refused form's page (an address that takes POST alone), to the search, not to a
    // refusal; from an answer's page (a slug of segments), back to it.
    let (_, headers, _) = app
        .send_raw(switch(
            "en",
            "http://desk.example/admin/accounts/anna/profile",
        ))
        .await;
    assert_eq!(headers["location"], "/");
    let (_, headers, _) = app
        .send_raw(switch("en", "http://desk.example/answers/nested/delivery"))
        .await;
    assert_eq!(headers["location"], "/answers/nested/delivery");
    let (status, _, body) = app
        .send_raw(switch("de", "http://desk.example/calls"))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("«to»") || body.contains("to"), "{body}");
    // Without the cookie, the server's language.
    let (_, again) = page_with_cookie(&app, "/calls", &session).await;
    assert!(again.contains("lang=\"ru\""));
}

#[tokio::test]
async fn repeated_failed_logins_are_slowed_even_for_the_right_password() {
    let app = TestApp::new();
    app.account("boris", "boris-password-1", Role::Operator);
    for _ in 0..callfaq::accounts::throttle::FREE_FAILURES {
        assert_eq!(
            login(&app, "boris", "wrong").await.0,
            StatusCode::UNAUTHORIZED
        );
    }
    let (status, cookie, _) = login(&app, "boris", "boris-password-1").await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert!(cookie.is_none());
}

/// Behind an office NAT every desk shares one address: one person's failures must not lock out
/// the others.
#[tokio::test]
async fn failed_logins_on_one_account_leave_a_colleague_at_the_same_address_in() {
    let app = TestApp::new();
    app.account("boris", "boris-password-1", Role::Operator);
    app.account("vera", "vera-password-1", Role::Operator);
    for _ in 0..callfaq::accounts::throttle::FREE_FAILURES + 2 {
        let status = login(&app, "boris", "wrong").await.0;
        assert!(matches!(
            status,
            StatusCode::UNAUTHORIZED | StatusCode::TOO_MANY_REQUESTS
        ));
    }
    let (status, cookie, _) = login(&app, "vera", "vera-password-1").await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(cookie.is_some());
}

/// Logging into one's own account must not clear the slowing of guesses on another.
#[tokio::test]
async fn a_success_of_ones_own_does_not_reset_guessing_another_account() {
    let app = TestApp::new();
    app.account("mallory", "mallory-password-1", Role::Operator);
    app.account("boris", "boris-password-1", Role::Operator);
    let mut refused = 0;
    for _ in 0..3 {
        for _ in 0..callfaq::accounts::throttle::FREE_FAILURES {
            if login(&app, "boris", "guess").await.0 == StatusCode::TOO_MANY_REQUESTS {
                refused += 1;
            }
        }
        assert_eq!(
            login(&app, "mallory", "mallory-password-1").await.0,
            StatusCode::SEE_OTHER
        );
    }
    assert!(refused >= 5, "only {refused} of 15 guesses were slowed");
}

#[tokio::test]
async fn a_forged_cross_site_form_is_rejected_and_changes_nothing() {
    let app = TestApp::new();
    app.account("vera", "vera-password-1", Role::Operator);
    let (_, cookie, _) = login(&app, "vera", "vera-password-1").await;
    let session = session_of(&cookie.unwrap());
    let forged = |token: Option<&str>| {
        let mut body = "card=1&name=%D0%92%D0%B7%D0%BB%D0%BE%D0%BC".to_string();
        if let Some(t) = token {
            body.push_str(&format!("&_csrf={t}"));
        }
        Request::post("/calls")
            .header("cookie", &session)
            .header("origin", "https://evil.example")
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap()
    };
    assert_eq!(app.send_raw(forged(None)).await.0, StatusCode::FORBIDDEN);
    assert_eq!(
        app.send_raw(forged(Some("guessed"))).await.0,
        StatusCode::FORBIDDEN
    );
    let (_, list) = app.json("GET", "/api/calls", Value::Null).await;
    assert_eq!(list["calls"], json!([]), "the forged form created nothing");
    // The same form from our own page, with the session's token, goes through.
    let (_, html) = page_with_cookie(&app, "/calls/new", &session).await;
    let csrf = csrf_in(&html);
    assert!(
        html.contains(&format!(r#"name="_csrf" value="{csrf}""#)),
        "forms carry the token"
    );
    assert_eq!(
        app.send_raw(forged(Some(&csrf))).await.0,
        StatusCode::SEE_OTHER
    );
    // Scripts send it as a header.
    let request = Request::post("/api/calls")
        .header("cookie", &session)
        .header("x-csrf-token", &csrf)
        .header("content-type", "application/json")
        .body(Body::from("{}"))
        .unwrap();
    assert_eq!(app.send_raw(request).await.0, StatusCode::CREATED);
}

#[tokio::test]
async fn first_admin_must_set_a_new_password_first() {
    let app = TestApp::new();
    let hash = callfaq::accounts::hash_password("first-password-1").unwrap();
    app.app
        .store
        .create_account("root", &hash, Role::Admin, true)
        .unwrap();
    let (_, cookie, location) = login(&app, "root", "first-password-1").await;
    assert_eq!(location, "/account/password");
    let session = session_of(&cookie.unwrap());
    let (status, _) = page_with_cookie(&app, "/", &session).await;
    assert_eq!(
        status,
        StatusCode::SEE_OTHER,
        "everything else waits for the new password"
    );
    let (_, html) = page_with_cookie(&app, "/account/password", &session).await;
    let csrf = csrf_in(&html);
    // The password given by whoever set the account up is no new one.
    let same = format!(
        "_csrf={csrf}&current=first-password-1&new=first-password-1&repeat=first-password-1"
    );
    let request = Request::post("/account/password")
        .header("cookie", &session)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(same))
        .unwrap();
    let (status, _, page) = app.send_raw(request).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("новый пароль должен отличаться"), "{page}");
    assert_eq!(
        page_with_cookie(&app, "/", &session).await.0,
        StatusCode::SEE_OTHER,
        "still waiting for a new password"
    );
    // Two that differ and are too short besides: both said at once.
    let short = format!("_csrf={csrf}&current=first-password-1&new=short&repeat=shorter");
    let request = Request::post("/account/password")
        .header("cookie", &session)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(short))
        .unwrap();
    let (status, _, page) = app.send_raw(request).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("Новые пароли не совпадают.") && page.contains("короче"),
        "{page}"
    );
    let body = format!(
        "_csrf={csrf}&current=first-password-1&new=second-password-2&repeat=second-password-2"
    );
    let request = Request::post("/account/password")
        .header("cookie", &session)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(body))
        .unwrap();
    let (status, headers, _) = app.send_raw(request).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let new_session = session_of(headers["set-cookie"].to_str().unwrap());
    assert_eq!(
        page_with_cookie(&app, "/", &new_session).await.0,
        StatusCode::OK
    );
    assert_eq!(
        page_with_cookie(&app, "/", &session).await.0,
        StatusCode::SEE_OTHER,
        "the old session ended"
    );
}

#[tokio::test]
async fn script_payloads_in_a_logged_question_are_inert_on_every_page() {
    let app = TestApp::new();
    let payload = "<script>alert(1)</script><img src=x onerror=alert(1)> и принтер";
    let (_, call) = app
        .json(
            "POST",
            "/api/calls",
            json!({"name": payload, "notes": payload}),
        )
        .await;
    let id = call["id"].as_i64().unwrap();
    app.json(
        "POST",
        &format!("/api/calls/{id}/questions"),
        json!({"text": payload}),
    )
    .await;
    for uri in [
        format!("/calls/{id}"),
        "/calls".to_string(),
        "/?q=%D0%BF%D1%80%D0%B8%D0%BD%D1%82%D0%B5%D1%80".to_string(),
        "/admin".to_string(),
    ] {
        let (status, html) = app.get(&uri).await;
        assert_eq!(status, StatusCode::OK, "{uri}");
        assert!(!html.contains("<script>alert"), "{uri}");
        assert!(!html.contains("<img src=x"), "{uri}");
    }
}

#[tokio::test]
async fn bodies_fields_and_questions_are_limited() {
    let app = TestApp::new();
    let huge = json!({"notes": "x".repeat(200 * 1024)});
    assert_eq!(
        app.json("POST", "/api/calls", huge).await.0,
        StatusCode::PAYLOAD_TOO_LARGE
    );
    let long = json!({"notes": "x".repeat(callfaq::calls::MAX_FIELD_CHARS + 1)});
    assert_eq!(
        app.json("POST", "/api/calls", long).await.0,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let (_, call) = app.json("POST", "/api/calls", json!({})).await;
    let id = call["id"].as_i64().unwrap();
    let long_question = json!({"text": "я".repeat(callfaq::calls::MAX_QUESTION_CHARS + 1)});
    assert_eq!(
        app.json("POST", &format!("/api/calls/{id}/questions"), long_question)
            .await
            .0,
        StatusCode::UNPROCESSABLE_ENTITY
    );
}

#[tokio::test]
async fn purge_erases_the_callers_data_and_keeps_the_counts() {
    let app = TestApp::new();
    let (_, call) = app.json("POST", "/api/calls", json!({"name": "Михаил", "phone": "8 (495) 111-22-33", "company": "Ромашка", "notes": "личное"})).await;
    let id = call["id"].as_i64().unwrap();
    app.json(
        "POST",
        &format!("/api/calls/{id}/questions"),
        json!({"text": "сколько стоит принтер", "answer": "printer"}),
    )
    .await;
    let other = app
        .json(
            "POST",
            "/api/calls",
            json!({"name": "Ольга", "phone": "+7 495 999-88-77"}),
        )
        .await
        .1;
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_callfaq"))
        .args(["purge", "--phone", "+7 495 1112233", "--data"])
        .arg(&app.data)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (_, erased) = app
        .json("GET", &format!("/api/calls/{id}"), Value::Null)
        .await;
    for field in ["name", "phone", "company", "notes"] {
        assert_eq!(erased[field], Value::Null, "{field} stayed");
    }
    assert_eq!(erased["questions"][0]["text"], "сколько стоит принтер");
    assert_eq!(erased["questions"][0]["answer"], "printer");
    let top = app
        .app
        .store
        .frequent_answers(
            callfaq::calls::CallKind::Primary,
            chrono::Utc::now() - chrono::Duration::days(1),
            5,
        )
        .unwrap();
    assert_eq!(top, [("printer".to_string(), 1)]);
    let (_, kept) = app
        .json("GET", &format!("/api/calls/{}", other["id"]), Value::Null)
        .await;
    assert_eq!(kept["name"], "Ольга", "other callers are untouched");
    let (_, audit) = app.json("GET", "/api/audit", Value::Null).await;
    assert!(
        audit["entries"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["action"] == "erase"),
        "{audit}"
    );
}

#[tokio::test]
async fn the_audit_log_records_who_viewed_and_changed_a_call() {
    let app = TestApp::new();
    let operator = app.as_token(Some(app.token_for(Role::Operator)));
    let (_, body) = operator
        .call("POST", "/api/calls", Some(json!({"name": "Ирина"})))
        .await;
    let id = serde_json::from_str::<Value>(&body).unwrap()["id"]
        .as_i64()
        .unwrap();
    operator
        .call("GET", &format!("/api/calls/{id}"), None)
        .await;
    let (_, audit) = app.json("GET", "/api/audit", Value::Null).await;
    let lines: Vec<(String, String, String)> = audit["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["actor"].as_str().unwrap().into(),
                e["action"].as_str().unwrap().into(),
                e["subject"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert!(
        lines.iter().any(|(a, act, s)| a.starts_with("token:")
            && act == "view"
            && s == &format!("call {id}")),
        "{lines:?}"
    );
    assert!(
        lines
            .iter()
            .any(|(_, act, s)| act == "change" && s.starts_with(&format!("call {id}"))),
        "{lines:?}"
    );
}

#[tokio::test]
async fn a_login_posted_from_another_site_is_refused() {
    let app = TestApp::new();
    app.account("gleb", "gleb-password-1", Role::Operator);
    let request = Request::post("/login")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("host", "desk.local")
        .header("origin", "https://evil.example")
        .body(Body::from("login=gleb&password=gleb-password-1"))
        .unwrap();
    let (status, headers, _) = app.send_raw(request).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(headers.get("set-cookie").is_none());
}

#[tokio::test]
async fn a_route_registered_without_a_role_is_refused_to_all_but_admins() {
    use tower::ServiceExt;
    let app = TestApp::new();
    let state =
        callfaq::web::WebState::new(std::sync::Arc::clone(&app.app), callfaq::i18n::Lang::Ru);
    let undeclared =
        axum::Router::new().route("/undeclared", axum::routing::get(|| async { "secret" }));
    let router = callfaq::web::routes().into_router(state, undeclared);
    let ask = |token: Option<String>| {
        let router = router.clone();
        async move {
            let mut request = Request::get("/undeclared");
            if let Some(t) = token {
                request = request.header("authorization", format!("Bearer {t}"));
            }
            router
                .oneshot(request.body(Body::empty()).unwrap())
                .await
                .unwrap()
                .status()
        }
    };
    for role in [Role::Operator, Role::Editor, Role::Head] {
        assert_eq!(
            ask(Some(app.token_for(role))).await,
            StatusCode::FORBIDDEN,
            "{role:?}"
        );
    }
    assert_eq!(
        ask(None).await,
        StatusCode::SEE_OTHER,
        "strangers go to the login page"
    );
    assert_eq!(ask(Some(app.token_for(Role::Admin))).await, StatusCode::OK);
}
