//! The commands of the binary: `serve`, `check`, `reindex`, `import`, `export`. Each returns the
//! process exit code.

use crate::app::App;
use crate::calls::store::Store;
use crate::calls::transfer;
use crate::config::Config;
use crate::knowledge::Knowledge;
use crate::library::Library;
use crate::search::questions::{self, QuestionIndex};
use crate::web::{app, AppState};
use anyhow::Context;
use std::io::Write;
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
    let listener = tokio::net::TcpListener::bind(config.bind)
        .await
        .with_context(|| format!("listening on {}", config.bind))?;
    tracing::info!(
        questions = app_state.questions.len(),
        startup_ms = started.elapsed().as_millis() as u64,
        "serving on http://{}",
        listener.local_addr()?
    );
    axum::serve(listener, app(AppState::new(app_state, config.lang)))
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
            let applied = if fresh {
                questions::rebuild(&index, &store)?
            } else {
                index.catch_up(&store)?
            };
            eprintln!("indexed {applied} caller questions");
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
    eprintln!("exported {count} calls");
    Ok(ExitCode::SUCCESS)
}
