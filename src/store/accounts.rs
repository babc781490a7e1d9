//! Staff accounts, their sessions and machine tokens: the part of the database about the
//! people and machines that use callfaq.
//!
//! Secrets (session ids, tokens) are stored only as hashes (`accounts::secret_hash`); passwords
//! only as argon2id hashes.

use super::rows::parse_stamp;
use super::{stamp, write, Store};
use crate::accounts::{Account, Role, Token, TokenRecord};
use anyhow::{Context, Result};
use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension, Row};

const ACCOUNT_COLUMNS: &str =
    "id, login, role, disabled, must_change_password, created_at, display_name, email, extension";
/// How many columns [`ACCOUNT_COLUMNS`] reads.
const ACCOUNT_COLUMN_COUNT: usize = 9;

fn account_from_row(row: &Row<'_>) -> rusqlite::Result<Account> {
    let role: String = row.get(2)?;
    Ok(Account {
        id: row.get(0)?,
        login: row.get(1)?,
        role: Role::parse(&role).unwrap_or(Role::Operator),
        disabled: row.get(3)?,
        must_change_password: row.get(4)?,
        created_at: parse_stamp(5, row.get(5)?)?,
        display_name: row.get(6)?,
        email: row.get(7)?,
        extension: row.get(8)?,
    })
}
impl Store {
    /// Number of accounts, disabled ones included.
    pub fn account_count(&self) -> Result<usize> {
        let n: i64 = self
            .lock()
            .query_row("SELECT COUNT(*) FROM accounts", [], |r| r.get(0))
            .context("counting accounts")?;
        Ok(n as usize)
    }

    /// Creates an account; an error if the login is taken.
    pub fn create_account(
        &self,
        login: &str,
        password_hash: &str,
        role: Role,
        must_change: bool,
    ) -> Result<Account> {
        let context = || format!("creating account `{login}`");
        let mut conn = self.lock();
        let tx = write(&mut conn).with_context(context)?;
        let taken: bool = tx
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM accounts WHERE login = ?1)",
                [login],
                |r| r.get(0),
            )
            .with_context(context)?;
        anyhow::ensure!(!taken, "the login `{login}` is taken");
        tx.execute(
            "INSERT INTO accounts (login, password_hash, role, must_change_password, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![login, password_hash, role.as_str(), must_change, stamp(Utc::now())],
        )
        .with_context(context)?;
        let id = tx.last_insert_rowid();
        let account = tx
            .query_row(
                &format!("SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE id = ?1"),
                [id],
                account_from_row,
            )
            .with_context(context)?;
        tx.commit().with_context(context)?;
        Ok(account)
    }

    /// An account and its password hash, by login.
    pub fn account_by_login(&self, login: &str) -> Result<Option<(Account, String)>> {
        self.lock()
            .query_row(
                &format!("SELECT {ACCOUNT_COLUMNS}, password_hash FROM accounts WHERE login = ?1"),
                [login],
                |row| Ok((account_from_row(row)?, row.get(ACCOUNT_COLUMN_COUNT)?)),
            )
            .optional()
            .with_context(|| format!("reading account `{login}`"))
    }

    /// Every account, by login.
    pub fn accounts(&self) -> Result<Vec<Account>> {
        let conn = self.lock();
        let mut stmt = conn.prepare(&format!(
            "SELECT {ACCOUNT_COLUMNS} FROM accounts ORDER BY login"
        ))?;
        let rows = stmt
            .query_map([], account_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>();
        rows.context("listing accounts")
    }

    /// Sets a password; `false` if there is no such account. Ends the account's other sessions.
    pub fn set_password(
        &self,
        login: &str,
        password_hash: &str,
        must_change: bool,
    ) -> Result<bool> {
        let context = || format!("setting the password of `{login}`");
        let mut conn = self.lock();
        let tx = write(&mut conn).with_context(context)?;
        let changed = tx
            .execute(
                "UPDATE accounts SET password_hash = ?2, must_change_password = ?3 WHERE login = ?1",
                params![login, password_hash, must_change],
            )
            .with_context(context)?;
        tx.execute(
            "DELETE FROM sessions WHERE account_id = (SELECT id FROM accounts WHERE login = ?1)",
            [login],
        )
        .with_context(context)?;
        tx.commit().with_context(context)?;
        Ok(changed > 0)
    }

    /// Disables (or enables) an account; disabling ends its sessions. `false` if no such account.
    pub fn set_disabled(&self, login: &str, disabled: bool) -> Result<bool> {
        let context = || format!("disabling `{login}`");
        let mut conn = self.lock();
        let tx = write(&mut conn).with_context(context)?;
        let changed = tx
            .execute(
                "UPDATE accounts SET disabled = ?2 WHERE login = ?1",
                params![login, disabled],
            )
            .with_context(context)?;
        if disabled {
            tx.execute("DELETE FROM sessions WHERE account_id = (SELECT id FROM accounts WHERE login = ?1)", [login])
                .with_context(context)?;
        }
        tx.commit().with_context(context)?;
        Ok(changed > 0)
    }

    /// Changes an account's role; `false` if there is no such account. Its sessions end, so
    /// that the new role applies at once.
    pub fn set_role(&self, login: &str, role: Role) -> Result<bool> {
        let context = || format!("changing the role of `{login}`");
        let mut conn = self.lock();
        let tx = write(&mut conn).with_context(context)?;
        let changed = tx
            .execute(
                "UPDATE accounts SET role = ?2 WHERE login = ?1",
                params![login, role.as_str()],
            )
            .with_context(context)?;
        tx.execute(
            "DELETE FROM sessions WHERE account_id = (SELECT id FROM accounts WHERE login = ?1)",
            [login],
        )
        .with_context(context)?;
        tx.commit().with_context(context)?;
        Ok(changed > 0)
    }

    /// Records a session by the hash of its id.
    pub fn create_session(
        &self,
        account_id: i64,
        id_hash: &str,
        csrf: &str,
        expires_at: DateTime<Utc>,
    ) -> Result<()> {
        let mut conn = self.lock();
        let tx = write(&mut conn)?;
        tx.execute(
            "DELETE FROM sessions WHERE expires_at < ?1",
            [stamp(Utc::now())],
        )?;
        tx.execute(
            "INSERT INTO sessions (id_hash, account_id, csrf, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![id_hash, account_id, csrf, stamp(Utc::now()), stamp(expires_at)],
        )?;
        tx.commit().context("saving a session")
    }

    /// The account and CSRF token of a live session of an enabled account. Read on a reader
    /// connection, as every request asks it: never behind a write of background work.
    pub fn session(&self, id_hash: &str, now: DateTime<Utc>) -> Result<Option<(Account, String)>> {
        let columns = ACCOUNT_COLUMNS
            .split(", ")
            .map(|c| format!("a.{c}"))
            .collect::<Vec<_>>()
            .join(", ");
        self.read()
            .prepare_cached(&format!(
                "SELECT {columns}, s.csrf FROM sessions s JOIN accounts a ON a.id = s.account_id \
                 WHERE s.id_hash = ?1 AND s.expires_at > ?2 AND a.disabled = 0"
            ))
            .and_then(|mut s| {
                s.query_row(params![id_hash, stamp(now)], |row| {
                    Ok((account_from_row(row)?, row.get(ACCOUNT_COLUMN_COUNT)?))
                })
                .optional()
            })
            .context("reading a session")
    }

    /// Sets how an account is shown and reached: display name, e-mail, extension (`None`
    /// clears one). `false` when there is no such account.
    pub fn set_profile(
        &self,
        login: &str,
        display_name: Option<&str>,
        email: Option<&str>,
        extension: Option<&str>,
    ) -> Result<bool> {
        let n = self
            .lock()
            .execute(
                "UPDATE accounts SET display_name = ?2, email = ?3, extension = ?4 WHERE login = ?1",
                params![login, display_name, email, extension],
            )
            .with_context(|| format!("changing the profile of `{login}`"))?;
        Ok(n > 0)
    }

    /// The enabled accounts of exactly this role, by display name (or login).
    pub fn accounts_of_role(&self, role: Role) -> Result<Vec<Account>> {
        let mut accounts: Vec<Account> = self
            .accounts()?
            .into_iter()
            .filter(|a| a.role == role && !a.disabled)
            .collect();
        accounts.sort_by(|a, b| a.shown_name().cmp(b.shown_name()));
        Ok(accounts)
    }

    /// Calls whose manager is a manager account's display name (as an earlier release wrote
    /// them) get its login: the names matched to accounts where they agree. How many changed.
    pub fn match_managers_on_calls(&self) -> Result<usize> {
        let mut conn = self.lock();
        let tx = write(&mut conn).context("matching managers' names")?;
        let matched = tx
            .execute(
                "UPDATE calls SET manager = (SELECT a.login FROM accounts a \
                     WHERE a.role = 'manager' AND a.display_name = calls.manager) \
                 WHERE manager IS NOT NULL AND EXISTS (SELECT 1 FROM accounts a \
                     WHERE a.role = 'manager' AND a.display_name = calls.manager \
                     AND a.display_name <> a.login)",
                [],
            )
            .context("matching managers' names on calls to their accounts")?;
        // An open callback nobody owns goes to the manager its first call names.
        tx.execute(
            "UPDATE callbacks SET owner = (SELECT c.manager FROM callback_calls cc \
                 JOIN calls c ON c.id = cc.call_id WHERE cc.callback_id = callbacks.id \
                 ORDER BY cc.call_id LIMIT 1) \
             WHERE owner IS NULL AND state = 'open' AND EXISTS (SELECT 1 FROM accounts a \
                 WHERE a.role = 'manager' AND a.login = (SELECT c.manager FROM callback_calls cc \
                 JOIN calls c ON c.id = cc.call_id WHERE cc.callback_id = callbacks.id \
                 ORDER BY cc.call_id LIMIT 1))",
            [],
        )
        .context("giving unassigned callbacks to their managers")?;
        tx.commit().context("matching managers' names")?;
        Ok(matched)
    }

    /// Ends a session.
    pub fn delete_session(&self, id_hash: &str) -> Result<()> {
        self.lock()
            .execute("DELETE FROM sessions WHERE id_hash = ?1", [id_hash])
            .context("ending a session")?;
        Ok(())
    }

    /// Records a machine token by its hash; an error if a live token has that name.
    pub fn create_token(&self, name: &str, hash: &str, role: Role) -> Result<()> {
        self.lock()
            .execute(
                "INSERT INTO tokens (name, hash, role, created_at) VALUES (?1, ?2, ?3, ?4)",
                params![name, hash, role.as_str(), stamp(Utc::now())],
            )
            .map_err(|e| match e {
                rusqlite::Error::SqliteFailure(f, _)
                    if f.code == rusqlite::ErrorCode::ConstraintViolation =>
                {
                    anyhow::anyhow!(
                        "a token named `{name}` exists: revoke it first or choose another name"
                    )
                }
                e => anyhow::Error::new(e).context(format!("creating token `{name}`")),
            })?;
        Ok(())
    }

    /// The live token with this hash (read on a reader connection, as for a session).
    pub fn token(&self, hash: &str) -> Result<Option<Token>> {
        self.read()
            .prepare_cached(
                "SELECT name, role, created_at FROM tokens WHERE hash = ?1 AND revoked_at IS NULL",
            )
            .and_then(|mut s| {
                s.query_row([hash], |row| {
                    let role: String = row.get(1)?;
                    Ok(Token {
                        name: row.get(0)?,
                        role: Role::parse(&role).unwrap_or(Role::Operator),
                        created_at: parse_stamp(2, row.get(2)?)?,
                    })
                })
                .optional()
            })
            .context("reading a token")
    }

    /// Every token, live ones first, newest first (never a hash).
    pub fn tokens(&self) -> Result<Vec<TokenRecord>> {
        let conn = self.lock();
        let mut stmt = conn.prepare(
            "SELECT name, role, created_at, revoked_at FROM tokens ORDER BY revoked_at IS NOT NULL, id DESC",
        )?;
        let rows = stmt
            .query_map([], |row| {
                let role: String = row.get(1)?;
                Ok(TokenRecord {
                    name: row.get(0)?,
                    role: Role::parse(&role).unwrap_or(Role::Operator),
                    created_at: parse_stamp(2, row.get(2)?)?,
                    revoked_at: row
                        .get::<_, Option<String>>(3)?
                        .map(|t| parse_stamp(3, t))
                        .transpose()?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>();
        rows.context("listing tokens")
    }

    /// Revokes the live token with this name; `false` if there is none.
    pub fn revoke_token(&self, name: &str) -> Result<bool> {
        let n = self
            .lock()
            .execute(
                "UPDATE tokens SET revoked_at = ?2 WHERE name = ?1 AND revoked_at IS NULL",
                params![name, stamp(Utc::now())],
            )
            .with_context(|| format!("revoking token `{name}`"))?;
        Ok(n > 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::testing::store;

    #[test]
    fn accounts_are_created_listed_and_unique() {
        let (_d, store) = store();
        assert_eq!(store.account_count().unwrap(), 0);
        let a = store
            .create_account("anna", "hash", Role::Editor, false)
            .unwrap();
        assert_eq!(a.role, Role::Editor);
        assert!(store
            .create_account("anna", "hash", Role::Admin, false)
            .is_err());
        assert_eq!(store.accounts().unwrap().len(), 1);
        let (found, hash) = store.account_by_login("anna").unwrap().unwrap();
        assert_eq!((found.id, hash.as_str()), (a.id, "hash"));
    }

    #[test]
    fn sessions_expire_and_end_with_disabling_or_a_new_password() {
        let (_d, store) = store();
        let a = store
            .create_account("anna", "hash", Role::Operator, false)
            .unwrap();
        let now = Utc::now();
        store
            .create_session(a.id, "s1", "csrf1", now + chrono::Duration::hours(1))
            .unwrap();
        assert_eq!(store.session("s1", now).unwrap().unwrap().1, "csrf1");
        assert!(store
            .session("s1", now + chrono::Duration::hours(2))
            .unwrap()
            .is_none());
        store.set_password("anna", "hash2", false).unwrap();
        assert!(store.session("s1", now).unwrap().is_none());
        store
            .create_session(a.id, "s2", "csrf2", now + chrono::Duration::hours(1))
            .unwrap();
        store.set_disabled("anna", true).unwrap();
        assert!(store.session("s2", now).unwrap().is_none());
    }

    #[test]
    fn tokens_are_found_by_hash_until_revoked() {
        let (_d, store) = store();
        store.create_token("pbx", "h1", Role::Operator).unwrap();
        assert!(store.create_token("pbx", "h2", Role::Operator).is_err());
        assert_eq!(store.token("h1").unwrap().unwrap().name, "pbx");
        assert!(store.revoke_token("pbx").unwrap());
        assert!(store.token("h1").unwrap().is_none());
        store.create_token("pbx", "h3", Role::Admin).unwrap();
    }
}
