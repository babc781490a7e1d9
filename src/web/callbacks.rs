//! Callbacks as pages (a manager's list, one callback with the caller's questions and the
//! answers to speak from) and JSON, and the count the menu shows; each handler makes one
//! `actions::callbacks` call. The forms and the API share handlers where they share an action.

use super::error::{Error, Thing};
use super::extract::{parse_id, Input, Viewer};
use super::{act, is_api, paths};
use crate::actions::callbacks::{self, Try};
use crate::views::{self, json};
use crate::web::extract::Params;
use axum::extract::Path;
use axum::http::Uri;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

/// Query of the list: whose (`me`, a login, `all`, `none`) and which (`open`, `overdue`,
/// `done`, `lost`).
#[derive(Debug, Default, Deserialize)]
pub struct ListParams {
    owner: Option<String>,
    state: Option<String>,
    /// The callback an action was just recorded on (the page says so).
    saved: Option<i64>,
    /// The callback just handed over, and to whom (`to`): no longer the manager's to open.
    handed: Option<i64>,
    to: Option<String>,
    /// A desk report figure's callbacks: promised from this day (to `to`, which then is a
    /// day), of this kind (`promised`, `in_time`, `late`, `open`, `lost`).
    from: Option<String>,
    counted: Option<String>,
}

/// `GET /callbacks`: the signed-in manager's callbacks, overdue first; a head's everyone's.
pub async fn list_page(
    viewer: Viewer,
    headers: axum::http::HeaderMap,
    Params(mut params): Params<ListParams>,
) -> Result<Response, Error> {
    // A head opens everyone's; a manager their own.
    if params.owner.is_none() && viewer.ctx().allows(crate::accounts::Role::Head) {
        params.owner = Some("all".into());
    }
    let (owner, which, saved) = (params.owner.clone(), params.state.clone(), params.saved);
    let (from, to, counted) = (
        params.from.clone(),
        params.to.clone(),
        params.counted.clone(),
    );
    let (list, managers, people, saved) = act(&viewer, move |app, actor| {
        let list = match &from {
            Some(from) => callbacks::counted(
                app,
                actor,
                from,
                to.as_deref(),
                owner.as_deref(),
                counted.as_deref(),
            )?,
            None => callbacks::list(app, actor, owner.as_deref(), which.as_deref())?,
        };
        let saved = saved.and_then(|id| callbacks::one(app, actor, id).ok());
        Ok((
            list,
            callbacks::managers(app)?,
            app.store.accounts()?,
            saved,
        ))
    })
    .await?;
    let back = params
        .from
        .as_deref()
        .map(|from| super::reports::back_to_report(&headers, from, params.to.as_deref()));
    let drill = params.from.as_deref().map(|from| views::callbacks::Drill {
        from,
        to: params.to.as_deref().unwrap_or(from),
        counted: params.counted.as_deref().unwrap_or("promised"),
        back: back.as_deref().unwrap_or(paths::DESK_REPORT_PAGE),
    });
    let filter = views::callbacks::Filter {
        owner: params.owner.as_deref().unwrap_or("me"),
        state: params.state.as_deref().unwrap_or("open"),
        drill,
    };
    let library = viewer.app.shelf.current();
    let notice = match (&saved, params.handed, params.to.as_deref()) {
        (Some(s), _, _) => Some(views::callbacks::Notice::Saved(&s.callback)),
        (None, Some(id), Some(to)) if params.from.is_none() => {
            Some(views::callbacks::Notice::Handed(id, to))
        }
        _ => None,
    };
    Ok(views::callbacks::list(
        &viewer.ctx(),
        &list,
        &managers,
        filter,
        &library.knowledge,
        notice,
        &people,
    )
    .into_response())
}

/// `GET /api/callbacks?owner=me|LOGIN|all|none&state=open|overdue|done|lost`; with
/// `from=YYYY-MM-DD[&to=...]&counted=promised|in_time|late|open|lost`, the callbacks behind a
/// figure of the desk report.
pub async fn api_list(
    viewer: Viewer,
    Params(params): Params<ListParams>,
) -> Result<Json<Value>, Error> {
    let list = act(&viewer, move |app, actor| match &params.from {
        Some(from) => callbacks::counted(
            app,
            actor,
            from,
            params.to.as_deref(),
            params.owner.as_deref(),
            params.counted.as_deref(),
        ),
        None => callbacks::list(app, actor, params.owner.as_deref(), params.state.as_deref()),
    })
    .await?;
    let now = viewer.app.clock.now();
    Ok(Json(
        json!({"callbacks": list.iter().map(|s| json::shown_callback(s, now)).collect::<Vec<_>>()}),
    ))
}

/// Query of a callback's page: `saved` after its manager or due time changed.
#[derive(Debug, Default, Deserialize)]
pub struct OneParams {
    saved: Option<String>,
}

/// `GET /callbacks/{id}` (the page) and `GET /api/callbacks/{id}`.
pub async fn one(
    viewer: Viewer,
    uri: Uri,
    Path(id): Path<String>,
    Params(params): Params<OneParams>,
) -> Result<Response, Error> {
    let id = parse_id(&id, Thing::Callback)?;
    let (shown, managers, presets, people) = act(&viewer, move |app, actor| {
        Ok((
            callbacks::one(app, actor, id)?,
            callbacks::managers(app)?,
            callbacks::presets(app),
            app.store.accounts()?,
        ))
    })
    .await?;
    if is_api(uri.path()) {
        return Ok(Json(json::shown_callback(&shown, viewer.app.clock.now())).into_response());
    }
    let library = viewer.app.shelf.current();
    Ok(views::callbacks::one(
        &viewer.ctx(),
        &shown,
        &managers,
        &presets,
        &library.knowledge,
        params.saved.is_some(),
        &people,
    )
    .into_response())
}

/// `GET /api/callbacks/{id}/standing`: `{"id", "owner", "owner_name", "due", "state",
/// "attempts", "called_again", "missed_calls"}`, nothing of the caller; a manager it is no
/// longer theirs is refused `403` with whose it is now.
pub async fn standing(viewer: Viewer, Path(id): Path<String>) -> Result<Json<Value>, Error> {
    let id = parse_id(&id, Thing::Callback)?;
    let (c, owner_name) = act(&viewer, move |app, actor| {
        callbacks::standing(app, actor, id)
    })
    .await?;
    Ok(Json(json!({
        "id": c.id,
        "owner": c.owner,
        "owner_name": owner_name,
        "due": c.due,
        "state": c.state.as_str(),
        "attempts": c.attempts.len(),
        "called_again": c.called_again,
        "missed_calls": c.missed_calls,
    })))
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
    viewer: Viewer,
    uri: Uri,
    Path(id): Path<String>,
    Input(body): Input<AttemptBody>,
) -> Result<Response, Error> {
    let id = parse_id(&id, Thing::Callback)?;
    let open_call = matches!(body.open_call, Some(Value::Bool(true)))
        || body.open_call.as_ref().and_then(Value::as_str) == Some("on");
    let (callback, opened) = act(&viewer, move |app, actor| {
        let t = Try {
            next_due: callbacks::due_field(app, "next_due", body.next_due.as_deref())?,
            result: body.result,
            note: body.note,
            reason: body.reason.filter(|r| !r.is_empty()),
            open_call,
        };
        callbacks::attempt(app, actor, id, &t)
    })
    .await?;
    if is_api(uri.path()) {
        let mut value = json::callback(&callback, &[], viewer.app.clock.now());
        value["opened_call"] = json!(opened);
        value["follow_up_call_ids"] = json!(Vec::from_iter(opened));
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
    viewer: Viewer,
    uri: Uri,
    Path(id): Path<String>,
    Input(body): Input<ChangeBody>,
) -> Result<Response, Error> {
    let id = parse_id(&id, Thing::Callback)?;
    let owner = body.owner.filter(|o| !o.trim().is_empty());
    let callback = act(&viewer, move |app, actor| {
        let due = callbacks::due_field(app, "due", body.due.as_deref())?;
        callbacks::change(app, actor, id, owner.as_deref(), due)
    })
    .await?;
    if is_api(uri.path()) {
        return Ok(Json(json::callback(&callback, &[], viewer.app.clock.now())).into_response());
    }
    // Handed over by a manager: it is no longer theirs to open, so back to their list.
    let actor = viewer.actor();
    let still_theirs = actor.person.is_some() && callback.owner == actor.person;
    if !still_theirs && !actor.role.allows(crate::accounts::Role::Head) {
        let to = paths::encode_component(callback.owner.as_deref().unwrap_or(""));
        let list = format!("{}?handed={id}&to={to}", paths::CALLBACKS_PAGE);
        return Ok(Redirect::to(&list).into_response());
    }
    let page = format!("{}?saved=terms", paths::with_id(paths::CALLBACK_PAGE, id));
    Ok(Redirect::to(&page).into_response())
}

/// `GET /api/callbacks-count`: `{"open", "overdue"}` of the signed-in person's callbacks.
pub async fn count(viewer: Viewer) -> Result<Json<Value>, Error> {
    let (open, overdue) = act(&viewer, callbacks::counts).await?;
    Ok(Json(json!({"open": open, "overdue": overdue})))
}

/// Query of `GET /api/due`: a due time as typed.
#[derive(Debug, Deserialize)]
pub struct DueParams {
    text: String,
}

/// `GET /api/due?text=…`: how a due time typed on a card or a callback's page is read before
/// it is saved: `{"due", "said", "off_hours"}`, `said` in the viewer's words with the day of the
/// week («пт 04.12.2026 10:00»), and the desk's warning when it falls outside its hours; or
/// `{"problem"}`, why saving it would refuse it (a reading, not a change refused: `200`).
pub async fn due(viewer: Viewer, Params(p): Params<DueParams>) -> Result<Json<Value>, Error> {
    let t = viewer.texts;
    let (due, off_hours) = match act(&viewer, move |app, _| callbacks::read_due(app, &p.text)).await
    {
        Ok(read) => read,
        Err(Error::Invalid(e)) => {
            return Ok(Json(json!({"problem": t.field_problem(&e.problem)})));
        }
        Err(e) => return Err(e),
    };
    let clock = &viewer.app.clock;
    let said = format!(
        "{} {}",
        t.weekday(chrono::Datelike::weekday(&clock.local(due))),
        t.moment(clock.local(due))
    );
    let said = if off_hours {
        crate::i18n::Texts::fill(t.off_hours_note, &[&said])
    } else {
        said
    };
    Ok(Json(
        json!({"due": due, "said": said, "off_hours": off_hours}),
    ))
}

/// `POST /calls/{id}/callback/close` (and `/api/...`): the caller's open callback closed from
/// the desk, since they were helped on this call.
pub async fn close_from_call(
    viewer: Viewer,
    uri: Uri,
    Path(id): Path<String>,
) -> Result<Response, Error> {
    let call = parse_id(&id, Thing::Call)?;
    let callback = act(&viewer, move |app, actor| {
        callbacks::close_from_call(app, actor, call)
    })
    .await?;
    if is_api(uri.path()) {
        return Ok(Json(json::callback(&callback, &[], viewer.app.clock.now())).into_response());
    }
    let page = format!("{}?saved=callback", paths::call_page(call));
    Ok(Redirect::to(&page).into_response())
}
