package io.jobhook.callback;

/** Body format of a callback: CI's {@code CallBackFormat} and NotifyConfig {@code ResultFormat}. */
public enum CallbackFormat {
  XML,
  JSON
}
