//! Reports for the head of sales (what callers ask, the desk figures) as pages, JSON and CSV;
//! the printable cheat sheet for every account; and the log of searches the desk's pages send.
//! Each handler makes one `actions::reports` (or `actions::search`) call.

use super::error::Error;
use super::extract::{Body, Viewer};
use super::{act, WebState};
use crate::actions::reports::{self, Asked};
use crate::actions::search;
use crate::fields::{FieldError, FieldProblem};
use crate::store::Chosen;
use crate::views;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

/// Query of the report pages and APIs; text throughout, so that a bad value is a clear `422`
/// naming the parameter.
#[derive(Debug, Default, Deserialize)]
pub struct ReportParams {
    from: Option<String>,
    to: Option<String>,
    kind: Option<String>,
    format: Option<String>,
}

async fn asked(state: &WebState, viewer: &Viewer, params: ReportParams) -> Result<Asked, Error> {
    act(state, viewer, move |app, _| {
        reports::asked(
            app,
            params.from.as_deref(),
            params.to.as_deref(),
            params.kind.as_deref(),
            params.format.as_deref(),
        )
    })
    .await
}

fn csv_file((name, body): (String, String)) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        body,
    )
        .into_response()
}

/// The question report as JSON, a page or a spreadsheet.
async fn questions(
    state: &WebState,
    viewer: &Viewer,
    asked: Asked,
    page: bool,
) -> Result<Response, Error> {
    if asked.csv {
        let t = state.texts;
        let file = act(state, viewer, move |app, actor| {
            reports::questions_csv(app, actor, asked, t)
        })
        .await?;
        return Ok(csv_file(file));
    }
    let report = act(state, viewer, move |app, _| reports::questions(app, asked)).await?;
    Ok(if page {
        views::reports::questions(&viewer.ctx(), &report, asked.kind).into_response()
    } else {
        Json(report).into_response()
    })
}

/// `GET /reports/questions`: the question frequency report as a page.
pub async fn questions_page(
    State(state): State<WebState>,
    viewer: Viewer,
    Query(params): Query<ReportParams>,
) -> Result<Response, Error> {
    let asked = asked(&state, &viewer, params).await?;
    questions(&state, &viewer, asked, true).await
}

/// `GET /api/reports/questions?from=&to=&kind=primary|secondary|all[&format=csv]`.
pub async fn api_questions(
    State(state): State<WebState>,
    viewer: Viewer,
    Query(params): Query<ReportParams>,
) -> Result<Response, Error> {
    let asked = asked(&state, &viewer, params).await?;
    questions(&state, &viewer, asked, false).await
}

/// The desk figures as JSON, a page or a spreadsheet.
async fn desk(
    state: &WebState,
    viewer: &Viewer,
    asked: Asked,
    page: bool,
) -> Result<Response, Error> {
    if asked.csv {
        let t = state.texts;
        let file = act(state, viewer, move |app, actor| {
            reports::desk_csv(app, actor, asked, t)
        })
        .await?;
        return Ok(csv_file(file));
    }
    let report = act(state, viewer, move |app, _| reports::desk(app, asked)).await?;
    Ok(if page {
        views::reports::desk(&viewer.ctx(), &report).into_response()
    } else {
        Json(report).into_response()
    })
}

/// `GET /reports/desk`: the desk figures as a page.
pub async fn desk_page(
    State(state): State<WebState>,
    viewer: Viewer,
    Query(params): Query<ReportParams>,
) -> Result<Response, Error> {
    let asked = asked(&state, &viewer, params).await?;
    desk(&state, &viewer, asked, true).await
}

/// `GET /api/reports/desk?from=&to=[&format=csv]`.
pub async fn api_desk(
    State(state): State<WebState>,
    viewer: Viewer,
    Query(params): Query<ReportParams>,
) -> Result<Response, Error> {
    if params.kind.is_some() {
        // The desk figures are of every call; a kind would be silently ignored.
        return Err(FieldError::new("kind", FieldProblem::Unknown).into());
    }
    let asked = asked(&state, &viewer, params).await?;
    desk(&state, &viewer, asked, false).await
}

/// `GET /cheatsheet`: what first-time callers ask most, with what to say, for printing.
pub async fn cheat_sheet(State(state): State<WebState>, viewer: Viewer) -> Result<Response, Error> {
    let sheet = act(&state, &viewer, |app, _| reports::cheat_sheet(app)).await?;
    Ok(views::reports::cheat_sheet(&viewer.ctx(), &sheet).into_response())
}

/// The body of `POST /api/search-log`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SearchLogBody {
    query: String,
    found: bool,
    #[serde(default)]
    chosen: Option<String>,
    #[serde(default)]
    id: Option<i64>,
}

/// `POST /api/search-log` with `{"query", "found": bool, "chosen": null|"opened"|"linked"|"logged"}`
/// logs a search as it stood, and answers `{"id"}`; with `"id"` of a search logged before (the
/// same words), records what was then done with it instead. Who the caller was is never logged.
pub async fn log_search(
    State(state): State<WebState>,
    viewer: Viewer,
    Body(body): Body<SearchLogBody>,
) -> Result<Json<Value>, Error> {
    const CHOSEN: &[&str] = &["opened", "linked", "logged"];
    let chosen = match body.chosen.as_deref() {
        None => None,
        Some(word) => Some(
            Chosen::parse(word)
                .ok_or_else(|| FieldError::new("chosen", FieldProblem::ExpectedOneOf(CHOSEN)))?,
        ),
    };
    if body.id.is_some_and(|id| id <= 0) {
        return Err(
            FieldError::new("id", FieldProblem::ExpectedNumber(1, i64::MAX as usize)).into(),
        );
    }
    let logged = search::Logged {
        query: body.query,
        found: body.found,
        chosen,
        earlier: body.id,
    };
    let id = act(&state, &viewer, move |app, _| search::log(app, &logged)).await?;
    Ok(Json(json!({ "id": id })))
}
