//! The editors' queue of typical questions without an answer, as pages with plain forms and as
//! JSON: each handler reads the request, makes one `actions::groups` call, and answers.

use super::error::{Error, Thing};
use super::extract::{id_in_form, parse_id, Body, Input, Params, Viewer};
use super::{act, is_api, paths};
use crate::actions::groups;
use crate::views::{self, json};
use axum::extract::Path;
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Form, Json};
use serde::Deserialize;
use serde_json::{json, Value};

/// `GET /api/groups`: the open groups, largest first.
pub async fn api_list(viewer: Viewer) -> Result<Json<Value>, Error> {
    let queue = act(&viewer, |app, _| groups::queue(app)).await?;
    Ok(Json(
        json!({ "groups": queue.iter().map(json::group).collect::<Vec<_>>() }),
    ))
}

/// `GET /groups`: the editors' queue.
pub async fn page(viewer: Viewer, Params(params): Params<QueueParams>) -> Result<Response, Error> {
    let (queue, dismissed) = act(&viewer, |app, _| {
        Ok((groups::queue(app)?, groups::dismissed(app)?))
    })
    .await?;
    let (groups, similar): (Vec<_>, Vec<_>) =
        queue.into_iter().map(|q| (q.group, q.similar)).unzip();
    let library = viewer.app.shelf.current();
    // What was just done, said over the queue: a link names its answer by title.
    let done = match (params.linked.as_deref(), params.dismissed) {
        (Some(slug), _) => library
            .knowledge
            .get(slug)
            .map(|a| views::groups::Done::Linked(a.title.clone(), params.group)),
        // Still dismissed: it may be taken back at once.
        (None, Some(id)) => Some(views::groups::Done::Dismissed(
            dismissed.iter().any(|g| g.id == id).then_some(id),
        )),
        _ => None,
    };
    let ctx = viewer.ctx();
    let queue = views::groups::Queue {
        groups: &groups,
        similar: &similar,
        dismissed: &dismissed,
    };
    Ok(views::groups::queue(&ctx, &queue, &library.knowledge, done).into_response())
}

/// Query of the queue: what was just done (a group linked to `linked`, or one dismissed).
#[derive(Debug, Default, Deserialize)]
pub struct QueueParams {
    linked: Option<String>,
    /// The group just linked (its link may be undone).
    group: Option<i64>,
    dismissed: Option<i64>,
}

/// `GET /groups/{id}`: one group, its phrasings and the actions on them.
/// Query of a group's page: `done` (`merged`, `split`, `moved`) after an editor's change.
#[derive(Debug, Deserialize)]
pub struct GroupParams {
    done: Option<String>,
}

/// `GET /groups/{id}`, saying what was just done when `done` names it.
pub async fn group_page(
    viewer: Viewer,
    Path(id): Path<String>,
    Params(params): Params<GroupParams>,
) -> Result<Response, Error> {
    let id = parse_id(&id, Thing::Group)?;
    let asked = params.done.is_none();
    let found = act(&viewer, move |app, _| {
        // A group merged away is read where its questions went, saying so.
        if let Some(into) = app.store.merged_into(id)?.filter(|_| asked) {
            return Ok(Err(into));
        }
        let one = groups::one_queued(app, id)?;
        let others = groups::others_by_similarity(app, id)?;
        Ok(Ok((one, others)))
    })
    .await?;
    let (one, others) = match found {
        Ok(found) => found,
        Err(into) => return Ok(back(into, "merged_into")),
    };
    let library = viewer.app.shelf.current();
    Ok(views::groups::group(
        &viewer.ctx(),
        &one.group,
        &one.similar,
        &others,
        &library.knowledge,
        params.done.as_deref(),
        one.retired.as_deref(),
    )
    .into_response())
}

/// Back to a group's page, which says what was done (`done`).
fn back(id: i64, done: &str) -> Response {
    Redirect::to(&format!(
        "{}?done={done}",
        paths::with_id(paths::GROUP_PAGE, id)
    ))
    .into_response()
}

/// `{"answer": "slug"}` (or the form's `answer`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinkBody {
    answer: String,
}

/// `PUT /api/groups/{id}/answer` with `{"answer": "slug"}`, `POST /groups/{id}/answer`.
pub async fn link(
    viewer: Viewer,
    uri: Uri,
    Path(id): Path<String>,
    Input(body): Input<LinkBody>,
) -> Result<Response, Error> {
    let id = parse_id(&id, Thing::Group)?;
    let slug = body.answer.clone();
    act(&viewer, move |app, actor| {
        groups::link(app, actor, id, &slug)
    })
    .await?;
    Ok(if is_api(uri.path()) {
        Json(json!({"id": id, "answer": body.answer})).into_response()
    } else {
        let slug = paths::encode_component(&body.answer);
        Redirect::to(&format!("{}?linked={slug}&group={id}", paths::GROUPS_PAGE)).into_response()
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
    viewer: Viewer,
    uri: Uri,
    Path(id): Path<String>,
    Input(body): Input<MergeBody>,
) -> Result<Response, Error> {
    let (id, into) = (parse_id(&id, Thing::Group)?, body.into);
    act(&viewer, move |app, actor| {
        groups::merge(app, actor, id, into)
    })
    .await?;
    Ok(if is_api(uri.path()) {
        Json(json!({"id": into})).into_response()
    } else {
        back(into, "merged")
    })
}

/// `POST /api/groups/{id}/dismiss`, `POST /groups/{id}/dismiss`.
pub async fn dismiss(viewer: Viewer, uri: Uri, Path(id): Path<String>) -> Result<Response, Error> {
    let id = parse_id(&id, Thing::Group)?;
    act(&viewer, move |app, actor| groups::dismiss(app, actor, id)).await?;
    Ok(if is_api(uri.path()) {
        Json(json!({"id": id, "state": "dismissed"})).into_response()
    } else {
        Redirect::to(&format!("{}?dismissed={id}", paths::GROUPS_PAGE)).into_response()
    })
}

/// `POST /api/groups/{id}/reopen`, `POST /groups/{id}/reopen`: a dismissed group back in the
/// queue.
pub async fn reopen(viewer: Viewer, uri: Uri, Path(id): Path<String>) -> Result<Response, Error> {
    let id = parse_id(&id, Thing::Group)?;
    act(&viewer, move |app, actor| groups::reopen(app, actor, id)).await?;
    Ok(if is_api(uri.path()) {
        Json(json!({"id": id, "state": "open"})).into_response()
    } else {
        back(id, "reopened")
    })
}

/// `POST /groups/{id}/split` (form: `question`, repeated).
pub async fn split_form(
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
    let new = act(&viewer, move |app, actor| {
        groups::split(app, actor, id, &questions)
    })
    .await?;
    Ok(back(new, "split"))
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
    viewer: Viewer,
    Path(id): Path<String>,
    Body(body): Body<SplitBody>,
) -> Result<Response, Error> {
    let id = parse_id(&id, Thing::Group)?;
    let new = act(&viewer, move |app, actor| {
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
    viewer: Viewer,
    uri: Uri,
    Path(id): Path<String>,
    Input(body): Input<MoveBody>,
) -> Result<Response, Error> {
    let (question, to) = (parse_id(&id, Thing::Question)?, body.group);
    act(&viewer, move |app, actor| {
        groups::move_question(app, actor, question, to)
    })
    .await?;
    Ok(if is_api(uri.path()) {
        Json(json!({"id": question, "group": to})).into_response()
    } else {
        back(
            body.from.and_then(|f| f.parse().ok()).unwrap_or(to),
            "moved",
        )
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
    viewer: Viewer,
    uri: Uri,
    Path(id): Path<String>,
    Input(body): Input<WriteBody>,
) -> Result<Response, Error> {
    let id = parse_id(&id, Thing::Group)?;
    let slug = act(&viewer, move |app, actor| {
        groups::write_answer(app, actor, id, body.slug.as_deref(), body.title.as_deref())
    })
    .await?;
    Ok(if is_api(uri.path()) {
        (StatusCode::CREATED, Json(json!({"slug": slug}))).into_response()
    } else {
        Redirect::to(&paths::answer_page(&slug)).into_response()
    })
}
