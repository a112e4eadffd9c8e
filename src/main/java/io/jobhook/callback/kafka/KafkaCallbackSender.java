package io.jobhook.callback.kafka;

import io.jobhook.callback.AttemptResult;
import io.jobhook.callback.CallbackSender;
import io.jobhook.callback.DeliveryOutcome;
import io.jobhook.callback.KafkaTarget;
import io.jobhook.callback.PendingCallback;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Sends a callback as one Kafka record: the value the document a URL receiver gets, the key its
 * JobId (one job's callbacks land on one partition, in order), the Standard Webhooks headers and
 * the event name as record headers. Delivered means acknowledged by all in-sync replicas ({@code
 * acks=all}, idempotent producer); a cluster that does not answer within the attempt's timeout is a
 * retry, on the outbox's schedule and the cluster's circuit. One producer per cluster, shared by
 * every send. Thread-safe.
 */
public final class KafkaCallbackSender implements CallbackSender, AutoCloseable {
  /** The producer settings that differ from Kafka's defaults (a cluster's properties win). */
  public static final int LINGER_MS = 5;

  public static final int BATCH_BYTES = 128 * 1024;

  private final Map<String, KafkaCluster> clusters;
  private final Duration timeout;
  private final Map<String, KafkaProducer<byte[], byte[]>> producers = new ConcurrentHashMap<>();
  private final Map<String, Admin> admins = new ConcurrentHashMap<>();
  private final Map<String, KafkaTarget> targets = new ConcurrentHashMap<>();

  /** {@code timeout}: how long one attempt may wait for the brokers' acknowledgement. */
  public KafkaCallbackSender(List<KafkaCluster> clusters, Duration timeout) {
    this.clusters =
        clusters.stream().collect(Collectors.toMap(KafkaCluster::id, Function.identity()));
    this.timeout = timeout;
  }

  @Override
  public AttemptResult send(PendingCallback callback, Map<String, String> headers) {
    long start = System.nanoTime();
    KafkaTarget target = targets.computeIfAbsent(callback.url(), KafkaTarget::parse);
    KafkaCluster cluster = clusters.get(target.instanceId());
    if (cluster == null) {
      return result(
          new DeliveryOutcome.GiveUp(
              0, "Kafka instance " + target.instanceId() + " is not configured on this server"),
          target,
          start,
          "");
    }
    ProducerRecord<byte[], byte[]> record =
        new ProducerRecord<>(
            target.topic(), callback.jobId().getBytes(StandardCharsets.UTF_8), callback.body());
    headers.forEach(
        (name, value) ->
            record.headers().add(new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8))));
    record
        .headers()
        .add(new RecordHeader("event-name", callback.eventName().getBytes(StandardCharsets.UTF_8)))
        .add(
            new RecordHeader(
                "content-type", callback.contentType().getBytes(StandardCharsets.UTF_8)));
    try {
      RecordMetadata sent =
          producer(cluster).send(record).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return result(
          new DeliveryOutcome.Delivered(0),
          target,
          start,
          "topic " + sent.topic() + " partition " + sent.partition() + " offset " + sent.offset());
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      boolean hopeless =
          cause instanceof RecordTooLargeException
              || cause instanceof InvalidTopicException
              || cause instanceof AuthorizationException;
      String error = cause.getClass().getSimpleName() + ": " + cause.getMessage();
      return result(
          hopeless
              ? new DeliveryOutcome.GiveUp(0, error)
              : new DeliveryOutcome.RetryLater(0, error),
          target,
          start,
          "");
    } catch (TimeoutException e) {
      return result(
          new DeliveryOutcome.RetryLater(
              0, "the brokers did not acknowledge within " + timeout.toMillis() + " ms"),
          target,
          start,
          "");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return result(new DeliveryOutcome.RetryLater(0, "interrupted"), target, start, "");
    } catch (RuntimeException e) {
      return result(
          new DeliveryOutcome.RetryLater(0, e.getClass().getSimpleName() + ": " + e.getMessage()),
          target,
          start,
          "");
    }
  }

  /** Throws when the cluster does not answer within the attempt timeout (for readiness). */
  public void check(String clusterId) throws Exception {
    KafkaCluster cluster = clusters.get(clusterId);
    try {
      admins
          .computeIfAbsent(clusterId, id -> Admin.create(properties(cluster, false)))
          .describeCluster()
          .clusterId()
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new TimeoutException(
          "tried " + cluster.bootstrapServers() + " for " + timeout.toMillis() + " ms");
    }
  }

  private KafkaProducer<byte[], byte[]> producer(KafkaCluster cluster) {
    return producers.computeIfAbsent(
        cluster.id(),
        id ->
            new KafkaProducer<>(
                properties(cluster, true), new ByteArraySerializer(), new ByteArraySerializer()));
  }

  private Properties properties(KafkaCluster cluster, boolean producer) {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
    p.put(AdminClientConfig.CLIENT_ID_CONFIG, "jobhook-" + cluster.id());
    if (producer) {
      p.put(ProducerConfig.ACKS_CONFIG, "all");
      p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
      // every send waits for its acknowledgement: many callbacks share one request to the broker
      p.put(ProducerConfig.LINGER_MS_CONFIG, Integer.toString(LINGER_MS));
      p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(BATCH_BYTES));
      // a send waits for metadata at most this long; the rest of the attempt is the delivery
      p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(timeout.toMillis()));
      int request = (int) Math.max(1000, timeout.toMillis() / 2);
      p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Integer.toString(request));
      p.put(
          ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
          Long.toString(Math.max(timeout.toMillis(), request + 2)));
    } else {
      p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(timeout.toMillis()));
      p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(timeout.toMillis()));
    }
    p.putAll(cluster.properties());
    return p;
  }

  private static AttemptResult result(
      DeliveryOutcome outcome, KafkaTarget target, long start, String snippet) {
    return new AttemptResult(
        outcome, target.url(), Duration.ofNanos(System.nanoTime() - start), snippet);
  }

  @Override
  public void close() {
    producers.values().forEach(p -> p.close(Duration.ofSeconds(5)));
    admins.values().forEach(a -> a.close(Duration.ofSeconds(5)));
  }
}
