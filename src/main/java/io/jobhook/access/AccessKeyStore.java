package io.jobhook.access;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Durable storage of access keys, their secrets sealed: the {@code access_keys} table. */
public interface AccessKeyStore {

  /** A stored key: its secret still sealed under the master key. */
  record StoredKey(
      String secretId,
      String sealedSecret,
      List<String> buckets,
      boolean readOnly,
      String description,
      Instant createdAt,
      String createdBy,
      Instant revokedAt) {}

  void insert(StoredKey key);

  Optional<StoredKey> find(String secretId);

  /** Every key, revoked ones included, oldest first. */
  List<StoredKey> list();

  /** Marks the key revoked; false when there is no such key or it was revoked already. */
  boolean revoke(String secretId, Instant at);
}
