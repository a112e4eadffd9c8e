package io.jobhook.object;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The buckets in use, as {@code GET Service} lists them. Buckets exist implicitly, from their first
 * use; a node records a bucket's use at most once a {@link #RECORD_EVERY} rather than on every
 * request, so that a bucket deleted through another node reappears within that time once it is used
 * again.
 */
public final class Buckets {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Buckets.class);
  static final Duration RECORD_EVERY = Duration.ofMinutes(1);

  private final BucketStore store;
  private final InstantSource clock;
  private final Map<String, Instant> recorded = new ConcurrentHashMap<>();

  public Buckets(BucketStore store, InstantSource clock) {
    this.store = store;
    this.clock = clock;
  }

  /**
   * A signed request used {@code bucket} through a host of {@code region}. A record that fails (the
   * database unavailable, the disk full) fails no request, reads least of all: the next use tries
   * again.
   */
  public void used(String bucket, String region) {
    Instant now = clock.instant();
    Instant last = recorded.get(bucket);
    if (last == null || !now.isBefore(last.plus(RECORD_EVERY))) {
      try {
        store.used(bucket, region, now);
        recorded.put(bucket, now);
      } catch (RuntimeException e) {
        log.warn("could not record the use of bucket {}: {}", bucket, e.toString());
      }
    }
  }

  /** Every bucket in use, by name; only those of {@code region} unless it is null. */
  public List<BucketStore.Bucket> list(String region) {
    return store.list(region);
  }

  /** A bucket deleted: no longer listed until it is used again. */
  public void forget(String bucket) {
    store.forget(bucket);
    recorded.remove(bucket);
  }
}
