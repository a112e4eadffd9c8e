package io.jobhook.callback;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The per-bucket secrets that sign callbacks: created on first use, retrievable, rotatable with a
 * grace period during which the old secret still signs too. Reads are cached briefly so that
 * delivery does not hit the database per attempt. Thread-safe.
 */
public final class SigningSecrets {
  private static final Duration CACHE_FOR = Duration.ofSeconds(5);

  /** Durable storage of secrets. */
  public interface Store {
    /**
     * The bucket's secrets that have not expired at {@code now}, newest first; creates one if none.
     */
    List<Secret> active(String bucket, Instant now, String secretIfNone);

    /** Adds {@code secret} and lets every other active secret expire at {@code oldExpireAt}. */
    void rotate(String bucket, String secret, Instant now, Instant oldExpireAt);
  }

  /** One secret and when it stops signing (null: never). */
  public record Secret(String value, Instant createdAt, Instant expiresAt) {}

  private record Cached(List<Secret> secrets, List<String> values, Instant until) {}

  private final Store store;
  private final InstantSource clock;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  public SigningSecrets(Store store, InstantSource clock) {
    this.store = store;
    this.clock = clock;
  }

  public List<Secret> active(String bucket) {
    return cached(bucket).secrets();
  }

  /** The values that sign a callback of this bucket now. */
  public List<String> activeValues(String bucket) {
    return cached(bucket).values();
  }

  private Cached cached(String bucket) {
    Instant now = clock.instant();
    Cached cached = cache.get(bucket);
    if (cached != null && cached.until().isAfter(now)) {
      return cached;
    }
    List<Secret> secrets = store.active(bucket, now, WebhookSigner.newSecret());
    // cache until the next refresh, or until the first secret expires, whichever comes first
    Instant until = now.plus(CACHE_FOR);
    for (Secret s : secrets) {
      if (s.expiresAt() != null && s.expiresAt().isBefore(until)) {
        until = s.expiresAt();
      }
    }
    Cached fresh = new Cached(secrets, secrets.stream().map(Secret::value).toList(), until);
    cache.put(bucket, fresh);
    return fresh;
  }

  /** Creates a new secret; the current ones keep signing for {@code grace}. */
  public List<Secret> rotate(String bucket, Duration grace) {
    Instant now = clock.instant();
    active(bucket); // make sure there is something to rotate from
    store.rotate(bucket, WebhookSigner.newSecret(), now, now.plus(grace));
    cache.remove(bucket);
    return active(bucket);
  }
}
