package io.jobhook.engine;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs claimed work items, each on its own virtual thread, never more than a fixed number at once.
 * A claim asks for exactly the free capacity, so nothing is claimed (leased) that cannot start now.
 * When an item finishes and the last claim left items waiting (beyond the free slots, or held back
 * by a limit the finished item may have been counting against), the {@link Wakeup} is signalled so
 * that the next claim comes at once; when it left none, the freed slot waits for new work to
 * signal. Thread-safe.
 */
public final class BoundedRunner<T> implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(BoundedRunner.class);

  private final Semaphore slots;
  private final int capacity;
  private final Wakeup wakeup;
  private final java.util.function.Function<T, String> describe;
  private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

  /**
   * How long {@link #close()} lets items under way finish before interrupting them ({@link
   * Closer#GRACE}): a callback in flight that is interrupted after its receiver got it is sent
   * again, a job run again.
   */
  private final Duration closeGrace;

  /**
   * Whether an item's end should trigger a claim: what the last claim reported, and true while a
   * claim runs (an item ending meanwhile may free what that claim finds held back).
   */
  private volatile boolean claimWhenItemsEnd = true;

  /**
   * What a claim took, and whether it saw items it had to leave: more than the free slots, or held
   * back by a limit (a queue's MaxConcurrent, a destination's in-flight cap) that items ending here
   * can lift. A claim that cannot tell says it may have.
   */
  public record Claim<T>(List<T> items, boolean othersWaiting) {}

  /** {@code describe} names an item in logs (an id: items may carry URLs with credentials). */
  public BoundedRunner(
      int maxRunning, Wakeup wakeup, java.util.function.Function<T, String> describe) {
    this(maxRunning, wakeup, describe, Closer.GRACE);
  }

  BoundedRunner(
      int maxRunning,
      Wakeup wakeup,
      java.util.function.Function<T, String> describe,
      Duration closeGrace) {
    this.slots = new Semaphore(maxRunning);
    this.capacity = maxRunning;
    this.wakeup = wakeup;
    this.describe = describe;
    this.closeGrace = closeGrace;
  }

  /**
   * Claims up to the free capacity with {@code claim} and starts {@code work} on each item; returns
   * true when the claim filled every free slot (so more may be waiting). The free slots are taken
   * before the claim, so a slot {@link #tryReserve() reserved} meanwhile can never leave a claimed
   * (leased) item waiting for a slot.
   */
  public boolean claimAndStart(IntFunction<Claim<T>> claim, Consumer<T> work) {
    int free = slots.drainPermits();
    // Under load, claim in batches: waiting for an eighth of the slots to free up costs little
    // latency and saves a claim (a database round trip) per finished item.
    if (free == 0 || (free < capacity / 8 && free < capacity)) {
      // a claim was asked for and put off: the next item to end makes it
      claimWhenItemsEnd = true;
      slots.release(free);
      return false;
    }
    int started = 0;
    claimWhenItemsEnd = true;
    try {
      Claim<T> claimed = claim.apply(free);
      claimWhenItemsEnd = claimed.othersWaiting();
      for (T item : claimed.items()) {
        launch(item, work);
        started++;
      }
      return claimed.items().size() == free;
    } finally {
      slots.release(free - started);
    }
  }

  /**
   * Whether the last claim left items waiting (beyond the free slots, or held back by a limit);
   * true while a claim runs, and after one that failed.
   */
  public boolean othersWaiting() {
    return claimWhenItemsEnd;
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

  /** Whether {@link #close()} has begun: items failing from then on were most likely stopped. */
  public boolean closing() {
    return threads.isShutdown();
  }

  private void launch(T item, Consumer<T> work) {
    if (closing()) {
      // closing: the item stays leased to this node, whose owner hands it back at stop (or the
      // lease runs out); nothing is lost
      log.info("closing: {} is left to run again", describe.apply(item));
      slots.release();
      return;
    }
    threads.execute(
        () -> {
          try {
            work.accept(item);
          } catch (RuntimeException e) {
            // the item's lease runs out and it is claimed again; nothing is lost
            log.error(
                "work on {} failed; it will be retried when its lease expires",
                describe.apply(item),
                e);
          } finally {
            slots.release();
            if (claimWhenItemsEnd) {
              wakeup.signal();
            }
          }
        });
  }

  @Override
  public void close() {
    threads.shutdown();
    try {
      if (!threads.awaitTermination(closeGrace.toNanos(), TimeUnit.NANOSECONDS)) {
        threads.shutdownNow(); // interrupted items run again when their leases run out
        threads.awaitTermination(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      threads.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
