-- What the desk made of a call of the exchange nobody answered: a callback opened for it
-- (`callback`), a hidden number nobody can call back (`no_number`), a number on the list not
-- to call back (`ignored`). The desk report counts missed calls by it. Earlier calls are read
-- from what they left: a callback where the caller's number is known, else no number.
ALTER TABLE exchange_calls ADD COLUMN missed TEXT
    CHECK (missed IN ('callback', 'no_number', 'ignored'));
UPDATE exchange_calls SET missed = CASE WHEN caller_key IS NULL THEN 'no_number' ELSE 'callback' END
    WHERE state = 'ended' AND ending IN ('missed', 'busy') AND answered_at IS NULL;
CREATE INDEX exchange_calls_missed ON exchange_calls (started_at) WHERE missed IS NOT NULL;
