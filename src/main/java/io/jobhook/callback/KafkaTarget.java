package io.jobhook.callback;

import java.util.regex.Pattern;

/**
 * A Kafka callback's target (contract §10.3, {@code CallBackKafkaConfig} and {@code KafkaConfig}):
 * a topic of a cluster configured on the server under {@code instanceId}; CI's {@code Region} is
 * kept only to be shown back. Written into the outbox as {@link #url()}, {@code
 * kafka://INSTANCE/TOPIC}; its circuit and limits are per instance.
 */
public record KafkaTarget(String instanceId, String topic, String region) {
  public static final String SCHEME = "kafka";

  /** Kafka's own rule for topic names. */
  private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

  private static final Pattern INSTANCE = Pattern.compile("[a-zA-Z0-9._-]{1,128}");

  private static final Pattern REGION = Pattern.compile("[a-zA-Z0-9-]{0,64}");

  public KafkaTarget {
    if (instanceId == null || !INSTANCE.matcher(instanceId).matches()) {
      throw new IllegalArgumentException(
          "InstanceId must be 1-128 letters, digits, '.', '_' or '-', not '" + instanceId + "'");
    }
    if (topic == null || !TOPIC.matcher(topic).matches()) {
      throw new IllegalArgumentException(
          "Topic must be 1-249 letters, digits, '.', '_' or '-', not '" + topic + "'");
    }
    region = region == null ? "" : region;
    if (!REGION.matcher(region).matches()) {
      throw new IllegalArgumentException(
          "Region must be at most 64 letters, digits or '-', not '" + region + "'");
    }
  }

  public static boolean isKafka(String url) {
    return url != null && url.startsWith(SCHEME + "://");
  }

  /** Reads back what {@link #url()} wrote. */
  public static KafkaTarget parse(String url) {
    if (!isKafka(url)) {
      throw new IllegalArgumentException("not a Kafka target: " + url);
    }
    String rest = url.substring(SCHEME.length() + 3);
    String region = "";
    int q = rest.indexOf("?region=");
    if (q >= 0) {
      region = rest.substring(q + 8);
      rest = rest.substring(0, q);
    }
    int slash = rest.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("not a Kafka target: " + url);
    }
    return new KafkaTarget(rest.substring(0, slash), rest.substring(slash + 1), region);
  }

  public String url() {
    return SCHEME
        + "://"
        + instanceId
        + "/"
        + topic
        + (region.isEmpty() ? "" : "?region=" + region);
  }

  /** What circuits and limits apply to: the cluster. */
  public String destination() {
    return SCHEME + "://" + instanceId;
  }
}
