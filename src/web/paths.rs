//! Every URL of the app, spelled once: route patterns for the router and link builders for pages.

/// The search page.
pub const SEARCH_PAGE: &str = "/";
/// An answer's page, by slug (slugs may contain `/`).
pub const ANSWER_PAGE: &str = "/answers/{*slug}";
/// Search API.
pub const API_SEARCH: &str = "/api/search";
/// One answer as JSON.
pub const API_ANSWER: &str = "/api/answers/{*slug}";
/// Liveness probe.
pub const HEALTHZ: &str = "/healthz";
/// The stylesheet.
pub const STYLESHEET: &str = "/static/app.css";
/// The script.
pub const SCRIPT: &str = "/static/app.js";

/// Link to an answer's page.
pub fn answer_page(slug: &str) -> String {
    format!("/answers/{}", encode_path(slug))
}

/// Link to the search page with a query.
pub fn search_page(query: &str) -> String {
    format!("/?q={}", encode_component(query))
}

fn encode_path(slug: &str) -> String {
    slug.split('/')
        .map(encode_component)
        .collect::<Vec<_>>()
        .join("/")
}

/// Percent-encodes everything but unreserved characters.
pub fn encode_component(text: &str) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn links_are_encoded() {
        assert_eq!(super::answer_page("a/b c"), "/answers/a/b%20c");
        assert_eq!(super::search_page("ц&"), "/?q=%D1%86%26");
    }
}
