//! The HTTP edge's own rules, moved out of `web` with their subject: the route table (few public
//! routes, each pattern once), error messages in the interface's language without internal
//! detail, and logins posted from another site.

use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use callfaq::accounts::Role;
use callfaq::fields::{FieldError, FieldProblem};
use callfaq::i18n::{EN, RU};
use callfaq::web::error::{Error, Thing};
use callfaq::web::{routes, Access};

fn access(pattern: &str) -> Option<Access> {
    routes()
        .table()
        .iter()
        .find(|r| r.pattern == pattern)
        .map(|r| r.access)
}

#[test]
fn public_routes_are_few() {
    assert_eq!(access("/healthz"), Some(Access::Public));
    assert_eq!(access("/login"), Some(Access::Public));
    assert_eq!(access("/static/app.css"), Some(Access::Public));
    assert_eq!(access("/"), Some(Access::Role(Role::Operator)));
    assert_eq!(access("/api/users"), Some(Access::Role(Role::Admin)));
    let public: Vec<&str> = routes()
        .table()
        .iter()
        .filter(|r| r.access == Access::Public)
        .map(|r| r.pattern)
        .collect();
    // The phone exchanges' webhooks prove themselves with their own secrets, not a token.
    assert_eq!(
        public,
        [
            "/healthz",
            "/static/app.css",
            "/static/app.js",
            "/login",
            "/language",
            "/api/pbx/zadarma",
            "/api/pbx/mango/events/{kind}",
            "/api/pbx/itoolabs"
        ]
    );
}

#[test]
fn every_pattern_is_declared_once() {
    let table = routes();
    let mut patterns: Vec<&str> = table.table().iter().map(|r| r.pattern).collect();
    patterns.sort_unstable();
    let count = patterns.len();
    patterns.dedup();
    assert_eq!(patterns.len(), count);
}

#[test]
fn messages_speak_the_interfaces_language_and_name_the_field() {
    let e = Error::Invalid(FieldError::new("text", FieldProblem::Required));
    assert!(e.message(&RU).starts_with("text: "));
    assert_ne!(e.message(&RU), e.message(&EN));
    assert_eq!(
        Error::not_found(Thing::Call, 12).message(&EN),
        "There is no call 12."
    );
    assert!(Error::not_found(Thing::Call, 12)
        .message(&RU)
        .contains("12"));
}

#[test]
fn internal_detail_never_reaches_the_message() {
    let e = Error::Internal(anyhow::anyhow!("disk I/O error at /var/lib/secret"));
    assert_eq!(e.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert!(!e.message(&RU).contains("secret") && !e.message(&EN).contains("secret"));
}

#[test]
fn logins_posted_from_another_site_are_cross_site() {
    use callfaq::web::session::cross_site;
    let headers = |origin: Option<&str>| {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, HeaderValue::from_static("desk.local:8080"));
        if let Some(o) = origin {
            h.insert(header::ORIGIN, HeaderValue::from_str(o).unwrap());
        }
        h
    };
    assert!(!cross_site(&headers(None)));
    assert!(!cross_site(&headers(Some("http://desk.local:8080"))));
    assert!(cross_site(&headers(Some("https://evil.example"))));
    assert!(cross_site(&headers(Some("null"))));
}

#[tokio::test]
async fn a_method_a_route_does_not_take_is_said_as_the_api_or_the_page_would() {
    let app = crate::harness::TestApp::new();
    let (_, call) = app.json("POST", "/api/calls", serde_json::json!({})).await;
    let id = call["id"].as_i64().unwrap();
    let admin = app.as_token(Some(app.token_for(Role::Admin)));
    let (status, body) = admin
        .call("DELETE", &format!("/api/calls/{id}"), None)
        .await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(body.contains("метод запроса"), "{body}");
    let (status, page) = admin.call("DELETE", &format!("/calls/{id}"), None).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(page.contains("только из формы"), "{page}");
    // A role below the route's, in the API's words too.
    let operator = app.as_token(Some(app.token_for(Role::Operator)));
    let (status, body) = operator.call("GET", "/api/users", None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(body.contains("этот запрос"), "{body}");
}
