//! Reports for the head of sales (what callers ask, the desk figures) as pages, JSON and CSV;
//! the printable cheat sheet for every account; and the log of searches the desk's pages send.
//! Every CSV export is audited.

use super::calls::date_param;
use super::error::Error;
use super::extract::{JsonObject, Viewer};
use super::{audit, blocking, WebState};
use crate::calls::CallKind;
use crate::fields::{FieldError, FieldProblem};
use crate::report::{self, Period};
use crate::store::{Chosen, MAX_SEARCH_CHARS};
use crate::views;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use std::sync::Arc;

/// Weeks a report shows when no period is given: this one and the eleven before.
const DEFAULT_WEEKS: i64 = 12;

/// Query of the report pages and APIs; text throughout, so that a bad value is a clear `422`
/// naming the parameter.
#[derive(Debug, Default, Deserialize)]
pub struct ReportParams {
    from: Option<String>,
    to: Option<String>,
    kind: Option<String>,
    format: Option<String>,
}

/// A report's period, kind and output, checked.
#[derive(Debug, Clone, Copy)]
pub struct Asked {
    /// The days.
    pub period: Period,
    /// Calls of this kind only; all when `None`.
    pub kind: Option<CallKind>,
    /// Whether a CSV file was asked for.
    pub csv: bool,
}

const KIND_WORDS: &[&str] = &["primary", "secondary", "all"];
const FORMAT_WORDS: &[&str] = &["json", "csv"];

fn asked(params: &ReportParams, today: chrono::NaiveDate) -> Result<Asked, FieldError> {
    let to = date_param("to", params.to.as_deref(), today)?;
    let whole_weeks = crate::clock::week_monday(to) - chrono::Duration::weeks(DEFAULT_WEEKS - 1);
    let from = date_param("from", params.from.as_deref(), whole_weeks)?;
    if to < from {
        return Err(FieldError::new("to", FieldProblem::BeforeFrom));
    }
    if (to - from).num_days() > report::MAX_DAYS {
        return Err(FieldError::new(
            "to",
            FieldProblem::RangeTooLong(report::MAX_DAYS),
        ));
    }
    let kind = match params.kind.as_deref() {
        None | Some("") | Some("all") => None,
        Some(word) => Some(
            CallKind::parse(word)
                .ok_or_else(|| FieldError::new("kind", FieldProblem::ExpectedOneOf(KIND_WORDS)))?,
        ),
    };
    let csv = match params.format.as_deref() {
        None | Some("") | Some("json") => false,
        Some("csv") => true,
        Some(_) => {
            return Err(FieldError::new(
                "format",
                FieldProblem::ExpectedOneOf(FORMAT_WORDS),
            ))
        }
    };
    Ok(Asked {
        period: Period { from, to },
        kind,
        csv,
    })
}

async fn question_report(
    state: &WebState,
    asked: Asked,
) -> Result<report::questions::QuestionReport, Error> {
    let app = Arc::clone(&state.app);
    blocking(move || {
        let library = app.shelf.current();
        report::question_report(
            &app.store,
            &app.clock,
            &library.knowledge,
            asked.period,
            asked.kind,
        )
    })
    .await
}

async fn desk_report(state: &WebState, asked: Asked) -> Result<report::desk::DeskReport, Error> {
    let app = Arc::clone(&state.app);
    blocking(move || report::desk_report(&app.store, &app.clock, asked.period)).await
}

fn csv_file(name: String, body: String) -> Response {
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

fn kind_word(kind: Option<CallKind>) -> &'static str {
    kind.map_or("all", CallKind::as_str)
}

/// `GET /reports/questions`: the question frequency report as a page.
pub async fn questions_page(
    State(state): State<WebState>,
    viewer: Viewer,
    Query(params): Query<ReportParams>,
) -> Result<Response, Error> {
    let asked = asked(&params, state.app.clock.today())?;
    if asked.csv {
        return questions_csv(&state, &viewer, asked).await;
    }
    let report = question_report(&state, asked).await?;
    Ok(views::reports::questions(&viewer.ctx(), &report, asked.kind).into_response())
}

/// `GET /api/reports/questions?from=&to=&kind=primary|secondary|all[&format=csv]`.
pub async fn api_questions(
    State(state): State<WebState>,
    viewer: Viewer,
    Query(params): Query<ReportParams>,
) -> Result<Response, Error> {
    let asked = asked(&params, state.app.clock.today())?;
    if asked.csv {
        return questions_csv(&state, &viewer, asked).await;
    }
    Ok(Json(question_report(&state, asked).await?).into_response())
}

async fn questions_csv(state: &WebState, viewer: &Viewer, asked: Asked) -> Result<Response, Error> {
    let report = question_report(state, asked).await?;
    let t = state.texts;
    let header = [
        t.report_col_key,
        t.report_col_question,
        t.report_col_answered,
        t.report_col_count,
        t.report_col_primary,
        t.report_col_secondary,
        t.report_col_previous,
    ];
    let body = report::csv::questions(&report, &header);
    let (from, to) = (asked.period.from, asked.period.to);
    audit(
        state,
        viewer,
        "export",
        format!(
            "questions report {from}..{to} {} ({} rows, csv)",
            kind_word(asked.kind),
            report.rows.len()
        ),
    )
    .await;
    Ok(csv_file(format!("questions-{from}-{to}.csv"), body))
}

/// `GET /reports/desk`: the desk figures as a page.
pub async fn desk_page(
    State(state): State<WebState>,
    viewer: Viewer,
    Query(params): Query<ReportParams>,
) -> Result<Response, Error> {
    let asked = asked(&params, state.app.clock.today())?;
    if asked.csv {
        return desk_csv(&state, &viewer, asked).await;
    }
    let report = desk_report(&state, asked).await?;
    Ok(views::reports::desk(&viewer.ctx(), &report).into_response())
}

/// `GET /api/reports/desk?from=&to=[&format=csv]`.
pub async fn api_desk(
    State(state): State<WebState>,
    viewer: Viewer,
    Query(params): Query<ReportParams>,
) -> Result<Response, Error> {
    let asked = asked(&params, state.app.clock.today())?;
    if params.kind.is_some() {
        // The desk figures are of every call; a kind would be silently ignored.
        return Err(FieldError::new("kind", FieldProblem::Unknown).into());
    }
    if asked.csv {
        return desk_csv(&state, &viewer, asked).await;
    }
    Ok(Json(desk_report(&state, asked).await?).into_response())
}

async fn desk_csv(state: &WebState, viewer: &Viewer, asked: Asked) -> Result<Response, Error> {
    let report = desk_report(state, asked).await?;
    let t = state.texts;
    let header = [
        t.report_col_week,
        t.report_col_calls,
        t.report_col_primary,
        t.report_col_secondary,
        t.report_col_potential,
        t.report_col_contacts,
        t.report_col_capture,
        t.report_col_callbacks,
        t.report_col_callbacks_done,
    ];
    let body = report::csv::desk(&report, &header);
    let (from, to) = (asked.period.from, asked.period.to);
    audit(
        state,
        viewer,
        "export",
        format!("desk report {from}..{to} (csv)"),
    )
    .await;
    Ok(csv_file(format!("desk-{from}-{to}.csv"), body))
}

/// `GET /cheatsheet`: what first-time callers ask most, with what to say, for printing.
pub async fn cheat_sheet(State(state): State<WebState>, viewer: Viewer) -> Result<Response, Error> {
    let app = Arc::clone(&state.app);
    let sheet = blocking(move || {
        let library = app.shelf.current();
        report::cheat_sheet(&app.store, &app.clock, &library.knowledge)
    })
    .await?;
    Ok(views::reports::cheat_sheet(&viewer.ctx(), &sheet).into_response())
}

/// A search as logged: lowercase, spaces collapsed, clipped.
pub fn normalize_search(query: &str) -> String {
    let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
    crate::text::clip(&words.join(" "), MAX_SEARCH_CHARS).into_owned()
}

/// `POST /api/search-log` with `{"query", "found": bool, "chosen": null|"opened"|"linked"|"logged"}`
/// logs a search as it stood, and answers `{"id"}`; with `"id"` of a search logged before (the
/// same words), records what was then done with it instead. Who the caller was is never logged.
pub async fn log_search(
    State(state): State<WebState>,
    JsonObject(object): JsonObject,
) -> Result<Json<Value>, Error> {
    for key in object.keys() {
        if !["query", "found", "chosen", "id"].contains(&key.as_str()) {
            return Err(FieldError::new(key, FieldProblem::Unknown).into());
        }
    }
    let query = match object.get("query") {
        Some(Value::String(s)) => normalize_search(s),
        Some(_) => return Err(FieldError::new("query", FieldProblem::ExpectedText).into()),
        None => return Err(FieldError::new("query", FieldProblem::Required).into()),
    };
    if query.is_empty() {
        return Err(FieldError::new("query", FieldProblem::Empty).into());
    }
    let found = match object.get("found") {
        Some(Value::Bool(b)) => *b,
        Some(_) => return Err(FieldError::new("found", FieldProblem::ExpectedBool).into()),
        None => return Err(FieldError::new("found", FieldProblem::Required).into()),
    };
    const CHOSEN: &[&str] = &["opened", "linked", "logged"];
    let chosen = match object.get("chosen") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(
            Chosen::parse(s)
                .ok_or_else(|| FieldError::new("chosen", FieldProblem::ExpectedOneOf(CHOSEN)))?,
        ),
        Some(_) => {
            return Err(FieldError::new("chosen", FieldProblem::ExpectedOneOf(CHOSEN)).into())
        }
    };
    let earlier = match object.get("id") {
        None | Some(Value::Null) => None,
        Some(v) => Some(v.as_i64().filter(|&id| id > 0).ok_or_else(|| {
            FieldError::new("id", FieldProblem::ExpectedNumber(1, i64::MAX as usize))
        })?),
    };
    let store = Arc::clone(&state.app.store);
    let now = state.app.clock.now();
    let id = blocking(move || {
        if let (Some(id), Some(chosen)) = (earlier, chosen) {
            if store.choose_search(id, &query, chosen)? {
                return Ok(id);
            }
        }
        store.log_search(&query, found, chosen, now)
    })
    .await?;
    Ok(Json(json!({ "id": id })))
}
