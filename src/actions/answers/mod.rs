//! The editors' workbench: answers written and changed from the browser or the API, each change
//! a version in the history (`store::revisions`) and a line in the audit log, the files in
//! `knowledge/` still the truth. The form's fields, the preview and new answers are in [`form`].
//!
//! Every change goes the same way, one at a time (`App::edits` holds the lock): the file as it
//! is on disk is recorded first if the history does not have it yet (so that a change made in a
//! text editor is never overwritten unseen), the version the editor started from is compared
//! with it (a conflict is refused, with the current text), the new text is checked by the same
//! rules as `callfaq check`, written atomically, recorded, and the library reloaded so that
//! search shows it at once. The watcher's [`record_disk`] runs under the same lock, so a save
//! is never mistaken for a change on disk.

pub mod form;

use super::{ActionError, Actor, Result, Thing};
use crate::app::App;
use crate::fields::{FieldError, FieldProblem};
use crate::knowledge::edit::{self, Source};
use crate::knowledge::history::{How, NewRevision, Revision};
use crate::knowledge::write;
use crate::knowledge::Problem;
use std::collections::HashSet;
use std::sync::MutexGuard;

/// Holds the lock of changes to answer files.
fn hold(app: &App) -> MutexGuard<'_, ()> {
    app.edits.lock().unwrap_or_else(|p| p.into_inner())
}

/// The file of `slug`, or `NotFound` when the slug could not name a file in the knowledge folder.
fn file_of(app: &App, slug: &str) -> Result<std::path::PathBuf> {
    edit::path_of(app.shelf.dir(), slug).ok_or_else(|| ActionError::not_found(Thing::Answer, slug))
}

/// Removes the folders a file left empty when it went, up to (not including) the knowledge
/// folder `root`; a folder with anything in it, or that cannot be removed, stays.
fn remove_empty_folders(root: &std::path::Path, gone: &std::path::Path) {
    let mut folder = gone.parent();
    while let Some(f) = folder.filter(|f| *f != root && f.starts_with(root)) {
        // `remove_dir` removes only an empty folder.
        if std::fs::remove_dir(f).is_err() {
            break;
        }
        folder = f.parent();
    }
}

fn io(e: std::io::Error) -> ActionError {
    ActionError::Failed(anyhow::Error::new(e).context("writing the knowledge folder"))
}

/// Who changed what, and when.
struct Change<'a> {
    by: &'a str,
    how: How,
    note: Option<String>,
}

/// The answer's file as it is now.
pub fn source(app: &App, slug: &str) -> Result<Option<Source>> {
    edit::read(app.shelf.dir(), slug).map_err(io)
}

/// Whether a file's text is no answer (the loader refuses it).
fn broken(app: &App, source: &Source) -> bool {
    let path = app.shelf.dir().join(format!("{}.md", source.slug));
    crate::knowledge::parse_answer(&source.text, &path, &source.slug).is_err()
}

/// Records the file of `slug` as it is on disk if the history's newest version differs (a
/// change made outside, not seen yet); returns it.
fn record_current(app: &App, slug: &str) -> Result<Option<Source>> {
    let current = source(app, slug)?;
    let latest = app.store.latest_versions()?.remove(slug);
    let on_disk = current.as_ref().map(|s| s.version.clone());
    match latest {
        Some(v) if v == on_disk => {}
        None if current.is_none() => {}
        // A broken file is no version of the answer: the history keeps the last good one.
        _ if current.as_ref().is_some_and(|c| broken(app, c)) => {}
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
fn write_version(app: &App, slug: &str, text: &str, change: Change<'_>) -> Result<Source> {
    let library = app.shelf.current();
    edit::check(&library.knowledge, app.shelf.dir(), slug, text).map_err(ActionError::Rejected)?;
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
    app.learner.know_answers(&app.shelf.current().knowledge);
}

fn save_file(
    app: &App,
    actor: &Actor,
    slug: &str,
    text: &str,
    expected: Option<&str>,
) -> Result<Source> {
    file_of(app, slug)?;
    let _held = hold(app);
    let current = record_current(app, slug)?;
    let how = match (&current, expected) {
        (None, None) => How::Created,
        (Some(c), Some(v)) if c.version == v => How::Saved,
        // Nothing to save over: it was removed since.
        (None, Some(_)) => return Err(ActionError::Conflict(None)),
        (Some(_), _) => return Err(ActionError::Conflict(current)),
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
            by: &actor.name,
            how,
            note: None,
        },
    )
}

fn restore_file(app: &App, actor: &Actor, slug: &str, id: i64) -> Result<Source> {
    file_of(app, slug)?;
    let _held = hold(app);
    let revision = app
        .store
        .revision(id)?
        .filter(|r| r.slug == slug)
        .ok_or(ActionError::not_found(Thing::Version, id))?;
    let text = revision
        .text
        .ok_or(ActionError::not_found(Thing::Version, id))?;
    let current = record_current(app, slug)?;
    if current.as_ref().is_some_and(|c| c.text == text) {
        return Ok(current.expect("checked"));
    }
    write_version(
        app,
        slug,
        &text,
        Change {
            by: &actor.name,
            how: How::Restored,
            note: Some(format!("version {id}")),
        },
    )
}

fn retire_file(app: &App, actor: &Actor, slug: &str) -> Result<()> {
    let file = file_of(app, slug)?;
    let _held = hold(app);
    if record_current(app, slug)?.is_none() {
        return Err(ActionError::not_found(Thing::Answer, slug));
    }
    std::fs::remove_file(&file).map_err(io)?;
    remove_empty_folders(app.shelf.dir(), &file);
    app.store.add_revision(
        NewRevision {
            slug,
            by: Some(&actor.name),
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

fn rename_file(app: &App, actor: &Actor, old: &str, new: &str) -> Result<Source> {
    let old_file = file_of(app, old)?;
    let _held = hold(app);
    let dir = app.shelf.dir();
    let current =
        record_current(app, old)?.ok_or_else(|| ActionError::not_found(Thing::Answer, old))?;
    if old == new {
        return Ok(current);
    }
    if source(app, new)?.is_some() || app.shelf.current().knowledge.get(new).is_some() {
        return Err(ActionError::Invalid(FieldError::new(
            "to",
            FieldProblem::SlugTaken(new.to_string()),
        )));
    }
    if let Some(title) = retired_title(app, new)? {
        return Err(FieldError::new("to", FieldProblem::SlugRetired(title)).into());
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
    edit::check(&others, dir, new, &current.text).map_err(ActionError::Rejected)?;
    write::save_atomically(&file_of(app, new)?, &current.text).map_err(io)?;
    std::fs::remove_file(&old_file).map_err(io)?;
    remove_empty_folders(dir, &old_file);
    let now = app.clock.now();
    let moved = app.store.rename_answer(old, new, now)?;
    app.learner.rename_answer(old, new);
    app.store.add_revision(
        NewRevision {
            slug: new,
            by: Some(&actor.name),
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
    // Links checked against the answers before the reload, and made meanwhile, follow too.
    let late = app.store.follow_rename(old, new)?;
    if late > 0 {
        tracing::info!(
            old,
            new,
            questions = late,
            "links made during the rename followed it"
        );
        app.indexing.nudge();
    }
    Ok(Source {
        slug: new.to_string(),
        ..current
    })
}

fn reviewed_file(app: &App, actor: &Actor, slug: &str) -> Result<Source> {
    let file = file_of(app, slug)?;
    let _held = hold(app);
    let current =
        record_current(app, slug)?.ok_or_else(|| ActionError::not_found(Thing::Answer, slug))?;
    let text = edit::with_reviewed(&current.text, app.clock.today()).ok_or_else(|| {
        ActionError::Rejected(vec![Problem {
            path: file,
            line: None,
            issue: crate::knowledge::Issue::NoReviewedLine,
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
            by: &actor.name,
            how: How::Reviewed,
            note: None,
        },
    )
}

/// Saves `text` as the answer `slug`, over the version `expected` (the one the editor opened);
/// `None` writes a new answer, refused when the file exists.
pub fn save(
    app: &App,
    actor: &Actor,
    slug: &str,
    text: &str,
    expected: Option<&str>,
) -> Result<Source> {
    // A new file under a retired answer's name would take its questions and history.
    if expected.is_none() && source(app, slug)?.is_none() {
        if let Some(title) = retired_title(app, slug)? {
            return Err(FieldError::new("slug", FieldProblem::SlugRetired(title)).into());
        }
    }
    let source = save_file(app, actor, slug, text, expected)?;
    let what = if expected.is_none() {
        "created"
    } else {
        "saved"
    };
    actor.audit(app, "answer", format!("answer {slug} {what}"));
    Ok(source)
}

/// Puts an earlier version back (over whatever the answer is now, which the history keeps);
/// a retired answer comes back.
pub fn restore(app: &App, actor: &Actor, slug: &str, id: i64) -> Result<Source> {
    let source = restore_file(app, actor, slug, id)?;
    // Named by its number in the answer's history, as its page shows it (ids count every
    // answer's versions); the history is newest first.
    let versions = history(app, slug)?;
    let number = versions
        .iter()
        .position(|v| v.id == id)
        .map_or(0, |i| versions.len() - i);
    actor.audit(
        app,
        "answer",
        format!("answer {slug} version {number} restored"),
    );
    Ok(source)
}

/// Takes an answer out of search: the file is removed, its history and the links of past
/// caller questions stay, and it can be restored from the history.
pub fn retire(app: &App, actor: &Actor, slug: &str) -> Result<()> {
    retire_file(app, actor, slug)?;
    // What the grouping took for this answer's is the editors' to see again.
    if app.store.release_matched(slug)? > 0 {
        app.placing.nudge();
    }
    actor.audit(app, "answer", format!("answer {slug} retired"));
    Ok(())
}

/// What is wrong with a slug as a new file's name, if anything: a word of the pages' addresses,
/// or characters a file may not have.
pub fn slug_problem(slug: &str) -> Option<FieldProblem> {
    if write::valid_slug(slug) {
        None
    } else if let Some(word) = write::reserved_part(slug) {
        Some(FieldProblem::ReservedSlug(word))
    } else {
        Some(FieldProblem::BadSlug)
    }
}

/// Moves an answer to another slug (`to` must be one a file may have): the file, its history,
/// its linked and matched caller questions, its groups and the learned ranking follow; the old
/// slug redirects.
pub fn rename(app: &App, actor: &Actor, slug: &str, to: &str) -> Result<Source> {
    if let Some(problem) = slug_problem(to) {
        return Err(FieldError::new("to", problem).into());
    }
    let source = rename_file(app, actor, slug, to)?;
    // The same name again changes nothing, and is no rename to audit.
    if slug != to {
        actor.audit(app, "answer", format!("answer {slug} renamed to {to}"));
    }
    Ok(source)
}

/// Sets the answer's review date to today.
pub fn mark_reviewed(app: &App, actor: &Actor, slug: &str) -> Result<Source> {
    let source = reviewed_file(app, actor, slug)?;
    actor.audit(app, "answer", format!("answer {slug} reviewed"));
    Ok(source)
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
        if broken(app, &current) {
            continue;
        }
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

/// The answer the served knowledge has for `slug` now: `slug` itself, or the answer it was
/// renamed to (a page opened before the rename links to the old name); `None` when there is
/// none (never was, or retired).
pub fn served_slug(app: &App, slug: &str) -> Result<Option<String>> {
    let library = app.shelf.current();
    if library.knowledge.get(slug).is_some() {
        return Ok(Some(slug.to_string()));
    }
    Ok(app
        .store
        .redirect(slug)?
        .filter(|to| library.knowledge.get(to).is_some()))
}

/// The slug an answer renamed from `slug` has now (its old address redirects); not found when
/// no answer was ever renamed from it, said as retired (by its last title) when it was.
pub fn renamed_to(app: &App, slug: &str) -> Result<String> {
    if let Some(to) = app.store.redirect(slug)? {
        return Ok(to);
    }
    // Retired: said so, by the title it had, rather than "no such answer".
    match retired_title(app, slug)? {
        Some(title) => Err(ActionError::not_found(Thing::RetiredAnswer, title)),
        None => Err(ActionError::not_found(Thing::Answer, slug)),
    }
}

/// The title of the answer retired from `slug`, when the last thing its history says is that
/// it was retired (its caller questions, counts and history are still its own: no new answer
/// takes its name).
pub fn retired_title(app: &App, slug: &str) -> Result<Option<String>> {
    let versions = app.store.revisions(slug)?;
    Ok(match versions.first() {
        Some(newest) if newest.how == How::Retired => Some(
            versions
                .iter()
                .find_map(|v| v.text.as_deref().and_then(edit::draft_of).map(|d| d.title))
                .unwrap_or_else(|| slug.to_string()),
        ),
        _ => None,
    })
}

/// An answer's history, newest first; an answer with no history and no file is not found.
pub fn history(app: &App, slug: &str) -> Result<Vec<Revision>> {
    let versions = app.store.revisions(slug)?;
    if versions.is_empty() && app.shelf.current().knowledge.get(slug).is_none() {
        return Err(ActionError::not_found(Thing::Answer, slug));
    }
    Ok(versions)
}

/// An answer's history as its page shows it.
#[derive(Debug, Clone)]
pub struct HistoryPage {
    /// The answer's title (its last known one, when it is retired).
    pub title: String,
    /// Every version, newest first.
    pub versions: Vec<Revision>,
    /// The version shown (an index in `versions`).
    pub shown: Option<usize>,
    /// Whether the answer is in service.
    pub live: bool,
}

impl HistoryPage {
    /// The texts of the version before the one shown and of the one shown, to compare.
    pub fn compared(&self) -> Option<(&str, &str)> {
        let shown = &self.versions[self.shown?];
        let before = self
            .versions
            .iter()
            .filter(|r| r.id < shown.id)
            .find(|r| r.text.is_some())?;
        Some((before.text.as_deref()?, shown.text.as_deref()?))
    }
}

/// The history page of `slug`, showing the version `shown` (the newest by default); who wrote
/// each version by the name the desk knows them by (the API's history keeps logins).
pub fn history_page(app: &App, slug: &str, shown: Option<i64>) -> Result<HistoryPage> {
    let mut versions = history(app, slug)?;
    let names = crate::actions::calls::display_names(app)?;
    for v in &mut versions {
        if let Some((_, name)) = names.iter().find(|(login, _)| v.by.as_ref() == Some(login)) {
            v.by = Some(name.clone());
        }
    }
    let shown = match shown {
        Some(id) => Some(
            versions
                .iter()
                .position(|v| v.id == id)
                .ok_or_else(|| ActionError::not_found(Thing::Version, id))?,
        ),
        None => (!versions.is_empty()).then_some(0),
    };
    let library = app.shelf.current();
    let live = library.knowledge.get(slug);
    let title = live.map(|a| a.title.clone()).unwrap_or_else(|| {
        versions
            .iter()
            .find_map(|v| v.text.as_deref().and_then(edit::draft_of).map(|d| d.title))
            .unwrap_or_else(|| slug.to_string())
    });
    Ok(HistoryPage {
        title,
        versions,
        shown,
        live: live.is_some(),
    })
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::Role;
    use crate::actions::testing;

    fn editor() -> Actor {
        Actor::person("lena", Role::Editor)
    }

    #[test]
    fn a_save_over_a_newer_file_is_refused_with_the_file_as_it_is() {
        let t = testing::app();
        let current = source(&t.app, "printer").unwrap().unwrap();
        let changed = current
            .text
            .replace("Скажите клиенту", "Скажите клиенту сразу");
        save(
            &t.app,
            &editor(),
            "printer",
            &changed,
            Some(&current.version),
        )
        .unwrap();
        match save(
            &t.app,
            &editor(),
            "printer",
            &current.text,
            Some(&current.version),
        ) {
            Err(ActionError::Conflict(Some(now))) => assert_eq!(now.text, changed),
            other => panic!("{other:?}"),
        }
        let versions = history(&t.app, "printer").unwrap();
        assert!(versions.len() >= 2);
        restore(&t.app, &editor(), "printer", versions.last().unwrap().id).unwrap();
        assert_eq!(
            source(&t.app, "printer").unwrap().unwrap().text,
            current.text
        );
    }

    #[test]
    fn no_slug_reaches_outside_the_knowledge_folder() {
        let t = testing::app();
        let outside = t.app.shelf.dir().parent().unwrap().join("victim.md");
        std::fs::write(&outside, "kept").unwrap();
        for slug in ["../victim", "/etc/passwd", "..\\victim", "a/../../victim"] {
            assert!(matches!(
                retire(&t.app, &editor(), slug),
                Err(ActionError::NotFound(Thing::Answer, _))
            ));
            assert!(source(&t.app, slug).unwrap().is_none());
        }
        assert!(matches!(
            rename(&t.app, &editor(), "printer", "../victim"),
            Err(ActionError::Invalid(_))
        ));
        assert_eq!(std::fs::read_to_string(&outside).unwrap(), "kept");
    }

    #[test]
    fn a_folder_an_answer_leaves_empty_goes_with_it() {
        let t = testing::app();
        rename(&t.app, &editor(), "printer", "office/printers/canon").unwrap();
        assert!(t.app.shelf.dir().join("office/printers").is_dir());
        rename(&t.app, &editor(), "office/printers/canon", "printer").unwrap();
        assert!(!t.app.shelf.dir().join("office").exists());
        assert!(t.app.shelf.dir().is_dir(), "the knowledge folder stays");
    }

    #[test]
    fn a_retired_answer_leaves_search_and_comes_back_by_restore() {
        let t = testing::app();
        retire(&t.app, &editor(), "printer").unwrap();
        assert!(t.app.shelf.current().knowledge.get("printer").is_none());
        let versions = history(&t.app, "printer").unwrap();
        let with_text = versions.iter().find(|v| v.text.is_some()).unwrap();
        restore(&t.app, &editor(), "printer", with_text.id).unwrap();
        assert!(t.app.shelf.current().knowledge.get("printer").is_some());
        assert!(matches!(
            history(&t.app, "never-was"),
            Err(ActionError::NotFound(Thing::Answer, _))
        ));
    }
}
