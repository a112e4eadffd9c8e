package io.jobhook.callback;

import io.jobhook.engine.Wakeup;
import java.time.Instant;
import java.time.InstantSource;

/**
 * New delivery rounds that operators start (same callback id, same bytes), due now; the dispatcher
 * is woken once they are committed. Thread-safe.
 */
public final class Redelivery {
  private final CallbackLog log;
  private final InstantSource clock;
  private final Wakeup dispatcher;

  public Redelivery(CallbackLog log, InstantSource clock, Wakeup dispatcher) {
    this.log = log;
    this.clock = clock;
    this.dispatcher = dispatcher;
  }

  /** A new round for one callback; false if the bucket has no such callback. */
  public boolean one(String bucket, String callbackId) {
    boolean found = log.redeliver(bucket, callbackId, clock.instant());
    if (found) {
      dispatcher.signal();
    }
    return found;
  }

  /**
   * A new round for every Failed callback of the bucket (or one queue) created in [from, to];
   * returns how many.
   */
  public int failed(String bucket, String queueId, Instant from, Instant to) {
    int n = log.redeliverFailed(bucket, queueId, from, to, clock.instant());
    if (n > 0) {
      dispatcher.signal();
    }
    return n;
  }
}
