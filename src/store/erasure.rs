//! Erasing callers' personal data past the retention period or on request, wherever the desk
//! kept it: the calls' name, phone, company and notes, the number the phone exchange sent, the
//! callbacks' caller (name, number, e-mail, company, notes, and their notices' text), and the
//! number or company in the audit lines of caller lookups. Questions, links, counts, who owned
//! a callback and what came of it stay.

use super::{stamp, write, Store};
use anyhow::{Context, Result};
use chrono::{DateTime, Utc};
use rusqlite::params;

/// Calls erased per transaction.
const ERASE_BATCH: usize = 1000;

/// How an erased callback's key begins (its id follows): no caller's normal form begins so.
const ERASED_KEY: &str = "erased:";

/// What a notice of an erased callback that was not sent yet says instead of being sent.
const NOTICE_GIVEN_UP: &str = "not sent: the caller's data was erased";

/// How the audit line of a lookup by number ends (`caller {number} (lookup)`).
const LOOKUP: &str = " (lookup)";

impl Store {
    /// Erases the name, phone, company and notes of calls that started before `cutoff`;
    /// questions, links and counts stay. Returns how many calls were erased.
    pub fn erase_personal_data_before(&self, cutoff: DateTime<Utc>) -> Result<usize> {
        self.erase_personal_data_before_while(cutoff, &|| true)
            .map(|(erased, _)| erased)
    }

    /// [`Store::erase_personal_data_before`], a batch at a time while `go_on` says so (the
    /// retention job stops while the desk is busy); how many calls were erased, and whether
    /// the sweep finished.
    pub fn erase_personal_data_before_while(
        &self,
        cutoff: DateTime<Utc>,
        go_on: &dyn Fn() -> bool,
    ) -> Result<(usize, bool)> {
        let condition = "started_at < ?1 AND erased_at IS NULL";
        let (erased, finished) = self
            .erase_where_while(condition, &stamp(cutoff), go_on)
            .context("erasing personal data past the retention period")?;
        if finished {
            self.erase_exchange_callers_before(cutoff)?;
            self.erase_callbacks_where("created_at < ?1", &stamp(cutoff))?;
            self.erase_caller_lookups_before(cutoff)?;
        }
        Ok((erased, finished))
    }

    /// Erases the personal data of every call from this phone number (in normal form).
    pub fn erase_personal_data_of_phone(&self, phone_key: &str) -> Result<usize> {
        let erased = self
            .erase_where("phone_key = ?1", phone_key)
            .context("erasing a caller's personal data")?;
        self.erase_exchange_caller(phone_key)?;
        self.erase_callbacks_where("caller_key = ?1", phone_key)?;
        self.erase_caller_lookups_of(phone_key)?;
        Ok(erased)
    }

    /// Erases the caller from the callbacks that match `condition` (on `callbacks`, with `?1`
    /// for `value`): name, number, e-mail, company and notes, their tries' notes, and their
    /// notices' text; a notice not sent yet is given up (it would tell of a caller no longer on
    /// record) and kept, so that it is never enqueued again. The callback stays, with its
    /// owner, times and outcome, under a key of its own that no caller has. Returns how many.
    fn erase_callbacks_where(&self, condition: &str, value: &str) -> Result<usize> {
        let mut conn = self.lock();
        let tx = write(&mut conn)?;
        let ids = tx
            .prepare(&format!(
                "SELECT id FROM callbacks WHERE ({condition}) AND caller_key NOT LIKE '{ERASED_KEY}%'"
            ))?
            .query_map([value], |r| r.get::<_, i64>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let now = stamp(Utc::now());
        for id in &ids {
            tx.execute(
                &format!(
                    "UPDATE callbacks SET caller_key = '{ERASED_KEY}' || id, name = NULL, \
                     phone = NULL, email = NULL, company = NULL, note = NULL WHERE id = ?1"
                ),
                [id],
            )?;
            tx.execute(
                "UPDATE callback_attempts SET note = NULL WHERE callback_id = ?1",
                [id],
            )?;
            tx.execute(
                "UPDATE notices SET subject = '', body = '', \
                 last_error = CASE WHEN sent_at IS NULL THEN ?3 ELSE last_error END, \
                 sent_at = COALESCE(sent_at, ?2) WHERE key LIKE ?1",
                params![format!("callback:{id}:%"), now, NOTICE_GIVEN_UP],
            )?;
        }
        tx.commit()
            .context("erasing callers' data from callbacks")?;
        Ok(ids.len())
    }

    /// Rewrites the audit lines of lookups of this phone number (in normal form, whatever
    /// form it was typed in) without the number; how many.
    fn erase_caller_lookups_of(&self, phone_key: &str) -> Result<usize> {
        let mut conn = self.lock();
        let tx = write(&mut conn)?;
        let lines = tx
            .prepare(
                "SELECT id, subject FROM audit WHERE subject LIKE 'caller %' \
                 AND subject NOT LIKE 'caller erased%'",
            )?
            .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut erased = 0;
        for (id, subject) in lines {
            let who = subject.trim_start_matches("caller ");
            let (who, lookup) = match who.strip_suffix(LOOKUP) {
                Some(number) => (number, true),
                None => (who, false),
            };
            if crate::calls::phone::normalize(who).as_deref() == Some(phone_key) {
                let erased_subject = if lookup {
                    format!("caller erased{LOOKUP}")
                } else {
                    "caller erased".to_string()
                };
                tx.execute(
                    "UPDATE audit SET subject = ?2 WHERE id = ?1",
                    params![id, erased_subject],
                )?;
                erased += 1;
            }
        }
        tx.commit()
            .context("erasing a caller's number from the audit log")?;
        Ok(erased)
    }

    /// Rewrites the audit lines of caller lookups older than `cutoff` without the number or
    /// company looked up; how many.
    fn erase_caller_lookups_before(&self, cutoff: DateTime<Utc>) -> Result<usize> {
        self.lock()
            .execute(
                &format!(
                    "UPDATE audit SET subject = CASE WHEN subject LIKE '%{LOOKUP}' \
                     THEN 'caller erased{LOOKUP}' ELSE 'caller erased' END \
                     WHERE at < ?1 AND subject LIKE 'caller %' AND subject NOT LIKE 'caller erased%'"
                ),
                [stamp(cutoff)],
            )
            .context("erasing old caller lookups from the audit log")
    }

    /// Erases in batches, each its own short transaction, so that a large sweep never holds
    /// the database for long while the desk is working.
    fn erase_where(&self, condition: &str, value: &str) -> Result<usize> {
        self.erase_where_while(condition, value, &|| true)
            .map(|(erased, _)| erased)
    }

    /// [`Store::erase_where`] while `go_on` says so; whether it finished.
    fn erase_where_while(
        &self,
        condition: &str,
        value: &str,
        go_on: &dyn Fn() -> bool,
    ) -> Result<(usize, bool)> {
        let sql = format!(
            "UPDATE calls SET name = NULL, phone = NULL, phone_key = NULL, company = NULL, \
             company_key = NULL, notes = NULL, erased_at = ?2 \
             WHERE id IN (SELECT id FROM calls WHERE {condition} LIMIT {ERASE_BATCH})"
        );
        let mut total = 0;
        loop {
            if !go_on() {
                return Ok((total, false));
            }
            let mut conn = self.lock();
            let tx = write(&mut conn)?;
            let n = tx.execute(&sql, params![value, stamp(Utc::now())])?;
            tx.commit()?;
            drop(conn);
            total += n;
            if n < ERASE_BATCH {
                return Ok((total, true));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calls::CallChanges;
    use crate::store::testing::store;

    #[test]
    fn erasure_keeps_questions_and_counts() {
        let (_d, store) = store();
        let changes = CallChanges {
            name: Some(Some("Михаил".into())),
            phone: Some(Some("8 (495) 123-45-67".into())),
            notes: Some(Some("личное".into())),
            ..CallChanges::default()
        };
        let call = store.create_call(&changes, Utc::now()).unwrap().call;
        store
            .add_question(call.id, "сколько стоит", Some("price"), Utc::now(), false)
            .unwrap();
        assert_eq!(
            store.erase_personal_data_of_phone("74951234567").unwrap(),
            1
        );
        let record = store.call(call.id).unwrap().unwrap();
        assert_eq!(
            (record.call.name, record.call.phone, record.call.notes),
            (None, None, None)
        );
        assert_eq!(record.questions.len(), 1);
        assert_eq!(record.questions[0].answer.as_deref(), Some("price"));
    }

    /// A call from this number promising a callback owned by `misha`, a try with a note, a
    /// notice sent and one waiting, and the audit lines of a lookup of the number.
    fn promised(store: &Store, phone: &str, at: DateTime<Utc>) -> i64 {
        let changes = CallChanges {
            name: Some(Some("Иван Петров".into())),
            phone: Some(Some(phone.into())),
            ..CallChanges::default()
        };
        let call = store.create_call(&changes, at).unwrap().call;
        let key = crate::calls::phone::normalize(phone).unwrap();
        let promise = crate::store::Promise {
            call_id: call.id,
            caller_key: &key,
            name: Some("Иван Петров"),
            phone: Some(phone),
            email: Some("ivan@example.ru"),
            company: Some("ООО Ромашка"),
            owner: Some("misha"),
            due: at + chrono::Duration::hours(2),
            missed: false,
        };
        let crate::store::Promised::Opened(id) = store
            .promise_callback(&promise, at, Default::default())
            .unwrap()
        else {
            panic!("a new callback");
        };
        let conn = store.lock();
        conn.execute(
            "UPDATE callbacks SET note = 'просил после обеда' WHERE id = ?1",
            [id],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO callback_attempts (callback_id, at, by, result, note) \
             VALUES (?1, ?2, 'misha', 'no_answer', 'Иван Петров не взял трубку')",
            params![id, stamp(at)],
        )
        .unwrap();
        drop(conn);
        for (event, sent) in [("assigned", true), ("overdue", false)] {
            let notice = crate::store::OutgoingNotice {
                key: format!("callback:{id}:{event}:misha@example.ru"),
                channel: crate::store::Channel::Email,
                recipient: "misha@example.ru".into(),
                subject: format!("Перезвонить: Иван Петров, {phone}"),
                body: format!("Иван Петров, {phone}, ООО Ромашка"),
            };
            store.enqueue_notice(&notice, at).unwrap();
            if sent {
                let due = store.notices_due(at, 10).unwrap();
                let n = due.iter().find(|n| n.key == notice.key).unwrap();
                store.notice_sent(n.id, at).unwrap();
            }
        }
        store
            .audit("olga", "view", &format!("caller {phone}"), None)
            .unwrap();
        store
            .audit(
                "token:pbx",
                "view",
                &format!("caller {phone} (lookup)"),
                None,
            )
            .unwrap();
        id
    }

    /// What of the caller is left on the callback, its tries, its notices and the audit log.
    fn left(store: &Store, id: i64) -> Vec<String> {
        let conn = store.lock();
        let mut texts: Vec<String> = conn
            .query_row(
                "SELECT caller_key, name, phone, email, company, note FROM callbacks WHERE id = ?1",
                [id],
                |r| {
                    (0..6)
                        .map(|i| r.get::<_, Option<String>>(i))
                        .collect::<rusqlite::Result<Vec<_>>>()
                },
            )
            .unwrap()
            .into_iter()
            .flatten()
            .collect();
        for sql in [
            "SELECT note FROM callback_attempts WHERE callback_id = ?1",
            "SELECT subject || ' ' || body FROM notices WHERE key LIKE 'callback:' || ?1 || ':%'",
            "SELECT subject FROM audit WHERE subject LIKE 'caller %' AND ?1 = ?1",
        ] {
            let mut stmt = conn.prepare(sql).unwrap();
            let rows = stmt
                .query_map([id], |r| r.get::<_, Option<String>>(0))
                .unwrap();
            texts.extend(rows.filter_map(Result::unwrap));
        }
        texts
    }

    #[test]
    fn a_purge_erases_the_caller_from_callbacks_their_notices_and_lookups_and_keeps_the_rest() {
        let (_d, store) = store();
        let now = Utc::now();
        let id = promised(&store, "+7 916 123-45-67", now);
        let other = promised(&store, "+7 495 765-43-21", now);
        let before = store.callback(id).unwrap().unwrap();
        assert_eq!(
            store.erase_personal_data_of_phone("79161234567").unwrap(),
            1
        );
        let erased = left(&store, id).join(" | ");
        for personal in ["Иван", "916", "ivan@", "Ромашка", "после обеда"] {
            assert!(!erased.contains(personal), "{personal} left: {erased}");
        }
        assert!(erased.contains("caller erased (lookup)"), "{erased}");
        // The callback stays with its owner, due time and state; the caller no longer finds it.
        let after = store.callback(id).unwrap().unwrap();
        assert_eq!(
            (&after.owner, after.due, &after.state),
            (&before.owner, before.due, &before.state)
        );
        assert!(store.open_callback_of("79161234567").unwrap().is_none());
        // The notice that waited is given up, not sent blank.
        assert!(store
            .notices_due(now, 10)
            .unwrap()
            .iter()
            .all(|n| !n.key.starts_with(&format!("callback:{id}:"))));
        // The other caller keeps everything.
        let kept = left(&store, other).join(" | ");
        assert!(
            kept.contains("+7 495 765-43-21") && kept.contains("Иван Петров"),
            "{kept}"
        );
        assert!(store.open_callback_of("74957654321").unwrap().is_some());
    }

    #[test]
    fn retention_erases_old_callbacks_and_lookups_too() {
        let (_d, store) = store();
        let now = Utc::now();
        let old = promised(
            &store,
            "+7 916 123-45-67",
            now - chrono::Duration::days(400),
        );
        store
            .lock()
            .execute(
                "UPDATE audit SET at = ?1",
                [stamp(now - chrono::Duration::days(400))],
            )
            .unwrap();
        let new = promised(&store, "+7 495 765-43-21", now);
        store
            .erase_personal_data_before(now - chrono::Duration::days(365))
            .unwrap();
        let left_old = left(&store, old).join(" | ");
        for personal in ["Иван", "916", "ivan@", "Ромашка"] {
            assert!(!left_old.contains(personal), "{personal} left: {left_old}");
        }
        let kept = left(&store, new).join(" | ");
        assert!(
            !kept.contains("+7 916"),
            "the old lookups are erased: {kept}"
        );
        assert!(kept.contains("caller +7 495 765-43-21 (lookup)"), "{kept}");
        assert!(store.open_callback_of("74957654321").unwrap().is_some());
    }

    #[test]
    fn retention_erases_old_calls_in_batches_and_only_once() {
        let (_d, store) = store();
        let old = chrono::DateTime::parse_from_rfc3339("2025-01-01T10:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let line = crate::calls::transfer::CallLine {
            started_at: old,
            name: Some("Старый клиент".into()),
            ..serde_json::from_str(r#"{"started_at": "2025-01-01T10:00:00Z"}"#).unwrap()
        };
        let calls = vec![line; ERASE_BATCH + 50];
        store.import(&calls, Utc::now()).unwrap();
        store
            .create_call(
                &CallChanges {
                    name: Some(Some("Новый".into())),
                    ..CallChanges::default()
                },
                Utc::now(),
            )
            .unwrap();
        let cutoff = Utc::now() - chrono::Duration::days(30);
        // A busy desk stops the sweep between batches; the next one goes on.
        let batches = std::cell::Cell::new(0);
        let one_batch = || {
            batches.set(batches.get() + 1);
            batches.get() == 1
        };
        let cut_short = store.erase_personal_data_before_while(cutoff, &one_batch);
        assert_eq!(cut_short.unwrap(), (ERASE_BATCH, false));
        assert_eq!(store.erase_personal_data_before(cutoff).unwrap(), 50);
        assert_eq!(
            store.erase_personal_data_before(cutoff).unwrap(),
            0,
            "erased calls are not erased again"
        );
        let newest = store
            .calls_between(
                Utc::now() - chrono::Duration::days(1),
                Utc::now() + chrono::Duration::days(1),
            )
            .unwrap();
        assert_eq!(newest[0].name.as_deref(), Some("Новый"));
    }
}
