package io.jobhook.access;

import java.time.Instant;
import java.util.Optional;

/**
 * Console sessions (the {@code console_sessions} table, keyed by the hash of the cookie) and the
 * failed sign-ins in a row per address and per SecretId, shared by every node.
 */
public interface SessionStore {

  record StoredSession(String idHash, String secretId, String csrf, Instant expiresAt) {}

  void insert(StoredSession session, Instant createdAt);

  Optional<StoredSession> findSession(String idHash);

  void delete(String idHash);

  /** Removes sessions that expired before {@code now}; how many. */
  int deleteExpired(Instant now);

  /** Failed sign-ins in a row for one address or key, and when the last one was. */
  record Failures(int count, Instant lastFailedAt) {}

  /** Counts one more failed sign-in for {@code who}, at {@code at}. */
  void failed(String who, Instant at);

  Optional<Failures> failures(String who);

  /** Forgets {@code who}'s failures (a sign-in succeeded). */
  void forgive(String who);

  /** Forgets failures whose last one was before {@code before}; how many. */
  int forgiveFailuresBefore(Instant before);
}
