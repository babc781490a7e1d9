-- An attempt may also be the caller's own call, helped at the desk («поговорили сейчас»): done,
-- but nobody called back. Such closes were written as «reached» with the note `call N`; they
-- become what they were, and their callback's first attempt is counted again from the
-- managers' own tries only (none: the report counts it apart, not as done in time).
CREATE TABLE callback_attempts_new (
    id          INTEGER PRIMARY KEY,
    callback_id INTEGER NOT NULL REFERENCES callbacks (id) ON DELETE CASCADE,
    at          TEXT NOT NULL,
    by          TEXT NOT NULL,
    result      TEXT NOT NULL CHECK (result IN ('reached', 'no_answer', 'lost', 'handed_over',
                                                'rescheduled', 'talked_at_desk')),
    note        TEXT,
    reason      TEXT,
    from_owner  TEXT,
    next_due    TEXT
);
INSERT INTO callback_attempts_new (id, callback_id, at, by, result, note, reason, from_owner, next_due)
    SELECT id, callback_id, at, by,
           CASE WHEN result = 'reached' AND note GLOB 'call [0-9]*'
                     AND substr(note, 6) NOT GLOB '*[^0-9]*'
                THEN 'talked_at_desk' ELSE result END,
           note, reason, from_owner, next_due
    FROM callback_attempts;
DROP TABLE callback_attempts;
ALTER TABLE callback_attempts_new RENAME TO callback_attempts;
CREATE INDEX callback_attempts_callback ON callback_attempts (callback_id, at);
UPDATE callbacks SET first_attempt =
        (SELECT MIN(a.at) FROM callback_attempts a
         WHERE a.callback_id = callbacks.id AND a.result IN ('reached', 'no_answer', 'lost'))
    WHERE id IN (SELECT callback_id FROM callback_attempts WHERE result = 'talked_at_desk');
