package io.jobhook.job;

import java.time.Instant;

/** A CI media queue: jobs of a bucket run through it, at most {@code maxConcurrent} at once. */
public record Queue(
    String id,
    String bucket,
    String name,
    QueueState state,
    int maxSize,
    int maxConcurrent,
    NotifyConfig notifyConfig,
    String category,
    Instant createTime,
    Instant updateTime) {

  /** Queue states as CI spells them. */
  public enum QueueState {
    Active,
    Paused
  }

  /** Queue-level notification (contract §3.6/3.7). {@code state} is On or Off. */
  public record NotifyConfig(String url, String type, String event, String state, String resultFormat) {
    public static final NotifyConfig NONE = new NotifyConfig("", "Url", "TaskFinish", "Off", "XML");

    public boolean notifiesOn(String eventName) {
      if (!"On".equalsIgnoreCase(state) || url == null || url.isBlank()) {
        return false;
      }
      for (String e : event.split(",")) {
        if (e.trim().equalsIgnoreCase(eventName)) {
          return true;
        }
      }
      return false;
    }
  }
}
