-- Blobs being written: announced before their bytes, settled by the commit of the object entry
-- that holds them. The orphan sweep removes a blob only after taking its announcement (or finding
-- none), so an entry can never commit naming a removed blob.
CREATE TABLE blob_intents (
  blob       TEXT PRIMARY KEY,
  created_at BIGINT NOT NULL
);
