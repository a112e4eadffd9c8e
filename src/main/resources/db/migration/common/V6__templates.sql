-- Templates: named settings for one job kind, per bucket (CI's /template).
CREATE TABLE templates (
  id         TEXT PRIMARY KEY,
  bucket     TEXT NOT NULL,
  name       TEXT NOT NULL,
  tag        TEXT NOT NULL,
  settings   TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX templates_by_bucket ON templates (bucket, created_at);

-- A job keeps the name its template had when the job was made, for its details and callbacks.
ALTER TABLE jobs ADD COLUMN template_name TEXT NOT NULL DEFAULT '';
