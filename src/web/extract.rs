//! What handlers take from a request besides axum's own extractors: who is looking
//! ([`Viewer`]), from which address ([`ClientAddr`]), a JSON object body ([`JsonObject`]) and a
//! numeric id from the path ([`parse_id`]).

use super::error::{Error, Thing};
use super::WebState;
use crate::accounts::Principal;
use crate::fields::{FieldError, FieldProblem};
use crate::i18n::Texts;
use crate::views::Ctx;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use serde_json::{Map, Value};
use std::net::SocketAddr;

/// The principal of a request that passed the guard, with the texts and the clock: what pages
/// need.
pub struct Viewer {
    /// The UI's words.
    pub texts: &'static Texts,
    /// Who is looking (absent only on public routes).
    pub principal: Option<Principal>,
    /// The desk's clock.
    pub clock: crate::clock::Clock,
}

impl Viewer {
    /// The view context.
    pub fn ctx(&self) -> Ctx<'_> {
        Ctx {
            texts: self.texts,
            principal: self.principal.as_ref(),
            clock: &self.clock,
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
}

impl FromRequestParts<WebState> for Viewer {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(
        parts: &mut Parts,
        state: &WebState,
    ) -> Result<Viewer, Self::Rejection> {
        Ok(Viewer {
            texts: state.texts,
            principal: parts.extensions.get::<Principal>().cloned(),
            clock: state.app.clock,
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

/// A body that must be one JSON object: `400` when it is not JSON, `422` when it is another
/// kind of value.
pub struct JsonObject(pub Map<String, Value>);

impl<S: Send + Sync> FromRequest<S> for JsonObject {
    type Rejection = Error;
    async fn from_request(request: Request, state: &S) -> Result<JsonObject, Error> {
        let body = Bytes::from_request(request, state)
            .await
            .map_err(|e| Error::BadJson(e.body_text()))?;
        json_object(&body).map(JsonObject)
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

/// Reads a JSON object body into `T`, naming the field at fault.
pub fn typed<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, Error> {
    let object = Value::Object(json_object(body)?);
    serde_path_to_error::deserialize(object).map_err(|e| {
        let path = e.path().to_string();
        let said = e.inner().to_string();
        let named = |prefix: &str| {
            said.strip_prefix(prefix)
                .and_then(|rest| rest.split('`').next())
                .map(str::to_string)
        };
        let (field, problem) = if let Some(name) = named("unknown field `") {
            (name, FieldProblem::Unknown)
        } else if let Some(name) = named("missing field `") {
            (name, FieldProblem::Required)
        } else if said.contains("expected a string") {
            (path, FieldProblem::ExpectedText)
        } else if said.contains("expected a boolean") {
            (path, FieldProblem::ExpectedBool)
        } else if said.contains("expected i64") || said.contains("expected u") {
            (path, FieldProblem::ExpectedNumber(1, i64::MAX as usize))
        } else {
            (path, FieldProblem::Custom(said))
        };
        FieldError::new(&field, problem).into()
    })
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
