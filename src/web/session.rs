//! Logging in and out, changing one's own password, and the browser's choice of language.
//!
//! Sessions last [`SESSION_HOURS`] in an HttpOnly, SameSite=Strict cookie (Secure behind HTTPS);
//! only the hash of a session's id is stored. Failed logins are slowed ([`crate::accounts::throttle`]).

use super::auth::{cookie, LANGUAGE_COOKIE, SESSION_COOKIE};
use super::error::Error;
use super::extract::{ClientAddr, Viewer};
use super::{act, paths};
use crate::accounts::Role;
use crate::actions::accounts::{self, Login, PasswordChange};
use crate::fields::{FieldError, FieldProblem};
use crate::i18n::Lang;
use crate::views;
use crate::web::extract::Params;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::Deserialize;
use std::collections::HashMap;

/// How long a session lasts.
pub use accounts::SESSION_HOURS;

/// `; Secure` when the browser reached us over HTTPS (directly or through a TLS proxy).
fn secure(headers: &HeaderMap) -> &'static str {
    let https = headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        == Some("https");
    if https {
        "; Secure"
    } else {
        ""
    }
}

fn session_cookie(value: &str, max_age: i64, headers: &HeaderMap) -> HeaderValue {
    HeaderValue::from_str(&format!(
        "{}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{}",
        SESSION_COOKIE,
        secure(headers)
    ))
    .expect("cookie is ASCII")
}

/// Query of the language switch.
#[derive(Debug, Deserialize)]
pub struct LanguageParams {
    #[serde(default)]
    to: String,
}

/// The languages the interface speaks, by their codes.
const LANGUAGES: &[&str] = &["ru", "en"];

/// `GET /language?to=ru|en`: this browser's pages speak that language from now on (a cookie
/// for a year; the server's `--lang` stays the default for everyone else), and it goes back to
/// the page the switch was on (the `Referer`'s path on this server), else to the search.
pub async fn language(
    Params(params): Params<LanguageParams>,
    headers: HeaderMap,
) -> Result<Response, Error> {
    let Some(lang) = Lang::parse(params.to.trim()) else {
        return Err(Error::Invalid(FieldError::new(
            "to",
            FieldProblem::ExpectedOneOf(LANGUAGES),
        )));
    };
    let back = same_site_path(&headers).unwrap_or_else(|| paths::SEARCH_PAGE.to_string());
    let mut response = Redirect::to(&back).into_response();
    let cookie = format!(
        "{LANGUAGE_COOKIE}={}; Path=/; SameSite=Lax; Max-Age=31536000{}",
        crate::i18n::texts(lang).html_lang(),
        secure(&headers)
    );
    response.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_str(&cookie).expect("cookie is ASCII"),
    );
    Ok(response)
}

/// The path (and query) of the page a request came from, when that page is on this server.
pub(super) fn same_site_path(headers: &HeaderMap) -> Option<String> {
    let referer = headers.get(header::REFERER)?.to_str().ok()?;
    let host = headers.get(header::HOST)?.to_str().ok()?;
    let rest = referer
        .strip_prefix("http://")
        .or_else(|| referer.strip_prefix("https://"))?;
    let path = rest.strip_prefix(host)?;
    (path.starts_with('/') && !path.starts_with("//") && !path.starts_with(paths::LANGUAGE))
        .then_some(path)
        .filter(|p| opens_by_get(p.split(['?', '#']).next().unwrap_or("")))
        .map(str::to_string)
}

/// Whether a page opens by GET at `path` (a refused form's page is the address it was posted
/// to, which may take POST alone: going back there would be refused).
fn opens_by_get(path: &str) -> bool {
    // The patterns GET serves, read from the route table once.
    static GET_PATTERNS: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    let patterns = GET_PATTERNS.get_or_init(|| {
        super::routes()
            .table()
            .iter()
            .filter(|route| route.methods.contains(&axum::http::Method::GET))
            .map(|route| route.pattern)
            .collect()
    });
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    patterns.iter().any(|route| {
        let pattern: Vec<&str> = route.trim_start_matches('/').split('/').collect();
        // `{*slug}` last: the rest of the path, one segment or more.
        let (fixed, rest) = match pattern.split_last() {
            Some((last, head)) if last.starts_with("{*") => (head, true),
            _ => (&pattern[..], false),
        };
        let fits_length = match rest {
            true => segments.len() > fixed.len(),
            false => segments.len() == fixed.len(),
        };
        fits_length
            && fixed
                .iter()
                .zip(&segments)
                .all(|(p, s)| p.starts_with('{') || p == s)
    })
}

/// Query of the login page.
#[derive(Debug, Deserialize)]
pub struct LoginParams {
    #[serde(default)]
    next: String,
    /// The session ended while a form was sent (`?ended=1`).
    #[serde(default)]
    ended: Option<String>,
}

/// `GET /login`.
pub async fn login_page(viewer: Viewer, Params(params): Params<LoginParams>) -> Response {
    let ctx = viewer.ctx();
    if params.ended.is_some() {
        return views::account::login_again(&ctx, &params.next).into_response();
    }
    views::account::login(&ctx, "", &params.next, None).into_response()
}

/// A response that sets the session cookie to `secret` and goes to `target`.
fn signed_in(target: &str, secret: &str, headers: &HeaderMap) -> Response {
    let mut response = Redirect::to(target).into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        session_cookie(secret, SESSION_HOURS * 3600, headers),
    );
    response
}

/// `POST /login`: checks the password, slowed after repeated failures per login and address.
pub async fn login(
    viewer: Viewer,
    ClientAddr(addr): ClientAddr,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let field = |k: &str| form.get(k).cloned().unwrap_or_default();
    let (login, password, next) = (
        field("login").trim().to_string(),
        field("password"),
        field("next"),
    );
    if cross_site(&headers) {
        return Error::Forgery.into_response();
    }
    // Password hashing takes memory and time: a few at once, the rest wait their turn.
    let Ok(_permit) = viewer.app.password_checks.acquire().await else {
        return Error::Internal(anyhow::anyhow!("password checks closed")).into_response();
    };
    let who = login.clone();
    let done = act(&viewer, move |app, _| {
        accounts::login(app, &addr, &who, &password)
    });
    let done = done.await;
    let again = |status: StatusCode, message: &str| {
        (
            status,
            views::account::login(&viewer.ctx(), &login, &next, Some(message)),
        )
            .into_response()
    };
    match done {
        Ok(Login::In {
            secret,
            must_change_password,
            role,
        }) => {
            let target = if must_change_password {
                paths::PASSWORD_PAGE
            } else if role == crate::accounts::Role::Manager && matches!(next.as_str(), "" | "/") {
                // A manager's day is their callbacks.
                paths::CALLBACKS_PAGE
            } else {
                paths::safe_next(&next)
            };
            signed_in(target, &secret, &headers)
        }
        Ok(Login::Refused) => again(StatusCode::UNAUTHORIZED, viewer.texts.login_failed),
        Ok(Login::Disabled) => again(StatusCode::FORBIDDEN, viewer.texts.login_disabled),
        Ok(Login::Slowed(wait)) => {
            let seconds = wait.as_secs().max(1);
            let message = format!("{} {seconds}", viewer.texts.login_slowed);
            let mut response = again(StatusCode::TOO_MANY_REQUESTS, &message);
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
            response
        }
        Err(e) => e.into_response(),
    }
}

/// `POST /logout`.
pub async fn logout(viewer: Viewer, headers: HeaderMap) -> Response {
    if let Some(session) = cookie(&headers, SESSION_COOKIE) {
        let _ = act(&viewer, move |app, _| accounts::end_session(app, &session)).await;
    }
    let mut response = Redirect::to(paths::LOGIN).into_response();
    response
        .headers_mut()
        .insert(header::SET_COOKIE, session_cookie("", 0, &headers));
    response
}

/// `GET /account/password`; `?changed=1` after a change says it was made.
pub async fn password_page(
    viewer: Viewer,
    Params(params): Params<HashMap<String, String>>,
) -> Response {
    let must = viewer
        .principal
        .as_ref()
        .is_some_and(|p| p.must_change_password);
    let changed = params.contains_key("changed");
    views::account::password(&viewer.ctx(), must, None, changed).into_response()
}

/// `POST /account/password`: a new password for the logged-in person; other sessions end.
pub async fn change_password(
    viewer: Viewer,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let ctx = viewer.ctx();
    // A machine token has no password to change.
    let Some(principal) = viewer.principal.as_ref().filter(|p| p.csrf.is_some()) else {
        let role = viewer.principal.as_ref().map_or(Role::Operator, |p| p.role);
        return Error::Forbidden(role).into_response();
    };
    let field = |k: &str| form.get(k).cloned().unwrap_or_default();
    let (current, new, repeat) = (field("current"), field("new"), field("repeat"));
    let again = |status: StatusCode, message: &str| {
        (
            status,
            views::account::password(&ctx, principal.must_change_password, Some(message), false),
        )
            .into_response()
    };
    if new != repeat {
        // And what is wrong with the new one itself, if anything: both said at once.
        let mut message = viewer.texts.password_mismatch.to_string();
        if let Err(e) = crate::accounts::check_new_password(&new) {
            message = format!("{message} {}", viewer.texts.page_field_error(&e));
        }
        return again(StatusCode::UNPROCESSABLE_ENTITY, &message);
    }
    let Ok(_permit) = viewer.app.password_checks.acquire().await else {
        return Error::Internal(anyhow::anyhow!("password checks closed")).into_response();
    };
    let login = principal.name.clone();
    let changed = act(&viewer, move |app, _| {
        accounts::change_own_password(app, &login, &current, &new)
    })
    .await;
    match changed {
        // Back to the form, which now says the password was changed.
        Ok(PasswordChange::Changed(secret)) => signed_in(
            &format!("{}?changed=1", paths::PASSWORD_PAGE),
            &secret,
            &headers,
        ),
        Ok(PasswordChange::Wrong) => again(
            StatusCode::UNPROCESSABLE_ENTITY,
            viewer.texts.password_wrong,
        ),
        Ok(PasswordChange::Slowed(wait)) => {
            let message = format!("{} {}", viewer.texts.login_slowed, wait.as_secs().max(1));
            again(StatusCode::TOO_MANY_REQUESTS, &message)
        }
        Err(Error::Invalid(e)) => again(
            StatusCode::UNPROCESSABLE_ENTITY,
            &viewer.texts.field_problem(&e.problem),
        ),
        Err(e) => e.into_response(),
    }
}

/// Whether a request says it comes from another site (`Origin` of another host): a login
/// form posted from elsewhere must not log the desk into someone else's account.
pub fn cross_site(headers: &HeaderMap) -> bool {
    let origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok());
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    match (origin, host) {
        (Some("null"), _) => true,
        (Some(origin), Some(host)) => origin.split_once("://").map(|(_, rest)| rest) != Some(host),
        (Some(_), None) => true,
        (None, _) => false,
    }
}
