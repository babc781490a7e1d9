//! The callback actions' tests, without HTTP: one per caller, who may change what, and
//! attempts refused by field.

use super::*;
use crate::actions::{calls, testing};

fn manager(t: &testing::Opened, login: &str) {
    super::super::accounts::add_account(
        &t.app,
        &Actor::cli(),
        login,
        Role::Manager,
        Some("a-long-password"),
        &crate::accounts::Profile::default(),
    )
    .unwrap();
}

fn promise(t: &testing::Opened, phone: &str, owner: &str) -> CallRecord {
    let op = Actor::person("anna", Role::Operator);
    let changes = CallChanges {
        phone: Some(Some(phone.into())),
        outcome: Some(Some(crate::calls::Outcome::Callback)),
        manager: Some(Some(owner.into())),
        ..CallChanges::default()
    };
    let record = calls::open(&t.app, &op, changes).unwrap();
    follow_call(&t.app, &op, None, &record).unwrap();
    record
}

#[test]
fn one_open_callback_per_caller_whatever_the_format_of_the_number() {
    let t = testing::app();
    manager(&t, "mikhail");
    promise(&t, "+7 495 123-45-67", "mikhail");
    promise(&t, "8 (495) 123 45 67", "mikhail");
    let mikhail = Actor::person("mikhail", Role::Manager);
    let open = list(&t.app, &mikhail, None, None).unwrap();
    assert_eq!(open.len(), 1);
    assert_eq!(open[0].callback.called_again, 1);
    assert_eq!(open[0].callback.call_ids.len(), 2);
}

#[test]
fn a_manager_changes_only_their_own_and_a_head_sees_everyones() {
    let t = testing::app();
    manager(&t, "mikhail");
    manager(&t, "olga");
    promise(&t, "+7 495 123-45-67", "mikhail");
    let olga = Actor::person("olga", Role::Manager);
    let id = list(&t.app, &Actor::person("mikhail", Role::Manager), None, None).unwrap()[0]
        .callback
        .id;
    assert!(list(&t.app, &olga, None, None).unwrap().is_empty());
    assert!(matches!(
        list(&t.app, &olga, Some("all"), None),
        Err(ActionError::Forbidden(_))
    ));
    let reached = Try {
        result: "reached".into(),
        ..Try::default()
    };
    assert!(matches!(
        attempt(&t.app, &olga, id, &reached),
        Err(ActionError::NotTheOwner(Some(_)))
    ));
    let head = Actor::person("boss", Role::Head);
    assert_eq!(list(&t.app, &head, Some("all"), None).unwrap().len(), 1);
    change(&t.app, &head, id, Some("olga"), None).unwrap();
    let (done, _) = attempt(&t.app, &olga, id, &reached).unwrap();
    assert_eq!(done.state, State::Done);
    assert_eq!(done.in_time(), Some(true));
}

#[test]
fn an_attempt_says_what_is_wrong_with_it() {
    let t = testing::app();
    manager(&t, "mikhail");
    promise(&t, "+7 495 123-45-67", "mikhail");
    let m = Actor::person("mikhail", Role::Manager);
    let id = list(&t.app, &m, None, None).unwrap()[0].callback.id;
    let lost = Try {
        result: "lost".into(),
        ..Try::default()
    };
    assert!(
        matches!(attempt(&t.app, &m, id, &lost), Err(ActionError::Invalid(e)) if e.field == "reason")
    );
    // «Другое» says nothing by itself: the note is asked for.
    let other = Try {
        result: "lost".into(),
        reason: Some("other".into()),
        ..Try::default()
    };
    assert!(
        matches!(attempt(&t.app, &m, id, &other), Err(ActionError::Invalid(e)) if e.field == "note" && e.problem == FieldProblem::SayWhy)
    );
    let past = Try {
        result: "no_answer".into(),
        next_due: Some(t.app.clock.now() - chrono::Duration::minutes(5)),
        ..Try::default()
    };
    assert!(
        matches!(attempt(&t.app, &m, id, &past), Err(ActionError::Invalid(e)) if e.field == "next_due")
    );
    let (again, _) = attempt(
        &t.app,
        &m,
        id,
        &Try {
            result: "no_answer".into(),
            ..Try::default()
        },
    )
    .unwrap();
    assert_eq!((again.state, again.attempts.len()), (State::Open, 1));
    assert!(again.first_attempt.is_some());
}

/// A card whose callback is promised, then changed by `changes` and saved as the desk does.
fn resave(t: &testing::Opened, call: i64, changes: CallChanges) -> CallRecord {
    let op = Actor::person("anna", Role::Operator);
    calls::save_card(&t.app, &op, call, changes).unwrap()
}

fn open_of(t: &testing::Opened) -> Vec<Callback> {
    let head = Actor::person("boss", Role::Head);
    list(&t.app, &head, Some("all"), None)
        .unwrap()
        .into_iter()
        .map(|s| s.callback)
        .collect()
}

#[test]
fn a_card_saved_again_neither_reopens_a_done_callback_nor_undoes_a_hand_over() {
    let t = testing::app();
    manager(&t, "mikhail");
    manager(&t, "olga");
    let record = promise(&t, "+7 495 123-45-67", "mikhail");
    let id = open_of(&t)[0].id;
    // The head hands it to olga; the operator fixes a typo in the notes and saves the card
    // with the outcome and manager it shows.
    change(
        &t.app,
        &Actor::person("boss", Role::Head),
        id,
        Some("olga"),
        None,
    )
    .unwrap();
    let same = CallChanges {
        outcome: Some(Some(crate::calls::Outcome::Callback)),
        manager: Some(Some("mikhail".into())),
        phone: Some(Some("+7 495 123-45-67".into())),
        notes: Some(Some("typo fixed".into())),
        ..CallChanges::default()
    };
    resave(&t, record.call.id, same.clone());
    let open = open_of(&t);
    assert_eq!(open.len(), 1);
    assert_eq!(
        open[0].owner.as_deref(),
        Some("olga"),
        "the hand-over stays"
    );
    // Olga reaches the caller; the card saved again makes no new callback and tells nobody.
    let olga = Actor::person("olga", Role::Manager);
    let reached = Try {
        result: "reached".into(),
        ..Try::default()
    };
    attempt(&t.app, &olga, id, &reached).unwrap();
    resave(&t, record.call.id, same);
    assert!(open_of(&t).is_empty(), "nothing reopened");
    let latest = t
        .app
        .store
        .callback_of_call(record.call.id)
        .unwrap()
        .unwrap();
    assert_eq!(
        (latest.id, latest.state),
        (id, State::Done),
        "no second callback"
    );
}

#[test]
fn a_card_that_stops_promising_withdraws_its_callback_and_a_corrected_number_moves_it() {
    let t = testing::app();
    manager(&t, "mikhail");
    let record = promise(&t, "+7 495 123-45-6", "mikhail");
    // The number corrected: the callback follows it; still one.
    resave(
        &t,
        record.call.id,
        CallChanges {
            phone: Some(Some("+7 495 123-45-67".into())),
            ..CallChanges::default()
        },
    );
    let open = open_of(&t);
    assert_eq!(open.len(), 1);
    assert_eq!(open[0].phone.as_deref(), Some("+7 495 123-45-67"));
    // The same caller calls again: joins it.
    promise(&t, "8 (495) 123 45 67", "mikhail");
    assert_eq!(open_of(&t).len(), 1);
    // «Перезвонить» chosen by mistake on the first card: withdrawn, not chased.
    resave(
        &t,
        record.call.id,
        CallChanges {
            outcome: Some(Some(crate::calls::Outcome::Answered)),
            ..CallChanges::default()
        },
    );
    assert!(open_of(&t).is_empty());
    let withdrawn = t.app.store.callback(open[0].id).unwrap().unwrap();
    assert_eq!(withdrawn.state, State::Lost);
    assert_eq!(withdrawn.lost_reason.as_deref(), Some(WITHDRAWN));
    // Never promised: the desk report does not count it as a promise lost.
    let now = t.app.clock.now();
    let day = chrono::Duration::days(1);
    let promised = t
        .app
        .store
        .callbacks_promised(now - day, now + day)
        .unwrap();
    assert!(
        promised.iter().all(|(c, _)| c.id != withdrawn.id),
        "{promised:?}"
    );
}

/// Mikhail's attempt (or change) on callback `id` at `at`, recorded as the store takes it.
fn mikhails(
    t: &testing::Opened,
    id: i64,
    at: DateTime<Utc>,
    result: Outcome,
    change: &CallbackChange<'_>,
) -> Callback {
    let a = Attempt {
        at,
        ..mikhails_try(t, result)
    };
    t.app.store.record_attempt(id, &a, change).unwrap().unwrap()
}

#[test]
fn done_in_time_is_judged_by_the_time_first_promised() {
    let t = testing::app();
    manager(&t, "mikhail");
    promise(&t, "+7 495 123-45-67", "mikhail");
    let c = open_of(&t).remove(0);
    let promised = c.due;
    let tried = |at, result, change: &CallbackChange<'_>| mikhails(&t, c.id, at, result, change);
    // First tried an hour after the promise, rescheduled, then reached before the new time.
    let later = promised + chrono::Duration::hours(1);
    tried(
        later,
        Outcome::NoAnswer,
        &CallbackChange {
            due: Some(promised + chrono::Duration::hours(3)),
            ..CallbackChange::default()
        },
    );
    let done = tried(
        later + chrono::Duration::minutes(30),
        Outcome::Reached,
        &CallbackChange {
            state: Some(State::Done),
            ..CallbackChange::default()
        },
    );
    assert!(done.closed_at.unwrap() < done.due);
    assert_eq!(
        done.in_time(),
        Some(false),
        "late: the promise was not kept"
    );
}

#[test]
fn a_time_moved_before_it_fell_due_is_the_one_promised() {
    let t = testing::app();
    manager(&t, "mikhail");
    promise(&t, "+7 495 123-45-67", "mikhail");
    let c = open_of(&t).remove(0);
    let first = c.due;
    let step = |at, result, change: &CallbackChange<'_>| mikhails(&t, c.id, at, result, change);
    // Moved a day on before the first time came (the caller asked for Monday), then reached
    // after the first time but before the new one: in time.
    let moved = first + chrono::Duration::days(1);
    step(
        first - chrono::Duration::minutes(30),
        Outcome::Rescheduled,
        &CallbackChange {
            due: Some(moved),
            ..CallbackChange::default()
        },
    );
    let done = step(
        first + chrono::Duration::hours(2),
        Outcome::Reached,
        &CallbackChange {
            state: Some(State::Done),
            ..CallbackChange::default()
        },
    );
    assert_eq!(done.promised_due, Some(moved));
    assert_eq!(done.in_time(), Some(true));
}

#[test]
fn a_heads_menu_counts_everyones_open_callbacks() {
    let t = testing::app();
    manager(&t, "mikhail");
    manager(&t, "olga");
    promise(&t, "+7 495 123-45-67", "mikhail");
    promise(&t, "+7 495 765-43-21", "olga");
    let mikhail = Actor::person("mikhail", Role::Manager);
    assert_eq!(counts(&t.app, &mikhail).unwrap().0, 1);
    let head = Actor::person("boss", Role::Head);
    assert_eq!(counts(&t.app, &head).unwrap().0, 2);
}

#[test]
fn a_callback_closed_by_one_request_takes_no_attempt_from_another_in_flight() {
    let t = testing::app();
    manager(&t, "mikhail");
    let promised = promise(&t, "+7 495 123-45-67", "mikhail");
    let c = open_of(&t).remove(0);
    // Two requests checked the callback open; the first closes it.
    let attempt = |result| mikhails_try(&t, result);
    let done = CallbackChange {
        state: Some(State::Done),
        ..CallbackChange::default()
    };
    t.app
        .store
        .record_attempt(c.id, &attempt(Outcome::Reached), &done)
        .unwrap();
    let lost = CallbackChange {
        state: Some(State::Lost),
        lost_reason: Some("refused"),
        ..CallbackChange::default()
    };
    let late = t
        .app
        .store
        .record_attempt(c.id, &attempt(Outcome::Lost), &lost)
        .unwrap_err();
    assert!(late.is::<CallbackClosed>(), "{late:#}");
    let now = t.app.store.callback(c.id).unwrap().unwrap();
    assert_eq!((now.state, now.attempts.len()), (State::Done, 1));
    // The actions say so by field; the desk's «called back» from the call likewise.
    let mikhail = Actor::person("mikhail", Role::Manager);
    let again = Try {
        result: "reached".into(),
        ..Try::default()
    };
    assert!(matches!(
        record(&t.app, c.id, &attempt(Outcome::Reached), &done, "result"),
        Err(ActionError::Invalid(e)) if e.problem == FieldProblem::Closed
    ));
    assert!(attempt_of(&t, &mikhail, c.id, &again).is_err());
    assert!(close_from_call(&t.app, &mikhail, promised.call.id).is_err());
}

/// An attempt of mikhail's, now, with nothing said.
fn mikhails_try(t: &testing::Opened, result: Outcome) -> Attempt {
    Attempt {
        at: t.app.clock.now(),
        by: "mikhail".into(),
        result,
        note: None,
        reason: None,
        from: None,
        next_due: None,
    }
}

fn attempt_of(t: &testing::Opened, actor: &Actor, id: i64, tried: &Try) -> Result<Callback> {
    attempt(&t.app, actor, id, tried).map(|(c, _)| c)
}

#[test]
fn presets_that_fall_at_one_time_are_offered_once() {
    use crate::callbacks::hours::WorkingHours;
    let moscow = crate::clock::parse_zone("Europe/Moscow").unwrap();
    let at = |utc: &str| utc.parse::<DateTime<Utc>>().unwrap();
    // Thursday 13:15 in Moscow: three different times.
    let thursday = crate::clock::Clock::fixed(moscow, at("2026-12-03T10:15:00Z"));
    assert_eq!(presets_at(&WorkingHours::default(), &thursday).len(), 3);
    // Friday 20:00: an hour of working time is Monday 10:00, Monday morning too.
    let friday = crate::clock::Clock::fixed(moscow, at("2026-12-04T17:00:00Z"));
    let offered = presets_at(&WorkingHours::default(), &friday);
    let kinds: Vec<Preset> = offered.iter().map(|(p, _)| *p).collect();
    assert_eq!(kinds, [Preset::InAnHour, Preset::EndOfDay]);
    assert_eq!(offered[0].1, at("2026-12-07T07:00:00Z"));
}

#[test]
fn no_answer_before_the_time_agreed_keeps_that_time() {
    let t = testing::app();
    manager(&t, "mikhail");
    promise(&t, "+7 495 123-45-67", "mikhail");
    let mikhail = Actor::person("mikhail", Role::Manager);
    let c = open_of(&t).remove(0);
    // To the second, as a time is agreed (and stored to the millisecond).
    let later = t.app.clock.now() + chrono::Duration::days(3);
    let agreed = DateTime::from_timestamp(later.timestamp(), 0).unwrap();
    change(&t.app, &mikhail, c.id, None, Some(agreed)).unwrap();
    // Tried early, no answer, nothing said of when next: the agreed time stays.
    let (after, _) = attempt(
        &t.app,
        &mikhail,
        c.id,
        &Try {
            result: "no_answer".into(),
            ..Try::default()
        },
    )
    .unwrap();
    assert_eq!(after.due, agreed);
    // The attempt says when the next try is.
    let tried = after.attempts.last().unwrap();
    assert_eq!(tried.result, Outcome::NoAnswer);
    assert_eq!(
        tried.reason.as_deref(),
        Some(t.app.clock.date_time_text(agreed).as_str())
    );
    // Nothing to change at all is said so.
    assert!(matches!(
        change(&t.app, &mikhail, c.id, None, None),
        Err(ActionError::Invalid(e)) if e.field == "due"
    ));
}

#[test]
fn a_caller_who_calls_again_and_agrees_a_new_time_moves_their_callback() {
    let t = testing::app();
    manager(&t, "mikhail");
    manager(&t, "olga");
    promise(&t, "+7 495 123-45-67", "mikhail");
    let mikhail = Actor::person("mikhail", Role::Manager);
    let first = list(&t.app, &mikhail, None, None).unwrap()[0]
        .callback
        .clone();
    // Calling again: «перезвоните в пятницу», a manager named who is not the owner.
    let agreed = first.due + chrono::Duration::days(2);
    let op = Actor::person("anna", Role::Operator);
    let again = CallChanges {
        phone: Some(Some("8 (495) 123 45 67".into())),
        outcome: Some(Some(crate::calls::Outcome::Callback)),
        manager: Some(Some("olga".into())),
        callback_due: Some(Some(agreed)),
        ..CallChanges::default()
    };
    calls::open(&t.app, &op, again).unwrap();
    let now = load(&t.app, first.id).unwrap();
    assert_eq!(now.due, agreed, "the time agreed last");
    assert_eq!(now.owner.as_deref(), Some("mikhail"), "still his");
    assert_eq!(now.called_again, 1);
    assert!(now
        .attempts
        .iter()
        .any(|a| a.result == Outcome::Rescheduled && a.by == "anna"));
    // The same time again, or a time gone by, changes nothing.
    let same = CallChanges {
        phone: Some(Some("+74951234567".into())),
        outcome: Some(Some(crate::calls::Outcome::Callback)),
        callback_due: Some(Some(agreed)),
        ..CallChanges::default()
    };
    let second = calls::open(&t.app, &op, same).unwrap();
    assert_eq!(
        load(&t.app, first.id).unwrap().attempts.len(),
        now.attempts.len()
    );
    // A time corrected on that call later moves the callback too.
    let corrected = agreed + chrono::Duration::hours(3);
    let fix = CallChanges {
        callback_due: Some(Some(corrected)),
        ..CallChanges::default()
    };
    calls::change(&t.app, &op, second.call.id, fix).unwrap();
    assert_eq!(load(&t.app, first.id).unwrap().due, corrected);
}

#[test]
fn a_callback_needs_a_number_or_an_email_however_the_call_is_saved() {
    let t = testing::app();
    manager(&t, "olga");
    let op = Actor::person("anna", Role::Operator);
    let nameless = CallChanges {
        name: Some(Some("Другой".into())),
        outcome: Some(Some(crate::calls::Outcome::Callback)),
        manager: Some(Some("olga".into())),
        ..CallChanges::default()
    };
    let refused = calls::open(&t.app, &op, nameless.clone()).unwrap_err();
    assert!(refused.to_string().contains("phone"), "{refused}");
    assert!(list(&t.app, &Actor::cli(), Some("all"), None)
        .unwrap()
        .is_empty());
    // With a number it is promised; the number taken away later is refused, the call kept.
    let with_phone = CallChanges {
        phone: Some(Some("+7 903 000-00-77".into())),
        ..nameless
    };
    let call = calls::open(&t.app, &op, with_phone).unwrap().call.id;
    let erase = CallChanges {
        phone: Some(None),
        ..CallChanges::default()
    };
    assert!(calls::change(&t.app, &op, call, erase).is_err());
    let kept = t.app.store.call(call).unwrap().unwrap().call;
    assert_eq!(kept.phone.as_deref(), Some("+7 903 000-00-77"));
}

#[test]
fn reaching_the_caller_marks_every_call_on_the_callback_and_its_follow_up_call_with_it() {
    let t = testing::app();
    manager(&t, "mikhail");
    let promising = promise(&t, "+7 495 222-33-44", "mikhail").call.id;
    let about = CallChanges {
        topic: Some(Some("Принтеры".into())),
        ..CallChanges::default()
    };
    t.app.store.update_call(promising, &about).unwrap();
    // The caller rings again to ask after it: that call joins the callback.
    let op = Actor::person("anna", Role::Operator);
    let again = CallChanges {
        phone: Some(Some("8 495 222 33 44".into())),
        ..CallChanges::default()
    };
    let asked = calls::open(&t.app, &op, again).unwrap();
    follow_call(&t.app, &op, None, &asked).unwrap();
    let id = open_of(&t)[0].id;
    assert_eq!(t.app.store.callback(id).unwrap().unwrap().call_ids.len(), 2);
    let reached = Try {
        result: "reached".into(),
        open_call: true,
        ..Try::default()
    };
    let mikhail = Actor::person("mikhail", Role::Manager);
    let (done, opened) = attempt(&t.app, &mikhail, id, &reached).unwrap();
    assert_eq!(done.state, State::Done);
    for call in [promising, asked.call.id] {
        let call = t.app.store.call(call).unwrap().unwrap().call;
        assert!(
            call.callback_done_at.is_some(),
            "call {} not marked",
            call.id
        );
    }
    let opened = opened.expect("a follow-up call");
    let promised_on = t.app.store.call(promising).unwrap().unwrap().call;
    let follow_up = t.app.store.call(opened).unwrap().unwrap().call;
    assert_eq!(
        (follow_up.topic, follow_up.phone),
        (promised_on.topic, promised_on.phone),
        "what it was about, and whom"
    );
    assert_eq!(t.app.store.followed_up(opened).unwrap(), Some(id));
    assert_eq!(t.app.store.follow_ups_of(id).unwrap(), vec![opened]);
    assert_eq!(t.app.store.followed_up(promising).unwrap(), None);
}

#[test]
fn a_change_and_the_notices_it_gives_are_one_write() {
    use crate::store::{Channel, OutgoingNotice};
    let mut t = testing::app();
    t.app.desk.settings.notices.webhook = Some(crate::notices::WebhookSettings {
        url: "http://127.0.0.1:9/hook".into(),
    });
    t.app.desk.settings.notices.on_done = true;
    manager(&t, "mikhail");
    manager(&t, "olga");
    promise(&t, "+7 495 123-45-67", "mikhail");
    let c = open_of(&t).remove(0);
    let later = t.app.clock.now() + chrono::Duration::days(1);
    let keys = || -> Vec<String> {
        let due = t.app.store.notices_due(later, 50).unwrap();
        due.into_iter().map(|n| n.key).collect()
    };
    let key = |event: &str, moment: &str| format!("callback:{}:{event}:{moment}", c.id);
    assert!(keys().contains(&key("assigned", "mikhail")), "{:?}", keys());
    // The store enqueues what a change tells, made from the callback as the change leaves it.
    let seen = std::cell::Cell::new(None);
    let told = |name: &str| OutgoingNotice {
        key: name.into(),
        channel: Channel::Webhook,
        recipient: "webhook".into(),
        subject: "test".into(),
        body: "{}".into(),
    };
    let tell = |c: &Callback| {
        seen.set(Some(c.state));
        vec![told("first")]
    };
    let at = |result| mikhails_try(&t, result);
    let done = CallbackChange {
        state: Some(State::Done),
        tell: Tell(Some(&tell)),
        ..CallbackChange::default()
    };
    t.app
        .store
        .record_attempt(c.id, &at(Outcome::Reached), &done)
        .unwrap();
    assert_eq!(seen.get(), Some(State::Done));
    assert!(keys().contains(&"first".to_string()));
    // A change refused (closed meanwhile) enqueues nothing.
    let refused = |_: &Callback| vec![told("second")];
    let lost = CallbackChange {
        state: Some(State::Lost),
        lost_reason: Some("refused"),
        tell: Tell(Some(&refused)),
        ..CallbackChange::default()
    };
    let store = &t.app.store;
    assert!(store
        .record_attempt(c.id, &at(Outcome::Lost), &lost)
        .is_err());
    assert!(!keys().contains(&"second".to_string()));
    // The actions tell through their writes: a hand-over the new owner, a result its event.
    promise(&t, "+7 495 765-43-21", "mikhail");
    let c = open_of(&t).remove(0);
    let key = |event: &str, moment: &str| format!("callback:{}:{event}:{moment}", c.id);
    let head = Actor::person("boss", Role::Head);
    change(&t.app, &head, c.id, Some("olga"), None).unwrap();
    assert!(keys().contains(&key("assigned", "olga:1")), "{:?}", keys());
    // Handed back to its first owner, who is told again.
    change(&t.app, &head, c.id, Some("mikhail"), None).unwrap();
    for told in ["mikhail", "mikhail:1"] {
        assert!(
            keys().contains(&key("assigned", told)),
            "{told}: {:?}",
            keys()
        );
    }
    let reached = Try {
        result: "reached".into(),
        ..Try::default()
    };
    attempt(&t.app, &head, c.id, &reached).unwrap();
    let done = format!("callback:{}:done", c.id);
    assert!(keys().contains(&done), "{:?}", keys());
}

#[test]
fn a_callback_is_promised_when_the_call_that_opened_it_started() {
    let t = testing::app();
    manager(&t, "mikhail");
    promise(&t, "+7 495 321-00-00", "mikhail");
    let c = open_of(&t).remove(0);
    let now = t.app.clock.now();
    // A call of the caller's from two weeks ago, typed in later, joins the callback.
    let operator = Actor::person("olga", Role::Operator);
    let earlier = CallChanges {
        started_at: Some(now - chrono::Duration::days(14)),
        phone: Some(Some("+7 495 321-00-00".into())),
        ..CallChanges::default()
    };
    crate::actions::calls::open(&t.app, &operator, earlier).unwrap();
    let day = chrono::Duration::days(1);
    let promised = t
        .app
        .store
        .callbacks_promised(now - day, now + day)
        .unwrap();
    assert!(
        promised.iter().any(|(p, _)| p.id == c.id),
        "still today's promise"
    );
    let weeks_ago = now - chrono::Duration::days(14);
    let then = t
        .app
        .store
        .callbacks_promised(weeks_ago - day, weeks_ago + day)
        .unwrap();
    assert!(
        then.iter().all(|(p, _)| p.id != c.id),
        "not two weeks ago's"
    );

    // The opening call's start corrected to later than the callback was written: promised no
    // later than it was written, whichever period is asked.
    let first = c.call_ids[0];
    let later = CallChanges {
        started_at: Some(now + chrono::Duration::hours(20)),
        ..CallChanges::default()
    };
    crate::actions::calls::change(&t.app, &operator, first, later).unwrap();
    let half = chrono::Duration::hours(12);
    let promised = t
        .app
        .store
        .callbacks_promised(now - day, now + half)
        .unwrap();
    let at = promised
        .iter()
        .find(|(p, _)| p.id == c.id)
        .map(|(_, at)| *at);
    assert_eq!(at, Some(c.created_at), "today's, when it was written");
}

#[test]
fn a_call_that_joins_a_callback_closed_meanwhile_opens_its_own() {
    let t = testing::app();
    manager(&t, "mikhail");
    let first = promise(&t, "+7 495 123-45-67", "mikhail");
    let mikhail = Actor::person("mikhail", Role::Manager);
    let callback = list(&t.app, &mikhail, None, None).unwrap()[0]
        .callback
        .clone();
    // The caller calls again and agrees a new time; the call is saved and joins the open
    // callback, and just then Mikhail reaches the caller and closes it.
    let agreed = callback.due + chrono::Duration::days(1);
    let again = CallChanges {
        phone: Some(Some("8 (495) 123 45 67".into())),
        outcome: Some(Some(crate::calls::Outcome::Callback)),
        callback_due: Some(Some(agreed)),
        ..CallChanges::default()
    };
    let call = t.app.store.create_call(&again, t.app.clock.now()).unwrap();
    let key = caller_key_of(&call);
    let promised = Promise {
        call_id: call.call.id,
        caller_key: &key,
        name: None,
        phone: call.call.phone.as_deref(),
        email: None,
        company: None,
        owner: None,
        due: agreed,
        missed: false,
    };
    let reached = Try {
        result: "reached".into(),
        ..Try::default()
    };
    attempt(&t.app, &mikhail, callback.id, &reached).unwrap();
    let op = Actor::person("anna", Role::Operator);
    let own = joined(&t.app, &op, callback.id, &promised, &call.call).unwrap();
    assert_ne!(own, callback.id, "a callback of its own");
    let own = load(&t.app, own).unwrap();
    assert_eq!((own.state, own.due), (State::Open, agreed));
    assert_eq!(own.call_ids, vec![call.call.id]);
    let closed = load(&t.app, callback.id).unwrap();
    assert_eq!(closed.state, State::Done, "the one reached stays done");
    assert_eq!(closed.call_ids.first(), Some(&first.call.id));
}

#[test]
fn the_time_to_a_first_attempt_counts_from_the_promise_not_from_the_card_typed_later() {
    use chrono::{Datelike, NaiveTime};
    let t = testing::app();
    manager(&t, "mikhail");
    let clock = t.app.clock;
    // A call taken last Monday at 10:00, its card typed in only now, promising a callback.
    let today = clock.local(clock.now()).date();
    let monday =
        today - chrono::Duration::days(i64::from(today.weekday().num_days_from_monday()) + 7);
    let started = clock.from_local(monday.and_time(NaiveTime::from_hms_opt(10, 0, 0).unwrap()));
    let op = Actor::person("anna", Role::Operator);
    let changes = CallChanges {
        started_at: Some(started),
        phone: Some(Some("+7 495 765-43-21".into())),
        outcome: Some(Some(crate::calls::Outcome::Callback)),
        manager: Some(Some("mikhail".into())),
        ..CallChanges::default()
    };
    calls::open(&t.app, &op, changes).unwrap();
    let mikhail = Actor::person("mikhail", Role::Manager);
    let id = list(&t.app, &mikhail, None, None).unwrap()[0].callback.id;
    let tried = Try {
        result: "no_answer".into(),
        ..Try::default()
    };
    attempt(&t.app, &mikhail, id, &tried).unwrap();
    let period = crate::report::Period {
        from: monday,
        to: today,
    };
    let hours = &t.app.desk.settings.hours;
    let report = crate::report::desk_report(&t.app.store, &clock, hours, period).unwrap();
    let minutes = report
        .total
        .callbacks
        .unwrap()
        .first_attempt_minutes
        .unwrap();
    // Monday 10:00 to 18:00 at least, in the desk's working time; the card was written now.
    assert!(minutes >= 8 * 60, "{minutes} working minutes");
}
