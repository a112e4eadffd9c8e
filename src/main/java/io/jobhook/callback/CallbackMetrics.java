package io.jobhook.callback;

import java.time.Duration;

/** Hears the outcome and latency of every callback attempt: what the metrics edge counts. */
@FunctionalInterface
public interface CallbackMetrics {
  /** Hears nothing. */
  CallbackMetrics NONE = (outcome, latency) -> {};

  /** What an attempt led to: delivered, another attempt later, or given up. */
  enum Outcome {
    DELIVERED,
    RETRY,
    FAILED
  }

  void attempted(Outcome outcome, Duration latency);
}
