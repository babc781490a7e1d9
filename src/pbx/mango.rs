//! Mango Office's virtual PBX (API connector): the events it posts to
//! `<address>/events/call` for every leg of a call, and to `<address>/events/summary` once the
//! whole call is over.
//!
//! Follows Mango Office's public description of its VPBX API («Описание API Виртуальной АТС»,
//! linked from the API connector's page in Mango Office's support section), chapter on events
//! (`events/call`, `events/summary`): every request is a form with `vpbx_api_key`, `sign` and `json`, where
//! `sign = sha256_hex(vpbx_api_key + json + vpbx_api_salt)`. A call is one `entry_id` however
//! many legs it has: the voice menu's leg, and one per phone of a ring group or queue, each
//! with its own `call_id` and `call_state` (`Appeared`, `Connected`, `OnHold`,
//! `Disconnected`), its `location` (`ivr`, `queue`, `abonent`) and `from`/`to` parties.
//!
//! The whole call's outcome is read from the summary (`entry_result`, `forward_time`), never
//! from one leg: a leg disconnected because a colleague answered is not a missed call.
//! Owns the signature check and the mapping; routes and settings are left to the caller.

use chrono::{DateTime, Utc};
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::{hex, optional, required, same_secret};
use super::{CallEvent, Ending, EventKind, Exchange, Form, PbxError, MAX_ID, MAX_NUMBER};

/// `call_direction` of an incoming call in a summary (0 is internal, 2 outgoing).
const INCOMING: i64 = 1;

/// Reads one event posted to `<address>/events/<event>`: `event` is that last segment (`call`,
/// `summary`; any other Mango event, such as `recording` or `dtmf`, is checked and ignored),
/// `body` the form, checked with the API key (`vpbx_api_key`, `CALLFAQ_MANGO_KEY`) and the
/// salt (`vpbx_api_salt`, `CALLFAQ_MANGO_SALT`) of the VPBX's API connector.
///
/// `Ok(None)` for what the desk does not use: legs of outgoing and internal calls, the voice
/// menu answering, holds, legs hanging up, summaries of calls that were not incoming.
pub fn parse(
    event: &str,
    body: &[u8],
    api_key: &str,
    salt: &str,
) -> Result<Option<CallEvent>, PbxError> {
    let form = Form::parse(body);
    let json = verify(&form, api_key, salt)?;
    let fields: Value = serde_json::from_str(json).map_err(PbxError::malformed)?;
    let fields = Fields(&fields);
    let entry_id = required("json.entry_id", fields.text("/entry_id"), MAX_ID)?;
    match event {
        "call" => call_event(entry_id, &fields),
        "summary" => summary(entry_id, &fields),
        _ => Ok(None),
    }
}

/// One leg's state: the call rings when a leg appears, and a person answered when a leg to an
/// employee (`location` `abonent`, an extension) connects. A leg's `Disconnected` is no ending:
/// the summary says how the whole call ended.
fn call_event(entry_id: String, fields: &Fields) -> Result<Option<CallEvent>, PbxError> {
    let state = required("json.call_state", fields.text("/call_state"), MAX_ID)?;
    let to_person = fields.text("/location") == Some("abonent");
    let kind = match state.as_str() {
        "Appeared" => EventKind::Ringing,
        "Connected" if to_person => EventKind::Answered,
        // The voice menu or a queue picking up, or a leg held or gone.
        "Connected" | "OnHold" | "Disconnected" => return Ok(None),
        other => return Err(PbxError::unknown_event(other)),
    };
    if fields.text("/from/extension").is_some() {
        // An employee's own call, outgoing or internal.
        return Ok(None);
    }
    let mut call = parties(entry_id, kind, fields)?;
    if !to_person {
        call.extension = None;
    }
    call.at = fields.time("/timestamp");
    Ok(Some(call))
}

/// The summary of a whole call: answered when someone talked (`entry_result` 1), missed when
/// it was put through to employees (`forward_time`) who did not answer, and ended in the voice
/// menu when it never was.
fn summary(entry_id: String, fields: &Fields) -> Result<Option<CallEvent>, PbxError> {
    if fields.number("/call_direction") != Some(INCOMING) {
        return Ok(None);
    }
    let answered = fields.number("/entry_result") == Some(1)
        || fields.number("/talk_time").is_some_and(|t| t > 0);
    let forwarded = fields.number("/forward_time").is_some_and(|t| t > 0);
    let ending = match (answered, forwarded) {
        (true, _) => Ending::Answered,
        (false, true) => Ending::Missed,
        (false, false) => Ending::VoiceMenu,
    };
    let mut call = parties(entry_id, EventKind::Ended(ending), fields)?;
    call.at = fields.time("/end_time");
    Ok(Some(call))
}

/// The event with the caller (`from.number`), the line dialled (`to.line_number`, else
/// `line_number`) and the employee's extension (`to.extension`).
fn parties(entry_id: String, kind: EventKind, fields: &Fields) -> Result<CallEvent, PbxError> {
    let mut call = CallEvent::new(Exchange::Mango, entry_id, kind);
    call.caller = optional("json.from.number", fields.text("/from/number"), MAX_NUMBER)?;
    call.called = match fields.text("/to/line_number") {
        Some(line) => optional("json.to.line_number", Some(line), MAX_NUMBER)?,
        None => optional("json.line_number", fields.text("/line_number"), MAX_NUMBER)?,
    };
    call.extension = optional(
        "json.to.extension",
        fields.text("/to/extension"),
        MAX_NUMBER,
    )?;
    Ok(call)
}

/// Checks the key and the signature; gives the `json` field they cover.
fn verify<'f>(form: &'f Form, api_key: &str, salt: &str) -> Result<&'f str, PbxError> {
    let sent_key = form.get("vpbx_api_key").unwrap_or_default();
    let sent_sign = form.get("sign").unwrap_or_default();
    let json = form.get("json").unwrap_or_default();
    let expected = hex(&Sha256::new()
        .chain_update(api_key)
        .chain_update(json)
        .chain_update(salt)
        .finalize());
    let key_matches = same_secret(sent_key.as_bytes(), api_key.as_bytes());
    let sign_matches = same_secret(
        sent_sign.trim().to_ascii_lowercase().as_bytes(),
        expected.as_bytes(),
    );
    if !(key_matches && sign_matches) || salt.is_empty() {
        return Err(PbxError::BadSignature);
    }
    if json.trim().is_empty() {
        return Err(PbxError::malformed("the form has no `json` field"));
    }
    Ok(json)
}

/// The event's JSON, read leniently: Mango sends numbers and ids as strings or numbers.
struct Fields<'v>(&'v Value);

impl Fields<'_> {
    /// A string at a JSON pointer; empty is absent.
    fn text(&self, pointer: &str) -> Option<&str> {
        match self.0.pointer(pointer)? {
            Value::String(text) if !text.trim().is_empty() => Some(text),
            _ => None,
        }
    }

    /// A whole number, written as a number or as digits.
    fn number(&self, pointer: &str) -> Option<i64> {
        match self.0.pointer(pointer)? {
            Value::Number(n) => n.as_i64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    /// A Unix time in seconds; 0 is none.
    fn time(&self, pointer: &str) -> Option<DateTime<Utc>> {
        self.number(pointer)
            .filter(|&seconds| seconds > 0)
            .and_then(|seconds| DateTime::from_timestamp(seconds, 0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields::{FieldError, FieldProblem};
    use crate::pbx::fixtures;

    /// The API connector's key and salt the fixtures are signed with.
    const KEY: &str = "testkey0testkey0testkey0testkey0";
    const SALT: &str = "testsalt0testsalt0testsalt0tests";

    fn event_of(request: &fixtures::WireRequest) -> Result<Option<CallEvent>, PbxError> {
        assert_eq!(request.method, "POST", "{}", request.name);
        assert_eq!(
            request.header("Content-Type"),
            Some("application/x-www-form-urlencoded")
        );
        let event = request
            .target
            .rsplit('/')
            .next()
            .expect("a path has a last segment");
        parse(event, &request.body, KEY, SALT)
    }

    fn kinds(file: &str) -> Vec<Option<EventKind>> {
        fixtures::requests(file)
            .iter()
            .map(|r| event_of(r).unwrap_or_else(|e| panic!("{}: {e}", r.name)))
            .map(|e| e.map(|e| e.kind))
            .collect()
    }

    fn signed(json: &str) -> Vec<u8> {
        let sign = hex(&Sha256::digest(format!("{KEY}{json}{SALT}")));
        let pairs = [("vpbx_api_key", KEY), ("sign", &sign), ("json", json)];
        form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs)
            .finish()
            .into_bytes()
    }

    #[test]
    fn an_answered_mango_call_in_a_ring_group_is_one_call_answered() {
        let ringing = Some(EventKind::Ringing);
        assert_eq!(
            kinds("mango/answered.http"),
            [
                ringing,
                None,
                ringing,
                ringing,
                Some(EventKind::Answered),
                None,
                None,
                Some(EventKind::Ended(Ending::Answered)),
            ]
        );
        let events: Vec<CallEvent> = fixtures::requests("mango/answered.http")
            .iter()
            .filter_map(|r| event_of(r).unwrap())
            .collect();
        assert!(events.iter().all(|e| e.call_id == events[0].call_id));
        assert_eq!(events[0].caller.as_deref(), Some("79161234567"));
        assert_eq!(events[0].called.as_deref(), Some("74951234567"));
        assert_eq!(events[0].extension, None, "the voice menu is no extension");
        assert_eq!(events[1].extension.as_deref(), Some("101"));
        assert_eq!(events[3].kind, EventKind::Answered);
        assert_eq!(events[3].extension.as_deref(), Some("101"));
        assert_eq!(
            events[0].at.unwrap().to_rfc3339(),
            "2026-11-20T07:15:02+00:00"
        );
    }

    #[test]
    fn a_missed_mango_call_ends_missed() {
        let kinds = kinds("mango/missed.http");
        assert_eq!(kinds.last(), Some(&Some(EventKind::Ended(Ending::Missed))));
        assert!(!kinds.contains(&Some(EventKind::Answered)));
    }

    #[test]
    fn a_mango_call_that_ended_in_the_voice_menu_is_not_missed() {
        assert_eq!(
            kinds("mango/voice_menu.http"),
            [
                Some(EventKind::Ringing),
                None,
                None,
                Some(EventKind::Ended(Ending::VoiceMenu))
            ]
        );
    }

    #[test]
    fn outgoing_mango_calls_and_other_events_are_ignored() {
        assert_eq!(kinds("mango/ignored.http"), [None, None, None]);
    }

    #[test]
    fn the_legs_of_one_mango_call_give_one_key_per_kind() {
        let keys: Vec<String> = fixtures::requests("mango/answered.http")
            .iter()
            .filter_map(|r| event_of(r).unwrap())
            .map(|e| e.key())
            .collect();
        assert_eq!(keys[0], keys[1]);
        assert_eq!(keys[1], keys[2]);
        assert_eq!(keys[4], "mango:MTAwNTc1OTM6MTE3MjY5ODQ1NjE=:ended");
    }

    #[test]
    fn a_wrong_mango_signature_or_key_is_refused() {
        for name in ["signed with another salt", "another account's key"] {
            let request = fixtures::named("mango/refused.http", name);
            assert_eq!(event_of(&request), Err(PbxError::BadSignature), "{name}");
        }
        let good = &fixtures::requests("mango/answered.http")[0];
        assert_eq!(
            parse("call", &good.body, KEY, ""),
            Err(PbxError::BadSignature)
        );
    }

    #[test]
    fn an_unknown_mango_call_state_is_refused() {
        let request = fixtures::named("mango/refused.http", "unknown call state");
        assert_eq!(
            event_of(&request),
            Err(PbxError::UnknownEvent("Transferred".into()))
        );
    }

    #[test]
    fn malformed_mango_json_is_refused() {
        let error = parse("call", &signed("{\"entry_id\": "), KEY, SALT).unwrap_err();
        assert_eq!(error.http_status(), 400);
        let error = parse("call", &signed(r#"{"call_state": "Appeared"}"#), KEY, SALT);
        assert_eq!(
            error,
            Err(PbxError::Field(FieldError::new(
                "json.entry_id",
                FieldProblem::Required
            )))
        );
    }

    #[test]
    fn a_megabyte_mango_number_is_refused() {
        let json = serde_json::json!({
            "entry_id": "MTAw", "call_id": "MToxMDA=", "call_state": "Appeared",
            "location": "ivr", "from": {"number": "7".repeat(1 << 20)},
        })
        .to_string();
        assert_eq!(
            parse("call", &signed(&json), KEY, SALT),
            Err(PbxError::Field(FieldError::new(
                "json.from.number",
                FieldProblem::TooLong(MAX_NUMBER)
            )))
        );
    }
}
