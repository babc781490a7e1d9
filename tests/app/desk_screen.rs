//! Browser tests of the desk screen as a week at the desk used it: the card's first question
//! is the desk's current question (linked by the same keys, never logged twice), a page view
//! is not a search, the answer read aloud is in view at 1366×768 with the frequent questions
//! still at hand, and the new-call script says the name as it is typed.

use crate::browser::{
    all_saved, api_post, at_the_desk, desk, report, saved_questions, search_counts, signed_in_at,
    unanswered, Browser, ARROW_DOWN, BACKSPACE, END, ENTER, ESCAPE, LOGIN, NOTHING_PENDING,
};
use crate::harness::TestApp;
use serde_json::{json, Value};
use std::time::Duration;

/// Results on screen for exactly what is in the box, with something found.
const RESULTS_FOR_THE_BOX: &str = "const l = document.getElementById('results'); \
     const q = document.getElementById('question'); \
     return l.dataset.query === q.value && !l.classList.contains('stale') \
       && l.querySelectorAll('.hit').length > 0";

/// Results on screen for exactly what is in the box, found or not.
const SEARCHED_THE_BOX: &str = "const l = document.getElementById('results'); \
     const q = document.getElementById('question'); \
     return q.value !== '' && l.dataset.query === q.value && !l.classList.contains('stale')";

/// Every search of today the report lists, found or not, with its count.
fn logged_searches(app: &TestApp, base: &str) -> Vec<(String, u64)> {
    let today = app.app.clock.today();
    let uri = format!("/api/reports/questions?from={today}&to={today}");
    let now = report(app, base, &uri);
    let mut all = search_counts(&now, "no_result_searches");
    all.extend(search_counts(&now, "unchosen_searches"));
    all.sort();
    all
}

/// Starts a call on the new-call card with a name and a first question; the new call's id.
fn start_from_the_card(browser: &Browser, base: &str, name: &str, question: &str) -> i64 {
    browser.goto(&format!("{base}/calls/new"));
    let field = browser.find("#name");
    browser.type_slowly(&field, name);
    let field = browser.find("#first-question");
    browser.type_slowly(&field, question);
    browser.type_into(&field, ENTER);
    let path = browser.wait_until(
        "the desk screen of the new call",
        "return /^\\/calls\\/\\d+$/.test(location.pathname) && document.readyState === 'complete' \
           ? location.pathname : null",
    );
    path.as_str().unwrap()[7..].parse().unwrap()
}

/// An operator signed in, at the desk of a call started on the new-call card with `question`:
/// the browser, the app, its address and the call's id; `None` without a browser.
fn from_the_card(question: &str) -> Option<(Browser, TestApp, String, i64)> {
    let browser = Browser::start()?;
    let app = TestApp::new();
    app.account(LOGIN.0, LOGIN.1, callfaq::accounts::Role::Operator);
    let base = app.serve();
    browser.login(&base, LOGIN.0, LOGIN.1);
    let id = start_from_the_card(&browser, &base, "Олег", question);
    Some((browser, app, base, id))
}

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

#[test]
fn reopening_a_call_is_not_a_search_and_typed_words_are_logged_once_per_page() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let app = TestApp::new();
    app.account(LOGIN.0, LOGIN.1, callfaq::accounts::Role::Operator);
    let base = app.serve();
    let call = unanswered(&app, &base, &["а вы продаёте кофемашины для офиса"]);
    browser.login(&base, LOGIN.0, LOGIN.1);
    // The call is reopened twice; each view stays longer than the pause that logs a search.
    for _ in 0..2 {
        browser.goto(&format!("{base}/calls/{call}"));
        browser.wait_until(
            "the last question's results",
            "const l = document.getElementById('results'); \
             return l.dataset.query === 'а вы продаёте кофемашины для офиса' && !l.classList.contains('stale')",
        );
        std::thread::sleep(Duration::from_millis(2600));
    }
    assert_eq!(
        logged_searches(&app, &base),
        [],
        "page views are not searches"
    );
    // The operator types, pauses, clears the box and types the same words again.
    let input = browser.find("#question");
    browser.type_slowly(&input, "кофемашина");
    browser.wait_until("results for it", SEARCHED_THE_BOX);
    std::thread::sleep(Duration::from_millis(2600));
    browser.type_into(&input, "\u{E009}a\u{E000}");
    browser.type_into(&input, "\u{E003}");
    browser.type_slowly(&input, "кофемашина");
    browser.wait_until("results for it", SEARCHED_THE_BOX);
    std::thread::sleep(Duration::from_millis(2600));
    assert_eq!(
        logged_searches(&app, &base),
        [("кофемашина".to_string(), 1)],
        "what was typed and paused on, once"
    );
}

#[test]
fn the_cards_first_question_is_the_desks_current_question_and_typing_it_again_links_it_once() {
    let question = "Сколько стоит принтер Canon 2100?";
    let Some((browser, app, base, id)) = from_the_card(question) else {
        return;
    };
    // The question from the card is in the box, chosen whole, with its results under it.
    let shown = browser.wait_until(
        "the card's question as the desk's current question",
        "const q = document.getElementById('question'); \
         return q.value ? [q.value, q.selectionStart, q.selectionEnd, document.activeElement === q] : null",
    );
    assert_eq!(
        shown,
        json!([question, 0, question.chars().count(), true]),
        "the box holds the card's question, selected, focused"
    );
    browser.wait_until("its results", RESULTS_FOR_THE_BOX);
    // A click into it chooses it whole again (a click inside a selection would otherwise
    // leave the cursor there, and a key typed would go into the question).
    let input = browser.find("#question");
    let half =
        browser.script("return Math.round(document.getElementById('question').offsetWidth / 2)");
    browser.click_at(&input, 60 - half.as_i64().unwrap());
    assert_eq!(
        browser.script("const q = document.getElementById('question'); return [q.selectionStart, q.selectionEnd]"),
        json!([0, question.chars().count()])
    );
    let status = browser.script("return document.getElementById('desk-status').textContent");
    assert!(
        status.as_str().unwrap().contains('↓'),
        "the status says how to link it: {status}"
    );
    // A newcomer types the question again, as heard, and links the first result.
    browser.type_slowly(&input, "сколько стоит принтер canon 2100");
    browser.wait_until("results for what was typed", RESULTS_FOR_THE_BOX);
    browser.type_into(&input, ARROW_DOWN);
    browser.type_into(&input, ENTER);
    browser.wait_until("the link saved", NOTHING_PENDING);
    assert_eq!(
        browser.script("return document.querySelectorAll('#logged li').length"),
        json!(1),
        "one question on the page"
    );
    assert_eq!(
        saved_questions(&app, &base, id),
        [(question.to_string(), Some("printer".to_string()))],
        "the card's question linked, none logged twice"
    );
    // Enter on the same words once more changes nothing.
    browser.type_slowly(&input, question);
    browser.type_into(&input, ENTER);
    std::thread::sleep(Duration::from_millis(300));
    browser.wait_until("nothing pending", NOTHING_PENDING);
    assert_eq!(saved_questions(&app, &base, id).len(), 1);
}

#[test]
fn esc_lets_go_of_a_result_chosen_with_the_arrows() {
    let Some((browser, app, base, id)) = at_the_desk() else {
        return;
    };
    let input = browser.find("#question");
    browser.type_slowly(&input, "сколько стоит принтер");
    browser.wait_until("its results", RESULTS_FOR_THE_BOX);
    let chosen = "return document.querySelectorAll('#results [aria-selected=true]').length";
    browser.type_into(&input, ARROW_DOWN);
    assert_eq!(browser.script(chosen), json!(1));
    // Esc lets the choice go: Enter then logs the question with no answer.
    browser.type_into(&input, ESCAPE);
    assert_eq!(browser.script(chosen), json!(0));
    browser.type_into(&input, ENTER);
    browser.wait_until("the question saved", NOTHING_PENDING);
    assert_eq!(
        saved_questions(&app, &base, id),
        [("сколько стоит принтер".to_string(), None)]
    );
}

#[test]
fn arrow_down_and_enter_link_the_cards_first_question_without_typing() {
    let question = "Сколько стоит принтер Canon 2100?";
    let Some((browser, app, base, id)) = from_the_card(question) else {
        return;
    };
    browser.wait_until("its results", RESULTS_FOR_THE_BOX);
    let input = browser.find("#question");
    browser.type_into(&input, ARROW_DOWN);
    browser.type_into(&input, ENTER);
    browser.wait_until("the link saved", NOTHING_PENDING);
    assert_eq!(
        saved_questions(&app, &base, id),
        [(question.to_string(), Some("printer".to_string()))]
    );
    assert_eq!(
        browser.script("return document.getElementById('question').value"),
        json!(""),
        "the box is free for the next question"
    );
    // The next question typed is a question of its own.
    browser.type_slowly(&input, "а доставка есть");
    browser.type_into(&input, ENTER);
    browser.wait_until("two questions saved", &all_saved(2));
    assert_eq!(saved_questions(&app, &base, id).len(), 2);
}

#[test]
fn a_standing_question_typed_over_is_a_new_one_and_its_words_edited_are_still_it() {
    let first = "А обслуживание серверов удалённо у вас есть?";
    let Some((browser, app, base, id)) = from_the_card(first) else {
        return;
    };
    browser.wait_until("its results", RESULTS_FOR_THE_BOX);
    // Another question typed over the one standing in the box is a question of its own.
    let input = browser.find("#question");
    let second = "сколько стоит принтер";
    browser.type_slowly(&input, second);
    browser.wait_until("results for what was typed", RESULTS_FOR_THE_BOX);
    browser.type_into(&input, ENTER);
    browser.wait_until("two questions saved", &all_saved(2));
    assert_eq!(
        saved_questions(&app, &base, id),
        [(first.to_string(), None), (second.to_string(), None)]
    );
    // Opened again, the call's last question stands in the box; the operator adds to its words
    // to search it better rather than typing over them.
    browser.goto(&format!("{base}/calls/{id}"));
    browser.wait_until("its results", RESULTS_FOR_THE_BOX);
    let input = browser.find("#question");
    assert_eq!(
        browser.script("return document.getElementById('question').value"),
        json!(second)
    );
    browser.type_into(&input, END);
    browser.type_slowly(&input, " canon 2100");
    browser.wait_until("results for the words edited", RESULTS_FOR_THE_BOX);
    // Enter with no answer chosen logs nothing new and says which question it is.
    browser.type_into(&input, ENTER);
    let status = browser.script("return document.getElementById('desk-status').textContent");
    assert!(
        status.as_str().unwrap().contains(second),
        "the status names the question logged already: {status}"
    );
    assert_eq!(
        browser.script("return [document.getElementById('question').value, document.querySelectorAll('#logged li').length]"),
        json!([format!("{second} canon 2100"), 2]),
        "the edited words stay in the box with their results, nothing logged"
    );
    // A result chosen links the question standing, in the caller's words.
    browser.type_into(&input, ARROW_DOWN);
    browser.type_into(&input, ENTER);
    browser.wait_until(
        "the link saved",
        "return document.querySelector('#logged li:last-child .q-answer a') !== null \
           && document.querySelectorAll('#logged li.pending').length === 0",
    );
    assert_eq!(
        saved_questions(&app, &base, id),
        [
            (first.to_string(), None),
            (second.to_string(), Some("printer".to_string()))
        ],
        "the edited question linked, no third logged"
    );
    assert_eq!(
        browser.script("return document.getElementById('question').value"),
        json!(""),
        "the box is free for the next question"
    );
}

#[test]
fn after_linking_on_the_desk_the_phrase_to_say_and_the_answer_are_in_view_and_the_frequent_questions_at_hand(
) {
    let Some(browser) = Browser::start() else {
        return;
    };
    let app = TestApp::over(
        &crate::harness::shipped_knowledge(),
        callfaq::i18n::Lang::Ru,
    );
    app.account(LOGIN.0, LOGIN.1, callfaq::accounts::Role::Operator);
    let base = app.serve();
    desk(&app, &base, &browser);
    let buttons = browser
        .script("return document.querySelectorAll('.typical-question').length")
        .as_u64()
        .unwrap();
    assert!(
        buttons >= 8,
        "a new client's call shows the frequent questions: {buttons}"
    );
    let input = browser.find("#question");
    // A caller's opening is no question yet: the frequent questions stay, rather than a blank
    // screen, until a word of its own is typed.
    browser.type_slowly(&input, "Скажите, пожалуйста, ");
    std::thread::sleep(Duration::from_millis(900));
    assert_eq!(
        browser.script(
            "return [document.querySelector('details.typical').open, \
                     document.querySelectorAll('#results .hit').length]"
        ),
        json!([true, 0])
    );
    browser.script(
        "const q = document.getElementById('question'); q.value = ''; \
         q.dispatchEvent(new Event('input', {bubbles: true}))",
    );
    browser.type_slowly(&input, "Сколько стоит удалённое администрирование?");
    browser.wait_until(
        "the answer first among the results",
        "const a = document.querySelector('#results .hit a'); \
         return a && a.dataset.slug === 'remote-admin-price'",
    );
    // While a question is typed, its results come first: the frequent questions fold to their
    // heading, and the list starts right under it.
    let typing = browser.script(
        "const t = document.querySelector('details.typical'); \
         const gap = document.querySelector('#results .hit').getBoundingClientRect().top \
           - t.getBoundingClientRect().bottom; \
         return [t.open, gap]",
    );
    assert_eq!(typing[0], json!(false), "{typing}");
    assert!(typing[1].as_f64().unwrap() < 60.0, "{typing}");
    browser.type_into(&input, ARROW_DOWN);
    browser.type_into(&input, ENTER);
    browser.wait_until("the link saved", NOTHING_PENDING);
    let seen = browser.wait_until(
        "the answer in the panel",
        "const panel = document.querySelector('#answer-panel:not([hidden])'); \
         const say = panel && panel.querySelector('.answer-body > p'); \
         if (!say || !say.textContent.includes('Скажите клиенту')) return null; \
         const s = say.getBoundingClientRect(), p = panel.getBoundingClientRect(); \
         return {say_top: s.top, say_bottom: s.bottom, panel_top: p.top, panel_bottom: p.bottom, \
                 height: innerHeight, width: innerWidth}",
    );
    let at = |k: &str| seen[k].as_f64().unwrap();
    assert_eq!(
        (at("width"), at("height") > 600.0),
        (1366.0, true),
        "{seen}"
    );
    assert!(
        at("say_top") >= 0.0 && at("say_bottom") <= at("height"),
        "the phrase to say is whole on screen: {seen}"
    );
    let visible = at("panel_bottom").min(at("height")) - at("panel_top").max(0.0);
    assert!(
        visible >= 300.0,
        "{visible} px of the answer on screen: {seen}"
    );
    // The frequent questions are one click away, and back once the answer is closed.
    let summary: Value = browser.script(
        "const s = document.querySelector('.typical summary'); const r = s.getBoundingClientRect(); \
         return r.top >= 0 && r.bottom <= innerHeight && r.height > 0",
    );
    assert_eq!(
        summary,
        json!(true),
        "the frequent questions' heading in view"
    );
    browser.script("document.querySelector('.typical summary').click()");
    let shown = browser.script(
        "const b = document.querySelector('.typical-question'); return b.getClientRects().length > 0",
    );
    assert_eq!(shown, json!(true), "a click shows the buttons again");
    browser.script("document.querySelector('.typical summary').click()");
    // The next question typed closes the answer; the buttons stay folded while it is typed
    // and come back once the box is empty.
    browser.type_slowly(&input, "а");
    browser.wait_until(
        "the answer closed by typing, the buttons folded",
        "return document.getElementById('answer-panel').hidden \
           && !document.querySelector('details.typical').open",
    );
    browser.type_into(&input, BACKSPACE);
    let back = browser.wait_until(
        "the buttons back when the box is empty",
        "const b = document.querySelector('.typical-question'); \
         return document.getElementById('answer-panel').hidden && b.getClientRects().length > 0",
    );
    assert_eq!(back, json!(true));

    // A frequent question's button logs its title and links it; Esc takes the question back
    // whole: the answer's own title is no question a caller asked.
    let call = browser
        .script("return Number(document.getElementById('desk').dataset.call)")
        .as_i64()
        .unwrap();
    let before = saved_questions(&app, &base, call);
    browser.script("document.querySelector('.typical-question[data-slug]').click()");
    browser.wait_until("the button's question saved", NOTHING_PENDING);
    assert_eq!(saved_questions(&app, &base, call).len(), before.len() + 1);
    browser.type_into(&input, ESCAPE);
    browser.wait_until(
        "the button's question taken back",
        &format!(
            "return document.querySelectorAll('#logged li').length === {} \
             && !document.querySelector('#logged li.pending')",
            before.len()
        ),
    );
    assert_eq!(saved_questions(&app, &base, call), before);
}

#[test]
fn the_new_call_script_says_the_name_and_company_as_they_are_typed() {
    let Some((browser, app, base)) = signed_in_at("/calls/new") else {
        return;
    };
    let phrase = |key: &str| {
        browser.script(&format!(
            "return document.querySelector('li[data-key=\"{key}\"] .phrase').textContent"
        ))
    };
    assert_eq!(
        phrase("goodbye"),
        json!("Большое спасибо, мы вам обязательно перезвоним. До свидания!")
    );
    let name = browser.find("#name");
    browser.type_slowly(&name, "Олег");
    browser.wait_until(
        "the name in the script",
        "return document.querySelector('li[data-key=\"goodbye\"] .phrase').textContent.includes('Олег')",
    );
    assert_eq!(
        phrase("goodbye"),
        json!("Большое спасибо, мы вам обязательно перезвоним. До свидания, Олег!")
    );
    let company = browser.find("#company");
    browser.type_slowly(&company, "Ромашка");
    browser.wait_until(
        "the company in the script",
        "return document.querySelector('li[data-key=\"read_back\"] .phrase').textContent.includes('«Ромашка»')",
    );
    // A full number ticks the read-back box, which says it ticked itself; touched, it does not.
    let auto = "return [document.getElementById('contact-confirmed').checked, \
                 !document.querySelector('#contact-confirmed ~ .auto-ticked').hidden]";
    assert_eq!(browser.script(auto), json!([false, false]));
    let phone = browser.find("#phone");
    browser.type_slowly(&phone, "84951234567");
    assert_eq!(browser.script(auto), json!([true, true]));
    // The number is read back in groups, as it is said.
    assert!(
        phrase("read_back")
            .as_str()
            .unwrap()
            .starts_with("8 495 123-45-67 — всё верно?"),
        "{}",
        phrase("read_back")
    );
    browser.script("document.getElementById('contact-confirmed').click()");
    assert_eq!(browser.script(auto), json!([false, false]));
    // Erased again, the phrase goes back to its words for an unknown name.
    browser.script(
        "const n = document.getElementById('name'); n.value = ''; n.dispatchEvent(new Event('input', {bubbles: true}))",
    );
    assert_eq!(
        phrase("goodbye"),
        json!("Большое спасибо, мы вам обязательно перезвоним. До свидания!")
    );
    // Recorded, the call's own script says the same.
    let (status, call) = api_post(&app, &base, "/api/calls", json!({"name": "Олег"}));
    assert_eq!(status, 201);
    browser.goto(&format!("{base}/calls/{}", call["id"]));
    assert_eq!(
        phrase("goodbye"),
        json!("Большое спасибо, мы вам обязательно перезвоним. До свидания, Олег!")
    );
    // Saved, the page says so once (a reload would not) and the script still follows the card.
    browser.script("document.querySelector('#card button[value=save]').click()");
    browser.wait_until(
        "the card saved and said once",
        "return !!document.getElementById('card-saved') && !location.search.includes('saved')",
    );
    browser.script(
        "const n = document.querySelector('#card input[name=name]'); n.value = ''; n.dispatchEvent(new Event('input', {bubbles: true}))",
    );
    let card_name = browser.find("#card input[name=name]");
    browser.type_slowly(&card_name, "Иван");
    browser.wait_until(
        "the name typed after saving in the script",
        "return document.querySelector('li[data-key=\"goodbye\"] .phrase').textContent.includes('Иван')",
    );
    // Ended with no outcome chosen: refused, the card kept as typed.
    browser.script("document.querySelector('#card button[value=end]').click()");
    browser.wait_until(
        "the outcome asked for",
        "return document.body.textContent.includes('выберите итог звонка') \
         && document.querySelector('#card input[name=name]').value === 'Иван'",
    );
    browser.script(
        "const s = document.querySelector('#card select[name=outcome]'); s.value = 'answered'; s.dispatchEvent(new Event('change', {bubbles: true}))",
    );
    // Ended: the list says so once; a reload would not say it again.
    browser.script("document.querySelector('#card button[value=end]').click()");
    browser.wait_until(
        "the list saying the call ended, once",
        "return location.pathname === '/calls' && !!document.querySelector('[role=\"status\"]') \
         && location.search === ''",
    );
}

/// Whether the first logged question's ×, the question made long, keeps to the right of the
/// entry's first line instead of wrapping to a line of its own.
const CROSS_ON_FIRST_LINE: &str = "const li = document.querySelector('#logged li'); \
     li.querySelector('.q-text').textContent = 'очень длинный вопрос '.repeat(12); \
     const b = li.querySelector('.q-delete').getBoundingClientRect(); \
     const r = li.getBoundingClientRect(); \
     return r.height > 2 * b.height && b.top - r.top < b.height / 2 && r.right - b.right < 4";

#[test]
fn a_long_questions_cross_keeps_to_its_first_line_on_the_served_page() {
    let Some((browser, app, base, call)) = at_the_desk() else {
        return;
    };
    let (status, body) = api_post(
        &app,
        &base,
        &format!("/api/calls/{call}/questions"),
        json!({"text": "вопрос, записанный раньше"}),
    );
    assert_eq!(status, 201, "{body}");
    browser.goto(&format!("{base}/calls/{call}"));
    assert_eq!(browser.script(CROSS_ON_FIRST_LINE), json!(true));
    // A page pasted into the box is cut to what it takes, and the desk says so under it.
    let said = browser.script(
        "const box = document.getElementById('question'); \
         const pasted = new DataTransfer(); pasted.setData('text/plain', 'я'.repeat(2500)); \
         box.dispatchEvent(new ClipboardEvent('paste', {clipboardData: pasted, bubbles: true})); \
         const note = document.querySelector('.ask-row + .pasted-cut'); return note && note.textContent",
    );
    assert_eq!(
        said,
        json!("Вставлено 2000 знаков из 2500: поле больше не вмещает.")
    );
    // A letter typed into the box when it is full is dropped by the browser: said too.
    let input = browser.find("#question");
    browser.script(
        "const box = document.getElementById('question'); box.value = 'я'.repeat(2000); \
         box.focus(); return null",
    );
    browser.type_into(&input, "ы");
    let said = browser.script(
        "const note = document.querySelector('.ask-row + .pasted-cut'); \
         return [note && note.textContent, document.getElementById('question').value.length]",
    );
    assert_eq!(
        said,
        json!([
            "Поле вмещает не больше 2000 знаков: дальше не вписывается.",
            2000
        ])
    );
}

#[test]
fn deleting_the_question_just_logged_says_so_and_leaves_nothing_to_link_to() {
    let Some((browser, app, base, call)) = at_the_desk() else {
        return;
    };
    let input = browser.find("#question");
    browser.type_slowly(&input, "лишний вопрос по ошибке");
    browser.wait_until("results for it", SEARCHED_THE_BOX);
    browser.type_into(&input, ENTER);
    browser.wait_until("the question saved", NOTHING_PENDING);
    assert_eq!(saved_questions(&app, &base, call).len(), 1);
    // However long the question, its × stays at the right of its first line.
    assert_eq!(browser.script(CROSS_ON_FIRST_LINE), json!(true));
    // The operator deletes it (confirming) and is told so; ↓ Enter then links nothing.
    browser.script(
        "window.confirm = () => true; \
         document.querySelector('#logged li .q-delete').click()",
    );
    browser.wait_until(
        "the question gone and the line saying so",
        "return document.querySelectorAll('#logged li').length === 0 \
           && document.getElementById('desk-status').textContent.includes('Вопрос удалён')",
    );
    browser.type_into(&input, ARROW_DOWN);
    browser.type_into(&input, ENTER);
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(
        browser.script("return document.querySelectorAll('#logged li').length"),
        json!(0)
    );
    assert_eq!(saved_questions(&app, &base, call).len(), 0);
}

#[test]
fn a_question_typed_and_not_logged_is_in_the_box_again_when_the_call_is() {
    let Some((browser, _app, base, id)) = at_the_desk() else {
        return;
    };
    let input = browser.find("#question");
    browser.type_slowly(&input, "гарантия на принтер");
    // Another page opens (a ringing call's card, a link), and the operator comes back.
    browser.goto(&format!("{base}/calls/new"));
    browser.goto(&format!("{base}/calls/{id}"));
    let back = browser.wait_until(
        "the typed question in the box again, with its results",
        "const q = document.getElementById('question'); \
         return q && q.value && document.querySelectorAll('#results li').length > 0 ? q.value : null",
    );
    assert_eq!(back, json!("гарантия на принтер"));
    // Logged, it is no longer kept as typed: the next visit shows it as the question standing
    // (logged, with no answer yet), chosen whole.
    let input = browser.find("#question");
    browser.type_into(&input, ENTER);
    browser.wait_until(
        "the question logged",
        "return document.querySelectorAll('#logged li[data-id]').length > 0 \
           && document.querySelectorAll('#logged li.pending').length === 0",
    );
    browser.goto(&format!("{base}/calls/new"));
    browser.goto(&format!("{base}/calls/{id}"));
    browser.wait_until(
        "the desk again",
        "return document.readyState === 'complete' && !!document.getElementById('question')",
    );
    let kept = browser.script(&format!(
        "return [sessionStorage.getItem('callfaq.deskDraft:/calls/{id}'), \
           (() => {{ const q = document.getElementById('question'); \
             return q.selectionStart === 0 && q.selectionEnd === q.value.length; }})()]"
    ));
    assert_eq!(kept, json!([null, true]));
}
