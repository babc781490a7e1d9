-- The call a manager opens on a caller just reached to call them back, to log what they ask
-- further: a call the desk made, not one it took, so its screen shows no incoming script.
CREATE TABLE callback_follow_ups (
    call_id     INTEGER PRIMARY KEY REFERENCES calls (id) ON DELETE CASCADE,
    callback_id INTEGER NOT NULL REFERENCES callbacks (id) ON DELETE CASCADE
);
-- Such a call leaves the desk's figures: its day is counted again without it.
CREATE TRIGGER callback_follow_ups_report AFTER INSERT ON callback_follow_ups
BEGIN
    INSERT OR IGNORE INTO desk_stale SELECT substr(started_at, 1, 13) FROM calls WHERE id = NEW.call_id;
END;
