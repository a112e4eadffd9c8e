package io.jobhook.bench;

import com.sun.net.httpserver.HttpServer;
import io.jobhook.CallbackEngine;
import io.jobhook.callback.PendingCallback;
import io.jobhook.callback.RetryPolicy;
import io.jobhook.config.JobhookConfig;
import io.jobhook.job.Ids;
import io.jobhook.storage.Database;
import java.net.InetSocketAddress;
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
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Callback delivery benchmark (run by bench/callbacks.sh): the production outbox, dispatcher,
 * signer, sender and batched attempt log on SQLite (WAL, synchronous=FULL) in a fresh directory.
 *
 * <pre>
 *   throughput URL N          N callbacks queued, then drained to URL (e.g. nginx): callbacks/s
 *   latency RATE SECONDS      callbacks committed at RATE/s to an in-process receiver: commit to
 *                             first byte, p50/p99
 * </pre>
 */
public final class CallbackBench {
  static final byte[] BODY = ("<Response><EventName>TaskFinish</EventName><JobsDetail><Code>Success</Code>"
      + "<CreationTime>2026-11-28T19:24:21+0800</CreationTime><EndTime>2026-11-28T19:24:22+0800</EndTime><Input>"
      + "<BucketId>examplebucket-1250000000</BucketId><Object>input/demo.wav</Object><Region>ap-guangzhou</Region>"
      + "</Input><JobId>j035aca66f86211ec8a5a87e016101404</JobId><Message>SUCCESS</Message><Operation><Output>"
      + "<Bucket>examplebucket-1250000000</Bucket><Object>output/nr.wav</Object><Region>ap-guangzhou</Region>"
      + "</Output><UserData>bench</UserData></Operation><QueueId>p2242ab62c7c94486915508540933a2c6</QueueId>"
      + "<StartTime>2026-11-28T19:24:21+0800</StartTime><State>Success</State><Tag>NoiseReduction</Tag>"
      + "</JobsDetail></Response>").getBytes(StandardCharsets.UTF_8);

  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "throughput" -> throughput(args[1], Integer.parseInt(args[2]));
      case "latency" -> latency(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
      default -> throw new IllegalArgumentException(args[0]);
    }
    System.exit(0);
  }

  static JobhookConfig config(Path dir) {
    JobhookConfig d = JobhookConfig.defaults(dir);
    return new JobhookConfig("127.0.0.1", 0, dir, null, null, null, true, List.of(), false, d.timeZone(),
        RetryPolicy.DEFAULT, d.callbackTimeout(), d.callbackConnectTimeout(), 256, d.retainDelivered(),
        d.retainFailed(), d.maxRunningJobs(), d.jobLease(), d.pollInterval());
  }

  static PendingCallback callback(String url, Instant now) {
    return PendingCallback.create(Ids.callbackId(), Ids.jobId(), "bench-1250000000", "pbench", "TaskFinish", url,
        "application/xml", BODY, now, now);
  }

  static void throughput(String url, int n) throws Exception {
    Path dir = Files.createTempDirectory("jobhook-bench");
    try (Database db = Database.open("jdbc:sqlite:" + dir.resolve("bench.db"), null, null)) {
      Instant now = Instant.now();
      var outbox = new io.jobhook.storage.JdbcCallbackOutbox(db);
      for (int i = 0; i < n; i += 1000) {
        List<PendingCallback> batch = new ArrayList<>();
        for (int j = i; j < Math.min(n, i + 1000); j++) {
          batch.add(callback(url, now));
        }
        outbox.enqueue(batch);
      }
      long start = System.nanoTime();
      try (CallbackEngine engine = new CallbackEngine(db, config(dir), InstantSource.system(), "bench")) {
        engine.wakeup.signal();
        while (engine.metrics.delivered.sum() < n) {
          Thread.sleep(5);
          if (System.nanoTime() - start > Duration.ofMinutes(5).toNanos()) {
            throw new IllegalStateException("not all delivered: " + engine.metrics.delivered.sum());
          }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        // wait for the attempt log to be written: durable means logged
        while (pending(db) > 0) {
          Thread.sleep(5);
        }
        double logged = (System.nanoTime() - start) / 1e9;
        System.out.printf("jobhook_delivered=%d seconds=%.2f rate=%.0f logged_rate=%.0f attempts_logged=%d%n",
            n, seconds, n / seconds, n / logged, attempts(db));
      }
    }
  }

  static void latency(int rate, int seconds) throws Exception {
    Map<String, Long> committedAt = new ConcurrentHashMap<>();
    List<Long> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
    HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
    receiver.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    receiver.createContext("/", ex -> {
      long arrived = System.nanoTime();
      Long at = committedAt.get(ex.getRequestHeaders().getFirst("webhook-id"));
      if (at != null) {
        latencies.add(arrived - at);
      }
      ex.getRequestBody().readAllBytes();
      ex.sendResponseHeaders(200, -1);
      ex.close();
    });
    receiver.start();
    String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/cb";
    Path dir = Files.createTempDirectory("jobhook-bench");
    try (Database db = Database.open("jdbc:sqlite:" + dir.resolve("bench.db"), null, null);
        CallbackEngine engine = new CallbackEngine(db, config(dir), InstantSource.system(), "bench")) {
      int perTick = Math.max(1, rate / 200); // a commit every 5 ms
      long tickNanos = 1_000_000_000L * perTick / rate;
      long next = System.nanoTime();
      long end = next + Duration.ofSeconds(seconds).toNanos();
      AtomicLong produced = new AtomicLong();
      while (System.nanoTime() < end) {
        List<PendingCallback> batch = new ArrayList<>(perTick);
        Instant now = Instant.now();
        for (int i = 0; i < perTick; i++) {
          batch.add(callback(url, now));
        }
        engine.outbox.enqueue(batch);
        long committed = System.nanoTime();
        batch.forEach(cb -> committedAt.put(cb.id(), committed));
        engine.wakeup.signal();
        produced.addAndGet(perTick);
        next += tickNanos;
        long sleep = next - System.nanoTime();
        if (sleep > 0) {
          Thread.sleep(Duration.ofNanos(sleep));
        }
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (latencies.size() < produced.get() && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
      System.out.printf("offered_rate=%d produced=%d received=%d p50_ms=%.2f p99_ms=%.2f max_ms=%.2f%n", rate,
          produced.get(), sorted.length, pct(sorted, 0.50), pct(sorted, 0.99), sorted[sorted.length - 1] / 1e6);
    } finally {
      receiver.stop(0);
    }
  }

  static double pct(long[] sorted, double p) {
    return sorted[Math.min(sorted.length - 1, (int) Math.floor(p * sorted.length))] / 1e6;
  }

  static long pending(Database db) {
    return db.read(c -> {
      try (var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM callbacks WHERE state = 'Pending'")) {
        rs.next();
        return rs.getLong(1);
      }
    });
  }

  static long attempts(Database db) {
    return db.read(c -> {
      try (var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM callback_attempts")) {
        rs.next();
        return rs.getLong(1);
      }
    });
  }
}
