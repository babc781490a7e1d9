//! Zadarma's cloud PBX: the notifications (webhooks) it posts about calls, the address check it
//! makes first, and the reply that sends a ringing call to a manager's extension.
//!
//! Follows Zadarma's public API page, section "Webhooks" / «Уведомления о звонках в АТС»
//! (<https://zadarma.com/en/support/api/>), and the webhook classes of its PHP library
//! (`zadarma/user-api-v1`, `lib/Webhook/*.php`): which fields each event carries and which of
//! them its `Signature` header signs. Calls are told apart by `pbx_call_id`, the same in every
//! notification of one call, whatever the voice menu or extensions it went through.
//!
//! Owns: the echo check, the signature, reading the form, the redirect reply. Routes, the
//! secret's setting and what the desk does with the event are left to the caller.

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha1::Sha1;

use super::{hex, optional, required, same_secret};
use super::{CallEvent, Ending, EventKind, Exchange, Form, PbxError, MAX_ID, MAX_NUMBER};

/// The query parameter of the address check: `GET <address>?zd_echo=VALUE`.
pub const ECHO: &str = "zd_echo";
/// The header that carries the signature of a notification.
pub const SIGNATURE_HEADER: &str = "Signature";

/// Events Zadarma documents whose signature is not over call fields, and which carry nothing
/// for the desk: answered `200` and dropped.
const UNSIGNED_IGNORED: &[&str] = &[
    "SMS",
    "SPEECH_RECOGNITION",
    "NUMBER_LOOKUP",
    "CALL_TRACKING",
];

/// The answer to Zadarma's address check: when a notification address is saved, Zadarma sends
/// `GET ?zd_echo=VALUE` and expects `VALUE` back as the body (`200`, `text/plain`). `None` when
/// `query` carries no echo, or one that is not a short printable token: answer `400`.
pub fn echo(query: &str) -> Option<String> {
    let form = Form::parse(query.as_bytes());
    let value = form.get(ECHO)?;
    let printable = value.bytes().all(|b| b.is_ascii_graphic());
    (!value.is_empty() && value.len() <= MAX_ID && printable).then(|| value.to_string())
}

/// Reads one notification: the form body of a `POST` and its `Signature` header, checked with
/// the account's API secret (the key pair's secret, `CALLFAQ_ZADARMA_SECRET`).
///
/// `Ok(None)` for the notifications the desk does not use: the voice menu (`NOTIFY_IVR`),
/// outgoing calls (`NOTIFY_OUT_START`, `NOTIFY_OUT_END`), recordings (`NOTIFY_RECORD`), SMS and
/// the like. They are answered `200` like the others.
pub fn parse(
    body: &[u8],
    signature: Option<&str>,
    secret: &str,
) -> Result<Option<CallEvent>, PbxError> {
    let form = Form::parse(body);
    // Zadarma sends every notification as a form with its `event`: a body without one (JSON,
    // nothing at all) is not Zadarma's.
    if form.get("event").is_none() {
        return Err(PbxError::malformed(
            "not a Zadarma notification (a form with `event`)",
        ));
    }
    let event = required("event", form.get("event"), MAX_ID)?;
    let Some(signed) = signed_fields(&event) else {
        return if UNSIGNED_IGNORED.contains(&event.as_str()) {
            Ok(None)
        } else {
            Err(PbxError::unknown_event(&event))
        };
    };
    verify(&form, signed, signature, secret)?;

    let internal = optional("internal", form.get("internal"), MAX_NUMBER)?;
    let kind = match event.as_str() {
        "NOTIFY_START" | "NOTIFY_INTERNAL" => EventKind::Ringing,
        "NOTIFY_ANSWER" => EventKind::Answered,
        "NOTIFY_END" => {
            let disposition = required("disposition", form.get("disposition"), MAX_ID)?;
            EventKind::Ended(ending(&disposition, internal.is_some()))
        }
        _ => return Ok(None),
    };
    let mut call = CallEvent::new(
        Exchange::Zadarma,
        required("pbx_call_id", form.get("pbx_call_id"), MAX_ID)?,
        kind,
    );
    call.caller = optional("caller_id", form.get("caller_id"), MAX_NUMBER)?;
    call.called = optional("called_did", form.get("called_did"), MAX_NUMBER)?;
    // NOTIFY_ANSWER names the answering side in `destination` when `internal` is absent.
    call.extension = match (internal, kind) {
        (None, EventKind::Answered) => {
            optional("destination", form.get("destination"), MAX_NUMBER)?
        }
        (internal, _) => internal,
    };
    // `call_start` is a local time without a zone ("2026-11-20 10:15:02"): the receiver's
    // clock is the better time for the desk.
    Ok(Some(call))
}

/// The reply to `NOTIFY_START` that rings `extension` first (the responsible manager), with the
/// call going back to the voice menu's scenario after `return_timeout` seconds unanswered (`0`:
/// never goes back; Zadarma takes nothing between 1 and 2, so those are 3). Sent as the body of
/// the `200` answer, `application/json`, within the few seconds Zadarma waits. `None` for an
/// extension that is not a PBX extension number (digits only): answer `200` with no body and
/// the call follows the PBX's own scenario.
pub fn redirect(extension: &str, return_timeout: u32) -> Option<String> {
    let digits = !extension.is_empty()
        && extension.len() <= MAX_NUMBER
        && extension.bytes().all(|b| b.is_ascii_digit());
    let return_timeout = match return_timeout {
        0 => 0,
        seconds => seconds.max(3),
    };
    digits.then(|| {
        serde_json::json!({"redirect": extension, "return_timeout": return_timeout}).to_string()
    })
}

/// The fields whose values, joined, Zadarma signs for `event`; `None` for an event this module
/// does not know the signature of.
fn signed_fields(event: &str) -> Option<&'static [&'static str]> {
    match event {
        "NOTIFY_START" | "NOTIFY_INTERNAL" | "NOTIFY_END" | "NOTIFY_IVR" => {
            Some(&["caller_id", "called_did", "call_start"])
        }
        "NOTIFY_ANSWER" => Some(&["caller_id", "destination", "call_start"]),
        "NOTIFY_OUT_START" | "NOTIFY_OUT_END" => Some(&["internal", "destination", "call_start"]),
        "NOTIFY_RECORD" => Some(&["pbx_call_id", "call_id_with_rec"]),
        _ => None,
    }
}

/// Checks the `Signature` header: base64 of the HMAC-SHA1, keyed with the API secret, of the
/// signed fields' values joined. Zadarma's own example computes it with PHP's `hash_hmac`,
/// which returns the digest as hex, so the header is base64 of those 40 hex characters; base64
/// of the 20 raw bytes is accepted too, which asks for the same secret.
///
/// The signature covers neither `event` nor `pbx_call_id`: whoever captured one notification
/// could pass its fields off as another event. The route may also check that the request comes
/// from the addresses Zadarma lists in its account settings.
fn verify(
    form: &Form,
    fields: &[&str],
    signature: Option<&str>,
    secret: &str,
) -> Result<(), PbxError> {
    let sent = signature.unwrap_or_default().trim().as_bytes();
    if secret.is_empty() || sent.is_empty() {
        return Err(PbxError::BadSignature);
    }
    let mut mac = Hmac::<Sha1>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key");
    for field in fields {
        mac.update(form.get(field).unwrap_or_default().as_bytes());
    }
    let digest = mac.finalize().into_bytes();
    let as_php = BASE64.encode(hex(&digest));
    let as_raw = BASE64.encode(digest);
    // Both compared, whatever the first gives, so the time does not tell which form was sent.
    let matches = [
        same_secret(sent, as_php.as_bytes()),
        same_secret(sent, as_raw.as_bytes()),
    ];
    if matches.contains(&true) {
        Ok(())
    } else {
        Err(PbxError::BadSignature)
    }
}

/// The whole call's ending from `NOTIFY_END`. `internal` is there when the call reached an
/// extension; without it the call never left the voice menu, whatever the disposition
/// (the menu itself answers the line).
fn ending(disposition: &str, reached_extension: bool) -> Ending {
    match (disposition, reached_extension) {
        (_, false) => Ending::VoiceMenu,
        ("answered", true) => Ending::Answered,
        ("busy", true) => Ending::Busy,
        // cancel, no answer, failed, no money, unallocated number, line limit...
        (_, true) => Ending::Missed,
    }
}

/// The `Signature` header Zadarma sends for these field values (as its PHP example computes
/// it), for tests and fixtures.
#[cfg(test)]
fn signature_for(secret: &str, values: &[&str]) -> String {
    let mut mac = Hmac::<Sha1>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key");
    for value in values {
        mac.update(value.as_bytes());
    }
    BASE64.encode(hex(&mac.finalize().into_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields::{FieldError, FieldProblem};
    use crate::pbx::fixtures;

    /// The API secret the fixtures are signed with.
    const SECRET: &str = "callfaq-test-secret";

    fn events(file: &str) -> Vec<Option<CallEvent>> {
        fixtures::requests(file)
            .iter()
            .map(|request| {
                assert_eq!(request.method, "POST", "{}", request.name);
                assert_eq!(
                    request.header("Content-Type"),
                    Some("application/x-www-form-urlencoded")
                );
                parse(&request.body, request.header(SIGNATURE_HEADER), SECRET)
                    .unwrap_or_else(|e| panic!("{}: {e}", request.name))
            })
            .collect()
    }

    fn kinds(events: &[Option<CallEvent>]) -> Vec<Option<EventKind>> {
        events.iter().map(|e| e.as_ref().map(|e| e.kind)).collect()
    }

    #[test]
    fn the_echo_check_is_answered_with_the_echo() {
        let request = fixtures::named("zadarma/refused.http", "address check");
        assert_eq!(request.method, "GET");
        assert_eq!(echo(request.query()).as_deref(), Some("d41d8cd98f00b204"));
        assert_eq!(echo(""), None);
        assert_eq!(echo("zd_echo="), None);
        assert_eq!(echo(&format!("zd_echo={}", "a".repeat(1 << 20))), None);
    }

    #[test]
    fn an_answered_zadarma_call_rings_is_answered_and_ends_answered() {
        let events = events("zadarma/answered.http");
        assert_eq!(
            kinds(&events),
            [
                Some(EventKind::Ringing),
                Some(EventKind::Ringing),
                Some(EventKind::Ringing),
                Some(EventKind::Answered),
                Some(EventKind::Ended(Ending::Answered)),
            ]
        );
        let ringing = events[0].as_ref().unwrap();
        assert_eq!(ringing.call_id, "in_9f2c4e1a7b3d4c5e8f60718293a4b5c6");
        assert_eq!(ringing.caller.as_deref(), Some("79161234567"));
        assert_eq!(ringing.called.as_deref(), Some("74951234567"));
        assert_eq!(ringing.extension, None);
        let rang_101 = events[1].as_ref().unwrap();
        assert_eq!(rang_101.extension.as_deref(), Some("101"));
        let answered = events[3].as_ref().unwrap();
        assert_eq!(answered.extension.as_deref(), Some("101"));
        assert!(events
            .iter()
            .flatten()
            .all(|e| e.call_id == ringing.call_id));
    }

    #[test]
    fn a_missed_zadarma_call_ends_missed() {
        let events = events("zadarma/missed.http");
        let ended = events.last().unwrap().as_ref().unwrap();
        assert_eq!(ended.kind, EventKind::Ended(Ending::Missed));
        assert_eq!(ended.extension.as_deref(), Some("101"));
    }

    #[test]
    fn a_zadarma_call_that_ended_in_the_voice_menu_is_not_missed() {
        let events = events("zadarma/voice_menu.http");
        assert_eq!(
            kinds(&events),
            [
                Some(EventKind::Ringing),
                None,
                Some(EventKind::Ended(Ending::VoiceMenu))
            ]
        );
    }

    #[test]
    fn outgoing_calls_and_recordings_are_ignored() {
        assert_eq!(
            kinds(&events("zadarma/ignored.http")),
            [None, None, None, None]
        );
    }

    #[test]
    fn a_duplicated_zadarma_notification_gives_the_same_key() {
        let first = events("zadarma/answered.http");
        let keys: Vec<String> = first.iter().flatten().map(CallEvent::key).collect();
        assert_eq!(
            keys[0], keys[1],
            "a second ringing phone is the same call ringing"
        );
        let replay = events("zadarma/answered.http");
        assert_eq!(replay.last().unwrap().as_ref().unwrap().key(), keys[4]);
        assert_eq!(keys[4], "zadarma:in_9f2c4e1a7b3d4c5e8f60718293a4b5c6:ended");
    }

    #[test]
    fn a_wrong_or_missing_zadarma_signature_is_refused() {
        let request = fixtures::named("zadarma/refused.http", "start signed with another secret");
        let signature = request.header(SIGNATURE_HEADER);
        assert_eq!(
            parse(&request.body, signature, SECRET),
            Err(PbxError::BadSignature)
        );
        let good = &fixtures::requests("zadarma/answered.http")[0];
        assert_eq!(parse(&good.body, None, SECRET), Err(PbxError::BadSignature));
        let refused = parse(&good.body, good.header(SIGNATURE_HEADER), "");
        assert_eq!(
            refused,
            Err(PbxError::BadSignature),
            "no secret set refuses all"
        );
        assert_eq!(PbxError::BadSignature.http_status(), 401);
    }

    #[test]
    fn the_raw_digest_in_base64_is_accepted_too() {
        let good = &fixtures::requests("zadarma/answered.http")[0];
        let form = Form::parse(&good.body);
        let mut mac = Hmac::<Sha1>::new_from_slice(SECRET.as_bytes()).unwrap();
        for field in ["caller_id", "called_did", "call_start"] {
            mac.update(form.get(field).unwrap().as_bytes());
        }
        let raw = BASE64.encode(mac.finalize().into_bytes());
        assert!(parse(&good.body, Some(&raw), SECRET).unwrap().is_some());
    }

    #[test]
    fn an_unknown_zadarma_event_is_refused() {
        let request = fixtures::named("zadarma/refused.http", "unknown event");
        let error = parse(&request.body, request.header(SIGNATURE_HEADER), SECRET).unwrap_err();
        assert_eq!(error, PbxError::UnknownEvent("NOTIFY_TRANSFER".into()));
    }

    #[test]
    fn a_malformed_zadarma_body_names_the_missing_field() {
        let error = parse(b"event=", Some("x"), SECRET).unwrap_err();
        assert_eq!(
            error,
            PbxError::Field(FieldError::new("event", FieldProblem::Required))
        );
        let body = b"event=NOTIFY_START&caller_id=79161234567&called_did=74951234567&call_start=1";
        let signature = signature_for(SECRET, &["79161234567", "74951234567", "1"]);
        assert_eq!(
            parse(body, Some(&signature), SECRET).unwrap_err(),
            PbxError::Field(FieldError::new("pbx_call_id", FieldProblem::Required))
        );
    }

    #[test]
    fn a_megabyte_caller_id_is_refused_even_when_signed() {
        let caller = "7".repeat(1 << 20);
        let body = format!(
            "event=NOTIFY_START&pbx_call_id=in_1&caller_id={caller}&called_did=7495&call_start=1"
        );
        let signature = signature_for(SECRET, &[&caller, "7495", "1"]);
        assert_eq!(
            parse(body.as_bytes(), Some(&signature), SECRET).unwrap_err(),
            PbxError::Field(FieldError::new(
                "caller_id",
                FieldProblem::TooLong(MAX_NUMBER)
            ))
        );
    }

    #[test]
    fn the_redirect_reply_rings_the_manager_first() {
        let reply: serde_json::Value = serde_json::from_str(&redirect("101", 20).unwrap()).unwrap();
        assert_eq!(
            reply,
            serde_json::json!({"redirect": "101", "return_timeout": 20})
        );
        let reply: serde_json::Value = serde_json::from_str(&redirect("101", 1).unwrap()).unwrap();
        assert_eq!(reply["return_timeout"], 3);
        assert_eq!(redirect("", 20), None);
        assert_eq!(redirect("101\", \"hangup\": 1", 20), None);
    }

    #[test]
    fn a_body_that_is_no_zadarma_form_is_malformed() {
        for body in [&b"{\"event\": \"NOTIFY_START\"}"[..], b"", b"pbx_call_id=1"] {
            let refused = parse(body, Some("x"), "secret").unwrap_err();
            assert_eq!(refused.http_status(), 400, "{body:?}");
        }
    }
}
