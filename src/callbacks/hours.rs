//! The desk's working time (`[hours]` in `desk.toml`: 09:00 to 18:00, Monday to Friday by
//! default, in the desk's time zone, less the holidays it names and plus the weekend days it
//! works): when a callback is due by a preset, and how late one is in working hours, so that a
//! promise made on Friday evening is not overdue on Saturday, nor one made on 30 December
//! during the New Year holidays.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Weekday};
use serde::Deserialize;

/// When the desk works.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkingHours {
    /// When a working day starts, `HH:MM`.
    #[serde(with = "hh_mm")]
    pub start: NaiveTime,
    /// When it ends.
    #[serde(with = "hh_mm")]
    pub end: NaiveTime,
    /// The working days: `mon`, `tue`, ... `sun`.
    #[serde(with = "weekdays")]
    pub days: Vec<Weekday>,
    /// Dates the desk does not work on though their weekday is a working one: public holidays
    /// (`2027-01-01`, quoted or not).
    #[serde(default, with = "dates")]
    pub holidays: Vec<NaiveDate>,
    /// Dates the desk works on though their weekday is not a working one: a Saturday worked in
    /// exchange for a holiday.
    #[serde(default, with = "dates")]
    pub extra_days: Vec<NaiveDate>,
}

impl WorkingHours {
    /// What makes these hours no working day the desk could keep: an end not after the start
    /// (a shift across midnight is not supported: due times and working time would be wrong),
    /// no working day at all.
    pub fn check(&self) -> Result<(), String> {
        if self.end <= self.start {
            return Err(format!(
                "end {} is not after start {} (a shift across midnight is not supported)",
                self.end.format("%H:%M"),
                self.start.format("%H:%M")
            ));
        }
        if self.days.is_empty() {
            return Err("days is empty: name at least one working day".to_string());
        }
        if let Some(both) = self.holidays.iter().find(|d| self.extra_days.contains(d)) {
            return Err(format!(
                "{both} is both in holidays and in extra_days: name it in one of them"
            ));
        }
        Ok(())
    }
}

impl Default for WorkingHours {
    fn default() -> WorkingHours {
        WorkingHours {
            start: NaiveTime::from_hms_opt(9, 0, 0).expect("a time"),
            end: NaiveTime::from_hms_opt(18, 0, 0).expect("a time"),
            days: vec![
                Weekday::Mon,
                Weekday::Tue,
                Weekday::Wed,
                Weekday::Thu,
                Weekday::Fri,
            ],
            holidays: Vec::new(),
            extra_days: Vec::new(),
        }
    }
}

/// The quick choices of a callback's due time on the card.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preset {
    /// An hour of working time from now.
    InAnHour,
    /// The end of today's working day (or of the next one, after hours).
    EndOfDay,
    /// An hour after the next working day starts.
    TomorrowMorning,
}

impl Preset {
    /// Every preset, in the card's order.
    pub const ALL: [Preset; 3] = [Preset::InAnHour, Preset::EndOfDay, Preset::TomorrowMorning];

    /// The preset's word in forms.
    pub fn as_str(self) -> &'static str {
        match self {
            Preset::InAnHour => "hour",
            Preset::EndOfDay => "end_of_day",
            Preset::TomorrowMorning => "morning",
        }
    }

    /// The preset of a form's word.
    pub fn parse(word: &str) -> Option<Preset> {
        Preset::ALL.into_iter().find(|p| p.as_str() == word)
    }
}

impl WorkingHours {
    fn works_on(&self, date: NaiveDate) -> bool {
        if self.holidays.contains(&date) {
            return false;
        }
        self.extra_days.contains(&date) || self.days.contains(&date.weekday())
    }

    /// Whether the desk works at `at` (its closing minute included).
    pub fn is_open(&self, at: NaiveDateTime) -> bool {
        self.day(at.date())
            .is_some_and(|(start, end)| start <= at && at <= end)
    }

    /// The working time of `date`, if the desk works then.
    fn day(&self, date: NaiveDate) -> Option<(NaiveDateTime, NaiveDateTime)> {
        (self.works_on(date) && self.start < self.end)
            .then(|| (date.and_time(self.start), date.and_time(self.end)))
    }

    /// The first working day on or after `date` (a year ahead at most: hours with no working
    /// day are taken as every day from 00:00).
    pub(crate) fn next_working_day(&self, date: NaiveDate) -> Option<NaiveDate> {
        (0..366)
            .map(|n| date + Duration::days(n))
            .find(|d| self.day(*d).is_some())
    }

    /// `at` plus `minutes` of working time.
    pub fn add(&self, at: NaiveDateTime, minutes: i64) -> NaiveDateTime {
        let mut left = Duration::minutes(minutes.max(0));
        let mut now = at;
        for _ in 0..400 {
            let Some(date) = self.next_working_day(now.date()) else {
                return at + left;
            };
            let (start, end) = self.day(date).expect("a working day");
            let from = now.max(start);
            if from < end {
                if from + left <= end {
                    return from + left;
                }
                left -= end - from;
            }
            now = (date + Duration::days(1)).and_time(NaiveTime::MIN);
        }
        at + left
    }

    /// Working time between `from` and `to` (zero when `to` is not later).
    pub fn between(&self, from: NaiveDateTime, to: NaiveDateTime) -> Duration {
        let mut total = Duration::zero();
        let mut date = from.date();
        while date <= to.date() && total < Duration::days(400) {
            if let Some((start, end)) = self.day(date) {
                let (a, b) = (from.max(start), to.min(end));
                if b > a {
                    total += b - a;
                }
            }
            date += Duration::days(1);
        }
        total
    }

    /// When a preset chosen at `now` makes the callback due.
    pub fn due(&self, preset: Preset, now: NaiveDateTime) -> NaiveDateTime {
        match preset {
            Preset::InAnHour => self.add(now, 60),
            Preset::EndOfDay => {
                let today = self.day(now.date()).filter(|(_, end)| now < *end);
                match today {
                    Some((_, end)) => end,
                    None => {
                        let next = self
                            .next_working_day(now.date() + Duration::days(1))
                            .unwrap_or(now.date() + Duration::days(1));
                        next.and_time(self.end)
                    }
                }
            }
            Preset::TomorrowMorning => {
                let next = self
                    .next_working_day(now.date() + Duration::days(1))
                    .unwrap_or(now.date() + Duration::days(1));
                next.and_time(self.start) + Duration::hours(1)
            }
        }
    }
}

mod hh_mm {
    use chrono::NaiveTime;
    use serde::{Deserialize, Deserializer};

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveTime, D::Error> {
        let text = String::deserialize(d)?;
        NaiveTime::parse_from_str(text.trim(), "%H:%M").map_err(|_| {
            serde::de::Error::custom(format!("`{text}`: expected a time such as 09:00"))
        })
    }
}

mod weekdays {
    use chrono::Weekday;
    use serde::{Deserialize, Deserializer};

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Weekday>, D::Error> {
        Vec::<String>::deserialize(d)?
            .iter()
            .map(|w| {
                w.trim().parse::<Weekday>().map_err(|_| {
                    serde::de::Error::custom(format!("`{w}`: expected a day such as mon or fri"))
                })
            })
            .collect()
    }
}

mod dates {
    use chrono::NaiveDate;
    use serde::{Deserialize, Deserializer};

    /// A date as TOML writes it (`2027-01-01`) or as text (`"2027-01-01"`).
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Written {
        Date(toml::value::Datetime),
        Text(String),
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<NaiveDate>, D::Error> {
        Vec::<Written>::deserialize(d)?
            .into_iter()
            .map(|w| {
                let text = match w {
                    Written::Date(d) => d.to_string(),
                    Written::Text(t) => t,
                };
                NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
                    serde::de::Error::custom(format!(
                        "`{text}`: expected a date such as 2027-01-01"
                    ))
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn working_time_skips_nights_and_weekends() {
        let h = WorkingHours::default();
        // Friday 17:30 plus an hour: Monday 09:30.
        assert_eq!(h.add(at("2026-12-04 17:30"), 60), at("2026-12-07 09:30"));
        assert_eq!(h.add(at("2026-12-03 10:00"), 120), at("2026-12-03 12:00"));
        assert_eq!(h.add(at("2026-12-05 12:00"), 30), at("2026-12-07 09:30"));
        let late = h.between(at("2026-12-04 17:00"), at("2026-12-07 10:00"));
        assert_eq!(late, Duration::hours(2));
    }

    #[test]
    fn the_desk_is_open_on_its_days_between_its_hours() {
        let h = WorkingHours::default();
        // Friday 2026-12-04.
        assert!(h.is_open(at("2026-12-04 09:00")));
        assert!(h.is_open(at("2026-12-04 18:00")));
        assert!(!h.is_open(at("2026-12-04 18:01")));
        assert!(!h.is_open(at("2026-12-04 08:59")));
        assert!(!h.is_open(at("2026-12-05 10:00")), "a Saturday");
    }

    #[test]
    fn presets_fall_in_working_time() {
        let h = WorkingHours::default();
        let thursday = at("2026-12-03 10:15");
        assert_eq!(h.due(Preset::InAnHour, thursday), at("2026-12-03 11:15"));
        assert_eq!(h.due(Preset::EndOfDay, thursday), at("2026-12-03 18:00"));
        assert_eq!(
            h.due(Preset::TomorrowMorning, thursday),
            at("2026-12-04 10:00")
        );
        let friday_night = at("2026-12-04 20:00");
        assert_eq!(
            h.due(Preset::EndOfDay, friday_night),
            at("2026-12-07 18:00")
        );
        assert_eq!(
            h.due(Preset::TomorrowMorning, friday_night),
            at("2026-12-07 10:00")
        );
    }

    #[test]
    fn holidays_are_closed_and_extra_days_open() {
        let h: WorkingHours = toml::from_str(
            "start = \"09:00\"\nend = \"18:00\"\ndays = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\"]\n\
             holidays = [2027-01-01, \"2027-01-04\", 2027-01-05, 2027-01-06, 2027-01-07, 2027-01-08]\n\
             extra_days = [\"2027-01-09\"]",
        )
        .unwrap();
        h.check().unwrap();
        assert!(!h.is_open(at("2027-01-04 10:00")), "a Monday off");
        assert!(h.is_open(at("2027-01-09 10:00")), "a Saturday worked");
        // A promise made on Thursday 31 December for the next morning: the first day worked.
        let eve = at("2026-12-31 16:00");
        assert_eq!(h.due(Preset::TomorrowMorning, eve), at("2027-01-09 10:00"));
        assert_eq!(h.add(eve, 180), at("2027-01-09 10:00"));
        // Nor is it late over the holidays.
        assert_eq!(
            h.between(at("2026-12-31 18:00"), at("2027-01-09 09:30")),
            Duration::minutes(30)
        );
        let both: WorkingHours = toml::from_str(
            "start = \"09:00\"\nend = \"18:00\"\ndays = [\"mon\"]\nholidays = [2027-01-04]\nextra_days = [2027-01-04]",
        )
        .unwrap();
        assert!(both.check().unwrap_err().contains("2027-01-04"));
        let bad = toml::from_str::<WorkingHours>(
            "start = \"09:00\"\nend = \"18:00\"\ndays = [\"mon\"]\nholidays = [\"1 января\"]",
        );
        assert!(bad.unwrap_err().to_string().contains("2027-01-01"));
    }

    #[test]
    fn hours_read_from_the_desk_settings() {
        let h: WorkingHours =
            toml::from_str("start = \"08:30\"\nend = \"17:00\"\ndays = [\"mon\", \"sat\"]")
                .unwrap();
        assert_eq!(h.days, [Weekday::Mon, Weekday::Sat]);
        assert!(
            toml::from_str::<WorkingHours>("start = \"8\"\nend = \"17:00\"\ndays = []").is_err()
        );
    }
}
