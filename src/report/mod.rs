//! Reports for the head of sales: what callers ask week by week ([`questions`]), how the desk
//! captures the contacts of potential clients ([`desk`]), their spreadsheet form ([`csv`]), and
//! the cheat sheet printed for the desk ([`cheat_sheet`]). The report modules are pure over rows
//! the store counted per desk day; the functions here bring those counts up to date and put
//! them together. Days and ISO weeks are the desk's (`clock`); a period includes both its dates.

pub mod csv;
pub mod desk;
pub mod questions;

use crate::callbacks::hours::WorkingHours;
use crate::callbacks::{Callback, State};
use crate::calls::CallKind;
use crate::clock::Clock;
use crate::knowledge::Knowledge;
use crate::store::Store;
use anyhow::{Context, Result};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::HashMap;

/// The longest period a report covers, in days.
pub const MAX_DAYS: i64 = 1096;
/// Searches listed in each of the report's search lists.
pub const SEARCHES_LISTED: usize = 50;
/// Days the cheat sheet looks back.
pub const CHEAT_SHEET_DAYS: i64 = 90;
/// Answers on the cheat sheet.
pub const CHEAT_SHEET_ANSWERS: usize = 24;

/// The question frequency report of a period, on calls of `kind` (all when `None`), counted
/// from what the store holds now.
pub fn question_report(
    store: &Store,
    clock: &Clock,
    knowledge: &Knowledge,
    period: Period,
    kind: Option<CallKind>,
) -> Result<questions::QuestionReport> {
    store.refresh_reports(clock)?;
    let previous = period.previous();
    let (start, end) = clock
        .days(period.from, period.to)
        .context("a period past the end of the calendar")?;
    // The counts and the searches read on two connections at once.
    let (counts, searches) = std::thread::scope(|scope| {
        let searches = scope.spawn(|| -> Result<_> {
            Ok((
                store.searches(start, end, false, SEARCHES_LISTED)?,
                store.searches(start, end, true, SEARCHES_LISTED)?,
            ))
        });
        let counts = (|| -> Result<_> {
            Ok(questions::Counts {
                period: store.question_totals(period.from, period.to, kind)?,
                weeks: store.question_weeks(period.from, period.to, kind)?,
                previous: store.question_totals(previous.from, previous.to, kind)?,
            })
        })();
        let searches = searches
            .join()
            .unwrap_or_else(|_| Err(anyhow::anyhow!("counting searches panicked")));
        (counts, searches)
    });
    let (counts, (no_result, unchosen)) = (counts?, searches?);
    let mut titles: HashMap<String, (String, bool)> = knowledge
        .answers()
        .iter()
        .map(|a| (format!("answer:{}", a.slug), (a.title.clone(), true)))
        .collect();
    for g in store.open_group_titles()? {
        titles.insert(format!("group:{}", g.id), (g.title, false));
    }
    // Questions linked to an answer since retired still count, as unanswered, under the slug.
    for c in &counts.period {
        if let Some(slug) = c.key.strip_prefix("answer:") {
            if !titles.contains_key(&c.key) {
                titles.insert(c.key.clone(), (slug.to_string(), false));
            }
        }
    }
    Ok(questions::build(
        period, &counts, &titles, no_result, unchosen,
    ))
}

/// Where the desk report counts a promised callback: in time, late, done by the caller's own
/// call before anyone tried, open or lost.
pub fn counted_outcome(c: &Callback) -> desk::CallbackOutcome {
    match (c.state, c.in_time()) {
        (State::Done, _) if c.caller_called_first() => desk::CallbackOutcome::CallerCalled,
        (State::Done, Some(true)) => desk::CallbackOutcome::InTime,
        (State::Done, _) => desk::CallbackOutcome::Late,
        (State::Open, _) => desk::CallbackOutcome::Open,
        (State::Lost, _) => desk::CallbackOutcome::Lost,
    }
}

/// The manager the desk report counts a callback for (empty: nobody): who held it when it fell
/// due (its first promised time), or who holds it now when that is still ahead. Lateness stays
/// with who let it run late, whoever it was handed to after.
pub fn counted_owner(c: &Callback, clock: &Clock) -> String {
    let fell_due = c.promised_due.unwrap_or(c.due).min(clock.now());
    c.owner_at(fell_due).unwrap_or_default()
}

/// The desk figures of a period, counted from what the store holds now; the time to a
/// callback's first attempt is counted in the desk's working time (`hours`).
pub fn desk_report(
    store: &Store,
    clock: &Clock,
    hours: &WorkingHours,
    period: Period,
) -> Result<desk::DeskReport> {
    store.refresh_reports(clock)?;
    let days = store.desk_days(period.from, period.to)?;
    let callbacks = match clock.days(period.from, period.to) {
        Some((from, to)) => store.callbacks_promised(from, to)?,
        None => Vec::new(),
    };
    let rows: Vec<desk::CallbackRow> = callbacks
        .iter()
        .map(|(c, promised_at)| {
            // From the promise: a card typed in after the call kept the caller waiting too.
            let worked = |t| {
                let span = hours.between(clock.local(*promised_at), clock.local(t));
                span.num_minutes().max(0) as u64
            };
            desk::CallbackRow {
                day: clock.local(*promised_at).date(),
                owner: counted_owner(c, clock),
                outcome: counted_outcome(c),
                overdue: c.overdue(clock.now()),
                first_attempt_minutes: c.first_attempt.map(worked),
            }
        })
        .collect();
    let missed: Vec<desk::MissedRow> = match clock.days(period.from, period.to) {
        Some((from, to)) => store
            .missed_calls(from, to)?
            .into_iter()
            .map(|(at, kind)| desk::MissedRow {
                day: clock.local(at).date(),
                kind,
            })
            .collect(),
        None => Vec::new(),
    };
    let mut report = desk::build(period, &days, &rows, &missed);
    let accounts = store.accounts()?;
    let name_of = |login: Option<&str>| {
        let login = login.unwrap_or("");
        accounts
            .iter()
            .find(|a| a.login == login)
            .and_then(|a| a.display_name.clone())
    };
    for m in &mut report.managers {
        m.name = name_of(m.manager.as_deref());
    }
    for o in &mut report.operators {
        o.name = name_of(o.operator.as_deref());
    }
    Ok(report)
}

/// One answer on the cheat sheet.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheatEntry {
    /// The answer.
    pub slug: String,
    /// The typical question.
    pub title: String,
    /// What to say.
    pub phrase: String,
    /// Times first-time callers asked it in the period.
    pub count: u64,
}

/// The cheat sheet: what first-time callers ask most, with what to say.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheatSheet {
    /// The day it was made.
    pub date: NaiveDate,
    /// The days it counts.
    pub period: (NaiveDate, NaiveDate),
    /// What first-time callers asked, most asked first; nothing they did not ask.
    pub entries: Vec<CheatEntry>,
}

/// The cheat sheet as of today.
pub fn cheat_sheet(store: &Store, clock: &Clock, knowledge: &Knowledge) -> Result<CheatSheet> {
    let today = clock.today();
    let period = Period {
        from: today - chrono::Duration::days(CHEAT_SHEET_DAYS - 1),
        to: today,
    };
    store.refresh_reports(clock)?;
    let mut counts: HashMap<&str, u64> = HashMap::new();
    let totals = store.question_totals(period.from, period.to, Some(CallKind::Primary))?;
    for c in &totals {
        if let Some(slug) = c.key.strip_prefix("answer:") {
            *counts.entry(slug).or_default() += c.count;
        }
    }
    // Only what was asked: a sheet padded with answers nobody asked hides the few that matter.
    let mut entries: Vec<CheatEntry> = knowledge
        .answers()
        .iter()
        .filter_map(|a| {
            let count = counts.get(a.slug.as_str()).copied().unwrap_or(0);
            (count > 0).then(|| CheatEntry {
                slug: a.slug.clone(),
                title: a.title.clone(),
                phrase: a.phrase().to_string(),
                count,
            })
        })
        .collect();
    entries.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.title.cmp(&b.title)));
    entries.truncate(CHEAT_SHEET_ANSWERS);
    Ok(CheatSheet {
        date: today,
        period: (period.from, period.to),
        entries,
    })
}

/// A period of desk days, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    /// The first day.
    pub from: NaiveDate,
    /// The last day.
    pub to: NaiveDate,
}

impl Period {
    /// Days in the period.
    pub fn days(&self) -> i64 {
        (self.to - self.from).num_days() + 1
    }

    /// The period of the same length just before this one.
    pub fn previous(&self) -> Period {
        let len = chrono::Duration::days(self.days());
        Period {
            from: self.from - len,
            to: self.to - len,
        }
    }

    /// Whether a day is in it.
    pub fn contains(&self, day: NaiveDate) -> bool {
        self.from <= day && day <= self.to
    }

    /// The days of an ISO week (`2026-W47`) within the period.
    pub fn week_days(&self, week: &str) -> Option<Period> {
        let (year, number) = week.split_once("-W")?;
        let monday = NaiveDate::from_isoywd_opt(
            year.parse().ok()?,
            number.parse().ok()?,
            chrono::Weekday::Mon,
        )?;
        let sunday = monday + chrono::Duration::days(6);
        let days = Period {
            from: monday.max(self.from),
            to: sunday.min(self.to),
        };
        (days.from <= days.to).then_some(days)
    }

    /// A week as the desk reads it: its days within the period (`30.11–06.12.2026`), else the
    /// ISO week as given.
    pub fn week_label(&self, week: &str, t: &crate::i18n::Texts) -> String {
        self.week_days(week)
            .map_or_else(|| week.to_string(), |p| t.days(p.from, p.to))
    }

    /// The period a report names by its first and last days (`2026-11-01`), if they read.
    pub fn of_days(from: &str, to: &str) -> Option<Period> {
        Some(Period {
            from: NaiveDate::parse_from_str(from, "%Y-%m-%d").ok()?,
            to: NaiveDate::parse_from_str(to, "%Y-%m-%d").ok()?,
        })
    }

    /// The ISO weeks the period touches, in order, as `2026-W47`.
    pub fn weeks(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let mut day = self.from;
        while day <= self.to {
            let week = crate::clock::iso_week(day);
            if out.last() != Some(&week) {
                out.push(week);
            }
            day = match day.succ_opt() {
                Some(d) => d,
                None => break,
            };
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn a_period_includes_both_ends_and_knows_the_one_before() {
        let p = Period {
            from: d(2026, 12, 28),
            to: d(2027, 1, 10),
        };
        assert_eq!(p.days(), 14);
        assert_eq!(
            p.previous(),
            Period {
                from: d(2026, 12, 14),
                to: d(2026, 12, 27)
            }
        );
        assert_eq!(p.weeks(), ["2026-W53", "2027-W01"]);
        assert!(p.contains(d(2027, 1, 10)) && !p.contains(d(2027, 1, 11)));
    }
}
