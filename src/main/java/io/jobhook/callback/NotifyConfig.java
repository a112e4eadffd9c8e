package io.jobhook.callback;

/**
 * A queue's or workflow's notification settings (contract §3.6/3.7, §10.3): where the callbacks of
 * its jobs and runs go when they name no CallBack of their own. {@code state} is On or Off; {@code
 * event} a comma-separated list of {@link CallbackEvent} names; {@code type} Url (an HTTP URL) or
 * Kafka (then {@code url} is a {@link KafkaTarget#url()}).
 */
public record NotifyConfig(
    String url, String type, String event, String state, String resultFormat) {
  public static final NotifyConfig NONE = new NotifyConfig("", "Url", "TaskFinish", "Off", "XML");

  /**
   * Whether it sends callbacks of this event: On, with a target, over a transport jobhook has
   * ({@code Url}; {@code Kafka}, whose target is a {@link KafkaTarget#url()}).
   */
  public boolean notifiesOn(CallbackEvent callbackEvent) {
    if (!"On".equalsIgnoreCase(state) || url == null || url.isBlank()) {
      return false;
    }
    if (!"Url".equalsIgnoreCase(type) && !"Kafka".equalsIgnoreCase(type)) {
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
