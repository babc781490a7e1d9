//! What the reports read: questions and calls counted per desk day, kept up to date from the
//! hours that triggers mark as changed (`report_stale`, `desk_stale`), and the log of searches.
//!
//! Counting a million questions for every report would be slow; counting one changed day again
//! is quick. So triggers note the UTC hour of every question or call that was added, changed or
//! removed, whoever did it, and [`Store::refresh_reports`] recounts the desk days those hours
//! fall in, a few days per transaction so that the desk never waits long. The tables hold the
//! time zone they were counted in; another zone counts everything again.

use super::{stamp, write, Store};
use crate::calls::CallKind;
use crate::clock::Clock;
use anyhow::{Context, Result};
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use rusqlite::{params, OptionalExtension, Transaction};
use std::collections::BTreeSet;
use std::time::{Duration, Instant};

/// Changed hours read per transaction of a refresh. Each hour's day is counted again whole, and
/// an imported history's hours fall on as many days as hours: a step of 96 held the database
/// up to half a second while the desk wrote beside an import, one of 12 about 130 ms.
const HOURS_PER_STEP: usize = 4;

/// The longest search kept in the log, in characters.
pub const MAX_SEARCH_CHARS: usize = 200;

/// How a question came to be counted under its row of the questions report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CountedAs {
    /// Someone linked it to the answer (an operator, an editor's link of its group, an import).
    Linked,
    /// The grouping matched it to the answer, nobody linking it.
    Matched,
    /// It waits in its group.
    Grouped,
}

/// A question behind a row of the questions report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Behind {
    /// The question.
    pub question: i64,
    /// The caller's words.
    pub text: String,
    /// When it was asked.
    pub asked_at: DateTime<Utc>,
    /// Its call.
    pub call: i64,
    /// The call's kind.
    pub kind: CallKind,
    /// How it is counted there.
    pub how: CountedAs,
}

/// An open group and the phrasing that stands for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupTitle {
    /// The group.
    pub id: crate::grouping::GroupId,
    /// Its phrasing.
    pub title: String,
}

/// What was done with a search's results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Chosen {
    /// The question was logged with no result chosen.
    Logged,
    /// A result was opened.
    Opened,
    /// A result was linked to the question.
    Linked,
}

impl Chosen {
    /// The stored (and API) name.
    pub fn as_str(self) -> &'static str {
        match self {
            Chosen::Logged => "logged",
            Chosen::Opened => "opened",
            Chosen::Linked => "linked",
        }
    }

    /// From the stored (and API) name.
    pub fn parse(s: &str) -> Option<Chosen> {
        match s {
            "logged" => Some(Chosen::Logged),
            "opened" => Some(Chosen::Opened),
            "linked" => Some(Chosen::Linked),
            _ => None,
        }
    }
}

/// The question's typical question: its answer (linked, or matched by the grouping), else its
/// group; `NULL` when it has neither.
const KEY: &str = "CASE WHEN COALESCE(q.answer, q.matched) IS NOT NULL \
                   THEN 'answer:' || COALESCE(q.answer, q.matched) \
                   WHEN q.group_id IS NOT NULL THEN 'group:' || q.group_id END";

/// The calls of one desk day taken by one operator, counted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeskDay {
    /// The desk day.
    pub day: NaiveDate,
    /// Who took them (empty: nobody recorded).
    pub operator: String,
    /// The manager they were given to (empty: none).
    pub manager: String,
    /// Calls nobody answered (missed, as the phone exchange told), kept for their callback.
    pub unanswered: bool,
    /// Calls.
    pub calls: u64,
    /// Of which primary.
    pub primary: u64,
    /// Of which from potential clients: marked so, with something recorded (a card started and
    /// left empty is no client, lost or won), not ended «Не клиент».
    pub potential: u64,
    /// Potential-client calls with a contact captured: a phone (10 digits or more) or an
    /// e-mail the operator confirmed.
    pub contacts: u64,
    /// Potential-client calls whose number is known only as the exchange sent it.
    pub numbers_known: u64,
}

/// Questions of one typical question in a period, on calls of one kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyCount {
    /// The calls' kind.
    pub kind: CallKind,
    /// `answer:<slug>` or `group:<id>`.
    pub key: String,
    /// Questions.
    pub count: u64,
}

/// Questions of one typical question in one ISO week of a period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyWeek {
    /// `2026-W47`.
    pub week: String,
    /// `answer:<slug>` or `group:<id>`.
    pub key: String,
    /// Questions.
    pub count: u64,
}

/// A search and how often it was run.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SearchCount {
    /// The words searched (normalised).
    pub query: String,
    /// Times.
    pub count: u64,
}

impl Store {
    /// Brings the day tables up to date with every change since the last refresh, counting days
    /// in the clock's time zone; returns how many desk days were counted again.
    pub fn refresh_reports(&self, clock: &Clock) -> Result<usize> {
        self.refresh_reports_while(clock, &|| true, false)
    }

    /// [`Store::refresh_reports`], a step at a time while `go_on` says so (the report-counts
    /// job gives up when the server stops; the rest is counted later). As many hours as were
    /// changed when it started, at most: an import beside the server changes hours all over its
    /// history slice after slice, and chasing them counted the same days again and again while
    /// the desk waited for the database. Beside the desk (`beside_desk`), it leaves the database
    /// to the desk between two steps for as long as the step held it.
    pub fn refresh_reports_while(
        &self,
        clock: &Clock,
        go_on: &dyn Fn() -> bool,
        beside_desk: bool,
    ) -> Result<usize> {
        self.recount_if_zone_changed(clock)?;
        let mut budget: i64 = self.read().query_row(
            "SELECT (SELECT COUNT(*) FROM report_stale) + (SELECT COUNT(*) FROM desk_stale)",
            [],
            |r| r.get(0),
        )?;
        let mut recounted = 0;
        let mut held = Duration::ZERO;
        loop {
            if !go_on() || budget <= 0 {
                return Ok(recounted);
            }
            if beside_desk {
                std::thread::sleep(held);
            }
            let mut conn = self.lock();
            let tx = write(&mut conn)?;
            let got = Instant::now();
            let questions = stale_hours(&tx, "report_stale")?;
            let calls = stale_hours(&tx, "desk_stale")?;
            if questions.is_empty() && calls.is_empty() {
                return Ok(recounted);
            }
            budget -= (questions.len() + calls.len()) as i64;
            let days = days_of(clock, &questions);
            let mut weeks = BTreeSet::new();
            for &day in &days {
                recount_questions(&tx, clock, day)?;
                weeks.insert(crate::clock::week_monday(day));
            }
            for monday in weeks {
                recount_week(&tx, monday)?;
            }
            let call_days = days_of(clock, &calls);
            for &day in &call_days {
                recount_calls(&tx, clock, day)?;
            }
            // A day counted for its questions and its calls is one day counted.
            recounted += days.union(&call_days).count();
            forget_hours(&tx, "report_stale", &questions)?;
            forget_hours(&tx, "desk_stale", &calls)?;
            tx.commit().context("saving report counts")?;
            held = got.elapsed();
        }
    }

    /// Whether a refresh has anything to count.
    pub fn reports_stale(&self) -> Result<bool> {
        let conn = self.lock();
        let stale: bool = conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM report_stale) OR EXISTS (SELECT 1 FROM desk_stale)",
            [],
            |r| r.get(0),
        )?;
        Ok(stale)
    }

    fn recount_if_zone_changed(&self, clock: &Clock) -> Result<()> {
        let zone = clock.zone().name();
        let mut conn = self.lock();
        let counted: Option<String> = conn
            .query_row("SELECT zone FROM report_zone", [], |r| r.get(0))
            .optional()?;
        if counted.as_deref() == Some(zone) {
            return Ok(());
        }
        let tx = write(&mut conn)?;
        tx.execute_batch(
            "DELETE FROM report_zone;
             DELETE FROM report_days;
             DELETE FROM report_weeks;
             DELETE FROM desk_days;
             INSERT OR IGNORE INTO report_stale SELECT DISTINCT substr(asked_at, 1, 13) FROM questions;
             INSERT OR IGNORE INTO desk_stale SELECT DISTINCT substr(started_at, 1, 13) FROM calls;",
        )?;
        tx.execute("INSERT INTO report_zone (zone) VALUES (?1)", [zone])?;
        tx.commit()
            .context("starting a recount in another time zone")?;
        Ok(())
    }

    /// Questions per kind and typical question on the days `from..=to` (calls of `kind` only,
    /// when given), as last refreshed.
    pub fn question_totals(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        kind: Option<CallKind>,
    ) -> Result<Vec<KeyCount>> {
        let split = Split::of(from, to);
        let conn = self.read();
        let mut select = conn.prepare_cached(
            "SELECT kind, key, SUM(n) FROM (
                 SELECT kind, key, n FROM report_weeks WHERE monday BETWEEN ?1 AND ?2
                 UNION ALL
                 SELECT kind, key, n FROM report_days
                 WHERE day BETWEEN ?3 AND ?4 OR day BETWEEN ?5 AND ?6)
             WHERE ?7 IS NULL OR kind = ?7
             GROUP BY kind, key",
        )?;
        let rows = select
            .query_map(split.params(kind), |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, i64>(2)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()
            .context("reading question counts")?;
        Ok(rows
            .into_iter()
            .filter_map(|(kind, key, n)| {
                Some(KeyCount {
                    kind: CallKind::parse(&kind)?,
                    key,
                    count: n.max(0) as u64,
                })
            })
            .collect())
    }

    /// The questions a row of the questions report counts: asked from `start` to `end`,
    /// counted under `key` (`answer:<slug>` or `group:<id>`), on calls of `kind` when given;
    /// newest first, at most `limit`. Read from the questions themselves, as they stand now.
    pub fn questions_behind(
        &self,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
        key: &str,
        kind: Option<CallKind>,
        limit: usize,
    ) -> Result<Vec<Behind>> {
        let conn = self.read();
        let mut select = conn.prepare_cached(&format!(
            "SELECT q.id, q.text, q.asked_at, q.call_id, c.kind,
                    CASE WHEN q.answer IS NOT NULL THEN 'linked'
                         WHEN q.matched IS NOT NULL THEN 'matched' ELSE 'grouped' END
             FROM questions q JOIN calls c ON c.id = q.call_id
             WHERE q.asked_at >= ?1 AND q.asked_at < ?2 AND {KEY} = ?3
               AND (?4 IS NULL OR c.kind = ?4)
             ORDER BY q.asked_at DESC, q.id DESC LIMIT ?5"
        ))?;
        let rows = select
            .query_map(
                params![
                    stamp(start),
                    stamp(end),
                    key,
                    kind.map(CallKind::as_str),
                    super::sql_limit(limit)
                ],
                |r| {
                    Ok(Behind {
                        question: r.get(0)?,
                        text: r.get(1)?,
                        asked_at: super::rows::parse_stamp(2, r.get(2)?)?,
                        call: r.get(3)?,
                        kind: super::rows::kind_at(r, 4)?,
                        how: match r.get::<_, String>(5)?.as_str() {
                            "linked" => CountedAs::Linked,
                            "matched" => CountedAs::Matched,
                            _ => CountedAs::Grouped,
                        },
                    })
                },
            )?
            .collect::<rusqlite::Result<Vec<_>>>()
            .context("reading the questions behind a report row")?;
        Ok(rows)
    }

    /// Questions per ISO week and typical question on the days `from..=to` (calls of `kind`
    /// only, when given), as last refreshed; a week at an edge counts only its days inside.
    pub fn question_weeks(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        kind: Option<CallKind>,
    ) -> Result<Vec<KeyWeek>> {
        let split = Split::of(from, to);
        let conn = self.read();
        let mut select = conn.prepare_cached(
            "SELECT week, key, SUM(n) FROM report_weeks
             WHERE monday BETWEEN ?1 AND ?2 AND (?7 IS NULL OR kind = ?7)
             GROUP BY week, key
             UNION ALL
             SELECT day, key, SUM(n) FROM report_days
             WHERE (day BETWEEN ?3 AND ?4 OR day BETWEEN ?5 AND ?6) AND (?7 IS NULL OR kind = ?7)
             GROUP BY day, key",
        )?;
        let rows = select
            .query_map(split.params(kind), |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, i64>(2)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()
            .context("reading question counts per week")?;
        Ok(rows
            .into_iter()
            .map(|(when, key, n)| {
                // An edge day's row carries its date; a week's, its name.
                let week = match NaiveDate::parse_from_str(&when, "%Y-%m-%d") {
                    Ok(day) => crate::clock::iso_week(day),
                    Err(_) => when,
                };
                KeyWeek {
                    week,
                    key,
                    count: n.max(0) as u64,
                }
            })
            .collect())
    }

    /// Calls per day and operator, for the days `from..=to` as last refreshed.
    pub fn desk_days(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<DeskDay>> {
        let conn = self.read();
        let mut select = conn.prepare_cached(
            "SELECT day, operator, calls, primary_calls, potential, contacts, manager, numbers_known,
                    unanswered
             FROM desk_days WHERE day BETWEEN ?1 AND ?2",
        )?;
        let rows = select
            .query_map(params![from.to_string(), to.to_string()], |r| {
                let n = |i: usize| r.get::<_, i64>(i).map(|v| v.max(0) as u64);
                Ok((
                    r.get::<_, String>(0)?,
                    DeskDay {
                        day: NaiveDate::MIN,
                        operator: r.get(1)?,
                        manager: r.get(6)?,
                        numbers_known: n(7)?,
                        unanswered: r.get(8)?,
                        calls: n(2)?,
                        primary: n(3)?,
                        potential: n(4)?,
                        contacts: n(5)?,
                    },
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()
            .context("reading call counts")?;
        Ok(rows
            .into_iter()
            .filter_map(|(day, d)| {
                Some(DeskDay {
                    day: NaiveDate::parse_from_str(&day, "%Y-%m-%d").ok()?,
                    ..d
                })
            })
            .collect())
    }

    /// Logs a search as it stood (normalised by the caller): whether it found anything, and
    /// what was done with it; returns its id. `refined`: a pause in typing this search went on
    /// from, which no longer counts on its own (removed, if nothing was chosen on it).
    pub fn log_search(
        &self,
        query: &str,
        found: bool,
        chosen: Option<Chosen>,
        at: DateTime<Utc>,
        refined: Option<i64>,
    ) -> Result<i64> {
        let mut conn = self.lock();
        let tx = write(&mut conn)?;
        if let Some(id) = refined {
            tx.prepare_cached("DELETE FROM search_log WHERE id = ?1 AND chosen IS NULL")?
                .execute([id])
                .context("forgetting a refined search")?;
        }
        tx.prepare_cached("INSERT OR IGNORE INTO searches (query) VALUES (?1)")?
            .execute([query])?;
        tx.prepare_cached(
            "INSERT INTO search_log (at, search_id, found, chosen)
             SELECT ?1, id, ?3, ?4 FROM searches WHERE query = ?2",
        )?
        .execute(params![stamp(at), query, found, chosen.map(Chosen::as_str)])
        .context("logging a search")?;
        let id = tx.last_insert_rowid();
        tx.commit().context("logging a search")?;
        Ok(id)
    }

    /// A logged search's words and what was chosen on it; `None` when there is no such search.
    pub fn logged_search(&self, id: i64) -> Result<Option<(String, Option<Chosen>)>> {
        let row: Option<(String, Option<String>)> = self
            .read()
            .query_row(
                "SELECT s.query, l.chosen FROM search_log l JOIN searches s ON s.id = l.search_id
                 WHERE l.id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .context("reading a logged search")?;
        Ok(row.map(|(query, chosen)| (query, chosen.as_deref().and_then(Chosen::parse))))
    }

    /// Records what was done with a logged search, if it is the same search and this is more
    /// than what was recorded (a link is more than an opening, which is more than logging the
    /// question); `false` when there is no such search.
    pub fn choose_search(&self, id: i64, query: &str, chosen: Chosen) -> Result<bool> {
        let conn = self.lock();
        let was: Option<Option<String>> = conn
            .query_row(
                "SELECT l.chosen FROM search_log l JOIN searches s ON s.id = l.search_id
                 WHERE l.id = ?1 AND s.query = ?2",
                params![id, query],
                |r| r.get(0),
            )
            .optional()?;
        let Some(was) = was else {
            return Ok(false);
        };
        if was.as_deref().and_then(Chosen::parse) < Some(chosen) {
            conn.execute(
                "UPDATE search_log SET chosen = ?2 WHERE id = ?1",
                params![id, chosen.as_str()],
            )?;
        }
        Ok(true)
    }

    /// The searches of `[from, to)` that found nothing (`found = false`), or that found
    /// something of which nothing was opened or linked, most frequent first.
    pub fn searches(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        found: bool,
        limit: usize,
    ) -> Result<Vec<SearchCount>> {
        let conn = self.read();
        // The first condition is the partial index's own: the count reads the index alone.
        let mut select = conn.prepare_cached(
            "SELECT s.query, t.n FROM (
                 SELECT search_id, COUNT(*) AS n FROM search_log
                 WHERE (found = 0 OR chosen IS NULL OR chosen = 'logged')
                   AND at >= ?1 AND at < ?2 AND found = ?3
                 GROUP BY search_id ORDER BY n DESC, search_id LIMIT ?4) t
             JOIN searches s ON s.id = t.search_id
             ORDER BY t.n DESC, s.query",
        )?;
        let rows = select
            .query_map(
                params![stamp(from), stamp(to), found, super::sql_limit(limit)],
                |r| {
                    Ok(SearchCount {
                        query: r.get(0)?,
                        count: r.get::<_, i64>(1)?.max(0) as u64,
                    })
                },
            )?
            .collect::<rusqlite::Result<Vec<_>>>()
            .context("counting searches")?;
        Ok(rows)
    }

    /// Every open group with the phrasing that stands for it.
    pub fn open_group_titles(&self) -> Result<Vec<GroupTitle>> {
        let conn = self.read();
        let mut select = conn.prepare_cached(
            "SELECT g.id, COALESCE(g.title,
                        (SELECT q.text FROM questions q WHERE q.group_id = g.id ORDER BY q.id LIMIT 1), '')
             FROM groups g WHERE g.state = 'open'",
        )?;
        let rows = select
            .query_map([], |r| {
                Ok(GroupTitle {
                    id: r.get(0)?,
                    title: r.get(1)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()
            .context("reading group titles")?;
        Ok(rows)
    }
}

fn stale_hours(tx: &Transaction<'_>, table: &str) -> Result<Vec<String>> {
    let mut select =
        tx.prepare_cached(&format!("SELECT hour FROM {table} ORDER BY hour LIMIT ?1"))?;
    let hours = select
        .query_map([HOURS_PER_STEP as i64], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()
        .context("reading changed hours")?;
    Ok(hours)
}

fn forget_hours(tx: &Transaction<'_>, table: &str, hours: &[String]) -> Result<()> {
    let mut delete = tx.prepare_cached(&format!("DELETE FROM {table} WHERE hour = ?1"))?;
    for hour in hours {
        delete.execute([hour])?;
    }
    Ok(())
}

/// The desk days that the UTC hours (`2026-11-28T07`) fall in: one, or two for a zone whose
/// midnight is not on the hour.
fn days_of(clock: &Clock, hours: &[String]) -> BTreeSet<NaiveDate> {
    let mut days = BTreeSet::new();
    for hour in hours {
        let Ok(start) =
            NaiveDateTime::parse_from_str(&format!("{hour}:00:00"), "%Y-%m-%dT%H:%M:%S")
        else {
            // Not a time this callfaq wrote; nothing it could count.
            continue;
        };
        let start = start.and_utc();
        days.insert(clock.date_of(start));
        days.insert(clock.date_of(start + chrono::Duration::seconds(3599)));
    }
    days
}

fn recount_questions(tx: &Transaction<'_>, clock: &Clock, day: NaiveDate) -> Result<()> {
    let Some((start, end)) = clock.days(day, day) else {
        return Ok(());
    };
    let day_text = day.to_string();
    tx.prepare_cached("DELETE FROM report_days WHERE day = ?1")?
        .execute([&day_text])?;
    tx.prepare_cached(&format!(
        "INSERT INTO report_days (day, kind, key, n)
         SELECT ?1, c.kind, {KEY} AS key, COUNT(*)
         FROM questions q JOIN calls c ON c.id = q.call_id
         WHERE q.asked_at >= ?2 AND q.asked_at < ?3 AND key IS NOT NULL
         GROUP BY c.kind, key"
    ))?
    .execute(params![day_text, stamp(start), stamp(end)])
    .context("counting a day's questions")?;
    Ok(())
}

fn recount_week(tx: &Transaction<'_>, monday: NaiveDate) -> Result<()> {
    let sunday = monday + chrono::Duration::days(6);
    let monday_text = monday.to_string();
    tx.prepare_cached("DELETE FROM report_weeks WHERE monday = ?1")?
        .execute([&monday_text])?;
    tx.prepare_cached(
        "INSERT INTO report_weeks (monday, week, kind, key, n)
         SELECT ?1, ?2, kind, key, SUM(n) FROM report_days
         WHERE day BETWEEN ?1 AND ?3 GROUP BY kind, key",
    )?
    .execute(params![
        monday_text,
        crate::clock::iso_week(monday),
        sunday.to_string()
    ])
    .context("summing a week's questions")?;
    Ok(())
}

/// Days `from..=to` as whole ISO weeks (read from `report_weeks`) and the days before and
/// after them (read from `report_days`).
struct Split {
    weeks: (String, String),
    before: (String, String),
    after: (String, String),
}

impl Split {
    fn of(from: NaiveDate, to: NaiveDate) -> Split {
        let day = chrono::Duration::days(1);
        let first_monday = {
            let m = crate::clock::week_monday(from);
            if m == from {
                m
            } else {
                m + chrono::Duration::days(7)
            }
        };
        // The Monday of the last whole week: the week that ends on `to` or before it.
        let last_monday = crate::clock::week_monday(to + day) - chrono::Duration::days(7);
        let none = (NaiveDate::MAX.to_string(), NaiveDate::MIN.to_string());
        if first_monday > last_monday {
            return Split {
                weeks: none.clone(),
                before: (from.to_string(), to.to_string()),
                after: none,
            };
        }
        let text = |a: NaiveDate, b: NaiveDate| (a.to_string(), b.to_string());
        Split {
            weeks: text(first_monday, last_monday),
            before: text(from, first_monday - day),
            after: text(last_monday + chrono::Duration::days(7), to),
        }
    }

    /// Parameters `?1`..`?7`: weeks, days before, days after, the kind.
    fn params(&self, kind: Option<CallKind>) -> rusqlite::ParamsFromIter<[Option<String>; 7]> {
        let s = |t: &String| Some(t.clone());
        rusqlite::params_from_iter([
            s(&self.weeks.0),
            s(&self.weeks.1),
            s(&self.before.0),
            s(&self.before.1),
            s(&self.after.0),
            s(&self.after.1),
            kind.map(|k| k.as_str().to_string()),
        ])
    }
}

/// SQL: whether call `c` (a table's alias or name) is one nobody answered: the phone exchange
/// told it missed, and nobody took it (the desk keeps such a call for its callback).
pub(super) fn unanswered(c: &str) -> String {
    format!(
        "({c}.operator IS NULL AND EXISTS (SELECT 1 FROM exchange_calls e \
         WHERE e.call = {c}.id AND e.missed IS NOT NULL))"
    )
}

/// SQL: whether call `id` (a column) is one a manager opened on reaching a caller they
/// called back: a call the desk made, not one it took, left out of the desk's figures.
pub(super) fn follow_up(id: &str) -> String {
    format!("EXISTS (SELECT 1 FROM callback_follow_ups f WHERE f.call_id = {id})")
}

fn recount_calls(tx: &Transaction<'_>, clock: &Clock, day: NaiveDate) -> Result<()> {
    let Some((start, end)) = clock.days(day, day) else {
        return Ok(());
    };
    let day_text = day.to_string();
    tx.prepare_cached("DELETE FROM desk_days WHERE day = ?1")?
        .execute([&day_text])?;
    tx.prepare_cached(&format!(
        "INSERT INTO desk_days (day, operator, manager, unanswered, calls, primary_calls, potential,
                               contacts, numbers_known, callbacks, callbacks_done)
         SELECT ?1, COALESCE(operator, ''), COALESCE(manager, ''), unanswered, COUNT(*),
                SUM(kind = 'primary'), SUM(prospect), SUM(prospect AND contact_recorded = 1),
                SUM(prospect AND contact_recorded = 2),
                SUM(outcome IS 'callback'), SUM(outcome IS 'callback' AND callback_done_at IS NOT NULL)
         FROM (SELECT *, potential_client AND recorded AND outcome IS NOT 'not_a_client' AS prospect,
                      {unanswered} AS unanswered
               FROM calls WHERE started_at >= ?2 AND started_at < ?3 AND NOT {follow_up})
         GROUP BY COALESCE(operator, ''), COALESCE(manager, ''), unanswered",
        follow_up = follow_up("calls.id"),
        unanswered = unanswered("calls"),
    ))?
    .execute(params![day_text, stamp(start), stamp(end)])
    .context("counting a day's calls")?;
    Ok(())
}
