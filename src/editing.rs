//! The editors' workbench: answers written and changed from the browser or the API, each change
//! a version in the history (`store::revisions`), the files in `knowledge/` still the truth.
//!
//! Every change goes the same way, one at a time (`App::edits` holds the lock): the file as it
//! is on disk is recorded first if the history does not have it yet (so that a change made in a
//! text editor is never overwritten unseen), the version the editor started from is compared
//! with it (a conflict is refused, with the current text), the new text is checked by the same
//! rules as `callfaq check`, written atomically, recorded, and the library reloaded so that
//! search shows it at once. The watcher's [`record_disk`] runs under the same lock, so a save
//! is never mistaken for a change on disk.

use crate::app::App;
use crate::knowledge::edit::{self, Source};
use crate::knowledge::write;
use crate::knowledge::Problem;
use crate::knowledge::history::{How, NewRevision, Revision};
use std::collections::HashSet;
use std::sync::MutexGuard;

/// Holds the lock of changes to answer files.
fn hold(app: &App) -> MutexGuard<'_, ()> {
    app.edits.lock().unwrap_or_else(|p| p.into_inner())
}

/// Why a change was not made.
#[derive(Debug, thiserror::Error)]
pub enum EditError {
    /// The file changed since the editor opened it (or exists, for a new answer): here it is now.
    #[error("the answer changed since it was opened")]
    Conflict(Option<Source>),
    /// The text breaks the rules of `callfaq check`.
    #[error("the answer has problems")]
    Invalid(Vec<Problem>),
    /// No such answer (and no history of one).
    #[error("no answer {0}")]
    NotFound(String),
    /// No such version of this answer, or one without a text to restore.
    #[error("no version {0}")]
    NoVersion(i64),
    /// The new slug is taken by another answer.
    #[error("the slug {0} is taken")]
    SlugTaken(String),
    /// Disk or database trouble.
    #[error(transparent)]
    Failed(#[from] anyhow::Error),
}

/// The file of `slug`, or `NotFound` when the slug could not name a file in the knowledge folder.
fn file_of(app: &App, slug: &str) -> Result<std::path::PathBuf, EditError> {
    edit::path_of(app.shelf.dir(), slug).ok_or_else(|| EditError::NotFound(slug.to_string()))
}

fn io(e: std::io::Error) -> EditError {
    EditError::Failed(anyhow::Error::new(e).context("writing the knowledge folder"))
}

/// Who changed what, and when.
struct Change<'a> {
    by: &'a str,
    how: How,
    note: Option<String>,
}

/// The answer's file as it is now.
pub fn source(app: &App, slug: &str) -> Result<Option<Source>, EditError> {
    edit::read(app.shelf.dir(), slug).map_err(io)
}

/// Records the file of `slug` as it is on disk if the history's newest version differs (a
/// change made outside, not seen yet); returns it.
fn record_current(app: &App, slug: &str) -> Result<Option<Source>, EditError> {
    let current = source(app, slug)?;
    let latest = app.store.latest_versions()?.remove(slug);
    let on_disk = current.as_ref().map(|s| s.version.clone());
    match latest {
        Some(v) if v == on_disk => {}
        None if current.is_none() => {}
        known => {
            app.store.add_revision(
                NewRevision {
                    slug,
                    by: None,
                    how: if known.is_none() {
                        How::Loaded
                    } else {
                        How::Disk
                    },
                    text: current.as_ref().map(|s| s.text.as_str()),
                    version: on_disk.as_deref(),
                    note: None,
                },
                app.clock.now(),
            )?;
        }
    }
    Ok(current)
}

/// Checks, writes, records and reloads.
fn write_version(
    app: &App,
    slug: &str,
    text: &str,
    change: Change<'_>,
) -> Result<Source, EditError> {
    let library = app.shelf.current();
    edit::check(&library.knowledge, app.shelf.dir(), slug, text).map_err(EditError::Invalid)?;
    write::save_atomically(&file_of(app, slug)?, text).map_err(io)?;
    let version = edit::version_of(text);
    app.store.add_revision(
        NewRevision {
            slug,
            by: Some(change.by),
            how: change.how,
            text: Some(text),
            version: Some(&version),
            note: change.note.as_deref(),
        },
        app.clock.now(),
    )?;
    reload(app);
    Ok(Source {
        slug: slug.to_string(),
        text: text.to_string(),
        version,
    })
}

fn reload(app: &App) {
    // The file is written and recorded: a failed reload is for the watcher to retry.
    if let Err(e) = app.shelf.reload() {
        tracing::error!("knowledge reload after an edit: {e:#}");
    }
}

/// Saves `text` as the answer `slug`, over the version `expected` (the one the editor opened);
/// `None` writes a new answer, refused when the file exists.
pub fn save(
    app: &App,
    slug: &str,
    text: &str,
    expected: Option<&str>,
    by: &str,
) -> Result<Source, EditError> {
    file_of(app, slug)?;
    let _held = hold(app);
    let current = record_current(app, slug)?;
    let how = match (&current, expected) {
        (None, None) => How::Created,
        (Some(c), Some(v)) if c.version == v => How::Saved,
        // Nothing to save over: it was removed since.
        (None, Some(_)) => return Err(EditError::Conflict(None)),
        (Some(_), _) => return Err(EditError::Conflict(current)),
    };
    if current.as_ref().is_some_and(|c| c.text == text) {
        // The same text again: nothing to record.
        return Ok(current.expect("checked"));
    }
    write_version(
        app,
        slug,
        text,
        Change {
            by,
            how,
            note: None,
        },
    )
}

/// Puts an earlier version back (over whatever the answer is now, which the history keeps);
/// a retired answer comes back.
pub fn restore(app: &App, slug: &str, id: i64, by: &str) -> Result<Source, EditError> {
    file_of(app, slug)?;
    let _held = hold(app);
    let revision = app
        .store
        .revision(id)?
        .filter(|r| r.slug == slug)
        .ok_or(EditError::NoVersion(id))?;
    let text = revision.text.ok_or(EditError::NoVersion(id))?;
    let current = record_current(app, slug)?;
    if current.as_ref().is_some_and(|c| c.text == text) {
        return Ok(current.expect("checked"));
    }
    write_version(
        app,
        slug,
        &text,
        Change {
            by,
            how: How::Restored,
            note: Some(format!("version {id}")),
        },
    )
}

/// Takes an answer out of search: the file is removed, its history and the links of past
/// caller questions stay, and it can be restored from the history.
pub fn retire(app: &App, slug: &str, by: &str) -> Result<(), EditError> {
    let file = file_of(app, slug)?;
    let _held = hold(app);
    if record_current(app, slug)?.is_none() {
        return Err(EditError::NotFound(slug.to_string()));
    }
    std::fs::remove_file(file).map_err(io)?;
    app.store.add_revision(
        NewRevision {
            slug,
            by: Some(by),
            how: How::Retired,
            text: None,
            version: None,
            note: None,
        },
        app.clock.now(),
    )?;
    reload(app);
    Ok(())
}

/// Moves an answer to another slug: the file, its history, its linked and matched caller
/// questions, its groups and the learned ranking follow; the old slug redirects.
pub fn rename(app: &App, old: &str, new: &str, by: &str) -> Result<Source, EditError> {
    let old_file = file_of(app, old)?;
    let _held = hold(app);
    let dir = app.shelf.dir();
    let current = record_current(app, old)?.ok_or_else(|| EditError::NotFound(old.to_string()))?;
    if old == new {
        return Ok(current);
    }
    if source(app, new)?.is_some() || app.shelf.current().knowledge.get(new).is_some() {
        return Err(EditError::SlugTaken(new.to_string()));
    }
    let library = app.shelf.current();
    // Checked under its new name; its own title is no conflict.
    let others = crate::knowledge::Knowledge::from_answers(
        library
            .knowledge
            .answers()
            .iter()
            .filter(|a| a.slug != old)
            .cloned()
            .collect(),
    );
    edit::check(&others, dir, new, &current.text).map_err(EditError::Invalid)?;
    write::save_atomically(&file_of(app, new)?, &current.text).map_err(io)?;
    std::fs::remove_file(old_file).map_err(io)?;
    let now = app.clock.now();
    let moved = app.store.rename_answer(old, new, now)?;
    app.learner.rename_answer(old, new);
    app.store.add_revision(
        NewRevision {
            slug: new,
            by: Some(by),
            how: How::Renamed,
            text: Some(&current.text),
            version: Some(&current.version),
            note: Some(&format!("from {old}")),
        },
        now,
    )?;
    app.indexing.nudge();
    tracing::info!(old, new, questions = moved, "answer renamed");
    reload(app);
    Ok(Source {
        slug: new.to_string(),
        ..current
    })
}

/// Sets the answer's review date to today.
pub fn mark_reviewed(app: &App, slug: &str, by: &str) -> Result<Source, EditError> {
    let file = file_of(app, slug)?;
    let _held = hold(app);
    let current =
        record_current(app, slug)?.ok_or_else(|| EditError::NotFound(slug.to_string()))?;
    let text = edit::with_reviewed(&current.text, app.clock.today()).ok_or_else(|| {
        EditError::Invalid(vec![Problem {
            path: file,
            line: None,
            message: "the front matter has no `reviewed` line".into(),
        }])
    })?;
    if text == current.text {
        return Ok(current);
    }
    write_version(
        app,
        slug,
        &text,
        Change {
            by,
            how: How::Reviewed,
            note: None,
        },
    )
}

/// Records every answer file whose text the history does not have as its newest version (a
/// file seen for the first time, changed, or removed on disk); returns how many. Run at start
/// and by the watcher after each reload.
pub fn record_disk(app: &App) -> anyhow::Result<usize> {
    let _held = hold(app);
    let dir = app.shelf.dir();
    let mut latest = app.store.latest_versions()?;
    let now = app.clock.now();
    let mut seen = HashSet::new();
    let mut recorded = 0;
    for (path, _, _) in crate::knowledge::fingerprint(dir) {
        let slug = crate::knowledge::slug_of(dir, &path);
        let Some(current) = edit::read(dir, &slug)? else {
            continue;
        };
        seen.insert(slug.clone());
        let known = latest.remove(&slug);
        if known
            .as_ref()
            .is_some_and(|v| v.as_deref() == Some(current.version.as_str()))
        {
            continue;
        }
        app.store.add_revision(
            NewRevision {
                slug: &slug,
                by: None,
                how: if known.is_none() {
                    How::Loaded
                } else {
                    How::Disk
                },
                text: Some(&current.text),
                version: Some(&current.version),
                note: None,
            },
            now,
        )?;
        recorded += 1;
    }
    // Answers whose file went away on disk.
    for (slug, version) in latest {
        if version.is_some() && !seen.contains(&slug) {
            app.store.add_revision(
                NewRevision {
                    slug: &slug,
                    by: None,
                    how: How::Disk,
                    text: None,
                    version: None,
                    note: None,
                },
                now,
            )?;
            recorded += 1;
        }
    }
    Ok(recorded)
}

/// An answer's history, newest first, with what each version changed against the one before.
pub fn history(app: &App, slug: &str) -> anyhow::Result<Vec<Revision>> {
    app.store.revisions(slug)
}

/// Answers not checked for `days` days or more, oldest first: (slug, title, reviewed).
pub fn due_for_review(app: &App, days: i64) -> Vec<(String, String, chrono::NaiveDate)> {
    let cutoff = app.clock.today() - chrono::Duration::days(days);
    let library = app.shelf.current();
    let mut due: Vec<_> = library
        .knowledge
        .answers()
        .iter()
        .filter(|a| a.reviewed <= cutoff)
        .map(|a| (a.slug.clone(), a.title.clone(), a.reviewed))
        .collect();
    due.sort_by(|a, b| a.2.cmp(&b.2).then_with(|| a.0.cmp(&b.0)));
    due
}
