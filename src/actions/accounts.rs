//! Staff accounts and machine tokens: logging in (checked against the login slowing), sessions,
//! changing one's password; and for admins, adding an account, changing its role, disabling it,
//! resetting its password, creating and revoking tokens, reading the audit log. Every change is
//! audited; a password or token is shown once and only its hash kept; the last enabled admin
//! can be neither disabled nor demoted, so that nobody locks the office out of its own server.
//!
//! Account actions need only the store (not the whole app), so that the command line runs them
//! while a server holds the data folder; the pages and the command line run the same ones.

use super::{ActionError, Actor, Result, Thing};
use crate::accounts::audit::AuditEntry;
use crate::accounts::throttle::Attempt;
use crate::accounts::TokenRecord;
use crate::accounts::{self, Account, Principal, Profile, Role};
use crate::app::App;
use crate::fields::{FieldError, FieldProblem};
use crate::store::Store;
use std::time::Instant;

/// Audit lines per page.
pub const AUDIT_PAGE: usize = 200;
/// How long a session lasts.
pub const SESSION_HOURS: i64 = 12;

/// Adds an account with `password`, or (`None`) a random one to be changed at the first
/// login, and its profile; the password.
pub fn add_account(
    store: &impl AsRef<Store>,
    actor: &Actor,
    login: &str,
    role: Role,
    password: Option<&str>,
    profile: &Profile,
) -> Result<String> {
    let store = store.as_ref();
    actor.require(Role::Admin)?;
    accounts::check_login(login)?;
    if let Some(clash) = new_account_clashes(store, login, profile)?
        .into_iter()
        .next()
    {
        return Err(clash.into());
    }
    let (password, must_change) = match password {
        Some(p) => {
            accounts::check_new_password(p)?;
            (p.to_string(), false)
        }
        None => (accounts::random_password(), true),
    };
    store.create_account(
        login,
        &accounts::hash_password(&password)?,
        role,
        must_change,
    )?;
    if *profile != Profile::default() {
        store.set_profile(
            login,
            profile.display_name.as_deref(),
            profile.email.as_deref(),
            profile.extension.as_deref(),
        )?;
    }
    actor.audit_store(
        store,
        "account",
        format!("account {login} added as {}", role.as_str()),
    );
    if role == Role::Manager {
        store.match_managers_on_calls()?;
    }
    Ok(password)
}

/// Sets an account's display name, e-mail and extension. A manager's display name that calls
/// recorded before managers were accounts gives those calls (and their open callbacks) to them.
pub fn set_profile(
    store: &impl AsRef<Store>,
    actor: &Actor,
    login: &str,
    profile: &Profile,
) -> Result<()> {
    let store = store.as_ref();
    actor.require(Role::Admin)?;
    profile_free(store, login, profile)?;
    if !store.set_profile(
        login,
        profile.display_name.as_deref(),
        profile.email.as_deref(),
        profile.extension.as_deref(),
    )? {
        return Err(no_account(login));
    }
    actor.audit_store(store, "account", format!("account {login} profile"));
    store.match_managers_on_calls()?;
    Ok(())
}

/// What a new account `login` with `profile` would clash with, every field's at once: a login
/// taken (letter case aside) or a token's name, a display name or an extension another
/// account has.
pub fn new_account_clashes(
    store: &impl AsRef<Store>,
    login: &str,
    profile: &Profile,
) -> Result<Vec<FieldError>> {
    let store = store.as_ref();
    let mut clashes = Vec::new();
    // No login may look like another: one differing only in case is taken too.
    let same = |other: &str| other.eq_ignore_ascii_case(login);
    if store.accounts()?.iter().any(|a| same(&a.login)) {
        clashes.push(FieldError::new("login", FieldProblem::LoginTaken));
    } else if store.tokens()?.iter().any(|t| same(&t.name)) {
        // Calls are recorded by a token's name too, revoked or not: an account of that name
        // would be taken for who made them.
        clashes.push(FieldError::new("login", FieldProblem::NamedLikeAnother));
    }
    clashes.extend(profile_clashes(store, login, profile)?);
    Ok(clashes)
}

/// Refuses an extension another enabled account has: the exchange's events name a person by
/// it, so two would make whose call it is a guess. So a display name: cards, callbacks and
/// notices show people by it, and calls recorded by name find their manager by it.
fn profile_free(store: &Store, login: &str, profile: &Profile) -> Result<()> {
    match profile_clashes(store, login, profile)?.into_iter().next() {
        Some(clash) => Err(clash.into()),
        None => Ok(()),
    }
}

/// The display name and the extension of `profile` that another enabled account than `login`
/// has, each said on its own ([`profile_free`]).
fn profile_clashes(store: &Store, login: &str, profile: &Profile) -> Result<Vec<FieldError>> {
    let given = |field: &Option<String>| {
        field
            .as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_string)
    };
    let (name, extension) = (given(&profile.display_name), given(&profile.extension));
    if name.is_none() && extension.is_none() {
        return Ok(Vec::new());
    }
    // Told apart as people read them: letter case and spaces aside.
    let said = |n: &str| {
        n.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    let others: Vec<Account> = store
        .accounts()?
        .into_iter()
        .filter(|a| a.login != login && !a.disabled)
        .collect();
    let mut clashes = Vec::new();
    if let Some(name) = &name {
        let holder = others.iter().find(|a| {
            a.display_name
                .as_deref()
                .is_some_and(|d| said(d) == said(name))
        });
        if let Some(a) = holder {
            let taken = FieldProblem::DisplayNameTaken(a.login.clone());
            clashes.push(FieldError::new("display_name", taken));
        }
    }
    if let Some(extension) = &extension {
        let holder = others
            .iter()
            .find(|a| a.extension.as_deref().map(str::trim) == Some(extension.as_str()));
        if let Some(a) = holder {
            let taken = FieldProblem::ExtensionTaken(a.login.clone());
            clashes.push(FieldError::new("extension", taken));
        }
    }
    Ok(clashes)
}

/// Whether changing `login` so that it is no longer an enabled admin leaves no enabled admin.
fn last_admin(accounts: &[Account], login: &str) -> bool {
    let enabled_admins = accounts
        .iter()
        .filter(|a| a.role == Role::Admin && !a.disabled)
        .count();
    let is_one = accounts
        .iter()
        .any(|a| a.login == login && a.role == Role::Admin && !a.disabled);
    is_one && enabled_admins <= 1
}

fn no_account(login: &str) -> ActionError {
    ActionError::not_found(Thing::Account, login)
}

/// Gives an account another role.
pub fn set_role(store: &impl AsRef<Store>, actor: &Actor, login: &str, role: Role) -> Result<()> {
    let store = store.as_ref();
    actor.require(Role::Admin)?;
    let accounts = store.accounts()?;
    // The role it has already: nothing changes, nobody is signed out, nothing is audited.
    match accounts.iter().find(|a| a.login == login) {
        None => return Err(no_account(login)),
        Some(a) if a.role == role => return Ok(()),
        Some(_) => {}
    }
    if role != Role::Admin && last_admin(&accounts, login) {
        return Err(FieldError::new("role", FieldProblem::LastAdmin).into());
    }
    if !store.set_role(login, role)? {
        return Err(no_account(login));
    }
    actor.audit_store(
        store,
        "account",
        format!("account {login} role {}", role.as_str()),
    );
    if role != Role::Manager {
        release_callbacks(store, actor, login)?;
    }
    Ok(())
}

/// Disables an account (its sessions end) or enables it again.
pub fn set_disabled(
    store: &impl AsRef<Store>,
    actor: &Actor,
    login: &str,
    disabled: bool,
) -> Result<()> {
    let store = store.as_ref();
    actor.require(Role::Admin)?;
    if disabled && actor.person.as_deref() == Some(login) {
        return Err(FieldError::new("login", FieldProblem::SelfDisable).into());
    }
    if disabled && last_admin(&store.accounts()?, login) {
        return Err(FieldError::new("login", FieldProblem::LastAdmin).into());
    }
    if !store.set_disabled(login, disabled)? {
        return Err(no_account(login));
    }
    let what = if disabled { "disabled" } else { "enabled" };
    actor.audit_store(store, "account", format!("account {login} {what}"));
    if disabled {
        release_callbacks(store, actor, login)?;
    }
    Ok(())
}

/// The open callbacks of a person who can no longer work them (disabled, or no longer a
/// manager) go to nobody, where the heads see them and give them out; audited.
fn release_callbacks(store: &Store, actor: &Actor, login: &str) -> Result<()> {
    let released = store.release_callbacks(login, &actor.name, chrono::Utc::now())?;
    if !released.is_empty() {
        let ids: Vec<String> = released.iter().map(i64::to_string).collect();
        actor.audit_store(
            store,
            "callback",
            format!(
                "callbacks {} of {login} left to the heads (unassigned)",
                ids.join(", ")
            ),
        );
    }
    Ok(())
}

/// Sets an account's password (`None`: a random one, to be changed at the next login); its
/// sessions end. The password.
pub fn set_password(
    store: &impl AsRef<Store>,
    actor: &Actor,
    login: &str,
    password: Option<&str>,
) -> Result<String> {
    let store = store.as_ref();
    actor.require(Role::Admin)?;
    let (password, must_change, what) = match password {
        Some(p) => {
            accounts::check_new_password(p)?;
            (p.to_string(), false, "set")
        }
        None => (accounts::random_password(), true, "reset"),
    };
    if !store.set_password(login, &accounts::hash_password(&password)?, must_change)? {
        return Err(no_account(login));
    }
    actor.audit_store(store, "account", format!("account {login} password {what}"));
    Ok(password)
}

/// Creates a machine token named `name` (a name no live token has) with one of the roles a
/// token may have ([`Role::FOR_TOKENS`]); the secret, shown once.
pub fn create_token(
    store: &impl AsRef<Store>,
    actor: &Actor,
    name: &str,
    role: Role,
) -> Result<String> {
    let store = store.as_ref();
    actor.require(Role::Admin)?;
    accounts::check_login(name).map_err(|e| FieldError::new("name", e.problem))?;
    if !Role::FOR_TOKENS.contains(&role) {
        return Err(FieldError::new("role", FieldProblem::ExpectedOneOf(Role::TOKEN_WORDS)).into());
    }
    if live_token(store, name)? {
        return Err(FieldError::new("name", FieldProblem::TokenTaken).into());
    }
    if store
        .accounts()?
        .iter()
        .any(|a| a.login.eq_ignore_ascii_case(name))
    {
        return Err(FieldError::new("name", FieldProblem::NamedLikeAnother).into());
    }
    let secret = format!("cfq_{}", accounts::random_secret(24));
    store.create_token(name, &accounts::secret_hash(&secret), role)?;
    actor.audit_store(
        store,
        "token",
        format!("token {name} created as {}", role.as_str()),
    );
    Ok(secret)
}

/// A consistent copy of the database for an admin to download, as `callfaq backup` writes it,
/// in a file of its own in the data folder (the caller opens it, then removes it); audited.
pub fn backup_copy(
    app: &App,
    actor: &Actor,
) -> Result<(std::path::PathBuf, crate::store::BackupSummary)> {
    actor.require(Role::Admin)?;
    let dir = app.store.data_dir().to_path_buf();
    let file = dir.join(format!(
        "{}{}.sqlite3",
        crate::store::DOWNLOAD_PREFIX,
        accounts::random_secret(8)
    ));
    let summary = crate::store::backup(&dir, &file)?;
    actor.audit(
        app,
        "export",
        format!("backup downloaded ({} calls)", summary.calls),
    );
    Ok((file, summary))
}

/// Whether a token not revoked goes by `name`, in any case.
fn live_token(store: &Store, name: &str) -> Result<bool> {
    Ok(store
        .tokens()?
        .iter()
        .any(|t| t.name.eq_ignore_ascii_case(name) && t.revoked_at.is_none()))
}

/// Revokes the live token `name`.
pub fn revoke_token(store: &impl AsRef<Store>, actor: &Actor, name: &str) -> Result<()> {
    let store = store.as_ref();
    actor.require(Role::Admin)?;
    if !store.revoke_token(name)? {
        // Revoked already (the button pressed twice): it is what was asked.
        let revoked = store
            .tokens()?
            .iter()
            .any(|t| t.name == name && t.revoked_at.is_some());
        return match revoked {
            true => Ok(()),
            false => Err(ActionError::not_found(Thing::Account, name)),
        };
    }
    actor.audit_store(store, "token", format!("token {name} revoked"));
    Ok(())
}

/// What the admin page shows: accounts, tokens and the newest audit lines.
pub fn overview(
    store: &impl AsRef<Store>,
) -> Result<(Vec<Account>, Vec<TokenRecord>, Vec<AuditEntry>)> {
    let store = store.as_ref();
    Ok((
        store.accounts()?,
        store.tokens()?,
        store.audit_log(AUDIT_PAGE, None)?,
    ))
}

/// The audit log, newest first, a page before the line `before`.
pub fn audit_log(store: &impl AsRef<Store>, before: Option<i64>) -> Result<Vec<AuditEntry>> {
    let store = store.as_ref();
    Ok(store.audit_log(AUDIT_PAGE, before)?)
}

/// The hash of a random password, verified against for unknown logins.
static DUMMY_HASH: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    accounts::hash_password(&accounts::random_secret(16)).unwrap_or_default()
});

/// How a login went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Login {
    /// Too many failures: try again after this long.
    Slowed(std::time::Duration),
    /// A wrong login or password.
    Refused,
    /// The right password of a disabled account: said so, since only its holder knows it.
    Disabled,
    /// Logged in: the new session's secret, and whether a new password must be set first.
    In {
        /// The session's secret, for the cookie.
        secret: String,
        /// A password set by an admin, to be changed now.
        must_change_password: bool,
        /// What the account may do (where it lands).
        role: Role,
    },
}

/// Logs `login` in from `address` with `password`: slowed after repeated failures (per account,
/// per address and account, per address), checked (hashing even for an unknown login, so that
/// timing does not tell which logins exist), audited with the address, and a session opened.
/// The caller holds a password permit: each check takes memory and time.
pub fn login(app: &App, address: &str, login: &str, password: &str) -> Result<Login> {
    let attempt = Attempt::new(address, login);
    if let Err(wait) = app.throttle.attempt(&attempt, Instant::now()) {
        return Ok(Login::Slowed(wait));
    }
    let found = app.store.account_by_login(login)?;
    let verified = match &found {
        Some((_, hash)) => accounts::verify_password(password, hash),
        None => {
            accounts::verify_password(password, &DUMMY_HASH);
            false
        }
    };
    // The right password of a disabled account is told apart: knowing it is knowing the
    // account exists (and it is still counted as a failure, so it is no guessing aid).
    let disabled = verified && found.as_ref().is_some_and(|(account, _)| account.disabled);
    let ok = verified && !disabled;
    let outcome = if ok { "login" } else { "login-failed" };
    // An audit line that cannot be written (the disk full) does not keep the desk out.
    if let Err(e) = app
        .store
        .audit(login, outcome, &format!("address {address}"), None)
    {
        tracing::error!("audit log: {e:#}");
    }
    match found.filter(|_| ok) {
        Some((account, _)) => {
            app.throttle.succeeded(&attempt);
            Ok(Login::In {
                secret: open_session(app, account.id)?,
                must_change_password: account.must_change_password,
                role: account.role,
            })
        }
        // Counted as a failure when the attempt started.
        None if disabled => Ok(Login::Disabled),
        None => Ok(Login::Refused),
    }
}

/// A new session of `account`: its secret (for the cookie).
pub fn open_session(app: &App, account: i64) -> Result<String> {
    let secret = accounts::random_secret(32);
    let csrf = accounts::random_secret(16);
    let expires = app.clock.now() + chrono::Duration::hours(SESSION_HOURS);
    app.store
        .create_session(account, &accounts::secret_hash(&secret), &csrf, expires)?;
    Ok(secret)
}

/// Ends the session whose cookie holds `secret`.
pub fn end_session(app: &App, secret: &str) -> Result<()> {
    Ok(app.store.delete_session(&accounts::secret_hash(secret))?)
}

/// How changing one's own password went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PasswordChange {
    /// Too many wrong current passwords: try again after this long.
    Slowed(std::time::Duration),
    /// The current password is wrong.
    Wrong,
    /// Changed; the other sessions ended, and this is the new one's secret.
    Changed(String),
}

/// A person's own new password, given the current one (guessing it is slowed like a login);
/// their other sessions end and a new one opens. The caller holds a password permit.
pub fn change_own_password(
    app: &App,
    login: &str,
    current: &str,
    new: &str,
) -> Result<PasswordChange> {
    let attempt = Attempt::password(login);
    if let Err(wait) = app.throttle.attempt(&attempt, Instant::now()) {
        return Ok(PasswordChange::Slowed(wait));
    }
    accounts::check_new_password(new)?;
    let Some((account, hash)) = app.store.account_by_login(login)? else {
        return Ok(PasswordChange::Wrong);
    };
    if !accounts::verify_password(current, &hash) {
        return Ok(PasswordChange::Wrong);
    }
    app.throttle.succeeded(&attempt);
    // A password someone else gave (a first or a reset one) is not made one's own by keeping it.
    if new == current {
        return Err(FieldError::new("new", FieldProblem::PasswordUnchanged).into());
    }
    app.store
        .set_password(login, &accounts::hash_password(new)?, false)?;
    app.store
        .audit(login, "password", &format!("account {login}"), None)?;
    Ok(PasswordChange::Changed(open_session(app, account.id)?))
}

/// Who sends a request: the machine token sent as `Authorization: Bearer`, else the session of
/// the cookie. `Err(())` for a bearer token nobody has (or that was revoked).
pub fn principal(
    app: &App,
    bearer: Option<&str>,
    session: Option<&str>,
) -> Result<std::result::Result<Option<Principal>, ()>> {
    if let Some(token) = bearer {
        return Ok(match app.store.token(&accounts::secret_hash(token))? {
            Some(t) => Ok(Some(Principal {
                name: format!("token:{}", t.name),
                role: t.role,
                csrf: None,
                must_change_password: false,
                display_name: None,
            })),
            None => Err(()),
        });
    }
    let Some(session) = session else {
        return Ok(Ok(None));
    };
    let found = app
        .store
        .session(&accounts::secret_hash(session), app.clock.now())?;
    Ok(Ok(found.map(|(account, csrf)| Principal {
        name: account.login,
        role: account.role,
        csrf: Some(csrf),
        must_change_password: account.must_change_password,
        display_name: account.display_name,
    })))
}

impl AsRef<Store> for App {
    fn as_ref(&self) -> &Store {
        &self.store
    }
}

impl Actor {
    /// [`Actor::audit`] for actions that need only the store.
    pub fn audit_store(&self, store: &Store, action: &str, subject: impl AsRef<str>) {
        if let Err(e) = store.audit(&self.name, action, subject.as_ref(), None) {
            tracing::error!("audit log: {e:#}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        (dir, store)
    }

    #[test]
    fn a_token_name_taken_is_refused_on_every_path() {
        let (_dir, store) = store();
        let admin = Actor::person("root", Role::Admin);
        create_token(&store, &admin, "pbx", Role::Operator).unwrap();
        assert!(matches!(
            create_token(&store, &Actor::cli(), "pbx", Role::Operator),
            Err(ActionError::Invalid(e)) if e.problem == FieldProblem::TokenTaken
        ));
        assert!(matches!(
            create_token(&store, &Actor::cli(), "PBX", Role::Operator),
            Err(ActionError::Invalid(e)) if e.problem == FieldProblem::TokenTaken
        ));
        revoke_token(&store, &Actor::cli(), "pbx").unwrap();
        create_token(&store, &Actor::cli(), "pbx", Role::Operator).unwrap();
        assert!(matches!(
            create_token(
                &store,
                &Actor::person("anna", Role::Operator),
                "x",
                Role::Admin
            ),
            Err(ActionError::Forbidden(Role::Operator))
        ));
        // A manager's role is a person's callbacks: no machine has it.
        assert!(matches!(
            create_token(&store, &Actor::cli(), "crm", Role::Manager),
            Err(ActionError::Invalid(e)) if e.field == "role"
        ));
        // Revoked twice (a double click) is revoked; a token nobody made is not found.
        create_token(&store, &Actor::cli(), "crm", Role::Operator).unwrap();
        revoke_token(&store, &Actor::cli(), "crm").unwrap();
        revoke_token(&store, &Actor::cli(), "crm").unwrap();
        assert!(matches!(
            revoke_token(&store, &Actor::cli(), "never"),
            Err(ActionError::NotFound(..))
        ));
    }

    #[test]
    fn a_token_and_an_account_never_share_a_name() {
        // Calls are recorded by that name: they would be both's.
        let (_dir, store) = store();
        let cli = Actor::cli();
        let profile = Profile::default();
        add_account(&store, &cli, "anna", Role::Operator, None, &profile).unwrap();
        assert!(matches!(
            create_token(&store, &cli, "anna", Role::Operator),
            Err(ActionError::Invalid(e)) if e.field == "name" && e.problem == FieldProblem::NamedLikeAnother
        ));
        assert!(matches!(
            create_token(&store, &cli, "Anna", Role::Operator),
            Err(ActionError::Invalid(e)) if e.problem == FieldProblem::NamedLikeAnother
        ));
        create_token(&store, &cli, "pbx", Role::Operator).unwrap();
        assert!(matches!(
            add_account(&store, &cli, "pbx", Role::Operator, None, &profile),
            Err(ActionError::Invalid(e)) if e.field == "login" && e.problem == FieldProblem::NamedLikeAnother
        ));
        // Revoked, its name still names its calls.
        revoke_token(&store, &cli, "pbx").unwrap();
        assert!(add_account(&store, &cli, "PBX", Role::Operator, None, &profile).is_err());
        // Nor does a login differ from another by case alone.
        assert!(matches!(
            add_account(&store, &cli, "ANNA", Role::Operator, None, &profile),
            Err(ActionError::Invalid(e)) if e.problem == FieldProblem::LoginTaken
        ));
    }

    #[test]
    fn two_enabled_accounts_never_share_a_display_name() {
        // Cards, callbacks and notices show managers by it; calls recorded by it find them.
        let (_dir, store) = store();
        let cli = Actor::cli();
        let named = |name: &str| Profile {
            display_name: Some(name.to_string()),
            ..Profile::default()
        };
        add_account(
            &store,
            &cli,
            "mikhail",
            Role::Manager,
            None,
            &named("Михаил Орлов"),
        )
        .unwrap();
        assert!(matches!(
            add_account(&store, &cli, "misha", Role::Manager, None, &named("  михаил  орлов ")),
            Err(ActionError::Invalid(e)) if e.field == "display_name"
                && e.problem == FieldProblem::DisplayNameTaken("mikhail".into())
        ));
        add_account(
            &store,
            &cli,
            "misha",
            Role::Manager,
            None,
            &named("Михаил Орлов-мл."),
        )
        .unwrap();
        assert!(set_profile(&store, &cli, "misha", &named("Михаил Орлов")).is_err());
        // Saved again with its own name, a profile is no clash with itself.
        set_profile(&store, &cli, "mikhail", &named("Михаил Орлов")).unwrap();
    }

    #[test]
    fn the_last_admin_can_be_neither_demoted_nor_disabled() {
        let (_dir, store) = store();
        let cli = Actor::cli();
        add_account(
            &store,
            &cli,
            "root",
            Role::Admin,
            Some("a-long-password"),
            &Profile::default(),
        )
        .unwrap();
        assert!(matches!(
            set_role(&store, &cli, "root", Role::Operator),
            Err(ActionError::Invalid(e)) if e.problem == FieldProblem::LastAdmin
        ));
        assert!(matches!(
            set_disabled(&store, &Actor::person("root", Role::Admin), "root", true),
            Err(ActionError::Invalid(e)) if e.problem == FieldProblem::SelfDisable
        ));
        add_account(&store, &cli, "boss", Role::Admin, None, &Profile::default()).unwrap();
        set_role(&store, &cli, "root", Role::Operator).unwrap();
        assert!(matches!(
            add_account(&store, &cli, "boss", Role::Editor, None, &Profile::default()),
            Err(ActionError::Invalid(e)) if e.problem == FieldProblem::LoginTaken
        ));
        assert!(matches!(
            set_password(&store, &cli, "nobody", None),
            Err(ActionError::NotFound(Thing::Account, _))
        ));
    }
}
