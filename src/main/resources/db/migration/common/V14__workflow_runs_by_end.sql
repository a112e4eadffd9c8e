-- Ended runs by their end, for the retention pass that deletes old runs with their jobs.
CREATE INDEX workflow_runs_by_end ON workflow_runs (ended_at) WHERE ended_at IS NOT NULL;
