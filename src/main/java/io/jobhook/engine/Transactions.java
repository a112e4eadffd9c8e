package io.jobhook.engine;

import java.util.function.Function;

/**
 * Opens transactions: the unit-of-work port. Thread-safe; work must not open another transaction
 * from inside one.
 */
@FunctionalInterface
public interface Transactions {

  /**
   * Runs {@code work} in one transaction, committed durably when it returns normally and rolled
   * back when it throws; then runs the transaction's {@link Transaction#afterCommit} actions.
   */
  <T> T inTransaction(Function<Transaction, T> work);
}
