//! The call store's own tests: calls saved and changed, returning callers recognised, the
//! desk's lists.

use super::*;
use crate::calls::IndexedQuestion;
use crate::store::testing::{at, store};

fn caller(phone: Option<&str>, company: Option<&str>) -> CallChanges {
    CallChanges {
        phone: Some(phone.map(str::to_string)),
        company: Some(company.map(str::to_string)),
        ..CallChanges::default()
    }
}

#[test]
fn a_call_is_created_read_and_updated() {
    let (_dir, store) = store();
    let changes = CallChanges {
        name: Some(Some("Михаил".into())),
        operator: Some(Some("Наталья".into())),
        ..caller(Some("8 495 123-45-67"), None)
    };
    let created = store
        .create_call(&changes, at("2026-11-28T10:15:00.123456Z"))
        .unwrap();
    assert_eq!(
        created.call.started_at,
        at("2026-11-28T10:15:00.123Z"),
        "kept to the millisecond"
    );
    assert_eq!(created.call.kind, CallKind::Primary);
    assert!(
        created.call.potential_client,
        "a first-time caller is a potential client"
    );
    assert!(created.questions.is_empty() && created.previous_calls.is_empty());
    assert_eq!(
        store.call(created.call.id).unwrap().as_ref(),
        Some(&created)
    );

    let update = CallChanges {
        outcome: Some(Some(Outcome::Callback)),
        callback_due: Some(Some(at("2026-11-29T09:00:00Z"))),
        name: Some(None),
        ..CallChanges::default()
    };
    let updated = store
        .update_call(created.call.id, &update)
        .unwrap()
        .unwrap();
    assert_eq!(updated.call.outcome, Some(Outcome::Callback));
    assert_eq!(updated.call.callback_due, Some(at("2026-11-29T09:00:00Z")));
    assert_eq!(updated.call.name, None);
    assert_eq!(
        updated.call.operator.as_deref(),
        Some("Наталья"),
        "untouched fields stay"
    );
    assert_eq!(store.call(created.call.id).unwrap(), Some(updated));

    assert_eq!(store.call(999).unwrap(), None);
    assert_eq!(store.update_call(999, &update).unwrap(), None);
}

#[test]
fn everything_is_there_after_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let (call, question) = {
        let store = Store::open(dir.path()).unwrap();
        let call = store
            .create_call(
                &caller(Some("84951234567"), None),
                at("2026-11-28T10:00:00Z"),
            )
            .unwrap();
        let q = store
            .add_question(
                call.call.id,
                "цена?",
                Some("price"),
                at("2026-11-28T10:01:00Z"),
                false,
            )
            .unwrap()
            .unwrap();
        (call.call.id, q)
    };
    let store = Store::open(dir.path()).unwrap();
    let record = store.call(call).unwrap().unwrap();
    assert_eq!(record.questions, vec![question.clone()]);
    assert_eq!(store.question(question.id).unwrap(), Some(question));
    assert_eq!(
        store.outbox(0, 10).unwrap().len(),
        1,
        "unindexed changes survive a restart"
    );
}

#[test]
fn a_returning_caller_is_recognised_by_phone_however_typed() {
    let (_dir, store) = store();
    // The first call was transferred to a manager: the caller works with one now.
    let first = store
        .create_call(
            &CallChanges {
                outcome: Some(Some(Outcome::Transferred)),
                ..caller(Some("8 (495) 123 45 67"), None)
            },
            at("2026-11-27T10:00:00Z"),
        )
        .unwrap();
    let second = store
        .create_call(
            &caller(Some("+7 495 123-45-67"), None),
            at("2026-11-28T10:00:00Z"),
        )
        .unwrap();
    assert_eq!(second.previous_calls, vec![first.call.id]);
    assert_eq!(second.call.kind, CallKind::Secondary);
    assert!(
        !second.call.potential_client,
        "an existing client is not counted as potential"
    );
    let third = store
        .create_call(
            &caller(Some("8 916 000 00 01"), None),
            at("2026-11-27T11:00:00Z"),
        )
        .unwrap();
    let again = store
        .create_call(
            &caller(Some("+79160000001"), None),
            at("2026-11-28T11:00:00Z"),
        )
        .unwrap();
    assert!(third.call.potential_client);
    assert!(
        again.call.potential_client,
        "a prospect calling again, whom no manager took yet, is still potential"
    );
    assert!(second.returning());
    assert!(
        store
            .call(first.call.id)
            .unwrap()
            .unwrap()
            .previous_calls
            .is_empty(),
        "later calls are not earlier ones"
    );
    let other = store
        .create_call(
            &caller(Some("+7 495 000-00-00"), None),
            at("2026-11-28T11:00:00Z"),
        )
        .unwrap();
    assert_eq!(other.call.kind, CallKind::Primary);
}

#[test]
fn a_returning_company_is_recognised_from_another_phone() {
    let (_dir, store) = store();
    let first = store
        .create_call(
            &caller(Some("84951111111"), Some("ООО «Ромашка»")),
            at("2026-11-27T10:00:00Z"),
        )
        .unwrap();
    let second = store
        .create_call(
            &caller(Some("84952222222"), Some("ромашка")),
            at("2026-11-28T10:00:00Z"),
        )
        .unwrap();
    assert_eq!(second.previous_calls, vec![first.call.id]);
    // Recognised, and still a prospect: the earlier call was a first-time one nobody took.
    assert_eq!(second.call.kind, CallKind::Primary);
    assert!(second.call.potential_client);
}

#[test]
fn a_caller_put_through_to_a_manager_before_is_an_existing_client() {
    let (_dir, store) = store();
    let mut first = caller(Some("84951111111"), None);
    first.outcome = Some(Some(Outcome::Transferred));
    store
        .create_call(&first, at("2026-11-27T10:00:00Z"))
        .unwrap();
    let second = store
        .create_call(
            &caller(Some("+7 495 111-11-11"), None),
            at("2026-11-28T10:00:00Z"),
        )
        .unwrap();
    assert_eq!(second.call.kind, CallKind::Secondary);
}

#[test]
fn a_given_kind_and_mark_win_over_the_guess() {
    let (_dir, store) = store();
    store
        .create_call(
            &caller(Some("84951234567"), None),
            at("2026-11-27T10:00:00Z"),
        )
        .unwrap();
    let changes = CallChanges {
        kind: Some(CallKind::Primary),
        ..caller(Some("84951234567"), None)
    };
    let again = store
        .create_call(&changes, at("2026-11-28T10:00:00Z"))
        .unwrap();
    assert_eq!(again.call.kind, CallKind::Primary);
    assert!(again.call.potential_client);
    let changes = CallChanges {
        potential_client: Some(true),
        ..caller(Some("84951234567"), None)
    };
    assert!(
        store
            .create_call(&changes, at("2026-11-28T11:00:00Z"))
            .unwrap()
            .call
            .potential_client
    );
}

#[test]
fn earlier_calls_come_in_full_newest_first() {
    let (_dir, store) = store();
    let mut ids = Vec::new();
    for day in 1..=12 {
        let call = store
            .create_call(
                &caller(Some("84951234567"), None),
                at(&format!("2026-11-{day:02}T10:00:00Z")),
            )
            .unwrap();
        store
            .add_question(
                call.call.id,
                &format!("вопрос {day}"),
                None,
                call.call.started_at,
                false,
            )
            .unwrap();
        ids.push(call.call.id);
    }
    let last = *ids.last().unwrap();
    let earlier = store.earlier_calls(last).unwrap();
    assert_eq!(earlier.len(), 10);
    assert_eq!(earlier[0].call.id, ids[10]);
    assert_eq!(earlier[0].questions[0].text, "вопрос 11");
    assert_eq!(store.call(last).unwrap().unwrap().previous_calls.len(), 11);
    assert!(store.earlier_calls(999).unwrap().is_empty());
}

#[test]
fn a_new_kind_requeues_the_calls_questions() {
    let (_dir, store) = store();
    let call = store
        .create_call(&CallChanges::default(), at("2026-11-28T10:00:00Z"))
        .unwrap()
        .call;
    let q = store
        .add_question(call.id, "цена?", None, at("2026-11-28T10:01:00Z"), false)
        .unwrap()
        .unwrap();
    store.outbox_done(i64::MAX).unwrap();
    store
        .update_call(
            call.id,
            &CallChanges {
                notes: Some(Some("x".into())),
                ..CallChanges::default()
            },
        )
        .unwrap();
    assert!(store.outbox(0, 10).unwrap().is_empty());
    store
        .update_call(
            call.id,
            &CallChanges {
                kind: Some(CallKind::Secondary),
                ..CallChanges::default()
            },
        )
        .unwrap();
    let outbox = store.outbox(0, 10).unwrap();
    assert_eq!(outbox.len(), 1);
    assert_eq!(
        outbox[0].2,
        Some(IndexedQuestion {
            id: q.id,
            text: "цена?".into(),
            answer: None,
            kind: CallKind::Secondary
        })
    );
}

#[test]
fn the_calls_list_puts_callbacks_first_and_filters() {
    let (_dir, store) = store();
    let make = |time: &str, outcome: Option<Outcome>, due: Option<&str>, operator: &str| {
        let changes = CallChanges {
            outcome: Some(outcome),
            callback_due: Some(due.map(at)),
            operator: Some(Some(operator.into())),
            ..CallChanges::default()
        };
        store.create_call(&changes, at(time)).unwrap().call.id
    };
    let answered_early = make(
        "2026-11-28T09:00:00Z",
        Some(Outcome::Answered),
        None,
        "Наталья",
    );
    let callback_late = make(
        "2026-11-28T09:30:00Z",
        Some(Outcome::Callback),
        Some("2026-11-29T15:00:00Z"),
        "Наталья",
    );
    let callback_undated = make(
        "2026-11-28T10:00:00Z",
        Some(Outcome::Callback),
        None,
        "Ольга",
    );
    let callback_soon = make(
        "2026-11-28T11:00:00Z",
        Some(Outcome::Callback),
        Some("2026-11-28T15:00:00Z"),
        "Ольга",
    );
    let open = make("2026-11-28T12:00:00Z", None, None, "Наталья");
    // A callback already made: the call takes its place by time among the others.
    let callback_done = make(
        "2026-11-28T11:30:00Z",
        Some(Outcome::Callback),
        Some("2026-11-28T11:45:00Z"),
        "Ольга",
    );
    let promise = crate::store::Promise {
        call_id: callback_done,
        caller_key: "call:done",
        name: None,
        phone: None,
        email: None,
        company: None,
        owner: None,
        due: at("2026-11-28T11:45:00Z"),
        missed: false,
    };
    let crate::store::Promised::Opened(made) = store
        .promise_callback(&promise, at("2026-11-28T11:30:00Z"), Default::default())
        .unwrap()
    else {
        panic!("a new callback");
    };
    let reached = crate::callbacks::Attempt {
        at: at("2026-11-28T11:40:00Z"),
        by: "Иван".into(),
        result: crate::callbacks::Outcome::Reached,
        note: None,
        reason: None,
        from: None,
        next_due: None,
    };
    let done = crate::store::CallbackChange {
        state: Some(crate::callbacks::State::Done),
        ..crate::store::CallbackChange::default()
    };
    store.record_attempt(made, &reached, &done).unwrap();
    make(
        "2026-11-27T12:00:00Z",
        Some(Outcome::Callback),
        None,
        "Наталья",
    );
    store
        .add_question(open, "?", None, at("2026-11-28T12:01:00Z"), false)
        .unwrap();

    let (from, to) = (at("2026-11-28"), at("2026-11-29"));
    let all = store.calls_overview(from, to, None, None).unwrap();
    let ids: Vec<i64> = all.iter().map(|(c, _)| c.id).collect();
    assert_eq!(
        ids,
        [
            callback_soon,
            callback_late,
            callback_undated,
            open,
            callback_done,
            answered_early
        ]
    );
    assert_eq!(all[3].1, 1, "with its question count");

    let callbacks = store
        .calls_overview(from, to, Some(Outcome::Callback), Some("Ольга"))
        .unwrap();
    assert_eq!(
        callbacks.iter().map(|(c, _)| c.id).collect::<Vec<_>>(),
        [callback_soon, callback_undated, callback_done]
    );
    let natalya = store
        .calls_overview(from, to, None, Some("Наталья"))
        .unwrap();
    assert_eq!(
        natalya.iter().map(|(c, _)| c.id).collect::<Vec<_>>(),
        [callback_late, open, answered_early]
    );

    let between = store.calls_between(from, to).unwrap();
    assert_eq!(
        between.iter().map(|c| c.id).collect::<Vec<_>>(),
        [
            answered_early,
            callback_late,
            callback_undated,
            callback_soon,
            callback_done,
            open
        ]
    );
}

#[test]
fn a_card_seen_before_a_colleague_saved_writes_over_nothing_of_theirs() {
    use crate::calls::card::{Clash, Seen};
    let (_dir, store) = store();
    let call = store
        .create_call(
            &caller(Some("+7 495 123-45-67"), None),
            at("2026-11-28T10:15:00Z"),
        )
        .unwrap()
        .call;
    // Two cards opened on the same call; both give it a manager.
    let seen = Seen::of(&call);
    let manager = |login: &str| CallChanges {
        manager: Some(Some(login.to_string())),
        ..CallChanges::default()
    };
    store
        .update_call_seen(call.id, &manager("mikhail"), Some(&seen))
        .unwrap();
    let error = store
        .update_call_seen(call.id, &manager("pavel"), Some(&seen))
        .unwrap_err();
    assert_eq!(error.downcast::<Clash>().unwrap(), Clash(vec!["manager"]));
    let stored = store.call(call.id).unwrap().unwrap().call;
    assert_eq!(
        stored.manager.as_deref(),
        Some("mikhail"),
        "the second written over nothing"
    );
    // The same value twice (a card sent twice) is no clash; nor a field only one changed.
    let both = CallChanges {
        notes: Some(Some("перезвонить после обеда".into())),
        ..manager("mikhail")
    };
    let record = store
        .update_call_seen(call.id, &both, Some(&seen))
        .unwrap()
        .unwrap();
    assert_eq!(
        record.call.notes.as_deref(),
        Some("перезвонить после обеда")
    );
}

#[test]
fn a_card_keeps_only_what_its_person_changed_and_its_token_reads_back() {
    use crate::calls::card::Seen;
    let (_dir, store) = store();
    let call = store
        .create_call(
            &caller(Some("+7 495 123-45-67"), Some("ООО Ромашка")),
            at("2026-11-28T10:15:00Z"),
        )
        .unwrap()
        .call;
    let seen = Seen::of(&call);
    assert_eq!(Seen::parse(&seen.token()), Some(seen.clone()));
    for bad in ["", "v1.", "v2.00", "v1.zz", &seen.token()[..30]] {
        assert_eq!(Seen::parse(bad), None, "{bad:?}");
    }
    let mut changes = CallChanges {
        phone: Some(call.phone.clone()),
        company: Some(Some("ООО Ландыш".into())),
        potential_client: Some(call.potential_client),
        ..CallChanges::default()
    };
    seen.keep_changed(&mut changes);
    assert_eq!(changes.phone, None, "unchanged: left as stored");
    assert_eq!(changes.potential_client, None);
    assert_eq!(changes.company, Some(Some("ООО Ландыш".into())));
    assert_eq!(Seen::written(&changes), vec!["company"]);
}
