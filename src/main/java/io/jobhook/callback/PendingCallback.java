package io.jobhook.callback;

import java.time.Instant;

/**
 * A callback rendered once when its job ended, waiting in the outbox until a receiver answers 2xx
 * or its retry schedule runs out. Every attempt sends exactly these bytes under this id.
 *
 * @param destination {@code scheme://host:port} of the URL: the unit of isolation and circuits
 * @param attempts attempts made so far, over all delivery rounds
 * @param roundStart {@code attempts} when the current round began (0, or when it was redelivered);
 *     the retry schedule counts from there
 * @param seq the outbox's own key for the row (0 until stored); storage uses it for fast updates
 */
public record PendingCallback(
    long seq,
    String id,
    String jobId,
    String bucket,
    String queueId,
    String eventName,
    String url,
    String destination,
    String contentType,
    byte[] body,
    Instant createdAt,
    int attempts,
    int roundStart,
    Instant nextAttemptAt) {

  /** A new callback, due at {@code dueAt}. */
  public static PendingCallback create(
      String id,
      String jobId,
      String bucket,
      String queueId,
      String eventName,
      String url,
      String contentType,
      byte[] body,
      Instant now,
      Instant dueAt) {
    return new PendingCallback(
        0,
        id,
        jobId,
        bucket,
        queueId,
        eventName,
        url,
        CallbackUrl.destinationOf(url),
        contentType,
        body,
        now,
        0,
        0,
        dueAt);
  }

  /** This callback as stored under {@code newSeq}. */
  public PendingCallback stored(long newSeq) {
    return new PendingCallback(
        newSeq,
        id,
        jobId,
        bucket,
        queueId,
        eventName,
        url,
        destination,
        contentType,
        body,
        createdAt,
        attempts,
        roundStart,
        nextAttemptAt);
  }

  public int attemptsThisRound() {
    return attempts - roundStart;
  }
}
