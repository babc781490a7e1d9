//! The phone exchanges' routes: the generic JSON form (a machine token), the webhooks of
//! Zadarma, Mango Office and ITooLabs (each proves itself with its own secret, checked here by
//! its adapter, so their routes are public), whose client is calling, and the stream of ringing
//! calls that every operator's page listens to.
//!
//! Each webhook: the adapter on and its secret set (else `404` or `503`, saying what to set),
//! the body within [`pbx::MAX_BODY`] (else `413`), the adapter's reading of it (else its
//! status), then one `actions::pbx` call. Every refusal is audited and writes nothing else.
//! The ringing stream is [`ringing`]'s: server-sent events written by hand over hyper's body
//! trait, ended when the server stops or a newer page of the same person takes its place.

use super::error::Error;
use super::extract::{ClientAddr, Viewer};
use super::WebState;
use crate::actions::{self, pbx as action, Actor};
use crate::app::App;
use crate::fields::{FieldError, FieldProblem};
use crate::pbx::screens::{Caller, ScreenEvent, Watch};
use crate::pbx::settings::{self, Adapter, Closed};
use crate::pbx::{self, itoolabs, mango, zadarma, CallEvent, EventKind, Exchange, PbxError};
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::VecDeque;
use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

/// The most the guard reads of an exchange's request: past [`pbx::MAX_BODY`] the handler
/// refuses it itself, with an audit line; past this, the guard does (`413`).
pub const READ_LIMIT: usize = 2 * 1024 * 1024;
/// The media type of server-sent events.
const EVENT_STREAM: &str = "text/event-stream";
/// How often a quiet stream says it is alive, so that neither the server's idle timeout nor a
/// proxy closes it.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// Runs an action off the async threads as `actor`.
async fn run<T: Send + 'static>(
    state: &WebState,
    actor: Actor,
    action: impl FnOnce(&App, &Actor) -> actions::Result<T> + Send + 'static,
) -> Result<T, Error> {
    let app = Arc::clone(&state.app);
    tokio::task::spawn_blocking(move || action(&app, &actor))
        .await
        .map_err(|e| Error::Internal(anyhow::anyhow!("blocking task: {e}")))?
        .map_err(Error::from)
}

/// Audits a refused request and gives the error it is answered with.
async fn refuse(
    state: &WebState,
    actor: Actor,
    exchange: Exchange,
    from: &str,
    error: Error,
) -> Error {
    let why = match &error {
        Error::Pbx(e) => e.to_string(),
        Error::ExchangeClosed(Closed::Off(_)) => "the adapter is off".to_string(),
        Error::ExchangeClosed(Closed::NoSecret(_, variable)) => format!("{variable} is not set"),
        Error::TooLarge(limit) => format!("a body over {limit} bytes"),
        other => other.to_string(),
    };
    let from = from.to_string();
    let audited = run(state, actor, move |app, actor| {
        action::refused(app, actor, exchange, &from, &why);
        Ok(())
    })
    .await;
    if let Err(e) = audited {
        tracing::error!("auditing a refused exchange request: {e}");
    }
    error
}

/// The webhook's gate: the adapter on with its secrets, the body within bounds. Gives the
/// secrets.
async fn gate<'s, T>(
    state: &'s WebState,
    exchange: Exchange,
    from: &str,
    body: &[u8],
    secrets: impl FnOnce(&'s App) -> Result<T, Closed>,
) -> Result<T, Error> {
    let actor = action::exchange_actor(exchange);
    let opened = match secrets(&state.app) {
        Ok(opened) => opened,
        // An adapter that is off is a route that is not there: `404`, and no audit line, so
        // that anyone's requests to it fill nothing.
        Err(closed @ Closed::Off(_)) => return Err(Error::ExchangeClosed(closed)),
        Err(closed) => {
            return Err(refuse(state, actor, exchange, from, Error::ExchangeClosed(closed)).await)
        }
    };
    if body.len() > pbx::MAX_BODY {
        return Err(refuse(state, actor, exchange, from, Error::TooLarge(pbx::MAX_BODY)).await);
    }
    Ok(opened)
}

/// The answer to an event taken.
fn taken_json(taken: &action::Taken) -> Value {
    json!({
        "duplicate": taken.duplicate,
        "state": taken.exchange_call.state.as_str(),
        "call": taken.exchange_call.call,
        "callback": taken.callback,
    })
}

/// `POST /api/pbx/events`: one event in the generic JSON form ([`pbx::generic`]), with a
/// machine token (operator or above): `{"duplicate", "state", "call", "callback"}`.
pub async fn events(
    State(state): State<WebState>,
    viewer: Viewer,
    ClientAddr(from): ClientAddr,
    body: Bytes,
) -> Result<Response, Error> {
    let settings = &state.app.desk.settings.pbx;
    let actor = viewer.actor();
    if let Err(closed) = settings::on(settings, Adapter::Generic) {
        let error = Error::ExchangeClosed(closed);
        return Err(refuse(&state, actor, Exchange::Generic, &from, error).await);
    }
    if body.len() > pbx::MAX_BODY {
        let error = Error::TooLarge(pbx::MAX_BODY);
        return Err(refuse(&state, actor, Exchange::Generic, &from, error).await);
    }
    let event = match pbx::generic::parse(&body) {
        Ok(event) => event,
        Err(e) => return Err(refuse(&state, actor, Exchange::Generic, &from, e.into()).await),
    };
    let taken = run(&state, actor, move |app, actor| {
        action::take(app, actor, event)
    })
    .await?;
    Ok(Json(taken_json(&taken)).into_response())
}

/// `GET /api/pbx/zadarma?zd_echo=VALUE`: Zadarma checks the address when it is saved in its
/// settings, and wants `VALUE` back.
pub async fn zadarma_echo(
    State(state): State<WebState>,
    ClientAddr(from): ClientAddr,
    uri: Uri,
) -> Result<Response, Error> {
    let settings = &state.app.desk.settings.pbx;
    let actor = action::exchange_actor(Exchange::Zadarma);
    if let Err(closed) = settings::on(settings, Adapter::Zadarma) {
        let error = Error::ExchangeClosed(closed);
        return Err(refuse(&state, actor, Exchange::Zadarma, &from, error).await);
    }
    match zadarma::echo(uri.query().unwrap_or("")) {
        Some(echo) => {
            Ok(([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], echo).into_response())
        }
        None => {
            let error = PbxError::Malformed(format!("no `{}` to answer", zadarma::ECHO));
            Err(refuse(&state, actor, Exchange::Zadarma, &from, error.into()).await)
        }
    }
}

/// `POST /api/pbx/zadarma`: a Zadarma notification, signed (`Signature`). The answer to the
/// start of a call (`NOTIFY_START`) rings the caller's manager first, when `desk.toml` asks to
/// route and the caller has one.
pub async fn zadarma(
    State(state): State<WebState>,
    ClientAddr(from): ClientAddr,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Error> {
    let secret = gate(&state, Exchange::Zadarma, &from, &body, |app| {
        app.exchanges.secrets.zadarma(&app.desk.settings.pbx)
    })
    .await?
    .to_string();
    let signature = headers
        .get(zadarma::SIGNATURE_HEADER)
        .and_then(|v| v.to_str().ok());
    let actor = action::exchange_actor(Exchange::Zadarma);
    let event = match zadarma::parse(&body, signature, &secret) {
        Ok(Some(event)) => event,
        Ok(None) => return Ok(StatusCode::OK.into_response()),
        Err(e) => return Err(refuse(&state, actor, Exchange::Zadarma, &from, e.into()).await),
    };
    let call_starts = event.kind == EventKind::Ringing && event.extension.is_none();
    let ring = state.app.desk.settings.pbx.ring_manager_seconds;
    let extension = run(&state, actor, move |app, actor| {
        let caller = event.caller.clone();
        action::take(app, actor, event)?;
        if call_starts {
            action::route(app, actor, caller.as_deref())
        } else {
            Ok(None)
        }
    })
    .await?;
    Ok(
        match extension.and_then(|ext| zadarma::redirect(&ext, ring)) {
            Some(reply) => ([(header::CONTENT_TYPE, "application/json")], reply).into_response(),
            None => StatusCode::OK.into_response(),
        },
    )
}

/// `POST /api/pbx/mango/events/{kind}`: a Mango Office event (`call`, `summary`; others are
/// checked and ignored), signed with the API connector's key and salt.
pub async fn mango(
    State(state): State<WebState>,
    ClientAddr(from): ClientAddr,
    Path(kind): Path<String>,
    body: Bytes,
) -> Result<Response, Error> {
    let (key, salt) = gate(&state, Exchange::Mango, &from, &body, |app| {
        app.exchanges.secrets.mango(&app.desk.settings.pbx)
    })
    .await
    .map(|(k, s)| (k.to_string(), s.to_string()))?;
    let actor = action::exchange_actor(Exchange::Mango);
    match mango::parse(&kind, &body, &key, &salt) {
        Ok(Some(event)) => take_and_answer(&state, actor, event).await,
        Ok(None) => Ok(StatusCode::OK.into_response()),
        Err(e) => Err(refuse(&state, actor, Exchange::Mango, &from, e.into()).await),
    }
}

/// `POST /api/pbx/itoolabs`: an ITooLabs command with its `crm_token`: an event or a call's
/// history (taken), or `contact` (answered with the caller's name and their responsible
/// manager, whom the PBX then rings first).
pub async fn itoolabs(
    State(state): State<WebState>,
    ClientAddr(from): ClientAddr,
    body: Bytes,
) -> Result<Response, Error> {
    let token = gate(&state, Exchange::Itoolabs, &from, &body, |app| {
        app.exchanges.secrets.itoolabs(&app.desk.settings.pbx)
    })
    .await?
    .to_string();
    let actor = action::exchange_actor(Exchange::Itoolabs);
    match itoolabs::parse(&body, &token) {
        Ok(itoolabs::Command::Event(Some(event))) => take_and_answer(&state, actor, event).await,
        Ok(itoolabs::Command::Event(None)) => Ok(StatusCode::OK.into_response()),
        Ok(itoolabs::Command::Contact(query)) => {
            let caller = run(&state, actor, move |app, actor| {
                action::lookup(app, actor, Some(&query.phone))
            })
            .await?;
            let name = contact_name(&caller);
            let responsible = caller
                .manager
                .as_ref()
                .map(|m| m.extension.clone().unwrap_or_else(|| m.login.clone()));
            let reply = itoolabs::contact_reply(name.as_deref(), responsible.as_deref());
            Ok(([(header::CONTENT_TYPE, "application/json")], reply).into_response())
        }
        Err(e) => Err(refuse(&state, actor, Exchange::Itoolabs, &from, e.into()).await),
    }
}

/// The name an employee's phone shows for a caller: `Company, Name`, or either.
fn contact_name(caller: &Caller) -> Option<String> {
    let parts: Vec<&str> = [caller.company.as_deref(), caller.name.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    (!parts.is_empty()).then(|| parts.join(", "))
}

async fn take_and_answer(
    state: &WebState,
    actor: Actor,
    event: CallEvent,
) -> Result<Response, Error> {
    let taken = run(state, actor, move |app, actor| {
        action::take(app, actor, event)
    })
    .await?;
    Ok(Json(taken_json(&taken)).into_response())
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
    State(state): State<WebState>,
    viewer: Viewer,
    Query(params): Query<LookupParams>,
) -> Result<Json<Value>, Error> {
    let caller = run(&state, viewer.actor(), move |app, actor| {
        action::lookup(app, actor, params.phone.as_deref())
    })
    .await?;
    Ok(Json(json!({
        "name": caller.name,
        "company": caller.company,
        "kind": caller.kind.as_str(),
        "manager": caller.manager.map(|m| json!({"login": m.login, "extension": m.extension})),
    })))
}

/// `GET /api/pbx/ringing`: the calls ringing now, then every call that rings, is answered or
/// ends, as server-sent events (`ringing`, `answered`, `ended`; `evicted` when a newer page of
/// the same person took this one's place). Each is the [`ScreenEvent`] as JSON, with `mine`:
/// whether the call was answered on the viewer's own extension.
///
/// Only a client that asks for a stream (`Accept: text/event-stream`, as `EventSource` does) gets
/// one; any other is told so (`422`) rather than left waiting on an answer that never ends.
pub async fn ringing(
    State(state): State<WebState>,
    viewer: Viewer,
    headers: HeaderMap,
) -> Result<Response, Error> {
    let wants_stream = headers
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.contains(EVENT_STREAM));
    if !wants_stream {
        return Err(FieldError::new("accept", FieldProblem::ExpectedOneOf(&[EVENT_STREAM])).into());
    }
    let watch = state
        .app
        .exchanges
        .screens
        .watch(viewer.stream_owner().as_deref())
        .map_err(|_| Error::TooManyScreens)?;
    let feed = Feed {
        pending: watch.ringing.iter().cloned().collect(),
        watch,
        keep_alive: tokio::time::interval_at(tokio::time::Instant::now() + KEEP_ALIVE, KEEP_ALIVE),
        started: false,
        done: false,
    };
    let body = axum::body::Body::new(EventBody {
        next: Some(Box::pin(feed.next())),
    });
    Ok((
        [
            (header::CONTENT_TYPE, EVENT_STREAM),
            (header::HeaderName::from_static("x-accel-buffering"), "no"),
        ],
        body,
    )
        .into_response())
}

/// One page's stream: what is left to send, and what it waits on.
struct Feed {
    watch: Watch,
    pending: VecDeque<Arc<ScreenEvent>>,
    keep_alive: tokio::time::Interval,
    started: bool,
    done: bool,
}

/// What woke a waiting stream.
enum Step {
    End,
    Evicted,
    Event(Arc<ScreenEvent>),
    Skip,
    Ping,
}

impl Feed {
    /// The next bytes of the stream and the feed that follows them; `None` at its end.
    async fn next(mut self) -> Option<(Bytes, Feed)> {
        if !self.started {
            self.started = true;
            // Reconnect soon after the stream drops (a restart, the network).
            return Some((Bytes::from_static(b"retry: 3000\n\n"), self));
        }
        if let Some(event) = self.pending.pop_front() {
            let frame = self.frame(&event);
            return Some((frame, self));
        }
        if self.done {
            return None;
        }
        loop {
            let step = tokio::select! {
                biased;
                _ = self.watch.closed.wait_for(|closed| *closed) => Step::End,
                () = self.watch.evicted.notified() => Step::Evicted,
                got = self.watch.events.recv() => match got {
                    Ok(event) => Step::Event(event),
                    // A page far behind misses some events; the next ones still come.
                    Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => Step::Skip,
                    Err(tokio::sync::broadcast::error::RecvError::Closed) => Step::End,
                },
                _ = self.keep_alive.tick() => Step::Ping,
            };
            match step {
                Step::End => return None,
                Step::Evicted => {
                    self.done = true;
                    return Some((Bytes::from_static(b"event: evicted\ndata: {}\n\n"), self));
                }
                Step::Event(event) => {
                    let frame = self.frame(&event);
                    return Some((frame, self));
                }
                Step::Skip => continue,
                Step::Ping => return Some((Bytes::from_static(b": keep-alive\n\n"), self)),
            }
        }
    }

    /// An event as the stream sends it: its name, and its JSON with `mine`.
    fn frame(&self, event: &ScreenEvent) -> Bytes {
        let mut data = serde_json::to_value(event).unwrap_or_else(|_| json!({}));
        let mine = event.answered_by.is_some() && event.answered_by == self.watch.person;
        data["mine"] = json!(mine);
        Bytes::from(format!("event: {}\ndata: {data}\n\n", event.shown.as_str()))
    }
}

type NextChunk = Pin<Box<dyn Future<Output = Option<(Bytes, Feed)>> + Send>>;

/// A response body that is a [`Feed`], one chunk at a time.
struct EventBody {
    next: Option<NextChunk>,
}

impl hyper::body::Body for EventBody {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<hyper::body::Frame<Bytes>, Infallible>>> {
        let Some(next) = self.next.as_mut() else {
            return Poll::Ready(None);
        };
        match next.as_mut().poll(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(None) => {
                self.next = None;
                Poll::Ready(None)
            }
            Poll::Ready(Some((bytes, feed))) => {
                self.next = Some(Box::pin(feed.next()));
                Poll::Ready(Some(Ok(hyper::body::Frame::data(bytes))))
            }
        }
    }
}
