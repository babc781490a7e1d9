//! The search index's outbox: one row per change of a caller question (insert, relink, its
//! call's new kind, removal), written in the transaction of the change, so that the indexer
//! misses nothing even after a crash. The indexer reads the rows in order and clears them once
//! its index holds them.

use super::rows::kind_at;
use super::{sql_limit, Store};
use crate::calls::IndexedQuestion;
use anyhow::{Context, Result};
use rusqlite::{params, Connection};

impl Store {
    /// Pending changes for the search index: `(seq, question id, the question as it is now)`, the
    /// question `None` if it no longer exists; `seq > after_seq`, ascending, at most `limit`.
    /// A question may appear more than once; its latest state is given each time.
    pub fn outbox(
        &self,
        after_seq: i64,
        limit: usize,
    ) -> Result<Vec<(i64, i64, Option<IndexedQuestion>)>> {
        let conn = self.lock();
        let mut select = conn
            .prepare_cached(
                "SELECT o.seq, o.question_id, q.id, q.text, q.answer, c.kind
                 FROM index_outbox o
                 LEFT JOIN questions q ON q.id = o.question_id
                 LEFT JOIN calls c ON c.id = q.call_id
                 WHERE o.seq > ?1 ORDER BY o.seq LIMIT ?2",
            )
            .context("reading the index outbox")?;
        let rows = select
            .query_map(params![after_seq, sql_limit(limit)], |row| {
                let question = match row.get::<_, Option<i64>>(2)? {
                    None => None,
                    Some(id) => Some(IndexedQuestion {
                        id,
                        text: row.get(3)?,
                        answer: row.get(4)?,
                        kind: kind_at(row, 5)?,
                    }),
                };
                Ok((row.get(0)?, row.get(1)?, question))
            })
            .and_then(Iterator::collect)
            .context("reading the index outbox")?;
        Ok(rows)
    }

    /// Forgets the outbox rows up to `up_to_seq` inclusive, once the index has them.
    pub fn outbox_done(&self, up_to_seq: i64) -> Result<()> {
        self.lock()
            .prepare_cached("DELETE FROM index_outbox WHERE seq <= ?1")
            .and_then(|mut s| s.execute([up_to_seq]))
            .with_context(|| format!("clearing the index outbox up to {up_to_seq}"))?;
        Ok(())
    }
}

/// Queues one question.
pub(super) fn add(conn: &Connection, question_id: i64) -> rusqlite::Result<()> {
    conn.prepare_cached("INSERT INTO index_outbox (question_id) VALUES (?1)")?
        .execute([question_id])?;
    Ok(())
}

/// Queues every question of a call, as when its kind changed.
pub(super) fn add_call(conn: &Connection, call_id: i64) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO index_outbox (question_id) SELECT id FROM questions WHERE call_id = ?1 ORDER BY id",
    )?
    .execute([call_id])?;
    Ok(())
}

/// Queues every question with an id above `after_id`, as after an import.
pub(super) fn add_after(conn: &Connection, after_id: i64) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO index_outbox (question_id) SELECT id FROM questions WHERE id > ?1 ORDER BY id",
    )?
    .execute([after_id])?;
    Ok(())
}
