package io.jobhook.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobhook.callback.CallbackUrl;
import io.jobhook.callback.KafkaTarget;
import io.jobhook.callback.http.AddressGuard;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Set;

/**
 * Refuses at submit time what delivery would refuse anyway: URLs that do not parse and literal
 * private addresses. Names are resolved at delivery, where the guard checks every address.
 */
final class CallbackUrlCheck {
  private final AddressGuard guard;
  private final Set<String> kafkaClusters;

  /** {@code kafkaClusters}: the instance ids of the Kafka clusters configured on the server. */
  CallbackUrlCheck(AddressGuard guard, Set<String> kafkaClusters) {
    this.guard = guard;
    this.kafkaClusters = Set.copyOf(kafkaClusters);
  }

  /**
   * The Kafka target of a {@code CallBackKafkaConfig} or {@code KafkaConfig} element ({@code
   * Region}, {@code InstanceId}, {@code Topic}), its instance one configured here.
   */
  KafkaTarget kafka(String where, JsonNode config) {
    if (config == null || !config.isObject()) {
      throw ApiException.invalidArgument(
          where + " {Region, InstanceId, Topic} is required for Kafka");
    }
    String instance = CiXml.text(config, "InstanceId");
    KafkaTarget target;
    try {
      target = new KafkaTarget(instance, CiXml.text(config, "Topic"), CiXml.text(config, "Region"));
    } catch (IllegalArgumentException e) {
      throw ApiException.invalidArgument(where + ": " + e.getMessage());
    }
    if (!kafkaClusters.contains(instance)) {
      throw ApiException.invalidArgument(
          where
              + "/InstanceId "
              + instance
              + " is not a Kafka cluster of this server"
              + (kafkaClusters.isEmpty()
                  ? " (it has none; start it with --kafka-instance ID=HOST:PORT)"
                  : " (it has "
                      + String.join(", ", kafkaClusters.stream().sorted().toList())
                      + ")"));
    }
    return target;
  }

  /** {@code field} names the request element in the error, e.g. {@code CallBack}. */
  void check(String field, String url) {
    CallbackUrl parsed;
    try {
      parsed = CallbackUrl.parse(url);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalidArgument(field + ": " + e.getMessage());
    }
    if (!parsed.isLiteral()) {
      return;
    }
    try {
      if (!guard.allows(InetAddress.getByName(parsed.host()))) { // a literal: no lookup
        throw ApiException.invalidArgument(
            field
                + " address "
                + parsed.host()
                + " is private or loopback; start jobhook with --allow-private-callbacks for local development");
      }
    } catch (UnknownHostException e) {
      throw ApiException.invalidArgument(
          field + " host '" + parsed.host() + "' is not a valid address");
    }
  }
}
