//! Virtual PBXs built on ITooLabs ("REST API ВАТС", the CRM integration of MegaFon's virtual
//! PBX and others): the commands the PBX posts to the CRM's one address.
//!
//! Follows ITooLabs' "REST API ВАТС (CRM)" description, chapter "Запросы от ВАТС к CRM"
//! (`history`, `event`, `contact`; published by the operators, e.g. MegaFon's
//! <https://api.megapbx.ru/#/docs/crmapi/v1/general>): every request is a `POST` form with
//! `cmd` and the `crm_token` the PBX was given when the integration was set up.
//!
//! - `event`: one employee's phone: `type` `INCOMING` (rings), `ACCEPTED` (answered),
//!   `COMPLETED`, `CANCELLED` (that phone stopped ringing, perhaps because a colleague
//!   answered), `TRANSFERRED`, `OUTGOING`; with `phone` (the client), `user` (the employee's
//!   login), `ext`, `diversion` (the office's number) and `callid`, the same for every phone of
//!   one call.
//! - `history`: the whole call, once it is over: `status` `Success`, `missed`, `Busy`,
//!   `NotAvailable`, `NotAllowed`, `NotFound`, `Cancel`; `type` `in`/`out`, `start`, `duration`.
//! - `contact`: the PBX asks who is calling (`phone`, `callid`) before it routes the call; the
//!   answer can name the responsible employee, whom the PBX then rings first.
//!
//! Owns the token check, the mapping and the contact reply; the lookup behind the reply is the
//! caller's.

use chrono::{NaiveDateTime, TimeZone, Utc};

use super::{optional, required, same_secret, FieldProblem};
use super::{CallEvent, Ending, EventKind, Exchange, Form, PbxError, MAX_ID, MAX_NUMBER};

/// What the PBX posted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// `event` or `history`: something happened to a call, or nothing the desk uses (`None`:
    /// outgoing calls, a phone that stopped ringing, a rating). Answer `200`.
    Event(Option<CallEvent>),
    /// `contact`: who is calling? Answer `200` with [`contact_reply`].
    Contact(ContactQuery),
}

/// The PBX asks who is calling before it routes the call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactQuery {
    /// The call's id, as in its events.
    pub call_id: String,
    /// The caller's number as sent (see [`crate::calls::phone::normalize`] to look it up).
    pub phone: String,
}

/// Reads one command: the form body of a `POST`, with its `crm_token` checked against the
/// integration's token (`CALLFAQ_ITOOLABS_TOKEN`).
pub fn parse(body: &[u8], token: &str) -> Result<Command, PbxError> {
    let form = Form::parse(body);
    let sent = form.get("crm_token").unwrap_or_default();
    if !same_secret(sent.as_bytes(), token.as_bytes()) {
        return Err(PbxError::BadSignature);
    }
    let command = required("cmd", form.get("cmd"), MAX_ID)?;
    match command.as_str() {
        "event" => event(&form).map(Command::Event),
        "history" => history(&form).map(Command::Event),
        "contact" => Ok(Command::Contact(ContactQuery {
            call_id: required("callid", form.get("callid"), MAX_ID)?,
            phone: required("phone", form.get("phone"), MAX_NUMBER)?,
        })),
        // The client's rating of the call, asked by the PBX after it.
        "rating" => Ok(Command::Event(None)),
        other => Err(PbxError::unknown_event(other)),
    }
}

/// The answer to a `contact` command (`application/json`): the name the employee's phone
/// shows, and the responsible employee, named by their login on the PBX (the `user` of its
/// events), whom the PBX rings first. `{}` when the desk knows neither.
pub fn contact_reply(contact_name: Option<&str>, responsible: Option<&str>) -> String {
    let mut reply = serde_json::Map::new();
    if let Some(name) = contact_name.filter(|n| !n.trim().is_empty()) {
        reply.insert("contact_name".into(), name.trim().into());
    }
    if let Some(user) = responsible.filter(|u| !u.trim().is_empty()) {
        reply.insert("responsible".into(), user.trim().into());
    }
    serde_json::Value::Object(reply).to_string()
}

/// `event`: one phone rang or was answered. The ends of single phones are no ending of the
/// call: `history` tells that.
fn event(form: &Form) -> Result<Option<CallEvent>, PbxError> {
    let kind = match required("type", form.get("type"), MAX_ID)?.as_str() {
        "INCOMING" => EventKind::Ringing,
        "ACCEPTED" => EventKind::Answered,
        "COMPLETED" | "CANCELLED" | "TRANSFERRED" | "OUTGOING" => return Ok(None),
        other => return Err(PbxError::unknown_event(other)),
    };
    if form.get("direction") == Some("out") {
        return Ok(None);
    }
    call(form, kind).map(Some)
}

/// `history`: the whole call is over. A call no employee was offered (no `user`, no `ext`)
/// ended in the voice menu.
fn history(form: &Form) -> Result<Option<CallEvent>, PbxError> {
    let direction = required("type", form.get("type"), MAX_ID)?;
    if direction == "out" {
        return Ok(None);
    }
    let status = required("status", form.get("status"), MAX_ID)?;
    let offered = [form.get("user"), form.get("ext")]
        .into_iter()
        .flatten()
        .any(|v| !v.trim().is_empty());
    let ending = match status.to_ascii_lowercase().as_str() {
        _ if !offered => Ending::VoiceMenu,
        "success" => Ending::Answered,
        "busy" => Ending::Busy,
        // missed, Cancel, NotAvailable, NotAllowed, NotFound
        _ => Ending::Missed,
    };
    let mut call = call(form, EventKind::Ended(ending))?;
    call.at = match optional("start", form.get("start"), MAX_ID)? {
        // `start` is UTC, as `20261120T071502Z`.
        Some(start) => Some(
            NaiveDateTime::parse_from_str(&start, "%Y%m%dT%H%M%SZ")
                .map(|t| Utc.from_utc_datetime(&t))
                .map_err(|_| PbxError::field("start", FieldProblem::ExpectedTime))?,
        ),
        None => None,
    };
    Ok(Some(call))
}

/// The event with the client's number, the office's number and the employee.
fn call(form: &Form, kind: EventKind) -> Result<CallEvent, PbxError> {
    let mut call = CallEvent::new(
        Exchange::Itoolabs,
        required("callid", form.get("callid"), MAX_ID)?,
        kind,
    );
    call.caller = optional("phone", form.get("phone"), MAX_NUMBER)?;
    call.called = optional("diversion", form.get("diversion"), MAX_NUMBER)?;
    call.extension = match optional("ext", form.get("ext"), MAX_NUMBER)? {
        Some(ext) => Some(ext),
        None => optional("user", form.get("user"), MAX_NUMBER)?,
    };
    Ok(call)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields::{FieldError, FieldProblem};
    use crate::pbx::fixtures;

    /// The integration token the fixtures carry.
    const TOKEN: &str = "callfaq-test-token";

    fn commands(file: &str) -> Vec<Command> {
        fixtures::requests(file)
            .iter()
            .map(|r| {
                assert_eq!(r.method, "POST", "{}", r.name);
                assert_eq!(
                    r.header("Content-Type"),
                    Some("application/x-www-form-urlencoded")
                );
                parse(&r.body, TOKEN).unwrap_or_else(|e| panic!("{}: {e}", r.name))
            })
            .collect()
    }

    fn events(file: &str) -> Vec<Option<CallEvent>> {
        commands(file)
            .into_iter()
            .map(|c| match c {
                Command::Event(event) => event,
                Command::Contact(query) => panic!("not an event: {query:?}"),
            })
            .collect()
    }

    fn kinds(file: &str) -> Vec<Option<EventKind>> {
        events(file)
            .iter()
            .map(|e| e.as_ref().map(|e| e.kind))
            .collect()
    }

    #[test]
    fn an_answered_itoolabs_call_rings_two_phones_and_ends_answered() {
        let ringing = Some(EventKind::Ringing);
        assert_eq!(
            kinds("itoolabs/answered.http"),
            [
                ringing,
                ringing,
                Some(EventKind::Answered),
                None,
                None,
                Some(EventKind::Ended(Ending::Answered)),
            ]
        );
        let events: Vec<CallEvent> = events("itoolabs/answered.http")
            .into_iter()
            .flatten()
            .collect();
        assert!(events.iter().all(|e| e.call_id == events[0].call_id));
        assert_eq!(events[0].caller.as_deref(), Some("79161234567"));
        assert_eq!(events[0].called.as_deref(), Some("74951234567"));
        assert_eq!(events[2].extension.as_deref(), Some("101"));
        assert_eq!(
            events[3].at.unwrap().to_rfc3339(),
            "2026-11-20T07:15:02+00:00"
        );
    }

    #[test]
    fn a_missed_itoolabs_call_ends_missed() {
        let events = events("itoolabs/missed.http");
        let ended = events.last().unwrap().as_ref().unwrap();
        assert_eq!(ended.kind, EventKind::Ended(Ending::Missed));
    }

    #[test]
    fn an_itoolabs_call_no_employee_was_offered_ended_in_the_voice_menu() {
        assert_eq!(
            kinds("itoolabs/voice_menu.http"),
            [Some(EventKind::Ended(Ending::VoiceMenu))]
        );
    }

    #[test]
    fn outgoing_itoolabs_calls_and_ratings_are_ignored() {
        assert_eq!(kinds("itoolabs/ignored.http"), [None, None, None]);
    }

    #[test]
    fn a_duplicated_itoolabs_event_gives_the_same_key() {
        let events: Vec<CallEvent> = events("itoolabs/answered.http")
            .into_iter()
            .flatten()
            .collect();
        assert_eq!(events[0].key(), events[1].key());
        assert_eq!(events[3].key(), "itoolabs:4c1f8e2a9b7d46e3:ended");
    }

    #[test]
    fn the_contact_query_is_answered_with_the_responsible_manager() {
        let [Command::Contact(query)] = &commands("itoolabs/contact.http")[..] else {
            panic!("a contact query");
        };
        assert_eq!(query.phone, "79161234567");
        assert_eq!(query.call_id, "4c1f8e2a9b7d46e3");
        let reply: serde_json::Value =
            serde_json::from_str(&contact_reply(Some("ООО «Ромашка», Иван"), Some("ivanov")))
                .unwrap();
        assert_eq!(
            reply,
            serde_json::json!({"contact_name": "ООО «Ромашка», Иван", "responsible": "ivanov"})
        );
        assert_eq!(contact_reply(None, Some(" ")), "{}");
    }

    #[test]
    fn a_wrong_or_missing_itoolabs_token_is_refused() {
        let request = fixtures::named("itoolabs/refused.http", "another token");
        assert_eq!(parse(&request.body, TOKEN), Err(PbxError::BadSignature));
        assert_eq!(
            parse(b"cmd=event&type=INCOMING&callid=1", TOKEN),
            Err(PbxError::BadSignature)
        );
        let good = &fixtures::requests("itoolabs/answered.http")[0];
        assert_eq!(parse(&good.body, ""), Err(PbxError::BadSignature));
    }

    #[test]
    fn unknown_itoolabs_commands_and_types_are_refused() {
        let request = fixtures::named("itoolabs/refused.http", "unknown type");
        assert_eq!(
            parse(&request.body, TOKEN),
            Err(PbxError::UnknownEvent("PARKED".into()))
        );
        let body = format!("cmd=reboot&crm_token={TOKEN}");
        assert_eq!(
            parse(body.as_bytes(), TOKEN),
            Err(PbxError::UnknownEvent("reboot".into()))
        );
    }

    #[test]
    fn a_malformed_itoolabs_form_names_the_field() {
        let body = format!("cmd=event&type=INCOMING&phone=79161234567&crm_token={TOKEN}");
        assert_eq!(
            parse(body.as_bytes(), TOKEN),
            Err(PbxError::Field(FieldError::new(
                "callid",
                FieldProblem::Required
            )))
        );
        let body = format!(
            "cmd=history&type=in&status=Success&user=ivanov&callid=1&start=yesterday&crm_token={TOKEN}"
        );
        assert_eq!(
            parse(body.as_bytes(), TOKEN),
            Err(PbxError::Field(FieldError::new(
                "start",
                FieldProblem::ExpectedTime
            )))
        );
    }

    #[test]
    fn a_megabyte_itoolabs_phone_is_refused() {
        let body = format!(
            "cmd=event&type=INCOMING&callid=1&phone={}&crm_token={TOKEN}",
            "7".repeat(1 << 20)
        );
        assert_eq!(
            parse(body.as_bytes(), TOKEN),
            Err(PbxError::Field(FieldError::new(
                "phone",
                FieldProblem::TooLong(MAX_NUMBER)
            )))
        );
    }
}
