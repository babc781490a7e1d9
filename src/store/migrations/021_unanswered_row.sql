-- The desk report's operators' table gives the calls nobody answered (a missed call the phone
-- exchange told of, which the desk keeps for its callback) a row of their own, apart from the
-- calls recorded with no operator. Every day is counted again once.
ALTER TABLE desk_days ADD COLUMN unanswered INTEGER NOT NULL DEFAULT 0;
-- A call the exchange's word links to, or marks missed, later than it was recorded counts its
-- day again.
CREATE TRIGGER exchange_calls_report AFTER UPDATE OF call, missed ON exchange_calls
WHEN NEW.call IS NOT NULL
BEGIN
    INSERT INTO desk_stale SELECT substr(c.started_at, 1, 13) FROM calls c
        WHERE c.id = NEW.call
          AND NOT EXISTS (SELECT 1 FROM desk_stale WHERE hour = substr(c.started_at, 1, 13));
END;
DELETE FROM desk_days;
INSERT OR IGNORE INTO desk_stale SELECT DISTINCT substr(started_at, 1, 13) FROM calls;
