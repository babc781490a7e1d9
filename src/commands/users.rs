//! `callfaq user`, `callfaq token` and `callfaq purge`: accounts, machine tokens, and erasing
//! one caller's personal data on request.

use crate::actions::{accounts, Actor};
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
            crate::accounts::MIN_PASSWORD_CHARS
        );
    }
    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .context("reading the password from standard input")?;
    let password = line.trim_end_matches(['\n', '\r']).to_string();
    crate::accounts::check_new_password(&password).map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(password)
}

/// What an action refused, as the command line says it.
fn refused(e: crate::actions::ActionError) -> anyhow::Error {
    match e {
        crate::actions::ActionError::Failed(e) => e,
        crate::actions::ActionError::NotFound(_, what) => {
            anyhow::anyhow!("no account or token `{what}`")
        }
        e => anyhow::anyhow!("{e}"),
    }
}

/// `callfaq user add | passwd | list | disable`: the same actions as the admin page.
pub fn user(config: &Config, action: UserAction) -> anyhow::Result<ExitCode> {
    let store = Store::open(&config.data)?;
    let cli = Actor::cli();
    match action {
        UserAction::Add {
            login,
            role,
            name,
            email,
            extension,
        } => {
            crate::accounts::check_login(&login).map_err(|e| anyhow::anyhow!("{e}"))?;
            let profile = crate::accounts::Profile::new(
                name.as_deref(),
                email.as_deref(),
                extension.as_deref(),
            )
            .map_err(|e| anyhow::anyhow!("{e}"))?;
            let password = read_password()?;
            accounts::add_account(&store, &cli, &login, role, Some(&password), &profile)
                .map_err(refused)?;
            eprintln!("added `{login}` ({})", role.as_str());
        }
        UserAction::Passwd { login } => {
            let password = read_password()?;
            accounts::set_password(&store, &cli, &login, Some(&password)).map_err(refused)?;
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
                writeln!(
                    out,
                    "{}\t{}\t{}\t{}\t{}\t{}",
                    a.login,
                    a.role.as_str(),
                    state,
                    a.display_name.as_deref().unwrap_or(""),
                    a.email.as_deref().unwrap_or(""),
                    a.extension.as_deref().unwrap_or("")
                )?;
            }
        }
        UserAction::Disable { login } => {
            accounts::set_disabled(&store, &cli, &login, true).map_err(refused)?;
            eprintln!("disabled `{login}`; its sessions ended");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `callfaq token create | revoke`: the same actions as the admin page (a name a live token has
/// is refused on both). A new token is printed once, as the last line.
pub fn token(config: &Config, action: TokenAction) -> anyhow::Result<ExitCode> {
    let store = Store::open(&config.data)?;
    let cli = Actor::cli();
    match action {
        TokenAction::Create { name, role } => {
            let secret = accounts::create_token(&store, &cli, &name, role).map_err(refused)?;
            let mut out = std::io::stdout().lock();
            writeln!(out, "token `{name}` ({}) created; send it as `Authorization: Bearer TOKEN`. It is shown only now:", role.as_str())?;
            writeln!(out, "{secret}")?;
        }
        TokenAction::Revoke { name } => {
            accounts::revoke_token(&store, &cli, &name).map_err(refused)?;
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
