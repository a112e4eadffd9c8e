package io.jobhook.job;

import java.time.Instant;
import java.util.Optional;

/**
 * Worker capacity that is free right now. A job submitted while a worker is free is stored already
 * claimed for it (Running, under the worker's lease) in its insert transaction and starts at once:
 * no claim round trip, no wake-up hop. The lease makes it recoverable exactly like a claimed job.
 * Implemented by the job workers; thread-safe.
 */
public interface IdleWorkers {
  /** No direct starts: every job waits for a claim. */
  IdleWorkers NONE = Optional::empty;

  /**
   * Takes a free worker slot, if there is one and no job is known to be waiting (a new job would
   * queue behind it anyway); it must be started or released.
   */
  Optional<Slot> reserve();

  /** A reserved worker slot. */
  interface Slot {
    /** Who claims the job and until when. */
    Lease lease();

    /** Runs a job stored Running under {@link #lease()}. */
    void start(Job job);

    /** Gives the slot back (the job was stored Submitted, or not stored at all). */
    void release();
  }

  /** A claim on a job: the node holding it and when it runs out unless renewed. */
  record Lease(String owner, Instant until) {}
}
