package io.jobhook.storage;

import io.jobhook.callback.AttemptRecord;
import io.jobhook.callback.CallbackOutbox;
import io.jobhook.callback.CallbackOutbox.DeliveryState;
import io.jobhook.callback.PendingCallback;
import io.jobhook.engine.Transaction;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@link CallbackOutbox} on JDBC, with every attempt logged in {@code callback_attempts}. */
public final class JdbcCallbackOutbox implements CallbackOutbox {
  private final Database db;

  public JdbcCallbackOutbox(Database db) {
    this.db = db;
  }

  @Override
  public void enqueue(Transaction tx, PendingCallback cb) {
    Object[] row = append(described(cb), cb.nextAttemptAt(), cb.createdAt());
    JdbcTransactions.within(
        tx,
        c -> {
          if (db.dialect().insertsInWith) {
            return Sql.update(
                c,
                "WITH c AS ("
                    + INSERT_CALLBACK
                    + " RETURNING seq) INSERT INTO callback_bodies (callback_seq, body)"
                    + " SELECT seq, ? FROM c",
                append(row, cb.body()));
          }
          Sql.update(c, INSERT_CALLBACK, row);
          // the seq found by id: a RETURNING result set from the insert costs more than a lookup
          return Sql.update(
              c,
              "INSERT INTO callback_bodies (callback_seq, body) SELECT seq, ? FROM callbacks WHERE id = ?",
              cb.body(),
              cb.id());
        });
  }

  @Override
  public Optional<PendingCallback> enqueueLeased(
      Transaction tx, PendingCallback cb, String owner, Instant leaseUntil) {
    Object[] row =
        append(
            described(cb),
            cb.createdAt(),
            owner,
            leaseUntil,
            cb.nextAttemptAt(),
            leaseUntil,
            cb.jobId());
    return JdbcTransactions.within(
        tx,
        c -> {
          Stored stored;
          if (db.dialect().insertsInWith) {
            stored =
                insertReturning(
                    c,
                    "WITH c AS ("
                        + INSERT_LEASED_CALLBACK
                        + " RETURNING seq, lease_owner), b AS (INSERT INTO callback_bodies"
                        + " (callback_seq, body) SELECT seq, ? FROM c) SELECT seq, lease_owner FROM c",
                    append(row, cb.body()));
          } else {
            stored =
                insertReturning(c, INSERT_LEASED_CALLBACK + " RETURNING seq, lease_owner", row);
            Sql.update(
                c,
                "INSERT INTO callback_bodies (callback_seq, body) VALUES (?, ?)",
                stored.seq(),
                cb.body());
          }
          return stored.leased() ? Optional.of(cb.stored(stored.seq())) : Optional.empty();
        });
  }

  /** A callback's row as inserted: its key, and whether it was leased. */
  private record Stored(long seq, boolean leased) {}

  private static Stored insertReturning(java.sql.Connection c, String sql, Object[] args)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      Sql.bind(ps, args);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return new Stored(rs.getLong("seq"), rs.getString("lease_owner") != null);
      }
    }
  }

  /**
   * A callback leased at once unless an earlier one of its job is Pending (callbacks of a job go
   * out in order): its lease is a postponed due time, as a claim's is.
   */
  static final String INSERT_LEASED_CALLBACK =
      """
      INSERT INTO callbacks (id, job_id, bucket, queue_id, event_name, url, destination, content_type,
        state, attempts, round_start, created_at, lease_owner, lease_until, next_attempt_at)
      SELECT ?, ?, ?, ?, ?, ?, ?, ?, 'Pending', 0, 0, ?,
        CASE WHEN p.earlier THEN NULL ELSE CAST(? AS TEXT) END,
        CASE WHEN p.earlier THEN NULL ELSE CAST(? AS BIGINT) END,
        CASE WHEN p.earlier THEN CAST(? AS BIGINT) ELSE CAST(? AS BIGINT) END
      FROM (SELECT EXISTS (SELECT 1 FROM callbacks WHERE job_id = ? AND %s)
            AS earlier) p"""
          .formatted(Sql.filterOnly("state = 'Pending'"));

  private static final String INSERT_CALLBACK =
      """
      INSERT INTO callbacks (id, job_id, bucket, queue_id, event_name, url, destination, content_type,
        state, attempts, round_start, next_attempt_at, created_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'Pending', 0, 0, ?, ?)""";

  /** The columns that describe a callback, as both inserts begin with them. */
  private static Object[] described(PendingCallback cb) {
    return new Object[] {
      cb.id(),
      cb.jobId(),
      cb.bucket(),
      cb.queueId(),
      cb.eventName(),
      cb.url(),
      cb.destination(),
      cb.contentType()
    };
  }

  private static Object[] append(Object[] values, Object... more) {
    Object[] all = java.util.Arrays.copyOf(values, values.length + more.length);
    System.arraycopy(more, 0, all, values.length, more.length);
    return all;
  }

  @Override
  public List<PendingCallback> claimDue(
      String owner, Instant now, Instant leaseUntil, int limit, Set<String> blockedDestinations) {
    if (limit <= 0) {
      return List.of();
    }
    List<Object> args = new ArrayList<>(List.of(now));
    args.addAll(blockedDestinations);
    args.add(limit);
    String claim = db.dialect().claim(dueCallbacks(blockedDestinations.size()), "j");
    return db.inRelaxedTransaction(
        c -> {
          List<PendingCallback> due = new ArrayList<>();
          try (PreparedStatement ps = c.prepareStatement(claim)) {
            Sql.bind(ps, args.toArray());
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                due.add(map(rs));
              }
            }
          }
          if (!due.isEmpty()) {
            // A lease is a postponed due time: a leased callback is not due until the lease runs
            // out, so claims never scan past callbacks in flight.
            List<Object> seqs = Sql.inList(due.stream().map(PendingCallback::seq).toList());
            try (PreparedStatement ps =
                c.prepareStatement(
                    "UPDATE callbacks SET lease_owner = ?, lease_until = ?, next_attempt_at = ?"
                        + " WHERE seq IN ("
                        + Sql.placeholders(seqs.size())
                        + ")")) {
              List<Object> values = new ArrayList<>(List.of(owner, leaseUntil, leaseUntil));
              values.addAll(seqs);
              Sql.bind(ps, values.toArray());
              ps.executeUpdate();
            }
          }
          return due;
        });
  }

  /**
   * Due callbacks with their bodies, in due order, each the first pending one of its job (a job's
   * callbacks go out in order); the parameters: now, {@code blocked} destinations left out, the
   * limit. The first pending one is looked up per row found, by the job's index: as an anti-join
   * (NOT EXISTS an earlier one), PostgreSQL planned it through the pending callbacks' index in
   * tables without statistics (every pending row per row found), or, with that hidden, as a hash
   * over the whole table once it had them.
   */
  static String dueCallbacks(int blocked) {
    return """
        SELECT j.*, b.body FROM callbacks j JOIN callback_bodies b ON b.callback_seq = j.seq
        WHERE j.state = 'Pending' AND j.next_attempt_at <= ?%s
          AND j.seq = (SELECT MIN(e.seq) FROM callbacks e WHERE e.job_id = j.job_id AND %s)
        ORDER BY j.next_attempt_at, j.seq LIMIT ?"""
        .formatted(
            blocked == 0 ? "" : " AND j.destination NOT IN (" + Sql.placeholders(blocked) + ")",
            Sql.filterOnly("e.state = 'Pending'"));
  }

  static PendingCallback map(ResultSet rs) throws SQLException {
    return new PendingCallback(
        rs.getLong("seq"),
        rs.getString("id"),
        rs.getString("job_id"),
        rs.getString("bucket"),
        rs.getString("queue_id"),
        rs.getString("event_name"),
        rs.getString("url"),
        rs.getString("destination"),
        rs.getString("content_type"),
        rs.getBytes("body"),
        Sql.instant(rs, "created_at"),
        rs.getInt("attempts"),
        rs.getInt("round_start"),
        Sql.instant(rs, "next_attempt_at"));
  }

  @Override
  public void recordAttempts(List<AttemptRecord> attempts) {
    if (attempts.isEmpty()) {
      return;
    }
    db.inTransaction(
        c -> {
          try (PreparedStatement log =
                  c.prepareStatement(
                      """
              INSERT INTO callback_attempts (callback_id, attempt, attempted_at, address, status,
                latency_ms, error, response_snippet) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
              ON CONFLICT DO NOTHING""");
              PreparedStatement move =
                  c.prepareStatement(
                      """
              UPDATE callbacks SET state = ?, attempts = ?, next_attempt_at = COALESCE(?, next_attempt_at),
                delivered_at = ?, last_error = ?, lease_owner = NULL, lease_until = NULL
              WHERE seq = ? AND attempts = ?""")) {
            for (AttemptRecord a : attempts) {
              PendingCallback cb = a.callback();
              int attempt = cb.attempts() + 1;
              String error =
                  switch (a.result().outcome()) {
                    case io.jobhook.callback.DeliveryOutcome.Delivered d -> null;
                    case io.jobhook.callback.DeliveryOutcome.RetryLater r -> r.error();
                    case io.jobhook.callback.DeliveryOutcome.GiveUp g -> g.error();
                  };
              Sql.bind(
                  log,
                  cb.id(),
                  attempt,
                  a.attemptedAt(),
                  a.result().address(),
                  a.result().outcome().status(),
                  a.result().latency().toMillis(),
                  error,
                  a.result().responseSnippet());
              log.addBatch();
              Sql.bind(
                  move,
                  a.next(),
                  attempt,
                  a.nextAttemptAt(),
                  a.next() == DeliveryState.Delivered ? a.attemptedAt() : null,
                  error,
                  cb.seq(),
                  cb.attempts());
              move.addBatch();
            }
            // The attempts guard makes a stale record (its lease ran out, re-claimed) a no-op.
            move.executeBatch();
            log.executeBatch();
          }
          return null;
        });
  }

  @Override
  public void release(List<PendingCallback> callbacks) {
    db.inRelaxedTransaction(
        c -> {
          try (PreparedStatement ps = c.prepareStatement(RELEASE_ONE)) {
            for (PendingCallback cb : callbacks) {
              Sql.bind(ps, cb.nextAttemptAt(), cb.seq());
              ps.addBatch();
            }
            ps.executeBatch();
          }
          return null;
        });
  }

  @Override
  public int releaseLeasesOf(String owner) {
    return db.inTransaction(c -> Sql.update(c, RELEASE + " AND lease_owner = ?", owner));
  }

  @Override
  public int releaseAllLeases() {
    return db.inTransaction(c -> Sql.update(c, RELEASE + " AND lease_owner IS NOT NULL"));
  }

  /** A leased callback back to the pool: its due time, then its seq. */
  static final String RELEASE_ONE =
      "UPDATE callbacks SET lease_owner = NULL, lease_until = NULL, next_attempt_at = ?"
          + " WHERE seq = ? AND "
          + Sql.filterOnly("state = 'Pending'");

  /** Leased callbacks back to the pool, due at once. */
  private static final String RELEASE =
      "UPDATE callbacks SET lease_owner = NULL, lease_until = NULL, next_attempt_at = created_at"
          + " WHERE state = 'Pending'";
}
