package io.jobhook.callback;

import io.jobhook.callback.CallbackOutbox.DeliveryState;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains the outbox: claims due callbacks, sends each on its own virtual thread and records the
 * outcome. A claim is a lease, so callbacks in flight when the process dies are sent again after
 * restart (same id, same bytes). Thread-safe.
 */
public final class CallbackDispatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CallbackDispatcher.class);

  private final CallbackOutbox outbox;
  private final CallbackSender sender;
  private final RetryPolicy retryPolicy;
  private final InstantSource clock;
  private final String owner;
  private final Duration lease;
  private final Semaphore inFlight;
  private final io.jobhook.engine.Wakeup wakeup;
  private final ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor();

  public CallbackDispatcher(
      CallbackOutbox outbox, CallbackSender sender, RetryPolicy retryPolicy, InstantSource clock,
      String owner, Duration lease, int maxInFlight, io.jobhook.engine.Wakeup wakeup) {
    this.wakeup = wakeup;
    this.outbox = outbox;
    this.sender = sender;
    this.retryPolicy = retryPolicy;
    this.clock = clock;
    this.owner = owner;
    this.lease = lease;
    this.inFlight = new Semaphore(maxInFlight);
  }

  /** Claims and starts what is due; returns true when it may have left due work behind. */
  public boolean runOnce() {
    int free = inFlight.availablePermits();
    if (free == 0) {
      return false;
    }
    Instant now = clock.instant();
    List<PendingCallback> due = outbox.claimDue(owner, now, now.plus(lease), free);
    for (PendingCallback callback : due) {
      inFlight.acquireUninterruptibly();
      senders.execute(() -> {
        try {
          deliver(callback);
        } catch (RuntimeException e) {
          // the lease runs out and the callback is tried again; nothing is lost
          log.error("recording callback {} failed", callback.id(), e);
        } finally {
          inFlight.release();
          wakeup.signal();
        }
      });
    }
    return due.size() == free;
  }

  private void deliver(PendingCallback callback) {
    Instant attemptedAt = clock.instant();
    AttemptResult result = sender.send(callback);
    int attemptsMade = callback.attempts() + 1;
    switch (result.outcome()) {
      case DeliveryOutcome.Delivered d ->
          outbox.recordAttempt(callback, attemptedAt, result, DeliveryState.Delivered, null);
      case DeliveryOutcome.GiveUp g -> {
        log.warn("callback {} of job {} given up: {}", callback.id(), callback.jobId(), g.error());
        outbox.recordAttempt(callback, attemptedAt, result, DeliveryState.Failed, null);
      }
      case DeliveryOutcome.RetryLater r -> {
        var delay = retryPolicy.delayAfter(attemptsMade);
        if (delay.isPresent()) {
          outbox.recordAttempt(callback, attemptedAt, result, DeliveryState.Pending,
              clock.instant().plus(delay.get()));
        } else {
          log.warn("callback {} of job {} failed after {} attempts: {}", callback.id(),
              callback.jobId(), attemptsMade, r.error());
          outbox.recordAttempt(callback, attemptedAt, result, DeliveryState.Failed, null);
        }
      }
    }
  }

  @Override
  public void close() {
    senders.shutdownNow();
  }
}
