-- The due time first promised to the caller, kept when a callback is rescheduled or handed
-- over: a callback is done in time when its owner first tried by then. Earlier callbacks take
-- their current due time.
ALTER TABLE callbacks ADD COLUMN promised_due TEXT;
UPDATE callbacks SET promised_due = due WHERE promised_due IS NULL;
