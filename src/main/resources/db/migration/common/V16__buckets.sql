-- The buckets in use, for listing them (GET Service): a bucket is recorded on its first signed use,
-- with the region of the host it was used through. Buckets used before are taken from their queues,
-- with the region of their latest job ('' when none: the next use fills it in).
CREATE TABLE buckets (
  bucket     TEXT PRIMARY KEY,
  region     TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
INSERT INTO buckets (bucket, region, created_at)
  SELECT q.bucket,
    COALESCE((SELECT j.region FROM jobs j WHERE j.bucket = q.bucket ORDER BY j.seq DESC LIMIT 1), ''),
    q.created_at
  FROM queues q WHERE q.is_default = 1;
