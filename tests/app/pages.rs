//! The HTML pages: search with and without a query, answers, not found, assets, language.

use crate::harness::{fixtures, TestApp};
use axum::http::StatusCode;
use callfaq::i18n::Lang;

#[tokio::test]
async fn search_page_has_a_focused_box_that_works_as_a_plain_form() {
    let (status, html) = TestApp::new().get("/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(r#"id="search-form""#), "{html}");
    assert!(html.contains(r#"method="get""#));
    assert!(html.contains(r#"name="q""#));
    assert!(html.contains("autofocus"));
    assert!(html.contains("Что спрашивает клиент"));
}

#[tokio::test]
async fn search_page_with_a_query_lists_results_without_javascript() {
    let (_, html) = TestApp::new()
        .get("/?q=%D0%BF%D1%80%D0%B8%D0%BD%D1%82%D0%B5%D1%80%D1%8B")
        .await;
    assert!(html.contains(r#"href="/answers/printer?q="#), "{html}");
    assert!(html.contains("<mark>"));
}

#[tokio::test]
async fn search_page_says_when_nothing_is_found() {
    let (_, html) = TestApp::new().get("/?q=zzzzqqq").await;
    let tag = no_results_tag(&html);
    assert!(!tag.contains("hidden"), "{tag}");
    let (_, html) = TestApp::new()
        .get("/?q=%D0%BF%D1%80%D0%B8%D0%BD%D1%82%D0%B5%D1%80")
        .await;
    assert!(no_results_tag(&html).contains("hidden"));
}

#[tokio::test]
async fn search_page_says_an_opening_looks_for_nothing_rather_than_found_nothing() {
    let q = crate::harness::encode("а у вас ");
    let (_, html) = TestApp::new().get(&format!("/?q={q}")).await;
    assert!(no_results_tag(&html).contains("hidden"));
    let tag = message_tag(&html, "Пока нечего искать");
    assert!(!tag.contains("hidden"), "{tag}");
    let (_, html) = TestApp::new().get("/?q=zzzzqqq").await;
    assert!(message_tag(&html, "Пока нечего искать").contains("hidden"));
}

/// The opening tag of the "nothing found" message.
fn no_results_tag(html: &str) -> &str {
    message_tag(html, "Ничего не нашлось")
}

/// The opening tag of the element whose text begins with `text`.
fn message_tag<'h>(html: &'h str, text: &str) -> &'h str {
    let at = html.find(text).expect("the message is on the page");
    let open = html[..at].rfind("<p").unwrap();
    &html[open..at]
}

#[tokio::test]
async fn answer_page_shows_the_phrase_to_say_first() {
    let (status, html) = TestApp::new().get("/answers/printer").await;
    assert_eq!(status, StatusCode::OK);
    let say = html.find("Скажите клиенту:").unwrap();
    let details = html.find("Доставка по Москве").unwrap();
    assert!(say < details);
    assert!(html.contains("<h1>Сколько стоит принтер Canon 2100?</h1>"));
    assert!(html.contains("20.11.2026"));
}

#[tokio::test]
async fn an_answer_pages_back_link_returns_where_it_was_opened_from() {
    let app = TestApp::new();
    let back = |html: &str| {
        let link = html
            .split("<p class=\"back\">")
            .nth(1)
            .and_then(|p| p.split("</p>").next())
            .unwrap_or_else(|| panic!("no back link: {html}"))
            .to_string();
        link
    };
    for (uri, href, label) in [
        ("/answers/printer", "href=\"/\"", "К поиску"),
        (
            "/answers/printer?q=%D0%BF%D1%80%D0%B8%D0%BD%D1%82%D0%B5%D1%80",
            "href=\"/?q=",
            "К поиску",
        ),
        (
            "/answers/printer?from=queue",
            "href=\"/groups\"",
            "К типовым вопросам",
        ),
        ("/answers/printer?group=7", "href=\"/groups/7\"", "К группе"),
        ("/answers/printer?group=x", "href=\"/\"", "К поиску"),
    ] {
        let (status, html) = app.get(uri).await;
        assert_eq!(status, StatusCode::OK, "{uri}");
        let link = back(&html);
        assert!(link.contains(href) && link.contains(label), "{uri}: {link}");
    }
}

#[tokio::test]
async fn answer_markup_from_a_file_is_inert_on_every_page() {
    let app = TestApp::new();
    for uri in [
        "/answers/unsafe",
        "/?q=%D0%BE%D0%BF%D0%B0%D1%81%D0%BD%D0%B0%D1%8F",
        "/api/answers/unsafe",
    ] {
        let (status, body) = app.get(uri).await;
        assert_eq!(status, StatusCode::OK, "{uri}");
        assert!(
            body.contains("Файл с опасной разметкой"),
            "{uri}: the answer is served"
        );
        assert!(!body.contains("<script>alert"), "{uri}: {body}");
        assert!(!body.contains("onerror"), "{uri}: {body}");
        assert!(!body.contains("javascript:"), "{uri}: {body}");
    }
}

#[tokio::test]
async fn unknown_answer_page_is_a_readable_404() {
    let (status, html) = TestApp::new().get("/answers/nope").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains("Такого ответа нет"));
}

#[tokio::test]
async fn english_interface_with_lang_en() {
    let app = TestApp::over(&fixtures(), Lang::En);
    let (_, html) = app.get("/").await;
    assert!(html.contains(r#"<html lang="en""#));
    assert!(html.contains("What does the caller ask?"));
}

#[tokio::test]
async fn stylesheet_and_script_are_served_from_the_binary() {
    let app = TestApp::new();
    let (status, css) = app.get("/static/app.css").await;
    assert_eq!(status, StatusCode::OK);
    assert!(css.contains(".hit"));
    let (status, js) = app.get("/static/app.js").await;
    assert_eq!(status, StatusCode::OK);
    assert!(js.contains("ArrowDown"));
}

/// Every page a Russian desk sees, with whatever it shows on a call and its errors: none may
/// show a string of the English table (a string spelled alike in both is no sign).
#[tokio::test]
async fn no_russian_page_shows_a_string_from_the_english_table() {
    let app = TestApp::new();
    app.account("anna", "anna-password-1", callfaq::accounts::Role::Operator);
    let (_, call) = app
        .json("POST", "/api/calls", serde_json::json!({"name": "Михаил", "phone": "+7 495 111-22-33", "outcome": "callback"}))
        .await;
    let id = call["id"].as_i64().unwrap();
    app.json(
        "POST",
        &format!("/api/calls/{id}/questions"),
        serde_json::json!({"text": "сколько стоит принтер", "answer": "printer"}),
    )
    .await;
    let (_, second) = app
        .json(
            "POST",
            "/api/calls",
            serde_json::json!({"phone": "+7 495 111-22-33"}),
        )
        .await;
    let second = second["id"].as_i64().unwrap();
    // A failed login, for the audit log on the admin page.
    app.post_form("/login", &[("login", "anna"), ("password", "wrong")])
        .await;
    let mut pages = vec![
        "/".to_string(),
        "/?q=принтер".into(),
        "/?q=абракадабра".into(),
        "/answers/printer?q=принтер".into(),
        "/answers/no-such".into(),
        "/calls".into(),
        "/calls/new".into(),
        format!("/calls/{id}"),
        format!("/calls/{second}"),
        "/calls/999999".into(),
        "/no/such/page".into(),
        "/admin".into(),
        "/account/password".into(),
        "/login".into(),
    ];
    pages.extend(["/calls?date=2026-01-01".to_string()]);
    let english: Vec<String> = callfaq::i18n::ALL
        .iter()
        .filter(|(_, ru, en)| ru != en)
        .flat_map(|(_, _, en)| {
            en.split("{}")
                .map(str::trim)
                .filter(|p| p.chars().count() >= 4)
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect();
    let mut found = Vec::new();
    for page in &pages {
        let (_, html) = app.get(page).await;
        let shown = html
            .replace("&#39;", "'")
            .replace("&quot;", "\"")
            .replace("&amp;", "&");
        for en in &english {
            let visible = [
                format!(">{en}<"),
                format!(">{en} "),
                format!(" {en}<"),
                format!("placeholder=\"{en}\""),
                format!("aria-label=\"{en}\""),
                format!("title=\"{en}\""),
            ];
            if visible.iter().any(|v| shown.contains(v)) {
                found.push(format!("{page}: {en}"));
            }
        }
    }
    assert!(
        found.is_empty(),
        "English on Russian pages:\n{}",
        found.join("\n")
    );
}

/// The reverse, for the English interface: a page in English shows no Russian UI string.
#[tokio::test]
async fn english_pages_show_no_string_of_the_russian_table() {
    let app = TestApp::over(&fixtures(), Lang::En);
    let (_, call) = app
        .json("POST", "/api/calls", serde_json::json!({"name": "Mike"}))
        .await;
    let id = call["id"].as_i64().unwrap();
    let russian: Vec<&str> = callfaq::i18n::ALL
        .iter()
        .filter(|(_, ru, en)| ru != en)
        .flat_map(|(_, ru, _)| {
            ru.split("{}")
                .map(str::trim)
                .filter(|p| p.chars().count() >= 4)
                .collect::<Vec<_>>()
        })
        .collect();
    for page in [
        "/".to_string(),
        "/calls".into(),
        "/calls/new".into(),
        format!("/calls/{id}"),
        "/admin".into(),
        "/no/such".into(),
    ] {
        let (_, html) = app.get(&page).await;
        for ru in &russian {
            assert!(!html.contains(&format!(">{ru}<")), "{page}: {ru}");
        }
    }
}
