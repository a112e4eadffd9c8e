package io.jobhook.callback;

import io.jobhook.callback.CallbackOutbox.DeliveryState;
import io.jobhook.engine.BoundedRunner;
import io.jobhook.engine.Wakeup;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
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
  private final BoundedRunner<PendingCallback> senders;

  public CallbackDispatcher(
      CallbackOutbox outbox, CallbackSender sender, RetryPolicy retryPolicy, InstantSource clock,
      String owner, Duration lease, int maxInFlight, Wakeup wakeup) {
    this.outbox = outbox;
    this.sender = sender;
    this.retryPolicy = retryPolicy;
    this.clock = clock;
    this.owner = owner;
    this.lease = lease;
    this.senders = new BoundedRunner<>(maxInFlight, wakeup, cb -> "callback " + cb.id());
  }

  /** Claims and starts what is due; returns true when it may have left due work behind. */
  public boolean runOnce() {
    return senders.claimAndStart(free -> {
      Instant now = clock.instant();
      return outbox.claimDue(owner, now, now.plus(lease), free);
    }, this::deliver);
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
    senders.close();
  }
}
