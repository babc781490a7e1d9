//! Test support: the exchanges' requests as they arrive on the wire, read from
//! `tests/fixtures/pbx/<exchange>/*.http` (see the README there).
//!
//! A fixture holds one or more requests separated by lines starting with `###` (the `.http`
//! file convention); each is a request line, headers, a blank line and the body. Lines starting
//! with `#` before the request line are comments.

use std::path::PathBuf;

/// One request as an exchange sends it.
#[derive(Debug, Clone)]
pub(crate) struct WireRequest {
    /// The text after `###`, or the request line when there is none.
    pub name: String,
    /// `GET` or `POST`.
    pub method: String,
    /// Path and query, as in the request line.
    pub target: String,
    /// Headers in order.
    pub headers: Vec<(String, String)>,
    /// The body, without the file's trailing newline.
    pub body: Vec<u8>,
}

impl WireRequest {
    /// The value of the header `name`, compared without case as HTTP does.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// The query string of the target, without `?`.
    pub fn query(&self) -> &str {
        self.target.split_once('?').map_or("", |(_, query)| query)
    }
}

/// The path of a fixture file under `tests/fixtures/pbx/`.
pub(crate) fn path(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/pbx")
        .join(relative)
}

/// The requests of `tests/fixtures/pbx/<relative>`, in order.
pub(crate) fn requests(relative: &str) -> Vec<WireRequest> {
    let text = std::fs::read_to_string(path(relative))
        .unwrap_or_else(|e| panic!("reading fixture {relative}: {e}"));
    let mut blocks: Vec<(String, Vec<&str>)> = vec![(String::new(), Vec::new())];
    for line in text.lines() {
        if let Some(name) = line.strip_prefix("###") {
            blocks.push((name.trim().to_string(), Vec::new()));
        } else if let Some((_, lines)) = blocks.last_mut() {
            lines.push(line);
        }
    }
    blocks
        .into_iter()
        .filter_map(|(name, lines)| parse_block(name, &lines))
        .collect()
}

/// The request called `name` in a fixture: panics naming a missing one.
pub(crate) fn named(relative: &str, name: &str) -> WireRequest {
    requests(relative)
        .into_iter()
        .find(|r| r.name == name)
        .unwrap_or_else(|| panic!("no request `{name}` in {relative}"))
}

fn parse_block(name: String, lines: &[&str]) -> Option<WireRequest> {
    let mut lines = lines
        .iter()
        .skip_while(|line| line.trim().is_empty() || line.starts_with('#'));
    let request_line = lines.next()?;
    let mut parts = request_line.split_whitespace();
    let method = parts.next()?.to_string();
    let target = parts.next()?.to_string();
    let mut headers = Vec::new();
    for line in lines.by_ref() {
        if line.is_empty() {
            break;
        }
        let (key, value) = line.split_once(':').expect("a header line has a colon");
        headers.push((key.trim().to_string(), value.trim().to_string()));
    }
    let body = lines.copied().collect::<Vec<_>>().join("\n");
    Some(WireRequest {
        name: if name.is_empty() {
            request_line.to_string()
        } else {
            name
        },
        method,
        target,
        headers,
        body: body.trim_end().as_bytes().to_vec(),
    })
}
