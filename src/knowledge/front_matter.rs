//! The front matter of an answer file: TOML between two `+++` lines, parsed from a `&str`.
//!
//! Parsing is pure: reading files and collecting problems is [`super::load`]'s job. Every error
//! carries the line it is about and says how to fix it.

use super::issue::{Issue, TextIssue};
use serde::{Deserialize, Serialize};

/// Who the answer is for: the thread's split of calls into primary and secondary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Audience {
    /// First-time callers (potential clients): typical answers for the desk.
    Primary,
    /// Existing clients: typical answers and speech modules for managers.
    Secondary,
    /// Anyone who calls.
    All,
}

impl Audience {
    /// The word used in files and the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Audience::Primary => "primary",
            Audience::Secondary => "secondary",
            Audience::All => "all",
        }
    }

    /// From the word used in files and the API.
    pub fn parse(word: &str) -> Option<Audience> {
        [Audience::Primary, Audience::Secondary, Audience::All]
            .into_iter()
            .find(|a| a.as_str() == word)
    }
}

/// The fields an author writes at the top of an answer file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    /// The typical question, as the operator sees it in the results. Unique across answers.
    pub title: String,
    /// Other ways callers ask the same thing; they weigh as much as the title in search.
    #[serde(default)]
    pub questions: Vec<String>,
    /// Who the answer is for: `primary`, `secondary` or `all`.
    pub audience: Audience,
    /// Short topic words for grouping and reports.
    #[serde(default)]
    pub tags: Vec<String>,
    /// When an editor last checked the answer: a date such as `2026-11-20`, without quotes.
    pub reviewed: toml::value::Datetime,
}

impl FrontMatter {
    /// The callers' phrasings, trimmed.
    pub fn trimmed_questions(&self) -> Vec<String> {
        self.questions
            .iter()
            .map(|q| q.trim().to_string())
            .collect()
    }
}

/// A parsed answer file: its front matter, the reviewed date, and where the body starts.
#[derive(Debug, Clone)]
pub struct Parsed {
    /// The fields.
    pub front: FrontMatter,
    /// `reviewed` as a calendar date.
    pub reviewed: chrono::NaiveDate,
    /// The markdown after the closing `+++`.
    pub body: String,
    /// 1-based line of the body's first line.
    pub body_line: usize,
}

/// Why a file could not be parsed, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// 1-based line in the file.
    pub line: usize,
    /// What is wrong.
    pub issue: Issue,
}

impl ParseError {
    /// What is wrong and the fix, in English.
    pub fn message(&self) -> String {
        self.issue.to_string()
    }
}

fn err(line: usize, issue: Issue) -> ParseError {
    ParseError { line, issue }
}

const DELIMITER: &str = "+++";

/// Parses an answer file's text into front matter and body.
pub fn parse(text: &str) -> Result<Parsed, ParseError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    if first.trim_end() != DELIMITER {
        return Err(err(1, Issue::NoOpening));
    }
    let mut front = String::new();
    let mut line_no = 1;
    let mut closed_at = None;
    for line in lines.by_ref() {
        line_no += 1;
        if line.trim_end() == DELIMITER {
            closed_at = Some(line_no);
            break;
        }
        front.push_str(line);
    }
    let Some(closed_at) = closed_at else {
        return Err(err(1, Issue::NotClosed));
    };
    let body: String = lines.collect();
    let front_matter: FrontMatter = toml::from_str(&front).map_err(|e| {
        let line = e
            .span()
            .map(|s| 2 + front[..s.start.min(front.len())].matches('\n').count())
            .unwrap_or(2);
        let field = front
            .lines()
            .nth(line.saturating_sub(2))
            .and_then(|l| l.split_once('='))
            .map(|(key, _)| key.trim())
            .filter(|key| !key.is_empty() && !key.contains(char::is_whitespace));
        err(line, Issue::of_toml(e.message(), field))
    })?;
    let field_line = |name: &str| {
        front
            .lines()
            .position(|l| l.trim_start().starts_with(name))
            .map(|i| i + 2)
            .unwrap_or(2)
    };
    let reviewed = date_of(&front_matter.reviewed)
        .ok_or_else(|| err(field_line("reviewed"), Issue::ReviewedNotDate))?;
    if !(MIN_REVIEWED_YEAR..=MAX_REVIEWED_YEAR).contains(&chrono::Datelike::year(&reviewed)) {
        let date = reviewed.to_string();
        return Err(err(
            field_line("reviewed"),
            Issue::ReviewedOutOfRange { date },
        ));
    }
    if let Some(problem) = text_problem(&front_matter.title) {
        return Err(err(field_line("title"), Issue::Title(problem)));
    }
    for (i, q) in front_matter.questions.iter().enumerate() {
        if let Some(issue) = text_problem(q) {
            return Err(err(
                field_line("questions"),
                Issue::Question { n: i + 1, issue },
            ));
        }
    }
    if body.trim().is_empty() {
        return Err(err(closed_at, Issue::EmptyBody));
    }
    Ok(Parsed {
        front: front_matter,
        reviewed,
        body,
        body_line: closed_at + 1,
    })
}

/// The earliest year a `reviewed` date may have.
pub const MIN_REVIEWED_YEAR: i32 = 2000;
/// The latest year a `reviewed` date may have.
pub const MAX_REVIEWED_YEAR: i32 = 2099;

/// What is wrong with a title or a phrasing, if anything: it must hold something to read (a
/// letter or a digit) and no invisible control characters.
pub fn text_problem(text: &str) -> Option<TextIssue> {
    if let Some(c) = text.chars().find(|c| c.is_control()) {
        return Some(TextIssue::Control(c as u32));
    }
    if !text.chars().any(char::is_alphanumeric) {
        return Some(if text.trim().is_empty() {
            TextIssue::Empty
        } else {
            TextIssue::NoLetter
        });
    }
    None
}

fn date_of(value: &toml::value::Datetime) -> Option<chrono::NaiveDate> {
    match (value.date, value.time, value.offset) {
        (Some(d), None, None) => {
            chrono::NaiveDate::from_ymd_opt(d.year.into(), d.month.into(), d.day.into())
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "+++\ntitle = \"Сколько стоит доставка?\"\nquestions = [\"цена доставки\"]\naudience = \"primary\"\ntags = [\"доставка\"]\nreviewed = 2026-11-20\n+++\n**Скажите клиенту:** Доставка по Москве бесплатна.\n";

    #[test]
    fn good_front_matter_parses() {
        let p = parse(GOOD).unwrap();
        assert_eq!(p.front.title, "Сколько стоит доставка?");
        assert_eq!(p.front.questions, ["цена доставки"]);
        assert_eq!(p.front.audience, Audience::Primary);
        assert_eq!(
            p.reviewed,
            chrono::NaiveDate::from_ymd_opt(2026, 11, 20).unwrap()
        );
        assert_eq!(p.body_line, 8);
        assert!(p.body.starts_with("**Скажите"));
    }

    #[test]
    fn missing_opening_line_suggests_front_matter() {
        let e = parse("title = \"x\"\n").unwrap_err();
        assert_eq!(e.line, 1);
        assert!(e.message().contains("did you forget"), "{}", e.message());
    }

    #[test]
    fn unclosed_front_matter_is_reported() {
        let e = parse("+++\ntitle = \"x\"\n").unwrap_err();
        assert!(e.message().contains("never closed"), "{}", e.message());
    }

    #[test]
    fn missing_field_names_it_and_the_fix() {
        let e = parse("+++\ntitle = \"x\"\nreviewed = 2026-01-01\n+++\nbody\n").unwrap_err();
        assert!(
            e.message().contains("missing field `audience`"),
            "{}",
            e.message()
        );
        assert!(
            e.message().contains("audience = \"primary\""),
            "{}",
            e.message()
        );
    }

    #[test]
    fn unknown_field_points_at_its_line() {
        let text = GOOD.replace("tags = [\"доставка\"]", "tgas = [\"доставка\"]");
        let e = parse(&text).unwrap_err();
        assert_eq!(e.line, 5);
        assert!(
            e.message().contains("unknown field `tgas`"),
            "{}",
            e.message()
        );
    }

    #[test]
    fn impossible_date_is_reported_on_its_line() {
        let e = parse(&GOOD.replace("2026-11-20", "2026-13-40")).unwrap_err();
        assert_eq!(e.line, 6, "{}", e.message());
    }

    #[test]
    fn quoted_date_is_refused_with_the_fix() {
        let e = parse(&GOOD.replace("2026-11-20", "\"вчера\"")).unwrap_err();
        assert_eq!(e.line, 6, "{}", e.message());
    }

    #[test]
    fn date_with_time_is_refused() {
        let e = parse(&GOOD.replace("2026-11-20", "2026-11-20T10:00:00")).unwrap_err();
        assert!(e.message().contains("date alone"), "{}", e.message());
    }

    #[test]
    fn empty_body_is_reported() {
        let text = GOOD.split("**Скажите").next().unwrap().to_string() + "\n  \n";
        let e = parse(&text).unwrap_err();
        assert!(e.message().contains("no text"), "{}", e.message());
        assert_eq!(e.line, 7);
    }

    #[test]
    fn titles_and_phrasings_must_hold_visible_text() {
        for title in ["\\u0000", "\\u200b\\u200b", " . ", "Цена\\u0007"] {
            let e = parse(&GOOD.replace("Сколько стоит доставка?", title)).unwrap_err();
            assert_eq!(e.line, 2, "{title:?}: {}", e.message());
        }
        let e = parse(&GOOD.replace("цена доставки", "\\u2063")).unwrap_err();
        assert!(e.message().contains("question 1"), "{}", e.message());
    }

    #[test]
    fn reviewed_dates_must_be_plausible() {
        for date in ["0000-01-01", "9999-12-31", "1999-12-31"] {
            let e = parse(&GOOD.replace("2026-11-20", date)).unwrap_err();
            assert_eq!(e.line, 6, "{date}: {}", e.message());
        }
    }

    #[test]
    fn unknown_audience_lists_the_choices() {
        let e = parse(&GOOD.replace("\"primary\"", "\"vip\"")).unwrap_err();
        assert!(
            e.message().contains("primary, secondary, all"),
            "{}",
            e.message()
        );
    }
}
