//! The editors' queue of typical questions without an answer: the open groups, largest and
//! fastest-growing first, each with the answers its phrasing resembles; and what an editor does
//! with them: link a group to an answer, merge two, move a question, split some off, dismiss
//! one, or write a new answer pre-filled with the callers' phrasings. Every change is audited
//! and wakes the job that follows it up.

use super::{answers, search, ActionError, Actor, Result, Thing};
use crate::app::App;
use crate::fields::{FieldError, FieldProblem};
use crate::grouping::{GroupState, TypicalQuestion};
use crate::knowledge::front_matter::text_problem;
use crate::knowledge::write::{self, Draft};
use crate::knowledge::Audience;

/// Groups the queue shows at most.
const QUEUE_GROUPS: usize = 200;
/// Answers a group is said to resemble.
const SIMILAR_ANSWERS: usize = 3;
/// Phrasings a written answer takes from its group.
const PHRASINGS: usize = 10;
/// Longest phrasing taken into a written answer: a longer one (a monologue pasted or typed
/// whole) is left out rather than cut into a wording nobody said.
const PHRASING_CHARS: usize = 200;

fn not_found(id: i64) -> ActionError {
    ActionError::not_found(Thing::Group, id)
}

/// Whether an editor may still decide on group `id` (it is open or dismissed).
fn decidable(app: &App, id: i64) -> Result<bool> {
    Ok(app
        .store
        .typical_question(id)?
        .is_some_and(|g| matches!(g.state, GroupState::Open | GroupState::Dismissed)))
}

/// A group with the answers its phrasing resembles most, best first.
pub struct Queued {
    /// The group.
    pub group: TypicalQuestion,
    /// Slugs of the answers it resembles.
    pub similar: Vec<String>,
    /// The title of the answer it was linked to, when that answer was retired since.
    pub retired: Option<String>,
}

/// The answers a group's phrasings resemble most: the search the desk runs, on its title and
/// first phrasings, with what its title means when the embedding job has its vector.
fn similar_answers(app: &App, group: &TypicalQuestion) -> Vec<String> {
    let text: Vec<&str> = std::iter::once(group.title.as_str())
        .chain(group.questions.iter().take(5).map(|(_, t)| t.as_str()))
        .collect();
    let vector = app
        .store
        .vectors(std::slice::from_ref(&group.title))
        .ok()
        .and_then(|mut found| found.remove(&group.title));
    let text = text.join(" ");
    let query = search::Query {
        limit: SIMILAR_ANSWERS,
        meaning: search::Meaning::Given(vector),
        ..search::Query::typed(&text)
    };
    search::run(app, &query)
        .map(|found| found.hits.into_iter().map(|h| h.slug).collect())
        .unwrap_or_default()
}

/// The open groups, largest and fastest-growing first, with their similar answers.
pub fn queue(app: &App) -> Result<Vec<Queued>> {
    let since = app.clock.now() - chrono::Duration::days(7);
    let groups = app
        .store
        .typical_questions(GroupState::Open, since, QUEUE_GROUPS)?;
    Ok(groups
        .into_iter()
        .map(|group| Queued {
            similar: similar_answers(app, &group),
            retired: None,
            group,
        })
        .collect())
}

/// The stems of a group's title and first phrasings that are not common words.
fn stems_of(group: &TypicalQuestion) -> std::collections::HashSet<String> {
    std::iter::once(group.title.as_str())
        .chain(group.questions.iter().take(5).map(|(_, t)| t.as_str()))
        .flat_map(crate::text::words)
        .filter(|w| !crate::text::is_common(&w.text))
        .map(|w| crate::text::stem(&w.text))
        .collect()
}

/// Group titles without a stored sentence vector read by the model while a group's page waits.
const READ_NOW: usize = 64;

/// Wordings of a group whose vectors say what it means: its most asked.
const MEANT_BY: usize = 3;

/// A group's most asked wordings (its title when it has none), with how many ask each so.
fn most_asked(group: &TypicalQuestion) -> Vec<(&str, usize)> {
    let mut asked: Vec<(&str, usize)> = group
        .wordings
        .iter()
        .map(|(t, n)| (t.as_str(), *n))
        .collect();
    asked.sort_by_key(|a| std::cmp::Reverse(a.1));
    asked.truncate(MEANT_BY);
    if asked.is_empty() {
        asked.push((group.title.as_str(), 1));
    }
    asked
}

/// The other open groups, the most like group `id` first: by what their most asked wordings
/// mean (the embedding job's vectors, or read now), centred on what the answers mean on
/// average, so that two groups are alike by what sets them apart rather than by what every
/// caller's question shares; else by the words they share. What «объединить с» proposes.
pub fn others_by_similarity(app: &App, id: i64) -> Result<Vec<TypicalQuestion>> {
    let group = one(app, id)?;
    let since = app.clock.now() - chrono::Duration::days(7);
    let others: Vec<TypicalQuestion> = app
        .store
        .typical_questions(GroupState::Open, since, QUEUE_GROUPS)?
        .into_iter()
        .filter(|g| g.id != id)
        .collect();
    let mut texts: Vec<String> = std::iter::once(&group)
        .chain(&others)
        .flat_map(most_asked)
        .map(|(t, _)| t.to_string())
        .collect();
    texts.sort();
    texts.dedup();
    let mut vectors = app.store.vectors(&texts)?;
    // Wordings the embedding job has not reached yet (groups of a minute ago) are read now, a
    // bounded number of them; the rest rank by their words.
    let missing: Vec<&str> = texts
        .iter()
        .filter(|t| !vectors.contains_key(*t))
        .map(String::as_str)
        .take(READ_NOW)
        .collect();
    if let Some(read) = app.meaning.embed_many(&missing) {
        vectors.extend(missing.iter().map(|t| t.to_string()).zip(read));
    }
    let answers = app.meaning.answers();
    let mean = answers.mean().map(|(m, _)| m.to_vec());
    let meant = |g: &TypicalQuestion| -> Option<Vec<f32>> {
        let mut sum: Option<Vec<f32>> = None;
        for (text, n) in most_asked(g) {
            let Some(v) = vectors.get(text) else { continue };
            let acc = sum.get_or_insert_with(|| vec![0.0; v.len()]);
            for (a, x) in acc.iter_mut().zip(v) {
                *a += n as f32 * x;
            }
        }
        let mut v = sum?;
        crate::encoder::normalise(&mut v);
        Some(match &mean {
            Some(m) if m.len() == v.len() => crate::meaning::centred(&v, m),
            _ => v,
        })
    };
    let mine = meant(&group);
    let my_stems = stems_of(&group);
    let likeness = |g: &TypicalQuestion| -> (f32, f32) {
        let meaning = match (&mine, meant(g)) {
            (Some(a), Some(b)) => crate::numeric::dot(a, &b),
            _ => f32::MIN,
        };
        let theirs = stems_of(g);
        let shared = my_stems.intersection(&theirs).count() as f32;
        let words = shared / (my_stems.len() + theirs.len()).max(1) as f32;
        (meaning, words)
    };
    let mut scored: Vec<((f32, f32), TypicalQuestion)> =
        others.into_iter().map(|g| (likeness(&g), g)).collect();
    scored.sort_by(|a, b| {
        b.0 .0
            .total_cmp(&a.0 .0)
            .then(b.0 .1.total_cmp(&a.0 .1))
            .then(b.1.count.cmp(&a.1.count))
    });
    Ok(scored.into_iter().map(|(_, g)| g).collect())
}

/// One group.
pub fn one(app: &App, id: i64) -> Result<TypicalQuestion> {
    app.store.typical_question(id)?.ok_or_else(|| not_found(id))
}

/// One group with its similar answers.
pub fn one_queued(app: &App, id: i64) -> Result<Queued> {
    let group = one(app, id)?;
    Ok(Queued {
        similar: similar_answers(app, &group),
        retired: retired_answer(app, &group)?,
        group,
    })
}

/// The title of the answer group `g` is linked to, when that answer was retired since (its
/// name where the history has no title): its questions find nothing now.
pub fn retired_answer(app: &App, g: &TypicalQuestion) -> Result<Option<String>> {
    let Some(slug) = g
        .answer
        .as_deref()
        .filter(|_| g.state == GroupState::Answered)
    else {
        return Ok(None);
    };
    if answers::served_slug(app, slug)?.is_some() {
        return Ok(None);
    }
    Ok(Some(
        answers::retired_title(app, slug)?.unwrap_or_else(|| slug.to_string()),
    ))
}

/// Puts group `id` back in the queue when the answer it is linked to was retired, so that a
/// new answer may be linked to it instead.
pub fn reopen_if_retired(app: &App, actor: &Actor, id: i64) -> Result<()> {
    match app.store.typical_question(id)? {
        Some(g) if retired_answer(app, &g)?.is_some() => reopen(app, actor, id),
        _ => Ok(()),
    }
}

/// Links a group to an answer: its questions are linked, the group closed.
pub fn link(app: &App, actor: &Actor, id: i64, slug: &str) -> Result<()> {
    let Some(served) = super::answers::served_slug(app, slug)? else {
        return Err(FieldError::new("answer", FieldProblem::NoSuchAnswer(slug.to_string())).into());
    };
    let slug = served.as_str();
    if !app
        .store
        .link_group(id, slug, &actor.name, app.clock.now())?
    {
        return Err(not_found(id));
    }
    app.indexing.nudge();
    actor.audit(app, "group", format!("group {id} linked to {slug}"));
    Ok(())
}

/// Merges group `id` into `into`.
pub fn merge(app: &App, actor: &Actor, id: i64, into: i64) -> Result<()> {
    if id == into {
        return Err(FieldError::new("into", FieldProblem::SameGroup).into());
    }
    if !app
        .store
        .merge_groups(id, into, &actor.name, app.clock.now())?
    {
        // Name the group that is not there (or no longer open).
        return Err(not_found(if decidable(app, id)? { into } else { id }));
    }
    app.placing.nudge();
    actor.audit(app, "group", format!("group {id} merged into {into}"));
    Ok(())
}

/// Dismisses a group: not a typical question worth an answer.
pub fn dismiss(app: &App, actor: &Actor, id: i64) -> Result<()> {
    if !app.store.dismiss_group(id, &actor.name, app.clock.now())? {
        return Err(not_found(id));
    }
    app.placing.nudge();
    actor.audit(app, "group", format!("group {id} dismissed"));
    Ok(())
}

/// The groups editors dismissed, largest first: where a dismissal is seen and undone.
pub fn dismissed(app: &App) -> Result<Vec<TypicalQuestion>> {
    let since = app.clock.now() - chrono::Duration::days(7);
    Ok(app
        .store
        .typical_questions(GroupState::Dismissed, since, QUEUE_GROUPS)?)
}

/// Puts a dismissed group back in the queue, or undoes a group's link (chosen by mistake): its
/// questions stay in it (no longer linked, nor learnt from), and similar ones reach the queue
/// again.
pub fn reopen(app: &App, actor: &Actor, id: i64) -> Result<()> {
    let Some(linked) = app.store.reopen_group(id, &actor.name, app.clock.now())? else {
        return Err(not_found(id));
    };
    app.indexing.nudge();
    app.placing.nudge();
    let what = match linked {
        Some(slug) => format!("group {id} unlinked from {slug}, back in the queue"),
        None => format!("group {id} back in the queue"),
    };
    actor.audit(app, "group", what);
    Ok(())
}

/// Splits `questions` off group `id` into a new group; its id.
pub fn split(app: &App, actor: &Actor, id: i64, questions: &[i64]) -> Result<i64> {
    if questions.is_empty() {
        return Err(FieldError::new("questions", FieldProblem::Required).into());
    }
    use crate::store::Split;
    let new = match app
        .store
        .split_group(id, questions, &actor.name, app.clock.now())?
    {
        Split::Done(new) => new,
        Split::NoGroup => return Err(not_found(id)),
        Split::NotInGroup(q) => {
            return Err(FieldError::new("questions", FieldProblem::NotInGroup(q)).into())
        }
        Split::Whole => return Err(FieldError::new("questions", FieldProblem::WholeGroup).into()),
    };
    app.placing.nudge();
    actor.audit(app, "group", format!("group {id} split into {new}"));
    Ok(new)
}

/// Moves a question to group `to`.
pub fn move_question(app: &App, actor: &Actor, question: i64, to: i64) -> Result<()> {
    if !app
        .store
        .move_question(question, to, &actor.name, app.clock.now())?
    {
        // The group, else the question (none, or linked to an answer: in no group).
        return Err(match decidable(app, to)? {
            true => ActionError::not_found(Thing::Question, question),
            false => not_found(to),
        });
    }
    app.placing.nudge();
    actor.audit(
        app,
        "group",
        format!("question {question} moved to group {to}"),
    );
    Ok(())
}

/// A new answer's fields from a group: the title, the callers' phrasings (distinct, at most
/// ten), the audience its calls had, today's review date and the template's body.
pub fn draft(group: &TypicalQuestion, title: String, today: chrono::NaiveDate) -> Draft {
    let mut phrasings: Vec<String> = Vec::new();
    for (_, text) in &group.questions {
        let text = text.trim().to_string();
        if text.chars().count() > PHRASING_CHARS {
            continue;
        }
        let seen = phrasings
            .iter()
            .any(|p| p.to_lowercase() == text.to_lowercase());
        if !seen && text_problem(&text).is_none() && text.to_lowercase() != title.to_lowercase() {
            phrasings.push(text);
        }
        if phrasings.len() >= PHRASINGS {
            break;
        }
    }
    let audience = if group.secondary > group.primary {
        Audience::Secondary
    } else if group.primary > 0 && group.secondary == 0 {
        Audience::Primary
    } else {
        Audience::All
    };
    Draft {
        title,
        questions: phrasings,
        audience,
        tags: Vec::new(),
        reviewed: today,
        body: None,
    }
}

/// Writes `knowledge/<slug>.md` for a group, pre-filled with its phrasings (the slug proposed
/// from the title, the title from the group's phrasing, when not given), and links the group
/// to it; the slug written.
pub fn write_answer(
    app: &App,
    actor: &Actor,
    id: i64,
    slug: Option<&str>,
    title: Option<&str>,
) -> Result<String> {
    let group = one(app, id)?;
    if !matches!(group.state, GroupState::Open | GroupState::Dismissed) {
        return Err(not_found(id));
    }
    let title = title
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| group.proposed_title());
    if text_problem(&title).is_some() {
        return Err(FieldError::new("title", FieldProblem::Required).into());
    }
    if title.chars().count() > crate::calls::MAX_FIELD_CHARS {
        return Err(FieldError::new(
            "title",
            FieldProblem::TooLong(crate::calls::MAX_FIELD_CHARS),
        )
        .into());
    }
    let slug = slug
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| write::slug_from_title(&title));
    if let Some(problem) = super::answers::slug_problem(&slug) {
        return Err(FieldError::new("slug", problem).into());
    }
    let library = app.shelf.current();
    if library.knowledge.get(&slug).is_some() {
        return Err(FieldError::new("slug", FieldProblem::SlugTaken(slug)).into());
    }
    if let Some(was) = super::answers::retired_title(app, &slug)? {
        return Err(FieldError::new("slug", FieldProblem::SlugRetired(was)).into());
    }
    if let Some(other) = library.knowledge.with_title(&title) {
        return Err(FieldError::new("title", FieldProblem::TitleTaken(other.slug.clone())).into());
    }
    let text = write::render(&draft(&group, title, app.clock.today()));
    match answers::save(app, actor, &slug, &text, None) {
        Ok(_) => {}
        Err(ActionError::Conflict(_)) => {
            return Err(FieldError::new("slug", FieldProblem::SlugTaken(slug)).into())
        }
        Err(ActionError::Rejected(problems)) => {
            return Err(ActionError::Failed(anyhow::anyhow!(
                "a group's answer does not pass the check: {}",
                problems
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; ")
            )))
        }
        Err(e) => return Err(e),
    }
    actor.audit(
        app,
        "answer",
        format!("answer {slug} written for group {id}"),
    );
    link(app, actor, id, &slug)?;
    Ok(slug)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::Role;
    use crate::actions::{calls, placement, testing};
    use crate::calls::CallChanges;

    /// Logs unanswered questions and places them, as the placement job would.
    fn grouped(t: &testing::Opened, texts: &[&str]) -> Vec<TypicalQuestion> {
        let op = Actor::person("anna", Role::Operator);
        let call = calls::open(&t.app, &op, CallChanges::default())
            .unwrap()
            .call
            .id;
        for text in texts {
            let q = calls::question_of_text(&t.app, text).unwrap();
            calls::log_question(&t.app, &op, call, q).unwrap();
        }
        placement::regroup(&t.app).unwrap();
        queue(&t.app)
            .unwrap()
            .into_iter()
            .map(|q| q.group)
            .collect()
    }

    #[test]
    fn an_editor_merges_dismisses_and_writes_an_answer_for_a_group() {
        let t = testing::app();
        let groups = grouped(
            &t,
            &[
                "есть ли у вас вакансии",
                "вакансии есть у вас",
                "работаете ли вы в субботу",
                "по субботам работаете",
            ],
        );
        assert!(!groups.is_empty());
        let editor = Actor::person("lena", Role::Editor);
        let first = groups[0].id;
        assert!(matches!(
            merge(&t.app, &editor, first, first),
            Err(ActionError::Invalid(e)) if e.field == "into"
        ));
        assert!(matches!(
            link(&t.app, &editor, first, "no-such"),
            Err(ActionError::Invalid(_))
        ));
        let slug = write_answer(&t.app, &editor, first, None, Some("Есть ли вакансии?")).unwrap();
        assert!(t.app.shelf.current().knowledge.get(&slug).is_some());
        assert!(matches!(
            dismiss(&t.app, &editor, 999_999),
            Err(ActionError::NotFound(Thing::Group, _))
        ));
    }

    #[test]
    fn merging_proposes_the_most_similar_group_first() {
        let t = testing::app();
        let groups = grouped(
            &t,
            &[
                "есть ли у вас вакансии программиста",
                "вакансии программиста есть",
                "работаете ли вы в субботу",
                "по субботам работаете",
                "а вакансии бухгалтера у вас есть",
                "вакансии бухгалтера открыты",
            ],
        );
        let find = |word: &str| {
            groups
                .iter()
                .find(|g| g.questions.iter().any(|(_, q)| q.contains(word)))
                .unwrap()
                .id
        };
        let (programmer, accountant) = (find("программиста"), find("бухгалтера"));
        if programmer == accountant {
            // Grouped as one: nothing to propose between them.
            return;
        }
        let others = others_by_similarity(&t.app, programmer).unwrap();
        assert_eq!(others.first().map(|g| g.id), Some(accountant), "{others:?}");
        assert!(others.iter().all(|g| g.id != programmer));
    }

    #[test]
    fn a_draft_takes_distinct_phrasings_and_the_callers_audience() {
        let group = TypicalQuestion {
            id: 1,
            title: "есть вакансии?".into(),
            state: GroupState::Open,
            count: 3,
            primary: 3,
            secondary: 0,
            recent: 3,
            first_asked: chrono::Utc::now(),
            last_asked: chrono::Utc::now(),
            answer: None,
            wordings: Vec::new(),
            questions: vec![
                (1, "есть вакансии?".into()),
                (2, "Есть вакансии?".into()),
                (3, "вы набираете сотрудников".into()),
                (4, "расскажу подробно ".repeat(20)),
            ],
        };
        let d = draft(&group, "Есть ли вакансии?".into(), chrono::NaiveDate::MIN);
        // The monologue is no phrasing to keep, whole or cut.
        assert_eq!(d.questions, ["есть вакансии?", "вы набираете сотрудников"]);
        assert_eq!(d.audience, Audience::Primary);
    }
}
