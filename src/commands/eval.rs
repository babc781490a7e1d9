//! `callfaq eval`: quality measured through the product's own code paths, on labelled question
//! sets (JSON lines of `{"text", "label"}`).
//!
//! - `eval retrieval --train FILE --test FILE`: a temporary knowledge folder gets one neutral
//!   answer per label (a title and body of no word a caller says), the train texts are imported
//!   as caller questions linked to their label's answer, the learned ranking is trained as the
//!   trainer job trains it, and each test text is searched as the operator's search is
//!   (`actions::search`, whole sentence as typed). Prints accuracy@1, recall@5 and MRR.
//! - `eval retrieval --answers DIR --test FILE [--train FILE]`: the same over a real
//!   knowledge folder, whose slugs are the labels; a plain full-text engine (`plain`) is
//!   measured on the same queries beside it.
//! - A test text labelled `""` is a question no answer covers: it is not ranked, and the
//!   result says how often a settled search said nothing fits, for these (it should) and for
//!   the labelled ones (it should not).
//! - `eval grouping --input FILE`: the texts arrive one by one, in file order, without labels,
//!   through the assignment the server runs; the groups are compared with the labels (NMI, ARI,
//!   and how many groups against how many labels).
//!
//! The last line printed is the JSON result.

use crate::actions::search;
use crate::app::App;
use crate::calls::transfer::{CallLine, QuestionLine};
use crate::clock::Clock;
use crate::grouping::{quality, Grouper, Params as GroupParams};
use anyhow::Context;
use serde::Deserialize;
use std::collections::HashMap;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

/// One labelled text.
#[derive(Debug, Clone, Deserialize)]
pub struct Labelled {
    /// The caller's words.
    pub text: String,
    /// The typical question it belongs to.
    pub label: String,
}

/// Reads a JSON-lines file of labelled texts.
pub fn read_labelled(path: &Path) -> anyhow::Result<Vec<Labelled>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            serde_json::from_str(l).with_context(|| {
                format!(
                    "{}:{}: expected {{\"text\": \"...\", \"label\": \"...\"}}",
                    path.display(),
                    i + 1
                )
            })
        })
        .collect()
}

/// A slug for a label: lowercase Latin letters, digits and hyphens; others by their code.
fn slug_of(label: &str, taken: &mut HashMap<String, usize>) -> String {
    let mut slug: String = label
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect::<String>()
        .split('-')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    if slug.is_empty() {
        slug = "label".into();
    }
    let n = taken.entry(slug.clone()).or_insert(0);
    *n += 1;
    if *n > 1 {
        slug = format!("{slug}-{n}");
    }
    slug
}

/// A code of letters no caller says, for a neutral title: `qx` plus the number in base 26.
fn neutral_word(mut n: usize) -> String {
    let mut out = String::from("qx");
    loop {
        out.push((b'a' + (n % 26) as u8) as char);
        n /= 26;
        if n == 0 {
            return out;
        }
    }
}

/// Accuracy@1, recall@5, MRR of ranked slugs against the expected ones.
pub fn retrieval_scores(ranked: &[(Vec<String>, String)]) -> (f64, f64, f64) {
    let n = ranked.len().max(1) as f64;
    let mut at1 = 0.0;
    let mut at5 = 0.0;
    let mut mrr = 0.0;
    for (hits, expected) in ranked {
        if let Some(rank) = hits.iter().position(|h| h == expected) {
            if rank == 0 {
                at1 += 1.0;
            }
            if rank < 5 {
                at5 += 1.0;
            }
            mrr += 1.0 / (rank + 1) as f64;
        }
    }
    (at1 / n, at5 / n, mrr / n)
}

/// `callfaq eval ...`.
pub fn run(
    config: &crate::config::Config,
    what: crate::config::EvalWhat,
) -> anyhow::Result<ExitCode> {
    match what {
        crate::config::EvalWhat::Retrieval {
            train,
            test,
            answers,
        } => {
            let answers = match (&answers, &train) {
                (Some(dir), _) => Answers::Folder(dir),
                (None, Some(_)) => Answers::Neutral,
                (None, None) => anyhow::bail!(
                    "eval retrieval needs --train FILE (the history), or --answers DIR (a knowledge folder)"
                ),
            };
            retrieval(
                train.as_deref(),
                &test,
                answers,
                &config.model,
                &config.word_vectors,
            )
        }
        crate::config::EvalWhat::Grouping { input } => grouping(&input, &config.model),
    }
}

/// The vectors of texts, on every core.
fn embed_all(meaning: &crate::meaning::Meaning, texts: &[String]) -> Vec<Option<Vec<f32>>> {
    let cores = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .max(1);
    let chunk = texts.len().div_ceil(cores).max(1);
    std::thread::scope(|scope| {
        let parts: Vec<_> = texts
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    let part: Vec<&str> = part.iter().map(String::as_str).collect();
                    match meaning.embed_many(&part) {
                        Some(vs) => vs.into_iter().map(Some).collect(),
                        None => vec![None; part.len()],
                    }
                })
            })
            .collect();
        parts
            .into_iter()
            .flat_map(|p| p.join().unwrap_or_default())
            .collect()
    })
}

/// The answers `eval retrieval` searches.
pub enum Answers<'a> {
    /// One neutral answer per label, in a temporary folder.
    Neutral,
    /// A real knowledge folder: the labels are its slugs.
    Folder(&'a Path),
}

/// One neutral answer per label in `dir`; returns each label's slug.
fn neutral_answers(dir: &Path, texts: &[&Labelled]) -> anyhow::Result<HashMap<String, String>> {
    std::fs::create_dir_all(dir)?;
    let mut taken = HashMap::new();
    let mut slugs: HashMap<String, String> = HashMap::new();
    for l in texts {
        if !slugs.contains_key(&l.label) {
            let slug = slug_of(&l.label, &mut taken);
            let word = neutral_word(slugs.len());
            std::fs::write(
                dir.join(format!("{slug}.md")),
                format!("+++\ntitle = \"{word}\"\naudience = \"all\"\nreviewed = 2026-01-01\n+++\n{word}\n"),
            )?;
            slugs.insert(l.label.clone(), slug);
        }
    }
    Ok(slugs)
}

/// `callfaq eval retrieval`.
pub fn retrieval(
    train: Option<&Path>,
    test: &Path,
    answers: Answers,
    model: &Path,
    word_vectors: &Path,
) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let train = match train {
        Some(path) => read_labelled(path)?,
        None => Vec::new(),
    };
    let test = read_labelled(test)?;
    // Texts no answer covers (label `""`) only measure the "nothing fits" notice.
    let (test, uncovered): (Vec<Labelled>, Vec<Labelled>) =
        test.into_iter().partition(|l| !l.label.is_empty());
    let (answered, unanswered) = (test.len(), uncovered.len());
    anyhow::ensure!(
        train.iter().all(|l| !l.label.is_empty()),
        "a train text has an empty label: every caller question of the history is linked"
    );
    let tmp = tempfile::Builder::new()
        .prefix("callfaq-eval-")
        .tempdir()
        .context("creating a temporary folder")?;
    let real = matches!(answers, Answers::Folder(_));
    let (knowledge, slugs) = match answers {
        Answers::Neutral => {
            let dir = tmp.path().join("knowledge");
            let all: Vec<&Labelled> = train.iter().chain(&test).collect();
            let slugs = neutral_answers(&dir, &all)?;
            (dir, slugs)
        }
        Answers::Folder(dir) => {
            let (known, _) = crate::knowledge::Knowledge::load(dir, None);
            let mut slugs = HashMap::new();
            for l in train.iter().chain(&test) {
                anyhow::ensure!(
                    known.get(&l.label).is_some(),
                    "the label {:?} is no answer's slug in {}",
                    l.label,
                    dir.display()
                );
                slugs.insert(l.label.clone(), l.label.clone());
            }
            (dir.to_path_buf(), slugs)
        }
    };
    let zone =
        crate::clock::parse_zone(crate::clock::DEFAULT_TIME_ZONE).map_err(anyhow::Error::msg)?;
    let app = App::open(&knowledge, &tmp.path().join("data"), Clock::new(zone))?
        .with_meaning(crate::meaning::Meaning::open(model).with_word_vectors_from(word_vectors));
    // The train texts as history: calls of ten questions, each linked to its label's answer.
    let now = chrono::Utc::now();
    let calls: Vec<CallLine> = train
        .chunks(10)
        .map(|chunk| {
            CallLine::of_questions(
                now,
                chunk
                    .iter()
                    .map(|l| QuestionLine {
                        text: l.text.clone(),
                        asked_at: None,
                        answer: Some(slugs[&l.label].clone()),
                        declined: false,
                    })
                    .collect(),
            )
        })
        .collect();
    app.store.import(&calls, now)?;
    let library = app.shelf.current();
    let answers: Vec<String> = library
        .knowledge
        .answers()
        .iter()
        .map(|a| a.slug.clone())
        .collect();
    // What the import learns at once, as the server would have it from its first search: the
    // word and keystroke models, the linked questions' sentence vectors, the meaning model.
    let learned = crate::actions::history::learn_history(
        &app.store,
        &app.learner,
        &app.meaning,
        &answers,
        &app.stop,
        &|_, _| {},
    )?;
    eprintln!(
        "{} answers, {} linked caller questions; learned in {:.1} s (temperature {:.2}; keystroke meaning weight {:.2}, {} linked questions encoded in {:.1} s, meaning weight {:.2}, nearest questions' weight {:.2})",
        answers.len(),
        train.len(),
        started.elapsed().as_secs_f64(),
        app.learner.model().temperature(),
        app.learner.keystroke().weight,
        learned.encoded,
        learned.encoding_seconds,
        app.learner.dense().weight,
        app.learner.neighbours().weight,
    );
    // What the test texts mean, as a settled search computes it.
    let test: Vec<Labelled> = test.into_iter().chain(uncovered).collect();
    let mut test_vectors: Vec<Option<Vec<f32>>> = vec![None; test.len()];
    if app.meaning.available() {
        app.meaning
            .refresh_answers(&app.store, &library.knowledge, usize::MAX)?;
        let test_texts: Vec<String> = test
            .iter()
            .map(|l| search::meant(&app, &library, l.text.trim()))
            .collect();
        test_vectors = embed_all(&app.meaning, &test_texts);
        eprintln!(
            "answers' own meaning trusted {:.2}",
            app.meaning.answers().trust
        );
    } else {
        eprintln!("no sentence model: words and the linked history only");
    }
    let mut by_words = Vec::with_capacity(test.len());
    let mut ranked = Vec::with_capacity(test.len());
    // How many settled searches said nothing fits: of the answered texts, of the unanswered.
    let mut said_nothing_fits = [0usize; 2];
    let searching = Instant::now();
    let slugs_of =
        |found: search::Found| found.hits.into_iter().map(|h| h.slug).collect::<Vec<_>>();
    for (l, vector) in test.iter().zip(&test_vectors) {
        // The operator's search, as typed and once typing stopped (the vector computed above,
        // as a settled search computes it).
        let typed = search::Query::typed(&l.text);
        let settled = search::Query {
            meaning: search::Meaning::Given(vector.clone()),
            ..typed.clone()
        };
        let found = search::run(&app, &settled)?;
        said_nothing_fits[usize::from(l.label.is_empty())] += usize::from(found.nothing_fits);
        if l.label.is_empty() {
            continue;
        }
        let expected = slugs[&l.label].clone();
        by_words.push((slugs_of(search::run(&app, &typed)?), expected.clone()));
        ranked.push((slugs_of(found), expected));
    }
    let share = |n: usize, of: usize| if of == 0 { 0.0 } else { n as f64 / of as f64 };
    eprintln!(
        "said nothing fits: {} of {answered} answered texts, {} of {unanswered} that no answer covers",
        said_nothing_fits[0], said_nothing_fits[1]
    );
    let mut dense_only = Vec::new();
    for (l, vector) in test.iter().zip(&test_vectors) {
        if l.label.is_empty() {
            continue;
        }
        if let Some(v) = vector {
            let r: Vec<String> = app
                .learner
                .dense()
                .rank(v)
                .into_iter()
                .take(10)
                .map(|(s, _)| s)
                .collect();
            dense_only.push((r, slugs[&l.label].clone()));
        }
    }
    let (d1, d5, dm) = retrieval_scores(&dense_only);
    eprintln!("meaning model alone: accuracy@1 {d1:.4}, recall@5 {d5:.4}, MRR {dm:.4}");
    let (w1, w5, wm) = retrieval_scores(&by_words);
    eprintln!(
        "as typed (words and the linked history): accuracy@1 {:.4}, recall@5 {:.4}, MRR {:.4}",
        w1, w5, wm
    );
    let (at1, at5, mrr) = retrieval_scores(&ranked);
    eprintln!(
        "{} queries searched twice in {:.1} s",
        answered,
        searching.elapsed().as_secs_f64(),
    );
    let mut result = serde_json::json!({
        "accuracy_at_1": round(at1),
        "recall_at_5": round(at5),
        "mrr": round(mrr),
        "queries": answered,
        "meaning": app.meaning.available(),
        "nothing_fits": {
            "answered": round(share(said_nothing_fits[0], answered)),
            "unanswered": round(share(said_nothing_fits[1], unanswered)),
            "unanswered_queries": unanswered,
        },
        "keystroke_meaning": !app.learner.keystroke().is_empty() && app.learner.keystroke().weight > 0.0,
        "as_typed": {"accuracy_at_1": round(w1), "recall_at_5": round(w5), "mrr": round(wm)},
    });
    if real {
        let mut plain = Vec::new();
        for engine in super::plain::engines(library.knowledge.answers())? {
            let mut found = Vec::with_capacity(test.len());
            for l in test.iter().filter(|l| !l.label.is_empty()) {
                found.push((engine.search(&l.text, 10)?, slugs[&l.label].clone()));
            }
            let (p1, p5, pm) = retrieval_scores(&found);
            eprintln!(
                "plain full-text engine ({}): accuracy@1 {p1:.4}, recall@5 {p5:.4}, MRR {pm:.4}",
                engine.name()
            );
            plain.push(serde_json::json!({
                "engine": engine.name(),
                "accuracy_at_1": round(p1),
                "recall_at_5": round(p5),
                "mrr": round(pm),
            }));
        }
        result["plain"] = serde_json::Value::Array(plain);
    }
    println!("{result}");
    Ok(ExitCode::SUCCESS)
}

/// `callfaq eval grouping`: the texts through the server's [`Grouper`], one by one, with
/// their sentence vectors when the model is there (the server computes a live question's
/// vector before it groups it; here they are computed first, on every core).
pub fn grouping(input: &Path, model: &Path) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let texts = read_labelled(input)?;
    let meaning = crate::meaning::Meaning::open(model);
    let all: Vec<String> = texts.iter().map(|l| l.text.clone()).collect();
    let vectors = if meaning.available() {
        embed_all(&meaning, &all)
    } else {
        vec![None; all.len()]
    };
    let encoded = started.elapsed();
    let mut grouper = Grouper::new(if meaning.available() {
        GroupParams::with_meaning()
    } else {
        GroupParams::default()
    });
    for (i, (l, v)) in texts.iter().zip(&vectors).enumerate() {
        grouper.place(i as i64, &l.text, v.as_deref());
    }
    // The server reassigns before it shows the groups: so does the measure.
    grouper.refine();
    let assignment = grouper.assignment();
    let groups: Vec<i64> = (0..texts.len() as i64).map(|i| assignment[&i]).collect();
    let labels: Vec<&str> = texts.iter().map(|l| l.label.as_str()).collect();
    let distinct_labels = labels
        .iter()
        .collect::<std::collections::HashSet<_>>()
        .len();
    eprintln!(
        "{} questions grouped in {:.1} s ({:.1} s of it computing their sentence vectors)",
        texts.len(),
        started.elapsed().as_secs_f64(),
        encoded.as_secs_f64()
    );
    println!(
        "{}",
        serde_json::json!({
            "nmi": round(quality::nmi(&labels, &groups)),
            "ari": round(quality::ari(&labels, &groups)),
            "groups": grouper.group_count(),
            "labels": distinct_labels,
            "questions": texts.len(),
        })
    );
    Ok(ExitCode::SUCCESS)
}

fn round(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_count_ranks() {
        let ranked = vec![
            (vec!["a".into(), "b".into()], "a".to_string()),
            (vec!["b".into(), "a".into()], "a".to_string()),
            (vec!["c".into()], "a".to_string()),
        ];
        let (at1, at5, mrr) = retrieval_scores(&ranked);
        assert!((at1 - 1.0 / 3.0).abs() < 1e-9);
        assert!((at5 - 2.0 / 3.0).abs() < 1e-9);
        assert!((mrr - 0.5).abs() < 1e-9);
    }

    #[test]
    fn labels_become_distinct_slugs_and_neutral_words() {
        let mut taken = HashMap::new();
        assert_eq!(
            slug_of("Refund_not_showing_up", &mut taken),
            "refund-not-showing-up"
        );
        assert_eq!(
            slug_of("refund not showing up", &mut taken),
            "refund-not-showing-up-2"
        );
        assert_eq!(slug_of("Возврат", &mut taken), "label");
        assert_ne!(neutral_word(0), neutral_word(1));
        assert_eq!(neutral_word(27), "qxbb");
    }
}
