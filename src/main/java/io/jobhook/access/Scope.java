package io.jobhook.access;

import java.util.List;

/**
 * What a key may touch: every bucket or the listed ones, reads only or reads and writes. Only the
 * administrator's scope manages keys and reads the audit log.
 *
 * @param buckets the buckets the key opens; empty: all of them
 */
public record Scope(boolean administrator, List<String> buckets, boolean readOnly) {
  public static final Scope ADMINISTRATOR = new Scope(true, List.of(), false);

  public Scope {
    buckets = List.copyOf(buckets);
    if (administrator && (!buckets.isEmpty() || readOnly)) {
      throw new IllegalArgumentException("the administrator's scope is every bucket, read-write");
    }
  }

  /** Whether a request to {@code bucket} that writes ({@code write}) or only reads is allowed. */
  public boolean allows(String bucket, boolean write) {
    return (buckets.isEmpty() || buckets.contains(bucket)) && !(write && readOnly);
  }
}
