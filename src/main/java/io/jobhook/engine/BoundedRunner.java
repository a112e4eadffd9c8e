package io.jobhook.engine;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
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
   * true when the claim filled every free slot (so more may be waiting). The free slots are taken
   * before the claim, so a slot {@link #tryReserve() reserved} meanwhile can never leave a claimed
   * (leased) item waiting for a slot.
   */
  public boolean claimAndStart(IntFunction<List<T>> claim, Consumer<T> work) {
    int free = slots.drainPermits();
    // Under load, claim in batches: waiting for an eighth of the slots to free up costs little
    // latency and saves a claim (a database round trip) per finished item.
    if (free == 0 || (free < capacity / 8 && free < capacity)) {
      slots.release(free);
      return false;
    }
    int started = 0;
    try {
      List<T> claimed = claim.apply(free);
      for (T item : claimed) {
        launch(item, work);
        started++;
      }
      return claimed.size() == free;
    } finally {
      slots.release(free - started);
    }
  }

  /**
   * Takes a free slot now, if there is one, for an item that is not claimed yet (a new job can be
   * stored already claimed for it). The slot must be used with {@link Slot#start} or given back
   * with {@link Slot#release}.
   */
  public Optional<Slot> tryReserve() {
    return slots.tryAcquire() ? Optional.of(new Slot()) : Optional.empty();
  }

  /** A slot taken by {@link #tryReserve()}: used exactly once. */
  public final class Slot {
    private final AtomicBoolean used = new AtomicBoolean();

    private Slot() {}

    /** Runs {@code work} on {@code item} in this slot. */
    public void start(T item, Consumer<T> work) {
      if (!used.compareAndSet(false, true)) {
        throw new IllegalStateException("slot already used");
      }
      launch(item, work);
    }

    /** Gives the slot back unused. */
    public void release() {
      if (used.compareAndSet(false, true)) {
        slots.release();
      }
    }
  }

  private void launch(T item, Consumer<T> work) {
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

  @Override
  public void close() {
    threads.shutdownNow();
  }
}
