//! The calls API (which a phone exchange may also use to open a call with the caller's number):
//! each handler reads the request, makes one `actions::calls` call and answers JSON.

use super::error::{Error, Thing};
use super::extract::{parse_id, Fields, Viewer};
use super::{act, paths};
use crate::actions::calls;
use crate::calls::card::Seen;
use crate::calls::{CallChanges, CallerQuestion};
use crate::fields::{FieldError, FieldProblem};
use crate::views::json;
use crate::web::extract::Params;
use axum::extract::Path;
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

/// `POST /api/calls`: opens a call; `201` with the call, `returning` and `previous_calls`.
pub async fn create(viewer: Viewer, Fields(object): Fields) -> Result<Response, Error> {
    let changes = CallChanges::from_json(&object, &viewer.app.clock)?;
    let record = act(&viewer, move |app, actor| calls::open(app, actor, changes)).await?;
    Ok((StatusCode::CREATED, Json(json::call(&record))).into_response())
}

/// `GET /api/calls/{id}`: the call with its questions.
pub async fn read(viewer: Viewer, Path(id): Path<String>) -> Result<Json<Value>, Error> {
    let id = parse_id(&id, Thing::Call)?;
    let record = act(&viewer, move |app, actor| calls::read(app, actor, id)).await?;
    Ok(Json(json::call(&record)))
}

/// `PATCH /api/calls/{id}`: changes the fields given. With the `seen` of the call as read
/// (`GET` gives it), only the fields changed from what was read are written, and a field
/// someone else changed since, to another value, refuses the whole change (`409`).
pub async fn update(
    viewer: Viewer,
    Path(id): Path<String>,
    Fields(mut object): Fields,
) -> Result<Json<Value>, Error> {
    let id = parse_id(&id, Thing::Call)?;
    let seen = match object.remove(calls::SEEN_FIELD) {
        None | Some(Value::Null) => None,
        Some(value) => Some(
            value
                .as_str()
                .and_then(Seen::parse)
                .ok_or_else(|| FieldError::new(calls::SEEN_FIELD, FieldProblem::NotSeenToken))?,
        ),
    };
    let changes = CallChanges::from_json(&object, &viewer.app.clock)?;
    let record = act(&viewer, move |app, actor| {
        calls::change_seen(app, actor, id, changes, seen.as_ref())
    })
    .await?;
    Ok(Json(json::call(&record)))
}

/// After a change to a call's questions: the JSON the API answers, else back to the call's
/// questions on the desk.
fn after(uri: &Uri, call_id: i64, status: StatusCode, question: &CallerQuestion) -> Response {
    if super::is_api(uri.path()) {
        (status, Json(json::question(question))).into_response()
    } else {
        Redirect::to(&format!("{}#questions", paths::call_page(call_id))).into_response()
    }
}

/// `POST /api/calls/{id}/questions` (and the desk's plain form `POST /calls/{id}/questions`):
/// logs a caller question, optionally linked.
pub async fn add_question(
    viewer: Viewer,
    uri: Uri,
    Path(id): Path<String>,
    Fields(mut object): Fields,
) -> Result<Response, Error> {
    let id = parse_id(&id, Thing::Call)?;
    if !super::is_api(uri.path()) {
        object.retain(|k, _| matches!(k.as_str(), "text" | "answer"));
    }
    let question = act(&viewer, move |app, actor| {
        let q = calls::new_question(app, &object)?;
        calls::log_question(app, actor, id, q)
    })
    .await?;
    Ok(after(&uri, id, StatusCode::CREATED, &question))
}

/// `PUT /api/questions/{id}/answer` with `{"answer": "slug"}` or `null` (and the desk's plain
/// form `POST /questions/{id}/answer`): links a question to an answer, or unlinks it.
pub async fn link(
    viewer: Viewer,
    uri: Uri,
    Path(id): Path<String>,
    Fields(object): Fields,
) -> Result<Response, Error> {
    let id = parse_id(&id, Thing::Question)?;
    let question = act(&viewer, move |app, actor| {
        let answer = calls::link_field(app, &object)?;
        calls::relink(app, actor, id, answer.as_deref())
    })
    .await?;
    Ok(after(&uri, question.call_id, StatusCode::OK, &question))
}

/// `DELETE /api/questions/{id}` (and the desk's plain form `POST /questions/{id}/delete`): a
/// question logged by mistake goes.
pub async fn delete(viewer: Viewer, uri: Uri, Path(id): Path<String>) -> Result<Response, Error> {
    let id = parse_id(&id, Thing::Question)?;
    let question = act(&viewer, move |app, actor| {
        calls::delete_question(app, actor, id)
    })
    .await?;
    Ok(after(&uri, question.call_id, StatusCode::OK, &question))
}

/// Query of `GET /api/calls`.
#[derive(Debug, Deserialize)]
pub struct RangeParams {
    from: Option<String>,
    to: Option<String>,
}

/// `GET /api/calls?from=YYYY-MM-DD&to=YYYY-MM-DD`: calls of those days (the desk's days, both
/// included; today by default), oldest first, with their questions.
pub async fn list(
    viewer: Viewer,
    Params(params): Params<RangeParams>,
) -> Result<Json<Value>, Error> {
    let (from, to, records) = act(&viewer, move |app, actor| {
        calls::between(app, actor, params.from.as_deref(), params.to.as_deref())
    })
    .await?;
    Ok(Json(json!({
        "from": from.to_string(),
        "to": to.to_string(),
        "calls": records.iter().map(json::call).collect::<Vec<_>>(),
    })))
}

/// Query of `GET /api/caller`.
#[derive(Debug, Deserialize)]
pub struct CallerParams {
    phone: Option<String>,
    company: Option<String>,
    /// The exchange's call the card was opened from: its own record is no earlier call.
    exchange: Option<String>,
}

/// `GET /api/caller?phone=&company=[&exchange=]`: what the desk knows of a caller before the call is
/// recorded: `{"returning", "kind", "name", "company", "calls": [...], "callback"}`, the calls
/// newest first with their questions (each linked answer's title) and `manager_name`, and the caller's open
/// callback (`{"id", "due", "overdue", "owner"}`) if one was promised.
pub async fn caller(
    viewer: Viewer,
    Params(params): Params<CallerParams>,
) -> Result<Json<Value>, Error> {
    let (history, callback, managers) = act(&viewer, move |app, actor| {
        let history = calls::caller_for_card(
            app,
            actor,
            params.phone.as_deref(),
            params.company.as_deref(),
            params.exchange.as_deref(),
        )?;
        let callback = crate::actions::callbacks::open_for(app, params.phone.as_deref())?;
        Ok((history, callback, crate::actions::callbacks::managers(app)?))
    })
    .await?;
    let library = viewer.app.shelf.current();
    let now = viewer.app.clock.now();
    Ok(Json(json::caller(
        &history,
        callback.as_ref(),
        &library.knowledge,
        &managers,
        now,
    )))
}
