-- A call's manager changed alone (a name in desk.toml matched to a manager's login, at start or
-- when an admin names a manager) counts its desk day again: the desk report's manager rows,
-- and the calls listed behind them, read the same manager. Every day is counted again once.
DROP TRIGGER calls_report_update;
CREATE TRIGGER calls_report_update
AFTER UPDATE OF started_at, operator, manager, kind, potential_client, contact_recorded, outcome,
    callback_done_at ON calls
BEGIN
    INSERT INTO desk_stale SELECT substr(OLD.started_at, 1, 13)
        WHERE NOT EXISTS (SELECT 1 FROM desk_stale WHERE hour = substr(OLD.started_at, 1, 13));
    INSERT INTO desk_stale SELECT substr(NEW.started_at, 1, 13)
        WHERE NOT EXISTS (SELECT 1 FROM desk_stale WHERE hour = substr(NEW.started_at, 1, 13));
END;
DELETE FROM desk_days;
INSERT OR IGNORE INTO desk_stale SELECT DISTINCT substr(started_at, 1, 13) FROM calls;
