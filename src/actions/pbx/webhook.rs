//! A request to one of the exchanges' own routes, taken whole: the adapter on with its secrets
//! set, the body within [`MAX_BODY`], the adapter's reading of it, then the event taken (or the
//! caller looked up) and the reply the exchange expects. Every refusal is audited (a flood in part, the rest counted) and writes
//! nothing else, except that an adapter that is off is a route that is not there: no audit
//! line, so that anyone's requests to it fill nothing.

use super::{exchange_actor, lookup, route, take, Taken};
use crate::actions::{ActionError, Actor, Result};
use crate::app::App;
use crate::pbx::screens::Caller;
use crate::pbx::settings::{self, Adapter, Closed};
use crate::pbx::{itoolabs, mango, zadarma, CallEvent, EventKind, Exchange, PbxError, MAX_BODY};

/// Which route the request came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Hook {
    /// `POST /api/pbx/events`: the generic JSON form, sent with a machine token.
    Generic,
    /// `GET /api/pbx/zadarma?zd_echo=`: Zadarma checking the address.
    ZadarmaEcho,
    /// `POST /api/pbx/zadarma`: a signed notification.
    Zadarma,
    /// `POST /api/pbx/mango/events/{kind}`: an event of this kind.
    Mango(String),
    /// `POST /api/pbx/itoolabs`: a command with its `crm_token`.
    Itoolabs,
}

impl Hook {
    fn exchange(&self) -> Exchange {
        match self {
            Hook::Generic => Exchange::Generic,
            Hook::ZadarmaEcho | Hook::Zadarma => Exchange::Zadarma,
            Hook::Mango(_) => Exchange::Mango,
            Hook::Itoolabs => Exchange::Itoolabs,
        }
    }
}

/// What the request carried, as the web read it.
#[derive(Debug, Clone, Default)]
pub struct Request<'a> {
    /// The client's address, for the audit line of a refusal.
    pub from: &'a str,
    /// The body as sent.
    pub body: &'a [u8],
    /// The URL's query string.
    pub query: &'a str,
    /// Zadarma's `Signature` header.
    pub signature: Option<&'a str>,
}

/// What the route answers with.
#[derive(Debug, Clone)]
pub enum Reply {
    /// The event taken: `{"duplicate", "state", "call", "callback"}`.
    Taken(Taken),
    /// `200` with no body: checked, nothing the desk uses.
    Nothing,
    /// `200` with this JSON, which the exchange reads (whom to ring, who is calling).
    Json(String),
    /// `200` with this text (Zadarma's echo).
    Text(String),
}

/// Takes a request to `hook`'s route (see the module's comment). `actor` is the token's for the
/// generic form; the exchanges' own webhooks act as [`exchange_actor`].
pub fn receive(app: &App, actor: &Actor, hook: Hook, request: &Request) -> Result<Reply> {
    let exchange = hook.exchange();
    let actor = match hook {
        // The generic form is a machine's: a person's session does not speak for an exchange.
        Hook::Generic if actor.person.is_some() => {
            return Err(ActionError::Forbidden(actor.role));
        }
        Hook::Generic => actor.clone(),
        _ => exchange_actor(exchange),
    };
    let refuse = |error: ActionError| -> ActionError {
        let why = match &error {
            ActionError::Exchange(e) => e.to_string(),
            ActionError::ExchangeClosed(Closed::Off(_)) => "the adapter is off".to_string(),
            ActionError::ExchangeClosed(Closed::NoSecret(_, variable)) => {
                format!("{variable} is not set")
            }
            ActionError::TooLarge(limit) => format!("a body over {limit} bytes"),
            other => other.to_string(),
        };
        super::refused(app, &actor, exchange, request.from, &why);
        error
    };
    match opened(app, &hook) {
        Ok(()) => {}
        // Off: a route that is not there. The generic form comes with a token, so its
        // refusal is audited like any other.
        Err(closed @ Closed::Off(_)) if hook != Hook::Generic => {
            return Err(ActionError::ExchangeClosed(closed))
        }
        Err(closed) => return Err(refuse(ActionError::ExchangeClosed(closed))),
    }
    if request.body.len() > MAX_BODY {
        return Err(refuse(ActionError::TooLarge(MAX_BODY)));
    }
    read(app, &actor, hook, request).map_err(|e| match e {
        ActionError::Exchange(_) => refuse(e),
        e => e,
    })
}

/// Whether the adapter of `hook` takes requests.
fn opened(app: &App, hook: &Hook) -> std::result::Result<(), Closed> {
    let (settings, secrets) = (&app.desk.settings.pbx, &app.exchanges.secrets);
    match hook {
        Hook::Generic => settings::on(settings, Adapter::Generic),
        Hook::ZadarmaEcho => settings::on(settings, Adapter::Zadarma),
        Hook::Zadarma => secrets.zadarma(settings).map(drop),
        Hook::Mango(_) => secrets.mango(settings).map(drop),
        Hook::Itoolabs => secrets.itoolabs(settings).map(drop),
    }
}

/// The adapter's reading of a request to an open route, and what follows from it.
fn read(app: &App, actor: &Actor, hook: Hook, request: &Request) -> Result<Reply> {
    let (settings, secrets) = (&app.desk.settings.pbx, &app.exchanges.secrets);
    let closed = ActionError::ExchangeClosed;
    let body = request.body;
    match hook {
        Hook::Generic => taken(app, actor, Some(crate::pbx::generic::parse(body)?)),
        Hook::ZadarmaEcho => zadarma::echo(request.query)
            .map(Reply::Text)
            .ok_or_else(|| PbxError::Malformed(format!("no `{}` to answer", zadarma::ECHO)).into()),
        Hook::Zadarma => {
            let secret = secrets.zadarma(settings).map_err(closed)?;
            let Some(event) = zadarma::parse(body, request.signature, secret)? else {
                return Ok(Reply::Nothing);
            };
            // The answer to the start of a call rings the caller's manager first, when
            // `desk.toml` asks to route and the caller has one.
            let call_starts = event.kind == EventKind::Ringing && event.extension.is_none();
            let caller = event.caller.clone();
            take(app, actor, event)?;
            let extension = match call_starts {
                true => route(app, actor, caller.as_deref())?,
                false => None,
            };
            let ring = settings.ring_manager_seconds;
            Ok(
                match extension.and_then(|ext| zadarma::redirect(&ext, ring)) {
                    Some(reply) => Reply::Json(reply),
                    None => Reply::Nothing,
                },
            )
        }
        Hook::Mango(kind) => {
            let (key, salt) = secrets.mango(settings).map_err(closed)?;
            taken(app, actor, mango::parse(&kind, body, key, salt)?)
        }
        Hook::Itoolabs => {
            let token = secrets.itoolabs(settings).map_err(closed)?;
            match itoolabs::parse(body, token)? {
                itoolabs::Command::Event(event) => taken(app, actor, event),
                itoolabs::Command::Contact(query) => {
                    // The caller's name for the employee's phone, and their manager, whom the
                    // PBX then rings first.
                    let caller = lookup(app, actor, Some(&query.phone))?;
                    let responsible = caller
                        .manager
                        .as_ref()
                        .map(|m| m.extension.clone().unwrap_or_else(|| m.login.clone()));
                    let name = contact_name(&caller);
                    let reply = itoolabs::contact_reply(name.as_deref(), responsible.as_deref());
                    Ok(Reply::Json(reply))
                }
            }
        }
    }
}

/// An event taken, or nothing to take.
fn taken(app: &App, actor: &Actor, event: Option<CallEvent>) -> Result<Reply> {
    match event {
        Some(event) => Ok(Reply::Taken(take(app, actor, event)?)),
        None => Ok(Reply::Nothing),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actions::testing;

    fn audit_lines(app: &App) -> Vec<String> {
        app.store
            .audit_log(100, None)
            .unwrap()
            .into_iter()
            .filter(|e| e.action == "pbx")
            .map(|e| e.subject)
            .collect()
    }

    fn token() -> Actor {
        Actor {
            name: "token:pbx".into(),
            role: crate::accounts::Role::Operator,
            person: None,
        }
    }

    #[test]
    fn an_adapter_that_is_off_refuses_and_only_the_generic_form_is_audited() {
        let mut t = testing::app();
        t.app.desk.settings.pbx.adapters = Vec::new();
        let request = Request {
            from: "10.0.0.7",
            body: b"{}",
            ..Request::default()
        };
        for hook in [Hook::Zadarma, Hook::Mango("call".into()), Hook::Itoolabs] {
            let refused = receive(&t.app, &token(), hook, &request);
            assert!(matches!(
                refused,
                Err(ActionError::ExchangeClosed(Closed::Off(_)))
            ));
        }
        assert!(audit_lines(&t.app).is_empty(), "{:?}", audit_lines(&t.app));
        let refused = receive(&t.app, &token(), Hook::Generic, &request);
        assert!(matches!(
            refused,
            Err(ActionError::ExchangeClosed(Closed::Off(Adapter::Generic)))
        ));
        let lines = audit_lines(&t.app);
        assert_eq!(lines.len(), 1);
        assert!(lines[0].contains("10.0.0.7") && lines[0].contains("off"));
    }

    #[test]
    fn the_generic_form_takes_an_event_and_audits_what_it_cannot_read() {
        let mut t = testing::app();
        t.app.desk.settings.pbx.adapters = vec![Adapter::Generic];
        let body = br#"{"call_id": "w1", "event": "ringing", "caller": "+7 916 000-11-22"}"#;
        let request = Request {
            from: "10.0.0.8",
            body,
            ..Request::default()
        };
        let Reply::Taken(taken) = receive(&t.app, &token(), Hook::Generic, &request).unwrap()
        else {
            panic!("an event is taken");
        };
        assert!(!taken.duplicate);
        let big = vec![b' '; MAX_BODY + 1];
        let too_large = Request {
            body: &big,
            ..request.clone()
        };
        let refused = receive(&t.app, &token(), Hook::Generic, &too_large);
        assert!(matches!(refused, Err(ActionError::TooLarge(MAX_BODY))));
        let garbled = Request {
            body: b"not json",
            ..request
        };
        let refused = receive(&t.app, &token(), Hook::Generic, &garbled);
        assert!(matches!(
            refused,
            Err(ActionError::Exchange(PbxError::Malformed(_)))
        ));
        let lines = audit_lines(&t.app);
        let refusals: Vec<_> = lines.iter().filter(|l| l.contains("refused")).collect();
        assert_eq!(refusals.len(), 2, "{lines:?}");
        assert!(refusals.iter().all(|l| l.contains("10.0.0.8")));
    }

    #[test]
    fn an_exchange_on_without_its_secret_is_closed_and_says_which_variable() {
        let mut t = testing::app();
        t.app.desk.settings.pbx.adapters = vec![Adapter::Zadarma];
        let request = Request {
            from: "10.0.0.9",
            query: "zd_echo=abc123",
            ..Request::default()
        };
        match receive(&t.app, &token(), Hook::ZadarmaEcho, &request).unwrap() {
            Reply::Text(echo) => assert_eq!(echo, "abc123"),
            other => panic!("the echo is answered: {other:?}"),
        }
        let refused = receive(&t.app, &token(), Hook::Zadarma, &request);
        assert!(matches!(
            refused,
            Err(ActionError::ExchangeClosed(Closed::NoSecret(
                Adapter::Zadarma,
                settings::ZADARMA_SECRET_ENV
            )))
        ));
        let lines = audit_lines(&t.app);
        assert!(lines[0].contains(settings::ZADARMA_SECRET_ENV), "{lines:?}");
    }
}
