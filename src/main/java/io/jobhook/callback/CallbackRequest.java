package io.jobhook.callback;

/**
 * The callback settings a job was submitted with (contract §5.1). {@code url} null means "use the
 * queue's NotifyConfig"; {@link #disabled} is CI's {@code CallBack=no}.
 */
public record CallbackRequest(String url, boolean disabled, CallbackFormat format, String type) {
  /** No callback settings of its own: the queue's NotifyConfig decides. */
  public static final CallbackRequest NONE = new CallbackRequest(null, false, null, null);

  /** Whether where the callback goes depends on the queue's NotifyConfig. */
  public boolean followsQueue() {
    return !disabled && (url == null || url.isBlank());
  }
}
