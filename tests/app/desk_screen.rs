//! Browser tests of the desk screen as a week at the desk used it: the card's first question
//! is the desk's current question (linked by the same keys, never logged twice), a page view
//! is not a search, the answer read aloud is in view at 1366×768 with the frequent questions
//! still at hand, and the new-call script says the name as it is typed.

use crate::browser::{desk, saved_questions, Browser, ARROW_DOWN, ENTER, LOGIN};
use crate::harness::TestApp;
use std::time::Duration;

/// Results on screen for exactly what is in the box, with something found.
const RESULTS_FOR_THE_BOX: &str = "const l = document.getElementById('results'); \
     const q = document.getElementById('question'); \
     return l.dataset.query === q.value && !l.classList.contains('stale') \
       && l.querySelectorAll('.hit').length > 0";

#[test]
fn keys_pressed_while_a_slow_server_answers_earlier_letters_act_on_the_results_for_the_whole_text()
{
    let Some(browser) = Browser::start() else {
        return;
    };
    let app = TestApp::new();
    app.account(LOGIN.0, LOGIN.1, callfaq::accounts::Role::Operator);
    let base = app.serve_slow(Duration::from_millis(400));
    let id = desk(&app, &base, &browser);
    let input = browser.find("#question");
    // Results for a part of the text may be on screen (dimmed) when the keys go down: they wait
    // for the results of the whole text, then link its first result.
    browser.type_slowly(&input, "сколько стоит принтер");
    browser.type_into(&input, ARROW_DOWN);
    browser.type_into(&input, ENTER);
    browser.wait_until(
        "the question linked",
        "return document.querySelector('#logged li .q-answer a') !== null \
           && document.querySelectorAll('#logged li.pending').length === 0",
    );
    assert_eq!(
        saved_questions(&app, &base, id),
        [(
            "сколько стоит принтер".to_string(),
            Some("printer".to_string())
        )]
    );
}

#[test]
fn a_burst_of_keys_costs_one_search_per_round_trip_not_one_per_key() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let app = TestApp::new();
    app.account(LOGIN.0, LOGIN.1, callfaq::accounts::Role::Operator);
    let base = app.serve_slow(Duration::from_millis(1000));
    desk(&app, &base, &browser);
    let input = browser.find("#question");
    let text = "сколько стоит принтер canon";
    browser.type_slowly(&input, text);
    browser.wait_until("results for the whole text", RESULTS_FOR_THE_BOX);
    let sent = browser.script(
        "return performance.getEntriesByType('resource') \
           .filter(e => e.name.includes('/api/search') && !e.name.includes('settled=1')).length",
    );
    let sent = sent.as_u64().unwrap();
    assert!(
        sent >= 1 && sent < text.chars().count() as u64 / 3,
        "{sent} searches for {} letters",
        text.chars().count()
    );
}
