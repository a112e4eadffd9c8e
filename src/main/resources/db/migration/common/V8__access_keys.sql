-- Access keys beyond the administrator's (which comes from the environment): each limited to some
-- buckets (none listed: all) and to reads or reads and writes. The secret key is sealed with
-- AES-GCM under the master key; a revoked key stays, marked, so that the audit log can name it.
CREATE TABLE access_keys (
  secret_id     TEXT PRIMARY KEY,
  sealed_secret TEXT NOT NULL,
  buckets       TEXT NOT NULL,
  read_only     INTEGER NOT NULL,
  description   TEXT NOT NULL,
  created_at    BIGINT NOT NULL,
  created_by    TEXT NOT NULL,
  revoked_at    BIGINT
);

-- Administrative changes: who (a SecretId), what, to which bucket and thing, when.
CREATE TABLE audit_log (
  seq    ${identity},
  at     BIGINT NOT NULL,
  actor  TEXT NOT NULL,
  action TEXT NOT NULL,
  bucket TEXT NOT NULL,
  target TEXT NOT NULL
);
CREATE INDEX audit_log_by_time ON audit_log (at, seq);
