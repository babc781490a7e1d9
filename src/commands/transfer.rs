//! `callfaq import` and `callfaq export`: whole calls with their questions, as JSON lines. An
//! import with no server on the data folder also learns the history at once
//! (`actions::history`), so that it counts from the first search of the next start.

use crate::calls::transfer;
use crate::config::Config;
use crate::knowledge::Knowledge;
use crate::search::questions::{self, QuestionIndex};
use crate::store::Store;
use anyhow::Context;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

/// Loads calls from a JSON-lines file. A file with bad lines is refused whole unless
/// `skip_bad`; every bad line is reported by number either way.
/// A file imported before (the same bytes) is refused unless `again`.
pub fn import(
    config: &Config,
    file: &Path,
    skip_bad: bool,
    again: bool,
) -> anyhow::Result<ExitCode> {
    let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    let digest = crate::accounts::sha256_hex(&bytes);
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            // Said by line, as every other fault of the file is; a spreadsheet's export in the
            // Windows code page is the usual cause.
            let valid = e.utf8_error().valid_up_to();
            let line = e.as_bytes()[..valid]
                .iter()
                .filter(|&&b| b == b'\n')
                .count()
                + 1;
            anyhow::bail!(
                "{}:{line}: not UTF-8 text; nothing imported (a file saved in Windows-1251 \
                 converts with `iconv -f cp1251 -t utf-8`)",
                file.display()
            );
        }
    };
    let (knowledge, _) = Knowledge::load(&config.knowledge, None);
    let desk = config.clock();
    let (lines, errors) = transfer::parse(&text, |slug| knowledge.get(slug).is_some(), &desk);
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
    let name = file.display().to_string();
    // All or nothing in one transaction, unless a server runs on the data folder: then a slice
    // at a time, so that the desk's writes never wait for the whole file.
    let serving = crate::store::DataLock::take(&config.data).is_err();
    let slice = if serving {
        crate::store::IMPORT_SLICE
    } else {
        calls.len()
    };
    let now = chrono::Utc::now();
    let imported = match store.import_file(&digest, &name, &calls, now, again, slice)? {
        Ok(done) => {
            if done.callbacks_merged > 0 {
                eprintln!(
                    "note: {} open callbacks were of callers who had an open one already: their calls joined it, their own time, manager and attempts were left out",
                    done.callbacks_merged
                );
            }
            if done.joins_dropped > 0 {
                eprintln!(
                    "note: {} calls marked \"joined_callback\" found no callback of their caller (none before them in the file, none open): imported as plain calls",
                    done.joins_dropped
                );
            }
            if done.follow_ups_dropped > 0 {
                eprintln!(
                    "note: {} calls marked \"follow_up\" found no callback of their caller before them in the file: imported as calls the desk took",
                    done.follow_ups_dropped
                );
            }
            done.calls
        }
        Err(earlier) => {
            eprintln!(
                "nothing imported: the same file was imported on {} as {} ({} calls); pass --again to import it once more",
                earlier.at, earlier.file, earlier.calls
            );
            return Ok(ExitCode::FAILURE);
        }
    };
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
    // Learned now when no server holds the data folder (held while learning, so that none
    // starts half-way); a running server learns them in the background.
    match crate::store::DataLock::take(&config.data) {
        Ok(_lock) => learn(config, &store, &knowledge)?,
        Err(_) => eprintln!(
            "a server runs on this data folder: it learns the imported questions in the background"
        ),
    }
    Ok(ExitCode::SUCCESS)
}

/// Brings the report counts, the learned ranking and the meaning models up to date with the
/// store, at once. The sentence model and the word vectors are loaded only when there is work
/// for them.
fn learn(config: &Config, store: &Store, knowledge: &Knowledge) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    // The report counts too: a server's first refresh would otherwise count the whole history
    // while holding the writer, and the desk's first writes wait for it.
    let days = store.refresh_reports(&config.clock())?;
    eprintln!(
        "report counts brought up to date: {days} days in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let learner = crate::learn::Learner::open(&config.data);
    learner.know_answers(knowledge);
    learner.catch_up(store, knowledge.len())?;
    let retrain = learner.needs_training() || (learner.untrained() && store.link_count()? > 0);
    let encode = !store
        .unembedded_linked(crate::learn::DENSE_LINKS)?
        .is_empty();
    let mut meaning = if encode {
        crate::meaning::Meaning::open(&config.model)
    } else {
        crate::meaning::Meaning::none()
    };
    if retrain {
        meaning = meaning.with_word_vectors_from(&config.word_vectors);
    }
    if let Some(words) = meaning.word_vectors() {
        learner.use_word_vectors(words);
    }
    let answers = knowledge.slugs();
    let last = std::sync::Mutex::new(std::time::Instant::now());
    let progress = |done: usize, of: usize| {
        let mut last = last.lock().unwrap_or_else(|p| p.into_inner());
        if last.elapsed().as_secs() >= 10 || done == of {
            eprintln!("encoded {done} of {of} linked questions the meaning model learns from");
            *last = std::time::Instant::now();
        }
    };
    let learned = crate::actions::history::learn_history(
        store,
        &learner,
        &meaning,
        &answers,
        &crate::signal::Stop::never(),
        &progress,
    )?;
    eprintln!(
        "learned in {:.1} s: {}{} linked questions encoded in {:.1} s{}",
        started.elapsed().as_secs_f64(),
        if learned.retrained {
            "the learned ranking trained again; "
        } else {
            ""
        },
        learned.encoded,
        learned.encoding_seconds,
        if learned.meaning_trained {
            "; the meaning model trained again"
        } else {
            ""
        }
    );
    Ok(())
}

/// Writes every call as a JSON line to `file` or standard output. A file is written beside
/// its name and put in place whole, so that an export that fails (a full disk) leaves the
/// previous file as it was; a path that is no regular file (`/dev/stdout`, a pipe) is written
/// as it is.
pub fn export(config: &Config, file: Option<&Path>) -> anyhow::Result<ExitCode> {
    let store = Store::open(&config.data)?;
    // A link is followed: the file it names is the one replaced, the link stays.
    let followed = match file {
        Some(path) if std::fs::symlink_metadata(path).is_ok_and(|m| m.is_symlink()) => Some(
            std::fs::canonicalize(path).with_context(|| format!("following {}", path.display()))?,
        ),
        _ => None,
    };
    let file = followed.as_deref().or(file);
    let regular = file.is_some_and(|path| std::fs::metadata(path).map_or(true, |m| m.is_file()));
    let partial = file
        .filter(|_| regular)
        .map(|path| crate::store::with_suffix(path, ".partial"));
    let written = (|| -> anyhow::Result<usize> {
        let mut out: Box<dyn Write> = match (file, &partial) {
            (Some(_), Some(partial)) => {
                // Callers' data: the export is the owner's alone, like the database.
                crate::store::private::file(partial)?;
                Box::new(std::io::BufWriter::new(
                    std::fs::File::create(partial)
                        .with_context(|| format!("creating {}", partial.display()))?,
                ))
            }
            (Some(path), None) => Box::new(std::io::BufWriter::new(
                std::fs::OpenOptions::new()
                    .write(true)
                    .open(path)
                    .with_context(|| format!("opening {}", path.display()))?,
            )),
            (None, _) => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
        };
        let count = store.export(|call| {
            writeln!(out, "{}", transfer::to_line(&call))?;
            Ok(())
        })?;
        out.flush()?;
        drop(out);
        if let (Some(path), Some(partial)) = (file, &partial) {
            std::fs::File::open(partial)?.sync_all()?;
            std::fs::rename(partial, path)
                .with_context(|| format!("moving the export to {}", path.display()))?;
        }
        Ok(count)
    })();
    let count = match written {
        Ok(count) => count,
        Err(e) => {
            if let Some(partial) = &partial {
                let _ = std::fs::remove_file(partial);
            }
            return Err(e);
        }
    };
    store.audit(
        "cli",
        "export",
        &format!("{count} calls"),
        file.map(|f| f.display().to_string()).as_deref(),
    )?;
    eprintln!("exported {count} calls");
    Ok(ExitCode::SUCCESS)
}
