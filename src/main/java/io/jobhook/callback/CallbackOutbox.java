package io.jobhook.callback;

import io.jobhook.engine.Transaction;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The durable outbox the dispatcher drains. Callbacks enter it in the transaction of the fact they
 * report (a job's final state, a run's end), through {@link CallbackQueue}. Implementations are
 * thread-safe.
 */
public interface CallbackOutbox {

  /** Adds a callback inside {@code tx}. */
  void enqueue(Transaction tx, PendingCallback callback);

  /**
   * Adds a callback inside {@code tx} already leased to {@code owner} until {@code leaseUntil}, for
   * that node to send as soon as {@code tx} commits, without a claim; unless an earlier callback of
   * its job is still Pending: then it is added as by {@link #enqueue}, to go out after that one.
   * Returns the stored callback (with its {@code seq}) when it was leased.
   */
  Optional<PendingCallback> enqueueLeased(
      Transaction tx, PendingCallback callback, String owner, Instant leaseUntil);

  /**
   * Leases up to {@code limit} Pending callbacks whose next attempt is due, oldest due first,
   * skipping {@code blockedDestinations} and any callback with an earlier Pending callback of the
   * same job (callbacks of a job go out in order).
   */
  List<PendingCallback> claimDue(
      String owner, Instant now, Instant leaseUntil, int limit, Set<String> blockedDestinations);

  /**
   * Logs attempts and moves each callback on (Delivered, Failed, or Pending again at its next
   * attempt time), all in one transaction.
   */
  void recordAttempts(List<AttemptRecord> attempts);

  /** Gives back leased callbacks untouched, due again at once (they could not be started). */
  void release(List<PendingCallback> callbacks);

  /** Returns all leases to the pool; single-node start-up only. */
  int releaseAllLeases();

  /**
   * Returns the leases {@code owner} holds to the pool, due at once: a node that stops hands the
   * callbacks it could not finish to the others rather than when the leases run out.
   */
  int releaseLeasesOf(String owner);

  /** Delivery state of one callback. */
  enum DeliveryState {
    Pending,
    Delivered,
    Failed
  }
}
