package io.jobhook.callback;

import io.jobhook.callback.CallbackOutbox.DeliveryState;
import java.time.Instant;

/** One attempt to log and the state it moves its callback to. */
public record AttemptRecord(
    PendingCallback callback,
    Instant attemptedAt,
    AttemptResult result,
    DeliveryState next,
    Instant nextAttemptAt) {}
