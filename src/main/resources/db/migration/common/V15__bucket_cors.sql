-- A bucket's CORS configuration (PUT /?cors): its rules as JSON, in the order given.
CREATE TABLE bucket_cors (
  bucket     TEXT PRIMARY KEY,
  rules      TEXT NOT NULL,
  updated_at BIGINT NOT NULL
);
