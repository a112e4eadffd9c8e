package io.jobhook.callback;

import io.jobhook.engine.Transaction;
import io.jobhook.engine.Wakeup;

/**
 * Where callbacks enter the outbox: in the transaction of the fact they report, waking the
 * dispatcher once that transaction has committed, so they go out at once rather than at the next
 * poll. Thread-safe.
 */
public final class CallbackQueue {
  private final CallbackOutbox outbox;
  private final Wakeup dispatcher;

  public CallbackQueue(CallbackOutbox outbox, Wakeup dispatcher) {
    this.outbox = outbox;
    this.dispatcher = dispatcher;
  }

  public void enqueue(Transaction tx, PendingCallback callback) {
    outbox.enqueue(tx, callback);
    tx.afterCommit(dispatcher::signal);
  }
}
