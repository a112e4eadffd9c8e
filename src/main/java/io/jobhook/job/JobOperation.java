package io.jobhook.job;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a job is asked to do: its output, the CI operation fields echoed back, the template it named
 * (its id and, once resolved, its name; both empty for none), and the tag-specific settings (for
 * NoiseReduction: {@code Format}, {@code SampleRate}), the template's merged under the job's own.
 */
public record JobOperation(
    ObjectRef output,
    String templateId,
    String templateName,
    String userData,
    int jobLevel,
    Map<String, String> settings) {
  public JobOperation {
    settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
  }

  /** An operation that names no template, or names one not yet resolved. */
  public JobOperation(
      ObjectRef output,
      String templateId,
      String userData,
      int jobLevel,
      Map<String, String> settings) {
    this(output, templateId, "", userData, jobLevel, settings);
  }

  /**
   * This operation run with {@code template}: the template's settings, then the job's own over them
   * (the job's win, as in CI).
   */
  public JobOperation withTemplate(JobTemplate template) {
    Map<String, String> merged = new LinkedHashMap<>(template.settings());
    merged.putAll(settings);
    return new JobOperation(output, template.id(), template.name(), userData, jobLevel, merged);
  }
}
