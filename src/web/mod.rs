//! HTTP only: the route table, the shared state, and handlers that call the core and hand plain
//! data to `views`. Nothing here knows about tantivy or markdown.

pub mod error;
pub mod paths;

use crate::config::Lang;
use crate::i18n::{self, Texts};
use crate::library::Shelf;
use crate::search::SearchHit;
use crate::views;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use error::ApiError;
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use std::time::Instant;

/// Shared state of every handler; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    /// The served knowledge and index.
    pub shelf: Arc<Shelf>,
    /// The UI's language.
    pub texts: &'static Texts,
}

impl AppState {
    /// State over a shelf, speaking `lang`.
    pub fn new(shelf: Arc<Shelf>, lang: Lang) -> AppState {
        AppState {
            shelf,
            texts: i18n::texts(lang),
        }
    }
}

/// The route table.
pub fn app(state: AppState) -> Router {
    Router::new()
        .route(paths::SEARCH_PAGE, get(search_page))
        .route(paths::ANSWER_PAGE, get(answer_page))
        .route(paths::API_SEARCH, get(api_search))
        .route(paths::API_ANSWER, get(api_answer))
        .route(paths::HEALTHZ, get(healthz))
        .route(paths::STYLESHEET, get(stylesheet))
        .route(paths::SCRIPT, get(script))
        .fallback(not_found)
        .with_state(state)
}

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

fn limit_of(params: &SearchParams) -> Result<usize, ApiError> {
    match params.limit.as_deref() {
        None | Some("") => Ok(DEFAULT_LIMIT),
        Some(text) => text
            .parse::<usize>()
            .map(|n| n.clamp(1, MAX_LIMIT))
            .map_err(|_| {
                ApiError::Invalid(format!(
                    "limit: expected a whole number from 1 to {MAX_LIMIT}"
                ))
            }),
    }
}

async fn run_search(
    state: &AppState,
    query: String,
    limit: usize,
) -> Result<SearchResponse, ApiError> {
    let library = state.shelf.current();
    let (hits, took_ms) = tokio::task::spawn_blocking({
        let query = query.clone();
        move || {
            let started = Instant::now();
            let hits = library.search(&query, limit);
            (hits, started.elapsed().as_secs_f64() * 1000.0)
        }
    })
    .await
    .map_err(|e| anyhow::anyhow!("search task: {e}"))?;
    Ok(SearchResponse {
        query,
        hits: hits?,
        took_ms,
    })
}

async fn api_search(
    State(state): State<AppState>,
    Query(params): Query<SearchParams>,
) -> Result<Json<SearchResponse>, ApiError> {
    let limit = limit_of(&params)?;
    Ok(Json(run_search(&state, params.q, limit).await?))
}

async fn search_page(
    State(state): State<AppState>,
    Query(params): Query<SearchParams>,
) -> Response {
    let limit = limit_of(&params).unwrap_or(DEFAULT_LIMIT);
    let query = params.q.clone();
    let hits = if query.trim().is_empty() {
        Vec::new()
    } else {
        match run_search(&state, query.clone(), limit).await {
            Ok(r) => r.hits,
            Err(_) => {
                return (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    views::error_page(state.texts),
                )
                    .into_response()
            }
        }
    };
    views::search::page(state.texts, &query, &hits).into_response()
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

async fn api_answer(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Response, ApiError> {
    let library = state.shelf.current();
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

async fn answer_page(State(state): State<AppState>, Path(slug): Path<String>) -> Response {
    let library = state.shelf.current();
    match library.knowledge.get(&slug) {
        Some(answer) => views::answer::page(state.texts, answer).into_response(),
        None => (
            StatusCode::NOT_FOUND,
            views::not_found_page(state.texts, state.texts.answer_not_found),
        )
            .into_response(),
    }
}

async fn healthz() -> &'static str {
    "ok"
}

async fn not_found(State(state): State<AppState>, uri: axum::http::Uri) -> Response {
    if uri.path().starts_with("/api/") {
        ApiError::NotFound(format!("no route {}", uri.path())).into_response()
    } else {
        (
            StatusCode::NOT_FOUND,
            views::not_found_page(state.texts, state.texts.not_found),
        )
            .into_response()
    }
}

async fn stylesheet() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        views::STYLESHEET,
    )
}

async fn script() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        views::SCRIPT,
    )
}
