//! maud only: the layout, small components, and one file per page. Views take plain data and
//! [`Texts`]; they do no I/O and know nothing of axum.

pub mod answer;
pub mod calls;
pub mod search;

use crate::i18n::Texts;
use crate::web::paths;
use maud::{html, Markup, DOCTYPE};

/// The stylesheet, embedded from `templates/`.
pub const STYLESHEET: &str = include_str!("../../templates/app.css");
/// The script that makes search live, embedded from `templates/`.
pub const SCRIPT: &str = include_str!("../../templates/app.js");

/// The page frame shared by every page.
pub fn layout(texts: &Texts, title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang=(texts.html_lang) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · " (texts.app_name) }
                link rel="stylesheet" href=(paths::STYLESHEET);
                script src=(paths::SCRIPT) defer {}
            }
            body {
                header.top {
                    a.brand href=(paths::SEARCH_PAGE) { (texts.app_name) }
                    nav {
                        a href=(paths::SEARCH_PAGE) { (texts.nav_search) }
                        a href=(paths::CALLS_PAGE) { (texts.nav_calls) }
                        a.primary href=(paths::NEW_CALL_PAGE) accesskey="n" { (texts.nav_new_call) }
                    }
                }
                main { (body) }
            }
        }
    }
}

/// A page that says something was not found.
pub fn not_found_page(texts: &Texts, message: &str) -> Markup {
    layout(
        texts,
        texts.not_found,
        html! {
            h1 { (texts.not_found) }
            p { (message) }
            p { a href=(paths::SEARCH_PAGE) { (texts.back_to_search) } }
        },
    )
}

/// A page with a heading and one message, such as what was wrong with submitted input.
pub fn message_page(texts: &Texts, title: &str, message: &str) -> Markup {
    layout(
        texts,
        title,
        html! {
            h1 { (title) }
            p { (message) }
            p { a href="javascript:history.back()" { "←" } " " a href=(paths::SEARCH_PAGE) { (texts.back_to_search) } }
        },
    )
}

/// A page that says something went wrong on our side.
pub fn error_page(texts: &Texts) -> Markup {
    layout(
        texts,
        texts.error,
        html! {
            h1 { (texts.error) }
            p { (texts.error_text) }
            p { a href=(paths::SEARCH_PAGE) { (texts.back_to_search) } }
        },
    )
}
