-- foreign keys off: the accounts table is rebuilt, since a CHECK cannot be altered in place.
-- Managers are accounts: the `manager` role (an operator's rights plus callbacks), and how an
-- account is shown (`display_name`), told of what it owns (`email`) and rung (`extension`).
CREATE TABLE accounts_new (
    id                   INTEGER PRIMARY KEY,
    login                TEXT NOT NULL UNIQUE,
    password_hash        TEXT NOT NULL,
    role                 TEXT NOT NULL CHECK (role IN ('operator', 'manager', 'editor', 'head', 'admin')),
    disabled             INTEGER NOT NULL DEFAULT 0,
    must_change_password INTEGER NOT NULL DEFAULT 0,
    created_at           TEXT NOT NULL,
    display_name         TEXT,
    email                TEXT,
    extension            TEXT
);
INSERT INTO accounts_new (id, login, password_hash, role, disabled, must_change_password, created_at)
    SELECT id, login, password_hash, role, disabled, must_change_password, created_at FROM accounts;
DROP TABLE accounts;
ALTER TABLE accounts_new RENAME TO accounts;
CREATE TABLE tokens_new (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    hash       TEXT NOT NULL UNIQUE,
    role       TEXT NOT NULL CHECK (role IN ('operator', 'manager', 'editor', 'head', 'admin')),
    created_at TEXT NOT NULL,
    revoked_at TEXT
);
INSERT INTO tokens_new SELECT id, name, hash, role, created_at, revoked_at FROM tokens;
DROP TABLE tokens;
ALTER TABLE tokens_new RENAME TO tokens;
CREATE UNIQUE INDEX tokens_live_name ON tokens (name) WHERE revoked_at IS NULL;

-- Whether the operator confirmed the caller's phone or e-mail on the card (read back to them):
-- only then is it a contact captured; a number the exchange sent is only a number known.
ALTER TABLE calls ADD COLUMN contact_confirmed INTEGER NOT NULL DEFAULT 0;
-- What the desk figures count, kept when personal data is erased: 0 no way to reach the
-- caller, 1 a contact captured (confirmed, a phone of at least 10 digits or an e-mail), 2 a
-- number known only. Written with each save from now on; earlier calls typed on the card by an
-- operator (not a machine) with such a contact count as captured.
DROP TRIGGER calls_contact_insert;
DROP TRIGGER calls_contact_update;
UPDATE calls SET contact_confirmed = 1
    WHERE contact_recorded = 1 AND operator IS NOT NULL AND operator NOT LIKE 'token:%';
UPDATE calls SET contact_recorded = CASE
    WHEN contact_recorded = 0 THEN 0
    WHEN contact_confirmed = 1 AND (phone LIKE '%@%' OR length(phone) - length(
        replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(phone,
        '0', ''), '1', ''), '2', ''), '3', ''), '4', ''), '5', ''), '6', ''), '7', ''), '8', ''), '9', '')
    ) >= 10) THEN 1
    ELSE 2 END
    WHERE erased_at IS NULL;
ALTER TABLE desk_days ADD COLUMN numbers_known INTEGER NOT NULL DEFAULT 0;
-- The desk figures are also counted per manager the call was given to ('' for none).
ALTER TABLE desk_days ADD COLUMN manager TEXT NOT NULL DEFAULT '';
DELETE FROM desk_days;
INSERT OR IGNORE INTO desk_stale SELECT DISTINCT substr(started_at, 1, 13) FROM calls;

-- The promised callback: one item per caller, owned by a manager, due, chased until it is done
-- or lost. At most one is open per caller (`caller_key`: the phone or e-mail's normal form).
CREATE TABLE callbacks (
    id            INTEGER PRIMARY KEY,
    caller_key    TEXT NOT NULL,
    name          TEXT,
    phone         TEXT,
    email         TEXT,
    company       TEXT,
    owner         TEXT,
    due           TEXT NOT NULL,
    state         TEXT NOT NULL CHECK (state IN ('open', 'done', 'lost')),
    created_at    TEXT NOT NULL,
    closed_at     TEXT,
    called_again  INTEGER NOT NULL DEFAULT 0,
    missed_calls  INTEGER NOT NULL DEFAULT 0,
    first_attempt TEXT,
    lost_reason   TEXT,
    note          TEXT,
    -- Whether the owner was told it is overdue, and the heads that it is long overdue (both
    -- cleared when the due time moves), so that the notices job looks only at the rest.
    overdue_told  INTEGER NOT NULL DEFAULT 0,
    escalated     INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX callbacks_one_open ON callbacks (caller_key) WHERE state = 'open';
CREATE INDEX callbacks_owner ON callbacks (owner, state, due);
CREATE INDEX callbacks_to_chase ON callbacks (due) WHERE state = 'open' AND escalated = 0;
CREATE INDEX callbacks_created ON callbacks (created_at);
-- The calls a callback came from (the first, and those of a caller who called again).
CREATE TABLE callback_calls (
    callback_id INTEGER NOT NULL REFERENCES callbacks (id) ON DELETE CASCADE,
    call_id     INTEGER NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
    PRIMARY KEY (callback_id, call_id)
);
CREATE INDEX callback_calls_call ON callback_calls (call_id);
-- Each try to call back: when, by whom, what came of it.
CREATE TABLE callback_attempts (
    id          INTEGER PRIMARY KEY,
    callback_id INTEGER NOT NULL REFERENCES callbacks (id) ON DELETE CASCADE,
    at          TEXT NOT NULL,
    by          TEXT NOT NULL,
    result      TEXT NOT NULL CHECK (result IN ('reached', 'no_answer', 'lost', 'handed_over', 'rescheduled')),
    note        TEXT,
    reason      TEXT
);
CREATE INDEX callback_attempts_callback ON callback_attempts (callback_id, at);
-- Notices waiting to be sent (an e-mail to one address, or the webhook), once per event: the
-- key is the event's (and the address's), so that a second enqueue of the same is ignored and a
-- restart sends what is left, never again what was sent.
CREATE TABLE notices (
    id         INTEGER PRIMARY KEY,
    key        TEXT NOT NULL UNIQUE,
    channel    TEXT NOT NULL CHECK (channel IN ('email', 'webhook')),
    recipient  TEXT NOT NULL,
    subject    TEXT NOT NULL,
    body       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    attempts   INTEGER NOT NULL DEFAULT 0,
    next_at    TEXT NOT NULL,
    sent_at    TEXT,
    last_error TEXT
);
CREATE INDEX notices_waiting ON notices (next_at) WHERE sent_at IS NULL;
-- Calls that promised a callback before this step become callbacks when the app next opens
-- (a caller's key is the phone's normal form, computed in Rust): each owned by the manager
-- whose login or display name the call names, else unassigned for the heads to give.
CREATE TABLE callbacks_to_adopt (call_id INTEGER PRIMARY KEY);
INSERT INTO callbacks_to_adopt SELECT id FROM calls WHERE outcome = 'callback' AND erased_at IS NULL;
