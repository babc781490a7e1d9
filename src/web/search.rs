//! The search page and the search API: each reads the query, makes one `actions::search` call,
//! and answers with the page or JSON.

use super::error::Error;
use super::extract::Viewer;
use super::{act, WebState};
use crate::actions::{calls, search};
use crate::calls::CallKind;
use crate::fields::{FieldError, FieldProblem};
use crate::search::SearchHit;
use crate::views;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};

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
    /// Whether no answer fits the settled query (its meaning is like none of the answers and
    /// the history has none either): the hits are the least bad, not an answer.
    pub nothing_fits: bool,
}

/// The search the parameters ask for, checked: (limit, kind, settled).
fn asked(params: &SearchParams) -> Result<(usize, Option<CallKind>, bool), Error> {
    let limit = search::limit_field(params.limit.as_deref())?;
    let kind = match params.kind.as_deref() {
        None | Some("") => None,
        Some(text) => Some(CallKind::parse(text).ok_or_else(|| {
            FieldError::new("kind", FieldProblem::ExpectedOneOf(CallKind::WORDS))
        })?),
    };
    let settled = match params.settled.as_deref() {
        None | Some("") | Some("0") | Some("false") => false,
        Some("1") | Some("true") => true,
        Some(_) => return Err(FieldError::new("settled", FieldProblem::ExpectedBool).into()),
    };
    Ok((limit, kind, settled))
}

async fn run(
    state: &WebState,
    viewer: &Viewer,
    text: String,
    (limit, kind, settled): (usize, Option<CallKind>, bool),
) -> Result<SearchResponse, Error> {
    let (q, meaning) = (text.clone(), search::Meaning::settled_if(settled));
    let found = act(state, viewer, move |app, _| {
        search::run(
            app,
            &search::Query {
                text: &q,
                limit,
                kind,
                meaning,
            },
        )
    })
    .await?;
    Ok(SearchResponse {
        query: text,
        hits: found.hits,
        took_ms: found.took_ms,
        meaning: found.meaning,
        nothing_fits: found.nothing_fits,
    })
}

/// `GET /api/search`.
pub async fn api(
    State(state): State<WebState>,
    viewer: Viewer,
    Query(params): Query<SearchParams>,
) -> Result<Json<SearchResponse>, Error> {
    let asked = asked(&params)?;
    Ok(Json(run(&state, &viewer, params.q, asked).await?))
}

/// `GET /`: the search page, with results when a query is given (works without JavaScript).
pub async fn page(
    State(state): State<WebState>,
    viewer: Viewer,
    Query(params): Query<SearchParams>,
) -> Result<Response, Error> {
    let (limit, kind, _) = asked(&params).unwrap_or((search::DEFAULT_LIMIT, None, true));
    let query = params.q.clone();
    let (hits, nothing_fits) = if query.trim().is_empty() {
        (Vec::new(), false)
    } else {
        // A query sent from the form is a whole one.
        let found = run(&state, &viewer, query.clone(), (limit, kind, true)).await?;
        (found.hits, found.nothing_fits)
    };
    let open_calls = match viewer.person().map(str::to_string) {
        Some(person) => {
            act(&state, &viewer, move |app, _| {
                calls::open_today(app, &person)
            })
            .await?
        }
        None => Vec::new(),
    };
    let found = views::search::Found {
        query: &query,
        hits: &hits,
        nothing_fits,
    };
    Ok(views::search::page(&viewer.ctx(), &found, &open_calls).into_response())
}
