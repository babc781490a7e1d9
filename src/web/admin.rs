//! Admin routes: accounts (add, change role, disable or enable, reset the password), machine
//! tokens (create, revoke), and the audit log, as pages and as JSON. Every change is audited; a
//! new password or token is shown once and only its hash is kept. The last enabled admin can be
//! neither disabled nor demoted, so that nobody locks the office out of its own server.

use super::error::Error;
use super::extract::Viewer;
use super::{audit, blocking, paths, WebState};
use crate::accounts::{self, Role};
use crate::fields::{FieldError, FieldProblem};
use crate::views;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Form, Json};
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};
use std::time::{Duration, Instant};

/// Audit lines per page.
const AUDIT_PAGE: usize = 200;

/// How long a new password or token waits for its page.
const SECRET_KEPT: Duration = Duration::from_secs(600);

/// A new password or token on its way from the POST that made it to the page that shows it.
struct Held {
    admin: String,
    at: Instant,
    title: &'static str,
    what: String,
    secret: String,
    hint: &'static str,
}

/// New passwords and tokens waiting to be shown, by a random key: the POST that makes one
/// redirects to `/admin?secret=KEY` (post/redirect/get), so that reloading the page re-posts
/// nothing (no second reset, no "login taken"). Shown once, to the admin who made it, within
/// [`SECRET_KEPT`]; in memory only, never written anywhere, gone with a restart.
static WAITING: LazyLock<Mutex<HashMap<String, Held>>> = LazyLock::new(Default::default);

/// Keeps a secret for its page and redirects there.
fn show_once(
    viewer: &Viewer,
    title: &'static str,
    what: String,
    secret: String,
    hint: &'static str,
) -> Response {
    let key = accounts::random_secret(16);
    let mut waiting = WAITING.lock().unwrap_or_else(|p| p.into_inner());
    waiting.retain(|_, h| h.at.elapsed() < SECRET_KEPT);
    waiting.insert(
        key.clone(),
        Held {
            admin: who(viewer),
            at: Instant::now(),
            title,
            what,
            secret,
            hint,
        },
    );
    Redirect::to(&format!("{}?secret={key}", paths::ADMIN_PAGE)).into_response()
}

/// The page of a secret kept by [`show_once`], taken out as it is shown; a page saying it was
/// shown already when it is gone.
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
            views::account::secret_once(&ctx, h.title, &h.what, &h.secret, h.hint).into_response()
        }
        None => (
            StatusCode::GONE,
            views::account::admin_refused(&ctx, ctx.texts.secret_gone),
        )
            .into_response(),
    }
}

/// Who made a request, as the secrets it made are kept for.
fn who(viewer: &Viewer) -> String {
    viewer
        .principal
        .as_ref()
        .map(|p| p.name.clone())
        .unwrap_or_default()
}

/// `GET /api/users`: every account (never a password hash).
pub async fn api_users(State(state): State<WebState>) -> Result<Json<Value>, Error> {
    let store = Arc::clone(&state.app.store);
    let accounts = blocking(move || store.accounts()).await?;
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
    Query(params): Query<AuditParams>,
) -> Result<Json<Value>, Error> {
    let store = Arc::clone(&state.app.store);
    let entries = blocking(move || store.audit_log(AUDIT_PAGE, params.before)).await?;
    Ok(Json(json!({ "entries": entries })))
}

/// The admin page after a change, saying what was saved.
fn saved(what: &str) -> String {
    format!(
        "{}?saved={}",
        paths::ADMIN_PAGE,
        paths::encode_component(what)
    )
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
    let store = Arc::clone(&state.app.store);
    let (accounts, tokens, audit) = blocking(move || {
        Ok((
            store.accounts()?,
            store.tokens()?,
            store.audit_log(AUDIT_PAGE, None)?,
        ))
    })
    .await?;
    let saved = params.saved.map(|s| crate::text::clip(&s, 80).into_owned());
    Ok(
        views::account::admin(&viewer.ctx(), &accounts, &tokens, &audit, saved.as_deref())
            .into_response(),
    )
}

fn role_field(form: &HashMap<String, String>) -> Result<Role, Error> {
    form.get("role")
        .and_then(|r| Role::parse(r))
        .ok_or_else(|| {
            FieldError::new(
                "role",
                FieldProblem::ExpectedOneOf(&["operator", "editor", "head", "admin"]),
            )
            .into()
        })
}

fn refused(viewer: &Viewer, message: &str) -> Response {
    (
        StatusCode::UNPROCESSABLE_ENTITY,
        views::account::admin_refused(&viewer.ctx(), message),
    )
        .into_response()
}

/// `POST /admin/accounts`: a new account with a random password, shown once and to be changed
/// at the first login.
pub async fn add_account(
    State(state): State<WebState>,
    viewer: Viewer,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, Error> {
    let login = form
        .get("login")
        .map(|l| l.trim().to_string())
        .unwrap_or_default();
    let role = role_field(&form)?;
    if let Err(e) = accounts::check_login(&login) {
        return Ok(refused(&viewer, &state.texts.field_error(&e)));
    }
    let password = accounts::random_password();
    let store = Arc::clone(&state.app.store);
    let (who, pw) = (login.clone(), password.clone());
    let created = blocking(move || {
        if store.account_by_login(&who)?.is_some() {
            return Ok(false);
        }
        store.create_account(&who, &accounts::hash_password(&pw)?, role, true)?;
        Ok(true)
    })
    .await?;
    if !created {
        let e = FieldError::new("login", FieldProblem::LoginTaken);
        return Ok(refused(&viewer, &state.texts.field_error(&e)));
    }
    let subject = format!("account {login} added as {}", role.as_str());
    audit(&state, &viewer, "account", subject).await;
    let texts = state.texts;
    Ok(show_once(
        &viewer,
        texts.account_added,
        crate::i18n::Texts::fill(texts.password_for, &[&login]),
        password,
        texts.password_once_hint,
    ))
}

/// Whether changing `login` so that it is no longer an enabled admin leaves no enabled admin.
async fn last_admin(state: &WebState, login: &str) -> Result<bool, Error> {
    let store = Arc::clone(&state.app.store);
    let login = login.to_string();
    blocking(move || {
        let accounts = store.accounts()?;
        let enabled_admins = accounts
            .iter()
            .filter(|a| a.role == Role::Admin && !a.disabled)
            .count();
        let is_one = accounts
            .iter()
            .any(|a| a.login == login && a.role == Role::Admin && !a.disabled);
        Ok(is_one && enabled_admins <= 1)
    })
    .await
}

/// `POST /admin/accounts/{login}/role`.
pub async fn change_role(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(login): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, Error> {
    let role = role_field(&form)?;
    if role != Role::Admin && last_admin(&state, &login).await? {
        return Ok(refused(&viewer, state.texts.last_admin));
    }
    let store = Arc::clone(&state.app.store);
    let who = login.clone();
    let changed = blocking(move || store.set_role(&who, role)).await?;
    if !changed {
        return Err(Error::not_found(super::error::Thing::Page, &login));
    }
    audit(
        &state,
        &viewer,
        "account",
        format!("account {login} role {}", role.as_str()),
    )
    .await;
    Ok(Redirect::to(paths::ADMIN_PAGE).into_response())
}

/// `POST /admin/accounts/{login}/state` with `disabled=1` or `disabled=0`.
pub async fn change_state(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(login): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, Error> {
    let disabled = form.get("disabled").map(String::as_str) == Some("1");
    if disabled && viewer.person() == Some(login.as_str()) {
        return Ok(refused(&viewer, state.texts.self_disable));
    }
    if disabled && last_admin(&state, &login).await? {
        return Ok(refused(&viewer, state.texts.last_admin));
    }
    let store = Arc::clone(&state.app.store);
    let who = login.clone();
    let changed = blocking(move || store.set_disabled(&who, disabled)).await?;
    if !changed {
        return Err(Error::not_found(super::error::Thing::Page, &login));
    }
    let what = if disabled { "disabled" } else { "enabled" };
    audit(
        &state,
        &viewer,
        "account",
        format!("account {login} {what}"),
    )
    .await;
    Ok(Redirect::to(paths::ADMIN_PAGE).into_response())
}

/// `POST /admin/accounts/{login}/password`: a new random password, shown once, to be changed
/// at the next login; the account's sessions end.
pub async fn reset_password(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(login): Path<String>,
) -> Result<Response, Error> {
    let password = accounts::random_password();
    let store = Arc::clone(&state.app.store);
    let (who, pw) = (login.clone(), password.clone());
    let changed =
        blocking(move || store.set_password(&who, &accounts::hash_password(&pw)?, true)).await?;
    if !changed {
        return Err(Error::not_found(super::error::Thing::Page, &login));
    }
    audit(
        &state,
        &viewer,
        "account",
        format!("account {login} password reset"),
    )
    .await;
    let texts = state.texts;
    Ok(show_once(
        &viewer,
        texts.password_reset,
        crate::i18n::Texts::fill(texts.password_for, &[&login]),
        password,
        texts.password_once_hint,
    ))
}

/// `POST /admin/tokens`: a new machine token, shown once.
pub async fn create_token(
    State(state): State<WebState>,
    viewer: Viewer,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, Error> {
    let name = form
        .get("name")
        .map(|n| n.trim().to_string())
        .unwrap_or_default();
    let role = role_field(&form)?;
    if let Err(e) = accounts::check_login(&name) {
        return Ok(refused(
            &viewer,
            &state.texts.field_error(&FieldError::new("name", e.problem)),
        ));
    }
    let secret = format!("cfq_{}", accounts::random_secret(24));
    let store = Arc::clone(&state.app.store);
    let (n, hash) = (name.clone(), accounts::secret_hash(&secret));
    let created = blocking(move || {
        if store
            .tokens()?
            .iter()
            .any(|t| t.name == n && t.revoked_at.is_none())
        {
            return Ok(false);
        }
        store.create_token(&n, &hash, role)?;
        Ok(true)
    })
    .await?;
    if !created {
        return Ok(refused(&viewer, state.texts.token_taken));
    }
    audit(
        &state,
        &viewer,
        "token",
        format!("token {name} created as {}", role.as_str()),
    )
    .await;
    let texts = state.texts;
    Ok(show_once(
        &viewer,
        texts.token_created,
        crate::i18n::Texts::fill(texts.token_for, &[&name]),
        secret,
        texts.token_once_hint,
    ))
}

/// `POST /admin/tokens/{name}/revoke`.
pub async fn revoke_token(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(name): Path<String>,
) -> Result<Response, Error> {
    let store = Arc::clone(&state.app.store);
    let n = name.clone();
    let revoked = blocking(move || store.revoke_token(&n)).await?;
    if !revoked {
        return Err(Error::not_found(super::error::Thing::Page, &name));
    }
    audit(&state, &viewer, "token", format!("token {name} revoked")).await;
    Ok(Redirect::to(&saved(&name)).into_response())
}
