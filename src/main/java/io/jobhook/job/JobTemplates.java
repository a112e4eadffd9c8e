package io.jobhook.job;

import java.util.Optional;

/** Where jobs find the templates they name: a port, implemented by the template feature. */
@FunctionalInterface
public interface JobTemplates {
  JobTemplates NONE = (bucket, templateId) -> Optional.empty();

  Optional<JobTemplate> find(String bucket, String templateId);
}
