//! Search and answers: the search page, the answer page, and their JSON API.

use super::auth::Viewer;
use super::error::ApiError;
use super::{blocking, AppState};
use crate::calls::CallKind;
use crate::library::SearchOptions;
use crate::search::SearchHit;
use crate::views;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use std::time::Instant;

/// Default number of hits.
pub const DEFAULT_LIMIT: usize = 10;
/// Most hits one request may ask for.
pub const MAX_LIMIT: usize = 50;

/// Query string of the search page and API.
#[derive(Debug, Deserialize)]
pub struct SearchParams {
    /// What was typed.
    #[serde(default)]
    pub q: String,
    /// How many hits; text so that a bad value is a clear 422, not a generic rejection.
    pub limit: Option<String>,
    /// Kind of the call being taken (`primary` | `secondary`), to prefer its audience.
    pub kind: Option<String>,
}

/// Body of a search response.
#[derive(Debug, Serialize)]
pub struct SearchResponse {
    /// The query as received.
    pub query: String,
    /// Answers, best first.
    pub hits: Vec<SearchHit>,
    /// Server-side time spent searching.
    pub took_ms: f64,
}

fn options_of(params: &SearchParams) -> Result<SearchOptions, ApiError> {
    let limit = match params.limit.as_deref() {
        None | Some("") => DEFAULT_LIMIT,
        Some(text) => text
            .parse::<usize>()
            .map(|n| n.clamp(1, MAX_LIMIT))
            .map_err(|_| {
                ApiError::Invalid(format!(
                    "limit: expected a whole number from 1 to {MAX_LIMIT}"
                ))
            })?,
    };
    let kind = match params.kind.as_deref() {
        None | Some("") => None,
        Some(text) => Some(
            CallKind::parse(text)
                .ok_or_else(|| ApiError::Invalid("kind: expected primary or secondary".into()))?,
        ),
    };
    Ok(SearchOptions { limit, kind })
}

/// Runs a search off the async threads and times it.
pub async fn run(
    state: &AppState,
    query: String,
    options: SearchOptions,
) -> Result<SearchResponse, ApiError> {
    let app = Arc::clone(&state.app);
    let q = query.clone();
    let (hits, took_ms) = blocking(move || {
        let started = Instant::now();
        let library = app.shelf.current();
        let hits = library.search(&q, &options, Some(&app.questions))?;
        Ok((hits, started.elapsed().as_secs_f64() * 1000.0))
    })
    .await?;
    Ok(SearchResponse {
        query,
        hits,
        took_ms,
    })
}

/// `GET /api/search`.
pub async fn api(
    State(state): State<AppState>,
    Query(params): Query<SearchParams>,
) -> Result<Json<SearchResponse>, ApiError> {
    let options = options_of(&params)?;
    Ok(Json(run(&state, params.q, options).await?))
}

/// `GET /`: the search page, with results when a query is given (works without JavaScript).
pub async fn page(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(params): Query<SearchParams>,
) -> Response {
    let options = options_of(&params).unwrap_or(SearchOptions {
        limit: DEFAULT_LIMIT,
        kind: None,
    });
    let query = params.q.clone();
    let hits = if query.trim().is_empty() {
        Vec::new()
    } else {
        match run(&state, query.clone(), options).await {
            Ok(r) => r.hits,
            Err(_) => {
                return (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    views::error_page(&viewer.ctx()),
                )
                    .into_response()
            }
        }
    };
    views::search::page(&viewer.ctx(), &query, &hits).into_response()
}

/// An answer as the API shows it.
#[derive(Debug, Serialize)]
pub struct AnswerJson<'a> {
    slug: &'a str,
    title: &'a str,
    questions: &'a [String],
    audience: &'static str,
    tags: &'a [String],
    reviewed: String,
    html: &'a str,
}

/// `GET /api/answers/{slug}`.
pub async fn api_answer(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Response, ApiError> {
    let library = state.app.shelf.current();
    let answer = library
        .knowledge
        .get(&slug)
        .ok_or_else(|| ApiError::NotFound(format!("no answer with slug `{slug}`")))?;
    Ok(Json(AnswerJson {
        slug: &answer.slug,
        title: &answer.title,
        questions: &answer.questions,
        audience: answer.audience.as_str(),
        tags: &answer.tags,
        reviewed: answer.reviewed.to_string(),
        html: &answer.html,
    })
    .into_response())
}

/// `GET /answers/{slug}`.
pub async fn answer_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(slug): Path<String>,
) -> Response {
    let library = state.app.shelf.current();
    match library.knowledge.get(&slug) {
        Some(answer) => views::answer::page(&viewer.ctx(), answer).into_response(),
        None => (
            StatusCode::NOT_FOUND,
            views::not_found_page(&viewer.ctx(), viewer.texts.answer_not_found),
        )
            .into_response(),
    }
}
