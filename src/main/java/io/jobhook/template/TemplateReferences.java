package io.jobhook.template;

import java.util.List;

/** Who uses a template in a way that forbids deleting it: a port, implemented by workflows. */
@FunctionalInterface
public interface TemplateReferences {
  TemplateReferences NONE = (bucket, templateId) -> List.of();

  /**
   * The ids of the workflows of the bucket that will start jobs naming the template: Active ones,
   * and those with runs in flight.
   */
  List<String> activeUsers(String bucket, String templateId);
}
