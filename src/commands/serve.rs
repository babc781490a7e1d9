//! `callfaq serve`: opens the app, starts the background jobs (and, with `--ami`, the Asterisk
//! client), serves pages and the JSON API, and on Ctrl-C or SIGTERM stops cleanly: the pages'
//! ringing streams ended, no new connections, requests in flight answered, the AMI client
//! stopped, the index committed, the database checkpointed, exit 0.

use crate::accounts::{self, Role};
use crate::app::App;
use crate::config::Config;
use crate::jobs::exchange::AmiFeed;
use crate::jobs::{JobOptions, Jobs};
use crate::pbx::ami::AmiSettings;
use crate::pbx::settings::{Secrets, AMI_SECRET_ENV};
use crate::store::Store;
use crate::web::{router, WebState};
use anyhow::Context;
use std::io::Write;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

/// Serves pages and API until interrupted.
pub async fn serve(config: &Config) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    // One server per data folder: a second one, or a restore, is refused while this one runs.
    let _lock = crate::store::DataLock::take(&config.data)?;
    // Listened to from the start: a stop while the app opens ends the process at once (nothing
    // was acknowledged yet, and what opening wrote is committed).
    let stop = stop_requested();
    tokio::pin!(stop);
    let opening = tokio::task::spawn_blocking({
        let (knowledge, data) = (config.knowledge.clone(), config.data.clone());
        let clock = config.clock();
        let model = config.model.clone();
        let words = config.word_vectors.clone();
        let lang = config.lang;
        move || {
            // A new data folder gets the desk's lists and script in the interface's language.
            crate::desk::Desk::write_defaults(&data, lang)?;
            App::open(&knowledge, &data, clock).map(|app| {
                app.with_meaning(
                    crate::meaning::Meaning::open(&model).with_word_vectors_from(&words),
                )
            })
        }
    });
    let mut opened = tokio::select! {
        opened = opening => opened??,
        () = &mut stop => {
            // The opening thread cannot be interrupted and the runtime would wait for it.
            tracing::info!("stopped while opening");
            std::process::exit(0);
        }
    };
    opened.review_days = config.review_days;
    opened.lang = config.lang;
    opened.exchanges.secrets = Secrets::from_env();
    for (adapter, variable) in opened.exchanges.secrets.missing(&opened.desk.settings.pbx) {
        tracing::warn!(
            "desk.toml switches on the {} adapter, but {variable} is not set: its requests are refused (503)",
            adapter.as_str()
        );
    }
    let ami_settings = match &config.ami {
        Some(address) => {
            let secret = std::env::var(AMI_SECRET_ENV)
                .ok()
                .filter(|s| !s.trim().is_empty())
                .with_context(|| {
                    format!("--ami {address}: set the manager user's secret in {AMI_SECRET_ENV}")
                })?;
            Some(AmiSettings::new(address, &config.ami_user, &secret))
        }
        None => None,
    };
    let app = Arc::new(opened);

    first_admin(&app.store, config)?;
    // Calls that rang when the server stopped ring on the pages again until their end comes.
    match crate::actions::pbx::show_still_ringing(&app) {
        Ok(0) => {}
        Ok(shown) => tracing::info!(shown, "calls still ringing shown again"),
        Err(e) => tracing::warn!("calls still ringing not shown again: {e:#}"),
    }
    let jobs = Jobs::start(
        &app,
        JobOptions {
            watch_knowledge: true,
            retention_days: config.retention_days,
        },
    )?;
    let listener = tokio::net::TcpListener::bind(config.bind)
        .await
        .with_context(|| format!("listening on {}", config.bind))?;
    tracing::info!(
        questions = app.questions.len(),
        startup_ms = started.elapsed().as_millis() as u64,
        "serving on http://{}",
        listener.local_addr()?
    );
    let ami = match ami_settings {
        Some(settings) => {
            tracing::info!(address = %settings.address, user = %settings.username, "following calls on Asterisk (AMI)");
            Some(AmiFeed::start(&app, settings).context("starting the AMI client")?)
        }
        None => None,
    };
    let limits = config.limits();
    let state = WebState::new(Arc::clone(&app), config.lang).with_body_timeout(limits.body_timeout);
    // The operators' pages listen to a stream that never ends by itself: it ends with the stop,
    // before the requests in flight are drained.
    let screens = Arc::clone(&app);
    let stop = async move {
        stop.await;
        screens.exchanges.screens.close();
    };
    crate::listener::serve(listener, router(state), limits, stop).await?;
    if let Some(ami) = ami {
        tokio::task::spawn_blocking(move || ami.stop()).await?;
    }
    // Requests in flight are answered; now the jobs finish, the index commits and the database
    // checkpoints.
    tokio::task::spawn_blocking(move || jobs.shutdown()).await??;
    tracing::info!("stopped");
    // Everything is written: the process ends now. Returning would drop the runtime, which waits
    // for every thread of its blocking pool to wake and exit, and on a machine busy with other
    // work that took seconds (7-8 s measured with both cores taken); the data folder's lock is
    // the system's, released with the process.
    std::process::exit(0)
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

/// Resolves on Ctrl-C or SIGTERM (what `systemctl stop` and `docker stop` send).
async fn stop_requested() {
    let interrupt = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::error!("listening for Ctrl-C: {e}");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(e) => {
                tracing::error!("listening for SIGTERM: {e}");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
    tracing::info!("stopping: answering the requests in flight, accepting no new ones");
}
