package io.jobhook.object;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Each bucket's CORS configuration: its rules, in the order they were given. */
public interface CorsStore {
  /** The bucket's rules; empty when it has no configuration. */
  Optional<List<CorsRule>> find(String bucket);

  /** Replaces the bucket's configuration with {@code rules} (not empty). */
  void put(String bucket, List<CorsRule> rules, Instant at);

  /** Removes the bucket's configuration; false when it had none. */
  boolean delete(String bucket);
}
