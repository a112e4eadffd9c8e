package io.jobhook.job;

/**
 * A change to a queue; null fields stay as they are (the SDK sends empty elements for those).
 * {@code maxConcurrent}: how many of its jobs may run at once, 1 to {@link #MAX_CONCURRENT}.
 */
public record QueueUpdate(
    String name,
    Queue.QueueState state,
    String notifyUrl,
    String notifyType,
    String notifyEvent,
    String notifyState,
    String notifyResultFormat,
    Integer maxConcurrent) {
  public static final int MAX_CONCURRENT = 1000;

  public QueueUpdate {
    if (maxConcurrent != null && (maxConcurrent < 1 || maxConcurrent > MAX_CONCURRENT)) {
      throw new JobsException.InvalidJob(
          "MaxConcurrent must be 1 to " + MAX_CONCURRENT + ", not " + maxConcurrent);
    }
  }

  /**
   * MaxConcurrent as a request or a form gives it: null (left as it is) when absent or empty, else
   * an integer, whose range the constructor checks.
   */
  public static Integer maxConcurrent(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return Integer.valueOf(text.trim());
    } catch (NumberFormatException e) {
      throw new JobsException.InvalidJob(
          "MaxConcurrent must be an integer from 1 to " + MAX_CONCURRENT + ", not '" + text + "'");
    }
  }

  /** A change of the state alone. */
  public static QueueUpdate state(Queue.QueueState state) {
    return new QueueUpdate(null, state, null, null, null, null, null, null);
  }
}
