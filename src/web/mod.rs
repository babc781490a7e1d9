//! HTTP only: the route table with each route's least role, the shared state, and handlers that
//! call the core and hand plain data to `views`. Nothing here knows about tantivy, SQLite or
//! markdown.
//!
//! Access is declared where a route is registered ([`routes`]); the guard reads it by the route
//! the request matched. A route registered any other way has no declared access and is refused to
//! everyone but admins: a forgotten line fails closed.

pub mod admin;
pub mod answers;
pub mod auth;
pub mod callbacks;
pub mod calls;
pub mod desk;
pub mod error;
pub mod extract;
pub mod groups;
pub mod pbx;
pub mod reports;
pub mod search;
pub mod session;

use crate::accounts::Role;
use crate::app::App;
use crate::i18n::{self, Lang, Texts};
use crate::paths;
use crate::views;
use axum::extract::{DefaultBodyLimit, State};
use axum::handler::Handler;
use axum::http::{header, Method};
use axum::response::IntoResponse;
use axum::routing::{self, MethodRouter};
use axum::Router;
pub use error::Error;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

/// Shared state of every handler; cheap to clone.
#[derive(Clone)]
pub struct WebState {
    /// Everything the server holds.
    pub app: Arc<App>,
    /// The UI's language.
    pub texts: &'static Texts,
    /// Time a client has to send a request body.
    pub body_timeout: Duration,
}

impl WebState {
    /// State over an opened app, speaking `lang`.
    pub fn new(app: Arc<App>, lang: Lang) -> WebState {
        WebState {
            app,
            texts: i18n::texts(lang),
            body_timeout: crate::config::Limits::default().body_timeout,
        }
    }

    /// The same, with another time for request bodies.
    pub fn with_body_timeout(mut self, timeout: Duration) -> WebState {
        self.body_timeout = timeout;
        self
    }
}

/// Who may reach a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone.
    Public,
    /// Anyone logged in, even one who must first change the password.
    Signed,
    /// This role or a higher one.
    Role(Role),
}

/// One declared route: its pattern, the methods it serves and the least access they need.
#[derive(Debug, Clone)]
pub struct Route {
    /// The pattern as registered (`/calls/{id}`).
    pub pattern: &'static str,
    /// Its methods.
    pub methods: Vec<Method>,
    /// Who may use it.
    pub access: Access,
    /// The largest request body it takes, in bytes.
    pub body_limit: usize,
}

/// The handlers of one pattern, with the methods they serve and the largest body they take.
pub struct Endpoint {
    methods: Vec<Method>,
    router: MethodRouter<WebState>,
    body_limit: usize,
}

macro_rules! endpoint_methods {
    ($($name:ident => $method:ident),*) => {
        $(
            /// The handler of this method for a new endpoint.
            pub fn $name<H: Handler<T, WebState>, T: 'static>(handler: H) -> Endpoint {
                Endpoint {
                    methods: vec![Method::$method],
                    router: routing::$name(handler),
                    body_limit: auth::BODY_LIMIT,
                }
            }
        )*
        impl Endpoint {
            $(
                /// Adds the handler of this method.
                pub fn $name<H: Handler<T, WebState>, T: 'static>(mut self, handler: H) -> Endpoint {
                    self.methods.push(Method::$method);
                    self.router = self.router.$name(handler);
                    self
                }
            )*
        }
    };
}

endpoint_methods!(get => GET, post => POST, put => PUT, patch => PATCH, delete => DELETE);

impl Endpoint {
    /// Takes request bodies up to `bytes` (else [`auth::BODY_LIMIT`]).
    pub fn limit(mut self, bytes: usize) -> Endpoint {
        self.body_limit = bytes;
        self
    }
}

/// The route table being built: an axum router and the access of every route in it.
#[derive(Default)]
pub struct Routes {
    router: Router<WebState>,
    table: Vec<Route>,
}

impl Routes {
    /// Registers `endpoint` at `pattern` for `access`.
    pub fn at(mut self, access: Access, pattern: &'static str, endpoint: Endpoint) -> Routes {
        self.table.push(Route {
            pattern,
            methods: endpoint.methods,
            access,
            body_limit: endpoint.body_limit,
        });
        self.router = self.router.route(pattern, endpoint.router);
        self
    }

    /// Registers routes for every role of `role` and above.
    pub fn role(self, role: Role, routes: Vec<(&'static str, Endpoint)>) -> Routes {
        routes.into_iter().fold(self, |r, (pattern, endpoint)| {
            r.at(Access::Role(role), pattern, endpoint)
        })
    }

    /// Every declared route.
    pub fn table(&self) -> &[Route] {
        &self.table
    }

    /// The finished router: the declared routes, `undeclared` ones (refused to all but
    /// admins), the guard and the error renderer around them all.
    pub fn into_router(self, state: WebState, undeclared: Router<WebState>) -> Router {
        let access: HashMap<&'static str, (Access, usize)> = self
            .table
            .iter()
            .map(|r| (r.pattern, (r.access, r.body_limit)))
            .collect();
        // The guard holds each route to its own limit; extractors may read up to the largest.
        let largest = self
            .table
            .iter()
            .map(|r| r.body_limit)
            .max()
            .unwrap_or(auth::BODY_LIMIT);
        let guard = auth::Guard {
            state: state.clone(),
            access: Arc::new(access),
        };
        self.router
            .merge(undeclared)
            .fallback(not_found)
            .method_not_allowed_fallback(method_not_allowed)
            .layer(axum::middleware::from_fn_with_state(guard, auth::guard))
            .layer(axum::middleware::from_fn_with_state(
                state.clone(),
                error::render_errors,
            ))
            .layer(axum::middleware::from_fn(security_headers))
            .layer(axum::middleware::from_fn_with_state(
                state.clone(),
                count_traffic,
            ))
            .layer(DefaultBodyLimit::max(largest))
            .with_state(state)
    }
}

/// The route table: every route with the least role that may use it.
pub fn routes() -> Routes {
    use crate::paths::*;
    use answers as a;
    let answer_file = auth::ANSWER_BODY_LIMIT;
    Routes::default()
        .at(Access::Public, HEALTHZ, get(healthz))
        .at(Access::Public, STYLESHEET, get(stylesheet))
        .at(Access::Public, SCRIPT, get(script))
        .at(
            Access::Public,
            LOGIN,
            get(session::login_page)
                .post(session::login)
                .limit(auth::LOGIN_BODY_LIMIT),
        )
        .at(Access::Public, LANGUAGE, get(session::language))
        .at(Access::Signed, LOGOUT, post(session::logout))
        .at(
            Access::Signed,
            PASSWORD_PAGE,
            get(session::password_page).post(session::change_password),
        )
        .role(
            Role::Operator,
            vec![
                (SEARCH_PAGE, get(search::page)),
                (ANSWER_PAGE, get(a::show).post(a::moved_only)),
                (API_SEARCH, get(search::api)),
                (
                    API_ANSWER,
                    get(a::show).put(a::moved_only).post(a::moved_only),
                ),
                (CALLS_PAGE, get(desk::list_page).post(desk::create_form)),
                (NEW_CALL_PAGE, get(desk::new_page)),
                (CALL_PAGE, get(desk::desk_page).post(desk::update_form)),
                (CALL_QUESTIONS_FORM, post(calls::add_question)),
                (QUESTION_ANSWER_FORM, post(calls::link)),
                (UNANSWERED_FORM, post(desk::log_unanswered)),
                (API_CALLER, get(calls::caller)),
                (API_CALLS, get(calls::list).post(calls::create)),
                (API_CALL, get(calls::read).patch(calls::update)),
                (API_CALL_QUESTIONS, post(calls::add_question)),
                (API_QUESTION_ANSWER, put(calls::link)),
                (API_QUESTION, delete(calls::delete)),
                (QUESTION_DELETE_FORM, post(calls::delete)),
                (API_SEARCH_LOG, post(reports::log_search)),
                (CHEAT_SHEET_PAGE, get(reports::cheat_sheet)),
                (API_CALLBACK_COUNT, get(callbacks::count)),
                (API_DUE, get(callbacks::due)),
                (CALL_CALLBACK_CLOSE_FORM, post(callbacks::close_from_call)),
                (API_CALL_CALLBACK_CLOSE, post(callbacks::close_from_call)),
                (API_PBX_EVENTS, post(pbx::events).limit(pbx::READ_LIMIT)),
                (API_PBX_LOOKUP, get(pbx::lookup)),
                (API_PBX_RINGING, get(pbx::ringing)),
            ],
        )
        // The exchanges' own webhooks carry no token: each adapter checks its exchange's
        // signature or secret, and refuses (401, audited) what does not match.
        .at(
            Access::Public,
            API_PBX_ZADARMA,
            get(pbx::zadarma).post(pbx::zadarma).limit(pbx::READ_LIMIT),
        )
        .at(
            Access::Public,
            API_PBX_MANGO,
            post(pbx::mango).limit(pbx::READ_LIMIT),
        )
        .at(
            Access::Public,
            API_PBX_ITOOLABS,
            post(pbx::itoolabs).limit(pbx::READ_LIMIT),
        )
        .role(
            Role::Manager,
            vec![
                (CALLBACKS_PAGE, get(callbacks::list_page)),
                (CALLBACK_PAGE, get(callbacks::one).post(callbacks::change)),
                (CALLBACK_ATTEMPT_FORM, post(callbacks::attempt)),
                (API_CALLBACKS, get(callbacks::api_list)),
                (API_CALLBACK, get(callbacks::one).patch(callbacks::change)),
                (API_CALLBACK_ATTEMPTS, post(callbacks::attempt)),
                (API_CALLBACK_STANDING, get(callbacks::standing)),
            ],
        )
        .role(
            Role::Editor,
            vec![
                (GROUPS_PAGE, get(groups::page)),
                (GROUP_PAGE, get(groups::group_page)),
                (GROUP_ANSWER_FORM, post(groups::link)),
                (GROUP_MERGE_FORM, post(groups::merge)),
                (GROUP_DISMISS_FORM, post(groups::dismiss)),
                (GROUP_REOPEN_FORM, post(groups::reopen)),
                (GROUP_SPLIT_FORM, post(groups::split_form)),
                (GROUP_WRITE_FORM, post(groups::write_answer)),
                (QUESTION_GROUP_FORM, post(groups::move_question)),
                (API_GROUPS, get(groups::api_list)),
                (API_GROUP_ANSWER, put(groups::link)),
                (API_GROUP_MERGE, post(groups::merge)),
                (API_GROUP_DISMISS, post(groups::dismiss)),
                (API_GROUP_REOPEN, post(groups::reopen)),
                (API_GROUP_SPLIT, post(groups::api_split)),
                (API_GROUP_WRITE, post(groups::write_answer)),
                (API_QUESTION_GROUP, put(groups::move_question)),
                (ANSWER_HISTORY, get(a::history)),
                (ANSWER_RESTORE, post(a::restore)),
                (ANSWER_RETIRE, post(a::retire)),
                (ANSWER_RENAME, post(a::rename)),
                (ANSWER_REVIEWED, post(a::reviewed)),
                (API_ANSWER_HISTORY, get(a::history)),
                (API_ANSWER_RESTORE, post(a::restore)),
                (API_ANSWER_RETIRE, post(a::retire)),
                (API_ANSWER_RENAME, post(a::rename)),
                (API_ANSWER_REVIEWED, post(a::reviewed)),
                (
                    ANSWER_EDIT,
                    get(a::edit_page).post(a::save_page).limit(answer_file),
                ),
                (
                    API_ANSWER_SOURCE,
                    get(a::api_source).put(a::api_put_source).limit(answer_file),
                ),
                (
                    NEW_ANSWER_PAGE,
                    get(a::new_page).post(a::create_form).limit(answer_file),
                ),
                (REVIEW_PAGE, get(a::review_page)),
                (API_PREVIEW, post(a::preview).limit(answer_file)),
            ],
        )
        .role(
            Role::Head,
            vec![
                (QUESTIONS_REPORT_PAGE, get(reports::questions)),
                (QUESTIONS_BEHIND_PAGE, get(reports::questions_behind)),
                (DESK_REPORT_PAGE, get(reports::desk)),
                (API_QUESTIONS_REPORT, get(reports::questions)),
                (API_DESK_REPORT, get(reports::desk)),
            ],
        )
        .role(
            Role::Admin,
            vec![
                (ADMIN_PAGE, get(admin::page)),
                (ADMIN_ACCOUNTS, post(admin::add_account)),
                (ADMIN_ACCOUNT_ROLE, post(admin::change_role)),
                (ADMIN_ACCOUNT_STATE, post(admin::change_state)),
                (ADMIN_ACCOUNT_PASSWORD, post(admin::reset_password)),
                (ADMIN_ACCOUNT_PROFILE, post(admin::change_profile)),
                (ADMIN_TOKENS, post(admin::create_token)),
                (ADMIN_BACKUP, get(admin::backup)),
                (ADMIN_TOKEN_REVOKE, post(admin::revoke_token)),
                (API_USERS, get(admin::api_users)),
                (API_AUDIT, get(admin::api_audit)),
            ],
        )
}

/// The app's router, as the server runs it.
pub fn router(state: WebState) -> Router {
    routes().into_router(state, Router::new())
}

/// Whether a path belongs to the JSON API.
pub fn is_api(path: &str) -> bool {
    path.starts_with("/api/")
}

/// Runs an action off the async threads (it reads and writes SQLite and tantivy) as the
/// viewer, and maps what it says to an [`Error`]: the one call each handler makes.
pub async fn act<T: Send + 'static>(
    viewer: &extract::Viewer,
    action: impl FnOnce(&App, &crate::actions::Actor) -> crate::actions::Result<T> + Send + 'static,
) -> Result<T, Error> {
    let app = Arc::clone(&viewer.app);
    let actor = viewer.actor();
    tokio::task::spawn_blocking(move || action(&app, &actor))
        .await
        .map_err(|e| Error::Internal(anyhow::anyhow!("blocking task: {e}")))?
        .map_err(Error::from)
}

async fn healthz() -> &'static str {
    "ok"
}

async fn method_not_allowed() -> Error {
    Error::MethodNotAllowed
}

async fn not_found(uri: axum::http::Uri) -> Error {
    Error::not_found(error::Thing::Page, uri.path())
}

/// Counts every request but the health probe into the desk's traffic while it is served:
/// background work yields the second core to it.
async fn count_traffic(
    State(state): State<WebState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let _visit = (request.uri().path() != paths::HEALTHZ).then(|| state.app.traffic.enter());
    next.run(request).await
}

/// The policy of every page: scripts, styles, images and requests only from this server; no
/// inline script or style; no framing; forms post only here.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
     img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// Headers on every answer: pages show callers' personal data, so nothing is framed, sniffed,
/// sent to other sites or kept in a cache (static assets may be cached, revalidated).
async fn security_headers(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let asset = request.uri().path().starts_with(paths::STATIC_PREFIX);
    let mut response = next.run(request).await;
    let opener = header::HeaderName::from_static("cross-origin-opener-policy");
    let cache = (!asset).then_some((header::CACHE_CONTROL, "no-store"));
    let set = [
        (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "same-origin"),
        (opener, "same-origin"),
    ];
    for (name, value) in set.into_iter().chain(cache) {
        let value = header::HeaderValue::from_static(value);
        response.headers_mut().insert(name, value);
    }
    response
}

/// A static asset of this type, revalidated before it is used again.
fn asset(content_type: &'static str, body: &'static str) -> impl IntoResponse {
    let headers = [
        (header::CONTENT_TYPE, content_type),
        (header::CACHE_CONTROL, "no-cache"),
    ];
    (headers, body)
}

async fn stylesheet() -> impl IntoResponse {
    asset("text/css; charset=utf-8", views::STYLESHEET)
}

async fn script() -> impl IntoResponse {
    asset("text/javascript; charset=utf-8", views::SCRIPT)
}
