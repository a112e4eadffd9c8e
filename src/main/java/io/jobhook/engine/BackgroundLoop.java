package io.jobhook.engine;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a step on a virtual thread until stopped: after each step it waits for a {@link Wakeup}
 * signal or the poll interval, whichever comes first. A step that reports more work pending runs
 * again at once. Tests call the step directly instead of starting the loop.
 */
public final class BackgroundLoop implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(BackgroundLoop.class);

  /** One pass of a loop; returns true when it should run again without waiting. */
  @FunctionalInterface
  public interface Step {
    boolean runOnce() throws Exception;
  }

  private static final Duration SIGNAL_EVERY = Duration.ofMillis(50);

  private final String name;
  private final Step step;
  private final Wakeup wakeup;
  private final Duration pollInterval;
  private final Duration stepGrace;

  /** Released by {@link #close()}: ends the loop, and a failed step's back-off at once. */
  private final CountDownLatch stopping = new CountDownLatch(1);

  private Thread thread;

  public BackgroundLoop(String name, Step step, Wakeup wakeup, Duration pollInterval) {
    this(name, step, wakeup, pollInterval, Closer.GRACE);
  }

  BackgroundLoop(String name, Step step, Wakeup wakeup, Duration pollInterval, Duration stepGrace) {
    this.name = name;
    this.step = step;
    this.wakeup = wakeup;
    this.pollInterval = pollInterval;
    this.stepGrace = stepGrace;
  }

  /** Starts the loop once; a closed loop stays stopped. */
  public synchronized void start() {
    if (thread != null || stopped()) {
      return;
    }
    thread = Thread.ofVirtual().name(name).start(this::loop);
  }

  private boolean stopped() {
    return stopping.getCount() == 0;
  }

  private void loop() {
    Duration backoff = Duration.ofMillis(50);
    while (!stopped()) {
      try {
        boolean more = step.runOnce();
        backoff = Duration.ofMillis(50);
        if (!more) {
          wakeup.await(pollInterval);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        if (stopped()) {
          return;
        }
        log.warn("{} step failed; retrying in {} ms", name, backoff.toMillis(), e);
        try {
          if (stopping.await(backoff.toNanos(), TimeUnit.NANOSECONDS)) {
            return;
          }
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
        backoff =
            backoff.multipliedBy(2).compareTo(Duration.ofSeconds(5)) > 0
                ? Duration.ofSeconds(5)
                : backoff.multipliedBy(2);
      }
    }
  }

  /**
   * Stops the loop: a step under way may finish (an interrupted one could leave its work half done,
   * such as a batch of delivery records whose commit it stopped waiting for), up to {@link
   * Closer#GRACE}; then it is interrupted.
   */
  @Override
  public void close() throws InterruptedException {
    Thread t;
    synchronized (this) {
      stopping.countDown();
      t = thread;
    }
    if (t != null) {
      long deadline = System.nanoTime() + stepGrace.toNanos();
      do {
        wakeup.signal(); // again and again: another waiter on the same wakeup may take a signal
      } while (!t.join(SIGNAL_EVERY) && System.nanoTime() < deadline);
      if (t.isAlive()) {
        log.warn("{} did not stop within {} ms; interrupting it", name, stepGrace.toMillis());
        t.interrupt();
        t.join(Duration.ofSeconds(5));
      }
    }
  }
}
