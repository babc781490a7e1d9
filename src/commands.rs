//! The commands of the binary: `serve`, `check`, `reindex`, `import`, `export`. Each returns the
//! process exit code.

use crate::accounts::{self, Role};
use crate::app::App;
use crate::calls::transfer;
use crate::config::Config;
use crate::config::{TokenAction, UserAction};
use crate::knowledge::Knowledge;
use crate::library::Library;
use crate::search::questions::{self, QuestionIndex};
use crate::store::Store;
use crate::web::{app, AppState};
use anyhow::Context;
use std::io::Write;
use std::net::SocketAddr;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

/// Serves pages and API until interrupted.
pub async fn serve(config: &Config) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let opened = tokio::task::spawn_blocking({
        let (knowledge, data) = (config.knowledge.clone(), config.data.clone());
        move || App::open(&knowledge, &data)
    })
    .await??;
    let app_state = Arc::new(opened);
    app_state.shelf.watch();
    first_admin(&app_state.store, config)?;
    start_retention(Arc::clone(&app_state.store), config.retention_days);
    let listener = tokio::net::TcpListener::bind(config.bind)
        .await
        .with_context(|| format!("listening on {}", config.bind))?;
    tracing::info!(
        questions = app_state.questions.len(),
        startup_ms = started.elapsed().as_millis() as u64,
        "serving on http://{}",
        listener.local_addr()?
    );
    let service = app(AppState::new(app_state, config.lang))
        .into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, service)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(ExitCode::SUCCESS)
}

/// With no account at all, creates `admin` with a random password that must be changed at first
/// login, and prints it once, to standard output only (never to the log).
fn first_admin(store: &Store, config: &Config) -> anyhow::Result<()> {
    if store.account_count()? > 0 {
        return Ok(());
    }
    let password = accounts::random_password();
    store.create_account(
        "admin",
        &accounts::hash_password(&password)?,
        Role::Admin,
        true,
    )?;
    store.audit("cli", "account", "account admin (first start)", None)?;
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "First start: created the account `admin` with the password {password}"
    )?;
    writeln!(
        out,
        "Log in at http://{}/login and set a new password. This password is not shown again.",
        config.bind
    )?;
    out.flush()?;
    Ok(())
}

/// How often the retention period is applied.
const RETENTION_EVERY: std::time::Duration = std::time::Duration::from_secs(3600);

/// Erases callers' personal data past the retention period now and every hour after.
fn start_retention(store: Arc<Store>, days: u32) {
    if days == 0 {
        return;
    }
    std::thread::Builder::new()
        .name("retention".into())
        .spawn(move || loop {
            let cutoff = chrono::Utc::now() - chrono::Duration::days(i64::from(days));
            match store.erase_personal_data_before(cutoff) {
                Ok(0) => {}
                Ok(n) => {
                    tracing::info!(
                        calls = n,
                        days,
                        "erased callers' personal data past the retention period"
                    );
                    let _ = store.audit(
                        "retention",
                        "erase",
                        &format!("{n} calls before {}", cutoff.date_naive()),
                        None,
                    );
                }
                Err(e) => tracing::error!("retention: {e:#}"),
            }
            std::thread::sleep(RETENTION_EVERY);
        })
        .expect("starting the retention thread");
}

/// Validates the knowledge folder: one line per problem on standard output, exit 1 if any.
pub fn check(config: &Config) -> anyhow::Result<ExitCode> {
    let (knowledge, problems) = Knowledge::load(&config.knowledge, None);
    let mut out = std::io::stdout().lock();
    for p in &problems {
        writeln!(out, "{p}")?;
    }
    if problems.is_empty() {
        eprintln!(
            "{}: {} answers, no problems",
            config.knowledge.display(),
            knowledge.len()
        );
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!(
            "{}: {} answers served, {} problems",
            config.knowledge.display(),
            knowledge.len(),
            problems.len()
        );
        Ok(ExitCode::FAILURE)
    }
}

/// Rebuilds the answer index and the caller-question index, and reports what they hold.
pub fn reindex(config: &Config) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let library = Library::load(&config.knowledge, None)?;
    for p in &library.problems {
        println!("{p}");
    }
    eprintln!(
        "indexed {} answers in {:.0} ms",
        library.knowledge.len(),
        started.elapsed().as_secs_f64() * 1000.0
    );
    let started = Instant::now();
    let store = Store::open(&config.data)?;
    let (index, _) = QuestionIndex::open_or_create(&questions::index_dir(&config.data))?;
    let count = questions::rebuild(&index, &store)?;
    eprintln!(
        "indexed {count} caller questions in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}

/// Loads calls from a JSON-lines file. A file with bad lines is refused whole unless
/// `skip_bad`; every bad line is reported by number either way.
pub fn import(config: &Config, file: &Path, skip_bad: bool) -> anyhow::Result<ExitCode> {
    let text =
        std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
    let (knowledge, _) = Knowledge::load(&config.knowledge, None);
    let (lines, errors) = transfer::parse(&text, |slug| knowledge.get(slug).is_some());
    for e in &errors {
        eprintln!("{}:{}: {}", file.display(), e.line, e.message);
    }
    if !errors.is_empty() && !skip_bad {
        eprintln!(
            "nothing imported: {} bad lines (fix them, or pass --skip-bad to load the rest)",
            errors.len()
        );
        return Ok(ExitCode::FAILURE);
    }
    let calls: Vec<_> = lines.into_iter().map(|(_, call)| call).collect();
    let store = Store::open(&config.data)?;
    let imported = store.import(&calls, chrono::Utc::now())?;
    let questions: usize = calls.iter().map(|c| c.questions.len()).sum();
    eprintln!(
        "imported {imported} calls with {questions} questions; skipped {} bad lines",
        errors.len()
    );
    // Index now when no server holds the index; a running server picks the changes up itself.
    match QuestionIndex::open_or_create(&questions::index_dir(&config.data)) {
        Ok((index, fresh)) => {
            // The calls are saved: an indexing failure is reported, not an import failure (a
            // second import would duplicate them). The next start or `reindex` indexes them.
            let applied = if fresh {
                questions::rebuild(&index, &store)
            } else {
                index.catch_up(&store)
            };
            match applied {
                Ok(n) => eprintln!("indexed {n} caller questions"),
                Err(e) => eprintln!(
                    "warning: not indexed now ({e:#}); `callfaq reindex` or the next start does it"
                ),
            }
        }
        Err(e) => eprintln!("not indexed now ({e:#}); the running server indexes them"),
    }
    Ok(ExitCode::SUCCESS)
}

/// Writes every call as a JSON line to `file` or standard output.
pub fn export(config: &Config, file: Option<&Path>) -> anyhow::Result<ExitCode> {
    let store = Store::open(&config.data)?;
    let mut out: Box<dyn Write> = match file {
        Some(path) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    let count = store.export(|call| {
        writeln!(out, "{}", transfer::to_line(&call))?;
        Ok(())
    })?;
    out.flush()?;
    store.audit(
        "cli",
        "export",
        &format!("{count} calls"),
        file.map(|f| f.display().to_string()).as_deref(),
    )?;
    eprintln!("exported {count} calls");
    Ok(ExitCode::SUCCESS)
}

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
