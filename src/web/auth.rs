//! The guard in front of every route: it finds the principal (session cookie or
//! `Authorization: Bearer`), refuses an answer's slug that can name no file (`404` for every
//! role), applies the access the route table declared for the matched route,
//! reads the body within its limit, and checks the anti-forgery token of a change made with a
//! session.
//!
//! Pages send a visitor without a session to the login page; the API answers `401`. A role
//! without the right gets `403`. A route with no declared access is refused to everyone but
//! admins; a URL no route matches needs an operator, so that a stranger learns nothing from a
//! `404`. Tokens sent as `Authorization: Bearer` carry no cookie and need no anti-forgery token.

use super::error::{for_viewer, Error, Thing};
use super::{is_api, paths, Access, WebState};
use crate::accounts::{Principal, Role};
use crate::i18n::Texts;
use axum::body::{to_bytes, Body, Bytes};
use axum::extract::{FromRequestParts, MatchedPath, RawPathParams, Request, State};
use axum::http::{header, HeaderMap, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

/// Largest request body accepted, in bytes (`413` past it).
pub const BODY_LIMIT: usize = 64 * 1024;
/// Largest body of a route that takes a whole answer file (a 256 KB file is up to three times
/// as long as a form field).
pub const ANSWER_BODY_LIMIT: usize = 1024 * 1024;
/// Largest body of the login form: a name and a password.
pub const LOGIN_BODY_LIMIT: usize = 8 * 1024;
/// Header that carries the anti-forgery token for scripts.
pub const CSRF_HEADER: &str = "x-csrf-token";
/// The session cookie.
pub const SESSION_COOKIE: &str = "callfaq_session";

/// What the guard needs: the state, and the declared access of every route pattern.
#[derive(Clone)]
pub struct Guard {
    /// The shared state.
    pub state: WebState,
    /// Access and body limit by route pattern, from the route table.
    pub access: Arc<HashMap<&'static str, (Access, usize)>>,
}

impl Guard {
    /// The access a request needs and the largest body it may send, by the route it matched.
    /// Every route's handler does one thing, whatever the rest of the path says, so the route
    /// alone decides: a percent-encoded word in a path can never reach another route's work.
    fn required(&self, matched: Option<&str>) -> (Access, usize) {
        match matched {
            None => (Access::Role(Role::Operator), BODY_LIMIT),
            Some(pattern) => self.access.get(pattern).copied().unwrap_or_else(|| {
                tracing::warn!(
                    route = pattern,
                    "route without declared access: only admins may use it"
                );
                (Access::Role(Role::Admin), BODY_LIMIT)
            }),
        }
    }
}

/// The cookie that keeps a browser's choice of language ([`crate::paths::LANGUAGE`]).
pub const LANGUAGE_COOKIE: &str = "callfaq_lang";

/// The words a request is answered in: the browser's choice of language, else the server's.
pub fn texts_for(headers: &HeaderMap, server: &'static Texts) -> &'static Texts {
    cookie(headers, LANGUAGE_COOKIE)
        .and_then(|code| crate::i18n::Lang::parse(&code))
        .map_or(server, crate::i18n::texts)
}

/// A cookie's value.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
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

async fn find_principal(state: &WebState, headers: &HeaderMap) -> Result<Found, Error> {
    let app = Arc::clone(&state.app);
    let (token, session) = (bearer(headers), cookie(headers, SESSION_COOKIE));
    let found = tokio::task::spawn_blocking(move || {
        crate::actions::accounts::principal(&app, token.as_deref(), session.as_deref())
    })
    .await
    .map_err(|e| Error::Internal(anyhow::anyhow!("blocking task: {e}")))??;
    Ok(match found {
        Ok(Some(p)) => Found::Principal(p),
        Ok(None) => Found::Nobody,
        Err(()) => Found::BadToken,
    })
}

/// Whether the credentials of `headers` still name `was` with the same role (not signed out,
/// disabled, given another role or a new password since): a long stream asks before it tells
/// more.
pub async fn still_signed_in(
    app: &Arc<crate::app::App>,
    headers: &HeaderMap,
    was: &Principal,
) -> bool {
    let app = Arc::clone(app);
    let (token, session) = (bearer(headers), cookie(headers, SESSION_COOKIE));
    let found = tokio::task::spawn_blocking(move || {
        crate::actions::accounts::principal(&app, token.as_deref(), session.as_deref())
    })
    .await;
    matches!(found, Ok(Ok(Ok(Some(now)))) if now.name == was.name && now.role == was.role && !now.must_change_password)
}

/// The client's address of a request to an exchange's token routes (the generic events, the
/// lookup): refused for its token, such a request is audited as the exchange's other refusals
/// are, a flood in part, so that an exchange set up with a wrong or revoked token, which loses
/// every call, leaves a trace on `/admin`.
fn exchange_client(request: &Request) -> Option<String> {
    let path = request.uri().path();
    if path != paths::API_PBX_EVENTS && path != paths::API_PBX_LOOKUP {
        return None;
    }
    Some(super::extract::ClientAddr::of(request.extensions()).0)
}

/// Writes the audit line of a refusal of such a request (`from`: [`exchange_client`]), off
/// the runtime's threads.
async fn exchange_refused(state: &WebState, from: Option<String>, why: &'static str) {
    let Some(from) = from else {
        return;
    };
    let app = Arc::clone(&state.app);
    let exchange = crate::pbx::Exchange::Generic;
    let written = tokio::task::spawn_blocking(move || {
        let actor = crate::actions::pbx::exchange_actor(exchange);
        crate::actions::pbx::refused(&app, &actor, exchange, &from, why);
    })
    .await;
    if let Err(e) = written {
        tracing::error!("audit of a refused exchange request: {e}");
    }
}

fn unsafe_method(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// A request's body, whole: `413` past `limit` bytes, `408` when it has not all come within
/// `timeout` (a client that sends a head and then trickles or withholds its body is not waited
/// for without end).
async fn read_body(body: Body, limit: usize, timeout: Duration) -> Result<Bytes, Error> {
    match tokio::time::timeout(timeout, to_bytes(body, limit)).await {
        Err(_) => Err(Error::Timeout),
        Ok(Err(_)) => Err(Error::TooLarge(limit)),
        Ok(Ok(bytes)) => Ok(bytes),
    }
}

/// The middleware in front of every route.
pub async fn guard(State(guard): State<Guard>, request: Request, next: Next) -> Response {
    let matched = request
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_string());
    let (required, body_limit) = guard.required(matched.as_deref());
    if required == Access::Public {
        if !unsafe_method(request.method()) {
            return next.run(request).await;
        }
        // A public form (the login) is held to its own limit too.
        let (parts, body) = request.into_parts();
        let bytes = match read_body(body, body_limit, guard.state.body_timeout).await {
            Ok(bytes) => bytes,
            Err(e) => return e.into_response(),
        };
        return next
            .run(Request::from_parts(parts, Body::from(bytes)))
            .await;
    }
    let state = &guard.state;
    let path = request.uri().path().to_string();
    let api = is_api(&path);
    let principal = match find_principal(state, request.headers()).await {
        Ok(Found::Principal(p)) => p,
        Ok(Found::BadToken) => {
            exchange_refused(state, exchange_client(&request), "unknown or revoked token").await;
            return Error::BadToken.into_response();
        }
        Ok(Found::Nobody) if api => {
            exchange_refused(state, exchange_client(&request), "no token").await;
            return Error::NoCredentials.into_response();
        }
        Ok(Found::Nobody) => {
            let next = request
                .uri()
                .path_and_query()
                .map_or("/".to_string(), |pq| pq.to_string());
            if request.method() == Method::GET {
                return Redirect::to(&paths::login_page(&next)).into_response();
            }
            // A form sent after the session ended: its words wait in the browser tab, and
            // signing in goes back to the page it was on, filled again.
            let back = super::session::same_site_path(request.headers()).unwrap_or_default();
            return Redirect::to(&paths::login_page_ended(&back)).into_response();
        }
        Err(e) => return e.into_response(),
    };
    if principal.must_change_password && required != Access::Signed {
        if api {
            return for_viewer(Error::MustChangePassword.into_response(), Some(&principal));
        }
        return Redirect::to(paths::PASSWORD_PAGE).into_response();
    }
    // A slug that can name no answer file names nothing, for every role: `404` before access
    // is decided, so that no role learns more of such a path than another. (The answer
    // pages' own catch-alls decide in their handler, where an address of the earlier layout is
    // moved.)
    let mut request = request;
    if let Some(slug) = unservable_slug(matched.as_deref(), &mut request).await {
        return for_viewer(
            Error::not_found(Thing::Answer, crate::text::clip(&slug, 200)).into_response(),
            Some(&principal),
        );
    }
    if let Access::Role(role) = required {
        if !principal.role.allows(role) {
            return for_viewer(
                Error::Forbidden(principal.role).into_response(),
                Some(&principal),
            );
        }
    }
    if unsafe_method(request.method()) {
        // Read the body here, within the limit, to answer `413` in the API's shape and to find
        // a form's anti-forgery field.
        let (parts, body) = request.into_parts();
        let bytes = match read_body(body, body_limit, state.body_timeout).await {
            Ok(bytes) => bytes,
            Err(e) => return for_viewer(e.into_response(), Some(&principal)),
        };
        if let Some(expected) = principal.csrf.as_deref() {
            let sent = parts
                .headers
                .get(CSRF_HEADER)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
                .or_else(|| {
                    form_urlencoded::parse(&bytes)
                        .find(|(k, _)| k == paths::CSRF_FIELD)
                        .map(|(_, v)| v.into_owned())
                });
            if !sent.is_some_and(|s| constant_time_eq(s.as_bytes(), expected.as_bytes())) {
                tracing::warn!(path = %crate::text::clip(&path, 200), who = %principal.name, "refused a request without a valid anti-forgery token");
                return for_viewer(Error::Forgery.into_response(), Some(&principal));
            }
        }
        request = Request::from_parts(parts, Body::from(bytes));
    }
    request.extensions_mut().insert(principal.clone());
    let response = next.run(request).await;
    // An error page needs the viewer's menu.
    for_viewer(response, Some(&principal))
}

/// The route's `slug`, decoded, when it cannot name an answer file (`..`, an absolute path, a
/// backslash); answer pages' catch-all routes excepted.
async fn unservable_slug(matched: Option<&str>, request: &mut Request) -> Option<String> {
    let matched = matched?;
    if !matched.contains("{*slug}") || matched == paths::ANSWER_PAGE || matched == paths::API_ANSWER
    {
        return None;
    }
    let (mut parts, body) = std::mem::take(request).into_parts();
    let params = RawPathParams::from_request_parts(&mut parts, &()).await;
    *request = Request::from_parts(parts, body);
    // A slug that is not even text (invalid UTF-8 once decoded) names nothing either.
    let Ok(params) = params else {
        return Some(String::new());
    };
    let slug = params.iter().find(|(k, _)| *k == "slug")?.1;
    (!crate::knowledge::served_slug(slug)).then(|| slug.to_string())
}

/// Whether two secrets are equal, in time that does not depend on where they differ.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
