//! Nobody past their door: every route of the table in every encoding of its words, for every
//! role, decided on what its handler does; no slug reaching a file outside `knowledge/`.
//! Regression tests of the access bypass through percent-encoded route words and of `..` slugs.

use crate::harness::{copy_tree, TestApp};
use callfaq::accounts::Role;
use callfaq::web::Access;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::path::Path;

/// Every file under `dir` with its bytes.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if let Ok(bytes) = std::fs::read(&path) {
                out.insert(path.display().to_string(), bytes);
            }
        }
    }
    out
}

/// `word` with its first letter percent-encoded (`edit` → `%65dit`), and wholly encoded.
fn encodings(word: &str) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(first) = word.bytes().next().filter(u8::is_ascii_alphabetic) {
        out.push(format!("%{first:02x}{}", &word[1..]));
        out.push(format!("%{first:02X}{}", &word[1..]));
        out.push(word.bytes().map(|b| format!("%{b:02x}")).collect());
    }
    out
}

/// Variants of a concrete path that a router might tell apart but a decoder would not: each
/// literal word after the first segment encoded, and the `/` before the slug encoded.
fn variants(path: &str, slug: &str) -> Vec<String> {
    let segments: Vec<&str> = path.split('/').collect();
    let mut out = Vec::new();
    for (i, segment) in segments.iter().enumerate().skip(2) {
        if segment.is_empty() || segment.chars().all(|c| c.is_ascii_digit()) || *segment == slug {
            continue;
        }
        for encoded in encodings(segment) {
            let mut s = segments.clone();
            s[i] = &encoded;
            out.push(s.join("/"));
        }
    }
    if let Some(before) = path.strip_suffix(&format!("/{slug}")) {
        out.push(format!("{before}%2F{slug}"));
    }
    out
}

/// Where an editors' word after the slug (the earlier layout) can be written.
fn after_slug(base: &str, slug: &str, word: &str) -> Vec<String> {
    let mut out = vec![
        format!("{base}/{slug}/{word}"),
        format!("{base}/{slug}%2F{word}"),
    ];
    out.extend(encodings(word).iter().map(|e| format!("{base}/{slug}/{e}")));
    out.extend(
        encodings(word)
            .iter()
            .map(|e| format!("{base}/{slug}%2F{e}")),
    );
    out
}

#[tokio::test]
async fn every_encoding_of_every_route_is_decided_by_what_its_handler_does() {
    let app = TestApp::new();
    let (_, call) = app.json("POST", "/api/calls", json!({})).await;
    let call_id = call["id"].as_i64().unwrap();
    let before = files(&app.knowledge);
    let tokens: Vec<(Role, String)> = Role::ALL.iter().map(|r| (*r, app.token_for(*r))).collect();
    let mut failures = Vec::new();
    let mut tried = 0;
    for route in callfaq::web::routes().table() {
        let Access::Role(needed) = route.access else {
            continue;
        };
        let path = route
            .pattern
            .replace("{id}", &call_id.to_string())
            .replace("{*slug}", "printer")
            .replace("{login}", "admin")
            .replace("{name}", "x");
        for variant in variants(&path, "printer") {
            for method in &route.methods {
                for (role, token) in &tokens {
                    let body = match (method.as_str(), variant.starts_with("/api/")) {
                        ("GET", _) => None,
                        (_, true) => Some(json!({"text": "x", "version": null, "to": "stolen"})),
                        (_, false) => Some(json!("body=x&to=stolen&title=x")),
                    };
                    let (status, _, _) = app
                        .as_token(Some(token.clone()))
                        .request(method.as_str(), &variant, body)
                        .await;
                    tried += 1;
                    let allowed = role.allows(needed);
                    if !allowed && (status.is_success() || status.is_redirection()) {
                        failures.push(format!("{method} {variant} as {role:?}: {status}"));
                    }
                    if status.is_server_error() {
                        failures.push(format!("{method} {variant} as {role:?}: {status}"));
                    }
                }
            }
        }
    }
    assert!(tried > 200, "only {tried} requests");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(files(&app.knowledge), before, "an answer file changed");
}

/// The issue's own examples: an operator reaching an editors' route through an encoded word,
/// after or before the slug, is refused `403`, by token; an editor is moved to the route.
#[tokio::test]
async fn an_operator_never_reaches_an_editors_route_through_an_encoded_word() {
    let app = TestApp::new();
    let before = files(&app.knowledge);
    let operator = app.as_token(Some(app.token_for(Role::Operator)));
    let mut paths = Vec::new();
    for word in ["edit", "history", "retire", "rename", "reviewed"] {
        paths.extend(after_slug("/answers", "printer", word));
        paths.extend(
            encodings(word)
                .iter()
                .map(|e| format!("/answers/{e}/printer")),
        );
    }
    for word in ["source", "history", "retire", "rename", "reviewed"] {
        paths.extend(after_slug("/api/answers", "printer", word));
        paths.extend(
            encodings(word)
                .iter()
                .map(|e| format!("/api/answers/{e}/printer")),
        );
    }
    paths.push("/api/answers/printer/history/1/%72estore".into());
    paths.push("/api/answers/%72estore/1/printer".into());
    paths.push("/answers/printer/history/1/restore".into());
    let save = json!({"text": "+++\ntitle = \"x\"\n+++\nx", "version": null});
    for path in &paths {
        let methods = if path.starts_with("/api/") {
            vec![
                ("GET", None),
                ("POST", Some(json!({"to": "stolen"}))),
                ("PUT", Some(save.clone())),
            ]
        } else {
            vec![("GET", None), ("POST", Some(json!("to=stolen&body=x")))]
        };
        for (method, body) in methods {
            let (status, _) = operator.call(method, path, body).await;
            assert_eq!(status, 403, "{method} {path}");
        }
    }
    assert_eq!(files(&app.knowledge), before);

    // An editor following such an address lands on the route it names.
    let editor = app.as_token(Some(app.token_for(Role::Editor)));
    let (status, headers, _) = editor
        .request("GET", "/api/answers/printer/%73ource", None)
        .await;
    assert_eq!(status, 308);
    assert_eq!(headers["location"], "/api/answers/source/printer");
    let (status, text) = editor
        .call("GET", "/api/answers/source/printer", None)
        .await;
    assert_eq!(status, 200, "{text}");
}

#[tokio::test]
async fn no_slug_reaches_a_file_outside_the_knowledge_folder() {
    let app = TestApp::new();
    // Files next to the knowledge folder and in the data folder that a `..` could name.
    let root = app._root.path();
    std::fs::create_dir_all(root.join("outside")).unwrap();
    std::fs::write(
        root.join("outside/secret.md"),
        "+++\ntitle = \"x\"\n+++\nTOP-SECRET-TEXT\n",
    )
    .unwrap();
    std::fs::write(root.join("victim.md"), "victim\n").unwrap();
    copy_tree(&app.data, &root.join("data-copy"));
    let before = files(root);
    // A name longer than a file name may be: refused, not a failed write.
    let long = "a".repeat(300);
    let slugs = [
        "..%2Foutside%2Fsecret",
        "../outside/secret",
        "%2e%2e%2Foutside%2Fsecret",
        "%2E%2E/victim",
        "..%2Fvictim",
        "..%5Cvictim",
        "%2Fetc%2Fpasswd",
        "%2F..%2Fvictim",
        "printer%2F..%2F..%2Fvictim",
        "./printer",
        "printer%00",
        "C:%5Cvictim",
        &long,
    ];
    let routes: [(&str, &str, Option<Value>); 16] = [
        ("GET", "/answers/{s}", None),
        ("GET", "/api/answers/{s}", None),
        // Addresses of the earlier layout, the word after the slug.
        ("GET", "/answers/{s}/edit", None),
        ("GET", "/api/answers/{s}/source", None),
        ("POST", "/api/answers/{s}/retire", Some(json!({}))),
        ("GET", "/answers/edit/{s}", None),
        ("POST", "/answers/edit/{s}", Some(json!("title=x&body=x"))),
        ("GET", "/answers/history/{s}", None),
        ("POST", "/answers/retire/{s}", Some(json!("x=1"))),
        ("POST", "/answers/rename/{s}", Some(json!("to=moved"))),
        ("GET", "/api/answers/source/{s}", None),
        (
            "PUT",
            "/api/answers/source/{s}",
            Some(json!({"text": "+++\ntitle = \"y\"\n+++\ny", "version": null})),
        ),
        ("GET", "/api/answers/history/{s}", None),
        ("POST", "/api/answers/restore/1/{s}", Some(json!({}))),
        ("POST", "/api/answers/retire/{s}", Some(json!({}))),
        (
            "POST",
            "/api/answers/rename/{s}",
            Some(json!({"to": "moved"})),
        ),
    ];
    for role in Role::ALL {
        let client = app.as_token(Some(app.token_for(role)));
        for slug in slugs {
            for (method, pattern, body) in &routes {
                let path = pattern.replace("{s}", slug);
                let (status, text) = client.call(method, &path, body.clone()).await;
                // Whatever the role: such a slug names nothing.
                let refused = matches!(status.as_u16(), 404 | 422);
                assert!(refused, "{method} {path} as {role:?}: {status} {text}");
                assert!(!text.contains("TOP-SECRET"), "{path} as {role:?}: {text}");
            }
        }
    }
    let after = files(root);
    let data = app.data.display().to_string();
    for (path, bytes) in before.iter().filter(|(p, _)| !p.starts_with(&data)) {
        assert_eq!(
            after.get(path),
            Some(bytes),
            "{path} was changed or removed"
        );
    }
}
