package io.jobhook.object;

import java.time.Instant;
import java.util.List;

/** The buckets in use: each with the region it is used in and when it was first used. */
public interface BucketStore {
  /** A bucket in use. */
  record Bucket(String name, String region, Instant created) {}

  /**
   * Records a use of {@code bucket} through {@code region}'s host: its first use creates it; a
   * region not known yet is filled in; nothing else changes.
   */
  void used(String bucket, String region, Instant at);

  /** Every bucket in use, by name; only those of {@code region} unless it is null. */
  List<Bucket> list(String region);

  /** Forgets a bucket (deleted); false when it was not recorded. */
  boolean forget(String bucket);
}
