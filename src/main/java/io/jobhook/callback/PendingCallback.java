package io.jobhook.callback;

import java.time.Instant;

/**
 * A callback rendered once when its job ended, waiting in the outbox until a receiver answers 2xx
 * or its retry schedule runs out. Every attempt sends exactly these bytes under this id.
 */
public record PendingCallback(
    String id,
    String jobId,
    String eventName,
    String url,
    String contentType,
    byte[] body,
    Instant createdAt,
    int attempts,
    Instant nextAttemptAt) {}
