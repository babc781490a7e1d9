//! The editors' workbench pages: an answer's edit form with its live preview (and the two texts
//! side by side after a conflict), a new answer, the history with its diffs and restore, and the
//! answers due for review.

use super::answer::audience_label;
use super::{csrf_field, layout, Ctx};
use crate::actions::answers::form::Review;
use crate::i18n::Texts;
use crate::knowledge::edit::{self, AnswerFields, FieldNames, Line, Source};
use crate::knowledge::history::Revision;
use crate::knowledge::Audience;
use crate::paths;
use maud::{html, Markup, PreEscaped};

/// What was just done to the answer, for the notice over the form (`?saved=…`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Saved {
    /// Its text saved.
    Text,
    /// Its file renamed.
    Renamed,
    /// Marked checked today.
    Reviewed,
}

impl Saved {
    /// The word in the page's address.
    pub fn as_str(self) -> &'static str {
        match self {
            Saved::Text => "text",
            Saved::Renamed => "renamed",
            Saved::Reviewed => "reviewed",
        }
    }

    /// What a `saved` word says (an empty or unknown one: the text saved).
    pub fn parse(word: &str) -> Saved {
        [Saved::Renamed, Saved::Reviewed]
            .into_iter()
            .find(|s| s.as_str() == word)
            .unwrap_or(Saved::Text)
    }
}

/// A group a new answer's form was opened for that is no longer in the queue: its answer is
/// written without a link to it, unless the answer it was linked to was retired since.
#[derive(Debug, Clone)]
pub struct ClosedGroup {
    /// The group.
    pub id: i64,
    /// Linked, dismissed or merged.
    pub state: crate::grouping::GroupState,
    /// The answer it is linked to: title and slug.
    pub answer: Option<(String, String)>,
    /// The title of the answer it was linked to, retired since: the new answer takes its place.
    pub retired: Option<String>,
}

/// What the edit form shows: the fields as last typed (or as the file has them), what is wrong,
/// and a conflict if the save met one.
#[derive(Debug, Clone, Default)]
pub struct EditForm {
    /// The answer; `None` for a new one.
    pub slug: Option<String>,
    /// A new answer's file name, as typed or proposed.
    pub new_slug: String,
    /// The group a new answer is written for.
    pub group: Option<i64>,
    /// The group the form was opened for, when it is no longer in the queue.
    pub group_closed: Option<ClosedGroup>,
    /// The version the form was opened at.
    pub version: String,
    /// What the editor typed.
    pub fields: AnswerFields,
    /// The body rendered as the answer page shows it (sanitized).
    pub preview: String,
    /// Problems by field (`title`, `questions`, `audience`, `tags`, `reviewed`, `body`, `slug`).
    pub problems: Vec<(String, String)>,
    /// The save met a newer file (or none).
    pub conflict: Option<Option<Source>>,
    /// Just saved, and how.
    pub saved: Option<Saved>,
    /// What is wrong with the file as it is on disk, said by line: (line, sentence).
    pub file_problems: Vec<(Option<usize>, String)>,
    /// The whole file, when its front matter cannot be read into the fields: edited as it is.
    pub raw: Option<String>,
    /// The answer's new name, when it was renamed while the form was open (the form saves
    /// there now).
    pub renamed_to: Option<String>,
    /// The answer was retired while the form was open: its text may go to a new answer.
    pub retired: bool,
    /// A new name refused: as typed, and why.
    pub rename: Option<(String, String)>,
    /// On a conflict, the file the editor's save would have written: shown against the file
    /// as it is now.
    pub conflict_mine: Option<String>,
}

impl EditForm {
    /// The form as submitted: its fields, a new answer's `slug`, the `group` it is written
    /// for and the `version` it was opened at.
    pub fn submitted(form: &std::collections::HashMap<String, String>) -> EditForm {
        EditForm {
            new_slug: form
                .get("slug")
                .map_or(String::new(), |s| s.trim().to_string()),
            group: form.get("group").and_then(|g| g.parse().ok()),
            version: form.get("version").cloned().unwrap_or_default(),
            fields: AnswerFields::of_form(form),
            ..EditForm::default()
        }
    }

    /// The form of an answer's file as it is.
    pub fn of_source(source: &Source) -> EditForm {
        EditForm {
            slug: Some(source.slug.clone()),
            version: source.version.clone(),
            fields: AnswerFields::of_source(source),
            ..EditForm::default()
        }
    }

    fn problem(&self, field: &str) -> Markup {
        html! {
            @for (f, message) in &self.problems {
                @if f == field { span.field-problem role="alert" { (message) } }
            }
        }
    }
}

fn field_label(text: &str, form: &EditForm, field: &str) -> Markup {
    html! { span { (text) } (form.problem(field)) }
}

/// The edit form, or a new answer's.
pub fn edit(ctx: &Ctx, form: &EditForm, max_kb: u64) -> Markup {
    let t = ctx.texts;
    let title = match &form.slug {
        // A file whose front matter cannot be read has no title: named by its file.
        Some(slug) if form.fields.title.trim().is_empty() => Texts::fill(t.edit_title, &[slug]),
        Some(_) => Texts::fill(t.edit_title, &[&form.fields.title]),
        None => t.new_answer_title.to_string(),
    };
    let action = match &form.slug {
        Some(slug) => paths::answer_link(paths::ANSWER_EDIT, slug, None),
        None => paths::NEW_ANSWER_PAGE.to_string(),
    };
    // A new answer's name refused: the cursor goes there.
    let slug_refused = form.slug.is_none() && form.problems.iter().any(|(f, _)| f == "slug");
    layout(
        ctx,
        &title,
        html! {
            h1 { (title) }
            // An answer whose file is gone has no page to go back to, only its history.
            @if let (Some(slug), false) = (&form.slug, matches!(form.conflict, Some(None))) {
                p.report-nav {
                    a href=(paths::answer_page(slug)) { (t.back_to_answer) }
                    " · "
                    a href=(paths::answer_link(paths::ANSWER_HISTORY, slug, None)) { (t.history_link) }
                }
            }
            @if let Some(saved) = form.saved {
                p.notice role="status" { (match saved {
                    Saved::Text => t.edit_saved,
                    Saved::Renamed => t.edit_saved_renamed,
                    Saved::Reviewed => t.edit_saved_reviewed,
                }) }
            }
            @if !form.file_problems.is_empty() {
                section.broken-file role="alert" {
                    h2 { (t.edit_file_broken) }
                    ul {
                        @for (line, sentence) in &form.file_problems {
                            li { @if let Some(line) = line { strong { (Texts::fill(t.edit_line, &[line])) } " " } (sentence) }
                        }
                    }
                    @if form.raw.is_some() { p { (t.edit_raw_hint) } }
                }
            }
            @if let Some(g) = &form.group_closed { (closed_group(t, g)) }
            @if !form.problems.is_empty() { p.error role="alert" { (t.edit_problems) } }
            @if let Some(current) = &form.conflict {
                section.conflict role="alert" {
                    h2 { (t.edit_conflict_title) }
                    @match (current, &form.renamed_to) {
                        (Some(_), Some(to)) => p { (Texts::fill(t.edit_conflict_renamed, &[to])) },
                        (Some(_), None) => p { (t.edit_conflict_text) },
                        (None, _) if form.retired => {
                            p { (t.edit_conflict_retired) }
                            @if let Some(slug) = &form.slug {
                                p { a href=(paths::answer_link(paths::ANSWER_HISTORY, slug, None)) { (t.history_link) } }
                            }
                        }
                        (None, _) => p { (t.edit_conflict_gone) },
                    }
                }
            }
            div.workbench {
                form.editor #editor data-keep="editor" method="post" action=(action) data-preview=(paths::API_PREVIEW) data-slug=[form.slug.as_deref()]
                    data-max-bytes=(max_kb * 1024) data-too-large=(Texts::fill(t.edit_too_large, &[&max_kb])) {
                    (csrf_field(ctx))
                    input type="hidden" name="version" value=(form.version);
                    @if let Some(group) = form.group { input type="hidden" name="group" value=(group); }
                    @if let Some(text) = &form.raw {
                        label.wide { (t.edit_field_file)
                            textarea #edit-raw name="text" rows="24" spellcheck="false" autofocus { (text) }
                        }
                        div.actions { button type="submit" accesskey="s" { (t.edit_save) } }
                    } @else {
                    label.wide { (field_label(t.edit_field_title, form, "title"))
                        input #edit-title type="text" name="title" value=(form.fields.title) required maxlength="2000" autocomplete="off" autofocus[form.slug.is_none() && !slug_refused];
                    }
                    @if form.slug.is_none() {
                        label.wide { (field_label(t.edit_field_slug, form, "slug"))
                            input #edit-slug type="text" name="slug" value=(form.new_slug) autocomplete="off" pattern="[a-z0-9\\/\\-]+" autofocus[slug_refused];
                        }
                    }
                    label.wide { (field_label(t.edit_field_questions, form, "questions"))
                        textarea #edit-questions name="questions" rows="4" { (form.fields.questions) }
                    }
                    div.fields {
                        label { (field_label(t.edit_field_audience, form, "audience"))
                            select name="audience" {
                                @for a in [Audience::Primary, Audience::Secondary, Audience::All] {
                                    option value=(a.as_str()) selected[form.fields.audience == Some(a)] { (audience_label(t, a)) }
                                }
                            }
                        }
                        label { (field_label(t.edit_field_tags, form, "tags"))
                            input type="text" name="tags" value=(form.fields.tags) autocomplete="off";
                        }
                        label { (field_label(t.edit_field_reviewed, form, "reviewed"))
                            input type="date" name="reviewed" value=(form.fields.reviewed) max="9999-12-31" required;
                        }
                    }
                    label.wide { (field_label(t.edit_field_body, form, "body"))
                        textarea #edit-body name="body" rows="18" spellcheck="true" { (form.fields.body) }
                    }
                    p.edit-size.error #edit-size hidden {}
                    div.actions {
                        @if form.retired {
                            // The old name is not to be taken again: the new answer's form
                            // proposes a name from the title, and says if it must differ.
                            button.primary type="submit" accesskey="s" formaction=(paths::NEW_ANSWER_PAGE) { (t.edit_save_as_new) }
                        } @else {
                        button type="submit" accesskey="s" { @if form.slug.is_some() { (t.edit_save) } @else { (t.edit_create) } }
                        }
                    }
                    }
                }
                // A file edited whole has no preview: operators see its last good version.
                @if form.raw.is_none() {
                section.preview aria-live="polite" {
                    h2 { (t.edit_preview) " " span.muted #preview-state hidden { (t.edit_preview_updating) } }
                    article.answer {
                        h1 #preview-title { (form.fields.title) }
                        // Rendered by the answer pipeline and sanitized on the server.
                        div.answer-body #preview-body { (PreEscaped(&form.preview)) }
                    }
                }
                }
                @if let Some(Some(current)) = &form.conflict {
                    section.conflict-current {
                        @if let Some(mine) = &form.conflict_mine {
                            // As an editor reads both (fields by name, a phrasing a line): what
                            // the other save changed is what differs, the rest is shared.
                            @let names = field_names(t);
                            @let (theirs, mine) = (edit::readable(&current.text, &names), edit::readable(mine, &names));
                            h2 { (t.edit_conflict_compared) }
                            p.muted { (t.edit_conflict_legend) }
                            (diff_table(&edit::diff(&theirs, &mine)))
                            details {
                                summary { (t.edit_conflict_current) }
                                textarea readonly rows="24" aria-label=(t.edit_conflict_current) { (current.text) }
                            }
                        } @else {
                            h2 { (t.edit_conflict_current) }
                            textarea readonly rows="24" aria-label=(t.edit_conflict_current) { (current.text) }
                        }
                    }
                }
            }
            // Nothing more is done to an answer whose file is gone.
            @if let (Some(slug), false) = (&form.slug, matches!(form.conflict, Some(None))) {
                section.edit-more {
                    form.inline method="post" action=(paths::answer_link(paths::ANSWER_REVIEWED, slug, None)) {
                        (csrf_field(ctx))
                        button type="submit" { (t.edit_mark_reviewed) }
                    }
                    h2 { (t.edit_rename_title) }
                    p.muted { (t.edit_rename_text) }
                    form.inline method="post" action=(paths::answer_link(paths::ANSWER_RENAME, slug, None)) {
                        (csrf_field(ctx))
                        @let (typed, why) = match &form.rename {
                            Some((typed, why)) => (typed.as_str(), Some(why)),
                            None => (slug.as_str(), None),
                        };
                        label {
                            span { (t.edit_rename_to) @if let Some(why) = why { " " span.field-problem role="alert" { (why) } } }
                            " " input type="text" name="to" value=(typed) pattern="[a-z0-9\\/\\-]+" required
                                aria-invalid=[why.map(|_| "true")] autofocus[why.is_some()];
                        }
                        " " button type="submit" { (t.edit_rename_button) }
                    }
                    h2 { (t.edit_retire_title) }
                    p.muted { (t.edit_retire_text) }
                    form.inline method="post" action=(paths::answer_link(paths::ANSWER_RETIRE, slug, None)) {
                        (csrf_field(ctx))
                        button.danger type="submit" data-confirm=(t.edit_retire_confirm) { (t.edit_retire_button) }
                    }
                }
            }
        },
    )
}

/// An answer's fields by the names the desk reads them by, to compare its versions
/// ([`edit::readable`]).
pub fn field_names(t: &Texts) -> FieldNames<'static> {
    FieldNames {
        title: t.report_col_question,
        questions: t.also_asked,
        audience: t.edit_field_audience,
        audiences: [Audience::Primary, Audience::Secondary, Audience::All]
            .map(|a| (a, audience_label(t, a))),
        tags: t.tags,
        reviewed: t.reviewed,
        day_format: t.day_format(),
    }
}

fn diff_table(lines: &[Line<'_>]) -> Markup {
    html! {
        table.diff {
            @for line in lines {
                @match line {
                    Line::Same(l) => tr.same { td.mark { " " } td { (l) } },
                    Line::Removed(l) => tr.removed { td.mark { "−" } td { del { (l) } } },
                    Line::Added(l) => tr.added { td.mark { "+" } td { ins { (l) } } },
                }
            }
        }
    }
}

/// How an answer stands as its history is shown: in search (`live`), and whether an old
/// version was just made the current one (`restored`, said atop the page).
#[derive(Debug, Clone, Copy)]
pub struct Standing {
    /// The answer is in search.
    pub live: bool,
    /// A version was just restored.
    pub restored: bool,
}

/// An answer's history, newest first; `shown` is the version whose changes are shown, with
/// `lines` its diff against the version before (`None`: the first version, or removed).
pub fn history(
    ctx: &Ctx,
    slug: &str,
    title: &str,
    versions: &[Revision],
    shown: Option<&Revision>,
    lines: Option<&[Line<'_>]>,
    standing: Standing,
) -> Markup {
    let live = standing.live;
    let t = ctx.texts;
    let heading = Texts::fill(t.history_title, &[&title]);
    let newest = versions.first().map(|v| v.id);
    // Versions are numbered per answer, the first 1 (their ids count every answer's versions);
    // the list is newest first.
    let number = |id: i64| {
        versions
            .iter()
            .position(|v| v.id == id)
            .map_or(0, |i| versions.len() - i)
    };
    layout(
        ctx,
        &heading,
        html! {
            h1 { (heading) }
            @if standing.restored { p.status.saved role="status" { (t.history_restored) } }
            p.report-nav {
                @if live {
                    a href=(paths::answer_page(slug)) { (t.back_to_answer) }
                    " · "
                    a href=(paths::answer_link(paths::ANSWER_EDIT, slug, None)) { (t.edit_link) }
                } @else {
                    a href=(paths::REVIEW_PAGE) { (t.nav_review) }
                }
            }
            @if let Some(v) = shown {
                section.diff-view {
                    @let first = v.text.is_some() && lines.is_none();
                    h2 { (Texts::fill(if first { t.history_first } else { t.history_diff_title }, &[&number(v.id)])) }
                    @match (&v.text, lines) {
                        (None, _) => p { (t.history_removed) },
                        (Some(_), Some(lines)) if lines.iter().all(|l| matches!(l, Line::Same(_))) => p { (t.history_no_changes) },
                        (Some(_), Some(lines)) => (diff_table(lines)),
                        (Some(text), None) => pre.source { (edit::readable(text, &field_names(t))) },
                    }
                }
            }
            h2 { (t.history_versions) }
            table.report.history {
                thead { tr {
                    th { (t.history_number) } th { (t.history_when) } th { (t.history_who) } th { (t.history_how) }
                    th { (t.history_col_changes) } th { (t.history_col_restore) }
                } }
                tbody {
                    @for v in versions {
                        tr.current[Some(v.id) == shown.map(|s| s.id)] {
                            td { (number(v.id)) }
                            td { (ctx.moment(v.at)) }
                            td { @match v.by.as_deref() {
                                Some(by) => (t.audit_actor(by)),
                                None => (t.history_on_disk),
                            } }
                            td {
                                (t.how(v.how))
                                // A restore names the version by its id: said by its number here.
                                @if let Some(note) = &v.note {
                                    @let note = match note.strip_prefix("version ").and_then(|id| id.parse::<i64>().ok()) {
                                        Some(id) if number(id) > 0 => format!("version {}", number(id)),
                                        _ => note.clone(),
                                    };
                                    " (" (t.version_note(&note)) ")"
                                }
                            }
                            td { a href=(format!("{}?diff={}", paths::answer_link(paths::ANSWER_HISTORY, slug, None), v.id)) { (t.history_show_diff) } }
                            td {
                                @if v.text.is_some() && (Some(v.id) != newest || !live) {
                                    form.inline method="post" action=(paths::answer_link(paths::ANSWER_RESTORE, slug, Some(v.id))) {
                                        (csrf_field(ctx))
                                        button type="submit" data-confirm=(t.history_restore_confirm) { (t.history_restore) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        },
    )
}

/// What was just done from the review page, said atop it.
#[derive(Debug, Clone, Copy)]
pub enum ReviewNotice<'a> {
    /// The answer of this slug was retired (said with the way back).
    Retired(&'a str),
    /// The answer of this title was marked checked today.
    Reviewed(&'a str),
}

/// Answers due for review, and the retired ones; `notice`: what was just done.
pub fn review(ctx: &Ctx, days: u32, review: &Review, notice: Option<ReviewNotice<'_>>) -> Markup {
    let (due, retired) = (&review.due, &review.retired);
    let t = ctx.texts;
    let just = match notice {
        Some(ReviewNotice::Retired(slug)) => retired.iter().find(|(s, _)| s == slug),
        _ => None,
    };
    layout(
        ctx,
        t.review_title,
        html! {
            h1 { (t.review_title) }
            @if let Some((slug, title)) = just {
                p.status.saved role="status" {
                    (Texts::fill(t.review_retired_now, &[&t.quoted(title)])) " "
                    a href=(paths::answer_link(paths::ANSWER_HISTORY, slug, None)) { (t.review_bring_back) }
                }
            }
            @if let Some(ReviewNotice::Reviewed(title)) = notice {
                p.status.saved role="status" { (Texts::fill(t.review_reviewed_now, &[&t.quoted(title)])) }
            }
            p.report-nav { a href=(paths::NEW_ANSWER_PAGE) { (t.new_answer_link) } }
            h2 { (t.review_broken) }
            @if review.broken.is_empty() {
                p.muted { (t.review_broken_none) }
            } @else {
                table.report.broken {
                    tbody {
                        @for b in &review.broken {
                            tr {
                                td { code { (b.file) } @if let Some(line) = b.line { " " (Texts::fill(t.edit_line, &[&line])) } }
                                td { (t.knowledge_issue(&b.issue)) }
                                td { @if let Some(slug) = &b.slug { a href=(paths::answer_link(paths::ANSWER_EDIT, slug, None)) { (t.review_fix) } } }
                            }
                        }
                    }
                }
            }
            h2 { (t.review_due) }
            p { (Texts::fill(t.review_text, &[&t.count(u64::from(days), t.days)])) }
            @if due.is_empty() {
                p.muted { (t.review_none) }
            } @else {
                table.report.review {
                    tbody {
                        @for (slug, title, reviewed) in due {
                            tr {
                                td { (ctx.day(*reviewed)) }
                                td { a href=(paths::answer_link(paths::ANSWER_EDIT, slug, None)) { (title) } }
                                td {
                                    form.inline method="post" action=(paths::answer_link(paths::ANSWER_REVIEWED, slug, None)) {
                                        (csrf_field(ctx))
                                        input type="hidden" name="back" value="review";
                                        button type="submit" { (t.edit_mark_reviewed) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            h2 { (t.review_retired) }
            @if retired.is_empty() {
                p.muted { (t.review_retired_none) }
            } @else {
                ul {
                    @for (slug, title) in retired {
                        li {
                            (title) " (" (slug) ") · "
                            a href=(paths::answer_link(paths::ANSWER_HISTORY, slug, None)) { (t.review_bring_back) }
                        }
                    }
                }
            }
        },
    )
}

/// Said atop a new answer's form opened for a group no longer in the queue.
fn closed_group(t: &Texts, g: &ClosedGroup) -> Markup {
    use crate::grouping::GroupState;
    let group = paths::with_id(paths::GROUP_PAGE, g.id);
    html! {
        p.notice role="status" {
            @match (&g.answer, g.state, &g.retired) {
                (_, _, Some(retired)) => {
                    (Texts::fill(t.group_linked_retired, &[retired]))
                    " " (t.new_answer_group_relinked)
                }
                (Some((title, slug)), _, _) => {
                    (t.new_answer_group_linked) " "
                    a href=(paths::answer_page(slug)) { "«" (title) "»" }
                    ". " (t.new_answer_group_unlinked)
                }
                (None, GroupState::Dismissed, _) => { (t.new_answer_group_dismissed) " " (t.new_answer_group_unlinked) }
                (None, _, _) => { (t.new_answer_group_merged) " " (t.new_answer_group_unlinked) }
            }
            " " a href=(group) { (t.new_answer_group_page) }
        }
    }
}
