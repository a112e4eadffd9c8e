package io.jobhook;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Whether this node can take new work, for {@code /readyz} and load balancers: every engine it uses
 * answers (the database, the object store, each Kafka cluster). Checked at most once a second,
 * whatever the polling rate.
 */
final class Readiness {
  /** One engine's check: throws when the engine does not answer. */
  @FunctionalInterface
  interface Check {
    void run() throws Exception;
  }

  private static final Duration FRESH_FOR = Duration.ofSeconds(1);

  private final Map<String, Check> checks = new LinkedHashMap<>();
  private final InstantSource clock;
  private Instant checkedAt = Instant.MIN;
  private String last = "ok";

  Readiness(InstantSource clock) {
    this.clock = clock;
  }

  Readiness with(String engine, Check check) {
    checks.put(engine, check);
    return this;
  }

  /** "ok", or which engine does not answer and why. */
  synchronized String status() {
    Instant now = clock.instant();
    if (now.isBefore(checkedAt.plus(FRESH_FOR))) {
      return last;
    }
    String status = "ok";
    for (Map.Entry<String, Check> check : checks.entrySet()) {
      try {
        check.getValue().run();
      } catch (Exception e) {
        status = check.getKey() + " does not answer: " + e.getMessage();
        break;
      }
    }
    checkedAt = now;
    last = status;
    return status;
  }
}
