-- A call that ended «Не клиент» counts as no potential client in the desk report, whatever its
-- box said (operators left it ticked): the desk's days are counted again by that rule.
DELETE FROM desk_days;
INSERT OR IGNORE INTO desk_stale SELECT DISTINCT substr(started_at, 1, 13) FROM calls;
