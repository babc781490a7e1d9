//! Invalid input, named by the field at fault: what the API answers `422` with and a form shows
//! beside the field. The problem is a value, not a sentence, so that the interface says it in its
//! own language (`i18n`).

/// What is wrong with a field's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldProblem {
    /// Longer than this many characters.
    TooLong(usize),
    /// Not a string (or null).
    ExpectedText,
    /// Not a time such as `2026-11-28T10:15:00+03:00`.
    ExpectedTime,
    /// Not a date such as `2026-11-28`.
    ExpectedDate,
    /// Not a phone number or an e-mail address.
    ExpectedPhone,
    /// Empty where a value is needed.
    Empty,
    /// Not `true` or `false`.
    ExpectedBool,
    /// Not one of these words.
    ExpectedOneOf(&'static [&'static str]),
    /// A field the request may not carry.
    Unknown,
    /// Missing.
    Required,
    /// No answer has this slug.
    NoSuchAnswer(String),
    /// Not an answer slug (or null).
    ExpectedSlug,
    /// Not a whole number in this range.
    ExpectedNumber(usize, usize),
    /// Said in full already (the knowledge check's own words).
    Custom(String),
    /// What `callfaq check` says of an answer's text, at a line of the file when it knows one.
    Check(Option<usize>, String),
    /// A period's end before its start.
    BeforeFrom,
    /// A period longer than this many days.
    RangeTooLong(i64),
    /// A date past the end of the calendar.
    TooFarAhead,
    /// The body is not a JSON object.
    ExpectedObject,
    /// A password shorter than this many characters.
    PasswordTooShort(usize),
    /// A password that starts or ends with a space.
    PasswordEdgeSpace,
    /// A login name of other characters or length.
    BadLogin,
    /// A login name someone has.
    LoginTaken,
    /// A name a live machine token has.
    TokenTaken,
    /// The last enabled admin would lose the role.
    LastAdmin,
    /// An admin disabling their own account.
    SelfDisable,
    /// A group merged into itself.
    SameGroup,
    /// Not a slug an answer file may have.
    BadSlug,
    /// An answer has this slug already.
    SlugTaken(String),
    /// An answer (this slug) has this title already.
    TitleTaken(String),
}

/// An invalid field: the API answers `422` naming it. Displayed in English (the command line's
/// language); the interface says it with [`crate::i18n::Texts::field_error`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The field's name as in the API.
    pub field: String,
    /// What is wrong.
    pub problem: FieldProblem,
}

impl FieldError {
    /// An error about `field`.
    pub fn new(field: &str, problem: FieldProblem) -> FieldError {
        FieldError {
            field: field.to_string(),
            problem,
        }
    }
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::i18n::EN.field_error(self))
    }
}

impl std::error::Error for FieldError {}
