//! Reports for the head of sales (what callers ask, the desk figures) as pages, JSON and CSV;
//! the printable cheat sheet for every account; and the log of searches the desk's pages send.
//! Each handler makes one `actions::reports` (or `actions::search`) call.

use super::error::Error;
use super::extract::{Body, Viewer};
use super::{act, is_api};
use crate::actions::reports::{self, Asked};
use crate::actions::search;
use crate::fields::{FieldError, FieldProblem};
use crate::store::Chosen;
use crate::views;
use crate::web::extract::Params;
use axum::http::{header, Uri};
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

async fn asked(viewer: &Viewer, params: ReportParams) -> Result<Asked, Error> {
    act(viewer, move |app, _| {
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

/// What a report page asks for; a period refused on a page (not the API, not a CSV) is said
/// beside the period form as typed, as a `422` page of the report (`desk`: the desk figures).
async fn asked_or_refused(
    viewer: &Viewer,
    uri: &Uri,
    params: ReportParams,
    desk: bool,
) -> Result<Result<Asked, Response>, Error> {
    let (from, to, kind) = (params.from.clone(), params.to.clone(), params.kind.clone());
    let page = !is_api(uri.path()) && params.format.is_none();
    match asked(viewer, params).await {
        Ok(asked) => Ok(Ok(asked)),
        Err(Error::Invalid(error)) if page => {
            let shown = views::reports::period_refused(
                &viewer.ctx(),
                desk,
                (
                    from.as_deref().unwrap_or(""),
                    to.as_deref().unwrap_or(""),
                    kind.as_deref(),
                ),
                &error,
            );
            Ok(Err(
                (axum::http::StatusCode::UNPROCESSABLE_ENTITY, shown).into_response()
            ))
        }
        Err(e) => Err(e),
    }
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

/// `GET /reports/questions` (the page) and
/// `GET /api/reports/questions?from=&to=&kind=primary|secondary|all[&format=csv]`: the
/// question frequency report as a page, JSON or a spreadsheet.
pub async fn questions(
    viewer: Viewer,
    uri: Uri,
    Params(params): Params<ReportParams>,
) -> Result<Response, Error> {
    let asked = match asked_or_refused(&viewer, &uri, params, false).await? {
        Ok(asked) => asked,
        Err(page) => return Ok(page),
    };
    if asked.csv {
        let t = viewer.texts;
        let file = act(&viewer, move |app, actor| {
            reports::questions_csv(app, actor, asked, t)
        });
        return Ok(csv_file(file.await?));
    }
    let report = act(&viewer, move |app, _| reports::questions(app, asked)).await?;
    Ok(match is_api(uri.path()) {
        true => Json(report).into_response(),
        false => views::reports::questions(&viewer.ctx(), &report, asked.kind).into_response(),
    })
}

/// Query of the questions behind a row of the questions report.
#[derive(Debug, Default, Deserialize)]
pub struct BehindParams {
    from: Option<String>,
    to: Option<String>,
    kind: Option<String>,
    key: Option<String>,
}

/// `GET /reports/questions/behind?from=&to=&kind=&key=answer:SLUG|group:ID`: the questions a
/// row of the questions report counts, each with its call and how it is counted there.
pub async fn questions_behind(
    viewer: Viewer,
    Params(params): Params<BehindParams>,
) -> Result<Response, Error> {
    let behind = act(&viewer, move |app, actor| {
        let asked = reports::asked(
            app,
            params.from.as_deref(),
            params.to.as_deref(),
            params.kind.as_deref(),
            None,
        )?;
        let key = params.key.as_deref().map(str::trim).unwrap_or_default();
        reports::questions_behind(app, actor, asked, key)
    })
    .await?;
    Ok(views::reports::questions_behind(&viewer.ctx(), &behind).into_response())
}

/// `GET /reports/desk` (the page) and `GET /api/reports/desk?from=&to=[&format=csv]`: the desk
/// figures as a page, JSON or a spreadsheet.
pub async fn desk(
    viewer: Viewer,
    uri: Uri,
    Params(params): Params<ReportParams>,
) -> Result<Response, Error> {
    let api = is_api(uri.path());
    if api && params.kind.is_some() {
        // The desk figures are of every call; a kind would be silently ignored.
        return Err(FieldError::new("kind", FieldProblem::Unknown).into());
    }
    let asked = match asked_or_refused(&viewer, &uri, params, true).await? {
        Ok(asked) => asked,
        Err(page) => return Ok(page),
    };
    if asked.csv {
        let t = viewer.texts;
        let file = act(&viewer, move |app, actor| {
            reports::desk_csv(app, actor, asked, t)
        });
        return Ok(csv_file(file.await?));
    }
    let report = act(&viewer, move |app, _| reports::desk(app, asked)).await?;
    Ok(match api {
        true => Json(report).into_response(),
        false => views::reports::desk(&viewer.ctx(), &report).into_response(),
    })
}

/// `GET /cheatsheet`: what first-time callers ask most, with what to say, for printing.
pub async fn cheat_sheet(viewer: Viewer) -> Result<Response, Error> {
    let sheet = act(&viewer, |app, _| reports::cheat_sheet(app)).await?;
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
    #[serde(default)]
    refines: Option<i64>,
}

/// `POST /api/search-log` with `{"query", "found": bool, "chosen": null|"opened"|"linked"|"logged"}`
/// logs a search as it stood, and answers `{"id", "refined"}`; with `"id"` of a search logged before (the
/// same words), records what was then done with it instead; with `"refines"`, the id of a pause
/// this search typed on from, that pause is not counted on its own (`"refined": true`). Who the
/// caller was is never logged.
pub async fn log_search(
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
    for (field, id) in [("id", body.id), ("refines", body.refines)] {
        if id.is_some_and(|id| id <= 0) {
            return Err(
                FieldError::new(field, FieldProblem::ExpectedNumber(1, i64::MAX as usize)).into(),
            );
        }
    }
    let logged = search::Logged {
        query: body.query,
        found: body.found,
        chosen,
        earlier: body.id,
        refines: body.refines,
    };
    let (id, refined) = act(&viewer, move |app, _| search::log(app, &logged)).await?;
    Ok(Json(json!({ "id": id, "refined": refined })))
}

/// Where a list behind a desk report figure goes back to: the report page it was opened from
/// (its period as the head chose it), else the report of the list's own days.
pub(super) fn back_to_report(
    headers: &axum::http::HeaderMap,
    from: &str,
    to: Option<&str>,
) -> String {
    super::session::same_site_path(headers)
        .filter(|p| p.split('?').next() == Some(crate::paths::DESK_REPORT_PAGE))
        .unwrap_or_else(|| {
            let to = to.unwrap_or(from);
            format!(
                "{}?from={}&to={}",
                crate::paths::DESK_REPORT_PAGE,
                crate::paths::encode_component(from),
                crate::paths::encode_component(to)
            )
        })
}
