package io.jobhook.bench;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.event.AbstractSchedulerListener;
import com.github.kagkarlsson.scheduler.jdbc.DefaultJdbcCustomization;
import com.github.kagkarlsson.scheduler.task.ExecutionComplete;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
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
 * {@code NORMAL} (fsync at checkpoints only: a power loss can undo recent commits), or {@code
 * postgresql}: the PostgreSQL of JOBHOOK_TEST_PG_URL (_USER, _PASSWORD), its public schema emptied,
 * with its own durability settings (bench/cluster.sh: every commit flushed). THREADS is the
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
    Path dir = ScratchDir.create("dbscheduler-bench");
    Map<String, Long> completed = new ConcurrentHashMap<>();
    boolean postgres = synchronous.equals("postgresql");
    try (HikariDataSource dataSource =
        postgres
            ? postgresDataSource(pool)
            : dataSource(dir.resolve("tasks.db"), synchronous, pool)) {
      if (postgres) {
        createPostgresTable(dataSource);
      } else {
        createTable(dataSource);
      }
      OneTimeTask<Void> empty = Tasks.oneTime("empty").execute((instance, context) -> {});
      var builder =
          Scheduler.create(dataSource, empty)
              .threads(threads)
              .pollingInterval(Duration.ofMillis(100))
              .enableImmediateExecution();
      if (postgres) {
        // its fastest strategy on PostgreSQL: SELECT ... FOR UPDATE SKIP LOCKED
        builder.pollUsingLockAndFetch(0.5, 3.0);
      } else {
        builder.jdbcCustomization(new SqliteCustomization());
      }
      Scheduler scheduler =
          builder
              .addSchedulerListener(
                  new AbstractSchedulerListener() {
                    @Override
                    public void onExecutionComplete(ExecutionComplete complete) {
                      completed.putIfAbsent(
                          complete.getExecution().taskInstance.getId(), System.nanoTime());
                    }
                  })
              .build();
      scheduler.start();
      long warmUntil = System.nanoTime() + WARM_UP.toNanos();
      for (int round = 0; System.nanoTime() < warmUntil; round++) {
        run(scheduler, empty, "warm" + round + "-", 2000, concurrency, 0, completed, null);
      }
      if (postgres) {
        // what each task cost the database, measured as bench/cluster.sh measures jobhook's jobs
        var pg = io.jobhook.support.TestPostgres.fromEnvironment();
        ClusterBench.DatabaseLoad before = ClusterBench.DatabaseLoad.read(pg);
        run(scheduler, empty, "sat-", jobs, concurrency, 0, completed, "saturation");
        ClusterBench.DatabaseLoad spent = ClusterBench.DatabaseLoad.read(pg).minus(before);
        System.out.println("database " + spent.perJob(jobs));
      } else {
        run(scheduler, empty, "sat-", jobs, concurrency, 0, completed, "saturation");
      }
      run(
          scheduler,
          empty,
          "paced-",
          Math.max(rate * 10, jobs / 2),
          concurrency,
          rate,
          completed,
          "paced");
      scheduler.stop();
    }
    System.exit(0);
  }

  /**
   * One phase (see {@link LoadPhase}): tasks scheduled to run at once, each complete when it has
   * run.
   */
  static void run(
      Scheduler scheduler,
      OneTimeTask<Void> task,
      String prefix,
      int jobs,
      int concurrency,
      int rate,
      Map<String, Long> completed,
      String report)
      throws Exception {
    LoadPhase.run(
        jobs,
        concurrency,
        rate,
        () ->
            i -> {
              String id = prefix + i;
              scheduler.schedule(task.instance(id), Instant.now());
              return id;
            },
        completed,
        report);
  }

  private static HikariDataSource dataSource(Path file, String synchronous, int pool) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl("jdbc:sqlite:" + file);
    config.setMaximumPoolSize(pool);
    config.setConnectionInitSql("PRAGMA synchronous=" + synchronous);
    config.addDataSourceProperty("busy_timeout", "30000");
    return new HikariDataSource(config);
  }

  private static HikariDataSource postgresDataSource(int pool) throws Exception {
    io.jobhook.support.TestPostgres pg = io.jobhook.support.TestPostgres.empty();
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(pg.url());
    config.setUsername(pg.user());
    config.setPassword(pg.password());
    config.setMaximumPoolSize(pool);
    return new HikariDataSource(config);
  }

  /** db-scheduler's PostgreSQL DDL (its documentation's tables.sql). */
  private static void createPostgresTable(HikariDataSource dataSource) throws SQLException {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      s.execute(
          """
          CREATE TABLE scheduled_tasks (
            task_name TEXT NOT NULL,
            task_instance TEXT NOT NULL,
            task_data BYTEA,
            execution_time TIMESTAMP WITH TIME ZONE NOT NULL,
            picked BOOLEAN NOT NULL,
            picked_by TEXT,
            last_success TIMESTAMP WITH TIME ZONE,
            last_failure TIMESTAMP WITH TIME ZONE,
            consecutive_failures INT,
            last_heartbeat TIMESTAMP WITH TIME ZONE,
            version BIGINT NOT NULL,
            priority SMALLINT,
            PRIMARY KEY (task_name, task_instance))""");
      s.execute("CREATE INDEX execution_time_idx ON scheduled_tasks (execution_time)");
      s.execute("CREATE INDEX last_heartbeat_idx ON scheduled_tasks (last_heartbeat)");
      s.execute(
          "CREATE INDEX priority_execution_time_idx ON scheduled_tasks (priority desc, execution_time asc)");
    }
  }

  /** db-scheduler's table (its PostgreSQL DDL, in SQLite's types); times as epoch milliseconds. */
  private static void createTable(HikariDataSource dataSource) throws SQLException {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      s.execute("PRAGMA journal_mode=WAL"); // kept by the file, for every connection
      s.execute(
          """
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
   * db-scheduler 16.7 has no SQLite customization of its own (a later release adds one): instants
   * as epoch milliseconds, and SQLite's LIMIT.
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
