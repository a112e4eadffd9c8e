package io.jobhook.callback;

import io.jobhook.callback.CallbackOutbox.DeliveryState;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The delivery log: what operators query, redeliver and prune. Implementations are thread-safe. */
public interface CallbackLog {

  /** A callback and its attempts, for the log API. */
  record Entry(
      String id,
      String jobId,
      String queueId,
      String eventName,
      String url,
      String contentType,
      DeliveryState state,
      int attempts,
      Instant createdAt,
      Instant nextAttemptAt,
      Instant deliveredAt,
      String lastError,
      List<Attempt> attemptLog) {}

  /** One logged attempt. */
  record Attempt(
      int number,
      Instant at,
      String address,
      int status,
      long latencyMillis,
      String error,
      String responseSnippet) {}

  /** Filters; null fields do not filter. {@code afterSeq} pages. */
  record Query(
      String jobId,
      String queueId,
      DeliveryState state,
      Instant from,
      Instant to,
      Long afterSeq,
      int size) {}

  /** A page of entries, newest first; {@code nextSeq} null on the last page. */
  record Page(List<Entry> entries, Long nextSeq) {}

  /** Pending callbacks of one destination, for metrics. */
  record Backlog(String destination, long pending, Instant oldestCreatedAt) {}

  Optional<Entry> find(String bucket, String callbackId);

  Page list(String bucket, Query query);

  /** Starts a new delivery round for one callback now; false if it does not exist. */
  boolean redeliver(String bucket, String callbackId, Instant now);

  /**
   * Starts a new round for every Failed callback of a queue created in [from, to]; returns how
   * many.
   */
  int redeliverFailed(String bucket, String queueId, Instant from, Instant to, Instant now);

  /**
   * Deletes up to {@code limit} of the Delivered callbacks created before one time and the Failed
   * ones created before another, oldest first, with their attempts; never Pending ones. Returns how
   * many.
   */
  int prune(Instant deliveredBefore, Instant failedBefore, int limit);

  List<Backlog> pendingByDestination();

  /** Of the latest callbacks, per destination: how many were delivered, failed, wait. */
  record Health(String destination, long delivered, long failed, long pending) {}

  /** The health of every destination among the latest {@code latest} callbacks. */
  List<Health> healthOfLatest(int latest);

  /** A callback given up: where it went and why. */
  record Failure(String bucket, String jobId, String url, String lastError, Instant createdAt) {}

  /** The failed ones among the latest {@code latest} callbacks, newest first, at most limit. */
  List<Failure> failedAmongLatest(int latest, int limit);
}
