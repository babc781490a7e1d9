//! Links as training data: every change of a question's link counts up `meta.links_version`
//! and stamps the question with it, in the transaction of the change; the learned ranking reads
//! all links to train, and the questions changed since the version it was saved at to catch up.

use super::Store;
use anyhow::{Context, Result};
use rusqlite::{params, Connection};

/// Counts one more link change; the new version.
pub(super) fn next_version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "UPDATE meta SET value = value + 1 WHERE key = 'links_version' RETURNING value",
    )?
    .query_row([], |r| r.get(0))
}

/// A question whose link changed: its words and its answer now (`None`: unlinked).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkChange {
    /// The question.
    pub question: i64,
    /// The caller's words.
    pub text: String,
    /// Its answer now.
    pub answer: Option<String>,
    /// The links version of its last change.
    pub version: i64,
}

fn change_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<LinkChange> {
    Ok(LinkChange {
        question: r.get(0)?,
        text: r.get(1)?,
        answer: r.get(2)?,
        version: r.get(3)?,
    })
}

impl Store {
    /// The current links version.
    pub fn links_version(&self) -> Result<i64> {
        self.lock()
            .query_row(
                "SELECT value FROM meta WHERE key = 'links_version'",
                [],
                |r| r.get(0),
            )
            .context("reading the links version")
    }

    /// How many questions are linked.
    pub fn link_count(&self) -> Result<usize> {
        let n: i64 = self
            .lock()
            .query_row(
                "SELECT COUNT(*) FROM questions WHERE answer IS NOT NULL",
                [],
                |r| r.get(0),
            )
            .context("counting links")?;
        Ok(n as usize)
    }

    /// The newest linked questions, at most `limit`, newest first, with the links version they
    /// are as of, read in one snapshot.
    pub fn newest_links(&self, limit: usize) -> Result<(i64, Vec<LinkChange>)> {
        let conn = self.read();
        let tx = conn.unchecked_transaction().context("reading links")?;
        let version: i64 = tx.query_row(
            "SELECT value FROM meta WHERE key = 'links_version'",
            [],
            |r| r.get(0),
        )?;
        let links = tx
            .prepare(
                "SELECT id, text, answer, link_version FROM questions WHERE answer IS NOT NULL \
                 ORDER BY id DESC LIMIT ?1",
            )?
            .query_map([super::sql_limit(limit)], change_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()
            .context("reading links")?;
        Ok((version, links))
    }

    /// How many links changed after `version`.
    pub fn links_changed_count_since(&self, version: i64) -> Result<usize> {
        let n: i64 = self
            .lock()
            .prepare_cached(
                "SELECT (SELECT COUNT(*) FROM questions WHERE link_version > ?1)
                      + (SELECT COUNT(*) FROM forgotten_links WHERE link_version > ?1)",
            )?
            .query_row(params![version], |r| r.get(0))
            .context("counting changed links")?;
        Ok(n.max(0) as usize)
    }

    /// The questions whose link changed after `version`, in the order they changed (deleted
    /// linked questions as unlinked).
    pub fn links_changed_since(&self, version: i64) -> Result<Vec<LinkChange>> {
        self.lock()
            .prepare_cached(
                "SELECT id, text, answer, link_version FROM questions WHERE link_version > ?1
                 UNION ALL
                 SELECT question, text, NULL, link_version FROM forgotten_links WHERE link_version > ?1
                 ORDER BY 4",
            )?
            .query_map(params![version], change_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()
            .context("reading changed links")
    }
}

#[cfg(test)]
mod tests {
    use crate::calls::CallChanges;
    use crate::store::testing::{at, store};

    #[test]
    fn every_link_change_counts_up_and_is_found_since_a_version() {
        let (_d, store) = store();
        let call = store
            .create_call(&CallChanges::default(), at("2026-11-28T10:00:00Z"))
            .unwrap()
            .call;
        assert_eq!(store.links_version().unwrap(), 0);
        let q1 = store
            .add_question(
                call.id,
                "цена?",
                Some("price"),
                at("2026-11-28T10:01:00Z"),
                false,
            )
            .unwrap()
            .unwrap();
        let q2 = store
            .add_question(
                call.id,
                "а доставка?",
                None,
                at("2026-11-28T10:02:00Z"),
                false,
            )
            .unwrap()
            .unwrap();
        assert_eq!(
            store.links_version().unwrap(),
            1,
            "an unlinked question is no change"
        );
        store.set_answer(q2.id, Some("delivery"), false).unwrap();
        store.set_answer(q2.id, Some("delivery"), false).unwrap();
        assert_eq!(
            store.links_version().unwrap(),
            2,
            "the same link again is no change"
        );
        store.set_answer(q1.id, None, false).unwrap();
        let since = store.links_changed_since(1).unwrap();
        assert_eq!(
            since
                .iter()
                .map(|c| (c.question, c.answer.clone()))
                .collect::<Vec<_>>(),
            [(q2.id, Some("delivery".to_string())), (q1.id, None)]
        );
        let (version, links) = store.newest_links(10).unwrap();
        assert_eq!(version, 3);
        assert_eq!(links.len(), 1);
        assert_eq!(links[0].answer.as_deref(), Some("delivery"));
        store.set_answer(q1.id, Some("price"), false).unwrap();
        let (_, newest) = store.newest_links(1).unwrap();
        assert_eq!(
            newest.iter().map(|l| l.question).collect::<Vec<_>>(),
            [q2.id],
            "the newest question first, and no more than asked"
        );
    }
}
