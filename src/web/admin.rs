//! Admin routes: the accounts list and the audit log, as a page and as JSON.

use super::error::Error;
use super::extract::Viewer;
use super::{blocking, WebState};
use crate::views;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use std::sync::Arc;

/// Audit lines per page.
const AUDIT_PAGE: usize = 200;

/// `GET /api/users`: every account (never a password hash).
pub async fn api_users(State(state): State<WebState>) -> Result<Json<Value>, Error> {
    let store = Arc::clone(&state.app.store);
    let accounts = blocking(move || store.accounts()).await?;
    Ok(Json(json!({ "users": accounts })))
}

/// Query of the audit log: page back with `before`.
#[derive(Debug, Deserialize)]
pub struct AuditParams {
    before: Option<i64>,
}

/// `GET /api/audit`: the newest audit lines.
pub async fn api_audit(
    State(state): State<WebState>,
    Query(params): Query<AuditParams>,
) -> Result<Json<Value>, Error> {
    let store = Arc::clone(&state.app.store);
    let entries = blocking(move || store.audit_log(AUDIT_PAGE, params.before)).await?;
    Ok(Json(json!({ "entries": entries })))
}

/// `GET /admin`.
pub async fn page(State(state): State<WebState>, viewer: Viewer) -> Result<Response, Error> {
    let store = Arc::clone(&state.app.store);
    let (accounts, audit) =
        blocking(move || Ok((store.accounts()?, store.audit_log(AUDIT_PAGE, None)?))).await?;
    Ok(views::account::admin(&viewer.ctx(), &accounts, &audit).into_response())
}
