package io.jobhook.console;

import java.time.Duration;

/**
 * How long an event stream waits before it reads the database again: {@link #FAST} while what it
 * follows changes, then twice as long after each read that found nothing new, up to {@link #SLOW}.
 * A page left open on a quiet system costs a read every two seconds instead of three a second; a
 * change after a quiet spell shows within two seconds, and the next ones within {@link #FAST}.
 */
record EventPolling(Duration delay) {
  static final Duration FAST = Duration.ofMillis(300);
  static final Duration SLOW = Duration.ofSeconds(2);

  static EventPolling start() {
    return new EventPolling(FAST);
  }

  /** The wait after a read that found a change ({@code changed}) or nothing new. */
  EventPolling after(boolean changed) {
    if (changed) {
      return new EventPolling(FAST);
    }
    Duration longer = delay.multipliedBy(2);
    return new EventPolling(longer.compareTo(SLOW) > 0 ? SLOW : longer);
  }
}
