package io.jobhook.job;

import java.util.List;

/**
 * Which of a bucket's queues a listing shows: {@code ids} (null for all) and {@code state} (null
 * for both).
 */
public record QueueFilter(List<String> ids, Queue.QueueState state) {

  /** The queues that pass the filter, and the asked-for ids that name no queue. */
  public record Matches(List<Queue> queues, List<String> missingIds) {}
}
