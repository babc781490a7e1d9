//! The editors' queue of typical questions without an answer, as pages with plain forms and as
//! JSON: each handler reads the request, makes one `actions::groups` call, and answers.

use super::error::{Error, Thing};
use super::extract::{parse_id, Body, Viewer};
use super::{act, paths, WebState};
use crate::actions::groups::{self, Queued};
use crate::fields::{FieldError, FieldProblem};
use crate::views;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Form, Json};
use serde::Deserialize;
use serde_json::{json, Value};

fn group_json(q: &Queued) -> Value {
    let g = &q.group;
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
        "similar_answers": q.similar,
    })
}

/// `GET /api/groups`: the open groups, largest first.
pub async fn api_list(State(state): State<WebState>, viewer: Viewer) -> Result<Json<Value>, Error> {
    let queue = act(&state, &viewer, |app, _| groups::queue(app)).await?;
    Ok(Json(
        json!({ "groups": queue.iter().map(group_json).collect::<Vec<_>>() }),
    ))
}

/// `GET /groups`: the editors' queue.
pub async fn page(State(state): State<WebState>, viewer: Viewer) -> Result<Response, Error> {
    let queue = act(&state, &viewer, |app, _| groups::queue(app)).await?;
    let (groups, similar): (Vec<_>, Vec<_>) =
        queue.into_iter().map(|q| (q.group, q.similar)).unzip();
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
    let (one, others) = act(&state, &viewer, move |app, _| {
        let one = groups::one_queued(app, id)?;
        let others: Vec<_> = groups::queue(app)?
            .into_iter()
            .map(|q| q.group)
            .filter(|g| g.id != id)
            .collect();
        Ok((one, others))
    })
    .await?;
    let library = state.app.shelf.current();
    Ok(views::groups::group(
        &viewer.ctx(),
        &one.group,
        &one.similar,
        &others,
        &library.knowledge,
    )
    .into_response())
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
    act(&state, &viewer, move |app, actor| {
        groups::link(app, actor, id, &slug)
    })
    .await?;
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
    act(&state, &viewer, move |app, actor| {
        groups::merge(app, actor, id, into)
    })
    .await?;
    Ok(back(into))
}

/// `POST /groups/{id}/dismiss`.
pub async fn dismiss_form(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, Error> {
    let id = parse_id(&id, Thing::Group)?;
    act(&state, &viewer, move |app, actor| {
        groups::dismiss(app, actor, id)
    })
    .await?;
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
    let new = act(&state, &viewer, move |app, actor| {
        groups::split(app, actor, id, &questions)
    })
    .await?;
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
    act(&state, &viewer, move |app, actor| {
        groups::move_question(app, actor, question, to)
    })
    .await?;
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
    let slug = act(&state, &viewer, move |app, actor| {
        groups::write_answer(app, actor, id, slug.as_deref(), title.as_deref())
    })
    .await?;
    Ok(Redirect::to(&paths::answer_page(&slug)).into_response())
}

/// `{"answer": "slug"}`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinkBody {
    answer: String,
}

/// `{"into": 2}`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MergeBody {
    into: i64,
}

/// `{"questions": [7, 9]}`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SplitBody {
    #[serde(default)]
    questions: Vec<i64>,
}

/// `{"group": 3}`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MoveBody {
    group: i64,
}

/// `{"slug", "title"}`, both optional.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct WriteBody {
    slug: Option<String>,
    title: Option<String>,
}

/// `PUT /api/groups/{id}/answer` with `{"answer": "slug"}`.
pub async fn api_link(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Body(body): Body<LinkBody>,
) -> Result<Json<Value>, Error> {
    let id = parse_id(&id, Thing::Group)?;
    let slug = body.answer.clone();
    act(&state, &viewer, move |app, actor| {
        groups::link(app, actor, id, &slug)
    })
    .await?;
    Ok(Json(json!({"id": id, "answer": body.answer})))
}

/// `POST /api/groups/{id}/merge` with `{"into": 2}`.
pub async fn api_merge(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Body(body): Body<MergeBody>,
) -> Result<Json<Value>, Error> {
    let (id, into) = (parse_id(&id, Thing::Group)?, body.into);
    act(&state, &viewer, move |app, actor| {
        groups::merge(app, actor, id, into)
    })
    .await?;
    Ok(Json(json!({"id": into})))
}

/// `POST /api/groups/{id}/dismiss`.
pub async fn api_dismiss(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Json<Value>, Error> {
    let id = parse_id(&id, Thing::Group)?;
    act(&state, &viewer, move |app, actor| {
        groups::dismiss(app, actor, id)
    })
    .await?;
    Ok(Json(json!({"id": id, "state": "dismissed"})))
}

/// `POST /api/groups/{id}/split` with `{"questions": [7, 9]}` → `201` with the new group's id.
pub async fn api_split(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Body(body): Body<SplitBody>,
) -> Result<Response, Error> {
    let id = parse_id(&id, Thing::Group)?;
    let new = act(&state, &viewer, move |app, actor| {
        groups::split(app, actor, id, &body.questions)
    })
    .await?;
    Ok((StatusCode::CREATED, Json(json!({"id": new}))).into_response())
}

/// `PUT /api/questions/{id}/group` with `{"group": 3}`.
pub async fn api_move(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Body(body): Body<MoveBody>,
) -> Result<Json<Value>, Error> {
    let (question, to) = (parse_id(&id, Thing::Question)?, body.group);
    act(&state, &viewer, move |app, actor| {
        groups::move_question(app, actor, question, to)
    })
    .await?;
    Ok(Json(json!({"id": question, "group": to})))
}

/// `POST /api/groups/{id}/write-answer` with `{"slug", "title"}` (both optional) → `201` with
/// the new answer's slug.
pub async fn api_write(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Body(body): Body<WriteBody>,
) -> Result<Response, Error> {
    let id = parse_id(&id, Thing::Group)?;
    let slug = act(&state, &viewer, move |app, actor| {
        groups::write_answer(app, actor, id, body.slug.as_deref(), body.title.as_deref())
    })
    .await?;
    Ok((StatusCode::CREATED, Json(json!({"slug": slug}))).into_response())
}
