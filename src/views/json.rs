//! The JSON API's shapes: what a call, a caller question, a callback, a typical question, an
//! answer and the exchange's events look like to a program, in one place beside the pages
//! that show the same data. Plain data in, `serde_json` values out; no I/O.

use crate::actions::callbacks::Shown;
use crate::actions::groups::Queued;
use crate::actions::pbx::Taken;
use crate::callbacks::Callback;
use crate::calls::{CallRecord, CallerQuestion};
use crate::knowledge::history::Revision;
use crate::knowledge::{Answer, Knowledge};
use crate::pbx::screens::{Caller, ScreenEvent};
use crate::store::CallerHistory;
use chrono::{DateTime, Utc};
use serde_json::{json, Value};

/// A call record: the call's fields, `returning`, `previous_calls` and its `questions`.
pub fn call(record: &CallRecord) -> Value {
    let mut value = serde_json::to_value(&record.call).unwrap_or_default();
    value["returning"] = json!(record.returning());
    value["previous_calls"] = json!(record.previous_calls);
    value["questions"] = Value::Array(record.questions.iter().map(question).collect());
    // What a client read, to send back with its change (`PATCH` keeps a colleague's save).
    value["seen"] = json!(crate::calls::card::Seen::of(&record.call).token());
    value
}

/// A caller question.
pub fn question(q: &CallerQuestion) -> Value {
    json!({
        "id": q.id,
        "call_id": q.call_id,
        "text": q.text,
        "asked_at": q.asked_at,
        "answer": q.answer,
        "declined": q.declined,
    })
}

/// What the desk knows of a caller before the call is recorded: `{"returning", "kind",
/// "name", "company", "calls", "callback"}`, each earlier question with its answer's `title`.
pub fn caller(
    history: &CallerHistory,
    open: Option<&Callback>,
    knowledge: &Knowledge,
    managers: &[crate::accounts::Account],
    now: DateTime<Utc>,
) -> Value {
    // A manager as the desk shows them, not their login.
    let named = |login: &str| {
        managers
            .iter()
            .find(|m| m.login == login)
            .map_or(login, |m| m.shown_name())
            .to_string()
    };
    let calls: Vec<Value> = history
        .earlier
        .iter()
        .map(|r| {
            let mut value = call(r);
            // Whether the callback it promised was made: the card says so instead of its time.
            value["called_back"] = json!(r.call.callback_done_at.is_some());
            // The manager as the desk shows them, beside their login; on the call that promised
            // the open callback, who has it now where it was handed over since («Ольга →
            // Михаил»).
            let handed = open.and_then(|c| c.owner_since(&r.call));
            value["manager_name"] = json!(r.call.manager.as_deref().map(|was| match handed {
                Some(now) => format!("{} → {}", named(was), named(now)),
                None => named(was),
            }));
            for q in value["questions"].as_array_mut().into_iter().flatten() {
                let title = q["answer"]
                    .as_str()
                    .and_then(|slug| knowledge.get(slug))
                    .map(|a| a.title.clone());
                q["title"] = json!(title);
            }
            value
        })
        .collect();
    let callback = open.map(|c| {
        json!({"id": c.id, "due": c.due, "overdue": c.overdue(now), "owner": c.owner,
               "owner_name": c.owner.as_deref().map(named)})
    });
    json!({
        "returning": !calls.is_empty(),
        "kind": if calls.is_empty() { "primary" } else { "secondary" },
        "name": history.name,
        "company": history.company,
        "calls": calls,
        "callback": callback,
    })
}

/// A callback with the questions of its calls (none when `calls` is empty).
pub fn callback(c: &Callback, calls: &[CallRecord], now: DateTime<Utc>) -> Value {
    let questions: Vec<Value> = calls
        .iter()
        .flat_map(|r| &r.questions)
        .map(|q| json!({"text": q.text, "answer": q.answer, "asked_at": q.asked_at}))
        .collect();
    let mut value = c.json(now);
    value["questions"] = questions.into();
    value
}

/// A callback as its page shows it, with its calls' questions; the calls its manager opened on
/// reaching the caller are `follow_up_call_ids` (`call_ids` are the calls it was promised on
/// and that joined it).
pub fn shown_callback(shown: &Shown, now: DateTime<Utc>) -> Value {
    let mut value = callback(&shown.callback, &shown.calls, now);
    value["follow_up_call_ids"] = shown.follow_ups.iter().map(|r| r.call.id).collect();
    value
}

/// A typical question in the editors' queue, with the answers it resembles.
pub fn group(q: &Queued) -> Value {
    let g = &q.group;
    json!({
        "id": g.id,
        "title": g.title,
        "state": g.state.as_str(),
        "count": g.count,
        "primary": g.primary,
        "secondary": g.secondary,
        "first_asked": g.first_asked,
        "last_asked": g.last_asked,
        "questions": g.questions.iter().map(|(id, text)| json!({"id": id, "text": text})).collect::<Vec<_>>(),
        "similar_answers": q.similar,
    })
}

/// An answer as the operator reads it.
pub fn answer(a: &Answer) -> Value {
    json!({
        "slug": a.slug,
        "title": a.title,
        "questions": a.questions,
        "audience": a.audience.as_str(),
        "tags": a.tags,
        "reviewed": a.reviewed.to_string(),
        "html": a.html,
    })
}

/// An answer's versions, newest first.
pub fn versions(versions: &[Revision]) -> Value {
    let list: Vec<Value> = versions
        .iter()
        .map(|v| {
            json!({"id": v.id, "at": v.at.to_rfc3339(), "by": v.by, "how": v.how.as_str(), "note": v.note})
        })
        .collect();
    json!({ "versions": list })
}

/// What an exchange's event did: `{"duplicate", "state", "call", "callback"}`.
pub fn taken(taken: &Taken) -> Value {
    json!({
        "duplicate": taken.duplicate,
        "state": taken.exchange_call.state.as_str(),
        "call": taken.exchange_call.call,
        "callback": taken.callback,
    })
}

/// Whose client is calling: `{"name", "company", "kind", "manager": {"login", "extension"}}`.
pub fn lookup(caller: &Caller) -> Value {
    json!({
        "name": caller.name,
        "company": caller.company,
        "kind": caller.kind.as_str(),
        "manager": caller.manager.as_ref().map(|m| json!({"login": m.login, "extension": m.extension})),
    })
}

/// A ringing call's event for a page, with `mine`: answered on the viewer's own extension;
/// `phone_spoken`: the number in the groups the operator reads back, in the form the call's
/// record will show it ([`crate::calls::phone::international`]); `forget_s`: the seconds
/// the page shows a ringing call with no further word of it.
pub fn screen_event(event: &ScreenEvent, mine: bool, left: std::time::Duration) -> Value {
    let mut data = serde_json::to_value(event).unwrap_or_else(|_| json!({}));
    data["mine"] = json!(mine);
    data["phone_spoken"] = json!(event
        .phone
        .as_deref()
        .map(crate::calls::phone::international));
    data["forget_s"] = json!(left.as_secs().max(1));
    data
}
