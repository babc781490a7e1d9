//! The desk's call card as a browser submits it: the same changes as the API's, with what a
//! plain HTML form needs: an absent checkbox is `false`, a callback's due time is a preset
//! («через час») or a time as typed in the desk's time zone (refused when «Точное время» is
//! chosen and left empty), a callback needs the phone or e-mail field filled, an empty operator
//! or kind is left to the defaults, and `action=end` ends the call.
//!
//! A saved card writes only what its person changed since it was opened ([`Seen`]): a
//! colleague's save in between is kept, and a field both changed to different values refuses
//! the card.

use super::CallChanges;
use crate::callbacks::hours::{Preset, WorkingHours};
use crate::clock::Clock;
use crate::fields::{FieldError, FieldProblem};
use chrono::NaiveDateTime;
use serde_json::{Map, Value};
use std::collections::HashMap;

/// Form fields that are not the call's own.
const NOT_FIELDS: &[&str] = &[
    "potential_client",
    "contact_confirmed",
    "callback_done",
    "callback_when",
    "card",
    "action",
    "question",
    "seen",
    crate::paths::CSRF_FIELD,
];

/// Every problem of a submitted card that the card itself shows, in the order of its fields:
/// a callback's time unreadable or left empty under «Точное время», a callback with no phone
/// or e-mail, a call ended with no outcome. A card is refused for the first; the page says all
/// of them at once, so that the operator mends them in one go while the caller waits.
pub fn card_problems(
    form: &HashMap<String, String>,
    clock: &Clock,
    hours: &WorkingHours,
) -> Vec<FieldError> {
    let mut problems = Vec::new();
    let get = |key: &str| form.get(key).map(String::as_str);
    if get("outcome") == Some("callback") {
        if let Some(typed) = get("callback_due").map(str::trim) {
            let preset = get("callback_when").and_then(Preset::parse);
            let unread = match (preset, typed) {
                (Some(_), _) => false,
                // «Точное время» chosen and left empty: no time was agreed.
                (None, "") => get("callback_when") == Some("exact"),
                (None, typed) => crate::callbacks::due_as_said(typed, clock, hours).is_none(),
            };
            if unread {
                problems.push(FieldError::new(
                    "callback_due",
                    FieldProblem::ExpectedDueTime,
                ));
            }
        }
        // A callback promised on the card needs a way to call back.
        if get("phone").is_some_and(|p| p.trim().is_empty()) {
            problems.push(FieldError::new("phone", FieldProblem::NothingToCallBack));
        }
    }
    // A call is ended with what came of it: the desk's figures count by it.
    if get("action") == Some("end") && get("outcome").is_some_and(|o| o.trim().is_empty()) {
        problems.push(FieldError::new("outcome", FieldProblem::OutcomeToEnd));
    }
    problems
}

impl CallChanges {
    /// The changes a submitted call card makes; refused for the first of its
    /// [`card_problems`].
    pub fn from_card(
        form: &HashMap<String, String>,
        clock: &Clock,
        hours: &WorkingHours,
    ) -> Result<CallChanges, FieldError> {
        if let Some(first) = card_problems(form, clock, hours).into_iter().next() {
            return Err(first);
        }
        let mut object = Map::new();
        for (key, value) in form {
            let value = match key.as_str() {
                k if NOT_FIELDS.contains(&k) => continue,
                // Left empty, the logged-in operator is recorded (the API's default).
                "operator" if value.trim().is_empty() => continue,
                // An empty choice leaves the kind to the store (earlier calls make it secondary).
                "kind" if value.is_empty() => continue,
                // Only a callback has a due time: a preset's, or the one typed.
                "callback_due" if form.get("outcome").map(String::as_str) != Some("callback") => {
                    continue
                }
                "callback_due" => {
                    let preset = form.get("callback_when").and_then(|w| Preset::parse(w));
                    match (preset, value.trim()) {
                        (Some(p), _) => {
                            let now = clock.local(clock.now());
                            Value::String(clock.from_local(hours.due(p, now)).to_rfc3339())
                        }
                        // Left empty under «Точное время» is one of the card's problems.
                        (None, "") => Value::Null,
                        (None, typed) => match crate::callbacks::due_as_said(typed, clock, hours) {
                            Some(t) => Value::String(t.to_rfc3339()),
                            None => {
                                return Err(FieldError::new(key, FieldProblem::ExpectedDueTime))
                            }
                        },
                    }
                }
                "ended_at" | "started_at" => {
                    match NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M") {
                        Ok(naive) => Value::String(clock.from_local(naive).to_rfc3339()),
                        Err(_) => Value::String(value.clone()),
                    }
                }
                _ => Value::String(value.clone()),
            };
            object.insert(key.clone(), value);
        }
        // The saved card has a checkbox (absent means no); the new card a choice that may be empty.
        let potential = match (
            form.contains_key("card"),
            form.get("potential_client").map(String::as_str),
        ) {
            (true, value) => Some(value.is_some()),
            (false, Some("on")) => Some(true),
            (false, Some("off")) => Some(false),
            (false, _) => None,
        };
        if let Some(p) = potential {
            object.insert("potential_client".into(), Value::Bool(p));
        }
        // A preset chosen with no time field at all (the new card has none).
        if form.get("outcome").map(String::as_str) == Some("callback")
            && !object.contains_key("callback_due")
        {
            if let Some(p) = form.get("callback_when").and_then(|w| Preset::parse(w)) {
                let now = clock.local(clock.now());
                let due = clock.from_local(hours.due(p, now)).to_rfc3339();
                object.insert("callback_due".into(), Value::String(due));
            }
        }
        // The read-back checkbox beside the phone: absent means not confirmed.
        if form.contains_key("phone") {
            object.insert(
                "contact_confirmed".into(),
                Value::Bool(form.contains_key("contact_confirmed")),
            );
        }
        let mut changes = CallChanges::from_json(&object, clock)?;
        if form.get("action").map(String::as_str) == Some("end") {
            changes.ended_at = Some(Some(clock.now()));
        }
        Ok(changes)
    }
}

/// What a card showed of a call when it was opened: a fingerprint of each field the card
/// edits, as then stored. A saved card writes only the fields its person changed from these,
/// so that a colleague's save in between is kept; a field both changed, to different values,
/// is a clash, and nothing is written (see [`Seen::clashes`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seen {
    prints: Vec<u64>,
}

/// Runs `$each!(field)` for every field a card edits, in a fixed order (the order of a
/// [`Seen`] token). The call's start and end are not among them: the exchange and the
/// «Завершить» button set those, and the card never shows them as fields.
macro_rules! card_fields {
    ($each:ident) => {
        $each!(name);
        $each!(phone);
        $each!(contact_confirmed);
        $each!(company);
        $each!(topic);
        $each!(kind);
        $each!(potential_client);
        $each!(outcome);
        $each!(manager);
        $each!(callback_due);
        $each!(notes);
    };
}

/// The number of fields a card edits.
const CARD_FIELDS: usize = 11;

/// A value's fingerprint: 64-bit FNV-1a of its JSON, stable across builds and releases (a
/// page opened before an upgrade is saved after it).
fn print<T: serde::Serialize>(value: &T) -> u64 {
    let json = serde_json::to_string(value).unwrap_or_default();
    json.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

impl Seen {
    /// The card's fields of `call` as stored now.
    pub fn of(call: &super::Call) -> Seen {
        let mut prints = Vec::with_capacity(CARD_FIELDS);
        macro_rules! push {
            ($field:ident) => {
                prints.push(print(&call.$field))
            };
        }
        card_fields!(push);
        Seen { prints }
    }

    /// As a page keeps it (a hidden field): `v1.` and the fingerprints in hex, dot-separated.
    pub fn token(&self) -> String {
        let hex: Vec<String> = self.prints.iter().map(|p| format!("{p:016x}")).collect();
        format!("v1.{}", hex.join("."))
    }

    /// A token read back; `None` when it is not one (an old page, a hand-made form): the card
    /// is then saved whole, as before cards knew what they saw.
    pub fn parse(token: &str) -> Option<Seen> {
        let prints = token
            .trim()
            .strip_prefix("v1.")?
            .split('.')
            .map(|hex| u64::from_str_radix(hex, 16).ok())
            .collect::<Option<Vec<u64>>>()?;
        (prints.len() == CARD_FIELDS).then_some(Seen { prints })
    }

    /// Leaves in `changes` only the card's fields its person changed from what the card
    /// showed; the rest stay as they are stored now, whoever saved them since.
    pub fn keep_changed(&self, changes: &mut CallChanges) {
        let mut at = 0;
        macro_rules! keep {
            ($field:ident) => {
                if changes
                    .$field
                    .as_ref()
                    .is_some_and(|v| print(v) == self.prints[at])
                {
                    changes.$field = None;
                }
                at += 1;
            };
        }
        card_fields!(keep);
        debug_assert_eq!(at, CARD_FIELDS);
    }

    /// The card's fields that `changes` writes and someone else changed since the card was
    /// opened (`stored` differs from what it showed) to a value other than this one's.
    pub fn clashes(&self, changes: &CallChanges, stored: &super::Call) -> Vec<&'static str> {
        let mut clashes = Vec::new();
        let mut at = 0;
        macro_rules! clash {
            ($field:ident) => {
                if let Some(v) = &changes.$field {
                    if print(&stored.$field) != self.prints[at] && *v != stored.$field {
                        clashes.push(stringify!($field));
                    }
                }
                at += 1;
            };
        }
        card_fields!(clash);
        debug_assert_eq!(at, CARD_FIELDS);
        clashes
    }

    /// The card's fields `changes` writes, by their form names.
    pub fn written(changes: &CallChanges) -> Vec<&'static str> {
        let mut written = Vec::new();
        macro_rules! named {
            ($field:ident) => {
                if changes.$field.is_some() {
                    written.push(stringify!($field));
                }
            };
        }
        card_fields!(named);
        written
    }
}

/// A card's save refused because someone else changed these fields meanwhile (see
/// [`Seen::clashes`]); raised inside the write, so that nothing of the card is saved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the call's fields {0:?} were changed by someone else since the card was opened")]
pub struct Clash(pub Vec<&'static str>);
