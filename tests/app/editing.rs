//! The editors' workbench: answers saved from the form and the API, conflicts with a file
//! changed on disk, the history with its diffs and restore, retire, rename (caller questions
//! follow), review dates, a new answer, the preview, and who may do it.

use crate::harness::TestApp;
use axum::http::StatusCode;
use callfaq::accounts::Role;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

const PRINTER: &str = "Сколько стоит принтер Canon 2100?";

fn file(app: &TestApp, slug: &str) -> Option<String> {
    std::fs::read_to_string(app.knowledge.join(format!("{slug}.md"))).ok()
}

async fn source(app: &TestApp, slug: &str) -> Value {
    let (status, body) = app.get_json(&format!("/api/answers/source/{slug}")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

async fn versions(app: &TestApp, slug: &str) -> Vec<(i64, String, Option<String>)> {
    let (status, body) = app.get_json(&format!("/api/answers/history/{slug}")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["id"].as_i64().unwrap(),
                v["how"].as_str().unwrap().to_string(),
                v["by"].as_str().map(str::to_string),
            )
        })
        .collect()
}

fn hows(versions: &[(i64, String, Option<String>)]) -> Vec<&str> {
    versions.iter().map(|v| v.1.as_str()).collect()
}

/// The printer's edit form with the body changed.
fn printer_form(version: &str, body: &str) -> Vec<(&'static str, String)> {
    vec![
        ("version", version.to_string()),
        ("title", PRINTER.to_string()),
        (
            "questions",
            "цена принтера кэнон\nпочём принтер".to_string(),
        ),
        ("audience", "primary".to_string()),
        ("tags", "принтеры, цены".to_string()),
        ("reviewed", "2026-11-20".to_string()),
        ("body", body.to_string()),
    ]
}

async fn post_form(
    app: &TestApp,
    uri: &str,
    fields: &[(&str, String)],
) -> (StatusCode, axum::http::HeaderMap, String) {
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    app.post_form(uri, &fields).await
}

#[tokio::test]
async fn an_editor_saves_the_form_the_file_changes_search_follows_and_the_history_has_both() {
    let app = TestApp::new();
    let editor = app.as_token(Some(app.token_for(Role::Editor)));
    let (status, page) = editor.call("GET", "/answers/edit/printer", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains(PRINTER) && page.contains("24 900"),
        "the form holds the file's fields"
    );
    let operator = app.as_token(Some(app.token_for(Role::Operator)));
    assert_eq!(
        operator.call("GET", "/answers/edit/printer", None).await.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        operator
            .call("GET", "/api/answers/source/printer", None)
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        operator.call("GET", "/answers/printer", None).await.0,
        StatusCode::OK
    );

    let version = source(&app, "printer").await["version"]
        .as_str()
        .unwrap()
        .to_string();
    let body = "**Скажите клиенту:** Принтер Canon 2100 стоит 26 500 рублей, привезём послезавтра.\n\nСклад пополняется по средам.";
    let (status, headers, _) =
        post_form(&app, "/answers/edit/printer", &printer_form(&version, body)).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(headers["location"]
        .to_str()
        .unwrap()
        .starts_with("/answers/edit/printer?saved"));
    let on_disk = file(&app, "printer").unwrap();
    assert!(
        on_disk.contains("26 500 рублей") && on_disk.contains("reviewed = 2026-11-20"),
        "{on_disk}"
    );
    assert!(
        on_disk.starts_with("+++\ntitle = \"Сколько стоит принтер Canon 2100?\"\n"),
        "{on_disk}"
    );
    // Search has the new text at once, without waiting for the watcher.
    assert_eq!(
        app.search_slugs("пополняется по средам")
            .await
            .first()
            .map(String::as_str),
        Some("printer")
    );
    let history = versions(&app, "printer").await;
    assert_eq!(hows(&history), ["saved", "loaded"]);
    assert!(
        history[0].2.as_deref().unwrap().starts_with("token:"),
        "who saved it"
    );
    let (_, audit) = app.get_json("/api/audit").await;
    assert!(
        audit.to_string().contains("answer printer saved"),
        "{audit}"
    );
}

#[tokio::test]
async fn a_save_over_a_file_changed_on_disk_is_refused_and_loses_neither_text() {
    let app = TestApp::new();
    let opened = source(&app, "printer").await;
    let version = opened["version"].as_str().unwrap().to_string();
    // Someone edits the file in a text editor meanwhile.
    let theirs = opened["text"].as_str().unwrap().replace("24 900", "25 900");
    std::fs::write(app.knowledge.join("printer.md"), &theirs).unwrap();

    let mine = opened["text"].as_str().unwrap().replace("24 900", "23 900");
    let (status, conflict) = app
        .json(
            "PUT",
            "/api/answers/source/printer",
            json!({"text": mine, "version": version}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{conflict}");
    assert_eq!(conflict["text"], theirs, "the current text comes back");
    assert_eq!(
        file(&app, "printer").unwrap(),
        theirs,
        "the file is untouched"
    );
    assert_eq!(
        hows(&versions(&app, "printer").await),
        ["disk", "loaded"],
        "their change is in the history"
    );

    // The same through the form: the editor's text stays in it, the file's is beside it.
    let body = "**Скажите клиенту:** Принтер стоит 23 900 рублей.";
    let (status, _, page) =
        post_form(&app, "/answers/edit/printer", &printer_form(&version, body)).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(
        page.contains("23 900") && page.contains("25 900"),
        "both texts on the page"
    );
    // Compared as an editor reads them: the file's line against the editor's, the fields the
    // two share unmarked, and the dates as the page's language writes them.
    let compared = &page[page.find("table class=\"diff\"").expect("a comparison")..];
    let compared = &compared[..compared.find("</table>").unwrap()];
    assert!(
        compared.contains("<del>**Скажите клиенту:** Принтер Canon 2100 стоит 25 900 рублей")
            && compared.contains("<ins>**Скажите клиенту:** Принтер стоит 23 900 рублей."),
        "{compared}"
    );
    assert!(
        compared.contains(&format!(
            "<tr class=\"same\"><td class=\"mark\"> </td><td>Типовой вопрос: {PRINTER}</td>"
        )),
        "{compared}"
    );
    assert!(compared.contains("20.11.2026"), "{compared}");
    assert!(
        !compared.contains("+++"),
        "no front matter where the fields can be read: {compared}"
    );
    assert_eq!(file(&app, "printer").unwrap(), theirs);
    // Saved again over the version shown, it goes through.
    let current = source(&app, "printer").await["version"]
        .as_str()
        .unwrap()
        .to_string();
    let (status, saved) = app
        .json(
            "PUT",
            "/api/answers/source/printer",
            json!({"text": mine, "version": current}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(file(&app, "printer").unwrap(), mine);
}

#[tokio::test]
async fn a_broken_text_is_refused_with_each_problem_and_the_form_keeps_what_was_typed() {
    let app = TestApp::new();
    let version = source(&app, "printer").await["version"]
        .as_str()
        .unwrap()
        .to_string();
    let before = file(&app, "printer").unwrap();
    let (status, body) = app
        .json(
            "PUT",
            "/api/answers/source/printer",
            json!({"text": "+++\ntitle = \"Принтер\"\naudiense = \"all\"\nreviewed = 2026-11-20\n+++\nтекст\n", "version": version}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(
        body["error"]
            .as_str()
            .unwrap()
            .starts_with("printer.md:3: "),
        "{body}"
    );
    assert!(
        body["problems"][0]["message"]
            .as_str()
            .unwrap()
            .contains("audiense"),
        "{body}"
    );
    // A title another answer has.
    let (status, body) = app
        .json(
            "PUT",
            "/api/answers/source/printer",
            json!({"text": before.replace(PRINTER, "Удалённое администрирование серверов"), "version": version}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body["error"].as_str().unwrap().contains("remote-admin"),
        "{body}"
    );
    // Over the size an answer may be.
    let long = format!("{before}{}", "длинный текст ".repeat(20_000));
    let (status, body) = app
        .json(
            "PUT",
            "/api/answers/source/printer",
            json!({"text": long, "version": version}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body["error"].as_str().unwrap().contains("КБ"), "{body}");
    assert_eq!(file(&app, "printer").unwrap(), before, "nothing written");

    let mut form = printer_form(&version, "мой новый текст, набранный только что");
    form[1].1 = String::new();
    let (status, _, page) = post_form(&app, "/answers/edit/printer", &form).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("мой новый текст, набранный только что"),
        "the typed body is kept"
    );
    assert!(
        page.contains("field-problem"),
        "the problem beside its field"
    );
    assert_eq!(file(&app, "printer").unwrap(), before);
}

#[tokio::test]
async fn the_history_shows_what_changed_and_restores_an_earlier_version() {
    let app = TestApp::new();
    let original = file(&app, "printer").unwrap();
    let version = source(&app, "printer").await["version"]
        .as_str()
        .unwrap()
        .to_string();
    let changed = original.replace(
        "Доставка по Москве на следующий рабочий день.",
        "Доставка по Москве за два дня.",
    );
    let (status, _) = app
        .json(
            "PUT",
            "/api/answers/source/printer",
            json!({"text": changed, "version": version}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let history = versions(&app, "printer").await;
    let (saved, loaded) = (history[0].0, history[1].0);
    let (status, page) = app
        .get(&format!("/answers/history/printer?diff={saved}"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains(r#"<tr class="removed">"#) && page.contains("следующий рабочий день"),
        "{page}"
    );
    assert!(page.contains(r#"<tr class="added">"#) && page.contains("за два дня"));

    let (status, restored) = app
        .json(
            "POST",
            &format!("/api/answers/restore/{loaded}/printer"),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{restored}");
    assert_eq!(file(&app, "printer").unwrap(), original);
    assert_eq!(
        hows(&versions(&app, "printer").await),
        ["restored", "saved", "loaded"]
    );
    assert!(app
        .search_slugs("следующий рабочий день")
        .await
        .contains(&"printer".to_string()));
    let (status, _) = app
        .json("POST", "/api/answers/restore/999999/printer", json!({}))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // From the history page: back on it, which says the version is restored.
    let (status, headers, _) = app
        .post_form(&format!("/answers/restore/{loaded}/printer"), &[])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let location = headers["location"].to_str().unwrap();
    assert!(location.ends_with("?restored=1"), "{location}");
    let (_, page) = app.get(location).await;
    assert!(page.contains("Версия возвращена"), "{page}");
}

#[tokio::test]
async fn a_retired_answer_leaves_search_keeps_its_history_and_comes_back() {
    let app = TestApp::new();
    let (_, call) = app.json("POST", "/api/calls", json!({})).await;
    let uri = format!("/api/calls/{}/questions", call["id"]);
    app.json(
        "POST",
        &uri,
        json!({"text": "сколько стоит кэнон", "answer": "printer"}),
    )
    .await;
    let (status, _) = app
        .json("POST", "/api/answers/retire/printer", json!({}))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(file(&app, "printer").is_none());
    assert!(!app
        .search_slugs("принтер canon 2100")
        .await
        .contains(&"printer".to_string()));
    // Its page says it was retired, by its title, not that there is no such answer.
    let (status, page) = app.get("/answers/printer").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(
        page.contains(&format!("Ответ «{PRINTER}» убран из поиска")),
        "{page}"
    );
    let (_, saved) = app.get_json(&format!("/api/calls/{}", call["id"])).await;
    assert_eq!(
        saved["questions"][0]["answer"], "printer",
        "past caller questions keep their link"
    );
    let (status, review) = app.get("/review").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        review.contains(PRINTER) && review.contains("/answers/history/printer"),
        "listed as retired"
    );
    // Retired from its page, the review page says so and where to bring it back.
    // Marked checked from the review list: back on it, which says so.
    let (status, headers, _) = app
        .post_form("/answers/reviewed/remote-admin", &[("back", "review")])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let location = headers["location"].to_str().unwrap();
    assert_eq!(location, "/review?reviewed=remote-admin");
    let (_, said) = app.get(location).await;
    assert!(said.contains("отмечен проверенным сегодня"), "{said}");
    let (_, said) = app.get("/review?retired=printer").await;
    assert!(
        said.contains("убран из поиска; его история сохранена")
            && said.contains("Вернуть: история ответа"),
        "{said}"
    );
    let history = versions(&app, "printer").await;
    assert_eq!(hows(&history), ["retired", "loaded"]);
    let (status, _) = app
        .json(
            "POST",
            &format!("/api/answers/restore/{}/printer", history[1].0),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(file(&app, "printer").is_some());
    assert_eq!(
        app.search_slugs("принтер canon 2100")
            .await
            .first()
            .map(String::as_str),
        Some("printer")
    );
}

/// Renames the printer's answer to `printers/canon-2100` through the API.
async fn rename_printer(app: &TestApp) {
    let (status, body) = app
        .json(
            "POST",
            "/api/answers/rename/printer",
            json!({"to": "printers/canon-2100"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

#[tokio::test]
async fn a_form_open_while_its_answer_was_renamed_saves_under_the_new_name() {
    let app = TestApp::new();
    let version = source(&app, "printer").await["version"]
        .as_str()
        .unwrap()
        .to_string();
    rename_printer(&app).await;
    // The form of before, title unchanged: the answer's new name is said, both texts shown.
    let body = "**Скажите клиенту:** Принтер стоит 23 900 рублей.";
    let (status, _, page) =
        post_form(&app, "/answers/edit/printer", &printer_form(&version, body)).await;
    assert_eq!(status, StatusCode::CONFLICT, "{page}");
    assert!(
        page.contains("теперь его файл «printers/canon-2100»"),
        "{page}"
    );
    assert!(page.contains(r#"action="/answers/edit/printers/canon-2100""#));
    assert!(page.contains("23 900"), "the editor's text kept");
    // Saved from that page, the text goes to the answer under its new name.
    let needle = r#"name="version" value=""#;
    let at = page.find(needle).unwrap() + needle.len();
    let shown = &page[at..at + page[at..].find('"').unwrap()];
    let (status, _, page) = post_form(
        &app,
        "/answers/edit/printers/canon-2100",
        &printer_form(shown, body),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{page}");
    assert!(file(&app, "printers/canon-2100")
        .unwrap()
        .contains("23 900"));
    assert!(file(&app, "printer").is_none());
}

#[tokio::test]
async fn a_form_open_while_its_answer_was_retired_says_so_and_saves_the_text_as_a_new_answer() {
    let app = TestApp::new();
    let version = source(&app, "printer").await["version"]
        .as_str()
        .unwrap()
        .to_string();
    let (status, _) = app
        .json("POST", "/api/answers/retire/printer", json!({}))
        .await;
    assert_eq!(status, StatusCode::OK);
    let body = "**Скажите клиенту:** Принтер стоит 23 900 рублей.";
    let (status, _, page) =
        post_form(&app, "/answers/edit/printer", &printer_form(&version, body)).await;
    assert_eq!(status, StatusCode::CONFLICT, "{page}");
    // Said as retired, with its history, the text kept, saved as a new answer from here;
    // nothing more offered for the answer that is gone.
    assert!(page.contains("этот ответ убрали из поиска"), "{page}");
    assert!(
        page.contains(r#"href="/answers/history/printer""#),
        "{page}"
    );
    assert!(page.contains(r#"formaction="/new-answer""#), "{page}");
    assert!(page.contains("23 900"), "the editor's text kept");
    assert!(!page.contains("/answers/retire/printer"), "{page}");
    assert!(
        !page.contains(r#"href="/answers/printer""#),
        "no page to go back to: {page}"
    );
    // Sent under the old name, it is refused there, the cursor in the name.
    let mut named = printer_form(&version, body);
    named.retain(|(k, _)| *k != "version");
    named.push(("slug", "printer".to_string()));
    let (status, _, refused) = post_form(&app, "/new-answer", &named).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    let at = refused.find(r#"id="edit-slug""#).expect("the name's field");
    let tag = &refused[at..at + refused[at..].find('>').unwrap()];
    assert!(tag.contains("autofocus"), "{tag}");
    // Sent that way, the text is a new answer under a name of its own.
    let mut form = printer_form(&version, body);
    form.retain(|(k, _)| *k != "version");
    let (status, headers, page) = post_form(&app, "/new-answer", &form).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{page}");
    let to = headers["location"].to_str().unwrap().to_string();
    assert!(!to.ends_with("/printer"), "{to}");
    assert!(file(&app, "printer").is_none(), "the old name stays free");
    let (_, created) = app.get(&to).await;
    assert!(created.contains("23 900"), "{created}");
}

#[tokio::test]
async fn a_renamed_answer_takes_its_questions_history_and_reports_and_the_old_address_redirects() {
    let app = TestApp::new();
    let (_, call) = app.json("POST", "/api/calls", json!({})).await;
    let uri = format!("/api/calls/{}/questions", call["id"]);
    app.json(
        "POST",
        &uri,
        json!({"text": "сколько стоит кэнон", "answer": "printer"}),
    )
    .await;
    rename_printer(&app).await;
    assert!(file(&app, "printer").is_none() && file(&app, "printers/canon-2100").is_some());
    let (status, headers, _) = app
        .send(
            axum::http::Request::get("/answers/printer")
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(status, StatusCode::PERMANENT_REDIRECT);
    assert_eq!(headers["location"], "/answers/printers/canon-2100");
    // So are its editors' pages: a bookmark, a link on a page opened before the rename.
    for page in ["edit", "history"] {
        let (status, headers, _) = app
            .send(
                axum::http::Request::get(format!("/answers/{page}/printer"))
                    .body(axum::body::Body::empty())
                    .unwrap(),
            )
            .await;
        assert_eq!(status, StatusCode::PERMANENT_REDIRECT, "{page}");
        assert_eq!(
            headers["location"],
            format!("/answers/{page}/printers/canon-2100")
        );
    }
    let (_, saved) = app.get_json(&format!("/api/calls/{}", call["id"])).await;
    assert_eq!(saved["questions"][0]["answer"], "printers/canon-2100");
    // A desk page opened before the rename logs and links by the old name: the new one is meant.
    let (status, late) = app
        .json(
            "POST",
            &uri,
            json!({"text": "кэнон не печатает", "answer": "printer"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{late}");
    assert_eq!(late["answer"], "printers/canon-2100");
    let (status, relinked) = app
        .json(
            "PUT",
            &format!("/api/questions/{}/answer", late["id"]),
            json!({"answer": "printer"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{relinked}");
    assert_eq!(relinked["answer"], "printers/canon-2100");
    app.json(
        "DELETE",
        &format!("/api/questions/{}", late["id"]),
        json!({}),
    )
    .await;
    let today = app.app.clock.today();
    let (_, report) = app
        .get_json(&format!("/api/reports/questions?from={today}&to={today}"))
        .await;
    assert_eq!(
        report["rows"][0]["key"], "answer:printers/canon-2100",
        "{report}"
    );
    assert_eq!(
        hows(&versions(&app, "printers/canon-2100").await),
        ["renamed", "loaded"]
    );
    assert_eq!(
        app.search_slugs("принтер canon 2100")
            .await
            .first()
            .map(String::as_str),
        Some("printers/canon-2100")
    );
    // A taken or bad name is refused.
    let (status, _) = app
        .json(
            "POST",
            "/api/answers/rename/remote-admin",
            json!({"to": "printers/canon-2100"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = app
        .json(
            "POST",
            "/api/answers/rename/remote-admin",
            json!({"to": "Удалённое"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = app
        .json(
            "POST",
            "/api/answers/rename/remote-admin",
            json!({"to": "x/edit"}),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a word the editors' pages use"
    );
    // On the page, a refused name is said under its field on the answer's own form, as typed.
    let (status, _, page) = app
        .post_form(
            "/answers/rename/remote-admin",
            &[("to", "printers/canon-2100")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let rename = page
        .split("/answers/rename/remote-admin")
        .nth(1)
        .and_then(|f| f.split("</form>").next())
        .unwrap_or_else(|| panic!("no rename form: {page}"));
    assert!(
        rename.contains("field-problem")
            && rename.contains("value=\"printers/canon-2100\"")
            && rename.contains("aria-invalid=\"true\""),
        "{rename}"
    );
    assert!(page.contains("name=\"title\""), "the answer's form: {page}");
}

#[tokio::test]
async fn answers_not_checked_for_long_are_listed_and_marked_reviewed() {
    let app = TestApp::new();
    let opened = source(&app, "remote-admin").await;
    let old = opened["text"]
        .as_str()
        .unwrap()
        .replace("reviewed = 2026-11-01", "reviewed = 2025-01-15");
    assert_ne!(old, opened["text"].as_str().unwrap());
    app.json(
        "PUT",
        "/api/answers/source/remote-admin",
        json!({"text": old, "version": opened["version"]}),
    )
    .await;
    let (_, page) = app.get("/review").await;
    assert!(
        page.contains("Удалённое администрирование серверов") && page.contains("15.01.2025"),
        "{page}"
    );
    let (status, _, _) = app
        .post_form("/answers/reviewed/remote-admin", &[("back", "review")])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let today = app.app.clock.today().to_string();
    assert!(file(&app, "remote-admin")
        .unwrap()
        .contains(&format!("reviewed = {today}")));
    assert_eq!(hows(&versions(&app, "remote-admin").await)[0], "reviewed");
    let (_, page) = app.get("/review").await;
    assert!(!page.contains("15.01.2025"));
    // From the editor, its page says what was done.
    let (_, headers, _) = app.post_form("/answers/reviewed/remote-admin", &[]).await;
    let location = headers["location"].to_str().unwrap();
    assert_eq!(location, "/answers/edit/remote-admin?saved=reviewed");
    let (_, page) = app.get(location).await;
    assert!(page.contains("Отмечено: ответ проверен сегодня."), "{page}");
    let (_, answer) = app.get("/answers/remote-admin").await;
    let shown = app.app.clock.today().format("%d.%m.%Y").to_string();
    assert!(
        answer.contains(&shown),
        "the operator sees when it was checked"
    );
}

#[tokio::test]
async fn a_new_answer_is_written_from_the_form_with_a_slug_from_its_title() {
    let app = TestApp::new();
    let (status, page) = app.get("/new-answer").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(r#"name="slug""#));
    let fields = vec![
        ("title", "Можно ли оплатить картой?".to_string()),
        ("slug", String::new()),
        ("questions", "оплата картой\nпринимаете карты".to_string()),
        ("audience", "all".to_string()),
        ("tags", "оплата".to_string()),
        ("reviewed", "2026-12-01".to_string()),
        (
            "body",
            "**Скажите клиенту:** Да, принимаем карты в офисе и по ссылке.".to_string(),
        ),
    ];
    let (status, headers, _) = post_form(&app, "/new-answer", &fields).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        headers["location"],
        "/answers/edit/mozhno-li-oplatit-kartoy?saved"
    );
    assert!(file(&app, "mozhno-li-oplatit-kartoy")
        .unwrap()
        .contains("questions = [\"оплата картой\", \"принимаете карты\"]"));
    assert_eq!(
        app.search_slugs("оплатить картой")
            .await
            .first()
            .map(String::as_str),
        Some("mozhno-li-oplatit-kartoy")
    );
    assert_eq!(
        hows(&versions(&app, "mozhno-li-oplatit-kartoy").await),
        ["created"]
    );
    // The same title again is refused, beside the field.
    let (status, _, page) = post_form(&app, "/new-answer", &fields).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("field-problem"));
}

#[tokio::test]
async fn the_preview_renders_as_the_answer_page_does_and_says_what_a_save_would_refuse() {
    let app = TestApp::new();
    let (status, body) = app
        .json(
            "POST",
            "/api/preview",
            json!({"title": "", "audience": "all", "reviewed": "2026-12-01", "body": "**Скажите:** да <script>alert(1)</script>"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let html = body["html"].as_str().unwrap();
    assert!(
        html.contains("<strong>Скажите:</strong>") && !html.contains("<script"),
        "{html}"
    );
    assert_eq!(body["problems"][0]["field"], "title", "{body}");
    let (_, body) = app
        .json("POST", "/api/preview", json!({"title": "Доставка в выходные", "audience": "all", "reviewed": "2026-12-01", "body": "Да."}))
        .await;
    assert_eq!(body["problems"], json!([]));
    assert_eq!(body["proposed_slug"], "dostavka-v-vykhodnye");
    // A new answer's typed name is checked as the save checks it; an answer edited as itself
    // is not in its own way.
    for (new_slug, says) in [
        ("remote-admin", "remote-admin"),
        ("prices/edit", "edit"),
        ("Цены", "латинские"),
    ] {
        let (_, body) = app
            .json("POST", "/api/preview", json!({"title": "Доставка в выходные", "audience": "all", "reviewed": "2026-12-01", "body": "Да.", "new_slug": new_slug}))
            .await;
        assert_eq!(body["problems"][0]["field"], "slug", "{new_slug}: {body}");
        let message = body["problems"][0]["message"].as_str().unwrap();
        assert!(message.contains(says), "{new_slug}: {message}");
    }
    let (_, body) = app
        .json("POST", "/api/preview", json!({"title": "Доставка в выходные", "audience": "all", "reviewed": "2026-12-01", "body": "Да.", "slug": "remote-admin"}))
        .await;
    assert_eq!(body["problems"], json!([]), "{body}");
}

#[tokio::test]
async fn a_change_made_on_disk_appears_in_the_history() {
    let app = TestApp::watched();
    let text = file(&app, "remote-admin")
        .unwrap()
        .replace("**Скажите клиенту:**", "**Скажите клиенту:** Новое:");
    std::fs::write(app.knowledge.join("remote-admin.md"), &text).unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if hows(&versions(&app, "remote-admin").await) == ["disk", "loaded"] {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the change on disk was not recorded"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(source(&app, "remote-admin").await["text"], text);
}

#[tokio::test]
async fn a_groups_write_an_answer_opens_the_form_with_its_phrasings_and_saving_links_the_group() {
    let app = TestApp::new();
    let (_, call) = app.json("POST", "/api/calls", json!({})).await;
    let uri = format!("/api/calls/{}/questions", call["id"]);
    for text in [
        "когда сможет приехать ваш инженер",
        "инженер может приехать к нам завтра",
        "во сколько приедет инженер",
    ] {
        app.json("POST", &uri, json!({"text": text})).await;
    }
    let deadline = Instant::now() + Duration::from_secs(10);
    let group = loop {
        let (_, groups) = app.get_json("/api/groups").await;
        if let Some(g) = groups["groups"]
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["count"] == 3)
        {
            break g["id"].as_i64().unwrap();
        }
        assert!(Instant::now() < deadline, "no group: {groups}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let (status, page) = app.get(&format!("/new-answer?group={group}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("во сколько приедет инженер")
            && page.contains(&format!(r#"name="group" value="{group}""#))
    );
    // Written for a group, the menu marks the queue it came from, not the review.
    assert!(
        page.contains(r#"href="/groups" aria-current="page""#),
        "{page}"
    );
    let fields = vec![
        ("group", group.to_string()),
        ("title", "Когда приедет инженер?".to_string()),
        ("slug", "engineer-arrival".to_string()),
        ("questions", "во сколько приедет инженер".to_string()),
        ("audience", "all".to_string()),
        ("tags", String::new()),
        ("reviewed", "2026-12-01".to_string()),
        (
            "body",
            "**Скажите клиенту:** Инженер приезжает в течение четырёх часов.".to_string(),
        ),
    ];
    let (status, _, _) = post_form(&app, "/new-answer", &fields).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, saved) = app.get_json(&format!("/api/calls/{}", call["id"])).await;
    assert!(
        saved["questions"]
            .as_array()
            .unwrap()
            .iter()
            .all(|q| q["answer"] == "engineer-arrival"),
        "{saved}"
    );
}
