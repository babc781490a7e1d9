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
    /// A number typed with `+7` whose digits after it are not ten: this many.
    RussianDigits(usize),
    /// A phone number with a character that is neither a digit nor a separator (a Cyrillic
    /// «З» for a 3, say).
    NotADigit(char),
    /// Not an e-mail address.
    ExpectedEmail,
    /// A call ended on its card with no outcome chosen.
    OutcomeToEnd,
    /// «Other» chosen and nothing said of what it was.
    SayWhy,
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
    /// A callback promised with no phone or e-mail to call back on.
    NothingToCallBack,
    /// No answer has this slug.
    NoSuchAnswer(String),
    /// Not an answer slug (or null).
    ExpectedSlug,
    /// Not a whole number in this range.
    ExpectedNumber(usize, usize),
    /// Said in full already (the knowledge check's own words).
    Custom(String),
    /// What `callfaq check` says of an answer's text, at a line of the file when it knows one.
    Check(Option<usize>, crate::knowledge::Issue),
    /// A period's end before its start.
    BeforeFrom,
    /// A call's end before its start.
    BeforeStart,
    /// Another person named where only the one signed in may be (a call's operator).
    OnlyYourself,
    /// A token named as an account's login, or a login a live token's name: calls are recorded
    /// by that name, and would be both's.
    NamedLikeAnother,
    /// A change of a call that would change its callback, which is this manager's (or nobody's)
    /// to change now.
    CallbackHeld(Option<String>),
    /// A call another person took (this login): only a head records it as someone else's.
    TakenBy(String),
    /// A card's field someone else saved since the card was opened, to another value than
    /// this card's: `clashes` are those fields, `mine` every field the card's person changed.
    ChangedMeanwhile {
        /// The fields both changed.
        clashes: Vec<&'static str>,
        /// The fields the card's person changed.
        mine: Vec<&'static str>,
    },
    /// Not a `seen` token as `GET /api/calls/{id}` gives one.
    NotSeenToken,
    /// Both ends of a period are not dates such as `2026-11-28`.
    ExpectedDates,
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
    /// A password that is one short piece repeated («ivanivanivan», «1111111111»).
    PasswordRepeated,
    /// A new password that is the current one.
    PasswordUnchanged,
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
    /// A question a group split was given that is not in the group (its id).
    NotInGroup(i64),
    /// A split that would take every question of the group.
    WholeGroup,
    /// An extension another account has (its login).
    ExtensionTaken(String),
    /// A display name another enabled account (this login) has.
    DisplayNameTaken(String),
    /// A time that has passed (a callback due in the past).
    InThePast,
    /// A due time as typed on a page that is none (`15:30`, `04.12 10:00`, RFC 3339).
    ExpectedDueTime,
    /// A due time whose day no calendar has («31.02», «32 декабря»): the words as typed.
    NoSuchDate(String),
    /// A due time whose hour or minute no clock shows («25:00», «в 24»): the words as typed.
    NoSuchTime(String),
    /// Done or lost already.
    Closed,
    /// No manager account has this login or name.
    NoSuchManager(String),
    /// Not a slug an answer file may have.
    BadSlug,
    /// A slug whose file or folder name is a word the pages' addresses use (`edit`).
    ReservedSlug(&'static str),
    /// An answer has this slug already.
    SlugTaken(String),
    /// The name of an answer retired (this title): its caller questions and history are its.
    SlugRetired(String),
    /// An answer (this slug) has this title already.
    TitleTaken(String),
    /// An event of the phone exchange for a call it never told of, without the caller's number.
    CallNeverSeen,
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

impl FieldError {
    /// The field at fault in what serde said of a body (at `path`): unknown, missing, or of
    /// the wrong kind.
    pub fn of_serde(path: &str, said: &str) -> FieldError {
        let named = |prefix: &str| {
            said.strip_prefix(prefix)
                .and_then(|rest| rest.split('`').next())
        };
        let (field, problem) = if let Some(name) = named("unknown field `") {
            (name, FieldProblem::Unknown)
        } else if let Some(name) = named("missing field `") {
            (name, FieldProblem::Required)
        } else if said.contains("expected a string") {
            (path, FieldProblem::ExpectedText)
        } else if said.contains("expected a boolean") {
            (path, FieldProblem::ExpectedBool)
        } else if said.contains("expected i64") || said.contains("expected u") {
            (path, FieldProblem::ExpectedNumber(1, i64::MAX as usize))
        } else {
            (path, FieldProblem::Custom(said.to_string()))
        };
        FieldError::new(field, problem)
    }
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::i18n::EN.field_error(self))
    }
}

impl std::error::Error for FieldError {}

/// What a missing thing is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Thing {
    /// A call, by id.
    Call,
    /// A caller question, by id.
    Question,
    /// An answer, by slug.
    Answer,
    /// An answer retired from search (its history kept), by its last title.
    RetiredAnswer,
    /// A group of caller questions, by id.
    Group,
    /// A version in an answer's history, by id.
    Version,
    /// An account, by login.
    Account,
    /// A callback, by id.
    Callback,
    /// A call's open callback, by the call's id.
    CallbackOfCall,
    /// A URL nobody serves.
    Page,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_serde_says_of_a_body_names_the_field() {
        let unknown = FieldError::of_serde(".", "unknown field `colour`, expected one of `into`");
        assert_eq!(unknown, FieldError::new("colour", FieldProblem::Unknown));
        let missing = FieldError::of_serde(".", "missing field `into`");
        assert_eq!(missing, FieldError::new("into", FieldProblem::Required));
        let wrong =
            FieldError::of_serde("found", "invalid type: string \"yes\", expected a boolean");
        assert_eq!(wrong, FieldError::new("found", FieldProblem::ExpectedBool));
    }
}
