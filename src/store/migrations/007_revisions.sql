-- Every version of every answer file: as first loaded, saved from the browser, changed on disk
-- (seen by the watcher), restored, retired, renamed or marked reviewed. `text` is the whole
-- file; NULL when the file was removed. `version` is the text's fingerprint, what an edit form
-- carries to detect a conflict.
CREATE TABLE revisions (
    id      INTEGER PRIMARY KEY,
    slug    TEXT NOT NULL,
    at      TEXT NOT NULL,
    by      TEXT,
    how     TEXT NOT NULL
            CHECK (how IN ('loaded', 'saved', 'created', 'disk', 'restored', 'retired', 'renamed', 'reviewed')),
    text    TEXT,
    version TEXT,
    note    TEXT
);
CREATE INDEX revisions_slug ON revisions (slug, id);
-- Old slugs of renamed answers: their pages redirect to the new one.
CREATE TABLE answer_redirects (
    old_slug TEXT PRIMARY KEY,
    new_slug TEXT NOT NULL,
    at       TEXT NOT NULL
) WITHOUT ROWID;
