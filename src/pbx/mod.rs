//! The phone exchange (АТС): what it tells about calls, in one event model whatever the exchange.
//!
//! Each exchange reports calls its own way: Zadarma and Mango Office post signed forms,
//! virtual PBXs built on ITooLabs (MegaFon's and others) post forms with a shared token,
//! Asterisk streams its manager interface (AMI) over TCP, and anything else can post the
//! generic JSON form. One adapter per exchange checks the exchange's secret and turns what it
//! sends into [`CallEvent`]s: a call rings, a person answers, the call ends with the outcome of
//! the whole call ([`Ending`]), however many phones rang for it.
//!
//! The adapters are pure: they take bytes, strings and header values and return values. The AMI
//! client ([`ami::AmiClient`]) is the one part that does I/O, on its own thread and socket.
//! [`settings`] says which adapters are on and holds their secrets (from the environment);
//! [`screens`] hands the calls' progress to the operators' open pages; [`refusals`] bounds
//! how many refused requests reach the audit log. Storing events,
//! recognising a replay by [`CallEvent::key`], opening call records and callbacks are
//! `actions::pbx`'s and `store`'s; the HTTP routes and replies are `web::pbx`'s.

pub mod ami;
#[cfg(test)]
pub(crate) mod fixtures;
pub mod generic;
pub mod itoolabs;
pub mod mango;
pub mod refusals;
pub mod screens;
pub mod settings;
pub mod zadarma;

/// What a server holds for the phone exchanges: their secrets, the pages that show ringing
/// calls, and the lock that takes their events one at a time.
#[derive(Debug, Default)]
pub struct Exchanges {
    /// The adapters' secrets, from the environment.
    pub secrets: settings::Secrets,
    /// The operators' pages watching for ringing calls.
    pub screens: screens::Screens,
    /// Held while an event is taken, and while the desk links a new card to a ringing call:
    /// one call record per call of the exchange, whatever arrives at once.
    pub serial: std::sync::Mutex<()>,
    /// How many refused requests each exchange has written to the audit log lately.
    pub refusals: refusals::Refusals,
}

use chrono::{DateTime, Utc};
use subtle::ConstantTimeEq;

use crate::calls::phone;
use crate::fields::{FieldError, FieldProblem};

/// Longest call id, in characters, that an event may carry.
pub const MAX_ID: usize = 128;
/// Longest phone number or extension, in characters.
pub const MAX_NUMBER: usize = 64;
/// Largest body a handler should read from an exchange before calling an adapter: their
/// notifications are a few hundred bytes.
pub const MAX_BODY: usize = 64 * 1024;

/// The exchange an event came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Exchange {
    /// The generic JSON form, posted by a script or any exchange that can call a URL.
    Generic,
    /// Zadarma's cloud PBX (webhooks).
    Zadarma,
    /// Mango Office's virtual PBX (API connector events).
    Mango,
    /// An ITooLabs virtual PBX ("REST API ВАТС": MegaFon and others).
    Itoolabs,
    /// Asterisk or FreePBX, through the manager interface (AMI).
    Asterisk,
}

impl Exchange {
    /// The exchange's name in keys, settings and logs.
    pub fn as_str(self) -> &'static str {
        match self {
            Exchange::Generic => "generic",
            Exchange::Zadarma => "zadarma",
            Exchange::Mango => "mango",
            Exchange::Itoolabs => "itoolabs",
            Exchange::Asterisk => "asterisk",
        }
    }

    /// The exchange named `name` (as [`Exchange::as_str`] spells it).
    pub fn parse(name: &str) -> Option<Exchange> {
        [
            Exchange::Generic,
            Exchange::Zadarma,
            Exchange::Mango,
            Exchange::Itoolabs,
            Exchange::Asterisk,
        ]
        .into_iter()
        .find(|e| e.as_str() == name)
    }
}

/// How a whole call ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Ending {
    /// A person answered.
    Answered,
    /// A person's phone rang and nobody answered: a callback is due.
    Missed,
    /// Every phone that was tried was busy.
    Busy,
    /// The call ended in the voice menu (IVR) without ever ringing a person: not missed.
    VoiceMenu,
}

impl Ending {
    /// Every ending's name, as [`Ending::as_str`] spells it.
    pub const NAMES: &'static [&'static str] = &["answered", "missed", "busy", "voice_menu"];

    /// The ending's name in the generic form and in keys.
    pub fn as_str(self) -> &'static str {
        match self {
            Ending::Answered => "answered",
            Ending::Missed => "missed",
            Ending::Busy => "busy",
            Ending::VoiceMenu => "voice_menu",
        }
    }

    /// The ending named `name` (as [`Ending::as_str`] spells it).
    pub fn from_name(name: &str) -> Option<Ending> {
        match name {
            "answered" => Some(Ending::Answered),
            "missed" => Some(Ending::Missed),
            "busy" => Some(Ending::Busy),
            "voice_menu" => Some(Ending::VoiceMenu),
            _ => None,
        }
    }
}

/// What the desk made of a call nobody answered (missed, busy, or the voice menu where that
/// counts as missed): the desk report counts missed calls by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MissedAs {
    /// A callback was opened for the caller (or the open one joined).
    Callback,
    /// The number was hidden or unreadable: nobody can call back.
    NoNumber,
    /// The number is on the desk's list of numbers not to call back.
    Ignored,
}

impl MissedAs {
    /// Every kind, in the report's order.
    pub const ALL: [MissedAs; 3] = [MissedAs::Callback, MissedAs::NoNumber, MissedAs::Ignored];

    /// The stored word.
    pub fn as_str(self) -> &'static str {
        match self {
            MissedAs::Callback => "callback",
            MissedAs::NoNumber => "no_number",
            MissedAs::Ignored => "ignored",
        }
    }

    /// The kind a stored word names.
    pub fn parse(word: &str) -> Option<MissedAs> {
        MissedAs::ALL.into_iter().find(|m| m.as_str() == word)
    }
}

/// A call of the exchange nobody answered, as the desk report's missed figures list it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissedCall {
    /// When it started.
    pub started_at: DateTime<Utc>,
    /// The caller's number as the exchange sent it (`None`: hidden, or erased since).
    pub caller: Option<String>,
    /// How it ended: nobody answered, or every phone was busy.
    pub ending: Option<Ending>,
    /// What the desk made of it.
    pub missed: MissedAs,
    /// The call record the desk has of it (a missed call that opened or joined a callback).
    pub call: Option<i64>,
}

/// What happened to a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventKind {
    /// The call came in: the desk shows it. An exchange may report this once per phone that
    /// rings; every report after the first has the same [`CallEvent::key`].
    Ringing,
    /// A person (not the voice menu) answered.
    Answered,
    /// The call is over, with the outcome of the whole call.
    Ended(Ending),
}

impl EventKind {
    /// The kind's name in the generic form and in keys: `ringing`, `answered` or `ended`.
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Ringing => "ringing",
            EventKind::Answered => "answered",
            EventKind::Ended(_) => "ended",
        }
    }
}

/// One thing an exchange said about one incoming call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallEvent {
    /// Where it came from.
    pub exchange: Exchange,
    /// The exchange's id for the whole call (not for one leg of it), at most [`MAX_ID`]
    /// characters.
    pub call_id: String,
    /// What happened.
    pub kind: EventKind,
    /// When it happened, if the exchange said so in a zone we know.
    pub at: Option<DateTime<Utc>>,
    /// The caller's number as the exchange sent it.
    pub caller: Option<String>,
    /// The number the caller dialled (the office's line, DID).
    pub called: Option<String>,
    /// The internal extension (or the exchange's user) that rang or answered.
    pub extension: Option<String>,
}

impl CallEvent {
    /// An event with nothing known but where it came from, the call and what happened.
    pub fn new(exchange: Exchange, call_id: String, kind: EventKind) -> CallEvent {
        CallEvent {
            exchange,
            call_id,
            kind,
            at: None,
            caller: None,
            called: None,
            extension: None,
        }
    }

    /// The same event for every replay or duplicate of it: exchange, call and kind, such as
    /// `zadarma:in_5f0c2b:ringing`. A second ringing phone of the same call, or the same
    /// notification sent twice, has the key of the first.
    pub fn key(&self) -> String {
        format!(
            "{}:{}:{}",
            self.exchange.as_str(),
            self.call_id,
            self.kind.as_str()
        )
    }

    /// The caller's number in the form the desk compares ([`phone::normalize`]), to find a
    /// returning caller.
    pub fn caller_key(&self) -> Option<String> {
        self.caller.as_deref().and_then(phone::normalize)
    }
}

/// Why an exchange's request was refused. Each variant says the HTTP status a handler answers.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PbxError {
    /// The signature or token does not match the secret, or no secret is set: `401`.
    #[error("the exchange's signature does not match")]
    BadSignature,
    /// The body is not the form or JSON this exchange sends: `400`.
    #[error("malformed body: {0}")]
    Malformed(String),
    /// A field is missing, too long, or not a value the exchange sends: `422`, naming it.
    #[error(transparent)]
    Field(#[from] FieldError),
    /// An event type this adapter does not know: `422`.
    #[error("unknown event type: {0}")]
    UnknownEvent(String),
}

impl PbxError {
    /// The HTTP status a handler answers with.
    pub fn http_status(&self) -> u16 {
        match self {
            PbxError::BadSignature => 401,
            PbxError::Malformed(_) => 400,
            PbxError::Field(_) | PbxError::UnknownEvent(_) => 422,
        }
    }

    /// A body that is not what the exchange sends; `detail` is clipped, as it may quote input.
    fn malformed(detail: impl std::fmt::Display) -> PbxError {
        PbxError::Malformed(clip(&detail.to_string(), 200))
    }

    /// An event type nobody documented; the type is clipped, as it is input.
    fn unknown_event(name: &str) -> PbxError {
        PbxError::UnknownEvent(clip(name, 64))
    }

    fn field(field: &str, problem: FieldProblem) -> PbxError {
        PbxError::Field(FieldError::new(field, problem))
    }
}

/// The fields of a form-encoded body (`application/x-www-form-urlencoded`), in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Form {
    pairs: Vec<(String, String)>,
}

impl Form {
    /// Decodes a form body (or a URL's query string). Nothing in a form is malformed: bytes
    /// that are not UTF-8 become U+FFFD.
    pub fn parse(body: &[u8]) -> Form {
        form_urlencoded::parse(body).into_owned().collect()
    }

    /// The first value of the field `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }
}

impl FromIterator<(String, String)> for Form {
    fn from_iter<I: IntoIterator<Item = (String, String)>>(pairs: I) -> Form {
        Form {
            pairs: pairs.into_iter().collect(),
        }
    }
}

/// Whether a secret sent by an exchange is the one expected, in time that does not depend on
/// where they differ. An empty expected secret matches nothing: an adapter without its secret
/// refuses every request.
fn same_secret(sent: &[u8], expected: &[u8]) -> bool {
    !expected.is_empty() && bool::from(sent.ct_eq(expected))
}

/// A field's value, trimmed, if present and not empty; longer than `max` characters is an
/// error, and nothing of it is kept.
fn optional(field: &str, value: Option<&str>, max: usize) -> Result<Option<String>, PbxError> {
    let Some(value) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    // A byte count bounds the character count from above, so most values skip the count.
    if value.len() > max && value.chars().count() > max {
        return Err(PbxError::field(field, FieldProblem::TooLong(max)));
    }
    Ok(Some(value.to_string()))
}

/// Like [`optional`], for a field the event cannot do without.
fn required(field: &str, value: Option<&str>, max: usize) -> Result<String, PbxError> {
    optional(field, value, max)?.ok_or_else(|| PbxError::field(field, FieldProblem::Required))
}

/// Lowercase hex, as the exchanges spell digests.
fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// At most `max` characters of `text`, for messages that quote input.
fn clip(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_is_exchange_call_and_kind_whatever_else_differs() {
        let mut first = CallEvent::new(Exchange::Mango, "MToxMDA1".into(), EventKind::Ringing);
        first.extension = Some("101".into());
        let mut second = first.clone();
        second.extension = Some("102".into());
        assert_eq!(first.key(), "mango:MToxMDA1:ringing");
        assert_eq!(first.key(), second.key());
        let ended = CallEvent::new(
            Exchange::Mango,
            "MToxMDA1".into(),
            EventKind::Ended(Ending::Missed),
        );
        assert_eq!(ended.key(), "mango:MToxMDA1:ended");
    }

    #[test]
    fn the_caller_key_is_the_desks_normal_form() {
        let mut event = CallEvent::new(Exchange::Zadarma, "1".into(), EventKind::Ringing);
        event.caller = Some("8 (916) 123-45-67".into());
        assert_eq!(event.caller_key().as_deref(), Some("79161234567"));
    }

    #[test]
    fn a_megabyte_field_is_refused_naming_it() {
        let huge = "7".repeat(1 << 20);
        let error = required("caller_id", Some(&huge), MAX_NUMBER).unwrap_err();
        assert_eq!(
            error,
            PbxError::Field(FieldError::new(
                "caller_id",
                FieldProblem::TooLong(MAX_NUMBER)
            ))
        );
        assert_eq!(error.http_status(), 422);
    }

    #[test]
    fn an_empty_secret_matches_nothing() {
        assert!(!same_secret(b"", b""));
        assert!(same_secret(b"s3cret", b"s3cret"));
        assert!(!same_secret(b"s3creT", b"s3cret"));
        assert!(!same_secret(b"s3cret!", b"s3cret"));
    }

    #[test]
    fn clipped_messages_keep_whole_characters() {
        assert_eq!(clip("звонок", 3), "зво…");
        assert_eq!(clip("abc", 3), "abc");
    }
}
