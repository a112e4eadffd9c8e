package io.jobhook.callback;

/**
 * A queue's notification settings (contract §3.6/3.7): where the callbacks of its jobs and workflow
 * runs go when they name no CallBack of their own. {@code state} is On or Off; {@code event} a
 * comma-separated list of {@link CallbackEvent} names.
 */
public record NotifyConfig(
    String url, String type, String event, String state, String resultFormat) {
  public static final NotifyConfig NONE = new NotifyConfig("", "Url", "TaskFinish", "Off", "XML");

  public boolean notifiesOn(CallbackEvent callbackEvent) {
    if (!"On".equalsIgnoreCase(state) || url == null || url.isBlank()) {
      return false;
    }
    for (String e : event.split(",")) {
      if (e.trim().equalsIgnoreCase(callbackEvent.name())) {
        return true;
      }
    }
    return false;
  }
}
