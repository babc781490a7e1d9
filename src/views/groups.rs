//! The editors' pages of typical questions without an answer: the queue, largest and
//! fastest-growing first, and one group with its phrasings and every action as a plain form.

use super::{csrf_field, layout, Ctx};
use crate::grouping::{GroupState, TypicalQuestion};
use crate::i18n::Texts;
use crate::knowledge::Knowledge;
use crate::paths;
use maud::{html, Markup};

/// Characters of another group's title a list to choose from shows.
const OPTION_CHARS: usize = 80;

/// Answers to choose from, as (slug, title).
type Choices = Vec<(String, String)>;

/// The answers a group may be linked to: those it resembles (most alike first), then every
/// other answer by title, each listed once.
fn answer_choices(knowledge: &Knowledge, similar: &[String]) -> (Choices, Choices) {
    let alike: Choices = similar
        .iter()
        .filter_map(|s| knowledge.get(s).map(|a| (a.slug.clone(), a.title.clone())))
        .collect();
    let mut others: Choices = knowledge
        .answers()
        .iter()
        .filter(|a| !alike.iter().any(|(slug, _)| *slug == a.slug))
        .map(|a| (a.slug.clone(), a.title.clone()))
        .collect();
    others.sort_by(|a, b| a.1.cmp(&b.1));
    (alike, others)
}

fn figures(ctx: &Ctx, g: &TypicalQuestion) -> Markup {
    let texts = ctx.texts;
    html! {
        span.count { (Texts::fill(texts.group_count, &[&g.count])) }
        " · " (texts.kind_primary) ": " (g.primary)
        " · " (texts.kind_secondary) ": " (g.secondary)
        @if g.recent > 0 { " · " (Texts::fill(texts.group_recent, &[&g.recent])) }
        " · " (Texts::fill(texts.group_asked, &[&ctx.moment(g.first_asked), &ctx.moment(g.last_asked)]))
    }
}

/// The form that links a group to an answer; `focus`: the page opens on its list.
fn link_form(
    ctx: &Ctx,
    g: &TypicalQuestion,
    similar: &[String],
    knowledge: &Knowledge,
    focus: bool,
) -> Markup {
    let texts = ctx.texts;
    html! {
        form.inline method="post" action=(paths::with_id(paths::GROUP_ANSWER_FORM, g.id)) {
            (csrf_field(ctx))
            // Nothing chosen until the editor chooses: one click never links to a guess.
            select name="answer" aria-label=(texts.group_link_to) required autofocus[focus] {
                option value="" selected { (texts.group_choose_answer) }
                @let (alike, others) = answer_choices(knowledge, similar);
                @if alike.is_empty() {
                    @for (slug, title) in &others { option value=(slug) { (title) } }
                } @else {
                    optgroup label=(texts.group_alike_answers) {
                        // Plain titles, so that typing a title finds it in either part.
                        @for (slug, title) in &alike { option value=(slug) { (title) } }
                    }
                    optgroup label=(texts.group_other_answers) {
                        @for (slug, title) in &others { option value=(slug) { (title) } }
                    }
                }
            }
            " " button type="submit" { (texts.group_link_button) }
        }
    }
}

fn write_form(ctx: &Ctx, g: &TypicalQuestion) -> Markup {
    let texts = ctx.texts;
    let title = g.proposed_title();
    html! {
        form.inline.write method="get" action=(paths::NEW_ANSWER_PAGE) {
            input type="hidden" name="group" value=(g.id);
            input type="text" name="title" value=(title) aria-label=(texts.group_new_title) size="40";
            " " button type="submit" { (texts.group_write_button) }
        }
    }
}

/// «Не для базы знаний», or, on a group dismissed already, «Вернуть в очередь».
fn dismiss_form(ctx: &Ctx, g: &TypicalQuestion) -> Markup {
    let texts = ctx.texts;
    html! {
        @if g.state == GroupState::Dismissed {
            form.inline method="post" action=(paths::with_id(paths::GROUP_REOPEN_FORM, g.id)) {
                (csrf_field(ctx))
                button type="submit" { (texts.group_reopen_button) }
            }
        } @else {
            form.inline method="post" action=(paths::with_id(paths::GROUP_DISMISS_FORM, g.id)) {
                (csrf_field(ctx))
                button type="submit" data-confirm=(texts.group_dismiss_confirm) { (texts.group_dismiss_button) }
            }
        }
    }
}

/// What the queue page lists: the open groups with the answers each resembles, and the
/// groups dismissed.
pub struct Queue<'a> {
    /// Open groups, largest first.
    pub groups: &'a [TypicalQuestion],
    /// For each, the slugs of the answers it resembles.
    pub similar: &'a [Vec<String>],
    /// Groups editors dismissed, largest first.
    pub dismissed: &'a [TypicalQuestion],
}

/// What an editor just did, said over the queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Done {
    /// A group (this one, when known: its link may be undone) linked to the answer of this
    /// title.
    Linked(String, Option<i64>),
    /// A group dismissed (this one, when it still is: it may be taken back).
    Dismissed(Option<i64>),
}

/// A group's phrasings as the queue shows them: each wording once (letter case, `ё` and
/// punctuation aside), with how many of the group's questions say it so; at most `limit`, the
/// most recently asked first.
fn distinct_phrasings(g: &TypicalQuestion, limit: usize) -> Vec<(&str, usize)> {
    let mut seen: Vec<(String, &str, usize)> = Vec::new();
    for (text, count) in &g.wordings {
        let key = crate::text::normalize(text)
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        match seen.iter_mut().find(|(k, _, _)| *k == key) {
            Some((_, _, times)) => *times += count,
            None => seen.push((key, text, *count)),
        }
    }
    seen.into_iter()
        .take(limit)
        .map(|(_, text, times)| (text, times))
        .collect()
}

/// The queue of open groups, and under it the groups dismissed; `done`: what was just done.
pub fn queue(ctx: &Ctx, queue: &Queue<'_>, knowledge: &Knowledge, done: Option<Done>) -> Markup {
    let (groups, similar) = (queue.groups, queue.similar);
    let texts = ctx.texts;
    layout(
        ctx,
        texts.groups_title,
        html! {
            h1 { (texts.groups_title) }
            @match &done {
                // A block, not a paragraph: it holds the undo's form.
                Some(Done::Linked(title, group)) => div.status.saved role="status" {
                    (Texts::fill(texts.group_done_linked, &[title]))
                    @if let Some(id) = group {
                        " "
                        form.inline method="post" action=(paths::with_id(paths::GROUP_REOPEN_FORM, *id)) {
                            (csrf_field(ctx))
                            button type="submit" { (texts.group_undo_link) }
                        }
                    }
                },
                Some(Done::Dismissed(group)) => div.status.saved role="status" {
                    // Which group, by its title, while it is among the dismissed.
                    @match group.and_then(|id| queue.dismissed.iter().find(|g| g.id == id)) {
                        Some(g) => (Texts::fill(texts.group_done_dismissed_named, &[&texts.quoted(&crate::text::clip(&g.title, super::LISTED_CHARS))])),
                        None => (texts.group_done_dismissed),
                    }
                    @if let Some(id) = group {
                        " "
                        form.inline method="post" action=(paths::with_id(paths::GROUP_REOPEN_FORM, *id)) {
                            (csrf_field(ctx))
                            button type="submit" { (texts.group_reopen_button) }
                        }
                    }
                },
                None => {},
            }
            p.hint { (texts.groups_hint) }
            @if groups.is_empty() {
                p.empty { (texts.groups_empty) }
            }
            ol.groups {
                @for (i, (g, similar)) in groups.iter().zip(similar).enumerate() {
                    li.group data-id=(g.id) {
                        // The queue opens on its first group: Enter opens it, Tab its actions.
                        h2 { a href=(paths::with_id(paths::GROUP_PAGE, g.id)) autofocus[i == 0] { (super::listed_quoted(texts, &g.title)) } }
                        p.meta { (figures(ctx, g)) }
                        @let phrasings = distinct_phrasings(g, usize::MAX);
                        ul.phrasings {
                            @for (text, times) in phrasings.iter().take(SHOWN_PHRASINGS) {
                                li { (super::listed_quoted(texts, text)) @if *times > 1 { " " span.times { "×" (times) } } }
                            }
                            @if phrasings.len() > SHOWN_PHRASINGS {
                                li.more { a href=(paths::with_id(paths::GROUP_PAGE, g.id)) { (Texts::fill(texts.group_more_phrasings, &[&(phrasings.len() - SHOWN_PHRASINGS)])) } }
                            }
                        }
                        @if !similar.is_empty() {
                            p.similar { (texts.group_similar) ": "
                                @for (i, slug) in similar.iter().enumerate() {
                                    @if i > 0 { ", " }
                                    @if let Some(a) = knowledge.get(slug) { a href=(paths::answer_page_from_queue(slug)) { (a.title) } }
                                }
                            }
                        }
                        div.group-actions {
                            (link_form(ctx, g, similar, knowledge, false))
                            (write_form(ctx, g))
                            (dismiss_form(ctx, g))
                            a href=(paths::with_id(paths::GROUP_PAGE, g.id)) { (texts.group_more) }
                        }
                    }
                }
            }
            @if !queue.dismissed.is_empty() {
                section.dismissed-groups {
                    h2 #dismissed { (texts.groups_dismissed_title) }
                    p.hint { (texts.groups_dismissed_hint) }
                    ul {
                        @for g in queue.dismissed {
                            li data-id=(g.id) {
                                a href=(paths::with_id(paths::GROUP_PAGE, g.id)) { (texts.quoted(&g.title)) }
                                " · " (Texts::fill(texts.group_count, &[&g.count]))
                                " " (dismiss_form(ctx, g))
                            }
                        }
                    }
                }
            }
        },
    )
}

/// Distinct phrasings a group shows in the queue; the rest are on its page.
const SHOWN_PHRASINGS: usize = 5;

/// One group: its phrasings (each movable to another group, or split off), and the actions.
pub fn group(
    ctx: &Ctx,
    g: &TypicalQuestion,
    similar: &[String],
    others: &[TypicalQuestion],
    knowledge: &Knowledge,
    done: Option<&str>,
    retired: Option<&str>,
) -> Markup {
    let texts = ctx.texts;
    let title = texts.quoted(&crate::text::clip(&g.title, super::LISTED_CHARS));
    let said = match done {
        Some("merged") => Some(texts.group_done_merged),
        Some("split") => Some(texts.group_done_split),
        Some("moved") => Some(texts.group_done_moved),
        Some("reopened") => Some(texts.group_done_reopened),
        Some("merged_into") => Some(texts.group_done_merged_into),
        _ => None,
    };
    layout(
        ctx,
        &title,
        html! {
            p.back { a href=(paths::GROUPS_PAGE) { (texts.back_to_groups) } }
            h1 { (super::listed_quoted(texts, &g.title)) }
            @if let Some(said) = said { p.status.saved role="status" { (said) } }
            @if g.state == GroupState::Dismissed { p.status.dismissed { (texts.group_is_dismissed) } }
            // Linked: which answer, and the way back (a link chosen by mistake); nothing else
            // is done to a group that is no longer in the queue.
            @if let (GroupState::Answered, Some(slug)) = (g.state, g.answer.as_deref()) {
                @if let Some(title) = retired {
                    p.status.linked {
                        (Texts::fill(texts.group_linked_retired, &[&title])) " "
                        a href=(paths::answer_link(paths::ANSWER_HISTORY, slug, None)) { (texts.history_link) }
                        " · "
                        a href=(format!("{}?group={}", paths::NEW_ANSWER_PAGE, g.id)) { (texts.group_write_button) }
                    }
                } @else {
                p.status.linked {
                    (texts.group_is_linked) " "
                    a href=(paths::answer_page_from_group(slug, g.id)) { (knowledge.get(slug).map_or(slug, |a| a.title.as_str())) }
                }
                }
                form.inline method="post" action=(paths::with_id(paths::GROUP_REOPEN_FORM, g.id)) {
                    (csrf_field(ctx))
                    button type="submit" { (texts.group_undo_link) }
                }
                // What the link holds, to read before undoing it (a group linked before its
                // questions were kept in it holds none to show).
                @if !g.questions.is_empty() {
                    p.meta.linked-figures { (figures(ctx, g)) }
                    h2 { (texts.group_phrasings) }
                    ul.phrasings {
                        @for (_, text) in &g.questions { li { (texts.quoted(text)) } }
                    }
                }
            } @else {
            p.meta { (figures(ctx, g)) }
            div.group-actions {
                (link_form(ctx, g, similar, knowledge, true))
                (write_form(ctx, g))
                (dismiss_form(ctx, g))
            }
            // With no other group, there is nothing to merge with or move to.
            @if !others.is_empty() {
                form.inline.merge method="post" action=(paths::with_id(paths::GROUP_MERGE_FORM, g.id)) {
                    (csrf_field(ctx))
                    // The most similar group first; nothing chosen until the editor chooses, so
                    // that one click never merges into a guess.
                    label { (texts.group_merge_into) " "
                        select name="into" required {
                            option value="" selected { (texts.group_choose_group) }
                            @for o in others { option value=(o.id) { "#" (o.id) " " (texts.quoted(&crate::text::clip(&o.title, OPTION_CHARS))) " (" (o.count) ")" } }
                        }
                    }
                    " " button type="submit" data-confirm=(texts.group_merge_confirm) { (texts.group_merge_button) }
                }
            }
            h2 { (texts.group_phrasings) }
            form #split data-keep method="post" action=(paths::with_id(paths::GROUP_SPLIT_FORM, g.id)) {
                (csrf_field(ctx))
                ul.phrasings.choosable {
                    @for (id, text) in &g.questions {
                        li { label { input type="checkbox" name="question" value=(id); " " (texts.quoted(text)) } }
                    }
                }
                button type="submit" { (texts.group_split_button) }
            }
            @if !others.is_empty() {
                h2 { (texts.group_move_title) }
                @for (id, text) in &g.questions {
                    form.inline.move method="post" action=(paths::with_id(paths::QUESTION_GROUP_FORM, *id)) {
                        (csrf_field(ctx))
                        input type="hidden" name="from" value=(g.id);
                        (super::listed_quoted(texts, text)) " → "
                        select name="group" aria-label=(texts.group_move_to) required {
                            option value="" selected { (texts.group_choose_group) }
                            @for o in others { option value=(o.id) { "#" (o.id) " " (texts.quoted(&crate::text::clip(&o.title, OPTION_CHARS))) } }
                        }
                        " " button type="submit" { (texts.group_move_button) }
                    }
                    br;
                }
            }
            }
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grouping::GroupState;

    #[test]
    fn the_queue_shows_each_wording_once_with_how_often_it_came() {
        let at = chrono::Utc::now();
        let g = TypicalQuestion {
            id: 1,
            state: GroupState::Open,
            title: "вы обслуживаете 1С?".into(),
            count: 4,
            primary: 4,
            secondary: 0,
            recent: 4,
            first_asked: at,
            last_asked: at,
            questions: Vec::new(),
            wordings: vec![
                ("Вы обслуживаете 1С?".into(), 1),
                ("вы обслуживаете 1с".into(), 5),
                ("нужен счёт на обслуживание".into(), 2),
                ("вы обслуживаете 1С?".into(), 1),
            ],
            answer: None,
        };
        assert_eq!(
            distinct_phrasings(&g, 5),
            [
                ("Вы обслуживаете 1С?", 7),
                ("нужен счёт на обслуживание", 2)
            ]
        );
        assert_eq!(distinct_phrasings(&g, 1).len(), 1);
    }
}
