//! The history of every answer file (`revisions`), and what renaming an answer moves: its
//! caller questions, groups, history and an old slug that keeps redirecting.

use super::rows::parse_stamp;
use super::{stamp, write, Store};
use crate::knowledge::history::{How, NewRevision, Revision};
use anyhow::{Context, Result};
use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension};
use std::collections::HashMap;

const COLUMNS: &str = "id, slug, at, by, how, text, version, note";

fn revision_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Revision> {
    Ok(Revision {
        id: r.get(0)?,
        slug: r.get(1)?,
        at: parse_stamp(2, r.get(2)?)?,
        by: r.get(3)?,
        how: How::parse(&r.get::<_, String>(4)?).unwrap_or(How::Disk),
        text: r.get(5)?,
        version: r.get(6)?,
        note: r.get(7)?,
    })
}

impl Store {
    /// Records a version; returns its id.
    pub fn add_revision(&self, new: NewRevision<'_>, at: DateTime<Utc>) -> Result<i64> {
        let conn = self.lock();
        conn.prepare_cached(
            "INSERT INTO revisions (slug, at, by, how, text, version, note)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?
        .execute(params![
            new.slug,
            stamp(at),
            new.by,
            new.how.as_str(),
            new.text,
            new.version,
            new.note
        ])
        .context("recording a version of an answer")?;
        Ok(conn.last_insert_rowid())
    }

    /// Every version of an answer, newest first.
    pub fn revisions(&self, slug: &str) -> Result<Vec<Revision>> {
        let conn = self.lock();
        let mut select = conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM revisions WHERE slug = ?1 ORDER BY id DESC"
        ))?;
        let rows = select
            .query_map([slug], revision_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()
            .context("reading an answer's history")?;
        Ok(rows)
    }

    /// One version, by id.
    pub fn revision(&self, id: i64) -> Result<Option<Revision>> {
        let conn = self.lock();
        let found = conn
            .prepare_cached(&format!("SELECT {COLUMNS} FROM revisions WHERE id = ?1"))?
            .query_row([id], revision_from_row)
            .optional()
            .context("reading a version of an answer")?;
        Ok(found)
    }

    /// The fingerprint of every answer's newest version (`None`: removed), by slug.
    pub fn latest_versions(&self) -> Result<HashMap<String, Option<String>>> {
        let conn = self.lock();
        let mut select = conn.prepare_cached(
            "SELECT r.slug, r.version FROM revisions r
             JOIN (SELECT slug, MAX(id) AS id FROM revisions GROUP BY slug) m ON m.id = r.id",
        )?;
        let rows = select
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<HashMap<_, _>>>()
            .context("reading the newest versions of answers")?;
        Ok(rows)
    }

    /// Answers removed and not back, with their last text: retired, or deleted on disk.
    pub fn removed_answers(&self) -> Result<Vec<Revision>> {
        let conn = self.lock();
        let mut select = conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM revisions WHERE id IN (
                 SELECT MAX(id) FROM revisions WHERE text IS NOT NULL GROUP BY slug)
               AND slug IN (
                 SELECT r.slug FROM revisions r
                 JOIN (SELECT slug, MAX(id) AS id FROM revisions GROUP BY slug) m ON m.id = r.id
                 WHERE r.text IS NULL)
             ORDER BY slug"
        ))?;
        let rows = select
            .query_map([], revision_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()
            .context("reading removed answers")?;
        Ok(rows)
    }

    /// Where an old slug now lives, after one rename or several.
    pub fn redirect(&self, old: &str) -> Result<Option<String>> {
        let conn = self.lock();
        let found = conn
            .prepare_cached("SELECT new_slug FROM answer_redirects WHERE old_slug = ?1")?
            .query_row([old], |r| r.get(0))
            .optional()
            .context("reading an answer's old slug")?;
        Ok(found)
    }

    /// Links to `old` made while it was being renamed to `new` (an operator's request checked
    /// against the answers before the rename was in service): moved to `new` too, as link
    /// changes the learned ranking catches up with; how many.
    pub fn follow_rename(&self, old: &str, new: &str) -> Result<usize> {
        let mut conn = self.lock();
        let tx = write(&mut conn)?;
        let left: i64 = tx.query_row(
            "SELECT (SELECT COUNT(*) FROM questions WHERE answer = ?1 OR matched = ?1) \
                  + (SELECT COUNT(*) FROM groups WHERE answer = ?1)",
            [old],
            |r| r.get(0),
        )?;
        if left == 0 {
            return Ok(0);
        }
        let version = super::links::next_version(&tx)?;
        let moved = move_answer(&tx, old, new, Some(version))?;
        tx.commit()?;
        Ok(moved)
    }

    /// Moves everything that names answer `old` to `new`, in one transaction: linked and
    /// matched caller questions (queued for the question index; their report days counted
    /// again), groups, the history, and earlier redirects; `old` then redirects to `new`.
    /// Returns how many caller questions followed.
    pub fn rename_answer(&self, old: &str, new: &str, at: DateTime<Utc>) -> Result<usize> {
        let mut conn = self.lock();
        let tx = write(&mut conn)?;
        let moved = move_answer(&tx, old, new, None)?;
        tx.execute(
            "UPDATE revisions SET slug = ?2 WHERE slug = ?1",
            params![old, new],
        )?;
        tx.execute("DELETE FROM answer_redirects WHERE old_slug = ?1", [new])?;
        tx.execute(
            "UPDATE answer_redirects SET new_slug = ?2 WHERE new_slug = ?1",
            params![old, new],
        )?;
        tx.execute(
            "INSERT OR REPLACE INTO answer_redirects (old_slug, new_slug, at) VALUES (?1, ?2, ?3)",
            params![old, new, stamp(at)],
        )?;
        tx.commit().context("renaming an answer")?;
        Ok(moved)
    }
}

/// Moves the caller questions linked or matched to answer `old`, and the groups linked to it,
/// to `new`; the linked ones are queued for the question index, and given `version` as their
/// link change when one is given. How many linked questions moved.
fn move_answer(
    tx: &rusqlite::Transaction<'_>,
    old: &str,
    new: &str,
    version: Option<i64>,
) -> Result<usize> {
    tx.execute(
        "INSERT INTO index_outbox (question_id) SELECT id FROM questions WHERE answer = ?1 ORDER BY id",
        [old],
    )?;
    let moved = tx.execute(
        "UPDATE questions SET answer = ?2, link_version = COALESCE(?3, link_version) WHERE answer = ?1",
        params![old, new, version],
    )?;
    tx.execute(
        "UPDATE questions SET matched = ?2 WHERE matched = ?1",
        params![old, new],
    )?;
    tx.execute(
        "UPDATE groups SET answer = ?2 WHERE answer = ?1",
        params![old, new],
    )?;
    Ok(moved)
}

#[cfg(test)]
mod tests {
    use crate::store::testing::store;
    use chrono::Utc;

    #[test]
    fn a_link_made_while_its_answer_was_renamed_follows_the_rename() {
        let (_dir, store) = store();
        let now = Utc::now();
        let call = store.create_call(&Default::default(), now).unwrap().call.id;
        let ask = |text: &str, answer: Option<&str>| {
            store
                .add_question(call, text, answer, now, false)
                .unwrap()
                .unwrap()
                .id
        };
        let early = ask("вакансии есть?", Some("vacancies"));
        assert_eq!(store.rename_answer("vacancies", "jobs", now).unwrap(), 1);
        // Checked against the answers before the rename was in service, written after it.
        let late = ask("вы набираете людей?", Some("vacancies"));
        let before = store.links_version().unwrap();
        assert_eq!(store.follow_rename("vacancies", "jobs").unwrap(), 1);
        for q in [early, late] {
            let answer = store.question(q).unwrap().unwrap().answer;
            assert_eq!(answer.as_deref(), Some("jobs"));
        }
        assert!(
            store.links_version().unwrap() > before,
            "the learner catches up"
        );
        assert_eq!(store.follow_rename("vacancies", "jobs").unwrap(), 0);
        assert_eq!(
            store.links_version().unwrap(),
            before + 1,
            "nothing to follow: no change"
        );
    }
}
