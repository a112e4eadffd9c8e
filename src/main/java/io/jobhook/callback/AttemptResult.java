package io.jobhook.callback;

import java.time.Duration;

/** One attempt as the sender saw it, for the delivery log. */
public record AttemptResult(
    DeliveryOutcome outcome, String address, Duration latency, String responseSnippet) {}
