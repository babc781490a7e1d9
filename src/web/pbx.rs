//! The phone exchanges' routes: the generic JSON form (a machine token), the webhooks of
//! Zadarma, Mango Office and ITooLabs (each proves itself with its own secret, checked by
//! `actions::pbx::webhook`, so their routes are public), whose client is calling, and the
//! stream of ringing calls that every operator's page listens to.

use super::error::Error;
use super::extract::{ClientAddr, Viewer};
use super::{act, views};
use crate::actions::pbx::webhook::{self, Hook, Reply};
use crate::actions::pbx::{self as action};
use crate::fields::{FieldError, FieldProblem};
use crate::pbx::screens::Seen;
use crate::pbx::zadarma;
use crate::web::extract::Params;
use axum::body::Bytes;
use axum::extract::Path;
use axum::http::{header, HeaderMap, Method, StatusCode, Uri};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::Json;
use futures_util::StreamExt;
use serde::Deserialize;
use serde_json::Value;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

/// The most the guard reads of an exchange's request, [`crate::pbx::MAX_BODY`]: past it the
/// guard refuses it (`413`) without holding more of it, on the public routes too.
pub const READ_LIMIT: usize = crate::pbx::MAX_BODY;
/// The media type of server-sent events.
const EVENT_STREAM: &str = "text/event-stream";
/// How often a quiet stream says it is alive, so that neither the server's idle timeout nor a
/// proxy closes it.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// Takes a request to an exchange's route and answers as the exchange expects.
async fn receive(
    viewer: &Viewer,
    hook: Hook,
    (from, uri, headers, body): (String, Uri, HeaderMap, Bytes),
) -> Result<Response, Error> {
    let reply = act(viewer, move |app, actor| {
        let request = webhook::Request {
            from: &from,
            body: &body,
            query: uri.query().unwrap_or(""),
            signature: headers
                .get(zadarma::SIGNATURE_HEADER)
                .and_then(|v| v.to_str().ok()),
        };
        webhook::receive(app, actor, hook, &request)
    })
    .await?;
    let typed =
        |kind: &'static str, body: String| ([(header::CONTENT_TYPE, kind)], body).into_response();
    Ok(match reply {
        Reply::Taken(taken) => Json(views::json::taken(&taken)).into_response(),
        Reply::Nothing => StatusCode::OK.into_response(),
        Reply::Json(body) => typed("application/json", body),
        Reply::Text(body) => typed("text/plain; charset=utf-8", body),
    })
}

/// `POST /api/pbx/events`: one event in the generic JSON form ([`crate::pbx::generic`]), with a
/// machine token (operator or above): `{"duplicate", "state", "call", "callback"}`.
pub async fn events(
    viewer: Viewer,
    ClientAddr(from): ClientAddr,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Error> {
    receive(&viewer, Hook::Generic, (from, uri, headers, body)).await
}

/// `POST /api/pbx/zadarma`: a Zadarma notification, signed (`Signature`). The answer to the
/// start of a call (`NOTIFY_START`) rings the caller's manager first, when `desk.toml` asks to
/// route and the caller has one. `GET /api/pbx/zadarma?zd_echo=VALUE`: Zadarma checks the
/// address when it is saved in its settings, and wants `VALUE` back.
pub async fn zadarma(
    viewer: Viewer,
    ClientAddr(from): ClientAddr,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Error> {
    let hook = match method {
        Method::GET => Hook::ZadarmaEcho,
        _ => Hook::Zadarma,
    };
    receive(&viewer, hook, (from, uri, headers, body)).await
}

/// `POST /api/pbx/mango/events/{kind}`: a Mango Office event (`call`, `summary`; others are
/// checked and ignored), signed with the API connector's key and salt.
pub async fn mango(
    viewer: Viewer,
    ClientAddr(from): ClientAddr,
    Path(kind): Path<String>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Error> {
    receive(&viewer, Hook::Mango(kind), (from, uri, headers, body)).await
}

/// `POST /api/pbx/itoolabs`: an ITooLabs command with its `crm_token`: an event or a call's
/// history (taken), or `contact` (answered with the caller's name and their responsible
/// manager, whom the PBX then rings first).
pub async fn itoolabs(
    viewer: Viewer,
    ClientAddr(from): ClientAddr,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Error> {
    receive(&viewer, Hook::Itoolabs, (from, uri, headers, body)).await
}

/// Query of the lookup.
#[derive(Debug, Deserialize)]
pub struct LookupParams {
    phone: Option<String>,
}

/// `GET /api/pbx/lookup?phone=`: whose client is calling, for routing:
/// `{"name", "company", "kind", "manager": {"login", "extension"}}` (`manager` `null` when the
/// caller has none).
pub async fn lookup(
    viewer: Viewer,
    Params(params): Params<LookupParams>,
) -> Result<Json<Value>, Error> {
    let caller = act(&viewer, move |app, actor| {
        action::lookup(app, actor, params.phone.as_deref())
    })
    .await?;
    Ok(Json(views::json::lookup(&caller)))
}

/// `GET /api/pbx/ringing`: the calls ringing now, then every call that rings, is answered or
/// ends, as server-sent events (`ringing`, `answered`, `ended`; `evicted` when a newer page of
/// the same person took this one's place). Each is the screen's event as JSON, with `mine`:
/// whether the call was answered on the viewer's own extension. The stream ends when the
/// server stops.
///
/// Only a client that asks for a stream (`Accept: text/event-stream`, as `EventSource` does) gets
/// one; any other is told so (`422`) rather than left waiting on an answer that never ends.
pub async fn ringing(viewer: Viewer, headers: HeaderMap) -> Result<Response, Error> {
    let wants_stream = headers
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.contains(EVENT_STREAM));
    if !wants_stream {
        return Err(FieldError::new("accept", FieldProblem::ExpectedOneOf(&[EVENT_STREAM])).into());
    }
    let screens = &viewer.app.exchanges.screens;
    let watch = screens
        .watch(viewer.stream_owner().as_deref())
        .map_err(|_| Error::TooManyScreens)?;
    // Who the stream is for: asked again before each call is told, so that a person signed
    // out, disabled or given another role since hears of no caller after it.
    let who = (
        Arc::clone(&viewer.app),
        headers.clone(),
        viewer.principal.clone(),
    );
    let told = futures_util::stream::unfold((watch, who), |(mut watch, who)| async move {
        let event = match watch.next().await? {
            Seen::Evicted => Event::default().event("evicted").data("{}"),
            Seen::Event(e, left) => {
                let (app, headers, principal) = &who;
                let still = match principal {
                    Some(p) => super::auth::still_signed_in(app, headers, p).await,
                    None => false,
                };
                if !still {
                    return None;
                }
                let data = views::json::screen_event(&e, watch.mine(&e), left);
                Event::default()
                    .event(e.shown.as_str())
                    .data(data.to_string())
            }
        };
        Some((Ok::<_, Infallible>(event), (watch, who)))
    });
    // Reconnect soon after the stream drops (a restart, the network).
    let first = Event::default().retry(Duration::from_secs(3));
    let stream = futures_util::stream::once(async { Ok(first) }).chain(told);
    let keep_alive = KeepAlive::new().interval(KEEP_ALIVE).text("keep-alive");
    let no_buffering = [(header::HeaderName::from_static("x-accel-buffering"), "no")];
    Ok((no_buffering, Sse::new(stream).keep_alive(keep_alive)).into_response())
}
