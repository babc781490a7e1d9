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
    follow_call(&t.app, &op, &record).unwrap();
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
        Err(ActionError::Forbidden(_))
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
