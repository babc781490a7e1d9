//! The question frequency report: every typical question (an answer, or an open group) asked
//! in a period, with its count, the split between first-time callers and existing clients,
//! counts per ISO week, the count of the period before, and whether it has an answer; and the
//! searches that found nothing or where nothing was chosen.

use super::Period;
use crate::calls::CallKind;
pub use crate::store::{KeyCount, KeyWeek, SearchCount};
use serde::Serialize;
use std::collections::HashMap;

/// A week's count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WeekCount {
    /// `2026-W47`.
    pub week: String,
    /// Questions.
    pub count: u64,
}

/// One typical question's line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    /// `answer:<slug>` or `group:<id>`.
    pub key: String,
    /// The answer's title, or the group's phrasing.
    pub title: String,
    /// Whether it has an answer.
    pub answered: bool,
    /// Questions in the period (of the kind asked for).
    pub count: u64,
    /// Of which on primary calls.
    pub primary: u64,
    /// Of which on secondary calls.
    pub secondary: u64,
    /// Per ISO week of the period.
    pub weeks: Vec<WeekCount>,
    /// Questions in the period of the same length before.
    pub previous_count: u64,
}

/// The whole report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuestionReport {
    /// First day.
    pub from: String,
    /// Last day.
    pub to: String,
    /// Typical questions, most asked first.
    pub rows: Vec<Row>,
    /// Searches that found nothing.
    pub no_result_searches: Vec<SearchCount>,
    /// Searches that found something, but nothing was opened or linked.
    pub unchosen_searches: Vec<SearchCount>,
    /// Questions of the period in groups the editors dismissed (not for the knowledge base):
    /// in no row, said under the table so that the rows' sum is not taken for every question.
    pub dismissed: u64,
}

/// What a report is made of: counts of the period per kind, of its ISO weeks, and of the
/// period before, of the calls the report is about.
#[derive(Debug, Clone, Default)]
pub struct Counts {
    /// The period, per kind and typical question.
    pub period: Vec<KeyCount>,
    /// The period, per week and typical question.
    pub weeks: Vec<KeyWeek>,
    /// The period of the same length before, per kind and typical question.
    pub previous: Vec<KeyCount>,
}

/// Builds the report; `titles` gives each key's title and whether it has an answer (a key
/// without a title is no longer shown: a dismissed group).
pub fn build(
    period: Period,
    counts: &Counts,
    titles: &HashMap<String, (String, bool)>,
    no_result: Vec<SearchCount>,
    unchosen: Vec<SearchCount>,
) -> QuestionReport {
    let weeks = period.weeks();
    let mut rows: HashMap<&str, Row> = HashMap::new();
    let mut dismissed = 0;
    for c in &counts.period {
        let Some((title, answered)) = titles.get(&c.key) else {
            dismissed += c.count;
            continue;
        };
        let row = rows.entry(&c.key).or_insert_with(|| Row {
            key: c.key.clone(),
            title: title.clone(),
            answered: *answered,
            count: 0,
            primary: 0,
            secondary: 0,
            weeks: weeks
                .iter()
                .map(|w| WeekCount {
                    week: w.clone(),
                    count: 0,
                })
                .collect(),
            previous_count: 0,
        });
        row.count += c.count;
        match c.kind {
            CallKind::Primary => row.primary += c.count,
            CallKind::Secondary => row.secondary += c.count,
        }
    }
    for w in &counts.weeks {
        if let Some(row) = rows.get_mut(w.key.as_str()) {
            if let Some(slot) = row.weeks.iter_mut().find(|s| s.week == w.week) {
                slot.count += w.count;
            }
        }
    }
    for c in &counts.previous {
        if let Some(row) = rows.get_mut(c.key.as_str()) {
            row.previous_count += c.count;
        }
    }
    let mut rows: Vec<Row> = rows.into_values().filter(|r| r.count > 0).collect();
    rows.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.key.cmp(&b.key)));
    QuestionReport {
        from: period.from.to_string(),
        to: period.to.to_string(),
        rows,
        no_result_searches: no_result,
        unchosen_searches: unchosen,
        dismissed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn count(kind: CallKind, key: &str, n: u64) -> KeyCount {
        KeyCount {
            kind,
            key: key.into(),
            count: n,
        }
    }

    fn week(week: &str, key: &str, n: u64) -> KeyWeek {
        KeyWeek {
            week: week.into(),
            key: key.into(),
            count: n,
        }
    }

    #[test]
    fn rows_split_by_kind_and_iso_week_across_the_new_year_with_the_period_before() {
        let period = Period {
            from: d(2026, 12, 28),
            to: d(2027, 1, 10),
        };
        let counts = Counts {
            period: vec![
                count(CallKind::Primary, "answer:price", 6),
                count(CallKind::Secondary, "answer:price", 1),
                count(CallKind::Primary, "group:7", 3),
                count(CallKind::Primary, "group:8", 1),
            ],
            weeks: vec![
                week("2026-W53", "answer:price", 3),
                week("2027-W01", "answer:price", 4),
                week("2027-W01", "group:7", 3),
            ],
            previous: vec![
                count(CallKind::Primary, "answer:price", 5),
                count(CallKind::Primary, "answer:gone", 2),
            ],
        };
        let titles: HashMap<String, (String, bool)> = [
            (
                "answer:price".to_string(),
                ("Сколько стоит?".to_string(), true),
            ),
            (
                "group:7".to_string(),
                ("когда приедет инженер".to_string(), false),
            ),
        ]
        .into_iter()
        .collect();
        let r = build(period, &counts, &titles, vec![], vec![]);
        assert_eq!(
            r.rows.len(),
            2,
            "a group no longer shown is left out, and so is one asked only before"
        );
        let price = &r.rows[0];
        assert_eq!((price.count, price.primary, price.secondary), (7, 6, 1));
        assert_eq!(price.previous_count, 5);
        assert_eq!(
            price.weeks,
            [
                WeekCount {
                    week: "2026-W53".into(),
                    count: 3
                },
                WeekCount {
                    week: "2027-W01".into(),
                    count: 4
                },
            ]
        );
        assert!(!r.rows[1].answered);
        assert_eq!(r.rows[1].weeks[0].count, 0, "an empty week shows");
    }
}
