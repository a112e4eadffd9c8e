package io.jobhook.bench;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.event.AbstractSchedulerListener;
import com.github.kagkarlsson.scheduler.jdbc.DefaultJdbcCustomization;
import com.github.kagkarlsson.scheduler.task.ExecutionComplete;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The durable-job peer of {@link PipelineBench} (run by bench/pipeline.sh in the same run):
 * db-scheduler, a persistent scheduler on one JDBC table, executing empty one-time tasks on SQLite
 * in WAL mode. The same two phases as the pipeline bench and the same report line: tasks scheduled
 * as fast as the database takes them from CONCURRENCY threads (saturation), then at a fixed RATE
 * (latency from the schedule call to the task's completion).
 *
 * <pre>  DbSchedulerBench JOBS CONCURRENCY RATE SYNCHRONOUS THREADS POOL</pre>
 *
 * SYNCHRONOUS is SQLite's {@code FULL} (every commit fsynced: the durability jobhook gives) or
 * {@code NORMAL} (fsync at checkpoints only: a power loss can undo recent commits). THREADS is the
 * scheduler's executor size and POOL the connection pool's.
 */
public final class DbSchedulerBench {
  private static final Duration WARM_UP = Duration.ofSeconds(30);

  public static void main(String[] args) throws Exception {
    int jobs = Integer.parseInt(args[0]);
    int concurrency = Integer.parseInt(args[1]);
    int rate = Integer.parseInt(args[2]);
    String synchronous = args[3];
    int threads = Integer.parseInt(args[4]);
    int pool = Integer.parseInt(args[5]);
    Path dir = Files.createTempDirectory("dbscheduler-bench");
    Map<String, Long> completed = new ConcurrentHashMap<>();
    try (HikariDataSource dataSource = dataSource(dir.resolve("tasks.db"), synchronous, pool)) {
      createTable(dataSource);
      OneTimeTask<Void> empty = Tasks.oneTime("empty").execute((instance, context) -> { });
      Scheduler scheduler = Scheduler.create(dataSource, empty)
          .threads(threads)
          .pollingInterval(Duration.ofMillis(100))
          .enableImmediateExecution()
          .jdbcCustomization(new SqliteCustomization())
          .addSchedulerListener(new AbstractSchedulerListener() {
            @Override
            public void onExecutionComplete(ExecutionComplete complete) {
              completed.putIfAbsent(complete.getExecution().taskInstance.getId(), System.nanoTime());
            }
          })
          .build();
      scheduler.start();
      Map<String, Long> scheduled = new ConcurrentHashMap<>();
      long warmUntil = System.nanoTime() + WARM_UP.toNanos();
      for (int round = 0; System.nanoTime() < warmUntil; round++) {
        run(scheduler, empty, "warm" + round + "-", 2000, concurrency, 0, scheduled, completed, null, "");
      }
      String config = " synchronous=" + synchronous + " threads=" + threads + " pool=" + pool;
      run(scheduler, empty, "sat-", jobs, concurrency, 0, scheduled, completed, "saturation", config);
      run(scheduler, empty, "paced-", Math.max(rate * 10, jobs / 2), concurrency, rate, scheduled, completed, "paced",
          config);
      scheduler.stop();
    }
    System.exit(0);
  }

  /** Schedules {@code jobs} tasks and waits for their completion; prints the figures unless {@code report} is null. */
  static void run(Scheduler scheduler, OneTimeTask<Void> task, String prefix, int jobs, int concurrency, int rate,
      Map<String, Long> scheduled, Map<String, Long> completed, String report, String config) throws Exception {
    scheduled.clear();
    completed.clear();
    AtomicInteger next = new AtomicInteger();
    var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    long cpuAtStart = os.getProcessCpuTime();
    long start = System.nanoTime();
    try (var submitters = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int t = 0; t < concurrency; t++) {
        submitters.execute(() -> {
          int i;
          while ((i = next.getAndIncrement()) < jobs) {
            if (rate > 0) {
              LockSupport.parkNanos(start + (long) (i * 1e9 / rate) - System.nanoTime());
            }
            String id = prefix + i;
            long at = System.nanoTime();
            scheduler.schedule(task.instance(id), Instant.now());
            scheduled.put(id, at);
          }
        });
      }
    }
    long submittedAt = System.nanoTime();
    while (completed.size() < jobs && System.nanoTime() - submittedAt < 300_000_000_000L) {
      Thread.sleep(5);
    }
    if (report == null) {
      return;
    }
    long end = completed.values().stream().mapToLong(Long::longValue).max().orElse(System.nanoTime());
    double cpuMsPerJob = (os.getProcessCpuTime() - cpuAtStart) / 1e6 / jobs;
    long[] latencies = scheduled.entrySet().stream().filter(e -> completed.containsKey(e.getKey()))
        .mapToLong(e -> completed.get(e.getKey()) - e.getValue()).sorted().toArray();
    double seconds = (end - start) / 1e9;
    System.out.printf("%s jobs=%d completed=%d seconds=%.2f jobs_per_s=%.0f submit_rate=%.0f p50_ms=%.2f p99_ms=%.2f"
        + " cpu_ms_per_job=%.2f%s%n", report, jobs, latencies.length, seconds, latencies.length / seconds,
        jobs / ((submittedAt - start) / 1e9), latencies[latencies.length / 2] / 1e6,
        latencies[(int) (latencies.length * 0.99)] / 1e6, cpuMsPerJob, config);
  }

  private static HikariDataSource dataSource(Path file, String synchronous, int pool) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl("jdbc:sqlite:" + file);
    config.setMaximumPoolSize(pool);
    config.setConnectionInitSql("PRAGMA synchronous=" + synchronous);
    config.addDataSourceProperty("journal_mode", "WAL");
    config.addDataSourceProperty("busy_timeout", "30000");
    return new HikariDataSource(config);
  }

  /** db-scheduler's table (its PostgreSQL DDL, in SQLite's types); times as epoch milliseconds. */
  private static void createTable(HikariDataSource dataSource) throws SQLException {
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
      s.execute("PRAGMA journal_mode=WAL");
      s.execute("""
          CREATE TABLE scheduled_tasks (
            task_name TEXT NOT NULL,
            task_instance TEXT NOT NULL,
            task_data BLOB,
            execution_time INTEGER NOT NULL,
            picked BOOLEAN NOT NULL,
            picked_by TEXT,
            last_success INTEGER,
            last_failure INTEGER,
            consecutive_failures INTEGER,
            last_heartbeat INTEGER,
            version BIGINT NOT NULL,
            priority SMALLINT,
            PRIMARY KEY (task_name, task_instance))""");
      s.execute("CREATE INDEX execution_time_idx ON scheduled_tasks (execution_time)");
      s.execute("CREATE INDEX last_heartbeat_idx ON scheduled_tasks (last_heartbeat)");
    }
  }

  /**
   * db-scheduler 16.7 has no SQLite customization of its own (a later release adds one): instants as
   * epoch milliseconds, and SQLite's LIMIT.
   */
  private static final class SqliteCustomization extends DefaultJdbcCustomization {
    SqliteCustomization() {
      super(true);
    }

    @Override
    public String getName() {
      return "SQLite";
    }

    @Override
    public void setInstant(PreparedStatement p, int index, Instant value) throws SQLException {
      if (value == null) {
        p.setNull(index, java.sql.Types.INTEGER);
      } else {
        p.setLong(index, value.toEpochMilli());
      }
    }

    @Override
    public Instant getInstant(ResultSet rs, String column) throws SQLException {
      long millis = rs.getLong(column);
      return rs.wasNull() ? null : Instant.ofEpochMilli(millis);
    }

    @Override
    public boolean supportsExplicitQueryLimitPart() {
      return true;
    }

    @Override
    public String getQueryLimitPart(int limit) {
      return " LIMIT " + limit;
    }
  }
}
