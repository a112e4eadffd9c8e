package io.jobhook.bench;

import io.jobhook.CallbackDelivery;
import io.jobhook.callback.PendingCallback;
import io.jobhook.callback.kafka.KafkaCallbackSender;
import io.jobhook.callback.kafka.KafkaCluster;
import io.jobhook.config.CallbacksConfig;
import io.jobhook.engine.Ids;
import io.jobhook.storage.Database;
import io.jobhook.storage.JdbcTransactions;
import io.jobhook.support.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * Callback delivery benchmark (run by bench/callbacks.sh): the production outbox, dispatcher,
 * signer, sender and batched attempt log on SQLite (WAL, every commit fsynced) in a scratch
 * directory.
 *
 * <pre>
 *   throughput URL N          after a warm-up, N callbacks queued, then drained to URL (e.g. nginx):
 *                             callbacks/s delivered, and with their attempts logged
 *   latency URL RATE SECONDS LOG   callbacks committed at RATE/s to URL, whose server logs arrivals
 *                                  to LOG: commit to first byte, p50/p99
 *   kafka N                   a Kafka broker (KRaft, its own process) started here; after a warm-up,
 *                             N callbacks queued, then delivered to a topic and logged; then Kafka's
 *                             own kafka-producer-perf-test sends N records of the same size to
 *                             another topic of the same broker with the same producer settings
 * </pre>
 */
public final class CallbackBench {
  static final byte[] BODY =
      ("<Response><EventName>TaskFinish</EventName><JobsDetail><Code>Success</Code>"
              + "<CreationTime>2026-11-28T19:24:21+0800</CreationTime><EndTime>2026-11-28T19:24:22+0800</EndTime><Input>"
              + "<BucketId>examplebucket-1250000000</BucketId><Object>input/demo.wav</Object><Region>ap-guangzhou</Region>"
              + "</Input><JobId>j035aca66f86211ec8a5a87e016101404</JobId><Message>SUCCESS</Message><Operation><Output>"
              + "<Bucket>examplebucket-1250000000</Bucket><Object>output/nr.wav</Object><Region>ap-guangzhou</Region>"
              + "</Output><UserData>bench</UserData></Operation><QueueId>p2242ab62c7c94486915508540933a2c6</QueueId>"
              + "<StartTime>2026-11-28T19:24:21+0800</StartTime><State>Success</State><Tag>NoiseReduction</Tag>"
              + "</JobsDetail></Response>")
          .getBytes(StandardCharsets.UTF_8);

  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "throughput" -> throughput(args[1], Integer.parseInt(args[2]));
      case "kafka" -> kafka(Integer.parseInt(args[1]));
      case "latency" ->
          latency(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]), Path.of(args[4]));
      default -> throw new IllegalArgumentException(args[0]);
    }
    System.exit(0);
  }

  /**
   * What the SQLite writer thread has used so far, from /proc (Linux): bytes it wrote and read
   * (system calls, to the WAL, the database file and temporary files, through the page cache) and
   * its CPU time in clock ticks (100 a second).
   */
  record WriterUse(long bytesWritten, long bytesRead, long cpuTicks) {
    static WriterUse now() throws java.io.IOException {
      try (var threads = Files.list(Path.of("/proc/self/task"))) {
        for (Path thread : threads.toList()) {
          if (Files.readString(thread.resolve("comm")).strip().equals("sqlite-writer")) {
            Map<String, Long> io = new java.util.HashMap<>();
            for (String line : Files.readAllLines(thread.resolve("io"))) {
              String[] field = line.split(":\\s+");
              io.put(field[0], Long.parseLong(field[1]));
            }
            String stat = Files.readString(thread.resolve("stat"));
            String[] after = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(after[11]) + Long.parseLong(after[12]); // utime, stime
            return new WriterUse(io.get("wchar"), io.get("rchar"), ticks);
          }
        }
      }
      throw new IllegalStateException("no sqlite-writer thread");
    }

    String perCallbackSince(WriterUse before, int n) {
      return String.format(
          "sqlite_writer per_callback written_bytes=%.0f read_bytes=%.0f cpu_us=%.1f",
          (bytesWritten - before.bytesWritten) / (double) n,
          (bytesRead - before.bytesRead) / (double) n,
          (cpuTicks - before.cpuTicks) * 10_000.0 / n);
    }
  }

  static CallbacksConfig config() {
    return CallbacksConfig.builder().allowPrivate(true).maxPerDestination(256).build();
  }

  static PendingCallback callback(String url, Instant now) {
    return PendingCallback.create(
        Ids.callbackId(now),
        Ids.jobId(now),
        "bench-1250000000",
        "pbench",
        "TaskFinish",
        url,
        "application/xml",
        BODY,
        now,
        now);
  }

  static void throughput(String url, int n) throws Exception {
    drain(url, Math.max(10_000, n / 5), false); // warm-up: let the JIT compile the hot paths first
    drain(url, n, true);
  }

  static void kafka(int n) throws Exception {
    Path dir = ScratchDir.create("jobhook-kafka-bench");
    try (KafkaBroker broker = KafkaBroker.start(dir)) {
      try (var admin = broker.admin()) {
        admin
            .createTopics(
                List.of(
                    new NewTopic("jobhook-callbacks", 3, (short) 1),
                    new NewTopic("perf-test", 3, (short) 1)))
            .all()
            .get();
      }
      CallbacksConfig kafka =
          config().toBuilder()
              .kafka(List.of(new KafkaCluster("bench", broker.bootstrapServers(), Map.of())))
              .build();
      String target = "kafka://bench/jobhook-callbacks";
      drain(target, Math.max(10_000, n / 5), false, kafka);
      drain(target, n, true, kafka);

      // the peer: the same broker, record size and producer settings, no database, no signing
      Process perf =
          new ProcessBuilder(
                  ProcessHandle.current().info().command().orElse("java"),
                  "-cp",
                  KafkaBroker.classpath(),
                  "org.apache.kafka.tools.ProducerPerformance",
                  "--topic",
                  "perf-test",
                  "--num-records",
                  Integer.toString(n),
                  "--record-size",
                  Integer.toString(BODY.length),
                  "--throughput",
                  "-1",
                  "--producer-props",
                  "bootstrap.servers=" + broker.bootstrapServers(),
                  "acks=all",
                  "enable.idempotence=true",
                  "linger.ms=" + KafkaCallbackSender.LINGER_MS,
                  "batch.size=" + KafkaCallbackSender.BATCH_BYTES)
              .redirectErrorStream(true)
              .start();
      String out = new String(perf.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      perf.waitFor();
      String last =
          out.lines().filter(l -> l.contains("records sent")).reduce((a, b) -> b).orElse("");
      var m = java.util.regex.Pattern.compile("([0-9.]+) records/sec").matcher(last);
      if (!m.find()) {
        throw new IllegalStateException("kafka-producer-perf-test said:\n" + out);
      }
      System.out.printf(
          "kafka_producer_perf_test records=%d record_size=%d rate=%.0f (%s)%n",
          n, BODY.length, Double.parseDouble(m.group(1)), last.trim());
    }
  }

  /** The time between two callbacks of a drained backlog: 20,000 created a second. */
  private static final long BACKLOG_SPACING_NANOS = 50_000;

  static void drain(String url, int n, boolean report) throws Exception {
    drain(url, n, report, config());
  }

  static void drain(String url, int n, boolean report, CallbacksConfig config) throws Exception {
    Path dir = ScratchDir.create("jobhook-bench");
    try (Database db = Database.open("jdbc:sqlite:" + dir.resolve("bench.db"), null, null)) {
      // a backlog as one builds up in use: created one after another over the last seconds, so
      // that their time-ordered ids come in the order a real backlog's do, not all in one
      // millisecond (where the ids' random part alone orders them)
      Instant first = Instant.now().minusNanos(n * BACKLOG_SPACING_NANOS);
      var outbox = new io.jobhook.storage.JdbcCallbackOutbox(db);
      var transactions = new JdbcTransactions(db);
      for (int i = 0; i < n; i += 1000) {
        List<PendingCallback> batch = new ArrayList<>();
        for (int j = i; j < Math.min(n, i + 1000); j++) {
          batch.add(callback(url, first.plusNanos(j * BACKLOG_SPACING_NANOS)));
        }
        transactions.inTransaction(
            tx -> {
              batch.forEach(cb -> outbox.enqueue(tx, cb));
              return null;
            });
      }
      WriterUse before = WriterUse.now();
      long start = System.nanoTime();
      Delivered delivered = new Delivered();
      try (CallbackDelivery engine =
          new CallbackDelivery(
              db, config, InstantSource.system(), "bench", Duration.ofSeconds(30), delivered)) {
        while (delivered.count() < n) {
          Thread.sleep(5);
          if (System.nanoTime() - start > Duration.ofMinutes(5).toNanos()) {
            throw new IllegalStateException("not all delivered: " + delivered.count());
          }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        // wait for the attempt log to be written: durable means logged
        while (pending(db) > 0) {
          Thread.sleep(5);
        }
        double logged = (System.nanoTime() - start) / 1e9;
        WriterUse after = WriterUse.now();
        if (!report) {
          return;
        }
        System.out.println(after.perCallbackSince(before, n));
        System.out.printf(
            "jobhook_delivered=%d seconds=%.2f rate=%.0f logged_rate=%.0f attempts_logged=%d%n",
            n, seconds, n / seconds, n / logged, attempts(db));
      }
    }
  }

  /**
   * Commits callbacks at {@code rate}/s for {@code seconds} (each batch wakes the dispatcher, as a
   * finishing job does) to a receiver that logs "epoch-seconds.millis webhook-id" per arrival
   * (nginx's $msec), then reads that log: commit to arrival, per callback.
   */
  static void latency(String url, int rate, int seconds, Path arrivals) throws Exception {
    Map<String, Long> committedMicros = new ConcurrentHashMap<>();
    Path dir = ScratchDir.create("jobhook-bench");
    long produced = 0;
    Delivered delivered = new Delivered();
    try (Database db = Database.open("jdbc:sqlite:" + dir.resolve("bench.db"), null, null);
        CallbackDelivery engine =
            new CallbackDelivery(
                db, config(), InstantSource.system(), "bench", Duration.ofSeconds(30), delivered)) {
      var transactions = new JdbcTransactions(db);
      var queue = engine.queue(); // wakes the dispatcher after each commit
      // eight producers, like jobs finishing on several workers at once; each commits small batches
      int producers = 8;
      int perTick = Math.max(1, rate / producers / 250); // each producer commits about every 4 ms
      long tickNanos = 1_000_000_000L * perTick * producers / rate;
      long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
      java.util.concurrent.atomic.AtomicLong count = new java.util.concurrent.atomic.AtomicLong();
      try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
        for (int p = 0; p < producers; p++) {
          pool.execute(
              () -> {
                long next = System.nanoTime();
                while (System.nanoTime() < end) {
                  List<PendingCallback> batch = new ArrayList<>(perTick);
                  Instant now = Instant.now();
                  for (int i = 0; i < perTick; i++) {
                    batch.add(callback(url, now));
                  }
                  transactions.inTransaction(
                      tx -> {
                        batch.forEach(cb -> queue.enqueue(tx, cb));
                        return null;
                      });
                  Instant committed = Instant.now();
                  long micros =
                      committed.getEpochSecond() * 1_000_000L + committed.getNano() / 1000;
                  batch.forEach(cb -> committedMicros.put(cb.id(), micros));
                  count.addAndGet(perTick);
                  next += tickNanos;
                  long sleep = next - System.nanoTime();
                  if (sleep > 0) {
                    try {
                      Thread.sleep(Duration.ofNanos(sleep));
                    } catch (InterruptedException e) {
                      return;
                    }
                  }
                }
              });
        }
      }
      produced = count.get();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (delivered.count() < produced && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
    }
    Thread.sleep(1500); // nginx flushes its log every second
    List<Long> latencies = new ArrayList<>();
    for (String line : Files.readAllLines(arrivals)) {
      String[] parts = line.split(" ");
      Long at = parts.length == 2 ? committedMicros.get(parts[1]) : null;
      if (at != null) {
        long arrivedMicros = Math.round(Double.parseDouble(parts[0]) * 1_000_000);
        latencies.add(Math.max(0, arrivedMicros - at) * 1000);
      }
    }
    long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
    double seconds2 = seconds;
    System.out.printf(
        "offered_rate=%d achieved_rate=%.0f produced=%d received=%d p50_ms=%.2f p99_ms=%.2f max_ms=%.2f"
            + " (nginx logs arrival with 1 ms resolution)%n",
        rate,
        produced / seconds2,
        produced,
        sorted.length,
        pct(sorted, 0.50),
        pct(sorted, 0.99),
        sorted[sorted.length - 1] / 1e6);
  }

  static double pct(long[] sorted, double p) {
    return sorted[Math.min(sorted.length - 1, (int) Math.floor(p * sorted.length))] / 1e6;
  }

  static long pending(Database db) {
    return db.read(
        c -> {
          try (var rs =
              c.createStatement()
                  .executeQuery("SELECT COUNT(*) FROM callbacks WHERE state = 'Pending'")) {
            rs.next();
            return rs.getLong(1);
          }
        });
  }

  static long attempts(Database db) {
    return db.read(
        c -> {
          try (var rs =
              c.createStatement().executeQuery("SELECT COUNT(*) FROM callback_attempts")) {
            rs.next();
            return rs.getLong(1);
          }
        });
  }

  /** Counts delivered attempts: the benchmark's finish line. */
  private static final class Delivered implements io.jobhook.callback.CallbackMetrics {
    private final java.util.concurrent.atomic.LongAdder delivered =
        new java.util.concurrent.atomic.LongAdder();

    @Override
    public void attempted(Outcome outcome, Duration latency) {
      if (outcome == Outcome.DELIVERED) {
        delivered.increment();
      }
    }

    long count() {
      return delivered.sum();
    }
  }
}
