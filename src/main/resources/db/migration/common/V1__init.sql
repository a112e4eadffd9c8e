CREATE TABLE queues (
  id                   TEXT PRIMARY KEY,
  bucket               TEXT NOT NULL,
  name                 TEXT NOT NULL,
  state                TEXT NOT NULL,
  max_size             INTEGER NOT NULL,
  max_concurrent       INTEGER NOT NULL,
  notify_url           TEXT NOT NULL,
  notify_type          TEXT NOT NULL,
  notify_event         TEXT NOT NULL,
  notify_state         TEXT NOT NULL,
  notify_result_format TEXT NOT NULL,
  category             TEXT NOT NULL,
  is_default           INTEGER NOT NULL,
  created_at           BIGINT NOT NULL,
  updated_at           BIGINT NOT NULL
);
CREATE UNIQUE INDEX queues_one_default_per_bucket ON queues (bucket) WHERE is_default = 1;

CREATE TABLE jobs (
  seq               ${identity},
  id                TEXT NOT NULL UNIQUE,
  bucket            TEXT NOT NULL,
  region            TEXT NOT NULL,
  queue_id          TEXT NOT NULL,
  tag               TEXT NOT NULL,
  state             TEXT NOT NULL,
  progress          INTEGER NOT NULL,
  code              TEXT NOT NULL,
  message           TEXT NOT NULL,
  input_object      TEXT NOT NULL,
  output_bucket     TEXT NOT NULL,
  output_region     TEXT NOT NULL,
  output_object     TEXT NOT NULL,
  template_id       TEXT NOT NULL,
  user_data         TEXT NOT NULL,
  job_level         INTEGER NOT NULL,
  settings          TEXT NOT NULL,
  callback_url      TEXT,
  callback_disabled INTEGER NOT NULL,
  callback_format   TEXT,
  callback_type     TEXT,
  created_at        BIGINT NOT NULL,
  started_at        BIGINT,
  ended_at          BIGINT,
  attempts          INTEGER NOT NULL,
  lease_owner       TEXT,
  lease_until       BIGINT,
  version           INTEGER NOT NULL
);
-- Partial indexes: waiting jobs in claim order, running jobs by lease; finished jobs in neither.
CREATE INDEX jobs_waiting ON jobs (job_level DESC, seq) WHERE state = 'Submitted';
CREATE INDEX jobs_running ON jobs (lease_until) WHERE state = 'Running';
CREATE INDEX jobs_by_bucket ON jobs (bucket, seq);

CREATE TABLE callbacks (
  seq             ${identity},
  id              TEXT NOT NULL UNIQUE,
  job_id          TEXT NOT NULL,
  bucket          TEXT NOT NULL,
  queue_id        TEXT NOT NULL,
  event_name      TEXT NOT NULL,
  url             TEXT NOT NULL,
  destination     TEXT NOT NULL,
  content_type    TEXT NOT NULL,
  body            ${bytes} NOT NULL,
  state           TEXT NOT NULL,
  attempts        INTEGER NOT NULL,
  round_start     INTEGER NOT NULL,
  next_attempt_at BIGINT NOT NULL,
  created_at      BIGINT NOT NULL,
  delivered_at    BIGINT,
  last_error      TEXT,
  lease_owner     TEXT,
  lease_until     BIGINT
);
-- Only pending callbacks are ever due: a partial index stays small, and a delivered callback just
-- leaves it. Indexes on columns that never change (created_at, job_id, bucket) cost nothing when a
-- callback's state moves on.
CREATE INDEX callbacks_due ON callbacks (next_attempt_at, seq) WHERE state = 'Pending';
CREATE INDEX callbacks_by_job ON callbacks (job_id, seq);
CREATE INDEX callbacks_by_bucket ON callbacks (bucket, created_at);
CREATE INDEX callbacks_by_age ON callbacks (created_at);

CREATE TABLE callback_attempts (
  callback_id      TEXT NOT NULL,
  attempt          INTEGER NOT NULL,
  attempted_at     BIGINT NOT NULL,
  address          TEXT,
  status           INTEGER NOT NULL,
  latency_ms       BIGINT NOT NULL,
  error            TEXT,
  response_snippet TEXT,
  PRIMARY KEY (callback_id, attempt)
);

CREATE TABLE objects (
  bucket        TEXT NOT NULL,
  object_key    TEXT NOT NULL,
  blob          TEXT NOT NULL,
  size          BIGINT NOT NULL,
  md5           TEXT NOT NULL,
  content_type  TEXT NOT NULL,
  user_meta     TEXT NOT NULL,
  last_modified BIGINT NOT NULL,
  inline_data   ${bytes},
  PRIMARY KEY (bucket, object_key)
);

CREATE TABLE webhook_secrets (
  bucket     TEXT NOT NULL,
  secret     TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT,
  PRIMARY KEY (bucket, secret)
);
