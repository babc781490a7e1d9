//! What can be wrong with an answer file, as a value: the loader, `callfaq check` and the
//! editors' workbench find it, and `i18n` says it (with the fix) in the interface's language, so
//! that an editor reads a Russian sentence where the command line prints English.

use std::fmt;

/// What is wrong with a title or a phrasing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextIssue {
    /// It holds an invisible control character (its code point).
    Control(u32),
    /// It is empty.
    Empty,
    /// It holds no letter or digit.
    NoLetter,
}

/// The kind of value a front matter field takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A date alone (`reviewed`).
    Date,
    /// Text in quotes.
    Text,
    /// A list in brackets.
    List,
}

/// What is wrong with an answer file (or the knowledge folder), with what the fix needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Issue {
    /// The knowledge folder does not exist.
    NoFolder,
    /// Another file makes the same slug.
    SlugTaken {
        /// The slug.
        slug: String,
        /// The other file.
        other: String,
    },
    /// The file name makes a slug of other characters.
    BadFileName {
        /// The slug it makes.
        slug: String,
        /// One it could make.
        suggestion: String,
    },
    /// A part of the name is a word the editors' pages use.
    ReservedWord {
        /// The word.
        word: String,
    },
    /// A slug that cannot name a file.
    BadSlug {
        /// The slug.
        slug: String,
    },
    /// The file is broken now and its last good version stays in service.
    KeptLastGood(Box<Issue>),
    /// Another answer has the same title.
    TitleTaken {
        /// The title.
        title: String,
        /// The other answer's file.
        other: String,
    },
    /// The file cannot be read.
    CannotRead {
        /// What the system said.
        error: String,
    },
    /// The file is larger than an answer may be.
    TooBig {
        /// Its size in KB.
        kb: u64,
        /// The most an answer may be, in KB.
        max_kb: u64,
    },
    /// The file is not UTF-8.
    NotUtf8,
    /// HTML tags nest too deep.
    HtmlTooDeep {
        /// The deepest allowed.
        max: usize,
    },
    /// Quotes, lists or emphasis nest too deep.
    MarkdownTooDeep {
        /// The deepest allowed.
        max: usize,
    },
    /// The file does not start with `+++`.
    NoOpening,
    /// The front matter is never closed.
    NotClosed,
    /// A field the front matter must have is missing.
    MissingField {
        /// The field.
        field: String,
    },
    /// A field written twice in the front matter.
    DuplicateField {
        /// The field.
        field: String,
    },
    /// A field the front matter does not know.
    UnknownField {
        /// The field.
        field: String,
    },
    /// `audience` is none of its words.
    UnknownAudience {
        /// What it says.
        value: String,
    },
    /// A field holds a value of another kind than it takes.
    WrongType {
        /// The field.
        field: String,
        /// What it takes.
        expected: Kind,
    },
    /// The front matter is not valid TOML (the parser's own words).
    Toml {
        /// What the parser said.
        message: String,
    },
    /// `reviewed` is not a date alone.
    ReviewedNotDate,
    /// `reviewed` is outside the years an answer can have been checked in.
    ReviewedOutOfRange {
        /// The date.
        date: String,
    },
    /// The title is wrong.
    Title(TextIssue),
    /// A phrasing in `questions` is wrong.
    Question {
        /// Its number, from 1.
        n: usize,
        /// What is wrong.
        issue: TextIssue,
    },
    /// Nothing after the front matter.
    EmptyBody,
    /// The front matter has no `reviewed` line to set.
    NoReviewedLine,
}

impl Issue {
    /// The issue behind a "kept last good version" note.
    pub fn cause(&self) -> &Issue {
        match self {
            Issue::KeptLastGood(cause) => cause.cause(),
            other => other,
        }
    }

    /// The issue of a TOML parser's message about the field on the line it points at (if it
    /// names one), where it is one we can say better.
    pub fn of_toml(message: &str, field: Option<&str>) -> Issue {
        let message = message.trim();
        if let (Some(field), Some(expected)) = (field, message.strip_prefix("invalid type:")) {
            let expected = expected.split("expected").nth(1).unwrap_or("");
            let kind = if expected.contains("datetime") {
                Some(Kind::Date)
            } else if expected.contains("string") {
                Some(Kind::Text)
            } else if expected.contains("sequence") {
                Some(Kind::List)
            } else {
                None
            };
            if let Some(expected) = kind {
                let field = field.to_string();
                return Issue::WrongType { field, expected };
            }
        }
        let quoted = |rest: &str| rest.split('`').nth(1).map(str::to_string);
        if let Some(field) = message
            .strip_prefix("missing field `")
            .and_then(|m| m.split('`').next())
        {
            return Issue::MissingField {
                field: field.to_string(),
            };
        }
        if let Some(field) = message.strip_prefix("unknown field").and_then(quoted) {
            return Issue::UnknownField { field };
        }
        if message.contains("duplicate key") {
            if let Some(field) = quoted(message).or_else(|| field.map(str::to_string)) {
                return Issue::DuplicateField { field };
            }
        }
        if let Some(value) = message.strip_prefix("unknown variant").and_then(quoted) {
            return Issue::UnknownAudience { value };
        }
        // Any other slip on a known field's line (a date typed `07.12.2026`, text without its
        // quotes) is said as that field's form, in the editor's words, not the parser's.
        let kind = match field {
            _ if message.contains("duplicate key") => None,
            Some("reviewed") => Some(Kind::Date),
            Some("title" | "audience") => Some(Kind::Text),
            Some("questions" | "tags") => Some(Kind::List),
            _ => None,
        };
        if let (Some(field), Some(expected)) = (field, kind) {
            let field = field.to_string();
            return Issue::WrongType { field, expected };
        }
        Issue::Toml {
            message: message.to_string(),
        }
    }
}

impl fmt::Display for Issue {
    /// In English, as the command line says it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&crate::i18n::EN.knowledge_issue(self))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_toml_message_becomes_an_issue_with_its_field() {
        assert_eq!(
            Issue::of_toml("missing field `audience`", None),
            Issue::MissingField {
                field: "audience".into()
            }
        );
        assert_eq!(
            Issue::of_toml(
                "unknown field `tgas`, expected one of `title`, `tags`",
                None
            ),
            Issue::UnknownField {
                field: "tgas".into()
            }
        );
        assert_eq!(
            Issue::of_toml(
                "unknown variant `everyone`, expected one of `primary`",
                None
            ),
            Issue::UnknownAudience {
                value: "everyone".into()
            }
        );
        assert!(matches!(
            Issue::of_toml("invalid string", None),
            Issue::Toml { .. }
        ));
        assert_eq!(
            Issue::of_toml("duplicate key", Some("title")),
            Issue::DuplicateField {
                field: "title".into()
            }
        );
        // A date typed as the desk writes it: said as a date's form, not the parser's words.
        assert_eq!(
            Issue::of_toml(
                "unexpected leading zero, expected nothing",
                Some("reviewed")
            ),
            Issue::WrongType {
                field: "reviewed".into(),
                expected: Kind::Date
            }
        );
        assert_eq!(
            Issue::of_toml("invalid basic string, expected `\"`", Some("title")),
            Issue::WrongType {
                field: "title".into(),
                expected: Kind::Text
            }
        );
        assert_eq!(
            Issue::of_toml(
                "invalid type: string \"вчера\", expected a TOML datetime",
                Some("reviewed")
            ),
            Issue::WrongType {
                field: "reviewed".into(),
                expected: Kind::Date
            }
        );
    }

    #[test]
    fn russian_and_english_say_each_issue_with_its_fix() {
        let issue = Issue::KeptLastGood(Box::new(Issue::MissingField {
            field: "reviewed".into(),
        }));
        let ru = crate::i18n::RU.knowledge_issue(&issue);
        assert!(
            ru.contains("reviewed = 2026-11-20") && ru.contains("прежняя версия"),
            "{ru}"
        );
        let en = issue.to_string();
        assert!(
            en.contains("missing field `reviewed`") && en.contains("last good version"),
            "{en}"
        );
    }
}
