package io.jobhook.job;

/** The failures the job domain reports to callers; the API maps each to a CI error. */
public sealed class JobsException extends RuntimeException
    permits JobsException.NoSuchJob,
        JobsException.NoSuchQueue,
        JobsException.InvalidJob,
        JobsException.NotCancelable {

  protected JobsException(String message) {
    super(message);
  }

  /** No job with this id in this bucket. */
  public static final class NoSuchJob extends JobsException {
    public final String jobId;

    public NoSuchJob(String jobId) {
      super("job " + jobId + " does not exist");
      this.jobId = jobId;
    }
  }

  /** No queue with this id in this bucket. */
  public static final class NoSuchQueue extends JobsException {
    public final String queueId;

    public NoSuchQueue(String queueId) {
      super("queue " + queueId + " does not exist");
      this.queueId = queueId;
    }
  }

  /** The job request is not acceptable (unknown tag, bad field). */
  public static final class InvalidJob extends JobsException {
    public InvalidJob(String message) {
      super(message);
    }
  }

  /** Only a job that has not started can be cancelled. */
  public static final class NotCancelable extends JobsException {
    public final String jobId;

    public NotCancelable(String jobId, JobState state) {
      super("job " + jobId + " is " + state + " and can no longer be cancelled");
      this.jobId = jobId;
    }
  }
}
