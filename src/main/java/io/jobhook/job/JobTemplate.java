package io.jobhook.job;

import java.util.Map;

/** A stored set of settings for one job kind, named by jobs and workflow nodes with TemplateId. */
public record JobTemplate(String id, String name, String tag, Map<String, String> settings) {
  public JobTemplate {
    settings = Map.copyOf(settings);
  }
}
