//! The calls API (which a phone exchange may also use to open a call with the caller's number),
//! and the one path per change that it shares with the desk's plain forms: open a call, change
//! it, log a question, link one. Each change is recorded in the audit log.

use super::error::{Error, Thing};
use super::extract::{parse_id, JsonObject, Viewer};
use super::{audit, blocking, WebState};
use crate::calls::{answer_slug, CallChanges, CallFull, CallRecord, CallerQuestion, NewQuestion};
use crate::fields::{FieldError, FieldProblem};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::{json, Value};
use std::sync::Arc;

/// Longest range of days `GET /api/calls` lists at once.
const MAX_RANGE_DAYS: i64 = 366;

/// A call record as the API shows it.
pub fn call_json(record: &CallRecord) -> Value {
    let mut value = serde_json::to_value(&record.call).unwrap_or_default();
    value["returning"] = json!(record.returning());
    value["previous_calls"] = json!(record.previous_calls);
    value["questions"] = Value::Array(record.questions.iter().map(question_json).collect());
    value
}

/// A caller question as the API shows it.
pub fn question_json(q: &CallerQuestion) -> Value {
    json!({ "id": q.id, "call_id": q.call_id, "text": q.text, "asked_at": q.asked_at, "answer": q.answer })
}

/// Checks that an answer slug exists in the served knowledge.
pub(super) fn known_answer(
    state: &WebState,
    field: &str,
    value: &Value,
) -> Result<Option<String>, Error> {
    let library = state.app.shelf.current();
    Ok(answer_slug(field, value, |slug| {
        library.knowledge.get(slug).is_some()
    })?)
}

/// Reads a new caller question against the served knowledge.
pub(super) fn new_question(
    state: &WebState,
    object: &serde_json::Map<String, Value>,
) -> Result<NewQuestion, Error> {
    let library = state.app.shelf.current();
    Ok(NewQuestion::from_json(object, |slug| {
        library.knowledge.get(slug).is_some()
    })?)
}

/// Logs a question on a call, wakes the indexer, and records the change in the audit log.
pub(super) async fn log_question(
    state: &WebState,
    viewer: &Viewer,
    call_id: i64,
    q: NewQuestion,
) -> Result<CallerQuestion, Error> {
    let store = Arc::clone(&state.app.store);
    let now = state.app.clock.now();
    let logged = tokio::task::spawn_blocking(move || {
        store.add_question(
            call_id,
            &q.text,
            q.answer.as_deref(),
            q.asked_at.unwrap_or(now),
        )
    })
    .await
    .map_err(|e| Error::Internal(anyhow::anyhow!("blocking task: {e}")))?
    .map_err(|e| match e.downcast_ref::<CallFull>() {
        Some(full) => Error::CallFull(full.call_id),
        None => Error::Internal(e),
    })?;
    let question = logged.ok_or_else(|| Error::not_found(Thing::Call, call_id))?;
    state.app.indexing.nudge();
    let subject = format!("call {call_id} (question {} logged)", question.id);
    audit(state, viewer, "change", subject).await;
    Ok(question)
}

/// Links or unlinks a question, wakes the indexer, and records the change.
pub(super) async fn relink(
    state: &WebState,
    viewer: &Viewer,
    question_id: i64,
    answer: Option<String>,
) -> Result<CallerQuestion, Error> {
    let store = Arc::clone(&state.app.store);
    let question = blocking(move || store.set_answer(question_id, answer.as_deref()))
        .await?
        .ok_or_else(|| Error::not_found(Thing::Question, question_id))?;
    state.app.indexing.nudge();
    let subject = format!("call {} (question {question_id} linked)", question.call_id);
    audit(state, viewer, "change", subject).await;
    Ok(question)
}

/// Opens a call (the viewer as its operator unless given) and records it.
pub(super) async fn open_call(
    state: &WebState,
    viewer: &Viewer,
    mut changes: CallChanges,
) -> Result<CallRecord, Error> {
    default_operator(&mut changes, viewer);
    let store = Arc::clone(&state.app.store);
    let now = state.app.clock.now();
    let record = blocking(move || store.create_call(&changes, now)).await?;
    audit(
        state,
        viewer,
        "change",
        format!("call {} (opened)", record.call.id),
    )
    .await;
    Ok(record)
}

/// Changes a call's fields and records it.
pub(super) async fn change_call(
    state: &WebState,
    viewer: &Viewer,
    id: i64,
    changes: CallChanges,
) -> Result<CallRecord, Error> {
    let store = Arc::clone(&state.app.store);
    let record = blocking(move || store.update_call(id, &changes))
        .await?
        .ok_or_else(|| Error::not_found(Thing::Call, id))?;
    audit(state, viewer, "change", format!("call {id}")).await;
    Ok(record)
}

async fn record(state: &WebState, id: i64) -> Result<CallRecord, Error> {
    let store = Arc::clone(&state.app.store);
    blocking(move || store.call(id))
        .await?
        .ok_or_else(|| Error::not_found(Thing::Call, id))
}

/// A call opened by a logged-in person records them as its operator unless told otherwise.
fn default_operator(changes: &mut CallChanges, viewer: &Viewer) {
    if changes.operator.is_none() {
        if let Some(person) = viewer.person() {
            changes.operator = Some(Some(person.to_string()));
        }
    }
}

/// `POST /api/calls`: opens a call; `201` with the call, `returning` and `previous_calls`.
pub async fn create(
    State(state): State<WebState>,
    viewer: Viewer,
    JsonObject(object): JsonObject,
) -> Result<Response, Error> {
    let changes = CallChanges::from_json(&object)?;
    let record = open_call(&state, &viewer, changes).await?;
    Ok((StatusCode::CREATED, Json(call_json(&record))).into_response())
}

/// `GET /api/calls/{id}`: the call with its questions.
pub async fn read(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Json<Value>, Error> {
    let record = record(&state, parse_id(&id, Thing::Call)?).await?;
    audit(&state, &viewer, "view", format!("call {}", record.call.id)).await;
    Ok(Json(call_json(&record)))
}

/// `PATCH /api/calls/{id}`: changes the fields given.
pub async fn update(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
    JsonObject(object): JsonObject,
) -> Result<Json<Value>, Error> {
    let id = parse_id(&id, Thing::Call)?;
    let changes = CallChanges::from_json(&object)?;
    let record = change_call(&state, &viewer, id, changes).await?;
    Ok(Json(call_json(&record)))
}

/// `POST /api/calls/{id}/questions`: logs a caller question, optionally linked.
pub async fn add_question(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
    JsonObject(object): JsonObject,
) -> Result<Response, Error> {
    let id = parse_id(&id, Thing::Call)?;
    let input = new_question(&state, &object)?;
    let question = log_question(&state, &viewer, id, input).await?;
    Ok((StatusCode::CREATED, Json(question_json(&question))).into_response())
}

/// `PUT /api/questions/{id}/answer`: links a question to an answer, or unlinks it with `null`.
pub async fn link(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
    JsonObject(object): JsonObject,
) -> Result<Json<Value>, Error> {
    let id = parse_id(&id, Thing::Question)?;
    if let Some(other) = object.keys().find(|k| *k != "answer") {
        return Err(FieldError::new(other, FieldProblem::Unknown).into());
    }
    let value = object
        .get("answer")
        .ok_or_else(|| FieldError::new("answer", FieldProblem::Required))?;
    let answer = known_answer(&state, "answer", value)?;
    let question = relink(&state, &viewer, id, answer).await?;
    Ok(Json(question_json(&question)))
}

/// Deletes a question logged by mistake, and records it; the one path for the API and the form.
pub(super) async fn delete_question(
    state: &WebState,
    viewer: &Viewer,
    id: i64,
) -> Result<CallerQuestion, Error> {
    let store = Arc::clone(&state.app.store);
    let question = blocking(move || store.delete_question(id))
        .await?
        .ok_or_else(|| Error::not_found(Thing::Question, id))?;
    state.app.removed.push(id);
    state.app.indexing.nudge();
    let subject = format!("call {} (question {id} deleted)", question.call_id);
    audit(state, viewer, "change", subject).await;
    Ok(question)
}

/// `DELETE /api/questions/{id}`: a question logged by mistake goes.
pub async fn delete(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Json<Value>, Error> {
    let id = parse_id(&id, Thing::Question)?;
    let question = delete_question(&state, &viewer, id).await?;
    Ok(Json(question_json(&question)))
}

/// Query of `GET /api/calls`.
#[derive(Debug, Deserialize)]
pub struct RangeParams {
    from: Option<String>,
    to: Option<String>,
}

/// A `YYYY-MM-DD` parameter, `default` when absent or empty.
pub(super) fn date_param(
    field: &str,
    value: Option<&str>,
    default: NaiveDate,
) -> Result<NaiveDate, FieldError> {
    match value {
        None | Some("") => Ok(default),
        Some(text) => NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map_err(|_| FieldError::new(field, FieldProblem::ExpectedDate)),
    }
}

/// `GET /api/calls?from=YYYY-MM-DD&to=YYYY-MM-DD`: calls of those days (the desk's days, both
/// included; today by default), oldest first, with their questions.
pub async fn list(
    State(state): State<WebState>,
    viewer: Viewer,
    Query(params): Query<RangeParams>,
) -> Result<Json<Value>, Error> {
    let clock = state.app.clock;
    let today = clock.today();
    let from = date_param("from", params.from.as_deref(), today)?;
    let to = date_param(
        "to",
        params.to.as_deref(),
        params.from.as_deref().map_or(today, |_| from.max(today)),
    )?;
    if to < from {
        return Err(FieldError::new("to", FieldProblem::BeforeFrom).into());
    }
    if (to - from).num_days() > MAX_RANGE_DAYS {
        return Err(FieldError::new("to", FieldProblem::RangeTooLong(MAX_RANGE_DAYS)).into());
    }
    let (start, end) = clock
        .days(from, to)
        .ok_or_else(|| FieldError::new("to", FieldProblem::TooFarAhead))?;
    let store = Arc::clone(&state.app.store);
    let records = blocking(move || {
        let calls = store.calls_between(start, end)?;
        calls
            .iter()
            .filter_map(|c| store.call(c.id).transpose())
            .collect::<anyhow::Result<Vec<_>>>()
    })
    .await?;
    audit(
        &state,
        &viewer,
        "view",
        format!("calls {from}..{to} ({})", records.len()),
    )
    .await;
    Ok(Json(json!({
        "from": from.to_string(),
        "to": to.to_string(),
        "calls": records.iter().map(call_json).collect::<Vec<_>>(),
    })))
}

/// Query of `GET /api/caller`.
#[derive(Debug, Deserialize)]
pub struct CallerParams {
    phone: Option<String>,
    company: Option<String>,
}

/// `GET /api/caller?phone=&company=`: what the desk knows of a caller before the call is
/// recorded: `{"returning", "kind", "name", "company", "calls": [...]}`, the calls newest first
/// with their questions (and each linked answer's title).
pub async fn caller(
    State(state): State<WebState>,
    viewer: Viewer,
    Query(params): Query<CallerParams>,
) -> Result<Json<Value>, Error> {
    let clip = |v: Option<String>| {
        v.map(|s| crate::text::clip(s.trim(), crate::calls::MAX_FIELD_CHARS).into_owned())
            .filter(|s| !s.is_empty())
    };
    let (phone, company) = (clip(params.phone), clip(params.company));
    let store = Arc::clone(&state.app.store);
    let (p, c) = (phone.clone(), company.clone());
    let history = blocking(move || store.caller(p.as_deref(), c.as_deref())).await?;
    if !history.earlier.is_empty() {
        let who = phone.or(company).unwrap_or_default();
        audit(
            &state,
            &viewer,
            "view",
            format!("caller {}", crate::text::clip(&who, 40)),
        )
        .await;
    }
    let library = state.app.shelf.current();
    let calls: Vec<Value> = history
        .earlier
        .iter()
        .map(|r| {
            let mut call = call_json(r);
            for q in call["questions"].as_array_mut().into_iter().flatten() {
                let title = q["answer"]
                    .as_str()
                    .and_then(|slug| library.knowledge.get(slug))
                    .map(|a| a.title.clone());
                q["title"] = json!(title);
            }
            call
        })
        .collect();
    Ok(Json(json!({
        "returning": !calls.is_empty(),
        "kind": if calls.is_empty() { "primary" } else { "secondary" },
        "name": history.name,
        "company": history.company,
        "calls": calls,
    })))
}
