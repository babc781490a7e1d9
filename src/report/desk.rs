//! The desk figures of step 0 of the desk standard: per ISO week (and per operator) the calls,
//! first-time and existing, those from potential clients, how many of those left a contact
//! (a phone or an email recorded), the capture rate, and callbacks asked and made.

use super::Period;
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeMap;

/// The calls of one desk day taken by one operator, counted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeskDay {
    /// The desk day.
    pub day: NaiveDate,
    /// Who took them (empty: nobody recorded).
    pub operator: String,
    /// Calls.
    pub calls: u64,
    /// Of which primary.
    pub primary: u64,
    /// Of which from potential clients: marked so, with something recorded (a card started and
    /// left empty is no client, lost or won).
    pub potential: u64,
    /// Potential-client calls with a phone or an email recorded.
    pub contacts: u64,
    /// Calls ending in a callback.
    pub callbacks: u64,
    /// Of which the manager made.
    pub callbacks_done: u64,
}

/// The figures of a week or an operator.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Figures {
    /// `2026-W47`, for weeks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub week: Option<String>,
    /// The operator, for operators.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operator: Option<String>,
    /// Calls.
    pub calls: u64,
    /// Primary calls.
    pub primary: u64,
    /// Secondary calls.
    pub secondary: u64,
    /// Calls from potential clients.
    pub potential: u64,
    /// Of those, with a contact recorded.
    pub contacts: u64,
    /// `contacts / potential`, 0 when there were none.
    pub capture_rate: f64,
    /// Callbacks asked.
    pub callbacks: u64,
    /// Callbacks made.
    pub callbacks_done: u64,
}

impl Figures {
    fn add(&mut self, d: &DeskDay) {
        self.calls += d.calls;
        self.primary += d.primary;
        self.secondary += d.calls - d.primary;
        self.potential += d.potential;
        self.contacts += d.contacts;
        self.callbacks += d.callbacks;
        self.callbacks_done += d.callbacks_done;
    }

    fn finish(mut self) -> Figures {
        self.capture_rate = if self.potential == 0 {
            0.0
        } else {
            (self.contacts as f64 / self.potential as f64 * 1000.0).round() / 1000.0
        };
        self
    }
}

/// The report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeskReport {
    /// First day.
    pub from: String,
    /// Last day.
    pub to: String,
    /// Every ISO week of the period, in order, empty ones too.
    pub weeks: Vec<Figures>,
    /// Every operator who took calls in the period, by name.
    pub operators: Vec<Figures>,
    /// The whole period.
    pub total: Figures,
}

/// Builds the report from day counts.
pub fn build(period: Period, days: &[DeskDay]) -> DeskReport {
    let mut weeks: BTreeMap<String, Figures> = period
        .weeks()
        .into_iter()
        .map(|w| {
            (
                w.clone(),
                Figures {
                    week: Some(w),
                    ..Figures::default()
                },
            )
        })
        .collect();
    let mut operators: BTreeMap<String, Figures> = BTreeMap::new();
    let mut total = Figures::default();
    for d in days.iter().filter(|d| period.contains(d.day)) {
        if let Some(w) = weeks.get_mut(&crate::clock::iso_week(d.day)) {
            w.add(d);
        }
        operators
            .entry(d.operator.clone())
            .or_insert_with(|| Figures {
                operator: Some(d.operator.clone()),
                ..Figures::default()
            })
            .add(d);
        total.add(d);
    }
    DeskReport {
        from: period.from.to_string(),
        to: period.to.to_string(),
        weeks: weeks.into_values().map(Figures::finish).collect(),
        operators: operators.into_values().map(Figures::finish).collect(),
        total: total.finish(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn weeks_and_operators_add_up_and_empty_weeks_show() {
        let period = Period {
            from: d(2026, 12, 21),
            to: d(2027, 1, 10),
        };
        let days = vec![
            DeskDay {
                day: d(2026, 12, 22),
                operator: "anna".into(),
                calls: 4,
                primary: 3,
                potential: 3,
                contacts: 2,
                callbacks: 1,
                callbacks_done: 1,
            },
            DeskDay {
                day: d(2027, 1, 5),
                operator: "anna".into(),
                calls: 2,
                primary: 2,
                potential: 2,
                contacts: 1,
                callbacks: 0,
                callbacks_done: 0,
            },
            DeskDay {
                day: d(2027, 1, 6),
                operator: "oleg".into(),
                calls: 1,
                primary: 0,
                potential: 0,
                contacts: 0,
                callbacks: 1,
                callbacks_done: 0,
            },
        ];
        let r = build(period, &days);
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
                r.weeks[0].capture_rate
            ),
            (3, 2, 0.667)
        );
        assert_eq!(r.operators.len(), 2);
        assert_eq!(r.operators[0].calls, 6);
        assert_eq!(r.total.secondary, 2);
        assert_eq!(r.total.callbacks, 2);
        assert_eq!(r.total.capture_rate, 0.6);
    }
}
