-- The call a manager opens on a caller just reached to call them back, to log what they ask
-- further: a call the desk made, not one it took, so its screen shows no incoming script.
CREATE TABLE callback_follow_ups (
    call_id     INTEGER PRIMARY KEY REFERENCES calls (id) ON DELETE CASCADE,
    callback_id INTEGER NOT NULL REFERENCES callbacks (id) ON DELETE CASCADE
);
