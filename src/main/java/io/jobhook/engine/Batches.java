package io.jobhook.engine;

import java.util.function.IntSupplier;

/** Work done a bounded batch at a time, each batch its own transaction. */
public final class Batches {
  private Batches() {}

  /** Runs {@code batch} until it reports none done; returns how many in all. */
  public static int drain(IntSupplier batch) {
    int total = 0;
    for (int done; (done = batch.getAsInt()) > 0; ) {
      total += done;
    }
    return total;
  }
}
