//! The sentence model shipped in `models/`: it loads, cuts text into the same pieces as the
//! reference engine it was checked against, gives the same vectors, and puts a paraphrase that
//! shares no word with its answer closer than an unrelated text.

use crate::harness::{shipped_encoder, shipped_knowledge, TestApp};
use axum::http::StatusCode;
use callfaq::encoder::dot;
use serde_json::{json, Value};
use std::path::Path;
use std::time::{Duration, Instant};

#[test]
fn the_shipped_model_matches_the_reference_engine() {
    let encoder = shipped_encoder();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/encoder/reference.json");
    let cases: Vec<Value> = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert!(cases.len() >= 5);
    for case in &cases {
        let text = case["text"].as_str().unwrap();
        let ids: Vec<u32> = case["ids"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_u64().unwrap() as u32)
            .collect();
        assert_eq!(encoder.content_ids(text), ids, "pieces of {text:?}");
        let expected: Vec<f32> = case["vector"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_f64().unwrap() as f32)
            .collect();
        let got = encoder.embed(text);
        let cosine = dot(&got, &expected);
        assert!(
            cosine > 0.999,
            "{text:?}: cosine {cosine} with the reference"
        );
    }
}

#[test]
fn a_paraphrase_without_a_shared_word_is_closer_than_an_unrelated_question() {
    let e = shipped_encoder();
    let question = e.embed("у нас всё легло, ничего не открывается");
    let outage = e.embed("Сервер не работает: что делать при аварии");
    let price = e.embed("Сколько стоит заправка картриджа?");
    assert!(
        dot(&question, &outage) > dot(&question, &price),
        "{} vs {}",
        dot(&question, &outage),
        dot(&question, &price)
    );
    let english = e.embed("How much does a cartridge refill cost?");
    assert!(
        dot(&price, &english) > 0.85,
        "the same question across languages: {}",
        dot(&price, &english)
    );
}

/// A search's hits' slugs: `settled` once typing stopped (the sentence model weighs it), else
/// a keystroke's.
async fn hits(app: &TestApp, query: &str, settled: bool) -> Vec<String> {
    let (status, body) = app
        .get_json(&format!(
            "/api/search?settled={}&q={}",
            u8::from(settled),
            crate::harness::encode(query)
        ))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["meaning"], settled, "{body}");
    body["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["slug"].as_str().unwrap().to_string())
        .collect()
}

async fn settled(app: &TestApp, query: &str) -> Vec<String> {
    hits(app, query, true).await
}

async fn typed(app: &TestApp, query: &str) -> Vec<String> {
    hits(app, query, false).await
}

#[tokio::test]
async fn on_the_shipped_knowledge_a_question_in_other_words_finds_its_answer() {
    let app = TestApp::with_meaning(&shipped_knowledge());
    for (query, slug) in [
        (
            "ваш специалист может подъехать к нам завтра",
            "engineer-visit-timing",
        ),
        (
            "нужна лицензионная операционка на десять машин",
            "software-1c-licenses",
        ),
    ] {
        let hits = settled(&app, query).await;
        assert!(hits[..3].contains(&slug.to_string()), "{query}: {hits:?}");
    }
    // What words find, meaning does not lose: a model code, a typo.
    assert_eq!(settled(&app, "canon 2100").await[0], "canon-2100-price");
    assert!(settled(&app, "заправка картрижда").await[..3]
        .contains(&"cartridge-refill-price".to_string()));
}

#[tokio::test]
async fn a_spoken_sentence_finds_what_is_asked_not_the_answer_of_its_topic() {
    let app = TestApp::with_meaning(&shipped_knowledge());
    // The sentence model alone read these as setting up an office network (its phrasings
    // share the topic); the static word vectors beside it weigh «не работает», «пропал».
    for query in [
        "не работает интернет в офисе",
        "у нас в офисе пропал интернет, что делать",
    ] {
        let hits = settled(&app, query).await;
        assert_eq!(hits[0], "report-outage", "{query}: {hits:?}");
        // Also on a call the desk takes for a new client's (a caller it does not recognise):
        // the kind prefers new clients' answers only between near equals.
        let (_, body) = app
            .get_json(&format!(
                "/api/search?settled=1&kind=primary&q={}",
                crate::harness::encode(query)
            ))
            .await;
        assert_eq!(body["hits"][0]["slug"], "report-outage", "{query}: {body}");
    }
    // And a sentence about setting one up still goes there.
    let hits = settled(&app, "хотим провести интернет и вайфай в новый офис").await;
    assert_eq!(hits[0], "network-wifi-setup", "{hits:?}");
}

#[tokio::test]
async fn on_the_shipped_knowledge_everyday_words_find_their_answer_as_typed() {
    let app = TestApp::with_meaning(&shipped_knowledge());
    // No word of these is in the answers: before any history, the answers' own meaning by
    // the static word vectors finds them on the keystroke.
    assert_eq!(
        typed(&app, "где вы сидите")
            .await
            .first()
            .map(String::as_str),
        Some("office-address")
    );
    assert_eq!(typed(&app, "хочу у вас работать").await[0], "vacancies");
    // Where the words are precise, they still decide.
    assert_eq!(typed(&app, "canon 2100").await[0], "canon-2100-price");
    assert_eq!(
        typed(&app, "принтер не печатает").await[0],
        "printer-not-printing"
    );
    // A whole spoken sentence: its greeting is no part of what it asks («добрый день» read as
    // days put the working hours first).
    assert_eq!(
        typed(
            &app,
            "добрый день, подскажите, а у вас есть гарантия на ноутбуки, которые вы продаете"
        )
        .await[0],
        "warranty-terms"
    );
}

#[tokio::test]
async fn a_typo_typed_alone_means_the_word_it_stands_for_once_typing_stops() {
    let app = TestApp::with_meaning(&shipped_knowledge());
    // Read as typed, these mean nothing to the sentence model (it put «принтр» nearest the
    // office's address); read as the answers spell them, they mean what the operator looks for.
    for (query, slug) in [
        ("принтр", "printer-not-printing"),
        ("запрвка", "cartridge-refill-price"),
        ("ghbynth", "printer-not-printing"),
    ] {
        assert_eq!(settled(&app, query).await[0], slug, "{query} settled");
        assert!(
            typed(&app, query).await[..2].contains(&slug.to_string()),
            "{query} as typed"
        );
    }
}

#[tokio::test]
async fn a_logged_questions_vector_is_kept_and_not_computed_again_after_a_restart() {
    let app = TestApp::with_meaning(&crate::harness::fixtures());
    let (_, call) = app.json("POST", "/api/calls", json!({})).await;
    let uri = format!("/api/calls/{}/questions", call["id"]);
    app.json(
        "POST",
        &uri,
        json!({"text": "у нас всё легло", "answer": "remote-admin"}),
    )
    .await;
    let deadline = Instant::now() + Duration::from_secs(20);
    while app.app.store.unembedded_count().unwrap() > 0 {
        assert!(
            Instant::now() < deadline,
            "the embedding job did not encode the question"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let texts = vec!["у нас всё легло".to_string()];
    let stored = app
        .app
        .store
        .vectors(&texts)
        .unwrap()
        .remove(&texts[0])
        .expect("kept");
    let fresh = shipped_encoder().embed(&texts[0]);
    assert!(dot(&stored, &fresh) > 0.999);
    // Another start on the same folder finds every vector it needs in the database: nothing
    // waits to be encoded, neither the question nor the answers' phrasings.
    let store = callfaq::store::Store::open(&app.data).unwrap();
    assert_eq!(store.unembedded_count().unwrap(), 0);
    assert!(store.vectors(&texts).unwrap().contains_key(&texts[0]));
    let meaning = callfaq::meaning::Meaning::with(shipped_encoder());
    let (knowledge, _) = callfaq::knowledge::Knowledge::load(&app.knowledge, None);
    assert_eq!(
        meaning.refresh_answers(&store, &knowledge, 0).unwrap(),
        0,
        "no answer text left to encode"
    );
    assert!(!meaning.answers().is_empty());
    // The answers' sentence vectors alone leave their static word vectors as they were (the
    // embedding job asks for the former at each pass while answer texts wait to be encoded).
    let meaning = meaning.with_word_vectors(crate::harness::shipped_words());
    meaning.refresh_answers(&store, &knowledge, 0).unwrap();
    let typed = meaning.typed_answers();
    let sentences = meaning.answers();
    assert!(!typed.is_empty());
    assert_eq!(meaning.refresh_sentences(&store, &knowledge, 0).unwrap(), 0);
    assert!(std::sync::Arc::ptr_eq(&typed, &meaning.typed_answers()));
    assert!(!std::sync::Arc::ptr_eq(&sentences, &meaning.answers()));
    assert!(!meaning.answers().is_empty());
    meaning.refresh_answers(&store, &knowledge, 0).unwrap();
    assert!(!std::sync::Arc::ptr_eq(&typed, &meaning.typed_answers()));
}

#[tokio::test]
async fn without_the_model_file_search_still_goes_by_words() {
    let meaning = callfaq::meaning::Meaning::open(Path::new("/nonexistent/model.bin"));
    assert!(!meaning.available());
    let app = TestApp::new();
    let (status, body) = app.get_json("/api/search?settled=1&q=canon%202100").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["meaning"], false);
    assert_eq!(body["hits"][0]["slug"], "printer");
    let (status, _) = app.get_json("/api/search?settled=maybe&q=x").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[test]
fn texts_encoded_together_get_the_vectors_they_get_one_by_one() {
    let e = shipped_encoder();
    let texts = [
        "сколько стоит заправка картриджа",
        "у нас всё легло, ничего не открывается, помогите срочно пожалуйста",
        "счёт",
        "How much does a cartridge refill cost?",
    ];
    let together = e.embed_many(&texts);
    assert_eq!(together.len(), texts.len());
    for (text, v) in texts.iter().zip(&together) {
        let alone = e.embed(text);
        assert!(dot(&alone, v) > 0.9999, "{text:?}: {}", dot(&alone, v));
    }
    assert!(e.embed_many(&[]).is_empty());
}

/// Three kinds of caller question, each asked three times in words the others of its kind do
/// not share.
const KINDS: [[&str; 3]; 3] = [
    [
        "у нас всё легло, ничего не открывается",
        "сервер упал",
        "сайт недоступен с самого утра",
    ],
    [
        "сколько стоит заправка картриджа",
        "почём заправить тонер",
        "какая цена на заправку",
    ],
    [
        "когда приедет мастер",
        "можно вызвать специалиста в офис",
        "нужен выезд инженера завтра",
    ],
];

fn grouped_by(params: callfaq::grouping::Params, meaning: bool) -> Vec<Vec<i64>> {
    let e = shipped_encoder();
    let mut g = callfaq::grouping::Grouper::new(params);
    let mut id = 0;
    for round in 0..3 {
        for kind in &KINDS {
            let text = kind[round];
            let v = meaning.then(|| e.embed(text));
            g.place(id, text, v.as_deref());
            id += 1;
        }
    }
    g.refine();
    (0..3)
        .map(|kind| {
            (0..3)
                .map(|round| g.group_of((round * 3 + kind) as i64).unwrap())
                .collect()
        })
        .collect()
}

#[test]
fn with_the_model_questions_that_share_no_word_but_mean_the_same_are_grouped_together() {
    let by_words = grouped_by(callfaq::grouping::Params::default(), false);
    assert_ne!(
        by_words[0][1], by_words[0][2],
        "words alone cannot tell «сервер упал» and «сайт недоступен» are one question"
    );
    let by_meaning = grouped_by(callfaq::grouping::Params::with_meaning(), true);
    for (kind, groups) in by_meaning.iter().enumerate() {
        assert!(
            groups.iter().all(|g| *g == groups[0]),
            "kind {kind} split: {by_meaning:?}"
        );
    }
    assert_ne!(by_meaning[0][0], by_meaning[1][0]);
    assert_ne!(by_meaning[1][0], by_meaning[2][0]);
    assert_ne!(by_meaning[0][0], by_meaning[2][0]);
}
