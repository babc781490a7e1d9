//! `TestApp`: the app over a temporary copy of a knowledge folder, called in-process.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use callfaq::accounts::{self, Role};
use callfaq::app::App;
use callfaq::clock::Clock;
use callfaq::i18n::Lang;
use callfaq::jobs::{JobOptions, Jobs};
use callfaq::library::Shelf;
use callfaq::web::{router, WebState};
use http_body_util::BodyExt;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tower::ServiceExt;

/// The desk's clock of the tests: the system time in the default zone.
pub fn desk_clock() -> Clock {
    Clock::new(callfaq::clock::parse_zone(callfaq::clock::DEFAULT_TIME_ZONE).unwrap())
}

/// The shipped sentence model, loaded once for every test that needs it.
pub fn shipped_encoder() -> Arc<callfaq::encoder::Encoder> {
    static MODEL: std::sync::OnceLock<Arc<callfaq::encoder::Encoder>> = std::sync::OnceLock::new();
    Arc::clone(MODEL.get_or_init(|| {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(callfaq::encoder::DEFAULT_PATH);
        Arc::new(callfaq::encoder::Encoder::load(&path).expect("the shipped model loads"))
    }))
}

/// The shipped static word vectors, loaded once for every test that needs them.
pub fn shipped_words() -> Arc<callfaq::encoder::words::StaticVectors> {
    static WORDS: std::sync::OnceLock<Arc<callfaq::encoder::words::StaticVectors>> =
        std::sync::OnceLock::new();
    Arc::clone(WORDS.get_or_init(|| {
        let path =
            Path::new(env!("CARGO_MANIFEST_DIR")).join(callfaq::encoder::words::DEFAULT_PATH);
        Arc::new(
            callfaq::encoder::words::StaticVectors::load(&path).expect("the shipped table loads"),
        )
    }))
}

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

/// The app over its own copy of a knowledge folder and its own empty data folder.
pub struct TestApp {
    /// Holds the temporary folders for the app's lifetime.
    pub _root: tempfile::TempDir,
    /// The knowledge folder the app serves.
    pub knowledge: PathBuf,
    /// The opened app.
    pub app: Arc<App>,
    /// The live shelf, for tests that reload.
    pub shelf: Arc<Shelf>,
    /// The data folder.
    pub data: PathBuf,
    lang: Lang,
    /// The admin token the request helpers send; `None` sends requests anonymously.
    pub token: Option<String>,
    /// The background jobs (the indexer), stopped when the app is dropped.
    _jobs: Jobs,
}

impl TestApp {
    /// The app over the fixtures, in Russian.
    pub fn new() -> TestApp {
        TestApp::over(&fixtures(), Lang::Ru)
    }

    /// The app over the fixtures, reloading them when a file changes, as the server does.
    pub fn watched() -> TestApp {
        TestApp::with_jobs(
            &fixtures(),
            Lang::Ru,
            JobOptions {
                watch_knowledge: true,
                retention_days: 0,
            },
        )
    }

    /// The app over a copy of `source`.
    pub fn over(source: &Path, lang: Lang) -> TestApp {
        TestApp::with_jobs(
            source,
            lang,
            JobOptions {
                watch_knowledge: false,
                retention_days: 0,
            },
        )
    }

    /// The app over a copy of `source` with the shipped sentence model, the answers' vectors
    /// computed before it starts.
    pub fn with_meaning(source: &Path) -> TestApp {
        TestApp::build(
            source,
            Lang::Ru,
            JobOptions {
                watch_knowledge: false,
                retention_days: 0,
            },
            true,
        )
    }

    /// The app over a copy of `source`, running these jobs besides the indexer.
    pub fn with_jobs(source: &Path, lang: Lang, jobs: JobOptions) -> TestApp {
        TestApp::build(source, lang, jobs, false)
    }

    /// The app over the fixtures, changed by `setup` before it serves (the desk's settings,
    /// the phone exchanges' secrets), as `callfaq serve` changes it from its environment.
    pub fn with_setup(setup: impl FnOnce(&mut App)) -> TestApp {
        TestApp::over_with_setup(&fixtures(), setup)
    }

    /// The app over a copy of `source`, changed by `setup` before it serves.
    pub fn over_with_setup(source: &Path, setup: impl FnOnce(&mut App)) -> TestApp {
        TestApp::build_with(
            source,
            Lang::Ru,
            JobOptions {
                watch_knowledge: false,
                retention_days: 0,
            },
            false,
            setup,
        )
    }

    fn build(source: &Path, lang: Lang, jobs: JobOptions, meaning: bool) -> TestApp {
        TestApp::build_with(source, lang, jobs, meaning, |_| {})
    }

    fn build_with(
        source: &Path,
        lang: Lang,
        jobs: JobOptions,
        meaning: bool,
        setup: impl FnOnce(&mut App),
    ) -> TestApp {
        let root = tempfile::tempdir().unwrap();
        let knowledge = root.path().join("knowledge");
        copy_tree(source, &knowledge);
        let data = root.path().join("data");
        let mut app = App::open(&knowledge, &data, desk_clock()).unwrap();
        setup(&mut app);
        if meaning {
            // As `callfaq serve` has it: the sentence model and the static word vectors.
            app = app.with_meaning(
                callfaq::meaning::Meaning::with(shipped_encoder())
                    .with_word_vectors(shipped_words()),
            );
            let library = app.shelf.current();
            app.meaning
                .refresh_answers(&app.store, &library.knowledge, usize::MAX)
                .unwrap();
        }
        let app = Arc::new(app);
        let jobs = Jobs::start(&app, jobs).unwrap();
        let shelf = Arc::clone(&app.shelf);
        let mut test_app = TestApp {
            _root: root,
            knowledge,
            app,
            shelf,
            data,
            lang,
            token: None,
            _jobs: jobs,
        };
        test_app.token = Some(test_app.token_for(Role::Admin));
        test_app
    }

    /// The router, as the server runs it.
    pub fn router(&self) -> axum::Router {
        router(WebState::new(Arc::clone(&self.app), self.lang))
    }

    /// The same router, giving clients `timeout` to send a request's body.
    pub fn router_with_body_timeout(&self, timeout: std::time::Duration) -> axum::Router {
        router(WebState::new(Arc::clone(&self.app), self.lang).with_body_timeout(timeout))
    }

    /// A new machine token with this role.
    pub fn token_for(&self, role: Role) -> String {
        let secret = accounts::random_secret(16);
        let name = format!("test-{}", accounts::random_secret(4));
        self.app
            .store
            .create_token(&name, &accounts::secret_hash(&secret), role)
            .unwrap();
        secret
    }

    /// A client of this app that sends another token (or none).
    pub fn as_token(&self, token: Option<String>) -> TestClient<'_> {
        TestClient { app: self, token }
    }

    /// An account with a known password (no change required).
    pub fn account(&self, login: &str, password: &str, role: Role) {
        self.app
            .store
            .create_account(
                login,
                &accounts::hash_password(password).unwrap(),
                role,
                false,
            )
            .unwrap();
    }

    /// Sends a request with the app's token and returns status, headers and body text.
    pub async fn send(
        &self,
        request: Request<Body>,
    ) -> (StatusCode, axum::http::HeaderMap, String) {
        self.as_token(self.token.clone()).send(request).await
    }

    /// Sends a request exactly as given, without adding a token.
    pub async fn send_raw(
        &self,
        request: Request<Body>,
    ) -> (StatusCode, axum::http::HeaderMap, String) {
        let response = self.router().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        (
            status,
            headers,
            String::from_utf8_lossy(&bytes).into_owned(),
        )
    }

    /// Sends a GET and returns status and body text.
    pub async fn get(&self, uri: &str) -> (StatusCode, String) {
        let (status, _, body) = self
            .send(Request::get(uri).body(Body::empty()).unwrap())
            .await;
        (status, body)
    }

    /// Sends JSON with a method and parses the JSON answer.
    pub async fn json(&self, method: &str, uri: &str, body: Value) -> (StatusCode, Value) {
        let request = Request::builder()
            .method(method)
            .uri(uri)
            .header("content-type", "application/json")
            .body(Body::from(body.to_string()))
            .unwrap();
        let (status, _, text) = self.send(request).await;
        let value = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{method} {uri}: not JSON ({e}): {text}"));
        (status, value)
    }

    /// Posts a form and returns status, headers and body.
    pub async fn post_form(
        &self,
        uri: &str,
        fields: &[(&str, &str)],
    ) -> (StatusCode, axum::http::HeaderMap, String) {
        let body = fields
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        let request = Request::post(uri)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap();
        self.send(request).await
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
    callfaq::paths::encode_component(text)
}

impl TestApp {
    /// Serves the app on a loopback port from a thread of its own; returns the base URL.
    pub fn serve(&self) -> String {
        self.serve_router(self.router())
    }

    /// Serves the app with every API request answered `latency` late, as over a slow network.
    pub fn serve_slow(&self, latency: std::time::Duration) -> String {
        let router = self.router().layer(axum::middleware::from_fn(
            move |request: axum::extract::Request, next: axum::middleware::Next| async move {
                if request.uri().path().starts_with("/api/") {
                    tokio::time::sleep(latency).await;
                }
                next.run(request).await
            },
        ));
        self.serve_router(router)
    }

    fn serve_router(&self, router: axum::Router) -> String {
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

/// `callfaq serve` in a child process on a free loopback port; killed when dropped.
pub struct Server {
    child: std::process::Child,
    /// Base URL, such as `http://127.0.0.1:41234`.
    pub base: String,
    /// What the server logged until it listened, the `serving on` line included.
    pub startup_log: Vec<String>,
    /// What it logged after.
    later_log: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl Server {
    /// Starts the binary over a data folder and a knowledge folder and waits until it listens.
    pub fn start(data: &Path, knowledge: &Path) -> Server {
        use std::io::{BufRead, BufReader};
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_callfaq"))
            .args(["serve", "--bind", "127.0.0.1:0", "--data"])
            .arg(data)
            .arg("--knowledge")
            .arg(knowledge)
            .env("RUST_LOG", "callfaq=info")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
        let mut server = Server {
            child,
            base: String::new(),
            startup_log: Vec::new(),
            later_log: Default::default(),
        };
        server.base = loop {
            let line = lines
                .next()
                .expect("the server exited before listening")
                .unwrap();
            server.startup_log.push(line.clone());
            if let Some(at) = line.find("serving on ") {
                let rest = &line[at + "serving on ".len()..];
                break rest.split_whitespace().next().unwrap().to_string();
            }
        };
        // Keep draining the log so that the server never blocks on a full pipe.
        let later = std::sync::Arc::clone(&server.later_log);
        std::thread::spawn(move || {
            for line in lines.map_while(Result::ok) {
                later.lock().unwrap().push(line);
            }
        });
        server
    }

    /// Waits until the server logs a line containing `needle` (or logged it before it
    /// listened), for `timeout` at most; whether it did.
    pub fn wait_for_log(&self, needle: &str, timeout: std::time::Duration) -> bool {
        if self.startup_log.iter().any(|l| l.contains(needle)) {
            return true;
        }
        let deadline = std::time::Instant::now() + timeout;
        loop {
            if self
                .later_log
                .lock()
                .unwrap()
                .iter()
                .any(|l| l.contains(needle))
            {
                return true;
            }
            if std::time::Instant::now() > deadline {
                return false;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Sends SIGTERM and waits for the server to exit; its exit status.
    pub fn terminate(mut self) -> std::process::ExitStatus {
        let _ = std::process::Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "the server did not stop within 30 s of SIGTERM"
            );
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Requests to a [`TestApp`] with a given bearer token, or none.
pub struct TestClient<'a> {
    app: &'a TestApp,
    token: Option<String>,
}

impl TestClient<'_> {
    /// Sends a request with this client's token.
    pub async fn send(
        &self,
        mut request: Request<Body>,
    ) -> (StatusCode, axum::http::HeaderMap, String) {
        if let Some(token) = &self.token {
            request
                .headers_mut()
                .insert("authorization", format!("Bearer {token}").parse().unwrap());
        }
        self.app.send_raw(request).await
    }

    /// Sends a request with a method and an optional body (a JSON string is sent as a form,
    /// other JSON as JSON); returns status, headers and body text.
    pub async fn request(
        &self,
        method: &str,
        uri: &str,
        body: Option<Value>,
    ) -> (StatusCode, axum::http::HeaderMap, String) {
        let builder = Request::builder().method(method).uri(uri);
        let request = match body {
            // A JSON string is a form body; anything else is sent as JSON.
            Some(Value::String(form)) => builder
                .header("content-type", "application/x-www-form-urlencoded")
                .body(Body::from(form)),
            Some(b) => builder
                .header("content-type", "application/json")
                .body(Body::from(b.to_string())),
            None => builder.body(Body::empty()),
        };
        self.send(request.unwrap()).await
    }

    /// Like [`TestClient::request`], without the headers.
    pub async fn call(&self, method: &str, uri: &str, body: Option<Value>) -> (StatusCode, String) {
        let (status, _, text) = self.request(method, uri, body).await;
        (status, text)
    }
}

/// Creates a machine token with `callfaq token create` on a data folder; returns the secret.
pub fn cli_token(data: &Path, role: &str) -> String {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_callfaq"))
        .args([
            "token",
            "create",
            "--name",
            &format!("t{}", accounts::random_secret(3)),
            "--role",
            role,
            "--data",
        ])
        .arg(data)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .last()
        .unwrap()
        .trim()
        .to_string()
}
