//! Calls: the desk screen, the list of today's calls, their plain-form fallbacks, and the calls
//! API (which a phone exchange may also use to open a call with the caller's number).

use super::auth::Viewer;
use super::error::ApiError;
use super::{audit, blocking, paths, AppState};
use crate::calls::{
    parse_time, CallChanges, CallFull, CallKind, CallRecord, CallerQuestion, FieldError, Outcome,
    MAX_QUESTION_CHARS,
};
use crate::knowledge::Audience;
use crate::store::Store;
use crate::views;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Form, Json};
use chrono::{DateTime, Local, NaiveDate, NaiveDateTime, TimeZone, Utc};
use serde::Deserialize;
use serde_json::{json, Map, Value};
use std::collections::HashMap;
use std::sync::Arc;

/// Longest range of days `GET /api/calls` lists at once.
const MAX_RANGE_DAYS: i64 = 366;
/// Typical-question buttons on the desk screen.
const TYPICAL_BUTTONS: usize = 8;
/// How far back the typical-question buttons count.
const TYPICAL_WINDOW_DAYS: i64 = 90;

impl From<FieldError> for ApiError {
    fn from(e: FieldError) -> ApiError {
        ApiError::Invalid(e.to_string())
    }
}

fn parse_id(text: &str, what: &str) -> Result<i64, ApiError> {
    text.parse()
        .map_err(|_| ApiError::NotFound(format!("no {what} {text}")))
}

fn json_object(body: &Bytes) -> Result<Map<String, Value>, ApiError> {
    let value: Value = serde_json::from_slice(body)
        .map_err(|e| ApiError::BadRequest(format!("invalid JSON: {e}")))?;
    match value {
        Value::Object(map) => Ok(map),
        _ => Err(ApiError::Invalid("body: expected a JSON object".into())),
    }
}

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
fn known_answer(state: &AppState, field: &str, value: &Value) -> Result<Option<String>, ApiError> {
    match value {
        Value::Null => Ok(None),
        Value::String(s) if s.is_empty() => Ok(None),
        Value::String(slug) => {
            if state.app.shelf.current().knowledge.get(slug).is_some() {
                Ok(Some(slug.clone()))
            } else {
                Err(ApiError::Invalid(format!(
                    "{field}: no answer with slug `{slug}`"
                )))
            }
        }
        _ => Err(ApiError::Invalid(format!(
            "{field}: expected an answer slug or null"
        ))),
    }
}

struct NewQuestion {
    text: String,
    answer: Option<String>,
    asked_at: Option<DateTime<Utc>>,
}

fn question_input(state: &AppState, object: &Map<String, Value>) -> Result<NewQuestion, ApiError> {
    let mut text = None;
    let mut answer = None;
    let mut asked_at = None;
    for (field, value) in object {
        match field.as_str() {
            "text" => text = value.as_str().map(str::trim).map(str::to_string),
            "answer" => answer = known_answer(state, "answer", value)?,
            "asked_at" => {
                asked_at = match value.as_str() {
                    Some(s) => Some(parse_time(s).ok_or_else(|| {
                        ApiError::Invalid(
                            "asked_at: expected a time such as 2026-11-28T10:15:00+03:00".into(),
                        )
                    })?),
                    None if value.is_null() => None,
                    None => {
                        return Err(ApiError::Invalid("asked_at: expected a time string".into()))
                    }
                }
            }
            "id" | "call_id" => {}
            other => return Err(ApiError::Invalid(format!("{other}: unknown field"))),
        }
    }
    let text = text
        .filter(|t| !t.is_empty())
        .ok_or_else(|| ApiError::Invalid("text: the caller's words are required".into()))?;
    if text.chars().count() > MAX_QUESTION_CHARS {
        return Err(ApiError::Invalid(format!(
            "text: longer than {MAX_QUESTION_CHARS} characters"
        )));
    }
    Ok(NewQuestion {
        text,
        answer,
        asked_at,
    })
}

/// Logs a question on a call, wakes the indexer, and records the change in the audit log: the
/// one path for the API and the plain form.
async fn log_question(
    state: &AppState,
    viewer: &Viewer,
    call_id: i64,
    q: NewQuestion,
) -> Result<CallerQuestion, ApiError> {
    let store = Arc::clone(&state.app.store);
    let logged = tokio::task::spawn_blocking(move || {
        store.add_question(
            call_id,
            &q.text,
            q.answer.as_deref(),
            q.asked_at.unwrap_or_else(Utc::now),
        )
    })
    .await
    .map_err(|e| ApiError::Internal(anyhow::anyhow!("blocking task: {e}")))?
    .map_err(|e| match e.downcast_ref::<CallFull>() {
        Some(full) => ApiError::TooMany(full.to_string()),
        None => ApiError::Internal(e),
    })?;
    let question = logged.ok_or_else(|| ApiError::NotFound(format!("no call {call_id}")))?;
    state.app.indexer.notify();
    let subject = format!("call {call_id} (question {} logged)", question.id);
    audit(state, viewer, "change", subject).await;
    Ok(question)
}

/// Links or unlinks a question, wakes the indexer, and records the change.
async fn relink(
    state: &AppState,
    viewer: &Viewer,
    question_id: i64,
    answer: Option<String>,
) -> Result<CallerQuestion, ApiError> {
    let store = Arc::clone(&state.app.store);
    let question = blocking(move || store.set_answer(question_id, answer.as_deref()))
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no question {question_id}")))?;
    state.app.indexer.notify();
    let subject = format!("call {} (question {question_id} linked)", question.call_id);
    audit(state, viewer, "change", subject).await;
    Ok(question)
}

/// Opens a call (the viewer as its operator unless given) and records it.
async fn open_call(
    state: &AppState,
    viewer: &Viewer,
    mut changes: CallChanges,
) -> Result<CallRecord, ApiError> {
    default_operator(&mut changes, viewer);
    let store = Arc::clone(&state.app.store);
    let record = blocking(move || store.create_call(&changes, Utc::now())).await?;
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
async fn change_call(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    changes: CallChanges,
) -> Result<CallRecord, ApiError> {
    let store = Arc::clone(&state.app.store);
    let record = blocking(move || store.update_call(id, &changes))
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no call {id}")))?;
    audit(state, viewer, "change", format!("call {id}")).await;
    Ok(record)
}

async fn record(state: &AppState, id: i64) -> Result<CallRecord, ApiError> {
    let store = Arc::clone(&state.app.store);
    blocking(move || store.call(id))
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no call {id}")))
}

/// A call opened by a logged-in person records them as its operator unless told otherwise.
fn default_operator(changes: &mut CallChanges, viewer: &Viewer) {
    if changes.operator.is_none() {
        if let Some(p) = viewer.principal.as_ref().filter(|p| p.csrf.is_some()) {
            changes.operator = Some(Some(p.name.clone()));
        }
    }
}

// ---- API ----

/// `POST /api/calls`: opens a call; `201` with the call, `returning` and `previous_calls`.
pub async fn api_create(
    State(state): State<AppState>,
    viewer: Viewer,
    body: Bytes,
) -> Result<Response, ApiError> {
    let changes = CallChanges::from_json(&json_object(&body)?)?;
    let record = open_call(&state, &viewer, changes).await?;
    Ok((StatusCode::CREATED, Json(call_json(&record))).into_response())
}

/// `GET /api/calls/{id}`: the call with its questions.
pub async fn api_get(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let record = record(&state, parse_id(&id, "call")?).await?;
    audit(&state, &viewer, "view", format!("call {}", record.call.id)).await;
    Ok(Json(call_json(&record)))
}

/// `PATCH /api/calls/{id}`: changes the fields given.
pub async fn api_update(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let id = parse_id(&id, "call")?;
    let changes = CallChanges::from_json(&json_object(&body)?)?;
    let record = change_call(&state, &viewer, id, changes).await?;
    Ok(Json(call_json(&record)))
}

/// `POST /api/calls/{id}/questions`: logs a caller question, optionally linked.
pub async fn api_add_question(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let id = parse_id(&id, "call")?;
    let input = question_input(&state, &json_object(&body)?)?;
    let question = log_question(&state, &viewer, id, input).await?;
    Ok((StatusCode::CREATED, Json(question_json(&question))).into_response())
}

/// `PUT /api/questions/{id}/answer`: links a question to an answer, or unlinks it with `null`.
pub async fn api_link(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let id = parse_id(&id, "question")?;
    let object = json_object(&body)?;
    if let Some(other) = object.keys().find(|k| *k != "answer") {
        return Err(ApiError::Invalid(format!("{other}: unknown field")));
    }
    let value = object
        .get("answer")
        .ok_or_else(|| ApiError::Invalid("answer: required (a slug, or null to unlink)".into()))?;
    let answer = known_answer(&state, "answer", value)?;
    let question = relink(&state, &viewer, id, answer).await?;
    Ok(Json(question_json(&question)))
}

/// Query of `GET /api/calls`.
#[derive(Debug, Deserialize)]
pub struct RangeParams {
    from: Option<String>,
    to: Option<String>,
}

fn local_midnight(date: NaiveDate) -> DateTime<Utc> {
    let naive = date.and_hms_opt(0, 0, 0).expect("midnight exists");
    Local
        .from_local_datetime(&naive)
        .earliest()
        .map_or_else(|| naive.and_utc(), |t| t.with_timezone(&Utc))
}

fn date_param(field: &str, value: Option<&str>, default: NaiveDate) -> Result<NaiveDate, ApiError> {
    match value {
        None | Some("") => Ok(default),
        Some(text) => NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map_err(|_| ApiError::Invalid(format!("{field}: expected a date such as 2026-11-28"))),
    }
}

/// `GET /api/calls?from=YYYY-MM-DD&to=YYYY-MM-DD`: calls of those days (local time, both
/// included; today by default), oldest first, with their questions.
pub async fn api_list(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(params): Query<RangeParams>,
) -> Result<Json<Value>, ApiError> {
    let today = Local::now().date_naive();
    let from = date_param("from", params.from.as_deref(), today)?;
    let to = date_param(
        "to",
        params.to.as_deref(),
        params.from.as_deref().map_or(today, |_| from.max(today)),
    )?;
    if to < from {
        return Err(ApiError::Invalid("to: must not be before from".into()));
    }
    if (to - from).num_days() > MAX_RANGE_DAYS {
        return Err(ApiError::Invalid(format!(
            "to: at most {MAX_RANGE_DAYS} days after from"
        )));
    }
    let end = to
        .succ_opt()
        .ok_or_else(|| ApiError::Invalid("to: too far in the future".into()))?;
    let store = Arc::clone(&state.app.store);
    let records = blocking(move || {
        let calls = store.calls_between(local_midnight(from), local_midnight(end))?;
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

// ---- pages and their plain forms ----

/// Filters of the calls list.
#[derive(Debug, Deserialize)]
pub struct ListParams {
    date: Option<String>,
    outcome: Option<String>,
    operator: Option<String>,
}

/// `GET /calls`: the day's calls, callbacks due first.
pub async fn list_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(params): Query<ListParams>,
) -> Response {
    let today = Local::now().date_naive();
    let date = date_param("date", params.date.as_deref(), today)
        .ok()
        .filter(|d| d.succ_opt().is_some())
        .unwrap_or(today);
    let outcome = params.outcome.as_deref().and_then(Outcome::parse);
    let operator = params.operator.clone().filter(|o| !o.trim().is_empty());
    let store = Arc::clone(&state.app.store);
    let op = operator.clone();
    let rows = blocking(move || {
        store.calls_overview(
            local_midnight(date),
            local_midnight(date.succ_opt().unwrap_or(date)),
            outcome,
            op.as_deref(),
        )
    })
    .await;
    if rows.is_ok() {
        audit(&state, &viewer, "view", format!("calls list {date}")).await;
    }
    match rows {
        Ok(rows) => views::calls::list(&viewer.ctx(), date, outcome, operator.as_deref(), &rows)
            .into_response(),
        Err(e) => e.page(&viewer.ctx()),
    }
}

/// Query of the new-call page: a phone exchange or a link may prefill the number.
#[derive(Debug, Deserialize)]
pub struct NewCallParams {
    phone: Option<String>,
}

/// `GET /calls/new`: the call card before the call is recorded.
pub async fn new_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(params): Query<NewCallParams>,
) -> Response {
    views::calls::new_call(
        &viewer.ctx(),
        &state.app.desk,
        params.phone.as_deref().unwrap_or(""),
    )
    .into_response()
}

/// Converts a submitted call card into changes. Checkbox and local times need care: an absent
/// checkbox is `false`, and `datetime-local` values are in the desk's local time.
fn form_changes(form: &HashMap<String, String>) -> Result<CallChanges, FieldError> {
    let mut object = Map::new();
    for (key, value) in form {
        let value = match key.as_str() {
            "potential_client" | "card" | "action" | paths::CSRF_FIELD => continue,
            // An empty choice leaves the kind to the store (earlier calls make it secondary).
            "kind" if value.is_empty() => continue,
            "callback_due" | "ended_at" | "started_at" => {
                match NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M") {
                    Ok(naive) => Value::String(
                        Local
                            .from_local_datetime(&naive)
                            .earliest()
                            .map_or_else(|| naive.and_utc(), |t| t.with_timezone(&Utc))
                            .to_rfc3339(),
                    ),
                    Err(_) => Value::String(value.clone()),
                }
            }
            _ => Value::String(value.clone()),
        };
        object.insert(key.clone(), value);
    }
    // The saved card has a checkbox (absent means no); the new card a choice that may be empty.
    let potential = match (
        form.contains_key("card"),
        form.get("potential_client").map(String::as_str),
    ) {
        (true, value) => Some(value.is_some()),
        (false, Some("on")) => Some(true),
        (false, Some("off")) => Some(false),
        (false, _) => None,
    };
    if let Some(p) = potential {
        object.insert("potential_client".into(), Value::Bool(p));
    }
    let mut changes = CallChanges::from_json(&object)?;
    if form.get("action").map(String::as_str) == Some("end") {
        changes.ended_at = Some(Some(Utc::now()));
    }
    Ok(changes)
}

/// `POST /calls`: records a call from the new-call card and opens its desk screen.
pub async fn create_form(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let changes = match form_changes(&form) {
        Ok(c) => c,
        Err(e) => return ApiError::from(e).page(&viewer.ctx()),
    };
    match open_call(&state, &viewer, changes).await {
        Ok(record) => Redirect::to(&paths::call_page(record.call.id)).into_response(),
        Err(e) => e.page(&viewer.ctx()),
    }
}

/// `POST /calls/{id}`: saves the call card.
pub async fn update_form(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let result = async {
        let id = parse_id(&id, "call")?;
        let changes = form_changes(&form)?;
        change_call(&state, &viewer, id, changes).await
    }
    .await;
    match result {
        Ok(record) => {
            if form.get("action").map(String::as_str) == Some("end") {
                Redirect::to(paths::CALLS_PAGE).into_response()
            } else {
                Redirect::to(&paths::call_page(record.call.id)).into_response()
            }
        }
        Err(e) => e.page(&viewer.ctx()),
    }
}

/// `POST /calls/{id}/questions`: logs a question from the plain form.
pub async fn add_question_form(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let result = async {
        let id = parse_id(&id, "call")?;
        let object: Map<String, Value> = form
            .iter()
            .filter(|(k, _)| matches!(k.as_str(), "text" | "answer"))
            .map(|(k, v)| (k.clone(), Value::String(v.clone())))
            .collect();
        let input = question_input(&state, &object)?;
        log_question(&state, &viewer, id, input).await?;
        Ok::<i64, ApiError>(id)
    }
    .await;
    match result {
        Ok(id) => Redirect::to(&format!("{}#questions", paths::call_page(id))).into_response(),
        Err(e) => e.page(&viewer.ctx()),
    }
}

/// `POST /questions/{id}/answer`: relinks a question from the plain form.
pub async fn link_form(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let result = async {
        let id = parse_id(&id, "question")?;
        let value = Value::String(form.get("answer").cloned().unwrap_or_default());
        let answer = known_answer(&state, "answer", &value)?;
        relink(&state, &viewer, id, answer).await
    }
    .await;
    match result {
        Ok(q) => {
            Redirect::to(&format!("{}#questions", paths::call_page(q.call_id))).into_response()
        }
        Err(e) => e.page(&viewer.ctx()),
    }
}

/// Typical questions for the buttons beside the box: answers most linked on calls of this
/// kind, then (to fill the row while history is thin) answers written for this audience.
fn typical_buttons(
    state: &AppState,
    store: &Store,
    kind: CallKind,
) -> anyhow::Result<Vec<(String, String)>> {
    let library = state.app.shelf.current();
    let mut out: Vec<(String, String)> = Vec::new();
    for (slug, _) in state
        .app
        .top_answers
        .get(store, kind, TYPICAL_WINDOW_DAYS, TYPICAL_BUTTONS)?
    {
        if let Some(answer) = library.knowledge.get(&slug) {
            out.push((answer.slug.clone(), answer.title.clone()));
        }
    }
    let audience = match kind {
        CallKind::Primary => Audience::Primary,
        CallKind::Secondary => Audience::Secondary,
    };
    for answer in library
        .knowledge
        .answers()
        .iter()
        .filter(|a| a.audience == audience)
    {
        if out.len() >= TYPICAL_BUTTONS {
            break;
        }
        if !out.iter().any(|(slug, _)| *slug == answer.slug) {
            out.push((answer.slug.clone(), answer.title.clone()));
        }
    }
    Ok(out)
}

/// `GET /calls/{id}`: the desk screen.
pub async fn desk_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Response {
    let result = async {
        let id = parse_id(&id, "call")?;
        let store = Arc::clone(&state.app.store);
        let st = state.clone();
        blocking(move || {
            let Some(record) = store.call(id)? else {
                return Ok(None);
            };
            let earlier = store.earlier_calls(id)?;
            let buttons = typical_buttons(&st, &store, record.call.kind)?;
            Ok(Some((record, earlier, buttons)))
        })
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no call {id}")))
    }
    .await;
    match result {
        Ok((record, earlier, buttons)) => {
            audit(&state, &viewer, "view", format!("call {}", record.call.id)).await;
            let library = state.app.shelf.current();
            views::calls::desk(
                &viewer.ctx(),
                &state.app.desk,
                &library.knowledge,
                &record,
                &earlier,
                &buttons,
            )
            .into_response()
        }
        Err(e) => e.page(&viewer.ctx()),
    }
}
