//! Logging in and out, and changing one's own password.
//!
//! Sessions last [`SESSION_HOURS`] in an HttpOnly, SameSite=Strict cookie (Secure behind HTTPS);
//! only the hash of a session's id is stored. Failed logins are slowed ([`crate::accounts::throttle`]).

use super::auth::{cookie, SESSION_COOKIE};
use super::error::Error;
use super::extract::{ClientAddr, Viewer};
use super::{blocking, paths, WebState};
use crate::accounts::throttle::Attempt;
use crate::accounts::{self, Role};
use crate::views;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

/// How long a session lasts.
pub const SESSION_HOURS: i64 = 12;

fn session_cookie(value: &str, max_age: i64, headers: &HeaderMap) -> HeaderValue {
    // Secure when the browser reached us over HTTPS (directly or through a TLS proxy).
    let https = headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        == Some("https");
    let secure = if https { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}",
        SESSION_COOKIE
    ))
    .expect("cookie is ASCII")
}

/// Query of the login page.
#[derive(Debug, Deserialize)]
pub struct LoginParams {
    #[serde(default)]
    next: String,
}

/// `GET /login`.
pub async fn login_page(viewer: Viewer, Query(params): Query<LoginParams>) -> Response {
    views::account::login(&viewer.ctx(), "", &params.next, None).into_response()
}

fn safe_next(next: &str) -> &str {
    // Only paths of this site: never `//evil.example`, `https://...`, nor a path that a browser
    // would read as one after dropping a tab or a backslash (`/\t/evil.example`).
    let plain = next
        .chars()
        .all(|c| !c.is_control() && c != '\\' && !c.is_whitespace());
    if plain && next.starts_with('/') && !next.starts_with("//") {
        next
    } else {
        paths::SEARCH_PAGE
    }
}

async fn open_session(
    state: &WebState,
    account_id: i64,
    headers: &HeaderMap,
) -> Result<HeaderValue, Error> {
    let secret = accounts::random_secret(32);
    let csrf = accounts::random_secret(16);
    let hash = accounts::secret_hash(&secret);
    let store = Arc::clone(&state.app.store);
    let expires = state.app.clock.now() + chrono::Duration::hours(SESSION_HOURS);
    blocking(move || store.create_session(account_id, &hash, &csrf, expires)).await?;
    Ok(session_cookie(&secret, SESSION_HOURS * 3600, headers))
}

/// `POST /login`: checks the password, slowed after repeated failures per login and address.
pub async fn login(
    State(state): State<WebState>,
    viewer: Viewer,
    ClientAddr(addr): ClientAddr,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let login = form
        .get("login")
        .map(|s| s.trim().to_string())
        .unwrap_or_default();
    let password = form.get("password").cloned().unwrap_or_default();
    let next = form.get("next").cloned().unwrap_or_default();
    let ctx = viewer.ctx();
    if cross_site(&headers) {
        return Error::Forgery.into_response();
    }
    let keys = Attempt::new(&addr, &login);
    if let Err(wait) = state.app.throttle.attempt(&keys, Instant::now()) {
        let seconds = wait.as_secs().max(1);
        let message = format!("{} {seconds}", state.texts.login_slowed);
        let mut response = (
            StatusCode::TOO_MANY_REQUESTS,
            views::account::login(&ctx, &login, &next, Some(&message)),
        )
            .into_response();
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        return response;
    }
    // Password hashing takes memory and time: a few at once, the rest wait their turn.
    let Ok(_permit) = state.app.password_checks.acquire().await else {
        return Error::Internal(anyhow::anyhow!("password checks closed")).into_response();
    };
    let store = Arc::clone(&state.app.store);
    let who = login.clone();
    let checked = blocking(move || {
        let found = store.account_by_login(&who)?;
        // Hash even for an unknown login, so that timing does not tell which logins exist.
        let ok = match &found {
            Some((account, hash)) => {
                accounts::verify_password(&password, hash) && !account.disabled
            }
            None => {
                accounts::verify_password(&password, &DUMMY_HASH);
                false
            }
        };
        let outcome = if ok { "login" } else { "login-failed" };
        store.audit(&who, outcome, &format!("address {addr}"), None)?;
        Ok(found.filter(|_| ok).map(|(account, _)| account))
    })
    .await;
    match checked {
        Ok(Some(account)) => {
            state.app.throttle.succeeded(&keys);
            let cookie = match open_session(&state, account.id, &headers).await {
                Ok(c) => c,
                Err(e) => return e.into_response(),
            };
            let target = if account.must_change_password {
                paths::PASSWORD_PAGE
            } else {
                safe_next(&next)
            };
            let mut response = Redirect::to(target).into_response();
            response.headers_mut().insert(header::SET_COOKIE, cookie);
            response
        }
        Ok(None) => {
            // Already counted as a failure when the attempt started.
            (
                StatusCode::UNAUTHORIZED,
                views::account::login(&ctx, &login, &next, Some(state.texts.login_failed)),
            )
                .into_response()
        }
        Err(e) => e.into_response(),
    }
}

/// The hash of a random password, verified against for unknown logins.
static DUMMY_HASH: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    accounts::hash_password(&accounts::random_secret(16)).unwrap_or_default()
});

/// `POST /logout`.
pub async fn logout(State(state): State<WebState>, headers: HeaderMap) -> Response {
    if let Some(session) = cookie(&headers, SESSION_COOKIE) {
        let store = Arc::clone(&state.app.store);
        let hash = accounts::secret_hash(&session);
        let _ = blocking(move || store.delete_session(&hash)).await;
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
    Query(params): Query<HashMap<String, String>>,
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
    State(state): State<WebState>,
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
        return again(
            StatusCode::UNPROCESSABLE_ENTITY,
            state.texts.password_mismatch,
        );
    }
    // Guessing the current password through this form is slowed like logging in.
    let keys = Attempt::password(&principal.name);
    if let Err(wait) = state.app.throttle.attempt(&keys, Instant::now()) {
        let message = format!("{} {}", state.texts.login_slowed, wait.as_secs().max(1));
        return again(StatusCode::TOO_MANY_REQUESTS, &message);
    }
    let Ok(_permit) = state.app.password_checks.acquire().await else {
        return Error::Internal(anyhow::anyhow!("password checks closed")).into_response();
    };
    if let Err(problem) = accounts::check_new_password(&new) {
        return again(
            StatusCode::UNPROCESSABLE_ENTITY,
            &state.texts.field_problem(&problem.problem),
        );
    }
    let store = Arc::clone(&state.app.store);
    let login = principal.name.clone();
    let changed = blocking(move || {
        let Some((account, hash)) = store.account_by_login(&login)? else {
            return Ok(None);
        };
        if !accounts::verify_password(&current, &hash) {
            return Ok(None);
        }
        store.set_password(&login, &accounts::hash_password(&new)?, false)?;
        store.audit(&login, "password", &format!("account {login}"), None)?;
        Ok(Some(account.id))
    })
    .await;
    if matches!(changed, Ok(Some(_))) {
        state.app.throttle.succeeded(&keys);
    }
    match changed {
        Ok(Some(account_id)) => match open_session(&state, account_id, &headers).await {
            Ok(cookie) => {
                // Back to the form, which now says the password was changed.
                let to = format!("{}?changed=1", paths::PASSWORD_PAGE);
                let mut response = Redirect::to(&to).into_response();
                response.headers_mut().insert(header::SET_COOKIE, cookie);
                response
            }
            Err(e) => e.into_response(),
        },
        Ok(None) => again(StatusCode::UNPROCESSABLE_ENTITY, state.texts.password_wrong),
        Err(e) => e.into_response(),
    }
}

/// Whether a request says it comes from another site (`Origin` of another host): a login
/// form posted from elsewhere must not log the desk into someone else's account.
fn cross_site(headers: &HeaderMap) -> bool {
    let origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok());
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    match (origin, host) {
        (Some("null"), _) => true,
        (Some(origin), Some(host)) => origin.split_once("://").map(|(_, rest)| rest) != Some(host),
        (Some(_), None) => true,
        (None, _) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_stays_on_this_site() {
        assert_eq!(safe_next("/calls/3"), "/calls/3");
        assert_eq!(safe_next("//evil.example"), "/");
        assert_eq!(safe_next("https://evil.example"), "/");
        assert_eq!(safe_next("/\t/evil.example"), "/");
        assert_eq!(safe_next("/\\evil.example"), "/");
        assert_eq!(safe_next("/\n"), "/");
    }

    #[test]
    fn logins_posted_from_another_site_are_cross_site() {
        let headers = |origin: Option<&str>| {
            let mut h = HeaderMap::new();
            h.insert(header::HOST, HeaderValue::from_static("desk.local:8080"));
            if let Some(o) = origin {
                h.insert(header::ORIGIN, HeaderValue::from_str(o).unwrap());
            }
            h
        };
        assert!(!cross_site(&headers(None)));
        assert!(!cross_site(&headers(Some("http://desk.local:8080"))));
        assert!(cross_site(&headers(Some("https://evil.example"))));
        assert!(cross_site(&headers(Some("null"))));
    }
}
