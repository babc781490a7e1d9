//! Answers: the operator's answer page and JSON, and for editors the workbench (`edit`,
//! `history`, restore, `retire`, `rename`, `reviewed`), a new answer, the review list and the
//! live preview, as pages and JSON. Each route names its action before the slug
//! (`/answers/edit/{*slug}`), so the route alone decides who may use it; each handler reads the
//! request, makes one `actions::answers` call, and answers with a page or JSON.

use super::error::{Error, Thing};
use super::extract::{json_object, Viewer};
use super::{act, paths};
use crate::accounts::Role;
use crate::actions::answers::form::{self, AnswerFields, FieldProblems};
use crate::actions::answers::{self as workbench};
use crate::actions::ActionError;
use crate::fields::{FieldError, FieldProblem};
use crate::knowledge::edit::{self, Source};
use crate::knowledge::write;
use crate::views;
use crate::views::editing::EditForm;
use crate::web::extract::Params;
use axum::body::Bytes;
use axum::extract::Path;
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Json;
use serde_json::{json, Map, Value};
use std::collections::HashMap;

mod api;
pub use api::{api_put_source, api_source, SourceBody};

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

/// An address naming an editors' route by a word around the slug (the earlier layout,
/// `/answers/printer/edit`, or an encoded word before it): moved (`308`, the method kept) to
/// that route for editors, and refused to everyone else, since what it names is theirs.
/// `None`: not such an address.
fn moved(viewer: &Viewer, rest: &str, api: bool) -> Result<Option<Response>, Error> {
    // Only an address of slug characters is moved: anything else (`..`, a backslash) names no
    // answer, for every role.
    if !crate::knowledge::slug_like(rest) {
        return Err(Error::not_found(
            Thing::Answer,
            crate::text::clip(rest, 200),
        ));
    }
    let Some(to) = paths::moved_answer_address(rest, api) else {
        return Ok(None);
    };
    viewer.require(Role::Editor)?;
    Ok(Some(Redirect::permanent(&to).into_response()))
}

fn form_of(bytes: &[u8]) -> HashMap<String, String> {
    form_urlencoded::parse(bytes).into_owned().collect()
}

/// Problems by field, in the interface's words.
fn said(viewer: &Viewer, problems: &FieldProblems) -> Vec<(String, String)> {
    problems
        .iter()
        .map(|(f, p)| (f.to_string(), viewer.texts.field_problem(p)))
        .collect()
}

/// The edit form as a page, its preview rendered off the request threads.
async fn form_page(viewer: &Viewer, mut form: EditForm, status: StatusCode) -> Response {
    let body = form.fields.body.clone();
    form.preview = tokio::task::spawn_blocking(move || form::rendered(&body))
        .await
        .ok()
        .flatten()
        .unwrap_or_default();
    let max_kb = crate::knowledge::MAX_FILE_BYTES / 1024;
    let mut ctx = viewer.ctx();
    // A new answer written for a group is the queue's work: the menu marks the queue.
    if form.slug.is_none() && form.group.is_some() {
        ctx.path = paths::GROUPS_PAGE;
    }
    (status, views::editing::edit(&ctx, &form, max_kb)).into_response()
}

/// A check's problems as one field's error.
fn invalid(field: &str, problems: &[crate::knowledge::Problem]) -> Error {
    match problems.first() {
        Some(p) => FieldError::new(field, FieldProblem::Check(p.line, p.issue.clone())).into(),
        None => FieldError::new(field, FieldProblem::Required).into(),
    }
}

/// An action's refusal of an answer's text, as one field's error; the rest as usual.
fn refused(field: &'static str) -> impl Fn(ActionError) -> Error {
    move |e| match e {
        ActionError::Rejected(problems) => invalid(field, &problems),
        e => e.into(),
    }
}

fn edited(slug: &str) -> Response {
    Redirect::to(&format!(
        "{}?saved",
        paths::answer_link(paths::ANSWER_EDIT, slug, None)
    ))
    .into_response()
}

// ---------------------------------------------------------------------------------------------
// Pages
// ---------------------------------------------------------------------------------------------

/// `GET /answers/{*slug}` (the page) and `GET /api/answers/{*slug}` (JSON): the answer. An
/// address naming an editors' route is moved, and so is a renamed answer's old address.
pub async fn show(
    viewer: Viewer,
    uri: Uri,
    Path(rest): Path<String>,
    Params(query): Params<HashMap<String, String>>,
) -> Result<Response, Error> {
    let api = super::is_api(uri.path());
    if let Some(moved) = moved(&viewer, &rest, api)? {
        return Ok(moved);
    }
    let slug = slug_of(&rest)?.to_string();
    let library = viewer.app.shelf.current();
    let Some(answer) = library.knowledge.get(&slug) else {
        let new = act(&viewer, move |app, _| workbench::renamed_to(app, &slug)).await?;
        let to = match api {
            true => format!("{}{new}", paths::API_ANSWERS_PREFIX),
            false => paths::answer_page(&new),
        };
        return Ok(Redirect::permanent(&to).into_response());
    };
    if api {
        return Ok(Json(views::json::answer(answer)).into_response());
    }
    let q = query.get("q").map_or("", String::as_str);
    // Opened from the editors' queue or a group's page, it goes back there (a group's number
    // that is no number is no group: back to the search).
    let back = match (
        query.get("from").map(String::as_str),
        query.get("group").and_then(|g| g.parse().ok()),
    ) {
        (_, Some(group)) => views::answer::Back::Group(group),
        (Some("queue"), None) => views::answer::Back::Queue,
        _ => views::answer::Back::Search(q),
    };
    Ok(views::answer::page(&viewer.ctx(), answer, back).into_response())
}

/// `POST /answers/{*slug}`, `PUT` or `POST /api/answers/{*slug}`: only addresses naming an
/// editors' route (the earlier layout's forms), moved for editors.
pub async fn moved_only(
    viewer: Viewer,
    uri: Uri,
    Path(rest): Path<String>,
) -> Result<Response, Error> {
    moved(&viewer, &rest, super::is_api(uri.path()))?.ok_or(Error::MethodNotAllowed)
}

/// `GET /answers/edit/{*slug}`: the edit form (`?saved` after a save).
pub async fn edit_page(
    viewer: Viewer,
    Path(slug): Path<String>,
    Params(query): Params<HashMap<String, String>>,
) -> Result<Response, Error> {
    let slug = slug_of(&slug)?.to_string();
    let s = slug.clone();
    let read = act(&viewer, move |app, _| {
        let source = form::current_source(app, &s)?;
        let problems = form::problems_of(app, &source);
        Ok((source, problems))
    })
    .await;
    let (source, problems) = match read {
        Err(Error::NotFound(..)) => return renamed(&viewer, &slug, paths::ANSWER_EDIT).await,
        read => read?,
    };
    let mut form = EditForm::of_source(&source);
    form.saved = query.get("saved").map(|w| views::editing::Saved::parse(w));
    form.file_problems = file_problems(&viewer, &problems);
    // A front matter that cannot be read into the fields: the whole file, as it is.
    if crate::knowledge::edit::draft_of(&source.text).is_none() {
        form.raw = Some(source.text.clone());
    }
    Ok(form_page(&viewer, form, StatusCode::OK).await)
}

/// An editors' page (`route`) of an answer not found: moved (`308`) to the same page under its
/// new name when it was renamed, as its own page is; else said as its page says it (retired,
/// or none such).
async fn renamed(viewer: &Viewer, slug: &str, route: &'static str) -> Result<Response, Error> {
    let old = slug.to_string();
    let new = act(viewer, move |app, _| workbench::renamed_to(app, &old)).await?;
    Ok(Redirect::permanent(&paths::answer_link(route, &new, None)).into_response())
}

/// What is wrong with a file, by line, in the interface's words.
fn file_problems(
    viewer: &Viewer,
    problems: &[crate::knowledge::Problem],
) -> Vec<(Option<usize>, String)> {
    problems
        .iter()
        .map(|p| (p.line, viewer.texts.knowledge_issue(&p.issue)))
        .collect()
}

/// `POST /answers/edit/{*slug}`: saves the form (or, for a file whose front matter could not
/// be read, the whole file as typed, `text`); a conflict or a refused text shows the form again
/// with the editor's text kept.
pub async fn save_page(
    viewer: Viewer,
    Path(slug): Path<String>,
    body: Bytes,
) -> Result<Response, Error> {
    let slug = slug_of(&slug)?.to_string();
    let submitted = form_of(&body);
    let mut form = EditForm::submitted(&submitted);
    (form.slug, form.raw) = (Some(slug.clone()), submitted.get("text").cloned());
    let (fields, version, raw, s) = (
        form.fields.clone(),
        form.version.clone(),
        form.raw.clone(),
        slug.clone(),
    );
    // With what the save would have written: on a conflict, compared with the file as it is.
    let (saved, mine) = act(&viewer, move |app, actor| {
        // Its file gone (renamed or retired since the form was opened): said as a conflict
        // below, whatever the fields say.
        if crate::actions::answers::source(app, &s)?.is_none() {
            return Ok((Ok(Err(ActionError::Conflict(None))), None));
        }
        let text = match raw {
            Some(text) => text,
            None => match form::compose(app, &fields, &s) {
                Ok(text) => text,
                Err(problems) => return Ok((Err(problems), None)),
            },
        };
        let saved = workbench::save(app, actor, &s, &text, Some(&version));
        Ok((Ok(saved), Some(text)))
    })
    .await?;
    let status = match saved {
        Ok(Ok(_)) => return Ok(edited(&slug)),
        Err(problems) => {
            form.problems = said(&viewer, &problems);
            StatusCode::UNPROCESSABLE_ENTITY
        }
        Ok(Err(ActionError::Conflict(current))) => {
            // Renamed meanwhile: the answer under its new name is the file shown beside the
            // text, and the form saves there.
            let current = match current {
                Some(c) => Some(c),
                None => {
                    let old = slug.clone();
                    let moved = act(&viewer, move |app, _| match app.store.redirect(&old)? {
                        Some(to) => Ok(crate::actions::answers::source(app, &to)?),
                        None => Ok(None),
                    })
                    .await?;
                    match &moved {
                        Some(m) => {
                            form.renamed_to = Some(m.slug.clone());
                            form.slug = Some(m.slug.clone());
                        }
                        None => {
                            let old = slug.clone();
                            form.retired = act(&viewer, move |app, _| {
                                crate::actions::answers::retired_title(app, &old)
                            })
                            .await?
                            .is_some();
                        }
                    }
                    moved
                }
            };
            // Nothing lost: the editor's text stays in the form, the file's beside it; the next
            // save goes over the version shown.
            form.version = current
                .as_ref()
                .map(|c| c.version.clone())
                .unwrap_or_default();
            form.conflict = Some(current);
            form.conflict_mine = mine;
            StatusCode::CONFLICT
        }
        Ok(Err(ActionError::Rejected(problems))) if form.raw.is_some() => {
            form.file_problems = file_problems(&viewer, &problems);
            form.problems = vec![("body".into(), viewer.texts.edit_problems.to_string())];
            StatusCode::UNPROCESSABLE_ENTITY
        }
        Ok(Err(ActionError::Rejected(problems))) => {
            form.problems = said(&viewer, &form::by_field(&problems, true));
            StatusCode::UNPROCESSABLE_ENTITY
        }
        Ok(Err(e)) => return Err(e.into()),
    };
    Ok(form_page(&viewer, form, status).await)
}

/// `GET /answers/history/{*slug}`: every version, one shown against the one before
/// (`?diff=ID`); `GET /api/answers/history/{*slug}`: the versions, newest first.
pub async fn history(
    viewer: Viewer,
    uri: Uri,
    Path(slug): Path<String>,
    Params(query): Params<HashMap<String, String>>,
) -> Result<Response, Error> {
    let slug = slug_of(&slug)?.to_string();
    let s = slug.clone();
    if super::is_api(uri.path()) {
        let versions = act(&viewer, move |app, _| workbench::history(app, &s)).await?;
        return Ok(Json(views::json::versions(&versions)).into_response());
    }
    let shown = query.get("diff").map(|id| version_id(id)).transpose()?;
    let page = match act(&viewer, move |app, _| {
        workbench::history_page(app, &s, shown)
    })
    .await
    {
        Err(Error::NotFound(..)) if shown.is_none() => {
            return renamed(&viewer, &slug, paths::ANSWER_HISTORY).await
        }
        page => page?,
    };
    let ctx = viewer.ctx();
    // Compared as an editor reads them (fields by name, a phrasing a line); as written when
    // only what that leaves out changed (a comment in the front matter).
    let names = views::editing::field_names(ctx.texts);
    let compared = page.compared().map(|(old, new)| {
        let read = (edit::readable(old, &names), edit::readable(new, &names));
        if read.0 == read.1 && old != new {
            (old.to_string(), new.to_string())
        } else {
            read
        }
    });
    let lines = compared.as_ref().map(|(old, new)| edit::diff(old, new));
    let shown = page.shown.map(|i| &page.versions[i]);
    let (versions, live) = (&page.versions, page.live);
    let lines = lines.as_deref();
    Ok(views::editing::history(
        &ctx,
        &slug,
        &page.title,
        versions,
        shown,
        lines,
        views::editing::Standing {
            live,
            restored: query.contains_key("restored"),
        },
    )
    .into_response())
}

/// A version's id from the path.
fn version_id(id: &str) -> Result<i64, Error> {
    id.parse()
        .ok()
        .filter(|&n: &i64| n > 0)
        .ok_or_else(|| Error::not_found(Thing::Version, crate::text::clip(id, 40)))
}

/// `GET /new-answer[?group=ID][&title=]`: a new answer's form, from a group's phrasings when
/// given.
pub async fn new_page(
    viewer: Viewer,
    Params(query): Params<HashMap<String, String>>,
) -> Result<Response, Error> {
    let group = query.get("group").and_then(|g| g.parse::<i64>().ok());
    let title = query.get("title").cloned();
    let (draft, group) = act(&viewer, move |app, _| {
        form::new_draft(app, group, title.as_deref())
    })
    .await?;
    let mut form = EditForm {
        fields: AnswerFields::of_draft(&draft),
        ..EditForm::default()
    };
    if draft.body.is_none() {
        // What operators read to callers is in the desk's language, whatever the editor's.
        form.fields.body = crate::i18n::texts(viewer.app.lang)
            .new_answer_body
            .to_string();
    }
    // A group no longer in the queue (linked, dismissed or merged since the link was taken) is
    // said so: the answer written is not linked to it.
    match group {
        Some(g) if g.state == crate::grouping::GroupState::Open => form.group = Some(g.id),
        // Linked to an answer retired since: the new answer is linked to it instead.
        Some(g) if g.retired.is_some() => {
            form.group = Some(g.id);
            form.group_closed = Some(views::editing::ClosedGroup {
                id: g.id,
                state: g.state,
                answer: None,
                retired: g.retired,
            });
        }
        Some(g) => {
            let library = viewer.app.shelf.current();
            let answer = g.answer.map(|slug| {
                let title = library.knowledge.get(&slug).map(|a| a.title.clone());
                (title.unwrap_or_else(|| slug.clone()), slug)
            });
            form.group_closed = Some(views::editing::ClosedGroup {
                id: g.id,
                state: g.state,
                answer,
                retired: None,
            });
        }
        None => {}
    }
    form.new_slug = if form.fields.title.is_empty() {
        String::new()
    } else {
        write::slug_from_title(&form.fields.title)
    };
    Ok(form_page(&viewer, form, StatusCode::OK).await)
}

/// `POST /new-answer`: writes the new answer (and links the group it was written for).
pub async fn create_form(viewer: Viewer, body: Bytes) -> Result<Response, Error> {
    let mut form = EditForm::submitted(&form_of(&body));
    let (fields, slug, group) = (form.fields.clone(), form.new_slug.clone(), form.group);
    let created = act(&viewer, move |app, actor| {
        form::create(app, actor, &slug, &fields, group)
    })
    .await?;
    match created {
        Ok(slug) => Ok(edited(&slug)),
        Err(problems) => {
            if form.new_slug.is_empty() {
                form.new_slug = write::slug_from_title(form.fields.title.trim());
            }
            form.problems = said(&viewer, &problems);
            Ok(form_page(&viewer, form, StatusCode::UNPROCESSABLE_ENTITY).await)
        }
    }
}

/// `GET /review`: answers due for review, oldest first, and the retired ones.
pub async fn review_page(
    viewer: Viewer,
    Params(query): Params<HashMap<String, String>>,
) -> Result<Response, Error> {
    let days = viewer.app.review_days;
    let review = act(&viewer, move |app, _| form::review(app, i64::from(days))).await?;
    let library = viewer.app.shelf.current();
    let notice = match (query.get("retired"), query.get("reviewed")) {
        (Some(slug), _) => Some(views::editing::ReviewNotice::Retired(slug)),
        (None, Some(slug)) => library
            .knowledge
            .get(slug)
            .map(|a| views::editing::ReviewNotice::Reviewed(&a.title)),
        _ => None,
    };
    Ok(views::editing::review(&viewer.ctx(), days, &review, notice).into_response())
}

/// `POST /api/preview` with the form's fields (`title`, `questions`, `audience`, `tags`,
/// `reviewed`, `body`, and `slug` of the answer being edited, or `new_slug` typed for a new
/// one): `{"html", "problems": [{"field", "message"}], "proposed_slug"}`, the body as the answer
/// page shows it and what a save would refuse (a new answer's name too). Bounded in size and
/// nesting, and off the request threads.
pub async fn preview(viewer: Viewer, body: Bytes) -> Result<Json<Value>, Error> {
    let fields: HashMap<String, String> = json_object(&body)?
        .iter()
        .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
        .collect();
    let typed = AnswerFields::of_form(&fields);
    let (slug, new_slug) = (fields.get("slug").cloned(), fields.get("new_slug").cloned());
    let shown = act(&viewer, move |app, _| {
        let of = match (&slug, &new_slug) {
            (Some(slug), _) => form::Previewed::Answer(slug),
            (None, new) => form::Previewed::New(new.as_deref().unwrap_or("")),
        };
        Ok(form::preview(app, &typed, of))
    })
    .await?;
    Ok(Json(json!({
        "html": shown.html,
        "problems": said(&viewer, &shown.problems).iter().map(|(f, m)| json!({"field": f, "message": m})).collect::<Vec<_>>(),
        "proposed_slug": shown.proposed_slug,
    })))
}

// ---------------------------------------------------------------------------------------------
// Changes, for the pages' forms and the JSON API alike
// ---------------------------------------------------------------------------------------------

/// What a change answers: `{"slug", "version"}` to the API, else a redirect to `page`.
fn after_change(uri: &Uri, source: &Source, page: &str) -> Response {
    if super::is_api(uri.path()) {
        Json(json!({"slug": source.slug, "version": source.version})).into_response()
    } else {
        Redirect::to(page).into_response()
    }
}

/// A request body that may be empty (`{}`), else one JSON object.
fn object_or_empty(body: &[u8]) -> Result<Map<String, Value>, Error> {
    if body.is_empty() {
        Ok(Map::new())
    } else {
        json_object(body)
    }
}

/// The fields of a change's body: a form's, or the API's JSON object (text values).
fn body_fields(uri: &Uri, body: &[u8]) -> Result<HashMap<String, String>, Error> {
    if !super::is_api(uri.path()) {
        return Ok(form_of(body));
    }
    object_or_empty(body)?
        .into_iter()
        .map(|(k, v)| match v {
            Value::String(s) => Ok((k, s)),
            _ => Err(FieldError::new(&k, FieldProblem::ExpectedText).into()),
        })
        .collect()
}

/// `POST /answers/restore/{id}/{*slug}` (and `/api/...`): puts a version back.
pub async fn restore(
    viewer: Viewer,
    uri: Uri,
    Path((id, slug)): Path<(String, String)>,
) -> Result<Response, Error> {
    let (slug, id) = (slug_of(&slug)?.to_string(), version_id(&id)?);
    let source = act(&viewer, move |app, actor| {
        Ok(workbench::restore(app, actor, &slug, id))
    })
    .await?
    .map_err(refused("version"))?;
    let history = paths::answer_link(paths::ANSWER_HISTORY, &source.slug, None);
    Ok(after_change(
        &uri,
        &source,
        &format!("{history}?restored=1"),
    ))
}

/// `POST /answers/retire/{*slug}` (and `/api/...`): takes the answer out of search.
pub async fn retire(viewer: Viewer, uri: Uri, Path(slug): Path<String>) -> Result<Response, Error> {
    let slug = slug_of(&slug)?.to_string();
    let s = slug.clone();
    act(&viewer, move |app, actor| workbench::retire(app, actor, &s)).await?;
    Ok(if super::is_api(uri.path()) {
        Json(json!({"slug": slug, "retired": true})).into_response()
    } else {
        let said = format!(
            "{}?retired={}",
            paths::REVIEW_PAGE,
            paths::encode_component(&slug)
        );
        Redirect::to(&said).into_response()
    })
}

/// `POST /answers/rename/{*slug}` with `to` (and `/api/...` with `{"to"}`): gives the answer
/// another slug.
pub async fn rename(
    viewer: Viewer,
    uri: Uri,
    Path(slug): Path<String>,
    body: Bytes,
) -> Result<Response, Error> {
    let slug = slug_of(&slug)?.to_string();
    let to = body_fields(&uri, &body)?
        .remove("to")
        .map(|s| s.trim().to_string())
        .ok_or_else(|| FieldError::new("to", FieldProblem::Required))?;
    let (s, typed) = (slug.clone(), to.clone());
    let renamed = act(&viewer, move |app, actor| {
        Ok(workbench::rename(app, actor, &s, &to))
    })
    .await?
    .map_err(refused("to"));
    let source = match renamed {
        // A name refused on the page: said under the field, on the answer's form, what was
        // typed kept (a program reads the error).
        Err(Error::Invalid(refusal)) if !super::is_api(uri.path()) => {
            let why = viewer.texts.field_problem(&refusal.problem);
            let s = slug.clone();
            let (source, problems) = act(&viewer, move |app, _| {
                let source = form::current_source(app, &s)?;
                let problems = form::problems_of(app, &source);
                Ok((source, problems))
            })
            .await?;
            let mut form = EditForm::of_source(&source);
            form.file_problems = file_problems(&viewer, &problems);
            form.rename = Some((typed, why));
            return Ok(form_page(&viewer, form, StatusCode::UNPROCESSABLE_ENTITY).await);
        }
        renamed => renamed?,
    };
    let page = format!(
        "{}?saved=renamed",
        paths::answer_link(paths::ANSWER_EDIT, &source.slug, None)
    );
    Ok(after_change(&uri, &source, &page))
}

/// `POST /answers/reviewed/{*slug}` (and `/api/...`): the answer was checked today (a form's
/// `back=review` returns to the review list).
pub async fn reviewed(
    viewer: Viewer,
    uri: Uri,
    Path(slug): Path<String>,
    body: Bytes,
) -> Result<Response, Error> {
    let slug = slug_of(&slug)?.to_string();
    let back = body_fields(&uri, &body)?.remove("back");
    let source = act(&viewer, move |app, actor| {
        Ok(workbench::mark_reviewed(app, actor, &slug))
    })
    .await?
    .map_err(refused("reviewed"))?;
    let page = if back.as_deref() == Some("review") {
        format!(
            "{}?reviewed={}",
            paths::REVIEW_PAGE,
            paths::encode_component(&source.slug)
        )
    } else {
        format!(
            "{}?saved=reviewed",
            paths::answer_link(paths::ANSWER_EDIT, &source.slug, None)
        )
    };
    Ok(after_change(&uri, &source, &page))
}
