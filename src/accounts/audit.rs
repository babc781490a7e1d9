//! The audit log's lines as the rest of the program sees them: who viewed, changed, exported or
//! erased what, and when. Kept by `store`, shown on the admin page and by `GET /api/audit`.

use chrono::{DateTime, Utc};
use serde::Serialize;

/// One line of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    /// Database id.
    pub id: i64,
    /// When.
    pub at: DateTime<Utc>,
    /// Who: an account's login, `token:NAME`, `cli` or `retention`.
    pub actor: String,
    /// What: `view`, `change`, `export`, `erase`, `login`, ...
    pub action: String,
    /// On what: `call 12`, `calls 2026-11-01..2026-11-28`, `phone 7495...`.
    pub subject: String,
    /// More, where useful.
    pub detail: Option<String>,
}
