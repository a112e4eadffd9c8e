package io.jobhook.job;

import io.jobhook.engine.Transaction;

/**
 * Hears of every job that ends (Success, Failed or Cancel), in the transaction of its final state,
 * so that what follows from the end commits with it (workflows move their runs on).
 */
@FunctionalInterface
public interface JobEndListener {
  void ended(Transaction tx, Job job);
}
