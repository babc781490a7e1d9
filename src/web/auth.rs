//! Who may do what over HTTP: the access table, the middleware that finds the principal (session
//! cookie or `Authorization: Bearer`), anti-forgery checks on forms, and the login, logout and
//! password pages.
//!
//! Every route needs an account except `/healthz`, the login page and static assets. Pages send
//! a visitor without a session to the login page; the API answers `401`. A role without the
//! right gets `403`. A request that changes something with a session cookie must carry the
//! session's anti-forgery token (form field `_csrf` or header `X-CSRF-Token`); tokens sent as
//! `Authorization: Bearer` carry no cookie and need none.

use super::error::ApiError;
use super::{blocking, paths, AppState};
use crate::accounts::{self, Principal, Role};
use crate::views::{self, Ctx};
use axum::body::{to_bytes, Body};
use axum::extract::{ConnectInfo, FromRequestParts, Query, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use chrono::Utc;
use serde::Deserialize;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

/// How long a session lasts.
pub const SESSION_HOURS: i64 = 12;
/// Largest request body accepted, in bytes (`413` past it).
pub const BODY_LIMIT: usize = 64 * 1024;

/// Who may reach a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone.
    Public,
    /// Anyone logged in, even one who must first change the password.
    Signed,
    /// This role or a higher one.
    Role(Role),
}

/// The access table: every route's requirement, by path. Unknown paths need an operator, so
/// that a stranger learns nothing from a 404.
pub fn access(path: &str) -> Access {
    match path {
        paths::HEALTHZ | paths::LOGIN => Access::Public,
        p if p.starts_with(paths::STATIC_PREFIX) => Access::Public,
        paths::LOGOUT | paths::PASSWORD_PAGE => Access::Signed,
        p if p == paths::ADMIN_PAGE || p.starts_with("/admin/") => Access::Role(Role::Admin),
        p if p.starts_with(paths::API_USERS) || p.starts_with(paths::API_AUDIT) => {
            Access::Role(Role::Admin)
        }
        _ => Access::Role(Role::Operator),
    }
}

fn is_api(path: &str) -> bool {
    path.starts_with("/api/")
}

fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

fn bearer(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_string())
}

enum Found {
    Nobody,
    BadToken,
    Principal(Principal),
}

async fn find_principal(state: &AppState, headers: &HeaderMap) -> Result<Found, ApiError> {
    let store = Arc::clone(&state.app.store);
    if let Some(token) = bearer(headers) {
        let hash = accounts::secret_hash(&token);
        let found = blocking(move || store.token(&hash)).await?;
        return Ok(match found {
            Some(t) => Found::Principal(Principal {
                name: format!("token:{}", t.name),
                role: t.role,
                csrf: None,
                must_change_password: false,
            }),
            None => Found::BadToken,
        });
    }
    let Some(session) = cookie(headers, paths::SESSION_COOKIE) else {
        return Ok(Found::Nobody);
    };
    let hash = accounts::secret_hash(&session);
    let found = blocking(move || store.session(&hash, Utc::now())).await?;
    Ok(match found {
        Some((account, csrf)) => Found::Principal(Principal {
            name: account.login,
            role: account.role,
            csrf: Some(csrf),
            must_change_password: account.must_change_password,
        }),
        None => Found::Nobody,
    })
}

fn unsafe_method(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

fn refuse(
    state: &AppState,
    principal: Option<&Principal>,
    api: bool,
    status: StatusCode,
    message: &str,
) -> Response {
    if api {
        return (status, axum::Json(serde_json::json!({ "error": message }))).into_response();
    }
    let ctx = Ctx {
        texts: state.texts,
        principal,
    };
    (status, views::account::forbidden(&ctx, message)).into_response()
}

/// The middleware in front of every route.
pub async fn guard(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_string();
    let required = access(&path);
    if required == Access::Public {
        return next.run(request).await;
    }
    let api = is_api(&path);
    let principal = match find_principal(&state, request.headers()).await {
        Ok(Found::Principal(p)) => p,
        Ok(Found::BadToken) => {
            return ApiError::Unauthorized("the bearer token is unknown or revoked".into())
                .into_response();
        }
        Ok(Found::Nobody) if api => {
            return ApiError::Unauthorized("log in, or send Authorization: Bearer TOKEN".into())
                .into_response();
        }
        Ok(Found::Nobody) => {
            let next = request
                .uri()
                .path_and_query()
                .map_or("/".to_string(), |pq| pq.to_string());
            let target = if request.method() == Method::GET {
                next
            } else {
                String::new()
            };
            return Redirect::to(&paths::login_page(&target)).into_response();
        }
        Err(e) => return e.into_response(),
    };
    if principal.must_change_password && required != Access::Signed {
        if api {
            return refuse(
                &state,
                Some(&principal),
                true,
                StatusCode::FORBIDDEN,
                "change your password first",
            );
        }
        return Redirect::to(paths::PASSWORD_PAGE).into_response();
    }
    if let Access::Role(role) = required {
        if !principal.role.allows(role) {
            let message = if api {
                format!("the {} role may not do this", principal.role.as_str())
            } else {
                state.texts.forbidden_text.to_string()
            };
            return refuse(
                &state,
                Some(&principal),
                api,
                StatusCode::FORBIDDEN,
                &message,
            );
        }
    }
    let mut request = request;
    if unsafe_method(request.method()) {
        // Read the body here, within the limit, to answer `413` in the API's shape and to find
        // a form's anti-forgery field.
        let (parts, body) = request.into_parts();
        let bytes = match to_bytes(body, BODY_LIMIT).await {
            Ok(b) => b,
            Err(_) => {
                return ApiError::TooLarge(format!("the request body is over {BODY_LIMIT} bytes"))
                    .into_response()
            }
        };
        if let Some(expected) = principal.csrf.as_deref() {
            let sent = parts
                .headers
                .get(paths::CSRF_HEADER)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
                .or_else(|| {
                    form_urlencoded::parse(&bytes)
                        .find(|(k, _)| k == paths::CSRF_FIELD)
                        .map(|(_, v)| v.into_owned())
                });
            if !sent.is_some_and(|s| constant_time_eq(s.as_bytes(), expected.as_bytes())) {
                tracing::warn!(path = %path, who = %principal.name, "refused a request without a valid anti-forgery token");
                return refuse(
                    &state,
                    Some(&principal),
                    api,
                    StatusCode::FORBIDDEN,
                    state.texts.forgery,
                );
            }
        }
        request = Request::from_parts(parts, Body::from(bytes));
    }
    request.extensions_mut().insert(principal);
    next.run(request).await
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

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The principal of a request that passed the guard, and the texts: what pages need.
pub struct Viewer {
    /// The UI's words.
    pub texts: &'static crate::i18n::Texts,
    /// Who is looking (absent only on public routes).
    pub principal: Option<Principal>,
}

impl Viewer {
    /// The view context.
    pub fn ctx(&self) -> Ctx<'_> {
        Ctx {
            texts: self.texts,
            principal: self.principal.as_ref(),
        }
    }

    /// The name the audit log records.
    pub fn actor(&self) -> String {
        self.principal
            .as_ref()
            .map_or_else(|| "anonymous".to_string(), |p| p.name.clone())
    }
}

impl FromRequestParts<AppState> for Viewer {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Viewer, Self::Rejection> {
        Ok(Viewer {
            texts: state.texts,
            principal: parts.extensions.get::<Principal>().cloned(),
        })
    }
}

/// The client's address, when the server knows it.
pub struct ClientAddr(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<ClientAddr, Self::Rejection> {
        let addr = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map_or_else(|| "unknown".to_string(), |c| c.0.ip().to_string());
        Ok(ClientAddr(addr))
    }
}

fn session_cookie(value: &str, max_age: i64, headers: &HeaderMap) -> HeaderValue {
    // Secure when the browser reached us over HTTPS (directly or through a TLS proxy).
    let https = headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        == Some("https");
    let secure = if https { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}",
        paths::SESSION_COOKIE
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
    state: &AppState,
    account_id: i64,
    headers: &HeaderMap,
) -> Result<HeaderValue, ApiError> {
    let secret = accounts::random_secret(32);
    let csrf = accounts::random_secret(16);
    let hash = accounts::secret_hash(&secret);
    let store = Arc::clone(&state.app.store);
    let expires = Utc::now() + chrono::Duration::hours(SESSION_HOURS);
    blocking(move || store.create_session(account_id, &hash, &csrf, expires)).await?;
    Ok(session_cookie(&secret, SESSION_HOURS * 3600, headers))
}

/// `POST /login`: checks the password, slowed after repeated failures per login and address.
pub async fn login(
    State(state): State<AppState>,
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
        return (
            StatusCode::FORBIDDEN,
            views::account::forbidden(&ctx, state.texts.forgery),
        )
            .into_response();
    }
    let keys = vec![
        format!("login:{}", login.to_lowercase()),
        format!("addr:{addr}"),
    ];
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
        return ApiError::Internal(anyhow::anyhow!("password checks closed")).page(&ctx);
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
                Err(e) => return e.page(&ctx),
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
        Err(e) => e.page(&ctx),
    }
}

/// The hash of a random password, verified against for unknown logins.
static DUMMY_HASH: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    accounts::hash_password(&accounts::random_secret(16)).unwrap_or_default()
});

/// `POST /logout`.
pub async fn logout(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Some(session) = cookie(&headers, paths::SESSION_COOKIE) {
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

/// `GET /account/password`.
pub async fn password_page(viewer: Viewer) -> Response {
    let must = viewer
        .principal
        .as_ref()
        .is_some_and(|p| p.must_change_password);
    views::account::password(&viewer.ctx(), must, None).into_response()
}

/// `POST /account/password`: a new password for the logged-in person; other sessions end.
pub async fn change_password(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let ctx = viewer.ctx();
    let Some(principal) = viewer.principal.as_ref().filter(|p| p.csrf.is_some()) else {
        return (
            StatusCode::FORBIDDEN,
            views::account::forbidden(&ctx, state.texts.forbidden_text),
        )
            .into_response();
    };
    let field = |k: &str| form.get(k).cloned().unwrap_or_default();
    let (current, new, repeat) = (field("current"), field("new"), field("repeat"));
    let again = |status: StatusCode, message: &str| {
        (
            status,
            views::account::password(&ctx, principal.must_change_password, Some(message)),
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
    let keys = vec![format!("password:{}", principal.name)];
    if let Err(wait) = state.app.throttle.attempt(&keys, Instant::now()) {
        let message = format!("{} {}", state.texts.login_slowed, wait.as_secs().max(1));
        return again(StatusCode::TOO_MANY_REQUESTS, &message);
    }
    let Ok(_permit) = state.app.password_checks.acquire().await else {
        return ApiError::Internal(anyhow::anyhow!("password checks closed")).page(&ctx);
    };
    if let Err(message) = accounts::check_new_password(&new) {
        return again(StatusCode::UNPROCESSABLE_ENTITY, &message);
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
                let mut response = Redirect::to(paths::SEARCH_PAGE).into_response();
                response.headers_mut().insert(header::SET_COOKIE, cookie);
                response
            }
            Err(e) => e.page(&ctx),
        },
        Ok(None) => again(StatusCode::UNPROCESSABLE_ENTITY, state.texts.password_wrong),
        Err(e) => e.page(&ctx),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_routes_are_few() {
        assert_eq!(access("/healthz"), Access::Public);
        assert_eq!(access("/login"), Access::Public);
        assert_eq!(access("/static/app.css"), Access::Public);
        assert_eq!(access("/"), Access::Role(Role::Operator));
        assert_eq!(access("/api/users"), Access::Role(Role::Admin));
        assert_eq!(access("/no/such/page"), Access::Role(Role::Operator));
    }

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
