package io.jobhook.storage;

import io.jobhook.callback.AttemptResult;
import io.jobhook.callback.CallbackOutbox;
import io.jobhook.callback.DeliveryOutcome;
import io.jobhook.callback.PendingCallback;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** {@link CallbackOutbox} on JDBC, with every attempt logged in {@code callback_attempts}. */
public final class JdbcCallbackOutbox implements CallbackOutbox {
  private final Database db;

  public JdbcCallbackOutbox(Database db) {
    this.db = db;
  }

  static void insert(Connection c, PendingCallback cb) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("""
        INSERT INTO callbacks (id, job_id, event_name, url, content_type, body, state, attempts,
          next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?, 'Pending', 0, ?, ?)""")) {
      Sql.bind(ps, cb.id(), cb.jobId(), cb.eventName(), cb.url(), cb.contentType(), cb.body(),
          cb.nextAttemptAt(), cb.createdAt());
      ps.executeUpdate();
    }
  }

  @Override
  public List<PendingCallback> claimDue(String owner, Instant now, Instant leaseUntil, int limit) {
    if (limit <= 0) {
      return List.of();
    }
    return db.inTransaction(c -> {
      List<PendingCallback> due = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("""
          SELECT j.* FROM callbacks j WHERE j.state = 'Pending' AND j.next_attempt_at <= ?
            AND (j.lease_until IS NULL OR j.lease_until < ?)
          ORDER BY j.next_attempt_at, j.seq LIMIT ?""" + db.dialect().claimLock)) {
        Sql.bind(ps, now, now, limit);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            due.add(new PendingCallback(rs.getString("id"), rs.getString("job_id"),
                rs.getString("event_name"), rs.getString("url"), rs.getString("content_type"),
                rs.getBytes("body"), Sql.instant(rs, "created_at"), rs.getInt("attempts"),
                Sql.instant(rs, "next_attempt_at")));
          }
        }
      }
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE callbacks SET lease_owner = ?, lease_until = ? WHERE id = ?")) {
        for (PendingCallback cb : due) {
          Sql.bind(ps, owner, leaseUntil, cb.id());
          ps.addBatch();
        }
        ps.executeBatch();
      }
      return due;
    });
  }

  @Override
  public void recordAttempt(PendingCallback cb, Instant attemptedAt, AttemptResult result,
      DeliveryState next, Instant nextAttemptAt) {
    int attempt = cb.attempts() + 1;
    int status = switch (result.outcome()) {
      case DeliveryOutcome.Delivered d -> d.status();
      case DeliveryOutcome.RetryLater r -> r.status();
      case DeliveryOutcome.GiveUp g -> g.status();
    };
    String error = switch (result.outcome()) {
      case DeliveryOutcome.Delivered d -> null;
      case DeliveryOutcome.RetryLater r -> r.error();
      case DeliveryOutcome.GiveUp g -> g.error();
    };
    db.inTransaction(c -> {
      try (PreparedStatement ps = c.prepareStatement("""
          INSERT INTO callback_attempts (callback_id, attempt, attempted_at, address, status,
            latency_ms, error, response_snippet) VALUES (?, ?, ?, ?, ?, ?, ?, ?)""")) {
        Sql.bind(ps, cb.id(), attempt, attemptedAt, result.address(), status,
            result.latency().toMillis(), error, result.responseSnippet());
        ps.executeUpdate();
      }
      try (PreparedStatement ps = c.prepareStatement("""
          UPDATE callbacks SET state = ?, attempts = ?, next_attempt_at = COALESCE(?, next_attempt_at),
            delivered_at = ?, last_error = ?, lease_owner = NULL, lease_until = NULL
          WHERE id = ?""")) {
        Sql.bind(ps, next, attempt, nextAttemptAt,
            next == DeliveryState.Delivered ? attemptedAt : null, error, cb.id());
        return Sql.atMostOne(ps.executeUpdate(), "callback attempt");
      }
    });
  }

  @Override
  public int releaseAllLeases() {
    return db.inTransaction(c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE callbacks SET lease_owner = NULL, lease_until = NULL WHERE state = 'Pending'")) {
        return ps.executeUpdate();
      }
    });
  }
}
