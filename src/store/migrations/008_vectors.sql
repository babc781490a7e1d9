-- What the sentence model made of a text: a vector of 384 signed bytes and its scale, computed
-- once per distinct text (a caller question, an answer's title or phrasing) and kept, never
-- recomputed at start.
CREATE TABLE sentence_vectors (
    text   TEXT PRIMARY KEY,
    vector BLOB NOT NULL
) WITHOUT ROWID;
-- Whether a question's text has its vector; the embedding job works through the rest.
ALTER TABLE questions ADD COLUMN embedded INTEGER NOT NULL DEFAULT 0;
CREATE INDEX questions_unembedded ON questions (id) WHERE embedded = 0;
