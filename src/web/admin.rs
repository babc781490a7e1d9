//! Admin routes: accounts (add, change role, disable or enable, reset the password), machine
//! tokens (create, revoke), and the audit log, as pages and as JSON; each one
//! `actions::accounts` call. A new password or token is shown once, by a page reached by
//! redirect (a reload re-posts nothing); a refused change is said on the admin page.

use super::error::Error;
use super::extract::Viewer;
use super::{act, paths, WebState};
use crate::accounts::{Profile, Role};
use crate::actions::Actor;
use crate::actions::{accounts, ActionError};
use crate::app::App;
use crate::fields::{FieldError, FieldProblem};
use crate::i18n::Texts;
use crate::views;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Form, Json};
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};
use std::time::{Duration, Instant};

/// Runs an account action on the store as the viewer; a refused change (an invalid field) is
/// said on the admin page, anything else is an error.
async fn admin<T: Send + 'static>(
    state: &WebState,
    viewer: &Viewer,
    action: impl FnOnce(&App, &Actor) -> crate::actions::Result<T> + Send + 'static,
) -> Result<Result<T, Response>, Error> {
    match act(state, viewer, move |app, actor| Ok(action(app, actor))).await? {
        Ok(done) => Ok(Ok(done)),
        Err(ActionError::Invalid(e)) => Ok(Err((
            StatusCode::UNPROCESSABLE_ENTITY,
            views::account::admin_refused(&viewer.ctx(), &state.texts.field_error(&e)),
        )
            .into_response())),
        Err(e) => Err(e.into()),
    }
}

/// `GET /api/users`: every account (never a password hash).
pub async fn api_users(
    State(state): State<WebState>,
    viewer: Viewer,
) -> Result<Json<Value>, Error> {
    let (accounts, _, _) = act(&state, &viewer, |app, _| accounts::overview(app)).await?;
    Ok(Json(json!({ "users": accounts })))
}

/// Query of the audit log: page back with `before`.
#[derive(Debug, Deserialize)]
pub struct AuditParams {
    before: Option<i64>,
}

/// `GET /api/audit`: the newest audit lines.
pub async fn api_audit(
    State(state): State<WebState>,
    viewer: Viewer,
    Query(params): Query<AuditParams>,
) -> Result<Json<Value>, Error> {
    let entries = act(&state, &viewer, move |app, _| {
        accounts::audit_log(app, params.before)
    })
    .await?;
    Ok(Json(json!({ "entries": entries })))
}

/// Query of the admin page: what was just saved, or the key of a new password or token to show.
#[derive(Debug, Deserialize)]
pub struct AdminParams {
    saved: Option<String>,
    secret: Option<String>,
}

/// `GET /admin`.
pub async fn page(
    State(state): State<WebState>,
    viewer: Viewer,
    Query(params): Query<AdminParams>,
) -> Result<Response, Error> {
    if let Some(key) = &params.secret {
        return Ok(shown(&viewer, key));
    }
    let ((accounts, tokens, audit), failing) = act(&state, &viewer, |app, _| {
        Ok((
            accounts::overview(app)?,
            crate::actions::callbacks::failing_notices(app)?,
        ))
    })
    .await?;
    let saved = params.saved.map(|s| crate::text::clip(&s, 80).into_owned());
    let page = views::account::Admin {
        accounts: &accounts,
        tokens: &tokens,
        audit: &audit,
        failing: &failing,
    };
    Ok(views::account::admin(&viewer.ctx(), &page, saved.as_deref()).into_response())
}

fn role_field(form: &HashMap<String, String>) -> Result<Role, Error> {
    form.get("role")
        .and_then(|r| Role::parse(r))
        .ok_or_else(|| FieldError::new("role", FieldProblem::ExpectedOneOf(Role::WORDS)).into())
}

fn field(form: &HashMap<String, String>, name: &str) -> String {
    form.get(name)
        .map(|v| v.trim().to_string())
        .unwrap_or_default()
}

/// How long a new password or token waits for its page.
const SECRET_KEPT: Duration = Duration::from_secs(600);

/// A new password or token on its way from the POST that made it to the page that shows it.
struct Held {
    admin: String,
    at: Instant,
    title: String,
    what: String,
    secret: String,
    hint: String,
}

/// New passwords and tokens waiting to be shown, by a random key: the POST that makes one
/// redirects to `/admin?secret=KEY` (post/redirect/get), so that reloading the page re-posts
/// nothing (no second reset, no "login taken"). Shown once, to the admin who made it, within
/// [`SECRET_KEPT`]; in memory only, never written anywhere, gone with a restart.
static WAITING: LazyLock<Mutex<HashMap<String, Held>>> = LazyLock::new(Default::default);

/// Who made a request, as the secrets it made are kept for.
fn who(viewer: &Viewer) -> String {
    viewer
        .principal
        .as_ref()
        .map(|p| p.name.clone())
        .unwrap_or_default()
}

/// The page of a kept secret, taken out as it is shown; a page saying it was shown already
/// when it is gone.
fn shown(viewer: &Viewer, key: &str) -> Response {
    let held = {
        let mut waiting = WAITING.lock().unwrap_or_else(|p| p.into_inner());
        match waiting.get(key) {
            Some(h) if h.at.elapsed() < SECRET_KEPT && h.admin == who(viewer) => {
                waiting.remove(key)
            }
            _ => None,
        }
    };
    let ctx = viewer.ctx();
    match held {
        Some(h) => {
            views::account::secret_once(&ctx, &h.title, &h.what, &h.secret, &h.hint).into_response()
        }
        None => (
            StatusCode::GONE,
            views::account::admin_refused(&ctx, ctx.texts.secret_gone),
        )
            .into_response(),
    }
}

/// Runs an action that makes a password or a token and redirects to the page that shows it
/// once (`title`, `whose`: the interface's words for what it is and for whom), or says what was
/// refused.
async fn shown_once(
    state: &WebState,
    viewer: &Viewer,
    action: impl FnOnce(&App, &Actor) -> crate::actions::Result<String> + Send + 'static,
    (title, whose, hint): (&str, String, &str),
) -> Result<Response, Error> {
    Ok(match admin(state, viewer, action).await? {
        Ok(secret) => {
            let key = crate::accounts::random_secret(16);
            let mut waiting = WAITING.lock().unwrap_or_else(|p| p.into_inner());
            waiting.retain(|_, h| h.at.elapsed() < SECRET_KEPT);
            waiting.insert(
                key.clone(),
                Held {
                    admin: who(viewer),
                    at: Instant::now(),
                    title: title.to_string(),
                    what: whose,
                    secret,
                    hint: hint.to_string(),
                },
            );
            Redirect::to(&format!("{}?secret={key}", paths::ADMIN_PAGE)).into_response()
        }
        Err(refused) => refused,
    })
}

/// Runs an action that changes an account, then shows the admin page, or what was refused.
async fn changed(
    state: &WebState,
    viewer: &Viewer,
    action: impl FnOnce(&App, &Actor) -> crate::actions::Result<()> + Send + 'static,
) -> Result<Response, Error> {
    Ok(admin(state, viewer, action).await?.map_or_else(
        |refused| refused,
        |()| Redirect::to(paths::ADMIN_PAGE).into_response(),
    ))
}

/// `POST /admin/accounts`: a new account with a random password, shown once and to be changed
/// at the first login.
pub async fn add_account(
    State(state): State<WebState>,
    viewer: Viewer,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, Error> {
    let (login, role, t) = (field(&form, "login"), role_field(&form)?, state.texts);
    let shown = (
        t.account_added,
        Texts::fill(t.password_for, &[&login]),
        t.password_once_hint,
    );
    let profile = profile_field(&form)?;
    let add = move |app: &App, actor: &Actor| {
        accounts::add_account(app, actor, &login, role, None, &profile)
    };
    shown_once(&state, &viewer, add, shown).await
}

/// `POST /admin/accounts/{login}/role`.
pub async fn change_role(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(login): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, Error> {
    let role = role_field(&form)?;
    changed(&state, &viewer, move |app, actor| {
        accounts::set_role(app, actor, &login, role)
    })
    .await
}

fn profile_field(form: &HashMap<String, String>) -> Result<Profile, Error> {
    let get = |name: &str| form.get(name).map(String::as_str);
    Ok(Profile::new(
        get("display_name"),
        get("email"),
        get("extension"),
    )?)
}

/// `POST /admin/accounts/{login}/profile`: display name, e-mail for notices, extension.
pub async fn change_profile(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(login): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, Error> {
    let profile = profile_field(&form)?;
    changed(&state, &viewer, move |app, actor| {
        accounts::set_profile(app, actor, &login, &profile)
    })
    .await
}

/// `POST /admin/accounts/{login}/state` with `disabled=1` or `disabled=0`.
pub async fn change_state(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(login): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, Error> {
    let disabled = form.get("disabled").map(String::as_str) == Some("1");
    changed(&state, &viewer, move |app, actor| {
        accounts::set_disabled(app, actor, &login, disabled)
    })
    .await
}

/// `POST /admin/accounts/{login}/password`: a new random password, shown once, to be changed
/// at the next login; the account's sessions end.
pub async fn reset_password(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(login): Path<String>,
) -> Result<Response, Error> {
    let t = state.texts;
    let shown = (
        t.password_reset,
        Texts::fill(t.password_for, &[&login]),
        t.password_once_hint,
    );
    let reset = move |app: &App, actor: &Actor| accounts::set_password(app, actor, &login, None);
    shown_once(&state, &viewer, reset, shown).await
}

/// `POST /admin/tokens`: a new machine token, shown once.
pub async fn create_token(
    State(state): State<WebState>,
    viewer: Viewer,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, Error> {
    let (name, role, t) = (field(&form, "name"), role_field(&form)?, state.texts);
    let shown = (
        t.token_created,
        Texts::fill(t.token_for, &[&name]),
        t.token_once_hint,
    );
    let create = move |app: &App, actor: &Actor| accounts::create_token(app, actor, &name, role);
    shown_once(&state, &viewer, create, shown).await
}

/// `POST /admin/tokens/{name}/revoke`.
pub async fn revoke_token(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(name): Path<String>,
) -> Result<Response, Error> {
    let n = name.clone();
    act(&state, &viewer, move |app, actor| {
        accounts::revoke_token(app, actor, &n)
    })
    .await?;
    let saved = format!(
        "{}?saved={}",
        paths::ADMIN_PAGE,
        paths::encode_component(&name)
    );
    Ok(Redirect::to(&saved).into_response())
}
