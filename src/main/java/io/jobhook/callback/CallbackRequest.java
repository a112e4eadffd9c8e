package io.jobhook.callback;

/**
 * The callback settings a job was submitted with (contract §5.1). {@code url} null means "use the
 * queue's NotifyConfig"; {@link #disabled} is CI's {@code CallBack=no}.
 */
public record CallbackRequest(String url, boolean disabled, CallbackFormat format, String type) {
  /** No callback settings of its own: the queue's NotifyConfig decides. */
  public static final CallbackRequest NONE = new CallbackRequest(null, false, null, null);

  /**
   * The request a subject carries when {@code config} is its own rather than its queue's (a
   * workflow's NotifyConfig, for the jobs its runs start): its URL and format when it notifies on
   * {@code event}, no callback otherwise.
   */
  public static CallbackRequest from(NotifyConfig config, CallbackEvent event) {
    if (!config.notifiesOn(event)) {
      return new CallbackRequest(null, true, null, null);
    }
    return new CallbackRequest(
        config.url(),
        false,
        "JSON".equalsIgnoreCase(config.resultFormat()) ? CallbackFormat.JSON : CallbackFormat.XML,
        config.type());
  }

  /** Whether where the callback goes depends on the queue's NotifyConfig. */
  public boolean followsQueue() {
    return !disabled && (url == null || url.isBlank());
  }
}
