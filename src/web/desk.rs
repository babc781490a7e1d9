//! The desk's pages: the list of the day's calls, the new-call card, the desk screen of one call,
//! and the plain forms that work without JavaScript. Changes are the same `actions::calls` as
//! the calls API's.

use super::error::{Error, Thing};
use super::extract::{parse_id, Viewer};
use super::{act, paths, WebState};
use crate::actions::calls;
use crate::calls::{CallChanges, Outcome};
use crate::views;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::Deserialize;

use std::collections::HashMap;

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
    let outcome = params.outcome.as_deref().and_then(Outcome::parse);
    let operator = params.operator.clone().filter(|o| !o.trim().is_empty());
    let op = operator.clone();
    let (date, rows) = act(&state, &viewer, move |app, actor| {
        calls::day(app, actor, params.date.as_deref(), outcome, op.as_deref())
    })
    .await?;
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

/// `POST /calls`: records a call from the new-call card, with the caller's first question if
/// one was typed, and opens its desk screen.
pub async fn create_form(
    State(state): State<WebState>,
    viewer: Viewer,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, Error> {
    let changes = CallChanges::from_card(&form, &state.app.clock)?;
    let question = form.get("question").cloned();
    let record = act(&state, &viewer, move |app, actor| {
        calls::open_with_question(app, actor, changes, question.as_deref())
    })
    .await?;
    Ok(Redirect::to(&paths::call_page(record.call.id)).into_response())
}

/// `POST /questions`: logs a question from the search page, unanswered, on one of the
/// operator's open calls or on a new one; then opens that call.
pub async fn log_unanswered(
    State(state): State<WebState>,
    viewer: Viewer,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, Error> {
    let text = form.get("text").cloned().unwrap_or_default();
    let call = match form.get("call").map(String::as_str) {
        None | Some("") | Some("new") => None,
        Some(id) => Some(parse_id(id, Thing::Call)?),
    };
    let call = act(&state, &viewer, move |app, actor| {
        calls::log_unanswered(app, actor, call, &text)
    })
    .await?;
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
    let changes = CallChanges::from_card(&form, &state.app.clock)?;
    // The card's checkbox says whether the callback was made.
    let card = form
        .contains_key("card")
        .then(|| form.contains_key("callback_done"));
    let record = act(&state, &viewer, move |app, actor| match card {
        Some(done) => calls::save_card(app, actor, id, changes, done),
        None => calls::change(app, actor, id, changes),
    })
    .await?;
    Ok(if form.get("action").map(String::as_str) == Some("end") {
        Redirect::to(paths::CALLS_PAGE).into_response()
    } else {
        Redirect::to(&paths::call_page(record.call.id)).into_response()
    })
}

/// `GET /calls/{id}`: the desk screen.
pub async fn desk_page(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, Error> {
    let id = parse_id(&id, Thing::Call)?;
    let screen = act(&state, &viewer, move |app, actor| {
        calls::desk(app, actor, id)
    })
    .await?;
    let library = state.app.shelf.current();
    let proposed = views::calls::Proposed {
        name: screen.name_proposed,
        company: screen.company_proposed,
    };
    Ok(views::calls::desk(
        &viewer.ctx(),
        &state.app.desk,
        &library.knowledge,
        &screen.record,
        &screen.earlier,
        &screen.buttons,
        &proposed,
    )
    .into_response())
}
