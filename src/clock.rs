//! The desk's one clock: what time it is, and how that time reads in the desk's time zone.
//!
//! Calls are stored in UTC; "today", the bounds of a day, ISO weeks and every time shown on a
//! page are in the desk's own zone (`--time-zone`, an IANA name, `Europe/Moscow` by default), not
//! the machine's, so that a server in another zone or a container in UTC still counts the desk's
//! days. Tests use [`Clock::fixed`]. No other module reads the system clock's zone.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

/// The desk time zone unless told otherwise.
pub const DEFAULT_TIME_ZONE: &str = "Europe/Moscow";

/// Parses an IANA time zone name, with a message that says what is expected.
pub fn parse_zone(name: &str) -> Result<Tz, String> {
    name.trim().parse::<Tz>().map_err(|_| {
        format!("unknown time zone `{name}`: give an IANA name such as Europe/Moscow or Asia/Yekaterinburg")
    })
}

/// What time it is, and the desk's time zone.
#[derive(Debug, Clone, Copy)]
pub struct Clock {
    zone: Tz,
    fixed: Option<DateTime<Utc>>,
}

impl Clock {
    /// The system clock, read in `zone`.
    pub fn new(zone: Tz) -> Clock {
        Clock { zone, fixed: None }
    }

    /// A clock that always says `now`: for tests.
    pub fn fixed(zone: Tz, now: DateTime<Utc>) -> Clock {
        Clock {
            zone,
            fixed: Some(now),
        }
    }

    /// The desk's time zone.
    pub fn zone(&self) -> Tz {
        self.zone
    }

    /// Now.
    pub fn now(&self) -> DateTime<Utc> {
        self.fixed.unwrap_or_else(Utc::now)
    }

    /// Today's date at the desk.
    pub fn today(&self) -> NaiveDate {
        self.date_of(self.now())
    }

    /// The desk's date of a moment.
    pub fn date_of(&self, time: DateTime<Utc>) -> NaiveDate {
        time.with_timezone(&self.zone).date_naive()
    }

    /// The moment a desk day begins (its first existing minute, should a clock change skip
    /// midnight).
    pub fn day_start(&self, date: NaiveDate) -> DateTime<Utc> {
        let midnight = date.and_hms_opt(0, 0, 0).expect("midnight exists");
        self.from_local(midnight)
    }

    /// The moments `[start, end)` of the desk days `from..=to`; `None` past the calendar's end.
    pub fn days(&self, from: NaiveDate, to: NaiveDate) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
        Some((self.day_start(from), self.day_start(to.succ_opt()?)))
    }

    /// A wall-clock time at the desk as a moment; a time skipped by a clock change counts as
    /// the first one after it.
    pub fn from_local(&self, naive: NaiveDateTime) -> DateTime<Utc> {
        match self.zone.from_local_datetime(&naive).earliest() {
            Some(t) => t.with_timezone(&Utc),
            // In a gap (spring forward): an hour later exists.
            None => self
                .zone
                .from_local_datetime(&(naive + Duration::hours(1)))
                .earliest()
                .map_or_else(|| naive.and_utc(), |t| t.with_timezone(&Utc)),
        }
    }

    /// A moment as the desk's wall clock reads it.
    pub fn local(&self, time: DateTime<Utc>) -> NaiveDateTime {
        time.with_timezone(&self.zone).naive_local()
    }

    /// `14:05`.
    pub fn time_text(&self, time: DateTime<Utc>) -> String {
        self.local(time).format("%H:%M").to_string()
    }

    /// `28.11.2026 14:05`.
    pub fn date_time_text(&self, time: DateTime<Utc>) -> String {
        self.local(time).format("%d.%m.%Y %H:%M").to_string()
    }

    /// `2026-11-28T14:05`, the value of an `<input type="datetime-local">`.
    pub fn input_text(&self, time: DateTime<Utc>) -> String {
        self.local(time).format("%Y-%m-%dT%H:%M").to_string()
    }
}

/// The ISO week of a date as `2026-W47`; the week of 2027-01-01 is `2026-W53`.
pub fn iso_week(date: NaiveDate) -> String {
    let week = date.iso_week();
    format!("{}-W{:02}", week.year(), week.week())
}

/// The Monday that starts the ISO week of `date`.
pub fn week_monday(date: NaiveDate) -> NaiveDate {
    date - Duration::days(i64::from(date.weekday().num_days_from_monday()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn moscow() -> Tz {
        parse_zone("Europe/Moscow").unwrap()
    }

    fn utc(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn today_is_the_desks_day_not_utcs() {
        // 22:30 UTC is already the next day in Moscow (UTC+3).
        let clock = Clock::fixed(moscow(), utc("2026-11-28T22:30:00Z"));
        assert_eq!(clock.today(), date(2026, 11, 29));
        assert_eq!(clock.time_text(clock.now()), "01:30");
    }

    #[test]
    fn a_desk_day_is_bounded_by_its_own_midnights() {
        let clock = Clock::fixed(moscow(), utc("2026-11-28T12:00:00Z"));
        let (start, end) = clock.days(date(2026, 11, 28), date(2026, 11, 28)).unwrap();
        assert_eq!(start, utc("2026-11-27T21:00:00Z"));
        assert_eq!(end, utc("2026-11-28T21:00:00Z"));
    }

    #[test]
    fn days_across_a_clock_change_keep_their_length_in_local_time() {
        let berlin = parse_zone("Europe/Berlin").unwrap();
        let clock = Clock::new(berlin);
        // Berlin left summer time on 2026-10-25: that day had 25 hours.
        let (start, end) = clock.days(date(2026, 10, 25), date(2026, 10, 25)).unwrap();
        assert_eq!((end - start).num_hours(), 25);
        // 02:30 on 2026-03-29 does not exist there; it counts as 03:30.
        let skipped = NaiveDate::from_ymd_opt(2026, 3, 29)
            .unwrap()
            .and_hms_opt(2, 30, 0)
            .unwrap();
        assert_eq!(clock.from_local(skipped), utc("2026-03-29T01:30:00Z"));
    }

    #[test]
    fn iso_weeks_cross_the_new_year() {
        assert_eq!(iso_week(date(2026, 11, 23)), "2026-W48");
        assert_eq!(iso_week(date(2027, 1, 1)), "2026-W53");
        assert_eq!(iso_week(date(2027, 1, 4)), "2027-W01");
        assert_eq!(iso_week(date(2025, 12, 29)), "2026-W01");
        assert_eq!(week_monday(date(2027, 1, 3)), date(2026, 12, 28));
    }

    #[test]
    fn a_bad_zone_name_says_what_is_expected() {
        let error = parse_zone("Moscow/Europe").unwrap_err();
        assert!(error.contains("IANA"), "{error}");
        assert!(parse_zone("Asia/Yekaterinburg").is_ok());
    }
}
