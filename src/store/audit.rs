//! The audit log: who viewed, changed, exported or erased what, one line each.

use super::rows::parse_stamp;
use super::{sql_limit, stamp, Store};
use crate::accounts::audit::AuditEntry;
use anyhow::{Context, Result};
use chrono::Utc;
use rusqlite::params;

impl Store {
    /// Appends a line to the audit log.
    pub fn audit(
        &self,
        actor: &str,
        action: &str,
        subject: &str,
        detail: Option<&str>,
    ) -> Result<()> {
        self.lock()
            .prepare_cached("INSERT INTO audit (at, actor, action, subject, detail) VALUES (?1, ?2, ?3, ?4, ?5)")
            .and_then(|mut s| s.execute(params![stamp(Utc::now()), actor, action, subject, detail]))
            .context("writing the audit log")?;
        Ok(())
    }

    /// The newest audit lines, before id `before` when given.
    pub fn audit_log(&self, limit: usize, before: Option<i64>) -> Result<Vec<AuditEntry>> {
        let conn = self.lock();
        let mut stmt = conn.prepare_cached(
            "SELECT id, at, actor, action, subject, detail FROM audit WHERE id < ?1 ORDER BY id DESC LIMIT ?2",
        )?;
        let rows = stmt
            .query_map(
                params![before.unwrap_or(i64::MAX), sql_limit(limit)],
                |row| {
                    Ok(AuditEntry {
                        id: row.get(0)?,
                        at: parse_stamp(1, row.get(1)?)?,
                        actor: row.get(2)?,
                        action: row.get(3)?,
                        subject: row.get(4)?,
                        detail: row.get(5)?,
                    })
                },
            )?
            .collect::<rusqlite::Result<Vec<_>>>();
        rows.context("reading the audit log")
    }
}

#[cfg(test)]
mod tests {
    use crate::store::testing::store;

    #[test]
    fn audit_lines_come_back_newest_first() {
        let (_d, store) = store();
        store.audit("anna", "view", "call 1", None).unwrap();
        store
            .audit("anna", "change", "call 1", Some("outcome"))
            .unwrap();
        let log = store.audit_log(10, None).unwrap();
        assert_eq!(
            log.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(),
            ["change", "view"]
        );
    }
}
