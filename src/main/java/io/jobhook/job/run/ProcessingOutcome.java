package io.jobhook.job.run;

/** How a processor's work ended. */
public sealed interface ProcessingOutcome {

  record Succeeded() implements ProcessingOutcome {}

  /** A failure with the CI {@code Code} and {@code Message} the job and its callback report. */
  record Failed(String code, String message) implements ProcessingOutcome {}
}
