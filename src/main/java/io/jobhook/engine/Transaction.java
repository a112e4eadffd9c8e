package io.jobhook.engine;

/**
 * One open transaction, handed to the store methods that should write inside it: whatever they
 * write commits together, or not at all. The domain decides what a transaction holds; the storage
 * edge decides how it commits.
 */
public interface Transaction {

  /**
   * Runs {@code action} once this transaction has committed durably, on the thread that opened it,
   * after the work returned; never when it rolled back. What a transaction fed (workers, the
   * callback dispatcher, the workflow engine) is woken this way.
   */
  void afterCommit(Runnable action);

  /**
   * Runs {@code action} if this transaction does not commit (it rolled back, or its commit failed),
   * on the thread that opened it; what was reserved for the transaction's outcome (a sender's slot)
   * is given back this way.
   */
  void afterRollback(Runnable action);
}
