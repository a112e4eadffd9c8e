package io.jobhook.job.run;

import io.jobhook.job.Job;

/**
 * Does the work of one job kind (one {@code Tag}). Blocking, runs on a virtual thread; may be run
 * again for the same job after a crash, so it must be safe to repeat (outputs are overwritten
 * whole). Failures the user can act on are returned as {@link ProcessingOutcome.Failed}; anything
 * thrown becomes an {@code InternalError}.
 */
public interface Processor {

  String tag();

  ProcessingOutcome process(Job job, ProgressListener progress) throws Exception;

  /** Receives progress, 0-100, as the work goes on. */
  @FunctionalInterface
  interface ProgressListener {
    void progress(int percent);
  }
}
