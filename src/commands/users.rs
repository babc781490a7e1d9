//! `callfaq user`, `callfaq token` and `callfaq purge`: accounts, machine tokens, and erasing
//! one caller's personal data on request.

use crate::accounts;
use crate::config::{Config, TokenAction, UserAction};
use crate::store::Store;
use anyhow::Context;
use std::io::Write;
use std::process::ExitCode;

/// Reads a password from the first line of standard input, checking it.
fn read_password() -> anyhow::Result<String> {
    if std::io::IsTerminal::is_terminal(&std::io::stdin()) {
        eprint!(
            "password (at least {} characters), then Enter: ",
            accounts::MIN_PASSWORD_CHARS
        );
    }
    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .context("reading the password from standard input")?;
    let password = line.trim_end_matches(['\n', '\r']).to_string();
    accounts::check_new_password(&password).map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(password)
}

/// `callfaq user add | passwd | list | disable`.
pub fn user(config: &Config, action: UserAction) -> anyhow::Result<ExitCode> {
    let store = Store::open(&config.data)?;
    match action {
        UserAction::Add { login, role } => {
            accounts::check_login(&login).map_err(|e| anyhow::anyhow!("{e}"))?;
            let password = read_password()?;
            store.create_account(&login, &accounts::hash_password(&password)?, role, false)?;
            store.audit(
                "cli",
                "account",
                &format!("account {login} added as {}", role.as_str()),
                None,
            )?;
            eprintln!("added `{login}` ({})", role.as_str());
        }
        UserAction::Passwd { login } => {
            let password = read_password()?;
            anyhow::ensure!(
                store.set_password(&login, &accounts::hash_password(&password)?, false)?,
                "no account `{login}`"
            );
            store.audit(
                "cli",
                "account",
                &format!("account {login} password set"),
                None,
            )?;
            eprintln!("password of `{login}` set; its sessions ended");
        }
        UserAction::List => {
            let mut out = std::io::stdout().lock();
            for a in store.accounts()? {
                let state = if a.disabled {
                    "disabled"
                } else if a.must_change_password {
                    "must change password"
                } else {
                    "active"
                };
                writeln!(out, "{}\t{}\t{}", a.login, a.role.as_str(), state)?;
            }
        }
        UserAction::Disable { login } => {
            anyhow::ensure!(store.set_disabled(&login, true)?, "no account `{login}`");
            store.audit("cli", "account", &format!("account {login} disabled"), None)?;
            eprintln!("disabled `{login}`; its sessions ended");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `callfaq token create | revoke`. A new token is printed once, as the last line.
pub fn token(config: &Config, action: TokenAction) -> anyhow::Result<ExitCode> {
    let store = Store::open(&config.data)?;
    match action {
        TokenAction::Create { name, role } => {
            accounts::check_login(&name).map_err(|e| anyhow::anyhow!("token name: {e}"))?;
            let secret = format!("cfq_{}", accounts::random_secret(24));
            store.create_token(&name, &accounts::secret_hash(&secret), role)?;
            store.audit(
                "cli",
                "token",
                &format!("token {name} created as {}", role.as_str()),
                None,
            )?;
            let mut out = std::io::stdout().lock();
            writeln!(out, "token `{name}` ({}) created; send it as `Authorization: Bearer TOKEN`. It is shown only now:", role.as_str())?;
            writeln!(out, "{secret}")?;
        }
        TokenAction::Revoke { name } => {
            anyhow::ensure!(store.revoke_token(&name)?, "no live token named `{name}`");
            store.audit("cli", "token", &format!("token {name} revoked"), None)?;
            eprintln!("revoked `{name}`");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `callfaq purge --phone NUMBER`: erases one caller's personal data on request.
pub fn purge(config: &Config, phone: &str) -> anyhow::Result<ExitCode> {
    let key = crate::calls::phone::normalize(phone).ok_or_else(|| {
        anyhow::anyhow!("`{phone}` is not a phone number: give at least 5 digits")
    })?;
    let store = Store::open(&config.data)?;
    let n = store.erase_personal_data_of_phone(&key)?;
    store.audit(
        "cli",
        "erase",
        &format!("phone {key}"),
        Some(&format!("{n} calls")),
    )?;
    println!("erased the personal data of {n} calls from {phone}; their questions and counts stay");
    Ok(ExitCode::SUCCESS)
}
