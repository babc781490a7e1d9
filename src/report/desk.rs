//! The desk figures of step 0 of the desk standard, per ISO week, per operator and per manager:
//! the calls, first-time and existing, those from potential clients, how many of those left a
//! contact (a phone of at least 10 digits or an e-mail the operator read back and confirmed),
//! how many only have a number the phone exchange sent, the capture rate; and the promised
//! callbacks: promised, done in time, done late, done by the caller's own call, still open,
//! lost, and the median working time from the promise to the first attempt; and, per week, the
//! calls nobody answered as the phone exchange told them, by what the desk made of them (a
//! callback, a hidden number, a number not to call back).

use super::Period;
use crate::i18n::Texts;
use crate::pbx::MissedAs;
use crate::store::Counted;
pub use crate::store::DeskDay;
use serde::Serialize;
use std::borrow::Cow;
use std::collections::BTreeMap;

/// A promised callback as the report counts it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallbackRow {
    /// The desk day it was promised.
    pub day: chrono::NaiveDate,
    /// Its owner's login (empty: nobody's).
    pub owner: String,
    /// Where it stands.
    pub outcome: CallbackOutcome,
    /// Open and past its due time now.
    pub overdue: bool,
    /// Working minutes from the promise to the first attempt, if one was made.
    pub first_attempt_minutes: Option<u64>,
}

/// Where a promised callback stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallbackOutcome {
    /// Done by its due time.
    InTime,
    /// Done after it.
    Late,
    /// Done by the caller calling again, helped at the desk before anyone tried.
    CallerCalled,
    /// Not done yet.
    Open,
    /// Closed without a result.
    Lost,
}

/// The callback figures of a week or a manager.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct CallbackFigures {
    /// Promised.
    pub callbacks_promised: u64,
    /// Done by their due time.
    pub callbacks_in_time: u64,
    /// Done after it.
    pub callbacks_late: u64,
    /// Done by the caller's own call before anyone tried.
    pub callbacks_caller_called: u64,
    /// Still open.
    pub callbacks_open: u64,
    /// Of those, past their due time now.
    pub callbacks_overdue: u64,
    /// Closed without a result.
    pub callbacks_lost: u64,
    /// Median working minutes from the promise to the first attempt (of those tried).
    pub first_attempt_minutes: Option<u64>,
    #[serde(skip)]
    minutes: Vec<u64>,
}

impl CallbackFigures {
    fn add(&mut self, c: &CallbackRow) {
        self.callbacks_promised += 1;
        match c.outcome {
            CallbackOutcome::InTime => self.callbacks_in_time += 1,
            CallbackOutcome::Late => self.callbacks_late += 1,
            CallbackOutcome::CallerCalled => self.callbacks_caller_called += 1,
            CallbackOutcome::Open => self.callbacks_open += 1,
            CallbackOutcome::Lost => self.callbacks_lost += 1,
        }
        if c.outcome == CallbackOutcome::Open && c.overdue {
            self.callbacks_overdue += 1;
        }
        self.minutes.extend(c.first_attempt_minutes);
    }

    fn finish(mut self) -> CallbackFigures {
        self.minutes.sort_unstable();
        let n = self.minutes.len();
        self.first_attempt_minutes = match n {
            0 => None,
            _ if n % 2 == 1 => Some(self.minutes[n / 2]),
            _ => Some((self.minutes[n / 2 - 1] + self.minutes[n / 2]).div_ceil(2)),
        };
        self
    }
}

/// The calls nobody answered in a week, as the phone exchange told them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct MissedFigures {
    /// Every one.
    pub missed_calls: u64,
    /// Those a callback was opened for (or the caller's open one joined).
    pub missed_called_back: u64,
    /// Those from a hidden number: nobody can call back.
    pub missed_no_number: u64,
    /// Those from a number on the list not to call back.
    pub missed_ignored: u64,
}

impl MissedFigures {
    fn add(&mut self, kind: MissedAs) {
        self.missed_calls += 1;
        match kind {
            MissedAs::Callback => self.missed_called_back += 1,
            MissedAs::NoNumber => self.missed_no_number += 1,
            MissedAs::Ignored => self.missed_ignored += 1,
        }
    }
}

/// A call nobody answered as the report counts it: the desk day it came, what was made of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MissedRow {
    /// The desk day.
    pub day: chrono::NaiveDate,
    /// What the desk made of it.
    pub kind: MissedAs,
}

/// The figures of a week, an operator or a manager.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Figures {
    /// `2026-W47`, for weeks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub week: Option<String>,
    /// The operator, for operators.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operator: Option<String>,
    /// The manager's login, for managers (empty: calls and callbacks given to nobody).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub manager: Option<String>,
    /// The operators' row of the calls nobody answered (missed, kept for their callback),
    /// apart from the calls recorded with no operator.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub unanswered: bool,
    /// The operator's or manager's display name, where their account has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Calls.
    pub calls: u64,
    /// Primary calls.
    pub primary: u64,
    /// Secondary calls.
    pub secondary: u64,
    /// Calls from potential clients.
    pub potential: u64,
    /// Of those, with a contact captured.
    pub contacts: u64,
    /// Of those, with only a number the exchange sent.
    pub numbers_known: u64,
    /// `contacts / potential`, 0 when there were none.
    pub capture_rate: f64,
    /// The promised callbacks (none for operators).
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub callbacks: Option<CallbackFigures>,
    /// The calls nobody answered (weeks and the total only).
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub missed: Option<MissedFigures>,
}

impl Figures {
    /// A manager's row label: display name, login, or «без менеджера».
    pub fn manager_label<'a>(&'a self, t: &'a Texts) -> Cow<'a, str> {
        self.label(t, self.manager.as_deref(), t.callbacks_unassigned)
    }

    /// An operator's row label: display name, the name the call was recorded under (an
    /// extension no account had as «доб. 105»), «не указан», or the row of the calls nobody
    /// answered.
    pub fn operator_label<'a>(&'a self, t: &'a Texts) -> Cow<'a, str> {
        if self.unanswered {
            return t.report_unanswered_row.into();
        }
        self.label(t, self.operator.as_deref(), t.report_nobody)
    }

    /// The display name, else the name recorded, else `nobody`.
    fn label<'a>(&'a self, t: &Texts, recorded: Option<&'a str>, nobody: &'a str) -> Cow<'a, str> {
        match (&self.name, recorded.filter(|r| !r.is_empty())) {
            (Some(name), _) => name.as_str().into(),
            (None, Some(recorded)) => t.recorded_person(recorded),
            (None, None) => nobody.into(),
        }
    }

    fn add(&mut self, d: &DeskDay) {
        self.calls += d.calls;
        self.primary += d.primary;
        self.secondary += d.calls - d.primary;
        self.potential += d.potential;
        self.contacts += d.contacts;
        self.numbers_known += d.numbers_known;
    }

    fn add_callback(&mut self, c: &CallbackRow) {
        self.callbacks.get_or_insert_with(Default::default).add(c);
    }

    fn finish(mut self) -> Figures {
        self.capture_rate = if self.potential == 0 {
            0.0
        } else {
            (self.contacts as f64 / self.potential as f64 * 1000.0).round() / 1000.0
        };
        self.callbacks = self.callbacks.map(CallbackFigures::finish);
        self
    }
}

/// A cell of the report's tables.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell {
    /// A count.
    Count(u64),
    /// A share, 0 to 1; `None`: a share of nothing (no calls to count it on).
    Rate(Option<f64>),
    /// Minutes, if there is anything to count.
    Minutes(Option<u64>),
}

/// A column of the report's tables: its heading in the interface's words, its cell, and what
/// its figures count, to list.
pub struct Column {
    /// The heading.
    pub head: fn(&Texts) -> &'static str,
    /// The cell of a row.
    pub cell: fn(&Figures) -> Cell,
    /// The calls a figure counts, if it counts calls.
    pub calls: Option<Counted>,
    /// The callbacks a figure counts (`promised`, `in_time`, ...), if it counts callbacks.
    pub callbacks: Option<&'static str>,
    /// The calls nobody answered a figure counts (`all`, `callback`, ...), if it counts those.
    pub missed: Option<&'static str>,
}

const CALL_COLUMNS: [Column; 7] = [
    Column {
        head: |t| t.report_col_calls,
        cell: |f| Cell::Count(f.calls),
        calls: Some(Counted::All),
        callbacks: None,
        missed: None,
    },
    Column {
        head: |t| t.report_col_primary,
        cell: |f| Cell::Count(f.primary),
        calls: Some(Counted::Primary),
        callbacks: None,
        missed: None,
    },
    Column {
        head: |t| t.report_col_secondary,
        cell: |f| Cell::Count(f.secondary),
        calls: Some(Counted::Secondary),
        callbacks: None,
        missed: None,
    },
    Column {
        head: |t| t.report_col_potential,
        cell: |f| Cell::Count(f.potential),
        calls: Some(Counted::Potential),
        callbacks: None,
        missed: None,
    },
    Column {
        head: |t| t.report_col_contacts,
        cell: |f| Cell::Count(f.contacts),
        calls: Some(Counted::Contact),
        callbacks: None,
        missed: None,
    },
    Column {
        head: |t| t.report_col_numbers_known,
        cell: |f| Cell::Count(f.numbers_known),
        calls: Some(Counted::NumberOnly),
        callbacks: None,
        missed: None,
    },
    Column {
        head: |t| t.report_col_capture,
        // From the counts, not the rounded `capture_rate` (rounded twice, 15 of 33 read 46%).
        cell: |f| Cell::Rate((f.potential > 0).then(|| f.contacts as f64 / f.potential as f64)),
        calls: Some(Counted::NotCaptured),
        callbacks: None,
        missed: None,
    },
];

fn callback_cell(f: &Figures, pick: fn(&CallbackFigures) -> u64) -> Cell {
    Cell::Count(f.callbacks.as_ref().map_or(0, pick))
}

const CALLBACK_COLUMNS: [Column; 8] = [
    Column {
        head: |t| t.report_col_promised,
        cell: |f| callback_cell(f, |c| c.callbacks_promised),
        calls: None,
        callbacks: Some("promised"),
        missed: None,
    },
    Column {
        head: |t| t.report_col_in_time,
        cell: |f| callback_cell(f, |c| c.callbacks_in_time),
        calls: None,
        callbacks: Some("in_time"),
        missed: None,
    },
    Column {
        head: |t| t.report_col_late,
        cell: |f| callback_cell(f, |c| c.callbacks_late),
        calls: None,
        callbacks: Some("late"),
        missed: None,
    },
    Column {
        head: |t| t.report_col_caller_called,
        cell: |f| callback_cell(f, |c| c.callbacks_caller_called),
        calls: None,
        callbacks: Some("caller_called"),
        missed: None,
    },
    Column {
        head: |t| t.report_col_still_open,
        cell: |f| callback_cell(f, |c| c.callbacks_open),
        calls: None,
        callbacks: Some("open"),
        missed: None,
    },
    Column {
        head: |t| t.report_col_overdue,
        cell: |f| callback_cell(f, |c| c.callbacks_overdue),
        calls: None,
        callbacks: Some("overdue"),
        missed: None,
    },
    Column {
        head: |t| t.report_col_lost,
        cell: |f| callback_cell(f, |c| c.callbacks_lost),
        calls: None,
        callbacks: Some("lost"),
        missed: None,
    },
    Column {
        head: |t| t.report_col_first_attempt,
        cell: |f| Cell::Minutes(f.callbacks.as_ref().and_then(|c| c.first_attempt_minutes)),
        calls: None,
        callbacks: None,
        missed: None,
    },
];

fn missed_cell(f: &Figures, pick: fn(&MissedFigures) -> u64) -> Cell {
    Cell::Count(f.missed.as_ref().map_or(0, pick))
}

const MISSED_COLUMNS: [Column; 4] = [
    Column {
        head: |t| t.report_col_missed,
        cell: |f| missed_cell(f, |m| m.missed_calls),
        calls: None,
        callbacks: None,
        missed: Some("all"),
    },
    Column {
        head: |t| t.report_col_missed_called_back,
        cell: |f| missed_cell(f, |m| m.missed_called_back),
        calls: None,
        callbacks: None,
        missed: Some("callback"),
    },
    Column {
        head: |t| t.report_col_missed_no_number,
        cell: |f| missed_cell(f, |m| m.missed_no_number),
        calls: None,
        callbacks: None,
        missed: Some("no_number"),
    },
    Column {
        head: |t| t.report_col_missed_ignored,
        cell: |f| missed_cell(f, |m| m.missed_ignored),
        calls: None,
        callbacks: None,
        missed: Some("ignored"),
    },
];

/// The columns of the table of calls nobody answered, by week.
pub fn missed_columns() -> impl Iterator<Item = &'static Column> {
    MISSED_COLUMNS.iter()
}

/// The columns of the weeks' and the managers' tables: calls, then callbacks.
pub fn columns_with_callbacks() -> impl Iterator<Item = &'static Column> {
    CALL_COLUMNS.iter().chain(CALLBACK_COLUMNS.iter())
}

/// The columns of the operators' table: calls.
pub fn call_columns() -> impl Iterator<Item = &'static Column> {
    CALL_COLUMNS.iter()
}

/// The report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeskReport {
    /// First day.
    pub from: String,
    /// Last day.
    pub to: String,
    /// Every ISO week of the period, in order, empty ones too; callbacks by the week promised.
    pub weeks: Vec<Figures>,
    /// Every operator who took calls in the period, by name.
    pub operators: Vec<Figures>,
    /// Every manager given calls or callbacks in the period, by login (empty: nobody).
    pub managers: Vec<Figures>,
    /// The whole period.
    pub total: Figures,
}

impl DeskReport {
    /// A week as the desk reads it: its days within the period (`30.11–06.12.2026`), else the
    /// ISO week as given.
    pub fn week_label(&self, week: &str, t: &crate::i18n::Texts) -> String {
        Period::of_days(&self.from, &self.to)
            .map_or_else(|| week.to_string(), |p| p.week_label(week, t))
    }

    /// The days of an ISO week (`2026-W47`) within the report's period.
    pub fn week_days(&self, week: &str) -> Option<Period> {
        Period::of_days(&self.from, &self.to)?.week_days(week)
    }

    /// Whether the phone exchange told of any call nobody answered in the period.
    pub fn has_missed(&self) -> bool {
        self.total
            .missed
            .as_ref()
            .is_some_and(|m| m.missed_calls > 0)
    }
}

/// Builds the report from day counts, the callbacks promised and the calls nobody answered in
/// the period.
pub fn build(
    period: Period,
    days: &[DeskDay],
    callbacks: &[CallbackRow],
    missed: &[MissedRow],
) -> DeskReport {
    let with_callbacks = |f: Figures| Figures {
        callbacks: Some(CallbackFigures::default()),
        ..f
    };
    let with_missed = |f: Figures| Figures {
        missed: Some(MissedFigures::default()),
        ..with_callbacks(f)
    };
    let mut weeks: BTreeMap<String, Figures> = period
        .weeks()
        .into_iter()
        .map(|w| {
            let f = Figures {
                week: Some(w.clone()),
                ..Figures::default()
            };
            (w, with_missed(f))
        })
        .collect();
    let mut operators: BTreeMap<(bool, String), Figures> = BTreeMap::new();
    let mut managers: BTreeMap<String, Figures> = BTreeMap::new();
    let manager = |m: &str| {
        with_callbacks(Figures {
            manager: Some(m.to_string()),
            ..Figures::default()
        })
    };
    let mut total = with_missed(Figures::default());
    for d in days.iter().filter(|d| period.contains(d.day)) {
        if let Some(w) = weeks.get_mut(&crate::clock::iso_week(d.day)) {
            w.add(d);
        }
        // The calls nobody answered last, apart from the operators'.
        operators
            .entry((d.unanswered, d.operator.clone()))
            .or_insert_with(|| Figures {
                operator: Some(d.operator.clone()),
                unanswered: d.unanswered,
                ..Figures::default()
            })
            .add(d);
        if !d.manager.is_empty() {
            managers
                .entry(d.manager.clone())
                .or_insert_with(|| manager(&d.manager))
                .add(d);
        }
        total.add(d);
    }
    for c in callbacks.iter().filter(|c| period.contains(c.day)) {
        if let Some(w) = weeks.get_mut(&crate::clock::iso_week(c.day)) {
            w.add_callback(c);
        }
        managers
            .entry(c.owner.clone())
            .or_insert_with(|| manager(&c.owner))
            .add_callback(c);
        total.add_callback(c);
    }
    for m in missed.iter().filter(|m| period.contains(m.day)) {
        if let Some(w) = weeks.get_mut(&crate::clock::iso_week(m.day)) {
            w.missed.get_or_insert_with(Default::default).add(m.kind);
        }
        total
            .missed
            .get_or_insert_with(Default::default)
            .add(m.kind);
    }
    DeskReport {
        from: period.from.to_string(),
        to: period.to.to_string(),
        weeks: weeks.into_values().map(Figures::finish).collect(),
        operators: operators.into_values().map(Figures::finish).collect(),
        managers: managers.into_values().map(Figures::finish).collect(),
        total: total.finish(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn day(date: NaiveDate, operator: &str, manager: &str, counts: [u64; 5]) -> DeskDay {
        let [calls, primary, potential, contacts, numbers_known] = counts;
        DeskDay {
            day: date,
            operator: operator.into(),
            manager: manager.into(),
            unanswered: false,
            calls,
            primary,
            potential,
            contacts,
            numbers_known,
        }
    }

    #[test]
    fn weeks_operators_and_managers_add_up_and_empty_weeks_show() {
        let period = Period {
            from: d(2026, 12, 21),
            to: d(2027, 1, 10),
        };
        // A call nobody answered, given to a manager for its callback: a row of its own,
        // apart from one recorded with no operator.
        let missed = DeskDay {
            unanswered: true,
            ..day(d(2027, 1, 6), "", "lena", [1, 1, 0, 0, 0])
        };
        let days = vec![
            day(d(2026, 12, 22), "anna", "", [3, 2, 2, 1, 1]),
            day(d(2026, 12, 22), "anna", "mikhail", [1, 1, 1, 1, 0]),
            day(d(2027, 1, 5), "anna", "", [2, 2, 2, 1, 0]),
            day(d(2027, 1, 6), "oleg", "lena", [1, 0, 0, 0, 0]),
            missed,
            day(d(2027, 1, 6), "", "", [2, 0, 0, 0, 0]),
        ];
        let r = build(period, &days, &[], &[]);
        let t = &crate::i18n::RU;
        let rows: Vec<(String, u64)> = r
            .operators
            .iter()
            .map(|o| (o.operator_label(t).into_owned(), o.calls))
            .collect();
        let expected = [
            ("(не указан)", 2),
            ("anna", 6),
            ("oleg", 1),
            ("(никто не ответил: пропущенные)", 1),
        ];
        assert_eq!(rows, expected.map(|(label, n)| (label.to_string(), n)));
        let r = build(period, &days[..4], &[], &[]);
        assert_eq!(
            r.weeks
                .iter()
                .map(|w| w.week.clone().unwrap())
                .collect::<Vec<_>>(),
            ["2026-W52", "2026-W53", "2027-W01"]
        );
        assert_eq!(r.weeks[1].calls, 0);
        assert_eq!(
            (
                r.weeks[0].potential,
                r.weeks[0].contacts,
                r.weeks[0].numbers_known,
                r.weeks[0].capture_rate
            ),
            (3, 2, 1, 0.667)
        );
        assert_eq!(r.operators.len(), 2);
        assert_eq!(r.operators[0].calls, 6);
        assert_eq!(r.operators[0].callbacks, None);
        assert_eq!(r.total.secondary, 2);
        assert_eq!(r.total.capture_rate, 0.6);
        let managers: Vec<_> = r
            .managers
            .iter()
            .map(|m| m.manager.clone().unwrap())
            .collect();
        assert_eq!(managers, ["lena", "mikhail"]);
    }

    #[test]
    fn callbacks_count_by_the_week_promised_and_their_owner_with_a_median_first_attempt() {
        let period = Period {
            from: d(2026, 11, 30),
            to: d(2026, 12, 13),
        };
        let cb = |date, owner: &str, outcome, minutes| CallbackRow {
            day: date,
            owner: owner.into(),
            outcome,
            overdue: false,
            first_attempt_minutes: minutes,
        };
        let overdue = CallbackRow {
            overdue: true,
            ..cb(d(2026, 12, 3), "mikhail", CallbackOutcome::Open, None)
        };
        let callbacks = vec![
            cb(d(2026, 12, 1), "mikhail", CallbackOutcome::InTime, Some(20)),
            cb(d(2026, 12, 2), "mikhail", CallbackOutcome::Late, Some(200)),
            cb(d(2026, 12, 3), "mikhail", CallbackOutcome::Open, None),
            overdue,
            cb(d(2026, 12, 8), "", CallbackOutcome::Lost, Some(30)),
            cb(d(2026, 12, 20), "mikhail", CallbackOutcome::InTime, Some(5)),
        ];
        let r = build(period, &[], &callbacks, &[]);
        let w = r.weeks[0].callbacks.clone().unwrap();
        assert_eq!(
            (
                w.callbacks_promised,
                w.callbacks_in_time,
                w.callbacks_late,
                w.callbacks_open,
                w.callbacks_overdue
            ),
            (4, 1, 1, 2, 1)
        );
        assert_eq!(w.first_attempt_minutes, Some(110));
        let unassigned = &r.managers[0];
        assert_eq!(unassigned.manager.as_deref(), Some(""));
        assert_eq!(unassigned.callbacks.as_ref().unwrap().callbacks_lost, 1);
        let total = r.total.callbacks.unwrap();
        assert_eq!(
            total.callbacks_promised, 5,
            "the one outside the period is not counted"
        );
        assert_eq!(total.first_attempt_minutes, Some(30));
        let json = serde_json::to_value(&r.weeks[0]).unwrap();
        assert_eq!(json["callbacks_in_time"], 1);
    }

    #[test]
    fn calls_nobody_answered_count_by_week_and_what_was_made_of_them() {
        let period = Period {
            from: d(2026, 11, 30),
            to: d(2026, 12, 13),
        };
        let m = |day, kind| MissedRow { day, kind };
        let missed = [
            m(d(2026, 12, 1), MissedAs::Callback),
            m(d(2026, 12, 2), MissedAs::NoNumber),
            m(d(2026, 12, 9), MissedAs::Callback),
            m(d(2026, 12, 9), MissedAs::Ignored),
            m(d(2026, 12, 20), MissedAs::NoNumber),
        ];
        let r = build(period, &[], &[], &missed);
        let week = |i: usize| r.weeks[i].missed.clone().unwrap();
        assert_eq!(
            (
                week(0).missed_calls,
                week(0).missed_called_back,
                week(0).missed_no_number
            ),
            (2, 1, 1)
        );
        assert_eq!((week(1).missed_calls, week(1).missed_ignored), (2, 1));
        assert_eq!(
            r.total.missed.clone().unwrap().missed_calls,
            4,
            "outside the period"
        );
        assert!(r.has_missed());
        assert_eq!(r.operators.len(), 0);
        let json = serde_json::to_value(&r.total).unwrap();
        assert_eq!(json["missed_no_number"], 1);
        assert!(!build(period, &[], &[], &[]).has_missed());
    }
}
