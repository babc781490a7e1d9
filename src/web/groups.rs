//! The editors' queue of typical questions without an answer, as pages with plain forms and as
//! JSON: each handler reads the request, makes one `actions::groups` call, and answers.

use super::error::{Error, Thing};
use super::extract::{id_in_form, parse_id, Body, Input, Viewer};
use super::{act, paths, WebState};
use crate::actions::groups::{self, Queued};
use crate::views;
use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
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
        let others = groups::others_by_similarity(app, id)?;
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

fn back(id: i64) -> Response {
    Redirect::to(&paths::with_id(paths::GROUP_PAGE, id)).into_response()
}

/// Whether the request came to the JSON API (else a page's form).
fn api(uri: &Uri) -> bool {
    super::is_api(uri.path())
}

/// `{"answer": "slug"}` (or the form's `answer`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinkBody {
    answer: String,
}

/// `PUT /api/groups/{id}/answer` with `{"answer": "slug"}`, `POST /groups/{id}/answer`.
pub async fn link(
    State(state): State<WebState>,
    viewer: Viewer,
    uri: Uri,
    Path(id): Path<String>,
    Input(body): Input<LinkBody>,
) -> Result<Response, Error> {
    let id = parse_id(&id, Thing::Group)?;
    let slug = body.answer.clone();
    act(&state, &viewer, move |app, actor| {
        groups::link(app, actor, id, &slug)
    })
    .await?;
    Ok(if api(&uri) {
        Json(json!({"id": id, "answer": body.answer})).into_response()
    } else {
        Redirect::to(paths::GROUPS_PAGE).into_response()
    })
}

/// `{"into": 2}` (or the form's `into`, `#2` as well).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MergeBody {
    #[serde(deserialize_with = "id_in_form")]
    into: i64,
}

/// `POST /api/groups/{id}/merge` with `{"into": 2}`, `POST /groups/{id}/merge`.
pub async fn merge(
    State(state): State<WebState>,
    viewer: Viewer,
    uri: Uri,
    Path(id): Path<String>,
    Input(body): Input<MergeBody>,
) -> Result<Response, Error> {
    let (id, into) = (parse_id(&id, Thing::Group)?, body.into);
    act(&state, &viewer, move |app, actor| {
        groups::merge(app, actor, id, into)
    })
    .await?;
    Ok(if api(&uri) {
        Json(json!({"id": into})).into_response()
    } else {
        back(into)
    })
}

/// `POST /api/groups/{id}/dismiss`, `POST /groups/{id}/dismiss`.
pub async fn dismiss(
    State(state): State<WebState>,
    viewer: Viewer,
    uri: Uri,
    Path(id): Path<String>,
) -> Result<Response, Error> {
    let id = parse_id(&id, Thing::Group)?;
    act(&state, &viewer, move |app, actor| {
        groups::dismiss(app, actor, id)
    })
    .await?;
    Ok(if api(&uri) {
        Json(json!({"id": id, "state": "dismissed"})).into_response()
    } else {
        Redirect::to(paths::GROUPS_PAGE).into_response()
    })
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

/// `{"questions": [7, 9]}`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SplitBody {
    #[serde(default)]
    questions: Vec<i64>,
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

/// `{"group": 3}` (or the form's `group`, and `from`, the group page to return to).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MoveBody {
    #[serde(deserialize_with = "id_in_form")]
    group: i64,
    #[serde(default)]
    from: Option<String>,
}

/// `PUT /api/questions/{id}/group` with `{"group": 3}`, `POST /questions/{id}/group`.
pub async fn move_question(
    State(state): State<WebState>,
    viewer: Viewer,
    uri: Uri,
    Path(id): Path<String>,
    Input(body): Input<MoveBody>,
) -> Result<Response, Error> {
    let (question, to) = (parse_id(&id, Thing::Question)?, body.group);
    act(&state, &viewer, move |app, actor| {
        groups::move_question(app, actor, question, to)
    })
    .await?;
    Ok(if api(&uri) {
        Json(json!({"id": question, "group": to})).into_response()
    } else {
        back(body.from.and_then(|f| f.parse().ok()).unwrap_or(to))
    })
}

/// `{"slug", "title"}`, both optional.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct WriteBody {
    slug: Option<String>,
    title: Option<String>,
}

/// `POST /api/groups/{id}/write-answer` with `{"slug", "title"}` (both optional) → `201` with
/// the new answer's slug; `POST /groups/{id}/write-answer` opens it.
pub async fn write_answer(
    State(state): State<WebState>,
    viewer: Viewer,
    uri: Uri,
    Path(id): Path<String>,
    Input(body): Input<WriteBody>,
) -> Result<Response, Error> {
    let id = parse_id(&id, Thing::Group)?;
    let slug = act(&state, &viewer, move |app, actor| {
        groups::write_answer(app, actor, id, body.slug.as_deref(), body.title.as_deref())
    })
    .await?;
    Ok(if api(&uri) {
        (StatusCode::CREATED, Json(json!({"slug": slug}))).into_response()
    } else {
        Redirect::to(&paths::answer_page(&slug)).into_response()
    })
}
