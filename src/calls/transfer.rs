//! The JSON-lines format of `callfaq import FILE.jsonl` and `callfaq export`: one call per line,
//! with its questions inside.
//!
//! ```text
//! {"started_at":"2026-11-28T10:15:00+03:00","kind":"primary","phone":"8 495 123-45-67",
//!  "questions":[{"text":"сколько стоит обслуживание","answer":"remote-admin-price"}]}
//! ```
//! (one line in the file). Parsing is a pure function that reports every bad line by number and
//! names the field; reading files and writing to the database are left to the caller and
//! [`crate::store::Store`].

use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

use crate::clock::Clock;

use super::{
    parse_time, Call, CallKind, CallerQuestion, Outcome, MAX_FIELD_CHARS, MAX_QUESTIONS_PER_CALL,
    MAX_QUESTION_CHARS,
};

/// One call of an import or export file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CallLine {
    /// When the call started: RFC 3339, or any form [`parse_time`] accepts (a time without an
    /// offset is the desk's, as on the API).
    #[serde(deserialize_with = "time")]
    pub started_at: DateTime<Utc>,
    /// When it ended.
    #[serde(
        default,
        deserialize_with = "optional_time",
        skip_serializing_if = "Option::is_none"
    )]
    pub ended_at: Option<DateTime<Utc>>,
    /// Who took the call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operator: Option<String>,
    /// Primary or secondary; primary when absent.
    #[serde(default = "primary")]
    pub kind: CallKind,
    /// Counted in the weekly desk figures; false when absent.
    #[serde(default)]
    pub potential_client: bool,
    /// Caller's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Phone as typed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// Whether the phone was read back to the caller (a contact captured); true when absent,
    /// as a desk's own history was typed by its operators.
    #[serde(default = "yes", skip_serializing_if = "Clone::clone")]
    pub contact_confirmed: bool,
    /// Company as typed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company: Option<String>,
    /// Product group or region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub topic: Option<String>,
    /// How the call ended: `answered`, `transferred`, `callback` or `not_a_client`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<Outcome>,
    /// The manager transferred to, or who calls back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manager: Option<String>,
    /// When the callback is due.
    #[serde(
        default,
        deserialize_with = "optional_time",
        skip_serializing_if = "Option::is_none"
    )]
    pub callback_due: Option<DateTime<Utc>>,
    /// When the manager called back.
    #[serde(
        default,
        deserialize_with = "optional_time",
        skip_serializing_if = "Option::is_none"
    )]
    pub callback_done_at: Option<DateTime<Utc>>,
    /// Free notes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// What the caller asked, in the order asked.
    #[serde(default)]
    pub questions: Vec<QuestionLine>,
    /// The callback this call promised, as it stood when exported: its manager, time, state
    /// and attempts. Absent, a call that promised one (`outcome: callback`) opens one as its
    /// manager and due time say (a history from elsewhere).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub callback: Option<CallbackLine>,
    /// This call joined the callback its caller had open, written on an earlier line (the
    /// caller called again): it goes back to that callback, whose counts already count it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub joined_callback: bool,
    /// This call is the one a manager opened on reaching the caller of the callback written on
    /// an earlier line, to log what they asked further: a call the desk made.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub follow_up: bool,
}

/// A promised callback inside the [`CallLine`] of the call that promised it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CallbackLine {
    /// The manager who owns it (a login); absent: unassigned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// When it is due.
    #[serde(deserialize_with = "time")]
    pub due: DateTime<Utc>,
    /// When it was first promised for, when it was moved since.
    #[serde(
        default,
        deserialize_with = "optional_time",
        skip_serializing_if = "Option::is_none"
    )]
    pub promised_due: Option<DateTime<Utc>>,
    /// `open`, `done` or `lost`.
    pub state: crate::callbacks::State,
    /// When it was promised.
    #[serde(deserialize_with = "time")]
    pub created_at: DateTime<Utc>,
    /// When it was done or lost.
    #[serde(
        default,
        deserialize_with = "optional_time",
        skip_serializing_if = "Option::is_none"
    )]
    pub closed_at: Option<DateTime<Utc>>,
    /// When its manager first tried.
    #[serde(
        default,
        deserialize_with = "optional_time",
        skip_serializing_if = "Option::is_none"
    )]
    pub first_attempt: Option<DateTime<Utc>>,
    /// Calls of the caller while it was open.
    #[serde(default)]
    pub called_again: i64,
    /// Calls of the caller the exchange reported missed while it was open.
    #[serde(default)]
    pub missed_calls: i64,
    /// Why it was lost.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lost_reason: Option<String>,
    /// The note of its last attempt.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Its attempts and changes, oldest first.
    #[serde(default)]
    pub attempts: Vec<AttemptLine>,
}

/// One attempt or change of a [`CallbackLine`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttemptLine {
    /// When.
    #[serde(deserialize_with = "time")]
    pub at: DateTime<Utc>,
    /// Who (a login).
    pub by: String,
    /// `reached`, `no_answer`, `lost`, `handed_over` or `rescheduled`.
    pub result: crate::callbacks::Outcome,
    /// What the manager wrote.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Why it was lost; to whom it was handed over.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Whose it was before a hand-over (`""`: nobody's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// When it was due after a reschedule or no answer.
    #[serde(
        default,
        deserialize_with = "optional_time",
        skip_serializing_if = "Option::is_none"
    )]
    pub next_due: Option<DateTime<Utc>>,
}

impl CallbackLine {
    /// The line of a stored callback.
    pub fn of(c: &crate::callbacks::Callback) -> CallbackLine {
        CallbackLine {
            owner: c.owner.clone(),
            due: c.due,
            promised_due: c.promised_due.filter(|p| *p != c.due),
            state: c.state,
            created_at: c.created_at,
            closed_at: c.closed_at,
            first_attempt: c.first_attempt,
            called_again: c.called_again,
            missed_calls: c.missed_calls,
            lost_reason: c.lost_reason.clone(),
            note: c.note.clone(),
            attempts: c
                .attempts
                .iter()
                .map(|a| AttemptLine {
                    at: a.at,
                    by: a.by.clone(),
                    result: a.result,
                    note: a.note.clone(),
                    reason: a.reason.clone(),
                    from: a.from.clone(),
                    next_due: a.next_due,
                })
                .collect(),
        }
    }
}

/// One caller question inside a [`CallLine`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuestionLine {
    /// The caller's words.
    pub text: String,
    /// When it was asked; [`parse`] fills in the call's start when absent.
    #[serde(
        default,
        deserialize_with = "optional_time",
        skip_serializing_if = "Option::is_none"
    )]
    pub asked_at: Option<DateTime<Utc>>,
    /// Slug of the answer that was read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer: Option<String>,
    /// The operator chose no answer (see [`CallerQuestion::declined`]).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub declined: bool,
}

/// A line of an import file that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct LineError {
    /// 1-based line number.
    pub line: usize,
    /// What is wrong, naming the field.
    pub message: String,
}

impl CallLine {
    /// A call of a first-time caller that started at `started_at` and holds only `questions`
    /// (a history made from a labelled set: `callfaq eval`, the import benchmark).
    pub fn of_questions(started_at: DateTime<Utc>, questions: Vec<QuestionLine>) -> CallLine {
        CallLine {
            started_at,
            ended_at: None,
            operator: None,
            kind: CallKind::Primary,
            potential_client: false,
            name: None,
            phone: None,
            contact_confirmed: true,
            company: None,
            topic: None,
            outcome: None,
            manager: None,
            callback_due: None,
            callback_done_at: None,
            notes: None,
            questions,
            callback: None,
            joined_callback: false,
            follow_up: false,
        }
    }

    /// The line of a stored call and its questions (for export).
    pub fn from_call(call: Call, questions: Vec<CallerQuestion>) -> CallLine {
        CallLine {
            started_at: call.started_at,
            ended_at: call.ended_at,
            operator: call.operator,
            kind: call.kind,
            potential_client: call.potential_client,
            name: call.name,
            phone: call.phone,
            contact_confirmed: call.contact_confirmed,
            company: call.company,
            topic: call.topic,
            outcome: call.outcome,
            manager: call.manager,
            callback_due: call.callback_due,
            callback_done_at: call.callback_done_at,
            notes: call.notes,
            questions: questions
                .into_iter()
                .map(|q| QuestionLine {
                    text: q.text,
                    asked_at: Some(q.asked_at),
                    answer: q.answer,
                    declined: q.declined,
                })
                .collect(),
            callback: None,
            joined_callback: false,
            follow_up: false,
        }
    }
}

/// Reads an import file: every good line as `(line number, call)`, every bad one as a
/// [`LineError`]. Blank lines are skipped. `answer_exists` tells whether an answer slug is known;
/// a question linked to an unknown answer makes its line bad.
///
/// Text is trimmed and blank text is taken as absent, as in the API; a question without
/// `asked_at` gets the call's `started_at`.
pub fn parse(
    text: &str,
    answer_exists: impl Fn(&str) -> bool,
    desk: &Clock,
) -> (Vec<(usize, CallLine)>, Vec<LineError>) {
    let mut calls = Vec::new();
    let mut errors = Vec::new();
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    for (index, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match parse_line(line, &answer_exists, desk) {
            Ok(call) => calls.push((index + 1, call)),
            Err(message) => errors.push(LineError {
                line: index + 1,
                message,
            }),
        }
    }
    (calls, errors)
}

/// One call as one JSON object, without a trailing newline.
pub fn to_line(call: &CallLine) -> String {
    serde_json::to_string(call).expect("a CallLine has only string keys and serializable values")
}

fn parse_line(
    line: &str,
    answer_exists: &impl Fn(&str) -> bool,
    desk: &Clock,
) -> Result<CallLine, String> {
    let value: Value = serde_json::from_str(line)
        .map_err(|e| format!("not valid JSON: {}", without_position(&e)))?;
    let Value::Object(object) = &value else {
        return Err("expected a JSON object, one call per line".to_string());
    };
    let mut call = CallLine::deserialize(&value).map_err(|e| explain(object, &e))?;
    // A time without an offset is the desk's, as on the API: read as UTC above, moved here.
    let naive = |field: &Value| matches!(field, Value::String(t) if DateTime::parse_from_rfc3339(t.trim()).is_err());
    let local = |time: DateTime<Utc>| desk.from_local(time.naive_utc());
    let given = |key: &str| object.get(key).is_some_and(naive);
    if given("started_at") {
        call.started_at = local(call.started_at);
    }
    for (key, time) in [
        ("ended_at", &mut call.ended_at),
        ("callback_due", &mut call.callback_due),
        ("callback_done_at", &mut call.callback_done_at),
    ] {
        if given(key) {
            *time = time.map(local);
        }
    }
    if let (Some(cb), Some(raw)) = (call.callback.as_mut(), object.get("callback")) {
        let given = |key: &str| raw.get(key).is_some_and(naive);
        for (key, time) in [("due", &mut cb.due), ("created_at", &mut cb.created_at)] {
            if given(key) {
                *time = local(*time);
            }
        }
        for (key, time) in [
            ("promised_due", &mut cb.promised_due),
            ("closed_at", &mut cb.closed_at),
            ("first_attempt", &mut cb.first_attempt),
        ] {
            if given(key) {
                *time = time.map(local);
            }
        }
        let raw_attempts = raw.get("attempts").and_then(Value::as_array);
        for (i, attempt) in cb.attempts.iter_mut().enumerate() {
            let raw = raw_attempts.and_then(|a| a.get(i));
            if raw.and_then(|a| a.get("at")).is_some_and(naive) {
                attempt.at = local(attempt.at);
            }
            if raw.and_then(|a| a.get("next_due")).is_some_and(naive) {
                attempt.next_due = attempt.next_due.map(local);
            }
        }
    }
    let raw_questions = object.get("questions").and_then(Value::as_array);
    for (i, question) in call.questions.iter_mut().enumerate() {
        let raw = raw_questions
            .and_then(|q| q.get(i))
            .and_then(|q| q.get("asked_at"));
        if raw.is_some_and(naive) {
            question.asked_at = question.asked_at.map(local);
        }
    }
    for (field, text) in [
        ("operator", &mut call.operator),
        ("name", &mut call.name),
        ("phone", &mut call.phone),
        ("company", &mut call.company),
        ("topic", &mut call.topic),
        ("manager", &mut call.manager),
        ("notes", &mut call.notes),
    ] {
        *text = clean(field, text.take(), MAX_FIELD_CHARS)?;
    }
    if call.questions.len() > MAX_QUESTIONS_PER_CALL {
        return Err(format!(
            "questions: {} questions, a call holds at most {MAX_QUESTIONS_PER_CALL}",
            call.questions.len()
        ));
    }
    for (i, question) in call.questions.iter_mut().enumerate() {
        let field = format!("questions[{i}].text");
        question.text = clean(
            &field,
            Some(std::mem::take(&mut question.text)),
            MAX_QUESTION_CHARS,
        )?
        .ok_or_else(|| format!("{field}: is empty"))?;
        question.asked_at.get_or_insert(call.started_at);
        if let Some(slug) = clean(
            &format!("questions[{i}].answer"),
            question.answer.take(),
            MAX_FIELD_CHARS,
        )? {
            if !answer_exists(&slug) {
                return Err(format!(
                    "questions[{i}].answer: no answer with the slug {slug:?}"
                ));
            }
            question.answer = Some(slug);
        }
    }
    if let Some(callback) = call.callback.take() {
        // A closed one may sit on a call that stopped promising it (withdrawn from the card).
        if call.outcome != Some(Outcome::Callback)
            && callback.state == crate::callbacks::State::Open
        {
            return Err(
                "callback: an open callback only on a call whose outcome is `callback`".to_string(),
            );
        }
        call.callback = Some(checked_callback(callback)?);
    }
    Ok(call)
}

/// A callback of an import line that holds together: its texts within bounds, closed when
/// done or lost and open otherwise, not closed before it was promised, no negative count.
fn checked_callback(mut c: CallbackLine) -> Result<CallbackLine, String> {
    use crate::callbacks::State;
    for (field, text) in [
        ("callback.owner", &mut c.owner),
        ("callback.lost_reason", &mut c.lost_reason),
        ("callback.note", &mut c.note),
    ] {
        *text = clean(field, text.take(), MAX_FIELD_CHARS)?;
    }
    for (i, a) in c.attempts.iter_mut().enumerate() {
        a.by = clean(
            &format!("callback.attempts[{i}].by"),
            Some(std::mem::take(&mut a.by)),
            MAX_FIELD_CHARS,
        )?
        .ok_or_else(|| format!("callback.attempts[{i}].by: is empty"))?;
        for (name, text) in [("note", &mut a.note), ("reason", &mut a.reason)] {
            *text = clean(
                &format!("callback.attempts[{i}].{name}"),
                text.take(),
                MAX_FIELD_CHARS,
            )?;
        }
        if a.from
            .as_ref()
            .is_some_and(|f| f.chars().count() > MAX_FIELD_CHARS)
        {
            return Err(format!(
                "callback.attempts[{i}].from: longer than {MAX_FIELD_CHARS} characters"
            ));
        }
    }
    match (c.state, c.closed_at) {
        (State::Open, Some(_)) => {
            return Err("callback.closed_at: an open callback is not closed".to_string())
        }
        (State::Done | State::Lost, None) => {
            return Err("callback.closed_at: required when it is done or lost".to_string())
        }
        (_, Some(closed)) if closed < c.created_at => {
            return Err("callback.closed_at: before it was promised (created_at)".to_string())
        }
        _ => {}
    }
    for (field, count) in [
        ("called_again", c.called_again),
        ("missed_calls", c.missed_calls),
    ] {
        if count < 0 {
            return Err(format!("callback.{field}: below zero"));
        }
    }
    Ok(c)
}

/// Trims text, takes blank text as absent and refuses text over `max` characters.
fn clean(field: &str, text: Option<String>, max: usize) -> Result<Option<String>, String> {
    // Direction, zero-width and control characters go, as they do on the API's way in.
    let text = text.map(|t| crate::text::visible(&t).into_owned());
    match text {
        Some(t) if t.chars().count() > max => Err(format!("{field}: longer than {max} characters")),
        Some(t) if t.trim().is_empty() => Ok(None),
        Some(t) => Ok(Some(t.trim().to_string())),
        None => Ok(None),
    }
}

/// Names the field behind a deserialization error. serde's messages ("invalid type: integer `5`,
/// expected a string") rarely say which field they mean, so each field is tried alone beside a
/// valid `started_at`, and the first that fails is named.
fn explain(object: &Map<String, Value>, error: &serde_json::Error) -> String {
    let probe_call = |field: &str, value: &Value| {
        let mut probe = Map::new();
        probe.insert("started_at".into(), Value::String("2000-01-01".into()));
        probe.insert(field.to_string(), value.clone());
        CallLine::deserialize(Value::Object(probe)).err()
    };
    for (field, value) in object {
        if field == "questions" {
            let Value::Array(questions) = value else {
                return "questions: expected an array of questions".to_string();
            };
            for (i, question) in questions.iter().enumerate() {
                let Value::Object(fields) = question else {
                    return format!(
                        "questions[{i}]: expected an object with text, asked_at and answer"
                    );
                };
                if let Err(e) = QuestionLine::deserialize(question) {
                    return explain_question(i, fields, &e);
                }
            }
        } else if let Some(e) = probe_call(field, value) {
            return name_field(field, &e);
        }
    }
    without_position(error)
}

fn explain_question(i: usize, object: &Map<String, Value>, error: &serde_json::Error) -> String {
    for (field, value) in object {
        let mut probe = Map::new();
        probe.insert("text".into(), Value::String("?".into()));
        probe.insert(field.to_string(), value.clone());
        if let Err(e) = QuestionLine::deserialize(Value::Object(probe)) {
            return name_field(&format!("questions[{i}].{field}"), &e);
        }
    }
    format!("questions[{i}]: {}", without_position(error))
}

fn name_field(field: &str, error: &serde_json::Error) -> String {
    let message = without_position(error);
    // "unknown field `nmae`, expected one of ..." already names it.
    if message.starts_with("unknown field") {
        message
    } else {
        format!("{field}: {message}")
    }
}

/// serde_json's message without its " at line 1 column 17", which would contradict the file's
/// line number.
fn without_position(error: &serde_json::Error) -> String {
    let message = error.to_string();
    let suffix = format!(" at line {} column {}", error.line(), error.column());
    match message.strip_suffix(&suffix) {
        Some(m) if error.line() > 0 => format!("{m} (column {})", error.column()),
        Some(m) => m.to_string(),
        None => message,
    }
}

fn yes() -> bool {
    true
}

fn primary() -> CallKind {
    CallKind::Primary
}

const TIME_EXAMPLE: &str = "expected a time such as 2026-11-28T10:15:00+03:00";

fn time<'de, D: Deserializer<'de>>(deserializer: D) -> Result<DateTime<Utc>, D::Error> {
    let text = String::deserialize(deserializer)?;
    parse_time(&text)
        .ok_or_else(|| serde::de::Error::custom(format!("{TIME_EXAMPLE}, not {text:?}")))
}

fn optional_time<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<DateTime<Utc>>, D::Error> {
    match Option::<String>::deserialize(deserializer)? {
        None => Ok(None),
        Some(text) if text.trim().is_empty() => Ok(None),
        Some(text) => parse_time(&text)
            .map(Some)
            .ok_or_else(|| serde::de::Error::custom(format!("{TIME_EXAMPLE}, not {text:?}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc() -> Clock {
        Clock::new(chrono_tz::UTC)
    }

    fn known(slug: &str) -> bool {
        matches!(slug, "remote-admin-price" | "printer-repair")
    }

    fn error_of(line: &str) -> String {
        let (calls, errors) = parse(line, known, &utc());
        assert!(calls.is_empty(), "{line} was accepted");
        assert_eq!(errors.len(), 1);
        errors[0].message.clone()
    }

    #[test]
    fn a_call_survives_a_round_trip() {
        let text = r#"{"started_at":"2026-11-28T10:15:00+03:00","ended_at":"2026-11-28 07:20","operator":"Наталья","kind":"secondary","potential_client":true,"name":"Михаил","phone":"8 495 123-45-67","company":"ООО «Ромашка»","topic":"серверы","outcome":"callback","manager":"Кирилл","callback_due":"2026-11-29","notes":"перезвонить утром","questions":[{"text":"сколько стоит обслуживание","answer":"remote-admin-price"},{"text":"а принтеры чините?","asked_at":"2026-11-28T07:17:00Z"}]}"#;
        let (calls, errors) = parse(text, known, &utc());
        assert!(errors.is_empty(), "{errors:?}");
        let (line, call) = &calls[0];
        assert_eq!(*line, 1);
        assert_eq!(call.started_at, parse_time("2026-11-28T07:15:00Z").unwrap());
        assert_eq!(call.kind, CallKind::Secondary);
        assert_eq!(call.outcome, Some(Outcome::Callback));
        assert_eq!(
            call.questions[0].asked_at,
            Some(call.started_at),
            "asked_at defaults to the call's start"
        );
        assert_eq!(
            call.questions[0].answer.as_deref(),
            Some("remote-admin-price")
        );

        let written = to_line(call);
        assert!(!written.contains('\n'));
        let (again, errors) = parse(&written, known, &utc());
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(&again[0].1, call);
    }

    #[test]
    fn absent_fields_take_their_defaults_and_are_not_written() {
        let (calls, errors) = parse(r#"{"started_at":"2026-11-28"}"#, known, &utc());
        assert!(errors.is_empty(), "{errors:?}");
        let call = &calls[0].1;
        assert_eq!(call.kind, CallKind::Primary);
        assert!(!call.potential_client);
        assert!(call.questions.is_empty());
        assert_eq!(
            to_line(call),
            r#"{"started_at":"2026-11-28T00:00:00Z","kind":"primary","potential_client":false,"questions":[]}"#
        );
    }

    #[test]
    fn bad_lines_are_reported_by_number_and_the_rest_are_kept() {
        let text = [
            r#"{"started_at":"2026-11-28T10:00:00Z"}"#,
            "",
            r#"{"started_at":"2026-11-28T10:00:00Z", "#,
            r#"{"phone":"84951234567"}"#,
            "   ",
            r#"{"started_at":"2026-11-28T11:00:00Z","questions":[{"text":"ok"}]}"#,
            r#"{"started_at":"2026-11-28T12:00:00Z","kind":"first"}"#,
        ]
        .join("\r\n");
        let (calls, errors) = parse(&text, known, &utc());
        assert_eq!(
            calls.iter().map(|(line, _)| *line).collect::<Vec<_>>(),
            [1, 6]
        );
        assert_eq!(errors.iter().map(|e| e.line).collect::<Vec<_>>(), [3, 4, 7]);
        assert!(
            errors[0].to_string().starts_with("line 3: not valid JSON"),
            "{}",
            errors[0]
        );
        assert_eq!(errors[1].to_string(), "line 4: missing field `started_at`");
        assert!(
            errors[2]
                .to_string()
                .starts_with("line 7: kind: unknown variant `first`"),
            "{}",
            errors[2]
        );
    }

    #[test]
    fn each_kind_of_bad_field_is_named() {
        let call = |rest: &str| format!(r#"{{"started_at":"2026-11-28T10:00:00Z",{rest}}}"#);
        assert!(error_of(r#"{"started_at":"вчера"}"#).starts_with("started_at: expected a time"));
        assert!(
            error_of(&call(r#""outcome":"lost""#)).starts_with("outcome: unknown variant `lost`")
        );
        assert!(error_of(&call(r#""name":5"#)).starts_with("name: invalid type: integer `5`"));
        assert!(error_of(&call(r#""callback_due":"завтра""#))
            .starts_with("callback_due: expected a time"));
        assert!(error_of(&call(r#""potential_client":"yes""#))
            .starts_with("potential_client: invalid type"));
        assert!(error_of(&call(r#""nmae":"x""#)).starts_with("unknown field `nmae`"));
        assert!(error_of(&call(r#""questions":"x""#)).starts_with("questions: expected an array"));
        assert_eq!(
            error_of(&call(r#""questions":[{"text":"ok"},{"text":"  "}]"#)),
            "questions[1].text: is empty"
        );
        assert!(error_of(&call(r#""questions":[{"txt":"ok"}]"#)).starts_with("unknown field `txt`"));
        assert!(
            error_of(&call(r#""questions":[{"text":"ok","asked_at":"x"}]"#))
                .starts_with("questions[0].asked_at: expected a time")
        );
        assert_eq!(
            error_of(&call(
                r#""questions":[{"text":"ok","answer":"no-such-answer"}]"#
            )),
            r#"questions[0].answer: no answer with the slug "no-such-answer""#
        );
        assert_eq!(
            error_of(&call(&format!(
                r#""notes":"{}""#,
                "я".repeat(MAX_FIELD_CHARS + 1)
            ))),
            format!("notes: longer than {MAX_FIELD_CHARS} characters")
        );
        assert_eq!(
            error_of(&call(&format!(
                r#""questions":[{{"text":"{}"}}]"#,
                "я".repeat(MAX_QUESTION_CHARS + 1)
            ))),
            format!("questions[0].text: longer than {MAX_QUESTION_CHARS} characters")
        );
        assert_eq!(
            error_of("[1, 2]"),
            "expected a JSON object, one call per line"
        );
    }

    #[test]
    fn a_callback_that_does_not_hold_together_is_refused_naming_why() {
        let line = |callback: &str| {
            format!(
                r#"{{"started_at":"2026-11-05T10:00:00Z","outcome":"callback","callback":{callback}}}"#
            )
        };
        let open = r#""due":"2026-11-06T10:00:00Z","created_at":"2026-11-05T10:00:00Z""#;
        let good = line(&format!(r#"{{{open},"state":"open"}}"#));
        assert!(parse(&good, known, &utc()).1.is_empty());
        let long = "я".repeat(MAX_FIELD_CHARS + 1);
        for (callback, said) in [
            (
                format!(r#"{{{open},"state":"done"}}"#),
                "callback.closed_at: required",
            ),
            (
                format!(r#"{{{open},"state":"open","closed_at":"2026-11-06T10:00:00Z"}}"#),
                "callback.closed_at: an open",
            ),
            (
                format!(r#"{{{open},"state":"lost","closed_at":"2026-11-01T10:00:00Z"}}"#),
                "callback.closed_at: before",
            ),
            (
                format!(r#"{{{open},"state":"open","note":"{long}"}}"#),
                "callback.note: longer",
            ),
            (
                format!(r#"{{{open},"state":"open","called_again":-1}}"#),
                "callback.called_again: below zero",
            ),
        ] {
            let said_here = error_of(&line(&callback));
            assert!(said_here.starts_with(said), "{said_here}");
        }
        let answered = format!(
            r#"{{"started_at":"2026-11-05T10:00:00Z","outcome":"answered","callback":{{{open},"state":"open"}}}}"#
        );
        assert!(error_of(&answered).starts_with("callback: an open callback only on a call"));
        // Closed, withdrawn from the card: it stays with the call that promised it.
        let withdrawn = format!(
            r#"{{"started_at":"2026-11-05T10:00:00Z","outcome":"answered","callback":{{{open},"state":"lost","closed_at":"2026-11-05T11:00:00Z","lost_reason":"withdrawn"}}}}"#
        );
        assert!(parse(&withdrawn, known, &utc()).1.is_empty());
    }

    #[test]
    fn a_time_without_an_offset_is_the_desks_and_one_with_an_offset_is_kept() {
        let moscow = Clock::new(crate::clock::parse_zone("Europe/Moscow").unwrap());
        let text = r#"{"started_at":"2026-11-05T10:00:00","ended_at":"2026-11-05T10:05:00+03:00","outcome":"callback","callback_due":"2026-11-06 12:00","questions":[{"text":"а?","asked_at":"2026-11-05T10:01"},{"text":"б?"}]}"#;
        let (calls, errors) = parse(text, known, &moscow);
        assert!(errors.is_empty(), "{errors:?}");
        let call = &calls[0].1;
        let at = |t: &str| parse_time(t).unwrap();
        assert_eq!(call.started_at, at("2026-11-05T07:00:00Z"));
        assert_eq!(call.ended_at, Some(at("2026-11-05T07:05:00Z")));
        assert_eq!(call.callback_due, Some(at("2026-11-06T09:00:00Z")));
        assert_eq!(call.questions[0].asked_at, Some(at("2026-11-05T07:01:00Z")));
        assert_eq!(call.questions[1].asked_at, Some(call.started_at));
    }

    #[test]
    fn text_is_trimmed_and_blank_text_is_absent() {
        let (calls, _) = parse(
            r#"{"started_at":"2026-11-28","name":"  Михаил ","company":" ","questions":[{"text":" цена? ","answer":""}]}"#,
            known,
            &utc(),
        );
        let call = &calls[0].1;
        assert_eq!(call.name.as_deref(), Some("Михаил"));
        assert_eq!(call.company, None);
        assert_eq!(call.questions[0].text, "цена?");
        assert_eq!(call.questions[0].answer, None);
    }
}
