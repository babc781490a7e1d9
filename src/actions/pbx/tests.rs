//! The rules of the exchange's events, on an app over the test fixtures.

use super::*;
use crate::accounts::Profile;
use crate::actions::testing;
use crate::calls::CallKind;
use crate::pbx::screens::Shown;

fn account(t: &testing::Opened, login: &str, role: Role, extension: Option<&str>) {
    crate::actions::accounts::add_account(
        &t.app,
        &Actor::cli(),
        login,
        role,
        Some("a-long-password"),
        &Profile::new(None, None, extension).unwrap(),
    )
    .unwrap();
}

fn pbx() -> Actor {
    Actor {
        name: "token:pbx".into(),
        role: Role::Operator,
        person: None,
    }
}

fn event(
    call_id: &str,
    kind: EventKind,
    caller: Option<&str>,
    extension: Option<&str>,
) -> CallEvent {
    let mut e = CallEvent::new(Exchange::Generic, call_id.into(), kind);
    e.caller = caller.map(str::to_string);
    e.extension = extension.map(str::to_string);
    e
}

/// An earlier call of the caller that names their manager.
fn earlier_call(t: &testing::Opened, phone: &str, manager: &str) {
    let changes = CallChanges {
        phone: Some(Some(phone.into())),
        name: Some(Some("Ирина".into())),
        manager: Some(Some(manager.into())),
        outcome: Some(Some(Outcome::Transferred)),
        ..CallChanges::default()
    };
    calls::open(&t.app, &Actor::person("anna", Role::Operator), changes).unwrap();
}

#[test]
fn an_answered_call_opens_one_record_on_the_extension_that_answered() {
    let t = testing::app();
    account(&t, "anna", Role::Operator, Some("101"));
    let mut watch = t.app.exchanges.screens.watch(Some("anna")).unwrap();
    let phone = Some("+7 916 123-45-67");
    let rang = take(&t.app, &pbx(), event("c1", EventKind::Ringing, phone, None)).unwrap();
    assert_eq!(rang.opened, None, "ringing alone records nothing");
    let shown = watch.events.try_recv().unwrap();
    assert_eq!(
        (shown.shown, shown.call.as_str()),
        (Shown::Ringing, "generic:c1")
    );
    assert_eq!(shown.caller.as_ref().unwrap().kind, CallKind::Primary);
    take(
        &t.app,
        &pbx(),
        event("c1", EventKind::Ringing, phone, Some("102")),
    )
    .unwrap();
    let answered = take(
        &t.app,
        &pbx(),
        event("c1", EventKind::Answered, None, Some("101")),
    )
    .unwrap();
    let id = answered.opened.expect("the answer opens the call");
    let record = t.app.store.call(id).unwrap().unwrap();
    assert_eq!(record.call.operator.as_deref(), Some("anna"));
    assert_eq!(record.call.phone.as_deref(), Some("+7 916 123-45-67"));
    assert!(
        !record.call.contact_confirmed,
        "the exchange's number is not a contact captured"
    );
    let ended = take(
        &t.app,
        &pbx(),
        event("c1", EventKind::Ended(Ending::Answered), None, Some("101")),
    )
    .unwrap();
    assert_eq!((ended.opened, ended.exchange_call.call), (None, Some(id)));
    assert!(t
        .app
        .store
        .call(id)
        .unwrap()
        .unwrap()
        .call
        .ended_at
        .is_some());
    let shown = watch.events.try_recv().unwrap();
    assert_eq!(shown.shown, Shown::Answered);
    assert_eq!(shown.answered_by.as_deref(), Some("anna"));
    assert_eq!(shown.record, Some(id));
    assert_eq!(watch.events.try_recv().unwrap().shown, Shown::Ended);
    assert!(
        watch.events.try_recv().is_err(),
        "the second phone ringing is the same call"
    );
}

#[test]
fn a_missed_call_is_one_callback_of_the_callers_manager_however_often_it_is_told() {
    let t = testing::app();
    account(&t, "mikhail", Role::Manager, Some("105"));
    account(&t, "olga", Role::Manager, None);
    earlier_call(&t, "8 (916) 123-45-67", "mikhail");
    let missed = event(
        "c2",
        EventKind::Ended(Ending::Missed),
        Some("79161234567"),
        Some("101"),
    );
    let first = take(&t.app, &pbx(), missed.clone()).unwrap();
    let callback = t
        .app
        .store
        .callback(first.callback.unwrap())
        .unwrap()
        .unwrap();
    assert_eq!(callback.owner.as_deref(), Some("mikhail"));
    assert_eq!(callback.missed_calls, 1);
    let record = t.app.store.call(first.opened.unwrap()).unwrap().unwrap();
    assert_eq!(record.call.outcome, Some(Outcome::Callback));
    assert_eq!(
        record.call.name.as_deref(),
        Some("Ирина"),
        "proposed from the earlier call"
    );
    let again = take(&t.app, &pbx(), missed).unwrap();
    assert!(again.duplicate);
    assert_eq!(t.app.store.exchange_events_taken().unwrap(), 1);
    let other = event(
        "c3",
        EventKind::Ended(Ending::Busy),
        Some("+79161234567"),
        None,
    );
    take(&t.app, &pbx(), other).unwrap();
    let callback = t
        .app
        .store
        .open_callback_of("79161234567")
        .unwrap()
        .unwrap();
    assert_eq!(
        (callback.id, callback.missed_calls),
        (first.callback.unwrap(), 2)
    );
}

#[test]
fn an_answer_told_after_the_calls_end_changes_nothing_but_the_audit() {
    let t = testing::app();
    account(&t, "anna", Role::Operator, Some("101"));
    let phone = Some("+7 916 123-45-67");
    let missed = event("c7", EventKind::Ended(Ending::Missed), phone, None);
    let first = take(&t.app, &pbx(), missed).unwrap();
    let late = take(
        &t.app,
        &pbx(),
        event("c7", EventKind::Answered, phone, Some("101")),
    )
    .unwrap();
    assert!(!late.duplicate);
    assert_eq!(late.opened, None);
    assert_eq!(late.exchange_call.state, ExchangeState::Ended);
    assert_eq!(late.exchange_call.answered_at, None, "not believed");
    assert_eq!(late.exchange_call.call, first.opened);
    let record = t.app.store.call(first.opened.unwrap()).unwrap().unwrap();
    assert_eq!(record.call.outcome, Some(Outcome::Callback));
    assert!(t
        .app
        .store
        .open_callback_of("79161234567")
        .unwrap()
        .is_some());
    let audit = t.app.store.audit_log(10, None).unwrap();
    assert!(audit
        .iter()
        .any(|e| e.subject.contains("c7 answered (after its end)")));
}

#[test]
fn a_missed_call_of_a_stranger_goes_to_the_manager_on_duty_else_to_nobody() {
    let mut t = testing::app();
    account(&t, "olga", Role::Manager, None);
    let missed =
        |id: &str, phone: &str| event(id, EventKind::Ended(Ending::Missed), Some(phone), None);
    let nobody = take(&t.app, &pbx(), missed("a", "+7 903 000-00-01")).unwrap();
    let owner = |taken: &Taken| {
        t.app
            .store
            .callback(taken.callback.unwrap())
            .unwrap()
            .unwrap()
            .owner
    };
    assert_eq!(owner(&nobody), None);
    t.app.desk.settings.callbacks.manager_on_duty = Some("olga".into());
    t.app.desk.settings.callbacks.ignore_numbers = vec!["8 495 000-00-00".into()];
    let duty = take(&t.app, &pbx(), missed("b", "+7 903 000-00-02")).unwrap();
    assert_eq!(owner(&duty).as_deref(), Some("olga"));
    let ignored = take(&t.app, &pbx(), missed("c", "+7 (495) 000-00-00")).unwrap();
    assert_eq!((ignored.opened, ignored.callback), (None, None));
    // A hidden number: nobody to call back, and still a missed call the report counts. (The
    // generic form says it in words; a first ring naming no caller at all is refused.)
    let unnamed = take(&t.app, &pbx(), event("d", EventKind::Ringing, None, None));
    assert!(unnamed.is_err());
    let ring = event("d", EventKind::Ringing, Some("anonymous"), None);
    take(&t.app, &pbx(), ring).unwrap();
    let hidden = event("d", EventKind::Ended(Ending::Missed), None, None);
    let hidden = take(&t.app, &pbx(), hidden).unwrap();
    assert_eq!((hidden.opened, hidden.callback), (None, None));
    // A number withheld and named in words is no number either: shown as none, no callback.
    let mut watch = t.app.exchanges.screens.watch(None).unwrap();
    take(
        &t.app,
        &pbx(),
        event("f", EventKind::Ringing, Some("anonymous"), None),
    )
    .unwrap();
    let shown = watch.events.try_recv().unwrap();
    assert!(shown.phone.is_none() && shown.caller.is_none());
    let withheld = event(
        "f",
        EventKind::Ended(Ending::Missed),
        Some("Anonymous"),
        None,
    );
    let withheld = take(&t.app, &pbx(), withheld).unwrap();
    assert_eq!((withheld.opened, withheld.callback), (None, None));
    // One told of only at its end, withheld: counted too.
    let only_end = event("h", EventKind::Ended(Ending::Missed), Some("Private"), None);
    let only_end = take(&t.app, &pbx(), only_end).unwrap();
    assert_eq!((only_end.opened, only_end.callback), (None, None));
    // An answered call is no missed one.
    let answered = event(
        "e",
        EventKind::Ended(Ending::Answered),
        Some("+7 903 000-00-09"),
        None,
    );
    take(&t.app, &pbx(), answered).unwrap();
    let today = t.app.clock.today();
    let period = crate::report::Period {
        from: today,
        to: today,
    };
    let report =
        crate::report::desk_report(&t.app.store, &t.app.clock, &Default::default(), period)
            .unwrap();
    let m = report.total.missed.unwrap();
    assert_eq!(
        (
            m.missed_calls,
            m.missed_called_back,
            m.missed_no_number,
            m.missed_ignored
        ),
        (6, 2, 3, 1)
    );
}

#[test]
fn a_call_that_ended_in_the_voice_menu_is_missed_only_when_the_desk_says_so() {
    let mut t = testing::app();
    let menu = |id: &str| {
        event(
            id,
            EventKind::Ended(Ending::VoiceMenu),
            Some("+7 903 000-00-03"),
            None,
        )
    };
    let taken = take(&t.app, &pbx(), menu("m1")).unwrap();
    assert_eq!((taken.opened, taken.callback), (None, None));
    t.app.desk.settings.callbacks.voice_menu_is_missed = true;
    assert!(take(&t.app, &pbx(), menu("m2")).unwrap().callback.is_some());
}

#[test]
fn a_call_that_rang_a_phone_is_missed_though_its_last_message_names_none() {
    let t = testing::app();
    let caller = Some("+7 903 000-00-04");
    take(
        &t.app,
        &pbx(),
        event("g1", EventKind::Ringing, caller, None),
    )
    .unwrap();
    // A ring group's phone rings: the same ringing event again, with its extension.
    let again = take(
        &t.app,
        &pbx(),
        event("g1", EventKind::Ringing, caller, Some("102")),
    )
    .unwrap();
    assert!(again.duplicate);
    let ended = event("g1", EventKind::Ended(Ending::VoiceMenu), caller, None);
    let taken = take(&t.app, &pbx(), ended).unwrap();
    assert!(taken.callback.is_some(), "missed, not the voice menu");
}

#[test]
fn an_event_for_a_call_never_told_of_without_a_number_is_refused_and_writes_nothing() {
    let t = testing::app();
    let refused = take(
        &t.app,
        &pbx(),
        event("x", EventKind::Answered, None, Some("101")),
    );
    assert!(matches!(
        refused,
        Err(crate::actions::ActionError::Invalid(e)) if e.problem == FieldProblem::CallNeverSeen
    ));
    assert_eq!(t.app.store.exchange_events_taken().unwrap(), 0);
    assert!(t.app.store.exchange_calls(10).unwrap().is_empty());
}

#[test]
fn the_card_opened_from_a_ringing_call_is_its_record() {
    let t = testing::app();
    let op = Actor::person("anna", Role::Operator);
    take(
        &t.app,
        &pbx(),
        event("c9", EventKind::Ringing, Some("+7 916 555-44-33"), None),
    )
    .unwrap();
    let card = CallChanges {
        phone: Some(Some("+7 916 555-44-33".into())),
        ..CallChanges::default()
    };
    let record = open_card(
        &t.app,
        &op,
        "generic:c9",
        card.clone(),
        Some("сколько стоит"),
    )
    .unwrap();
    assert!(
        t.app.exchanges.screens.ringing_now().is_empty(),
        "taken: no page shows it ringing any more"
    );
    let answered = take(
        &t.app,
        &pbx(),
        event("c9", EventKind::Answered, None, Some("101")),
    )
    .unwrap();
    assert_eq!(
        answered.opened, None,
        "the card is the call's record already"
    );
    assert_eq!(answered.exchange_call.call, Some(record.call.id));
    let again = open_card(&t.app, &op, "generic:c9", card, None).unwrap();
    assert_eq!(
        again.call.id, record.call.id,
        "a second card saves on the same call"
    );
}

#[test]
fn a_second_operator_who_opened_the_same_ringing_call_writes_over_nobodys_card() {
    let t = testing::app();
    account(&t, "anna", Role::Operator, None);
    account(&t, "boris", Role::Operator, None);
    take(
        &t.app,
        &pbx(),
        event("c7", EventKind::Ringing, Some("+7 916 555-44-33"), None),
    )
    .unwrap();
    let anna = Actor::person("anna", Role::Operator);
    let first = CallChanges {
        phone: Some(Some("+7 916 555-44-33".into())),
        name: Some(Some("Ирина".into())),
        notes: Some(Some("ждёт счёт".into())),
        ..CallChanges::default()
    };
    let record = open_card(&t.app, &anna, "generic:c7", first, None).unwrap();
    let boris = Actor::person("boris", Role::Operator);
    let empty = CallChanges {
        phone: Some(Some("+7 916 555-44-33".into())),
        ..CallChanges::default()
    };
    let second = open_card(&t.app, &boris, "generic:c7", empty, Some("а доставка?")).unwrap();
    assert_ne!(second.call.id, record.call.id, "a call of his own");
    let kept = t.app.store.call(record.call.id).unwrap().unwrap();
    assert_eq!(kept.call.name.as_deref(), Some("Ирина"));
    assert_eq!(kept.call.notes.as_deref(), Some("ждёт счёт"));
    assert!(kept.questions.is_empty(), "his question is on his call");
}

#[test]
fn the_lookup_names_the_manager_of_the_callers_latest_call() {
    let t = testing::app();
    account(&t, "mikhail", Role::Manager, Some("105"));
    account(&t, "olga", Role::Manager, Some("106"));
    earlier_call(&t, "+7 495 123-45-67", "mikhail");
    earlier_call(&t, "+7 495 123-45-67", "olga");
    let caller = lookup(&t.app, &pbx(), Some("84951234567")).unwrap();
    let manager = caller.manager.unwrap();
    assert_eq!(
        (manager.login.as_str(), manager.extension.as_deref()),
        ("olga", Some("106"))
    );
    assert_eq!(caller.kind, CallKind::Secondary);
    assert_eq!(caller.name.as_deref(), Some("Ирина"));
    let stranger = lookup(&t.app, &pbx(), Some("+7 999 000-11-22")).unwrap();
    assert_eq!((stranger.manager, stranger.kind), (None, CallKind::Primary));
    assert!(lookup(&t.app, &pbx(), Some(" ")).is_err());
}

#[test]
fn a_ringing_call_shows_the_callers_manager_open_callback_and_whether_it_is_overdue() {
    let mut t = testing::app();
    account(&t, "mikhail", Role::Manager, Some("105"));
    earlier_call(&t, "+7 916 123-45-67", "mikhail");
    let missed = event(
        "m1",
        EventKind::Ended(Ending::Missed),
        Some("+7 916 123-45-67"),
        None,
    );
    let callback = take(&t.app, &pbx(), missed).unwrap().callback.unwrap();
    let due = t.app.store.callback(callback).unwrap().unwrap().due;
    let mut watch = t.app.exchanges.screens.watch(Some("anna")).unwrap();
    let ring = |id: &str| event(id, EventKind::Ringing, Some("8 916 123-45-67"), None);
    take(&t.app, &pbx(), ring("r1")).unwrap();
    let caller = watch.events.try_recv().unwrap().caller.clone().unwrap();
    assert_eq!(
        (caller.name.as_deref(), caller.kind, caller.returning),
        (Some("Ирина"), CallKind::Secondary, true)
    );
    assert_eq!(caller.manager.unwrap().extension.as_deref(), Some("105"));
    let open = caller.callback.unwrap();
    assert_eq!(
        (open.id, open.owner.as_deref(), open.overdue),
        (callback, Some("mikhail"), false)
    );
    t.app.clock =
        crate::clock::Clock::fixed(t.app.clock.zone(), due + chrono::Duration::minutes(1));
    take(&t.app, &pbx(), ring("r2")).unwrap();
    let caller = watch.events.try_recv().unwrap().caller.clone().unwrap();
    assert!(caller.callback.unwrap().overdue, "past its due time");
}

#[test]
fn calls_ringing_when_the_server_stopped_ring_again_on_the_pages_after_it_starts() {
    let mut t = testing::app();
    let caller = Some("+7 903 000-00-31");
    take(
        &t.app,
        &pbx(),
        event("s1", EventKind::Ringing, caller, None),
    )
    .unwrap();
    take(
        &t.app,
        &pbx(),
        event("s2", EventKind::Ringing, caller, None),
    )
    .unwrap();
    let over = event("s2", EventKind::Ended(Ending::Missed), caller, None);
    take(&t.app, &pbx(), over).unwrap();
    let ring = event("s3", EventKind::Ringing, Some("anonymous"), None);
    take(&t.app, &pbx(), ring).unwrap();
    take(
        &t.app,
        &pbx(),
        event("s3", EventKind::Answered, None, Some("101")),
    )
    .unwrap();
    // The server restarts: its screens hold nothing.
    t.app.exchanges = crate::pbx::Exchanges::default();
    assert_eq!(show_still_ringing(&t.app).unwrap(), 1);
    let ringing = t.app.exchanges.screens.ringing_now();
    let calls: Vec<&str> = ringing.iter().map(|e| e.call.as_str()).collect();
    assert_eq!(
        calls,
        ["generic:s1"],
        "not the one over, nor the one answered"
    );
    assert_eq!(ringing[0].phone.as_deref(), Some("+7 903 000-00-31"));
    assert!(ringing[0].since.is_some() && ringing[0].caller.is_some());
    // Its end, when it comes, takes it off.
    let end = event("s1", EventKind::Ended(Ending::Missed), caller, None);
    take(&t.app, &pbx(), end).unwrap();
    assert!(t.app.exchanges.screens.ringing_now().is_empty());
}

#[test]
fn an_event_dated_in_a_year_no_exchange_means_is_refused_naming_the_time() {
    let t = testing::app();
    let mut ring = event("y1", EventKind::Ringing, Some("+7 903 000-00-41"), None);
    ring.at = Some("0001-01-01T00:00:00Z".parse().unwrap());
    let refused = take(&t.app, &pbx(), ring);
    assert!(matches!(
        refused,
        Err(crate::actions::ActionError::Invalid(e)) if e.field == "at" && e.problem == FieldProblem::ExpectedTime
    ));
    assert!(
        t.app.store.exchange_calls(10).unwrap().is_empty(),
        "nothing written"
    );
}
