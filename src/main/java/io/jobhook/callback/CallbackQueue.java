package io.jobhook.callback;

import io.jobhook.engine.Transaction;
import io.jobhook.engine.Wakeup;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where callbacks enter the outbox: in the transaction of the fact they report. With a sender free
 * for its destination, a callback is stored leased to this node and sent the moment that
 * transaction commits, without a claim; otherwise it is stored due, and the dispatcher is woken to
 * claim it once the transaction has committed. Either way it goes out at once rather than at the
 * next poll, and a crash before it is sent leaves it in the outbox. Thread-safe.
 */
public final class CallbackQueue {
  private final CallbackOutbox outbox;
  private final Wakeup dispatcher;
  private final Function<PendingCallback, Optional<CallbackDispatcher.Handoff>> senders;

  /**
   * {@code senders}: a sender's slot for a callback, if one is free to send it now ({@link
   * CallbackDispatcher#reserve}).
   */
  public CallbackQueue(
      CallbackOutbox outbox,
      Wakeup dispatcher,
      Function<PendingCallback, Optional<CallbackDispatcher.Handoff>> senders) {
    this.outbox = outbox;
    this.dispatcher = dispatcher;
    this.senders = senders;
  }

  public void enqueue(Transaction tx, PendingCallback callback) {
    Optional<CallbackDispatcher.Handoff> sender = senders.apply(callback);
    if (sender.isEmpty()) {
      outbox.enqueue(tx, callback);
      tx.afterCommit(dispatcher::signal);
      return;
    }
    CallbackDispatcher.Handoff handoff = sender.get();
    tx.afterRollback(handoff::release);
    Optional<PendingCallback> leased =
        outbox.enqueueLeased(tx, callback, handoff.owner(), handoff.leaseUntil());
    if (leased.isPresent()) {
      tx.afterCommit(() -> handoff.start(leased.get()));
    } else {
      // stored due behind an earlier callback of its job: a claim sends it after that one
      handoff.release();
      tx.afterCommit(dispatcher::signal);
    }
  }
}
