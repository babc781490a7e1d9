//! Callbacks as pages (a manager's list, one callback with the caller's questions and the
//! answers to speak from) and JSON, and the count the menu shows; each handler makes one
//! `actions::callbacks` call. The forms and the API share handlers where they share an action.

use super::error::{Error, Thing};
use super::extract::{parse_id, Input, Viewer};
use super::{act, is_api, paths, WebState};
use crate::actions::callbacks::{self, Shown, Try};
use crate::callbacks::parse_due;
use crate::fields::{FieldError, FieldProblem};
use crate::views;
use axum::extract::{Path, Query, State};
use axum::http::Uri;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

/// A callback as the API shows it.
fn callback_json(shown: &Shown, now: chrono::DateTime<chrono::Utc>) -> Value {
    let c = &shown.callback;
    let questions: Vec<Value> = shown
        .calls
        .iter()
        .flat_map(|r| &r.questions)
        .map(|q| json!({"text": q.text, "answer": q.answer, "asked_at": q.asked_at}))
        .collect();
    json!({
        "id": c.id,
        "call_ids": c.call_ids,
        "owner": c.owner,
        "due": c.due,
        "state": c.state.as_str(),
        "overdue": c.overdue(now),
        "created_at": c.created_at,
        "closed_at": c.closed_at,
        "called_again": c.called_again,
        "missed_calls": c.missed_calls,
        "lost_reason": c.lost_reason,
        "attempts": c.attempts,
        "caller": {"name": c.name, "phone": c.phone, "email": c.email, "company": c.company},
        "questions": questions,
    })
}

/// Query of the list: whose (`me`, a login, `all`, `none`) and which (`open`, `overdue`,
/// `done`, `lost`).
#[derive(Debug, Default, Deserialize)]
pub struct ListParams {
    owner: Option<String>,
    state: Option<String>,
    /// The callback an action was just recorded on (the page says so).
    saved: Option<i64>,
}

/// `GET /callbacks`: the signed-in manager's callbacks, overdue first; a head's everyone's.
pub async fn list_page(
    State(state): State<WebState>,
    viewer: Viewer,
    Query(mut params): Query<ListParams>,
) -> Result<Response, Error> {
    // A head opens everyone's; a manager their own.
    if params.owner.is_none() && viewer.ctx().allows(crate::accounts::Role::Head) {
        params.owner = Some("all".into());
    }
    let (owner, which, saved) = (params.owner.clone(), params.state.clone(), params.saved);
    let (list, managers, saved) = act(&state, &viewer, move |app, actor| {
        let list = callbacks::list(app, actor, owner.as_deref(), which.as_deref())?;
        let saved = saved.and_then(|id| callbacks::one(app, actor, id).ok());
        Ok((list, callbacks::managers(app)?, saved))
    })
    .await?;
    let filter = views::callbacks::Filter {
        owner: params.owner.as_deref().unwrap_or("me"),
        state: params.state.as_deref().unwrap_or("open"),
    };
    let library = state.app.shelf.current();
    Ok(views::callbacks::list(
        &viewer.ctx(),
        &list,
        &managers,
        filter,
        &library.knowledge,
        saved.as_ref().map(|s| &s.callback),
    )
    .into_response())
}

/// `GET /api/callbacks?owner=me|LOGIN|all|none&state=open|overdue|done|lost`.
pub async fn api_list(
    State(state): State<WebState>,
    viewer: Viewer,
    Query(params): Query<ListParams>,
) -> Result<Json<Value>, Error> {
    let list = act(&state, &viewer, move |app, actor| {
        callbacks::list(app, actor, params.owner.as_deref(), params.state.as_deref())
    })
    .await?;
    let now = state.app.clock.now();
    Ok(Json(
        json!({"callbacks": list.iter().map(|s| callback_json(s, now)).collect::<Vec<_>>()}),
    ))
}

/// `GET /callbacks/{id}` (the page) and `GET /api/callbacks/{id}`.
pub async fn one(
    State(state): State<WebState>,
    viewer: Viewer,
    uri: Uri,
    Path(id): Path<String>,
) -> Result<Response, Error> {
    let id = parse_id(&id, Thing::Callback)?;
    let (shown, managers, presets) = act(&state, &viewer, move |app, actor| {
        Ok((
            callbacks::one(app, actor, id)?,
            callbacks::managers(app)?,
            callbacks::presets(app),
        ))
    })
    .await?;
    if is_api(uri.path()) {
        return Ok(Json(callback_json(&shown, state.app.clock.now())).into_response());
    }
    let library = state.app.shelf.current();
    Ok(views::callbacks::one(
        &viewer.ctx(),
        &shown,
        &managers,
        &presets,
        &library.knowledge,
    )
    .into_response())
}

/// A due time as typed (a preset's value, `15:30`, `04.12 10:00`, RFC 3339), in `field`.
fn due_of(
    state: &WebState,
    field: &str,
    text: Option<&str>,
) -> Result<Option<chrono::DateTime<chrono::Utc>>, Error> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(t) => parse_due(t, &state.app.clock)
            .map(Some)
            .ok_or_else(|| FieldError::new(field, FieldProblem::ExpectedTime).into()),
    }
}

/// `{"result": "reached"|"no_answer"|"lost", "note", "next_due"?, "reason"?, "open_call"?}`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttemptBody {
    result: String,
    #[serde(default)]
    note: Option<String>,
    #[serde(default)]
    next_due: Option<String>,
    #[serde(default)]
    reason: Option<String>,
    #[serde(default)]
    open_call: Option<Value>,
}

/// `POST /api/callbacks/{id}/attempts` (and the page's form): what came of a try.
pub async fn attempt(
    State(state): State<WebState>,
    viewer: Viewer,
    uri: Uri,
    Path(id): Path<String>,
    Input(body): Input<AttemptBody>,
) -> Result<Response, Error> {
    let id = parse_id(&id, Thing::Callback)?;
    let t = Try {
        next_due: due_of(&state, "next_due", body.next_due.as_deref())?,
        result: body.result,
        note: body.note,
        reason: body.reason.filter(|r| !r.is_empty()),
        open_call: matches!(body.open_call, Some(Value::Bool(true)))
            || body.open_call.as_ref().and_then(Value::as_str) == Some("on"),
    };
    let (callback, opened) = act(&state, &viewer, move |app, actor| {
        callbacks::attempt(app, actor, id, &t)
    })
    .await?;
    if is_api(uri.path()) {
        let shown = Shown {
            callback,
            calls: Vec::new(),
        };
        let mut value = callback_json(&shown, state.app.clock.now());
        value["opened_call"] = json!(opened);
        return Ok(Json(value).into_response());
    }
    Ok(match opened {
        Some(call) => Redirect::to(&paths::call_page(call)).into_response(),
        None => Redirect::to(&format!("{}?saved={}", paths::CALLBACKS_PAGE, callback.id))
            .into_response(),
    })
}

/// `{"owner"?, "due"?}`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChangeBody {
    #[serde(default)]
    owner: Option<String>,
    #[serde(default)]
    due: Option<String>,
}

/// `PATCH /api/callbacks/{id}` with `{"owner"?, "due"?}` (and the page's form): handed over to
/// another manager, or due at another time.
pub async fn change(
    State(state): State<WebState>,
    viewer: Viewer,
    uri: Uri,
    Path(id): Path<String>,
    Input(body): Input<ChangeBody>,
) -> Result<Response, Error> {
    let id = parse_id(&id, Thing::Callback)?;
    let due = due_of(&state, "due", body.due.as_deref())?;
    let owner = body.owner.filter(|o| !o.trim().is_empty());
    let callback = act(&state, &viewer, move |app, actor| {
        callbacks::change(app, actor, id, owner.as_deref(), due)
    })
    .await?;
    if is_api(uri.path()) {
        let shown = Shown {
            callback,
            calls: Vec::new(),
        };
        return Ok(Json(callback_json(&shown, state.app.clock.now())).into_response());
    }
    Ok(Redirect::to(&paths::with_id(paths::CALLBACK_PAGE, id)).into_response())
}

/// `GET /api/callbacks-count`: `{"open", "overdue"}` of the signed-in person's callbacks.
pub async fn count(State(state): State<WebState>, viewer: Viewer) -> Result<Json<Value>, Error> {
    let (open, overdue) = act(&state, &viewer, callbacks::counts).await?;
    Ok(Json(json!({"open": open, "overdue": overdue})))
}

/// `POST /calls/{id}/callback/close` (and `/api/...`): the caller's open callback closed from
/// the desk, since they were helped on this call.
pub async fn close_from_call(
    State(state): State<WebState>,
    viewer: Viewer,
    uri: Uri,
    Path(id): Path<String>,
) -> Result<Response, Error> {
    let call = parse_id(&id, Thing::Call)?;
    let callback = act(&state, &viewer, move |app, actor| {
        callbacks::close_from_call(app, actor, call)
    })
    .await?;
    if is_api(uri.path()) {
        let shown = Shown {
            callback,
            calls: Vec::new(),
        };
        return Ok(Json(callback_json(&shown, state.app.clock.now())).into_response());
    }
    Ok(Redirect::to(&paths::call_page(call)).into_response())
}
