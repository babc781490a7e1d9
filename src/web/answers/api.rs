//! The answers' JSON API: an answer for the operator, and for editors its file as written, a
//! save over a version, and its history. The changes (restore, retire, rename, reviewed) share
//! their handlers with the pages, in the parent module.

use super::{moved, slug_of};
use crate::actions::answers::form;
use crate::actions::answers::{self as workbench};
use crate::actions::ActionError;
use crate::fields::{FieldError, FieldProblem};
use crate::web::error::Error;
use crate::web::extract::{Body, Viewer};
use crate::web::{act, paths, WebState};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

/// `GET /api/answers/{*slug}`: the answer (an address naming an editors' route is moved).
pub async fn api(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(rest): Path<String>,
) -> Result<Response, Error> {
    if let Some(moved) = moved(&viewer, &rest, true)? {
        return Ok(moved);
    }
    let slug = slug_of(&rest)?.to_string();
    let library = state.app.shelf.current();
    let Some(answer) = library.knowledge.get(&slug) else {
        let new = act(&state, &viewer, move |app, _| {
            workbench::renamed_to(app, &slug)
        })
        .await?;
        return Ok(
            Redirect::permanent(&format!("{}{}", paths::API_ANSWERS_PREFIX, new)).into_response(),
        );
    };
    Ok(Json(json!({
        "slug": answer.slug,
        "title": answer.title,
        "questions": answer.questions,
        "audience": answer.audience.as_str(),
        "tags": answer.tags,
        "reviewed": answer.reviewed.to_string(),
        "html": answer.html,
    }))
    .into_response())
}

/// `PUT` or `POST /api/answers/{*slug}`: only addresses naming an editors' route (moved for
/// editors).
pub async fn api_moved(viewer: Viewer, Path(rest): Path<String>) -> Result<Response, Error> {
    moved(&viewer, &rest, true)?.ok_or(Error::MethodNotAllowed)
}

/// `GET /api/answers/source/{*slug}`: the file as written, with its version.
pub async fn api_source(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(slug): Path<String>,
) -> Result<Response, Error> {
    let slug = slug_of(&slug)?.to_string();
    let source = act(&state, &viewer, move |app, _| {
        form::current_source(app, &slug)
    })
    .await?;
    Ok(
        Json(json!({"slug": source.slug, "text": source.text, "version": source.version}))
            .into_response(),
    )
}

/// `PUT /api/answers/source/{*slug}` with `{"text", "version"}` (`version` null: a new answer).
pub async fn api_put_source(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(slug): Path<String>,
    Body(body): Body<SourceBody>,
) -> Result<Response, Error> {
    let slug = slug_of(&slug)?.to_string();
    let version = body
        .version
        .ok_or_else(|| FieldError::new("version", FieldProblem::Required))?;
    let (s, text) = (slug.clone(), body.text.replace("\r\n", "\n"));
    let saved = act(&state, &viewer, move |app, actor| {
        Ok(workbench::save(app, actor, &s, &text, version.as_deref()))
    })
    .await?;
    let (status, value) = match saved {
        Ok(source) => (
            StatusCode::OK,
            json!({"slug": source.slug, "version": source.version}),
        ),
        Err(ActionError::Conflict(current)) => (
            StatusCode::CONFLICT,
            json!({
                "error": state.texts.edit_conflict_title,
                "text": current.as_ref().map(|c| c.text.clone()),
                "version": current.as_ref().map(|c| c.version.clone()),
            }),
        ),
        Err(ActionError::Rejected(problems)) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            json!({
                "error": problems.iter().map(|p| match p.line {
                    Some(line) => format!("{slug}.md:{line}: {}", state.texts.knowledge_issue(&p.issue)),
                    None => format!("{slug}.md: {}", state.texts.knowledge_issue(&p.issue)),
                }).collect::<Vec<_>>().join("\n"),
                "problems": problems.iter().map(|p| json!({"line": p.line, "message": state.texts.knowledge_issue(&p.issue)})).collect::<Vec<_>>(),
            }),
        ),
        Err(e) => return Err(e.into()),
    };
    Ok((status, Json(value)).into_response())
}

/// `{"text", "version"}`: `version` must be there, `null` for a new answer.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceBody {
    text: String,
    #[serde(default, deserialize_with = "present")]
    version: Option<Option<String>>,
}

/// A field that may be `null` but must be there: `Some(None)` for `null`, `None` when absent.
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(d).map(Some)
}

/// `GET /api/answers/history/{*slug}`: the versions, newest first.
pub async fn api_history(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(slug): Path<String>,
) -> Result<Response, Error> {
    let slug = slug_of(&slug)?.to_string();
    let versions = act(&state, &viewer, move |app, _| {
        workbench::history(app, &slug)
    })
    .await?;
    let list: Vec<Value> = versions
        .iter()
        .map(|v| {
            json!({"id": v.id, "at": v.at.to_rfc3339(), "by": v.by, "how": v.how.as_str(), "note": v.note})
        })
        .collect();
    Ok(Json(json!({"versions": list})).into_response())
}
