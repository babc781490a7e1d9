//! Headless Chromium behind chromedriver, spoken to over WebDriver with the HTTP client the
//! benchmarks already use: what the benchmarks that drive the real pages share. The same
//! launch as the browser tests (`tests/app/browser.rs`): 1366×768, no sandbox, no background
//! networking.
#![allow(dead_code)] // each benchmark uses a part

use serde_json::{json, Value};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";
/// The WebDriver code of Enter.
pub const ENTER: &str = "\u{E007}";

fn find_program(env: &str, names: &[&str]) -> Option<PathBuf> {
    if let Ok(path) = std::env::var(env) {
        return Some(PathBuf::from(path));
    }
    let dirs = std::env::var("PATH").unwrap_or_default();
    names.iter().find_map(|name| {
        std::env::split_paths(&dirs)
            .map(|d| d.join(name))
            .find(|p| p.is_file())
    })
}

/// A browser session; chromedriver (and with it Chromium) ends when it is dropped.
pub struct Browser {
    driver: Child,
    base: String,
    session: String,
    agent: ureq::Agent,
    _profile: tempfile::TempDir,
}

impl Browser {
    /// Starts chromedriver and a headless session at 1366×768; `None` when either program is
    /// missing (`CALLFAQ_CHROMIUM`, `CALLFAQ_CHROMEDRIVER` or the `PATH`).
    pub fn start() -> Option<Browser> {
        let chromium = find_program(
            "CALLFAQ_CHROMIUM",
            &["chromium", "chromium-browser", "google-chrome"],
        )?;
        let driver = find_program("CALLFAQ_CHROMEDRIVER", &["chromedriver"])?;
        let port = super::server::free_port();
        let child = Command::new(driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("starting chromedriver");
        let base = format!("http://127.0.0.1:{port}");
        let agent = super::server::agent(Duration::from_secs(60));
        let deadline = Instant::now() + Duration::from_secs(20);
        while agent.get(&format!("{base}/status")).call().is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        let profile = tempfile::tempdir().expect("a browser profile folder");
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chromium,
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                         "--disable-background-networking", "--disable-component-update", "--disable-sync",
                         "--disable-quic", "--no-first-run", "--window-size=1366,768",
                         format!("--user-data-dir={}", profile.path().display())]
            }
        }}});
        let mut browser = Browser {
            driver: child,
            base,
            session: String::new(),
            agent,
            _profile: profile,
        };
        let created = browser.call("POST", "/session", Some(capabilities));
        browser.session = created["value"]["sessionId"]
            .as_str()
            .expect("a WebDriver session id")
            .to_string();
        Some(browser)
    }

    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let url = format!("{}{}", self.base, path);
        let response = match method {
            "GET" => self.agent.get(&url).call(),
            "DELETE" => self.agent.delete(&url).call(),
            _ => self.agent.post(&url).send_json(body.unwrap_or(json!({}))),
        };
        let mut response = response.unwrap_or_else(|e| panic!("WebDriver {method} {path}: {e}"));
        let status = response.status();
        let value: Value = response.body_mut().read_json().expect("WebDriver JSON");
        assert!(
            status.is_success(),
            "WebDriver {method} {path}: {status} {value}"
        );
        value
    }

    fn session_call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        self.call(method, &format!("/session/{}{}", self.session, path), body)["value"].clone()
    }

    /// Opens a URL.
    pub fn goto(&self, url: &str) {
        self.session_call("POST", "/url", Some(json!({ "url": url })));
    }

    /// Runs a script in the page and returns its result.
    pub fn script(&self, script: &str) -> Value {
        self.session_call(
            "POST",
            "/execute/sync",
            Some(json!({ "script": script, "args": [] })),
        )
    }

    /// The id of the element a CSS selector finds.
    pub fn find(&self, css: &str) -> String {
        let found = self.session_call(
            "POST",
            "/element",
            Some(json!({ "using": "css selector", "value": css })),
        );
        found[ELEMENT_KEY]
            .as_str()
            .unwrap_or_else(|| panic!("no element {css}: {found}"))
            .to_string()
    }

    /// Types text into an element, as key presses.
    pub fn type_into(&self, element: &str, text: &str) {
        self.session_call(
            "POST",
            &format!("/element/{element}/value"),
            Some(json!({ "text": text })),
        );
    }

    /// Waits until a script returns something truthy.
    pub fn wait_until(&self, what: &str, script: &str) -> Value {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let value = self.script(script);
            if !(value.is_null() || value == json!(false) || value == json!("")) {
                return value;
            }
            assert!(Instant::now() < deadline, "timed out waiting for {what}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Logs in through the login page.
    pub fn login(&self, base: &str, login: &str, password: &str) {
        self.goto(&format!("{base}/login"));
        let field = self.find("#login");
        self.type_into(&field, login);
        let field = self.find("#password");
        self.type_into(&field, password);
        self.type_into(&field, ENTER);
        self.wait_until("the login", "return location.pathname !== '/login'");
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = self
                .agent
                .delete(&format!("{}/session/{}", self.base, self.session))
                .call();
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}
