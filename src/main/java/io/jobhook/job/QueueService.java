package io.jobhook.job;

import io.jobhook.callback.NotifyConfig;
import io.jobhook.engine.Wakeup;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Queues of a bucket: the default queue that every bucket has, listing, and updates. Thread-safe.
 */
public final class QueueService {
  private final QueueStore store;
  private final InstantSource clock;
  private final int defaultMaxConcurrent;
  private final Wakeup workers;
  private final Map<String, String> defaultQueueIds = new ConcurrentHashMap<>();

  /**
   * {@code defaultMaxConcurrent}: MaxConcurrent of the default queues this service creates; {@code
   * workers} is signalled when a queue is resumed (its jobs may start now).
   */
  public QueueService(
      QueueStore store, InstantSource clock, int defaultMaxConcurrent, Wakeup workers) {
    this.store = store;
    this.clock = clock;
    this.defaultMaxConcurrent = defaultMaxConcurrent;
    this.workers = workers;
  }

  /** Makes sure the bucket has its default queue; cheap after the first call per bucket. */
  public void touchBucket(String bucket) {
    defaultQueueId(bucket);
  }

  /**
   * The id of the bucket's default queue, creating the queue on first use; ids never change, so it
   * is looked up once per bucket.
   */
  public String defaultQueueId(String bucket) {
    return defaultQueueIds.computeIfAbsent(
        bucket, b -> store.defaultQueue(b, clock.instant(), defaultMaxConcurrent).id());
  }

  public Queue get(String bucket, String queueId) {
    touchBucket(bucket);
    return store.find(bucket, queueId).orElseThrow(() -> new JobsException.NoSuchQueue(queueId));
  }

  public Optional<Queue> find(String bucket, String queueId) {
    return store.find(bucket, queueId);
  }

  /**
   * The bucket's queues that pass {@code filter}. A bucket holds its default queue only, so the
   * filter runs over the whole list rather than in the store.
   */
  /** Every bucket that has a queue, in name order. */
  public List<String> buckets() {
    return store.buckets();
  }

  public QueueFilter.Matches list(String bucket, QueueFilter filter) {
    touchBucket(bucket);
    List<Queue> all = store.list(bucket);
    List<Queue> matching =
        all.stream()
            .filter(q -> filter.ids() == null || filter.ids().contains(q.id()))
            .filter(q -> filter.state() == null || q.state() == filter.state())
            .toList();
    List<String> missing =
        filter.ids() == null
            ? List.of()
            : filter.ids().stream()
                .filter(id -> all.stream().noneMatch(q -> q.id().equals(id)))
                .toList();
    return new QueueFilter.Matches(matching, missing);
  }

  public Queue update(String bucket, String queueId, QueueUpdate update) {
    Queue q = get(bucket, queueId);
    NotifyConfig n = q.notifyConfig();
    NotifyConfig notify =
        new NotifyConfig(
            or(update.notifyUrl(), n.url()),
            or(update.notifyType(), n.type()),
            or(update.notifyEvent(), n.event()),
            or(update.notifyState(), n.state()),
            or(update.notifyResultFormat(), n.resultFormat()));
    Queue updated =
        new Queue(
            q.id(),
            q.bucket(),
            or(update.name(), q.name()),
            update.state() == null ? q.state() : update.state(),
            q.maxSize(),
            update.maxConcurrent() == null ? q.maxConcurrent() : update.maxConcurrent(),
            notify,
            q.category(),
            q.createTime(),
            clock.instant());
    store.update(updated);
    if (updated.state() == Queue.QueueState.Active) { // a resumed or wider queue has work to give
      workers.signal();
    }
    return updated;
  }

  private static String or(String value, String fallback) {
    return value == null || value.isEmpty() ? fallback : value;
  }
}
