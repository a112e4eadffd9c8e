package io.jobhook.object;

import io.jobhook.engine.Transaction;

/**
 * An object whose bytes are stored but that does not exist yet: its index entry is written by
 * {@link #publish} in the transaction that makes it appear (a job's final state), so a job's output
 * appears exactly when the job succeeds; {@link #discard} when that transaction did not commit for
 * want of the job's lease.
 */
public interface StagedObject {

  ObjectInfo info();

  /**
   * Writes the object's index entry inside {@code tx}; once {@code tx} has committed, the blob it
   * replaced, now unreferenced, is removed.
   */
  void publish(Transaction tx);

  /**
   * The entry was never committed: the staged bytes go (unless a committed entry holds them after
   * all).
   */
  void discard();
}
