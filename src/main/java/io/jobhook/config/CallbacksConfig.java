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
    return builder().build();
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

  /** A builder holding the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this configuration, to change some of it. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.allowPrivate = allowPrivate;
    b.allowList = allowList;
    b.retry = retry;
    b.timeout = timeout;
    b.connectTimeout = connectTimeout;
    b.maxPerDestination = maxPerDestination;
    b.retainDelivered = retainDelivered;
    b.retainFailed = retainFailed;
    b.circuitFailures = circuitFailures;
    b.circuitOpenFor = circuitOpenFor;
    b.circuitMaxOpen = circuitMaxOpen;
    b.outboxPoll = outboxPoll;
    b.claimBatch = claimBatch;
    b.kafka = kafka;
    return b;
  }

  /** Builds a {@link CallbacksConfig}; every setting starts at its default. */
  public static final class Builder {
    private boolean allowPrivate = false;
    private List<AddressGuard.Cidr> allowList = List.of();
    private RetryPolicy retry = RetryPolicy.DEFAULT;
    private Duration timeout = Duration.ofSeconds(15);
    private Duration connectTimeout = Duration.ofSeconds(5);
    private int maxPerDestination = 64;
    private Duration retainDelivered = Duration.ofDays(7);
    private Duration retainFailed = Duration.ofDays(30);
    private int circuitFailures = 5;
    private Duration circuitOpenFor = Duration.ofSeconds(5);
    private Duration circuitMaxOpen = Duration.ofMinutes(5);
    private Duration outboxPoll = Duration.ofMillis(100);
    private int claimBatch = 1024;
    private List<KafkaCluster> kafka = List.of();

    private Builder() {}

    public Builder allowPrivate(boolean value) {
      this.allowPrivate = value;
      return this;
    }

    public Builder allowList(List<AddressGuard.Cidr> value) {
      this.allowList = value;
      return this;
    }

    public Builder retry(RetryPolicy value) {
      this.retry = value;
      return this;
    }

    public Builder timeout(Duration value) {
      this.timeout = value;
      return this;
    }

    public Builder connectTimeout(Duration value) {
      this.connectTimeout = value;
      return this;
    }

    public Builder maxPerDestination(int value) {
      this.maxPerDestination = value;
      return this;
    }

    public Builder retainDelivered(Duration value) {
      this.retainDelivered = value;
      return this;
    }

    public Builder retainFailed(Duration value) {
      this.retainFailed = value;
      return this;
    }

    public Builder circuitFailures(int value) {
      this.circuitFailures = value;
      return this;
    }

    public Builder circuitOpenFor(Duration value) {
      this.circuitOpenFor = value;
      return this;
    }

    public Builder circuitMaxOpen(Duration value) {
      this.circuitMaxOpen = value;
      return this;
    }

    public Builder outboxPoll(Duration value) {
      this.outboxPoll = value;
      return this;
    }

    public Builder claimBatch(int value) {
      this.claimBatch = value;
      return this;
    }

    public Builder kafka(List<KafkaCluster> value) {
      this.kafka = value;
      return this;
    }

    public CallbacksConfig build() {
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
          kafka);
    }
  }
}
