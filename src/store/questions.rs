//! Caller questions: what callers asked, in their words, each optionally linked to the answer
//! that was read. Every insert and every change of link also queues the question for the search
//! index (see [`super::outbox`]), in the same transaction.

use super::rows::{kind_at, time_at};
use super::{links, outbox};
use super::{sql_limit, stamp, write, Store};
use crate::calls::{CallFull, CallKind, CallerQuestion, IndexedQuestion, MAX_QUESTIONS_PER_CALL};
use anyhow::{Context, Result};
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row};

impl Store {
    /// Logs a caller question on a call, linked to `answer` if given; `None` if there is no such
    /// call, a [`CallFull`] error when it holds [`MAX_QUESTIONS_PER_CALL`] already. The slug is
    /// not checked here. `declined`: a person logged it with no answer, having seen the answers
    /// offered; the grouping then never matches it to an answer by itself.
    pub fn add_question(
        &self,
        call_id: i64,
        text: &str,
        answer: Option<&str>,
        asked_at: DateTime<Utc>,
        declined: bool,
    ) -> Result<Option<CallerQuestion>> {
        let context = || format!("adding a question to call {call_id}");
        let mut conn = self.lock();
        let tx = write(&mut conn).with_context(context)?;
        let exists = tx
            .prepare_cached("SELECT 1 FROM calls WHERE id = ?1")
            .and_then(|mut s| s.exists([call_id]))
            .with_context(context)?;
        if !exists {
            return Ok(None);
        }
        let count: i64 = tx
            .prepare_cached("SELECT COUNT(*) FROM questions WHERE call_id = ?1")
            .and_then(|mut s| s.query_row([call_id], |r| r.get(0)))
            .with_context(context)?;
        // Counted inside the write transaction, so that parallel requests cannot pass it together.
        if count as usize >= MAX_QUESTIONS_PER_CALL {
            return Err(CallFull { call_id }.into());
        }
        let declined = declined && answer.is_none();
        let id = insert_question(&tx, call_id, text, answer, &stamp(asked_at), declined)
            .with_context(context)?;
        let question = load_question(&tx, id).with_context(context)?;
        tx.commit().with_context(context)?;
        Ok(question)
    }

    /// Links a question to an answer, or unlinks it (`None`); `None` if there is no such question.
    /// `declined`: a person left it with no answer (see [`Store::add_question`]); a question the
    /// grouping had matched to an answer is then placed again, in a group.
    pub fn set_answer(
        &self,
        question_id: i64,
        answer: Option<&str>,
        declined: bool,
    ) -> Result<Option<CallerQuestion>> {
        let context = || format!("linking question {question_id} to an answer");
        let declined = declined && answer.is_none();
        let mut conn = self.lock();
        let tx = write(&mut conn).with_context(context)?;
        let Some(mut question) = load_question(&tx, question_id).with_context(context)? else {
            return Ok(None);
        };
        if question.answer.as_deref() != answer {
            links::next_version(&tx)
                .and_then(|version| {
                    // The grouping reads the question again: linked, it leaves its group.
                    tx.prepare_cached(
                        "UPDATE questions SET answer = ?2, link_version = ?3, assigned = 0, \
                         declined = ?4 WHERE id = ?1",
                    )?
                    .execute(params![question_id, answer, version, declined])
                })
                .and_then(|_| outbox::add(&tx, question_id))
                .with_context(context)?;
            question.answer = answer.map(str::to_string);
            question.declined = declined;
        } else if declined {
            // Left with no answer again, by a person: one the grouping matched goes to a group.
            tx.prepare_cached(
                "UPDATE questions SET declined = 1, assigned = 0 \
                 WHERE id = ?1 AND answer IS NULL AND declined = 0",
            )
            .and_then(|mut s| s.execute([question_id]))
            .with_context(context)?;
            question.declined = true;
        }
        tx.commit().with_context(context)?;
        Ok(Some(question))
    }

    /// Deletes a question logged by mistake; the question as it was, `None` if there is none.
    /// The index and the learned ranking forget it.
    pub fn delete_question(&self, id: i64) -> Result<Option<CallerQuestion>> {
        let context = || format!("deleting question {id}");
        let mut conn = self.lock();
        let tx = write(&mut conn).with_context(context)?;
        let Some(question) = load_question(&tx, id).with_context(context)? else {
            return Ok(None);
        };
        if question.answer.is_some() {
            // Stamped before it goes, so that the learned ranking sees a link removed.
            let version = links::next_version(&tx).with_context(context)?;
            tx.execute(
                "INSERT INTO forgotten_links (question, text, link_version) VALUES (?1, ?2, ?3)",
                params![id, question.text, version],
            )
            .with_context(context)?;
        }
        tx.execute("DELETE FROM questions WHERE id = ?1", [id])
            .with_context(context)?;
        outbox::add(&tx, id).with_context(context)?;
        tx.commit().with_context(context)?;
        Ok(Some(question))
    }

    /// One caller question; `None` if there is no such question.
    pub fn question(&self, id: i64) -> Result<Option<CallerQuestion>> {
        load_question(&self.lock(), id).with_context(|| format!("reading question {id}"))
    }

    /// The answer the grouping counted question `id` under, when nobody linked one: an answer
    /// that plainly fits it (`matched`), or the answer its group was linked to.
    pub fn counted_under(&self, id: i64) -> Result<Option<String>> {
        self.read()
            .prepare_cached(
                "SELECT COALESCE(q.matched, g.answer) FROM questions q \
                 LEFT JOIN groups g ON g.id = q.group_id AND g.state = 'answered' \
                 WHERE q.id = ?1 AND q.answer IS NULL",
            )
            .and_then(|mut s| s.query_row([id], |row| row.get(0)).optional())
            .map(Option::flatten)
            .with_context(|| format!("reading what question {id} is counted under"))
    }

    /// How many questions a call has.
    pub fn question_count(&self, call_id: i64) -> Result<usize> {
        let count: i64 = self
            .lock()
            .prepare_cached("SELECT COUNT(*) FROM questions WHERE call_id = ?1")
            .and_then(|mut s| s.query_row([call_id], |row| row.get(0)))
            .with_context(|| format!("counting the questions of call {call_id}"))?;
        Ok(count as usize)
    }

    /// The answers most often linked to questions on calls of `kind` that started at or after
    /// `since`, with how many questions each, most first (ties by slug); at most `limit`.
    pub fn frequent_answers(
        &self,
        kind: CallKind,
        since: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<(String, u64)>> {
        let conn = self.lock();
        let mut select = conn
            .prepare_cached(
                "SELECT q.answer, COUNT(*) AS n FROM calls c JOIN questions q ON q.call_id = c.id
                 WHERE c.started_at >= ?1 AND c.kind = ?2 AND q.answer IS NOT NULL
                 GROUP BY q.answer ORDER BY n DESC, q.answer LIMIT ?3",
            )
            .context("counting linked answers")?;
        let top = select
            .query_map(
                params![stamp(since), kind.as_str(), sql_limit(limit)],
                |row| Ok((row.get(0)?, row.get::<_, i64>(1)? as u64)),
            )
            .and_then(Iterator::collect)
            .with_context(|| {
                format!(
                    "counting the answers linked on {} calls since {since}",
                    kind.as_str()
                )
            })?;
        Ok(top)
    }

    /// All questions with an id above `after_id`, by id, at most `limit`: pages of a full reindex.
    pub fn questions_after(&self, after_id: i64, limit: usize) -> Result<Vec<IndexedQuestion>> {
        let conn = self.lock();
        let mut select = conn
            .prepare_cached(
                "SELECT q.id, q.text, q.answer, c.kind FROM questions q JOIN calls c ON c.id = q.call_id
                 WHERE q.id > ?1 ORDER BY q.id LIMIT ?2",
            )
            .context("reading questions")?;
        let page = select
            .query_map(params![after_id, sql_limit(limit)], |row| {
                Ok(IndexedQuestion {
                    id: row.get(0)?,
                    text: row.get(1)?,
                    answer: row.get(2)?,
                    kind: kind_at(row, 3)?,
                })
            })
            .and_then(Iterator::collect)
            .with_context(|| format!("reading questions after {after_id}"))?;
        Ok(page)
    }
}

fn insert_question(
    conn: &Connection,
    call_id: i64,
    text: &str,
    answer: Option<&str>,
    asked_at: &str,
    declined: bool,
) -> rusqlite::Result<i64> {
    let version = match answer {
        Some(_) => links::next_version(conn)?,
        None => 0,
    };
    conn.prepare_cached(
        "INSERT INTO questions (call_id, text, asked_at, answer, link_version, declined) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![call_id, text, asked_at, answer, version, declined])?;
    let id = conn.last_insert_rowid();
    outbox::add(conn, id)?;
    Ok(id)
}

fn load_question(conn: &Connection, id: i64) -> rusqlite::Result<Option<CallerQuestion>> {
    conn.prepare_cached(concat!(
        "SELECT ",
        question_columns!(),
        " FROM questions q WHERE q.id = ?1"
    ))?
    .query_row([id], question_from_row)
    .optional()
}

pub(super) fn question_from_row(row: &Row<'_>) -> rusqlite::Result<CallerQuestion> {
    Ok(CallerQuestion {
        id: row.get(0)?,
        call_id: row.get(1)?,
        text: row.get(2)?,
        asked_at: time_at(row, 3)?,
        answer: row.get(4)?,
        declined: row.get(5)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calls::CallChanges;
    use crate::store::testing::{at, store};

    #[test]
    fn questions_are_linked_relinked_and_queued_for_the_index() {
        let (_dir, store) = store();
        let call = store
            .create_call(&CallChanges::default(), at("2026-11-28T10:00:00Z"))
            .unwrap()
            .call;
        let q2 = store
            .add_question(
                call.id,
                "а принтеры?",
                None,
                at("2026-11-28T10:02:00Z"),
                false,
            )
            .unwrap()
            .unwrap();
        let q1 = store
            .add_question(
                call.id,
                "сколько стоит?",
                Some("price"),
                at("2026-11-28T10:01:00Z"),
                false,
            )
            .unwrap()
            .unwrap();
        let record = store.call(call.id).unwrap().unwrap();
        assert_eq!(
            record.questions,
            vec![q1.clone(), q2.clone()],
            "in the order asked"
        );
        assert_eq!(store.question_count(call.id).unwrap(), 2);

        let relinked = store
            .set_answer(q1.id, Some("price-remote"), false)
            .unwrap()
            .unwrap();
        assert_eq!(relinked.answer.as_deref(), Some("price-remote"));
        store
            .set_answer(q1.id, Some("price-remote"), false)
            .unwrap();
        store.set_answer(q2.id, Some("printers"), false).unwrap();
        store.set_answer(q2.id, None, false).unwrap();
        assert_eq!(store.question(q2.id).unwrap().unwrap().answer, None);

        let outbox = store.outbox(0, 100).unwrap();
        let ids: Vec<i64> = outbox.iter().map(|(_, id, _)| *id).collect();
        assert_eq!(
            ids,
            [q2.id, q1.id, q1.id, q2.id, q2.id],
            "one row per change, none for a no-op"
        );
        let (_, _, state) = &outbox[1];
        let state = state.as_ref().unwrap();
        assert_eq!(
            (state.answer.as_deref(), state.kind),
            (Some("price-remote"), CallKind::Primary),
            "the current state"
        );

        let (third_seq, _, _) = outbox[2];
        assert_eq!(store.outbox(third_seq, 100).unwrap().len(), 2);
        store.outbox_done(third_seq).unwrap();
        assert_eq!(store.outbox(0, 100).unwrap().len(), 2);
        store.outbox_done(i64::MAX).unwrap();
        assert!(store.outbox(0, 100).unwrap().is_empty());

        assert_eq!(
            store
                .add_question(999, "x", None, at("2026-11-28"), false)
                .unwrap(),
            None
        );
        assert_eq!(store.set_answer(999, Some("x"), false).unwrap(), None);
    }

    #[test]
    fn a_deleted_question_leaves_the_index_a_removal() {
        let (_dir, store) = store();
        let call = store
            .create_call(&CallChanges::default(), at("2026-11-28T10:00:00Z"))
            .unwrap()
            .call;
        let q = store
            .add_question(call.id, "цена?", None, at("2026-11-28T10:01:00Z"), false)
            .unwrap()
            .unwrap();
        store
            .lock()
            .execute("DELETE FROM calls WHERE id = ?1", [call.id])
            .unwrap();
        assert_eq!(
            store.question(q.id).unwrap(),
            None,
            "questions go with their call"
        );
        assert_eq!(store.outbox(0, 10).unwrap(), vec![(1, q.id, None)]);
    }

    #[test]
    fn frequent_answers_count_links_per_kind_since_a_time() {
        let (_dir, store) = store();
        let primary = CallChanges {
            kind: Some(CallKind::Primary),
            ..CallChanges::default()
        };
        let secondary = CallChanges {
            kind: Some(CallKind::Secondary),
            ..CallChanges::default()
        };
        let old = store
            .create_call(&primary, at("2026-10-01T10:00:00Z"))
            .unwrap()
            .call
            .id;
        let new = store
            .create_call(&primary, at("2026-11-28T10:00:00Z"))
            .unwrap()
            .call
            .id;
        let other = store
            .create_call(&secondary, at("2026-11-28T11:00:00Z"))
            .unwrap()
            .call
            .id;
        for (call, answer) in [
            (old, Some("old")),
            (old, Some("old")),
            (new, Some("price")),
            (new, Some("price")),
            (new, Some("repair")),
            (new, None),
            (other, Some("invoice")),
        ] {
            store
                .add_question(call, "?", answer, at("2026-11-28T10:00:00Z"), false)
                .unwrap();
        }
        let since = at("2026-11-01");
        assert_eq!(
            store
                .frequent_answers(CallKind::Primary, since, 10)
                .unwrap(),
            vec![("price".into(), 2), ("repair".into(), 1)]
        );
        assert_eq!(
            store.frequent_answers(CallKind::Primary, since, 1).unwrap(),
            vec![("price".into(), 2)]
        );
        assert_eq!(
            store
                .frequent_answers(CallKind::Secondary, since, 10)
                .unwrap(),
            vec![("invoice".into(), 1)]
        );
    }

    #[test]
    fn questions_are_paged_by_id_for_a_reindex() {
        let (_dir, store) = store();
        let call = store
            .create_call(&CallChanges::default(), at("2026-11-28"))
            .unwrap()
            .call;
        let ids: Vec<i64> = (0..5)
            .map(|i| {
                store
                    .add_question(call.id, &format!("q{i}"), None, at("2026-11-28"), false)
                    .unwrap()
                    .unwrap()
                    .id
            })
            .collect();
        let first = store.questions_after(0, 3).unwrap();
        assert_eq!(first.iter().map(|q| q.id).collect::<Vec<_>>(), ids[..3]);
        let rest = store.questions_after(first[2].id, 3).unwrap();
        assert_eq!(rest.iter().map(|q| q.id).collect::<Vec<_>>(), ids[3..]);
    }
}
