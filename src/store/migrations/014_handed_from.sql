-- Whose a callback was before each hand-over, so that its attempts say from whom to whom.
-- Earlier hand-overs do not know it.
ALTER TABLE callback_attempts ADD COLUMN from_owner TEXT;
