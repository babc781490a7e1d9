-- Files loaded with `callfaq import`, by the SHA-256 of their bytes: the same file imported
-- again is recognised instead of doubling the history.
CREATE TABLE imports (
    digest TEXT PRIMARY KEY,
    file TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    calls INTEGER NOT NULL
);
