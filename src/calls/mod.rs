//! Call records and caller questions: the desk's memory, kept in SQLite.
//!
//! A [`Call`] is one incoming call; its [`CallerQuestion`]s are what the caller asked, in their
//! words, each optionally linked to the answer that was read. [`store::Store`] is the only code
//! that touches the database, so that a server database can replace it later. Phone numbers and
//! company names are compared in a normal form ([`phone::normalize`], [`phone::company_key`]) to
//! recognise returning callers. [`transfer`] reads and writes the JSON-lines format of
//! `callfaq import` and `callfaq export`. This module knows nothing of HTTP or tantivy.

pub mod card;
pub mod phone;
pub mod transfer;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

pub use crate::fields::{FieldError, FieldProblem};

/// How a call's operator is recorded when the phone exchange says it was answered on an
/// extension no account has: `ext:105`, so that the record still says which phone took it.
pub fn extension_operator(extension: &str) -> String {
    format!("ext:{}", crate::text::clip(extension.trim(), 32))
}

/// The extension of an operator recorded by [`extension_operator`].
pub fn operator_extension(operator: &str) -> Option<&str> {
    operator.strip_prefix("ext:")
}

/// Primary: the client calls for the first time. Secondary: the client already works with a
/// manager.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CallKind {
    /// First call of this client.
    Primary,
    /// The client already works with a manager.
    Secondary,
}

/// How a call ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The operator answered the caller.
    Answered,
    /// Transferred to a manager.
    Transferred,
    /// The manager was out: contacts taken, a callback is due.
    Callback,
    /// Not a client (a supplier, a job seeker, a wrong number).
    NotAClient,
}

impl CallKind {
    /// The words of the API, in order.
    pub const WORDS: &'static [&'static str] = &["primary", "secondary"];

    /// The word used in the API and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            CallKind::Primary => "primary",
            CallKind::Secondary => "secondary",
        }
    }
    /// Parses the API word.
    pub fn parse(text: &str) -> Option<CallKind> {
        match text {
            "primary" => Some(CallKind::Primary),
            "secondary" => Some(CallKind::Secondary),
            _ => None,
        }
    }
}

impl Outcome {
    /// Every outcome, in the order the desk screen offers them.
    pub const ALL: [Outcome; 4] = [
        Outcome::Answered,
        Outcome::Transferred,
        Outcome::Callback,
        Outcome::NotAClient,
    ];

    /// The words of the API, in the order of [`Outcome::ALL`].
    pub const WORDS: &'static [&'static str] =
        &["answered", "transferred", "callback", "not_a_client"];

    /// The word used in the API and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Answered => "answered",
            Outcome::Transferred => "transferred",
            Outcome::Callback => "callback",
            Outcome::NotAClient => "not_a_client",
        }
    }
    /// Parses the API word.
    pub fn parse(text: &str) -> Option<Outcome> {
        Outcome::ALL.into_iter().find(|o| o.as_str() == text)
    }
}

/// One incoming call and its record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Call {
    /// Database id.
    pub id: i64,
    /// When the call started (UTC).
    pub started_at: DateTime<Utc>,
    /// When it ended, once it has.
    pub ended_at: Option<DateTime<Utc>>,
    /// Who took the call.
    pub operator: Option<String>,
    /// Primary or secondary.
    pub kind: CallKind,
    /// Counted in the weekly desk figures.
    pub potential_client: bool,
    /// Caller's name.
    pub name: Option<String>,
    /// Phone as typed.
    pub phone: Option<String>,
    /// Company as typed.
    pub company: Option<String>,
    /// The one clarifying question of the desk standard: product group or region.
    pub topic: Option<String>,
    /// How the call ended.
    pub outcome: Option<Outcome>,
    /// The manager transferred to, or who calls back.
    pub manager: Option<String>,
    /// When the callback is due.
    pub callback_due: Option<DateTime<Utc>>,
    /// When the manager called back.
    pub callback_done_at: Option<DateTime<Utc>>,
    /// Free notes.
    pub notes: Option<String>,
    /// Whether the operator read the phone or e-mail back to the caller: only then is it a
    /// contact captured (a number the exchange sent is only a number known).
    pub contact_confirmed: bool,
}

impl Call {
    /// A call not recorded yet, starting `now`, with only a phone number if one is known.
    pub fn blank(now: DateTime<Utc>, phone: Option<String>) -> Call {
        Call {
            id: 0,
            started_at: now,
            ended_at: None,
            operator: None,
            kind: CallKind::Primary,
            potential_client: false,
            name: None,
            phone,
            contact_confirmed: false,
            company: None,
            topic: None,
            outcome: None,
            manager: None,
            callback_due: None,
            callback_done_at: None,
            notes: None,
        }
    }
}

/// What a caller asked, in their words.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CallerQuestion {
    /// Database id.
    pub id: i64,
    /// The call it was asked on.
    pub call_id: i64,
    /// The caller's words.
    pub text: String,
    /// When it was asked.
    pub asked_at: DateTime<Utc>,
    /// Slug of the answer that was read, if any.
    pub answer: Option<String>,
    /// A person logged (or left) it with no answer, having seen the answers offered: the
    /// grouping never counts it under an answer by itself.
    #[serde(default)]
    pub declined: bool,
}

/// A call with everything the desk screen and `GET /api/calls/{id}` show.
#[derive(Debug, Clone, PartialEq)]
pub struct CallRecord {
    /// The call.
    pub call: Call,
    /// Its questions, in the order asked.
    pub questions: Vec<CallerQuestion>,
    /// Earlier calls from the same phone number or company, newest first.
    pub previous_calls: Vec<i64>,
}

impl CallRecord {
    /// Whether earlier calls came from this caller.
    pub fn returning(&self) -> bool {
        !self.previous_calls.is_empty()
    }
}

/// What a caller question looks like to the search index.
#[derive(Debug, Clone, PartialEq)]
pub struct IndexedQuestion {
    /// Question id.
    pub id: i64,
    /// The caller's words.
    pub text: String,
    /// Linked answer slug.
    pub answer: Option<String>,
    /// Kind of the call it was asked on.
    pub kind: CallKind,
}

/// Most questions one call may hold: a runaway script must not fill the database.
pub const MAX_QUESTIONS_PER_CALL: usize = 500;

/// A call that already holds [`MAX_QUESTIONS_PER_CALL`] questions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("call {call_id} holds {MAX_QUESTIONS_PER_CALL} questions, the most a call may hold")]
pub struct CallFull {
    /// The call.
    pub call_id: i64,
}

/// Longest text field, in characters.
pub const MAX_FIELD_CHARS: usize = 2000;
/// Longest caller question, in characters.
pub const MAX_QUESTION_CHARS: usize = 2000;

/// A change to a call: each `Some` sets its field, `Some(None)` clears it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CallChanges {
    /// New start time.
    pub started_at: Option<DateTime<Utc>>,
    /// New end time.
    pub ended_at: Option<Option<DateTime<Utc>>>,
    /// New operator.
    pub operator: Option<Option<String>>,
    /// New kind.
    pub kind: Option<CallKind>,
    /// New potential-client mark.
    pub potential_client: Option<bool>,
    /// New name.
    pub name: Option<Option<String>>,
    /// New phone, as typed.
    pub phone: Option<Option<String>>,
    /// New company.
    pub company: Option<Option<String>>,
    /// New topic.
    pub topic: Option<Option<String>>,
    /// New outcome.
    pub outcome: Option<Option<Outcome>>,
    /// New manager.
    pub manager: Option<Option<String>>,
    /// New callback time.
    pub callback_due: Option<Option<DateTime<Utc>>>,
    /// When the callback was made (or `None`: not yet).
    pub callback_done_at: Option<Option<DateTime<Utc>>>,
    /// New notes.
    pub notes: Option<Option<String>>,
    /// Whether the phone or e-mail was read back to the caller.
    pub contact_confirmed: Option<bool>,
}

/// Parses a time: RFC 3339 (`2026-11-28T10:15:00+03:00`), or a naive `2026-11-28T10:15[:00]` /
/// `2026-11-28 10:15` taken as UTC, or a bare date taken as its midnight UTC (the import's
/// convention; the API reads naive times as the desk's, [`parse_desk_time`]).
pub fn parse_time(text: &str) -> Option<DateTime<Utc>> {
    parse_with(text, |naive| naive.and_utc())
}

/// Parses a time as [`parse_time`] does, but a time without an offset is the desk's own (in
/// `clock`'s zone), as the desk's pages and the callbacks' API read it.
pub fn parse_desk_time(text: &str, clock: &crate::clock::Clock) -> Option<DateTime<Utc>> {
    parse_with(text, |naive| clock.from_local(naive))
}

/// The years a time or a date given to the desk may fall in: a call, a question or a report's
/// day outside them is a typing slip (or a probe), and a time far outside them could not be
/// stored and read back, nor counted in weeks.
pub const PLAUSIBLE_YEARS: std::ops::RangeInclusive<i32> = 1970..=2999;

/// Whether a date falls in [`PLAUSIBLE_YEARS`].
pub fn plausible_date(date: NaiveDate) -> bool {
    PLAUSIBLE_YEARS.contains(&date.year())
}

fn parse_with(
    text: &str,
    naive_at: impl Fn(chrono::NaiveDateTime) -> DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return plausible_date(t.date_naive()).then(|| t.with_timezone(&Utc));
    }
    let naive = [
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
    ]
    .iter()
    .find_map(|format| chrono::NaiveDateTime::parse_from_str(text, format).ok())
    .or_else(|| {
        NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .ok()
            .and_then(|d| d.and_hms_opt(0, 0, 0))
    })?;
    plausible_date(naive.date()).then(|| naive_at(naive))
}

fn text_field(field: &str, value: &Value) -> Result<Option<String>, FieldError> {
    match value {
        Value::Null => Ok(None),
        Value::String(s) if s.chars().count() > MAX_FIELD_CHARS => Err(FieldError::new(
            field,
            FieldProblem::TooLong(MAX_FIELD_CHARS),
        )),
        Value::String(s) => {
            let s = crate::text::visible(s);
            let s = s.trim();
            Ok((!s.is_empty()).then(|| s.to_string()))
        }
        _ => Err(FieldError::new(field, FieldProblem::ExpectedText)),
    }
}

/// The phone field: a phone number (digits with spaces, `+`, `-`, `(`, `)`, `.`, and an
/// extension after `доб.`, `ext`, `x` or `#`: 5 to 15 digits before it) or an e-mail address.
/// Anything else («позвоните мне завтра») is refused, so that the field is a way to call back.
pub fn check_phone(phone: &str) -> Result<(), FieldProblem> {
    let phone = phone.trim();
    if phone.contains('@') {
        return if is_email(phone) {
            Ok(())
        } else {
            Err(FieldProblem::ExpectedPhone)
        };
    }
    let lower = phone.to_lowercase();
    let number = ["доб", "ext", "x", "#"]
        .iter()
        .filter_map(|m| lower.find(m).map(|at| &lower[..at]))
        .min_by_key(|n| n.len())
        .unwrap_or(&lower);
    let extension = &lower[number.len()..];
    let number_ok = number
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '-' | '(' | ')' | '.' | '\u{a0}'));
    let digits = number.chars().filter(char::is_ascii_digit).count();
    // An extension's mark says digits follow: a letter left at the end of a number
    // («89035554433x») is a slip, not an extension.
    let extension_ok = extension.is_empty()
        || extension
            .trim_start_matches(|c: char| c.is_alphabetic() || c == '#')
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '.' | ':'))
            && extension.chars().any(|c| c.is_ascii_digit());
    if !number_ok {
        // A letter that looks like a digit («З», «О») is named, so that the operator sees it.
        // The number is the start of the field: its first stray character, as typed.
        let stray = phone.chars().find(|c| {
            !(c.is_ascii_digit() || matches!(c, ' ' | '+' | '-' | '(' | ')' | '.' | '\u{a0}'))
        });
        if let Some(c) = stray.filter(|_| digits >= 3) {
            return Err(FieldProblem::NotADigit(c));
        }
    }
    if number_ok && extension_ok && number.trim_start().starts_with("+7") && digits != 11 {
        return Err(FieldProblem::RussianDigits(digits - 1));
    }
    if number_ok && extension_ok && (5..=15).contains(&digits) {
        Ok(())
    } else {
        Err(FieldProblem::ExpectedPhone)
    }
}

/// Whether `text` looks like an e-mail address: one `@`, something before it, a dot in the
/// domain after it, no spaces.
pub fn is_email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !text.chars().any(char::is_whitespace)
        && text.chars().count() <= 254
}

fn time_field(
    field: &str,
    value: &Value,
    clock: &crate::clock::Clock,
) -> Result<Option<DateTime<Utc>>, FieldError> {
    match value {
        Value::Null => Ok(None),
        Value::String(s) if s.trim().is_empty() => Ok(None),
        Value::String(s) => parse_desk_time(s, clock)
            .map(Some)
            .ok_or_else(|| FieldError::new(field, FieldProblem::ExpectedTime)),
        _ => Err(FieldError::new(field, FieldProblem::ExpectedTime)),
    }
}

impl CallChanges {
    /// Reads the fields of a JSON object, refusing unknown fields and values of the wrong shape.
    /// Reads a time without an offset as the desk's (`clock`'s zone).
    pub fn from_json(
        object: &Map<String, Value>,
        clock: &crate::clock::Clock,
    ) -> Result<CallChanges, FieldError> {
        let mut c = CallChanges::default();
        for (field, value) in object {
            let f = field.as_str();
            match f {
                "started_at" => {
                    c.started_at = Some(
                        time_field(f, value, clock)?
                            .ok_or_else(|| FieldError::new(f, FieldProblem::Empty))?,
                    )
                }
                "ended_at" => c.ended_at = Some(time_field(f, value, clock)?),
                "callback_due" => c.callback_due = Some(time_field(f, value, clock)?),
                // `callback_done_at` is the callback's to set, when it is done: not a field.
                "operator" => c.operator = Some(text_field(f, value)?),
                "name" => c.name = Some(text_field(f, value)?),
                "phone" => {
                    let phone = text_field(f, value)?;
                    if let Some(p) = &phone {
                        check_phone(p).map_err(|problem| FieldError::new(f, problem))?;
                    }
                    c.phone = Some(phone);
                }
                "company" => c.company = Some(text_field(f, value)?),
                "topic" => c.topic = Some(text_field(f, value)?),
                "manager" => c.manager = Some(text_field(f, value)?),
                "notes" => c.notes = Some(text_field(f, value)?),
                "kind" => {
                    let kind = value.as_str().and_then(CallKind::parse);
                    c.kind = Some(kind.ok_or_else(|| {
                        FieldError::new(f, FieldProblem::ExpectedOneOf(CallKind::WORDS))
                    })?);
                }
                "potential_client" | "contact_confirmed" => {
                    let yes = value
                        .as_bool()
                        .ok_or_else(|| FieldError::new(f, FieldProblem::ExpectedBool))?;
                    if f == "potential_client" {
                        c.potential_client = Some(yes);
                    } else {
                        c.contact_confirmed = Some(yes);
                    }
                }
                "outcome" => {
                    c.outcome = Some(match value {
                        Value::Null => None,
                        Value::String(s) if s.is_empty() => None,
                        _ => Some(value.as_str().and_then(Outcome::parse).ok_or_else(|| {
                            FieldError::new(f, FieldProblem::ExpectedOneOf(Outcome::WORDS))
                        })?),
                    })
                }
                // Read-only fields a client may echo back from a GET.
                "id" | "returning" | "previous_calls" | "questions" => {}
                _ => return Err(FieldError::new(f, FieldProblem::Unknown)),
            }
        }
        Ok(c)
    }

    /// Applies the changes to a call.
    pub fn apply(&self, call: &mut Call) {
        fn set<T: Clone>(target: &mut T, value: &Option<T>) {
            if let Some(v) = value {
                *target = v.clone();
            }
        }
        set(&mut call.started_at, &self.started_at);
        set(&mut call.ended_at, &self.ended_at);
        set(&mut call.operator, &self.operator);
        set(&mut call.kind, &self.kind);
        set(&mut call.potential_client, &self.potential_client);
        set(&mut call.name, &self.name);
        set(&mut call.phone, &self.phone);
        set(&mut call.company, &self.company);
        set(&mut call.topic, &self.topic);
        set(&mut call.outcome, &self.outcome);
        set(&mut call.manager, &self.manager);
        set(&mut call.callback_due, &self.callback_due);
        set(&mut call.callback_done_at, &self.callback_done_at);
        set(&mut call.notes, &self.notes);
        set(&mut call.contact_confirmed, &self.contact_confirmed);
    }
}

/// A caller question as a request gives it, checked: the caller's words (trimmed, at most
/// [`MAX_QUESTION_CHARS`]), an answer slug that exists, and when it was asked.
#[derive(Debug, Clone, PartialEq)]
pub struct NewQuestion {
    /// The caller's words.
    pub text: String,
    /// The answer that was read.
    pub answer: Option<String>,
    /// When it was asked; now when absent.
    pub asked_at: Option<DateTime<Utc>>,
}

impl NewQuestion {
    /// Reads `text`, `answer` and `asked_at` of a JSON object; `is_answer` tells which slugs
    /// exist. `id` and `call_id`, echoed back from a read, are ignored.
    pub fn from_json(
        object: &Map<String, Value>,
        clock: &crate::clock::Clock,
        is_answer: impl Fn(&str) -> bool,
    ) -> Result<NewQuestion, FieldError> {
        let mut text = None;
        let mut answer = None;
        let mut asked_at = None;
        for (field, value) in object {
            let f = field.as_str();
            match f {
                "text" => {
                    text = value
                        .as_str()
                        .map(|t| crate::text::visible(t).trim().to_string())
                }
                "answer" => answer = answer_slug(f, value, &is_answer)?,
                "asked_at" => asked_at = time_field(f, value, clock)?,
                "id" | "call_id" => {}
                _ => return Err(FieldError::new(f, FieldProblem::Unknown)),
            }
        }
        let text = text
            .filter(|t| !t.is_empty())
            .ok_or_else(|| FieldError::new("text", FieldProblem::Required))?;
        if text.chars().count() > MAX_QUESTION_CHARS {
            return Err(FieldError::new(
                "text",
                FieldProblem::TooLong(MAX_QUESTION_CHARS),
            ));
        }
        Ok(NewQuestion {
            text,
            answer,
            asked_at,
        })
    }
}

/// An answer slug field: `null` or `""` for none, else a slug that `is_answer` knows.
pub fn answer_slug(
    field: &str,
    value: &Value,
    is_answer: impl Fn(&str) -> bool,
) -> Result<Option<String>, FieldError> {
    match value {
        Value::Null => Ok(None),
        Value::String(s) if s.is_empty() => Ok(None),
        Value::String(slug) if is_answer(slug) => Ok(Some(slug.clone())),
        Value::String(slug) => Err(FieldError::new(
            field,
            FieldProblem::NoSuchAnswer(slug.clone()),
        )),
        _ => Err(FieldError::new(field, FieldProblem::ExpectedSlug)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn changes(value: Value) -> Result<CallChanges, FieldError> {
        let utc = crate::clock::Clock::new(chrono_tz::UTC);
        CallChanges::from_json(value.as_object().unwrap(), &utc)
    }

    #[test]
    fn a_callback_is_done_by_its_callback_never_by_a_field_of_the_call() {
        let refused = changes(json!({"callback_done_at": "2026-12-04T10:00:00Z"})).unwrap_err();
        assert_eq!(
            refused,
            FieldError::new("callback_done_at", FieldProblem::Unknown)
        );
    }

    #[test]
    fn fields_are_read_and_blank_text_is_none() {
        let c = changes(json!({"name": " Михаил ", "company": "", "kind": "secondary", "potential_client": true})).unwrap();
        assert_eq!(c.name, Some(Some("Михаил".into())));
        assert_eq!(c.company, Some(None));
        assert_eq!(c.kind, Some(CallKind::Secondary));
        assert_eq!(c.potential_client, Some(true));
        assert_eq!(c.phone, None);
    }

    #[test]
    fn invalid_fields_are_named() {
        assert_eq!(changes(json!({"kind": "first"})).unwrap_err().field, "kind");
        assert_eq!(
            changes(json!({"outcome": "lost"})).unwrap_err().field,
            "outcome"
        );
        assert_eq!(
            changes(json!({"started_at": "вчера"})).unwrap_err().field,
            "started_at"
        );
        assert_eq!(
            changes(json!({"potential_client": "yes"}))
                .unwrap_err()
                .field,
            "potential_client"
        );
        assert_eq!(changes(json!({"nmae": "x"})).unwrap_err().field, "nmae");
        assert_eq!(
            changes(json!({"notes": "x".repeat(MAX_FIELD_CHARS + 1)}))
                .unwrap_err()
                .field,
            "notes"
        );
    }

    #[test]
    fn times_parse_in_several_shapes() {
        let t = parse_time("2026-11-28T10:15:00+03:00").unwrap();
        assert_eq!(t.to_rfc3339(), "2026-11-28T07:15:00+00:00");
        assert!(parse_time("2026-11-28 10:15").is_some());
        assert!(parse_time("2026-11-28").is_some());
        assert!(parse_time("28.11.2026").is_none());
        // Years no desk means are refused, not stored beyond reading back.
        for far in [
            "-262143-01-01T00:00",
            "+262142-12-31",
            "9999-01-01T00:00",
            "0001-01-01T00:00:00Z",
            "1969-12-31",
        ] {
            assert!(parse_time(far).is_none(), "{far}");
        }
        assert!(parse_time("1970-01-01").is_some() && parse_time("2999-12-31T23:59").is_some());
        // The API's naive times are the desk's, as the callbacks' are.
        let moscow = crate::clock::Clock::new(crate::clock::parse_zone("Europe/Moscow").unwrap());
        assert_eq!(
            parse_desk_time("2026-12-14T10:00", &moscow),
            parse_time("2026-12-14T07:00:00Z")
        );
        assert_eq!(
            parse_desk_time("2026-12-14T10:00:00+05:00", &moscow),
            parse_time("2026-12-14T05:00:00Z")
        );
    }
}
