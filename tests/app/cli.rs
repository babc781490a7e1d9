//! The binary: `check` on good and broken folders, `--help`, and `serve` on its defaults.

use crate::harness::{copy_tree, fixtures, shipped_knowledge, Server};
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
