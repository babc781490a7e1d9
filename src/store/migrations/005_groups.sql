-- Typical questions that have no answer yet: groups of caller questions that mean the same
-- thing, made by the grouping as questions are logged and kept by editors' decisions.
CREATE TABLE groups (
    id          INTEGER PRIMARY KEY,
    created_at  TEXT NOT NULL,
    -- open: in the editors' queue; answered: linked to an answer; dismissed: not a question
    -- for the knowledge base; merged: its questions went to `merged_into`.
    state       TEXT NOT NULL DEFAULT 'open'
                CHECK (state IN ('open', 'answered', 'dismissed', 'merged')),
    -- The phrasing that stands for the group (the one closest to its centre).
    title       TEXT,
    answer      TEXT,
    merged_into INTEGER,
    decided_by  TEXT,
    decided_at  TEXT
);
-- Where the grouping put a question nobody linked: a group, or the answer it matched with
-- confidence. `placed_by_editor`: an editor put it there, and a regroup keeps it.
-- `assigned = 0`: the grouping has still to read or decide its place.
ALTER TABLE questions ADD COLUMN group_id INTEGER;
ALTER TABLE questions ADD COLUMN matched TEXT;
ALTER TABLE questions ADD COLUMN placed_by_editor INTEGER NOT NULL DEFAULT 0;
ALTER TABLE questions ADD COLUMN assigned INTEGER NOT NULL DEFAULT 0;
CREATE INDEX questions_group ON questions (group_id) WHERE group_id IS NOT NULL;
CREATE INDEX questions_unassigned ON questions (id) WHERE assigned = 0;
CREATE INDEX questions_matched ON questions (matched) WHERE matched IS NOT NULL;
