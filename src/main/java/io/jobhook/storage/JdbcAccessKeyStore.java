package io.jobhook.storage;

import com.fasterxml.jackson.core.type.TypeReference;
import io.jobhook.access.AccessKeyStore;
import io.jobhook.access.AuditLog;
import io.jobhook.access.SessionStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** {@link AccessKeyStore}, {@link AuditLog} and {@link SessionStore} on JDBC. */
public final class JdbcAccessKeyStore implements AccessKeyStore, AuditLog, SessionStore {
  private static final TypeReference<List<String>> BUCKETS = new TypeReference<>() {};

  private final Database db;

  public JdbcAccessKeyStore(Database db) {
    this.db = db;
  }

  @Override
  public void insert(StoredKey k) {
    update(
        "INSERT INTO access_keys (secret_id, sealed_secret, buckets, read_only,"
            + " description, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
        k.secretId(),
        k.sealedSecret(),
        JsonColumns.writeValue(k.buckets()),
        k.readOnly(),
        k.description(),
        k.createdAt(),
        k.createdBy());
  }

  @Override
  public Optional<StoredKey> find(String secretId) {
    return select("SELECT * FROM access_keys WHERE secret_id = ?", secretId).stream().findFirst();
  }

  @Override
  public List<StoredKey> list() {
    return select("SELECT * FROM access_keys ORDER BY created_at, secret_id");
  }

  @Override
  public boolean revoke(String secretId, Instant at) {
    return Sql.atMostOne(
        update(
            "UPDATE access_keys SET revoked_at = ? WHERE secret_id = ? AND revoked_at IS NULL",
            at,
            secretId),
        "access key revocation");
  }

  private List<StoredKey> select(String sql, Object... args) {
    return db.read(c -> Sql.list(c, sql, JdbcAccessKeyStore::map, args));
  }

  private static StoredKey map(ResultSet rs) throws SQLException {
    return new StoredKey(
        rs.getString("secret_id"),
        rs.getString("sealed_secret"),
        JsonColumns.readValue(rs.getString("buckets"), BUCKETS),
        rs.getInt("read_only") != 0,
        rs.getString("description"),
        Sql.instant(rs, "created_at"),
        rs.getString("created_by"),
        Sql.instant(rs, "revoked_at"));
  }

  @Override
  public long begin(Instant at, String actor, String action, String bucket, String target) {
    return db.inTransaction(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO audit_log (at, actor, action, bucket, target, outcome)"
                      + " VALUES (?, ?, ?, ?, ?, ?) RETURNING seq")) {
            Sql.bind(ps, at, actor, action, bucket, target, Outcome.UNKNOWN.wireName());
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              return rs.getLong(1);
            }
          }
        });
  }

  @Override
  public void settle(long seq, Outcome outcome) {
    Sql.atMostOne(
        update("UPDATE audit_log SET outcome = ? WHERE seq = ?", outcome.wireName(), seq),
        "audit entry");
  }

  @Override
  public List<Entry> list(Long beforeSeq, int limit) {
    return db.read(
        c ->
            beforeSeq == null
                ? Sql.list(
                    c,
                    "SELECT * FROM audit_log ORDER BY seq DESC LIMIT ?",
                    JdbcAccessKeyStore::entry,
                    limit)
                : Sql.list(
                    c,
                    "SELECT * FROM audit_log WHERE seq < ? ORDER BY seq DESC LIMIT ?",
                    JdbcAccessKeyStore::entry,
                    beforeSeq,
                    limit));
  }

  private static Entry entry(ResultSet rs) throws SQLException {
    return new Entry(
        rs.getLong("seq"),
        Sql.instant(rs, "at"),
        rs.getString("actor"),
        rs.getString("action"),
        rs.getString("bucket"),
        rs.getString("target"),
        Outcome.ofWireName(rs.getString("outcome")));
  }

  @Override
  public void insert(StoredSession session, Instant createdAt) {
    update(
        "INSERT INTO console_sessions (id_hash, secret_id, csrf, created_at, expires_at)"
            + " VALUES (?, ?, ?, ?, ?)",
        session.idHash(),
        session.secretId(),
        session.csrf(),
        createdAt,
        session.expiresAt());
  }

  @Override
  public Optional<StoredSession> findSession(String idHash) {
    return one(
        "SELECT secret_id, csrf, expires_at FROM console_sessions WHERE id_hash = ?",
        rs ->
            new StoredSession(
                idHash,
                rs.getString("secret_id"),
                rs.getString("csrf"),
                Sql.instant(rs, "expires_at")),
        idHash);
  }

  @Override
  public void delete(String idHash) {
    update("DELETE FROM console_sessions WHERE id_hash = ?", idHash);
  }

  @Override
  public int deleteExpired(Instant now) {
    return update("DELETE FROM console_sessions WHERE expires_at < ?", now);
  }

  @Override
  public void failed(String who, Instant at) {
    update(
        "INSERT INTO console_sign_in_failures (who, failures, last_failed_at) VALUES (?, 1, ?)"
            + " ON CONFLICT (who) DO UPDATE SET failures = console_sign_in_failures.failures + 1,"
            + " last_failed_at = excluded.last_failed_at",
        who,
        at);
  }

  @Override
  public Optional<Failures> failures(String who) {
    return one(
        "SELECT failures, last_failed_at FROM console_sign_in_failures WHERE who = ?",
        rs -> new Failures(rs.getInt("failures"), Sql.instant(rs, "last_failed_at")),
        who);
  }

  @Override
  public void forgive(String who) {
    update("DELETE FROM console_sign_in_failures WHERE who = ?", who);
  }

  @Override
  public int forgiveFailuresBefore(Instant before) {
    return update("DELETE FROM console_sign_in_failures WHERE last_failed_at < ?", before);
  }

  /** The first row {@code sql} finds, if any. */
  private <T> Optional<T> one(String sql, Sql.RowMapper<T> mapper, Object... args) {
    return db.read(c -> Sql.first(c, sql, mapper, args));
  }

  private int update(String sql, Object... args) {
    return db.inTransaction(c -> Sql.update(c, sql, args));
  }
}
