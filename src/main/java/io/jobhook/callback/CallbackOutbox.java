package io.jobhook.callback;

import java.time.Instant;
import java.util.List;

/**
 * The durable outbox the dispatcher drains. Callbacks enter it through {@code JobStore} in the same
 * transaction as the job's final state. Implementations are thread-safe.
 */
public interface CallbackOutbox {

  /** Leases up to {@code limit} Pending callbacks whose next attempt is due. */
  List<PendingCallback> claimDue(String owner, Instant now, Instant leaseUntil, int limit);

  /**
   * Logs an attempt and moves the callback on: Delivered, Failed, or Pending again at
   * {@code nextAttemptAt}.
   */
  void recordAttempt(
      PendingCallback callback, Instant attemptedAt, AttemptResult result, DeliveryState next,
      Instant nextAttemptAt);

  /** Returns all leases to the pool; single-node start-up only. */
  int releaseAllLeases();

  /** Delivery state of one callback. */
  enum DeliveryState {
    Pending,
    Delivered,
    Failed
  }
}
