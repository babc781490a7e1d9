//! `TestApp`: the app over a temporary copy of a knowledge folder, called in-process.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use callfaq::config::Lang;
use callfaq::library::Shelf;
use callfaq::web::{app, AppState};
use http_body_util::BodyExt;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tower::ServiceExt;

/// The fixture knowledge folder of the tests.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/knowledge")
}

/// The knowledge folder shipped with the product.
pub fn shipped_knowledge() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge")
}

/// Copies a folder tree.
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// The app over its own copy of a knowledge folder.
pub struct TestApp {
    /// Holds the temporary folders for the app's lifetime.
    pub _root: tempfile::TempDir,
    /// The knowledge folder the app serves.
    pub knowledge: PathBuf,
    /// The live shelf, for tests that reload.
    pub shelf: Arc<Shelf>,
    lang: Lang,
}

impl TestApp {
    /// The app over the fixtures, in Russian.
    pub fn new() -> TestApp {
        TestApp::over(&fixtures(), Lang::Ru)
    }

    /// The app over a copy of `source`.
    pub fn over(source: &Path, lang: Lang) -> TestApp {
        let root = tempfile::tempdir().unwrap();
        let knowledge = root.path().join("knowledge");
        copy_tree(source, &knowledge);
        let shelf = Shelf::open(&knowledge).unwrap();
        TestApp {
            _root: root,
            knowledge,
            shelf,
            lang,
        }
    }

    /// The router, as the server runs it.
    pub fn router(&self) -> axum::Router {
        app(AppState::new(Arc::clone(&self.shelf), self.lang))
    }

    /// Sends a GET and returns status and body text.
    pub async fn get(&self, uri: &str) -> (StatusCode, String) {
        let response = self
            .router()
            .oneshot(Request::get(uri).body(Body::empty()).unwrap())
            .await
            .unwrap();
        let status = response.status();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        (status, String::from_utf8(bytes.to_vec()).unwrap())
    }

    /// Sends a GET and parses the JSON body.
    pub async fn get_json(&self, uri: &str) -> (StatusCode, Value) {
        let (status, body) = self.get(uri).await;
        let value =
            serde_json::from_str(&body).unwrap_or_else(|e| panic!("{uri}: not JSON ({e}): {body}"));
        (status, value)
    }

    /// Slugs of the hits for a query, best first.
    pub async fn search_slugs(&self, query: &str) -> Vec<String> {
        let (status, body) = self
            .get_json(&format!("/api/search?q={}", encode(query)))
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["slug"].as_str().unwrap().to_string())
            .collect()
    }
}

/// Percent-encodes a query component.
pub fn encode(text: &str) -> String {
    callfaq::web::paths::encode_component(text)
}

impl TestApp {
    /// Serves the app on a loopback port from a thread of its own; returns the base URL.
    pub fn serve(&self) -> String {
        let router = self.router();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Runtime::new().unwrap();
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
                tx.send(listener.local_addr().unwrap()).unwrap();
                axum::serve(listener, router).await.unwrap();
            });
        });
        format!("http://{}", rx.recv().unwrap())
    }
}
