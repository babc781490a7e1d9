//! The JSON API: search and answers.

use crate::harness::TestApp;
use axum::http::StatusCode;

#[tokio::test]
async fn search_answers_with_the_documented_shape() {
    let app = TestApp::new();
    let (status, body) = app
        .get_json("/api/search?q=%D0%BF%D1%80%D0%B8%D0%BD%D1%82%D0%B5%D1%80")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["query"], "принтер");
    assert!(body["took_ms"].as_f64().unwrap() >= 0.0);
    let hit = &body["hits"][0];
    assert_eq!(hit["slug"], "printer");
    assert_eq!(hit["title"], "Сколько стоит принтер Canon 2100?");
    assert!(hit["snippet"].as_str().unwrap().contains("<mark>"), "{hit}");
    assert!(hit["score"].as_f64().unwrap() > 0.0);
}

#[tokio::test]
async fn an_opening_being_typed_looks_for_nothing_and_says_so() {
    let app = TestApp::new();
    for q in ["Скажите, а у вас ", "Скажите, а у в", "у", "Скаж"] {
        let (status, body) = app
            .get_json(&format!("/api/search?q={}", crate::harness::encode(q)))
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body["has_words"], false, "{q}: {body}");
        assert_eq!(body["hits"], serde_json::json!([]), "{q}");
    }
    let (_, body) = app
        .get_json(&format!(
            "/api/search?q={}",
            crate::harness::encode("у вас принт")
        ))
        .await;
    assert_eq!(body["has_words"], true, "{body}");
    assert_eq!(body["hits"][0]["slug"], "printer", "{body}");
}

#[tokio::test]
async fn plural_and_wrong_layout_find_the_printer_first() {
    let app = TestApp::new();
    assert_eq!(app.search_slugs("принтеры").await[0], "printer");
    assert_eq!(app.search_slugs("ghbynth").await[0], "printer");
}

#[tokio::test]
async fn typo_and_yo_find_remote_administration() {
    let app = TestApp::new();
    assert_eq!(
        app.search_slugs("админстрирование").await[0],
        "remote-admin"
    );
    assert_eq!(app.search_slugs("удаленное").await[0], "remote-admin");
}

#[tokio::test]
async fn query_syntax_characters_are_not_errors() {
    let app = TestApp::new();
    let long = "принтер:(\"".repeat(1100);
    for q in [
        "%22%3A(",
        "%20%20%20",
        "",
        "%F0%9F%98%80",
        "a%20AND%20(b%20OR",
        "*",
    ] {
        let (status, _) = app.get_json(&format!("/api/search?q={q}")).await;
        assert_eq!(status, StatusCode::OK, "q={q}");
    }
    let (status, _) = app
        .get_json(&format!("/api/search?q={}", crate::harness::encode(&long)))
        .await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn limit_defaults_to_ten_and_is_capped_at_fifty() {
    // Sixty answers that all say "тариф": more hits than the cap.
    let dir = tempfile::tempdir().unwrap();
    for i in 0..60 {
        let text = format!("+++\ntitle = \"Тариф номер {i}\"\naudience = \"all\"\nreviewed = 2026-11-01\n+++\n**Скажите клиенту:** тариф {i}.\n");
        std::fs::write(dir.path().join(format!("t{i}.md")), text).unwrap();
    }
    let app = TestApp::over(dir.path(), callfaq::i18n::Lang::Ru);
    let count = |body: serde_json::Value| body["hits"].as_array().unwrap().len();
    let q = crate::harness::encode("тариф");
    assert_eq!(
        count(app.get_json(&format!("/api/search?q={q}")).await.1),
        10
    );
    assert_eq!(
        count(app.get_json(&format!("/api/search?q={q}&limit=2")).await.1),
        2
    );
    assert_eq!(
        count(
            app.get_json(&format!("/api/search?q={q}&limit=100000"))
                .await
                .1
        ),
        50
    );
    let (status, body) = app.get_json("/api/search?q=x&limit=lots").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body["error"].as_str().unwrap().contains("limit"));
}

#[tokio::test]
async fn answer_json_has_every_field() {
    let app = TestApp::new();
    let (status, body) = app.get_json("/api/answers/nested/delivery").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["slug"], "nested/delivery");
    assert_eq!(body["title"], "Как работает доставка?");
    assert_eq!(body["questions"][0], "привезёте до офиса");
    assert_eq!(body["audience"], "all");
    assert_eq!(body["tags"][0], "доставка");
    assert_eq!(body["reviewed"], "2026-09-15");
    assert!(body["html"]
        .as_str()
        .unwrap()
        .contains("<strong>Скажите клиенту:</strong>"));
}

#[tokio::test]
async fn unknown_answer_is_a_json_404() {
    let app = TestApp::new();
    let (status, body) = app.get_json("/api/answers/no-such-answer").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body["error"].as_str().unwrap().contains("no-such-answer"));
}

#[tokio::test]
async fn healthz_answers_ok() {
    let (status, _) = TestApp::new().get("/healthz").await;
    assert_eq!(status, StatusCode::OK);
}

/// `curl -d '{...}'` sends JSON as a form: it is read as the JSON it is, the `+` of a phone kept.
#[tokio::test]
async fn json_sent_with_a_forms_content_type_is_read_as_json() {
    let app = TestApp::new();
    let request = axum::http::Request::post("/api/calls")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(axum::body::Body::from(r#"{"phone": "+7 495 123-45-67"}"#))
        .unwrap();
    let (status, _, body) = app.send(request).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let call: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(call["phone"], "+7 495 123-45-67");
}
