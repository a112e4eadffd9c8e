package io.jobhook.job;

import java.util.Map;

/**
 * What a job is asked to do: its output, the CI operation fields echoed back, and the tag-specific
 * settings (for NoiseReduction: {@code Format}, {@code SampleRate}) in the order given.
 */
public record JobOperation(
    ObjectRef output,
    String templateId,
    String userData,
    int jobLevel,
    Map<String, String> settings) {
  public JobOperation {
    settings = Map.copyOf(settings);
  }
}
