//! Answers: the operator's answer page, and for editors the workbench under it (`edit`,
//! `history`, restore, `retire`, `rename`, `reviewed`), a new answer, the review list and the
//! live preview; the same through the JSON API (`source`, `history`, ...). A slug may contain
//! `/`, so one catch-all route serves each family and tells the pages apart by how the path
//! ends; the route table declares each with its own role, which the guard applies.
//!
//! Every change goes through `editing` and is audited.

use super::error::{Error, Thing};
use super::extract::{json_object, Viewer};
use super::{audit, blocking, paths, search, WebState};
use crate::editing::{self, EditError};
use crate::fields::{FieldError, FieldProblem};
use crate::knowledge::edit::{self, Source};
use crate::knowledge::write::{self, Draft};
use crate::knowledge::{markdown, Audience, Problem};
use crate::knowledge::history::Revision;
use crate::views;
use crate::views::editing::EditForm;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Json;
use serde_json::{json, Map, Value};
use std::collections::HashMap;
use std::sync::Arc;

/// An answer's slug from the path, if it could name an answer file: anything else (`..`, an
/// absolute path, a backslash, a reserved word) names nothing, before any file is touched.
fn slug_of(slug: &str) -> Result<&str, Error> {
    if crate::knowledge::served_slug(slug) {
        Ok(slug)
    } else {
        Err(Error::not_found(
            Thing::Answer,
            crate::text::clip(slug, 200),
        ))
    }
}

/// An address of the earlier layout, where the editors' word followed the slug
/// (`/answers/printer/edit`): moved (`308`, the method kept) to today's route for editors, and
/// refused to everyone else, since what it named is theirs. `None`: not such an address.
fn moved(viewer: &Viewer, rest: &str, api: bool) -> Result<Option<Response>, Error> {
    let Some(to) = paths::moved_answer_address(rest, api) else {
        return Ok(None);
    };
    viewer.require(crate::accounts::Role::Editor)?;
    Ok(Some(Redirect::permanent(&to).into_response()))
}

fn form_of(bytes: &[u8]) -> HashMap<String, String> {
    form_urlencoded::parse(bytes).into_owned().collect()
}

fn editor(viewer: &Viewer) -> String {
    viewer.actor()
}

// ---------------------------------------------------------------------------------------------
// The form and its checks
// ---------------------------------------------------------------------------------------------

/// The form's fields as typed.
fn edit_form(fields: &HashMap<String, String>) -> EditForm {
    let get = |k: &str| fields.get(k).cloned().unwrap_or_default();
    EditForm {
        new_slug: get("slug").trim().to_string(),
        group: fields.get("group").and_then(|g| g.parse().ok()),
        version: get("version"),
        title: get("title"),
        questions: get("questions"),
        audience: Audience::parse(&get("audience")),
        tags: get("tags"),
        reviewed: get("reviewed"),
        body: get("body").replace("\r\n", "\n"),
        ..EditForm::default()
    }
}

/// The form of an existing file.
fn form_of_source(source: &Source) -> EditForm {
    let mut form = match edit::draft_of(&source.text) {
        Some(d) => EditForm {
            title: d.title,
            questions: d.questions.join("\n"),
            audience: Some(d.audience),
            tags: d.tags.join(", "),
            reviewed: d.reviewed.to_string(),
            body: d.body.unwrap_or_default(),
            ..EditForm::default()
        },
        // Front matter that does not parse: the whole text in the body, to fix there.
        None => EditForm {
            body: source.text.clone(),
            ..EditForm::default()
        },
    };
    form.slug = Some(source.slug.clone());
    form.version = source.version.clone();
    form
}

fn form_of_draft(draft: &Draft) -> EditForm {
    EditForm {
        title: draft.title.clone(),
        questions: draft.questions.join("\n"),
        audience: Some(draft.audience),
        tags: draft.tags.join(", "),
        reviewed: draft.reviewed.to_string(),
        body: draft.body.clone().unwrap_or_else(|| {
            write::TEMPLATE
                .split_once("\n+++\n")
                .map_or("", |(_, b)| b)
                .trim_end()
                .to_string()
        }),
        ..EditForm::default()
    }
}

/// The lines of the front matter `write::render` writes, by field: a problem on one of them
/// is shown beside that field.
const FRONT_LINES: [&str; 7] = [
    "body",
    "body",
    "title",
    "questions",
    "audience",
    "tags",
    "reviewed",
];

/// The file text of the form, or what is wrong with it by field, in the interface's words where
/// the form can say it better than `check`.
fn compose(state: &WebState, form: &EditForm, slug: &str) -> Result<String, Vec<(String, String)>> {
    let t = state.texts;
    let mut problems: Vec<(String, String)> = Vec::new();
    let mut problem =
        |field: &str, p: FieldProblem| problems.push((field.to_string(), t.field_problem(&p)));
    let title = form.title.trim();
    if title.is_empty() {
        problem("title", FieldProblem::Required);
    } else if title.chars().count() > crate::calls::MAX_FIELD_CHARS {
        problem(
            "title",
            FieldProblem::TooLong(crate::calls::MAX_FIELD_CHARS),
        );
    }
    let reviewed = chrono::NaiveDate::parse_from_str(form.reviewed.trim(), "%Y-%m-%d");
    if reviewed.is_err() {
        problem("reviewed", FieldProblem::ExpectedDate);
    }
    if form.audience.is_none() {
        problem(
            "audience",
            FieldProblem::ExpectedOneOf(&["primary", "secondary", "all"]),
        );
    }
    if form.body.trim().is_empty() {
        problem("body", FieldProblem::Required);
    }
    let library = state.app.shelf.current();
    if let Some(other) = library
        .knowledge
        .with_title(title)
        .filter(|a| a.slug != slug && !title.is_empty())
    {
        problem("title", FieldProblem::TitleTaken(other.slug.clone()));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let lines = |text: &str| -> Vec<String> {
        text.lines()
            .map(|l| l.trim().to_string())
            .filter(|l| !l.is_empty())
            .collect()
    };
    let draft = Draft {
        title: title.to_string(),
        questions: lines(&form.questions),
        audience: form.audience.unwrap_or(Audience::All),
        tags: form
            .tags
            .split(',')
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
            .collect(),
        reviewed: reviewed.expect("checked"),
        body: Some(form.body.clone()),
    };
    let text = write::render(&draft);
    edit::check(&library.knowledge, state.app.shelf.dir(), slug, &text)
        .map(|_| text)
        .map_err(|problems| by_field(state, &problems, true))
}

/// `check`'s problems by field: by the line they are on when the text came from the form.
fn by_field(state: &WebState, problems: &[Problem], from_form: bool) -> Vec<(String, String)> {
    problems
        .iter()
        .map(|p| {
            let field = match p.line {
                Some(line) if from_form && line < FRONT_LINES.len() => FRONT_LINES[line],
                _ => "body",
            };
            let message = match p.line {
                Some(line) => {
                    crate::i18n::Texts::fill(state.texts.edit_problem_line, &[&line, &p.message])
                }
                None => p.message.clone(),
            };
            (field.to_string(), message)
        })
        .collect()
}

/// The body as the answer page would show it, rendered off the request threads; empty when it
/// is over the size of an answer file or nests too deep (what a save would refuse anyway), so
/// that no preview costs more than a bounded moment.
async fn preview_html(body: &str) -> Result<String, Error> {
    let body = body.to_string();
    blocking(move || {
        Ok(markdown::preview(&body, crate::knowledge::MAX_FILE_BYTES as usize).unwrap_or_default())
    })
    .await
}

async fn form_page(viewer: &Viewer, mut form: EditForm, status: StatusCode) -> Response {
    form.preview = match preview_html(&form.body).await {
        Ok(html) => html,
        Err(e) => return e.into_response(),
    };
    let max_kb = crate::knowledge::MAX_FILE_BYTES / 1024;
    (status, views::editing::edit(&viewer.ctx(), &form, max_kb)).into_response()
}

fn edit_failed(e: EditError, slug: &str) -> Error {
    match e {
        EditError::NotFound(s) => Error::not_found(Thing::Answer, s),
        EditError::NoVersion(id) => Error::not_found(Thing::Version, id),
        EditError::SlugTaken(s) => FieldError::new("to", FieldProblem::SlugTaken(s)).into(),
        EditError::Failed(cause) => Error::Internal(cause),
        EditError::Conflict(_) | EditError::Invalid(_) => Error::Internal(anyhow::anyhow!(
            "unhandled outcome of an edit of {slug}: {e}"
        )),
    }
}

async fn current_source(state: &WebState, slug: &str) -> Result<Option<Source>, Error> {
    let app = Arc::clone(&state.app);
    let slug = slug.to_string();
    blocking(move || editing::source(&app, &slug).map_err(anyhow::Error::new)).await
}

// ---------------------------------------------------------------------------------------------
// Pages
// ---------------------------------------------------------------------------------------------

/// `GET /answers/{*slug}`: the answer page (an address of the earlier layout is moved).
pub async fn page(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(rest): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, Error> {
    if let Some(moved) = moved(&viewer, &rest, false)? {
        return Ok(moved);
    }
    show(&state, &viewer, slug_of(&rest)?, &query).await
}

/// `POST /answers/{*slug}`: only a form of the earlier layout posts here (moved for editors).
pub async fn page_post(viewer: Viewer, Path(rest): Path<String>) -> Result<Response, Error> {
    moved(&viewer, &rest, false)?.ok_or(Error::MethodNotAllowed)
}

/// `GET /answers/edit/{*slug}`: the edit form (`?saved` after a save).
pub async fn edit_page(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(slug): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, Error> {
    let slug = slug_of(&slug)?;
    let source = current_source(&state, slug)
        .await?
        .ok_or_else(|| Error::not_found(Thing::Answer, slug))?;
    let mut form = form_of_source(&source);
    form.saved = query.contains_key("saved");
    Ok(form_page(&viewer, form, StatusCode::OK).await)
}

/// `POST /answers/edit/{*slug}`: saves the form.
pub async fn save_page(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(slug): Path<String>,
    body: Bytes,
) -> Result<Response, Error> {
    save_form(&state, &viewer, slug_of(&slug)?, &form_of(&body)).await
}

/// `GET /answers/history/{*slug}`: every version, one shown against the one before.
pub async fn history(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(slug): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, Error> {
    history_page(&state, &viewer, slug_of(&slug)?, &query).await
}

/// `POST /answers/restore/{id}/{*slug}`: puts a version back.
pub async fn restore_form(
    State(state): State<WebState>,
    viewer: Viewer,
    Path((id, slug)): Path<(String, String)>,
) -> Result<Response, Error> {
    let source = restore(&state, &viewer, slug_of(&slug)?, version_id(&id)?).await?;
    Ok(Redirect::to(&paths::answer_link(
        paths::ANSWER_HISTORY,
        &source.slug,
        None,
    ))
    .into_response())
}

/// `POST /answers/retire/{*slug}`: takes the answer out of search.
pub async fn retire_form(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(slug): Path<String>,
) -> Result<Response, Error> {
    retire(&state, &viewer, slug_of(&slug)?).await?;
    Ok(Redirect::to(paths::REVIEW_PAGE).into_response())
}

/// `POST /answers/rename/{*slug}` with `to`: gives the answer another slug.
pub async fn rename_form(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(slug): Path<String>,
    body: Bytes,
) -> Result<Response, Error> {
    let form = form_of(&body);
    let to = form
        .get("to")
        .map(|s| s.trim().to_string())
        .unwrap_or_default();
    let source = rename(&state, &viewer, slug_of(&slug)?, &to).await?;
    Ok(Redirect::to(&format!(
        "{}?saved",
        paths::answer_link(paths::ANSWER_EDIT, &source.slug, None)
    ))
    .into_response())
}

/// `POST /answers/reviewed/{*slug}`: the answer was checked today (`back=review` returns to
/// the review list).
pub async fn reviewed_form(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(slug): Path<String>,
    body: Bytes,
) -> Result<Response, Error> {
    let slug = slug_of(&slug)?;
    reviewed(&state, &viewer, slug).await?;
    Ok(
        if form_of(&body).get("back").map(String::as_str) == Some("review") {
            Redirect::to(paths::REVIEW_PAGE).into_response()
        } else {
            Redirect::to(&format!(
                "{}?saved",
                paths::answer_link(paths::ANSWER_EDIT, slug, None)
            ))
            .into_response()
        },
    )
}

/// A version's id from the path.
fn version_id(id: &str) -> Result<i64, Error> {
    id.parse()
        .ok()
        .filter(|&n: &i64| n > 0)
        .ok_or_else(|| Error::not_found(Thing::Version, crate::text::clip(id, 40)))
}

async fn show(
    state: &WebState,
    viewer: &Viewer,
    slug: &str,
    query: &HashMap<String, String>,
) -> Result<Response, Error> {
    let library = state.app.shelf.current();
    if library.knowledge.get(slug).is_none() {
        // A renamed answer's old address.
        let store = Arc::clone(&state.app.store);
        let old = slug.to_string();
        if let Some(new) = blocking(move || store.redirect(&old)).await? {
            return Ok(Redirect::permanent(&paths::answer_page(&new)).into_response());
        }
    }
    let q = query.get("q").cloned().unwrap_or_default();
    search::answer_page_of(state, viewer, slug, &q)
}

async fn save_form(
    state: &WebState,
    viewer: &Viewer,
    slug: &str,
    fields: &HashMap<String, String>,
) -> Result<Response, Error> {
    let mut form = edit_form(fields);
    form.slug = Some(slug.to_string());
    let text = match compose(state, &form, slug) {
        Ok(text) => text,
        Err(problems) => {
            form.problems = problems;
            return Ok(form_page(viewer, form, StatusCode::UNPROCESSABLE_ENTITY).await);
        }
    };
    let (app, s, by, version) = (
        Arc::clone(&state.app),
        slug.to_string(),
        editor(viewer),
        form.version.clone(),
    );
    let saved = blocking(move || Ok(editing::save(&app, &s, &text, Some(&version), &by))).await?;
    match saved {
        Ok(_) => {
            audit(state, viewer, "answer", format!("answer {slug} saved")).await;
            Ok(Redirect::to(&format!(
                "{}?saved",
                paths::answer_link(paths::ANSWER_EDIT, slug, None)
            ))
            .into_response())
        }
        Err(EditError::Conflict(current)) => {
            // Nothing lost: the editor's text stays in the form, the file's beside it; the next
            // save goes over the version shown.
            form.version = current
                .as_ref()
                .map(|c| c.version.clone())
                .unwrap_or_default();
            form.conflict = Some(current);
            Ok(form_page(viewer, form, StatusCode::CONFLICT).await)
        }
        Err(EditError::Invalid(problems)) => {
            form.problems = by_field(state, &problems, true);
            Ok(form_page(viewer, form, StatusCode::UNPROCESSABLE_ENTITY).await)
        }
        Err(e) => Err(edit_failed(e, slug)),
    }
}

/// `GET /new-answer[?group=ID]`: a new answer's form, from a group's phrasings when given.
pub async fn new_page(
    State(state): State<WebState>,
    viewer: Viewer,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, Error> {
    let today = state.app.clock.today();
    let group = match query.get("group").and_then(|g| g.parse::<i64>().ok()) {
        Some(id) => Some(super::groups::one_group(&state, id).await?),
        None => None,
    };
    let title = query
        .get("title")
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty());
    let draft = match &group {
        Some(g) => {
            let title = title.unwrap_or_else(|| crate::grouping::proposed_title(&g.title));
            super::groups::group_draft(g, title, today)
        }
        None => Draft {
            title: title.unwrap_or_default(),
            questions: Vec::new(),
            audience: Audience::All,
            tags: Vec::new(),
            reviewed: today,
            body: None,
        },
    };
    let mut form = form_of_draft(&draft);
    form.group = group.map(|g| g.id);
    form.new_slug = if form.title.is_empty() {
        String::new()
    } else {
        write::slug_from_title(&form.title)
    };
    Ok(form_page(&viewer, form, StatusCode::OK).await)
}

/// `POST /new-answer`: writes the new answer (and links the group it was written for).
pub async fn create_form(
    State(state): State<WebState>,
    viewer: Viewer,
    body: Bytes,
) -> Result<Response, Error> {
    let fields = form_of(&body);
    let mut form = edit_form(&fields);
    let slug = if form.new_slug.is_empty() {
        write::slug_from_title(form.title.trim())
    } else {
        form.new_slug.clone()
    };
    form.new_slug = slug.clone();
    let t = state.texts;
    let mut problems = Vec::new();
    if !write::valid_slug(&slug) {
        problems.push(("slug".to_string(), t.field_problem(&FieldProblem::BadSlug)));
    } else if state.app.shelf.current().knowledge.get(&slug).is_some()
        || current_source(&state, &slug).await?.is_some()
    {
        problems.push((
            "slug".to_string(),
            t.field_problem(&FieldProblem::SlugTaken(slug.clone())),
        ));
    }
    let text = match (compose(&state, &form, &slug), problems.is_empty()) {
        (Ok(text), true) => text,
        (result, _) => {
            problems.extend(result.err().unwrap_or_default());
            form.problems = problems;
            return Ok(form_page(&viewer, form, StatusCode::UNPROCESSABLE_ENTITY).await);
        }
    };
    let (app, s, by) = (Arc::clone(&state.app), slug.clone(), editor(&viewer));
    match blocking(move || Ok(editing::save(&app, &s, &text, None, &by))).await? {
        Ok(_) => {}
        Err(EditError::Conflict(_)) => {
            form.problems = vec![(
                "slug".into(),
                t.field_problem(&FieldProblem::SlugTaken(slug.clone())),
            )];
            return Ok(form_page(&viewer, form, StatusCode::CONFLICT).await);
        }
        Err(EditError::Invalid(problems)) => {
            form.problems = by_field(&state, &problems, true);
            return Ok(form_page(&viewer, form, StatusCode::UNPROCESSABLE_ENTITY).await);
        }
        Err(e) => return Err(edit_failed(e, &slug)),
    }
    audit(&state, &viewer, "answer", format!("answer {slug} created")).await;
    if let Some(group) = form.group {
        super::groups::link(&state, &viewer, group, &slug).await?;
    }
    Ok(Redirect::to(&format!(
        "{}?saved",
        paths::answer_link(paths::ANSWER_EDIT, &slug, None)
    ))
    .into_response())
}

/// The version before `v` that has a text.
fn before<'a>(versions: &'a [Revision], v: &Revision) -> Option<&'a Revision> {
    versions
        .iter()
        .filter(|r| r.id < v.id)
        .find(|r| r.text.is_some())
}

async fn versions_of(state: &WebState, slug: &str) -> Result<Vec<Revision>, Error> {
    let app = Arc::clone(&state.app);
    let s = slug.to_string();
    let versions = blocking(move || editing::history(&app, &s)).await?;
    if versions.is_empty() && state.app.shelf.current().knowledge.get(slug).is_none() {
        return Err(Error::not_found(Thing::Answer, slug));
    }
    Ok(versions)
}

async fn history_page(
    state: &WebState,
    viewer: &Viewer,
    slug: &str,
    query: &HashMap<String, String>,
) -> Result<Response, Error> {
    let versions = versions_of(state, slug).await?;
    let shown = match query.get("diff") {
        Some(id) => {
            let id: i64 = id
                .parse()
                .map_err(|_| Error::not_found(Thing::Version, id))?;
            Some(
                versions
                    .iter()
                    .find(|v| v.id == id)
                    .ok_or_else(|| Error::not_found(Thing::Version, id))?,
            )
        }
        None => versions.first(),
    };
    let library = state.app.shelf.current();
    let live = library.knowledge.get(slug);
    let title = live.map(|a| a.title.clone()).unwrap_or_else(|| {
        versions
            .iter()
            .find_map(|v| v.text.as_deref().and_then(edit::draft_of).map(|d| d.title))
            .unwrap_or_else(|| slug.to_string())
    });
    let lines = shown.and_then(|v| {
        let new = v.text.as_deref()?;
        let old = before(&versions, v)?.text.as_deref()?;
        Some(edit::diff(old, new))
    });
    Ok(views::editing::history(
        &viewer.ctx(),
        slug,
        &title,
        &versions,
        shown,
        lines.as_deref(),
        live.is_some(),
    )
    .into_response())
}

/// `GET /review`: answers due for review, oldest first, and the retired ones.
pub async fn review_page(State(state): State<WebState>, viewer: Viewer) -> Result<Response, Error> {
    let days = state.app.review_days;
    let due = editing::due_for_review(&state.app, i64::from(days));
    let store = Arc::clone(&state.app.store);
    let removed = blocking(move || store.removed_answers()).await?;
    let library = state.app.shelf.current();
    let retired: Vec<(String, String)> = removed
        .into_iter()
        .filter(|r| library.knowledge.get(&r.slug).is_none())
        .map(|r| {
            let title = r
                .text
                .as_deref()
                .and_then(edit::draft_of)
                .map_or_else(|| r.slug.clone(), |d| d.title);
            (r.slug, title)
        })
        .collect();
    Ok(views::editing::review(&viewer.ctx(), days, &due, &retired).into_response())
}

/// `POST /api/preview` with the form's fields (`title`, `questions`, `audience`, `tags`,
/// `reviewed`, `body`, and `slug` of the answer): `{"html", "problems": [{"field", "message"}]}`,
/// the body as the answer page shows it and what a save would refuse.
pub async fn preview(State(state): State<WebState>, body: Bytes) -> Result<Json<Value>, Error> {
    let object = json_object(&body)?;
    let fields: HashMap<String, String> = object
        .iter()
        .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
        .collect();
    // The check and the rendering are bounded (size, nesting) and run off the request threads.
    blocking(move || {
        let form = edit_form(&fields);
        let slug = fields
            .get("slug")
            .map(|s| s.trim())
            .filter(|s| write::valid_slug(s))
            .unwrap_or("new-answer-preview");
        let problems = compose(&state, &form, slug).err().unwrap_or_default();
        let proposed =
            (!form.title.trim().is_empty()).then(|| write::slug_from_title(form.title.trim()));
        let html = markdown::preview(&form.body, crate::knowledge::MAX_FILE_BYTES as usize);
        Ok(Json(json!({
            "html": html.unwrap_or_default(),
            "problems": problems.iter().map(|(f, m)| json!({"field": f, "message": m})).collect::<Vec<_>>(),
            "proposed_slug": proposed,
        })))
    })
    .await
}

// ---------------------------------------------------------------------------------------------
// Shared changes
// ---------------------------------------------------------------------------------------------

/// `check`'s problems as one field's error.
fn invalid(state: &WebState, field: &str, problems: &[Problem]) -> Error {
    let said: Vec<String> = by_field(state, problems, false)
        .into_iter()
        .map(|(_, m)| m)
        .collect();
    FieldError::new(field, FieldProblem::Custom(said.join("; "))).into()
}

async fn restore(state: &WebState, viewer: &Viewer, slug: &str, id: i64) -> Result<Source, Error> {
    let (app, s, by) = (Arc::clone(&state.app), slug.to_string(), editor(viewer));
    let restored = blocking(move || Ok(editing::restore(&app, &s, id, &by))).await?;
    match restored {
        Ok(source) => {
            audit(
                state,
                viewer,
                "answer",
                format!("answer {slug} version {id} restored"),
            )
            .await;
            Ok(source)
        }
        Err(EditError::Invalid(problems)) => Err(invalid(state, "version", &problems)),
        Err(e) => Err(edit_failed(e, slug)),
    }
}

async fn retire(state: &WebState, viewer: &Viewer, slug: &str) -> Result<(), Error> {
    let (app, s, by) = (Arc::clone(&state.app), slug.to_string(), editor(viewer));
    blocking(move || Ok(editing::retire(&app, &s, &by)))
        .await?
        .map_err(|e| edit_failed(e, slug))?;
    audit(state, viewer, "answer", format!("answer {slug} retired")).await;
    Ok(())
}

async fn rename(state: &WebState, viewer: &Viewer, slug: &str, to: &str) -> Result<Source, Error> {
    if !write::valid_slug(to) {
        return Err(FieldError::new("to", FieldProblem::BadSlug).into());
    }
    let (app, s, new, by) = (
        Arc::clone(&state.app),
        slug.to_string(),
        to.to_string(),
        editor(viewer),
    );
    let renamed = blocking(move || Ok(editing::rename(&app, &s, &new, &by))).await?;
    match renamed {
        Ok(source) => {
            audit(
                state,
                viewer,
                "answer",
                format!("answer {slug} renamed to {to}"),
            )
            .await;
            Ok(source)
        }
        Err(EditError::Invalid(problems)) => Err(invalid(state, "to", &problems)),
        Err(e) => Err(edit_failed(e, slug)),
    }
}

async fn reviewed(state: &WebState, viewer: &Viewer, slug: &str) -> Result<Source, Error> {
    let (app, s, by) = (Arc::clone(&state.app), slug.to_string(), editor(viewer));
    let source = blocking(move || Ok(editing::mark_reviewed(&app, &s, &by)))
        .await?
        .map_err(|e| match e {
            EditError::Invalid(problems) => invalid(state, "reviewed", &problems),
            e => edit_failed(e, slug),
        })?;
    audit(state, viewer, "answer", format!("answer {slug} reviewed")).await;
    Ok(source)
}

// ---------------------------------------------------------------------------------------------
// JSON API
// ---------------------------------------------------------------------------------------------

fn source_json(source: &Source) -> Value {
    json!({"slug": source.slug, "text": source.text, "version": source.version})
}

/// A request body that may be empty (`{}`), else one JSON object.
fn object_or_empty(body: &[u8]) -> Result<Map<String, Value>, Error> {
    if body.is_empty() {
        Ok(Map::new())
    } else {
        json_object(body)
    }
}

/// `GET /api/answers/{*slug}`: the answer (an address of the earlier layout is moved).
pub async fn api(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(rest): Path<String>,
) -> Result<Response, Error> {
    if let Some(moved) = moved(&viewer, &rest, true)? {
        return Ok(moved);
    }
    let slug = slug_of(&rest)?;
    if state.app.shelf.current().knowledge.get(slug).is_none() {
        let store = Arc::clone(&state.app.store);
        let old = slug.to_string();
        if let Some(new) = blocking(move || store.redirect(&old)).await? {
            return Ok(
                Redirect::permanent(&format!("{}{}", paths::API_ANSWERS_PREFIX, new))
                    .into_response(),
            );
        }
    }
    search::api_answer_of(&state, slug)
}

/// `PUT` or `POST /api/answers/{*slug}`: only addresses of the earlier layout (moved for
/// editors).
pub async fn api_moved(viewer: Viewer, Path(rest): Path<String>) -> Result<Response, Error> {
    moved(&viewer, &rest, true)?.ok_or(Error::MethodNotAllowed)
}

/// `GET /api/answers/source/{*slug}`: the file as written, with its version.
pub async fn api_source(
    State(state): State<WebState>,
    Path(slug): Path<String>,
) -> Result<Response, Error> {
    let slug = slug_of(&slug)?;
    let source = current_source(&state, slug)
        .await?
        .ok_or_else(|| Error::not_found(Thing::Answer, slug))?;
    Ok(Json(source_json(&source)).into_response())
}

/// `PUT /api/answers/source/{*slug}` with `{"text", "version"}`.
pub async fn api_put_source(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(slug): Path<String>,
    body: Bytes,
) -> Result<Response, Error> {
    let slug = slug_of(&slug)?;
    api_save(&state, &viewer, slug, &object_or_empty(&body)?).await
}

/// `GET /api/answers/history/{*slug}`: the versions, newest first.
pub async fn api_history(
    State(state): State<WebState>,
    Path(slug): Path<String>,
) -> Result<Response, Error> {
    let versions = versions_of(&state, slug_of(&slug)?).await?;
    let list: Vec<Value> = versions
        .iter()
        .map(|v| {
            json!({"id": v.id, "at": v.at.to_rfc3339(), "by": v.by, "how": v.how.as_str(), "note": v.note})
        })
        .collect();
    Ok(Json(json!({"versions": list})).into_response())
}

/// `POST /api/answers/restore/{id}/{*slug}`.
pub async fn api_restore(
    State(state): State<WebState>,
    viewer: Viewer,
    Path((id, slug)): Path<(String, String)>,
) -> Result<Response, Error> {
    let source = restore(&state, &viewer, slug_of(&slug)?, version_id(&id)?).await?;
    Ok(Json(json!({"slug": source.slug, "version": source.version})).into_response())
}

/// `POST /api/answers/retire/{*slug}`.
pub async fn api_retire(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(slug): Path<String>,
) -> Result<Response, Error> {
    let slug = slug_of(&slug)?;
    retire(&state, &viewer, slug).await?;
    Ok(Json(json!({"slug": slug, "retired": true})).into_response())
}

/// `POST /api/answers/rename/{*slug}` with `{"to"}`.
pub async fn api_rename(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(slug): Path<String>,
    body: Bytes,
) -> Result<Response, Error> {
    let slug = slug_of(&slug)?;
    let to = match object_or_empty(&body)?.get("to") {
        Some(Value::String(s)) => s.trim().to_string(),
        Some(_) => return Err(FieldError::new("to", FieldProblem::ExpectedText).into()),
        None => return Err(FieldError::new("to", FieldProblem::Required).into()),
    };
    let source = rename(&state, &viewer, slug, &to).await?;
    Ok(Json(json!({"slug": source.slug, "version": source.version})).into_response())
}

/// `POST /api/answers/reviewed/{*slug}`.
pub async fn api_reviewed(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(slug): Path<String>,
) -> Result<Response, Error> {
    let source = reviewed(&state, &viewer, slug_of(&slug)?).await?;
    Ok(Json(json!({"slug": source.slug, "version": source.version})).into_response())
}

/// `PUT /api/answers/{slug}/source` with `{"text", "version"}` (`version` null: a new answer).
async fn api_save(
    state: &WebState,
    viewer: &Viewer,
    slug: &str,
    object: &Map<String, Value>,
) -> Result<Response, Error> {
    for key in object.keys() {
        if key != "text" && key != "version" {
            return Err(FieldError::new(key, FieldProblem::Unknown).into());
        }
    }
    let text = match object.get("text") {
        Some(Value::String(s)) => s.replace("\r\n", "\n"),
        Some(_) => return Err(FieldError::new("text", FieldProblem::ExpectedText).into()),
        None => return Err(FieldError::new("text", FieldProblem::Required).into()),
    };
    let version = match object.get("version") {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Null) => None,
        Some(_) => return Err(FieldError::new("version", FieldProblem::ExpectedText).into()),
        None => return Err(FieldError::new("version", FieldProblem::Required).into()),
    };
    let (app, s, by) = (Arc::clone(&state.app), slug.to_string(), editor(viewer));
    let creating = version.is_none();
    let saved =
        blocking(move || Ok(editing::save(&app, &s, &text, version.as_deref(), &by))).await?;
    match saved {
        Ok(source) => {
            let what = if creating { "created" } else { "saved" };
            audit(state, viewer, "answer", format!("answer {slug} {what}")).await;
            Ok(Json(json!({"slug": source.slug, "version": source.version})).into_response())
        }
        Err(EditError::Conflict(current)) => Ok((
            StatusCode::CONFLICT,
            Json(json!({
                "error": state.texts.edit_conflict_title,
                "text": current.as_ref().map(|c| c.text.clone()),
                "version": current.as_ref().map(|c| c.version.clone()),
            })),
        )
            .into_response()),
        Err(EditError::Invalid(problems)) => {
            let lines: Vec<String> = problems
                .iter()
                .map(|p| match p.line {
                    Some(line) => format!("{slug}.md:{line}: {}", p.message),
                    None => format!("{slug}.md: {}", p.message),
                })
                .collect();
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                Json(json!({
                    "error": lines.join("\n"),
                    "problems": problems.iter().map(|p| json!({"line": p.line, "message": p.message})).collect::<Vec<_>>(),
                })),
            )
                .into_response())
        }
        Err(e) => Err(edit_failed(e, slug)),
    }
}
