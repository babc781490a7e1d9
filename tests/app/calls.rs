//! The calls API and pages: records, returning callers, caller questions and their links, and
//! how linked phrasings rank answers.

use crate::harness::{shipped_knowledge, TestApp};
use axum::http::StatusCode;
use callfaq::accounts::Role;
use callfaq::i18n::Lang;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

async fn create(app: &TestApp, body: Value) -> Value {
    let (status, call) = app.json("POST", "/api/calls", body).await;
    assert_eq!(status, StatusCode::CREATED, "{call}");
    call
}

#[tokio::test]
async fn created_call_comes_back_with_its_question_and_link() {
    let app = TestApp::new();
    let call = create(
        &app,
        json!({"name": "Михаил", "phone": "234-56-78", "topic": "Принтеры", "operator": "Наталья"}),
    )
    .await;
    assert_eq!(call["kind"], "primary");
    assert_eq!(call["returning"], false);
    assert_eq!(call["previous_calls"], json!([]));
    assert_eq!(call["potential_client"], true);
    let id = call["id"].as_i64().unwrap();
    let (status, q) = app
        .json(
            "POST",
            &format!("/api/calls/{id}/questions"),
            json!({"text": "сколько стоит принтер", "answer": "printer"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{q}");
    assert!(q["id"].as_i64().is_some());
    let (status, got) = app
        .json("GET", &format!("/api/calls/{id}"), Value::Null)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(got["name"], "Михаил");
    assert_eq!(got["questions"][0]["text"], "сколько стоит принтер");
    assert_eq!(got["questions"][0]["answer"], "printer");
    assert!(got["questions"][0]["asked_at"].as_str().is_some());
}

/// Times no desk means get a 422 naming the field, never a 500, and leave the call as it was:
/// a year past what can be stored, and a question asked years ahead that no week would count.
#[tokio::test]
async fn times_no_desk_means_are_refused_and_the_call_is_kept() {
    let app = TestApp::new();
    let call = create(&app, json!({"name": "Михаил"})).await;
    let id = call["id"].as_i64().unwrap();
    let far = "-262143-01-01T00:00";
    for (method, uri, body, field) in [
        (
            "POST",
            "/api/calls".to_string(),
            json!({"started_at": far}),
            "started_at",
        ),
        (
            "PATCH",
            format!("/api/calls/{id}"),
            json!({"started_at": far}),
            "started_at",
        ),
        (
            "PATCH",
            format!("/api/calls/{id}"),
            json!({"ended_at": far}),
            "ended_at",
        ),
        (
            "POST",
            format!("/api/calls/{id}/questions"),
            json!({"text": "сколько стоит", "asked_at": far}),
            "asked_at",
        ),
        (
            "POST",
            format!("/api/calls/{id}/questions"),
            json!({"text": "сколько стоит", "asked_at": "9999-01-01T00:00"}),
            "asked_at",
        ),
        (
            "POST",
            format!("/api/calls/{id}/questions"),
            json!({"text": "сколько стоит", "asked_at": "2999-01-01T00:00"}),
            "asked_at",
        ),
    ] {
        let (status, body) = app.json(method, &uri, body).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{method} {uri}: {body}"
        );
        let message = body["error"].as_str().unwrap();
        assert!(message.starts_with(&format!("{field}: ")), "{message}");
    }
    let (status, got) = app
        .json("GET", &format!("/api/calls/{id}"), Value::Null)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(got["name"], "Михаил");
    assert_eq!(got["started_at"], call["started_at"]);
    assert_eq!(got["questions"], json!([]));
}

/// A question typed whole in the wrong keyboard layout is kept as meant; English words the
/// answers know, or words nobody knows either way, stay as typed.
#[tokio::test]
async fn a_question_typed_in_the_wrong_layout_is_kept_as_meant() {
    let app = TestApp::new();
    let call = create(&app, json!({})).await;
    let uri = format!("/api/calls/{}/questions", call["id"]);
    for (typed, kept) in [
        ("crjkmrj cnjbn ghbynth&", "сколько стоит принтер?"),
        ("canon 2100", "canon 2100"),
        ("qwrtp zxvbn", "qwrtp zxvbn"),
        ("сколько стоит", "сколько стоит"),
        // An acronym, an address, a code or a word of no substance stays as typed.
        ("HP ghbynth", "HP принтер"),
        ("yt@mail.ru", "yt@mail.ru"),
        ("GY-VAE", "GY-VAE"),
        ("plan b", "plan b"),
        ("Tot", "Tot"),
    ] {
        let (status, q) = app.json("POST", &uri, json!({ "text": typed })).await;
        assert_eq!(status, StatusCode::CREATED, "{q}");
        assert_eq!(q["text"], kept, "{typed}");
    }
    // Over the shipped answers, as the README says it.
    let shipped = TestApp::over(
        &crate::harness::shipped_knowledge(),
        callfaq::i18n::Lang::Ru,
    );
    let call = create(&shipped, json!({})).await;
    let uri = format!("/api/calls/{}/questions", call["id"]);
    let (_, q) = shipped
        .json("POST", &uri, json!({"text": "xtr ghbiktn yf gjxne&"}))
        .await;
    assert_eq!(q["text"], "чек пришлет на почту?");
}

/// «Завершить звонок» lands on the day's list, which says the call was ended and offers the
/// next one, focused: Enter opens a new card.
#[tokio::test]
async fn ending_a_call_says_so_and_offers_the_next() {
    let app = TestApp::new();
    let call = create(&app, json!({"name": "Ирина"})).await;
    let id = call["id"].as_i64().unwrap();
    // With no outcome chosen, the card is refused and says why.
    let (status, _, page) = app
        .post_form(
            &format!("/calls/{id}"),
            &[
                ("card", "1"),
                ("name", "Ирина"),
                ("outcome", ""),
                ("action", "end"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("выберите итог звонка"), "{page}");
    let (status, headers, _) = app
        .post_form(
            &format!("/calls/{id}"),
            &[
                ("card", "1"),
                ("name", "Ирина"),
                ("outcome", "answered"),
                ("action", "end"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let location = headers["location"].to_str().unwrap();
    assert_eq!(location, format!("/calls?ended={id}"));
    let (_, page) = app.get(location).await;
    assert!(page.contains(&format!("Звонок № {id} завершён")), "{page}");
    assert!(
        page.contains(r#"<a href="/calls/new" autofocus>"#),
        "{page}"
    );
}

#[tokio::test]
async fn second_call_from_the_same_number_is_returning_and_secondary() {
    let app = TestApp::new();
    // A client: the desk put them through to their manager.
    let first = create(
        &app,
        json!({"phone": "8 (495) 123 45 67", "outcome": "transferred"}),
    )
    .await;
    let second = create(&app, json!({"phone": "+7 495 123-45-67"})).await;
    assert_eq!(second["returning"], true);
    assert_eq!(second["kind"], "secondary");
    assert_eq!(second["previous_calls"], json!([first["id"]]));
    assert_eq!(second["phone"], "+7 495 123-45-67", "shown as typed");
}

#[tokio::test]
async fn patch_changes_only_the_fields_given() {
    let app = TestApp::new();
    let id = create(
        &app,
        json!({"name": "Ольга", "company": "Ромашка", "phone": "+7 903 111-22-44"}),
    )
    .await["id"]
        .as_i64()
        .unwrap();
    // Due tomorrow at 10:00 Moscow time (a due time before the call would be refused).
    let tomorrow = (chrono::Utc::now() + chrono::Duration::days(1)).date_naive();
    let due = format!("{tomorrow}T10:00:00+03:00");
    let (status, call) = app
        .json(
            "PATCH",
            &format!("/api/calls/{id}"),
            json!({"outcome": "callback", "manager": "Лена", "callback_due": due}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{call}");
    assert_eq!(call["outcome"], "callback");
    assert_eq!(call["name"], "Ольга");
    assert_eq!(call["company"], "Ромашка");
    assert_eq!(call["callback_due"], format!("{tomorrow}T07:00:00Z"));
}

#[tokio::test]
async fn invalid_fields_get_422_naming_the_field() {
    let app = TestApp::new();
    for (body, field) in [
        (json!({"kind": "first"}), "kind"),
        (json!({"outcome": "lost"}), "outcome"),
        (json!({"started_at": "вчера"}), "started_at"),
        (json!({"potential_client": "да"}), "potential_client"),
        (json!({"phnoe": "1"}), "phnoe"),
    ] {
        let (status, error) = app.json("POST", "/api/calls", body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            error["error"].as_str().unwrap().starts_with(field),
            "{error}"
        );
    }
    let (status, _) = app.json("POST", "/api/calls", json!([1, 2])).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn unknown_ids_get_404() {
    let app = TestApp::new();
    assert_eq!(
        app.json("GET", "/api/calls/999", Value::Null).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.json("GET", "/api/calls/abc", Value::Null).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.json("PATCH", "/api/calls/999", json!({"name": "x"}))
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.json("POST", "/api/calls/999/questions", json!({"text": "x"}))
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.json("PUT", "/api/questions/999/answer", json!({"answer": null}))
            .await
            .0,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn questions_need_words_and_known_answers() {
    let app = TestApp::new();
    let id = create(&app, json!({})).await["id"].as_i64().unwrap();
    let uri = format!("/api/calls/{id}/questions");
    let (status, error) = app.json("POST", &uri, json!({"text": "  "})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error["error"].as_str().unwrap().starts_with("text"));
    let (status, error) = app
        .json("POST", &uri, json!({"text": "вопрос", "answer": "no-such"}))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error["error"].as_str().unwrap().contains("no-such"));
}

#[tokio::test]
async fn a_question_can_be_linked_relinked_and_unlinked() {
    let app = TestApp::new();
    let id = create(&app, json!({})).await["id"].as_i64().unwrap();
    let (_, q) = app
        .json(
            "POST",
            &format!("/api/calls/{id}/questions"),
            json!({"text": "почём доставка"}),
        )
        .await;
    let qid = q["id"].as_i64().unwrap();
    let uri = format!("/api/questions/{qid}/answer");
    assert_eq!(
        app.json("PUT", &uri, json!({"answer": "nested/delivery"}))
            .await
            .1["answer"],
        "nested/delivery"
    );
    assert_eq!(
        app.json("PUT", &uri, json!({"answer": "printer"})).await.1["answer"],
        "printer"
    );
    assert_eq!(
        app.json("PUT", &uri, json!({"answer": null})).await.1["answer"],
        Value::Null
    );
    let (status, _) = app.json("PUT", &uri, json!({"answer": "no-such"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (_, call) = app
        .json("GET", &format!("/api/calls/{id}"), Value::Null)
        .await;
    assert_eq!(call["questions"][0]["answer"], Value::Null);
}

#[tokio::test]
async fn calls_are_listed_by_date_range() {
    let app = TestApp::new();
    create(
        &app,
        json!({"started_at": "2026-10-01T09:00:00Z", "name": "Старый"}),
    )
    .await;
    create(
        &app,
        json!({"started_at": "2026-10-03T09:00:00Z", "name": "Новый"}),
    )
    .await;
    let (status, list) = app
        .json(
            "GET",
            "/api/calls?from=2026-10-01&to=2026-10-02",
            Value::Null,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let names: Vec<&str> = list["calls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Старый"]);
    let (status, _) = app
        .json("GET", "/api/calls?from=2026/10/01", Value::Null)
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}

/// Slugs for a query, polled until `expected` comes first or a generous deadline passes (the
/// index lags the database by a batch window).
async fn first_becomes(app: &TestApp, query: &str, expected: &str) -> Vec<String> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let slugs = app.search_slugs(query).await;
        if slugs.first().map(String::as_str) == Some(expected) || Instant::now() > deadline {
            return slugs;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn linked_caller_phrasings_rank_their_answer_first() {
    let app = TestApp::over(&shipped_knowledge(), Lang::Ru);
    let query = "заправка картриджа цена";
    let before = app.search_slugs(query).await;
    // Callers who asked this were read the price list: it is not the first hit by text alone.
    assert_ne!(before[0], "price-list", "{before:?}");
    for _ in 0..3 {
        let id = create(&app, json!({})).await["id"].as_i64().unwrap();
        let (status, _) = app
            .json(
                "POST",
                &format!("/api/calls/{id}/questions"),
                json!({"text": "сколько стоит заправка картриджа", "answer": "price-list"}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED);
    }
    let after = first_becomes(&app, query, "price-list").await;
    assert_eq!(after[0], "price-list", "before {before:?}, after {after:?}");
}

#[tokio::test]
async fn search_prefers_the_audience_of_the_call_kind() {
    let app = TestApp::new();
    let first = |body: Value| {
        body["hits"][0]["slug"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    };
    let q = crate::harness::encode("гарантийный талон");
    assert_eq!(
        first(
            app.json(
                "GET",
                &format!("/api/search?q={q}&kind=primary"),
                Value::Null
            )
            .await
            .1
        ),
        "talon-new"
    );
    assert_eq!(
        first(
            app.json(
                "GET",
                &format!("/api/search?q={q}&kind=secondary"),
                Value::Null
            )
            .await
            .1
        ),
        "talon-old"
    );
    let (status, _) = app
        .json("GET", "/api/search?q=x&kind=vip", Value::Null)
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn pages_name_the_operator_as_the_desk_knows_them_and_the_list_finds_them_by_a_part() {
    let app = TestApp::new();
    app.account("nastya", "operator-password-2026", Role::Operator);
    app.app
        .store
        .set_profile("nastya", Some("Анастасия Константинопольская"), None, None)
        .unwrap();
    let call = create(&app, json!({"name": "Михаил", "operator": "nastya"})).await;
    let id = call["id"].as_i64().unwrap();
    let (_, html) = app.get(&format!("/calls/{id}")).await;
    assert!(
        html.contains("Оператор: Анастасия Константинопольская"),
        "{html}"
    );
    let link = format!("href=\"/calls/{id}\"");
    for typed in ["%D0%B0%D0%BD%D0%B0%D1%81%D1%82", "nastya"] {
        let (_, list) = app.get(&format!("/calls?operator={typed}")).await;
        assert!(list.contains(&link), "{typed}: {list}");
        assert!(list.contains("Анастасия Константинопольская"), "{list}");
    }
    let (_, list) = app.get("/calls?operator=oleg").await;
    assert!(!list.contains(&link), "{list}");
}

#[tokio::test]
async fn desk_screen_shows_the_card_script_and_logged_questions() {
    let app = TestApp::new();
    let first = create(
        &app,
        json!({"phone": "8 (495) 123 45 67", "manager": "Елена Смирнова"}),
    )
    .await;
    let fid = first["id"].as_i64().unwrap();
    app.json(
        "POST",
        &format!("/api/calls/{fid}/questions"),
        json!({"text": "есть ли Canon 2100", "answer": "printer"}),
    )
    .await;
    let call = create(&app, json!({"name": "Михаил", "phone": "+74951234567"})).await;
    let id = call["id"].as_i64().unwrap();
    let (status, html) = app.get(&format!("/calls/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("Михаил, к сожалению"),
        "the script is filled with the caller's name"
    );
    assert!(html.contains("Звонил(а) раньше"));
    assert!(
        html.contains("есть ли Canon 2100"),
        "earlier calls show their questions"
    );
    assert!(html.contains(r#"id="question""#));
    assert!(html.contains("typical-question"));
}

#[tokio::test]
async fn plain_forms_record_a_call_and_its_questions() {
    let app = TestApp::new();
    let (status, headers, _) = app
        .post_form(
            "/calls",
            &[
                ("card", "1"),
                ("name", "Ирина"),
                ("phone", "123-45-67"),
                ("kind", "primary"),
                ("potential_client", "on"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let location = headers["location"].to_str().unwrap().to_string();
    let id: i64 = location.trim_start_matches("/calls/").parse().unwrap();
    let (status, _, _) = app
        .post_form(
            &format!("/calls/{id}/questions"),
            &[
                ("text", "а доставка бесплатная?"),
                ("answer", "nested/delivery"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, call) = app
        .json("GET", &format!("/api/calls/{id}"), Value::Null)
        .await;
    assert_eq!(call["name"], "Ирина");
    assert_eq!(call["questions"][0]["answer"], "nested/delivery");
    let qid = call["questions"][0]["id"].as_i64().unwrap();
    app.post_form(&format!("/questions/{qid}/answer"), &[("answer", "")])
        .await;
    let (_, call) = app
        .json("GET", &format!("/api/calls/{id}"), Value::Null)
        .await;
    assert_eq!(call["questions"][0]["answer"], Value::Null);
    let (status, html) = app.get("/calls").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Ирина"));
    // Not finished, and with no outcome, the list says so rather than leave a blank.
    let row = html
        .split("<tr")
        .find(|r| r.contains("Ирина"))
        .unwrap_or_else(|| panic!("{html}"));
    assert!(row.contains("не завершён"), "{row}");
}

#[tokio::test]
async fn a_returning_prospect_opened_from_the_new_call_card_stays_a_first_time_caller() {
    let app = TestApp::new();
    create(&app, json!({"phone": "8 (495) 123 45 67"})).await;
    let (status, headers, _) = app
        .post_form(
            "/calls",
            &[
                ("phone", "+7 495 123-45-67"),
                ("kind", ""),
                ("potential_client", ""),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let id = headers["location"]
        .to_str()
        .unwrap()
        .trim_start_matches("/calls/")
        .to_string();
    let (_, call) = app
        .json("GET", &format!("/api/calls/{id}"), Value::Null)
        .await;
    // Their earlier call was a first-time one nobody took: still a prospect, not a client.
    assert_eq!(call["kind"], "primary");
    assert_eq!(
        call["potential_client"], true,
        "a prospect who calls again is still a potential client"
    );
    assert_eq!(call["returning"], true);
    let (_, html) = app.get("/calls/new").await;
    assert!(
        html.contains(r#"name="kind" value="" checked"#),
        "the new card leaves the kind to earlier calls"
    );
}

#[tokio::test]
async fn a_desk_with_no_topics_asks_no_clarifying_question() {
    let with = TestApp::new();
    let (_, html) = with.get("/calls/new").await;
    assert!(
        html.contains(r#"name="topic""#),
        "the default desk has topics"
    );
    let call = create(&with, json!({"name": "Олег"})).await;
    let (_, desk) = with.get(&format!("/calls/{}", call["id"])).await;
    assert!(desk.contains(r#"name="topic""#), "the card asks it");
    let app = TestApp::with_setup(|app| app.desk.settings.topics.clear());
    let (_, html) = app.get("/calls/new").await;
    assert!(!html.contains(r#"name="topic""#), "{html}");
    let call = create(&app, json!({"name": "Олег"})).await;
    let (_, desk) = app.get(&format!("/calls/{}", call["id"])).await;
    assert!(!desk.contains(r#"name="topic""#), "{desk}");
}

#[tokio::test]
async fn a_callback_due_today_from_an_earlier_day_is_on_todays_list_first() {
    let app = TestApp::new();
    let yesterday = (chrono::Utc::now() - chrono::Duration::days(1)).to_rfc3339();
    let due = chrono::Utc::now().to_rfc3339();
    create(&app, json!({"started_at": yesterday, "name": "Перезвонить Олегу", "phone": "+7 903 111-22-33", "outcome": "callback", "callback_due": due})).await;
    create(
        &app,
        json!({"started_at": yesterday, "name": "Вчерашний без перезвона", "outcome": "answered"}),
    )
    .await;
    create(&app, json!({"name": "Сегодняшний"})).await;
    let (_, html) = app.get("/calls").await;
    let callback = html
        .find("Перезвонить Олегу")
        .expect("yesterday's callback is listed today");
    let today = html.find("Сегодняшний").unwrap();
    assert!(callback < today, "callbacks come first");
    assert!(!html.contains("Вчерашний без перезвона"));
}

#[tokio::test]
async fn date_ranges_are_checked() {
    let app = TestApp::new();
    let (status, _) = app
        .json(
            "GET",
            "/api/calls?from=2020-01-01&to=2026-01-01",
            Value::Null,
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = app
        .json(
            "GET",
            "/api/calls?from=2026-01-01&to=%2B262143-12-31",
            Value::Null,
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    // The day's list names a date or outcome that is not one, instead of showing today's.
    for bad in ["date=%2B262143-12-31", "date=2026-13-45", "outcome=unknown"] {
        let (status, html) = app.get(&format!("/calls?{bad}")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        let field = bad.split('=').next().unwrap();
        let label = if field == "date" {
            "«Дата»"
        } else {
            "«Итог»"
        };
        assert!(html.contains(label), "{bad}: {html}");
    }
    let (status, _) = app.get("/calls?date=&outcome=").await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn a_full_call_takes_no_more_questions() {
    let app = TestApp::new();
    let id = create(&app, json!({})).await["id"].as_i64().unwrap();
    for i in 0..callfaq::calls::MAX_QUESTIONS_PER_CALL {
        app.app
            .store
            .add_question(id, &format!("вопрос {i}"), None, chrono::Utc::now(), false)
            .unwrap();
    }
    let (status, error) = app
        .json(
            "POST",
            &format!("/api/calls/{id}/questions"),
            json!({"text": "ещё один"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error["error"].as_str().unwrap().contains("500"), "{error}");
}

/// The card's hidden `seen` field on a desk page.
fn seen_of(page: &str) -> String {
    let needle = r#"name="seen" value=""#;
    let at = page.find(needle).expect("the card says what it showed") + needle.len();
    page[at..at + page[at..].find('"').unwrap()].to_string()
}

/// A saved card's fields: name, phone, company and notes, and what it showed when opened.
fn card_form<'a>(values: [&'a str; 4], seen: Option<&'a str>) -> Vec<(&'a str, &'a str)> {
    let [name, phone, company, notes] = values;
    let mut form = vec![
        ("card", "1"),
        ("name", name),
        ("phone", phone),
        ("company", company),
        ("notes", notes),
        ("outcome", ""),
    ];
    form.extend(seen.map(|s| ("seen", s)));
    form
}

#[tokio::test]
async fn a_card_open_while_a_colleague_saved_keeps_their_save_and_refuses_a_clash() {
    let app = TestApp::new();
    let id = create(&app, json!({"name": "Ольга"})).await["id"]
        .as_i64()
        .unwrap();
    let (status, page) = app.get(&format!("/calls/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    let stale = seen_of(&page);

    // A colleague saves the company and a note while the card stays open.
    let (status, _) = app
        .json(
            "PATCH",
            &format!("/api/calls/{id}"),
            json!({"company": "ООО Ромашка", "notes": "Ждёт счёт до пятницы"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);

    // The open card, as it was shown, changes only the phone: the colleague's save stays.
    let phone = "+7 495 123-45-67";
    let form = card_form(["Ольга", phone, "", ""], Some(&stale));
    let (status, _, _) = app.post_form(&format!("/calls/{id}"), &form).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, saved) = app.get_json(&format!("/api/calls/{id}")).await;
    assert_eq!(saved["phone"], "+7 495 123-45-67");
    assert_eq!(
        saved["company"], "ООО Ромашка",
        "the colleague's company kept"
    );
    assert_eq!(
        saved["notes"], "Ждёт счёт до пятницы",
        "the colleague's note kept"
    );

    // The same open card now writes its own note over the colleague's: refused, nothing saved,
    // the colleague's note said, the operator's kept in the field, the rest as saved now.
    let mine = "Просил перезвонить Ивану";
    let form = card_form(["Ольга Петровна", phone, "", mine], Some(&stale));
    let (status, _, page) = app.post_form(&format!("/calls/{id}"), &form).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("коллега сохранил(а) в ней другое"), "{page}");
    assert!(page.contains("Заметки: сейчас сохранено «Ждёт счёт до пятницы»"));
    assert!(
        page.contains(">Просил перезвонить Ивану</textarea>"),
        "the operator's note kept"
    );
    assert!(
        page.contains(r#"value="ООО Ромашка""#),
        "the colleague's company shown"
    );
    let (_, saved) = app.get_json(&format!("/api/calls/{id}")).await;
    assert_eq!(saved["notes"], "Ждёт счёт до пятницы");
    assert_eq!(saved["name"], "Ольга", "nothing of the refused card saved");

    // Saved again from the card as shown, the operator's note goes over the colleague's.
    let fresh = seen_of(&page);
    assert_ne!(fresh, stale);
    let form = card_form(["Ольга", phone, "ООО Ромашка", mine], Some(&fresh));
    let (status, _, _) = app.post_form(&format!("/calls/{id}"), &form).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, saved) = app.get_json(&format!("/api/calls/{id}")).await;
    assert_eq!(saved["notes"], "Просил перезвонить Ивану");
    assert_eq!(saved["company"], "ООО Ромашка");

    // A card with no `seen` (an old page, a hand-made form) is saved whole, as before.
    let form = card_form(["Ольга", phone, "", ""], None);
    let (status, _, _) = app.post_form(&format!("/calls/{id}"), &form).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, saved) = app.get_json(&format!("/api/calls/{id}")).await;
    assert!(saved["notes"].is_null() || saved["notes"] == "");
}

#[tokio::test]
async fn a_patch_with_what_it_read_keeps_a_colleagues_save_and_refuses_a_clash() {
    let app = TestApp::new();
    let id = create(&app, json!({"name": "Ольга"})).await["id"]
        .as_i64()
        .unwrap();
    let (_, read) = app.get_json(&format!("/api/calls/{id}")).await;
    let seen = read["seen"]
        .as_str()
        .expect("a call read says what was read");

    // A colleague saves the company and a note after the program read the call.
    let (status, _) = app
        .json(
            "PATCH",
            &format!("/api/calls/{id}"),
            json!({"company": "ООО Ромашка", "notes": "Ждёт счёт"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);

    // The program sends back the card's fields as it read them, with its phone: the
    // colleague's fields stay.
    let mut echoed = json!({"seen": seen, "phone": "+7 495 123-45-67"});
    for field in [
        "name", "company", "notes", "manager", "topic", "kind", "outcome",
    ] {
        echoed[field] = read[field].clone();
    }
    let (status, saved) = app.json("PATCH", &format!("/api/calls/{id}"), echoed).await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(saved["phone"], "+7 495 123-45-67");
    assert_eq!(saved["company"], "ООО Ромашка");
    assert_eq!(saved["notes"], "Ждёт счёт");

    // Its own note over the colleague's: refused whole, naming the field.
    let (status, error) = app
        .json(
            "PATCH",
            &format!("/api/calls/{id}"),
            json!({"seen": seen, "notes": "Перезвонить Ивану", "name": "Ольга Петровна"}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(
        error["error"].as_str().unwrap().starts_with("notes:"),
        "{error}"
    );
    let (_, now) = app.get_json(&format!("/api/calls/{id}")).await;
    assert_eq!(now["notes"], "Ждёт счёт");
    assert_eq!(now["name"], "Ольга", "nothing of the refused change saved");

    // Read again, it goes through; with no `seen` a change is written as given, as before.
    let fresh = now["seen"].as_str().unwrap();
    assert_ne!(fresh, seen);
    let (status, _) = app
        .json(
            "PATCH",
            &format!("/api/calls/{id}"),
            json!({"seen": fresh, "notes": "Перезвонить Ивану"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, saved) = app
        .json(
            "PATCH",
            &format!("/api/calls/{id}"),
            json!({"notes": "Итог"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(saved["notes"], "Итог");

    // A `seen` the API did not give is refused, naming it.
    let (status, error) = app
        .json(
            "PATCH",
            &format!("/api/calls/{id}"),
            json!({"seen": "v1.0", "notes": "x"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        error["error"].as_str().unwrap().starts_with("seen:"),
        "{error}"
    );
}

#[tokio::test]
async fn a_russian_number_reads_in_one_form_on_the_pages_however_it_was_typed() {
    let app = TestApp::new();
    let call = create(&app, json!({"name": "Ирина", "phone": "8 (916) 555-44-33"})).await;
    // Kept as typed: the card and the script read it back so.
    assert_eq!(call["phone"], "8 (916) 555-44-33");
    create(&app, json!({"name": "Ирина", "phone": "+7 916 5554433"})).await;
    let (status, page) = app.get("/calls").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(page.matches("+7 916 555-44-33").count(), 2, "{page}");
    assert!(!page.contains("8 916 555-44-33"), "{page}");
}
