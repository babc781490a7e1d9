-- Whether anything was recorded on a call: a field of the card (name, phone, company, topic,
-- notes, outcome, manager, callback) or a caller question. A card started and left empty is
-- not a potential client in the desk figures, whatever its kind. Like `contact_recorded`, the
-- mark stays when personal data is erased, so that old weeks keep their figures; calls erased
-- before this step count as recorded.
ALTER TABLE calls ADD COLUMN recorded INTEGER NOT NULL DEFAULT 0;
UPDATE calls SET recorded = 1
    WHERE erased_at IS NOT NULL
       OR COALESCE(NULLIF(TRIM(name), ''), NULLIF(TRIM(phone), ''), NULLIF(TRIM(company), ''),
                   NULLIF(TRIM(topic), ''), NULLIF(TRIM(notes), ''), outcome,
                   NULLIF(TRIM(manager), ''), callback_due) IS NOT NULL
       OR EXISTS (SELECT 1 FROM questions q WHERE q.call_id = calls.id);
CREATE TRIGGER calls_recorded_insert AFTER INSERT ON calls
WHEN COALESCE(NULLIF(TRIM(NEW.name), ''), NULLIF(TRIM(NEW.phone), ''), NULLIF(TRIM(NEW.company), ''),
              NULLIF(TRIM(NEW.topic), ''), NULLIF(TRIM(NEW.notes), ''), NEW.outcome,
              NULLIF(TRIM(NEW.manager), ''), NEW.callback_due) IS NOT NULL
BEGIN
    UPDATE calls SET recorded = 1 WHERE id = NEW.id;
END;
CREATE TRIGGER calls_recorded_update
AFTER UPDATE OF name, phone, company, topic, notes, outcome, manager, callback_due ON calls
WHEN NEW.recorded = 0
 AND COALESCE(NULLIF(TRIM(NEW.name), ''), NULLIF(TRIM(NEW.phone), ''), NULLIF(TRIM(NEW.company), ''),
              NULLIF(TRIM(NEW.topic), ''), NULLIF(TRIM(NEW.notes), ''), NEW.outcome,
              NULLIF(TRIM(NEW.manager), ''), NEW.callback_due) IS NOT NULL
BEGIN
    UPDATE calls SET recorded = 1 WHERE id = NEW.id;
END;
CREATE TRIGGER questions_recorded AFTER INSERT ON questions BEGIN
    UPDATE calls SET recorded = 1 WHERE id = NEW.call_id AND recorded = 0;
END;
-- The desk day of a call that became recorded is counted again.
CREATE TRIGGER calls_recorded_report AFTER UPDATE OF recorded ON calls
WHEN NEW.recorded IS NOT OLD.recorded
BEGIN
    INSERT INTO desk_stale SELECT substr(NEW.started_at, 1, 13)
        WHERE NOT EXISTS (SELECT 1 FROM desk_stale WHERE hour = substr(NEW.started_at, 1, 13));
END;
-- Days with calls that had nothing recorded are counted again.
INSERT OR IGNORE INTO desk_stale SELECT DISTINCT substr(started_at, 1, 13) FROM calls WHERE recorded = 0;
