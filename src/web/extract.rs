//! What handlers take from a request besides axum's own extractors: who is looking
//! ([`Viewer`]), from which address ([`ClientAddr`]), a JSON object body ([`JsonObject`]), the
//! query string ([`Params`], refused as a clear `422`) and a numeric id from the path
//! ([`parse_id`]).

use super::error::{Error, Thing};
use super::WebState;
use crate::accounts::Principal;
use crate::fields::{FieldError, FieldProblem};
use crate::i18n::Texts;
use crate::views::Ctx;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use serde::Deserialize;
use serde_json::{Map, Value};
use std::net::SocketAddr;

/// The principal of a request that passed the guard, with the app and the interface's words:
/// what handlers and pages need.
pub struct Viewer {
    /// Everything the server holds.
    pub app: std::sync::Arc<crate::app::App>,
    /// The UI's words.
    pub texts: &'static Texts,
    /// Who is looking (absent only on public routes).
    pub principal: Option<Principal>,
    /// The page's path: the menu marks the section it is in.
    pub path: String,
}

impl Viewer {
    /// The view context.
    pub fn ctx(&self) -> Ctx<'_> {
        Ctx {
            texts: self.texts,
            principal: self.principal.as_ref(),
            clock: &self.app.clock,
            hours: &self.app.desk.settings.hours,
            path: &self.path,
        }
    }

    /// Who acts, for an action: the principal (or, on a public route, an anonymous operator).
    pub fn actor(&self) -> crate::actions::Actor {
        self.principal.as_ref().map_or_else(
            || crate::actions::Actor {
                name: "anonymous".into(),
                role: crate::accounts::Role::Operator,
                person: None,
            },
            crate::actions::Actor::of,
        )
    }

    /// Refuses a viewer whose role is below `role` (`403`).
    pub fn require(&self, role: crate::accounts::Role) -> Result<(), Error> {
        match &self.principal {
            Some(p) if p.role.allows(role) => Ok(()),
            Some(p) => Err(Error::Forbidden(p.role)),
            None => Err(Error::NoCredentials),
        }
    }

    /// The login of a person using the browser (a session, not a machine token).
    pub fn person(&self) -> Option<&str> {
        self.principal
            .as_ref()
            .filter(|p| p.csrf.is_some())
            .map(|p| p.name.as_str())
    }

    /// Whose a long-lived stream is, for the per-person limit: the person's login, or a
    /// token's name (apart from logins), so that one token cannot take every stream.
    pub fn stream_owner(&self) -> Option<String> {
        let p = self.principal.as_ref()?;
        Some(match p.csrf {
            Some(_) => p.name.clone(),
            None => format!("token:{}", p.name),
        })
    }
}

impl FromRequestParts<WebState> for Viewer {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(
        parts: &mut Parts,
        state: &WebState,
    ) -> Result<Viewer, Self::Rejection> {
        Ok(Viewer {
            app: std::sync::Arc::clone(&state.app),
            texts: super::auth::texts_for(&parts.headers, state.texts),
            principal: parts.extensions.get::<Principal>().cloned(),
            path: parts.uri.path().to_string(),
        })
    }
}

/// The client's address, when the server knows it.
pub struct ClientAddr(pub String);

impl ClientAddr {
    /// The address a request's extensions carry, `unknown` when none.
    pub fn of(extensions: &axum::http::Extensions) -> ClientAddr {
        let addr = extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map_or_else(|| "unknown".to_string(), |c| c.0.ip().to_string());
        ClientAddr(addr)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<ClientAddr, Self::Rejection> {
        Ok(ClientAddr::of(&parts.extensions))
    }
}

/// A query string read into `T`, as axum's `Query` reads it, but refused as every other bad
/// input is: `422` naming the parameter (JSON on the API), not a bare text `400`.
pub struct Params<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> FromRequestParts<S> for Params<T> {
    type Rejection = Error;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Params<T>, Error> {
        axum::extract::Query::<T>::try_from_uri(&parts.uri)
            .map(|q| Params(q.0))
            .map_err(|e| {
                let said = e.body_text();
                let said = said
                    .strip_prefix("Failed to deserialize query string: ")
                    .unwrap_or(&said);
                let (field, problem) = said.split_once(": ").unwrap_or(("query", said));
                FieldError::of_serde(field, problem).into()
            })
    }
}

/// A JSON body read into `T`, a serde struct with `deny_unknown_fields`: `400` when it is not
/// JSON, `422` naming the field that is missing, unknown or of the wrong kind. Where an absent
/// field must differ from `null` (changes to a call), handlers read a [`JsonObject`] instead.
pub struct Body<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> FromRequest<S> for Body<T> {
    type Rejection = Error;
    async fn from_request(request: Request, state: &S) -> Result<Body<T>, Error> {
        let body = Bytes::from_request(request, state)
            .await
            .map_err(|e| Error::BadJson(e.body_text()))?;
        typed(&body).map(Body)
    }
}

/// A body that is a form (the pages) or a JSON object (the API), read into `T` as [`Body`]
/// does: one handler serves both. A form's values are text, and its anti-forgery field is the
/// guard's, not `T`'s.
pub struct Input<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> FromRequest<S> for Input<T> {
    type Rejection = Error;
    async fn from_request(request: Request, state: &S) -> Result<Input<T>, Error> {
        let Fields(fields) = Fields::from_request(request, state).await?;
        typed_value(Value::Object(fields)).map(Input)
    }
}

/// A body's fields, from a form (the pages: every value text, the anti-forgery field left to
/// the guard) or a JSON object (the API), for actions that read fields one by one.
pub struct Fields(pub Map<String, Value>);

impl<S: Send + Sync> FromRequest<S> for Fields {
    type Rejection = Error;
    async fn from_request(request: Request, state: &S) -> Result<Fields, Error> {
        let form = request
            .headers()
            .get(axum::http::header::CONTENT_TYPE)
            .is_some_and(|v| {
                v.as_bytes()
                    .starts_with(b"application/x-www-form-urlencoded")
            });
        let body = Bytes::from_request(request, state)
            .await
            .map_err(|e| Error::BadJson(e.body_text()))?;
        // A JSON object sent as a form (`curl -d '{...}'` without a content type) is read as
        // the JSON it is; the anti-forgery check was the guard's, either way.
        if !form || body.trim_ascii_start().starts_with(b"{") {
            return json_object(&body).map(Fields);
        }
        let fields = form_urlencoded::parse(&body).into_owned();
        let fields = fields.filter(|(k, _)| k != crate::paths::CSRF_FIELD);
        Ok(Fields(fields.map(|(k, v)| (k, Value::String(v))).collect()))
    }
}

/// An id a form sends as text (`12`, or `#12` as the pages show it) or JSON as a number.
pub fn id_in_form<'de, D: serde::Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    match Value::deserialize(d)? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().trim_start_matches('#').parse().ok(),
        _ => None,
    }
    .ok_or_else(|| serde::de::Error::custom("expected i64"))
}

/// Reads a JSON object body into `T`, naming the field at fault.
pub fn typed<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, Error> {
    typed_value(Value::Object(json_object(body)?))
}

fn typed_value<T: serde::de::DeserializeOwned>(object: Value) -> Result<T, Error> {
    serde_path_to_error::deserialize(object)
        .map_err(|e| FieldError::of_serde(&e.path().to_string(), &e.inner().to_string()).into())
}

/// Parses a body that must be one JSON object.
pub fn json_object(body: &[u8]) -> Result<Map<String, Value>, Error> {
    let value: Value = serde_json::from_slice(body).map_err(|e| Error::BadJson(e.to_string()))?;
    match value {
        Value::Object(map) => Ok(map),
        _ => Err(FieldError::new("body", FieldProblem::ExpectedObject).into()),
    }
}

/// A numeric id from the path; a path that is not a number names nothing (`404`).
pub fn parse_id(text: &str, thing: Thing) -> Result<i64, Error> {
    text.parse()
        .map_err(|_| Error::not_found(thing, text.to_string()))
}
