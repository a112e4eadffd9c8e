package io.jobhook.job;

/**
 * The callback settings a job was submitted with (contract §5.1). {@code url} null means "use the
 * queue's NotifyConfig"; {@link #disabled} is CI's {@code CallBack=no}.
 */
public record CallbackRequest(String url, boolean disabled, CallbackFormat format, String type) {
  /** Body format of a callback. */
  public enum CallbackFormat {
    XML,
    JSON
  }
}
