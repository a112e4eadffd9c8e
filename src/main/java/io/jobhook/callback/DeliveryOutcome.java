package io.jobhook.callback;

/** What one delivery attempt led to. */
public sealed interface DeliveryOutcome {

  /** The receiver answered 2xx. */
  record Delivered(int status) implements DeliveryOutcome {}

  /** Worth another try later: a non-2xx answer or a network error. */
  record RetryLater(int status, String error) implements DeliveryOutcome {}

  /** Never worth another try (for example the destination is refused by the SSRF guard). */
  record GiveUp(int status, String error) implements DeliveryOutcome {}
}
