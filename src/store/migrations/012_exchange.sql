-- Calls as the phone exchange reports them: one row per call of the exchange (its id for the
-- whole call, never one per leg or per phone of a ring group), linked to the call record it
-- became, if any. `caller_key` is the caller's number in normal form (erased with the calls'
-- personal data).
CREATE TABLE exchange_calls (
    id          INTEGER PRIMARY KEY,
    exchange    TEXT NOT NULL,
    call_id     TEXT NOT NULL,
    state       TEXT NOT NULL CHECK (state IN ('ringing', 'answered', 'ended')),
    ending      TEXT CHECK (ending IN ('answered', 'missed', 'busy', 'voice_menu')),
    caller      TEXT,
    caller_key  TEXT,
    called      TEXT,
    extension   TEXT,
    call        INTEGER REFERENCES calls (id) ON DELETE SET NULL,
    started_at  TEXT NOT NULL,
    answered_at TEXT,
    ended_at    TEXT,
    UNIQUE (exchange, call_id)
);
CREATE INDEX exchange_calls_call ON exchange_calls (call);
CREATE INDEX exchange_calls_caller ON exchange_calls (caller_key);
CREATE INDEX exchange_calls_started ON exchange_calls (started_at);
-- Every event taken, by its key (`exchange:call:kind`): a replayed or duplicated event finds its
-- key here and changes nothing.
CREATE TABLE exchange_events (
    key           TEXT PRIMARY KEY,
    exchange_call INTEGER NOT NULL REFERENCES exchange_calls (id) ON DELETE CASCADE,
    received_at   TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX exchange_events_call ON exchange_events (exchange_call);
