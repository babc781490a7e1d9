//! An answer's page: large readable type, the phrase to say first, details after.

use super::{layout, Ctx};
use crate::i18n::Texts;
use crate::knowledge::{Answer, Audience};
use crate::paths;
use maud::{html, Markup, PreEscaped};

/// The audience in the UI's words.
pub fn audience_label(texts: &Texts, audience: Audience) -> &'static str {
    match audience {
        Audience::Primary => texts.audience_primary,
        Audience::Secondary => texts.audience_secondary,
        Audience::All => texts.audience_all,
    }
}

/// Where an answer's page was opened from, which its back link returns to.
pub enum Back<'a> {
    /// A search, with its words (none: the search page).
    Search(&'a str),
    /// The editors' queue of typical questions.
    Queue,
    /// A group's page.
    Group(i64),
}

/// The page of one answer, its back link to where it was opened from.
pub fn page(ctx: &Ctx, answer: &Answer, back: Back) -> Markup {
    let texts = ctx.texts;
    let (href, label) = match back {
        Back::Search(query) if query.trim().is_empty() => {
            (paths::SEARCH_PAGE.to_string(), texts.back_to_search)
        }
        Back::Search(query) => (paths::search_page(query), texts.back_to_search),
        Back::Queue => (paths::GROUPS_PAGE.to_string(), texts.back_to_groups),
        Back::Group(id) => (paths::with_id(paths::GROUP_PAGE, id), texts.back_to_group),
    };
    layout(
        ctx,
        &answer.title,
        html! {
            p.back { a href=(href) accesskey="s" { (label) } }
            article.answer {
                h1 { (answer.title) }
                p.meta {
                    span.audience { (audience_label(texts, answer.audience)) }
                    " · " (texts.reviewed) " " time datetime=(answer.reviewed.to_string()) { (texts.day(answer.reviewed)) }
                    @if ctx.allows(crate::accounts::Role::Editor) {
                        " · " a href=(paths::answer_link(paths::ANSWER_EDIT, &answer.slug, None)) { (texts.edit_link) }
                        " · " a href=(paths::answer_link(paths::ANSWER_HISTORY, &answer.slug, None)) { (texts.history_link) }
                    }
                }
                // Rendered from markdown and sanitized by ammonia at load time.
                div.answer-body { (PreEscaped(&answer.html)) }
                @if !answer.questions.is_empty() {
                    section.also-asked {
                        h2 { (texts.also_asked) }
                        ul { @for q in &answer.questions { li { (q) } } }
                    }
                }
                @if !answer.tags.is_empty() {
                    p.tags { (texts.tags) ": " @for (i, tag) in answer.tags.iter().enumerate() {
                        @if i > 0 { ", " }
                        a href=(paths::search_page(tag)) { (tag) }
                    } }
                }
            }
        },
    )
}
