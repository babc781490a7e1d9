//! The search page and the search API: each reads the query, makes one `actions::search` call,
//! and answers with the page or JSON.

use super::act;
use super::error::Error;
use super::extract::Viewer;
use crate::actions::calls;
use crate::actions::search::{self, Found, Meaning};
use crate::views;
use crate::web::extract::Params;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;

/// Query string of the search page and API; text throughout, so that a bad value is a clear
/// `422` naming the parameter.
#[derive(Debug, Deserialize)]
pub struct SearchParams {
    /// What was typed.
    #[serde(default)]
    pub q: String,
    /// How many hits.
    pub limit: Option<String>,
    /// Kind of the call being taken (`primary` | `secondary`), to prefer its audience.
    pub kind: Option<String>,
    /// `1` when the operator stopped typing: the whole query's meaning counts too.
    pub settled: Option<String>,
}

/// `GET /api/search`: `{"query", "hits", "took_ms", "meaning", "nothing_fits", "has_words"}`.
pub async fn api(viewer: Viewer, Params(p): Params<SearchParams>) -> Result<Json<Found>, Error> {
    let found = act(&viewer, move |app, _| {
        let (limit, kind, settled) = (p.limit.as_deref(), p.kind.as_deref(), p.settled.as_deref());
        search::run(app, &search::asked(&p.q, limit, kind, settled)?)
    });
    Ok(Json(found.await?))
}

/// `GET /`: the search page, with results when a query is given (works without JavaScript).
pub async fn page(viewer: Viewer, Params(p): Params<SearchParams>) -> Result<Response, Error> {
    let query = p.q.clone();
    let found = match query.trim().is_empty() {
        true => None,
        false => Some(
            act(&viewer, move |app, _| {
                // A query sent from the form is a whole one; a bad `limit` or `kind` in the
                // address is left out rather than refused.
                let (limit, kind) = (p.limit.as_deref(), p.kind.as_deref());
                let asked = search::asked(&p.q, limit, kind, None);
                let mut asked = asked.unwrap_or_else(|_| search::Query::typed(&p.q));
                asked.meaning = Meaning::Settled;
                search::run(app, &asked)
            })
            .await?,
        ),
    };
    let open_calls = match viewer.person().map(str::to_string) {
        Some(person) => act(&viewer, move |app, _| calls::open_today(app, &person)).await?,
        None => Vec::new(),
    };
    let (hits, nothing_fits, has_words) = found.map_or((Vec::new(), false, false), |f| {
        (f.hits, f.nothing_fits, f.has_words)
    });
    let found = views::search::Found {
        query: &query,
        hits: &hits,
        nothing_fits,
        has_words,
    };
    Ok(views::search::page(&viewer.ctx(), &found, &open_calls).into_response())
}
