//! maud only: the layout, small components, and one file per page. Views take plain data and
//! [`Texts`]; they do no I/O and know nothing of axum.

pub mod answer;
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
