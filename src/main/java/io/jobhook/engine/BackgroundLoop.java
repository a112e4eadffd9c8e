package io.jobhook.engine;

import java.time.Duration;
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

  private final String name;
  private final Step step;
  private final Wakeup wakeup;
  private final Duration pollInterval;
  private volatile boolean running;
  private Thread thread;

  public BackgroundLoop(String name, Step step, Wakeup wakeup, Duration pollInterval) {
    this.name = name;
    this.step = step;
    this.wakeup = wakeup;
    this.pollInterval = pollInterval;
  }

  public synchronized void start() {
    if (running) {
      return;
    }
    running = true;
    thread = Thread.ofVirtual().name(name).start(this::loop);
  }

  private void loop() {
    Duration backoff = Duration.ofMillis(50);
    while (running) {
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
        if (!running) {
          return;
        }
        log.warn("{} step failed; retrying in {} ms", name, backoff.toMillis(), e);
        try {
          Thread.sleep(backoff);
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

  @Override
  public void close() throws InterruptedException {
    Thread t;
    synchronized (this) {
      running = false;
      t = thread;
    }
    if (t != null) {
      wakeup.signal();
      t.interrupt();
      t.join(Duration.ofSeconds(5));
    }
  }
}
