package io.jobhook.storage;

import io.jobhook.callback.NotifyConfig;
import io.jobhook.engine.Ids;
import io.jobhook.job.Queue;
import io.jobhook.job.QueueStore;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** {@link QueueStore} on JDBC. */
public final class JdbcQueueStore implements QueueStore {
  private final Database db;

  public JdbcQueueStore(Database db) {
    this.db = db;
  }

  @Override
  public Queue defaultQueue(String bucket, Instant now, int maxConcurrent) {
    Optional<Queue> existing = db.read(c -> findDefault(c, bucket));
    if (existing.isPresent()) {
      return existing.get();
    }
    try {
      return createDefault(bucket, now, maxConcurrent);
    } catch (Database.StorageException e) {
      // another node created it between our read and our insert (the unique index said no)
      return db.read(c -> findDefault(c, bucket)).orElseThrow(() -> e);
    }
  }

  private Queue createDefault(String bucket, Instant now, int maxConcurrent) {
    return db.inTransaction(
        c -> {
          Optional<Queue> again = findDefault(c, bucket);
          if (again.isPresent()) {
            return again.get();
          }
          Queue q =
              new Queue(
                  Ids.queueId(),
                  bucket,
                  "default",
                  Queue.QueueState.Active,
                  10000,
                  maxConcurrent,
                  NotifyConfig.NONE,
                  "CateAll",
                  now,
                  now);
          List<Object> settings = settings(q);
          Sql.update(
              c,
              "INSERT INTO queues ("
                  + SETTINGS
                  + ", id, bucket, max_size, category, is_default, created_at, updated_at)"
                  + " VALUES ("
                  + Sql.placeholders(settings.size())
                  + ", ?, ?, ?, ?, 1, ?, ?)",
              Sql.concat(settings, q.id(), bucket, q.maxSize(), q.category(), now, now));
          return q;
        });
  }

  private Optional<Queue> findDefault(Connection c, String bucket) throws SQLException {
    return one(c, "SELECT * FROM queues WHERE bucket = ? AND is_default = 1", bucket);
  }

  @Override
  public Optional<Queue> find(String bucket, String queueId) {
    return db.read(
        c -> one(c, "SELECT * FROM queues WHERE bucket = ? AND id = ?", bucket, queueId));
  }

  @Override
  public List<Queue> list(String bucket) {
    return db.read(
        c ->
            Sql.list(
                c,
                "SELECT * FROM queues WHERE bucket = ? ORDER BY created_at, id",
                JdbcQueueStore::map,
                bucket));
  }

  @Override
  public List<String> buckets() {
    return db.read(
        c ->
            Sql.list(
                c,
                "SELECT bucket FROM queues WHERE is_default = 1 ORDER BY bucket",
                rs -> rs.getString(1)));
  }

  @Override
  public void update(Queue q) {
    db.inTransaction(
        c -> {
          List<Object> settings = settings(q);
          return Sql.atMostOne(
              Sql.update(
                  c,
                  "UPDATE queues SET ("
                      + SETTINGS
                      + ", updated_at) = ("
                      + Sql.placeholders(settings.size())
                      + ", ?) WHERE id = ? AND bucket = ?",
                  Sql.concat(settings, q.updateTime(), q.id(), q.bucket())),
              "queue update");
        });
  }

  /** The columns a queue's update may change, in the order {@link #settings} gives them. */
  private static final String SETTINGS =
      "name, state, max_concurrent, notify_url, notify_type, notify_event, notify_state,"
          + " notify_result_format";

  /** A queue's values for {@link #SETTINGS}. */
  private static List<Object> settings(Queue q) {
    var n = q.notifyConfig();
    return java.util.Arrays.asList(
        q.name(),
        q.state(),
        q.maxConcurrent(),
        n.url(),
        n.type(),
        n.event(),
        n.state(),
        n.resultFormat());
  }

  private static Optional<Queue> one(Connection c, String sql, Object... args) throws SQLException {
    return Sql.first(c, sql, JdbcQueueStore::map, args);
  }

  private static Queue map(ResultSet rs) throws SQLException {
    return new Queue(
        rs.getString("id"),
        rs.getString("bucket"),
        rs.getString("name"),
        Queue.QueueState.valueOf(rs.getString("state")),
        rs.getInt("max_size"),
        rs.getInt("max_concurrent"),
        new NotifyConfig(
            rs.getString("notify_url"),
            rs.getString("notify_type"),
            rs.getString("notify_event"),
            rs.getString("notify_state"),
            rs.getString("notify_result_format")),
        rs.getString("category"),
        Sql.instant(rs, "created_at"),
        Sql.instant(rs, "updated_at"));
  }
}
