package io.jobhook.storage;

import io.jobhook.callback.SigningSecrets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/** {@link SigningSecrets.Store} on JDBC. */
public final class JdbcSecretStore implements SigningSecrets.Store {
  private final Database db;

  public JdbcSecretStore(Database db) {
    this.db = db;
  }

  @Override
  public List<SigningSecrets.Secret> active(String bucket, Instant now, String secretIfNone) {
    List<SigningSecrets.Secret> found = db.read(c -> select(c, bucket, now));
    if (!found.isEmpty()) {
      return found;
    }
    try {
      return db.inTransaction(
          c -> {
            List<SigningSecrets.Secret> again = select(c, bucket, now);
            if (!again.isEmpty()) {
              return again;
            }
            insert(c, bucket, secretIfNone, now);
            return select(c, bucket, now);
          });
    } catch (Database.StorageException raced) {
      // another node created the bucket's first secret at the same moment
      return db.read(c -> select(c, bucket, now));
    }
  }

  @Override
  public void rotate(String bucket, String secret, Instant now, Instant oldExpireAt) {
    db.inTransaction(
        c -> {
          Sql.update(
              c,
              """
          UPDATE webhook_secrets SET expires_at = ? WHERE bucket = ? AND (expires_at IS NULL OR expires_at > ?)""",
              oldExpireAt,
              bucket,
              oldExpireAt);
          insert(c, bucket, secret, now);
          return null;
        });
  }

  private static void insert(Connection c, String bucket, String secret, Instant now)
      throws SQLException {
    Sql.update(
        c,
        "INSERT INTO webhook_secrets (bucket, secret, created_at, expires_at) VALUES (?, ?, ?, NULL)",
        bucket,
        secret,
        now);
  }

  private static List<SigningSecrets.Secret> select(Connection c, String bucket, Instant now)
      throws SQLException {
    return Sql.list(
        c,
        """
        SELECT secret, created_at, expires_at FROM webhook_secrets
        WHERE bucket = ? AND (expires_at IS NULL OR expires_at > ?) ORDER BY created_at DESC""",
        rs ->
            new SigningSecrets.Secret(
                rs.getString(1), Sql.instant(rs, "created_at"), Sql.instant(rs, "expires_at")),
        bucket,
        now);
  }
}
