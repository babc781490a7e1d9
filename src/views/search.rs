//! The search page: the box the operator types into, and the results. Without JavaScript it is a
//! plain form; `templates/app.js` makes it live and keyboard-driven.

use super::{csrf_field, layout, Ctx};
use crate::calls::Call;
use crate::i18n::Texts;
use crate::paths;
use crate::search::SearchHit;
use maud::{html, Markup, PreEscaped};

/// The list of hits; the script renders the same shape.
pub fn hit_list(texts: &Texts, query: &str, hits: &[SearchHit], has_words: bool) -> Markup {
    html! {
        ol #results .results role="listbox" aria-label=(texts.search_label) {
            @for (i, hit) in hits.iter().enumerate() {
                // The first is what Enter opens until one is chosen with the arrows.
                li.hit.default[i == 0] role="option" aria-selected="false" {
                    a href=(paths::answer_page_from(&hit.slug, query)) data-slug=(hit.slug) {
                        span.hit-title { (hit.title) }
                        // Built by search::snippet: escaped text with <mark> only.
                        span.hit-snippet { (PreEscaped(&hit.snippet)) }
                    }
                }
            }
        }
        @let typed = !query.trim().is_empty();
        p #no-results .no-results hidden[!hits.is_empty() || !typed || !has_words] { (texts.no_results) }
        // A query with no word of its own looks for nothing: no «nothing found» for it.
        p #no-words .hint hidden[!typed || has_words] { (texts.search_no_words) }
    }
}

/// The form that logs the typed question, unanswered, on one of the operator's open calls or a
/// new one: what the desk does when no answer exists yet.
/// How an open call is named in the list: its number, when it started, who called.
fn call_label(ctx: &Ctx, call: &Call) -> String {
    let who = [&call.name, &call.phone, &call.company]
        .into_iter()
        .find_map(|v| v.as_deref())
        .unwrap_or_default();
    let label = format!(
        "{}{} · {} {}",
        ctx.texts.call_number,
        call.id,
        ctx.clock.time_text(call.started_at),
        who
    );
    label.trim_end().to_string()
}

fn unanswered_form(ctx: &Ctx, query: &str, open_calls: &[Call]) -> Markup {
    let texts = ctx.texts;
    html! {
        form.unanswered #unanswered method="post" action=(paths::UNANSWERED_FORM) {
            (csrf_field(ctx))
            h2 { (texts.unanswered_title) }
            input type="hidden" name="text" value=(query);
            label {
                (texts.unanswered_call) " "
                select name="call" {
                    @for call in open_calls {
                        option value=(call.id) { (call_label(ctx, call)) }
                    }
                    option value="new" { (texts.unanswered_new_call) }
                }
            }
            " " button type="submit" { (texts.unanswered_button) }
        }
    }
}

/// The whole search page; `open_calls` are the operator's calls of today not ended yet; a line
/// says when no answer fits.
/// What a search found, as the page shows it.
pub struct Found<'a> {
    /// What was typed.
    pub query: &'a str,
    /// Answers, best first.
    pub hits: &'a [SearchHit],
    /// Whether no answer fits.
    pub nothing_fits: bool,
    /// Whether the query has a word to look for.
    pub has_words: bool,
}

pub fn page(ctx: &Ctx, found: &Found<'_>, open_calls: &[Call]) -> Markup {
    let (query, hits) = (found.query, found.hits);
    let texts = ctx.texts;
    layout(
        ctx,
        texts.search_title,
        html! {
            form #search-form .search role="search" action=(paths::SEARCH_PAGE) method="get" {
                label.visually-hidden for="q" { (texts.search_label) }
                input #q type="search" name="q" maxlength=(crate::calls::MAX_QUESTION_CHARS) value=(query) placeholder=(texts.search_placeholder)
                    autofocus autocomplete="off" spellcheck="false" data-api=(paths::API_SEARCH);
                button.search-button type="submit" { (texts.search_button) }
            }
            // The keys' hint, or in its place, once typing stops, that no answer fits: seen
            // at once above the answers, with a link to the form under them.
            div.search-status {
                // With no list, «nothing found» says it already.
                @let nothing_fits = found.nothing_fits && !found.hits.is_empty();
                p #search-hint .hint hidden[nothing_fits] { (texts.search_hint) }
                p #nothing-fits .nothing-fits role="status" hidden[!nothing_fits] {
                    (texts.nothing_fits) " "
                    a #to-unanswered href="#unanswered" { (texts.nothing_fits_to_form) }
                }
            }
            (hit_list(texts, query, hits, found.has_words))
            div #unanswered-box hidden[query.trim().is_empty()] {
                (unanswered_form(ctx, query, open_calls))
            }
        },
    )
}
