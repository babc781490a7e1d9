//! The one error type at the HTTP edge, and the one place where errors become answers.
//!
//! A handler (or the guard) returns an [`Error`]; its conversion only sets the status and puts
//! the error into the response's extensions. [`render_errors`], the outermost middleware, takes
//! it out again and writes the body in the interface's language: `{"error": "..."}` for the JSON
//! API, a readable page for everything else. It also logs every `5xx` once, with its cause;
//! neither a page nor the JSON ever shows internal detail. (Logging in the conversion would be a
//! side effect of `into_response`; axum's error-handling example explains the pattern.)

use super::{is_api, WebState};
use crate::accounts::{Principal, Role};
use crate::fields::{FieldError, FieldProblem};
use crate::i18n::Texts;
use crate::pbx::settings::Closed;
use crate::views::{self, Ctx};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

pub use crate::actions::Thing;

/// What can go wrong while answering a request. Each variant says its status.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// `400`: the body is not JSON at all (with the parser's detail).
    #[error("invalid JSON: {0}")]
    BadJson(String),
    /// `401`: no session and no token.
    #[error("no credentials")]
    NoCredentials,
    /// `401`: a bearer token that is unknown or revoked.
    #[error("unknown token")]
    BadToken,
    /// `403`: the viewer's role may not do this.
    #[error("forbidden for {0:?}")]
    Forbidden(Role),
    /// `403`: another manager's callback: whose it is now, or nobody's.
    #[error("another manager's callback")]
    NotTheOwner(Option<String>),
    /// `403`: the password must be changed first.
    #[error("password change required")]
    MustChangePassword,
    /// `403`: a change without the session's anti-forgery token.
    #[error("forgery")]
    Forgery,
    /// `413`: the body is over this many bytes.
    #[error("body over {0} bytes")]
    TooLarge(usize),
    /// `405`: the route takes other methods (a form's result refreshed, say).
    #[error("method not allowed")]
    MethodNotAllowed,
    /// `408`: the body did not arrive in time.
    #[error("request body too slow")]
    Timeout,
    /// `404`: the thing asked for does not exist.
    #[error("no {0:?} {1}")]
    NotFound(Thing, String),
    /// `422`: a field of the request is invalid (`409` when someone else saved it meanwhile).
    #[error("{0}")]
    Invalid(FieldError),
    /// `422`: the call holds the most questions a call may hold.
    #[error("call {0} is full")]
    CallFull(i64),
    /// What a phone exchange's adapter refused: `401` (signature), `400` (not its body), `422`
    /// (a field, an unknown event), as [`crate::pbx::PbxError::http_status`] says.
    #[error("exchange: {0}")]
    Pbx(crate::pbx::PbxError),
    /// `404`: an exchange's adapter is off; `503`: on, without its secret.
    #[error("exchange closed: {0:?}")]
    ExchangeClosed(crate::pbx::settings::Closed),
    /// `503`: too many pages watch for ringing calls.
    #[error("too many pages watch for calls")]
    TooManyScreens,
    /// `503`: a backup copy is being made already.
    #[error("a backup is being made")]
    Busy,
    /// `500`: our fault; logged with its cause, shown as a generic message.
    #[error("internal error: {0:#}")]
    Internal(#[from] anyhow::Error),
}

impl Error {
    /// A missing thing, by its id or slug.
    pub fn not_found(thing: Thing, id: impl ToString) -> Error {
        // An id as long as a path may be is not said back whole.
        Error::NotFound(thing, crate::text::clip(&id.to_string(), 200).into_owned())
    }

    /// The status this error answers with.
    pub fn status(&self) -> StatusCode {
        match self {
            Error::BadJson(_) => StatusCode::BAD_REQUEST,
            Error::NoCredentials | Error::BadToken => StatusCode::UNAUTHORIZED,
            Error::Forbidden(_)
            | Error::NotTheOwner(_)
            | Error::MustChangePassword
            | Error::Forgery => StatusCode::FORBIDDEN,
            Error::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Error::Timeout => StatusCode::REQUEST_TIMEOUT,
            Error::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Error::NotFound(..) => StatusCode::NOT_FOUND,
            // Someone else saved the call since it was read: a conflict, not a wrong value.
            Error::Invalid(e) if matches!(e.problem, FieldProblem::ChangedMeanwhile { .. }) => {
                StatusCode::CONFLICT
            }
            Error::Invalid(_) | Error::CallFull(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Error::Pbx(e) => {
                StatusCode::from_u16(e.http_status()).unwrap_or(StatusCode::BAD_REQUEST)
            }
            Error::ExchangeClosed(Closed::Off(_)) => StatusCode::NOT_FOUND,
            Error::ExchangeClosed(Closed::NoSecret(..)) | Error::TooManyScreens | Error::Busy => {
                StatusCode::SERVICE_UNAVAILABLE
            }
            Error::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// What the person or program should read, in the interface's language.
    pub fn message(&self, texts: &Texts) -> String {
        match self {
            Error::BadJson(detail) => Texts::fill(texts.error_bad_json, &[detail]),
            Error::NoCredentials => texts.error_no_credentials.to_string(),
            Error::BadToken => texts.error_bad_token.to_string(),
            Error::Forbidden(_) => texts.forbidden_text.to_string(),
            Error::NotTheOwner(Some(owner)) => Texts::fill(texts.callback_not_yours, &[owner]),
            Error::NotTheOwner(None) => texts.callback_not_yours_nobody.to_string(),
            Error::MustChangePassword => texts.error_change_password.to_string(),
            Error::Forgery => texts.forgery.to_string(),
            Error::TooLarge(limit) => Texts::fill(texts.error_too_large, &[limit]),
            Error::Timeout => texts.error_timeout.to_string(),
            Error::MethodNotAllowed => texts.error_method.to_string(),
            Error::NotFound(thing, id) => texts.not_found(*thing, id),
            Error::Invalid(field) => texts.field_error(field),
            Error::CallFull(call) => Texts::fill(
                texts.error_call_full,
                &[call, &crate::calls::MAX_QUESTIONS_PER_CALL],
            ),
            Error::Pbx(e) => texts.pbx_error(e),
            Error::ExchangeClosed(closed) => texts.exchange_closed(*closed),
            Error::TooManyScreens => texts.error_too_many_screens.to_string(),
            Error::Busy => texts.error_backup_busy.to_string(),
            Error::Internal(_) => texts.error_text.to_string(),
        }
    }
}

impl From<crate::actions::ActionError> for Error {
    /// The one mapping of what an action says to a status. An answer's conflict and rejected
    /// text are answered by the editors' handlers themselves; reaching here they are ours.
    fn from(e: crate::actions::ActionError) -> Error {
        use crate::actions::ActionError as A;
        match e {
            A::NotFound(thing, id) => Error::NotFound(thing, id),
            A::Invalid(field) => Error::Invalid(field),
            A::CallFull(call) => Error::CallFull(call),
            A::Forbidden(role) => Error::Forbidden(role),
            A::NotTheOwner(owner) => Error::NotTheOwner(owner),
            A::Exchange(e) => Error::Pbx(e),
            A::ExchangeClosed(closed) => Error::ExchangeClosed(closed),
            A::TooLarge(limit) => Error::TooLarge(limit),
            A::Failed(cause) => Error::Internal(cause),
            e @ (A::Conflict(_) | A::Rejected(_)) => {
                Error::Internal(anyhow::anyhow!("unhandled outcome of an edit: {e}"))
            }
        }
    }
}

impl From<FieldError> for Error {
    fn from(e: FieldError) -> Error {
        Error::Invalid(e)
    }
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        // The body is written by `render_errors`, which knows the interface's language.
        let mut response = self.status().into_response();
        response.extensions_mut().insert(Arc::new(self));
        response
    }
}

/// Passes the principal to [`render_errors`] with an error, so that its page shows the viewer's
/// menu; other responses pass unchanged.
pub fn for_viewer(mut response: Response, principal: Option<&Principal>) -> Response {
    if let Some(p) = principal {
        if response.extensions().get::<Arc<Error>>().is_some() {
            response.extensions_mut().insert(p.clone());
        }
    }
    response
}

/// The outermost middleware: writes the body of every [`Error`] and logs server errors.
pub async fn render_errors(
    State(state): State<WebState>,
    request: Request,
    next: Next,
) -> Response {
    let api = is_api(request.uri().path());
    // A refusal of what a link asked for (no form sent) does not lead back to a form.
    let link = request.method() == axum::http::Method::GET;
    let path = request.uri().path().to_string();
    let texts = super::auth::texts_for(request.headers(), state.texts);
    let mut response = next.run(request).await;
    let Some(error) = response.extensions_mut().remove::<Arc<Error>>() else {
        return response;
    };
    if let Error::Internal(cause) = &*error {
        tracing::error!(path = %crate::text::clip(&path, 200), "request failed: {cause:#}");
    }
    // The disk full is said as such (`507`): nothing was saved, and a form sent is kept to be
    // sent again once there is room, as a refused one is.
    let full = matches!(&*error, Error::Internal(cause) if crate::store::disk_full(cause));
    let principal = response.extensions_mut().remove::<Principal>();
    let ctx = Ctx {
        texts,
        principal: principal.as_ref(),
        clock: &state.app.clock,
        hours: &state.app.desk.settings.hours,
        path: &path,
    };
    let message = match (&*error, api) {
        _ if full => texts.error_disk_full.to_string(),
        (Error::Invalid(e), false) => texts.page_field_error(e),
        (Error::MethodNotAllowed, true) => texts.error_method_api.to_string(),
        (Error::Forbidden(_), true) => texts.forbidden_api.to_string(),
        _ => error.message(texts),
    };
    let (mut parts, _) = response.into_parts();
    if full {
        parts.status = StatusCode::INSUFFICIENT_STORAGE;
    }
    let body = if api {
        parts.headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        serde_json::json!({ "error": message }).to_string()
    } else {
        parts.headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        );
        if full {
            views::refused_page(&ctx, texts.not_saved, &message, "").into_string()
        } else {
            match &*error {
                Error::Invalid(_) if link => {
                    views::refused_address_page(&ctx, texts.invalid_input, &message).into_string()
                }
                _ => page(&error, &ctx, &message).into_string(),
            }
        }
    };
    Response::from_parts(parts, body.into())
}

fn page(error: &Error, ctx: &Ctx, message: &str) -> maud::Markup {
    match error {
        Error::NotFound(..) => views::not_found_page(ctx, message),
        Error::Internal(_) => views::error_page(ctx),
        Error::Forbidden(_)
        | Error::NotTheOwner(_)
        | Error::MustChangePassword
        | Error::Forgery => views::account::forbidden(ctx, message),
        Error::Invalid(e) => views::refused_page(ctx, ctx.texts.invalid_input, message, &e.field),
        Error::Busy => views::message_page(ctx, ctx.texts.backup_title, message),
        _ => views::message_page(ctx, ctx.texts.invalid_input, message),
    }
}
