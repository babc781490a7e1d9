//! Markdown of an answer's body: rendered once at load time, sanitized, and flattened to plain
//! text for search and snippets. The one place that owns pulldown-cmark's options.

use pulldown_cmark::{html, Event, Options, Parser, Tag, TagEnd};

fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_SMART_PUNCTUATION
}

/// Renders markdown to HTML that is safe to put in a page: scripts, event handlers and
/// `javascript:` links are removed whatever the author wrote.
pub fn render(markdown: &str) -> String {
    let mut raw = String::new();
    html::push_html(&mut raw, Parser::new_ext(markdown, options()));
    ammonia::Builder::default()
        .link_rel(Some("noopener noreferrer"))
        .clean(&raw)
        .to_string()
}

/// The text of the markdown without its markup, blocks separated by newlines.
pub fn plain_text(markdown: &str) -> String {
    let mut out = String::new();
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(
                TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::TableCell,
            ) => out.push('\n'),
            Event::Start(Tag::Item) => out.push_str("• "),
            _ => {}
        }
    }
    let mut text = out.trim().to_string();
    while text.contains("\n\n\n") {
        text = text.replace("\n\n\n", "\n\n");
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_emphasis_lists_and_tables() {
        let html = render(
            "**Скажите клиенту:** да.\n\n- один\n- два\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
        );
        assert!(html.contains("<strong>Скажите клиенту:</strong>"), "{html}");
        assert!(html.contains("<li>один</li>"), "{html}");
        assert!(html.contains("<table>"), "{html}");
    }

    #[test]
    fn script_handlers_and_javascript_links_never_survive() {
        let html = render(
            "Hi <script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[click](javascript:alert(1))\n",
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
    }

    #[test]
    fn plain_text_drops_markup_and_keeps_words() {
        let text = plain_text("**Скажите клиенту:** Доставка `бесплатна`.\n\n- по Москве\n");
        assert_eq!(text, "Скажите клиенту: Доставка бесплатна.\n• по Москве");
    }
}
