//! The commands of the binary: `serve`, `check`, `reindex`. Each returns the process exit code.

use crate::config::Config;
use crate::knowledge::Knowledge;
use crate::library::{Library, Shelf};
use crate::web::{app, AppState};
use anyhow::Context;
use std::io::Write;
use std::process::ExitCode;
use std::time::Instant;

/// Serves pages and API until interrupted.
pub async fn serve(config: &Config) -> anyhow::Result<ExitCode> {
    std::fs::create_dir_all(&config.data)
        .with_context(|| format!("creating the data folder {}", config.data.display()))?;
    anyhow::ensure!(
        config.knowledge.is_dir(),
        "the knowledge folder {} does not exist: create it or pass --knowledge DIR",
        config.knowledge.display()
    );
    let shelf = tokio::task::spawn_blocking({
        let dir = config.knowledge.clone();
        move || Shelf::open(&dir)
    })
    .await??;
    shelf.watch();
    let listener = tokio::net::TcpListener::bind(config.bind)
        .await
        .with_context(|| format!("listening on {}", config.bind))?;
    tracing::info!("serving on http://{}", listener.local_addr()?);
    axum::serve(listener, app(AppState::new(shelf, config.lang)))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(ExitCode::SUCCESS)
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

/// Rebuilds the search index from the knowledge folder and reports what it holds.
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
    Ok(ExitCode::SUCCESS)
}
