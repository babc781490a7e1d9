//! The phone exchanges through the server: each adapter's fixtures (`tests/fixtures/pbx/`,
//! the requests as they arrive on the wire) replayed through the router, as the exchange would
//! send them: one call record per call of the exchange, one open callback of the caller's
//! manager for the missed call, nothing changed by a replay, a wrong signature refused `401`
//! and audited; whose client is calling; what an adapter that is off or has no secret says; and
//! bad input refused without a trace but the audit line.

use crate::harness::TestApp;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use callfaq::accounts::{Profile, Role};
use callfaq::actions::{accounts, Actor};
use callfaq::app::App;
use callfaq::pbx::settings::{Adapter, Secrets};
use chrono::{DateTime, Utc};
use serde_json::{json, Value};

/// The secrets the fixtures are signed with (see `tests/fixtures/pbx/README.md`).
pub fn test_secrets() -> Secrets {
    Secrets {
        zadarma: Some("callfaq-test-secret".into()),
        mango_key: Some("testkey0testkey0testkey0testkey0".into()),
        mango_salt: Some("testsalt0testsalt0testsalt0tests".into()),
        itoolabs_token: Some("callfaq-test-token".into()),
    }
}

/// Every adapter on, with the fixtures' secrets.
pub fn every_exchange(app: &mut App) {
    app.desk.settings.pbx.adapters = vec![
        Adapter::Generic,
        Adapter::Zadarma,
        Adapter::Mango,
        Adapter::Itoolabs,
    ];
    app.exchanges.secrets = test_secrets();
}

/// One request of a fixture, as the exchange sends it.
pub struct Wire {
    pub name: String,
    pub method: String,
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// The requests of `tests/fixtures/pbx/<file>`: blocks after `###` lines, each a request line,
/// headers, an empty line and the body; `#` lines before the request line are comments.
pub fn wire(file: &str) -> Vec<Wire> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/pbx")
        .join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    let mut requests = Vec::new();
    for block in text.split("\n###").skip(1) {
        let (name, rest) = block.split_once('\n').unwrap();
        let mut lines = rest
            .lines()
            .skip_while(|l| l.trim().is_empty() || l.starts_with('#'));
        let mut first = lines.next().unwrap().split_whitespace();
        let (method, target) = (first.next().unwrap(), first.next().unwrap());
        let mut headers = Vec::new();
        for line in lines.by_ref() {
            if line.trim().is_empty() {
                break;
            }
            let (k, v) = line.split_once(':').unwrap();
            headers.push((k.trim().to_string(), v.trim().to_string()));
        }
        let body: Vec<&str> = lines.collect();
        let body = body.join("\n").trim_end_matches('\n').to_string();
        requests.push(Wire {
            name: name.trim().to_string(),
            method: method.to_string(),
            target: target.to_string(),
            headers,
            body: body.into_bytes(),
        });
    }
    requests
}

/// Sends a fixture's request (with the app's token in place of the one it shows).
pub async fn send(app: &TestApp, w: &Wire) -> (StatusCode, String) {
    let mut request = Request::builder().method(w.method.as_str()).uri(&w.target);
    for (k, v) in &w.headers {
        if !["authorization", "host", "content-length"].contains(&k.to_lowercase().as_str()) {
            request = request.header(k.as_str(), v.as_str());
        }
    }
    let (status, _, body) = app
        .send(request.body(Body::from(w.body.clone())).unwrap())
        .await;
    (status, body)
}

async fn replay(app: &TestApp, file: &str) -> Vec<(String, StatusCode, String)> {
    let mut answers = Vec::new();
    for w in wire(file) {
        let (status, body) = send(app, &w).await;
        answers.push((w.name, status, body));
    }
    answers
}

/// A manager account with an extension.
pub fn manager(app: &App, login: &str, extension: &str) {
    let profile = Profile::new(Some(&format!("Менеджер {login}")), None, Some(extension)).unwrap();
    accounts::add_account(
        app,
        &Actor::cli(),
        login,
        Role::Manager,
        Some("manager-password-1"),
        &profile,
    )
    .unwrap();
}

/// An earlier call of `phone` that was put through to `manager`, with the caller's name.
pub async fn earlier_call(app: &TestApp, phone: &str, name: &str, manager: &str) {
    let (status, body) = app
        .json(
            "POST",
            "/api/calls",
            json!({"phone": phone, "name": name, "company": "Ромашка", "manager": manager, "outcome": "transferred"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
}

fn all_calls(app: &TestApp) -> usize {
    let from = DateTime::<Utc>::from_timestamp(0, 0).unwrap();
    let to = Utc::now() + chrono::Duration::days(3650);
    app.app.store.calls_between(from, to).unwrap().len()
}

/// What the exchange left in the store: call records, exchange calls, events taken, and the
/// missed caller's open callback (owner, missed calls).
fn traces(app: &TestApp) -> (usize, usize, usize, Option<(Option<String>, i64)>) {
    let callback = app
        .app
        .store
        .open_callback_of("79037654321")
        .unwrap()
        .map(|c| (c.owner, c.missed_calls));
    (
        all_calls(app),
        app.app.store.exchange_calls(100).unwrap().len(),
        app.app.store.exchange_events_taken().unwrap(),
        callback,
    )
}

fn refusals(app: &TestApp) -> usize {
    app.app
        .store
        .audit_log(1000, None)
        .unwrap()
        .iter()
        .filter(|e| e.action == "pbx" && e.subject.contains("refused"))
        .count()
}

#[tokio::test]
async fn each_exchanges_fixtures_replayed_make_one_call_per_call_and_one_callback_of_the_callers_manager(
) {
    let cases: &[(&str, &[&str], usize)] = &[
        ("generic", &["generic/events.http"], 3),
        (
            "zadarma",
            &["zadarma/answered.http", "zadarma/missed.http"],
            2,
        ),
        ("mango", &["mango/answered.http", "mango/missed.http"], 2),
        (
            "itoolabs",
            &["itoolabs/answered.http", "itoolabs/missed.http"],
            2,
        ),
    ];
    for (exchange, files, exchange_calls) in cases {
        let app = TestApp::with_setup(every_exchange);
        manager(&app.app, "mikhail", "105");
        earlier_call(&app, "+7 903 765-43-21", "Ирина", "mikhail").await;
        for file in *files {
            for (name, status, body) in replay(&app, file).await {
                assert_eq!(status, StatusCode::OK, "{exchange} {name}: {body}");
            }
        }
        // The earlier call, the answered call and the missed one; a call that ended in the
        // voice menu is no record.
        let once = traces(&app);
        assert_eq!(
            once.0, 3,
            "{exchange}: one call record per call of the exchange"
        );
        assert_eq!(once.1, *exchange_calls, "{exchange}");
        assert_eq!(
            once.3,
            Some((Some("mikhail".to_string()), 1)),
            "{exchange}: one open callback of the caller's manager"
        );
        let answered = app
            .app
            .store
            .exchange_calls(100)
            .unwrap()
            .into_iter()
            .find(|c| {
                let digits: String = c
                    .caller
                    .iter()
                    .flat_map(|n| n.chars())
                    .filter(char::is_ascii_digit)
                    .collect();
                digits.ends_with("9161234567")
            })
            .unwrap();
        let record = app.app.store.call(answered.call.unwrap()).unwrap().unwrap();
        // However the exchange wrote it, the record has it in the form a card's number is
        // typed in.
        assert_eq!(
            record.call.phone.as_deref(),
            Some("+7 916 123-45-67"),
            "{exchange} sent {:?}",
            answered.caller
        );
        assert!(
            !record.call.contact_confirmed,
            "{exchange}: a number known, not confirmed"
        );
        assert!(record.call.ended_at.is_some(), "{exchange}: the call ended");

        // Every request again: duplicates change nothing.
        for file in *files {
            for (name, status, body) in replay(&app, file).await {
                assert_eq!(status, StatusCode::OK, "{exchange} again {name}: {body}");
            }
        }
        assert_eq!(traces(&app), once, "{exchange}: a replay changes nothing");
        // The desk report counts the missed call once, called back, in its own section.
        let day = app
            .app
            .clock
            .local(app.app.store.exchange_calls(100).unwrap()[0].started_at)
            .date();
        let (status, report) = app
            .get_json(&format!("/api/reports/desk?from={day}&to={day}"))
            .await;
        assert_eq!(status, StatusCode::OK, "{report}");
        assert_eq!(report["total"]["missed_calls"], 1, "{exchange}: {report}");
        assert_eq!(report["total"]["missed_called_back"], 1, "{exchange}");
        let (_, page) = app.get(&format!("/reports/desk?from={day}&to={day}")).await;
        assert!(page.contains("Пропущенные звонки"), "{exchange}");
        // Its figures link to the calls they count: the missed one, with its callback.
        let list = format!("/calls?from={day}&to={day}&missed=callback");
        assert!(
            page.contains(&list.replace('&', "&amp;")),
            "{exchange}: {page}"
        );
        let (status, listed) = app.get(&list).await;
        assert_eq!(status, StatusCode::OK, "{exchange}");
        let callback = app.app.store.open_callback_of("79037654321").unwrap();
        let id = callback.expect("the missed call's callback").id;
        assert!(
            listed.contains(&format!("Перезвон № {id}")) && listed.contains("Перезвон назначен"),
            "{exchange}: {listed}"
        );
        // The number grouped as the banners show it, however the exchange wrote it.
        assert!(listed.contains("903 765-43-21"), "{exchange}: {listed}");
        let (_, none) = app
            .get(&format!("/calls?from={day}&to={day}&missed=no_number"))
            .await;
        assert!(none.contains("Здесь ничего нет."), "{exchange}");
        let (status, _) = app
            .get(&format!("/calls?from={day}&to={day}&missed=maybe"))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{exchange}");
        // In the operators' table the missed call has a row of its own, not «(не указан)»'s,
        // whose figure lists it.
        let operators = report["operators"].as_array().unwrap();
        let unanswered: Vec<&Value> = operators
            .iter()
            .filter(|o| o["unanswered"] == true)
            .collect();
        assert_eq!(unanswered.len(), 1, "{exchange}: {report}");
        assert_eq!(unanswered[0]["calls"], 1, "{exchange}: {report}");
        assert!(
            operators
                .iter()
                .all(|o| o["unanswered"] == true || o["operator"] != ""),
            "{exchange}: no other row of nobody's: {report}"
        );
        assert!(
            page.contains("(никто не ответил: пропущенные)"),
            "{exchange}"
        );
        let row = format!("/calls?from={day}&to={day}&counted=all&taken_by=&unanswered=1");
        assert!(
            page.contains(&row.replace('&', "&amp;")),
            "{exchange}: {page}"
        );
        let (status, listed) = app.get(&row).await;
        assert_eq!(status, StatusCode::OK, "{exchange}");
        assert!(
            listed.contains("оператор: (никто не ответил: пропущенные)")
                && listed.contains("765-43-21")
                && listed.matches("<tr class=").count() == 1,
            "{exchange}: {listed}"
        );
        let (_, others) = app
            .get(&format!(
                "/calls?from={day}&to={day}&counted=all&taken_by=&unanswered=0"
            ))
            .await;
        assert!(others.contains("Здесь ничего нет."), "{exchange}: {others}");
    }
}

#[tokio::test]
async fn a_wrong_signature_or_token_is_refused_401_audited_and_writes_nothing() {
    let app = TestApp::with_setup(every_exchange);
    let expected: &[(&str, &str, StatusCode)] = &[
        ("zadarma/refused.http", "address check", StatusCode::OK),
        (
            "zadarma/refused.http",
            "start signed with another secret",
            StatusCode::UNAUTHORIZED,
        ),
        (
            "zadarma/refused.http",
            "unknown event",
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "mango/refused.http",
            "signed with another salt",
            StatusCode::UNAUTHORIZED,
        ),
        (
            "mango/refused.http",
            "another account's key",
            StatusCode::UNAUTHORIZED,
        ),
        (
            "mango/refused.http",
            "unknown call state",
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "itoolabs/refused.http",
            "another token",
            StatusCode::UNAUTHORIZED,
        ),
        (
            "itoolabs/refused.http",
            "unknown type",
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    ];
    for (file, name, status) in expected {
        let w = wire(file).into_iter().find(|w| w.name == *name).unwrap();
        let before = refusals(&app);
        let (got, body) = send(&app, &w).await;
        assert_eq!(got, *status, "{file} {name}: {body}");
        if *status == StatusCode::OK {
            assert_eq!(body, "d41d8cd98f00b204", "the address check is echoed");
            continue;
        }
        let error: Value = serde_json::from_str(&body).unwrap();
        assert!(!error["error"].as_str().unwrap().is_empty(), "{body}");
        assert_eq!(refusals(&app), before + 1, "{file} {name} is audited");
    }
    let (status, body) = send(&app, &wire("zadarma/refused.http").remove(1)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(
        body.contains("АТС"),
        "said in the interface's language: {body}"
    );
    // A flood is refused every time but fills the audit log only so far.
    let bad = wire("zadarma/refused.http").remove(1);
    for _ in 0..60 {
        assert_eq!(send(&app, &bad).await.0, StatusCode::UNAUTHORIZED);
    }
    let zadarma_lines = app
        .app
        .store
        .audit_log(1000, None)
        .unwrap()
        .iter()
        .filter(|e| e.action == "pbx" && e.subject.starts_with("zadarma refused"))
        .count();
    assert_eq!(
        zadarma_lines,
        callfaq::pbx::refusals::WRITTEN_PER_WINDOW as usize
    );
    assert_eq!(traces(&app), (0, 0, 0, None), "nothing written");
    // The admin's page says why, in the interface's language.
    let (status, page) = app.get("/admin").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("отклонён: подпись или ключ АТС не совпадает")
            && !page.contains("signature does not match"),
        "{page}"
    );
}

#[tokio::test]
async fn the_lookup_returns_the_manager_of_the_callers_latest_call() {
    let app = TestApp::new();
    manager(&app.app, "mikhail", "105");
    manager(&app.app, "olga", "106");
    earlier_call(&app, "+7 495 123-45-67", "Ирина", "mikhail").await;
    earlier_call(&app, "8 (495) 123-45-67", "Ирина Сергеевна", "olga").await;
    let (status, body) = app.get_json("/api/pbx/lookup?phone=84951234567").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        body,
        json!({"name": "Ирина Сергеевна", "company": "Ромашка", "kind": "secondary",
               "manager": {"login": "olga", "extension": "106"}})
    );
    let (_, stranger) = app.get_json("/api/pbx/lookup?phone=%2B79990001122").await;
    assert_eq!(
        stranger,
        json!({"name": null, "company": null, "kind": "primary", "manager": null})
    );
    let (status, _) = app.get_json("/api/pbx/lookup").await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "the number is needed"
    );
    let nobody = app.as_token(None);
    let (status, _) = nobody
        .call("GET", "/api/pbx/lookup?phone=84951234567", None)
        .await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "a machine token or a session is needed"
    );
}

#[tokio::test]
async fn a_callback_handed_over_hands_its_client_over_too() {
    let app = TestApp::new();
    manager(&app.app, "mikhail", "105");
    manager(&app.app, "pavel", "107");
    let due = (Utc::now() + chrono::Duration::hours(2)).to_rfc3339();
    let (status, body) = app
        .json(
            "POST",
            "/api/calls",
            json!({"phone": "+7 916 555-44-33", "name": "Ирина", "outcome": "callback",
                   "manager": "mikhail", "callback_due": due, "contact_confirmed": true}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let manager_now = || async {
        let (_, found) = app.get_json("/api/pbx/lookup?phone=89165554433").await;
        found["manager"]["login"].clone()
    };
    assert_eq!(manager_now().await, "mikhail");
    // The head gives the callback to Pavel: the client's calls reach him from now on (the
    // call that promised it still names Mikhail).
    let id = app
        .app
        .store
        .open_callback_of("79165554433")
        .unwrap()
        .unwrap()
        .id;
    let (status, body) = app
        .json(
            "PATCH",
            &format!("/api/callbacks/{id}"),
            json!({"owner": "pavel"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(manager_now().await, "pavel");
}

#[tokio::test]
async fn itoolabs_asks_who_calls_and_is_told_the_name_and_the_responsible_manager() {
    let app = TestApp::with_setup(every_exchange);
    manager(&app.app, "mikhail", "105");
    earlier_call(&app, "+7 916 123-45-67", "Иван", "mikhail").await;
    let (status, body) = send(&app, &wire("itoolabs/contact.http")[0]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let reply: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        reply,
        json!({"contact_name": "Ромашка, Иван", "responsible": "105"})
    );
}

#[tokio::test]
async fn zadarma_rings_the_callers_manager_first_when_the_desk_routes() {
    let app = TestApp::with_setup(|app| {
        every_exchange(app);
        app.desk.settings.pbx.route_to_manager = true;
        app.desk.settings.pbx.ring_manager_seconds = 25;
    });
    manager(&app.app, "mikhail", "105");
    earlier_call(&app, "+7 916 123-45-67", "Иван", "mikhail").await;
    let start = wire("zadarma/answered.http").remove(0);
    assert_eq!(start.name, "start");
    let (status, body) = send(&app, &start).await;
    assert_eq!(status, StatusCode::OK);
    let reply: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(reply, json!({"redirect": "105", "return_timeout": 25}));
    // A stranger's call follows the exchange's own scenario: an empty answer.
    let (status, body) = send(&app, &wire("zadarma/missed.http").remove(0)).await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, ""));
}

#[tokio::test]
async fn an_adapter_that_is_off_or_has_no_secret_says_what_to_set() {
    let app = TestApp::new();
    let start = wire("zadarma/answered.http").remove(0);
    let (status, body) = send(&app, &start).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(
        body.contains("desk.toml") && body.contains("zadarma"),
        "{body}"
    );
    let app = TestApp::with_setup(|app| {
        app.desk.settings.pbx.adapters = vec![Adapter::Zadarma, Adapter::Mango];
    });
    let (status, body) = send(&app, &start).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(body.contains("CALLFAQ_ZADARMA_SECRET"), "{body}");
    let (status, body) = send(&app, &wire("mango/answered.http").remove(0)).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(body.contains("CALLFAQ_MANGO_KEY"), "{body}");
    let (status, _) = app
        .json(
            "POST",
            "/api/pbx/events",
            json!({"call_id": "1", "event": "ringing"}),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "the generic form is off too");
    assert_eq!(refusals(&app), 3);
}

#[tokio::test]
async fn bad_input_gets_a_clear_4xx_an_audit_line_and_writes_nothing() {
    let app = TestApp::with_setup(every_exchange);
    let before = refusals(&app);
    // A megabyte field: refused before any adapter reads it.
    let huge = json!({"call_id": "1", "event": "ringing", "caller": "7".repeat(1 << 20)});
    let (status, body) = app.json("POST", "/api/pbx/events", huge).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
    assert!(body["error"].as_str().unwrap().contains("65536"), "{body}");
    let signed_huge = format!(
        "event=NOTIFY_START&pbx_call_id=in_1&caller_id={}&called_did=7495&call_start=1",
        "7".repeat(1 << 20)
    );
    let request = Request::post("/api/pbx/zadarma")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("signature", "x")
        .body(Body::from(signed_huge))
        .unwrap();
    let (status, _, _) = app.send_raw(request).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    // Not JSON, an unknown event, an event for a call never told of.
    let request = Request::post("/api/pbx/events")
        .header("content-type", "application/json")
        .body(Body::from("call_id=1&event=ringing"))
        .unwrap();
    let (status, _, _) = app.send(request).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, body) = app
        .json(
            "POST",
            "/api/pbx/events",
            json!({"call_id": "1", "event": "transferred"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body["error"].as_str().unwrap().contains("transferred"),
        "{body}"
    );
    let (status, body) = app
        .json(
            "POST",
            "/api/pbx/events",
            json!({"call_id": "never", "event": "answered", "extension": "101"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body["error"].as_str().unwrap().starts_with("call_id: "),
        "{body}"
    );
    // A first ring that names the caller in a field of the sender's own (`from`) and not in
    // `caller`, nor says the number was withheld: refused, not taken as a withheld number
    // whose missed call would make no callback.
    let (status, body) = app
        .json(
            "POST",
            "/api/pbx/events",
            json!({"call_id": "f1", "event": "ringing", "from": "+7 916 555-44-33"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body["error"].as_str().unwrap().starts_with("caller: "),
        "{body}"
    );
    // The megabytes are refused at the door, never held (nor audited: they could be anyone's);
    // each refusal of what was read is audited.
    assert_eq!(refusals(&app), before + 4, "each refusal read is audited");
    assert_eq!(traces(&app), (0, 0, 0, None), "nothing half-written");
    // A token unknown or revoked, or none: an exchange set up so loses every call, so each
    // refusal is in the audit too.
    let ring = json!({"call_id": "t1", "event": "ringing", "caller": "+7 916 555-44-33"});
    for token in [Some("cfq_wrong_token".to_string()), None] {
        let (status, _) = app
            .as_token(token)
            .call("POST", "/api/pbx/events", Some(ring.clone()))
            .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(
        refusals(&app),
        before + 6,
        "the token's refusals are audited"
    );
    assert_eq!(traces(&app), (0, 0, 0, None), "nothing written");
}

#[tokio::test]
async fn every_event_taken_is_audited_and_the_answer_says_what_it_did() {
    let app = TestApp::with_setup(every_exchange);
    let ring = json!({"call_id": "a1", "event": "ringing", "caller": "+7 916 000-11-22"});
    let (status, first) = app.json("POST", "/api/pbx/events", ring.clone()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        first,
        json!({"duplicate": false, "state": "ringing", "call": null, "callback": null})
    );
    let (_, again) = app.json("POST", "/api/pbx/events", ring).await;
    assert_eq!(again["duplicate"], json!(true));
    let (_, answered) = app
        .json(
            "POST",
            "/api/pbx/events",
            json!({"call_id": "a1", "event": "answered"}),
        )
        .await;
    assert_eq!(answered["state"], json!("answered"));
    let call = answered["call"].as_i64().unwrap();
    let (_, record) = app.get_json(&format!("/api/calls/{call}")).await;
    assert_eq!(record["phone"], json!("+7 916 000-11-22"));
    // The new-call card opened from that call asks what the desk knows of the caller: the
    // call's own record, opened as it was answered, is no earlier call.
    let (_, known) = app
        .get_json("/api/caller?phone=%2B79160001122&company=&exchange=generic%3Aa1")
        .await;
    assert_eq!(known["returning"], json!(false), "{known}");
    assert_eq!(known["calls"], json!([]), "{known}");
    let (_, without) = app.get_json("/api/caller?phone=%2B79160001122").await;
    assert_eq!(without["calls"].as_array().unwrap().len(), 1, "{without}");
    let lines: Vec<String> = app
        .app
        .store
        .audit_log(100, None)
        .unwrap()
        .into_iter()
        .filter(|e| e.action == "pbx")
        .map(|e| e.subject)
        .collect();
    assert!(
        lines.iter().any(|s| s == "generic call a1 ringing"),
        "{lines:?}"
    );
    assert!(
        lines
            .iter()
            .any(|s| s == "generic call a1 ringing duplicate, ignored"),
        "{lines:?}"
    );
    assert!(
        lines
            .iter()
            .any(|s| s == "generic call a1 answered: call opened"),
        "{lines:?}"
    );
    // Answered on an extension no account has: the record names that phone, not the token.
    for event in ["ringing", "answered"] {
        let (status, body) = app
            .json(
                "POST",
                "/api/pbx/events",
                json!({"call_id": "a2", "event": event, "caller": "89160003344", "extension": "105"}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let (_, record) = app.get_json("/api/calls").await;
    let a2 = record["calls"]
        .as_array()
        .and_then(|calls| calls.iter().find(|c| c["phone"] == "+7 916 000-33-44"))
        .unwrap_or_else(|| panic!("the exchange's number in its international form: {record}"));
    assert_eq!(a2["operator"], json!("ext:105"), "{a2}");
    let (_, list) = app.get("/calls").await;
    assert!(list.contains("доб. 105"), "{list}");
    assert!(!list.contains("Пропущен: никто не ответил"), "{list}");
    // A missed call says so on the calls list and on its page, apart from a callback promised.
    for event in [
        json!({"call_id": "a3", "event": "ringing", "caller": "89160005566"}),
        json!({"call_id": "a3", "event": "ended", "ending": "missed"}),
    ] {
        let (status, body) = app.json("POST", "/api/pbx/events", event).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let (_, list) = app.get("/calls").await;
    assert_eq!(
        list.matches("Пропущен: никто не ответил").count(),
        1,
        "{list}"
    );
    let (_, calls) = app.get_json("/api/calls").await;
    let missed = calls["calls"]
        .as_array()
        .and_then(|calls| calls.iter().find(|c| c["phone"] == "+7 916 000-55-66"))
        .unwrap_or_else(|| panic!("{calls}"));
    let (_, page) = app.get(&format!("/calls/{}", missed["id"])).await;
    assert!(page.contains("Пропущен: никто не ответил"), "{page}");
}
