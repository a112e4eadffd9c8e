-- Jobs are listed by the workflow whose run started them and by their input object (the Go SDK's
-- workflowId and inputObject filters).
ALTER TABLE jobs ADD COLUMN workflow_id TEXT;
UPDATE jobs SET workflow_id = (SELECT r.workflow_id FROM workflow_runs r WHERE r.id = jobs.workflow_run_id)
  WHERE workflow_run_id IS NOT NULL;
CREATE INDEX jobs_by_workflow ON jobs (bucket, workflow_id, seq) WHERE workflow_id IS NOT NULL;
CREATE INDEX jobs_by_input ON jobs (bucket, input_object, seq);
