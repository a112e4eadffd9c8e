package io.jobhook.storage;

import io.jobhook.callback.PendingCallback;
import io.jobhook.job.CallbackRequest;
import io.jobhook.job.Job;
import io.jobhook.job.JobOperation;
import io.jobhook.job.JobPage;
import io.jobhook.job.JobQuery;
import io.jobhook.job.JobState;
import io.jobhook.job.JobStore;
import io.jobhook.job.ObjectRef;
import io.jobhook.job.WorkflowOrigin;
import io.jobhook.workflow.WorkflowEvent;
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

/** {@link JobStore} on JDBC; callbacks go into the {@code callbacks} table in the same transaction. */
public final class JdbcJobStore implements JobStore {
  private final Database db;

  public JdbcJobStore(Database db) {
    this.db = db;
  }

  @Override
  public Job insert(Job job) {
    return db.inTransaction(c -> insert(c, job));
  }

  /** Inserts a job inside the caller's transaction; returns it with its assigned seq. */
  static Job insert(Connection c, Job job) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("""
        INSERT INTO jobs (id, bucket, region, queue_id, tag, state, progress, code, message,
          input_object, output_bucket, output_region, output_object, template_id, user_data,
          job_level, settings, callback_url, callback_disabled, callback_format, callback_type,
          created_at, started_at, ended_at, attempts, version, workflow_run_id, workflow)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, ?, ?)
        RETURNING seq""")) {
      ObjectRef in = job.input();
      JobOperation op = job.operation();
      CallbackRequest cb = job.callback();
      WorkflowOrigin wf = job.workflow();
      Sql.bind(ps, job.id(), in.bucket(), in.region(), job.queueId(), job.tag(), job.state(),
          job.progress(), job.code(), job.message(), in.key(), op.output().bucket(),
          op.output().region(), op.output().key(), op.templateId(), op.userData(), op.jobLevel(),
          JsonColumns.write(op.settings()), cb.url(), cb.disabled(), cb.format(), cb.type(),
          job.creationTime(), job.startTime(), job.endTime(), wf == null ? null : wf.runId(),
          wf == null ? null : JsonColumns.writeValue(wf));
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        long seq = rs.getLong(1);
        return new Job(job.id(), seq, job.queueId(), job.tag(), job.state(), job.progress(),
            job.code(), job.message(), in, op, cb, job.creationTime(), job.startTime(),
            job.endTime(), 0, wf);
      }
    }
  }

  /** The jobs a workflow run started, oldest first. */
  static List<Job> jobsOfRun(Connection c, String runId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT * FROM jobs WHERE workflow_run_id = ? ORDER BY seq")) {
      Sql.bind(ps, runId);
      List<Job> jobs = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          jobs.add(map(rs));
        }
      }
      return jobs;
    }
  }

  @Override
  public Optional<Job> find(String bucket, String jobId) {
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT * FROM jobs WHERE id = ? AND bucket = ?")) {
        Sql.bind(ps, jobId, bucket);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(map(rs)) : Optional.empty();
        }
      }
    });
  }

  @Override
  public JobPage list(String bucket, JobQuery q) {
    Filters f = new Filters("SELECT * FROM jobs WHERE bucket = ?", bucket)
        .and("queue_id = ?", q.queueId())
        .and("tag = ?", q.tag())
        .in("state", q.states() == null ? null : q.states().stream().map(Enum::name).toList())
        .and("created_at >= ?", q.createdFrom())
        .and("created_at <= ?", q.createdTo())
        .pagedBySeq(q.ascending(), q.afterSeq(), q.size());
    Sql.Page<Job> page = db.read(c -> Sql.page(c, f, q.size(), JdbcJobStore::map));
    return new JobPage(page.items(), page.nextSeq());
  }

  @Override
  public List<Job> claimDue(String owner, Instant now, Instant leaseUntil, int limit) {
    if (limit <= 0) {
      return List.of();
    }
    return db.inRelaxedTransaction(c -> {
      Map<String, Integer> running = runningPerQueue(c, now);
      List<Job> candidates = new ArrayList<>();
      Map<String, Integer> maxConcurrent = new HashMap<>();
      // jobs whose runner died (lease ran out) first: they have waited longest; then waiting jobs
      String select = "SELECT j.*, q.max_concurrent AS queue_max_concurrent FROM jobs j"
          + " JOIN queues q ON q.id = j.queue_id WHERE q.state = 'Active' AND ";
      String lock = db.dialect().claimLock;
      addCandidates(c, select + "j.state = 'Running' AND j.lease_until < ? ORDER BY j.lease_until LIMIT ?" + lock,
          candidates, maxConcurrent, now, limit * 4);
      addCandidates(c, select + "j.state = 'Submitted' ORDER BY j.job_level DESC, j.seq ASC LIMIT ?" + lock,
          candidates, maxConcurrent, limit * 4);
      List<Job> claimed = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("""
          UPDATE jobs SET state = 'Running', lease_owner = ?, lease_until = ?,
            started_at = COALESCE(started_at, ?), attempts = attempts + 1, version = version + 1
          WHERE id = ? AND (state = 'Submitted' OR (state = 'Running' AND lease_until < ?))""")) {
        for (Job job : candidates) {
          if (claimed.size() == limit) {
            break;
          }
          int busy = running.getOrDefault(job.queueId(), 0);
          if (busy >= maxConcurrent.get(job.queueId())) {
            continue;
          }
          Sql.bind(ps, owner, leaseUntil, now, job.id(), now);
          if (Sql.atMostOne(ps.executeUpdate(), "job claim")) {
            running.merge(job.queueId(), 1, Integer::sum);
            Instant started = job.startTime() == null ? now : job.startTime();
            claimed.add(new Job(job.id(), job.seq(), job.queueId(), job.tag(), JobState.Running,
                job.progress(), job.code(), job.message(), job.input(), job.operation(),
                job.callback(), job.creationTime(), started, null, job.attempts() + 1, job.workflow()));
          }
        }
      }
      return claimed;
    });
  }

  private static void addCandidates(Connection c, String sql, List<Job> candidates,
      Map<String, Integer> maxConcurrent, Object... args) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      Sql.bind(ps, args);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Job job = map(rs);
          candidates.add(job);
          maxConcurrent.put(job.queueId(), rs.getInt("queue_max_concurrent"));
        }
      }
    }
  }

  private static Map<String, Integer> runningPerQueue(Connection c, Instant now) throws SQLException {
    Map<String, Integer> running = new HashMap<>();
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT queue_id, COUNT(*) FROM jobs WHERE state = 'Running' AND lease_until >= ? GROUP BY queue_id")) {
      Sql.bind(ps, now);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          running.put(rs.getString(1), rs.getInt(2));
        }
      }
    }
    return running;
  }

  @Override
  public int renewLeases(String owner, Instant leaseUntil) {
    return db.inRelaxedTransaction(c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE jobs SET lease_until = ? WHERE lease_owner = ? AND state = 'Running'")) {
        Sql.bind(ps, leaseUntil, owner);
        return ps.executeUpdate();
      }
    });
  }

  @Override
  public boolean updateProgress(String jobId, String owner, int progress) {
    return db.inRelaxedTransaction(c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE jobs SET progress = ? WHERE id = ? AND lease_owner = ? AND state = 'Running'")) {
        Sql.bind(ps, progress, jobId, owner);
        return Sql.atMostOne(ps.executeUpdate(), "job progress");
      }
    });
  }

  @Override
  public boolean finish(Job finished, String owner, Optional<PendingCallback> callback) {
    return db.inTransaction(c -> {
      try (PreparedStatement ps = c.prepareStatement("""
          UPDATE jobs SET state = ?, progress = ?, code = ?, message = ?, ended_at = ?,
            lease_owner = NULL, lease_until = NULL, version = version + 1
          WHERE id = ? AND lease_owner = ? AND state = 'Running'""")) {
        Sql.bind(ps, finished.state(), finished.progress(), finished.code(), finished.message(),
            finished.endTime(), finished.id(), owner);
        if (!Sql.atMostOne(ps.executeUpdate(), "job finish")) {
          return false;
        }
      }
      ended(c, finished, callback);
      return true;
    });
  }

  @Override
  public boolean cancel(Job cancelled, Optional<PendingCallback> callback) {
    return db.inTransaction(c -> {
      try (PreparedStatement ps = c.prepareStatement("""
          UPDATE jobs SET state = 'Cancel', code = ?, message = ?, ended_at = ?, version = version + 1
          WHERE id = ? AND state = 'Submitted'""")) {
        Sql.bind(ps, cancelled.code(), cancelled.message(), cancelled.endTime(), cancelled.id());
        if (!Sql.atMostOne(ps.executeUpdate(), "job cancel")) {
          return false;
        }
      }
      ended(c, cancelled, callback);
      return true;
    });
  }

  /** What a final state brings with it, in the same transaction: the callback, and the run's next step. */
  private static void ended(Connection c, Job job, Optional<PendingCallback> callback) throws SQLException {
    if (callback.isPresent()) {
      JdbcCallbackOutbox.insert(c, callback.get());
    }
    if (job.workflow() != null) {
      JdbcWorkflowStore.recordEvent(c, WorkflowEvent.Kind.JobEnded, job.input().bucket(), job.id(), List.of(),
          job.endTime());
    }
  }

  @Override
  public int releaseAllLeases() {
    return db.inTransaction(c -> {
      try (PreparedStatement ps = c.prepareStatement("""
          UPDATE jobs SET state = 'Submitted', lease_owner = NULL, lease_until = NULL,
            version = version + 1 WHERE state = 'Running'""")) {
        return ps.executeUpdate();
      }
    });
  }

  private static Job map(ResultSet rs) throws SQLException {
    String format = rs.getString("callback_format");
    ObjectRef output = new ObjectRef(rs.getString("output_bucket"), rs.getString("output_region"),
        rs.getString("output_object"));
    return new Job(
        rs.getString("id"),
        rs.getLong("seq"),
        rs.getString("queue_id"),
        rs.getString("tag"),
        JobState.valueOf(rs.getString("state")),
        rs.getInt("progress"),
        rs.getString("code"),
        rs.getString("message"),
        new ObjectRef(rs.getString("bucket"), rs.getString("region"), rs.getString("input_object")),
        new JobOperation(output, rs.getString("template_id"), rs.getString("user_data"),
            rs.getInt("job_level"), JsonColumns.read(rs.getString("settings"))),
        new CallbackRequest(rs.getString("callback_url"), rs.getInt("callback_disabled") == 1,
            format == null ? null : CallbackRequest.CallbackFormat.valueOf(format),
            rs.getString("callback_type")),
        Sql.instant(rs, "created_at"),
        Sql.instant(rs, "started_at"),
        Sql.instant(rs, "ended_at"),
        rs.getInt("attempts"),
        JsonColumns.readValue(rs.getString("workflow"), WorkflowOrigin.class));
  }
}
