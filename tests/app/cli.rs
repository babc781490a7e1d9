//! The binary: `check` on good and broken folders, `--help`, and `serve` on its defaults.

use crate::harness::{cli_token, copy_tree, fixtures, shipped_knowledge, Server, TestApp};
use serde_json::json;
use std::process::Command;
use std::time::Duration;

fn callfaq() -> Command {
    Command::new(env!("CARGO_BIN_EXE_callfaq"))
}

#[test]
fn check_passes_on_the_shipped_knowledge() {
    let out = callfaq()
        .args(["check", "--knowledge"])
        .arg(shipped_knowledge())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn check_fails_with_one_line_per_problem_on_a_broken_copy() {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixtures(), dir.path());
    let broken = dir.path().join("printer.md");
    let text = std::fs::read_to_string(&broken)
        .unwrap()
        .replace("reviewed = 2026-11-20", "reviewed = 2026-02-30");
    std::fs::write(&broken, text).unwrap();
    std::fs::write(
        dir.path().join("empty.md"),
        "+++\ntitle = \"Пусто\"\naudience = \"all\"\nreviewed = 2026-01-01\n+++\n",
    )
    .unwrap();
    let out = callfaq()
        .env("CALLFAQ_KNOWLEDGE", dir.path())
        .arg("check")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with(&format!("{}:7: ", broken.display()))),
        "{stdout}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains("empty.md:5: ") && l.contains("no text")),
        "{stdout}"
    );
}

/// `callfaq eval retrieval` over the shipped knowledge, with the shipped model.
fn eval_on_shipped(set: &std::path::Path) -> std::process::Output {
    callfaq()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["eval", "retrieval", "--answers"])
        .arg(shipped_knowledge())
        .arg("--test")
        .arg(set)
        .output()
        .unwrap()
}

#[test]
fn eval_measures_search_on_a_knowledge_folder_beside_plain_engines() {
    let dir = tempfile::tempdir().unwrap();
    let set = dir.path().join("set.jsonl");
    std::fs::write(
        &set,
        "{\"text\": \"принтер не печатает\", \"label\": \"printer-not-printing\"}\n\
         {\"text\": \"часы работы\", \"label\": \"support-hours\"}\n",
    )
    .unwrap();
    let out = eval_on_shipped(&set);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let result: serde_json::Value = serde_json::from_str(stdout.lines().last().unwrap()).unwrap();
    assert_eq!(result["queries"], 2);
    assert_eq!(result["accuracy_at_1"], 1.0, "{result}");
    assert_eq!(result["as_typed"]["accuracy_at_1"], 1.0, "{result}");
    let plain = result["plain"].as_array().unwrap();
    assert_eq!(plain.len(), 2, "{result}");
    assert!(plain.iter().all(|p| p["accuracy_at_1"].as_f64().is_some()));
    // A label that is no answer's slug is a clear error; so is a run with neither a history
    // nor a knowledge folder.
    std::fs::write(&set, "{\"text\": \"x\", \"label\": \"no-such-answer\"}\n").unwrap();
    let out = eval_on_shipped(&set);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no-such-answer"));
    let out = callfaq()
        .args(["eval", "retrieval", "--test"])
        .arg(&set)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--train"));
}

#[test]
fn help_explains_every_flag() {
    let out = callfaq().arg("--help").output().unwrap();
    let help = String::from_utf8(out.stdout).unwrap();
    for flag in [
        "--knowledge",
        "--data",
        "--bind",
        "--lang",
        "CALLFAQ_KNOWLEDGE",
        "CALLFAQ_DATA",
        "CALLFAQ_BIND",
        "CALLFAQ_LANG",
        "check",
        "reindex",
        "serve",
    ] {
        assert!(help.contains(flag), "--help lacks {flag}:\n{help}");
    }
}

#[test]
fn serve_creates_the_data_folder_and_answers_health_checks() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let server = Server::start(&data, &fixtures());
    let agent = ureq::Agent::new_with_config(
        ureq::Agent::config_builder()
            .timeout_global(Some(Duration::from_secs(5)))
            .build(),
    );
    let status = agent
        .get(&format!("{}/healthz", server.base))
        .call()
        .unwrap()
        .status();
    assert_eq!(status, 200);
    assert!(data.join("callfaq.sqlite3").is_file());
}

#[test]
fn missing_knowledge_folder_is_a_clear_error() {
    let out = callfaq()
        .args([
            "serve",
            "--knowledge",
            "/nonexistent/knowledge",
            "--bind",
            "127.0.0.1:0",
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("does not exist"));
}

fn run(args: &[&str], data: &std::path::Path) -> std::process::Output {
    callfaq()
        .args(args)
        .arg("--data")
        .arg(data)
        .arg("--knowledge")
        .arg(fixtures())
        .output()
        .unwrap()
}

const CALLS: &str = r#"{"started_at": "2026-10-01T09:00:00Z", "kind": "primary", "potential_client": true, "name": "Михаил", "phone": "8 (495) 234-56-78", "company": "Ромашка", "topic": "Принтеры", "outcome": "callback", "manager": "Лена", "callback_due": "2026-10-02T10:00:00Z", "notes": "перезвонить утром", "questions": [{"text": "сколько стоит Canon 2100", "asked_at": "2026-10-01T09:01:00Z", "answer": "printer"}, {"text": "а в рассрочку можно?", "asked_at": "2026-10-01T09:02:00Z"}]}
{"started_at": "2026-10-01T11:00:00Z", "kind": "secondary", "operator": "Наталья", "outcome": "answered", "questions": []}
"#;

#[test]
fn export_then_import_into_an_empty_folder_gives_the_same_records() {
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("calls.jsonl");
    std::fs::write(&source, CALLS).unwrap();
    let first = dir.path().join("first");
    let out = run(&["import", source.to_str().unwrap()], &first);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let exported = dir.path().join("exported.jsonl");
    assert!(run(&["export", exported.to_str().unwrap()], &first)
        .status
        .success());
    let second = dir.path().join("second");
    assert!(run(&["import", exported.to_str().unwrap()], &second)
        .status
        .success());
    let again = run(&["export"], &second);
    let exported_text = std::fs::read_to_string(&exported).unwrap();
    assert_eq!(String::from_utf8(again.stdout).unwrap(), exported_text);
    assert_eq!(exported_text.lines().count(), 2);
    assert!(exported_text.contains("\"answer\":\"printer\""));
    assert!(exported_text.contains("перезвонить утром"));
    // An export that fails leaves the file before it as it was, and nothing beside it.
    let partial = dir.path().join("exported.jsonl.partial");
    std::fs::create_dir(&partial).unwrap();
    assert!(!run(&["export", exported.to_str().unwrap()], &first)
        .status
        .success());
    assert_eq!(std::fs::read_to_string(&exported).unwrap(), exported_text);
    std::fs::remove_dir(&partial).unwrap();
    assert!(run(&["export", exported.to_str().unwrap()], &first)
        .status
        .success());
    assert_eq!(std::fs::read_to_string(&exported).unwrap(), exported_text);
    assert!(!partial.exists());
    // Through a link: the file it names is replaced, the link stays one.
    let link = dir.path().join("latest.jsonl");
    std::os::unix::fs::symlink(&exported, &link).unwrap();
    std::fs::write(&exported, "old\n").unwrap();
    assert!(run(&["export", link.to_str().unwrap()], &first)
        .status
        .success());
    assert!(std::fs::symlink_metadata(&link).unwrap().is_symlink());
    assert_eq!(std::fs::read_to_string(&exported).unwrap(), exported_text);
}

#[test]
fn a_file_with_bad_lines_is_refused_whole_unless_told_to_skip() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("calls.jsonl");
    let bad = format!("{}{{\"kind\": \"primary\"}}\n{{\"started_at\": \"2026-10-01\", \"questions\": [{{\"text\": \"x\", \"answer\": \"no-such\"}}]}}\nnot json\n", CALLS);
    std::fs::write(&file, bad).unwrap();
    let data = dir.path().join("data");
    let out = run(&["import", file.to_str().unwrap()], &data);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    for line in [3, 4, 5] {
        assert!(
            stderr.contains(&format!("calls.jsonl:{line}: ")),
            "line {line} not reported:\n{stderr}"
        );
    }
    assert!(
        String::from_utf8(run(&["export"], &data).stdout)
            .unwrap()
            .is_empty(),
        "nothing was imported"
    );
    let out = run(&["import", "--skip-bad", file.to_str().unwrap()], &data);
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8(run(&["export"], &data).stdout)
            .unwrap()
            .lines()
            .count(),
        2
    );
}

#[test]
fn imported_questions_count_in_search_after_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("calls.jsonl");
    // The two talons are alike in words, and without history the new clients' comes first:
    // the imported links put the old clients' first.
    let line = r#"{"started_at": "2026-10-01T09:00:00Z", "questions": [{"text": "есть ли талон на гарантию", "answer": "talon-old"}]}"#;
    std::fs::write(&file, format!("{line}\n{line}\n")).unwrap();
    let data = dir.path().join("data");
    assert!(run(&["import", file.to_str().unwrap()], &data)
        .status
        .success());
    let token = cli_token(&data, "operator");
    let server = Server::start(&data, &fixtures());
    let agent = ureq::Agent::new_with_config(
        ureq::Agent::config_builder()
            .timeout_global(Some(Duration::from_secs(5)))
            .build(),
    );
    let q = crate::harness::encode("талон на гарантию");
    let body: serde_json::Value = agent
        .get(&format!("{}/api/search?q={q}", server.base))
        .header("authorization", &format!("Bearer {token}"))
        .call()
        .unwrap()
        .body_mut()
        .read_json()
        .unwrap();
    assert_eq!(body["hits"][0]["slug"], "talon-old", "{body}");
}

/// A history larger than a start learns before serving (its newest 10,000 links), imported
/// with no server running: the import learns all of it, so that the first search of the next
/// start already ranks by its oldest questions, whose words no answer uses.
#[test]
fn a_large_imported_history_counts_from_the_first_search() {
    use std::io::Write as _;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("calls.jsonl");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&file).unwrap());
    let slugs = ["printer", "remote-admin", "talon-new"];
    let words = ["картридж", "сервер", "талон", "печать", "доступ", "мастер"];
    // The oldest calls ask what only the history answers; 10,000 newer questions follow.
    for c in 0..208 {
        let questions: Vec<serde_json::Value> = (0..50)
            .map(|q| {
                let n = c * 50 + q;
                let (text, answer) = if n < 400 {
                    (format!("шпунтик гайковёрт {n}"), "nested/delivery")
                } else {
                    (
                        format!("{} {} вопрос {n}", words[n % 6], words[(n / 6) % 6]),
                        slugs[n % 3],
                    )
                };
                json!({"text": text, "asked_at": "2026-10-01T09:00:00Z", "answer": answer})
            })
            .collect();
        let line = json!({"started_at": "2026-10-01T09:00:00Z", "questions": questions});
        writeln!(out, "{line}").unwrap();
    }
    drop(out);
    let data = dir.path().join("data");
    // Without the sentence model and the word vectors (slow to learn from in a debug build):
    // the word model is what is asked.
    let out = callfaq()
        .arg("import")
        .arg(&file)
        .arg("--data")
        .arg(&data)
        .arg("--knowledge")
        .arg(fixtures())
        .arg("--model")
        .arg(dir.path().join("no-model.bin"))
        .arg("--word-vectors")
        .arg(dir.path().join("no-words.bin"))
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{said}");
    assert!(said.contains("learned in"), "{said}");
    let token = cli_token(&data, "operator");
    let server = Server::start(&data, &fixtures());
    let agent = ureq::Agent::new_with_config(
        ureq::Agent::config_builder()
            .timeout_global(Some(Duration::from_secs(30)))
            .build(),
    );
    let q = crate::harness::encode("шпунтик гайковёрт");
    let body: serde_json::Value = agent
        .get(&format!("{}/api/search?q={q}", server.base))
        .header("authorization", &format!("Bearer {token}"))
        .call()
        .unwrap()
        .body_mut()
        .read_json()
        .unwrap();
    assert_eq!(body["hits"][0]["slug"], "nested/delivery", "{body}");
}

#[test]
fn users_and_tokens_are_managed_from_the_command_line() {
    use std::io::Write as _;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut child = callfaq()
        .args(["user", "add", "lena", "--role", "editor", "--data"])
        .arg(&data)
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"lena-password-1\n")
        .unwrap();
    assert!(child.wait().unwrap().success());
    let list = callfaq()
        .args(["user", "list", "--data"])
        .arg(&data)
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(list.stdout).unwrap(),
        "lena\teditor\tactive\t\t\t\n"
    );
    let short = callfaq()
        .args(["user", "add", "ivan", "--role", "operator", "--data"])
        .arg(&data)
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert!(!short.status.success(), "an empty password is refused");
    assert!(callfaq()
        .args(["user", "disable", "lena", "--data"])
        .arg(&data)
        .output()
        .unwrap()
        .status
        .success());
    let list = callfaq()
        .args(["user", "list", "--data"])
        .arg(&data)
        .output()
        .unwrap();
    assert!(String::from_utf8(list.stdout).unwrap().contains("disabled"));

    let token = cli_token(&data, "operator");
    assert!(
        token.starts_with("cfq_"),
        "the token is the last line: {token}"
    );
    let server = Server::start(&data, &fixtures());
    let agent = ureq::Agent::new_with_config(
        ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build(),
    );
    let status = |agent: &ureq::Agent| {
        agent
            .get(&format!("{}/api/search?q=x", server.base))
            .header("authorization", &format!("Bearer {token}"))
            .call()
            .unwrap()
            .status()
    };
    assert_eq!(status(&agent), 200);
    let name = callfaq()
        .args(["user", "list", "--data"])
        .arg(&data)
        .output()
        .unwrap();
    assert!(
        !String::from_utf8(name.stdout).unwrap().contains("admin"),
        "no first admin when accounts exist"
    );
}

#[test]
fn a_revoked_token_stops_working() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let token = cli_token(&data, "operator");
    let server = Server::start(&data, &fixtures());
    let agent = ureq::Agent::new_with_config(
        ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build(),
    );
    let status = || {
        agent
            .get(&format!("{}/api/search?q=x", server.base))
            .header("authorization", &format!("Bearer {token}"))
            .call()
            .unwrap()
            .status()
    };
    assert_eq!(status(), 200);
    let created = callfaq()
        .args([
            "token", "create", "--name", "pbx", "--role", "operator", "--data",
        ])
        .arg(&data)
        .output()
        .unwrap();
    let pbx = String::from_utf8(created.stdout)
        .unwrap()
        .lines()
        .last()
        .unwrap()
        .trim()
        .to_string();
    let pbx_status = || {
        agent
            .get(&format!("{}/api/search?q=x", server.base))
            .header("authorization", &format!("Bearer {pbx}"))
            .call()
            .unwrap()
            .status()
    };
    assert_eq!(pbx_status(), 200);
    assert!(callfaq()
        .args(["token", "revoke", "pbx", "--data"])
        .arg(&data)
        .output()
        .unwrap()
        .status
        .success());
    assert_eq!(pbx_status(), 401);
    assert_eq!(status(), 200, "other tokens keep working");
}

#[test]
fn first_start_prints_the_admin_password_once() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut child = callfaq()
        .args(["serve", "--bind", "127.0.0.1:0", "--data"])
        .arg(&data)
        .arg("--knowledge")
        .arg(fixtures())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut first = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(child.stdout.take().unwrap()),
        &mut first,
    )
    .unwrap();
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(first.contains("`admin`"), "{first}");
    let password = first.trim().rsplit(' ').next().unwrap().to_string();
    assert_eq!(password.len(), 16);
    // It is nowhere in the data folder.
    for entry in std::fs::read_dir(&data).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            let bytes = std::fs::read(&path).unwrap();
            assert!(
                !bytes
                    .windows(password.len())
                    .any(|w| w == password.as_bytes()),
                "{} holds the password",
                path.display()
            );
        }
    }
    let mut again = callfaq()
        .args(["serve", "--bind", "127.0.0.1:0", "--data"])
        .arg(&data)
        .arg("--knowledge")
        .arg(fixtures())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Wait until it listens, then check it printed nothing.
    let mut err = std::io::BufReader::new(again.stderr.take().unwrap());
    let mut line = String::new();
    while !line.contains("serving on") {
        line.clear();
        assert!(std::io::BufRead::read_line(&mut err, &mut line).unwrap() > 0);
    }
    again.kill().unwrap();
    let out = again.wait_with_output().unwrap();
    assert!(
        out.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

/// The admin page and `callfaq token create` run the same action: a name a live token has is
/// refused on both paths, whichever came first.
#[tokio::test]
async fn a_token_name_taken_is_refused_by_the_page_and_the_command_line_alike() {
    let app = TestApp::new();
    let create = |name: &str| {
        callfaq()
            .args([
                "token", "create", "--name", name, "--role", "operator", "--data",
            ])
            .arg(&app.data)
            .output()
            .unwrap()
    };
    let (status, _, _) = app
        .as_token(app.token.clone())
        .request(
            "POST",
            "/admin/tokens",
            Some(json!("name=pbx&role=operator")),
        )
        .await;
    assert_eq!(
        status, 303,
        "created on the page, shown by the page it redirects to"
    );
    let refused = create("pbx");
    assert!(!refused.status.success());
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(said.contains("token"), "{said}");

    assert!(create("crm").status.success());
    let (status, _, page) = app
        .as_token(app.token.clone())
        .request(
            "POST",
            "/admin/tokens",
            Some(json!("name=crm&role=operator")),
        )
        .await;
    assert_eq!(status, 422, "{page}");
    assert!(page.contains("Токен с таким названием уже есть"), "{page}");
    // Said at the tokens' form on the admin page, the name as typed and marked.
    let form = page
        .split("id=\"token-error\"")
        .nth(1)
        .unwrap_or_else(|| panic!("not at the form: {page}"));
    assert!(
        form.contains(r#"value="crm""#) && form.contains(r#"aria-invalid="true""#),
        "{form}"
    );
}
