package io.jobhook.engine;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Lets a committed write wake a background loop at once instead of waiting for its next poll.
 * Signals coalesce: many signals before one wait cost one wake-up. Thread-safe.
 */
public final class Wakeup {
  private final Semaphore permits = new Semaphore(0);

  public void signal() {
    if (permits.availablePermits() == 0) {
      permits.release();
    }
  }

  /** Waits for a signal or the timeout; returns true when signalled. */
  public boolean await(Duration timeout) throws InterruptedException {
    boolean signalled = permits.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS);
    permits.drainPermits();
    return signalled;
  }
}
