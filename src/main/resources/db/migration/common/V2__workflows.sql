-- Workflows: definitions, runs, and the events that move runs on (uploads, ended workflow jobs).

-- A job a workflow run started names its run (for the run's task list) and carries its origin
-- (run, workflow, node, the upload's CosHeaders) as JSON for the callback.
ALTER TABLE jobs ADD COLUMN workflow_run_id TEXT;
ALTER TABLE jobs ADD COLUMN workflow TEXT;
CREATE INDEX jobs_by_run ON jobs (workflow_run_id) WHERE workflow_run_id IS NOT NULL;

CREATE TABLE workflows (
  id         TEXT PRIMARY KEY,
  bucket     TEXT NOT NULL,
  region     TEXT NOT NULL,
  name       TEXT NOT NULL,
  state      TEXT NOT NULL,
  topology   TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX workflows_by_bucket ON workflows (bucket, created_at);

-- A run keeps the topology (and queue) it started with: editing the workflow does not change runs in flight.
CREATE TABLE workflow_runs (
  seq           ${identity},
  id            TEXT NOT NULL UNIQUE,
  bucket        TEXT NOT NULL,
  region        TEXT NOT NULL,
  workflow_id   TEXT NOT NULL,
  workflow_name TEXT NOT NULL,
  name          TEXT NOT NULL,
  object_key    TEXT NOT NULL,
  cos_headers   TEXT NOT NULL,
  topology      TEXT NOT NULL,
  state         TEXT NOT NULL,
  created_at    BIGINT NOT NULL,
  ended_at      BIGINT,
  version       INTEGER NOT NULL
);
CREATE INDEX workflow_runs_by_bucket ON workflow_runs (bucket, seq);

-- Written in the same transaction as the fact it reports (an object row, a job's final state) and
-- deleted in the same transaction as the runs or jobs it led to: a crash in between loses nothing
-- and starts nothing twice.
CREATE TABLE workflow_events (
  seq        ${identity},
  kind       TEXT NOT NULL,
  bucket     TEXT NOT NULL,
  subject    TEXT NOT NULL,
  headers    TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  attempts   INTEGER NOT NULL
);
