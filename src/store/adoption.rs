//! Calls that promised a callback before callbacks were records of their own (an import, an
//! older release) become callbacks: each call once, oldest first, a batch of calls to a
//! transaction, so that a million imported calls take seconds, not one disk sync each.

use super::callbacks::promise as promise_in;
use super::calls::call_in;
use super::{stamp, write, Promise, Promised, Store};
use anyhow::{Context, Result};
use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension};
use std::collections::HashMap;

/// Calls adopted in one transaction.
const BATCH: usize = 1_000;

impl Store {
    /// Queues for adoption the calls that promise a callback yet belong to none (a database
    /// restored from a backup taken between a call's save and its callback's, or a server that
    /// died between the two writes; `restore` and every start ask, then adopt them); their ids.
    /// Calls queued already (an import's) are not among them.
    fn queue_unadopted_promises(&self) -> Result<Vec<i64>> {
        let mut conn = self.lock();
        let tx = write(&mut conn).context("finding promises without a callback")?;
        let ids: Vec<i64> = tx
            .prepare(
                "SELECT c.id FROM calls c WHERE c.outcome = 'callback' AND c.erased_at IS NULL \
                   AND NOT EXISTS (SELECT 1 FROM callback_calls b WHERE b.call_id = c.id) \
                   AND NOT EXISTS (SELECT 1 FROM callbacks_to_adopt a WHERE a.call_id = c.id)",
            )?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for id in &ids {
            tx.prepare_cached("INSERT OR IGNORE INTO callbacks_to_adopt (call_id) VALUES (?1)")?
                .execute([id])?;
        }
        tx.commit()?;
        Ok(ids)
    }

    /// The open callbacks adopted for these calls are the desk's own (a promise its write did
    /// not finish), not a history's: chased when overdue as any other, not only listed.
    fn chase_adopted(&self, calls: &[i64]) -> Result<()> {
        let mut conn = self.lock();
        let tx = write(&mut conn).context("chasing adopted callbacks")?;
        for id in calls {
            tx.prepare_cached(
                "UPDATE callbacks SET overdue_told = 0, escalated = 0 WHERE state = 'open' \
                 AND id IN (SELECT callback_id FROM callback_calls WHERE call_id = ?1)",
            )?
            .execute([id])?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Calls that promise a callback yet belong to none become callbacks, chased when overdue
    /// as the desk's own (see [`Store::queue_unadopted_promises`]), with whatever else waits in
    /// the queue (an import cut short); how many were found so, and how many calls adopted.
    pub fn adopt_orphaned_promises(&self, now: DateTime<Utc>) -> Result<(usize, usize)> {
        let orphans = self.queue_unadopted_promises()?;
        let adopted = self.adopt_promised_calls(now)?;
        self.chase_adopted(&orphans)?;
        Ok((orphans.len(), adopted))
    }

    /// Turns the calls that promised a callback before callbacks were records of their own
    /// into callbacks, oldest first (a caller's later promise joins their open one; one ticked
    /// «Перезвонили» is done when it was ticked). Owned by the manager account the call names
    /// by login or display name, else unassigned. Each call once, however often this runs.
    pub fn adopt_promised_calls(&self, now: DateTime<Utc>) -> Result<usize> {
        let ids: Vec<i64> = self
            .read()
            .prepare(
                "SELECT a.call_id FROM callbacks_to_adopt a JOIN calls c ON c.id = a.call_id \
                 ORDER BY c.started_at, c.id",
            )?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut adopted = 0;
        // A manager's name as a call gives it → their login, if an account has it.
        let mut owners: HashMap<String, Option<String>> = HashMap::new();
        for batch in ids.chunks(BATCH) {
            let mut conn = self.lock();
            let tx = write(&mut conn).context("adopting promised callbacks")?;
            for &id in batch {
                let known: bool = tx
                    .prepare_cached(
                        "SELECT EXISTS (SELECT 1 FROM callback_calls WHERE call_id = ?1)",
                    )?
                    .query_row([id], |r| r.get(0))?;
                let call = if known { None } else { call_in(&tx, id)? };
                if let Some(call) = call {
                    let key = crate::callbacks::caller_key(call.phone.as_deref())
                        .unwrap_or_else(|| format!("call:{id}"));
                    let owner = match call.manager.as_deref() {
                        Some(named) => match owners.get(named) {
                            Some(owner) => owner.clone(),
                            None => {
                                let owner: Option<String> = tx
                                    .prepare_cached(
                                        "SELECT login FROM accounts WHERE role = 'manager' \
                                         AND (login = ?1 OR display_name = ?1) \
                                         ORDER BY login = ?1 DESC LIMIT 1",
                                    )?
                                    .query_row([named], |r| r.get(0))
                                    .optional()?;
                                owners.insert(named.to_string(), owner.clone());
                                owner
                            }
                        },
                        None => None,
                    };
                    let phone = call.phone.as_deref();
                    let promise = Promise {
                        call_id: id,
                        caller_key: &key,
                        name: call.name.as_deref(),
                        phone: phone.filter(|p| !p.contains('@')),
                        email: phone.filter(|p| p.contains('@')),
                        company: call.company.as_deref(),
                        owner: owner.as_deref(),
                        due: call.callback_due.unwrap_or(call.started_at),
                        missed: false,
                    };
                    let promised = promise_in(&tx, &promise, call.started_at)?;
                    if let (Promised::Opened(cb), Some(done)) = (promised, call.callback_done_at) {
                        tx.prepare_cached(
                            "UPDATE callbacks SET state = 'done', closed_at = ?2, first_attempt = ?2 WHERE id = ?1",
                        )?
                        .execute(params![cb, stamp(done)])?;
                    }
                    // Overdue before callbacks were tracked: listed for the heads, not announced.
                    if let Promised::Opened(cb) = promised {
                        tx.prepare_cached(
                            "UPDATE callbacks SET overdue_told = 1, escalated = 1 WHERE id = ?1 AND due < ?2",
                        )?
                        .execute(params![cb, stamp(now)])?;
                    }
                    adopted += 1;
                }
                tx.prepare_cached("DELETE FROM callbacks_to_adopt WHERE call_id = ?1")?
                    .execute([id])?;
            }
            tx.commit().context("saving adopted callbacks")?;
        }
        Ok(adopted)
    }
}

#[cfg(test)]
mod tests {
    use crate::calls::{CallChanges, Outcome};
    use crate::store::testing::store;
    use chrono::Utc;

    #[test]
    fn a_promise_left_without_its_callback_is_queued_once_and_becomes_one() {
        let (_d, store) = store();
        let promising = CallChanges {
            outcome: Some(Some(Outcome::Callback)),
            phone: Some(Some("+7 495 123-45-67".into())),
            ..CallChanges::default()
        };
        let id = store.create_call(&promising, Utc::now()).unwrap().call.id;
        assert_eq!(store.queue_unadopted_promises().unwrap(), [id]);
        assert_eq!(store.adopt_promised_calls(Utc::now()).unwrap(), 1);
        assert!(store.callback_of_call(id).unwrap().is_some());
        assert!(
            store.queue_unadopted_promises().unwrap().is_empty(),
            "it has one now"
        );
    }
}
