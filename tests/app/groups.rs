//! Typical questions: unanswered caller questions grouped as they are logged, the editors'
//! queue and its actions, an answer written from a group, a regroup that keeps what editors
//! decided, and the learned ranking as search sees it.

use crate::harness::{cli_token, copy_tree, fixtures, Server, TestApp};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use callfaq::accounts::Role;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

async fn log(app: &TestApp, call: i64, text: &str, answer: Option<&str>) -> i64 {
    let body = match answer {
        Some(a) => json!({"text": text, "answer": a}),
        None => json!({"text": text}),
    };
    let (status, q) = app
        .json("POST", &format!("/api/calls/{call}/questions"), body)
        .await;
    assert_eq!(status, StatusCode::CREATED, "{q}");
    q["id"].as_i64().unwrap()
}

async fn new_call(app: &TestApp) -> i64 {
    let (_, call) = app.json("POST", "/api/calls", json!({})).await;
    call["id"].as_i64().unwrap()
}

/// Polls the open groups until `ready` holds. The grouping job runs below requests, so on a
/// machine busy with other tests it may wait its turn: a generous bound, no timing asserted.
async fn groups_until(app: &TestApp, what: &str, ready: impl Fn(&[Value]) -> bool) -> Vec<Value> {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let (status, body) = app.get_json("/api/groups").await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let groups = body["groups"].as_array().unwrap().clone();
        if ready(&groups) {
            return groups;
        }
        assert!(
            Instant::now() < deadline,
            "timed out waiting for {what}: {body}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

const ENGINEER: [&str; 3] = [
    "когда сможет приехать ваш инженер",
    "инженер может приехать к нам завтра",
    "во сколько приедет инженер",
];

#[tokio::test]
async fn similar_unanswered_questions_become_one_group_in_the_queue() {
    let app = TestApp::new();
    let call = new_call(&app).await;
    for text in ENGINEER {
        log(&app, call, text, None).await;
    }
    log(
        &app,
        call,
        "сколько стоит принтер Canon 2100",
        Some("printer"),
    )
    .await;
    let groups = groups_until(&app, "one group of three", |g| {
        g.iter().any(|g| g["count"] == 3)
    })
    .await;
    let group = groups.iter().find(|g| g["count"] == 3).unwrap();
    let texts: Vec<&str> = group["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["text"].as_str().unwrap())
        .collect();
    for text in ENGINEER {
        assert!(texts.contains(&text), "{texts:?}");
    }
    assert_eq!(group["primary"], 3);
    assert!(group["first_asked"].is_string() && group["similar_answers"].is_array());
    assert!(
        groups.iter().all(|g| g["questions"]
            .as_array()
            .unwrap()
            .iter()
            .all(|q| q["text"] != "сколько стоит принтер Canon 2100")),
        "a linked question belongs to its answer, not to a group"
    );
    // The queue is the editors'.
    let operator = app.as_token(Some(app.token_for(Role::Operator)));
    assert_eq!(
        operator.call("GET", "/groups", None).await.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        operator.call("GET", "/api/groups", None).await.0,
        StatusCode::FORBIDDEN
    );
    let editor = app.as_token(Some(app.token_for(Role::Editor)));
    let (status, html) = editor.call("GET", "/groups", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("инженер"), "{html}");
    // The group's link list names each answer once: those it resembles first, then the rest
    // by title.
    let (status, page) = editor
        .call("GET", &format!("/groups/{}", group["id"]), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    let select = page
        .split("<select name=\"answer\"")
        .nth(1)
        .and_then(|s| s.split("</select>").next())
        .unwrap_or_else(|| panic!("no answer list: {page}"));
    let values: Vec<&str> = select
        .split("<option value=\"")
        .skip(2)
        .map(|o| o.split('"').next().unwrap())
        .collect();
    let mut unique = values.clone();
    unique.sort_unstable();
    unique.dedup();
    assert!(values.len() > 3 && unique.len() == values.len(), "{select}");
    if let Some(alike) = group["similar_answers"].as_array().and_then(|a| a.first()) {
        assert_eq!(values[0], alike.as_str().unwrap(), "{select}");
    }
}

/// The queue's card says how many of the whole group's questions say each phrasing, not of its
/// newest dozen only.
#[tokio::test]
async fn a_groups_card_counts_each_phrasing_over_all_its_questions() {
    let app = TestApp::new();
    let call = new_call(&app).await;
    for (text, times) in [(ENGINEER[1], 10), (ENGINEER[0], 5), (ENGINEER[2], 3)] {
        for _ in 0..times {
            log(&app, call, text, None).await;
        }
    }
    groups_until(&app, "one group of eighteen", |g| {
        g.iter().any(|g| g["count"] == 18)
    })
    .await;
    let editor = app.as_token(Some(app.token_for(Role::Editor)));
    let (status, html) = editor.call("GET", "/groups", None).await;
    assert_eq!(status, StatusCode::OK);
    for times in ["×10", "×5", "×3"] {
        assert!(
            html.contains(&format!("<span class=\"times\">{times}</span>")),
            "{times}: {html}"
        );
    }
}

#[tokio::test]
async fn writing_an_answer_for_a_group_makes_a_valid_file_that_search_finds_by_the_callers_words() {
    let app = TestApp::new();
    let call = new_call(&app).await;
    for text in ENGINEER {
        log(&app, call, text, None).await;
    }
    let groups = groups_until(&app, "the group", |g| g.iter().any(|g| g["count"] == 3)).await;
    let id = groups.iter().find(|g| g["count"] == 3).unwrap()["id"]
        .as_i64()
        .unwrap();
    let (status, body) = app
        .json(
            "POST",
            &format!("/api/groups/{id}/write-answer"),
            json!({"title": "Когда приедет инженер?"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let slug = body["slug"].as_str().unwrap().to_string();
    assert_eq!(slug, "kogda-priedet-inzhener");
    let path = app.knowledge.join(format!("{slug}.md"));
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("во сколько приедет инженер"), "{text}");
    let (_, problems) = callfaq::knowledge::Knowledge::load(&app.knowledge, None);
    assert!(problems.is_empty(), "{problems:?}");
    // Search finds it by a caller's phrasing.
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let hits = app.search_slugs("инженер может приехать завтра").await;
        if hits.first() == Some(&slug) {
            break;
        }
        assert!(Instant::now() < deadline, "{hits:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // The group is answered: out of the queue, and its questions linked.
    let groups = groups_until(&app, "the group gone", |g| g.iter().all(|g| g["id"] != id)).await;
    assert!(groups.iter().all(|g| g["id"] != id));
    let call_id = call;
    let (_, call) = app.get_json(&format!("/api/calls/{call}")).await;
    assert!(call["questions"]
        .as_array()
        .unwrap()
        .iter()
        .all(|q| q["answer"] == slug.as_str()));
    // A second answer of the same slug or title is refused, nothing overwritten.
    let (status, _) = app
        .json(
            "POST",
            &format!("/api/groups/{id}/write-answer"),
            json!({"title": "Когда приедет инженер?"}),
        )
        .await;
    assert!(status.is_client_error());
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
    // An answer written in the form for a group a colleague linked meanwhile is saved, and
    // the editor is taken to it: the group stays where the colleague put it.
    let group = id.to_string();
    let form = [
        ("title", "Инженер на выезде: как узнать время"),
        ("questions", "когда приедет мастер"),
        ("audience", "all"),
        ("tags", ""),
        ("reviewed", "2026-12-01"),
        (
            "body",
            "**Скажите клиенту:** инженер позвонит за час до приезда.",
        ),
        ("slug", "engineer-arrival"),
        ("group", group.as_str()),
    ];
    let (status, headers, page) = app.post_form("/new-answer", &form).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{page}");
    assert!(
        headers["location"]
            .to_str()
            .unwrap()
            .contains("engineer-arrival"),
        "{headers:?}"
    );
    assert!(app.knowledge.join("engineer-arrival.md").exists());
    let (_, call) = app.get_json(&format!("/api/calls/{call_id}")).await;
    assert!(call["questions"]
        .as_array()
        .unwrap()
        .iter()
        .all(|q| q["answer"] == slug.as_str()));
    // The form opened again for that group (an old link) says it is linked, to which answer,
    // and that the new answer will not be linked to it.
    let (status, page) = app.get(&format!("/new-answer?group={id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("Эта группа уже связана с ответом")
            && page.contains(&format!(r#"href="/answers/{slug}""#))
            && page.contains("без связи с ней"),
        "{page}"
    );
    assert!(!page.contains(r#"name="group""#), "{page}");

    // The answer retired, the group's page and the form say so, and an answer written there
    // takes the group's questions in its place.
    let (status, _) = app
        .json("POST", &format!("/api/answers/retire/{slug}"), json!({}))
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, shown) = app.get(&format!("/groups/{id}")).await;
    assert!(
        shown.contains("Группа была связана с ответом «Когда приедет инженер?»"),
        "{shown}"
    );
    let (_, page) = app.get(&format!("/new-answer?group={id}")).await;
    assert!(
        page.contains("его убрали из поиска") && page.contains("вместо него"),
        "{page}"
    );
    assert!(
        page.contains(&format!(r#"name="group" value="{id}""#)),
        "{page}"
    );
    let form = [
        ("title", "Выезд инженера: когда ждать"),
        ("questions", "во сколько будет мастер"),
        ("audience", "all"),
        ("tags", ""),
        ("reviewed", "2026-12-01"),
        ("body", "**Скажите клиенту:** инженер позвонит за час."),
        ("slug", "engineer-when"),
        ("group", group.as_str()),
    ];
    let (status, _, page) = app.post_form("/new-answer", &form).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{page}");
    let (_, call) = app.get_json(&format!("/api/calls/{call_id}")).await;
    assert!(
        call["questions"]
            .as_array()
            .unwrap()
            .iter()
            .all(|q| q["answer"] == "engineer-when"),
        "{call}"
    );
}

#[tokio::test]
async fn a_phrasing_linked_three_times_ranks_its_answer_first_for_a_paraphrase_and_unlinking_forgets(
) {
    let app = TestApp::new();
    let call = new_call(&app).await;
    // Shares no word with the delivery answer's own text.
    let paraphrase = "курьер с товаром к нам подъедет сегодня";
    let mut ids = Vec::new();
    for _ in 0..3 {
        ids.push(
            log(
                &app,
                call,
                "когда курьер привезёт товар",
                Some("nested/delivery"),
            )
            .await,
        );
    }
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if app
            .search_slugs(paraphrase)
            .await
            .first()
            .map(String::as_str)
            == Some("nested/delivery")
        {
            break;
        }
        assert!(Instant::now() < deadline, "the links were not learned");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // An answer nobody linked still ranks by its own text.
    assert_eq!(
        app.search_slugs("принтер canon")
            .await
            .first()
            .map(String::as_str),
        Some("printer")
    );
    for id in ids {
        app.json(
            "PUT",
            &format!("/api/questions/{id}/answer"),
            json!({"answer": null}),
        )
        .await;
    }
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if app
            .search_slugs(paraphrase)
            .await
            .first()
            .map(String::as_str)
            != Some("nested/delivery")
        {
            break;
        }
        assert!(Instant::now() < deadline, "unlinking was not forgotten");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn editor_actions_merge_move_split_dismiss_and_link() {
    let app = TestApp::new();
    let call = new_call(&app).await;
    for text in ENGINEER {
        log(&app, call, text, None).await;
    }
    for text in ["Иван на месте?", "а Иван сегодня будет?"] {
        log(&app, call, text, None).await;
    }
    // Both groups, and all five questions placed (the grouping places them in batches).
    let groups = groups_until(&app, "two groups of all five", |g| {
        g.len() >= 2 && g.iter().filter_map(|g| g["count"].as_i64()).sum::<i64>() == 5
    })
    .await;
    let engineer = groups.iter().find(|g| g["count"] == 3).unwrap()["id"]
        .as_i64()
        .unwrap();
    let ivan = groups.iter().find(|g| g["id"] != engineer).unwrap()["id"]
        .as_i64()
        .unwrap();
    // Split one question off (the one the group is named by), then merge it back.
    let named = groups.iter().find(|g| g["id"] == engineer).unwrap();
    let first = named["questions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["text"] == named["title"])
        .unwrap_or(&named["questions"][0])["id"]
        .as_i64()
        .unwrap();
    // A question of another group, or all of this one, is refused and nothing moves.
    let all: Vec<i64> = groups.iter().find(|g| g["id"] == engineer).unwrap()["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["id"].as_i64().unwrap())
        .collect();
    let other = groups.iter().find(|g| g["id"] == ivan).unwrap()["questions"][0]["id"]
        .as_i64()
        .unwrap();
    for questions in [json!([first, other]), json!(all), json!([])] {
        let (status, body) = app
            .json(
                "POST",
                &format!("/api/groups/{engineer}/split"),
                json!({ "questions": questions }),
            )
            .await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{questions}: {body}"
        );
        assert!(body.to_string().contains("questions"), "{body}");
    }
    let (_, now) = app.get_json("/api/groups").await;
    let counts: Vec<i64> = now["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["count"].as_i64().unwrap())
        .collect();
    assert_eq!(counts.iter().sum::<i64>(), 5, "{now}");
    assert!(counts.contains(&3), "nothing moved: {now}");
    let (status, body) = app
        .json(
            "POST",
            &format!("/api/groups/{engineer}/split"),
            json!({"questions": [first]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let split = body["id"].as_i64().unwrap();
    let after = groups_until(&app, "the split", |g| {
        g.iter().any(|g| g["id"] == split && g["count"] == 1)
    })
    .await;
    // Each group is named by a question it has: a title whose question left goes with it.
    for g in &after {
        let texts: Vec<&Value> = g["questions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|q| &q["text"])
            .collect();
        assert!(texts.contains(&&g["title"]), "{g}");
    }
    // On the group's page the merge and move lists choose nothing until the editor does, and
    // a merge sent with nothing chosen is refused, the group left as it was.
    let (_, page) = app.get(&format!("/groups/{split}")).await;
    for list in ["<select name=\"into\" required>", "name=\"group\""] {
        let select = page
            .split(list)
            .nth(1)
            .unwrap_or_else(|| panic!("no {list}: {page}"));
        let first = select.split("<option").nth(1).unwrap();
        assert!(
            first.starts_with(" value=\"\" selected>— выберите группу"),
            "{list}: {first}"
        );
    }
    let (status, _, refused) = app
        .post_form(&format!("/groups/{split}/merge"), &[("into", "")])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    assert!(refused.contains("into"), "{refused}");
    // Merged back from the group's page: the group it went into says so.
    let (status, headers, _) = app
        .post_form(
            &format!("/groups/{split}/merge"),
            &[("into", &engineer.to_string())],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let location = headers["location"].to_str().unwrap();
    assert_eq!(location, format!("/groups/{engineer}?done=merged"));
    let (_, page) = app.get(location).await;
    assert!(page.contains("Группы объединены"), "{page}");
    groups_until(&app, "the merge", |g| {
        g.iter().any(|g| g["id"] == engineer && g["count"] == 3)
            && g.iter().all(|g| g["id"] != split)
    })
    .await;
    // The merged group's own address leads to the group it went into, saying so.
    let (status, headers, _) = app
        .send(
            Request::get(format!("/groups/{split}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let location = headers["location"].to_str().unwrap();
    assert_eq!(location, format!("/groups/{engineer}?done=merged_into"));
    let (_, page) = app.get(location).await;
    assert!(page.contains("объединена с этой"), "{page}");
    // "Is Ivan in?" is not for the knowledge base.
    let (status, _) = app
        .json("POST", &format!("/api/groups/{ivan}/dismiss"), json!({}))
        .await;
    assert_eq!(status, StatusCode::OK);
    groups_until(&app, "the dismissal", |g| g.iter().all(|g| g["id"] != ivan)).await;
    // A dismissal is seen under the queue and on the group's page, and is undone there.
    let (_, queue) = app.get("/groups").await;
    let dismissed = &queue[queue.find("id=\"dismissed\"").expect("the dismissed list")..];
    assert!(
        dismissed.contains(&format!("/groups/{ivan}/reopen")),
        "{dismissed}"
    );
    // The notice after a dismissal names the group it dismissed.
    let (_, queue) = app.get(&format!("/groups?dismissed={ivan}")).await;
    let notice = &queue[queue.find("role=\"status\"").expect("the notice")..];
    let notice = &notice[..notice.find("</div>").unwrap()];
    assert!(
        notice.contains("Группа «") && notice.contains("Иван") && notice.contains("» отклонена"),
        "{notice}"
    );
    let (_, page) = app.get(&format!("/groups/{ivan}")).await;
    assert!(page.contains("Эта группа отклонена"), "{page}");
    let (status, _) = app
        .json("POST", &format!("/api/groups/{ivan}/reopen"), json!({}))
        .await;
    assert_eq!(status, StatusCode::OK);
    groups_until(&app, "back in the queue", |g| {
        g.iter().any(|g| g["id"] == ivan)
    })
    .await;
    let (status, _) = app
        .json("POST", &format!("/api/groups/{ivan}/reopen"), json!({}))
        .await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "an open group is not reopened"
    );
    let (status, _) = app
        .json("POST", &format!("/api/groups/{ivan}/dismiss"), json!({}))
        .await;
    assert_eq!(status, StatusCode::OK);
    groups_until(&app, "dismissed again", |g| {
        g.iter().all(|g| g["id"] != ivan)
    })
    .await;
    // The head's report says how many questions it leaves out as dismissed.
    let today = crate::harness::desk_clock().today();
    let (_, report) = app
        .get_json(&format!("/api/reports/questions?from={today}&to={today}"))
        .await;
    assert!(report["dismissed"].as_u64().unwrap() >= 1, "{report}");
    // Bad input is named.
    let (status, body) = app
        .json(
            "POST",
            &format!("/api/groups/{engineer}/merge"),
            json!({"into": engineer}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, _) = app
        .json(
            "PUT",
            &format!("/api/groups/{engineer}/answer"),
            json!({"answer": "no-such"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        app.json("POST", "/api/groups/99999/dismiss", json!({}))
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    // A refusal names what is not there: the group merged, the question moved.
    let (status, body) = app
        .json(
            "POST",
            "/api/groups/99999/merge",
            json!({ "into": engineer }),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body["error"].as_str().unwrap().contains("99999"), "{body}");
    let (status, body) = app
        .json(
            "PUT",
            "/api/questions/88888/group",
            json!({ "group": engineer }),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body["error"].as_str().unwrap().contains("88888"), "{body}");
    // Linking the group links its questions.
    let (status, _) = app
        .json(
            "PUT",
            &format!("/api/groups/{engineer}/answer"),
            json!({"answer": "remote-admin"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let call_id = call;
    let (_, call) = app.get_json(&format!("/api/calls/{call}")).await;
    let linked = call["questions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|q| q["answer"] == "remote-admin")
        .count();
    assert_eq!(linked, 3);
    // A link chosen by mistake is undone: the group's page says which answer and offers the
    // way back; back in the queue, its questions are no longer linked.
    let (_, page) = app.get(&format!("/groups/{engineer}")).await;
    assert!(
        page.contains("Эта группа связана с ответом:")
            && page.contains("Отменить связь и вернуть в очередь"),
        "{page}"
    );
    // It lists the questions the link took, to read before undoing it.
    for q in call["questions"].as_array().unwrap() {
        if q["answer"] == "remote-admin" {
            let text = q["text"].as_str().unwrap();
            assert!(
                page.contains(&format!("<li>«{text}»</li>")),
                "{text}: {page}"
            );
        }
    }
    let (status, _) = app
        .json("POST", &format!("/api/groups/{engineer}/reopen"), json!({}))
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, again) = app.get_json(&format!("/api/calls/{call_id}")).await;
    let still = again["questions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|q| q["answer"] == "remote-admin")
        .count();
    assert_eq!(still, 0, "{again}");
    groups_until(&app, "the group back in the queue", |g| {
        g.iter().any(|g| g["id"] == engineer && g["count"] == 3)
    })
    .await;
    let (_, audit) = app.get_json("/api/audit").await;
    let actions: Vec<&str> = audit["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["subject"].as_str().unwrap())
        .collect();
    assert!(
        actions.iter().any(|s| s.contains("dismissed")),
        "{actions:?}"
    );
}

fn run(args: &[&str], data: &std::path::Path, knowledge: &std::path::Path) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_callfaq"))
        .args(args)
        .arg("--data")
        .arg(data)
        .arg("--knowledge")
        .arg(knowledge)
        .output()
        .unwrap()
}

#[test]
fn a_regroup_keeps_what_editors_decided() {
    let dir = tempfile::tempdir().unwrap();
    let knowledge = dir.path().join("knowledge");
    copy_tree(&fixtures(), &knowledge);
    let data = dir.path().join("data");
    let lines: Vec<String> = ENGINEER
        .iter()
        .chain(["Иван на месте?", "а Иван сегодня будет?", "позовите Ивана"].iter())
        .map(|t| {
            format!(r#"{{"started_at": "2026-11-20T10:00:00Z", "questions": [{{"text": "{t}"}}]}}"#)
        })
        .collect();
    let file = dir.path().join("calls.jsonl");
    std::fs::write(&file, lines.join("\n")).unwrap();
    assert!(run(&["import", file.to_str().unwrap()], &data, &knowledge)
        .status
        .success());
    let token = cli_token(&data, "editor");
    let server = Server::start(&data, &knowledge);
    let agent = ureq::Agent::new_with_config(
        ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build(),
    );
    let get_groups = |base: &str| -> Vec<Value> {
        let body: Value = agent
            .get(&format!("{base}/api/groups"))
            .header("authorization", &format!("Bearer {token}"))
            .call()
            .unwrap()
            .body_mut()
            .read_json()
            .unwrap();
        body["groups"].as_array().unwrap().clone()
    };
    let deadline = Instant::now() + Duration::from_secs(60);
    let groups = loop {
        let g = get_groups(&server.base);
        if g.iter().map(|g| g["count"].as_u64().unwrap()).sum::<u64>() == 6 {
            break g;
        }
        assert!(Instant::now() < deadline, "{g:?}");
        std::thread::sleep(Duration::from_millis(100));
    };
    // The editor dismisses Ivan and moves one engineer question into a group of its own.
    let ivan = groups
        .iter()
        .find(|g| g["questions"].to_string().contains("Иван"))
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let engineer = groups
        .iter()
        .find(|g| g["questions"].to_string().contains("инженер"))
        .unwrap()
        .clone();
    let alone = engineer["questions"][0]["id"].as_i64().unwrap();
    let post = |path: &str, body: Value| {
        agent
            .post(&format!("{}{path}", server.base))
            .header("authorization", &format!("Bearer {token}"))
            .send_json(body)
            .unwrap()
            .status()
    };
    assert_eq!(post(&format!("/api/groups/{ivan}/dismiss"), json!({})), 200);
    assert_eq!(
        post(
            &format!("/api/groups/{}/split", engineer["id"]),
            json!({"questions": [alone]})
        ),
        201
    );
    std::thread::sleep(Duration::from_millis(1500));
    assert!(server.terminate().success());
    let out = run(&["regroup"], &data, &knowledge);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let server = Server::start(&data, &knowledge);
    let after = get_groups(&server.base);
    assert!(
        after
            .iter()
            .all(|g| g["id"] != ivan && !g["questions"].to_string().contains("Иван")),
        "{after:?}"
    );
    let own = after
        .iter()
        .find(|g| {
            g["questions"]
                .as_array()
                .unwrap()
                .iter()
                .any(|q| q["id"] == alone)
        })
        .unwrap();
    assert_eq!(own["count"], 1, "the split stays apart: {after:?}");
}
