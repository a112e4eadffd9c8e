package io.jobhook.callback;

import java.util.Map;

/**
 * Sends one callback attempt over one transport. Blocking; called on a virtual thread.
 * Implementations never throw for delivery failures: they report them as an outcome.
 */
public interface CallbackSender {

  /** Sends the callback's bytes with these extra headers (id and signature). */
  AttemptResult send(PendingCallback callback, Map<String, String> headers);
}
