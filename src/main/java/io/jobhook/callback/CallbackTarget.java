package io.jobhook.callback;

import java.util.Optional;

/**
 * Where a callback goes (contract §5.1): the subject's own {@code CallBack} first, else its queue's
 * NotifyConfig when that is On for the event; {@code CallBack=no} means none. The own {@code
 * CallBackFormat} wins over the queue's {@code ResultFormat}.
 */
public record CallbackTarget(String url, CallbackFormat format) {

  /**
   * {@code queue} may be null when {@code own} does not {@link CallbackRequest#followsQueue follow}
   * it.
   */
  public static Optional<CallbackTarget> of(
      CallbackRequest own, NotifyConfig queue, CallbackEvent event) {
    if (own.disabled()) {
      return Optional.empty();
    }
    if (!own.followsQueue()) {
      return Optional.of(
          new CallbackTarget(own.url(), own.format() == null ? CallbackFormat.XML : own.format()));
    }
    if (queue == null || !queue.notifiesOn(event)) {
      return Optional.empty();
    }
    CallbackFormat format =
        own.format() != null
            ? own.format()
            : "JSON".equalsIgnoreCase(queue.resultFormat())
                ? CallbackFormat.JSON
                : CallbackFormat.XML;
    return Optional.of(new CallbackTarget(queue.url(), format));
  }
}
