//! Groups of unanswered caller questions (typical questions without an answer yet) and where
//! each question belongs: what the grouping job decides, and what editors decide on top (link a
//! group to an answer, merge, move a question, split, dismiss), which a regroup keeps.
//!
//! A question with `assigned = 0` waits for the grouping job: a new one, one whose link changed,
//! or one an editor moved. The job reads them ([`Store::unassigned`]), decides, and writes its
//! decisions in one transaction ([`Store::save_grouping`]).

use super::rows::{kind_at, parse_stamp};
use super::{links, outbox, sql_limit, stamp, write, Store};
use crate::calls::CallKind;
use crate::grouping::{Change, GroupId, GroupState, Placement, TypicalQuestion};
use anyhow::{bail, Context, Result};
use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension, Transaction};
use std::collections::HashMap;

/// What came of an editor's split.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Split {
    /// The new group's id.
    Done(GroupId),
    /// No such group, or one an editor may not decide on.
    NoGroup,
    /// A question named that is not in the group (linked, elsewhere, or none).
    NotInGroup(i64),
    /// No question named, or every question of the group.
    Whole,
}

/// A question the grouping job has to read or decide.
#[derive(Debug, Clone, PartialEq)]
pub struct Unassigned {
    /// The question.
    pub id: i64,
    /// The caller's words.
    pub text: String,
    /// Its link, if an operator (or an editor, for its group) linked it.
    pub answer: Option<String>,
    /// The group an editor put it in.
    pub editor_group: Option<GroupId>,
    /// Its call's kind.
    pub kind: CallKind,
    /// A person logged it with no answer, having seen the answers offered: never matched to
    /// one by the grouping.
    pub declined: bool,
}

/// A question as the grouping has it stored: its group, and whether an editor put it there.
#[derive(Debug, Clone, PartialEq)]
pub struct Grouped {
    /// The question.
    pub id: i64,
    /// The caller's words.
    pub text: String,
    /// Its group.
    pub group: GroupId,
    /// An editor put it there.
    pub by_editor: bool,
}

/// What the grouping job decided for a batch of questions.
#[derive(Debug, Clone, Default)]
pub struct GroupingBatch {
    /// Every question read, with where it belongs now.
    pub placements: Vec<(i64, Placement)>,
    /// What happened to the groups meanwhile (new groups have negative ids).
    pub changes: Vec<Change>,
    /// Titles of groups, by (possibly temporary) id.
    pub titles: Vec<(GroupId, String)>,
}

/// Questions of a group the queue reads.
pub const QUEUE_PHRASINGS: usize = 12;
/// Wordings of a group the queue counts, the most recently asked: its card shows a few, each
/// with how many of the group's questions say it so.
pub const QUEUE_WORDINGS: usize = 200;

/// Each wording of `texts` (newest first) as written, with how many times, in the order first
/// met.
fn wordings<'a>(texts: impl Iterator<Item = &'a str>) -> Vec<(String, usize)> {
    let mut out: Vec<(String, usize)> = Vec::new();
    for text in texts {
        match out.iter_mut().find(|(t, _)| t == text) {
            Some((_, n)) => *n += 1,
            None => out.push((text.to_string(), 1)),
        }
    }
    out
}

/// Forgets a group's title once the question it was taken from has left the group (split off,
/// moved away): the queue then names the group by a question it has, until the grouping
/// titles it again.
fn forget_stale_title(tx: &Transaction<'_>, id: GroupId) -> rusqlite::Result<usize> {
    tx.execute(
        "UPDATE groups SET title = NULL WHERE id = ?1 AND title IS NOT NULL
         AND title NOT IN (SELECT text FROM questions WHERE group_id = ?1)",
        [id],
    )
}

impl Store {
    /// Questions waiting for the grouping, oldest first, at most `limit`.
    pub fn unassigned(&self, limit: usize) -> Result<Vec<Unassigned>> {
        let conn = self.lock();
        let mut select = conn.prepare_cached(
            "SELECT q.id, q.text, q.answer, CASE WHEN q.placed_by_editor = 1 THEN q.group_id END, c.kind,
                    q.declined
             FROM questions q JOIN calls c ON c.id = q.call_id
             WHERE q.assigned = 0 ORDER BY q.id LIMIT ?1",
        )?;
        let rows = select
            .query_map([sql_limit(limit)], |r| {
                Ok(Unassigned {
                    id: r.get(0)?,
                    text: r.get(1)?,
                    answer: r.get(2)?,
                    editor_group: r.get(3)?,
                    kind: kind_at(r, 4)?,
                    declined: r.get(5)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()
            .context("reading questions to group")?;
        Ok(rows)
    }

    /// The questions in a group (and decided) with an id above `after`, by id, at most
    /// `limit`: what the grouping job restores at start, a page at a time.
    pub fn grouped_after(&self, after: i64, limit: usize) -> Result<Vec<Grouped>> {
        let conn = self.read();
        let mut select = conn.prepare_cached(
            "SELECT id, text, group_id, placed_by_editor FROM questions
             WHERE id > ?1 AND group_id IS NOT NULL AND answer IS NULL AND assigned = 1
             ORDER BY id LIMIT ?2",
        )?;
        let rows = select
            .query_map(params![after, sql_limit(limit)], |r| {
                Ok(Grouped {
                    id: r.get(0)?,
                    text: r.get(1)?,
                    group: r.get(2)?,
                    by_editor: r.get(3)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()
            .context("reading grouped questions")?;
        Ok(rows)
    }

    /// Questions left in a group an editor closed (merged away, or linked to an answer) while
    /// the grouping placed them there, before it could know: back to the grouping, to be placed
    /// again among the open groups; how many.
    pub fn release_stranded(&self) -> Result<usize> {
        let mut conn = self.lock();
        let tx = write(&mut conn).context("releasing stranded questions")?;
        let released = tx.execute(
            "UPDATE questions SET assigned = 0, group_id = NULL, placed_by_editor = 0 \
             WHERE answer IS NULL AND group_id IN \
               (SELECT id FROM groups WHERE state IN ('merged', 'answered'))",
            [],
        )?;
        tx.commit().context("releasing stranded questions")?;
        Ok(released)
    }

    /// Writes what the grouping decided, all at once; returns the stored ids the new groups got
    /// (temporary id → stored id), and the questions whose placement in a group was not
    /// written: an editor placed them elsewhere, linked them, or closed that group meanwhile.
    pub fn save_grouping(
        &self,
        batch: &GroupingBatch,
        now: DateTime<Utc>,
    ) -> Result<(HashMap<GroupId, GroupId>, Vec<i64>)> {
        let mut conn = self.lock();
        let tx = write(&mut conn).context("saving groups")?;
        let mut ids: HashMap<GroupId, GroupId> = HashMap::new();
        let mut refused = Vec::new();
        let real = |ids: &HashMap<GroupId, GroupId>, g: GroupId| ids.get(&g).copied().unwrap_or(g);
        for change in &batch.changes {
            match *change {
                Change::Created(temporary) => {
                    tx.prepare_cached("INSERT INTO groups (created_at) VALUES (?1)")?
                        .execute([stamp(now)])?;
                    ids.insert(temporary, tx.last_insert_rowid());
                }
                Change::Placed { question, group } => {
                    tx.prepare_cached(
                        "UPDATE questions SET group_id = ?2, matched = NULL WHERE id = ?1 AND answer IS NULL \
                         AND EXISTS (SELECT 1 FROM groups WHERE id = ?2 AND state IN ('open', 'dismissed'))",
                    )?
                    .execute(params![question, real(&ids, group)])?;
                }
                Change::Merged { from, into } => {
                    let (from, into) = (real(&ids, from), real(&ids, into));
                    tx.prepare_cached("UPDATE questions SET group_id = ?2 WHERE group_id = ?1")?
                        .execute(params![from, into])?;
                    close_group(&tx, from, into)?;
                }
                Change::Emptied(group) => {
                    // A group nobody decided on goes; one an editor touched stays, for its history.
                    tx.prepare_cached(
                        "DELETE FROM groups WHERE id = ?1 AND decided_by IS NULL
                           AND NOT EXISTS (SELECT 1 FROM questions WHERE group_id = ?1)",
                    )?
                    .execute([real(&ids, group)])?;
                }
            }
        }
        for (question, placement) in &batch.placements {
            let (group, matched): (Option<GroupId>, Option<&str>) = match placement {
                Placement::Linked => (None, None),
                Placement::Matched(slug) => (None, Some(slug)),
                Placement::Group(g) => (Some(real(&ids, *g)), None),
            };
            // An editor's decision made after the job read the question wins: a question the
            // job puts in a group while an editor placed it in another meanwhile is left
            // waiting, and read again with the editor's group. (A linked question leaves its
            // group whoever placed it.)
            // Nor is a question linked meanwhile put in a group, nor one put in a group an
            // editor closed meanwhile (merged away, linked to an answer): it waits, and is read
            // again.
            let sql = match placement {
                Placement::Group(_) => {
                    "UPDATE questions SET assigned = 1, group_id = ?2, matched = ?3 \
                     WHERE id = ?1 AND answer IS NULL AND (placed_by_editor = 0 OR group_id IS ?2) \
                     AND EXISTS (SELECT 1 FROM groups WHERE id = ?2 AND state IN ('open', 'dismissed'))"
                }
                // A question its group's link linked keeps that group: the link can be undone
                // (`reopen_group`), and it goes back there.
                Placement::Linked => {
                    "UPDATE questions SET assigned = 1, matched = ?3, group_id = CASE WHEN EXISTS \
                       (SELECT 1 FROM groups g WHERE g.id = questions.group_id \
                        AND g.state = 'answered' AND g.answer IS questions.answer) \
                     THEN group_id ELSE ?2 END WHERE id = ?1"
                }
                Placement::Matched(_) => {
                    "UPDATE questions SET assigned = 1, group_id = ?2, matched = ?3 WHERE id = ?1"
                }
            };
            let written = tx
                .prepare_cached(sql)?
                .execute(params![question, group, matched])?;
            if written == 0 && group.is_some() {
                refused.push(*question);
            }
        }
        for (group, title) in &batch.titles {
            tx.prepare_cached("UPDATE groups SET title = ?2 WHERE id = ?1")?
                .execute(params![real(&ids, *group), title])?;
        }
        tx.commit().context("saving groups")?;
        Ok((ids, refused))
    }

    /// Groups in a state, the largest and fastest-growing first, each with its newest
    /// phrasings; `recent_since` is where "recent" starts.
    pub fn typical_questions(
        &self,
        state: GroupState,
        recent_since: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<TypicalQuestion>> {
        let conn = self.lock();
        let mut select = conn.prepare_cached(
            "SELECT g.id, g.state, COALESCE(g.title, ''), g.answer, COUNT(q.id),
                    SUM(c.kind = 'primary'), SUM(c.kind = 'secondary'), SUM(q.asked_at >= ?2),
                    MIN(q.asked_at), MAX(q.asked_at)
             FROM groups g JOIN questions q ON q.group_id = g.id JOIN calls c ON c.id = q.call_id
             WHERE g.state = ?1
             GROUP BY g.id
             ORDER BY COUNT(q.id) DESC, SUM(q.asked_at >= ?2) DESC, g.id
             LIMIT ?3",
        )?;
        let mut groups = select
            .query_map(
                params![state.as_str(), stamp(recent_since), sql_limit(limit)],
                |r| {
                    Ok(TypicalQuestion {
                        id: r.get(0)?,
                        state: GroupState::parse(&r.get::<_, String>(1)?)
                            .unwrap_or(GroupState::Open),
                        title: r.get(2)?,
                        answer: r.get(3)?,
                        count: r.get::<_, i64>(4)? as usize,
                        primary: r.get::<_, i64>(5)? as usize,
                        secondary: r.get::<_, i64>(6)? as usize,
                        recent: r.get::<_, i64>(7)? as usize,
                        first_asked: parse_stamp(8, r.get(8)?)?,
                        last_asked: parse_stamp(9, r.get(9)?)?,
                        questions: Vec::new(),
                        wordings: Vec::new(),
                    })
                },
            )?
            .collect::<rusqlite::Result<Vec<_>>>()
            .context("listing groups")?;
        let mut phrasings = conn.prepare_cached(
            "SELECT id, text FROM questions WHERE group_id = ?1 ORDER BY asked_at DESC, id DESC LIMIT ?2",
        )?;
        let mut wordings = conn.prepare_cached(
            "SELECT text, COUNT(*) FROM questions WHERE group_id = ?1 GROUP BY text
             ORDER BY MAX(asked_at) DESC, MAX(id) DESC LIMIT ?2",
        )?;
        for g in &mut groups {
            g.wordings = wordings
                .query_map(params![g.id, QUEUE_WORDINGS as i64], |r| {
                    Ok((r.get(0)?, r.get::<_, i64>(1)? as usize))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            g.questions = phrasings
                .query_map(params![g.id, QUEUE_PHRASINGS as i64], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            if g.title.is_empty() {
                g.title = g
                    .questions
                    .last()
                    .map(|(_, t)| t.clone())
                    .unwrap_or_default();
            }
        }
        Ok(groups)
    }

    /// The groups editors dismissed.
    pub fn dismissed_groups(&self) -> Result<Vec<GroupId>> {
        let conn = self.read();
        let ids = conn
            .prepare_cached("SELECT id FROM groups WHERE state = 'dismissed'")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<GroupId>>>()
            .context("reading the dismissed groups")?;
        Ok(ids)
    }

    /// The group a merged group's questions went to, at the end of the merges it went through;
    /// `None` for a group not merged (or merged before the store kept where).
    pub fn merged_into(&self, id: GroupId) -> Result<Option<GroupId>> {
        let conn = self.read();
        let mut at = id;
        let mut seen = vec![id];
        loop {
            let into: Option<GroupId> = conn
                .prepare_cached(
                    "SELECT merged_into FROM groups WHERE id = ?1 AND state = 'merged'",
                )?
                .query_row([at], |r| r.get(0))
                .optional()
                .context("reading where a group was merged")?
                .flatten();
            match into {
                Some(next) if !seen.contains(&next) => {
                    seen.push(next);
                    at = next;
                }
                _ => return Ok((at != id).then_some(at)),
            }
        }
    }

    /// One group with all its phrasings, in any state; `None` if there is no such group.
    pub fn typical_question(&self, id: GroupId) -> Result<Option<TypicalQuestion>> {
        let conn = self.lock();
        let row = conn
            .prepare_cached(
                "SELECT state, COALESCE(title, ''), answer, created_at FROM groups WHERE id = ?1",
            )?
            .query_row([id], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    parse_stamp(3, r.get(3)?)?,
                ))
            })
            .optional()?;
        let Some((state, title, answer, created)) = row else {
            return Ok(None);
        };
        // A linked group's questions are those its link holds: one linked elsewhere since is
        // that answer's now.
        let linked = (state == GroupState::Answered.as_str())
            .then_some(answer.as_deref())
            .flatten();
        let mut select = conn.prepare_cached(
            "SELECT q.id, q.text, q.asked_at, c.kind FROM questions q JOIN calls c ON c.id = q.call_id
             WHERE q.group_id = ?1 AND (?2 IS NULL OR q.answer IS ?2)
             ORDER BY q.asked_at DESC, q.id DESC",
        )?;
        let rows: Vec<(i64, String, DateTime<Utc>, CallKind)> = select
            .query_map(params![id, linked], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    parse_stamp(2, r.get(2)?)?,
                    kind_at(r, 3)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let primary = rows.iter().filter(|r| r.3 == CallKind::Primary).count();
        Ok(Some(TypicalQuestion {
            id,
            state: GroupState::parse(&state).unwrap_or(GroupState::Open),
            title: if title.is_empty() {
                rows.last().map(|r| r.1.clone()).unwrap_or_default()
            } else {
                title
            },
            count: rows.len(),
            primary,
            secondary: rows.len() - primary,
            recent: 0,
            first_asked: rows.iter().map(|r| r.2).min().unwrap_or(created),
            last_asked: rows.iter().map(|r| r.2).max().unwrap_or(created),
            wordings: wordings(rows.iter().map(|r| r.1.as_str())),
            questions: rows.into_iter().map(|r| (r.0, r.1)).collect(),
            answer,
        }))
    }

    /// An editor links a group to an answer: every question of it gets the link (and teaches
    /// search); the group is answered. `false` if there is no open or dismissed group `id`.
    pub fn link_group(
        &self,
        id: GroupId,
        answer: &str,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        let mut conn = self.lock();
        let tx = write(&mut conn).context("linking a group")?;
        if !decidable(&tx, id)? {
            return Ok(false);
        }
        let version = links::next_version(&tx)?;
        let questions: Vec<i64> = tx
            .prepare("SELECT id FROM questions WHERE group_id = ?1 AND answer IS NULL")?
            .query_map([id], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        for q in &questions {
            tx.prepare_cached(
                "UPDATE questions SET answer = ?2, link_version = ?3, assigned = 0, placed_by_editor = 1, \
                 declined = 0 WHERE id = ?1",
            )?
            .execute(params![q, answer, version])?;
            outbox::add(&tx, *q)?;
        }
        tx.prepare_cached(
            "UPDATE groups SET state = 'answered', answer = ?2, decided_by = ?3, decided_at = ?4 WHERE id = ?1",
        )?
        .execute(params![id, answer, by, stamp(now)])?;
        tx.commit().context("linking a group")?;
        Ok(true)
    }

    /// An editor merges group `from` into `into`. `false` if either is missing or closed.
    pub fn merge_groups(
        &self,
        from: GroupId,
        into: GroupId,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        if from == into {
            bail!("a group cannot be merged into itself");
        }
        let mut conn = self.lock();
        let tx = write(&mut conn).context("merging groups")?;
        if !decidable(&tx, from)? || !decidable(&tx, into)? {
            return Ok(false);
        }
        // Both groups' questions are the editor's from now on: kept together by a regroup.
        tx.execute(
            "UPDATE questions SET group_id = ?2, placed_by_editor = 1, assigned = 0
             WHERE group_id IN (?1, ?2) AND answer IS NULL",
            params![from, into],
        )?;
        close_group(&tx, from, into)?;
        decided(&tx, from, by, now)?;
        decided(&tx, into, by, now)?;
        tx.commit().context("merging groups")?;
        Ok(true)
    }

    /// An editor moves one question to another group. `false` if either is missing.
    pub fn move_question(
        &self,
        question: i64,
        to: GroupId,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        let mut conn = self.lock();
        let tx = write(&mut conn).context("moving a question")?;
        if !decidable(&tx, to)? {
            return Ok(false);
        }
        let from: Option<Option<GroupId>> = tx
            .query_row(
                "SELECT group_id FROM questions WHERE id = ?1",
                [question],
                |r| r.get(0),
            )
            .optional()?;
        let moved = tx.execute(
            "UPDATE questions SET group_id = ?2, matched = NULL, placed_by_editor = 1, assigned = 0
             WHERE id = ?1 AND answer IS NULL",
            params![question, to],
        )?;
        if moved == 0 {
            // No such question, or one linked to an answer: nothing written.
            return Ok(false);
        }
        if let Some(Some(from)) = from {
            forget_stale_title(&tx, from)?;
        }
        decided(&tx, to, by, now)?;
        tx.commit().context("moving a question")?;
        Ok(true)
    }

    /// An editor splits questions off group `id` into a new group; its id. The questions left
    /// behind are the editor's too, so that a regroup keeps them apart. Every question named
    /// must be in the group, and one at least must stay: otherwise nothing is written.
    pub fn split_group(
        &self,
        id: GroupId,
        questions: &[i64],
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<Split> {
        let mut conn = self.lock();
        let tx = write(&mut conn).context("splitting a group")?;
        if !decidable(&tx, id)? {
            return Ok(Split::NoGroup);
        }
        let members: std::collections::HashSet<i64> = tx
            .prepare_cached("SELECT id FROM questions WHERE group_id = ?1 AND answer IS NULL")?
            .query_map([id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        if let Some(&stray) = questions.iter().find(|q| !members.contains(q)) {
            return Ok(Split::NotInGroup(stray));
        }
        let taken: std::collections::HashSet<i64> = questions.iter().copied().collect();
        if taken.is_empty() || taken.len() >= members.len() {
            return Ok(Split::Whole);
        }
        tx.execute("INSERT INTO groups (created_at) VALUES (?1)", [stamp(now)])?;
        let new = tx.last_insert_rowid();
        tx.execute(
            "UPDATE questions SET placed_by_editor = 1, assigned = 0 WHERE group_id = ?1 AND answer IS NULL",
            [id],
        )?;
        for q in questions {
            tx.execute(
                "UPDATE questions SET group_id = ?3 WHERE id = ?1 AND group_id = ?2",
                params![q, id, new],
            )?;
        }
        forget_stale_title(&tx, id)?;
        decided(&tx, id, by, now)?;
        decided(&tx, new, by, now)?;
        tx.commit().context("splitting a group")?;
        Ok(Split::Done(new))
    }

    /// An editor dismisses a group: not a question for the knowledge base. Its questions stay
    /// in it, and similar ones join it without reaching the queue.
    pub fn dismiss_group(&self, id: GroupId, by: &str, now: DateTime<Utc>) -> Result<bool> {
        let mut conn = self.lock();
        let tx = write(&mut conn).context("dismissing a group")?;
        if !decidable(&tx, id)? {
            return Ok(false);
        }
        tx.execute(
            "UPDATE questions SET placed_by_editor = 1, assigned = 0 WHERE group_id = ?1 AND answer IS NULL",
            [id],
        )?;
        tx.execute("UPDATE groups SET state = 'dismissed' WHERE id = ?1", [id])?;
        decided(&tx, id, by, now)?;
        tx.commit().context("dismissing a group")?;
        Ok(true)
    }

    /// Questions the grouping matched to answer `slug` (retired) and nobody linked go to be
    /// placed again, in the editors' queue; how many.
    pub fn release_matched(&self, slug: &str) -> Result<usize> {
        let released = self
            .lock()
            .prepare_cached(
                "UPDATE questions SET matched = NULL, assigned = 0 \
                 WHERE matched = ?1 AND answer IS NULL",
            )?
            .execute([slug])
            .with_context(|| format!("releasing the questions matched to {slug}"))?;
        Ok(released)
    }

    /// An editor puts a dismissed group back in the queue, or undoes a group's link to an
    /// answer (the questions it linked lose that link and go back to the group, for the
    /// grouping to read them again); the answer whose link was undone (`Some(None)`: a
    /// dismissed group), or `None` when there is no such group `id`. Its questions stay in it,
    /// placed by the editor.
    pub fn reopen_group(
        &self,
        id: GroupId,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<Option<String>>> {
        let mut conn = self.lock();
        let tx = write(&mut conn).context("reopening a group")?;
        let stood: Option<(String, Option<String>)> = tx
            .prepare_cached("SELECT state, answer FROM groups WHERE id = ?1")?
            .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        let unlinked = match stood {
            Some((state, _)) if state == "dismissed" => None,
            Some((state, Some(answer))) if state == "answered" => {
                // Only the links the group made: a question an operator linked since to
                // another answer keeps that.
                let version = links::next_version(&tx)?;
                let questions: Vec<i64> = tx
                    .prepare("SELECT id FROM questions WHERE group_id = ?1 AND answer = ?2")?
                    .query_map(params![id, answer], |r| r.get(0))?
                    .collect::<rusqlite::Result<Vec<_>>>()?;
                for q in &questions {
                    tx.prepare_cached(
                        "UPDATE questions SET answer = NULL, link_version = ?2, assigned = 0, \
                         placed_by_editor = 1, matched = NULL WHERE id = ?1",
                    )?
                    .execute(params![q, version])?;
                    outbox::add(&tx, *q)?;
                }
                Some(answer)
            }
            _ => return Ok(None),
        };
        tx.execute(
            "UPDATE groups SET state = 'open', answer = NULL WHERE id = ?1",
            [id],
        )?;
        decided(&tx, id, by, now)?;
        tx.commit().context("reopening a group")?;
        Ok(Some(unlinked))
    }

    /// Forgets what the grouping decided by itself (editors' decisions stay), so that it
    /// decides again over the whole history; returns how many questions wait.
    pub fn reset_grouping(&self) -> Result<usize> {
        let mut conn = self.lock();
        let tx = write(&mut conn).context("resetting the grouping")?;
        tx.execute(
            "UPDATE questions SET group_id = NULL, matched = NULL WHERE placed_by_editor = 0",
            [],
        )?;
        tx.execute("UPDATE questions SET assigned = 0", [])?;
        tx.execute(
            "DELETE FROM groups WHERE decided_by IS NULL
               AND NOT EXISTS (SELECT 1 FROM questions q WHERE q.group_id = groups.id)",
            [],
        )?;
        let waiting: i64 = tx.query_row("SELECT COUNT(*) FROM questions", [], |r| r.get(0))?;
        tx.commit().context("resetting the grouping")?;
        Ok(waiting as usize)
    }

    /// The open groups most asked on calls of `kind` lately (two questions or more), as (id,
    /// title, count), most first.
    pub fn frequent_groups(
        &self,
        kind: CallKind,
        since: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<(GroupId, String, u64)>> {
        let conn = self.lock();
        let mut select = conn.prepare_cached(
            "SELECT g.id, COALESCE(g.title, MIN(q.text)), COUNT(*) AS n
             FROM groups g JOIN questions q ON q.group_id = g.id JOIN calls c ON c.id = q.call_id
             WHERE g.state = 'open' AND c.kind = ?1 AND q.asked_at >= ?2
             GROUP BY g.id HAVING n >= 2 ORDER BY n DESC, g.id LIMIT ?3",
        )?;
        let rows = select
            .query_map(
                params![kind.as_str(), stamp(since), sql_limit(limit)],
                |r| Ok((r.get(0)?, r.get(1)?, r.get::<_, i64>(2)? as u64)),
            )?
            .collect::<rusqlite::Result<Vec<_>>>()
            .context("counting groups")?;
        Ok(rows)
    }
}

/// Whether a group exists and is open or dismissed.
fn decidable(tx: &Transaction<'_>, id: GroupId) -> Result<bool> {
    let state: Option<String> = tx
        .prepare_cached("SELECT state FROM groups WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?;
    Ok(matches!(state.as_deref(), Some("open") | Some("dismissed")))
}

fn decided(tx: &Transaction<'_>, id: GroupId, by: &str, now: DateTime<Utc>) -> Result<()> {
    tx.prepare_cached("UPDATE groups SET decided_by = ?2, decided_at = ?3 WHERE id = ?1")?
        .execute(params![id, by, stamp(now)])?;
    Ok(())
}

fn close_group(tx: &Transaction<'_>, from: GroupId, into: GroupId) -> Result<()> {
    tx.prepare_cached("UPDATE groups SET state = 'merged', merged_into = ?2 WHERE id = ?1")?
        .execute(params![from, into])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::testing::store;

    /// A call asked these questions, none linked, now: their ids.
    fn asked<const N: usize>(store: &Store, texts: [&str; N], now: DateTime<Utc>) -> [i64; N] {
        let call = store.create_call(&Default::default(), now).unwrap().call.id;
        texts.map(|text| {
            store
                .add_question(call, text, None, now, false)
                .unwrap()
                .unwrap()
                .id
        })
    }

    #[test]
    fn a_placement_an_editor_overtook_is_not_written_and_is_read_again() {
        let (_dir, store) = store();
        let now = Utc::now();
        let [first, linked, late] = asked(
            &store,
            ["оплата картой", "оплата счётом", "оплата онлайн"],
            now,
        );
        let batch = GroupingBatch {
            placements: vec![(first, Placement::Group(-1))],
            changes: vec![Change::Created(-1)],
            titles: Vec::new(),
        };
        let (ids, refused) = store.save_grouping(&batch, now).unwrap();
        assert!(refused.is_empty());
        let group = ids[&-1];
        // Meanwhile an editor merged the group away, and an operator linked a question.
        store
            .lock()
            .execute("UPDATE groups SET state = 'merged' WHERE id = ?1", [group])
            .unwrap();
        store
            .lock()
            .execute(
                "UPDATE questions SET answer = 'prices' WHERE id = ?1",
                [linked],
            )
            .unwrap();
        let batch = GroupingBatch {
            placements: vec![
                (linked, Placement::Group(group)),
                (late, Placement::Group(group)),
            ],
            changes: vec![Change::Placed {
                question: late,
                group,
            }],
            titles: Vec::new(),
        };
        let (_, refused) = store.save_grouping(&batch, now).unwrap();
        assert_eq!(refused, [linked, late]);
        let waiting: Vec<i64> = store.unassigned(10).unwrap().iter().map(|u| u.id).collect();
        assert_eq!(waiting, [linked, late], "read again");
        let group_of = |q: i64| -> Option<i64> {
            store
                .read()
                .query_row("SELECT group_id FROM questions WHERE id = ?1", [q], |r| {
                    r.get(0)
                })
                .unwrap()
        };
        assert_eq!((group_of(linked), group_of(late)), (None, None));
        // One left in the closed group by an earlier release goes back to the grouping.
        assert_eq!(group_of(first), Some(group));
        assert_eq!(store.release_stranded().unwrap(), 1);
        assert_eq!(group_of(first), None);
        let waiting: Vec<i64> = store.unassigned(10).unwrap().iter().map(|u| u.id).collect();
        assert!(waiting.contains(&first));
    }

    #[test]
    fn a_groups_link_undone_unlinks_what_it_linked_after_the_grouping_read_them() {
        let (_dir, store) = store();
        let now = Utc::now();
        let [a, b] = asked(&store, ["ремонт квадрокоптера", "чините дроны?"], now);
        let batch = GroupingBatch {
            placements: vec![(a, Placement::Group(-1)), (b, Placement::Group(-1))],
            changes: vec![Change::Created(-1)],
            titles: Vec::new(),
        };
        let group = store.save_grouping(&batch, now).unwrap().0[&-1];
        assert!(store.link_group(group, "complaint", "elena", now).unwrap());
        // The grouping reads the linked questions, as its job does after a link.
        let waiting: Vec<i64> = store.unassigned(10).unwrap().iter().map(|u| u.id).collect();
        assert_eq!(waiting, [a, b]);
        let batch = GroupingBatch {
            placements: vec![(a, Placement::Linked), (b, Placement::Linked)],
            changes: Vec::new(),
            titles: Vec::new(),
        };
        store.save_grouping(&batch, now).unwrap();
        // An operator links one of them elsewhere meanwhile: that link is theirs, and the
        // linked group holds the other only.
        store.set_answer(b, Some("repairs"), true).unwrap();
        let linked = store.typical_question(group).unwrap().unwrap();
        let held: Vec<i64> = linked.questions.iter().map(|(id, _)| *id).collect();
        assert_eq!((held, linked.count), (vec![a], 1));
        assert!(store.reopen_group(group, "elena", now).unwrap().is_some());
        let answer_of = |q: i64| -> Option<String> {
            store
                .read()
                .query_row("SELECT answer FROM questions WHERE id = ?1", [q], |r| {
                    r.get(0)
                })
                .unwrap()
        };
        assert_eq!(answer_of(a), None, "the group's link undone");
        assert_eq!(answer_of(b).as_deref(), Some("repairs"));
        let back = store.unassigned(10).unwrap();
        let a_back = back.iter().find(|u| u.id == a).expect("read again");
        assert_eq!(a_back.editor_group, Some(group), "back in its group");
        assert!(
            store.reopen_group(group, "elena", now).unwrap().is_none(),
            "open already"
        );
    }
}
