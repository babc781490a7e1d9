//! The promised callback («Мы Вам обязательно перезвоним»): one item per caller, owned by a
//! manager, due in the desk's working time ([`hours`]), chased until it is done or lost, with
//! every attempt counted. Pure: the store keeps callbacks, `actions::callbacks` changes them,
//! `jobs::notices` chases them.

pub mod hours;

use crate::calls::phone;
use crate::clock::Clock;
use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, NaiveTime, Timelike, Utc};
use serde::{Deserialize, Serialize};

/// A callback closed (done or lost) while a change to it was on its way: the change is not
/// recorded, so that two managers closing one callback at once leave one outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("callback {callback_id} is closed")]
pub struct CallbackClosed {
    /// The callback.
    pub callback_id: i64,
}

/// A callback handed to another owner while a change its owner decided was on its way: the
/// change is not recorded (the one who acted no longer holds it).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("callback {callback_id} is held by {owner:?} now")]
pub struct CallbackMoved {
    /// The callback.
    pub callback_id: i64,
    /// Who holds it now.
    pub owner: Option<String>,
}

/// Where a callback stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    /// Promised, not done yet.
    Open,
    /// The caller was reached.
    Done,
    /// Given up: refused, not a client, a wrong number.
    Lost,
}

impl State {
    /// The stored (and API) word.
    pub fn as_str(self) -> &'static str {
        match self {
            State::Open => "open",
            State::Done => "done",
            State::Lost => "lost",
        }
    }

    /// From the stored word.
    pub fn parse(word: &str) -> Option<State> {
        [State::Open, State::Done, State::Lost]
            .into_iter()
            .find(|s| s.as_str() == word)
    }
}

/// What came of an attempt (or what else happened to the callback).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Reached: done.
    Reached,
    /// No answer: tried again later.
    NoAnswer,
    /// Lost: given up, with a reason.
    Lost,
    /// Handed over to another manager.
    HandedOver,
    /// Its due time moved.
    Rescheduled,
    /// The caller called again and was helped on that call, at the desk («поговорили сейчас»):
    /// done, but nobody called back.
    TalkedAtDesk,
}

impl Outcome {
    /// The words a manager's attempt may have.
    pub const ATTEMPT_WORDS: &'static [&'static str] = &["reached", "no_answer", "lost"];

    /// The stored (and API) word.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Reached => "reached",
            Outcome::NoAnswer => "no_answer",
            Outcome::Lost => "lost",
            Outcome::HandedOver => "handed_over",
            Outcome::Rescheduled => "rescheduled",
            Outcome::TalkedAtDesk => "talked_at_desk",
        }
    }

    /// From the stored word.
    pub fn parse(word: &str) -> Option<Outcome> {
        [
            Outcome::Reached,
            Outcome::NoAnswer,
            Outcome::Lost,
            Outcome::HandedOver,
            Outcome::Rescheduled,
            Outcome::TalkedAtDesk,
        ]
        .into_iter()
        .find(|o| o.as_str() == word)
    }
}

/// Why a callback was given up.
pub const LOST_REASONS: &[&str] = &["refused", "not_a_client", "wrong_number", "other"];

/// Why a callback was lost when the card of the call that promised it stopped promising it
/// (not one a manager chooses).
pub const WITHDRAWN: &str = "withdrawn";

/// One attempt, or another change of a callback.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Attempt {
    /// When.
    pub at: DateTime<Utc>,
    /// Who (a login).
    pub by: String,
    /// What came of it.
    pub result: Outcome,
    /// What the manager wrote.
    pub note: Option<String>,
    /// Why it was lost; to whom it was handed over; when it is due after a reschedule or no
    /// answer (the desk's date and time, as shown).
    pub reason: Option<String>,
    /// When it is due after a reschedule or no answer, as a time (`None` for other attempts,
    /// and for ones recorded before this was kept).
    pub next_due: Option<DateTime<Utc>>,
    /// Whose it was before a hand-over (`""`: nobody's; `None`: not a hand-over, or one
    /// recorded before this was kept). The store records it as it hands the callback over;
    /// what is given here is not read.
    pub from: Option<String>,
}

/// A promised callback.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Callback {
    /// Its id.
    pub id: i64,
    /// The caller's phone or e-mail in normal form: one open callback per key.
    #[serde(skip)]
    pub caller_key: String,
    /// The caller's name.
    pub name: Option<String>,
    /// Their phone.
    pub phone: Option<String>,
    /// Their e-mail.
    pub email: Option<String>,
    /// Their company.
    pub company: Option<String>,
    /// The manager who owns it (a login); `None`: the desk's, unassigned.
    pub owner: Option<String>,
    /// When it is due.
    pub due: DateTime<Utc>,
    /// When it was promised for (`None`: as `due`): the first time, or the one it was moved to
    /// before that fell due; kept when it is moved once overdue, or after no answer.
    #[serde(skip)]
    pub promised_due: Option<DateTime<Utc>>,
    /// Where it stands.
    pub state: State,
    /// When it was promised.
    pub created_at: DateTime<Utc>,
    /// When it was done or lost.
    pub closed_at: Option<DateTime<Utc>>,
    /// Calls of the caller while it was open ("called again before we called back").
    pub called_again: i64,
    /// Calls of the caller the exchange reported missed while it was open.
    pub missed_calls: i64,
    /// When the owner first tried.
    pub first_attempt: Option<DateTime<Utc>>,
    /// Why it was lost.
    pub lost_reason: Option<String>,
    /// The note of its last attempt.
    pub note: Option<String>,
    /// The calls it came from, oldest first.
    pub call_ids: Vec<i64>,
    /// Its attempts and changes, oldest first.
    pub attempts: Vec<Attempt>,
}

impl Callback {
    /// Its owner now, when `call` is the call it was promised on and named another manager
    /// (it was handed over since): what lists show after that manager («Ольга → Михаил»).
    pub fn owner_since(&self, call: &crate::calls::Call) -> Option<&str> {
        self.owner.as_deref().filter(|o| {
            self.call_ids.first() == Some(&call.id) && call.manager.as_deref() != Some(*o)
        })
    }

    /// The callback as programs read it, the same in the API and in a webhook: its fields, the
    /// time promised, whether it is overdue at `now`, and the caller's details in `caller`.
    pub fn json(&self, now: DateTime<Utc>) -> serde_json::Value {
        serde_json::json!({
            "id": self.id,
            "call_ids": self.call_ids,
            "owner": self.owner,
            "due": self.due,
            // The time promised to the caller: done in time means first tried by it.
            "promised_due": self.promised_due.unwrap_or(self.due),
            "state": self.state.as_str(),
            // Done by the caller's own call, before anyone called back.
            "caller_called_first": self.caller_called_first(),
            "overdue": self.overdue(now),
            "created_at": self.created_at,
            "closed_at": self.closed_at,
            "first_attempt": self.first_attempt,
            "called_again": self.called_again,
            "missed_calls": self.missed_calls,
            "lost_reason": self.lost_reason,
            "note": self.note,
            "attempts": self.attempts,
            "caller": {"name": self.name, "phone": self.phone, "email": self.email, "company": self.company},
        })
    }

    /// Whether it is open and past due at `now`.
    pub fn overdue(&self, now: DateTime<Utc>) -> bool {
        self.state == State::Open && self.due < now
    }

    /// Whether it was done by the caller calling again and being helped at the desk before
    /// its owner made any attempt: nobody called back, in time or late.
    pub fn caller_called_first(&self) -> bool {
        self.state == State::Done
            && self.first_attempt.is_none()
            && self
                .attempts
                .iter()
                .any(|a| a.result == Outcome::TalkedAtDesk)
    }

    /// The manager who held it at `t` (a login; `None`: nobody), by its hand-overs. One
    /// handed over before whom it was handed from was kept is taken as its owner's now.
    pub fn owner_at(&self, t: DateTime<Utc>) -> Option<String> {
        let mut handed = self
            .attempts
            .iter()
            .filter(|a| a.result == Outcome::HandedOver)
            .peekable();
        let Some(first) = handed.peek() else {
            return self.owner.clone();
        };
        let mut owner = match first.from.as_deref() {
            Some("") => None,
            Some(from) => Some(from.to_string()),
            None => return self.owner.clone(),
        };
        for a in handed.take_while(|a| a.at <= t) {
            owner = a.reason.clone();
        }
        owner
    }

    /// Whether it was done in time (`None` while open or when lost): its owner first tried by
    /// the time promised to the caller (moved before it fell due, the new one). A later due
    /// time (after no answer, or moved once overdue) does not make a late first try timely; a
    /// caller who did not pick up at the promised time does not make a timely one late.
    ///
    /// One the caller closed by calling again before anyone tried it is neither (`None`): see
    /// [`Callback::caller_called_first`].
    pub fn in_time(&self) -> Option<bool> {
        let promised = self.promised_due.unwrap_or(self.due);
        (self.state == State::Done && !self.caller_called_first()).then(|| {
            self.first_attempt
                .or(self.closed_at)
                .is_some_and(|tried| tried <= promised)
        })
    }
}

/// The key of a caller for "one open callback per caller": their phone in normal form (any
/// format of the same number) or their e-mail in lowercase; `None` when neither is usable.
pub fn caller_key(phone_or_email: Option<&str>) -> Option<String> {
    phone_or_email.and_then(phone::normalize)
}

/// Whether a phone or e-mail, once the operator confirmed it, is a way to call back: an
/// e-mail, or a phone of at least 10 digits (with `+7`, ten after it).
pub fn reachable(phone_or_email: &str) -> bool {
    let digits = phone_or_email.chars().filter(char::is_ascii_digit).count();
    phone_or_email.contains('@')
        || if phone_or_email.trim_start().starts_with("+7") {
            digits == 11
        } else {
            digits >= 10
        }
}

/// Whether two due times are the same to the minute, as the desk shows and types them.
pub fn same_minute(a: DateTime<Utc>, b: DateTime<Utc>) -> bool {
    a.timestamp().div_euclid(60) == b.timestamp().div_euclid(60)
}

/// A due time as typed at the desk, a preset typed by its name («завтра утром», in the
/// desk's working `hours`), a day and a part of its working day («послезавтра утром»,
/// «17.12 после обеда», «вечером»), a while from now in working time («через 2 часа»), or an
/// hour alone («в 9», «в 7 вечера»: the next time it comes).
pub fn due_as_said(
    text: &str,
    clock: &Clock,
    hours: &hours::WorkingHours,
) -> Option<DateTime<Utc>> {
    let text = &as_written(text);
    parse_due(text, clock)
        .or_else(|| {
            let preset = crate::i18n::preset_named(text)?;
            Some(clock.from_local(hours.due(preset, clock.local(clock.now()))))
        })
        .or_else(|| said_day_and_part(text, clock, hours))
        .or_else(|| said_while(text, clock, hours))
        .or_else(|| said_hour_alone(text, clock))
}

/// A due time as English speakers write it, in the words the readers below take: an hour and
/// its part of the day apart (“10am” as “10 am”, “3:30pm” as “3:30 pm”), “noon” as 12:00, and
/// “next” before a day of the week left out (“next Monday” is the coming Monday).
fn as_written(text: &str) -> String {
    let lower = crate::text::normalize(text);
    let mut out: Vec<String> = Vec::new();
    for word in lower.split_whitespace() {
        let bare = word.trim_end_matches(',');
        if let Some((time, part)) = ["am", "pm", "a.m.", "p.m."]
            .iter()
            .find_map(|p| bare.strip_suffix(p).map(|t| (t, &p[..1])))
            .filter(|(t, _)| !t.is_empty() && said_time(t).is_some())
        {
            out.push(time.to_string());
            out.push(format!("{part}m"));
        } else if matches!(bare, "a.m." | "p.m.") {
            out.push(format!("{}m", &bare[..1]));
        } else if matches!(bare, "noon" | "midday") {
            out.push("12:00".to_string());
        } else {
            out.push(word.to_string());
        }
    }
    if let Some(at) = out.iter().position(|w| w == "next") {
        if out
            .get(at + 1)
            .is_some_and(|d| SAID_WEEKDAYS.iter().any(|(w, _)| w == d))
        {
            out.remove(at);
        }
    }
    out.join(" ")
}

/// The words for a while from now: «через 2 часа», «через 15 минут», «через полчаса»,
/// «через полтора часа», “in 2 hours”, “in half an hour”. Counted in the desk's working
/// `hours`, as the button «через час» counts its hour: an hour asked at closing time is the
/// next working day's first.
fn said_while(text: &str, clock: &Clock, hours: &hours::WorkingHours) -> Option<DateTime<Utc>> {
    let lower = crate::text::normalize(text);
    let lower = lower.trim_end_matches(['.', '!', ',', ' ']);
    let mut words = lower.split_whitespace();
    if !matches!(words.next()?, "через" | "in") {
        return None;
    }
    let rest: Vec<&str> = words.filter(|w| !matches!(*w, "a" | "an")).collect();
    let minutes = match rest.as_slice() {
        ["полчаса"] | ["half", "hour"] => 30,
        ["полтора", unit] if unit.starts_with("час") => 90,
        [unit] if *unit == "час" || *unit == "hour" => 60,
        [n, unit] => {
            let n: i64 = n.replace(',', ".").parse::<f64>().ok().map(|n| n * 60.0)? as i64;
            match unit {
                u if u.starts_with("час") || u.starts_with("hour") || *u == "ч" => n,
                u if u.starts_with("мин") || u.starts_with("min") => n / 60,
                _ => return None,
            }
        }
        _ => return None,
    };
    if !(1..=60 * 24 * 31).contains(&minutes) {
        return None;
    }
    let now = clock.local(clock.now());
    // To the minute, as the desk shows and types times.
    let due = hours.add(now, minutes);
    Some(clock.from_local(due.with_second(0)?.with_nanosecond(0)?))
}

/// «в 9», «в 15:30», «в 7 вечера», “at 9 pm”: an hour alone, after «в» or “at”: the next time it
/// comes (today's while it is ahead, else tomorrow's).
fn said_hour_alone(text: &str, clock: &Clock) -> Option<DateTime<Utc>> {
    let lower = crate::text::normalize(text);
    let lower = lower.trim_end_matches(['.', '!', ',', ' ']);
    let mut words = lower.split_whitespace().peekable();
    // “3 pm” needs no “at”: with its part of the day it can be nothing but an hour.
    let with_part =
        lower.split_whitespace().count() == 2 && (lower.ends_with(" am") || lower.ends_with(" pm"));
    if words
        .peek()
        .is_some_and(|w| matches!(*w, "в" | "во" | "at"))
    {
        words.next();
    } else if !with_part {
        return None;
    }
    let time = said_time(words.next()?)?;
    let time = match words.next() {
        Some(part) => of_the_day(time, part)?,
        None => time,
    };
    if words.next().is_some() {
        return None;
    }
    let now = clock.local(clock.now());
    let today = clock.today().and_time(time);
    let due = if today > now {
        today
    } else {
        today + chrono::Duration::days(1)
    };
    Some(clock.from_local(due))
}

/// An hour said with the part of the day it is in («7 вечера», «3 дня», «11 утра», «9 pm»): on
/// the 24-hour clock; `None` for a part that does not hold it («15 утра»).
fn of_the_day(time: NaiveTime, part: &str) -> Option<NaiveTime> {
    let h = time.hour();
    let afternoon = match part {
        "утра" | "am" => match h {
            12 => Some(0),
            1..=11 => Some(h),
            _ => None,
        },
        // «в 12 дня» is noon, «в 3 дня» three in the afternoon.
        "дня" => match h {
            12..=17 => Some(h),
            1..=5 => Some(h + 12),
            _ => None,
        },
        "вечера" | "pm" => match h {
            12 => Some(12),
            1..=11 => Some(h + 12),
            13..=23 => Some(h),
            _ => None,
        },
        "ночи" => match h {
            12 => Some(0),
            0..=4 => Some(h),
            9..=11 => Some(h + 12),
            _ => None,
        },
        _ => None,
    }?;
    time.with_hour(afternoon)
}

/// The parts of a working day said in words, in either language: an hour after it starts, its
/// middle, an hour before it ends (as the presets «завтра утром» and «до конца дня» read them).
#[derive(Clone, Copy)]
enum Part {
    Morning,
    Midday,
    Evening,
}

const SAID_PARTS: &[(&str, Part)] = &[
    ("утром", Part::Morning),
    ("с утра", Part::Morning),
    ("днём", Part::Midday),
    ("днем", Part::Midday),
    ("в обед", Part::Midday),
    ("после обеда", Part::Midday),
    ("вечером", Part::Evening),
    ("в конце дня", Part::Evening),
    ("morning", Part::Morning),
    ("in the morning", Part::Morning),
    ("afternoon", Part::Midday),
    ("in the afternoon", Part::Midday),
    ("evening", Part::Evening),
    ("in the evening", Part::Evening),
];

/// «послезавтра утром», «в среду после обеда», «17.12 после обеда», “Friday afternoon”: a
/// day said in words (as [`said_day_and_hour`] reads it) or a date («17.12», «17 декабря»), and
/// a part of the working day, in the desk's `hours`. A day of the week is the next one whose
/// time is still ahead. A day said alone («в пятницу», «17.12») is its morning, «завтра» the
/// next working morning (as its button); «сегодня» alone says no time. A part said alone
/// («вечером») is today's while it is ahead, else the next working day's.
fn said_day_and_part(
    text: &str,
    clock: &Clock,
    hours: &hours::WorkingHours,
) -> Option<DateTime<Utc>> {
    let lower = crate::text::normalize(text);
    let lower = lower.trim_end_matches(['.', '!', ',', ' ']);
    let lower = ["в ", "во ", "on "]
        .iter()
        .find_map(|p| lower.strip_prefix(p))
        .unwrap_or(lower);
    // The part of the day it ends with, the longest that fits, and the day before it.
    let said_part = SAID_PARTS
        .iter()
        .filter(|(w, _)| lower == *w || lower.ends_with(&format!(" {w}")))
        .max_by_key(|(w, _)| w.len());
    let (day, part) = match said_part {
        Some((w, part)) => (lower[..lower.len() - w.len()].trim_end(), *part),
        // «завтра» alone is the button «завтра утром»: the next working morning.
        None if matches!(lower, "завтра" | "tomorrow") => {
            let now = clock.local(clock.now());
            return Some(clock.from_local(hours.due(hours::Preset::TomorrowMorning, now)));
        }
        None if !matches!(lower, "сегодня" | "today") => (lower, Part::Morning),
        None => return None,
    };
    let time = match part {
        Part::Morning => hours.start + chrono::Duration::hours(1),
        Part::Midday => hours.start + (hours.end - hours.start) / 2,
        Part::Evening => hours.end - chrono::Duration::hours(1),
    };
    if day.is_empty() {
        let now = clock.local(clock.now());
        let today = clock.today().and_time(time);
        if today > now {
            return Some(clock.from_local(today));
        }
        let next = hours
            .next_working_day(clock.today() + chrono::Duration::days(1))
            .unwrap_or(clock.today() + chrono::Duration::days(1));
        return Some(clock.from_local(next.and_time(time)));
    }
    let day = day
        .strip_suffix(" в")
        .or_else(|| day.strip_suffix(" at"))
        .unwrap_or(day);
    said_day(day, time, clock).or_else(|| {
        let date = said_date(day, clock.today())?;
        Some(clock.from_local(date.and_time(time)))
    })
}

/// A date typed or said without its time: `17.12`, `17.12.2026`, «17 декабря», “17 December”.
fn said_date(text: &str, today: NaiveDate) -> Option<NaiveDate> {
    let words: Vec<&str> = text.split_whitespace().collect();
    match words.as_slice() {
        [day] => {
            let day = day.trim_end_matches('.');
            NaiveDate::parse_from_str(day, "%d.%m.%Y").ok().or_else(|| {
                let (d, m) = day.split_once('.')?;
                day_of_month(today, d.parse().ok()?, m.parse().ok()?)
            })
        }
        words => day_and_month(words, today),
    }
}

/// A month said in words: its name as after a day's number («декабря», “december”), or its
/// first three letters or more, with a dot or not («дек.», “Dec”, “Sept”).
fn month_named(word: &str) -> Option<u32> {
    let word = word.trim_end_matches('.');
    if word.chars().count() < 3 {
        return None;
    }
    let mut found = SAID_MONTHS.iter().filter(|(w, _)| w.starts_with(word));
    let (_, m) = found.next()?;
    found.all(|(_, other)| other == m).then_some(*m)
}

/// A day said with its month in words, either way round and with its year or not: «8 декабря»,
/// “8 Dec 2026”, “Dec 8”, as the English pages write a day.
fn day_and_month(words: &[&str], today: NaiveDate) -> Option<NaiveDate> {
    let (day, month, year) = match words {
        [a, b, ..] if a.parse::<u32>().is_ok() => (*a, *b, words.get(2)),
        [a, b, ..] => (*b, *a, words.get(2)),
        _ => return None,
    };
    let (d, m) = (day.parse().ok()?, month_named(month)?);
    match year {
        None => day_of_month(today, d, m),
        Some(y) if words.len() == 3 => NaiveDate::from_ymd_opt(y.parse().ok()?, m, d),
        Some(_) => None,
    }
}

/// The days said in words, in either language, and how many days ahead each is.
const SAID_DAYS: &[(&str, i64)] = &[
    ("сегодня", 0),
    ("today", 0),
    ("завтра", 1),
    ("tomorrow", 1),
    ("послезавтра", 2),
    // Read so that saving says the time is gone by, not that it is not a time.
    ("вчера", -1),
    ("yesterday", -1),
];

/// The days of the week said in words (as named, and after «в»), in either language.
const SAID_WEEKDAYS: &[(&str, chrono::Weekday)] = &[
    ("понедельник", chrono::Weekday::Mon),
    ("вторник", chrono::Weekday::Tue),
    ("среда", chrono::Weekday::Wed),
    ("среду", chrono::Weekday::Wed),
    ("четверг", chrono::Weekday::Thu),
    ("пятница", chrono::Weekday::Fri),
    ("пятницу", chrono::Weekday::Fri),
    ("суббота", chrono::Weekday::Sat),
    ("субботу", chrono::Weekday::Sat),
    ("воскресенье", chrono::Weekday::Sun),
    ("monday", chrono::Weekday::Mon),
    ("tuesday", chrono::Weekday::Tue),
    ("wednesday", chrono::Weekday::Wed),
    ("thursday", chrono::Weekday::Thu),
    ("friday", chrono::Weekday::Fri),
    ("saturday", chrono::Weekday::Sat),
    ("sunday", chrono::Weekday::Sun),
];

/// «завтра в 10», «сегодня 15:30», «в понедельник в 10», “tomorrow at 9”, “on Friday 15:00”: a
/// day said in words and an hour (with its minutes or not), at the desk. A day of the week is
/// the next one whose hour is still ahead (today's, if it is that day and the hour has not
/// come).
fn said_day_and_hour(text: &str, clock: &Clock) -> Option<DateTime<Utc>> {
    let lower = crate::text::normalize(text);
    let mut words = lower.split_whitespace().peekable();
    if words
        .peek()
        .is_some_and(|w| matches!(*w, "в" | "во" | "on"))
    {
        words.next();
    }
    let day = words.next()?;
    let mut time = words.next()?;
    if matches!(time, "в" | "at") {
        time = words.next()?;
    }
    let mut time = said_time(time)?;
    // «завтра в 11 утра», «в пятницу в 7 вечера».
    if let Some(part) = words.next() {
        time = of_the_day(time, part)?;
    }
    if words.next().is_some() {
        return None;
    }
    said_day(day, time, clock)
}

/// An hour said with its minutes or not: `10`, `9.30`, `15:30`.
fn said_time(time: &str) -> Option<NaiveTime> {
    match time.split_once([':', '.']) {
        Some((h, m)) => NaiveTime::from_hms_opt(h.parse().ok()?, m.parse().ok()?, 0),
        None => NaiveTime::from_hms_opt(time.parse().ok()?, 0, 0),
    }
}

/// The time `time` on a day said in words («завтра», «среду», “friday”); a day of the week is
/// the next one whose `time` is still ahead (today's, if it is that day and the time has not
/// come).
fn said_day(day: &str, time: NaiveTime, clock: &Clock) -> Option<DateTime<Utc>> {
    let said = SAID_DAYS.iter().find(|(w, _)| *w == day).map(|d| d.1);
    let weekday = SAID_WEEKDAYS.iter().find(|(w, _)| *w == day).map(|d| d.1);
    let today = clock.today();
    let day = match (said, weekday) {
        (Some(ahead), _) => today + chrono::Duration::days(ahead),
        (None, Some(weekday)) => {
            let now = clock.local(clock.now());
            (0..=7)
                .map(|n| today + chrono::Duration::days(n))
                .find(|d| d.weekday() == weekday && d.and_time(time) > now)?
        }
        (None, None) => return None,
    };
    Some(clock.from_local(day.and_time(time)))
}

/// The months said in words after a day's number («8 декабря», “8 December”), in either
/// language.
const SAID_MONTHS: &[(&str, u32)] = &[
    ("января", 1),
    ("февраля", 2),
    ("марта", 3),
    ("апреля", 4),
    ("мая", 5),
    ("июня", 6),
    ("июля", 7),
    ("августа", 8),
    ("сентября", 9),
    ("октября", 10),
    ("ноября", 11),
    ("декабря", 12),
    ("january", 1),
    ("february", 2),
    ("march", 3),
    ("april", 4),
    ("may", 5),
    ("june", 6),
    ("july", 7),
    ("august", 8),
    ("september", 9),
    ("october", 10),
    ("november", 11),
    ("december", 12),
];

/// A day and month with no year: this year's, or next year's when it is a month or more gone
/// by («12.01» said in December); a few days gone by is a slip, refused later as a time gone
/// by.
fn day_of_month(today: NaiveDate, d: u32, m: u32) -> Option<NaiveDate> {
    let date = NaiveDate::from_ymd_opt(today.year(), m, d)?;
    if (today - date).num_days() > 31 {
        return NaiveDate::from_ymd_opt(today.year() + 1, m, d);
    }
    Some(date)
}

/// What of a due time typed cannot be: [`no_such_moment`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoSuch {
    /// A day no calendar has, as typed («31.02», «32 декабря»).
    Date(String),
    /// An hour or minute no clock shows, as typed («25:00», «в 24»).
    Time(String),
}

/// Why a due time [`parse_due`] could not read is impossible rather than unreadable: a date of
/// a day and month (and year) in numbers or a month's word that no calendar has, or a time of
/// hours and minutes (or an hour after «в», “at”) past the clock's. `None` when neither is typed
/// (the words are simply none of the forms).
pub fn no_such_moment(text: &str, today: NaiveDate) -> Option<NoSuch> {
    let lower = crate::text::normalize(text);
    let words: Vec<&str> = lower.split_whitespace().collect();
    let number = |w: &str| -> Option<u32> {
        (!w.is_empty() && w.len() <= 4 && w.chars().all(|c| c.is_ascii_digit()))
            .then(|| w.parse().ok())
            .flatten()
    };
    // With no year, this year's or the next (as `day_of_month` reads it).
    let no_day = |d: u32, m: u32, y: Option<i32>| match y {
        Some(y) => NaiveDate::from_ymd_opt(y, m, d).is_none(),
        None => [today.year(), today.year() + 1]
            .iter()
            .all(|&y| NaiveDate::from_ymd_opt(y, m, d).is_none()),
    };
    for (i, word) in words.iter().enumerate() {
        let bare = word.trim_end_matches('.');
        // «31.02», «31.02.2027», «30.02.27».
        let parts: Vec<&str> = bare.split('.').collect();
        if let [d, m, rest @ ..] = parts.as_slice() {
            let year = match rest {
                [] => Some(None),
                [y] => number(y).map(|y| Some(if y < 100 { 2000 + y as i32 } else { y as i32 })),
                _ => None,
            };
            if let (Some(d), Some(m), Some(y)) = (number(d), number(m), year) {
                // A time written with a dot («9.30») is no date: it follows «в» or comes last.
                let a_time =
                    rest.is_empty() && (i > 0 && matches!(words[i - 1], "в" | "во" | "at"));
                if !a_time && no_day(d, m, y) {
                    return Some(NoSuch::Date(bare.to_string()));
                }
            }
        }
        // «31 февраля».
        if let (Some(d), Some(month)) = (number(bare), words.get(i + 1)) {
            if let Some((_, m)) = SAID_MONTHS.iter().find(|(w, _)| w == month) {
                if no_day(d, *m, None) {
                    return Some(NoSuch::Date(format!("{bare} {month}")));
                }
            }
        }
        // «25:00», «10:75», and an hour after «в»: «в 25», «в 24:30».
        let after_at = i > 0 && matches!(words[i - 1], "в" | "во" | "at");
        let clock = match bare.split_once([':', '.']) {
            Some((h, m)) if bare.contains(':') || after_at => number(h).zip(number(m)),
            Some(_) => None,
            None if after_at => number(bare).map(|h| (h, 0)),
            None => None,
        };
        if let Some((h, m)) = clock {
            if h > 23 || m > 59 {
                return Some(NoSuch::Time(bare.to_string()));
            }
        }
    }
    None
}

/// A due time as an operator types it, at the desk: «завтра в 10», `15:30` (the next time it
/// comes: today's, or tomorrow's once gone by), `04.12 10:00`,
/// `04.12.2026 10:00`, «04.12 в 15», «8 декабря 15:00», `2026-12-04T10:00` (a browser's), or a
/// full RFC 3339 time. `None` when it is none of these.
pub fn parse_due(text: &str, clock: &Clock) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if let Some(said) = said_day_and_hour(text, clock) {
        return Some(said);
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Some(t.with_timezone(&Utc));
    }
    let today = clock.today();
    let local = |naive: NaiveDateTime| Some(clock.from_local(naive));
    for format in [
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
        "%d.%m.%Y %H:%M",
        "%d.%m.%y %H:%M",
    ] {
        if let Ok(naive) = NaiveDateTime::parse_from_str(text, format) {
            return local(naive);
        }
    }
    // A date and a time, with «в» or “at” between them or not: «04.12 10:00», «04.12 в 15»,
    // «8 декабря 15:00», “8 December at 9.30”.
    // A comma between the day and the time, as the English pages write a moment, is a space.
    let mut lower = crate::text::normalize(text).replace(',', " ");
    // A date with an hour and its part of the day (“Dec 9 3 pm”): the hour on the 24-hour clock.
    if let Some((rest, part)) = lower.trim_end().rsplit_once(' ') {
        if let Some((date, hour)) = rest
            .trim_end()
            .rsplit_once(' ')
            .filter(|_| matches!(part, "am" | "pm"))
        {
            let time = of_the_day(said_time(hour)?, part)?;
            lower = format!("{date} {}", time.format("%H:%M"));
        }
    }
    let mut words: Vec<&str> = lower.split_whitespace().collect();
    let at = words.len() >= 3 && matches!(words[words.len() - 2], "в" | "во" | "at");
    if at {
        words.remove(words.len() - 2);
    }
    // A bare hour only after «в» or “at”: «04.12 10» is more likely a slip than ten o'clock.
    let time = |w: &str| {
        if at || w.contains(':') {
            said_time(w)
        } else {
            None
        }
    };
    match words.as_slice() {
        [day, hour] => {
            let day = day.trim_end_matches('.');
            let date = match NaiveDate::parse_from_str(day, "%d.%m.%Y") {
                Ok(date) => date,
                Err(_) => {
                    let (d, m) = day.split_once('.')?;
                    day_of_month(today, d.parse().ok()?, m.parse().ok()?)?
                }
            };
            local(date.and_time(time(hour)?))
        }
        [said @ .., hour] if (2..=3).contains(&said.len()) => {
            let date = day_and_month(said, today)?;
            local(date.and_time(time(hour)?))
        }
        // A time alone, as «в 15:30» is: the next time it comes (typed at 21:30, tomorrow's).
        _ => {
            let time = NaiveTime::parse_from_str(text, "%H:%M").ok()?;
            let due = today.and_time(time);
            if due > clock.local(clock.now()) {
                local(due)
            } else {
                local(due + chrono::Duration::days(1))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day_or_hour_that_cannot_be_is_told_apart_from_words_that_are_no_time() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
        let said = |t: &str| no_such_moment(t, today);
        let date = |s: &str| Some(NoSuch::Date(s.to_string()));
        let time = |s: &str| Some(NoSuch::Time(s.to_string()));
        assert_eq!(said("31.02 в 10"), date("31.02"));
        assert_eq!(said("30.02.2027 15:00"), date("30.02.2027"));
        assert_eq!(said("32.12"), date("32.12"));
        assert_eq!(said("12.13 в 10"), date("12.13"));
        assert_eq!(said("31 февраля в 10"), date("31 февраля"));
        assert_eq!(said("завтра в 25:00"), time("25:00"));
        assert_eq!(said("в 24"), time("24"));
        assert_eq!(said("04.12 10:75"), time("10:75"));
        assert_eq!(said("завтра в 9.75"), time("9.75"));
        // Days and times that are: nothing to say of them here.
        for fine in [
            "29.02.2028 10:00",
            "28 февраля в 10",
            "завтра в 9.30",
            "04.12 в 15",
            "31.12 23:59",
            "послезавтра",
            "когда-нибудь",
        ] {
            assert_eq!(said(fine), None, "{fine}");
        }
    }

    #[test]
    fn one_the_caller_closed_by_calling_again_is_told_so_not_as_called_back() {
        let at = |t: &str| DateTime::parse_from_rfc3339(t).unwrap().with_timezone(&Utc);
        let talked = Attempt {
            at: at("2026-12-03T09:00:00Z"),
            next_due: None,
            by: "anna".into(),
            result: Outcome::TalkedAtDesk,
            note: Some("call 2".into()),
            reason: None,
            from: None,
        };
        let mut c = Callback {
            id: 1,
            caller_key: "7".into(),
            name: Some("Ольга".into()),
            phone: None,
            email: None,
            company: None,
            owner: Some("mikhail".into()),
            due: at("2026-12-03T10:00:00Z"),
            promised_due: None,
            state: State::Done,
            created_at: at("2026-12-03T08:00:00Z"),
            closed_at: Some(talked.at),
            called_again: 1,
            missed_calls: 0,
            first_attempt: None,
            lost_reason: None,
            note: None,
            call_ids: vec![1, 2],
            attempts: vec![talked],
        };
        assert!(c.caller_called_first() && c.in_time().is_none());
        let zone = crate::clock::parse_zone(crate::clock::DEFAULT_TIME_ZONE).unwrap();
        let clock = crate::clock::Clock::new(zone);
        let (subject, _) = crate::i18n::RU.callback_notice("done", &c, &clock, None);
        assert!(subject.starts_with("Клиент позвонил сам"), "{subject}");
        // Its manager tried first (no answer), then the caller called: tried, so in time.
        c.first_attempt = Some(at("2026-12-03T08:30:00Z"));
        assert!(!c.caller_called_first());
        assert_eq!(c.in_time(), Some(true));
        let (subject, _) = crate::i18n::RU.callback_notice("done", &c, &clock, None);
        assert!(subject.starts_with("Перезвонили"), "{subject}");
    }

    #[test]
    fn who_held_a_callback_when_is_read_from_its_hand_overs() {
        let at = |t: &str| DateTime::parse_from_rfc3339(t).unwrap().with_timezone(&Utc);
        let handed = |when: &str, from: Option<&str>, to: Option<&str>| Attempt {
            at: at(when),
            next_due: None,
            by: "boss".into(),
            result: Outcome::HandedOver,
            note: None,
            reason: to.map(str::to_string),
            from: from.map(str::to_string),
        };
        let mut c = Callback {
            id: 1,
            caller_key: "7".into(),
            name: None,
            phone: None,
            email: None,
            company: None,
            owner: Some("lena".into()),
            due: at("2026-12-03T10:00:00Z"),
            promised_due: None,
            state: State::Done,
            created_at: at("2026-12-03T08:00:00Z"),
            closed_at: None,
            called_again: 0,
            missed_calls: 0,
            first_attempt: None,
            lost_reason: None,
            note: None,
            call_ids: vec![1],
            attempts: vec![],
        };
        assert_eq!(
            c.owner_at(at("2026-12-03T09:00:00Z")).as_deref(),
            Some("lena")
        );
        c.attempts = vec![
            handed("2026-12-03T11:00:00Z", Some("mikhail"), Some("lena")),
            handed("2026-12-03T12:00:00Z", Some("lena"), None),
        ];
        assert_eq!(
            c.owner_at(at("2026-12-03T10:00:00Z")).as_deref(),
            Some("mikhail")
        );
        assert_eq!(
            c.owner_at(at("2026-12-03T11:30:00Z")).as_deref(),
            Some("lena")
        );
        assert_eq!(c.owner_at(at("2026-12-03T13:00:00Z")), None);
        // Handed over before `from` was kept: its owner now.
        c.attempts = vec![handed("2026-12-03T11:00:00Z", None, Some("lena"))];
        assert_eq!(
            c.owner_at(at("2026-12-03T10:00:00Z")).as_deref(),
            Some("lena")
        );
    }

    #[test]
    fn the_same_number_in_any_format_is_one_caller() {
        assert_eq!(
            caller_key(Some("+7 495 123-45-67")),
            caller_key(Some("8 (495) 123 45 67"))
        );
        assert_eq!(
            caller_key(Some("Ivan@Romashka.ru")),
            caller_key(Some("ivan@romashka.ru"))
        );
        assert_eq!(caller_key(Some("12")), None);
        assert!(reachable("8 (495) 123 45 67") && reachable("a@b.ru"));
        assert!(!reachable("123-45"));
    }

    #[test]
    fn a_due_time_is_read_as_an_operator_types_it() {
        let zone = crate::clock::parse_zone("Europe/Moscow").unwrap();
        let now = DateTime::parse_from_rfc3339("2026-12-03T07:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let clock = Clock::fixed(zone, now);
        let at = |t: &str| DateTime::parse_from_rfc3339(t).unwrap().with_timezone(&Utc);
        assert_eq!(parse_due("15:30", &clock), Some(at("2026-12-03T12:30:00Z")));
        // Gone by today (10:00 in Moscow): tomorrow's, as «в 9» is.
        assert_eq!(parse_due("09:00", &clock), Some(at("2026-12-04T06:00:00Z")));
        assert_eq!(
            parse_due("04.12 10:00", &clock),
            Some(at("2026-12-04T07:00:00Z"))
        );
        assert_eq!(
            parse_due("04.12.2026 10:00", &clock),
            Some(at("2026-12-04T07:00:00Z"))
        );
        assert_eq!(
            parse_due("2026-12-04T10:00", &clock),
            Some(at("2026-12-04T07:00:00Z"))
        );
        assert_eq!(parse_due("завтра", &clock), None);
        // A day said in words, and an hour.
        assert_eq!(
            parse_due("завтра в 10", &clock),
            Some(at("2026-12-04T07:00:00Z"))
        );
        assert_eq!(
            parse_due("Сегодня 15:30", &clock),
            Some(at("2026-12-03T12:30:00Z"))
        );
        assert_eq!(
            parse_due("tomorrow at 9.30", &clock),
            Some(at("2026-12-04T06:30:00Z"))
        );
        assert_eq!(
            parse_due("послезавтра в 11", &clock),
            Some(at("2026-12-05T08:00:00Z"))
        );
        assert_eq!(parse_due("завтра в 25", &clock), None);
        // With the part of the day the hour is in.
        assert_eq!(
            parse_due("завтра в 10 утра", &clock),
            Some(at("2026-12-04T07:00:00Z"))
        );
        assert_eq!(
            parse_due("в пятницу в 7 вечера", &clock),
            Some(at("2026-12-04T16:00:00Z"))
        );
        assert_eq!(parse_due("завтра в 15 утра", &clock), None);
        // A day of the week (Thursday 10:00 at the desk now): the next one whose hour is ahead.
        assert_eq!(
            parse_due("в понедельник в 10", &clock),
            Some(at("2026-12-07T07:00:00Z"))
        );
        assert_eq!(
            parse_due("пятницу 9:30", &clock),
            Some(at("2026-12-04T06:30:00Z"))
        );
        assert_eq!(
            parse_due("четверг 15:00", &clock),
            Some(at("2026-12-03T12:00:00Z")),
            "today's, still ahead"
        );
        assert_eq!(
            parse_due("во вторник 9", &clock),
            Some(at("2026-12-08T06:00:00Z"))
        );
        assert_eq!(
            parse_due("четверг 9:00", &clock),
            Some(at("2026-12-10T06:00:00Z")),
            "today's is gone: next week's"
        );
        assert_eq!(
            parse_due("on Friday at 11", &clock),
            Some(at("2026-12-04T08:00:00Z"))
        );
        assert_eq!(parse_due("понедельник", &clock), None);
        // In December, January is next year's; yesterday stays yesterday (refused later).
        assert_eq!(
            parse_due("12.01 10:00", &clock),
            Some(at("2027-01-12T07:00:00Z"))
        );
        assert_eq!(
            parse_due("02.12 10:00", &clock),
            Some(at("2026-12-02T07:00:00Z"))
        );
        // A date with «в» before its hour, a month said in words.
        assert_eq!(
            parse_due("08.12 в 15:00", &clock),
            Some(at("2026-12-08T12:00:00Z"))
        );
        assert_eq!(
            parse_due("08.12 в 15", &clock),
            Some(at("2026-12-08T12:00:00Z"))
        );
        assert_eq!(parse_due("08.12 15", &clock), None, "a bare hour needs «в»");
        assert_eq!(
            parse_due("08.12.2026 в 15", &clock),
            Some(at("2026-12-08T12:00:00Z"))
        );
        assert_eq!(
            parse_due("8 декабря 15:00", &clock),
            Some(at("2026-12-08T12:00:00Z"))
        );
        assert_eq!(
            parse_due("12 января в 9.30", &clock),
            Some(at("2027-01-12T06:30:00Z"))
        );
        assert_eq!(
            parse_due("8 December at 15:00", &clock),
            Some(at("2026-12-08T12:00:00Z"))
        );
        // As the English pages write a moment, and months cut short, either way round.
        let eighth_at = at("2026-12-08T12:00:00Z");
        let eighth = Some(eighth_at);
        for typed in [
            "8 Dec 2026, 15:00",
            "8 Dec, 15:00",
            "Dec 8 15:00",
            "dec 8, 2026 at 15:00",
            "8 дек. 15:00",
            "8 дек 2026 в 15",
        ] {
            assert_eq!(parse_due(typed, &clock), eighth, "{typed}");
        }
        let shown = crate::i18n::EN.moment(clock.local(eighth_at));
        assert_eq!(parse_due(&shown, &clock), eighth, "{shown}");
        assert_eq!(parse_due("8 Ju 15:00", &clock), None, "June or July");
        assert_eq!(parse_due("8 Dec 2026 15:00 extra", &clock), None);
        assert_eq!(parse_due("8 декабрь 15:00", &clock), None);
        assert_eq!(parse_due("31 ноября 10:00", &clock), None);
    }

    #[test]
    fn a_day_and_a_part_of_its_working_day_are_read_in_the_desks_hours() {
        let zone = crate::clock::parse_zone("Europe/Moscow").unwrap();
        // Thursday 3 December, 10:00 at the desk; it works 09:00 to 18:00 on weekdays.
        let now = DateTime::parse_from_rfc3339("2026-12-03T07:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let clock = Clock::fixed(zone, now);
        let hours = hours::WorkingHours::default();
        let at = |t: &str| DateTime::parse_from_rfc3339(t).unwrap().with_timezone(&Utc);
        let said = |text: &str| due_as_said(text, &clock, &hours);
        assert_eq!(said("послезавтра утром"), Some(at("2026-12-05T07:00:00Z")));
        assert_eq!(
            said("в среду после обеда"),
            Some(at("2026-12-09T10:30:00Z"))
        );
        assert_eq!(said("Сегодня вечером."), Some(at("2026-12-03T14:00:00Z")));
        assert_eq!(said("friday afternoon"), Some(at("2026-12-04T10:30:00Z")));
        // The button's name keeps the button's meaning: the next working day's morning.
        assert_eq!(said("завтра утром"), Some(at("2026-12-04T07:00:00Z")));
        assert_eq!(said("послезавтра ночью"), None);
        // A part alone: today's while ahead (it is 10:00, the morning's hour), else the next
        // working day's.
        assert_eq!(said("вечером"), Some(at("2026-12-03T14:00:00Z")));
        assert_eq!(said("утром"), Some(at("2026-12-04T07:00:00Z")));
        // A date alone is its morning; with a part, that part.
        assert_eq!(said("17.12"), Some(at("2026-12-17T07:00:00Z")));
        assert_eq!(
            said("17 декабря после обеда"),
            Some(at("2026-12-17T10:30:00Z"))
        );
        assert_eq!(said("17.13"), None);
        // A day said alone is its morning; today alone says no time.
        assert_eq!(said("в пятницу"), Some(at("2026-12-04T07:00:00Z")));
        assert_eq!(said("понедельник"), Some(at("2026-12-07T07:00:00Z")));
        assert_eq!(said("послезавтра"), Some(at("2026-12-05T07:00:00Z")));
        assert_eq!(said("сегодня"), None);
        assert_eq!(said("завтра"), Some(at("2026-12-04T07:00:00Z")));
        // On a Friday, «завтра» alone is Monday's morning, as the button «завтра утром».
        let friday = Clock::fixed(zone, at("2026-12-04T07:00:00Z"));
        assert_eq!(
            due_as_said("завтра", &friday, &hours),
            Some(at("2026-12-07T07:00:00Z"))
        );
        // Yesterday is read, so that it is refused as gone by.
        assert_eq!(said("вчера в 10"), Some(at("2026-12-02T07:00:00Z")));
    }

    #[test]
    fn a_while_from_now_and_an_hour_alone_are_read_as_said() {
        let zone = crate::clock::parse_zone("Europe/Moscow").unwrap();
        // Thursday 3 December, 10:00 at the desk; it works 09:00 to 18:00 on weekdays.
        let at = |t: &str| DateTime::parse_from_rfc3339(t).unwrap().with_timezone(&Utc);
        let clock = Clock::fixed(zone, at("2026-12-03T07:00:00Z"));
        let hours = hours::WorkingHours::default();
        let said = |text: &str| due_as_said(text, &clock, &hours);
        // As English speakers write times: the part of the day joined to the hour, noon,
        // “next” before a weekday.
        for (typed, due) in [
            ("tomorrow 10am", "2026-12-04T07:00:00Z"),
            ("tomorrow at 3pm", "2026-12-04T12:00:00Z"),
            ("3pm", "2026-12-03T12:00:00Z"),
            ("3 pm", "2026-12-03T12:00:00Z"),
            ("at 9:30 a.m.", "2026-12-04T06:30:00Z"),
            ("noon", "2026-12-03T09:00:00Z"),
            ("tomorrow at noon", "2026-12-04T09:00:00Z"),
            ("friday 2pm", "2026-12-04T11:00:00Z"),
            ("next Monday 11:00", "2026-12-07T08:00:00Z"),
            ("Dec 9 3pm", "2026-12-09T12:00:00Z"),
            ("9 Dec, 3:30pm", "2026-12-09T12:30:00Z"),
            ("17 Dec at 3:30 pm", "2026-12-17T12:30:00Z"),
        ] {
            assert_eq!(said(typed), Some(at(due)), "{typed}");
        }
        for wrong in ["25pm", "pm", "next 10:00", "3 pm today please"] {
            assert_eq!(said(wrong), None, "{wrong}");
        }
        assert_eq!(said("через 2 часа"), Some(at("2026-12-03T09:00:00Z")));
        assert_eq!(said("Через полчаса"), Some(at("2026-12-03T07:30:00Z")));
        assert_eq!(said("через полтора часа"), Some(at("2026-12-03T08:30:00Z")));
        assert_eq!(said("через 15 минут"), Some(at("2026-12-03T07:15:00Z")));
        assert_eq!(said("in 2 hours"), Some(at("2026-12-03T09:00:00Z")));
        assert_eq!(said("in half an hour"), Some(at("2026-12-03T07:30:00Z")));
        assert_eq!(said("через 2 слона"), None);
        assert_eq!(said("через 0 минут"), None);
        // Counted in working time, as the button «через час»: at 17:30, two hours are
        // Friday's 10:30.
        let late = Clock::fixed(zone, at("2026-12-03T14:30:00Z"));
        assert_eq!(
            due_as_said("через 2 часа", &late, &hours),
            Some(at("2026-12-04T07:30:00Z"))
        );
        // An hour alone: the next time it comes.
        assert_eq!(said("в 9"), Some(at("2026-12-04T06:00:00Z")));
        assert_eq!(said("в 15:30"), Some(at("2026-12-03T12:30:00Z")));
        assert_eq!(said("в 7 вечера"), Some(at("2026-12-03T16:00:00Z")));
        assert_eq!(said("в 3 дня"), Some(at("2026-12-03T12:00:00Z")));
        assert_eq!(said("at 9 pm"), Some(at("2026-12-03T18:00:00Z")));
        assert_eq!(said("в 25"), None);
        assert_eq!(said("9"), None, "a bare number is no hour");
    }
}
