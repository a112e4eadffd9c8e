package io.jobhook.template;

import java.util.List;

/** Who uses a template in a way that forbids deleting it: a port, implemented by workflows. */
@FunctionalInterface
public interface TemplateReferences {
  TemplateReferences NONE = (bucket, templateId) -> List.of();

  /** The ids of the Active workflows of the bucket that name the template. */
  List<String> activeUsers(String bucket, String templateId);
}
