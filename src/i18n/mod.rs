//! The user interface's words: every string in Russian (the default) and English, kept in one
//! table ([`strings`]) with both languages side by side, and the few messages that take values
//! (a call's number, a field's limit), filled in by [`Texts::fill`].
//!
//! Pages and error messages take a [`Texts`] and never spell a UI string themselves.

#[macro_use]
mod table;
mod audit;
mod strings;

pub use strings::{Texts, ALL, EN, RU};

use crate::accounts::Role;
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

impl Lang {
    /// The language of an HTML `lang` code (`ru`, `en`).
    pub fn parse(code: &str) -> Option<Lang> {
        [Lang::Ru, Lang::En]
            .into_iter()
            .find(|l| texts(*l).html_lang() == code)
    }
}

/// How a language writes days and moments (`chrono` formats): Russian by digits, English with
/// the month's name, so that neither reads the other's order.
struct DateFormats {
    day: &'static str,
    day_short: &'static str,
    moment: &'static str,
    moment_short: &'static str,
    moment_seconds: &'static str,
    dash: &'static str,
}

/// The texts of a language.
pub fn texts(lang: Lang) -> &'static Texts {
    match lang {
        Lang::Ru => &RU,
        Lang::En => &EN,
    }
}

impl Texts {
    /// Whether numbers take a decimal comma in this language (Russian) rather than a point.
    pub fn decimal_comma(&self) -> bool {
        self.html_lang() == "ru"
    }

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

    /// `n` and the word counted in the form that number takes: `forms` holds the word's plural
    /// forms separated by `|`, Russian one, few and many (`раз|раза|раз`: 1 раз, 21 раз; 2 раза,
    /// 24 раза; 5 раз, 11 раз, 112 раз), English one and other (`time|times`). See CLDR's plural
    /// rules: <https://www.unicode.org/cldr/charts/latest/supplemental/language_plural_rules.html>.
    pub fn count(&self, n: u64, forms: &str) -> String {
        let forms: Vec<&str> = forms.split('|').collect();
        let form = match self.lang {
            Lang::Ru => {
                let (last, last_two) = (n % 10, n % 100);
                if last == 1 && last_two != 11 {
                    0
                } else if (2..=4).contains(&last) && !(12..=14).contains(&last_two) {
                    1
                } else {
                    2
                }
            }
            Lang::En => usize::from(n != 1),
        };
        let word = forms.get(form).or(forms.last()).copied().unwrap_or("");
        format!("{n} {word}")
    }

    /// The name of a call kind.
    pub fn kind(&self, kind: CallKind) -> &'static str {
        match kind {
            CallKind::Primary => self.kind_primary,
            CallKind::Secondary => self.kind_secondary,
        }
    }

    /// Who a record names, as the pages say it: a login (or a token's name) as it is, an
    /// extension no account had ([`crate::calls::extension_operator`]) as «доб. 105».
    pub fn recorded_person<'a>(&self, recorded: &'a str) -> std::borrow::Cow<'a, str> {
        match crate::calls::operator_extension(recorded) {
            Some(extension) => Texts::fill(self.operator_extension, &[&extension]).into(),
            None => recorded.into(),
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

    /// The name of a role.
    pub fn role(&self, role: Role) -> &'static str {
        match role {
            Role::Operator => self.role_operator,
            Role::Manager => self.role_manager,
            Role::Editor => self.role_editor,
            Role::Head => self.role_head,
            Role::Admin => self.role_admin,
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

    /// How a version of an answer came to be, in the interface's words.
    pub fn how(&self, how: crate::knowledge::history::How) -> &'static str {
        use crate::knowledge::history::How;
        match how {
            How::Loaded => self.how_loaded,
            How::Saved => self.how_saved,
            How::Created => self.how_created,
            How::Disk => self.how_disk,
            How::Restored => self.how_restored,
            How::Retired => self.how_retired,
            How::Renamed => self.how_renamed,
            How::Reviewed => self.how_reviewed,
        }
    }

    /// A version's note in the interface's words: the version restored (`version 4`), the
    /// name it had (`from vacancies`); another as it is.
    pub fn version_note(&self, note: &str) -> String {
        if let Some(id) = note.strip_prefix("version ") {
            return Texts::fill(self.history_note_version, &[&id]);
        }
        if let Some(old) = note.strip_prefix("from ") {
            return Texts::fill(self.history_note_from, &[&old]);
        }
        note.to_string()
    }

    /// A callback attempt's note in the interface's words: the call it was closed on
    /// (`call 13`, «поговорили сейчас»); a manager's own words as they are.
    pub fn attempt_note(&self, note: &str) -> String {
        match note
            .strip_prefix("call ")
            .filter(|id| id.parse::<i64>().is_ok())
        {
            Some(id) => Texts::fill(self.attempt_note_call, &[&id]),
            None => note.to_string(),
        }
    }

    /// An audit log action in the interface's words; an unknown one as it is.
    pub fn audit_action<'a>(&self, action: &'a str) -> &'a str {
        match action {
            "view" => self.action_view,
            "change" => self.action_change,
            "login" => self.action_login,
            "login-failed" => self.action_login_failed,
            "password" => self.action_password,
            "account" => self.action_account,
            "token" => self.action_token,
            "erase" => self.action_erase,
            "export" => self.action_export,
            "restore" => self.action_restore,
            "group" => self.action_group,
            "answer" => self.action_answer,
            "pbx" => self.action_pbx,
            "callback" => self.action_callback,
            other => other,
        }
    }

    /// The word that stands for a script placeholder's missing value.
    pub fn placeholder<'a>(&self, name: &'a str) -> &'a str {
        match name {
            "name" => self.placeholder_name,
            "phone" => self.placeholder_phone,
            "company" => self.placeholder_company,
            "topic" => self.placeholder_topic,
            "manager" => self.placeholder_manager,
            "operator" => self.placeholder_operator,
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
            P::ExpectedPhone => self.problem_expected_phone.to_string(),
            P::RussianDigits(n) => Texts::fill(self.problem_russian_digits, &[n]),
            P::NotADigit(c) => Texts::fill(self.problem_not_a_digit, &[c]),
            P::ExpectedEmail => self.problem_expected_email.to_string(),
            P::OutcomeToEnd => self.problem_outcome_to_end.to_string(),
            P::SayWhy => self.problem_say_why.to_string(),
            P::Empty => self.problem_empty.to_string(),
            P::ExpectedBool => self.problem_expected_bool.to_string(),
            P::ExpectedOneOf(words) => Texts::fill(self.problem_one_of, &[&words.join(", ")]),
            P::Unknown => self.problem_unknown.to_string(),
            P::Required => self.problem_required.to_string(),
            P::NothingToCallBack => self.problem_nothing_to_call_back.to_string(),
            P::NoSuchAnswer(slug) => Texts::fill(self.problem_no_such_answer, &[slug]),
            P::ExpectedSlug => self.problem_expected_slug.to_string(),
            P::ExpectedNumber(from, to) => Texts::fill(self.problem_expected_number, &[from, to]),
            P::BeforeFrom => self.problem_before_from.to_string(),
            P::BeforeStart => self.problem_before_start.to_string(),
            P::OnlyYourself => self.problem_only_yourself.to_string(),
            P::NamedLikeAnother => self.problem_named_like_another.to_string(),
            P::CallbackHeld(Some(owner)) => Texts::fill(self.problem_callback_held, &[owner]),
            P::CallbackHeld(None) => self.problem_callback_held_nobody.to_string(),
            P::TakenBy(login) => Texts::fill(self.problem_taken_by, &[login]),
            P::ChangedMeanwhile { .. } => self.problem_changed_meanwhile.to_string(),
            P::NotSeenToken => self.problem_not_seen_token.to_string(),
            P::ExpectedDates => self.problem_expected_dates.to_string(),
            P::Custom(message) => message.clone(),
            P::Check(Some(line), issue) => Texts::fill(
                self.edit_problem_line,
                &[line, &self.knowledge_issue(issue)],
            ),
            P::Check(None, issue) => self.knowledge_issue(issue),
            P::RangeTooLong(days) => Texts::fill(
                self.problem_range_too_long,
                &[&self.count(u64::try_from(*days).unwrap_or(0), self.days)],
            ),
            P::TooFarAhead => self.problem_too_far_ahead.to_string(),
            P::ExpectedObject => self.problem_expected_object.to_string(),
            P::PasswordTooShort(n) => Texts::fill(self.problem_password_short, &[n]),
            P::PasswordEdgeSpace => self.problem_password_space.to_string(),
            P::PasswordRepeated => self.problem_password_repeated.to_string(),
            P::PasswordUnchanged => self.problem_password_unchanged.to_string(),
            P::BadLogin => self.problem_bad_login.to_string(),
            P::TokenTaken => self.token_taken.to_string(),
            P::LastAdmin => self.last_admin.to_string(),
            P::SelfDisable => self.self_disable.to_string(),
            P::LoginTaken => self.problem_login_taken.to_string(),
            P::SameGroup => self.problem_same_group.to_string(),
            P::NotInGroup(question) => Texts::fill(self.problem_not_in_group, &[question]),
            P::WholeGroup => self.problem_whole_group.to_string(),
            P::ExtensionTaken(login) => Texts::fill(self.problem_extension_taken, &[login]),
            P::DisplayNameTaken(login) => Texts::fill(self.problem_display_name_taken, &[login]),
            P::InThePast => self.problem_in_the_past.to_string(),
            P::ExpectedDueTime => self.problem_expected_due_time.to_string(),
            P::NoSuchDate(said) => Texts::fill(self.problem_no_such_date, &[said]),
            P::NoSuchTime(said) => Texts::fill(self.problem_no_such_time, &[said]),
            P::Closed => self.problem_closed.to_string(),
            P::NoSuchManager(name) => Texts::fill(self.problem_no_such_manager, &[name]),
            P::BadSlug => self.problem_bad_slug.to_string(),
            P::ReservedSlug(word) => Texts::fill(self.problem_reserved_slug, &[word]),
            P::SlugTaken(slug) => Texts::fill(self.problem_slug_taken, &[slug]),
            P::SlugRetired(title) => Texts::fill(self.problem_slug_retired, &[title]),
            P::TitleTaken(slug) => Texts::fill(self.problem_title_taken, &[slug]),
            P::CallNeverSeen => self.problem_call_never_seen.to_string(),
        }
    }

    /// A callback notice's subject and text: `event` (`assigned`, `overdue`, `escalated`,
    /// `done`, `lost`), the callback, its owner's account.
    pub fn callback_notice(
        &self,
        event: &str,
        c: &crate::callbacks::Callback,
        clock: &crate::clock::Clock,
        owner: Option<&crate::accounts::Account>,
    ) -> (String, String) {
        let what = match event {
            "assigned" => self.notice_assigned,
            "overdue" => self.notice_overdue,
            "escalated" => self.notice_escalated,
            "done" if c.caller_called_first() => self.notice_done_by_caller,
            "done" => self.notice_done,
            "handed_away" => self.notice_handed_away,
            _ => self.notice_lost,
        };
        let who = [&c.name, &c.company]
            .into_iter()
            .flatten()
            .cloned()
            .collect::<Vec<_>>()
            .join(", ");
        let reach = [&c.phone, &c.email]
            .into_iter()
            .flatten()
            .cloned()
            .collect::<Vec<_>>()
            .join(", ");
        let due = self.moment(clock.local(c.due));
        let subject = Texts::fill(what, &[&who, &due]);
        let owner = owner.map_or(self.callbacks_unassigned, |a| a.shown_name());
        let body = Texts::fill(
            self.notice_body,
            &[&subject, &who, &reach, &due, &owner, &c.id],
        );
        (subject, body)
    }

    /// What is wrong with an answer file, with the fix, in this language.
    pub fn knowledge_issue(&self, issue: &crate::knowledge::Issue) -> String {
        use crate::knowledge::{Issue as I, TextIssue};
        let text = |t: &TextIssue| match t {
            TextIssue::Control(code) => {
                Texts::fill(self.text_issue_control, &[&format!("{code:04X}")])
            }
            TextIssue::Empty => self.text_issue_empty.to_string(),
            TextIssue::NoLetter => self.text_issue_no_letter.to_string(),
        };
        match issue {
            I::NoFolder => self.issue_no_folder.to_string(),
            I::SlugTaken { slug, other } => Texts::fill(self.issue_slug_taken, &[slug, other]),
            I::BadFileName { slug, suggestion } => {
                Texts::fill(self.issue_bad_file_name, &[slug, suggestion])
            }
            I::ReservedWord { word } => Texts::fill(self.issue_reserved_word, &[word, word]),
            I::BadSlug { slug } => Texts::fill(
                self.issue_bad_slug,
                &[slug, &crate::knowledge::RESERVED_WORDS.join(", ")],
            ),
            I::KeptLastGood(cause) => {
                Texts::fill(self.issue_kept_last_good, &[&self.knowledge_issue(cause)])
            }
            I::TitleTaken { title, other } => Texts::fill(self.issue_title_taken, &[title, other]),
            I::CannotRead { error } => Texts::fill(self.issue_cannot_read, &[error]),
            I::TooBig { kb, max_kb } => Texts::fill(self.issue_too_big, &[kb, max_kb]),
            I::NotUtf8 => self.issue_not_utf8.to_string(),
            I::HtmlTooDeep { max } => Texts::fill(self.issue_html_too_deep, &[max]),
            I::MarkdownTooDeep { max } => Texts::fill(self.issue_markdown_too_deep, &[max]),
            I::NoOpening => self.issue_no_opening.to_string(),
            I::NotClosed => self.issue_not_closed.to_string(),
            I::MissingField { field } => {
                let example = match field.as_str() {
                    "title" => "title = \"Сколько стоит доставка?\"",
                    "audience" => "audience = \"primary\"  # primary | secondary | all",
                    "reviewed" => "reviewed = 2026-11-20",
                    _ => "",
                };
                Texts::fill(self.issue_missing_field, &[field, &example])
            }
            I::UnknownField { field } => Texts::fill(self.issue_unknown_field, &[field]),
            I::DuplicateField { field } => Texts::fill(self.issue_duplicate_field, &[field]),
            I::UnknownAudience { value } => Texts::fill(self.issue_unknown_audience, &[value]),
            I::Toml { message } => Texts::fill(self.issue_toml, &[message]),
            I::WrongType { field, expected } => {
                let template = match expected {
                    crate::knowledge::Kind::Date => self.issue_wants_date,
                    crate::knowledge::Kind::Text => self.issue_wants_text,
                    crate::knowledge::Kind::List => self.issue_wants_list,
                };
                Texts::fill(template, &[field])
            }
            I::ReviewedNotDate => self.issue_reviewed_not_date.to_string(),
            I::ReviewedOutOfRange { date } => Texts::fill(
                self.issue_reviewed_out_of_range,
                &[
                    date,
                    &crate::knowledge::front_matter::MIN_REVIEWED_YEAR,
                    &crate::knowledge::front_matter::MAX_REVIEWED_YEAR,
                ],
            ),
            I::Title(t) => Texts::fill(self.issue_title, &[&text(t)]),
            I::Question { n, issue } => Texts::fill(self.issue_question, &[n, &text(issue)]),
            I::EmptyBody => self.issue_empty_body.to_string(),
            I::NoReviewedLine => self.issue_no_reviewed_line.to_string(),
        }
    }

    /// A day as this language writes it: `03.12.2026`, `3 Dec 2026`.
    pub fn day(&self, day: chrono::NaiveDate) -> String {
        day.format(self.formats().day).to_string()
    }

    /// How a day is written, as a `chrono` format, for what formats days away from the pages.
    pub fn day_format(&self) -> &'static str {
        self.formats().day
    }

    /// A day given as `2026-12-03` (a report's, a link's) as this language writes it; as given
    /// when it does not read as a day.
    pub fn iso_day(&self, iso: &str) -> String {
        chrono::NaiveDate::parse_from_str(iso, "%Y-%m-%d")
            .map_or_else(|_| iso.to_string(), |d| self.day(d))
    }

    /// A day without its year: `03.12`, `3 Dec`.
    pub fn day_short(&self, day: chrono::NaiveDate) -> String {
        day.format(self.formats().day_short).to_string()
    }

    /// A moment on the desk's wall clock: `03.12.2026 14:05`, `3 Dec 2026, 14:05`.
    pub fn moment(&self, at: chrono::NaiveDateTime) -> String {
        at.format(self.formats().moment).to_string()
    }

    /// A moment without its year: `03.12 14:05`, `3 Dec, 14:05`.
    pub fn moment_short(&self, at: chrono::NaiveDateTime) -> String {
        at.format(self.formats().moment_short).to_string()
    }

    /// A moment to the second, as the sign-in log keeps it.
    pub fn moment_seconds(&self, at: chrono::NaiveDateTime) -> String {
        at.format(self.formats().moment_seconds).to_string()
    }

    /// The days `from` to `to`, the year said once where they share it: `30.11–06.12.2026`,
    /// `30 Nov – 6 Dec 2026`.
    pub fn days(&self, from: chrono::NaiveDate, to: chrono::NaiveDate) -> String {
        use chrono::Datelike;
        let f = self.formats();
        let first = if from.year() == to.year() {
            self.day_short(from)
        } else {
            self.day(from)
        };
        format!("{first}{}{}", f.dash, self.day(to))
    }

    fn formats(&self) -> &'static DateFormats {
        match self.lang {
            Lang::Ru => &DateFormats {
                day: "%d.%m.%Y",
                day_short: "%d.%m",
                moment: "%d.%m.%Y %H:%M",
                moment_short: "%d.%m %H:%M",
                moment_seconds: "%d.%m.%Y %H:%M:%S",
                dash: "–",
            },
            Lang::En => &DateFormats {
                // Non-breaking spaces: a narrow column wraps a moment after its comma only.
                day: "%-d\u{a0}%b\u{a0}%Y",
                day_short: "%-d\u{a0}%b",
                moment: "%-d\u{a0}%b\u{a0}%Y, %H:%M",
                moment_short: "%-d\u{a0}%b, %H:%M",
                moment_seconds: "%-d\u{a0}%b\u{a0}%Y, %H:%M:%S",
                dash: " – ",
            },
        }
    }

    /// A day of the week, short («пт»).
    pub fn weekday(&self, day: chrono::Weekday) -> &'static str {
        self.weekdays_short
            .split(' ')
            .nth(day.num_days_from_monday() as usize)
            .unwrap_or_default()
    }

    /// An invalid field as the API and pages say it: `field: what is wrong`.
    pub fn field_error(&self, error: &FieldError) -> String {
        use crate::fields::FieldProblem as P;
        // Every field that clashed, so that a program re-reads them all.
        let field = match &error.problem {
            P::ChangedMeanwhile { clashes, .. } if !clashes.is_empty() => clashes.join(", "),
            _ => error.field.clone(),
        };
        format!("{}: {}", field, self.field_problem(&error.problem))
    }

    /// The same for a page: the field by the label its form shows, where one says it (the
    /// API keeps the field's own name, which programs read).
    pub fn page_field_error(&self, error: &FieldError) -> String {
        use crate::fields::FieldProblem as P;
        // `to` is a period's end on the reports, and an answer's new slug when it is renamed.
        let renamed = matches!(
            error.problem,
            P::BadSlug | P::SlugTaken(_) | P::SlugRetired(_) | P::ReservedSlug(_) | P::Check(..)
        );
        // `name` is a machine token's on the admin page (a caller's name is the card's own).
        let token = matches!(error.problem, P::BadLogin | P::TokenTaken);
        // A choice only an address carries (no form on the page types it) was edited by hand
        // or is an old link: the words a program reads mean nothing to the person.
        let address = matches!(error.problem, P::ExpectedOneOf(_))
            && matches!(
                error.field.as_str(),
                "counted" | "missed" | "unanswered" | "format"
            );
        if address {
            let label = self.field_label(&error.field).unwrap_or(&error.field);
            return Texts::fill(self.field_said, &[&label, &self.problem_address_value]);
        }
        let label = match error.field.as_str() {
            "to" if renamed => Some(self.edit_field_slug),
            "name" if token => Some(self.col_token),
            field => self.field_label(field),
        };
        match label {
            Some(label) => self.labelled_problem(label, &error.problem),
            None => self.field_error(error),
        }
    }

    /// What is wrong with a field, named by its label: «Телефон»: …
    pub fn labelled_problem(&self, label: &str, problem: &crate::fields::FieldProblem) -> String {
        Texts::fill(self.field_said, &[&label, &self.field_problem(problem)])
    }

    /// The label a page's form gives a field of the API, where it has one.
    pub fn field_label(&self, field: &str) -> Option<&'static str> {
        Some(match field {
            "login" => self.col_login,
            "role" => self.col_role,
            "display_name" => self.field_display_name,
            "email" => self.field_email,
            "extension" => self.field_extension,
            "title" => self.edit_field_title,
            "slug" => self.edit_field_slug,
            "reviewed" => self.edit_field_reviewed,
            "phone" => self.field_phone,
            "company" => self.field_company,
            "manager" => self.field_manager,
            "callback_due" => self.field_callback_due,
            "owner" => self.callback_owner,
            "due" => self.field_callback_due,
            "next_due" => self.next_try,
            "reason" => self.lost_reason,
            "note" => self.note,
            "text" | "question" => self.field_question,
            "questions" => self.field_questions,
            "from" => self.field_period_from,
            "to" => self.field_period_to,
            "period" => self.field_period,
            "kind" => self.report_kind,
            "format" => self.field_format,
            "counted" => self.field_counted,
            "date" => self.date,
            "outcome" => self.field_outcome,
            "missed" => self.missed_calls_title,
            "unanswered" => self.report_col_operator,
            _ => return None,
        })
    }

    /// A missing thing, by its id or slug.
    pub fn not_found(&self, thing: crate::fields::Thing, id: &str) -> String {
        use crate::fields::Thing as T;
        let template = match thing {
            T::Call => self.error_no_call,
            T::Question => self.error_no_question,
            T::Answer => self.error_no_answer,
            T::RetiredAnswer => self.error_retired_answer,
            T::Group => self.error_no_group,
            T::Version => self.error_no_version,
            T::Account => self.error_no_account,
            T::Callback => self.error_no_callback,
            T::CallbackOfCall => self.error_no_callback_of_call,
            T::Page => return self.error_no_page.to_string(),
        };
        Texts::fill(template, &[&id])
    }

    /// What a phone exchange's adapter refused to read.
    pub fn pbx_error(&self, error: &crate::pbx::PbxError) -> String {
        use crate::pbx::PbxError as P;
        match error {
            P::BadSignature => self.error_pbx_signature.to_string(),
            P::Malformed(detail) => Texts::fill(self.error_pbx_malformed, &[detail]),
            P::Field(field) => self.field_error(field),
            P::UnknownEvent(name) => Texts::fill(self.error_pbx_unknown_event, &[name]),
        }
    }

    /// Why an exchange's route takes nothing: its adapter is off, or a secret is not set.
    pub fn exchange_closed(&self, closed: crate::pbx::settings::Closed) -> String {
        use crate::pbx::settings::Closed as C;
        match closed {
            C::Off(adapter) => Texts::fill(
                self.error_pbx_off,
                &[&adapter.maker_name(), &adapter.as_str()],
            ),
            C::NoSecret(adapter, variable) => Texts::fill(
                self.error_pbx_no_secret,
                &[&adapter.maker_name(), &variable],
            ),
        }
    }
}

impl Texts {
    /// A caller's words or a title in the language's quotation marks («…», “…”).
    pub fn quoted(&self, text: &str) -> String {
        format!("{}{text}{}", self.quote_open, self.quote_close)
    }
}

/// The preset a due time was typed as, by its name on the card in either language («завтра
/// утром», “in an hour”), in any case, `ё` as `е`, a full stop or the like at its end left
/// out: the operator types what the buttons say.
pub fn preset_named(typed: &str) -> Option<crate::callbacks::hours::Preset> {
    use crate::callbacks::hours::Preset;
    let plain = |text: &str| {
        crate::text::normalize(text)
            .trim_end_matches(['.', '!', ',', ' '])
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    let typed = plain(typed);
    [&RU, &EN].into_iter().find_map(|t| {
        [
            (t.preset_hour, Preset::InAnHour),
            // Said at any hour, «завтра в начале дня» means the next morning, not in an hour.
            (t.preset_opening, Preset::TomorrowMorning),
            (t.preset_next_opening, Preset::TomorrowMorning),
            (t.preset_end_of_day, Preset::EndOfDay),
            (t.preset_end_of_next_day, Preset::EndOfDay),
            (t.preset_morning, Preset::TomorrowMorning),
            (t.preset_next_morning, Preset::TomorrowMorning),
        ]
        .into_iter()
        // The name as on the button, or its last words («до конца дня»).
        .find(|(name, _)| {
            let name = plain(name);
            name == typed
                || (typed.split_whitespace().count() >= 2 && name.ends_with(&format!(" {typed}")))
        })
        .map(|(_, preset)| preset)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_preset_typed_by_its_name_is_that_preset_in_either_language() {
        use crate::callbacks::hours::Preset;
        assert_eq!(preset_named("завтра утром"), Some(Preset::TomorrowMorning));
        assert_eq!(preset_named(" Через  час. "), Some(Preset::InAnHour));
        assert_eq!(preset_named("сегодня до конца дня"), Some(Preset::EndOfDay));
        assert_eq!(preset_named("In an hour"), Some(Preset::InAnHour));
        assert_eq!(
            preset_named("завтра в начале дня"),
            Some(Preset::TomorrowMorning)
        );
        assert_eq!(preset_named("послезавтра"), None);
        assert_eq!(preset_named("до конца дня"), Some(Preset::EndOfDay));
        assert_eq!(preset_named("дня"), None);
        assert_eq!(preset_named(""), None);
    }

    #[test]
    fn each_language_writes_days_its_own_way_and_neither_reads_as_the_others_order() {
        let day = |d: u32| chrono::NaiveDate::from_ymd_opt(2026, 12, d).unwrap();
        let at = day(3).and_hms_opt(9, 5, 7).unwrap();
        assert_eq!(RU.day(day(3)), "03.12.2026");
        assert_eq!(EN.day(day(3)), "3\u{a0}Dec\u{a0}2026", "kept on one line");
        assert_eq!(RU.moment(at), "03.12.2026 09:05");
        let spaced = |s: String| s.replace('\u{a0}', " ");
        assert_eq!(spaced(EN.moment(at)), "3 Dec 2026, 09:05");
        assert_eq!(spaced(EN.moment_short(at)), "3 Dec, 09:05");
        assert_eq!(RU.moment_seconds(at), "03.12.2026 09:05:07");
        let new_year = chrono::NaiveDate::from_ymd_opt(2027, 1, 2).unwrap();
        assert_eq!(RU.days(day(28), new_year), "28.12.2026–02.01.2027");
        assert_eq!(spaced(EN.days(day(1), day(6))), "1 Dec – 6 Dec 2026");
        assert_eq!(RU.days(day(1), day(6)), "01.12–06.12.2026");
    }

    #[test]
    fn the_russian_new_answer_body_is_the_templates() {
        let (_, body) = crate::knowledge::write::TEMPLATE
            .split_once("\n+++\n")
            .unwrap();
        assert_eq!(RU.new_answer_body, body.trim_end());
        assert!(EN.new_answer_body.starts_with("**Tell the caller:**"));
    }

    #[test]
    fn a_refused_field_is_named_by_its_label_in_each_languages_quotes() {
        use crate::fields::{FieldError, FieldProblem};
        let token = FieldError::new("name", FieldProblem::BadLogin);
        assert!(
            RU.page_field_error(&token).starts_with("«Название»: "),
            "{}",
            RU.page_field_error(&token)
        );
        assert!(EN.page_field_error(&token).starts_with("“"));
        let due = FieldError::new("next_due", FieldProblem::ExpectedDueTime);
        assert!(RU
            .page_field_error(&due)
            .starts_with("«Следующая попытка»: "));
    }

    #[test]
    fn notes_the_desk_wrote_read_in_each_language() {
        assert_eq!(RU.version_note("from vacancies"), "было: vacancies");
        assert_eq!(RU.version_note("version 4"), "версия 4");
        assert_eq!(EN.version_note("from vacancies"), "was: vacancies");
        assert_eq!(RU.attempt_note("call 13"), "на звонке № 13");
        assert_eq!(RU.attempt_note("call back later"), "call back later");
        assert_eq!(
            RU.attempt_note("перезвонить в пятницу"),
            "перезвонить в пятницу"
        );
    }

    #[test]
    fn values_fill_the_placeholders_in_order() {
        assert_eq!(Texts::fill("{} из {}", &[&1, &"двух"]), "1 из двух");
        assert_eq!(Texts::fill("нет {}", &[]), "нет ");
    }

    #[test]
    fn counts_take_the_plural_form_of_their_number() {
        let ru = |n| RU.count(n, RU.times);
        assert_eq!(
            [1, 2, 4, 5, 11, 12, 14, 21, 22, 25, 101, 111, 112, 0].map(ru),
            [
                "1 раз",
                "2 раза",
                "4 раза",
                "5 раз",
                "11 раз",
                "12 раз",
                "14 раз",
                "21 раз",
                "22 раза",
                "25 раз",
                "101 раз",
                "111 раз",
                "112 раз",
                "0 раз"
            ]
        );
        assert_eq!(RU.count(1, RU.days), "1 день");
        assert_eq!(RU.count(3, RU.days), "3 дня");
        assert_eq!(RU.count(180, RU.days), "180 дней");
        assert_eq!(EN.count(1, EN.times), "1 time");
        assert_eq!(EN.count(2, EN.times), "2 times");
        assert_eq!(EN.count(0, EN.days), "0 days");
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
