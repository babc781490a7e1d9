//! Markdown of an answer's body: rendered once at load time, sanitized, and flattened to plain
//! text for search and snippets. The one place that owns pulldown-cmark's options.
//!
//! Rendering is bounded: [`check_shape`] refuses a body that nests deeper than [`MAX_NESTING`]
//! (quotes, lists, emphasis, or raw HTML tags) before the sanitizer sees it, because the
//! sanitizer's work grows with nesting depth times length (40,000 nested quotes took 12 s, 100,000
//! nested `<div>`s minutes). Within the limits a body of the largest allowed size renders in
//! milliseconds.

use pulldown_cmark::{html, Event, Options, Parser, Tag, TagEnd};

/// How deep quotes, lists, emphasis and HTML tags may nest in an answer: far more than any
/// answer read aloud needs.
pub const MAX_NESTING: usize = 32;

/// Why a body is refused before rendering, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TooDeep {
    /// Byte offset in the body where the limit is passed.
    pub offset: usize,
    /// Whether raw HTML tags (rather than markdown) nest too deep.
    pub html: bool,
}

/// HTML elements that never have content, so never nest.
const VOID_ELEMENTS: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];

/// Refuses a body that nests deeper than [`MAX_NESTING`]. Linear in the body's length.
pub fn check_shape(markdown: &str) -> Result<(), TooDeep> {
    // Containers opened at the start of one line (`> > > - x`, `>>>>>`): checked before the
    // parser sees them, since one such line can hold tens of thousands.
    let mut at = 0;
    for line in markdown.split_inclusive('\n') {
        let mut depth = 0;
        let mut chars = line.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            let marker = match c {
                '>' => true,
                '-' | '*' | '+' => chars.peek().is_some_and(|(_, n)| *n == ' ' || *n == '\t'),
                '0'..='9' => {
                    // An ordered list marker: digits, then `.` or `)`, then a space.
                    while chars.peek().is_some_and(|(_, n)| n.is_ascii_digit()) {
                        chars.next();
                    }
                    if !chars.next().is_some_and(|(_, n)| n == '.' || n == ')') {
                        break;
                    }
                    chars.peek().is_some_and(|(_, n)| *n == ' ' || *n == '\t')
                }
                ' ' | '\t' => false,
                _ => break,
            };
            if marker {
                depth += 1;
                if depth > MAX_NESTING {
                    return Err(TooDeep {
                        offset: at + i,
                        html: false,
                    });
                }
            }
        }
        at += line.len();
    }
    let mut depth = 0usize;
    let mut html_open = Vec::new();
    for (event, range) in Parser::new_ext(markdown, options()).into_offset_iter() {
        match event {
            Event::Start(_) => {
                depth += 1;
                if depth > MAX_NESTING * 2 {
                    return Err(TooDeep {
                        offset: range.start,
                        html: false,
                    });
                }
            }
            Event::End(_) => depth = depth.saturating_sub(1),
            Event::Html(raw) | Event::InlineHtml(raw) => {
                if let Some(at) = html_too_deep(&raw, &mut html_open) {
                    return Err(TooDeep {
                        offset: range.start + at,
                        html: true,
                    });
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// Follows the nesting of the tags in a piece of raw HTML as a browser's parser would build it;
/// the offset where it passes the limit. `open` holds the elements still open (a closing tag
/// closes the innermost element of its name and everything inside it, and closes nothing when
/// none of that name is open, as `</a>` after `<div>`); a `/>` on an element that is not void
/// opens it all the same, since HTML ignores it there (`<div/>` is `<div>`).
fn html_too_deep(raw: &str, open: &mut Vec<String>) -> Option<usize> {
    let mut i = 0;
    while let Some(found) = raw[i..].find('<') {
        let start = i + found;
        let rest = &raw[start + 1..];
        let closing = rest.starts_with('/');
        let name_len = rest
            .trim_start_matches('/')
            .bytes()
            .take_while(u8::is_ascii_alphanumeric)
            .count();
        if name_len > 0 {
            let name = rest.trim_start_matches('/')[..name_len].to_ascii_lowercase();
            if closing {
                if let Some(at) = open.iter().rposition(|n| *n == name) {
                    open.truncate(at);
                }
            } else if !VOID_ELEMENTS.contains(&name.as_str()) {
                open.push(name);
                if open.len() > MAX_NESTING {
                    return Some(start);
                }
            }
        }
        i = start + 1;
    }
    None
}

fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_SMART_PUNCTUATION
}

/// Renders markdown to HTML that is safe to put in a page: scripts, event handlers and
/// `javascript:` links are removed whatever the author wrote.
pub fn render(markdown: &str) -> String {
    let mut raw = String::new();
    let events = Parser::new_ext(markdown, options()).map(|event| match event {
        Event::Text(text) if text.contains(' ') => Event::Text(numbers_together(&text).into()),
        other => other,
    });
    html::push_html(&mut raw, events);
    ammonia::Builder::default()
        .link_rel(Some("noopener noreferrer"))
        .clean(&raw)
        .to_string()
}

/// A number's groups of digits kept on one line, read aloud as one number: the space before
/// three digits that end a group («3 000», «+7 495 123-45-67») becomes a no-break space.
fn numbers_together(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        let joins = c == ' '
            && i > 0
            && chars[i - 1].is_ascii_digit()
            && chars.len() >= i + 4
            && chars[i + 1..i + 4].iter().all(char::is_ascii_digit)
            && chars.get(i + 4).is_none_or(|n| !n.is_ascii_digit());
        out.push(if joins { '\u{a0}' } else { c });
    }
    out
}

/// The body rendered as [`render`] does, for an editor's preview: `None` when it is longer than
/// `max_bytes` or nests deeper than [`check_shape`] allows, so that a preview is never slower than
/// loading the largest answer file.
pub fn preview(markdown: &str, max_bytes: usize) -> Option<String> {
    (markdown.len() <= max_bytes && check_shape(markdown).is_ok()).then(|| render(markdown))
}

/// What stands between two cells of a table's row in its plain text.
const CELLS_APART: &str = " — ";

/// The text of the markdown without its markup, blocks separated by newlines, a table's rows
/// one a line. A table's header row is left out: its column names («условие — цена») read as
/// noise in a snippet, and each row says what it is about by itself.
pub fn plain_text(markdown: &str) -> String {
    let mut out = String::new();
    let mut in_head = false;
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Start(Tag::TableHead) => in_head = true,
            Event::End(TagEnd::TableHead) => in_head = false,
            _ if in_head => {}
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item) => out.push('\n'),
            // A table's row reads as one line, its cells apart: «ремонт — 3 месяца».
            Event::End(TagEnd::TableCell) => out.push_str(CELLS_APART),
            Event::End(TagEnd::TableRow) => {
                if out.ends_with(CELLS_APART) {
                    out.truncate(out.len() - CELLS_APART.len());
                }
                out.push('\n');
            }
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

    #[test]
    fn a_numbers_groups_stay_on_one_line() {
        let html = render("Стоит 3 000 рублей, звоните +7 495 123-45-67, в 10 утра, 2024 год.");
        assert!(html.contains("3&nbsp;000 рублей"), "{html}");
        assert!(html.contains("+7&nbsp;495&nbsp;123-45-67"), "{html}");
        assert!(html.contains("в 10 утра, 2024 год"), "{html}");
    }

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
    fn deep_quotes_lists_and_tags_are_refused_before_rendering() {
        let quotes = format!("{} x\n", ">".repeat(40_000));
        assert!(!check_shape(&quotes).unwrap_err().html);
        let spaced = format!("{}x\n", "> ".repeat(MAX_NESTING + 1));
        assert!(check_shape(&spaced).is_err());
        let lists = format!("{}x\n", "- ".repeat(MAX_NESTING + 1));
        assert!(check_shape(&lists).is_err());
        let ordered = format!("{}x\n", "1. ".repeat(50_000));
        assert!(check_shape(&ordered).is_err());
        let divs = format!("text\n\n{}\n", "<div>".repeat(100_000));
        let e = check_shape(&divs).unwrap_err();
        assert!(e.html);
        assert_eq!(&divs[e.offset..e.offset + 5], "<div>");
        let nested_links = format!("{}x{}\n", "*a ".repeat(100), " a*".repeat(100));
        // Emphasis runs nest only as deep as the parser allows; whichever way, the shape check
        // answers, and a body it accepts renders.
        if check_shape(&nested_links).is_ok() {
            assert!(!render(&nested_links).is_empty());
        }
    }

    #[test]
    fn self_closed_or_mismatched_tags_count_as_the_nesting_a_browser_builds() {
        for opener in ["<ul/>", "<ol/>", "<dl/>", "<div/>", "<div></a>", "<span/>"] {
            let body = format!("text\n\n{}\n", opener.repeat(256 * 1024 / opener.len()));
            assert!(check_shape(&body).is_err(), "{opener} repeated passed");
            assert_eq!(preview(&body, 1 << 20), None, "{opener}");
        }
        let closed = "<div><span>x</span></div>".repeat(10_000);
        assert_eq!(check_shape(&closed), Ok(()));
        assert!(preview(&closed, 1 << 20).is_some());
        assert_eq!(preview("x", 0), None, "over the size");
    }

    #[test]
    fn ordinary_nesting_and_void_tags_pass() {
        let ok = "> **Скажите клиенту:** да.\n\n- один\n  - два\n    - три\n\n<div><p>a<br>b<img src=x></p></div>\n\n* не список*\n";
        assert_eq!(check_shape(ok), Ok(()));
        let many_flat = "<br>".repeat(10_000) + &"<p>x</p>".repeat(10_000);
        assert_eq!(check_shape(&many_flat), Ok(()));
    }

    #[test]
    fn plain_text_drops_markup_and_keeps_words() {
        let text = plain_text("**Скажите клиенту:** Доставка `бесплатна`.\n\n- по Москве\n");
        assert_eq!(text, "Скажите клиенту: Доставка бесплатна.\n• по Москве");
    }

    #[test]
    fn a_tables_row_is_a_line_with_its_cells_apart_and_its_header_is_left_out() {
        let text = plain_text(
            "| что | срок |\n| --- | --- |\n| ремонт | 3 месяца |\n| сборка | 24 месяца |\n",
        );
        assert_eq!(text, "ремонт — 3 месяца\nсборка — 24 месяца");
    }
}
