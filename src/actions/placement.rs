//! Where each caller question goes, once logged (or relinked, or moved by an editor): a linked
//! question belongs to its answer; an unlinked one the learned ranking matches with confidence,
//! or (before the history says) whose meaning and words both find one answer with confidence,
//! belongs to that answer, unless a person logged it choosing no answer (they saw the answers
//! offered: it is a question the knowledge may lack); the rest go to a group of unanswered
//! questions through the [`Grouper`], whose decisions are written back to the store.
//!
//! A [`Session`] holds the grouping in memory; the placement job keeps one, rebuilt from the
//! store at start, and [`regroup`] (`callfaq regroup`) runs the same steps over the whole
//! history.

use super::{Actor, Result};
use crate::app::App;
use crate::grouping::{
    Change, GroupId, Grouper, Params, Placement, QuestionId, Removals, PROPOSED_TITLE_CHARS,
};
use crate::learn::Learner;
use crate::library::{Library, SearchOptions};
use crate::meaning::{AnswerVectors, Meaning};
use crate::signal::{Stop, Traffic};
use crate::store::{GroupingBatch, Store};
use std::collections::{HashMap, HashSet};

/// Questions placed per batch (and per transaction).
const BATCH: usize = 500;
/// Questions placed in one turn on the background jobs' lane ([`Traffic::turn`]).
const TURN: usize = 8;
/// Grouped questions whose vectors are read at once at start.
const RESTORE_CHUNK: usize = 1_000;
/// The learned ranking's probability at which an unlinked question belongs to an answer
/// without an operator's link: about 98% of such matches are right on the shared sets.
pub const MATCH_PROBABILITY: f32 = 0.9;
/// The share of an unlinked question its answer's links' words must make for the learned
/// ranking to match it ([`crate::learn::Model::borne_out`]): a question of a subject no link
/// has («где припарковаться у вас», when only «есть ли у вас вакансии» shares its «у вас») is
/// one the knowledge may lack, however sure the ranking among the answers it knows. On
/// banking77_en, with every fifth label's links held back as subjects the desk never linked, it
/// matches a fifth fewer of those (12.5% instead of 15.9%) for 4% fewer of the rest (73.0% of
/// them instead of 76.0%, 98.7% right either way).
pub const MATCH_BORNE_OUT: f32 = 0.5;
/// The share the answers' own meaning gives one answer at which a question that fits the
/// answers and whose words find that answer first belongs to it, before there is history.
pub const MEANING_MATCH: f32 = 0.9;

/// The grouping in memory, with the texts of its questions for titles.
pub struct Session {
    grouper: Grouper,
    texts: HashMap<QuestionId, String>,
    /// Whether the answers' phrasings were counted into the mean meaning.
    observed: bool,
    /// The desk's requests, to take turns with the other background jobs while it is busy
    /// (none for a regroup or a test: always idle).
    traffic: Traffic,
}

impl Session {
    /// The grouping as the store has it, with the sentence vectors kept of its questions, read
    /// a page at a time (the oldest questions only counted into their groups, see
    /// `Params::members`); what is restored so far when `stop` is requested.
    pub fn restore(store: &Store, meaning: &Meaning, stop: &Stop) -> anyhow::Result<Session> {
        let mut g = Session::empty(meaning);
        g.grouper.heed(stop.clone());
        let released = store.release_stranded()?;
        if released > 0 {
            tracing::warn!(released, "questions left in closed groups are placed again");
        }
        let mut after = 0;
        loop {
            if stop.requested() {
                return Ok(g);
            }
            let part = store.grouped_after(after, RESTORE_CHUNK)?;
            let Some(last) = part.last() else {
                break;
            };
            after = last.id;
            let vectors = if meaning.available() {
                let texts: Vec<String> = part.iter().map(|q| q.text.clone()).collect();
                store.vectors(&texts)?
            } else {
                HashMap::new()
            };
            for q in &part {
                let v = vectors.get(&q.text).map(Vec::as_slice);
                g.grouper.restore(q.id, q.group, &q.text, q.by_editor, v);
                g.texts.insert(q.id, q.text.clone());
            }
            g.forget_retired();
        }
        Ok(g)
    }

    /// Drops the texts of questions the grouping retired from memory.
    fn forget_retired(&mut self) {
        if self.texts.len() > self.grouper.len() + RESTORE_CHUNK {
            let grouper = &self.grouper;
            self.texts.retain(|q, _| grouper.holds(*q));
        }
    }

    /// Places questions in turns with the other background jobs while `traffic` is busy
    /// ([`Traffic::turn`]).
    pub fn take_turns(&mut self, traffic: Traffic) {
        self.traffic = traffic;
    }

    /// An empty grouping, for a regroup: by words and meaning when the model is there.
    pub fn empty(meaning: &Meaning) -> Session {
        let params = if meaning.available() {
            Params::with_meaning()
        } else {
            Params::default()
        };
        let mut g = Session {
            grouper: Grouper::new(params),
            texts: HashMap::new(),
            observed: false,
            traffic: Traffic::default(),
        };
        g.observe_answers(meaning);
        g
    }

    /// Counts the answers' phrasings into the mean meaning, once they are encoded.
    fn observe_answers(&mut self, meaning: &Meaning) {
        if self.observed || !meaning.available() {
            return;
        }
        let answers = meaning.answers();
        if let Some((mean, count)) = answers.mean() {
            self.grouper.observe_meaning(mean, count);
            self.observed = true;
        }
    }

    /// Places the questions waiting in the store, a batch at a time, until none wait or `stop`
    /// is requested; returns how many.
    pub fn place_waiting(
        &mut self,
        store: &Store,
        learner: &Learner,
        meaning: &Meaning,
        library: &Library,
        now: chrono::DateTime<chrono::Utc>,
        stop: &Stop,
    ) -> anyhow::Result<usize> {
        let mut placed = 0;
        self.observe_answers(meaning);
        self.grouper.heed(stop.clone());
        // Dismissed since the last batch, or undone by a regroup: read each time, it is small.
        self.grouper.set_quiet(store.dismissed_groups()?);
        loop {
            if stop.requested() {
                return Ok(placed);
            }
            let waiting = store.unassigned(BATCH)?;
            if waiting.is_empty() {
                return Ok(placed);
            }
            // Live questions (a short batch) are encoded here, so that what they mean decides
            // at once; a big backlog uses what the embedding job has kept.
            let live = waiting.len() < BATCH && meaning.available();
            let answers = meaning.answers();
            placed += waiting.len();
            let mut questions = Vec::with_capacity(waiting.len());
            let mut turn = None;
            for (i, u) in waiting.into_iter().enumerate() {
                if i % TURN == 0 {
                    drop(turn.take());
                    turn = Some(self.traffic.turn());
                }
                let vector = if u.answer.is_some() {
                    None
                } else {
                    vector_of(store, meaning, u.id, &u.text, live)
                };
                let placement = if u.answer.is_some() {
                    self.forget(u.id);
                    Placement::Linked
                } else if let Some(group) = u.editor_group {
                    self.grouper
                        .restore(u.id, group, &u.text, true, vector.as_deref());
                    self.texts.insert(u.id, u.text);
                    // Restoring records no change; the store has it already.
                    self.grouper.drain_changes();
                    Placement::Group(group)
                } else if let Some(slug) = (!u.declined)
                    .then(|| confident(learner, library, &answers, &u.text, vector.as_deref()))
                    .flatten()
                {
                    self.forget(u.id);
                    Placement::Matched(slug)
                } else {
                    let group = self.grouper.place(u.id, &u.text, vector.as_deref());
                    self.texts.insert(u.id, u.text);
                    Placement::Group(group)
                };
                questions.push((u.id, placement));
            }
            drop(turn);
            self.save(store, questions, now)?;
            self.forget_retired();
        }
    }

    fn forget(&mut self, question: QuestionId) {
        self.grouper.remove(question);
        self.texts.remove(&question);
    }

    /// Reassigns every question to its best group, and saves what moved.
    pub fn refine(
        &mut self,
        store: &Store,
        now: chrono::DateTime<chrono::Utc>,
    ) -> anyhow::Result<usize> {
        self.grouper.set_quiet(store.dismissed_groups()?);
        let moved = self.grouper.refine();
        self.save(store, Vec::new(), now)?;
        Ok(moved)
    }

    fn save(
        &mut self,
        store: &Store,
        questions: Vec<(QuestionId, Placement)>,
        now: chrono::DateTime<chrono::Utc>,
    ) -> anyhow::Result<()> {
        let changes = self.grouper.drain_changes();
        // Where each question is after the whole batch (absorbing and reassigning may have
        // moved it since it was placed).
        let placements = questions
            .into_iter()
            .map(|(q, p)| match p {
                Placement::Group(_) => (
                    q,
                    self.grouper
                        .group_of(q)
                        .map_or(Placement::Linked, Placement::Group),
                ),
                other => (q, other),
            })
            .collect();
        let touched: HashSet<GroupId> = changes
            .iter()
            .filter_map(|c| match c {
                Change::Created(g)
                | Change::Placed { group: g, .. }
                | Change::Merged { into: g, .. } => Some(*g),
                Change::Emptied(_) => None,
            })
            .collect();
        let titles = touched
            .into_iter()
            .filter_map(|g| {
                // A phrasing short enough to be a title stands for the group where there is
                // one: a monologue logged whole does not name the group it joined.
                let short = |q: QuestionId| {
                    self.texts
                        .get(&q)
                        .is_some_and(|t| t.chars().count() <= PROPOSED_TITLE_CHARS)
                };
                let q = self
                    .grouper
                    .central_where(g, short)
                    .or_else(|| self.grouper.central(g))?;
                Some((g, self.texts.get(&q)?.clone()))
            })
            .collect();
        let batch = GroupingBatch {
            placements,
            changes,
            titles,
        };
        if batch.placements.is_empty() && batch.changes.is_empty() {
            return Ok(());
        }
        let (ids, refused) = store.save_grouping(&batch, now)?;
        for (temporary, stored) in ids {
            self.grouper.rename(temporary, stored);
        }
        // Not where the store has them (an editor's decision came first): out of memory, and
        // read again as the store has them then.
        for q in refused {
            self.forget(q);
        }
        Ok(())
    }
}

impl Session {
    /// Takes deleted questions out of their groups, and saves what that changed.
    pub fn remove_deleted(
        &mut self,
        store: &Store,
        removals: &Removals,
        now: chrono::DateTime<chrono::Utc>,
    ) -> anyhow::Result<()> {
        let gone = removals.take();
        if gone.is_empty() {
            return Ok(());
        }
        for q in gone {
            self.forget(q);
        }
        self.save(store, Vec::new(), now)
    }
}

/// A question's sentence vector: kept already, or (for a live question) computed and kept now.
fn vector_of(
    store: &Store,
    meaning: &Meaning,
    id: i64,
    text: &str,
    encode: bool,
) -> Option<Vec<f32>> {
    if !meaning.available() {
        return None;
    }
    let texts = [text.to_string()];
    if let Some(v) = store
        .vectors(&texts)
        .ok()
        .and_then(|mut found| found.remove(text))
    {
        return Some(v);
    }
    if !encode {
        return None;
    }
    let v = meaning.embed(text)?;
    if let Err(e) = store.save_vectors(&[(text.to_string(), v.clone())], &[id]) {
        tracing::error!("keeping a question's sentence vector: {e:#}");
    }
    Some(v)
}

/// The answer an unlinked question belongs to without an operator's link, if any: the one the
/// learned history (the word model, pooled with the meaning model when the question's vector
/// is there) gives [`MATCH_PROBABILITY`], its links' words making [`MATCH_BORNE_OUT`] of the
/// question; or, where the history does not say, the one the
/// answers' own phrasings mean with [`MEANING_MATCH`] when the question fits an answer at all
/// and the answers' words find the same one first.
fn confident(
    learner: &Learner,
    library: &Library,
    answers: &AnswerVectors,
    text: &str,
    vector: Option<&[f32]>,
) -> Option<String> {
    if learner.model().trained_links > 0 {
        let (learned, borne_out) =
            learner.ranked_borne_out(text, vector, None, library.knowledge.len());
        // An answer retired since the ranking learnt it matches nothing: its kin go to a group.
        let sure = learned.answers.into_iter().next().filter(|(slug, p)| {
            *p / learned.total >= MATCH_PROBABILITY
                && borne_out.get(slug).is_some_and(|b| *b >= MATCH_BORNE_OUT)
                && library.knowledge.get(slug).is_some()
        });
        if let Some((slug, _)) = sure {
            return Some(slug);
        }
    }
    let vector = vector?;
    if answers.fits(vector) != Some(true) {
        return None;
    }
    let (meant, p) = answers.rank(vector).into_iter().next()?;
    if p < MEANING_MATCH {
        return None;
    }
    let options = SearchOptions {
        limit: 1,
        kind: None,
    };
    let worded = library.search(text, &options, None).ok()?;
    (worded.first()?.slug == meant).then_some(meant)
}

/// Rebuilds every group from the whole history (after a change of the grouping, or an
/// import): what editors decided (links, merges, moves, splits, dismissals) stays, their
/// questions restored where they put them, and every other question is placed again in the
/// order it was asked. Returns how many were placed and how many the final reassignment moved.
pub fn regroup(app: &App) -> Result<(usize, usize)> {
    let waiting = app.store.reset_grouping()?;
    let library = app.shelf.current();
    app.meaning
        .refresh_answers(&app.store, &library.knowledge, usize::MAX)?;
    let mut session = Session::empty(&app.meaning);
    let now = app.clock.now();
    session.place_waiting(
        &app.store,
        &app.learner,
        &app.meaning,
        &library,
        now,
        &app.stop,
    )?;
    let moved = session.refine(&app.store, now)?;
    Actor::cli().audit(app, "group", format!("regroup ({waiting} questions)"));
    Ok((waiting, moved))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::Role;
    use crate::actions::{calls, testing};
    use crate::calls::CallChanges;

    #[test]
    fn a_linked_question_goes_to_its_answer_and_others_to_groups() {
        let t = testing::app();
        let op = Actor::person("anna", Role::Operator);
        let call = calls::open(&t.app, &op, CallChanges::default())
            .unwrap()
            .call
            .id;
        let linked = calls::log_question(
            &t.app,
            &op,
            call,
            calls::new_question(
                &t.app,
                &serde_json::json!({"text": "заправка картриджа", "answer": "printer"})
                    .as_object()
                    .unwrap()
                    .clone(),
            )
            .unwrap(),
        )
        .unwrap();
        for text in ["у вас есть вакансии", "вакансии у вас есть"] {
            let q = calls::question_of_text(&t.app, text).unwrap();
            calls::log_question(&t.app, &op, call, q).unwrap();
        }
        let (placed, _) = regroup(&t.app).unwrap();
        assert_eq!(placed, 3);
        let groups = t
            .app
            .store
            .typical_questions(crate::grouping::GroupState::Open, chrono::Utc::now(), 10)
            .unwrap();
        assert_eq!(groups.len(), 1, "{groups:?}");
        assert!(!groups[0].questions.iter().any(|(id, _)| *id == linked.id));
    }

    /// The learned ranking would match «заправка картриджа» to the printer answer: it does so
    /// for a question a machine logged, but not for one an operator logged choosing no answer,
    /// nor once an operator leaves a matched question with no answer.
    #[test]
    fn a_question_an_operator_left_without_an_answer_is_never_matched_to_one() {
        let t = testing::app();
        let op = Actor::person("anna", Role::Operator);
        let machine = Actor {
            name: "token:crm".into(),
            role: Role::Operator,
            person: None,
        };
        let call = calls::open(&t.app, &op, CallChanges::default())
            .unwrap()
            .call
            .id;
        let log = |actor: &Actor, text: &str, answer: Option<&str>| {
            let q = crate::calls::NewQuestion {
                text: text.into(),
                answer: answer.map(str::to_string),
                asked_at: None,
            };
            calls::log_question(&t.app, actor, call, q).unwrap()
        };
        for (text, answer) in [
            ("заправка картриджа", "printer"),
            ("заправить картридж принтера", "printer"),
            ("картридж закончился заправка", "printer"),
            ("подключиться к компьютеру удалённо", "remote-admin"),
            ("удалённый доступ к компьютеру", "remote-admin"),
            ("как подключиться удалённо", "remote-admin"),
        ] {
            log(&op, text, Some(answer));
        }
        let answers = t.app.shelf.current().knowledge.slugs();
        t.app
            .learner
            .retrain(&t.app.store, &answers, &t.app.stop)
            .unwrap();
        let by_machine = log(&machine, "заправка картриджа", None);
        let by_operator = log(&op, "заправка картриджа", None);
        assert!(!by_machine.declined);
        assert!(by_operator.declined);
        let later = log(&machine, "заправка картриджа", None);
        regroup(&t.app).unwrap();
        let grouped = |id: i64| {
            t.app
                .store
                .typical_questions(crate::grouping::GroupState::Open, chrono::Utc::now(), 10)
                .unwrap()
                .iter()
                .any(|g| g.questions.iter().any(|(q, _)| *q == id))
        };
        assert!(!grouped(by_machine.id), "a machine's question is matched");
        assert!(grouped(by_operator.id), "the operator's choice stands");
        assert!(!grouped(later.id));

        // An operator leaves the matched one with no answer: it goes to a group.
        let left = calls::relink(&t.app, &op, later.id, None).unwrap();
        assert!(left.declined);
        let mut session = Session::empty(&t.app.meaning);
        let mut place = || {
            let library = t.app.shelf.current();
            session
                .place_waiting(
                    &t.app.store,
                    &t.app.learner,
                    &t.app.meaning,
                    &library,
                    chrono::Utc::now(),
                    &t.app.stop,
                )
                .unwrap();
        };
        place();
        assert!(grouped(later.id));

        // The printer answer retired: what the grouping matched to it reaches the queue, and a
        // new question like it is matched to nothing retired.
        let editor = Actor::person("elena", Role::Editor);
        crate::actions::answers::retire(&t.app, &editor, "printer").unwrap();
        let after = log(&machine, "заправка картриджа", None);
        place();
        assert!(grouped(by_machine.id), "released from the retired answer");
        assert!(grouped(after.id), "not matched to a retired answer");
    }

    /// A history where each answer's phrasing was linked again and again (a desk's usual
    /// questions, asked in the same words), and questions of subjects no answer has: those go
    /// to the editors' queue, not to whichever linked answer shares their «у вас»; a question
    /// asked in a link's own words is still matched.
    #[test]
    fn questions_of_subjects_no_link_has_are_grouped_however_often_the_links_repeat() {
        let t = testing::app();
        let machine = Actor {
            name: "token:import".into(),
            role: Role::Operator,
            person: None,
        };
        let call = calls::open(&t.app, &machine, CallChanges::default())
            .unwrap()
            .call
            .id;
        let log = |text: &str, answer: Option<&str>| {
            let q = crate::calls::NewQuestion {
                text: text.into(),
                answer: answer.map(str::to_string),
                asked_at: None,
            };
            calls::log_question(&t.app, &machine, call, q).unwrap()
        };
        for _ in 0..25 {
            for (text, answer) in [
                ("заправка картриджа сколько стоит", "printer"),
                ("есть ли у вас гарантийный талон", "talon-new"),
                ("удалённый доступ к компьютеру", "remote-admin"),
            ] {
                log(text, Some(answer));
            }
        }
        log("заправить картридж принтера", Some("printer"));
        log("талон на гарантию выдаёте", Some("talon-new"));
        let answers = t.app.shelf.current().knowledge.slugs();
        t.app
            .learner
            .retrain(&t.app.store, &answers, &t.app.stop)
            .unwrap();
        let elsewhere: Vec<i64> = [
            "где припарковаться у вас",
            "есть облачный хостинг",
            "соедините с Иваном Петровичем",
        ]
        .iter()
        .map(|text| log(text, None).id)
        .collect();
        let asked_again = log("заправка картриджа сколько стоит", None);
        regroup(&t.app).unwrap();
        let grouped: Vec<i64> = t
            .app
            .store
            .typical_questions(crate::grouping::GroupState::Open, chrono::Utc::now(), 10)
            .unwrap()
            .iter()
            .flat_map(|g| g.questions.iter().map(|(q, _)| *q))
            .collect();
        for id in &elsewhere {
            assert!(
                grouped.contains(id),
                "question {id} was matched: {grouped:?}"
            );
            assert_eq!(t.app.store.counted_under(*id).unwrap(), None);
        }
        assert_eq!(
            t.app
                .store
                .counted_under(asked_again.id)
                .unwrap()
                .as_deref(),
            Some("printer")
        );
    }
}
