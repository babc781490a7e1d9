//! The desk's call card as a browser submits it: the same changes as the API's, with what a
//! plain HTML form needs: an absent checkbox is `false`, a callback's due time is a preset
//! («через час») or a time as typed in the desk's time zone (refused when «Точное время» is
//! chosen and left empty), a callback needs the phone or e-mail field filled, an empty operator
//! or kind is left to the defaults, and `action=end` ends the call.

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
    crate::paths::CSRF_FIELD,
];

impl CallChanges {
    /// The changes a submitted call card makes.
    pub fn from_card(
        form: &HashMap<String, String>,
        clock: &Clock,
        hours: &WorkingHours,
    ) -> Result<CallChanges, FieldError> {
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
                        // «Точное время» chosen and left empty: no time was agreed.
                        (None, "")
                            if form.get("callback_when").map(String::as_str) == Some("exact") =>
                        {
                            return Err(FieldError::new(key, FieldProblem::ExpectedDueTime))
                        }
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
        // A callback promised on the card needs a way to call back.
        if form.get("outcome").map(String::as_str) == Some("callback")
            && form.get("phone").is_some_and(|p| p.trim().is_empty())
        {
            return Err(FieldError::new("phone", FieldProblem::NothingToCallBack));
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
            // A call is ended with what came of it: the desk's figures count by it.
            if form.get("outcome").is_some_and(|o| o.trim().is_empty()) {
                return Err(FieldError::new("outcome", FieldProblem::OutcomeToEnd));
            }
            changes.ended_at = Some(Some(clock.now()));
        }
        Ok(changes)
    }
}
