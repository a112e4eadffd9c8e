package io.jobhook.job;

import io.jobhook.callback.NotifyConfig;
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
}
