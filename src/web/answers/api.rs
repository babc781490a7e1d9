//! The answers' JSON API for editors: the file as written, and a save over a version. The
//! answer itself, its history and the changes (restore, retire, rename, reviewed) share their
//! handlers with the pages, in the parent module.

use super::slug_of;
use crate::actions::answers::form;
use crate::actions::answers::{self as workbench};
use crate::actions::ActionError;
use crate::fields::{FieldError, FieldProblem};
use crate::web::act;
use crate::web::error::Error;
use crate::web::extract::{Body, Viewer};
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::json;

/// `GET /api/answers/source/{*slug}`: the file as written, with its version.
pub async fn api_source(viewer: Viewer, Path(slug): Path<String>) -> Result<Response, Error> {
    let slug = slug_of(&slug)?.to_string();
    let source = act(&viewer, move |app, _| form::current_source(app, &slug)).await?;
    Ok(
        Json(json!({"slug": source.slug, "text": source.text, "version": source.version}))
            .into_response(),
    )
}

/// `PUT /api/answers/source/{*slug}` with `{"text", "version"}` (`version` null: a new answer).
pub async fn api_put_source(
    viewer: Viewer,
    Path(slug): Path<String>,
    Body(body): Body<SourceBody>,
) -> Result<Response, Error> {
    let slug = slug_of(&slug)?.to_string();
    let version = body
        .version
        .ok_or_else(|| FieldError::new("version", FieldProblem::Required))?;
    let (s, text) = (slug.clone(), body.text.replace("\r\n", "\n"));
    let saved = act(&viewer, move |app, actor| {
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
                "error": viewer.texts.edit_conflict_title,
                "text": current.as_ref().map(|c| c.text.clone()),
                "version": current.as_ref().map(|c| c.version.clone()),
            }),
        ),
        Err(ActionError::Rejected(problems)) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            json!({
                "error": problems.iter().map(|p| match p.line {
                    Some(line) => format!("{slug}.md:{line}: {}", viewer.texts.knowledge_issue(&p.issue)),
                    None => format!("{slug}.md: {}", viewer.texts.knowledge_issue(&p.issue)),
                }).collect::<Vec<_>>().join("\n"),
                "problems": problems.iter().map(|p| json!({"line": p.line, "message": viewer.texts.knowledge_issue(&p.issue)})).collect::<Vec<_>>(),
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
