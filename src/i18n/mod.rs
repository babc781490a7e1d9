//! The user interface's words: every string in Russian (the default) and English, kept in one
//! table ([`strings`]) with both languages side by side, and the few messages that take values
//! (a call's number, a field's limit), filled in by [`Texts::fill`].
//!
//! Pages and error messages take a [`Texts`] and never spell a UI string themselves.

#[macro_use]
mod table;
mod strings;

pub use strings::{Texts, ALL, EN, RU};

use crate::calls::{CallKind, Outcome};
use crate::fields::{FieldError, FieldProblem};
use clap::ValueEnum;

/// A language of the user interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Lang {
    /// Русский.
    Ru,
    /// English.
    En,
}

/// The texts of a language.
pub fn texts(lang: Lang) -> &'static Texts {
    match lang {
        Lang::Ru => &RU,
        Lang::En => &EN,
    }
}

impl Texts {
    /// The `lang` attribute of pages.
    pub fn html_lang(&self) -> &'static str {
        match self.lang {
            Lang::Ru => "ru",
            Lang::En => "en",
        }
    }

    /// A message with its `{}` filled by `values`, in order.
    pub fn fill(template: &str, values: &[&dyn std::fmt::Display]) -> String {
        let mut out = String::with_capacity(template.len() + 16);
        let mut values = values.iter();
        let mut rest = template;
        while let Some(at) = rest.find("{}") {
            out.push_str(&rest[..at]);
            if let Some(v) = values.next() {
                out.push_str(&v.to_string());
            }
            rest = &rest[at + 2..];
        }
        out.push_str(rest);
        out
    }

    /// The name of a call kind.
    pub fn kind(&self, kind: CallKind) -> &'static str {
        match kind {
            CallKind::Primary => self.kind_primary,
            CallKind::Secondary => self.kind_secondary,
        }
    }

    /// The name of an outcome.
    pub fn outcome(&self, outcome: Outcome) -> &'static str {
        match outcome {
            Outcome::Answered => self.outcome_answered,
            Outcome::Transferred => self.outcome_transferred,
            Outcome::Callback => self.outcome_callback,
            Outcome::NotAClient => self.outcome_not_a_client,
        }
    }

    /// The label of a script phrase by its key; unknown keys show as they are.
    pub fn phrase_label<'a>(&self, key: &'a str) -> &'a str {
        match key {
            "greeting" => self.phrase_greeting,
            "ask_name" => self.phrase_ask_name,
            "clarify" => self.phrase_clarify,
            "transfer" => self.phrase_transfer,
            "manager_out" => self.phrase_manager_out,
            "read_back" => self.phrase_read_back,
            "goodbye" => self.phrase_goodbye,
            other => other,
        }
    }

    /// What is wrong with a field, in this language.
    pub fn field_problem(&self, problem: &FieldProblem) -> String {
        use FieldProblem as P;
        match problem {
            P::TooLong(max) => Texts::fill(self.problem_too_long, &[max]),
            P::ExpectedText => self.problem_expected_text.to_string(),
            P::ExpectedTime => self.problem_expected_time.to_string(),
            P::ExpectedDate => self.problem_expected_date.to_string(),
            P::Empty => self.problem_empty.to_string(),
            P::ExpectedBool => self.problem_expected_bool.to_string(),
            P::ExpectedOneOf(words) => Texts::fill(self.problem_one_of, &[&words.join(", ")]),
            P::Unknown => self.problem_unknown.to_string(),
            P::Required => self.problem_required.to_string(),
            P::NoSuchAnswer(slug) => Texts::fill(self.problem_no_such_answer, &[slug]),
            P::ExpectedSlug => self.problem_expected_slug.to_string(),
            P::ExpectedNumber(from, to) => Texts::fill(self.problem_expected_number, &[from, to]),
            P::BeforeFrom => self.problem_before_from.to_string(),
            P::RangeTooLong(days) => Texts::fill(self.problem_range_too_long, &[days]),
            P::TooFarAhead => self.problem_too_far_ahead.to_string(),
            P::ExpectedObject => self.problem_expected_object.to_string(),
        }
    }

    /// An invalid field as the API and pages say it: `field: what is wrong`.
    pub fn field_error(&self, error: &FieldError) -> String {
        format!("{}: {}", error.field, self.field_problem(&error.problem))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_fill_the_placeholders_in_order() {
        assert_eq!(Texts::fill("{} из {}", &[&1, &"двух"]), "1 из двух");
        assert_eq!(Texts::fill("нет {}", &[]), "нет ");
    }

    #[test]
    fn both_languages_fill_every_string() {
        for (name, ru, en) in strings::ALL {
            assert!(!ru.trim().is_empty() && !en.trim().is_empty(), "{name}");
            assert_eq!(
                ru.matches("{}").count(),
                en.matches("{}").count(),
                "{name}: both languages take the same values"
            );
        }
    }
}
