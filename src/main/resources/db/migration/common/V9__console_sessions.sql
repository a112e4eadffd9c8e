-- Console sign-ins: a session is found by the SHA-256 of its cookie (the cookie itself is never
-- stored), belongs to a key, and carries the CSRF token its forms must send back.
CREATE TABLE console_sessions (
  id_hash    TEXT PRIMARY KEY,
  secret_id  TEXT NOT NULL,
  csrf       TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX console_sessions_by_expiry ON console_sessions (expires_at);

-- The overview's jobs per minute: ended jobs by end time, with their state (read from the index
-- alone; written once per job, when it ends).
CREATE INDEX jobs_by_end ON jobs (ended_at, state) WHERE ended_at IS NOT NULL;

-- The delivery log's pages, newest first per bucket, in the order they page by (seq).
DROP INDEX callbacks_by_bucket;
CREATE INDEX callbacks_by_bucket ON callbacks (bucket, seq);
