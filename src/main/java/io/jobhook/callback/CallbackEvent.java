package io.jobhook.callback;

/**
 * The events that send callbacks, spelled as CI's {@code EventName} and NotifyConfig {@code Event}.
 */
public enum CallbackEvent {
  /** A job ended: Success, Failed or Cancel. */
  TaskFinish,
  /** A workflow run ended. */
  WorkflowFinish
}
