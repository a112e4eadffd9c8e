package io.jobhook.config;

import io.jobhook.callback.RetryPolicy;
import io.jobhook.callback.http.AddressGuard;
import io.jobhook.callback.kafka.KafkaCluster;
import java.time.Duration;
import java.util.List;

/**
 * Callback delivery.
 *
 * @param allowPrivate lets callbacks reach loopback and private addresses, for local development
 *     only ({@code --allow-private-callbacks}, default off)
 * @param allowList CIDR blocks callbacks may reach although private ({@code --callback-allow-cidr})
 * @param retry waits before each attempt ({@code --callback-retry-schedule}, default
 *     0s,5s,30s,2m,10m,30m,1h,2h,4h,8h,16h,24h)
 * @param timeout total time of one attempt ({@code --callback-timeout}, default 15 s)
 * @param connectTimeout ({@code --callback-connect-timeout}, default 5 s)
 * @param maxPerDestination attempts in flight at once to one scheme://host:port (a Kafka cluster
 *     takes up to {@code claimBatch}; {@code --callback-max-per-destination}, default 64)
 * @param retainDelivered how long delivered callbacks stay in the delivery log ({@code
 *     --retain-delivered}, default 7 days)
 * @param retainFailed how long failed ones stay; pending ones are never pruned ({@code
 *     --retain-failed}, default 30 days)
 * @param circuitFailures failures in a row that open a destination's circuit (default 5)
 * @param circuitOpenFor how long a circuit stays open the first time, doubling each time it opens
 *     again (default 5 s)
 * @param circuitMaxOpen the longest a circuit stays open (default 5 min)
 * @param outboxPoll how often due retries are looked for when nothing woke the dispatcher (default
 *     100 ms)
 * @param claimBatch callbacks claimed at most per claim (default 1,024)
 * @param kafka the Kafka clusters callbacks may name by InstanceId ({@code --kafka-instance},
 *     {@code --kafka-property}; none by default)
 */
public record CallbacksConfig(
    boolean allowPrivate,
    List<AddressGuard.Cidr> allowList,
    RetryPolicy retry,
    Duration timeout,
    Duration connectTimeout,
    int maxPerDestination,
    Duration retainDelivered,
    Duration retainFailed,
    int circuitFailures,
    Duration circuitOpenFor,
    Duration circuitMaxOpen,
    Duration outboxPoll,
    int claimBatch,
    List<KafkaCluster> kafka) {

  public static CallbacksConfig defaults() {
    return new CallbacksConfig(
        false,
        List.of(),
        RetryPolicy.DEFAULT,
        Duration.ofSeconds(15),
        Duration.ofSeconds(5),
        64,
        Duration.ofDays(7),
        Duration.ofDays(30),
        5,
        Duration.ofSeconds(5),
        Duration.ofMinutes(5),
        Duration.ofMillis(100),
        1024,
        List.of());
  }

  public CallbacksConfig {
    allowList = List.copyOf(allowList);
    kafka = List.copyOf(kafka);
    if (maxPerDestination < 1) {
      throw new IllegalArgumentException("--callback-max-per-destination must be at least 1");
    }
    if (retainFailed.compareTo(retainDelivered) < 0) {
      throw new IllegalArgumentException(
          "failed callbacks must be kept at least as long as delivered ones");
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("--callback-timeout must be positive");
    }
  }

  public CallbacksConfig withRetry(RetryPolicy policy) {
    return new CallbacksConfig(
        allowPrivate,
        allowList,
        policy,
        timeout,
        connectTimeout,
        maxPerDestination,
        retainDelivered,
        retainFailed,
        circuitFailures,
        circuitOpenFor,
        circuitMaxOpen,
        outboxPoll,
        claimBatch,
        kafka);
  }

  public CallbacksConfig withAllowPrivate(boolean allow) {
    return new CallbacksConfig(
        allow,
        allowList,
        retry,
        timeout,
        connectTimeout,
        maxPerDestination,
        retainDelivered,
        retainFailed,
        circuitFailures,
        circuitOpenFor,
        circuitMaxOpen,
        outboxPoll,
        claimBatch,
        kafka);
  }

  public CallbacksConfig withTimeouts(Duration newTimeout, Duration newConnectTimeout) {
    return new CallbacksConfig(
        allowPrivate,
        allowList,
        retry,
        newTimeout,
        newConnectTimeout,
        maxPerDestination,
        retainDelivered,
        retainFailed,
        circuitFailures,
        circuitOpenFor,
        circuitMaxOpen,
        outboxPoll,
        claimBatch,
        kafka);
  }

  public CallbacksConfig withMaxPerDestination(int n) {
    return new CallbacksConfig(
        allowPrivate,
        allowList,
        retry,
        timeout,
        connectTimeout,
        n,
        retainDelivered,
        retainFailed,
        circuitFailures,
        circuitOpenFor,
        circuitMaxOpen,
        outboxPoll,
        claimBatch,
        kafka);
  }

  public CallbacksConfig withKafka(List<KafkaCluster> clusters) {
    return new CallbacksConfig(
        allowPrivate,
        allowList,
        retry,
        timeout,
        connectTimeout,
        maxPerDestination,
        retainDelivered,
        retainFailed,
        circuitFailures,
        circuitOpenFor,
        circuitMaxOpen,
        outboxPoll,
        claimBatch,
        clusters);
  }
}
