//! Erasing callers' personal data (name, phone, company, notes, and the number the phone exchange
//! sent) past the retention period or on request; questions, links and counts stay.

use super::{stamp, write, Store};
use anyhow::{Context, Result};
use chrono::{DateTime, Utc};
use rusqlite::params;

/// Calls erased per transaction.
const ERASE_BATCH: usize = 1000;

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
        }
        Ok((erased, finished))
    }

    /// Erases the personal data of every call from this phone number (in normal form).
    pub fn erase_personal_data_of_phone(&self, phone_key: &str) -> Result<usize> {
        let erased = self
            .erase_where("phone_key = ?1", phone_key)
            .context("erasing a caller's personal data")?;
        self.erase_exchange_caller(phone_key)?;
        Ok(erased)
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
