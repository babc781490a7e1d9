//! The generic form of a call event: JSON that a script, or any exchange able to call a URL,
//! posts to `POST /api/pbx/events`.
//!
//! Owns the form's fields and their checks. Who may post it (the API's bearer token) is decided
//! by `web`, like every other API route; this module neither signs nor checks a secret.
//!
//! ```json
//! {"call_id": "2026-11-20-0042", "event": "ended", "ending": "missed",
//!  "caller": "+7 916 123-45-67", "called": "+7 495 123-45-67", "extension": "101",
//!  "at": "2026-11-20T10:15:02+03:00"}
//! ```

use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::{optional, required, CallEvent, Ending, EventKind, Exchange, PbxError, MAX_ID};
use super::{FieldProblem, MAX_NUMBER};

/// The generic event as posted. Every field but `call_id` and `event` may be left out (or
/// `null`); a field not listed here is left aside (a script that adds its own, a duration or
/// a recording's address, loses no call by it), and a number is taken as its digits (an
/// extension sent as `101`).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct GenericEvent {
    /// The exchange's id for the whole call, the same in every event of it (at most 128
    /// characters).
    #[serde(default, deserialize_with = "text_or_number")]
    pub call_id: Option<String>,
    /// `ringing`, `answered` or `ended`.
    pub event: Option<String>,
    /// The caller's number as the exchange knows it.
    #[serde(default, deserialize_with = "text_or_number")]
    pub caller: Option<String>,
    /// The number the caller dialled (the office's line).
    #[serde(default, deserialize_with = "text_or_number")]
    pub called: Option<String>,
    /// The extension that rang or answered.
    #[serde(default, deserialize_with = "text_or_number")]
    pub extension: Option<String>,
    /// For `ended` only, and needed there: `answered`, `missed`, `busy` or `voice_menu` (the
    /// caller left the voice menu before any phone rang).
    pub ending: Option<String>,
    /// When it happened, RFC 3339 (`2026-11-20T10:15:02+03:00`); the time of arrival if left
    /// out.
    pub at: Option<String>,
}

/// A text field that a script may send as a number: a whole number is taken as its digits.
fn text_or_number<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    use serde_json::Value;
    match Option::<Value>::deserialize(d)? {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) => Ok(Some(text)),
        Some(Value::Number(n)) if n.is_u64() => Ok(Some(n.to_string())),
        Some(other) => Err(serde::de::Error::custom(format!(
            "expected text or a whole number, not {}",
            crate::pbx::clip(&other.to_string(), 40)
        ))),
    }
}

/// Reads a generic event from a JSON body.
pub fn parse(body: &[u8]) -> Result<CallEvent, PbxError> {
    // A field of the wrong kind is named («extension: expected text or a whole number»).
    let posted: GenericEvent = serde_path_to_error::deserialize(
        &mut serde_json::Deserializer::from_slice(body),
    )
    .map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        if path.is_empty() || path == "." {
            PbxError::malformed(inner)
        } else {
            PbxError::malformed(format!("{path}: {inner}"))
        }
    })?;
    posted.into_event()
}

impl GenericEvent {
    /// The event this form describes, or the first field at fault.
    pub fn into_event(self) -> Result<CallEvent, PbxError> {
        let call_id = required("call_id", self.call_id.as_deref(), MAX_ID)?;
        let event = required("event", self.event.as_deref(), MAX_ID)?;
        let ending = optional("ending", self.ending.as_deref(), MAX_ID)?;
        let kind = match (event.as_str(), ending) {
            ("ringing", None) => EventKind::Ringing,
            ("answered", None) => EventKind::Answered,
            ("ended", Some(name)) => {
                EventKind::Ended(Ending::from_name(&name).ok_or_else(|| {
                    PbxError::field("ending", FieldProblem::ExpectedOneOf(Ending::NAMES))
                })?)
            }
            ("ended", None) => return Err(PbxError::field("ending", FieldProblem::Required)),
            ("ringing" | "answered", Some(_)) => {
                return Err(PbxError::field("ending", FieldProblem::Unknown))
            }
            (other, _) => return Err(PbxError::unknown_event(other)),
        };
        let at = match optional("at", self.at.as_deref(), MAX_ID)? {
            Some(at) => Some(
                DateTime::parse_from_rfc3339(&at)
                    .map_err(|_| PbxError::field("at", FieldProblem::ExpectedTime))?
                    .with_timezone(&Utc),
            ),
            None => None,
        };
        Ok(CallEvent {
            exchange: Exchange::Generic,
            call_id,
            kind,
            at,
            caller: optional("caller", self.caller.as_deref(), MAX_NUMBER)?,
            called: optional("called", self.called.as_deref(), MAX_NUMBER)?,
            extension: optional("extension", self.extension.as_deref(), MAX_NUMBER)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields::FieldError;
    use crate::pbx::fixtures;

    const FILE: &str = "generic/events.http";

    fn parse_fixture(name: &str) -> Result<CallEvent, PbxError> {
        let request = fixtures::named(FILE, name);
        assert_eq!(request.header("Content-Type"), Some("application/json"));
        parse(&request.body)
    }

    fn field_error(field: &str, problem: FieldProblem) -> PbxError {
        PbxError::Field(FieldError::new(field, problem))
    }

    #[test]
    fn a_ringing_call_carries_the_numbers_as_sent() {
        let event = parse_fixture("ringing").unwrap();
        assert_eq!(event.exchange, Exchange::Generic);
        assert_eq!(event.call_id, "2026-11-20-0042");
        assert_eq!(event.kind, EventKind::Ringing);
        assert_eq!(event.caller.as_deref(), Some("+7 916 123-45-67"));
        assert_eq!(event.called.as_deref(), Some("+7 495 123-45-67"));
        assert_eq!(event.caller_key().as_deref(), Some("79161234567"));
        assert_eq!(
            event.at.unwrap().to_rfc3339(),
            "2026-11-20T07:15:02+00:00",
            "the time is kept in UTC"
        );
    }

    #[test]
    fn an_answered_generic_call_ends_answered() {
        let answered = parse_fixture("answered").unwrap();
        assert_eq!(answered.kind, EventKind::Answered);
        assert_eq!(answered.extension.as_deref(), Some("101"));
        let ended = parse_fixture("ended answered").unwrap();
        assert_eq!(ended.kind, EventKind::Ended(Ending::Answered));
    }

    #[test]
    fn a_missed_generic_call_ends_missed() {
        let ended = parse_fixture("ended missed").unwrap();
        assert_eq!(ended.kind, EventKind::Ended(Ending::Missed));
        assert_eq!(ended.at, None, "no time: the receiver stamps the arrival");
    }

    #[test]
    fn a_call_that_ended_in_the_voice_menu_is_not_missed() {
        let ended = parse_fixture("ended in the voice menu").unwrap();
        assert_eq!(ended.kind, EventKind::Ended(Ending::VoiceMenu));
    }

    #[test]
    fn a_duplicated_generic_event_gives_the_same_key() {
        let first = parse_fixture("ended missed").unwrap();
        let again = parse_fixture("ended missed").unwrap();
        assert_eq!(first.key(), again.key());
        assert_ne!(first.key(), parse_fixture("ringing").unwrap().key());
    }

    #[test]
    fn an_ended_event_without_its_ending_names_the_field() {
        assert_eq!(
            parse(br#"{"call_id": "1", "event": "ended"}"#).unwrap_err(),
            field_error("ending", FieldProblem::Required)
        );
        assert_eq!(
            parse(br#"{"call_id": "1", "event": "ended", "ending": "lost"}"#).unwrap_err(),
            field_error("ending", FieldProblem::ExpectedOneOf(Ending::NAMES))
        );
    }

    #[test]
    fn a_missing_call_id_names_the_field() {
        let error = parse(br#"{"event": "ringing"}"#).unwrap_err();
        assert_eq!(error, field_error("call_id", FieldProblem::Required));
        assert_eq!(error.to_string(), "call_id: required");
    }

    #[test]
    fn an_unknown_generic_event_is_refused() {
        let error = parse(br#"{"call_id": "1", "event": "transferred"}"#).unwrap_err();
        assert_eq!(error, PbxError::UnknownEvent("transferred".into()));
        assert_eq!(error.http_status(), 422);
    }

    #[test]
    fn a_field_of_a_scripts_own_is_left_aside_and_numbers_are_digits() {
        let body = br#"{"call_id": 42, "event": "ended", "ending": "missed", "caller": 79161234567,
                        "extension": 101, "duration": 12, "recording": "https://pbx/r/42.mp3"}"#;
        let event = parse(body).unwrap();
        assert_eq!(event.call_id, "42");
        assert_eq!(event.kind, EventKind::Ended(Ending::Missed));
        assert_eq!(event.caller.as_deref(), Some("79161234567"));
        assert_eq!(event.extension.as_deref(), Some("101"));
    }

    #[test]
    fn a_field_of_a_wrong_kind_or_broken_json_is_malformed() {
        let error = parse(br#"{"call_id": "1", "event": "ringing", "extension": [101]}"#);
        assert!(matches!(error, Err(PbxError::Malformed(_))), "{error:?}");
        let error = parse(br#"{"call_id": "1", "event": "ringing", "extension": -1.5}"#);
        assert!(
            matches!(&error, Err(PbxError::Malformed(m)) if m.starts_with("extension: expected text or a whole number, not -1.5")),
            "{error:?}"
        );
        let error = parse(b"call_id=1&event=ringing").unwrap_err();
        assert_eq!(error.http_status(), 400);
    }

    #[test]
    fn a_bad_time_names_the_field() {
        let body = br#"{"call_id": "1", "event": "ringing", "at": "20.11.2026 10:15"}"#;
        assert_eq!(
            parse(body).unwrap_err(),
            field_error("at", FieldProblem::ExpectedTime)
        );
    }

    #[test]
    fn a_megabyte_number_is_refused_and_not_kept() {
        let body = format!(
            r#"{{"call_id": "1", "event": "ringing", "caller": "{}"}}"#,
            "7".repeat(1 << 20)
        );
        assert_eq!(
            parse(body.as_bytes()).unwrap_err(),
            field_error("caller", FieldProblem::TooLong(MAX_NUMBER))
        );
    }
}
