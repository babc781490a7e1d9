//! Live reload: an edit shows without a restart; a broken edit keeps the last good version.

use crate::harness::TestApp;
use std::time::{Duration, Instant};

async fn title_of(app: &TestApp, slug: &str) -> String {
    let (_, body) = app.get_json(&format!("/api/answers/{slug}")).await;
    body["title"].as_str().unwrap_or_default().to_string()
}

async fn wait_for_title(app: &TestApp, slug: &str, expected: &str) -> bool {
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if title_of(app, slug).await == expected {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    false
}

#[tokio::test]
async fn edited_answer_is_served_without_a_restart() {
    let app = TestApp::watched();
    let path = app.knowledge.join("printer.md");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replace("Сколько стоит принтер Canon 2100?", "Почём Canon 2100?"),
    )
    .unwrap();
    assert!(wait_for_title(&app, "printer", "Почём Canon 2100?").await);
    assert_eq!(
        app.search_slugs("почём ").await.first().map(String::as_str),
        Some("printer")
    );
}

#[tokio::test]
async fn broken_edit_keeps_the_last_good_version_and_is_reported() {
    let app = TestApp::watched();
    let path = app.knowledge.join("printer.md");
    std::fs::write(&path, "+++\ntitle = \"Сломано\"\n").unwrap();
    // A new file written after the broken one tells us a reload has happened.
    let marker = std::fs::read_to_string(app.knowledge.join("nested/delivery.md"))
        .unwrap()
        .replace("Как работает доставка?", "Маркер перезагрузки");
    std::fs::write(app.knowledge.join("marker.md"), marker).unwrap();
    assert!(wait_for_title(&app, "marker", "Маркер перезагрузки").await);
    assert_eq!(
        title_of(&app, "printer").await,
        "Сколько стоит принтер Canon 2100?"
    );
    let problems = &app.shelf.current().problems;
    assert!(
        problems
            .iter()
            .any(|p| p.path == path && p.message().contains("last good version")),
        "{problems:?}"
    );
}

#[tokio::test]
async fn new_and_removed_files_are_noticed() {
    let app = TestApp::watched();
    std::fs::remove_file(app.knowledge.join("unsafe.md")).unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while app.get("/api/answers/unsafe").await.0 != axum::http::StatusCode::NOT_FOUND {
        assert!(Instant::now() < deadline, "removed answer still served");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
