//! The knowledge folder we ship must load without a single problem, and answer the queries the
//! product promises.

use crate::harness::{shipped_knowledge, TestApp};
use callfaq::i18n::Lang;
use callfaq::knowledge::Knowledge;

#[test]
fn shipped_knowledge_has_no_problems() {
    let (knowledge, problems) = Knowledge::load(&shipped_knowledge(), None);
    let lines: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
    assert!(
        lines.is_empty(),
        "problems in knowledge/:\n{}",
        lines.join("\n")
    );
    assert!(knowledge.len() >= 30, "only {} answers", knowledge.len());
}

#[test]
fn every_shipped_answer_starts_with_the_phrase_to_say() {
    let (knowledge, _) = Knowledge::load(&shipped_knowledge(), None);
    for answer in knowledge.answers() {
        assert!(
            answer.text.starts_with("Скажите клиенту:"),
            "{} does not start with the phrase to say",
            answer.path.display()
        );
    }
}

#[tokio::test]
async fn shipped_knowledge_answers_the_promised_queries() {
    let app = TestApp::over(&shipped_knowledge(), Lang::Ru);
    let first = |slugs: Vec<String>| slugs.into_iter().next().unwrap_or_default();
    let printer = first(app.search_slugs("принтеры").await);
    assert!(
        printer.contains("printer") || printer.contains("canon"),
        "принтеры → {printer}"
    );
    let layout = first(app.search_slugs("ghbynth").await);
    assert!(
        layout.contains("printer") || layout.contains("canon"),
        "ghbynth → {layout}"
    );
    assert!(first(app.search_slugs("админстрирование").await).contains("remote-admin"));
    let yo = first(app.search_slugs("удаленное").await);
    let (_, answer) = app.get_json(&format!("/api/answers/{yo}")).await;
    let text = format!("{} {}", answer["title"], answer["html"]).to_lowercase();
    assert!(text.contains("удалённое"), "удаленное → {yo}");
}
