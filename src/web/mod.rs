//! HTTP only: the route table, the shared state, and handlers that call the core and hand plain
//! data to `views`. Nothing here knows about tantivy, SQLite or markdown.

pub mod admin;
pub mod auth;
pub mod calls;
pub mod error;
pub mod paths;
pub mod search;

use crate::app::App;
use crate::config::Lang;
use crate::i18n::{self, Texts};
use crate::views;
use axum::extract::DefaultBodyLimit;
use axum::http::{header, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::Router;
use error::ApiError;
use std::sync::Arc;

/// Shared state of every handler; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    /// Everything the server holds.
    pub app: Arc<App>,
    /// The UI's language.
    pub texts: &'static Texts,
}

impl AppState {
    /// State over an opened app, speaking `lang`.
    pub fn new(app: Arc<App>, lang: Lang) -> AppState {
        AppState {
            app,
            texts: i18n::texts(lang),
        }
    }
}

/// The route table.
pub fn app(state: AppState) -> Router {
    Router::new()
        .route(paths::SEARCH_PAGE, get(search::page))
        .route(paths::ANSWER_PAGE, get(search::answer_page))
        .route(
            paths::CALLS_PAGE,
            get(calls::list_page).post(calls::create_form),
        )
        .route(paths::NEW_CALL_PAGE, get(calls::new_page))
        .route(
            paths::CALL_PAGE,
            get(calls::desk_page).post(calls::update_form),
        )
        .route(paths::CALL_QUESTIONS_FORM, post(calls::add_question_form))
        .route(paths::QUESTION_ANSWER_FORM, post(calls::link_form))
        .route(paths::API_SEARCH, get(search::api))
        .route(paths::API_ANSWER, get(search::api_answer))
        .route(
            paths::API_CALLS,
            get(calls::api_list).post(calls::api_create),
        )
        .route(
            paths::API_CALL,
            get(calls::api_get).patch(calls::api_update),
        )
        .route(paths::API_CALL_QUESTIONS, post(calls::api_add_question))
        .route(paths::API_QUESTION_ANSWER, put(calls::api_link))
        .route(paths::API_USERS, get(admin::api_users))
        .route(paths::API_AUDIT, get(admin::api_audit))
        .route(paths::ADMIN_PAGE, get(admin::page))
        .route(paths::LOGIN, get(auth::login_page).post(auth::login))
        .route(paths::LOGOUT, post(auth::logout))
        .route(
            paths::PASSWORD_PAGE,
            get(auth::password_page).post(auth::change_password),
        )
        .route(paths::HEALTHZ, get(healthz))
        .route(paths::STYLESHEET, get(stylesheet))
        .route(paths::SCRIPT, get(script))
        .fallback(not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            auth::guard,
        ))
        .layer(DefaultBodyLimit::max(auth::BODY_LIMIT))
        .with_state(state)
}

/// Runs blocking core work (SQLite, tantivy) off the async threads.
pub async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> anyhow::Result<T> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("blocking task: {e}")))?
        .map_err(ApiError::Internal)
}

async fn healthz() -> &'static str {
    "ok"
}

async fn not_found(viewer: auth::Viewer, uri: Uri) -> Response {
    if uri.path().starts_with("/api/") {
        ApiError::NotFound(format!("no route {}", uri.path())).into_response()
    } else {
        (
            StatusCode::NOT_FOUND,
            views::not_found_page(&viewer.ctx(), viewer.texts.not_found),
        )
            .into_response()
    }
}

/// Records who viewed, changed, exported or erased call records. A failure to write the log is
/// logged and does not undo the request, which is already done.
pub async fn audit(state: &AppState, viewer: &auth::Viewer, action: &'static str, subject: String) {
    let store = std::sync::Arc::clone(&state.app.store);
    let actor = viewer.actor();
    if let Err(e) = blocking(move || store.audit(&actor, action, &subject, None)).await {
        tracing::error!("audit log: {e}");
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
