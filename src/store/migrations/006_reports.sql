-- What the reports need. Searches as the operators ran them: the words (normalised, each
-- distinct search once in `searches`), when, whether anything was found, and whether a result
-- was then opened or linked; never who the caller was.
CREATE TABLE searches (
    id    INTEGER PRIMARY KEY,
    query TEXT NOT NULL UNIQUE
);
CREATE TABLE search_log (
    id        INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    search_id INTEGER NOT NULL REFERENCES searches (id),
    found     INTEGER NOT NULL,
    chosen    TEXT CHECK (chosen IN ('opened', 'linked', 'logged'))
);
-- The searches the report lists (nothing found, or nothing opened or linked), by time, with
-- what the report counts: a period's list reads only these.
CREATE INDEX search_log_unmet ON search_log (found, at, search_id)
    WHERE found = 0 OR chosen IS NULL OR chosen = 'logged';
-- A callback the manager made.
ALTER TABLE calls ADD COLUMN callback_done_at TEXT;
-- Whether the desk recorded a way to reach the caller (a phone or an email); kept when the
-- caller's personal data is erased, so that old weeks' capture rates stay what they were.
ALTER TABLE calls ADD COLUMN contact_recorded INTEGER NOT NULL DEFAULT 0;
UPDATE calls SET contact_recorded = TRIM(COALESCE(phone, '')) <> '';
CREATE TRIGGER calls_contact_insert AFTER INSERT ON calls BEGIN
    UPDATE calls SET contact_recorded = TRIM(COALESCE(NEW.phone, '')) <> '' WHERE id = NEW.id;
END;
CREATE TRIGGER calls_contact_update AFTER UPDATE OF phone ON calls WHEN NEW.erased_at IS NULL BEGIN
    UPDATE calls SET contact_recorded = TRIM(COALESCE(NEW.phone, '')) <> '' WHERE id = NEW.id;
END;
-- Caller questions counted per desk day, kind and typical question (`answer:<slug>` or
-- `group:<id>`), rebuilt from the questions when they changed: reports read this, not a million
-- rows.
CREATE TABLE report_days (
    day  TEXT NOT NULL,
    kind TEXT NOT NULL,
    key  TEXT NOT NULL,
    n    INTEGER NOT NULL
);
CREATE INDEX report_days_day ON report_days (day);
-- The same summed per ISO week (`2026-W47`, starting on `monday`), so that a year's report reads
-- weeks and only the days at the period's edges.
CREATE TABLE report_weeks (
    monday TEXT NOT NULL,
    week   TEXT NOT NULL,
    kind   TEXT NOT NULL,
    key    TEXT NOT NULL,
    n      INTEGER NOT NULL
);
CREATE INDEX report_weeks_monday ON report_weeks (monday);
-- Calls counted per desk day and operator, for the desk figures.
CREATE TABLE desk_days (
    day            TEXT NOT NULL,
    operator       TEXT NOT NULL,
    calls          INTEGER NOT NULL,
    primary_calls  INTEGER NOT NULL,
    potential      INTEGER NOT NULL,
    contacts       INTEGER NOT NULL,
    callbacks      INTEGER NOT NULL,
    callbacks_done INTEGER NOT NULL
);
CREATE INDEX desk_days_day ON desk_days (day);
-- The UTC hours (`2026-11-28T07`) whose counts changed since the day tables were last brought
-- up to date: triggers note them, whatever wrote the change (the desk, an import, an editor's
-- decision, erasure), and the report refresh recounts the desk days they fall in. (The triggers
-- test for the hour rather than `INSERT OR IGNORE`: an upsert's conflict handling overrides a
-- trigger's.)
CREATE TABLE report_stale (hour TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE desk_stale (hour TEXT PRIMARY KEY) WITHOUT ROWID;
-- The time zone the day tables were counted in; another zone recounts everything.
CREATE TABLE report_zone (zone TEXT NOT NULL);
CREATE TRIGGER questions_report_insert AFTER INSERT ON questions BEGIN
    INSERT INTO report_stale SELECT substr(NEW.asked_at, 1, 13)
        WHERE NOT EXISTS (SELECT 1 FROM report_stale WHERE hour = substr(NEW.asked_at, 1, 13));
END;
CREATE TRIGGER questions_report_delete AFTER DELETE ON questions BEGIN
    INSERT INTO report_stale SELECT substr(OLD.asked_at, 1, 13)
        WHERE NOT EXISTS (SELECT 1 FROM report_stale WHERE hour = substr(OLD.asked_at, 1, 13));
END;
CREATE TRIGGER questions_report_update
AFTER UPDATE OF answer, matched, group_id, asked_at, call_id ON questions
WHEN NEW.answer IS NOT OLD.answer OR NEW.matched IS NOT OLD.matched
  OR NEW.group_id IS NOT OLD.group_id OR NEW.asked_at IS NOT OLD.asked_at
  OR NEW.call_id IS NOT OLD.call_id
BEGIN
    INSERT INTO report_stale SELECT substr(OLD.asked_at, 1, 13)
        WHERE NOT EXISTS (SELECT 1 FROM report_stale WHERE hour = substr(OLD.asked_at, 1, 13));
    INSERT INTO report_stale SELECT substr(NEW.asked_at, 1, 13)
        WHERE NOT EXISTS (SELECT 1 FROM report_stale WHERE hour = substr(NEW.asked_at, 1, 13));
END;
CREATE TRIGGER calls_report_insert AFTER INSERT ON calls BEGIN
    INSERT INTO desk_stale SELECT substr(NEW.started_at, 1, 13)
        WHERE NOT EXISTS (SELECT 1 FROM desk_stale WHERE hour = substr(NEW.started_at, 1, 13));
END;
CREATE TRIGGER calls_report_delete AFTER DELETE ON calls BEGIN
    INSERT INTO desk_stale SELECT substr(OLD.started_at, 1, 13)
        WHERE NOT EXISTS (SELECT 1 FROM desk_stale WHERE hour = substr(OLD.started_at, 1, 13));
END;
CREATE TRIGGER calls_report_update
AFTER UPDATE OF started_at, operator, kind, potential_client, contact_recorded, outcome,
    callback_done_at ON calls
BEGIN
    INSERT INTO desk_stale SELECT substr(OLD.started_at, 1, 13)
        WHERE NOT EXISTS (SELECT 1 FROM desk_stale WHERE hour = substr(OLD.started_at, 1, 13));
    INSERT INTO desk_stale SELECT substr(NEW.started_at, 1, 13)
        WHERE NOT EXISTS (SELECT 1 FROM desk_stale WHERE hour = substr(NEW.started_at, 1, 13));
END;
-- A call's kind is its questions' kind.
CREATE TRIGGER calls_kind_report AFTER UPDATE OF kind ON calls WHEN NEW.kind IS NOT OLD.kind BEGIN
    INSERT INTO report_stale
        SELECT DISTINCT substr(asked_at, 1, 13) AS h FROM questions
        WHERE call_id = NEW.id AND h NOT IN (SELECT hour FROM report_stale);
END;
-- What was there before this step is counted on the first refresh.
INSERT OR IGNORE INTO report_stale SELECT DISTINCT substr(asked_at, 1, 13) FROM questions;
INSERT OR IGNORE INTO desk_stale SELECT DISTINCT substr(started_at, 1, 13) FROM calls;
CREATE INDEX questions_asked_at ON questions (asked_at);
