package io.jobhook.callback.kafka;

import java.util.Map;

/**
 * A Kafka cluster configured on the server ({@code --kafka-instance ID=HOST:PORT,...}) that
 * callbacks name by {@code InstanceId}, with the client properties it needs ({@code
 * --kafka-property ID.KEY=VALUE}: SASL, TLS).
 */
public record KafkaCluster(String id, String bootstrapServers, Map<String, String> properties) {
  public KafkaCluster {
    properties = Map.copyOf(properties);
  }

  /** For the configuration log: property values that look secret are masked. */
  @Override
  public String toString() {
    StringBuilder s = new StringBuilder(id).append('=').append(bootstrapServers);
    properties.forEach(
        (k, v) ->
            s.append(' ')
                .append(k)
                .append('=')
                .append(
                    k.contains("password") || k.contains("jaas") || k.contains("secret")
                        ? "***"
                        : v));
    return s.toString();
  }
}
