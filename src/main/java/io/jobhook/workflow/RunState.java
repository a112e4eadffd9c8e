package io.jobhook.workflow;

/** A workflow run's state: Running until every node succeeded or one failed. */
public enum RunState {
  Running,
  Success,
  Failed
}
