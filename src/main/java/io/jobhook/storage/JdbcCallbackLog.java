package io.jobhook.storage;

import io.jobhook.callback.CallbackLog;
import io.jobhook.callback.CallbackOutbox.DeliveryState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link CallbackLog} on JDBC. */
public final class JdbcCallbackLog implements CallbackLog {
  private static final String COLUMNS =
      "seq, id, job_id, queue_id, event_name, url, content_type, state, attempts, "
          + "created_at, next_attempt_at, delivered_at, last_error";

  private final Database db;

  public JdbcCallbackLog(Database db) {
    this.db = db;
  }

  @Override
  public Optional<Entry> find(String bucket, String callbackId) {
    return db.read(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT " + COLUMNS + " FROM callbacks WHERE bucket = ? AND id = ?")) {
            Sql.bind(ps, bucket, callbackId);
            List<Entry> found = entries(c, ps);
            return found.isEmpty() ? Optional.empty() : Optional.of(found.getFirst());
          }
        });
  }

  @Override
  public Page list(String bucket, Query q) {
    Filters f =
        // one job's callbacks come by its index; the bucket's index would walk the whole bucket
        new Filters(
                "SELECT "
                    + COLUMNS
                    + " FROM callbacks WHERE "
                    + (q.jobId() == null ? "bucket = ?" : "bucket || '' = ?"),
                bucket)
            .and("job_id = ?", q.jobId())
            .and("queue_id = ?", q.queueId())
            .and("state = ?", q.state() == null ? null : q.state().name())
            .and("created_at >= ?", q.from())
            .and("created_at <= ?", q.to())
            .and("seq < ?", q.afterSeq())
            .then(" ORDER BY seq DESC LIMIT ?", q.size() + 1);
    return db.read(
        c -> {
          try (PreparedStatement ps = c.prepareStatement(f.sql())) {
            Sql.bind(ps, f.args());
            List<Long> seqs = new ArrayList<>();
            List<Entry> entries = entries(c, ps, seqs);
            if (entries.size() > q.size()) {
              return new Page(List.copyOf(entries.subList(0, q.size())), seqs.get(q.size() - 1));
            }
            return new Page(entries, null);
          }
        });
  }

  private static List<Entry> entries(Connection c, PreparedStatement ps) throws SQLException {
    return entries(c, ps, new ArrayList<>());
  }

  private static List<Entry> entries(Connection c, PreparedStatement ps, List<Long> seqs)
      throws SQLException {
    List<Object[]> raw = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        seqs.add(rs.getLong("seq"));
        raw.add(
            new Object[] {
              rs.getString("id"),
              rs.getString("job_id"),
              rs.getString("queue_id"),
              rs.getString("event_name"),
              rs.getString("url"),
              rs.getString("content_type"),
              DeliveryState.valueOf(rs.getString("state")),
              rs.getInt("attempts"),
              Sql.instant(rs, "created_at"),
              Sql.instant(rs, "next_attempt_at"),
              Sql.instant(rs, "delivered_at"),
              rs.getString("last_error")
            });
      }
    }
    Map<String, List<Attempt>> attempts =
        attempts(c, raw.stream().map(r -> (String) r[0]).toList());
    List<Entry> entries = new ArrayList<>(raw.size());
    for (Object[] r : raw) {
      DeliveryState state = (DeliveryState) r[6];
      entries.add(
          new Entry(
              (String) r[0],
              (String) r[1],
              (String) r[2],
              (String) r[3],
              (String) r[4],
              (String) r[5],
              state,
              (Integer) r[7],
              (Instant) r[8],
              state == DeliveryState.Pending ? (Instant) r[9] : null,
              (Instant) r[10],
              (String) r[11],
              attempts.getOrDefault((String) r[0], List.of())));
    }
    return entries;
  }

  private static Map<String, List<Attempt>> attempts(Connection c, List<String> ids)
      throws SQLException {
    Map<String, List<Attempt>> byId = new HashMap<>();
    if (ids.isEmpty()) {
      return byId;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT * FROM callback_attempts WHERE callback_id IN ("
                + "?,".repeat(ids.size() - 1)
                + "?) ORDER BY callback_id, attempt")) {
      Sql.bind(ps, ids.toArray());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          byId.computeIfAbsent(rs.getString("callback_id"), k -> new ArrayList<>())
              .add(
                  new Attempt(
                      rs.getInt("attempt"),
                      Sql.instant(rs, "attempted_at"),
                      rs.getString("address"),
                      rs.getInt("status"),
                      rs.getLong("latency_ms"),
                      rs.getString("error"),
                      rs.getString("response_snippet")));
        }
      }
    }
    return byId;
  }

  @Override
  public boolean redeliver(String bucket, String callbackId, Instant now) {
    return db.inTransaction(
        c ->
            Sql.atMostOne(
                Sql.update(
                    c,
                    """
          UPDATE callbacks SET state = 'Pending', round_start = attempts, next_attempt_at = ?,
            lease_owner = NULL, lease_until = NULL WHERE bucket = ? AND id = ?""",
                    now,
                    bucket,
                    callbackId),
                "callback redelivery"));
  }

  @Override
  public int redeliverFailed(String bucket, String queueId, Instant from, Instant to, Instant now) {
    Filters f =
        new Filters(
                """
        UPDATE callbacks SET state = 'Pending', round_start = attempts, next_attempt_at = ?,
          lease_owner = NULL, lease_until = NULL WHERE bucket = ? AND state = 'Failed'""",
                now,
                bucket)
            .and("queue_id = ?", queueId)
            .and("created_at >= ?", from)
            .and("created_at <= ?", to);
    return db.inTransaction(c -> Sql.update(c, f.sql(), f.args()));
  }

  /**
   * Up to a number of callbacks due for deletion, oldest first: a range of the index by age, in
   * which the few Failed or Pending rows not due yet are passed over.
   */
  static final String PRUNABLE =
      """
      SELECT seq, id FROM callbacks WHERE created_at < ?
        AND ((state = 'Delivered' AND created_at < ?) OR (state = 'Failed' AND created_at < ?))
      ORDER BY created_at LIMIT ?""";

  @Override
  public int prune(Instant deliveredBefore, Instant failedBefore, int limit) {
    int rows = Math.min(limit, Sql.MAX_IN_LIST); // the deletes name the rows in IN lists
    Instant older = deliveredBefore.isAfter(failedBefore) ? deliveredBefore : failedBefore;
    return db.inTransaction(
        c -> {
          List<Map.Entry<Long, String>> doomed =
              Sql.list(
                  c,
                  PRUNABLE,
                  rs -> Map.entry(rs.getLong(1), rs.getString(2)),
                  older,
                  deliveredBefore,
                  failedBefore,
                  rows);
          if (doomed.isEmpty()) {
            return 0;
          }
          List<Object> ids = Sql.inList(doomed.stream().map(Map.Entry::getValue).toList());
          List<Object> seqs = Sql.inList(doomed.stream().map(Map.Entry::getKey).toList());
          String idMarks = Sql.placeholders(ids.size());
          String seqMarks = Sql.placeholders(seqs.size());
          Sql.update(
              c,
              "DELETE FROM callback_attempts WHERE callback_id IN (" + idMarks + ")",
              ids.toArray());
          Sql.update(
              c,
              "DELETE FROM callback_bodies WHERE callback_seq IN (" + seqMarks + ")",
              seqs.toArray());
          return Sql.update(
              c, "DELETE FROM callbacks WHERE seq IN (" + seqMarks + ")", seqs.toArray());
        });
  }

  @Override
  public List<Backlog> pendingByDestination() {
    return db.read(
        c ->
            Sql.list(
                c,
                """
          SELECT destination, COUNT(*), MIN(created_at) FROM callbacks WHERE state = 'Pending'
          GROUP BY destination ORDER BY destination""",
                rs ->
                    new Backlog(
                        rs.getString(1), rs.getLong(2), Instant.ofEpochMilli(rs.getLong(3)))));
  }

  @Override
  public List<Health> healthOfLatest(int latest) {
    return db.read(
        c -> {
          // newest first along the primary key: the cost is bounded by latest, not the log's size
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT destination, state, COUNT(*) FROM (SELECT destination, state FROM"
                      + " callbacks ORDER BY seq DESC LIMIT ?) latest GROUP BY destination, state")) {
            Sql.bind(ps, latest);
            java.util.Map<String, long[]> counts = new java.util.TreeMap<>();
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                long[] n = counts.computeIfAbsent(rs.getString(1), d -> new long[3]);
                switch (rs.getString(2)) {
                  case "Delivered" -> n[0] += rs.getLong(3);
                  case "Failed" -> n[1] += rs.getLong(3);
                  default -> n[2] += rs.getLong(3);
                }
              }
            }
            List<Health> out = new ArrayList<>(counts.size());
            counts.forEach((d, n) -> out.add(new Health(d, n[0], n[1], n[2])));
            return out;
          }
        });
  }

  @Override
  public List<Failure> failedAmongLatest(int latest, int limit) {
    return db.read(
        c ->
            Sql.list(
                c,
                "SELECT bucket, job_id, url, last_error, created_at FROM (SELECT bucket, job_id,"
                    + " url, last_error, created_at, state, seq FROM callbacks ORDER BY seq DESC"
                    + " LIMIT ?) latest WHERE state = 'Failed' ORDER BY seq DESC LIMIT ?",
                rs ->
                    new Failure(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        Sql.instant(rs, "created_at")),
                latest,
                limit));
  }
}
