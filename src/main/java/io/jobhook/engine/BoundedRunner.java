package io.jobhook.engine;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs claimed work items, each on its own virtual thread, never more than a fixed number at once.
 * A claim asks for exactly the free capacity, so nothing is claimed (leased) that cannot start now.
 * When an item finishes, the {@link Wakeup} is signalled so that the next claim comes at once.
 * Thread-safe.
 */
public final class BoundedRunner<T> implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(BoundedRunner.class);

  private final Semaphore slots;
  private final int capacity;
  private final Wakeup wakeup;
  private final java.util.function.Function<T, String> describe;
  private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

  /** {@code describe} names an item in logs (an id: items may carry URLs with credentials). */
  public BoundedRunner(int maxRunning, Wakeup wakeup, java.util.function.Function<T, String> describe) {
    this.slots = new Semaphore(maxRunning);
    this.capacity = maxRunning;
    this.wakeup = wakeup;
    this.describe = describe;
  }

  /**
   * Claims up to the free capacity with {@code claim} and starts {@code work} on each item; returns
   * true when the claim filled every free slot (so more may be waiting).
   */
  public boolean claimAndStart(IntFunction<List<T>> claim, Consumer<T> work) {
    int free = slots.availablePermits();
    // Under load, claim in batches: waiting for an eighth of the slots to free up costs little
    // latency and saves a claim (a database round trip) per finished item.
    if (free == 0 || (free < capacity / 8 && free < capacity)) {
      return false;
    }
    List<T> claimed = claim.apply(free);
    for (T item : claimed) {
      slots.acquireUninterruptibly();
      threads.execute(() -> {
        try {
          work.accept(item);
        } catch (RuntimeException e) {
          // the item's lease runs out and it is claimed again; nothing is lost
          log.error("work on {} failed; it will be retried when its lease expires", describe.apply(item), e);
        } finally {
          slots.release();
          wakeup.signal();
        }
      });
    }
    return claimed.size() == free;
  }

  @Override
  public void close() {
    threads.shutdownNow();
  }
}
