package io.jobhook.job;

import java.util.Map;

/**
 * One job kind (one {@code Tag}): what it accepts and the work it does. A new kind is a processor
 * in its own {@code process/<kind>} folder, registered once where the node is wired. Processing is
 * blocking and runs on a virtual thread; it may run again for the same job after a crash, so it
 * must be safe to repeat (outputs are overwritten whole). Failures the user can act on are returned
 * as {@link ProcessingOutcome.Failed}; anything thrown counts as a transient failure and the job
 * runs again later (see {@code JobWorkers}).
 */
public interface Processor {

  String tag();

  /**
   * Refuses, at submit time, an operation this kind cannot honour, with a {@link
   * JobsException.InvalidJob} that says why.
   */
  void validate(JobOperation operation);

  /**
   * Refuses settings this kind cannot honour, wherever they are given (a job, a template, a
   * workflow node), with a {@link JobsException.InvalidJob} that says why.
   */
  void validateSettings(Map<String, String> settings);

  ProcessingOutcome process(Job job, ProgressListener progress) throws Exception;

  /** Receives progress, 0-100, as the work goes on. */
  @FunctionalInterface
  interface ProgressListener {
    void progress(int percent);
  }
}
