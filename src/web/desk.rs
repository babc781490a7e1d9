//! The desk's pages: the list of the day's calls, the new-call card, the desk screen of one call,
//! and the plain forms that work without JavaScript. Changes go through the same paths as the
//! calls API (`super::calls`).

use super::calls::{
    change_call, date_param, delete_question, known_answer, log_question, new_question, open_call,
    relink,
};
use super::error::{Error, Thing};
use super::extract::{parse_id, Viewer};
use super::{audit, blocking, paths, WebState};
use crate::calls::{CallChanges, CallRecord, Outcome};
use crate::clock::Clock;
use crate::fields::FieldError;
use crate::views;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use chrono::NaiveDateTime;
use serde::Deserialize;
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::sync::Arc;

/// Filters of the calls list.
#[derive(Debug, Deserialize)]
pub struct ListParams {
    date: Option<String>,
    outcome: Option<String>,
    operator: Option<String>,
}

/// `GET /calls`: the day's calls, callbacks due first.
pub async fn list_page(
    State(state): State<WebState>,
    viewer: Viewer,
    Query(params): Query<ListParams>,
) -> Result<Response, Error> {
    let clock = state.app.clock;
    let today = clock.today();
    let date = date_param("date", params.date.as_deref(), today)
        .ok()
        .filter(|d| d.succ_opt().is_some())
        .unwrap_or(today);
    let (start, end) = clock.days(date, date).unwrap_or((clock.now(), clock.now()));
    let outcome = params.outcome.as_deref().and_then(Outcome::parse);
    let operator = params.operator.clone().filter(|o| !o.trim().is_empty());
    let store = Arc::clone(&state.app.store);
    let op = operator.clone();
    let rows = blocking(move || store.calls_overview(start, end, outcome, op.as_deref())).await?;
    audit(&state, &viewer, "view", format!("calls list {date}")).await;
    Ok(
        views::calls::list(&viewer.ctx(), date, outcome, operator.as_deref(), &rows)
            .into_response(),
    )
}

/// Query of the new-call page: a phone exchange or a link may prefill the number.
#[derive(Debug, Deserialize)]
pub struct NewCallParams {
    phone: Option<String>,
}

/// `GET /calls/new`: the call card before the call is recorded.
pub async fn new_page(
    State(state): State<WebState>,
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
/// checkbox is `false`, and `datetime-local` values are in the desk's time zone.
fn form_changes(form: &HashMap<String, String>, clock: &Clock) -> Result<CallChanges, FieldError> {
    let mut object = Map::new();
    for (key, value) in form {
        let value = match key.as_str() {
            "potential_client"
            | "callback_done"
            | "card"
            | "action"
            | "question"
            | paths::CSRF_FIELD => continue,
            // Left empty, the logged-in operator is recorded (the API's default).
            "operator" if value.trim().is_empty() => continue,
            // An empty choice leaves the kind to the store (earlier calls make it secondary).
            "kind" if value.is_empty() => continue,
            "callback_due" | "ended_at" | "started_at" => {
                match NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M") {
                    Ok(naive) => Value::String(clock.from_local(naive).to_rfc3339()),
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
        changes.ended_at = Some(Some(clock.now()));
    }
    Ok(changes)
}

/// `POST /calls`: records a call from the new-call card, with the caller's first question if
/// one was typed, and opens its desk screen.
pub async fn create_form(
    State(state): State<WebState>,
    viewer: Viewer,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, Error> {
    let changes = form_changes(&form, &state.app.clock)?;
    let question = match form
        .get("question")
        .map(|q| q.trim())
        .filter(|q| !q.is_empty())
    {
        Some(text) => {
            let object = Map::from_iter([("text".to_string(), Value::String(text.to_string()))]);
            Some(new_question(&state, &object)?)
        }
        None => None,
    };
    let record = open_call(&state, &viewer, changes).await?;
    if let Some(q) = question {
        log_question(&state, &viewer, record.call.id, q).await?;
    }
    Ok(Redirect::to(&paths::call_page(record.call.id)).into_response())
}

/// `POST /questions`: logs a question from the search page, unanswered, on one of the
/// operator's open calls or on a new one; then opens that call.
pub async fn log_unanswered(
    State(state): State<WebState>,
    viewer: Viewer,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, Error> {
    let object = Map::from_iter([(
        "text".to_string(),
        Value::String(form.get("text").cloned().unwrap_or_default()),
    )]);
    let question = new_question(&state, &object)?;
    let call = match form.get("call").map(String::as_str) {
        None | Some("") | Some("new") => {
            open_call(&state, &viewer, CallChanges::default())
                .await?
                .call
                .id
        }
        Some(id) => parse_id(id, Thing::Call)?,
    };
    log_question(&state, &viewer, call, question).await?;
    Ok(Redirect::to(&format!("{}#questions", paths::call_page(call))).into_response())
}

/// `POST /calls/{id}`: saves the call card.
pub async fn update_form(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, Error> {
    let id = parse_id(&id, Thing::Call)?;
    let mut changes = form_changes(&form, &state.app.clock)?;
    if form.contains_key("card") {
        // The checkbox says whether the callback was made; the time is when it was first ticked.
        let store = Arc::clone(&state.app.store);
        let was = blocking(move || store.call(id))
            .await?
            .ok_or_else(|| Error::not_found(Thing::Call, id))?
            .call
            .callback_done_at;
        match (form.contains_key("callback_done"), was) {
            (true, None) => changes.callback_done_at = Some(Some(state.app.clock.now())),
            (false, Some(_)) => changes.callback_done_at = Some(None),
            _ => {}
        }
    }
    let record = change_call(&state, &viewer, id, changes).await?;
    Ok(if form.get("action").map(String::as_str) == Some("end") {
        Redirect::to(paths::CALLS_PAGE).into_response()
    } else {
        Redirect::to(&paths::call_page(record.call.id)).into_response()
    })
}

/// `POST /calls/{id}/questions`: logs a question from the plain form.
pub async fn add_question_form(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, Error> {
    let id = parse_id(&id, Thing::Call)?;
    let object: Map<String, Value> = form
        .iter()
        .filter(|(k, _)| matches!(k.as_str(), "text" | "answer"))
        .map(|(k, v)| (k.clone(), Value::String(v.clone())))
        .collect();
    let input = new_question(&state, &object)?;
    log_question(&state, &viewer, id, input).await?;
    Ok(Redirect::to(&format!("{}#questions", paths::call_page(id))).into_response())
}

/// `POST /questions/{id}/answer`: relinks a question from the plain form.
pub async fn link_form(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, Error> {
    let id = parse_id(&id, Thing::Question)?;
    let value = Value::String(form.get("answer").cloned().unwrap_or_default());
    let answer = known_answer(&state, "answer", &value)?;
    let q = relink(&state, &viewer, id, answer).await?;
    Ok(Redirect::to(&format!("{}#questions", paths::call_page(q.call_id))).into_response())
}

/// `POST /questions/{id}/delete`: deletes a question from the plain form.
pub async fn delete_form(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, Error> {
    let id = parse_id(&id, Thing::Question)?;
    let q = delete_question(&state, &viewer, id).await?;
    Ok(Redirect::to(&format!("{}#questions", paths::call_page(q.call_id))).into_response())
}

/// `GET /calls/{id}`: the desk screen.
pub async fn desk_page(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, Error> {
    let id = parse_id(&id, Thing::Call)?;
    let app = Arc::clone(&state.app);
    let (record, earlier, buttons) = blocking(move || {
        let Some(record) = app.store.call(id)? else {
            return Ok(None);
        };
        let earlier = app.store.earlier_calls(id)?;
        let library = app.shelf.current();
        let buttons =
            app.frequent
                .buttons(&library, &app.store, record.call.kind, app.clock.now())?;
        Ok(Some((record, earlier, buttons)))
    })
    .await?
    .ok_or_else(|| Error::not_found(Thing::Call, id))?;
    audit(&state, &viewer, "view", format!("call {}", record.call.id)).await;
    let library = state.app.shelf.current();
    // A name or company that equals an earlier call's was proposed from it.
    let same = |pick: fn(&CallRecord) -> &Option<String>| {
        pick(&record).is_some() && earlier.iter().any(|r| pick(r) == pick(&record))
    };
    let proposed = views::calls::Proposed {
        name: same(|r| &r.call.name),
        company: same(|r| &r.call.company),
    };
    Ok(views::calls::desk(
        &viewer.ctx(),
        &state.app.desk,
        &library.knowledge,
        &record,
        &earlier,
        &buttons,
        &proposed,
    )
    .into_response())
}
