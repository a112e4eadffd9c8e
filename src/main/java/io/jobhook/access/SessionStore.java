package io.jobhook.access;

import java.time.Instant;
import java.util.Optional;

/** Console sessions: the {@code console_sessions} table, keyed by the hash of the cookie. */
public interface SessionStore {

  record StoredSession(String idHash, String secretId, String csrf, Instant expiresAt) {}

  void insert(StoredSession session, Instant createdAt);

  Optional<StoredSession> findSession(String idHash);

  void delete(String idHash);

  /** Removes sessions that expired before {@code now}; how many. */
  int deleteExpired(Instant now);
}
