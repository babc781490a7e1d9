//! The head of sales' reports: what callers ask (by typical question, first-time callers
//! against existing clients, week by week) and the desk figures, for a period checked here;
//! their spreadsheets, each export audited; and the cheat sheet every account may print.

use super::calls::{date_field, period_dates};
use super::{Actor, Result};
use crate::app::App;
use crate::calls::CallKind;
use crate::fields::{FieldError, FieldProblem};
use crate::i18n::Texts;
use crate::report::{self, Period};

/// Weeks a report shows when no period is given: this one and the eleven before.
const DEFAULT_WEEKS: i64 = 12;

const KIND_WORDS: &[&str] = &["primary", "secondary", "all"];
const FORMAT_WORDS: &[&str] = &["json", "csv"];

/// A report's period, kind and output, checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Asked {
    /// The days.
    pub period: Period,
    /// Calls of this kind only; all when `None`.
    pub kind: Option<CallKind>,
    /// Whether a spreadsheet was asked for.
    pub csv: bool,
}

/// Checks a report's parameters as given (`from`, `to`, `kind`, `format`); the default period
/// is the last twelve whole weeks up to today.
pub fn asked(
    app: &App,
    from: Option<&str>,
    to: Option<&str>,
    kind: Option<&str>,
    format: Option<&str>,
) -> Result<Asked> {
    period_dates(from, to)?;
    let to = date_field("to", to, app.clock.today())?;
    let whole_weeks = crate::clock::week_monday(to) - chrono::Duration::weeks(DEFAULT_WEEKS - 1);
    let from = date_field("from", from, whole_weeks)?;
    if to < from {
        return Err(FieldError::new("to", FieldProblem::BeforeFrom).into());
    }
    if (to - from).num_days() > report::MAX_DAYS {
        return Err(FieldError::new("to", FieldProblem::RangeTooLong(report::MAX_DAYS)).into());
    }
    let kind = match kind {
        None | Some("") | Some("all") => None,
        Some(word) => Some(
            CallKind::parse(word)
                .ok_or_else(|| FieldError::new("kind", FieldProblem::ExpectedOneOf(KIND_WORDS)))?,
        ),
    };
    let csv = match format {
        None | Some("") | Some("json") => false,
        Some("csv") => true,
        Some(_) => {
            return Err(FieldError::new("format", FieldProblem::ExpectedOneOf(FORMAT_WORDS)).into())
        }
    };
    Ok(Asked {
        period: Period { from, to },
        kind,
        csv,
    })
}

/// The question frequency report.
pub fn questions(app: &App, asked: Asked) -> Result<report::questions::QuestionReport> {
    let library = app.shelf.current();
    Ok(report::question_report(
        &app.store,
        &app.clock,
        &library.knowledge,
        asked.period,
        asked.kind,
    )?)
}

/// The desk figures.
pub fn desk(app: &App, asked: Asked) -> Result<report::desk::DeskReport> {
    Ok(report::desk_report(
        &app.store,
        &app.clock,
        &app.desk.settings.hours,
        asked.period,
    )?)
}

/// The question report as a spreadsheet, its columns named in the interface's words; audited
/// as an export. The file's name and its text.
pub fn questions_csv(
    app: &App,
    actor: &Actor,
    asked: Asked,
    texts: &Texts,
) -> Result<(String, String)> {
    let report = questions(app, asked)?;
    let body = report::csv::questions(&report, texts);
    let (from, to) = (asked.period.from, asked.period.to);
    actor.audit(
        app,
        "export",
        format!(
            "questions report {from}..{to} {} ({} rows, csv)",
            asked.kind.map_or("all", CallKind::as_str),
            report.rows.len()
        ),
    );
    Ok((format!("questions-{from}-{to}.csv"), body))
}

/// The desk figures as a spreadsheet; audited as an export.
pub fn desk_csv(app: &App, actor: &Actor, asked: Asked, texts: &Texts) -> Result<(String, String)> {
    let report = desk(app, asked)?;
    let body = report::csv::desk(&report, texts);
    let (from, to) = (asked.period.from, asked.period.to);
    actor.audit(app, "export", format!("desk report {from}..{to} (csv)"));
    Ok((format!("desk-{from}-{to}.csv"), body))
}

/// Questions a row of the questions report lists at most.
pub const BEHIND_LIMIT: usize = 1_000;

/// The questions behind a row of the questions report, for the head to check a figure.
pub struct RowBehind {
    /// The period and the kind of call.
    pub asked: Asked,
    /// The row: `answer:<slug>` or `group:<id>`.
    pub key: String,
    /// The answer's title or the group's phrasing (an answer retired since: its slug).
    pub title: String,
    /// Whether it has an answer.
    pub answered: bool,
    /// The questions, newest first, at most [`BEHIND_LIMIT`].
    pub questions: Vec<crate::store::Behind>,
}

/// The questions a row of the questions report counts (`key`, as the report names its rows),
/// in its period and kind of call, as they stand now; audited, as callers' words.
pub fn questions_behind(app: &App, actor: &Actor, asked: Asked, key: &str) -> Result<RowBehind> {
    let (title, answered) = match key.split_once(':') {
        Some(("answer", slug)) if !slug.is_empty() => {
            let library = app.shelf.current();
            match library.knowledge.get(slug) {
                Some(a) => (a.title.clone(), true),
                None => (slug.to_string(), false),
            }
        }
        Some(("group", id)) if id.parse::<i64>().is_ok() => {
            // The report names open groups only (a dismissed one is left out, a linked one's
            // questions are its answer's).
            let id: i64 = id.parse().unwrap_or_default();
            let group = app
                .store
                .open_group_titles()?
                .into_iter()
                .find(|g| g.id == id)
                .ok_or_else(|| super::ActionError::not_found(crate::fields::Thing::Group, id))?;
            (group.title, false)
        }
        _ => {
            return Err(FieldError::new("key", FieldProblem::ExpectedOneOf(KEY_WORDS)).into());
        }
    };
    let (start, end) = app
        .clock
        .days(asked.period.from, asked.period.to)
        .ok_or_else(|| FieldError::new("to", FieldProblem::ExpectedDate))?;
    let questions = app
        .store
        .questions_behind(start, end, key, asked.kind, BEHIND_LIMIT)?;
    let (from, to) = (asked.period.from, asked.period.to);
    actor.audit(app, "view", format!("questions of {key} {from}..{to}"));
    Ok(RowBehind {
        asked,
        key: key.to_string(),
        title,
        answered,
        questions,
    })
}

/// What a row's `key` may be.
const KEY_WORDS: &[&str] = &["answer:SLUG", "group:ID"];

/// What first-time callers ask most, with what to say, for printing.
pub fn cheat_sheet(app: &App) -> Result<report::CheatSheet> {
    let library = app.shelf.current();
    Ok(report::cheat_sheet(
        &app.store,
        &app.clock,
        &library.knowledge,
    )?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::Role;
    use crate::actions::testing;

    #[test]
    fn a_period_kind_and_format_are_checked_and_named() {
        let t = testing::app();
        let a = asked(
            &t.app,
            Some("2026-11-02"),
            Some("2026-11-29"),
            Some("primary"),
            Some("csv"),
        )
        .unwrap();
        assert_eq!(a.kind, Some(CallKind::Primary));
        // As the desk's pages write dates, too.
        let b = asked(&t.app, Some("02.11.2026"), Some("29.11.2026"), None, None).unwrap();
        assert_eq!(b.period, a.period);
        assert!(a.csv);
        for (from, to, kind, format, field) in [
            (Some("2026-11-29"), Some("2026-11-02"), None, None, "to"),
            (Some("x"), None, None, None, "from"),
            (Some("2026-11-02"), Some("29.11"), None, None, "to"),
            (Some("x"), Some("29.11"), None, None, "period"),
            (None, None, Some("vip"), None, "kind"),
            (None, None, None, Some("xls"), "format"),
        ] {
            match asked(&t.app, from, to, kind, format) {
                Err(crate::actions::ActionError::Invalid(e)) => assert_eq!(e.field, field),
                other => panic!("{other:?}"),
            }
        }
    }

    #[test]
    fn an_export_is_audited() {
        let t = testing::app();
        let head = Actor::person("boss", Role::Head);
        let a = asked(&t.app, None, None, None, Some("csv")).unwrap();
        let (name, body) = desk_csv(&t.app, &head, a, &crate::i18n::RU).unwrap();
        assert!(name.starts_with("desk-") && body.starts_with('\u{feff}'));
        let audit = t.app.store.audit_log(5, None).unwrap();
        assert!(audit
            .iter()
            .any(|e| e.action == "export" && e.actor == "boss"));
    }
}
