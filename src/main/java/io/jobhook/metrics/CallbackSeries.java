package io.jobhook.metrics;

import io.jobhook.callback.CallbackLog;
import io.jobhook.callback.CallbackMetrics;
import io.jobhook.callback.Circuits;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Callback delivery: attempts by outcome and their latency, counted as they happen; the backlog per
 * destination (pending, age of the oldest) and each destination's circuit, read at scrape time.
 */
public final class CallbackSeries implements CallbackMetrics {
  private static final double[] LATENCY_BUCKETS = {
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30
  };

  private final Counter attempts;
  private final Histogram latency;

  public CallbackSeries(Metrics metrics) {
    attempts =
        Counter.builder()
            .name("jobhook_callback_attempts_total")
            .help("Callback attempts by outcome since start-up.")
            .labelNames("outcome")
            .register(metrics.registry());
    for (Outcome outcome : Outcome.values()) {
      attempts.initLabelValues(label(outcome));
    }
    latency =
        Histogram.builder()
            .name("jobhook_callback_attempt_duration_seconds")
            .help("Latency of callback attempts.")
            .classicOnly()
            .classicUpperBounds(LATENCY_BUCKETS)
            .withoutExemplars()
            .register(metrics.registry());
  }

  @Override
  public void attempted(Outcome outcome, Duration took) {
    attempts.labelValues(label(outcome)).inc();
    latency.observe(took.toNanos() / 1e9);
  }

  /** Adds the series read from the delivery log and the circuits at every scrape. */
  public static void backlog(
      Metrics metrics, CallbackLog log, Circuits circuits, InstantSource clock) {
    metrics
        .registry()
        .register(
            () -> {
              var pending =
                  new Gauges(
                      "jobhook_callbacks_pending",
                      "Callbacks waiting for delivery, per destination.");
              var oldest =
                  new Gauges(
                      "jobhook_callback_oldest_pending_age_seconds",
                      "Age of the oldest pending callback, per destination.");
              Instant now = clock.instant();
              for (CallbackLog.Backlog b : log.pendingByDestination()) {
                pending.add(b.pending(), "destination", b.destination());
                double age = Duration.between(b.oldestCreatedAt(), now).toMillis() / 1000.0;
                oldest.add(Math.max(0, age), "destination", b.destination());
              }
              var circuit =
                  new Gauges(
                      "jobhook_callback_circuit_state",
                      "Circuit per destination: 0 closed, 1 open, 2 half-open.");
              Map<String, Circuits.State> states = new TreeMap<>(circuits.states());
              states.forEach(
                  (destination, state) ->
                      circuit.add(
                          switch (state) {
                            case CLOSED -> 0;
                            case OPEN -> 1;
                            case HALF_OPEN -> 2;
                          },
                          "destination",
                          destination));
              return MetricSnapshots.of(pending.snapshot(), oldest.snapshot(), circuit.snapshot());
            });
  }

  private static String label(Outcome outcome) {
    return outcome.name().toLowerCase(Locale.ROOT);
  }
}
