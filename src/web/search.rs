//! Search and answers: the search page, the answer page, and their JSON API.

use super::error::{Error, Thing};
use super::extract::Viewer;
use super::{blocking, WebState};
use crate::calls::CallKind;
use crate::fields::{FieldError, FieldProblem};
use crate::library::SearchOptions;
use crate::search::SearchHit;
use crate::views;
use axum::extract::{Query, State};
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
    /// `1` when the operator stopped typing: the whole query's meaning counts too.
    pub settled: Option<String>,
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
    /// Whether the query's meaning was weighed (a settled query, with the sentence model).
    pub meaning: bool,
}

fn settled_of(params: &SearchParams) -> Result<bool, Error> {
    match params.settled.as_deref() {
        None | Some("") | Some("0") | Some("false") => Ok(false),
        Some("1") | Some("true") => Ok(true),
        Some(_) => Err(FieldError::new("settled", FieldProblem::ExpectedBool).into()),
    }
}

fn options_of(params: &SearchParams) -> Result<SearchOptions, Error> {
    let limit = match params.limit.as_deref() {
        None | Some("") => DEFAULT_LIMIT,
        Some(text) => text
            .parse::<usize>()
            .map(|n| n.clamp(1, MAX_LIMIT))
            .map_err(|_| FieldError::new("limit", FieldProblem::ExpectedNumber(1, MAX_LIMIT)))?,
    };
    let kind = match params.kind.as_deref() {
        None | Some("") => None,
        Some(text) => Some(CallKind::parse(text).ok_or_else(|| {
            FieldError::new("kind", FieldProblem::ExpectedOneOf(CallKind::WORDS))
        })?),
    };
    Ok(SearchOptions { limit, kind })
}

/// Runs a search off the async threads and times it.
/// Runs a search off the async threads and times it; a `settled` query (the operator stopped
/// typing) is also weighed by its meaning, when the sentence model is there.
pub async fn run(
    state: &WebState,
    query: String,
    options: SearchOptions,
    settled: bool,
) -> Result<SearchResponse, Error> {
    let app = Arc::clone(&state.app);
    let q = query.clone();
    let (hits, took_ms, meaning) = blocking(move || {
        let started = Instant::now();
        let library = app.shelf.current();
        let vector = if settled && !q.trim().is_empty() {
            app.meaning.embed(q.trim())
        } else {
            None
        };
        let answers = app.meaning.answers();
        let hits = library.search_meaning(
            &q,
            &options,
            Some(&app.learner),
            vector.as_deref().map(|v| (v, &*answers)),
        )?;
        Ok((
            hits,
            started.elapsed().as_secs_f64() * 1000.0,
            vector.is_some(),
        ))
    })
    .await?;
    Ok(SearchResponse {
        query,
        hits,
        took_ms,
        meaning,
    })
}

/// `GET /api/search`.
pub async fn api(
    State(state): State<WebState>,
    Query(params): Query<SearchParams>,
) -> Result<Json<SearchResponse>, Error> {
    let options = options_of(&params)?;
    let settled = settled_of(&params)?;
    Ok(Json(run(&state, params.q, options, settled).await?))
}

/// `GET /`: the search page, with results when a query is given (works without JavaScript).
pub async fn page(
    State(state): State<WebState>,
    viewer: Viewer,
    Query(params): Query<SearchParams>,
) -> Result<Response, Error> {
    let options = options_of(&params).unwrap_or(SearchOptions {
        limit: DEFAULT_LIMIT,
        kind: None,
    });
    let query = params.q.clone();
    let hits = if query.trim().is_empty() {
        Vec::new()
    } else {
        // A query sent from the form is a whole one.
        run(&state, query.clone(), options, true).await?.hits
    };
    let open_calls = open_calls(&state, &viewer).await?;
    Ok(views::search::page(&viewer.ctx(), &query, &hits, &open_calls).into_response())
}

/// Calls of today the viewer took that have not ended, newest first, as (id, label): where a
/// question from the search page may go.
async fn open_calls(state: &WebState, viewer: &Viewer) -> Result<Vec<(i64, String)>, Error> {
    let Some(person) = viewer.person().map(str::to_string) else {
        return Ok(Vec::new());
    };
    let clock = state.app.clock;
    let Some((start, end)) = clock.days(clock.today(), clock.today()) else {
        return Ok(Vec::new());
    };
    let store = Arc::clone(&state.app.store);
    let rows = blocking(move || store.calls_overview(start, end, None, Some(&person))).await?;
    Ok(rows
        .into_iter()
        .filter(|(call, _)| call.ended_at.is_none() && call.started_at >= start)
        .take(5)
        .map(|(call, _)| {
            let who = call
                .name
                .or(call.phone)
                .or(call.company)
                .unwrap_or_default();
            let label = format!(
                "{}{} · {} {}",
                state.texts.call_number,
                call.id,
                clock.time_text(call.started_at),
                who
            );
            (call.id, label.trim_end().to_string())
        })
        .collect())
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

/// The answer `slug` as JSON (`GET /api/answers/{slug}`).
pub fn api_answer_of(state: &WebState, slug: &str) -> Result<Response, Error> {
    let library = state.app.shelf.current();
    let answer = library
        .knowledge
        .get(slug)
        .ok_or_else(|| Error::not_found(Thing::Answer, slug))?;
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

/// The page of answer `slug` (`GET /answers/{slug}`), opened from the search `query`.
pub fn answer_page_of(
    state: &WebState,
    viewer: &Viewer,
    slug: &str,
    query: &str,
) -> Result<Response, Error> {
    let library = state.app.shelf.current();
    let answer = library
        .knowledge
        .get(slug)
        .ok_or_else(|| Error::not_found(Thing::Answer, slug))?;
    Ok(views::answer::page(&viewer.ctx(), answer, query).into_response())
}
