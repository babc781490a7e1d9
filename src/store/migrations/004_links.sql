-- What the learned ranking needs to follow the links: a version counted up on every change of a
-- question's link (`meta.links_version`) and stamped on the question (`link_version`), so that a
-- model saved at version V replays only the questions changed after it.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
INSERT INTO meta (key, value) VALUES ('links_version', 0);
ALTER TABLE questions ADD COLUMN link_version INTEGER NOT NULL DEFAULT 0;
-- Links made before this step count as changed at version 1.
UPDATE questions SET link_version = 1 WHERE answer IS NOT NULL;
UPDATE meta SET value = 1
 WHERE key = 'links_version' AND EXISTS (SELECT 1 FROM questions WHERE answer IS NOT NULL);
CREATE INDEX questions_link_version ON questions (link_version);
-- Linked questions deleted (logged by mistake): the learned ranking forgets them too.
CREATE TABLE forgotten_links (
    question     INTEGER NOT NULL,
    text         TEXT NOT NULL,
    link_version INTEGER NOT NULL
);
CREATE INDEX forgotten_links_version ON forgotten_links (link_version);
