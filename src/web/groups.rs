//! The editors' queue of typical questions without an answer: the open groups, largest and
//! fastest-growing first, and what an editor does with them: link a group to an answer, merge
//! two, move a question, split some off, dismiss one, or write a new answer pre-filled with the
//! callers' phrasings. Pages with plain forms, and the same through the JSON API; every action
//! is audited.

use super::error::{Error, Thing};
use super::extract::{parse_id, JsonObject, Viewer};
use super::{audit, blocking, paths, WebState};
use crate::fields::{FieldError, FieldProblem};
use crate::grouping::{GroupState, TypicalQuestion};
use crate::knowledge::front_matter::text_problem;
use crate::knowledge::write::{self, Draft};
use crate::knowledge::Audience;
use crate::views;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Form, Json};
use serde_json::{json, Value};
use std::sync::Arc;

/// Groups the queue shows at most.
const QUEUE_GROUPS: usize = 200;
/// Answers a group is said to resemble.
const SIMILAR_ANSWERS: usize = 3;
/// Phrasings a written answer takes from its group.
const PHRASINGS: usize = 10;
/// Longest phrasing taken into a written answer.
const PHRASING_CHARS: usize = 200;

fn not_found(id: i64) -> Error {
    Error::not_found(Thing::Group, id)
}

/// The answers a group's phrasings resemble most, by the learned ranking, the answers' text and,
/// when its phrasing has a sentence vector, what it means.
fn similar_answers(state: &WebState, group: &TypicalQuestion) -> Vec<String> {
    let library = state.app.shelf.current();
    let text: Vec<&str> = std::iter::once(group.title.as_str())
        .chain(group.questions.iter().take(5).map(|(_, t)| t.as_str()))
        .collect();
    let options = crate::library::SearchOptions {
        limit: SIMILAR_ANSWERS,
        kind: None,
    };
    // What the group's phrasing means, if the embedding job has its vector already.
    let vector = state
        .app
        .store
        .vectors(std::slice::from_ref(&group.title))
        .ok()
        .and_then(|mut found| found.remove(&group.title));
    let answers = state.app.meaning.answers();
    library
        .search_meaning(
            &text.join(" "),
            &options,
            Some(&state.app.learner),
            vector.as_deref().map(|v| (v, &*answers)),
        )
        .map(|hits| hits.into_iter().map(|h| h.slug).collect())
        .unwrap_or_default()
}

async fn open_groups(state: &WebState) -> Result<Vec<TypicalQuestion>, Error> {
    let store = Arc::clone(&state.app.store);
    let since = state.app.clock.now() - chrono::Duration::days(7);
    blocking(move || store.typical_questions(GroupState::Open, since, QUEUE_GROUPS)).await
}

pub(super) async fn one_group(state: &WebState, id: i64) -> Result<TypicalQuestion, Error> {
    let store = Arc::clone(&state.app.store);
    blocking(move || store.typical_question(id))
        .await?
        .ok_or_else(|| not_found(id))
}

fn group_json(state: &WebState, g: &TypicalQuestion) -> Value {
    json!({
        "id": g.id,
        "title": g.title,
        "state": g.state.as_str(),
        "count": g.count,
        "primary": g.primary,
        "secondary": g.secondary,
        "first_asked": g.first_asked,
        "last_asked": g.last_asked,
        "questions": g.questions.iter().map(|(id, text)| json!({"id": id, "text": text})).collect::<Vec<_>>(),
        "similar_answers": similar_answers(state, g),
    })
}

/// `GET /api/groups`: the open groups, largest first.
pub async fn api_list(State(state): State<WebState>) -> Result<Json<Value>, Error> {
    let groups = open_groups(&state).await?;
    let rows: Vec<Value> = groups.iter().map(|g| group_json(&state, g)).collect();
    Ok(Json(json!({ "groups": rows })))
}

/// `GET /groups`: the editors' queue.
pub async fn page(State(state): State<WebState>, viewer: Viewer) -> Result<Response, Error> {
    let groups = open_groups(&state).await?;
    let similar: Vec<Vec<String>> = groups.iter().map(|g| similar_answers(&state, g)).collect();
    let library = state.app.shelf.current();
    Ok(views::groups::queue(&viewer.ctx(), &groups, &similar, &library.knowledge).into_response())
}

/// `GET /groups/{id}`: one group, its phrasings and the actions on them.
pub async fn group_page(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, Error> {
    let id = parse_id(&id, Thing::Group)?;
    let group = one_group(&state, id).await?;
    let similar = similar_answers(&state, &group);
    let others: Vec<TypicalQuestion> = open_groups(&state)
        .await?
        .into_iter()
        .filter(|g| g.id != id)
        .collect();
    let library = state.app.shelf.current();
    Ok(
        views::groups::group(&viewer.ctx(), &group, &similar, &others, &library.knowledge)
            .into_response(),
    )
}

/// The one path of each action, for the forms and the API.
pub(super) async fn link(
    state: &WebState,
    viewer: &Viewer,
    id: i64,
    slug: &str,
) -> Result<(), Error> {
    if state.app.shelf.current().knowledge.get(slug).is_none() {
        return Err(FieldError::new("answer", FieldProblem::NoSuchAnswer(slug.to_string())).into());
    }
    let store = Arc::clone(&state.app.store);
    let (who, answer, now) = (viewer.actor(), slug.to_string(), state.app.clock.now());
    let done = blocking(move || store.link_group(id, &answer, &who, now)).await?;
    if !done {
        return Err(not_found(id));
    }
    state.app.indexing.nudge();
    audit(
        state,
        viewer,
        "group",
        format!("group {id} linked to {slug}"),
    )
    .await;
    Ok(())
}

async fn merge(state: &WebState, viewer: &Viewer, id: i64, into: i64) -> Result<(), Error> {
    if id == into {
        return Err(FieldError::new("into", FieldProblem::SameGroup).into());
    }
    let store = Arc::clone(&state.app.store);
    let (who, now) = (viewer.actor(), state.app.clock.now());
    let done = blocking(move || store.merge_groups(id, into, &who, now)).await?;
    if !done {
        return Err(not_found(into));
    }
    state.app.placing.nudge();
    audit(
        state,
        viewer,
        "group",
        format!("group {id} merged into {into}"),
    )
    .await;
    Ok(())
}

async fn dismiss(state: &WebState, viewer: &Viewer, id: i64) -> Result<(), Error> {
    let store = Arc::clone(&state.app.store);
    let (who, now) = (viewer.actor(), state.app.clock.now());
    if !blocking(move || store.dismiss_group(id, &who, now)).await? {
        return Err(not_found(id));
    }
    state.app.placing.nudge();
    audit(state, viewer, "group", format!("group {id} dismissed")).await;
    Ok(())
}

async fn split(
    state: &WebState,
    viewer: &Viewer,
    id: i64,
    questions: Vec<i64>,
) -> Result<i64, Error> {
    if questions.is_empty() {
        return Err(FieldError::new("questions", FieldProblem::Required).into());
    }
    let store = Arc::clone(&state.app.store);
    let (who, now) = (viewer.actor(), state.app.clock.now());
    let new = blocking(move || store.split_group(id, &questions, &who, now))
        .await?
        .ok_or_else(|| not_found(id))?;
    state.app.placing.nudge();
    audit(
        state,
        viewer,
        "group",
        format!("group {id} split into {new}"),
    )
    .await;
    Ok(new)
}

async fn move_question(
    state: &WebState,
    viewer: &Viewer,
    question: i64,
    to: i64,
) -> Result<(), Error> {
    let store = Arc::clone(&state.app.store);
    let (who, now) = (viewer.actor(), state.app.clock.now());
    if !blocking(move || store.move_question(question, to, &who, now)).await? {
        return Err(not_found(to));
    }
    state.app.placing.nudge();
    audit(
        state,
        viewer,
        "group",
        format!("question {question} moved to group {to}"),
    )
    .await;
    Ok(())
}

/// Writes `knowledge/<slug>.md` for a group, pre-filled with its phrasings, and links the group
/// to it; the slug written.
/// A new answer's fields from a group: the title, the callers' phrasings (distinct, at most
/// ten), the audience its calls had, today's review date and the template's body.
pub fn group_draft(group: &TypicalQuestion, title: String, today: chrono::NaiveDate) -> Draft {
    let mut phrasings: Vec<String> = Vec::new();
    for (_, text) in &group.questions {
        let text = crate::text::clip(text.trim(), PHRASING_CHARS).into_owned();
        let seen = phrasings
            .iter()
            .any(|p| p.to_lowercase() == text.to_lowercase());
        if !seen && text_problem(&text).is_none() && text.to_lowercase() != title.to_lowercase() {
            phrasings.push(text);
        }
        if phrasings.len() >= PHRASINGS {
            break;
        }
    }
    let audience = if group.secondary > group.primary {
        Audience::Secondary
    } else if group.primary > 0 && group.secondary == 0 {
        Audience::Primary
    } else {
        Audience::All
    };
    Draft {
        title,
        questions: phrasings,
        audience,
        tags: Vec::new(),
        reviewed: today,
        body: None,
    }
}

async fn write_answer(
    state: &WebState,
    viewer: &Viewer,
    id: i64,
    slug: Option<String>,
    title: Option<String>,
) -> Result<String, Error> {
    let group = one_group(state, id).await?;
    if !matches!(group.state, GroupState::Open | GroupState::Dismissed) {
        return Err(not_found(id));
    }
    let title = title
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| crate::grouping::proposed_title(&group.title));
    if let Some(_problem) = text_problem(&title) {
        return Err(FieldError::new("title", FieldProblem::Required).into());
    }
    if title.chars().count() > crate::calls::MAX_FIELD_CHARS {
        return Err(FieldError::new(
            "title",
            FieldProblem::TooLong(crate::calls::MAX_FIELD_CHARS),
        )
        .into());
    }
    let slug = slug
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| write::slug_from_title(&title));
    if !write::valid_slug(&slug) {
        return Err(FieldError::new("slug", FieldProblem::BadSlug).into());
    }
    let library = state.app.shelf.current();
    if library.knowledge.get(&slug).is_some() {
        return Err(FieldError::new("slug", FieldProblem::SlugTaken(slug)).into());
    }
    if let Some(other) = library.knowledge.with_title(&title) {
        return Err(FieldError::new("title", FieldProblem::TitleTaken(other.slug.clone())).into());
    }
    let text = write::render(&group_draft(&group, title, state.app.clock.today()));
    let app = Arc::clone(&state.app);
    let (file_slug, by) = (slug.clone(), viewer.actor());
    blocking(move || Ok(crate::editing::save(&app, &file_slug, &text, None, &by)))
        .await?
        .map_err(|e| match e {
            crate::editing::EditError::Conflict(_) => Error::Invalid(FieldError::new(
                "slug",
                FieldProblem::SlugTaken(slug.clone()),
            )),
            crate::editing::EditError::Invalid(problems) => Error::Internal(anyhow::anyhow!(
                "a group's answer does not pass the check: {}",
                problems
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; ")
            )),
            other => Error::Internal(anyhow::Error::new(other)),
        })?;
    audit(
        state,
        viewer,
        "answer",
        format!("answer {slug} written for group {id}"),
    )
    .await;
    link(state, viewer, id, &slug).await?;
    Ok(slug)
}

fn form_field<'a>(form: &'a [(String, String)], name: &str) -> Option<&'a str> {
    form.iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

fn group_id_field(value: Option<&str>, field: &str) -> Result<i64, Error> {
    value
        .and_then(|v| v.trim().trim_start_matches('#').parse().ok())
        .ok_or_else(|| {
            FieldError::new(field, FieldProblem::ExpectedNumber(1, i64::MAX as usize)).into()
        })
}

fn back(id: i64) -> Response {
    Redirect::to(&paths::with_id(paths::GROUP_PAGE, id)).into_response()
}

/// `POST /groups/{id}/answer` (form: `answer`).
pub async fn link_form(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, Error> {
    let id = parse_id(&id, Thing::Group)?;
    let slug = form_field(&form, "answer").unwrap_or_default().to_string();
    link(&state, &viewer, id, &slug).await?;
    Ok(Redirect::to(paths::GROUPS_PAGE).into_response())
}

/// `POST /groups/{id}/merge` (form: `into`).
pub async fn merge_form(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, Error> {
    let id = parse_id(&id, Thing::Group)?;
    let into = group_id_field(form_field(&form, "into"), "into")?;
    merge(&state, &viewer, id, into).await?;
    Ok(back(into))
}

/// `POST /groups/{id}/dismiss`.
pub async fn dismiss_form(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, Error> {
    let id = parse_id(&id, Thing::Group)?;
    dismiss(&state, &viewer, id).await?;
    Ok(Redirect::to(paths::GROUPS_PAGE).into_response())
}

/// `POST /groups/{id}/split` (form: `question`, repeated).
pub async fn split_form(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, Error> {
    let id = parse_id(&id, Thing::Group)?;
    let questions: Vec<i64> = form
        .iter()
        .filter(|(k, _)| k == "question")
        .filter_map(|(_, v)| v.parse().ok())
        .collect();
    let new = split(&state, &viewer, id, questions).await?;
    Ok(back(new))
}

/// `POST /questions/{id}/group` (form: `group`, and `from` to return to).
pub async fn move_form(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, Error> {
    let question = parse_id(&id, Thing::Question)?;
    let to = group_id_field(form_field(&form, "group"), "group")?;
    move_question(&state, &viewer, question, to).await?;
    let from = form_field(&form, "from")
        .and_then(|f| f.parse().ok())
        .unwrap_or(to);
    Ok(back(from))
}

/// `POST /groups/{id}/write-answer` (form: `slug`, `title`, both optional).
pub async fn write_form(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, Error> {
    let id = parse_id(&id, Thing::Group)?;
    let slug = form_field(&form, "slug").map(str::to_string);
    let title = form_field(&form, "title").map(str::to_string);
    let slug = write_answer(&state, &viewer, id, slug, title).await?;
    Ok(Redirect::to(&paths::answer_page(&slug)).into_response())
}

fn string_field(
    object: &serde_json::Map<String, Value>,
    name: &str,
) -> Result<Option<String>, Error> {
    match object.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(FieldError::new(name, FieldProblem::ExpectedText).into()),
    }
}

fn id_field(object: &serde_json::Map<String, Value>, name: &str) -> Result<i64, Error> {
    object.get(name).and_then(Value::as_i64).ok_or_else(|| {
        FieldError::new(name, FieldProblem::ExpectedNumber(1, i64::MAX as usize)).into()
    })
}

/// `PUT /api/groups/{id}/answer` with `{"answer": "slug"}`.
pub async fn api_link(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
    JsonObject(object): JsonObject,
) -> Result<Json<Value>, Error> {
    let id = parse_id(&id, Thing::Group)?;
    let slug = string_field(&object, "answer")?
        .ok_or_else(|| FieldError::new("answer", FieldProblem::Required))?;
    link(&state, &viewer, id, &slug).await?;
    Ok(Json(json!({"id": id, "answer": slug})))
}

/// `POST /api/groups/{id}/merge` with `{"into": 2}`.
pub async fn api_merge(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
    JsonObject(object): JsonObject,
) -> Result<Json<Value>, Error> {
    let id = parse_id(&id, Thing::Group)?;
    let into = id_field(&object, "into")?;
    merge(&state, &viewer, id, into).await?;
    Ok(Json(json!({"id": into})))
}

/// `POST /api/groups/{id}/dismiss`.
pub async fn api_dismiss(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Json<Value>, Error> {
    let id = parse_id(&id, Thing::Group)?;
    dismiss(&state, &viewer, id).await?;
    Ok(Json(json!({"id": id, "state": "dismissed"})))
}

/// `POST /api/groups/{id}/split` with `{"questions": [7, 9]}` → `201` with the new group's id.
pub async fn api_split(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
    JsonObject(object): JsonObject,
) -> Result<Response, Error> {
    let id = parse_id(&id, Thing::Group)?;
    let questions: Vec<i64> = object
        .get("questions")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_i64).collect())
        .unwrap_or_default();
    let new = split(&state, &viewer, id, questions).await?;
    Ok((StatusCode::CREATED, Json(json!({"id": new}))).into_response())
}

/// `PUT /api/questions/{id}/group` with `{"group": 3}`.
pub async fn api_move(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
    JsonObject(object): JsonObject,
) -> Result<Json<Value>, Error> {
    let question = parse_id(&id, Thing::Question)?;
    let to = id_field(&object, "group")?;
    move_question(&state, &viewer, question, to).await?;
    Ok(Json(json!({"id": question, "group": to})))
}

/// `POST /api/groups/{id}/write-answer` with `{"slug", "title"}` (both optional) → `201` with
/// the new answer's slug.
pub async fn api_write(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
    JsonObject(object): JsonObject,
) -> Result<Response, Error> {
    let id = parse_id(&id, Thing::Group)?;
    let slug = string_field(&object, "slug")?;
    let title = string_field(&object, "title")?;
    let slug = write_answer(&state, &viewer, id, slug, title).await?;
    Ok((StatusCode::CREATED, Json(json!({"slug": slug}))).into_response())
}
