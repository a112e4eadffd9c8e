-- Callback bodies in a table of their own. A callback row is rewritten when it is claimed and when
-- an attempt is recorded; without the body (the seed's XML, about 1.5 KiB) each rewrite is a few
-- hundred bytes, and a page holds many callbacks instead of two or three.
CREATE TABLE callback_bodies (
  callback_seq ${rowKey},
  body         ${bytes} NOT NULL
);
INSERT INTO callback_bodies (callback_seq, body) SELECT seq, body FROM callbacks;
ALTER TABLE callbacks DROP COLUMN body;
