-- Which entry holds a blob file: asked before a blob is removed as an orphan (left by a crash
-- between writing the bytes and committing the entry). Inline objects have no file.
CREATE INDEX objects_by_blob ON objects (blob) WHERE blob <> '';
