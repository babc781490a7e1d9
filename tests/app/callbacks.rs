//! Promised callbacks end to end through the API and the forms: one open callback per caller,
//! owned by a manager account, tried until done; who may change what; the call card's presets
//! and its refusal of a time gone by; the returning prospect; the desk figures of contacts and
//! callbacks; and notices that arrive once, by e-mail and webhook, across a restart.

use crate::harness::{desk_clock, encode, TestApp};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use callfaq::accounts::{Profile, Role};
use callfaq::actions::{accounts, callbacks, Actor};
use callfaq::app::App;
use callfaq::clock::Clock;
use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

/// Adds an account with a profile through the admin's own action.
fn add(app: &App, login: &str, role: Role, name: Option<&str>, email: Option<&str>) {
    let profile = Profile::new(name, email, None).unwrap();
    accounts::add_account(
        app,
        &Actor::cli(),
        login,
        role,
        Some(&format!("{login}-password-1")),
        &profile,
    )
    .unwrap();
}

/// A person signed in through the login form: their session cookie and anti-forgery token.
struct Person<'a> {
    app: &'a TestApp,
    cookie: String,
    csrf: String,
}

impl<'a> Person<'a> {
    async fn login(app: &'a TestApp, login: &str) -> Person<'a> {
        let body = format!(
            "login={login}&password={}",
            encode(&format!("{login}-password-1"))
        );
        let request = Request::post("/login")
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap();
        let (status, headers, _) = app.send_raw(request).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{login} signs in");
        let cookie = headers["set-cookie"]
            .to_str()
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_string();
        let mut person = Person {
            app,
            cookie,
            csrf: String::new(),
        };
        let (_, page) = person.get("/").await;
        let marker = r#"name="csrf-token" content=""#;
        let at = page.find(marker).expect("the anti-forgery token") + marker.len();
        person.csrf = page[at..at + page[at..].find('"').unwrap()].to_string();
        person
    }

    async fn get(&self, uri: &str) -> (StatusCode, String) {
        let request = Request::get(uri)
            .header("cookie", &self.cookie)
            .body(Body::empty())
            .unwrap();
        let (status, _, body) = self.app.send_raw(request).await;
        (status, body)
    }

    async fn json(&self, method: &str, uri: &str, body: Option<Value>) -> (StatusCode, Value) {
        let request = Request::builder()
            .method(method)
            .uri(uri)
            .header("cookie", &self.cookie)
            .header("x-csrf-token", &self.csrf)
            .header("content-type", "application/json")
            .body(body.map_or(Body::empty(), |b| Body::from(b.to_string())))
            .unwrap();
        let (status, _, text) = self.app.send_raw(request).await;
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    async fn form(&self, uri: &str, fields: &[(&str, &str)]) -> (StatusCode, String, String) {
        let mut body = format!("_csrf={}", encode(&self.csrf));
        for (k, v) in fields {
            body.push_str(&format!("&{}={}", encode(k), encode(v)));
        }
        let request = Request::post(uri)
            .header("cookie", &self.cookie)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap();
        let (status, headers, text) = self.app.send_raw(request).await;
        let location = headers
            .get("location")
            .map(|l| l.to_str().unwrap().to_string())
            .unwrap_or_default();
        (status, location, text)
    }
}

/// Mikhail Petrov, the manager most of these callbacks are promised to.
fn add_mikhail(app: &TestApp) {
    add(
        &app.app,
        "mikhail",
        Role::Manager,
        Some("Михаил Петров"),
        None,
    );
}

fn in_hours(hours: i64) -> String {
    (Utc::now() + Duration::hours(hours)).to_rfc3339()
}

/// What a callback's page gives to say: its section «Что сказать».
pub(crate) fn speech_section(page: &str) -> &str {
    page.split("Что сказать (из типовых ответов)")
        .nth(1)
        .and_then(|rest| rest.split("</section>").next())
        .unwrap_or_else(|| panic!("no speech section: {page}"))
}

/// Why the admin page refused a new account, as it says it above the form.
fn add_refusal(page: &str) -> &str {
    page.split("id=\"add-error\"")
        .nth(1)
        .and_then(|p| p.split("</div>").next())
        .unwrap_or_else(|| panic!("no refusal: {page}"))
}

/// The desk report's figures of today, as the head reads them over the API.
async fn todays_desk_report(app: &TestApp) -> Value {
    let today = desk_clock().today();
    app.get_json(&format!("/api/reports/desk?from={today}&to={today}"))
        .await
        .1
}

#[tokio::test]
async fn a_promised_callback_is_owned_tried_and_done_and_one_caller_has_one() {
    let app = TestApp::new();
    add_mikhail(&app);
    add(
        &app.app,
        "lena",
        Role::Manager,
        Some("Елена Смирнова"),
        None,
    );
    let operator = app.as_token(Some(app.token_for(Role::Operator)));
    let promise = |phone: &str, manager: &str| {
        json!({"phone": phone, "name": "Ольга", "potential_client": true, "outcome": "callback",
               "manager": manager, "callback_due": in_hours(2), "contact_confirmed": true})
    };
    // The same number in two formats, both «Перезвонить»: one open callback, called again.
    for phone in ["+7 495 123-45-67", "8 (495) 123 45 67"] {
        let (status, body) = operator
            .call("POST", "/api/calls", Some(promise(phone, "mikhail")))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    let (status, _) = operator
        .call(
            "POST",
            "/api/calls",
            Some(promise("+7 812 555-00-11", "lena")),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    // A manager no account has is refused, and nothing is written.
    let (status, body) = operator
        .call(
            "POST",
            "/api/calls",
            Some(promise("+7 812 555-00-12", "vasya")),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("manager"), "{body}");

    let mikhail = Person::login(&app, "mikhail").await;
    let (status, mine) = mikhail.json("GET", "/api/callbacks?owner=me", None).await;
    assert_eq!(status, StatusCode::OK, "{mine}");
    let mine = mine["callbacks"].as_array().unwrap().clone();
    assert_eq!(mine.len(), 1, "only his: {mine:?}");
    let cb = &mine[0];
    assert_eq!(cb["owner"], "mikhail");
    assert_eq!(cb["state"], "open");
    assert_eq!(cb["called_again"], 1);
    assert_eq!(cb["call_ids"].as_array().unwrap().len(), 2);
    assert_eq!(cb["caller"]["phone"], "+7 495 123-45-67");
    let id = cb["id"].as_i64().unwrap();

    let (_, all) = app.get_json("/api/callbacks?owner=all").await;
    assert_eq!(all["callbacks"].as_array().unwrap().len(), 2);
    // A login no account has and who holds nothing is a slip: refused, as a hand-over to it is.
    let (status, unknown) = app.get_json("/api/callbacks?owner=mihail").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{unknown}");
    assert!(
        unknown["error"].as_str().unwrap().contains("mihail"),
        "{unknown}"
    );
    let lenas = all["callbacks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["owner"] == "lena")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    // An operator's token may not hand over or list; a manager may not touch another's.
    let (status, _) = operator
        .call(
            "PATCH",
            &format!("/api/callbacks/{lenas}"),
            Some(json!({"owner": "mikhail"})),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = operator.call("GET", "/api/callbacks?owner=all", None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, refused) = mikhail
        .json(
            "POST",
            &format!("/api/callbacks/{lenas}/attempts"),
            Some(json!({"result": "reached"})),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // It says whose the callback is now (handed over while the page was open, say).
    assert!(
        refused["error"]
            .as_str()
            .unwrap()
            .starts_with("Этот перезвон теперь у менеджера Елена Смирнова."),
        "{refused}"
    );
    let (status, _) = mikhail.json("GET", "/api/callbacks?owner=lena", None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // Where a callback stands, as its open page asks: its manager by name, nothing of the
    // caller, not audited; another's says whose it is; an operator may not ask.
    let audited = app.app.store.audit_log(1000, None).unwrap().len();
    let (status, standing) = mikhail
        .json("GET", &format!("/api/callbacks/{id}/standing"), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{standing}");
    assert_eq!(
        (
            &standing["owner"],
            &standing["owner_name"],
            &standing["state"]
        ),
        (&json!("mikhail"), &json!("Михаил Петров"), &json!("open")),
        "{standing}"
    );
    assert_eq!(
        (&standing["attempts"], &standing["called_again"]),
        (&json!(0), &json!(1))
    );
    assert!(standing.get("caller").is_none() && !standing.to_string().contains("495"));
    assert_eq!(app.app.store.audit_log(1000, None).unwrap().len(), audited);
    let (status, refused) = mikhail
        .json("GET", &format!("/api/callbacks/{lenas}/standing"), None)
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(
        refused["error"]
            .as_str()
            .unwrap()
            .contains("Елена Смирнова"),
        "{refused}"
    );
    let (status, _) = operator
        .call("GET", &format!("/api/callbacks/{id}/standing"), None)
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // No answer, then a reason missing, then reached.
    let attempts = format!("/api/callbacks/{id}/attempts");
    let (status, tried) = mikhail
        .json(
            "POST",
            &attempts,
            Some(
                json!({"result": "no_answer", "note": "не берёт трубку", "next_due": in_hours(3)}),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{tried}");
    assert_eq!(tried["state"], "open");
    assert_eq!(tried["attempts"].as_array().unwrap().len(), 1);
    // The next try as a time a program reads (the reason says it as the desk shows it), the
    // same as the callback's new due time.
    let next = &tried["attempts"][0]["next_due"];
    assert!(next.is_string(), "{tried}");
    assert_eq!(
        DateTime::parse_from_rfc3339(next.as_str().unwrap()).unwrap(),
        DateTime::parse_from_rfc3339(tried["due"].as_str().unwrap()).unwrap(),
        "{tried}"
    );
    let (_, page) = mikhail.get(&format!("/callbacks/{id}")).await;
    assert!(page.contains("Следующая попытка: "), "{page}");
    let (status, refused) = mikhail
        .json("POST", &attempts, Some(json!({"result": "lost"})))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused["error"].as_str().unwrap().contains("reason"),
        "{refused}"
    );
    let (status, done) = mikhail
        .json(
            "POST",
            &attempts,
            Some(json!({"result": "reached", "note": "договорились о выезде"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{done}");
    assert_eq!(done["state"], "done");
    let (status, again) = mikhail
        .json("POST", &attempts, Some(json!({"result": "reached"})))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{again}");
    let (_, closed) = mikhail
        .json("GET", "/api/callbacks?owner=me&state=done", None)
        .await;
    assert_eq!(closed["callbacks"].as_array().unwrap().len(), 1);
    // A new card for the caller says the callback was made, not the time it was promised for.
    let (_, known) = app.get_json("/api/caller?phone=%2B74951234567").await;
    let promising = known["calls"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["outcome"] == "callback")
        .unwrap();
    assert_eq!(promising["called_back"], true, "{known}");

    // The head hands Lena's over; the new owner sees it.
    let (status, handed) = app
        .json(
            "PATCH",
            &format!("/api/callbacks/{lenas}"),
            json!({"owner": "mikhail"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{handed}");
    let hand_over = handed["attempts"].as_array().unwrap().last().unwrap();
    assert_eq!(hand_over["result"], "handed_over", "{handed}");
    assert_eq!(hand_over["from"], "lena", "{handed}");
    assert_eq!(hand_over["reason"], "mikhail", "{handed}");
    let (_, mine) = mikhail.json("GET", "/api/callbacks", None).await;
    assert_eq!(mine["callbacks"][0]["id"], lenas);
    // Its page says from whom to whom.
    let (_, page) = mikhail.get(&format!("/callbacks/{lenas}")).await;
    assert!(page.contains("Елена Смирнова → Михаил Петров"), "{page}");
    // A new card for the caller names whose it is now, and the call it was promised on says
    // to whom it went.
    let (_, known) = app.get_json("/api/caller?phone=%2B78125550011").await;
    assert_eq!(known["callback"]["owner_name"], "Михаил Петров", "{known}");
    assert_eq!(
        known["calls"][0]["manager_name"], "Елена Смирнова → Михаил Петров",
        "{known}"
    );
    // The caller calls again: the call's screen lists the earlier call so too.
    let (status, again) = operator
        .call(
            "POST",
            "/api/calls",
            Some(json!({"phone": "+7 812 555-00-11", "name": "Ольга"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{again}");
    let again: Value = serde_json::from_str(&again).unwrap();
    let (_, screen) = app.get(&format!("/calls/{}", again["id"])).await;
    assert!(
        screen.contains("Менеджер: Елена Смирнова → Михаил Петров"),
        "{screen}"
    );
    // The menu's count, and the page.
    let (_, count) = mikhail.json("GET", "/api/callbacks-count", None).await;
    assert_eq!(count, json!({"open": 1, "overdue": 0}));
    let (status, page) = mikhail.get("/callbacks").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("tel:+78125550011") && page.contains("Ольга"),
        "{page}"
    );

    // The desk figures count the week's callbacks: one done in time, one still open.
    let report = todays_desk_report(&app).await;
    let week = &report["weeks"][0];
    assert_eq!(week["callbacks_promised"], 2, "{report}");
    assert_eq!(week["callbacks_in_time"], 1);
    assert_eq!(week["callbacks_open"], 1);
    assert_eq!(week["callbacks_overdue"], 0, "not due yet");
    assert_eq!(week["contacts"], 3, "each confirmed number is a contact");
    let names: Vec<&str> = report["managers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["name"].as_str().unwrap_or(""))
        .collect();
    assert!(names.contains(&"Михаил Петров"), "{names:?}");

    // Mikhail hands it back from its page: his list says to whom it went.
    let (status, location, _) = mikhail
        .form(&format!("/callbacks/{lenas}"), &[("owner", "lena")])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location, format!("/callbacks?handed={lenas}&to=lena"));
    let (_, list) = mikhail.get(&location).await;
    assert!(
        list.contains(&format!("Перезвон № {lenas} передан: Елена Смирнова")),
        "{list}"
    );
}

#[tokio::test]
async fn callbacks_due_at_one_time_are_listed_the_longest_waiting_first() {
    let app = TestApp::new();
    add_mikhail(&app);
    let operator = app.as_token(Some(app.token_for(Role::Operator)));
    let due = in_hours(3);
    // The third call's card is typed last, but the caller rang first: they have waited longest.
    let rang = [in_hours(-1), in_hours(-1), in_hours(-2)];
    for (phone, at) in ["+7 495 111-00-01", "+7 495 111-00-02", "+7 495 111-00-03"]
        .into_iter()
        .zip(rang)
    {
        let promise = json!({"phone": phone, "outcome": "callback", "manager": "mikhail",
                             "callback_due": due, "contact_confirmed": true, "started_at": at});
        let (status, body) = operator.call("POST", "/api/calls", Some(promise)).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    let (_, listed) = app.get_json("/api/callbacks?owner=all").await;
    let phones: Vec<&str> = listed["callbacks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["caller"]["phone"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(
        phones,
        ["+7 495 111-00-03", "+7 495 111-00-01", "+7 495 111-00-02"],
        "{listed}"
    );
}

#[tokio::test]
async fn the_caller_id_alone_is_not_a_captured_contact() {
    let app = TestApp::new();
    let exchange = app.as_token(Some(app.token_for(Role::Operator)));
    // The exchange knows the number; nobody read it back.
    let (status, body) = exchange
        .call(
            "POST",
            "/api/calls",
            Some(json!({"phone": "+7 495 765-43-21", "potential_client": true})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    add(&app.app, "anna", Role::Operator, None, None);
    let anna = Person::login(&app, "anna").await;
    // The operator types a number and reads it back (the box is ticked by default)...
    let (status, _, _) = anna
        .form(
            "/calls",
            &[
                ("name", "Пётр"),
                ("phone", "8 916 000-11-22"),
                ("contact_confirmed", "on"),
                ("potential_client", "on"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    // ...and a number too short to call back is no contact, confirmed or not: a number known.
    anna.form(
        "/calls",
        &[
            ("phone", "123-45-67"),
            ("contact_confirmed", "on"),
            ("potential_client", "on"),
        ],
    )
    .await;
    // A call that ended «Не клиент» is no potential client, its box left ticked or not.
    let (status, _) = anna
        .json(
            "POST",
            "/api/calls",
            Some(
                json!({"name": "Продавец рекламы", "phone": "+7 916 555-44-33",
                        "potential_client": true, "outcome": "not_a_client"}),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let report = todays_desk_report(&app).await;
    let today = desk_clock().today();
    let week = &report["weeks"][0];
    assert_eq!(
        (
            &week["potential"],
            &week["contacts"],
            &week["numbers_known"]
        ),
        (&json!(3), &json!(1), &json!(2)),
        "{report}"
    );
    let (_, page) = app
        .get(&format!("/reports/desk?from={today}&to={today}"))
        .await;
    assert!(page.contains("Номер известен"), "{page}");
}

#[tokio::test]
async fn a_callback_promised_on_a_call_recorded_afterwards_counts_on_that_calls_day() {
    let app = TestApp::new();
    let started = Utc::now() - Duration::days(3);
    let (status, call) = app
        .json(
            "POST",
            "/api/calls",
            json!({"phone": "+7 495 100-20-30", "outcome": "callback",
                   "callback_due": in_hours(2), "started_at": started.to_rfc3339()}),
        )
        .await;
    assert_eq!(status, 201, "{call}");
    let promised = |report: &Value| -> i64 {
        report["weeks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| w["callbacks_promised"].as_i64().unwrap_or(0))
            .sum()
    };
    let clock = desk_clock();
    let (today, then) = (clock.today(), clock.local(started).date());
    let (_, report) = app
        .get_json(&format!("/api/reports/desk?from={today}&to={today}"))
        .await;
    assert_eq!(promised(&report), 0, "not today: {report}");
    let (_, report) = app
        .get_json(&format!("/api/reports/desk?from={then}&to={then}"))
        .await;
    assert_eq!(promised(&report), 1, "on the call's day: {report}");
}

#[tokio::test]
async fn disabling_a_manager_warns_that_their_open_callbacks_go_to_the_heads() {
    let app = TestApp::new();
    add_mikhail(&app);
    add(
        &app.app,
        "olga",
        Role::Manager,
        Some("Ольга Сидорова"),
        None,
    );
    let (status, call) = app
        .json(
            "POST",
            "/api/calls",
            json!({"phone": "+7 495 100-20-30", "outcome": "callback", "manager": "mikhail",
                   "callback_due": in_hours(2)}),
        )
        .await;
    assert_eq!(status, 201, "{call}");
    let (_, page) = app.get("/admin").await;
    let row = |login: &str| {
        let at = page.find(&format!("data-login=\"{login}\"")).unwrap();
        page[at..].split("</tr>").next().unwrap().to_string()
    };
    assert!(
        row("mikhail").contains("открытые перезвоны (1)"),
        "{}",
        row("mikhail")
    );
    assert!(!row("olga").contains("перезвоны"), "{}", row("olga"));
}

#[tokio::test]
async fn the_card_promises_with_a_preset_and_refuses_a_time_gone_by_keeping_what_was_typed() {
    let app = TestApp::new();
    add_mikhail(&app);
    add(&app.app, "anna", Role::Operator, Some("Анна Иванова"), None);
    let anna = Person::login(&app, "anna").await;
    let (status, location, _) = anna
        .form(
            "/calls",
            &[
                ("name", "Ольга"),
                ("phone", "+7 495 123-45-67"),
                ("contact_confirmed", "on"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let call = location.trim_start_matches("/calls/").to_string();
    let (_, page) = anna.get(&location).await;
    // The card offers the manager by name, the presets, and the read-back box ticked.
    assert!(
        page.contains(r#"<option value="mikhail">Михаил Петров</option>"#),
        "{page}"
    );
    assert!(
        page.contains(r#"value="hour" checked"#),
        "«через час» is the default"
    );
    assert!(
        page.contains(r#"id="contact-confirmed" type="checkbox" name="contact_confirmed" checked"#)
    );

    let card = |when: &'static str, due: &'static str| {
        vec![
            ("card", "1"),
            ("name", "Ольга Иванова"),
            ("phone", "+7 495 123-45-67"),
            ("contact_confirmed", "on"),
            ("outcome", "callback"),
            ("manager", "mikhail"),
            ("callback_when", when),
            ("callback_due", due),
            ("notes", "хочет коммерческое предложение"),
        ]
    };
    // A time gone by: refused in place, with everything typed kept; nothing saved.
    let (status, _, page) = anna
        .form(&location, &card("exact", "01.02.2020 10:00"))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains(r#"id="card-error""#), "{page}");
    for kept in [
        "Ольга Иванова",
        "01.02.2020 10:00",
        "хочет коммерческое предложение",
    ] {
        assert!(page.contains(kept), "{kept} kept");
    }
    let (status, _, page) = anna.form(&location, &card("exact", "на днях")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("на днях"));
    // «Точное время» chosen with no time, or a callback with nothing to call back on: refused,
    // never a time or a number nobody gave.
    let (status, _, page) = anna.form(&location, &card("exact", "  ")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("нужно время"), "{page}");
    let mut no_phone = card("hour", "");
    no_phone.retain(|(k, _)| *k != "phone");
    no_phone.push(("phone", " "));
    let (status, _, page) = anna.form(&location, &no_phone).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("нужен телефон или e-mail"), "{page}");
    assert!(page.contains("хочет коммерческое предложение"), "kept");
    // Both at once: the time unread and no phone are said together, not one per refusal.
    let mut both = card("exact", "когда-нибудь");
    both.retain(|(k, _)| *k != "phone");
    both.push(("phone", ""));
    let (status, _, page) = anna.form(&location, &both).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("нужно время"), "{page}");
    assert!(
        page.contains(r#"class="error card-error-also" role="alert" data-field="phone""#),
        "{page}"
    );
    // The first refusal names the other too: its own line may be out of the card's view.
    assert!(page.contains("Ещё исправьте: «Телефон"), "{page}");
    let (_, saved) = app.get_json(&format!("/api/calls/{call}")).await;
    assert_eq!(
        saved["name"], "Ольга",
        "nothing of the refused card was saved"
    );

    // «Через час»: due an hour of working time from now, owned by Mikhail.
    let before = Utc::now();
    let (status, saved_at, _) = anna.form(&location, &card("hour", "")).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(saved_at, format!("{location}?saved=1"));
    let (_, page) = anna.get(&saved_at).await;
    assert!(page.contains("Карточка звонка сохранена"), "{page}");
    let (_, saved) = app.get_json(&format!("/api/calls/{call}")).await;
    let due: DateTime<Utc> = saved["callback_due"].as_str().unwrap().parse().unwrap();
    assert!(due > before, "{due}");
    let (_, open) = app.get_json("/api/callbacks?owner=mikhail").await;
    assert_eq!(open["callbacks"].as_array().unwrap().len(), 1);
    let id = open["callbacks"][0]["id"].as_i64().unwrap();
    // Saved again as shown (to the minute), the time is kept: no reschedule, no new check.
    let shown = desk_clock().local(due).format("%d.%m.%Y %H:%M").to_string();
    let mut again = card("exact", "");
    again.retain(|(k, _)| *k != "callback_due");
    again.push(("callback_due", &shown));
    let (status, _, _) = anna.form(&location, &again).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, one) = app.get_json(&format!("/api/callbacks/{id}")).await;
    assert_eq!(one["attempts"], json!([]), "{one}");
    assert_eq!(one["due"], saved["callback_due"]);

    // She calls again: the new call's desk says what was promised, and the operator closes it.
    let (_, _, _) = anna.form("/calls", &[("phone", "8 (495) 123 45 67")]).await;
    let (_, list) = app.get_json("/api/calls").await;
    let second = list["calls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_i64().unwrap())
        .max()
        .unwrap();
    // A question logged from the search page goes on the call she is on by default: the
    // newest, not the one that promised the callback.
    let (_, search) = anna.get("/?q=%D0%B4%D1%80%D0%BE%D0%BD").await;
    let calls = &search[search.find(r#"select name="call""#).expect("the form")..];
    let first = calls.find("<option value=\"").unwrap() + "<option value=\"".len();
    assert_eq!(
        &calls[first..first + calls[first..].find('"').unwrap()],
        second.to_string(),
        "{calls}"
    );
    assert!(
        calls.contains(&format!(r#"<option value="{call}">"#)),
        "{calls}"
    );
    let (_, page) = anna.get(&format!("/calls/{second}")).await;
    assert!(page.contains("Обещали перезвонить"), "{page}");
    // «Перезвонить» again offers what was promised: its manager and its time.
    assert!(
        page.contains(r#"<option value="mikhail" selected>"#),
        "{page}"
    );
    assert!(page.contains(&format!(r#"value="{shown}""#)), "{page}");
    assert!(page.contains("ещё не просрочено"));
    assert!(page.contains("Поговорили сейчас"));
    let (_, second_call) = app.get_json(&format!("/api/calls/{second}")).await;
    assert_eq!(
        second_call["kind"], "primary",
        "a prospect still, not an existing client"
    );
    // The button sends the card: what the operator typed on it is saved, then the callback
    // is closed.
    assert!(
        page.contains(r#"form="card" name="action" value="talked""#),
        "{page}"
    );
    let talked = [
        ("card", "1"),
        ("name", "Светлана"),
        ("notes", "просит прислать КП на почту"),
        ("outcome", ""),
        ("action", "talked"),
    ];
    let (status, location, _) = anna.form(&format!("/calls/{second}"), &talked).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location, format!("/calls/{second}?saved=callback"));
    let (_, saved_card) = app.get_json(&format!("/api/calls/{second}")).await;
    assert_eq!(saved_card["name"], "Светлана");
    assert_eq!(saved_card["notes"], "просит прислать КП на почту");
    let (_, desk) = anna.get(&location).await;
    assert!(desk.contains("Перезвон закрыт"), "{desk}");
    // Its page says who closed it, by name, and on which call.
    let (_, page) = app.get(&format!("/callbacks/{id}")).await;
    assert!(
        page.contains(&format!(
            "Анна Иванова · <strong>клиент позвонил сам, поговорили</strong> — <a href=\"/calls/{second}\">на звонке № {second}</a>"
        )),
        "{page}"
    );
    let (_, one) = app.get_json(&format!("/api/callbacks/{id}")).await;
    assert_eq!(one["state"], "done");
    assert_eq!(one["called_again"], 1);
    // Nobody called back: it is done by the caller's own call, not by its manager in time.
    assert_eq!(one["caller_called_first"], true, "{one}");
    assert_eq!(one["attempts"][0]["result"], "talked_at_desk", "{one}");
    assert!(
        page.contains("клиент позвонил сам, до попытки перезвонить"),
        "{page}"
    );
    // The desk report counts it apart, for nobody's credit, and the figure lists it.
    let report = todays_desk_report(&app).await;
    let today = desk_clock().today();
    let week = &report["weeks"][0];
    assert_eq!(week["callbacks_promised"], 1, "{report}");
    assert_eq!(week["callbacks_in_time"], 0, "{report}");
    assert_eq!(week["callbacks_caller_called"], 1, "{report}");
    let (_, page) = app
        .get(&format!("/reports/desk?from={today}&to={today}"))
        .await;
    assert!(page.contains("Клиент позвонил сам"), "{page}");
    let (_, listed) = app
        .get(&format!("/callbacks?from={today}&counted=caller_called"))
        .await;
    assert!(listed.contains(&format!("/callbacks/{id}")), "{listed}");
    let (_, none) = app
        .get(&format!("/callbacks?from={today}&counted=in_time"))
        .await;
    assert!(!none.contains(&format!("/callbacks/{id}")), "{none}");
}

/// A minimal SMTP relay on loopback: it takes every message and keeps (recipients, text).
/// Mail a relay took: (recipients, text) of each message.
type Mailbox = Arc<Mutex<Vec<(Vec<String>, String)>>>;
/// Posts a receiver took: (signature, idempotency key, body) of each.
type Posts = Arc<Mutex<Vec<(String, String, String)>>>;

#[tokio::test]
async fn a_callback_agreed_for_a_saturday_is_kept_and_said_to_be_outside_the_desks_hours() {
    let app = TestApp::new();
    add_mikhail(&app);
    add(&app.app, "anna", Role::Operator, Some("Анна Иванова"), None);
    let anna = Person::login(&app, "anna").await;
    let (_, location, _) = anna
        .form(
            "/calls",
            &[("name", "Ольга"), ("phone", "+7 495 123-45-67")],
        )
        .await;
    use chrono::Datelike;
    // The next Saturday at 10:00 (the shipped desk works Monday to Friday).
    let today = desk_clock().today();
    let saturday = (1..=7)
        .map(|n| today + chrono::Duration::days(n))
        .find(|d| d.weekday() == chrono::Weekday::Sat)
        .unwrap();
    let typed = format!("{} 10:00", saturday.format("%d.%m.%Y"));
    let card = [
        ("card", "1"),
        ("name", "Ольга"),
        ("phone", "+7 495 123-45-67"),
        ("outcome", "callback"),
        ("manager", "mikhail"),
        ("callback_when", "exact"),
        ("callback_due", typed.as_str()),
    ];
    let (status, saved_at, _) = anna.form(&location, &card).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "kept, not refused");
    let (_, page) = anna.get(&saved_at).await;
    assert!(page.contains(&format!(r#"value="{typed}""#)), "{page}");
    assert!(page.contains("нерабочее время ресепшн"), "{page}");
    let (_, list) = app.get("/callbacks?owner=mikhail").await;
    assert!(list.contains("в нерабочее время"), "{list}");
    // A time within the desk's hours says nothing of the kind.
    let monday = saturday + chrono::Duration::days(2);
    let typed = format!("{} 10:00", monday.format("%d.%m.%Y"));
    let mut card = card.to_vec();
    card.retain(|(k, _)| *k != "callback_due");
    card.push(("callback_due", typed.as_str()));
    let (_, saved_at, _) = anna.form(&location, &card).await;
    let (_, page) = anna.get(&saved_at).await;
    assert!(page.contains(&format!(r#"value="{typed}""#)), "{page}");
    assert!(!page.contains("нерабочее время ресепшн"), "{page}");
    // The card reads a time as it is typed, before it is saved: the same warning, at once.
    assert!(page.contains(r#"data-due-read="/api/due""#), "{page}");
    let read = |text: &str| format!("/api/due?text={}", encode(text));
    let (status, saturday_read) = anna
        .json(
            "GET",
            &read(&format!("{} в 10", saturday.format("%d.%m"))),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{saturday_read}");
    assert_eq!(saturday_read["off_hours"], true, "{saturday_read}");
    let said = saturday_read["said"].as_str().unwrap();
    assert!(
        said.starts_with(&format!(
            "сб {}.{} 10:00",
            saturday.format("%d.%m"),
            saturday.year()
        )) && said.contains("нерабочее время ресепшн"),
        "{said}"
    );
    let (status, monday_read) = anna
        .json(
            "GET",
            &read(&format!("{} в 10", monday.format("%d.%m"))),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{monday_read}");
    assert_eq!(monday_read["off_hours"], false, "{monday_read}");
    assert_eq!(
        monday_read["said"],
        format!("пн {} 10:00", monday.format("%d.%m.%Y")),
        "{monday_read}"
    );
    // What saving would refuse is said as saving says it: a reading, not a refusal.
    let (status, gone) = anna.json("GET", &read("01.01.2020 10:00"), None).await;
    assert_eq!(status, StatusCode::OK, "{gone}");
    assert!(
        gone["problem"]
            .as_str()
            .unwrap()
            .starts_with("это время уже прошло"),
        "{gone}"
    );
    let (status, unread) = anna.json("GET", &read("когда-нибудь"), None).await;
    assert_eq!(status, StatusCode::OK, "{unread}");
    assert!(
        unread["problem"]
            .as_str()
            .unwrap()
            .starts_with("нужно время"),
        "{unread}"
    );
    assert!(unread.get("due").is_none(), "{unread}");
    // A day or an hour that cannot be is said so, not as no time at all.
    for (typed, said) in [
        ("31.02 в 10", "такой даты нет: 31.02"),
        ("завтра в 25:00", "такого времени нет: 25:00"),
    ] {
        let (status, impossible) = anna.json("GET", &read(typed), None).await;
        assert_eq!(status, StatusCode::OK, "{impossible}");
        assert!(
            impossible["problem"].as_str().unwrap().starts_with(said),
            "{typed}: {impossible}"
        );
    }
    let (status, _) = anna.json("GET", "/api/due", None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "no text to read");
}

#[tokio::test]
async fn the_call_a_manager_opens_on_reaching_the_caller_has_no_incoming_script() {
    let app = TestApp::new();
    add_mikhail(&app);
    let operator = app.as_token(Some(app.token_for(Role::Operator)));
    let (status, promised) = operator
        .call(
            "POST",
            "/api/calls",
            Some(
                json!({"phone": "+7 495 123-45-67", "name": "Ольга", "outcome": "callback",
                        "manager": "mikhail", "callback_due": in_hours(2),
                        "contact_confirmed": true, "potential_client": true}),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{promised}");
    let promised: Value = serde_json::from_str(&promised).unwrap();
    let promising = promised["id"].as_i64().unwrap();
    let mikhail = Person::login(&app, "mikhail").await;
    let (_, mine) = mikhail.json("GET", "/api/callbacks?owner=me", None).await;
    let id = mine["callbacks"][0]["id"].as_i64().unwrap();
    // The only manager: the hand-over says there is nobody to hand it to, not an empty list.
    let (_, page) = mikhail.get(&format!("/callbacks/{id}")).await;
    assert!(page.contains("Других менеджеров нет"), "{page}");
    assert!(!page.contains(r#"select name="owner""#), "{page}");
    let (status, done) = mikhail
        .json(
            "POST",
            &format!("/api/callbacks/{id}/attempts"),
            Some(json!({"result": "reached", "open_call": true})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{done}");
    let opened = done["opened_call"].as_i64().expect("a call opened");
    assert_eq!(done["follow_up_call_ids"], json!([opened]), "{done}");
    // The callback as the API gives it lists the call made apart from the one it was promised on.
    let (_, read) = mikhail
        .json("GET", &format!("/api/callbacks/{id}"), None)
        .await;
    assert_eq!(read["follow_up_call_ids"], json!([opened]), "{read}");
    assert_eq!(read["call_ids"], json!([promising]), "{read}");
    // The manager's own call: the caller's name, no greeting, a way back to the callback.
    let (status, page) = mikhail.get(&format!("/calls/{opened}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Ольга"), "{page}");
    assert!(
        page.contains("стандарт входящего звонка не нужны"),
        "{page}"
    );
    assert!(
        page.contains(&format!(r#"href="/callbacks/{id}""#)),
        "{page}"
    );
    assert!(!page.contains("добрый день"), "{page}");
    assert!(!page.contains(r#"class="script""#), "{page}");
    assert!(page.contains("Менеджер: Михаил Петров"), "{page}");
    // Marked as the callback it is, not as a caller who «called before» (the call that
    // promised it is the one before).
    assert!(
        page.contains(r#"class="badge follow-up">Обратный звонок"#),
        "{page}"
    );
    assert!(!page.contains("Звонил(а) раньше"), "{page}");
    // A first-time caller, a potential client, stays one on the manager's call.
    let (_, made) = app.get_json(&format!("/api/calls/{opened}")).await;
    assert_eq!(made["kind"], promised["kind"], "{made}");
    assert_eq!(made["potential_client"], true, "{made}");
    assert_eq!(made["contact_confirmed"], true, "{made}");
    // The callback lists the call made, and the day's list says which callback it made.
    let (_, callback) = mikhail.get(&format!("/callbacks/{id}")).await;
    assert!(
        callback.contains(&format!(r#"href="/calls/{opened}""#))
            && callback.contains("звонок клиенту после дозвона"),
        "{callback}"
    );
    let (_, list) = app.get("/calls").await;
    assert!(
        list.contains(&format!(
            "Перезвон № {id}</a> · звонок клиенту после дозвона"
        )),
        "{list}"
    );
    // Its row names its manager (the call names none: its manager made it), and says it is not
    // finished yet.
    let row = list
        .split("<tr")
        .find(|r| r.contains(&format!(r#"href="/calls/{opened}""#)))
        .expect("the follow-up call listed");
    assert!(
        row.contains(
            "<td><span class=\"muted\">не завершён</span></td><td>Михаил Петров</td><td><a href=\"/callbacks/"
        ),
        "{row}"
    );
    // Its manager has the link on the day's list too.
    let (_, theirs) = mikhail.get("/calls").await;
    assert!(
        theirs.contains(&format!(r#"href="/callbacks/{id}""#)),
        "{theirs}"
    );
    // An operator, who may not open a callback, reads its number without a link to a refusal.
    add(&app.app, "anna", Role::Operator, Some("Анна"), None);
    let anna = Person::login(&app, "anna").await;
    for page in ["/calls".to_string(), format!("/calls/{opened}")] {
        let (status, body) = anna.get(&page).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        assert!(body.contains(&format!("Перезвон № {id}")), "{page}: {body}");
        assert!(
            !body.contains(&format!(r#"href="/callbacks/{id}""#)),
            "{page}: {body}"
        );
    }
    // The desk's figures count the call the desk took, not the one the manager made.
    let report = todays_desk_report(&app).await;
    let today = desk_clock().today();
    assert_eq!(report["weeks"][0]["calls"], 1, "{report}");
    let (_, listed) = app
        .get(&format!("/calls?from={today}&to={today}&counted=all"))
        .await;
    assert!(
        listed.contains(&format!(r#"href="/calls/{promising}""#)),
        "{listed}"
    );
    assert!(
        !listed.contains(&format!(r#"href="/calls/{opened}""#)),
        "{listed}"
    );
    // The call that promised it keeps its script.
    let (_, page) = mikhail.get(&format!("/calls/{promising}")).await;
    assert!(page.contains("добрый день"), "{page}");
    assert!(
        !page.contains("стандарт входящего звонка не нужны"),
        "{page}"
    );
}

fn smtp_relay() -> (u16, Mailbox) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let mail = Arc::new(Mutex::new(Vec::new()));
    let kept = Arc::clone(&mail);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { return };
            let kept = Arc::clone(&kept);
            std::thread::spawn(move || {
                let mut out = stream.try_clone().unwrap();
                let mut input = BufReader::new(stream);
                let _ = out.write_all(b"220 relay.test ESMTP\r\n");
                let mut rcpt = Vec::new();
                let mut line = String::new();
                loop {
                    line.clear();
                    if input.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let command = line.trim_end().to_ascii_uppercase();
                    let reply: &[u8] = if command.starts_with("EHLO") || command.starts_with("HELO")
                    {
                        b"250 relay.test\r\n"
                    } else if command.starts_with("RCPT TO:") {
                        rcpt.push(
                            line.trim_end()[8..]
                                .trim_matches(['<', '>', ' '])
                                .to_string(),
                        );
                        b"250 ok\r\n"
                    } else if command == "DATA" {
                        let _ = out.write_all(b"354 go on\r\n");
                        let mut text = String::new();
                        loop {
                            line.clear();
                            if input.read_line(&mut line).unwrap_or(0) == 0 || line == ".\r\n" {
                                break;
                            }
                            text.push_str(&line);
                        }
                        kept.lock().unwrap().push((std::mem::take(&mut rcpt), text));
                        b"250 queued\r\n"
                    } else if command == "QUIT" {
                        let _ = out.write_all(b"221 bye\r\n");
                        return;
                    } else {
                        b"250 ok\r\n"
                    };
                    let _ = out.write_all(reply);
                }
            });
        }
    });
    (port, mail)
}

/// A webhook receiver on loopback: keeps (signature, idempotency key, body) of every POST and
/// answers 500 to the first `failures` of them.
fn webhook_receiver(failures: usize) -> (u16, Posts) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let got = Arc::new(Mutex::new(Vec::new()));
    let kept = Arc::clone(&got);
    std::thread::spawn(move || {
        let mut seen = 0;
        for stream in listener.incoming() {
            let Ok(stream) = stream else { return };
            let mut out = stream.try_clone().unwrap();
            let mut input = BufReader::new(stream);
            let (mut length, mut signature, mut key) = (0, String::new(), String::new());
            let mut line = String::new();
            loop {
                line.clear();
                if input.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                let lower = line.to_ascii_lowercase();
                let value = line.split_once(':').map(|(_, v)| v.trim().to_string());
                if lower.starts_with("content-length:") {
                    length = value.unwrap().parse().unwrap();
                } else if lower.starts_with("x-callfaq-signature:") {
                    signature = value.unwrap();
                } else if lower.starts_with("idempotency-key:") {
                    key = value.unwrap();
                }
            }
            let mut body = vec![0; length];
            input.read_exact(&mut body).unwrap();
            seen += 1;
            let status = if seen <= failures {
                "500 Internal Server Error"
            } else {
                kept.lock()
                    .unwrap()
                    .push((signature, key, String::from_utf8(body).unwrap()));
                "200 OK"
            };
            let _ = out.write_all(
                format!("HTTP/1.1 {status}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
                    .as_bytes(),
            );
        }
    });
    (port, got)
}

/// The text of a mail as the relay got it: the body after the headers, base64 decoded.
fn decoded(mail: &str) -> String {
    use base64::Engine;
    let body: String = mail
        .split_once("\r\n\r\n")
        .map_or("", |(_, b)| b)
        .split_whitespace()
        .collect();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(body)
        .unwrap_or_default();
    String::from_utf8_lossy(&bytes).into_owned()
}

#[tokio::test]
async fn an_overdue_callback_reaches_its_owner_then_the_head_once_across_a_restart() {
    let (smtp, mail) = smtp_relay();
    let (hook, posts) = webhook_receiver(1);
    std::env::set_var(
        callfaq::notices::WEBHOOK_SECRET_VAR,
        "hook-secret-for-tests",
    );
    let root = tempfile::tempdir().unwrap();
    let knowledge = root.path().join("knowledge");
    crate::harness::copy_tree(&crate::harness::fixtures(), &knowledge);
    let data = root.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::write(
        data.join("desk.toml"),
        format!(
            "topics = [\"Принтеры\"]\n[hours]\nstart = \"09:00\"\nend = \"18:00\"\ndays = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\"]\n\
             [callbacks]\nescalate_after_hours = 2\n\
             [notices.email]\nhost = \"127.0.0.1\"\nport = {smtp}\nsecurity = \"none\"\nfrom = \"callfaq@office.test\"\n\
             [notices.webhook]\nurl = \"http://127.0.0.1:{hook}/callfaq\"\n"
        ),
    )
    .unwrap();
    let zone = callfaq::clock::parse_zone("Europe/Moscow").unwrap();
    // Wednesday 2 December 2026, 10:00 at the desk.
    let at = |hh: u32, mm: u32| {
        let t: DateTime<Utc> = format!("2026-12-02T{:02}:{mm:02}:00Z", hh - 3)
            .parse()
            .unwrap();
        Clock::fixed(zone, t)
    };
    let open = |clock: Clock| App::open(&knowledge, &data, clock).unwrap();
    let run = |app: &App| {
        callfaq::jobs::notices::chase(app).unwrap();
        callfaq::jobs::notices::send(app).unwrap();
    };

    let app = open(at(10, 0));
    add(
        &app,
        "mikhail",
        Role::Manager,
        Some("Михаил Петров"),
        Some("mikhail@office.test"),
    );
    add(&app, "boss", Role::Head, None, Some("boss@office.test"));
    let operator = Actor::person("anna", Role::Operator);
    let changes = callfaq::calls::CallChanges {
        phone: Some(Some("+7 495 123-45-67".into())),
        name: Some(Some("Ольга".into())),
        outcome: Some(Some(callfaq::calls::Outcome::Callback)),
        manager: Some(Some("mikhail".into())),
        callback_due: Some(Some(at(10, 30).now())),
        ..Default::default()
    };
    callfaq::actions::calls::open(&app, &operator, changes).unwrap();
    // Assigned: to Mikhail by mail; the webhook's relay fails once and is tried again later.
    run(&app);
    assert_eq!(mail.lock().unwrap().len(), 1);
    assert_eq!(mail.lock().unwrap()[0].0, ["mikhail@office.test"]);
    // Its Message-ID is the notice's, the same on every try.
    let first = mail.lock().unwrap()[0].1.clone();
    assert!(
        first.contains("Message-ID: <callback.") && first.contains(".callfaq@office.test>"),
        "{first}"
    );
    assert!(posts.lock().unwrap().is_empty());
    let failing = app.store.notices_due(at(12, 0).now(), 10).unwrap();
    assert_eq!(failing.len(), 1, "the webhook waits for its retry");
    drop(app);

    // 11:00, half an hour late: Mikhail is told; the webhook's retry goes through.
    let app = open(at(11, 0));
    run(&app);
    {
        let mail = mail.lock().unwrap();
        assert_eq!(mail.len(), 2);
        assert_eq!(mail[1].0, ["mikhail@office.test"]);
    }
    assert_eq!(
        posts.lock().unwrap().len(),
        2,
        "assigned (retried) and overdue"
    );
    // The desk report counts it among the open ones and, of those, the overdue; its figure
    // opens it.
    let boss = Actor::person("boss", Role::Head);
    let report = callfaq::report::desk_report(
        &app.store,
        &app.clock,
        &app.desk.settings.hours,
        callfaq::report::Period {
            from: "2026-12-02".parse().unwrap(),
            to: "2026-12-02".parse().unwrap(),
        },
    )
    .unwrap();
    let figures = report.total.callbacks.unwrap();
    assert_eq!((figures.callbacks_open, figures.callbacks_overdue), (1, 1));
    let behind = |counted| {
        callbacks::counted(&app, &boss, "2026-12-02", None, Some("all"), Some(counted))
            .unwrap()
            .len()
    };
    assert_eq!((behind("open"), behind("overdue")), (1, 1));
    drop(app);

    // 12:45, 2 h 15 min of working time late: the head is told. The notices are written, and
    // the server stops before sending them.
    let app = open(at(12, 45));
    callfaq::jobs::notices::chase(&app).unwrap();
    drop(app);
    // Restarted at 12:50: nothing is enqueued twice, nothing is lost, and each goes once.
    let app = open(at(12, 50));
    run(&app);
    run(&app);
    drop(app);
    let app = open(at(13, 30));
    run(&app);
    let mail = mail.lock().unwrap();
    let to_boss: Vec<_> = mail
        .iter()
        .filter(|(to, _)| to == &["boss@office.test"])
        .collect();
    assert_eq!(to_boss.len(), 1, "one escalation e-mail");
    assert!(decoded(&to_boss[0].1).contains("Ольга"), "{}", to_boss[0].1);
    assert_eq!(mail.len(), 3);
    let posts = posts.lock().unwrap();
    assert_eq!(posts.len(), 3, "{posts:?}");
    let escalated: Vec<_> = posts
        .iter()
        .filter(|(_, _, b)| b.contains("\"escalated\""))
        .collect();
    assert_eq!(escalated.len(), 1);
    let (signature, key, body) = escalated[0];
    assert_eq!(
        signature,
        &callfaq::notices::signature("hook-secret-for-tests", body.as_bytes())
    );
    assert!(key.contains(":escalated:"), "{key}");
    let sent: Value = serde_json::from_str(body).unwrap();
    assert_eq!(sent["callback"]["owner"], "mikhail");
    // The callback in the shape the API gives it: the caller's details in `caller`, the time
    // promised, whether it is overdue.
    assert!(sent["callback"]["caller"].is_object(), "{sent}");
    assert!(sent["callback"]["promised_due"].is_string(), "{sent}");
    assert_eq!(sent["callback"]["overdue"], true, "{sent}");
    assert!(sent["callback"].get("name").is_none(), "{sent}");
}

#[test]
fn an_operator_promises_a_callback_that_its_manager_sees_tries_and_makes_in_time() {
    use crate::browser::{Browser, ENTER};
    let Some(browser) = Browser::start() else {
        return;
    };
    let app = TestApp::new();
    app.account("anna", "anna-password-1", Role::Operator);
    app.account("boss", "boss-password-1", Role::Head);
    add_mikhail(&app);
    let base = app.serve();

    // The operator: a new caller, whose question the desk cannot settle now.
    browser.login(&base, "anna", "anna-password-1");
    browser.goto(&format!("{base}/calls/new"));
    assert_eq!(
        browser.script("return document.getElementById('contact-confirmed').checked"),
        json!(false),
        "no number, nothing read back"
    );
    let name = browser.find("#name");
    browser.type_slowly(&name, "Ольга");
    let phone = browser.find("#phone");
    browser.type_slowly(&phone, "+7 495 123-45-67");
    assert_eq!(
        browser.script("return document.getElementById('contact-confirmed').checked"),
        json!(true),
        "a number the operator typed is read back by default"
    );
    browser.type_into(&phone, ENTER);
    browser.wait_until(
        "the desk screen",
        "return /^\\/calls\\/\\d+$/.test(location.pathname)",
    );
    // «Перезвонить», Михаил, «через час» (the preset chosen by default), saved with Enter.
    let outcome = browser.find("select#outcome");
    browser.type_into(&outcome, "Перез");
    browser.wait_until(
        "the callback's fields",
        "return !document.querySelector('fieldset.due-choice').hidden",
    );
    // No manager yet: the card says who will see such a callback.
    assert_eq!(
        browser.script("return document.getElementById('no-manager').hidden"),
        json!(false)
    );
    let manager = browser.find("select#manager");
    browser.type_into(&manager, "Миха");
    browser.wait_until(
        "the hint gone",
        "return document.getElementById('no-manager').hidden",
    );
    assert_eq!(
        browser.script("return document.querySelector('input[name=callback_when]:checked').value"),
        json!("hour")
    );
    // A time that is no date is refused: the cursor is on it and the reason right under it, in
    // view, with what was chosen kept.
    // Typed straight into «Точное время», its choice unticked: the typed time is the one meant.
    let exact = browser.find("#callback-due");
    browser.type_slowly(&exact, "31.02 10:00");
    // Read as it is typed, before it is sent: the line under it says why it cannot be saved.
    browser.wait_until(
        "the time read as typed",
        "const r = document.getElementById('callback-due-read'); return !!r && r.classList.contains('wrong') && r.textContent.startsWith('такой даты нет: 31.02')",
    );
    browser.type_into(&exact, ENTER);
    browser.wait_until(
        "the card refused",
        "return document.readyState === 'complete' && !!document.getElementById('card-error')",
    );
    let shown = browser.script(
        "const e = document.getElementById('card-error'); const r = e.getBoundingClientRect();          return [document.activeElement.id, r.top >= 0 && r.bottom <= innerHeight,                  !!e.previousElementSibling.querySelector('#callback-due'),                  document.querySelector('select#manager').value]",
    );
    assert_eq!(shown, json!(["callback-due", true, true, "mikhail"]));
    browser.script("document.querySelector('input[name=callback_when][value=hour]').click()");
    // Passing through the box with Tab, its refused time still in it, keeps the preset chosen.
    browser.script("document.getElementById('callback-due').focus()");
    assert_eq!(
        browser.script("return document.querySelector('input[name=callback_when]:checked').value"),
        json!("hour")
    );
    // «Точное время» reached with the arrow keys: the time typed there goes into its field.
    browser.script(
        "document.getElementById('callback-due').value = ''; \
         const x = document.querySelector('input[name=callback_when][value=exact]'); x.checked = true; x.focus();",
    );
    let exact_choice = browser.find("input[name=callback_when][value=exact]");
    browser.type_into(&exact_choice, "15:30");
    assert_eq!(
        browser.script(
            "return [document.activeElement.id, document.getElementById('callback-due').value, \
             document.getElementById('card-error').hidden]"
        ),
        json!(["callback-due", "15:30", true]),
        "the refusal no longer said once the time is typed again"
    );
    // A day and a part of it, in words: the line says the day and time it is read as.
    let exact = browser.find("#callback-due");
    browser.script("document.getElementById('callback-due').value = ''");
    browser.type_slowly(&exact, "послезавтра утром");
    let after_tomorrow = desk_clock().today() + Duration::days(2);
    let expected = format!("{} 10:00", after_tomorrow.format("%d.%m.%Y"));
    browser.wait_until(
        "«послезавтра утром» read",
        &format!(
            "const r = document.getElementById('callback-due-read'); return !!r && r.textContent.startsWith('→ ') && r.textContent.includes('{expected}')"
        ),
    );
    // A letter more and it no longer reads: the reading of before goes as soon as that is known,
    // not after the pause that says why.
    browser.type_slowly(&exact, "ц");
    browser.wait_until(
        "the line answering for the new text",
        "const r = document.getElementById('callback-due-read'); return r.dataset.for === document.getElementById('callback-due').value.trim()",
    );
    assert_eq!(
        browser.script(
            "return document.getElementById('callback-due-read').textContent.includes('→')"
        ),
        json!(false)
    );
    browser.script(
        "document.getElementById('callback-due').value = ''; \
         document.querySelector('input[name=callback_when][value=hour]').click()",
    );
    let card_name = browser.find("#card input[name=name]");
    browser.type_into(&card_name, ENTER);
    browser.wait_until(
        "the card saved",
        "return document.readyState === 'complete' && !!document.getElementById('promised')",
    );
    browser.script("document.querySelector('form.whoami button').click()");
    browser.wait_until("logged out", "return location.pathname === '/login'");

    // The manager sees «1» in the menu without looking for it.
    browser.login(&base, "mikhail", "mikhail-password-1");
    browser.wait_until(
        "the menu's count",
        "const c = document.querySelector('#callbacks-link .count'); return c && !c.hidden && c.textContent === '1'",
    );
    browser.script("document.getElementById('callbacks-link').click()");
    browser.wait_until(
        "the list",
        "return location.pathname === '/callbacks' && !!document.querySelector('li.callback a.open')",
    );
    assert!(browser
        .script("return document.querySelector('li.callback').textContent")
        .as_str()
        .unwrap()
        .contains("Ольга"));
    // The list opens on its first callback: Enter opens it.
    browser.wait_until(
        "the first callback focused",
        "return document.activeElement === document.querySelector('li.callback a.open')",
    );
    browser.type_into(&browser.find("li.callback a.open"), ENTER);
    browser.wait_until(
        "the callback's page",
        "return /^\\/callbacks\\/\\d+$/.test(location.pathname)",
    );
    // «2»: no answer, a note, a time typed for the next try, Enter: that time, not a preset.
    let body = browser.find("body");
    browser.type_into(&body, "2");
    let note = browser.wait_until(
        "the no-answer form focused",
        "const f = document.activeElement.closest('form'); return f && f.dataset.key === '2'",
    );
    assert_eq!(note, json!(true));
    let active = browser.find("form[data-key='2'] input[name=note]");
    browser.type_slowly(&active, "не берёт трубку");
    // A time that is none is refused in place: said right under the field, in the words the
    // form names it by, the cursor on it, everything typed kept.
    let when = browser.find("form[data-key='2'] input[name=next_due]");
    browser.type_slowly(&when, "32.12 10:00");
    browser.type_into(&when, ENTER);
    let refused = browser.wait_until(
        "the refusal",
        "const e = document.querySelector(\"form[data-key='2'] .refused-here\"); return e && e.textContent",
    );
    assert!(
        refused.as_str().unwrap().contains("«Следующая попытка»"),
        "{refused}"
    );
    let kept = browser.script(
        "const f = document.querySelector(\"form[data-key='2']\"); \
         return [location.pathname.startsWith('/callbacks/'), f.note.value, f.querySelector('input[name=next_due]').value, \
         document.activeElement.name, document.activeElement.getAttribute('aria-invalid'),]",
    );
    assert_eq!(
        kept,
        json!([true, "не берёт трубку", "32.12 10:00", "next_due", "true"])
    );
    // Said once, by the refusal: the reading under the box does not repeat it.
    std::thread::sleep(std::time::Duration::from_millis(1800));
    let repeated =
        browser.script("return !!document.querySelector(\"form[data-key='2'] .due-read.wrong\")");
    assert_eq!(repeated, json!(false));
    let presets = browser.script(
        "return [...document.querySelectorAll(\"form[data-key='2'] button.preset\")].every((b) => !isNaN(Date.parse(b.value)))",
    );
    assert_eq!(presets, json!(true), "the presets keep their times");
    let next_try = desk_clock().today() + Duration::days(2);
    let typed = next_try.format("%d.%m 12:00").to_string();
    let when = browser.find("form[data-key='2'] input[name=next_due]");
    browser
        .script("document.querySelector(\"form[data-key='2'] input[name=next_due]\").value = ''");
    browser.type_slowly(&when, &typed);
    // Mended, the box is no longer said to be wrong.
    let mended = browser.script(
        "const f = document.querySelector(\"form[data-key='2']\"); \
         return [!!f.querySelector('.refused-here'), f.querySelector('input[name=next_due]').getAttribute('aria-invalid')]",
    );
    assert_eq!(mended, json!([false, null]));
    browser.type_into(&when, ENTER);
    browser.wait_until(
        "back on the list",
        "return location.pathname === '/callbacks'",
    );
    // The list says what was recorded: still open, and when the next try is due.
    let said = browser
        .script("const s = document.querySelector('p.status.saved'); return s && s.textContent");
    let said = said.as_str().unwrap_or_default();
    assert!(said.starts_with("Записано: перезвон №"), "{said}");
    assert!(said.contains("до "), "{said}");
    let due = next_try.format("%d.%m.%Y 12:00").to_string();
    assert!(said.contains(&due), "the typed time, {due}: {said}");
    browser.script("document.querySelector('li.callback a.open').click()");
    browser.wait_until(
        "the callback's page again",
        "return /^\\/callbacks\\/\\d+$/.test(location.pathname) && !!document.querySelector('ol.attempts')",
    );
    // Who tried it, by the name the desk knows.
    let tried = browser.script("return document.querySelector('ol.attempts').textContent");
    assert!(tried.as_str().unwrap().contains("Михаил Петров"), "{tried}");
    // «1»: reached, with what came of it.
    let body = browser.find("body");
    browser.type_into(&body, "1");
    let note = browser.find("form[data-key='1'] input[name=note]");
    browser.wait_until(
        "the reached form focused",
        "const f = document.activeElement.closest('form'); return f && f.dataset.key === '1'",
    );
    browser.type_slowly(&note, "договорились о выезде в пятницу");
    browser.type_into(&note, ENTER);
    browser.wait_until(
        "back on the list",
        "return location.pathname === '/callbacks'",
    );
    browser.wait_until(
        "the count gone",
        "const c = document.querySelector('#callbacks-link .count'); return c && c.hidden",
    );

    // The head's desk report counts it done in time.
    browser.script("document.querySelector('form.whoami button').click()");
    browser.wait_until("logged out", "return location.pathname === '/login'");
    browser.login(&base, "boss", "boss-password-1");
    let today = desk_clock().today();
    browser.goto(&format!("{base}/reports/desk?from={today}&to={today}"));
    let in_time = browser.script(
        "const t = document.querySelector('table.desk-weeks'); \
         const i = [...t.querySelectorAll('thead th')].findIndex(th => th.textContent === 'Вовремя'); \
         return t.querySelector('tbody tr').children[i].textContent",
    );
    assert_eq!(in_time, json!("1"));
}

/// A callback the head hands to another manager while its page is open: the manager's try is
/// refused where it was typed, saying why, with the note kept; nothing is recorded.
#[test]
fn the_list_of_callbacks_says_when_they_changed_since_it_opened() {
    use crate::browser::{api_post, Browser};
    let Some(browser) = Browser::start() else {
        return;
    };
    let app = TestApp::new();
    add(&app.app, "mikhail", Role::Manager, None, None);
    let base = app.serve();
    browser.login(&base, "mikhail", "mikhail-password-1");
    browser.goto(&format!("{base}/callbacks"));
    let changed = "const p = document.getElementById('callbacks-changed'); \
         return p && [p.hidden, p.dataset.listed]";
    // The count the menu fetches on opening is the list's: nothing said.
    browser.wait_until("the page", "return document.readyState === 'complete'");
    std::thread::sleep(std::time::Duration::from_millis(500));
    assert_eq!(browser.script(changed), json!([true, "0"]));
    // A callback promised to him meanwhile: coming back to the tab, the list says so.
    let (status, call) = api_post(
        &app,
        &base,
        "/api/calls",
        json!({"phone": "+7 495 100-20-31", "outcome": "callback", "manager": "mikhail",
                "callback_due": in_hours(2)}),
    );
    assert_eq!(status, 201, "{call}");
    browser.script("window.dispatchEvent(new Event('focus')); return null");
    browser.wait_until(
        "the list saying it changed",
        "const p = document.getElementById('callbacks-changed'); return p && !p.hidden",
    );
    browser.script("document.querySelector('#callbacks-changed a').click(); return null");
    browser.wait_until(
        "the list reloaded with the new callback",
        "return document.readyState === 'complete' \
           && document.querySelectorAll('li.callback').length === 1",
    );
    std::thread::sleep(std::time::Duration::from_millis(500));
    assert_eq!(browser.script(changed), json!([true, "1"]));
}

/// A call over the served API that promises Mikhail's callback in two hours.
fn promised_to_mikhail(app: &TestApp, base: &str) -> Value {
    let (status, call) = crate::browser::api_post(
        app,
        base,
        "/api/calls",
        json!({"phone": "+7 495 100-20-30", "outcome": "callback", "manager": "mikhail",
                "callback_due": in_hours(2)}),
    );
    assert_eq!(status, 201, "{call}");
    call
}

#[test]
fn a_try_on_a_callback_handed_over_meanwhile_is_refused_in_place() {
    use crate::browser::{Browser, ENTER};
    let Some(browser) = Browser::start() else {
        return;
    };
    let app = TestApp::new();
    add(&app.app, "mikhail", Role::Manager, None, None);
    add(&app.app, "lena", Role::Manager, None, None);
    let base = app.serve();
    promised_to_mikhail(&app, &base);
    browser.login(&base, "mikhail", "mikhail-password-1");
    browser.goto(&format!("{base}/callbacks"));
    browser.script("document.querySelector('li.callback a.open').click()");
    let page = browser.wait_until(
        "the callback's page",
        "return /^\\/callbacks\\/\\d+$/.test(location.pathname) && location.pathname",
    );
    let id: i64 = page
        .as_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let head = Actor::person("boss", Role::Head);
    callbacks::change(&app.app, &head, id, Some("lena"), None).unwrap();
    // Coming back to the tab, the page says whose it is now, before anything is typed.
    assert_eq!(
        browser.script("return document.getElementById('callback-changed').hidden"),
        json!(true)
    );
    browser.script("window.dispatchEvent(new Event('focus')); return null");
    let said = browser.wait_until(
        "the page saying it changed",
        "const p = document.getElementById('callback-changed'); \
         return p && !p.hidden && [p.querySelector('.said').textContent, \
           p.querySelector('a.to-list').hidden, p.querySelector('a.reload').hidden, \
           document.querySelector('p.lead .owner').classList.contains('gone')]",
    );
    assert!(
        said[0]
            .as_str()
            .unwrap()
            .contains("теперь у менеджера lena"),
        "{said}"
    );
    assert_eq!(
        said.as_array().unwrap()[1..],
        [json!(false), json!(true), json!(true)],
        "the list offered, not a reload; the manager named before struck through"
    );
    browser.type_into(&browser.find("body"), "1");
    let note = browser.find("form[data-key='1'] input[name=note]");
    browser.wait_until(
        "the reached form focused",
        "const f = document.activeElement.closest('form'); return f && f.dataset.key === '1'",
    );
    browser.type_slowly(&note, "договорились");
    browser.type_into(&note, ENTER);
    let said = browser.wait_until(
        "the refusal",
        "const e = document.querySelector(\"form[data-key='1'] .refused-here\"); return e && e.textContent",
    );
    assert!(
        said.as_str().unwrap().contains("теперь у менеджера lena"),
        "{said}"
    );
    let kept = browser.script(
        "return [location.pathname, document.querySelector(\"form[data-key='1'] input[name=note]\").value]",
    );
    assert_eq!(kept, json!([format!("/callbacks/{id}"), "договорились"]));
    let shown = callbacks::one(&app.app, &head, id).unwrap();
    assert_eq!(shown.callback.state, callfaq::callbacks::State::Open);
    assert_eq!(shown.callback.owner.as_deref(), Some("lena"));
    assert!(
        shown.callback.attempts.iter().all(|a| a.by != "mikhail"),
        "nothing recorded for the refused try"
    );
}

/// A head's page of a callback another head hands over meanwhile: said with a link to reload,
/// and the manager named now in the page's line.
#[test]
fn a_heads_page_of_a_callback_handed_over_meanwhile_names_the_manager_now() {
    use crate::browser::Browser;
    let Some(browser) = Browser::start() else {
        return;
    };
    let app = TestApp::new();
    add_mikhail(&app);
    add(&app.app, "lena", Role::Manager, Some("Елена Ким"), None);
    add(&app.app, "boss", Role::Head, None, None);
    let base = app.serve();
    let call = promised_to_mikhail(&app, &base);
    let id = app
        .app
        .store
        .callback_of_call(call["id"].as_i64().unwrap())
        .unwrap()
        .unwrap()
        .id;
    browser.login(&base, "boss", "boss-password-1");
    browser.goto(&format!("{base}/callbacks/{id}"));
    let line = "return [document.querySelector('p.lead .owner').textContent, \
                document.getElementById('callback-changed').hidden]";
    // Asked with nothing changed, it stays quiet.
    browser.script("window.dispatchEvent(new Event('focus')); return null");
    std::thread::sleep(std::time::Duration::from_millis(500));
    assert_eq!(browser.script(line), json!(["Михаил Петров", true]));
    let other = Actor::person("chief", Role::Head);
    callbacks::change(&app.app, &other, id, Some("lena"), None).unwrap();
    browser.script("window.dispatchEvent(new Event('focus')); return null");
    browser.wait_until(
        "the page saying it changed",
        "return !document.getElementById('callback-changed').hidden",
    );
    assert_eq!(browser.script(line), json!(["Елена Ким", false]));
    let said = browser.script(
        "const p = document.getElementById('callback-changed'); \
         return [p.querySelector('.said').textContent, p.querySelector('a.reload').hidden, \
           p.querySelector('a.to-list').hidden]",
    );
    assert_eq!(
        said,
        json!([
            "Пока страница была открыта, этот перезвон изменили.",
            false,
            true
        ])
    );
}

/// A colleague's card that would hand the callback its manager holds to another manager:
/// refused under «Менеджер», the list chosen and the cursor on it, in view.
#[test]
fn a_refused_manager_on_the_card_is_said_under_the_list() {
    use crate::browser::{api_post, Browser, ENTER};
    let Some(browser) = Browser::start() else {
        return;
    };
    let app = TestApp::new();
    add(&app.app, "anna", Role::Operator, None, None);
    add(&app.app, "boris", Role::Operator, None, None);
    add_mikhail(&app);
    add(&app.app, "lena", Role::Manager, Some("Елена Ким"), None);
    let base = app.serve();
    let (status, call) = api_post(
        &app,
        &base,
        "/api/calls",
        json!({"operator": "anna", "phone": "+7 495 100-20-30", "outcome": "callback",
                "manager": "lena", "callback_due": in_hours(2)}),
    );
    assert_eq!(status, 201, "{call}");
    let id = call["id"].as_i64().unwrap();
    let cb = app.app.store.callback_of_call(id).unwrap().unwrap().id;
    let lena = Actor::person("lena", Role::Manager);
    let tried = callfaq::actions::callbacks::Try {
        result: "no_answer".into(),
        note: None,
        next_due: None,
        reason: None,
        open_call: false,
    };
    callbacks::attempt(&app.app, &lena, cb, &tried).unwrap();
    browser.login(&base, "boris", "boris-password-1");
    browser.goto(&format!("{base}/calls/{id}"));
    let manager = browser.find("select#manager");
    browser.type_into(&manager, "Миха");
    let name = browser.find("#card input[name=name]");
    browser.type_into(&name, ENTER);
    let shown = browser.wait_until(
        "the refusal under the list",
        "const e = document.getElementById('card-error'); \
         return document.readyState === 'complete' && e && e.closest('label') ? \
           [document.activeElement.id, e.closest('label').contains(document.getElementById('manager')), \
            e.getBoundingClientRect().bottom <= innerHeight, e.textContent.includes('Елена Ким') || e.textContent.includes('lena')] : null",
    );
    assert_eq!(shown, json!(["manager", true, true, true]));
}

#[test]
fn a_card_wrong_in_two_fields_says_both_under_them_at_once() {
    use crate::browser::{api_post, Browser, ENTER};
    let Some(browser) = Browser::start() else {
        return;
    };
    let app = TestApp::new();
    add(&app.app, "anna", Role::Operator, None, None);
    add_mikhail(&app);
    let base = app.serve();
    let (status, call) = api_post(
        &app,
        &base,
        "/api/calls",
        json!({"operator": "anna", "name": "Ольга", "phone": "+7 495 100-20-30"}),
    );
    assert_eq!(status, 201, "{call}");
    let id = call["id"].as_i64().unwrap();
    browser.login(&base, "anna", "anna-password-1");
    browser.goto(&format!("{base}/calls/{id}"));
    let outcome = browser.find("select#outcome");
    browser.type_into(&outcome, "Перез");
    browser.wait_until(
        "the callback's fields",
        "return !document.querySelector('fieldset.due-choice').hidden",
    );
    browser.script("const p = document.getElementById('card-phone'); p.value = ''; p.dispatchEvent(new Event('input')); return null");
    let exact = browser.find("#callback-due");
    browser.type_slowly(&exact, "когда-нибудь");
    browser.type_into(&exact, ENTER);
    let shown = browser.wait_until(
        "the card refused, each problem under its field",
        "const e = document.getElementById('card-error'); \
         const also = document.querySelector('.card-error-also[data-field=phone]'); \
         const phone = document.getElementById('card-phone'); \
         return document.readyState === 'complete' && e && also ? \
           [document.activeElement.id, !!e.previousElementSibling.querySelector('#callback-due'), \
            also.closest('label') && also.closest('label').contains(phone), \
            phone.getAttribute('aria-invalid'), also.textContent.includes('телефон')] : null",
    );
    assert_eq!(shown, json!(["callback-due", true, true, "true", true]));
    // The phone typed: what was said of it goes.
    let phone = browser.find("#card-phone");
    browser.type_into(&phone, "+7 495 100-20-30");
    assert_eq!(
        browser.script("const a = document.querySelector('.card-error-also'); return [a.hidden, document.getElementById('card-phone').hasAttribute('aria-invalid')]"),
        json!([true, false])
    );
}

#[test]
fn a_managers_change_decided_before_a_hand_over_is_refused_when_it_is_written() {
    let app = TestApp::new();
    add(&app.app, "mikhail", Role::Manager, None, None);
    add(&app.app, "anna", Role::Manager, Some("Анна Смирнова"), None);
    let operator = Actor::person("olga", Role::Operator);
    let changes = callfaq::calls::CallChanges {
        phone: Some(Some("+7 495 100-20-31".into())),
        outcome: Some(Some(callfaq::calls::Outcome::Callback)),
        manager: Some(Some("mikhail".into())),
        callback_due: Some(Some(Utc::now() + Duration::hours(2))),
        ..Default::default()
    };
    let call = callfaq::actions::calls::open(&app.app, &operator, changes).unwrap();
    let id = app
        .app
        .store
        .callback_of_call(call.call.id)
        .unwrap()
        .unwrap()
        .id;
    // Mikhail records «reached» on the callback as he saw it, his; the head's hand-over to Anna
    // is written first.
    let head = Actor::person("boss", Role::Head);
    callbacks::change(&app.app, &head, id, Some("anna"), None).unwrap();
    let reached = callfaq::callbacks::Attempt {
        at: Utc::now(),
        by: "mikhail".into(),
        result: callfaq::callbacks::Outcome::Reached,
        note: None,
        reason: None,
        from: None,
        next_due: None,
    };
    let change = callfaq::store::CallbackChange {
        state: Some(callfaq::callbacks::State::Done),
        held_by: Some(Some("mikhail")),
        ..Default::default()
    };
    let refused = app
        .app
        .store
        .record_attempt(id, &reached, &change)
        .unwrap_err();
    let moved = refused
        .downcast::<callfaq::callbacks::CallbackMoved>()
        .unwrap();
    assert_eq!(moved.owner.as_deref(), Some("anna"));
    let now = app.app.store.callback(id).unwrap().unwrap();
    assert_eq!(
        now.state,
        callfaq::callbacks::State::Open,
        "nothing written"
    );
    assert_eq!(now.owner.as_deref(), Some("anna"));
    // Anna's own, decided on her holding it, is written.
    let change = callfaq::store::CallbackChange {
        held_by: Some(Some("anna")),
        ..change
    };
    let done = app.app.store.record_attempt(id, &reached, &change).unwrap();
    assert_eq!(done.unwrap().state, callfaq::callbacks::State::Done);
}

#[test]
fn a_call_saved_before_a_crash_without_its_callback_gets_one_at_the_next_start() {
    let root = tempfile::tempdir().unwrap();
    let knowledge = root.path().join("knowledge");
    crate::harness::copy_tree(&crate::harness::fixtures(), &knowledge);
    let data = root.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    let open = || App::open(&knowledge, &data, desk_clock()).unwrap();
    let app = open();
    let now = Utc::now();
    // The call's write, and the server dies before its callback's.
    let changes = callfaq::calls::CallChanges {
        phone: Some(Some("+7 903 555-01-02".into())),
        outcome: Some(Some(callfaq::calls::Outcome::Callback)),
        callback_due: Some(Some(now + Duration::hours(1))),
        ..Default::default()
    };
    let id = app.store.create_call(&changes, now).unwrap().call.id;
    assert!(app.store.open_callback_of_call(id).unwrap().is_none());
    // Another, due while the server was down: chased as overdue, not only listed.
    let late = callfaq::calls::CallChanges {
        started_at: Some(now - Duration::hours(3)),
        phone: Some(Some("+7 903 555-01-03".into())),
        outcome: Some(Some(callfaq::calls::Outcome::Callback)),
        callback_due: Some(Some(now - Duration::hours(2))),
        ..Default::default()
    };
    let late = app.store.create_call(&late, now).unwrap().call.id;
    drop(app);
    let started = open();
    let callback = started.store.open_callback_of_call(id).unwrap();
    let callback = callback.expect("the promise is a callback after the start");
    let of_caller = started.store.open_callback_of("79035550102").unwrap();
    assert_eq!(of_caller.map(|c| c.id), Some(callback.id));
    drop(started);
    drop(open());
    let conn = rusqlite::Connection::open(data.join("callfaq.sqlite3")).unwrap();
    let count: i64 = conn
        .query_row("SELECT COUNT(*) FROM callbacks", [], |r| r.get(0))
        .unwrap();
    assert_eq!(count, 2, "once, however often the server starts");
    let told: (i64, i64) = conn
        .query_row(
            "SELECT overdue_told, escalated FROM callbacks c JOIN callback_calls b \
             ON b.callback_id = c.id WHERE b.call_id = ?1",
            [late],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(
        told,
        (0, 0),
        "its owner is told it is overdue, as for any other"
    );
}

#[tokio::test]
async fn calls_that_promised_a_callback_before_callbacks_were_records_become_callbacks_once() {
    let app = TestApp::new();
    let store = &app.app.store;
    let now = Utc::now();
    let promise = |phone: &str, manager: &str, done: bool, hours_ago: i64| {
        let changes = callfaq::calls::CallChanges {
            started_at: Some(now - Duration::hours(hours_ago)),
            phone: Some(Some(phone.into())),
            outcome: Some(Some(callfaq::calls::Outcome::Callback)),
            manager: Some(Some(manager.into())),
            callback_due: Some(Some(now - Duration::hours(hours_ago - 1))),
            callback_done_at: Some(done.then_some(now - Duration::hours(hours_ago - 1))),
            ..Default::default()
        };
        store.create_call(&changes, now).unwrap().call.id
    };
    // As an earlier release left them: one made, then the same caller promised twice more.
    promise("+7 495 123-45-67", "Михаил Петров", true, 50);
    promise("8 (495) 123 45 67", "Михаил Петров", false, 30);
    promise("84951234567", "Михаил Петров", false, 20);
    promise("+7 812 000-00-01", "Лена", false, 10);
    {
        let conn = rusqlite::Connection::open(app.data.join("callfaq.sqlite3")).unwrap();
        conn.execute(
            "INSERT INTO callbacks_to_adopt SELECT id FROM calls WHERE outcome = 'callback'",
            [],
        )
        .unwrap();
    }
    assert_eq!(store.adopt_promised_calls(now).unwrap(), 4);
    assert_eq!(
        store.adopt_promised_calls(now).unwrap(),
        0,
        "each call once"
    );
    let (_, all) = app.get_json("/api/callbacks?owner=all&state=open").await;
    let open = all["callbacks"].as_array().unwrap();
    assert_eq!(open.len(), 2, "{all}");
    assert!(
        open.iter().all(|c| c["owner"].is_null()),
        "no manager accounts yet"
    );
    let (_, done) = app.get_json("/api/callbacks?owner=all&state=done").await;
    assert_eq!(done["callbacks"].as_array().unwrap().len(), 1);
    // Overdue before they were tracked: listed, not announced.
    callfaq::jobs::notices::chase(&app.app).unwrap();
    assert!(store
        .notices_due(now + Duration::days(1), 10)
        .unwrap()
        .is_empty());

    // Михаил's account, with the name the calls carry, takes his open callback.
    add_mikhail(&app);
    let (_, his) = app.get_json("/api/callbacks?owner=mikhail").await;
    let his = his["callbacks"].as_array().unwrap();
    assert_eq!(his.len(), 1);
    assert_eq!(his[0]["called_again"], 1);
    let (_, left) = app.get_json("/api/callbacks?owner=none").await;
    assert_eq!(
        left["callbacks"].as_array().unwrap().len(),
        1,
        "Лена has no account"
    );
}

#[tokio::test]
async fn a_callbacks_page_shows_what_the_caller_asked_on_their_earlier_calls() {
    let app = TestApp::new();
    add_mikhail(&app);
    let (status, earlier) = app
        .json(
            "POST",
            "/api/calls",
            json!({"phone": "+7 495 765-43-21", "name": "Ирина", "outcome": "answered"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{earlier}");
    let (status, body) = app
        .json(
            "POST",
            &format!("/api/calls/{}/questions", earlier["id"]),
            json!({"text": "сколько стоит принтер Canon 2100", "answer": "printer"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    // Her next call promises a callback and logs nothing.
    let (status, promising) = app
        .json(
            "POST",
            "/api/calls",
            json!({"phone": "8 (495) 765-43-21", "name": "Ирина", "outcome": "callback",
                   "manager": "mikhail", "callback_due": in_hours(2), "contact_confirmed": true}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{promising}");
    let id = app
        .app
        .store
        .open_callback_of("74957654321")
        .unwrap()
        .unwrap()
        .id;
    let (status, page) = app.get(&format!("/callbacks/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    let asked = page
        .split("На звонках вопросы не записаны.")
        .nth(1)
        .unwrap_or_else(|| panic!("{page}"));
    assert!(
        asked.contains("На прежнем звонке")
            && asked.contains(&format!(r#"href="/calls/{}""#, earlier["id"]))
            && asked.contains("сколько стоит принтер Canon 2100")
            && asked.contains("→ Сколько стоит принтер Canon 2100?"),
        "{asked}"
    );
    // What to say holds the answer to what she asked before.
    let speech = speech_section(&page);
    assert!(speech.contains(r#"href="/answers/printer""#), "{speech}");
}

#[tokio::test]
async fn an_admin_adds_a_manager_with_a_name_and_an_email_and_changes_them() {
    let app = TestApp::new();
    let (status, _, _) = app
        .post_form(
            "/admin/accounts",
            &[
                ("login", "mikhail"),
                ("role", "manager"),
                ("display_name", "Михаил Петров"),
                ("email", "m.petrov@office.test"),
                ("extension", "104"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, users) = app.get_json("/api/users").await;
    let mikhail = users["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["login"] == "mikhail")
        .unwrap()
        .clone();
    assert_eq!(mikhail["role"], "manager");
    assert_eq!(mikhail["display_name"], "Михаил Петров");
    assert_eq!(mikhail["extension"], "104");
    // Every field at fault is said at once, each marked: a login with a space and Cyrillic
    // letters, a bad address and an extension that is no number.
    let (status, _, page) = app
        .post_form(
            "/admin/accounts",
            &[
                ("login", "Иван Петров"),
                ("role", "manager"),
                ("email", "ivan at office"),
                ("extension", "abc"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let said = add_refusal(&page);
    assert_eq!(said.matches("<p>").count(), 3, "{said}");
    for label in ["«Логин»", "«E-mail", "«Внутренний номер»"] {
        assert!(said.contains(label), "{label}: {said}");
    }
    assert_eq!(page.matches("aria-invalid=\"true\"").count(), 3, "{page}");
    // Another account may not have the same extension: the exchange names people by it.
    let (status, _, _) = app
        .post_form(
            "/admin/accounts",
            &[("login", "lena"), ("role", "manager"), ("extension", "104")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    // A login and an extension both taken are said at once, too.
    let (status, _, page) = app
        .post_form(
            "/admin/accounts",
            &[
                ("login", "Mikhail"),
                ("role", "manager"),
                ("extension", "104"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let said = add_refusal(&page);
    assert!(
        said.contains("такой логин уже есть") && said.contains("этот внутренний номер уже у"),
        "{said}"
    );
    let (_, users) = app.get_json("/api/users").await;
    assert!(
        users["users"]
            .as_array()
            .unwrap()
            .iter()
            .all(|u| u["login"] != "lena"),
        "{users}"
    );
    // A bad address is refused, saying which field; nothing changes.
    let (status, _, page) = app
        .post_form(
            "/admin/accounts/mikhail/profile",
            &[("display_name", "М. Петров"), ("email", "not an address")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("e-mail"), "{page}");
    let (status, headers, _) = app
        .post_form(
            "/admin/accounts/mikhail/profile",
            &[("display_name", "М. Петров"), ("email", "")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    // The page that follows says what was done, and to whom.
    let (_, page) = app.get(headers["location"].to_str().unwrap()).await;
    assert!(
        page.contains("Имя, e-mail и внутренний номер mikhail сохранены."),
        "{page}"
    );
    let (_, headers, _) = app
        .post_form("/admin/accounts/mikhail/state", &[("disabled", "1")])
        .await;
    let (_, page) = app.get(headers["location"].to_str().unwrap()).await;
    assert!(page.contains("Учётная запись mikhail отключена."), "{page}");
    app.post_form("/admin/accounts/mikhail/state", &[("disabled", "0")])
        .await;
    // The role he has already: nothing is done, nothing audited; the notice names the role.
    let audited = app.app.store.audit_log(100, None).unwrap().len();
    let (_, headers, _) = app
        .post_form("/admin/accounts/mikhail/role", &[("role", "manager")])
        .await;
    let (_, page) = app.get(headers["location"].to_str().unwrap()).await;
    assert!(page.contains("Роль учётной записи mikhail: «"), "{page}");
    let after = app.app.store.audit_log(100, None).unwrap();
    assert!(
        after.len() <= audited + 1 && after.iter().all(|e| !e.subject.contains("mikhail role")),
        "{after:?}"
    );
    let (_, users) = app.get_json("/api/users").await;
    let mikhail = &users["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["login"] == "mikhail")
        .unwrap();
    assert_eq!(mikhail["display_name"], "М. Петров");
    assert!(mikhail["email"].is_null());
}

/// The open callback a call promised, as the heads' list shows it.
async fn callback_of_call(app: &TestApp, call: i64) -> Value {
    let (_, all) = app.get_json("/api/callbacks?owner=all").await;
    all["callbacks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["call_ids"][0] == call)
        .cloned()
        .unwrap_or_else(|| panic!("no callback of call {call}: {all}"))
}

#[tokio::test]
async fn a_callback_changes_through_its_call_only_for_who_may_change_it() {
    let app = TestApp::new();
    for (login, role) in [
        ("mikhail", Role::Manager),
        ("lena", Role::Manager),
        ("anna", Role::Operator),
        ("boris", Role::Operator),
        ("olga", Role::Head),
    ] {
        add(&app.app, login, role, None, None);
    }
    let (anna, boris) = (
        Person::login(&app, "anna").await,
        Person::login(&app, "boris").await,
    );
    let (mikhail, lena, olga) = (
        Person::login(&app, "mikhail").await,
        Person::login(&app, "lena").await,
        Person::login(&app, "olga").await,
    );
    let started = (Utc::now() - Duration::hours(2)).to_rfc3339();
    let (status, call) = anna
        .json(
            "POST",
            "/api/calls",
            Some(
                json!({"phone": "+7 495 100-20-30", "outcome": "callback", "manager": "mikhail",
                        "callback_due": in_hours(2), "started_at": started}),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{call}");
    let id = call["id"].as_i64().unwrap();
    let uri = format!("/api/calls/{id}");
    // Who took the call corrects the card before anyone acted on the callback.
    let (status, body) = anna
        .json("PATCH", &uri, Some(json!({"manager": "lena"})))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let callback = callback_of_call(&app, id).await;
    assert_eq!(callback["owner"], "lena");
    let cb = callback["id"].as_i64().unwrap();
    // Lena tries it: from now on it is hers to change.
    let (status, body) = lena
        .json(
            "POST",
            &format!("/api/callbacks/{cb}/attempts"),
            Some(json!({"result": "no_answer", "next_due": in_hours(3)})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // Refused naming the field and whose the callback is, so that a card says it under that
    // field and keeps what was typed.
    let refused = [
        (&anna, json!({"manager": "mikhail"}), "manager"),
        (&boris, json!({"outcome": "answered"}), "outcome"),
        (&boris, json!({"callback_due": in_hours(5)}), "callback_due"),
        (&mikhail, json!({"manager": "mikhail"}), "manager"),
        (&mikhail, json!({"phone": "+7 495 999-99-99"}), "phone"),
    ];
    for (who, change, field) in refused {
        let (status, body) = who.json("PATCH", &uri, Some(change.clone())).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{change}: {body}");
        let said = body["error"].as_str().unwrap();
        assert!(
            said.starts_with(&format!("{field}: ")) && said.contains("lena"),
            "{said}"
        );
    }
    // Nothing of it was written, on the call or the callback.
    let (_, got) = app.get_json(&uri).await;
    assert_eq!(
        (&got["manager"], &got["outcome"], &got["phone"]),
        (
            &json!("lena"),
            &json!("callback"),
            &json!("+7 495 100-20-30")
        ),
        "{got}"
    );
    let callback = callback_of_call(&app, id).await;
    assert_eq!(
        (&callback["owner"], &callback["state"]),
        (&json!("lena"), &json!("open"))
    );
    // Its owner may, but not to a time gone by (after the call's start) nor one never due.
    let passed = (Utc::now() - Duration::hours(1)).to_rfc3339();
    for due in [passed.as_str(), "9999-12-31T23:59:59Z"] {
        let (status, body) = lena
            .json("PATCH", &uri, Some(json!({"callback_due": due})))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{due}: {body}");
        assert!(
            body["error"].as_str().unwrap().contains("callback_due"),
            "{body}"
        );
    }
    let (status, body) = lena
        .json("PATCH", &uri, Some(json!({"callback_due": in_hours(4)})))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // A head hands it over through the call.
    let (status, body) = olga
        .json("PATCH", &uri, Some(json!({"manager": "mikhail"})))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(callback_of_call(&app, id).await["owner"], "mikhail");
    // Mikhail hands it back from its page: no longer his to open, he is back on his list,
    // which says to whom it went.
    let (status, location, _) = mikhail
        .form(&format!("/callbacks/{cb}"), &[("owner", "lena")])
        .await;
    assert_eq!(
        (status, location),
        (
            StatusCode::SEE_OTHER,
            format!("/callbacks?handed={cb}&to=lena")
        )
    );
    assert_eq!(callback_of_call(&app, id).await["owner"], "lena");
    // An operator records calls as theirs alone; a head may name another.
    let (status, body) = anna
        .json("POST", "/api/calls", Some(json!({"operator": "boris"})))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(
        body["error"].as_str().unwrap().contains("operator"),
        "{body}"
    );
    let (status, body) = anna
        .json("PATCH", &uri, Some(json!({"operator": "boris"})))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, body) = olga
        .json("POST", "/api/calls", Some(json!({"operator": "boris"})))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    // Nor does an operator take a colleague's call as theirs, or clear who took it: who took
    // it may change its callback. The call stays Anna's.
    for change in [json!({"operator": "boris"}), json!({"operator": null})] {
        let (status, body) = boris.json("PATCH", &uri, Some(change.clone())).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{change}: {body}");
        assert!(body["error"].as_str().unwrap().contains("anna"), "{body}");
    }
    assert_eq!(app.get_json(&uri).await.1["operator"], "anna");
    // Nor does a person's session speak for the phone exchange (an answered event names the
    // operator by extension).
    let event = json!({"call_id": "x1", "event": "answered", "extension": "101"});
    let (status, body) = boris.json("POST", "/api/pbx/events", Some(event)).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    // The desk's «поговорили сейчас» closes it from a later call of the caller's, not from the
    // call that promised it, nor from a later call a colleague took.
    let close = format!("/api/calls/{id}/callback/close");
    let (status, body) = boris.json("POST", &close, None).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let again = json!({"phone": "+7 495 100-20-30"});
    let (status, annas) = anna.json("POST", "/api/calls", Some(again.clone())).await;
    assert_eq!(status, StatusCode::CREATED, "{annas}");
    // On the caller's later call, who took it agrees a new time with them; a colleague may
    // not, nor clear it.
    let later = format!("/api/calls/{}", annas["id"]);
    for change in [
        json!({"callback_due": in_hours(7)}),
        json!({"manager": "mikhail"}),
    ] {
        let (status, body) = boris.json("PATCH", &later, Some(change.clone())).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{change}: {body}");
    }
    let agreed = in_hours(6);
    let (status, body) = anna
        .json(
            "PATCH",
            &later,
            Some(json!({"outcome": "callback", "callback_due": agreed})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let due: DateTime<Utc> = callback_of_call(&app, id).await["due"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(
        due.timestamp() / 60,
        agreed.parse::<DateTime<Utc>>().unwrap().timestamp() / 60
    );
    // Nor in one request that gives a colleague's call the caller's number with new terms.
    let (_, fresh) = anna.json("POST", "/api/calls", Some(json!({}))).await;
    let joining =
        json!({"phone": "+7 495 100-20-30", "outcome": "callback", "callback_due": in_hours(9)});
    let (status, body) = boris
        .json(
            "PATCH",
            &format!("/api/calls/{}", fresh["id"]),
            Some(joining),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    // A call dated before the promise is no later word with the caller.
    let old = json!({"phone": "+7 495 100-20-30", "started_at": (Utc::now() - Duration::days(2)).to_rfc3339()});
    let (status, backdated) = boris.json("POST", "/api/calls", Some(old)).await;
    assert_eq!(status, StatusCode::CREATED, "{backdated}");
    let close_old = format!("/api/calls/{}/callback/close", backdated["id"]);
    let (status, body) = boris.json("POST", &close_old, None).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let annas = format!("/api/calls/{}/callback/close", annas["id"]);
    let (status, body) = boris.json("POST", &annas, None).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(callback_of_call(&app, id).await["state"], "open");
    let (status, boris_call) = boris.json("POST", "/api/calls", Some(again)).await;
    assert_eq!(status, StatusCode::CREATED, "{boris_call}");
    let (status, body) = boris
        .json(
            "POST",
            &format!("/api/calls/{}/callback/close", boris_call["id"]),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["state"], "done");
    // A call cannot end before it starts, nor start years ahead.
    for (change, field) in [
        (
            json!({"ended_at": (Utc::now() - Duration::hours(3)).to_rfc3339()}),
            "ended_at",
        ),
        (json!({"started_at": "9999-12-31T23:00:00Z"}), "started_at"),
    ] {
        let (status, body) = olga.json("PATCH", &uri, Some(change)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(body["error"].as_str().unwrap().contains(field), "{body}");
    }
}

/// A card saved by an operator who did not take the call, with a new time for its callback
/// that its manager already holds: refused under the time, the card as typed; a call the
/// exchange opened, which no person took, is anyone's to promise on.
#[tokio::test]
async fn a_card_that_would_change_a_callback_held_by_its_manager_is_refused_under_that_field() {
    let app = TestApp::new();
    for (login, role) in [
        ("lena", Role::Manager),
        ("anna", Role::Operator),
        ("boris", Role::Operator),
    ] {
        add(&app.app, login, role, None, None);
    }
    let (anna, boris, lena) = (
        Person::login(&app, "anna").await,
        Person::login(&app, "boris").await,
        Person::login(&app, "lena").await,
    );
    let promise = json!({"phone": "+7 495 100-20-30", "outcome": "callback", "manager": "lena",
                         "callback_due": in_hours(2)});
    let (status, call) = anna.json("POST", "/api/calls", Some(promise)).await;
    assert_eq!(status, StatusCode::CREATED, "{call}");
    let id = call["id"].as_i64().unwrap();
    let cb = callback_of_call(&app, id).await;
    let (status, body) = lena
        .json(
            "POST",
            &format!("/api/callbacks/{}/attempts", cb["id"]),
            Some(json!({"result": "no_answer", "next_due": in_hours(3)})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let held = callback_of_call(&app, id).await["due"].clone();
    let typed = (desk_clock().today() + Duration::days(2))
        .format("%d.%m 12:00")
        .to_string();
    let card = [
        ("card", "1"),
        ("phone", "+7 495 100-20-30"),
        ("outcome", "callback"),
        ("manager", "lena"),
        ("callback_when", "exact"),
        ("callback_due", typed.as_str()),
        ("notes", "перезвонить после обеда"),
    ];
    let (status, _, page) = boris.form(&format!("/calls/{id}"), &card).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("в работе у менеджера lena"), "said why");
    assert!(
        page.contains("перезвонить после обеда") && page.contains(&typed),
        "kept"
    );
    assert_eq!(callback_of_call(&app, id).await["due"], held, "unchanged");
    let (_, got) = app.get_json(&format!("/api/calls/{id}")).await;
    assert!(got["notes"].is_null(), "nothing of the refused card saved");

    // The exchange opened a call (no person took it): Boris promises a callback on its card.
    let exchange = app.as_token(Some(app.token_for(Role::Operator)));
    let (status, opened) = exchange
        .call(
            "POST",
            "/api/calls",
            Some(json!({"phone": "+7 916 555-44-33"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{opened}");
    let opened: Value = serde_json::from_str(&opened).unwrap();
    let other = opened["id"].as_i64().unwrap();
    // The time typed as the preset's name is that preset's.
    let card = [
        ("card", "1"),
        ("phone", "+7 916 555-44-33"),
        ("outcome", "callback"),
        ("manager", "lena"),
        ("callback_when", "exact"),
        ("callback_due", "завтра утром"),
    ];
    let (status, location, page) = boris.form(&format!("/calls/{other}"), &card).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{page}");
    assert!(
        location.starts_with(&format!("/calls/{other}")),
        "{location}"
    );
    let promised = callback_of_call(&app, other).await;
    assert_eq!(promised["owner"], "lena");
    let hours = callfaq::callbacks::hours::WorkingHours::default();
    let clock = desk_clock();
    let morning = hours.due(
        callfaq::callbacks::hours::Preset::TomorrowMorning,
        clock.local(clock.now()),
    );
    let due: DateTime<Utc> = promised["due"].as_str().unwrap().parse().unwrap();
    assert_eq!(clock.local(due), morning, "{promised}");
}

/// The calls list shows a promise's callback as it stands now: handed over and moved, its
/// manager and time now; closed, how; closed ones below the open.
#[tokio::test]
async fn the_calls_list_shows_each_callback_as_it_stands_now() {
    let app = TestApp::new();
    add_mikhail(&app);
    add(&app.app, "lena", Role::Manager, Some("Елена Ким"), None);
    let (_, call) = app
        .json(
            "POST",
            "/api/calls",
            json!({"phone": "+7 495 100-20-30", "outcome": "callback", "manager": "mikhail",
                    "callback_due": in_hours(2)}),
        )
        .await;
    let id = call["id"].as_i64().unwrap();
    let cb = callback_of_call(&app, id).await["id"].as_i64().unwrap();
    let moved = in_hours(5);
    let (status, body) = app
        .json(
            "PATCH",
            &format!("/api/callbacks/{cb}"),
            json!({"owner": "lena", "due": moved}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, other) = app
        .json(
            "POST",
            "/api/calls",
            json!({"phone": "+7 916 200-30-40", "outcome": "callback", "manager": "mikhail",
                    "callback_due": in_hours(1)}),
        )
        .await;
    let moved: DateTime<Utc> = moved.parse().unwrap();
    let row = |list: &str, id: i64| {
        let at = list.find(&format!("href=\"/calls/{id}\"")).unwrap();
        let end = at + list[at..].find("</tr>").unwrap();
        list[at..end].to_string()
    };
    let (_, list) = app.get("/calls").await;
    let first = row(&list, id);
    // Handed over: the manager the call named (whom the desk report counts it for), then
    // the callback's own.
    assert!(first.contains("Михаил Петров → Елена Ким"), "{first}");
    assert!(
        first.contains(&desk_clock().date_time_text(moved)),
        "{first}"
    );
    // Lost: said so, and listed after the open one.
    let (status, body) = app
        .json(
            "POST",
            &format!("/api/callbacks/{cb}/attempts"),
            json!({"result": "lost", "reason": "refused"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, list) = app.get("/calls").await;
    assert!(row(&list, id).contains("закрыт без результата"), "{list}");
    // The head's list of lost ones says why, and when.
    let (_, lost) = app.get("/callbacks?owner=all&state=lost").await;
    let closed_at = app.get_json(&format!("/api/callbacks/{cb}")).await.1["closed_at"]
        .as_str()
        .unwrap()
        .to_string();
    let closed_at: DateTime<Utc> = closed_at.parse().unwrap();
    assert!(
        lost.contains("закрыт без результата (")
            && lost.contains(&desk_clock().date_time_text(closed_at)),
        "{lost}"
    );
    let other = other["id"].as_i64().unwrap();
    assert!(
        list.find(&format!("href=\"/calls/{other}\""))
            < list.find(&format!("href=\"/calls/{id}\"")),
        "the open callback first"
    );
}

/// Export, then import into an empty desk: each callback comes back as it stood, its manager,
/// time, state, reason and attempts; a lost one is not opened again.
#[tokio::test]
async fn callbacks_survive_an_export_and_an_import_as_they_stood() {
    let app = TestApp::new();
    add(&app.app, "mikhail", Role::Manager, None, None);
    add(&app.app, "lena", Role::Manager, None, None);
    let mut ids = Vec::new();
    for phone in ["+7 495 100-20-30", "+7 495 100-20-31", "+7 495 100-20-32"] {
        let (_, call) = app
            .json(
                "POST",
                "/api/calls",
                json!({"phone": phone, "outcome": "callback", "manager": "mikhail",
                        "callback_due": in_hours(2)}),
            )
            .await;
        let id = call["id"].as_i64().unwrap();
        ids.push(callback_of_call(&app, id).await["id"].as_i64().unwrap());
    }
    let attempts = format!("/api/callbacks/{}/attempts", ids[0]);
    let lost = json!({"result": "lost", "reason": "refused", "note": "не интересно"});
    assert_eq!(app.json("POST", &attempts, lost).await.0, StatusCode::OK);
    let handed = json!({"owner": "lena", "due": in_hours(5)});
    let (status, _) = app
        .json("PATCH", &format!("/api/callbacks/{}", ids[1]), handed)
        .await;
    assert_eq!(status, StatusCode::OK);
    let attempts = format!("/api/callbacks/{}/attempts", ids[1]);
    // Reached, with a call opened to log what the caller asks further.
    let reached = json!({"result": "reached", "note": "договорились", "open_call": true});
    assert_eq!(app.json("POST", &attempts, reached).await.0, StatusCode::OK);
    // The third caller calls again and is promised again: one callback, called again once.
    let again = json!({"phone": "+7 495 100-20-32", "outcome": "callback", "manager": "mikhail",
                       "callback_due": in_hours(3)});
    assert_eq!(
        app.json("POST", "/api/calls", again).await.0,
        StatusCode::CREATED
    );
    let before = app.get_json("/api/callbacks?owner=all&state=open").await.1;
    assert_eq!(before["callbacks"][0]["called_again"], 1, "{before}");
    let mut lines = Vec::new();
    app.app
        .store
        .export(|line| {
            lines.push(line);
            Ok(())
        })
        .unwrap();
    let written: Vec<String> = lines
        .iter()
        .map(callfaq::calls::transfer::to_line)
        .collect();
    assert!(written[0].contains(r#""state":"lost""#), "{}", written[0]);
    let follow_ups: Vec<&String> = written
        .iter()
        .filter(|l| l.contains(r#""follow_up":true"#))
        .collect();
    assert_eq!(follow_ups.len(), 1, "{written:?}");
    assert!(follow_ups[0].contains("100-20-31"), "{}", follow_ups[0]);

    let copy = TestApp::new();
    add(&copy.app, "mikhail", Role::Manager, None, None);
    add(&copy.app, "lena", Role::Manager, None, None);
    copy.app.store.import(&lines, Utc::now()).unwrap();
    let strip = |list: Value| -> Vec<Value> {
        list["callbacks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                json!([
                    c["owner"],
                    c["due"],
                    c["state"],
                    c["lost_reason"],
                    c["closed_at"],
                    c["attempts"],
                    c["caller"]["phone"],
                    c["called_again"],
                    c["call_ids"].as_array().unwrap().len()
                ])
            })
            .collect()
    };
    for state in ["open", "done", "lost"] {
        let uri = format!("/api/callbacks?owner=all&state={state}");
        let (was, is) = (app.get_json(&uri).await.1, copy.get_json(&uri).await.1);
        assert_eq!(strip(is), strip(was), "{state}");
    }
    assert_eq!(before["callbacks"].as_array().unwrap().len(), 1);
    // Exported again, the lines are the same.
    let mut again = Vec::new();
    copy.app
        .store
        .export(|line| {
            again.push(callfaq::calls::transfer::to_line(&line));
            Ok(())
        })
        .unwrap();
    assert_eq!(again, written);

    // Imported once more, the open callback's caller has an open one already: its call joins
    // that one, and the import says so.
    let done = copy
        .app
        .store
        .import_file("again", "again.jsonl", &lines, Utc::now(), true, 1)
        .unwrap()
        .unwrap();
    assert_eq!((done.calls, done.callbacks_merged), (lines.len(), 1));
    assert_eq!(
        done.joins_dropped, 0,
        "a promise of its own joins when adopted"
    );
    // A later call whose callback is not in the file, with no promise of its own, joins its
    // caller's open callback; where there is none, it is a plain call, and said.
    let mut alone: Vec<_> = lines
        .iter()
        .filter(|l| l.joined_callback)
        .cloned()
        .collect();
    alone.truncate(1);
    alone[0].outcome = None;
    alone[0].callback_due = None;
    let open = |app: &TestApp| {
        app.app
            .store
            .callbacks(&callfaq::store::CallbacksListed {
                owner: None,
                state: Some(callfaq::callbacks::State::Open),
                due_before: None,
                limit: 10,
            })
            .unwrap()
    };
    let joined_before = open(&copy)[0].call_ids.len();
    let done = copy
        .app
        .store
        .import_file("alone", "alone.jsonl", &alone, Utc::now(), true, 1)
        .unwrap()
        .unwrap();
    assert_eq!((done.calls, done.joins_dropped), (1, 0));
    assert_eq!(open(&copy)[0].call_ids.len(), joined_before + 1);
    let empty = TestApp::new();
    let done = empty
        .app
        .store
        .import_file("alone", "alone.jsonl", &alone, Utc::now(), true, 1)
        .unwrap()
        .unwrap();
    assert_eq!((done.calls, done.joins_dropped), (1, 1));
    assert!(open(&empty).is_empty());
}

/// The card of a call whose callback was handed over and moved shows the callback's terms as
/// they stand; saved again as shown (notes added), it changes nothing of the callback.
#[tokio::test]
async fn a_card_shows_its_callbacks_terms_as_they_stand_and_saving_it_changes_nothing() {
    let app = TestApp::new();
    add(&app.app, "anna", Role::Operator, None, None);
    add(&app.app, "lena", Role::Manager, Some("Елена Ким"), None);
    add_mikhail(&app);
    let anna = Person::login(&app, "anna").await;
    let promise = json!({"phone": "+7 495 100-20-30", "outcome": "callback", "manager": "lena",
                         "callback_due": in_hours(2)});
    let (_, call) = anna.json("POST", "/api/calls", Some(promise)).await;
    let id = call["id"].as_i64().unwrap();
    let cb = callback_of_call(&app, id).await["id"].as_i64().unwrap();
    let moved = in_hours(30);
    let (status, _) = app
        .json(
            "PATCH",
            &format!("/api/callbacks/{cb}"),
            json!({"owner": "mikhail", "due": moved}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let before = callback_of_call(&app, id).await;
    let moved: DateTime<Utc> = moved.parse().unwrap();
    let shown = desk_clock()
        .local(moved)
        .format("%d.%m.%Y %H:%M")
        .to_string();
    let (_, page) = anna.get(&format!("/calls/{id}")).await;
    assert!(
        page.contains(r#"<option value="mikhail" selected>"#),
        "the manager now"
    );
    assert!(
        page.contains(&format!(r#"value="{shown}""#)),
        "the time now: {shown}"
    );
    let card = [
        ("card", "1"),
        ("phone", "+7 495 100-20-30"),
        ("outcome", "callback"),
        ("manager", "mikhail"),
        ("callback_when", "exact"),
        ("callback_due", shown.as_str()),
        ("notes", "просил звонить после обеда"),
        ("company", "ООО Ромашка-Плюс"),
    ];
    let (status, _, body) = anna.form(&format!("/calls/{id}"), &card).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    let after = callback_of_call(&app, id).await;
    assert_eq!(
        after["caller"]["company"], "ООО Ромашка-Плюс",
        "named as the card now"
    );
    assert_eq!(
        (
            &after["owner"],
            &after["due"],
            after["attempts"].as_array().unwrap().len()
        ),
        (
            &before["owner"],
            &before["due"],
            before["attempts"].as_array().unwrap().len()
        )
    );
}

/// A callback that ran late with one manager and was then handed to another, who made it,
/// counts late for the first: lateness stays with who held it when it fell due.
#[tokio::test]
async fn lateness_counts_for_who_held_the_callback_when_it_fell_due() {
    let app = TestApp::new();
    add_mikhail(&app);
    add(&app.app, "lena", Role::Manager, Some("Елена Ким"), None);
    let day = desk_clock().today() - Duration::days(1);
    let at = |time: &str| format!("{day}T{time}:00+03:00");
    let line = format!(
        r#"{{"started_at":"{}","phone":"+7 495 100-20-30","outcome":"callback","manager":"mikhail","callback":{{"owner":"lena","due":"{}","state":"done","created_at":"{}","closed_at":"{}","first_attempt":"{}","attempts":[{{"at":"{}","by":"boss","result":"handed_over","reason":"lena","from":"mikhail"}},{{"at":"{}","by":"lena","result":"reached"}}]}}}}"#,
        at("10:00"),
        at("11:00"),
        at("10:00"),
        at("15:00"),
        at("15:00"),
        at("14:00"),
        at("15:00")
    );
    let (lines, errors) = callfaq::calls::transfer::parse(&line, |_| true, &desk_clock());
    assert!(errors.is_empty(), "{errors:?}");
    let calls: Vec<_> = lines.into_iter().map(|(_, c)| c).collect();
    app.app.store.import(&calls, Utc::now()).unwrap();
    let (_, report) = app
        .get_json(&format!("/api/reports/desk?from={day}&to={day}"))
        .await;
    let of = |login: &str| {
        report["managers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["manager"] == login)
            .cloned()
            .unwrap_or(Value::Null)
    };
    assert_eq!(of("mikhail")["callbacks_late"], 1, "{report}");
    assert!(
        of("lena").is_null() || of("lena")["callbacks_late"] == 0,
        "{report}"
    );
}

/// A due time set again by the same person within minutes is one reschedule, to the last time;
/// another person's, or one later on, is one of its own.
#[tokio::test]
async fn a_time_corrected_within_minutes_is_one_reschedule() {
    let app = TestApp::new();
    add(&app.app, "mikhail", Role::Manager, None, None);
    let (_, call) = app
        .json(
            "POST",
            "/api/calls",
            json!({"phone": "+7 495 100-20-30", "outcome": "callback", "manager": "mikhail",
                    "callback_due": in_hours(2)}),
        )
        .await;
    let cb = callback_of_call(&app, call["id"].as_i64().unwrap()).await["id"].clone();
    for hours in [3, 4, 5] {
        let (status, _) = app
            .json(
                "PATCH",
                &format!("/api/callbacks/{cb}"),
                json!({"due": in_hours(hours)}),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
    }
    let mikhail = Person::login(&app, "mikhail").await;
    let (status, _) = mikhail
        .json(
            "PATCH",
            &format!("/api/callbacks/{cb}"),
            Some(json!({"due": in_hours(6)})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, one) = app.get_json(&format!("/api/callbacks/{cb}")).await;
    let moves: Vec<&Value> = one["attempts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["result"] == "rescheduled")
        .collect();
    assert_eq!(moves.len(), 2, "{one}");
    assert_ne!(moves[0]["by"], moves[1]["by"]);
}

/// The operator who promised a callback corrects its time on the card while the caller is on
/// the line: the promise is that time, nothing was moved; the manager's move later is one.
#[tokio::test]
async fn a_time_corrected_by_who_promised_it_while_agreeing_is_the_promise() {
    let app = TestApp::new();
    add(&app.app, "mikhail", Role::Manager, None, None);
    add(&app.app, "anna", Role::Operator, None, None);
    let anna = Person::login(&app, "anna").await;
    let (status, call) = anna
        .json(
            "POST",
            "/api/calls",
            Some(
                json!({"phone": "+7 495 100-20-30", "outcome": "callback", "manager": "mikhail",
                        "callback_due": in_hours(2)}),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{call}");
    let id = call["id"].as_i64().unwrap();
    let (status, _) = anna
        .json(
            "PATCH",
            &format!("/api/calls/{id}"),
            Some(json!({"callback_due": in_hours(3)})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let one = callback_of_call(&app, id).await;
    assert_eq!(one["attempts"], json!([]), "{one}");
    let due: DateTime<Utc> = one["due"].as_str().unwrap().parse().unwrap();
    let promised: DateTime<Utc> = one["promised_due"].as_str().unwrap().parse().unwrap();
    assert_eq!(due, promised);
    assert!(due > Utc::now() + Duration::minutes(170), "{one}");
    let mikhail = Person::login(&app, "mikhail").await;
    let cb = one["id"].clone();
    let (status, _) = mikhail
        .json(
            "PATCH",
            &format!("/api/callbacks/{cb}"),
            Some(json!({"due": in_hours(5)})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let one = callback_of_call(&app, id).await;
    assert_eq!(one["attempts"].as_array().unwrap().len(), 1, "{one}");
    assert_eq!(one["attempts"][0]["result"], "rescheduled");
}

#[tokio::test]
async fn a_disabled_or_demoted_managers_open_callbacks_go_to_the_heads() {
    let app = TestApp::new();
    add(
        &app.app,
        "olga",
        Role::Manager,
        Some("Ольга Смирнова"),
        None,
    );
    add(&app.app, "ivan", Role::Manager, Some("Иван Орлов"), None);
    let operator = app.as_token(Some(app.token_for(Role::Operator)));
    let mut ids = Vec::new();
    for (phone, manager) in [
        ("+7 495 111-22-33", "olga"),
        ("+7 495 222-33-44", "olga"),
        ("+7 495 333-44-55", "ivan"),
    ] {
        let (status, body) = operator
            .call(
                "POST",
                "/api/calls",
                Some(
                    json!({"phone": phone, "outcome": "callback", "manager": manager,
                            "callback_due": in_hours(2)}),
                ),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        let call: Value = serde_json::from_str(&body).unwrap();
        ids.push(callback_of_call(&app, call["id"].as_i64().unwrap()).await["id"].clone());
    }
    let admin = Actor::cli();
    accounts::set_disabled(&*app.app, &admin, "olga", true).unwrap();
    let (_, unassigned) = app.get_json("/api/callbacks?owner=all&state=open").await;
    let owners: Vec<(Value, Value)> = unassigned["callbacks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["id"].clone(), c["owner"].clone()))
        .collect();
    assert!(
        owners.contains(&(ids[0].clone(), Value::Null)),
        "{owners:?}"
    );
    assert!(
        owners.contains(&(ids[1].clone(), Value::Null)),
        "{owners:?}"
    );
    assert!(
        owners.contains(&(ids[2].clone(), json!("ivan"))),
        "{owners:?}"
    );
    let (_, one) = app.get_json(&format!("/api/callbacks/{}", ids[0])).await;
    assert_eq!(one["attempts"][0]["result"], "handed_over", "{one}");
    assert_eq!(one["attempts"][0]["from"], "olga", "{one}");
    assert_eq!(one["attempts"][0]["reason"], Value::Null, "{one}");
    // Given out by a head from nobody: the hand-over says it was nobody's.
    let (status, given) = app
        .json(
            "PATCH",
            &format!("/api/callbacks/{}", ids[1]),
            json!({"owner": "ivan"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{given}");
    let last = given["attempts"].as_array().unwrap().last().unwrap();
    assert_eq!(
        (&last["from"], &last["reason"]),
        (&json!(""), &json!("ivan"))
    );
    // From its page, the head stays on it, which says it was saved and to whom it went.
    let page = format!("/callbacks/{}", ids[0]);
    let (status, headers, _) = app.post_form(&page, &[("owner", "ivan")]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let location = headers["location"].to_str().unwrap();
    assert_eq!(location, format!("{page}?saved=terms"));
    let (_, shown) = app.get(location).await;
    assert!(shown.contains("Сохранено. Менеджер: "), "{shown}");
    assert!(shown.contains("не назначен → "), "{shown}");
    // The calls list names each callback's manager as it stands now, by name.
    let (_, list) = app.get("/calls").await;
    assert!(list.contains("Иван Орлов"), "{list}");
    // A manager made an operator leaves theirs too.
    accounts::set_role(&*app.app, &admin, "ivan", Role::Operator).unwrap();
    let (_, one) = app.get_json(&format!("/api/callbacks/{}", ids[2])).await;
    assert_eq!(one["owner"], Value::Null, "{one}");
    let audit = app.app.store.audit_log(20, None).unwrap();
    assert!(audit
        .iter()
        .any(|e| e.subject.contains("of olga left to the heads")));
}

#[tokio::test]
async fn the_open_callbacks_behind_a_figure_come_soonest_due_first_as_a_managers_list_has_them() {
    let app = TestApp::new();
    add_mikhail(&app);
    // The sooner promised first: the order of promises and of due times differ.
    for (phone, hours) in [("+7 495 100-00-02", 2), ("+7 495 100-00-01", 5)] {
        let promise = json!({"phone": phone, "outcome": "callback", "manager": "mikhail",
                             "callback_due": in_hours(hours), "contact_confirmed": true});
        let (status, body) = app.json("POST", "/api/calls", promise).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    let today = desk_clock().today();
    let phones = |body: &Value| -> Vec<String> {
        body["callbacks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["caller"]["phone"].as_str().unwrap().to_string())
            .collect()
    };
    let (_, open) = app
        .get_json(&format!(
            "/api/callbacks?from={today}&owner=all&counted=open"
        ))
        .await;
    assert_eq!(phones(&open), ["+7 495 100-00-02", "+7 495 100-00-01"]);
    // All promised: newest first, as the calls behind a figure.
    let (_, promised) = app
        .get_json(&format!("/api/callbacks?from={today}&owner=all"))
        .await;
    assert_eq!(phones(&promised), ["+7 495 100-00-01", "+7 495 100-00-02"]);
}
