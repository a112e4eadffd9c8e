package io.jobhook.storage;

import io.jobhook.callback.CallbackFormat;
import io.jobhook.callback.CallbackRequest;
import io.jobhook.engine.Transaction;
import io.jobhook.job.IdleWorkers;
import io.jobhook.job.Job;
import io.jobhook.job.JobOperation;
import io.jobhook.job.JobPage;
import io.jobhook.job.JobQuery;
import io.jobhook.job.JobState;
import io.jobhook.job.JobStore;
import io.jobhook.job.ObjectRef;
import io.jobhook.job.WorkflowOrigin;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@link JobStore} on JDBC: the {@code jobs} table. */
public final class JdbcJobStore implements JobStore {
  private final Database db;

  public JdbcJobStore(Database db) {
    this.db = db;
  }

  @Override
  public Job insert(Transaction tx, Job job) {
    return JdbcTransactions.within(tx, c -> insert(c, job, null));
  }

  @Override
  public Job insertClaimedIfFree(Transaction tx, Job job, IdleWorkers.Lease lease) {
    return JdbcTransactions.within(
        tx,
        c -> {
          if (!claimableNow(c, job.queueId(), job.creationTime())) {
            return insert(c, job, null);
          }
          return insert(c, job.started(job.creationTime()), lease);
        });
  }

  /** What a claim checks, for one queue: Active, below MaxConcurrent, and no job waiting before. */
  private static boolean claimableNow(Connection c, String queueId, Instant now)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            """
        SELECT 1 FROM queues q WHERE q.id = ? AND q.state = 'Active'
          AND NOT EXISTS (SELECT 1 FROM jobs w WHERE w.state = 'Submitted')
          AND (SELECT COUNT(*) FROM jobs r WHERE r.state = 'Running' AND r.lease_until >= ?
                 AND r.lease_owner IS NOT NULL AND r.queue_id = q.id) < q.max_concurrent""")) {
      Sql.bind(ps, queueId, now);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  /** Inserts a job, claimed under {@code lease} when that is not null. */
  private static Job insert(Connection c, Job job, IdleWorkers.Lease lease) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            """
        INSERT INTO jobs (id, bucket, region, queue_id, tag, state, progress, code, message,
          input_object, output_bucket, output_region, output_object, template_id, user_data,
          job_level, settings, callback_url, callback_disabled, callback_format, callback_type,
          created_at, started_at, ended_at, attempts, lease_owner, lease_until, version, workflow_run_id, workflow,
          workflow_id, template_name)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?)
        RETURNING seq""")) {
      ObjectRef in = job.input();
      JobOperation op = job.operation();
      CallbackRequest cb = job.callback();
      WorkflowOrigin wf = job.workflow();
      Sql.bind(
          ps,
          job.id(),
          in.bucket(),
          in.region(),
          job.queueId(),
          job.tag(),
          job.state(),
          job.progress(),
          job.code(),
          job.message(),
          in.key(),
          op.output().bucket(),
          op.output().region(),
          op.output().key(),
          op.templateId(),
          op.userData(),
          op.jobLevel(),
          JsonColumns.write(op.settings()),
          cb.url(),
          cb.disabled(),
          cb.format(),
          cb.type(),
          job.creationTime(),
          job.startTime(),
          job.endTime(),
          job.attempts(),
          lease == null ? null : lease.owner(),
          lease == null ? null : lease.until(),
          wf == null ? null : wf.runId(),
          wf == null ? null : JsonColumns.writeValue(wf),
          wf == null ? null : wf.workflowId(),
          op.templateName());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        long seq = rs.getLong(1);
        return new Job(
            job.id(),
            seq,
            job.queueId(),
            job.tag(),
            job.state(),
            job.progress(),
            job.code(),
            job.message(),
            in,
            op,
            cb,
            job.creationTime(),
            job.startTime(),
            job.endTime(),
            job.attempts(),
            wf);
      }
    }
  }

  @Override
  public List<QueueDepth> queueDepths() {
    return db.read(
        c -> {
          // each inner count reads its state's partial index; the outer sum joins them per queue
          try (PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT bucket, queue_id, SUM(waiting), SUM(running) FROM ("
                          + "SELECT bucket, queue_id, COUNT(*) AS waiting, 0 AS running FROM jobs"
                          + " WHERE state = 'Submitted' GROUP BY bucket, queue_id UNION ALL"
                          + " SELECT bucket, queue_id, 0, COUNT(*) FROM jobs WHERE state = 'Running'"
                          + " GROUP BY bucket, queue_id) depths"
                          + " GROUP BY bucket, queue_id ORDER BY bucket, queue_id");
              ResultSet rs = ps.executeQuery()) {
            List<QueueDepth> depths = new ArrayList<>();
            while (rs.next()) {
              depths.add(
                  new QueueDepth(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4)));
            }
            return depths;
          }
        });
  }

  @Override
  public List<Job> latestFailed(Instant since, int limit) {
    return db.read(
        c ->
            Sql.list(
                c,
                "SELECT * FROM jobs WHERE ended_at IS NOT NULL AND ended_at >= ?"
                    + " AND state = 'Failed' ORDER BY ended_at DESC LIMIT ?",
                JdbcJobStore::map,
                since,
                limit));
  }

  @Override
  public JobStats stats(Instant since) {
    return db.read(
        c -> {
          Map<JobState, Long> byState = new java.util.EnumMap<>(JobState.class);
          // each count reads one partial index, never the whole table
          try (PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT (SELECT COUNT(*) FROM jobs WHERE state = 'Submitted'),"
                          + " (SELECT COUNT(*) FROM jobs WHERE state = 'Running')");
              ResultSet rs = ps.executeQuery()) {
            rs.next();
            byState.put(JobState.Submitted, rs.getLong(1));
            byState.put(JobState.Running, rs.getLong(2));
          }
          java.util.SortedMap<Long, Map<JobState, Long>> perMinute = new java.util.TreeMap<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT ended_at / 60000, state, COUNT(*) FROM jobs"
                      + " WHERE ended_at IS NOT NULL AND ended_at >= ? GROUP BY ended_at / 60000, state")) {
            Sql.bind(ps, since);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                perMinute
                    .computeIfAbsent(rs.getLong(1), m -> new java.util.EnumMap<>(JobState.class))
                    .put(JobState.valueOf(rs.getString(2)), rs.getLong(3));
              }
            }
          }
          return new JobStats(byState, perMinute);
        });
  }

  @Override
  public int pruneEnded(Instant endedBefore, int limit) {
    return db.inTransaction(c -> Sql.update(c, PRUNE_ENDED, endedBefore, limit));
  }

  /**
   * Up to a number of jobs ended before a time, oldest first, through the index of ended jobs;
   * those of workflow runs and those with a callback in the log left out. The callbacks are counted
   * per job, not asked for with NOT EXISTS: PostgreSQL turns that into an anti-join and may then
   * hash the whole callbacks table on every pass.
   */
  static final String PRUNE_ENDED =
      """
      DELETE FROM jobs WHERE seq IN (
        SELECT j.seq FROM jobs j
        WHERE j.ended_at IS NOT NULL AND j.ended_at < ? AND j.workflow_run_id IS NULL
          AND (SELECT COUNT(*) FROM callbacks c WHERE c.job_id = j.id) = 0
        ORDER BY j.ended_at LIMIT ?)""";

  @Override
  public List<Job> jobsOfRun(String runId) {
    return db.read(
        c ->
            Sql.list(
                c,
                "SELECT * FROM jobs WHERE workflow_run_id = ? ORDER BY seq",
                JdbcJobStore::map,
                runId));
  }

  @Override
  public Optional<Job> find(String bucket, String jobId) {
    return db.read(
        c ->
            Sql.first(
                c,
                "SELECT * FROM jobs WHERE id = ? AND bucket = ?",
                JdbcJobStore::map,
                jobId,
                bucket));
  }

  @Override
  public JobPage list(String bucket, JobQuery q) {
    Filters f =
        new Filters("SELECT * FROM jobs WHERE bucket = ?", bucket)
            .and("queue_id = ?", q.queueId())
            .and("tag = ?", q.tag())
            .in("state", q.states() == null ? null : q.states().stream().map(Enum::name).toList())
            .and("created_at >= ?", q.createdFrom())
            .and("created_at <= ?", q.createdTo())
            .and("workflow_id = ?", q.workflowId())
            .and("input_object = ?", q.inputObject())
            .pagedBySeq(q.ascending(), q.afterSeq(), q.size());
    Sql.Page<Job> page = db.read(c -> Sql.page(c, f, q.size(), JdbcJobStore::map));
    return new JobPage(page.items(), page.nextSeq());
  }

  @Override
  public Claimed claimDue(String owner, Instant now, Instant leaseUntil, int limit) {
    if (limit <= 0) {
      return new Claimed(List.of(), true); // nothing looked at: jobs may be waiting
    }
    ClaimedIds claimedIds =
        db.inRelaxedTransaction(
            c -> {
              Map<String, Integer> running = runningPerQueue(c, now);
              Map<String, QueueLimit> queues = queueLimits(c, running.keySet(), true);
              // Paused queues and queues already at MaxConcurrent are left out in the query
              // itself, which reads one table in the order of its index: a claim reads (and on
              // PostgreSQL locks) about as many rows as it can take, whatever the planner's
              // statistics say of a table that has just filled up.
              List<String> full = new ArrayList<>();
              List<String> excluded = new ArrayList<>();
              queues.forEach(
                  (id, queue) -> {
                    if (!queue.active()) {
                      excluded.add(id);
                    } else if (running.getOrDefault(id, 0) >= queue.maxConcurrent()) {
                      full.add(id);
                      excluded.add(id);
                    }
                  });
              List<Object> excludedArgs = excluded.isEmpty() ? List.of() : Sql.inList(excluded);
              String select =
                  "SELECT j.id, j.queue_id FROM jobs j WHERE "
                      + (excluded.isEmpty()
                          ? ""
                          : "j.queue_id NOT IN ("
                              + Sql.placeholders(excludedArgs.size())
                              + ") AND ");
              List<Candidate> candidates = new ArrayList<>();
              // jobs whose runner died (lease ran out) first, as they have waited longest
              addCandidates(
                  c,
                  db.dialect()
                      .claim(
                          select
                              + "j.state = 'Running' AND j.lease_until < ? ORDER BY j.lease_until"
                              + " LIMIT ?",
                          "j"),
                  candidates,
                  Sql.concat(excludedArgs, now, limit + 1));
              addCandidates(
                  c,
                  db.dialect()
                      .claim(
                          select
                              + "j.state = 'Submitted' ORDER BY j.job_level DESC, j.seq ASC LIMIT ?",
                          "j"),
                  candidates,
                  Sql.concat(excludedArgs, limit + 1)); // one more: are others waiting?
              Set<String> unknown = new HashSet<>();
              candidates.forEach(
                  candidate -> {
                    if (!queues.containsKey(candidate.queueId())) {
                      unknown.add(candidate.queueId());
                    }
                  });
              queues.putAll(queueLimits(c, unknown, false));
              List<String> chosen = new ArrayList<>();
              for (Candidate candidate : candidates) {
                if (chosen.size() == limit) {
                  break;
                }
                QueueLimit queue = queues.get(candidate.queueId());
                if (queue != null
                    && queue.active()
                    && running.getOrDefault(candidate.queueId(), 0) < queue.maxConcurrent()) {
                  running.merge(candidate.queueId(), 1, Integer::sum);
                  chosen.add(candidate.jobId());
                }
              }
              // one statement for the whole claim: the candidates are this transaction's (locked
              // on PostgreSQL, the only writer on SQLite), and the state check keeps it honest
              if (!chosen.isEmpty()) {
                List<Object> chosenIds = Sql.inList(chosen);
                try (PreparedStatement ps =
                    c.prepareStatement(
                        """
          UPDATE jobs SET state = 'Running', lease_owner = ?, lease_until = ?,
            started_at = COALESCE(started_at, ?), attempts = attempts + 1, version = version + 1
          WHERE id IN ("""
                            + Sql.placeholders(chosenIds.size())
                            + ") AND "
                            // found by id, whatever the planner's statistics say
                            + Sql.filterOnly(
                                "(state = 'Submitted' OR state = 'Running' AND lease_until < ?)"))) {
                  List<Object> args = new ArrayList<>(List.of(owner, leaseUntil, now));
                  args.addAll(chosenIds);
                  args.add(now);
                  Sql.bind(ps, args.toArray());
                  ps.executeUpdate(); // the rows it leased are read back after the commit
                }
              }
              return new ClaimedIds(
                  chosen, candidates.size() > chosen.size() || waitingIn(c, full));
            });
    if (claimedIds.ids().isEmpty()) {
      return new Claimed(List.of(), claimedIds.othersWaiting());
    }
    // leased to owner now: nothing else changes these rows until the owner finishes them
    List<String> ids = claimedIds.ids();
    List<Object> idArgs = Sql.inList(ids);
    List<Job> jobs =
        db.read(
            c -> {
              Map<String, Job> byId = new HashMap<>();
              for (Job job :
                  Sql.list(
                      c,
                      claimedJobs(idArgs.size()),
                      JdbcJobStore::map,
                      Sql.concat(List.of(owner), idArgs.toArray()))) {
                byId.put(job.id(), job);
              }
              // in the order the claim chose them (priority, then age)
              return ids.stream().map(byId::get).filter(java.util.Objects::nonNull).toList();
            });
    return new Claimed(jobs, claimedIds.othersWaiting());
  }

  /** A claim's leased ids, read whole after its commit, and whether it saw jobs it left. */
  private record ClaimedIds(List<String> ids, boolean othersWaiting) {}

  private record Candidate(String jobId, String queueId) {}

  private record QueueLimit(boolean active, int maxConcurrent) {}

  private static void addCandidates(
      Connection c, String sql, List<Candidate> candidates, Object... args) throws SQLException {
    candidates.addAll(
        Sql.list(c, sql, rs -> new Candidate(rs.getString(1), rs.getString(2)), args));
  }

  /** Whether any of {@code queues} has a job waiting. */
  private static boolean waitingIn(Connection c, List<String> queues) throws SQLException {
    if (queues.isEmpty()) {
      return false;
    }
    List<Object> ids = Sql.inList(queues);
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT 1 FROM jobs WHERE state = 'Submitted' AND queue_id IN ("
                + Sql.placeholders(ids.size())
                + ") LIMIT 1")) {
      Sql.bind(ps, ids.toArray());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  /**
   * The state and MaxConcurrent of the queues {@code ids}, and of every paused queue when {@code
   * withPaused}.
   */
  private static Map<String, QueueLimit> queueLimits(
      Connection c, Set<String> ids, boolean withPaused) throws SQLException {
    Map<String, QueueLimit> limits = new HashMap<>();
    if (ids.isEmpty() && !withPaused) {
      return limits;
    }
    List<Object> args = ids.isEmpty() ? List.of() : Sql.inList(List.copyOf(ids));
    String where =
        (withPaused ? "state <> 'Active'" : "")
            + (withPaused && !ids.isEmpty() ? " OR " : "")
            + (ids.isEmpty() ? "" : "id IN (" + Sql.placeholders(args.size()) + ")");
    try (PreparedStatement ps =
        c.prepareStatement("SELECT id, state, max_concurrent FROM queues WHERE " + where)) {
      Sql.bind(ps, args.toArray());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          limits.put(
              rs.getString(1), new QueueLimit("Active".equals(rs.getString(2)), rs.getInt(3)));
        }
      }
    }
    return limits;
  }

  private static Map<String, Integer> runningPerQueue(Connection c, Instant now)
      throws SQLException {
    Map<String, Integer> running = new HashMap<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT queue_id, COUNT(*) FROM jobs WHERE state = 'Running' AND lease_until >= ? AND lease_owner IS NOT NULL"
                + " GROUP BY queue_id")) {
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
    return db.inRelaxedTransaction(
        c ->
            Sql.update(
                c,
                "UPDATE jobs SET lease_until = ? WHERE lease_owner = ? AND state = 'Running'",
                leaseUntil,
                owner));
  }

  @Override
  public boolean retryLater(String jobId, String owner, Instant notBefore) {
    return db.inTransaction(
        c -> {
          // a Running row without an owner is a lease ending at notBefore, when claimDue takes it
          return Sql.atMostOne(Sql.update(c, RETRY_LATER, notBefore, jobId, owner), "job retry");
        });
  }

  @Override
  public boolean updateProgress(String jobId, String owner, int progress) {
    return db.inRelaxedTransaction(
        c -> Sql.atMostOne(Sql.update(c, PROGRESS, progress, jobId, owner), "job progress"));
  }

  @Override
  public boolean finish(Transaction tx, Job finished, String owner) {
    return JdbcTransactions.within(
        tx,
        c ->
            Sql.atMostOne(
                Sql.update(
                    c,
                    FINISH,
                    finished.state(),
                    finished.progress(),
                    finished.code(),
                    finished.message(),
                    finished.endTime(),
                    finished.id(),
                    owner),
                "job finish"));
  }

  @Override
  public boolean cancel(Transaction tx, Job cancelled) {
    return JdbcTransactions.within(
        tx,
        c ->
            Sql.atMostOne(
                Sql.update(
                    c,
                    CANCEL,
                    cancelled.code(),
                    cancelled.message(),
                    cancelled.endTime(),
                    cancelled.id()),
                "job cancel"));
  }

  @Override
  public int releaseAllLeases() {
    return db.inTransaction(c -> Sql.update(c, RELEASE));
  }

  @Override
  public int releaseLeasesOf(String owner) {
    return db.inTransaction(c -> Sql.update(c, RELEASE + " AND lease_owner = ?", owner));
  }

  // Each finds its job by id, and checks its state and lease (see Sql#filterOnly).

  /** A leased job's end: state, progress, code, message, end time; its id and owner. */
  static final String FINISH =
      """
      UPDATE jobs SET state = ?, progress = ?, code = ?, message = ?, ended_at = ?,
        lease_owner = NULL, lease_until = NULL, version = version + 1
      WHERE id = ? AND lease_owner = ? AND\s"""
          + Sql.filterOnly("state = 'Running'");

  /** A waiting job cancelled: code, message, end time; its id. */
  static final String CANCEL =
      """
      UPDATE jobs SET state = 'Cancel', code = ?, message = ?, ended_at = ?, version = version + 1
      WHERE id = ? AND\s"""
          + Sql.filterOnly("state = 'Submitted'");

  /** A leased job's lease given up until a time, when it is claimed again; its id and owner. */
  static final String RETRY_LATER =
      """
      UPDATE jobs SET lease_owner = NULL, lease_until = ?, version = version + 1
      WHERE id = ? AND lease_owner = ? AND\s"""
          + Sql.filterOnly("state = 'Running'");

  /** A leased job's progress; its id and owner. */
  static final String PROGRESS =
      "UPDATE jobs SET progress = ? WHERE id = ? AND lease_owner = ? AND "
          + Sql.filterOnly("state = 'Running'");

  /** The jobs of a claim, read back whole: the owner, then {@code n} ids. */
  static String claimedJobs(int n) {
    return "SELECT * FROM jobs WHERE lease_owner = ? AND "
        + Sql.filterOnly("state = 'Running'")
        + " AND id IN ("
        + Sql.placeholders(n)
        + ")";
  }

  /** Running jobs back to the queue. */
  private static final String RELEASE =
      "UPDATE jobs SET state = 'Submitted', lease_owner = NULL, lease_until = NULL,"
          + " version = version + 1 WHERE state = 'Running'";

  private static Job map(ResultSet rs) throws SQLException {
    String format = rs.getString("callback_format");
    ObjectRef output =
        new ObjectRef(
            rs.getString("output_bucket"),
            rs.getString("output_region"),
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
        new JobOperation(
            output,
            rs.getString("template_id"),
            rs.getString("template_name"),
            rs.getString("user_data"),
            rs.getInt("job_level"),
            JsonColumns.read(rs.getString("settings"))),
        new CallbackRequest(
            rs.getString("callback_url"),
            rs.getInt("callback_disabled") == 1,
            format == null ? null : CallbackFormat.valueOf(format),
            rs.getString("callback_type")),
        Sql.instant(rs, "created_at"),
        Sql.instant(rs, "started_at"),
        Sql.instant(rs, "ended_at"),
        rs.getInt("attempts"),
        JsonColumns.readValue(rs.getString("workflow"), WorkflowOrigin.class));
  }
}
