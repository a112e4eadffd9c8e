package io.jobhook.job;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Durable storage of queues. Implementations are thread-safe. */
public interface QueueStore {

  /** The bucket's default queue, created on first use with this MaxConcurrent. */
  Queue defaultQueue(String bucket, Instant now, int maxConcurrent);

  Optional<Queue> find(String bucket, String queueId);

  List<Queue> list(String bucket);

  /** Every bucket that has a queue (every bucket jobs were submitted to), in name order. */
  List<String> buckets();

  void update(Queue queue);
}
