package io.jobhook.workflow;

/** Whether uploads start runs of a workflow (CI: {@code Active} / {@code Paused}). */
public enum WorkflowState {
  Active,
  Paused
}
