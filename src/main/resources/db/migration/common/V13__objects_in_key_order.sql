-- Objects listed by key as COS lists them, by the bytes of the key's UTF-8 (Dialect.inKeyOrder).
-- SQLite's primary key already keeps that order, so there this index is declared empty.
CREATE INDEX objects_in_key_order ON objects (bucket, ${objectKeyInOrder}) ${postgresOnly};
