//! What a week at the desk showed, part two, through the in-process app: a field over its limit
//! refused in place with the rest of the card kept; broken answer files shown to editors with
//! their line, never entering the history; the spreadsheets as a Russian Excel reads them; a
//! search no answer fits said as such and counted in the report; grouping's one-click defaults.

use crate::harness::TestApp;
use axum::http::StatusCode;
use serde_json::{json, Value};

#[tokio::test]
async fn a_field_over_its_limit_is_refused_in_place_and_the_rest_of_the_card_is_kept() {
    let app = TestApp::new();
    let (_, call) = app.json("POST", "/api/calls", json!({})).await;
    let id = call["id"].as_i64().unwrap();
    let long = "очень подробная заметка ".repeat(90);
    assert!(long.chars().count() > 2000);
    let (status, _, page) = app
        .post_form(
            &format!("/calls/{id}"),
            &[
                ("card", "1"),
                ("name", "Ольга Иванова"),
                ("phone", "+7 495 123-45-67"),
                ("outcome", "answered"),
                ("notes", &long),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("«Заметки»: длиннее 2000 символов"),
        "the field by its label, in Russian"
    );
    assert!(!page.contains("notes:"), "no raw field key");
    for kept in ["Ольга Иванова", "+7 495 123-45-67", &long[..60]] {
        assert!(page.contains(kept), "{kept} kept on the card");
    }
    assert!(page.contains(r#"<option value="answered" selected>"#));
    let (_, saved) = app.get_json(&format!("/api/calls/{id}")).await;
    assert!(
        saved["name"].is_null(),
        "nothing of a refused card is saved"
    );

    // The new-call card too: a name too long keeps the number and the question.
    let name = "Я".repeat(2100);
    let (status, _, page) = app
        .post_form(
            "/calls",
            &[
                ("name", &name),
                ("phone", "8 916 000-11-22"),
                ("question", "сколько стоит заправка"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("«Имя»: длиннее"), "{}", &page[..400]);
    assert!(page.contains("8 916 000-11-22") && page.contains("сколько стоит заправка"));
    let (_, calls) = app.get_json("/api/calls").await;
    assert_eq!(
        calls["calls"].as_array().unwrap().len(),
        1,
        "no call opened"
    );
}

/// Every row of the first table of a CSV section, split at `;`.
fn rows(csv: &str) -> Vec<Vec<String>> {
    csv.trim_start_matches('\u{feff}')
        .split("\r\n")
        .take_while(|l| !l.is_empty())
        .map(|l| l.split(';').map(str::to_string).collect())
        .collect()
}

#[tokio::test]
async fn the_questions_spreadsheet_names_answers_by_title_and_says_whether_they_have_one_in_words()
{
    let app = TestApp::new();
    let (_, call) = app.json("POST", "/api/calls", json!({})).await;
    let id = call["id"].as_i64().unwrap();
    for (text, answer) in [
        ("сколько стоит принтер", Value::from("printer")),
        ("а кофемашины продаёте", Value::Null),
    ] {
        let (status, _) = app
            .json(
                "POST",
                &format!("/api/calls/{id}/questions"),
                json!({"text": text, "answer": answer}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED);
    }
    let (_, answer) = app.get_json("/api/answers/printer").await;
    let title = answer["title"].as_str().unwrap().to_string();
    let today = crate::harness::desk_clock().today();
    let (status, csv) = app
        .get(&format!(
            "/api/reports/questions?from={today}&to={today}&format=csv"
        ))
        .await;
    assert_eq!(status, StatusCode::OK);
    // The table under the report's title, as the page words it.
    let table = rows(&csv);
    assert_eq!(table[0][0], "О чём спрашивают", "{csv}");
    assert_eq!(table[1][0], "Типовой вопрос", "{csv}");
    assert_eq!(table[1][1], "Ответ");
    let printer = table.iter().find(|r| r[0] == title).expect("by its title");
    assert_eq!(printer[1], "есть");
    assert!(
        table.iter().skip(2).all(|r| !r[0].starts_with("answer:")),
        "{csv}"
    );
}

#[tokio::test]
async fn the_desk_report_page_shows_this_week_first() {
    let app = TestApp::new();
    // No calls yet: said once, no table of empty weeks.
    let (status, page) = app.get("/reports/desk").await;
    assert_eq!(status, StatusCode::OK);
    assert!(!page.contains("desk-weeks"), "{page}");
    assert!(page.contains("За этот период звонков нет."));
    app.json("POST", "/api/calls", serde_json::json!({})).await;
    let (_, page) = app.get("/reports/desk").await;
    // This week first, named by its days up to today.
    let today = crate::harness::desk_clock().today();
    let monday = callfaq::clock::week_monday(today);
    let this_week = format!("{}–{}", monday.format("%d.%m"), today.format("%d.%m.%Y"));
    let weeks = page.split("desk-weeks").nth(1).unwrap();
    let first = weeks.split("<tbody>").nth(1).unwrap();
    assert!(
        first.starts_with(&format!(r#"<tr><th scope="row">{this_week}</th>"#)),
        "{}",
        &first[..200]
    );
}

#[tokio::test]
async fn a_broken_answer_file_is_shown_to_editors_with_its_line_and_never_enters_the_history() {
    let app = TestApp::new();
    let printer = app.knowledge.join("printer.md");
    let good = std::fs::read_to_string(&printer).unwrap();
    // `reviewed` broken in an existing answer; a new file with no front matter at all.
    std::fs::write(
        &printer,
        good.replacen("reviewed = ", "reviewed = \"вчера\" # ", 1),
    )
    .unwrap();
    std::fs::write(
        app.knowledge.join("new-broken.md"),
        "title = \"Без шапки\"\nПросто текст.\n",
    )
    .unwrap();
    app.shelf.reload().unwrap();
    callfaq::actions::answers::record_disk(&app.app).unwrap();

    let (status, page) = app.get("/review").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Файлы с ошибками"), "{page}");
    assert!(page.contains("printer.md") && page.contains("new-broken.md"));
    assert!(
        page.contains("`reviewed` должно быть датой без кавычек")
            && page.contains("прежняя версия"),
        "Russian sentences with the fix: {page}"
    );
    assert!(page.contains("файл должен начинаться строкой `+++`"));
    assert!(
        page.contains(r#"href="/answers/edit/new-broken""#),
        "a link to fix it"
    );

    // The edit page of a file whose front matter cannot be read opens the whole file.
    let (status, page) = app.get("/answers/edit/new-broken").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(r#"name="text""#) && page.contains("Просто текст."));
    assert!(page.contains("Строка 1:"), "{page}");
    assert!(!page.contains(r#"id="edit-title""#), "no empty fields");
    // So does the printer, its problem and line above it.
    let (_, page) = app.get("/answers/edit/printer").await;
    assert!(page.contains("должно быть датой") && page.contains("Строка 7:"));
    assert!(page.contains(r#"name="text""#));

    // The history has no broken version: the last one is the good text.
    let (_, history) = app.get_json("/api/answers/history/printer").await;
    let versions = history["versions"].as_array().unwrap();
    let newest = versions[0]["id"].as_i64().unwrap();
    let (_, source) = app.get_json("/api/answers/source/printer").await;
    assert!(source["text"].as_str().unwrap().contains("вчера"));
    let (status, restored) = app
        .json(
            "POST",
            &format!("/api/answers/restore/{newest}/printer"),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{restored}");
    assert_eq!(std::fs::read_to_string(&printer).unwrap(), good);

    // The whole file fixed and saved through the page.
    let (_, source) = app.get_json("/api/answers/source/new-broken").await;
    let fixed = "+++\ntitle = \"Есть ли у вас парковка?\"\naudience = \"all\"\nreviewed = 2026-11-20\n+++\n**Скажите клиенту:** да, во дворе.\n";
    let (status, _, page) = app
        .post_form(
            "/answers/edit/new-broken",
            &[
                ("version", source["version"].as_str().unwrap()),
                ("text", fixed),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{page}");
    let (status, answer) = app.get_json("/api/answers/new-broken").await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["title"], "Есть ли у вас парковка?");
}

#[test]
fn a_question_no_answer_fits_is_said_on_the_search_page_and_counted_as_found_nothing() {
    use crate::browser::{report, search_counts, Browser, LOGIN};
    use std::time::{Duration, Instant};
    let Some(browser) = Browser::start() else {
        return;
    };
    let shipped = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge");
    let app = TestApp::with_meaning(&shipped);
    app.account(LOGIN.0, LOGIN.1, callfaq::accounts::Role::Operator);
    let base = app.serve();

    // Through the API: a question of the desk's fits; one of another trade does not.
    let token = app.token.clone().unwrap();
    let search = |q: &str| -> Value {
        ureq::get(&format!(
            "{base}/api/search?settled=1&q={}",
            crate::harness::encode(q)
        ))
        .header("authorization", &format!("Bearer {token}"))
        .call()
        .unwrap()
        .body_mut()
        .read_json()
        .unwrap()
    };
    assert_eq!(
        search("сколько стоит заправить картридж")["nothing_fits"],
        false
    );
    let far = search("можно заказать видеонаблюдение на склад");
    assert_eq!(far["nothing_fits"], true, "{far}");
    assert!(
        !far["hits"].as_array().unwrap().is_empty(),
        "the least bad still listed"
    );

    browser.login(&base, LOGIN.0, LOGIN.1);
    let input = browser.find("#q");
    let top = "return Math.round(document.getElementById('results').getBoundingClientRect().top)";
    let list_at = browser.script(top);
    browser.type_slowly(&input, "сделаете нам сайт");
    browser.wait_until(
        "the line that no answer fits",
        "const p = document.getElementById('nothing-fits'); return p && !p.hidden",
    );
    // Said in a box of the hint's height: the answers do not move.
    assert_eq!(browser.script(top), list_at);
    // In the keys' hint's place above the answers, seen without scrolling at 1366×768 (under
    // ten answers it was below the fold).
    assert_eq!(
        browser.script(
            "const p = document.getElementById('nothing-fits'); \
             const first = document.querySelector('#results li'); \
             return !!first && (p.compareDocumentPosition(first) & Node.DOCUMENT_POSITION_FOLLOWING) > 0 \
               && document.getElementById('search-hint').hidden \
               && p.getBoundingClientRect().bottom <= window.innerHeight"
        ),
        json!(true)
    );
    // Its link takes the keyboard to the form that logs the question.
    browser.script("document.getElementById('to-unanswered').click(); return null");
    assert_eq!(
        browser.script(
            "return document.activeElement === document.querySelector('#unanswered button[type=\"submit\"]')"
        ),
        json!(true)
    );
    let today = app.app.clock.today();
    let uri = format!("/api/reports/questions?from={today}&to={today}");
    let deadline = Instant::now() + Duration::from_secs(60);
    let after = loop {
        let now = report(&app, &base, &uri);
        if now["no_result_searches"] != json!([]) || Instant::now() > deadline {
            break now;
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    assert_eq!(
        search_counts(&after, "no_result_searches"),
        [("сделаете нам сайт".to_string(), 1)]
    );
    // Typing on hides it until the whole new question is weighed.
    browser.type_slowly(&input, " и заправите картридж");
    browser.wait_until(
        "the line gone, the hint back",
        "return document.getElementById('nothing-fits').hidden \
           && !document.getElementById('search-hint').hidden",
    );

    // A question only begun («по») has found nothing yet: nothing is said of it.
    browser.script("const q = document.getElementById('q'); q.value = ''; q.dispatchEvent(new Event('input')); return null");
    browser.type_slowly(&input, "по");
    browser.wait_until(
        "the list for «по»",
        "return document.getElementById('results').dataset.query === 'по'",
    );
    assert_eq!(
        browser.script(
            "return [document.getElementById('no-results').hidden, document.getElementById('nothing-fits').hidden]"
        ),
        json!([true, true])
    );

    // The desk screen says it on its status line, and no longer once the question fits.
    crate::browser::desk(&app, &base, &browser);
    let input = browser.find("#question");
    browser.type_slowly(&input, "сделаете нам сайт");
    let said = browser.wait_until(
        "the desk's line that no answer fits",
        "const s = document.getElementById('desk-status'); \
         return s.classList.contains('nothing-fits') ? s.textContent : null",
    );
    assert!(said.as_str().unwrap().contains("Enter"), "{said}");
    browser.type_slowly(&input, " и заправите картридж");
    browser.wait_until(
        "the desk's line back to its hint",
        "return !document.getElementById('desk-status').classList.contains('nothing-fits')",
    );
}

#[tokio::test]
async fn a_question_an_answer_plainly_fits_goes_to_that_answer_and_only_the_rest_are_grouped() {
    use std::time::{Duration, Instant};
    let shipped = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge");
    let app = TestApp::with_meaning(&shipped);
    let (_, call) = app.json("POST", "/api/calls", json!({})).await;
    let id = call["id"].as_i64().unwrap();
    let answered = [
        "где вы находитесь?",
        "вы работаете в субботу?",
        "у вас есть вакансии?",
    ];
    let unanswered = [
        "можно заказать видеонаблюдение на склад",
        "установка камер видеонаблюдения",
        "сделаете нам сайт?",
        "разработка интернет-магазина",
        "нужна онлайн-касса для магазина",
        "замена фискального накопителя",
    ];
    for text in answered.iter().chain(&unanswered) {
        let (status, _) = app
            .json(
                "POST",
                &format!("/api/calls/{id}/questions"),
                json!({"text": text}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED);
    }
    let deadline = Instant::now() + Duration::from_secs(60);
    while !app.app.store.unassigned(1).unwrap().is_empty() {
        assert!(Instant::now() < deadline, "the questions were not placed");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let (_, groups) = app.get_json("/api/groups").await;
    let grouped: Vec<String> = groups["groups"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["questions"].as_array().unwrap().clone())
        .map(|q| q["text"].as_str().unwrap_or_default().to_string())
        .collect();
    for text in answered {
        assert!(
            !grouped.iter().any(|g| g == text),
            "{text} is answered: {grouped:?}"
        );
    }
    for text in unanswered {
        assert!(
            grouped.iter().any(|g| g == text),
            "{text} has no answer: {grouped:?}"
        );
    }
    // Counted for their answers in the head's report.
    let today = crate::harness::desk_clock().today();
    let (_, report) = app
        .get_json(&format!("/api/reports/questions?from={today}&to={today}"))
        .await;
    let keys: Vec<&str> = report["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["key"].as_str().unwrap())
        .collect();
    for slug in ["office-address", "holidays-weekends", "vacancies"] {
        assert!(
            keys.contains(&format!("answer:{slug}").as_str()),
            "{keys:?}"
        );
    }
    // The call promises a callback: its page gives what to say to those questions too, though
    // nobody linked them.
    let due = (chrono::Utc::now() + chrono::Duration::hours(2)).to_rfc3339();
    let (status, body) = app
        .json(
            "PATCH",
            &format!("/api/calls/{id}"),
            json!({"phone": "+7 495 765-43-21", "contact_confirmed": true,
                   "outcome": "callback", "callback_due": due}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let callback = app
        .app
        .store
        .open_callback_of_call(id)
        .unwrap()
        .expect("the callback promised");
    let (status, page) = app.get(&format!("/callbacks/{}", callback.id)).await;
    assert_eq!(status, StatusCode::OK);
    let speech = crate::callbacks::speech_section(&page);
    for slug in ["office-address", "holidays-weekends", "vacancies"] {
        assert!(
            speech.contains(&format!(r#"href="/answers/{slug}""#)),
            "{slug}: {speech}"
        );
    }
}
