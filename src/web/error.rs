//! The one error type at the HTTP edge. Each variant chooses its status; internal detail is
//! logged and never shown. API routes answer `{"error": "..."}`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;

/// What can go wrong while answering an API request.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// `404`: the thing asked for does not exist.
    #[error("{0}")]
    NotFound(String),
    /// `422`: a field of the request is invalid; the message names it.
    #[error("{0}")]
    Invalid(String),
    /// `500`: our fault; logged with detail, shown as a generic message.
    #[error("internal error")]
    Internal(#[from] anyhow::Error),
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = match &self {
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Internal(e) => {
                tracing::error!("request failed: {e:#}");
                StatusCode::INTERNAL_SERVER_ERROR
            }
        };
        (
            status,
            Json(serde_json::json!({ "error": self.to_string() })),
        )
            .into_response()
    }
}
