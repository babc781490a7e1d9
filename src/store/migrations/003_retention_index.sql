-- The retention sweep reads only calls not erased yet, so it stays quick as history grows.
CREATE INDEX calls_not_erased ON calls (started_at) WHERE erased_at IS NULL;
