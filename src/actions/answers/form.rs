//! An answer as the editors' form has it: its fields turned into the file's text (or what is
//! wrong with each field, checked by the same rules as `callfaq check`), the preview of what
//! the operator will see, and a new answer written from the form or from a group.

use super::super::{groups, ActionError, Actor, Result, Thing};
use crate::app::App;
use crate::fields::FieldProblem;
pub use crate::knowledge::edit::AnswerFields;
use crate::knowledge::edit::{self, Source};
use crate::knowledge::write::{self, Draft};
use crate::knowledge::{markdown, Audience, Problem, MAX_FILE_BYTES};

/// What is wrong, by field (`title`, `questions`, `audience`, `tags`, `reviewed`, `body`, `slug`).
pub type FieldProblems = Vec<(&'static str, FieldProblem)>;

/// The lines of the front matter `write::render` writes, by field: a problem on one of them is
/// shown beside that field.
const FRONT_LINES: [&str; 7] = [
    "body",
    "body",
    "title",
    "questions",
    "audience",
    "tags",
    "reviewed",
];

/// `check`'s problems by field: by the line they are on when the text came from the form.
pub fn by_field(problems: &[Problem], from_form: bool) -> FieldProblems {
    problems
        .iter()
        .map(|p| {
            let field = match p.line {
                Some(line) if from_form && line < FRONT_LINES.len() => FRONT_LINES[line],
                _ => "body",
            };
            (field, FieldProblem::Check(p.line, p.issue.clone()))
        })
        .collect()
}

/// The file text of the fields, as the answer `slug`, or what is wrong with them by field.
pub fn compose(
    app: &App,
    fields: &AnswerFields,
    slug: &str,
) -> std::result::Result<String, FieldProblems> {
    let mut problems: FieldProblems = Vec::new();
    let title = fields.title.trim();
    if title.is_empty() {
        problems.push(("title", FieldProblem::Required));
    } else if title.chars().count() > crate::calls::MAX_FIELD_CHARS {
        problems.push((
            "title",
            FieldProblem::TooLong(crate::calls::MAX_FIELD_CHARS),
        ));
    }
    let reviewed = chrono::NaiveDate::parse_from_str(fields.reviewed.trim(), "%Y-%m-%d");
    match reviewed {
        Err(_) => problems.push(("reviewed", FieldProblem::ExpectedDate)),
        // Checked on a day to come, an answer would never be due for review.
        Ok(day) if day > app.clock.today() + chrono::Duration::days(1) => {
            problems.push(("reviewed", FieldProblem::TooFarAhead))
        }
        Ok(_) => {}
    }
    if fields.audience.is_none() {
        problems.push((
            "audience",
            FieldProblem::ExpectedOneOf(&["primary", "secondary", "all"]),
        ));
    }
    if fields.body.trim().is_empty() {
        problems.push(("body", FieldProblem::Required));
    }
    let library = app.shelf.current();
    if let Some(other) = library
        .knowledge
        .with_title(title)
        .filter(|a| a.slug != slug && !title.is_empty())
    {
        problems.push(("title", FieldProblem::TitleTaken(other.slug.clone())));
    }
    let (Ok(reviewed), true) = (reviewed, problems.is_empty()) else {
        return Err(problems);
    };
    // A phrasing typed twice (whatever its case, spaces and ё) is kept once.
    let mut seen = std::collections::HashSet::new();
    let questions = fields
        .questions
        .lines()
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
        .filter(|l| {
            seen.insert(crate::text::normalize(
                &l.split_whitespace().collect::<Vec<_>>().join(" "),
            ))
        })
        .collect();
    let draft = Draft {
        title: title.to_string(),
        questions,
        audience: fields.audience.unwrap_or(Audience::All),
        tags: fields
            .tags
            .split(',')
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
            .collect(),
        reviewed,
        body: Some(fields.body.clone()),
    };
    let mut text = write::render(&draft);
    // Comments an editor wrote in the file by hand stay in it.
    if let Ok(Some(current)) = edit::read(app.shelf.dir(), slug) {
        text = edit::keep_comments(&current.text, &text);
    }
    edit::check(&library.knowledge, app.shelf.dir(), slug, &text)
        .map(|_| text)
        .map_err(|problems| by_field(&problems, true))
}

/// The body rendered as the answer page shows it; `None` when it is over the size of an answer
/// file or nests too deep (what a save refuses anyway), so that no preview costs more than a
/// bounded moment.
pub fn rendered(body: &str) -> Option<String> {
    markdown::preview(body, MAX_FILE_BYTES as usize)
}

/// What the editor's live preview shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preview {
    /// The body as the answer page shows it (empty when it cannot be rendered in a moment).
    pub html: String,
    /// What a save would refuse, by field.
    pub problems: FieldProblems,
    /// A slug proposed from the title.
    pub proposed_slug: Option<String>,
}

/// Which answer a preview is of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Previewed<'a> {
    /// The answer with this slug, being edited.
    Answer(&'a str),
    /// A new answer, with the slug typed for it (empty: proposed from the title).
    New(&'a str),
}

/// The preview of the fields as the answer `of` would be saved.
pub fn preview(app: &App, fields: &AnswerFields, of: Previewed<'_>) -> Preview {
    let title = fields.title.trim();
    let proposed_slug = (!title.is_empty()).then(|| write::slug_from_title(title));
    let (slug, mut problems): (_, FieldProblems) = match of {
        Previewed::Answer(slug) => (
            Some(slug.trim()).filter(|s| write::valid_slug(s)),
            Vec::new(),
        ),
        Previewed::New(typed) => {
            // The name the file would have, checked as a save checks it.
            let name = Some(typed.trim())
                .filter(|t| !t.is_empty())
                .or(proposed_slug.as_deref());
            let problem = name.and_then(|n| new_slug_problem(app, n).ok().flatten());
            (None, problem.map(|p| ("slug", p)).into_iter().collect())
        }
    };
    let slug = slug.unwrap_or("new-answer-preview");
    problems.extend(compose(app, fields, slug).err().unwrap_or_default());
    Preview {
        html: rendered(&fields.body).unwrap_or_default(),
        problems,
        proposed_slug,
    }
}

/// What is wrong with `slug` as a new answer's: its form, or an answer (or a retired one)
/// that has it.
fn new_slug_problem(app: &App, slug: &str) -> Result<Option<FieldProblem>> {
    if let Some(problem) = super::slug_problem(slug) {
        return Ok(Some(problem));
    }
    let taken =
        app.shelf.current().knowledge.get(slug).is_some() || super::source(app, slug)?.is_some();
    if taken {
        return Ok(Some(FieldProblem::SlugTaken(slug.to_string())));
    }
    Ok(super::retired_title(app, slug)?.map(FieldProblem::SlugRetired))
}

/// The group a new answer's form was opened for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForGroup {
    /// The group.
    pub id: i64,
    /// Where it stands: only a group in the queue is linked to the answer written.
    pub state: crate::grouping::GroupState,
    /// The answer it is linked to, when it is.
    pub answer: Option<String>,
    /// That answer's title, when it was retired since: the group takes the new answer.
    pub retired: Option<String>,
}

/// A new answer's draft: from the group `group` when given (its phrasings, the audience its
/// calls had), with `title` if typed.
pub fn new_draft(
    app: &App,
    group: Option<i64>,
    title: Option<&str>,
) -> Result<(Draft, Option<ForGroup>)> {
    let today = app.clock.today();
    let title = title
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string);
    match group {
        Some(id) => {
            let g = groups::one(app, id)?;
            let title = title.unwrap_or_else(|| g.proposed_title());
            let draft = groups::draft(&g, title, today);
            let group = ForGroup {
                id: g.id,
                state: g.state,
                retired: groups::retired_answer(app, &g)?,
                answer: g.answer,
            };
            Ok((draft, Some(group)))
        }
        None => Ok((
            Draft {
                title: title.unwrap_or_default(),
                questions: Vec::new(),
                audience: Audience::All,
                tags: Vec::new(),
                reviewed: today,
                body: None,
            },
            None,
        )),
    }
}

/// Writes a new answer from the form as `slug` (proposed from the title when empty), and links
/// the group it was written for; the slug, or what is wrong by field.
pub fn create(
    app: &App,
    actor: &Actor,
    slug: &str,
    fields: &AnswerFields,
    group: Option<i64>,
) -> Result<std::result::Result<String, FieldProblems>> {
    let slug = if slug.trim().is_empty() {
        write::slug_from_title(fields.title.trim())
    } else {
        slug.trim().to_string()
    };
    let mut problems: FieldProblems = Vec::new();
    if let Some(problem) = new_slug_problem(app, &slug)? {
        problems.push(("slug", problem));
    }
    let text = match (compose(app, fields, &slug), problems.is_empty()) {
        (Ok(text), true) => text,
        (result, _) => {
            problems.extend(result.err().unwrap_or_default());
            return Ok(Err(problems));
        }
    };
    match super::save(app, actor, &slug, &text, None) {
        Ok(_) => {}
        Err(ActionError::Conflict(_)) => {
            return Ok(Err(vec![("slug", FieldProblem::SlugTaken(slug))]));
        }
        Err(ActionError::Rejected(problems)) => return Ok(Err(by_field(&problems, true))),
        Err(e) => return Err(e),
    }
    if let Some(group) = group {
        // A group whose answer was retired takes this one instead.
        groups::reopen_if_retired(app, actor, group)?;
        match groups::link(app, actor, group, &slug) {
            Ok(()) => {}
            // Linked, merged or gone meanwhile (a colleague was quicker): the answer written
            // stands, and the group is where the colleague put it.
            Err(ActionError::NotFound(..)) => actor.audit(
                app,
                "group",
                format!("group {group} not linked to {slug}: no longer in the queue"),
            ),
            Err(e) => return Err(e),
        }
    }
    Ok(Ok(slug))
}

/// A broken answer file, as editors are shown it.
#[derive(Debug, Clone)]
pub struct Broken {
    /// The file, relative to the knowledge folder.
    pub file: String,
    /// The slug its edit page has, when it can have one.
    pub slug: Option<String>,
    /// The 1-based line, where it applies.
    pub line: Option<usize>,
    /// What is wrong.
    pub issue: crate::knowledge::Issue,
}

/// What the review page shows.
#[derive(Debug, Clone, Default)]
pub struct Review {
    /// Answers not checked for `days` days, oldest first: slug, title, reviewed.
    pub due: Vec<(String, String, chrono::NaiveDate)>,
    /// Retired answers: slug, title.
    pub retired: Vec<(String, String)>,
    /// Files the served folder could not read, or read only in part, with what is wrong.
    pub broken: Vec<Broken>,
}

/// The answers due for review, the retired ones, and the broken files.
pub fn review(app: &App, days: i64) -> Result<Review> {
    let due = super::due_for_review(app, days);
    let library = app.shelf.current();
    let retired = app
        .store
        .removed_answers()?
        .into_iter()
        .filter(|r| library.knowledge.get(&r.slug).is_none())
        .map(|r| {
            let title = r
                .text
                .as_deref()
                .and_then(edit::draft_of)
                .map_or_else(|| r.slug.clone(), |d| d.title);
            (r.slug, title)
        })
        .collect();
    let dir = app.shelf.dir();
    let broken = library
        .problems
        .iter()
        .map(|p| {
            let slug = crate::knowledge::slug_of(dir, &p.path);
            let editable = p.path.extension().is_some_and(|e| e == "md")
                && crate::knowledge::served_slug(&slug);
            Broken {
                file: p
                    .path
                    .strip_prefix(dir)
                    .unwrap_or(&p.path)
                    .display()
                    .to_string(),
                slug: editable.then_some(slug),
                line: p.line,
                issue: p.issue.clone(),
            }
        })
        .collect();
    Ok(Review {
        due,
        retired,
        broken,
    })
}

/// What is wrong with an answer's text as it is on disk (the check a save applies), if
/// anything; each problem with its line.
pub fn problems_of(app: &App, source: &Source) -> Vec<Problem> {
    let library = app.shelf.current();
    edit::check(
        &library.knowledge,
        app.shelf.dir(),
        &source.slug,
        &source.text,
    )
    .err()
    .unwrap_or_default()
}

/// The answer's file as it is now; not found when there is none.
pub fn current_source(app: &App, slug: &str) -> Result<Source> {
    super::source(app, slug)?.ok_or_else(|| ActionError::not_found(Thing::Answer, slug))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::Role;
    use crate::actions::testing;

    fn fields(title: &str, body: &str) -> AnswerFields {
        AnswerFields {
            title: title.into(),
            questions: "как заказать\n\nсколько ждать".into(),
            audience: Some(Audience::Primary),
            tags: "цены, сроки".into(),
            reviewed: "2026-11-20".into(),
            body: body.into(),
        }
    }

    #[test]
    fn a_form_becomes_a_file_or_says_what_is_wrong_by_field() {
        let t = testing::app();
        let text = compose(
            &t.app,
            &fields("Как заказать?", "**Скажите клиенту:** так."),
            "order",
        )
        .unwrap();
        assert!(text.contains("title = \"Как заказать?\""), "{text}");
        let twice = AnswerFields {
            questions: "как заказать\nсколько ждать\nКак  заказать".into(),
            ..fields("Как заказать?", "**Скажите клиенту:** так.")
        };
        let text = compose(&t.app, &twice, "order").unwrap();
        assert!(
            text.contains(r#"questions = ["как заказать", "сколько ждать"]"#),
            "a phrasing typed twice is kept once: {text}"
        );
        let wrong = AnswerFields {
            reviewed: "вчера".into(),
            audience: None,
            ..fields("", "")
        };
        let problems = compose(&t.app, &wrong, "order").unwrap_err();
        let named: Vec<&str> = problems.iter().map(|(f, _)| *f).collect();
        for field in ["title", "reviewed", "audience", "body"] {
            assert!(named.contains(&field), "{field} in {named:?}");
        }
        // Checked on a day to come: it would never be due for review.
        let ahead = AnswerFields {
            reviewed: "2099-01-01".into(),
            ..fields("Как заказать?", "**Скажите клиенту:** так.")
        };
        let problems = compose(&t.app, &ahead, "order").unwrap_err();
        assert_eq!(problems, vec![("reviewed", FieldProblem::TooFarAhead)]);
        let deep = fields("Глубоко", &format!("{}x", "> ".repeat(100)));
        let problems = compose(&t.app, &deep, "deep").unwrap_err();
        assert!(problems
            .iter()
            .any(|(f, p)| *f == "body" && matches!(p, FieldProblem::Check(Some(_), _))));
        assert_eq!(preview(&t.app, &deep, Previewed::New("")).html, "");
    }

    #[test]
    fn comments_written_in_the_file_by_hand_survive_a_save_from_the_form() {
        let t = testing::app();
        let by_hand = "+++\n# Ответственный: Михаил, отдел продаж\ntitle = \"Как заказать?\"\n\
                       questions = [\"где # номер\"] # как их спрашивают\n\
                       audience = \"all\"  # и новым, и старым\n   # сверить цены в январе\n\
                       tags = []\nreviewed = 2026-10-01\n+++\nСтарый текст.\n";
        std::fs::write(t.app.shelf.dir().join("commented.md"), by_hand).unwrap();
        let text = compose(
            &t.app,
            &fields("Как заказать?", "**Скажите клиенту:** так."),
            "commented",
        )
        .unwrap();
        let front: Vec<&str> = text.split("+++").nth(1).unwrap().lines().collect();
        assert!(
            front.contains(&"# Ответственный: Михаил, отдел продаж"),
            "{text}"
        );
        assert!(front.contains(&"   # сверить цены в январе"), "{text}");
        assert!(
            front.contains(&"audience = \"primary\"  # и новым, и старым"),
            "a key's own comment stays on its line: {text}"
        );
        assert!(
            front
                .iter()
                .any(|l| l.starts_with("questions = [") && l.ends_with("]  # как их спрашивают")),
            "{text}"
        );
        assert!(
            text.contains("reviewed = 2026-11-20") && text.contains("так."),
            "{text}"
        );
        // A new answer's form has no file to keep comments from.
        let new = compose(&t.app, &fields("Новый", "Текст."), "new-one").unwrap();
        assert!(!new.contains('#'), "{new}");
    }

    #[test]
    fn a_retired_answers_name_is_not_taken_by_a_new_answer_nor_a_rename() {
        let t = testing::app();
        let editor = Actor::person("elena", Role::Editor);
        super::super::retire(&t.app, &editor, "printer").unwrap();
        let f = fields(
            "Как сдать ноутбук на утилизацию?",
            "**Скажите клиенту:** так.",
        );
        let refused = create(&t.app, &editor, "printer", &f, None).unwrap();
        let retired =
            |p: &FieldProblem| matches!(p, FieldProblem::SlugRetired(title) if !title.is_empty());
        assert!(
            matches!(&refused, Err(p) if p.iter().any(|(f, p)| *f == "slug" && retired(p))),
            "{refused:?}"
        );
        let said = preview(&t.app, &f, Previewed::New("printer")).problems;
        assert!(
            said.iter().any(|(f, p)| *f == "slug" && retired(p)),
            "{said:?}"
        );
        let renamed = super::super::rename(&t.app, &editor, "remote-admin", "printer");
        assert!(
            matches!(&renamed, Err(ActionError::Invalid(e)) if retired(&e.problem)),
            "{renamed:?}"
        );
        assert!(t.app.shelf.current().knowledge.get("printer").is_none());
        // Nor a whole file put under that name (the editors' API).
        let text = compose(&t.app, &f, "printer").unwrap();
        let put = super::super::save(&t.app, &editor, "printer", &text, None);
        assert!(
            matches!(&put, Err(ActionError::Invalid(e)) if retired(&e.problem)),
            "{put:?}"
        );
        // Another name is free.
        assert!(create(&t.app, &editor, "laptop-recycling", &f, None)
            .unwrap()
            .is_ok());
    }

    #[test]
    fn a_new_answer_is_written_once_and_its_slug_then_taken() {
        let t = testing::app();
        let editor = Actor::person("lena", Role::Editor);
        let f = fields("Как заказать доставку?", "**Скажите клиенту:** так.");
        let slug = create(&t.app, &editor, "", &f, None).unwrap().unwrap();
        assert!(t.app.shelf.current().knowledge.get(&slug).is_some());
        let other = fields("Другое?", "**Скажите клиенту:** иначе.");
        let again = create(&t.app, &editor, &slug, &other, None).unwrap();
        assert!(matches!(again, Err(p) if p.iter().any(|(f, _)| *f == "slug")));
        // The preview says so before the save: of the typed name, and of the one the title
        // proposes when none is typed; the answer itself, edited, is no conflict.
        let slug_problem = |of| {
            preview(&t.app, &other, of)
                .problems
                .into_iter()
                .find(|(f, _)| *f == "slug")
                .map(|(_, p)| p)
        };
        assert_eq!(
            slug_problem(Previewed::New(&slug)),
            Some(FieldProblem::SlugTaken(slug.clone()))
        );
        assert_eq!(slug_problem(Previewed::Answer(&slug)), None);
        assert_eq!(slug_problem(Previewed::New("drugoe-2")), None);
        assert_eq!(
            slug_problem(Previewed::New("prices/edit")),
            Some(FieldProblem::ReservedSlug("edit"))
        );
        assert_eq!(
            slug_problem(Previewed::New("Цены")),
            Some(FieldProblem::BadSlug)
        );
        let same_title = fields("Как заказать доставку?", "**Скажите клиенту:** так.");
        assert_eq!(
            preview(&t.app, &same_title, Previewed::New(""))
                .problems
                .iter()
                .find(|(f, _)| *f == "slug")
                .map(|(_, p)| p.clone()),
            Some(FieldProblem::SlugTaken(slug.clone()))
        );
        let reserved = create(&t.app, &editor, "history", &other, None).unwrap();
        assert!(
            matches!(&reserved, Err(p) if p.contains(&("slug", FieldProblem::ReservedSlug("history")))),
            "{reserved:?}"
        );
        let audit = t.app.store.audit_log(5, None).unwrap();
        assert!(audit
            .iter()
            .any(|e| e.subject.contains(&slug) && e.actor == "lena"));
    }
}
