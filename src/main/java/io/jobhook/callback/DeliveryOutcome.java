package io.jobhook.callback;

import java.time.Duration;

/** What one delivery attempt led to. */
public sealed interface DeliveryOutcome {

  int status();

  /** The receiver answered 2xx. */
  record Delivered(int status) implements DeliveryOutcome {}

  /**
   * Worth another try later: a non-2xx answer or a network error. {@code retryAfter} is the
   * receiver's {@code Retry-After}, or null.
   */
  record RetryLater(int status, String error, Duration retryAfter) implements DeliveryOutcome {
    public RetryLater(int status, String error) {
      this(status, error, null);
    }
  }

  /** Never worth another try: {@code 410 Gone}, or a destination the SSRF guard refuses. */
  record GiveUp(int status, String error) implements DeliveryOutcome {}
}
