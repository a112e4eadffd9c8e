package io.jobhook.storage;

import io.jobhook.engine.StorageUnavailableException;
import io.jobhook.engine.Transaction;
import io.jobhook.object.ObjectIndex;
import io.jobhook.object.ObjectIndex.Stored;
import io.jobhook.object.ObjectInfo;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link ObjectIndex} on JDBC. */
public final class JdbcObjectIndex implements ObjectIndex {
  /** A new key's row; a key that exists already is left to {@link #REPLACE}. */
  private static final String INSERT_NEW =
      """
      INSERT INTO objects (blob, size, md5, content_type, user_meta, last_modified,
        inline_data, bucket, object_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (bucket, object_key) DO NOTHING""";

  /** An existing key's row, its values in the order of {@link #INSERT_NEW}. */
  private static final String REPLACE =
      """
      UPDATE objects SET blob = ?, size = ?, md5 = ?, content_type = ?, user_meta = ?,
        last_modified = ?, inline_data = ? WHERE bucket = ? AND object_key = ?""";

  /** Whether an object entry or a multipart upload's part holds the blob. */
  private static final String HOLDS =
      """
      SELECT 1 FROM objects WHERE blob = ? AND blob <> ''
      UNION ALL SELECT 1 FROM multipart_parts WHERE blob = ?""";

  private final Database db;

  public JdbcObjectIndex(Database db) {
    this.db = db;
  }

  @Override
  public Optional<String> upsert(Transaction tx, ObjectInfo info, byte[] inlineData) {
    return JdbcTransactions.within(
        tx,
        c -> {
          if (!info.inline() && !settle(c, info.blob())) {
            throw new StorageUnavailableException(
                "blob "
                    + info.blob()
                    + " of "
                    + info.bucket()
                    + "/"
                    + info.key()
                    + " was swept as an orphan before its entry committed; write it again",
                null);
          }
          // the row's values, its key last: the order both statements below take them in
          Object[] row = {
            info.blob(),
            info.size(),
            info.md5Hex(),
            info.contentType(),
            JsonColumns.write(info.storedHeaders()),
            info.lastModified(),
            inlineData,
            info.bucket(),
            info.key()
          };
          for (int attempt = 1; ; attempt++) {
            // a new key (most puts: uploads, job outputs) takes this one statement
            if (Sql.update(c, INSERT_NEW, row) == 1) {
              return Optional.<String>empty();
            }
            Optional<String> previous = blobOf(c, info.bucket(), info.key());
            if (previous.isPresent() && Sql.update(c, REPLACE, row) == 1) {
              return previous;
            }
            // deleted by another node since the insert found it: insert again
            if (attempt == 3) {
              throw new StorageUnavailableException(
                  info.bucket() + "/" + info.key() + " keeps changing under this write; retry",
                  null);
            }
          }
        });
  }

  @Override
  public boolean replaceHeaders(ObjectInfo current, Map<String, String> storedHeaders) {
    return db.inTransaction(
            c ->
                Sql.update(
                    c,
                    """
              UPDATE objects SET user_meta = ? WHERE bucket = ? AND object_key = ?
                AND blob = ? AND md5 = ? AND last_modified = ?""",
                    JsonColumns.write(storedHeaders),
                    current.bucket(),
                    current.key(),
                    current.blob(),
                    current.md5Hex(),
                    current.lastModified()))
        == 1;
  }

  @Override
  public Optional<ObjectInfo> find(String bucket, String key) {
    return select(bucket, key, false).map(Stored::info);
  }

  @Override
  public Optional<Stored> load(String bucket, String key) {
    return select(bucket, key, true);
  }

  private Optional<Stored> select(String bucket, String key, boolean withData) {
    return db.read(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT blob, size, md5, content_type, user_meta, last_modified"
                      + (withData ? ", inline_data" : "")
                      + " FROM objects WHERE bucket = ? AND object_key = ?")) {
            Sql.bind(ps, bucket, key);
            try (ResultSet rs = ps.executeQuery()) {
              if (!rs.next()) {
                return Optional.empty();
              }
              ObjectInfo info = info(rs, bucket, key);
              return Optional.of(new Stored(info, withData ? rs.getBytes("inline_data") : null));
            }
          }
        });
  }

  @Override
  public List<ObjectInfo> list(
      String bucket, String from, boolean fromIncluded, String before, int limit) {
    List<Object> args = new ArrayList<>(List.of(bucket, from));
    if (before != null) {
      args.add(before);
    }
    args.add(limit);
    return db.read(
        c ->
            Sql.list(
                c,
                listing(db.dialect(), fromIncluded, before != null),
                rs -> info(rs, bucket, rs.getString("object_key")),
                args.toArray()));
  }

  /**
   * A page of a bucket's keys in COS's order: bucket, the first key (included or not), the key
   * before which it ends (when {@code bounded}), the limit.
   */
  static String listing(Dialect dialect, boolean fromIncluded, boolean bounded) {
    String key = dialect.inKeyOrder("object_key");
    return "SELECT object_key, blob, size, md5, content_type, user_meta, last_modified"
        + " FROM objects WHERE bucket = ? AND "
        + key
        + (fromIncluded ? " >= ?" : " > ?")
        + (bounded ? " AND " + key + " < ?" : "")
        + " ORDER BY "
        + key
        + " LIMIT ?";
  }

  @Override
  public Optional<String> delete(String bucket, String key) {
    return db.inTransaction(
        c -> {
          Optional<String> blob = blobOf(c, bucket, key);
          if (blob.isPresent()) {
            Sql.update(c, "DELETE FROM objects WHERE bucket = ? AND object_key = ?", bucket, key);
          }
          return blob;
        });
  }

  @Override
  public boolean references(String blob) {
    return db.read(
        c -> {
          try (PreparedStatement ps = c.prepareStatement(HOLDS)) {
            Sql.bind(ps, blob, blob);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next();
            }
          }
        });
  }

  @Override
  public void intend(String blob, Instant at) {
    db.inRelaxedTransaction(
        c -> {
          Sql.update(c, "INSERT INTO blob_intents (blob, created_at) VALUES (?, ?)", blob, at);
          return null;
        });
  }

  @Override
  public void abandon(String blob) {
    db.inRelaxedTransaction(c -> settle(c, blob));
  }

  @Override
  public boolean claimOrphan(String blob, Instant cutoff) {
    return db.inTransaction(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("SELECT created_at FROM blob_intents WHERE blob = ?")) {
            Sql.bind(ps, blob);
            try (ResultSet rs = ps.executeQuery()) {
              if (rs.next() && !Instant.ofEpochMilli(rs.getLong(1)).isBefore(cutoff)) {
                return false; // a writer may still settle it
              }
            }
          }
          // Taken from its writer first: an entry naming the blob can no longer commit. A writer
          // that settled it meanwhile has committed its entry, which the check below then sees.
          settle(c, blob);
          try (PreparedStatement ps = c.prepareStatement(HOLDS)) {
            Sql.bind(ps, blob, blob);
            try (ResultSet rs = ps.executeQuery()) {
              return !rs.next();
            }
          }
        });
  }

  private static ObjectInfo info(ResultSet rs, String bucket, String key) throws SQLException {
    return new ObjectInfo(
        bucket,
        key,
        rs.getLong("size"),
        rs.getString("md5"),
        rs.getString("content_type"),
        JsonColumns.read(rs.getString("user_meta")),
        Sql.instant(rs, "last_modified"),
        rs.getString("blob"));
  }

  /** Removes the blob's announcement; false when there was none. */
  static boolean settle(Connection c, String blob) throws SQLException {
    return Sql.update(c, "DELETE FROM blob_intents WHERE blob = ?", blob) == 1;
  }

  private static Optional<String> blobOf(Connection c, String bucket, String key)
      throws SQLException {
    return Sql.first(
        c,
        "SELECT blob FROM objects WHERE bucket = ? AND object_key = ?",
        rs -> rs.getString(1),
        bucket,
        key);
  }
}
