package io.jobhook.callback;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The waits before each attempt: entry 0 before the first attempt, entry n before attempt n+1.
 * After the last entry the callback is given up as Failed. Retries get up to 10% jitter so that a
 * receiver coming back is not hit by every queued callback in the same millisecond.
 */
public record RetryPolicy(List<Duration> schedule) {
  public static final RetryPolicy DEFAULT = parse("0s,5s,30s,2m,10m,30m,1h,2h,4h,8h,16h,24h");

  public RetryPolicy {
    if (schedule.isEmpty()) {
      throw new IllegalArgumentException("retry schedule needs at least one entry");
    }
    schedule = List.copyOf(schedule);
  }

  /** The delay before the attempt after {@code attemptsMade} attempts, or empty when exhausted. */
  public Optional<Duration> delayAfter(int attemptsMade) {
    if (attemptsMade >= schedule.size()) {
      return Optional.empty();
    }
    Duration base = schedule.get(attemptsMade);
    long jitterMillis = base.toMillis() / 10;
    return Optional.of(
        jitterMillis > 0
            ? base.plusMillis(ThreadLocalRandom.current().nextLong(jitterMillis + 1))
            : base);
  }

  public Duration initialDelay() {
    return schedule.getFirst();
  }

  /** Parses {@code 0s,200ms,1s,2m,1h,1d}. */
  public static RetryPolicy parse(String spec) {
    return new RetryPolicy(
        java.util.Arrays.stream(spec.split(","))
            .map(String::trim)
            .filter(s -> !s.isEmpty())
            .map(RetryPolicy::parseDuration)
            .toList());
  }

  public static Duration parseDuration(String s) {
    var m = java.util.regex.Pattern.compile("(\\d+)(ms|s|m|h|d)").matcher(s.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "not a duration: '" + s + "' (use e.g. 200ms, 5s, 2m, 1h, 1d)");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }
}
