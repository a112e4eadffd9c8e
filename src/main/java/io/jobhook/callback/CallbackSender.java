package io.jobhook.callback;

/**
 * Sends one callback attempt over one transport. Blocking; called on a virtual thread.
 * Implementations never throw for delivery failures: they report them as an outcome.
 */
public interface CallbackSender {
  AttemptResult send(PendingCallback callback);
}
