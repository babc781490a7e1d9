//! The one error type at the HTTP edge. Each variant chooses its status; internal detail is
//! logged and never shown. API routes answer `{"error": "..."}`; pages show a readable page.

use crate::views::{self, Ctx};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;

/// What can go wrong while answering a request.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// `400`: the body is not JSON at all.
    #[error("{0}")]
    BadRequest(String),
    /// `401`: no valid session or token.
    #[error("{0}")]
    Unauthorized(String),
    /// `413`: the request body is too large.
    #[error("{0}")]
    TooLarge(String),
    /// `404`: the thing asked for does not exist.
    #[error("{0}")]
    NotFound(String),
    /// `422`: a field of the request is invalid; the message names it.
    #[error("{0}")]
    Invalid(String),
    /// `422`: a limit is reached (questions per call).
    #[error("{0}")]
    TooMany(String),
    /// `500`: our fault; logged with detail, shown as a generic message.
    #[error("internal error")]
    Internal(#[from] anyhow::Error),
}

impl ApiError {
    /// The status this error answers with.
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ApiError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Invalid(_) | ApiError::TooMany(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Internal(e) => {
                tracing::error!("request failed: {e:#}");
                StatusCode::INTERNAL_SERVER_ERROR
            }
        }
    }

    /// The error as an HTML page, for form posts and pages.
    pub fn page(self, ctx: &Ctx) -> Response {
        let status = self.status();
        let body = match status {
            StatusCode::NOT_FOUND => views::not_found_page(ctx, &self.to_string()),
            StatusCode::INTERNAL_SERVER_ERROR => views::error_page(ctx),
            _ => views::message_page(ctx, ctx.texts.invalid_input, &self.to_string()),
        };
        (status, body).into_response()
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        (
            status,
            Json(serde_json::json!({ "error": self.to_string() })),
        )
            .into_response()
    }
}
