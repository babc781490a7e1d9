//! Admin routes: accounts (add, change role, disable or enable, reset the password), machine
//! tokens (create, revoke), and the audit log, as pages and as JSON; each one
//! `actions::accounts` call. A new password or token is shown once, by a page reached by
//! redirect (a reload re-posts nothing); a refused change is said on the admin page.

use super::error::Error;
use super::extract::Viewer;
use super::{act, paths};
use crate::accounts::once::Secret;
use crate::accounts::{Profile, Role};
use crate::actions::Actor;
use crate::actions::{accounts, ActionError};
use crate::app::App;
use crate::fields::{FieldError, FieldProblem};
use crate::i18n::Texts;
use crate::views;
use crate::views::account::Done;
use crate::web::extract::Params;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Form, Json};
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::HashMap;

/// Runs an account action on the store as the viewer; a refused change (an invalid field) is
/// said on the admin page, anything else is an error.
async fn admin<T: Send + 'static>(
    viewer: &Viewer,
    action: impl FnOnce(&App, &Actor) -> crate::actions::Result<T> + Send + 'static,
) -> Result<Result<T, Response>, Error> {
    match act(viewer, move |app, actor| Ok(action(app, actor))).await? {
        Ok(done) => Ok(Ok(done)),
        Err(ActionError::Invalid(e)) => Ok(Err((
            StatusCode::UNPROCESSABLE_ENTITY,
            views::account::admin_refused(&viewer.ctx(), &viewer.texts.page_field_error(&e)),
        )
            .into_response())),
        Err(e) => Err(e.into()),
    }
}

/// `GET /admin/backup`: a consistent copy of the database as a download, as `callfaq backup`
/// writes it. The copy is a file in the data folder only while it is sent: removed once
/// opened, it is read to the end from the open file.
pub async fn backup(viewer: Viewer, method: axum::http::Method) -> Result<Response, Error> {
    use axum::http::header;
    use std::sync::atomic::{AtomicBool, Ordering};
    // One copy at a time: each is the size of the database, on its disk until sent.
    static MAKING: AtomicBool = AtomicBool::new(false);
    struct Made;
    impl Drop for Made {
        fn drop(&mut self) {
            MAKING.store(false, Ordering::Release);
        }
    }
    if method == axum::http::Method::HEAD {
        // Asked whether it is there: no copy is made for that.
        return Ok([(header::CONTENT_TYPE, "application/vnd.sqlite3")].into_response());
    }
    if MAKING.swap(true, Ordering::AcqRel) {
        return Err(Error::Busy);
    }
    let made = Made;
    let (file, summary) = act(&viewer, accounts::backup_copy).await?;
    let opened = std::fs::File::open(&file);
    if let Err(e) = std::fs::remove_file(&file) {
        tracing::warn!(file = %file.display(), "removing a downloaded backup: {e}");
    }
    let opened = opened.map_err(|e| Error::Internal(e.into()))?;
    // Read a chunk at a time off the async threads; `made` goes with the stream, so that the
    // next copy may be made once this one is sent, or given up.
    let chunks = futures_util::stream::unfold(Some((opened, made)), |state| async move {
        let (mut file, made) = state?;
        let read = tokio::task::spawn_blocking(move || {
            use std::io::Read;
            let mut chunk = vec![0u8; 256 * 1024];
            let n = file.read(&mut chunk)?;
            chunk.truncate(n);
            Ok::<_, std::io::Error>((chunk, file))
        })
        .await
        .unwrap_or_else(|e| Err(std::io::Error::other(e)));
        match read {
            Ok((chunk, _)) if chunk.is_empty() => None,
            Ok((chunk, file)) => Some((Ok(axum::body::Bytes::from(chunk)), Some((file, made)))),
            Err(e) => Some((Err(e), None)),
        }
    });
    let name = format!(
        "callfaq-{}.sqlite3",
        viewer
            .app
            .clock
            .local(viewer.app.clock.now())
            .format("%Y%m%d-%H%M")
    );
    Ok((
        [
            (header::CONTENT_TYPE, "application/vnd.sqlite3".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
            (header::CONTENT_LENGTH, summary.bytes.to_string()),
        ],
        axum::body::Body::from_stream(chunks),
    )
        .into_response())
}

/// `GET /api/users`: every account (never a password hash).
pub async fn api_users(viewer: Viewer) -> Result<Json<Value>, Error> {
    let (accounts, _, _) = act(&viewer, |app, _| accounts::overview(app)).await?;
    Ok(Json(json!({ "users": accounts })))
}

/// Query of the audit log: page back with `before`.
#[derive(Debug, Deserialize)]
pub struct AuditParams {
    before: Option<i64>,
}

/// `GET /api/audit`: the newest audit lines.
pub async fn api_audit(
    viewer: Viewer,
    Params(params): Params<AuditParams>,
) -> Result<Json<Value>, Error> {
    let entries = act(&viewer, move |app, _| {
        accounts::audit_log(app, params.before)
    })
    .await?;
    Ok(Json(json!({ "entries": entries })))
}

/// Query of the admin page: what was just done (`done`) and to whom (`saved`), or the key of a
/// new password or token to show.
#[derive(Debug, Deserialize)]
pub struct AdminParams {
    saved: Option<String>,
    done: Option<String>,
    secret: Option<String>,
}

/// `GET /admin`.
pub async fn page(viewer: Viewer, Params(params): Params<AdminParams>) -> Result<Response, Error> {
    if let Some(key) = &params.secret {
        return Ok(shown(&viewer, key));
    }
    let saved = params.saved.map(|s| crate::text::clip(&s, 80).into_owned());
    let done = params.done.as_deref().and_then(views::account::Done::parse);
    let saved = saved.as_deref().map(|who| (done.unwrap_or_default(), who));
    Ok(admin_page(&viewer, saved, None).await?.into_response())
}

/// The admin page, saying what was just done, or with a new account refused in its form.
/// Which of the admin page's forms to add something was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AddForm {
    /// A new account's.
    Account,
    /// A new token's.
    Token,
}

async fn admin_page(
    viewer: &Viewer,
    saved: Option<(views::account::Done, &str)>,
    refused: Option<(AddForm, &views::account::AddRefused)>,
) -> Result<maud::Markup, Error> {
    let ((accounts, tokens, audit), failing, owned) = act(viewer, |app, _| {
        Ok((
            accounts::overview(app)?,
            crate::actions::callbacks::failing_notices(app)?,
            crate::actions::callbacks::open_owned(app)?,
        ))
    })
    .await?;
    let page = views::account::Admin {
        accounts: &accounts,
        tokens: &tokens,
        audit: &audit,
        failing: &failing,
        owned: &owned,
        refused_add: refused
            .filter(|(f, _)| *f == AddForm::Account)
            .map(|(_, r)| r),
        refused_token: refused
            .filter(|(f, _)| *f == AddForm::Token)
            .map(|(_, r)| r),
    };
    Ok(views::account::admin(&viewer.ctx(), &page, saved))
}

/// A form's role, checked: one of `words` (a token's roles are fewer than a person's).
fn role_field(
    form: &HashMap<String, String>,
    words: &'static [&'static str],
) -> crate::actions::Result<Role> {
    let role = form
        .get("role")
        .and_then(|r| Role::parse(r))
        .filter(|r| words.contains(&r.as_str()));
    Ok(role.ok_or_else(|| FieldError::new("role", FieldProblem::ExpectedOneOf(words)))?)
}

/// A form's profile (`display_name`, `email`, `extension`), checked.
fn profile_field(form: &HashMap<String, String>) -> crate::actions::Result<Profile> {
    let get = |name: &str| form.get(name).map(String::as_str);
    Ok(Profile::new(
        get("display_name"),
        get("email"),
        get("extension"),
    )?)
}

/// What is wrong with a new account's fields as typed, each field on its own: the login, the
/// role, the display name, the e-mail and the extension.
fn new_account_problems(login: &str, form: &HashMap<String, String>) -> Vec<FieldError> {
    let get = |name: &str| form.get(name).map(String::as_str);
    [
        crate::accounts::check_login(login).err(),
        role_field(form, Role::WORDS).err().and_then(|e| match e {
            ActionError::Invalid(e) => Some(e),
            _ => None,
        }),
        Profile::new(get("display_name"), None, None).err(),
        Profile::new(None, get("email"), None).err(),
        Profile::new(None, None, get("extension")).err(),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// A form's text field, trimmed.
fn field(form: &HashMap<String, String>, name: &str) -> String {
    form.get(name)
        .map_or(String::new(), |v| v.trim().to_string())
}

/// Who made a request, as the secrets it made are kept for.
fn who(viewer: &Viewer) -> &str {
    viewer.principal.as_ref().map_or("", |p| p.name.as_str())
}

/// The page of a kept secret, taken out as it is shown; a page saying it was shown already
/// when it is gone.
fn shown(viewer: &Viewer, key: &str) -> Response {
    let ctx = viewer.ctx();
    match viewer.app.shown_once.take(who(viewer), key) {
        Some(s) => {
            views::account::secret_once(&ctx, &s.title, &s.what, &s.secret, &s.hint).into_response()
        }
        None => (
            StatusCode::GONE,
            views::account::admin_refused(&ctx, ctx.texts.secret_gone),
        )
            .into_response(),
    }
}

/// Runs an action that makes a password or a token and redirects to the page that shows it
/// once (`title`, `whose`, `hint`: the interface's words for what it is, for whom (`name`),
/// and what to do with it), or says what was refused.
async fn shown_once(
    viewer: &Viewer,
    action: impl FnOnce(&App, &Actor) -> crate::actions::Result<String> + Send + 'static,
    words: (&str, &str, &str),
    name: &str,
) -> Result<Response, Error> {
    Ok(match admin(viewer, action).await? {
        Ok(secret) => show_once(viewer, secret, words, name),
        Err(refused) => refused,
    })
}

/// Keeps a password or a token just made and redirects to the page that shows it once.
fn show_once(
    viewer: &Viewer,
    secret: String,
    (title, whose, hint): (&str, &str, &str),
    name: &str,
) -> Response {
    let (title, hint) = (title.to_string(), hint.to_string());
    let what = Texts::fill(whose, &[&name]);
    let secret = Secret {
        title,
        what,
        secret,
        hint,
    };
    let key = viewer.app.shown_once.keep(who(viewer), secret);
    Redirect::to(&format!("{}?secret={key}", paths::ADMIN_PAGE)).into_response()
}

/// Runs an action that changes the account `login`, then shows the admin page saying what was
/// done, or what was refused.
async fn changed(
    viewer: &Viewer,
    login: &str,
    done: Done,
    action: impl FnOnce(&App, &Actor) -> crate::actions::Result<()> + Send + 'static,
) -> Result<Response, Error> {
    let saved = saved_page(done, login);
    Ok(admin(viewer, action)
        .await?
        .map_or_else(|refused| refused, |()| Redirect::to(&saved).into_response()))
}

/// The admin page saying what was just done, and to whom.
fn saved_page(done: Done, who: &str) -> String {
    format!(
        "{}?done={}&saved={}",
        paths::ADMIN_PAGE,
        done.as_str(),
        paths::encode_component(who)
    )
}

/// `POST /admin/accounts`: a new account with a random password, shown once and to be changed
/// at the first login.
pub async fn add_account(
    viewer: Viewer,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, Error> {
    let (login, t) = (field(&form, "login"), viewer.texts);
    // Every field's problem is said at once, not one per try.
    let mut problems = new_account_problems(&login, &form);
    let (l, typed) = (login.clone(), form.clone());
    // The fields read: what they clash with (a login, a name, an extension taken), all at once.
    let add = move |app: &App, actor: &Actor| {
        actor.require(Role::Admin)?;
        let (role, profile) = (role_field(&form, Role::WORDS)?, profile_field(&form)?);
        let clashes = accounts::new_account_clashes(app, &l, &profile)?;
        if !clashes.is_empty() {
            return Ok(Err(clashes));
        }
        Ok(Ok(accounts::add_account(
            app, actor, &l, role, None, &profile,
        )))
    };
    let added = match problems.is_empty() {
        true => match act(&viewer, move |app, actor| add(app, actor)).await? {
            Ok(added) => added,
            Err(clashes) => {
                problems = clashes;
                Err(ActionError::Invalid(problems[0].clone()))
            }
        },
        false => Err(ActionError::Invalid(problems[0].clone())),
    };
    // Refused: the admin page again, the new account's form as typed and why, at the fields.
    let secret = match added {
        Ok(secret) => secret,
        Err(ActionError::Invalid(e)) => {
            let problems = if problems.is_empty() {
                vec![e]
            } else {
                problems
            };
            let refused = views::account::AddRefused {
                form: typed,
                problems: problems
                    .into_iter()
                    .map(|e| (t.page_field_error(&e), e.field))
                    .collect(),
            };
            let page = admin_page(&viewer, None, Some((AddForm::Account, &refused))).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
        Err(e) => return Err(e.into()),
    };
    let words = (t.account_added, t.password_for, t.password_once_hint);
    Ok(show_once(&viewer, secret, words, &login))
}

/// `POST /admin/accounts/{login}/role`.
pub async fn change_role(
    viewer: Viewer,
    Path(login): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, Error> {
    changed(&viewer, &login.clone(), Done::Role, move |app, actor| {
        accounts::set_role(app, actor, &login, role_field(&form, Role::WORDS)?)
    })
    .await
}

/// `POST /admin/accounts/{login}/profile`: display name, e-mail for notices, extension.
pub async fn change_profile(
    viewer: Viewer,
    Path(login): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, Error> {
    changed(&viewer, &login.clone(), Done::Profile, move |app, actor| {
        accounts::set_profile(app, actor, &login, &profile_field(&form)?)
    })
    .await
}

/// `POST /admin/accounts/{login}/state` with `disabled=1` or `disabled=0`.
pub async fn change_state(
    viewer: Viewer,
    Path(login): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, Error> {
    let disabled = form.get("disabled").map(String::as_str) == Some("1");
    let done = if disabled {
        Done::Disabled
    } else {
        Done::Enabled
    };
    changed(&viewer, &login.clone(), done, move |app, actor| {
        accounts::set_disabled(app, actor, &login, disabled)
    })
    .await
}

/// `POST /admin/accounts/{login}/password`: a new random password, shown once, to be changed
/// at the next login; the account's sessions end.
pub async fn reset_password(viewer: Viewer, Path(login): Path<String>) -> Result<Response, Error> {
    let (t, l) = (viewer.texts, login.clone());
    let reset = move |app: &App, actor: &Actor| accounts::set_password(app, actor, &l, None);
    let words = (t.password_reset, t.password_for, t.password_once_hint);
    shown_once(&viewer, reset, words, &login).await
}

/// `POST /admin/tokens`: a new machine token, shown once.
pub async fn create_token(
    viewer: Viewer,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, Error> {
    let (name, t) = (field(&form, "name"), viewer.texts);
    let (n, typed) = (name.clone(), form.clone());
    let create = move |app: &App, actor: &Actor| {
        accounts::create_token(app, actor, &n, role_field(&form, Role::TOKEN_WORDS)?)
    };
    // Refused: the admin page again, the token's form as typed and why, at the field.
    let secret = match act(&viewer, move |app, actor| Ok(create(app, actor))).await? {
        Ok(secret) => secret,
        Err(ActionError::Invalid(e)) => {
            let refused = views::account::AddRefused {
                form: typed,
                problems: vec![(t.page_field_error(&e), e.field)],
            };
            let page = admin_page(&viewer, None, Some((AddForm::Token, &refused))).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
        Err(e) => return Err(e.into()),
    };
    let words = (t.token_created, t.token_for, t.token_once_hint);
    Ok(show_once(&viewer, secret, words, &name))
}

/// `POST /admin/tokens/{name}/revoke`.
pub async fn revoke_token(viewer: Viewer, Path(name): Path<String>) -> Result<Response, Error> {
    let n = name.clone();
    act(&viewer, move |app, actor| {
        accounts::revoke_token(app, actor, &n)
    })
    .await?;
    Ok(Redirect::to(&saved_page(Done::Revoked, &name)).into_response())
}
