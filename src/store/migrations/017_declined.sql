-- A question a person logged on the desk, or unlinked, with no answer chosen: they saw the
-- answers offered and took none, so the grouping never counts it under an answer by itself
-- (it goes to a group of unanswered questions, for the editors). Questions from the exchange,
-- an import or a machine's token are matched as before.
ALTER TABLE questions ADD COLUMN declined INTEGER NOT NULL DEFAULT 0;
