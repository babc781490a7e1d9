//! The audit log: who viewed, changed, exported or erased what, one line each.

use super::rows::parse_stamp;
use super::{sql_limit, stamp, Store};
use crate::accounts::audit::AuditEntry;
use crate::text::clip;
use anyhow::{Context, Result};
use chrono::Utc;
use rusqlite::{params, Connection};

/// Longest actor kept in an audit line (a login is at most 64 characters).
pub const MAX_ACTOR_CHARS: usize = 80;
/// Longest subject or detail kept in an audit line.
pub const MAX_SUBJECT_CHARS: usize = 300;

/// Appends a line to the audit log inside the caller's transaction, clipped as
/// [`Store::audit`] clips it: the line is written with what it tells of, or not at all.
pub(super) fn line(
    conn: &Connection,
    actor: &str,
    action: &str,
    subject: &str,
    detail: Option<&str>,
) -> Result<()> {
    let actor = clip(actor, MAX_ACTOR_CHARS);
    let subject = clip(subject, MAX_SUBJECT_CHARS);
    let detail = detail.map(|d| clip(d, MAX_SUBJECT_CHARS));
    let now = Utc::now();
    // One page shown reads its call twice (the page, then its script through the API): the
    // same view by the same person within a minute is one line, not two. The newest lines are
    // read by id, so the look-back costs a few rows.
    if action == "view" {
        let seen: bool = conn
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM (SELECT at, actor, action, subject FROM audit \
                 ORDER BY id DESC LIMIT 20) WHERE actor = ?1 AND action = 'view' AND subject = ?2 \
                 AND at >= ?3)",
            )
            .and_then(|mut s| {
                s.query_row(
                    params![actor, subject, stamp(now - chrono::Duration::seconds(60))],
                    |r| r.get(0),
                )
            })
            .context("reading the audit log")?;
        if seen {
            return Ok(());
        }
    }
    conn.prepare_cached(
        "INSERT INTO audit (at, actor, action, subject, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
    )
    .and_then(|mut s| s.execute(params![stamp(now), actor, action, subject, detail]))
    .context("writing the audit log")?;
    Ok(())
}

impl Store {
    /// Appends a line to the audit log. Each part is clipped ([`MAX_ACTOR_CHARS`],
    /// [`MAX_SUBJECT_CHARS`]): an anonymous visitor's login name must not grow the log.
    pub fn audit(
        &self,
        actor: &str,
        action: &str,
        subject: &str,
        detail: Option<&str>,
    ) -> Result<()> {
        line(&self.lock(), actor, action, subject, detail)
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
    use super::*;
    use crate::store::testing::store;

    #[test]
    fn a_view_told_twice_within_a_minute_is_one_line() {
        let (_d, store) = store();
        for (actor, action, subject) in [
            ("anna", "view", "call 1"),
            ("anna", "view", "call 1"),
            ("boris", "view", "call 1"),
            ("anna", "view", "call 2"),
            ("anna", "change", "call 1"),
            ("anna", "change", "call 1"),
        ] {
            store.audit(actor, action, subject, None).unwrap();
        }
        assert_eq!(store.audit_log(10, None).unwrap().len(), 5);
    }

    #[test]
    fn what_a_visitor_typed_is_clipped_before_it_is_stored() {
        let (_d, store) = store();
        let huge = "x".repeat(60_000);
        store
            .audit(&huge, "login-failed", &huge, Some(&huge))
            .unwrap();
        let line = &store.audit_log(1, None).unwrap()[0];
        assert_eq!(line.actor.chars().count(), MAX_ACTOR_CHARS);
        assert_eq!(line.subject.chars().count(), MAX_SUBJECT_CHARS);
        assert_eq!(
            line.detail.as_ref().unwrap().chars().count(),
            MAX_SUBJECT_CHARS
        );
    }

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
