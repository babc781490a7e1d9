-- When a callback is to be tried next after a reschedule or an attempt with no answer, as a
-- time (the attempt's reason says it as the desk shows it). Earlier attempts do not know it.
ALTER TABLE callback_attempts ADD COLUMN next_due TEXT;
