-- Calls, caller questions, and the search index's outbox.
CREATE TABLE calls (
    id               INTEGER PRIMARY KEY,
    started_at       TEXT NOT NULL,
    ended_at         TEXT,
    operator         TEXT,
    kind             TEXT NOT NULL CHECK (kind IN ('primary', 'secondary')),
    potential_client INTEGER NOT NULL CHECK (potential_client IN (0, 1)),
    name             TEXT,
    phone            TEXT,
    phone_key        TEXT,
    company          TEXT,
    company_key      TEXT,
    topic            TEXT,
    outcome          TEXT CHECK (outcome IN ('answered', 'transferred', 'callback', 'not_a_client')),
    manager          TEXT,
    callback_due     TEXT,
    notes            TEXT
);
-- kind beside started_at, answer beside call_id: the top answers are counted from the
-- indexes alone, without reading a row.
CREATE INDEX calls_started_at ON calls (started_at, kind);
-- (key, started_at): finding a caller's earlier calls reads only those.
CREATE INDEX calls_phone_key ON calls (phone_key, started_at);
CREATE INDEX calls_company_key ON calls (company_key, started_at);
CREATE INDEX calls_callback_due ON calls (callback_due);

CREATE TABLE questions (
    id       INTEGER PRIMARY KEY,
    call_id  INTEGER NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
    text     TEXT NOT NULL,
    asked_at TEXT NOT NULL,
    answer   TEXT
);
CREATE INDEX questions_call_id ON questions (call_id, answer);
CREATE INDEX questions_answer ON questions (answer);

CREATE TABLE index_outbox (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    question_id INTEGER NOT NULL
);
