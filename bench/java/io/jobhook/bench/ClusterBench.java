package io.jobhook.bench;

import io.jobhook.support.S3ProxyServer;
import io.jobhook.support.ServerProcess;
import io.jobhook.support.TestAudio;
import io.jobhook.support.TestPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The pipeline of {@link PipelineBench} on a cluster's engines (run by bench/cluster.sh): NODES
 * jobhook processes ({@code java -jar target/jobhook.jar serve}) on one PostgreSQL and one S3 store
 * (S3Proxy, its own process), submitters spread over the nodes as a load balancer would. After a
 * warm-up of at least 30 s that lasts until the nodes' JIT compilers are nearly idle, the
 * saturation rate, the nodes' CPU (and their compilers' share of it), and what each job cost the
 * database: statements (pg_stat_statements), transactions, WAL fsyncs and CPU of the PostgreSQL
 * processes.
 *
 * <pre>  ClusterBench JOBS CONCURRENCY NODES INPUT_SECONDS</pre>
 *
 * The database is JOBHOOK_TEST_PG_URL (its public schema emptied), with _USER and _PASSWORD. An
 * input of 0.05 s is the pipeline benchmark's tiny job, its objects small enough to live in the
 * index; from about 2.1 s (16 kHz) every input and output is a blob in S3.
 */
public final class ClusterBench {
  private static final java.time.Duration WARM_UP = java.time.Duration.ofSeconds(30);

  /**
   * Warm-up goes on, up to this long, until the nodes' JIT compilers are nearly idle: on two cores
   * shared by two nodes, the database and the load, 30 s leave each node's compiler still busy.
   */
  private static final java.time.Duration WARM_UP_LIMIT = java.time.Duration.ofSeconds(240);

  /**
   * How long a stretch of warm-up the JIT's activity is judged over (compilations come in bursts).
   */
  private static final java.time.Duration JIT_WINDOW = java.time.Duration.ofSeconds(10);

  /** Cores the nodes' JIT compiler threads may still use over the last such stretch. */
  private static final double JIT_SETTLED = 0.03;

  private static final String BUCKET = "examplebucket-1250000000";

  public static void main(String[] args) throws Exception {
    int jobs = Integer.parseInt(args[0]);
    int concurrency = Integer.parseInt(args[1]);
    int nodeCount = Integer.parseInt(args[2]);
    double inputSeconds = Double.parseDouble(args[3]);
    TestPostgres pg = TestPostgres.empty();
    Path work = ScratchDir.create("jobhook-cluster-bench");
    Map<String, Long> called = new ConcurrentHashMap<>();
    List<ServerProcess> nodes = new ArrayList<>();
    try (S3ProxyServer s3 = S3ProxyServer.start(work.resolve("s3"), "bench");
        PipelineBench.Receiver receiver = new PipelineBench.Receiver(called)) {
      Map<String, String> env = new HashMap<>(s3.environment());
      env.put("JOBHOOK_DB_USER", pg.user());
      env.put("JOBHOOK_DB_PASSWORD", pg.password());
      String nodeJavaOptions = System.getenv("NODE_JAVA_OPTIONS");
      if (nodeJavaOptions != null) {
        env.put("JAVA_TOOL_OPTIONS", nodeJavaOptions); // the nodes' JVMs only, not this one's
      }
      for (int i = 0; i < nodeCount; i++) {
        Path dir = Files.createDirectories(work.resolve("node-" + i));
        nodes.add(
            ServerProcess.startWith(
                env,
                dir,
                ServerProcess.freePort(),
                work.resolve("node-" + i + ".log"),
                "--database-url",
                pg.url(),
                "--object-store",
                s3.spec("bench", "objects/"),
                "--max-running-jobs",
                "64",
                // a queue's MaxConcurrent holds for the whole cluster: as many as all nodes run
                "--queue-max-concurrent",
                Integer.toString(64 * nodeCount),
                "--callback-max-per-destination",
                "256"));
      }
      int rate = inputSeconds < 1 ? 8000 : 16000;
      int samples = (int) Math.round(rate * inputSeconds);
      byte[] wav =
          TestAudio.wav16(
              rate,
              TestAudio.mix(
                  TestAudio.speechLike(rate, inputSeconds),
                  TestAudio.whiteNoise(samples, 0.1, 1),
                  5));
      try (PipelineBench.Client c = new PipelineBench.Client(nodes.getFirst().port())) {
        int status =
            c.call(
                    "PUT",
                    BUCKET + ".cos.ap-guangzhou.myqcloud.com",
                    "/in/input.wav",
                    "audio/wav",
                    wav)
                .status();
        if (status != 200) {
          throw new IllegalStateException("upload failed: " + status);
        }
      }
      String callback = "http://127.0.0.1:" + receiver.port() + "/cb";
      int[] ports = nodes.stream().mapToInt(ServerProcess::port).toArray();
      List<Long> pids = nodes.stream().map(ServerProcess::pid).toList();
      long warmStart = System.nanoTime();
      double jitShare;
      do {
        double jitBefore = jitCpuMillis(pids);
        long windowStart = System.nanoTime();
        while (System.nanoTime() - windowStart < JIT_WINDOW.toNanos()) {
          phase(ports, callback, Math.max(200, jobs / 10), concurrency, called, null);
        }
        double windowMillis = (System.nanoTime() - windowStart) / 1e6;
        jitShare = (jitCpuMillis(pids) - jitBefore) / windowMillis;
      } while (System.nanoTime() - warmStart < WARM_UP.toNanos()
          || (jitShare > JIT_SETTLED && System.nanoTime() - warmStart < WARM_UP_LIMIT.toNanos()));
      System.out.printf(
          "warm-up seconds=%.0f jit_cores_last_10s=%.2f%n",
          (System.nanoTime() - warmStart) / 1e9, jitShare);
      double jitBefore = jitCpuMillis(pids);
      double nodesCpuBefore = cpuMillis(pids);
      DatabaseLoad before = DatabaseLoad.read(pg);
      Map<String, double[]> statementsBefore = statementCalls(pg);
      phase(ports, callback, jobs, concurrency, called, "saturation");
      DatabaseLoad spent = DatabaseLoad.read(pg).minus(before);
      double nodesCpu = cpuMillis(pids) - nodesCpuBefore;
      double jitCpu = jitCpuMillis(pids) - jitBefore;
      Map<String, double[]> statementsAfter = statementCalls(pg);
      Map<String, double[]> perStatement = new HashMap<>();
      statementsAfter.forEach(
          (sql, after) -> {
            double[] earlier = statementsBefore.getOrDefault(sql, new double[2]);
            double[] sum = perStatement.computeIfAbsent(normalized(sql), k -> new double[2]);
            sum[0] += after[0] - earlier[0];
            sum[1] += after[1] - earlier[1];
          });
      perStatement.entrySet().stream()
          .filter(e -> e.getValue()[0] * 100 >= jobs)
          .sorted((x, y) -> Double.compare(y.getValue()[1], x.getValue()[1]))
          .forEach(
              e ->
                  System.out.printf(
                      "statement per_job=%.2f exec_ms_per_job=%.3f %s%n",
                      e.getValue()[0] / jobs, e.getValue()[1] / jobs, e.getKey()));
      System.out.printf(
          "database %s nodes_cpu_ms_per_job=%.3f of_which_jit=%.3f%n",
          spent.perJob(jobs), nodesCpu / jobs, jitCpu / jobs);
    } finally {
      for (ServerProcess node : nodes) {
        node.close();
      }
    }
    System.exit(0);
  }

  /** utime + stime of these processes so far, from /proc (100 ticks/s). */
  static double cpuMillis(List<Long> pids) {
    double total = 0;
    for (long pid : pids) {
      try {
        total += cpuMillis(Files.readString(Path.of("/proc/" + pid + "/stat")));
      } catch (Exception gone) {
        // exited meanwhile
      }
    }
    return total;
  }

  /** User and system CPU time in a /proc stat line (in ticks of 10 ms). */
  private static double cpuMillis(String stat) {
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10.0;
  }

  /** CPU time of the JIT compiler threads of the given processes. */
  static double jitCpuMillis(List<Long> pids) {
    double total = 0;
    for (long pid : pids) {
      try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
        for (Path task : tasks.toList()) {
          try {
            String stat = Files.readString(task.resolve("stat"));
            String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
            if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
              total += cpuMillis(stat);
            }
          } catch (IOException ended) {
            // the thread ended meanwhile
          }
        }
      } catch (IOException gone) {
        // exited meanwhile
      }
    }
    return total;
  }

  /** One line, IN lists of any length as one, cut to 150 characters. */
  private static String normalized(String sql) {
    String line = sql.replaceAll("\\s+", " ").replaceAll("\\(\\$\\d+(, \\$\\d+)*\\)", "(...)");
    return line.length() > 150 ? line.substring(0, 150) + "..." : line;
  }

  /**
   * Calls and execution milliseconds of each statement so far, by its text (pg_stat_statements).
   */
  private static Map<String, double[]> statementCalls(TestPostgres pg) throws Exception {
    Map<String, double[]> calls = new HashMap<>();
    try (Connection c = DriverManager.getConnection(pg.url(), pg.user(), pg.password());
        ResultSet rs =
            c.createStatement()
                .executeQuery(
                    "SELECT query, SUM(calls), SUM(total_exec_time) FROM stats.pg_stat_statements"
                        + " GROUP BY query")) {
      while (rs.next()) {
        calls.put(rs.getString(1), new double[] {rs.getLong(2), rs.getDouble(3)});
      }
    }
    return calls;
  }

  /** One phase of {@link LoadPhase}: submitter {@code t} talks to node {@code t % nodes}. */
  private static void phase(
      int[] ports,
      String callback,
      int jobs,
      int concurrency,
      Map<String, Long> called,
      String report)
      throws Exception {
    AtomicInteger submitters = new AtomicInteger();
    LoadPhase.run(
        jobs,
        concurrency,
        0,
        () ->
            PipelineBench.submitter(
                ports[submitters.getAndIncrement() % ports.length], callback, "in/input.wav"),
        called,
        report);
  }

  /**
   * PostgreSQL's own counters: statements executed (pg_stat_statements), transactions committed,
   * WAL syncs (pg_stat_wal), and the CPU time of the server's processes (those of user postgres).
   */
  record DatabaseLoad(long statements, long transactions, long walSyncs, double cpuMillis) {
    static DatabaseLoad read(TestPostgres pg) throws Exception {
      try (Connection c = DriverManager.getConnection(pg.url(), pg.user(), pg.password())) {
        return new DatabaseLoad(
            single(c, "SELECT COALESCE(SUM(calls), 0) FROM stats.pg_stat_statements"),
            single(
                c, "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()"),
            single(c, "SELECT wal_sync FROM pg_stat_wal"),
            postgresCpuMillis());
      }
    }

    String perJob(int jobs) {
      return String.format(
          "statements_per_job=%.1f transactions_per_job=%.2f wal_fsyncs_per_job=%.3f"
              + " db_cpu_ms_per_job=%.3f jobs_per_db_core_s=%.0f",
          statements / (double) jobs,
          transactions / (double) jobs,
          walSyncs / (double) jobs,
          cpuMillis / jobs,
          jobs / (cpuMillis / 1000));
    }

    DatabaseLoad minus(DatabaseLoad earlier) {
      return new DatabaseLoad(
          statements - earlier.statements,
          transactions - earlier.transactions,
          walSyncs - earlier.walSyncs,
          cpuMillis - earlier.cpuMillis);
    }

    private static long single(Connection c, String sql) throws Exception {
      try (ResultSet rs = c.createStatement().executeQuery(sql)) {
        rs.next();
        return rs.getLong(1);
      }
    }

    /** CPU time of every live process of user postgres. */
    private static double postgresCpuMillis() {
      return ClusterBench.cpuMillis(
          ProcessHandle.allProcesses()
              .filter(p -> p.info().user().map("postgres"::equals).orElse(false))
              .map(ProcessHandle::pid)
              .toList());
    }
  }
}
