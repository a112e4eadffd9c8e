-- Client multipart uploads (COS InitiateMultipartUpload, UploadPart, CompleteMultipartUpload):
-- an upload until it is completed or aborted, with what its object will carry; each part's bytes
-- are a blob of their own until completion writes the object's blob from them.
CREATE TABLE multipart_uploads (
  upload_id      TEXT PRIMARY KEY,
  bucket         TEXT NOT NULL,
  object_key     TEXT NOT NULL,
  content_type   TEXT NOT NULL,
  user_meta      TEXT NOT NULL,
  upload_headers TEXT NOT NULL,
  initiated      BIGINT NOT NULL
);
-- listed by key as COS lists keys (see Dialect.inKeyOrder)
CREATE INDEX multipart_uploads_by_key ON multipart_uploads (bucket, ${objectKeyInOrder}, upload_id);
-- the oldest first, for aborting uploads abandoned long ago
CREATE INDEX multipart_uploads_by_age ON multipart_uploads (initiated);

CREATE TABLE multipart_parts (
  upload_id     TEXT NOT NULL,
  part_number   INTEGER NOT NULL,
  blob          TEXT NOT NULL,
  size          BIGINT NOT NULL,
  md5           TEXT NOT NULL,
  last_modified BIGINT NOT NULL,
  PRIMARY KEY (upload_id, part_number)
);
-- asked with objects_by_blob before the sweep removes a blob
CREATE INDEX multipart_parts_by_blob ON multipart_parts (blob);
