package io.jobhook.workflow;

/** The failures the workflow domain reports to callers; the API maps each to a CI error. */
public sealed class WorkflowsException extends RuntimeException
    permits WorkflowsException.NoSuchWorkflow,
        WorkflowsException.NoSuchRun,
        WorkflowsException.InvalidWorkflow,
        WorkflowsException.NotActive,
        WorkflowsException.NoSuchObject {

  protected WorkflowsException(String message) {
    super(message);
  }

  public static final class NoSuchWorkflow extends WorkflowsException {
    public NoSuchWorkflow(String id) {
      super("workflow " + id + " does not exist");
    }
  }

  public static final class NoSuchRun extends WorkflowsException {
    public NoSuchRun(String id) {
      super("workflow execution " + id + " does not exist");
    }
  }

  /** The definition is not acceptable: malformed topology, unknown node type, bad operation. */
  public static final class InvalidWorkflow extends WorkflowsException {
    public InvalidWorkflow(String message) {
      super(message);
    }
  }

  /** A manual trigger named an object that does not exist. */
  public static final class NoSuchObject extends WorkflowsException {
    public NoSuchObject(String bucket, String key) {
      super("the object " + key + " does not exist in bucket " + bucket);
    }
  }

  /** A paused workflow cannot be triggered. */
  public static final class NotActive extends WorkflowsException {
    public NotActive(String id) {
      super("workflow " + id + " is Paused; activate it first");
    }
  }
}
