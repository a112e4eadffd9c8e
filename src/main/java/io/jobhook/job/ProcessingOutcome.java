package io.jobhook.job;

import io.jobhook.object.StagedObject;
import java.util.List;

/** How a processor's work ended. */
public sealed interface ProcessingOutcome {

  /**
   * Done; {@code outputs} are the objects the job writes, staged: they appear together with the
   * job's final state, and not at all if another run of the job has taken it over meanwhile.
   */
  record Succeeded(List<StagedObject> outputs) implements ProcessingOutcome {
    public Succeeded {
      outputs = List.copyOf(outputs);
    }
  }

  /** A failure with the CI {@code Code} and {@code Message} the job and its callback report. */
  record Failed(String code, String message) implements ProcessingOutcome {}
}
