package io.jobhook.callback;

import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;

/** Counters and an attempt-latency histogram, kept in memory since start-up. Thread-safe. */
public final class CallbackMetrics {
  /** Upper bounds of the latency histogram buckets, in seconds. */
  public static final double[] LATENCY_BUCKETS = {
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30
  };

  public final LongAdder delivered = new LongAdder();
  public final LongAdder retried = new LongAdder();
  public final LongAdder failed = new LongAdder();
  private final LongAdder[] latencyBuckets = new LongAdder[LATENCY_BUCKETS.length];
  private final LongAdder latencyCount = new LongAdder();
  private final LongAdder latencyMicros = new LongAdder();

  public CallbackMetrics() {
    for (int i = 0; i < latencyBuckets.length; i++) {
      latencyBuckets[i] = new LongAdder();
    }
  }

  public void attempt(Duration latency) {
    double seconds = latency.toNanos() / 1e9;
    for (int i = 0; i < LATENCY_BUCKETS.length; i++) {
      if (seconds <= LATENCY_BUCKETS[i]) {
        latencyBuckets[i].increment();
        break;
      }
    }
    latencyCount.increment();
    latencyMicros.add(latency.toNanos() / 1000);
  }

  /** Count of attempts with latency at most {@code LATENCY_BUCKETS[i]} (not cumulative). */
  public long bucket(int i) {
    return latencyBuckets[i].sum();
  }

  public long attempts() {
    return latencyCount.sum();
  }

  public double latencySumSeconds() {
    return latencyMicros.sum() / 1e6;
  }
}
