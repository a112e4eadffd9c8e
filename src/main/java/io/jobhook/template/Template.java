package io.jobhook.template;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A template of a bucket: its job kind ({@code tag}) and the settings jobs that name it run with,
 * in the order and spelling they were given.
 */
public record Template(
    String id,
    String bucket,
    String name,
    String tag,
    Map<String, String> settings,
    Instant createTime,
    Instant updateTime) {
  public Template {
    settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
  }

  /** Templates are all the user's own; CI's official ones do not exist here. */
  public static final String CATEGORY = "Custom";
}
