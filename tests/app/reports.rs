//! Reports over an imported history with known counts (`tests/fixtures/history/`): the
//! question frequency report and the desk figures as JSON and CSV, bad parameters, who may see
//! them, the cheat sheet, and the log of searches.

use crate::harness::TestApp;
use axum::http::StatusCode;
use callfaq::accounts::Role;
use callfaq::calls::transfer;
use serde_json::{json, Value};
use std::path::Path;
use std::time::{Duration, Instant};

const PERIOD: &str = "from=2026-12-21&to=2027-01-10";
const PRINTER_TITLE: &str = "Сколько стоит принтер Canon 2100?";
const ENGINEER: &str = "когда приедет инженер";

fn history() -> Vec<transfer::CallLine> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/history/reports.jsonl");
    let text = std::fs::read_to_string(path).unwrap();
    let (knowledge, _) = callfaq::knowledge::Knowledge::load(&crate::harness::fixtures(), None);
    let desk = crate::harness::desk_clock();
    let (lines, errors) = transfer::parse(&text, |slug| knowledge.get(slug).is_some(), &desk);
    assert!(errors.is_empty(), "{errors:?}");
    lines.into_iter().map(|(_, call)| call).collect()
}

/// The app with the history imported and every question placed by the grouping.
async fn imported() -> TestApp {
    let app = TestApp::new();
    app.app
        .store
        .import(&history(), chrono::Utc::now())
        .unwrap();
    app.app.placing.nudge();
    let deadline = Instant::now() + Duration::from_secs(10);
    while !app.app.store.unassigned(1).unwrap().is_empty() {
        assert!(
            Instant::now() < deadline,
            "the grouping did not place the history"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    app
}

fn weeks(row: &Value) -> Vec<(String, u64)> {
    row["weeks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            (
                w["week"].as_str().unwrap().to_string(),
                w["count"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn w(week: &str, count: u64) -> (String, u64) {
    (week.to_string(), count)
}

/// Each row as (key or `group`, count, primary, secondary, previous).
fn figures(rows: &Value) -> Vec<(String, u64, u64, u64, u64)> {
    rows.as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let key = r["key"].as_str().unwrap();
            let key = if key.starts_with("group:") {
                "group"
            } else {
                key
            };
            let n = |f: &str| r[f].as_u64().unwrap();
            (
                key.to_string(),
                n("count"),
                n("primary"),
                n("secondary"),
                n("previous_count"),
            )
        })
        .collect()
}

fn row(
    key: &str,
    count: u64,
    primary: u64,
    secondary: u64,
    previous: u64,
) -> (String, u64, u64, u64, u64) {
    (key.to_string(), count, primary, secondary, previous)
}

#[tokio::test]
async fn the_question_report_counts_exactly_the_imported_history() {
    let app = imported().await;
    let (status, report) = app
        .get_json(&format!("/api/reports/questions?{PERIOD}&kind=all"))
        .await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(
        (report["from"].as_str(), report["to"].as_str()),
        (Some("2026-12-21"), Some("2027-01-10"))
    );
    assert_eq!(
        figures(&report["rows"]),
        [
            row("answer:printer", 3, 3, 0, 1),
            row("group", 2, 1, 1, 0),
            row("answer:talon-new", 1, 1, 0, 0),
            row("answer:talon-old", 1, 0, 1, 0),
        ],
        "{report}"
    );
    let rows = report["rows"].as_array().unwrap();
    let printer = &rows[0];
    assert_eq!(printer["title"], PRINTER_TITLE);
    assert_eq!(printer["answered"], true);
    // 2026 has an ISO week 53; 31 December is in it, 5 January 2027 is in 2027's first week.
    assert_eq!(
        weeks(printer),
        [w("2026-W52", 1), w("2026-W53", 1), w("2027-W01", 1)]
    );
    let group = &rows[1];
    assert_eq!(group["title"], ENGINEER);
    assert_eq!(group["answered"], false);
    assert_eq!(
        weeks(group),
        [w("2026-W52", 0), w("2026-W53", 0), w("2027-W01", 2)]
    );
    // 01:00 on 4 January in Moscow is still 3 January (week 53) in UTC: the desk's day counts.
    assert_eq!(
        weeks(&rows[3]),
        [w("2026-W52", 0), w("2026-W53", 0), w("2027-W01", 1)]
    );

    let (_, primary) = app
        .get_json(&format!("/api/reports/questions?{PERIOD}&kind=primary"))
        .await;
    assert_eq!(
        figures(&primary["rows"]),
        [
            row("answer:printer", 3, 3, 0, 1),
            row("answer:talon-new", 1, 1, 0, 0),
            row("group", 1, 1, 0, 0),
        ]
    );
    let (_, secondary) = app
        .get_json(&format!("/api/reports/questions?{PERIOD}&kind=secondary"))
        .await;
    assert_eq!(
        figures(&secondary["rows"]),
        [
            row("answer:talon-old", 1, 0, 1, 0),
            row("group", 1, 0, 1, 0)
        ]
    );
    // A period that starts and ends mid-week counts only its own days of the edge weeks.
    let (_, edges) = app
        .get_json("/api/reports/questions?from=2026-12-23&to=2027-01-05")
        .await;
    assert_eq!(
        figures(&edges["rows"]),
        [
            row("answer:printer", 2, 2, 0, 2),
            row("group", 2, 1, 1, 0),
            row("answer:talon-old", 1, 0, 1, 0),
        ],
        "{edges}"
    );
    assert_eq!(
        weeks(&edges["rows"][0]),
        [w("2026-W52", 0), w("2026-W53", 1), w("2027-W01", 1)]
    );
    // The period is inclusive: its last day alone has the call of 10 January... which there is
    // not; 11 January's call belongs to the day after.
    let (_, last_day) = app
        .get_json("/api/reports/questions?from=2027-01-11&to=2027-01-11")
        .await;
    assert_eq!(
        figures(&last_day["rows"]),
        [row("answer:printer", 1, 1, 0, 0)]
    );
    let (status, empty) = app
        .get_json("/api/reports/questions?from=2025-01-01&to=2025-01-31")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(empty["rows"], json!([]));
    let (_, page) = app.get(&format!("/reports/questions?{PERIOD}")).await;
    assert!(
        page.contains(PRINTER_TITLE) && page.contains("<svg"),
        "{page}"
    );
    // Each bar says its week by its days, as the desk reads dates.
    assert!(
        page.contains("<title>21.12–27.12.2026: ") && !page.contains("2026-W52"),
        "{page}"
    );
}

/// Each row's count links to the questions it counts, in its period and kind of call, each
/// with when, its call and how it is counted there; that list is the head's, and audited.
#[tokio::test]
async fn a_question_report_rows_count_lists_the_questions_it_counts() {
    let app = imported().await;
    let (_, page) = app
        .get(&format!("/reports/questions?{PERIOD}&kind=primary"))
        .await;
    let href = |key: &str| {
        page.split(&format!("data-key=\"{key}\""))
            .nth(1)
            .and_then(|row| row.split("<td class=\"num count\"><a href=\"").nth(1))
            .and_then(|cell| cell.split('"').next())
            .map(|h| h.replace("&amp;", "&"))
            .unwrap_or_else(|| panic!("no link for {key}: {page}"))
    };
    let printer = href("answer:printer");
    assert_eq!(
        printer,
        "/reports/questions/behind?from=2026-12-21&to=2027-01-10&key=answer%3Aprinter&kind=primary"
    );
    let (status, list) = app.get(&printer).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    let rows = list.matches("<tr").count() - 1;
    assert_eq!(rows, 3, "the row's count, 3: {list}");
    assert!(
        list.contains(PRINTER_TITLE)
            && list.contains("связан с ответом")
            && list.contains("/calls/"),
        "{list}"
    );
    // A group's row: its questions wait in it.
    let (_, report) = app
        .get_json(&format!("/api/reports/questions?{PERIOD}"))
        .await;
    let group = report["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["key"].as_str().unwrap().starts_with("group:"))
        .unwrap()["key"]
        .as_str()
        .unwrap()
        .to_string();
    let (status, list) = app
        .get(&format!(
            "/reports/questions/behind?{PERIOD}&key={}",
            crate::harness::encode(&group)
        ))
        .await;
    assert_eq!(status, StatusCode::OK, "{list}");
    assert_eq!(list.matches("ждёт в группе").count(), 2, "{list}");
    assert!(list.contains(ENGINEER), "{list}");
    let audit = app.app.store.audit_log(20, None).unwrap();
    assert!(
        audit
            .iter()
            .any(|a| a.subject == format!("questions of {group} 2026-12-21..2027-01-10")),
        "{audit:?}"
    );
    // A row no report names, and an operator, are refused.
    let (status, _) = app
        .get(&format!("/reports/questions/behind?{PERIOD}&key=printer"))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let operator = app.as_token(Some(app.token_for(Role::Operator)));
    let (status, _) = operator.call("GET", &printer, None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_desk_figures_count_calls_contacts_and_callbacks_per_week_and_operator() {
    let app = imported().await;
    // An operator with an account is named as the desk knows them.
    app.account("anna", "operator-password-2026", Role::Operator);
    app.app
        .store
        .set_profile("anna", Some("Анна Смирнова"), None, None)
        .unwrap();
    let (status, report) = app.get_json(&format!("/api/reports/desk?{PERIOD}")).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    let week = |i: usize, field: &str| report["weeks"][i][field].clone();
    let weeks: Vec<&str> = report["weeks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["week"].as_str().unwrap())
        .collect();
    assert_eq!(weeks, ["2026-W52", "2026-W53", "2027-W01"]);
    let line = |i: usize| {
        [
            "calls",
            "primary",
            "secondary",
            "potential",
            "contacts",
            "numbers_known",
            "callbacks_promised",
            "callbacks_in_time",
            "callbacks_open",
        ]
        .map(|f| week(i, f).as_u64().unwrap())
    };
    // The history's promised callbacks are callbacks: one done before it was due, one open.
    assert_eq!(line(0), [1, 1, 0, 1, 1, 0, 1, 1, 0]);
    assert_eq!(line(1), [1, 1, 0, 1, 0, 0, 0, 0, 0]);
    // An email recorded is a contact too.
    assert_eq!(line(2), [2, 1, 1, 1, 1, 0, 1, 0, 1]);
    assert_eq!(week(0, "capture_rate"), json!(1.0));
    assert_eq!(week(1, "capture_rate"), json!(0.0));
    let operators: Vec<(String, u64, u64, u64)> = report["operators"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o["operator"].as_str().unwrap().to_string(),
                o["calls"].as_u64().unwrap(),
                o["potential"].as_u64().unwrap(),
                o["contacts"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        operators,
        [("anna".to_string(), 2, 2, 1), ("oleg".to_string(), 2, 1, 1)]
    );
    assert_eq!(report["operators"][0]["name"], "Анна Смирнова");
    assert_eq!(report["operators"][1].get("name"), None);
    assert_eq!(report["total"]["capture_rate"], json!(0.667));

    // «Лена» has no account: her calls are hers, the callbacks nobody's until she has one.
    let managers: Vec<(&str, u64, u64)> = report["managers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["manager"].as_str().unwrap(),
                m["calls"].as_u64().unwrap(),
                m["callbacks_promised"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(managers, [("", 0, 2), ("Лена", 2, 0)]);

    // Ivan is called back: the week's figure follows at once.
    let (_, open) = app.get_json("/api/callbacks?owner=all&state=open").await;
    let id = open["callbacks"][0]["id"].as_i64().unwrap();
    assert_eq!(open["callbacks"][0]["caller"]["email"], "Ivan@Romashka.ru");
    let (status, done) = app
        .json(
            "POST",
            &format!("/api/callbacks/{id}/attempts"),
            json!({"result": "reached", "note": "договорились о встрече"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{done}");
    let (_, report) = app.get_json(&format!("/api/reports/desk?{PERIOD}")).await;
    assert_eq!(report["weeks"][2]["callbacks_in_time"], 1);
    assert_eq!(report["weeks"][2]["callbacks_open"], 0);
    assert!(report["weeks"][2]["first_attempt_minutes"].is_u64());
    let (_, page) = app.get(&format!("/reports/desk?{PERIOD}")).await;
    assert!(
        page.contains("04.01–10.01.2027")
            && page.contains("Анна Смирнова")
            && page.contains("Лена"),
        "{page}"
    );
}

/// Every `<a href="PREFIX...">FIGURE</a>` of a page: the address (unescaped) and the figure
/// (`None` for a share).
fn figure_links(page: &str, prefix: &str) -> Vec<(String, Option<u64>)> {
    let mut out = Vec::new();
    let needle = format!("<a href=\"{prefix}");
    let mut rest = page;
    while let Some(at) = rest.find(&needle) {
        let tail = &rest[at + "<a href=\"".len()..];
        let href = &tail[..tail.find('"').unwrap()];
        let text_at = tail.find('>').unwrap() + 1;
        let text = &tail[text_at..text_at + tail[text_at..].find('<').unwrap()];
        out.push((href.replace("&amp;", "&"), text.parse().ok()));
        rest = &tail[text_at..];
    }
    out
}

/// The distinct ids a page links to under `prefix` (`/calls/`, `/callbacks/`).
fn linked_ids(page: &str, prefix: &str) -> std::collections::BTreeSet<i64> {
    let needle = format!("href=\"{prefix}");
    page.match_indices(&needle)
        .filter_map(|(at, _)| {
            let tail = &page[at + needle.len()..];
            let digits: String = tail.chars().take_while(char::is_ascii_digit).collect();
            let whole = tail[digits.len()..].starts_with('"');
            (whole && !digits.is_empty()).then(|| digits.parse().unwrap())
        })
        .collect()
}

#[tokio::test]
async fn each_desk_figure_lists_the_calls_or_callbacks_it_counts() {
    let app = imported().await;
    let (status, page) = app.get(&format!("/reports/desk?{PERIOD}")).await;
    assert_eq!(status, StatusCode::OK);
    let calls = figure_links(&page, "/calls?");
    let callbacks = figure_links(&page, "/callbacks?");
    // Weeks, the total, operators and managers: calls, potential clients, contacts...
    assert!(calls.len() >= 10, "{calls:?}");
    assert!(callbacks.len() >= 4, "{callbacks:?}");
    assert!(calls.iter().any(|(h, _)| h.contains("taken_by=anna")));
    assert!(calls
        .iter()
        .any(|(h, _)| h.contains("counted=not_captured")));
    assert!(calls
        .iter()
        .any(|(h, _)| h.contains("manager=%D0%9B%D0%B5%D0%BD%D0%B0")));
    for (href, figure) in calls {
        let (status, list) = app.get(&href).await;
        assert_eq!(status, StatusCode::OK, "{href}");
        let listed = linked_ids(&list, "/calls/").len() as u64;
        // A share links to the potential clients it misses.
        match figure {
            Some(figure) => assert_eq!(listed, figure, "{href}: {list}"),
            None => assert!(
                href.contains("counted=not_captured") && listed > 0,
                "{href}"
            ),
        }
        assert!(list.contains("/reports/desk?from="), "the way back");
    }
    for (href, figure) in callbacks {
        let (status, list) = app.get(&href).await;
        assert_eq!(status, StatusCode::OK, "{href}");
        let listed = linked_ids(&list, "/callbacks/").len() as u64;
        assert_eq!(Some(listed), figure, "{href}: {list}");
    }
    // The JSON list says the same, and a figure that is not one is refused.
    let (status, body) = app
        .get_json(&format!(
            "/api/callbacks?{PERIOD}&owner=all&counted=in_time"
        ))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["callbacks"].as_array().unwrap().len(), 1);
    let (status, body) = app
        .get_json(&format!("/api/callbacks?{PERIOD}&owner=all&counted=soon"))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, _) = app.get(&format!("/calls?{PERIOD}&counted=soon")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = app.get("/calls?from=2027-01-10&to=2026-12-21").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    // «Лена» gets a manager's account: her calls are hers by login now, in the report and in
    // the list behind it alike.
    app.account("lena", "manager-password-2026", Role::Manager);
    app.app
        .store
        .set_profile("lena", Some("Лена"), None, None)
        .unwrap();
    assert_eq!(app.app.store.match_managers_on_calls().unwrap(), 2);
    let (_, report) = app.get_json(&format!("/api/reports/desk?{PERIOD}")).await;
    let lena = report["managers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["manager"] == "lena")
        .cloned()
        .unwrap_or_default();
    assert_eq!(lena["calls"], 2, "{report}");
    let (_, list) = app
        .get(&format!("/calls?{PERIOD}&manager=lena&counted=all"))
        .await;
    assert_eq!(linked_ids(&list, "/calls/").len(), 2, "{list}");

    // The slices are the head's, as the report is.
    for role in [Role::Operator, Role::Manager] {
        let someone = app.as_token(Some(app.token_for(role)));
        let uri = format!("/calls?{PERIOD}&counted=all");
        assert_eq!(
            someone.call("GET", &uri, None).await.0,
            StatusCode::FORBIDDEN
        );
        let uri = format!("/api/callbacks?{PERIOD}&owner=all&counted=late");
        assert_eq!(
            someone.call("GET", &uri, None).await.0,
            StatusCode::FORBIDDEN
        );
    }
    let operator = app.as_token(Some(app.token_for(Role::Operator)));
    let (status, _) = operator.call("GET", "/calls?date=2026-12-21", None).await;
    assert_eq!(status, StatusCode::OK, "the day's list stays the desk's");
}

#[tokio::test]
async fn a_linked_or_grouped_question_moves_in_the_report_as_soon_as_it_changes() {
    let app = imported().await;
    let (_, calls) = app
        .get_json("/api/calls?from=2027-01-04&to=2027-01-04")
        .await;
    let question = calls["calls"][0]["questions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["text"] == ENGINEER)
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let (status, _) = app
        .json(
            "PUT",
            &format!("/api/questions/{question}/answer"),
            json!({"answer": "remote-admin"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, report) = app
        .get_json(&format!("/api/reports/questions?{PERIOD}&kind=secondary"))
        .await;
    assert_eq!(
        figures(&report["rows"]),
        [
            row("answer:remote-admin", 1, 0, 1, 0),
            row("answer:talon-old", 1, 0, 1, 0)
        ],
        "{report}"
    );
}

#[tokio::test]
async fn the_csv_export_opens_in_excel_with_russian_titles_and_is_audited() {
    let app = imported().await;
    let (status, headers, body) = app
        .send(
            axum::http::Request::get(format!("/api/reports/questions?{PERIOD}&format=csv"))
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["content-type"], "text/csv; charset=utf-8");
    assert!(headers["content-disposition"]
        .to_str()
        .unwrap()
        .contains("questions-2026-12-21-2027-01-10.csv"));
    assert!(body.starts_with('\u{feff}'), "a byte-order mark first");
    // As the page: the typical questions under the report's title, with a total, then the
    // searches that found nothing and those nobody chose from, each under its title.
    let lines: Vec<&str> = body.trim_start_matches('\u{feff}').split("\r\n").collect();
    assert_eq!(lines[0], "О чём спрашивают");
    assert_eq!(
        lines[1],
        "Типовой вопрос;Ответ;Вопросов;Первичные;Вторичные;Прошлый период;21.12–27.12.2026;28.12.2026–03.01.2027;04.01–10.01.2027;Ключ для сводных таблиц"
    );
    assert_eq!(
        lines[2],
        format!("{PRINTER_TITLE};есть;3;3;0;1;1;1;1;answer:printer")
    );
    assert!(
        lines[3].starts_with(&format!("{ENGINEER};нет ответа;2;1;1;0;0;0;2;group:")),
        "{}",
        lines[3]
    );
    let total = lines.iter().position(|l| l.starts_with("Итого;")).unwrap();
    let sum = |column: usize| -> u64 {
        lines[2..total]
            .iter()
            .map(|l| l.split(';').nth(column).unwrap().parse::<u64>().unwrap())
            .sum()
    };
    let totals: Vec<&str> = lines[total].split(';').collect();
    assert_eq!(totals[2], sum(2).to_string(), "{}", lines[total]);
    assert_eq!(totals[8], sum(8).to_string(), "{}", lines[total]);
    assert!(
        body.contains("\r\n\r\n\"Искали, но ничего не нашли\"\r\nЗапрос;Раз\r\n")
            && body.contains("\r\n\r\n\"Нашли, но ничего не выбрали\"\r\nЗапрос;Раз\r\n"),
        "{body}"
    );
    assert_eq!(body.matches('\u{feff}').count(), 1, "one byte-order mark");

    let (status, _, desk) = app
        .send(
            axum::http::Request::get(format!("/api/reports/desk?{PERIOD}&format=csv"))
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(desk.starts_with('\u{feff}'));
    // The weeks with their total, the operators, the managers: each a table under its title;
    // decimals with a comma, as a Russian spreadsheet reads them.
    assert!(
        desk.starts_with("\u{feff}По неделям\r\nНеделя;Звонков;"),
        "{desk}"
    );
    assert!(
        desk.contains("\r\n04.01–10.01.2027;2;1;1;1;1;0;\"100,0%\";1;0;0;0;1;0;0;\r\n"),
        "{desk}"
    );
    assert!(
        desk.contains("\r\nИтого;4;3;1;3;2;0;\"66,7%\";2;1;0;0;1;0;0;280\r\n"),
        "{desk}"
    );
    assert!(
        desk.contains("\r\n\r\nПо операторам\r\nОператор;"),
        "{desk}"
    );
    assert!(
        desk.contains("\r\nanna;2;") && desk.contains("\r\noleg;2;"),
        "{desk}"
    );
    assert!(
        desk.contains("\r\n\r\nПо менеджерам\r\nМенеджер;"),
        "{desk}"
    );

    let (_, audit) = app.get_json("/api/audit").await;
    let exports: Vec<&str> = audit["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "export")
        .map(|e| e["subject"].as_str().unwrap())
        .collect();
    assert_eq!(exports.len(), 2, "{audit}");
    assert!(
        exports
            .iter()
            .any(|s| s.starts_with("questions report 2026-12-21..2027-01-10")),
        "{exports:?}"
    );
}

#[tokio::test]
async fn bad_report_parameters_get_422_naming_the_parameter() {
    let app = TestApp::new();
    for (query, field) in [
        ("from=2027-01-10&to=2026-12-21", "to"),
        ("from=2026-13-01&to=2027-01-10", "from"),
        ("from=2026-12-01&to=10.01", "to"),
        ("from=2026-12-01&to=2027-01-10&kind=vip", "kind"),
        ("from=2026-12-01&to=2027-01-10&format=xlsx", "format"),
        ("from=2020-01-01&to=2027-01-10", "to"),
        // Years no desk means, which a week's arithmetic would overflow on.
        // Both ends wrong are said at once.
        ("from=-262143-01-01&to=-262143-01-02", "period"),
        ("from=%2B262142-12-20&to=%2B262142-12-31", "period"),
        ("to=-262143-01-02", "to"),
    ] {
        for api in ["/api/reports/questions", "/api/reports/desk"] {
            let (status, body) = app.get_json(&format!("{api}?{query}")).await;
            assert_eq!(
                status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{api}?{query}: {body}"
            );
            let message = body["error"].as_str().unwrap();
            assert!(
                message.starts_with(&format!("{field}: ")),
                "{api}?{query}: {message}"
            );
        }
    }
    let (status, page) = app
        .get("/reports/questions?from=2027-01-10&to=2026-12-21")
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    // The page names the field by its meaning, the API by its name.
    assert!(page.contains("«Конец периода»: "), "{page}");
    for (uri, label) in [
        ("/reports/questions?kind=vip", "«Звонки»: "),
        ("/reports/desk?format=pdf", "«Формат файла»: "),
        // A choice only a link carries, edited by hand: said in the person's words, not the
        // words a program reads.
        (
            "/calls?counted=bogus&from=2026-12-01&to=2026-12-07",
            "«Показатель отчёта»: в адресе страницы значение, которого здесь нет",
        ),
        (
            "/calls?missed=maybe&from=2026-12-01&to=2026-12-07",
            "«Пропущенные звонки»: в адресе страницы значение",
        ),
        // Both ends wrong are said at once, not one after the other.
        (
            "/reports/desk?from=1.12&to=7.12",
            "«Период»: ни начало, ни конец не даты",
        ),
        ("/calls?from=01.12&to=07.12", "«Период»: "),
    ] {
        let (status, page) = app.get(uri).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{uri}");
        assert!(page.contains(label), "{uri}: {page}");
        assert!(
            !page.contains("no_number") && !page.contains("not_captured"),
            "{uri}: {page}"
        );
    }
    // A link refused leads back to the page before, not to a form nobody sent.
    let (_, page_of_link) = app.get("/calls?from=abc&to=def").await;
    assert!(
        page_of_link.contains("← Назад<") && !page_of_link.contains("к заполненной форме"),
        "{page_of_link}"
    );
    // Said beside the period as typed, to be put right there.
    assert!(
        page.contains(r#"name="from" value="2027-01-10""#)
            && page.contains(r#"name="to" value="2026-12-21""#),
        "{page}"
    );
    let (_, page) = app
        .get("/reports/questions?from=2027-01-10&to=2026-12-21&kind=primary")
        .await;
    assert!(
        page.contains(r#"<option value="primary" selected>"#),
        "{page}"
    );
    let (status, page) = app.get("/reports/desk?from=2020-01-01&to=2027-01-10").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("после начала периода"), "{page}");
    assert!(page.contains(r#"action="/reports/desk""#), "{page}");
}

#[tokio::test]
async fn reports_are_for_the_head_of_sales_and_the_cheat_sheet_for_everyone() {
    let app = imported().await;
    let operator = app.token_for(Role::Operator);
    let editor = app.token_for(Role::Editor);
    let head = app.token_for(Role::Head);
    for path in [
        "/reports/questions",
        "/reports/desk",
        "/api/reports/questions",
        "/api/reports/desk",
    ] {
        for (token, expected) in [
            (&operator, StatusCode::FORBIDDEN),
            (&editor, StatusCode::FORBIDDEN),
            (&head, StatusCode::OK),
        ] {
            let (status, _) = app
                .as_token(Some(token.clone()))
                .call("GET", path, None)
                .await;
            assert_eq!(status, expected, "{path}");
        }
    }
    // The cheat sheet counts the last three months: questions asked today.
    for (text, answer) in [
        ("сколько стоит принтер", "printer"),
        ("цена принтера canon", "printer"),
        ("а гарантия есть", "talon-new"),
    ] {
        let (_, call) = app.json("POST", "/api/calls", json!({})).await;
        let uri = format!("/api/calls/{}/questions", call["id"]);
        let (status, _) = app
            .json("POST", &uri, json!({"text": text, "answer": answer}))
            .await;
        assert_eq!(status, StatusCode::CREATED);
    }
    let (status, sheet) = app
        .as_token(Some(operator))
        .call("GET", "/cheatsheet", None)
        .await;
    assert_eq!(status, StatusCode::OK);
    // The most asked first, with what to say; dated.
    let printer = sheet.find(PRINTER_TITLE).expect("the printer on the sheet");
    assert!(sheet.contains("Составлена"), "{sheet}");
    let talon = sheet
        .find("Гарантийный талон новых клиентов")
        .expect("the second most asked");
    assert!(printer < talon, "most asked first");
    assert!(sheet.contains("спрашивали 2 раза"), "{sheet}");
    assert!(sheet.contains("спрашивали 1 раз<"), "{sheet}");
    // Only what was asked: an answer for anyone, not asked yet, is not on it.
    assert!(
        !sheet.contains("Удалённое администрирование серверов"),
        "{sheet}"
    );
    assert!(
        !sheet.contains("Гарантийный талон старых клиентов"),
        "an answer for existing clients nobody new asked"
    );
}

#[tokio::test]
async fn searches_are_logged_as_they_stood_and_reported_when_nothing_was_found_or_chosen() {
    let app = TestApp::new();
    let log = |body: Value| {
        let app = &app;
        async move { app.json("POST", "/api/search-log", body).await }
    };
    let (status, first) =
        log(json!({"query": "  Когда  ПРИЕДЕТ монтажник ", "found": false})).await;
    assert_eq!(status, StatusCode::OK, "{first}");
    log(json!({"query": "когда приедет монтажник", "found": false, "chosen": "logged"})).await;
    let (_, found) = log(json!({"query": "принтер", "found": true})).await;
    log(json!({"query": "картридж", "found": true, "chosen": "logged"})).await;
    // The printer's result is opened after the pause logged it: the same search, not another.
    let id = found["id"].as_i64().unwrap();
    let (_, again) =
        log(json!({"query": "принтер", "found": true, "chosen": "opened", "id": id})).await;
    assert_eq!(again["id"], id);
    // A pause typed on from is forgotten once the longer search is logged.
    let (_, half) = log(json!({"query": "монит", "found": true})).await;
    let (status, whole) = log(
        json!({"query": "монитор мерцает", "found": true, "chosen": "linked",
                                     "refines": half["id"]}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{whole}");
    assert_eq!(whole["refined"], true, "{whole}");
    for (body, field) in [
        (
            json!({"query": "x", "found": true, "refines": 0}),
            "refines",
        ),
        (
            json!({"query": "x", "found": true, "chosen": "bought"}),
            "chosen",
        ),
        (json!({"query": "x"}), "found"),
        (json!({"query": "  ", "found": true}), "query"),
        (
            json!({"query": "x", "found": true, "caller": "Иван"}),
            "caller",
        ),
    ] {
        let (status, e) = log(body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            e["error"]
                .as_str()
                .unwrap()
                .starts_with(&format!("{field}: ")),
            "{e}"
        );
    }
    let today = app.app.clock.today();
    let (_, report) = app
        .get_json(&format!("/api/reports/questions?from={today}&to={today}"))
        .await;
    assert_eq!(
        report["no_result_searches"],
        json!([{"query": "когда приедет монтажник", "count": 2}])
    );
    assert_eq!(
        report["unchosen_searches"],
        json!([{"query": "картридж", "count": 1}])
    );
}

#[tokio::test]
async fn another_time_zone_counts_the_days_again() {
    let dir = tempfile::tempdir().unwrap();
    let store = callfaq::store::Store::open(dir.path()).unwrap();
    store.import(&history(), chrono::Utc::now()).unwrap();
    let period = callfaq::report::Period {
        from: chrono::NaiveDate::from_ymd_opt(2026, 12, 21).unwrap(),
        to: chrono::NaiveDate::from_ymd_opt(2027, 1, 10).unwrap(),
    };
    let zone = |name: &str| callfaq::clock::Clock::new(callfaq::clock::parse_zone(name).unwrap());
    let moscow =
        callfaq::report::desk_report(&store, &zone("Europe/Moscow"), &Default::default(), period)
            .unwrap();
    let utc =
        callfaq::report::desk_report(&store, &zone("UTC"), &Default::default(), period).unwrap();
    let calls =
        |r: &callfaq::report::desk::DeskReport| r.weeks.iter().map(|w| w.calls).collect::<Vec<_>>();
    assert_eq!(calls(&moscow), [1, 1, 2]);
    // In UTC the call at 01:00 on 4 January (Moscow) is on Sunday 3 January, week 53.
    assert_eq!(calls(&utc), [1, 2, 1]);
}
