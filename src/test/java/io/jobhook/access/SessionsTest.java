package io.jobhook.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Sessions on an in-memory store and a clock the test moves. */
class SessionsTest {
  Instant now = Instant.parse("2026-12-02T08:00:00Z");
  final InstantSource clock = () -> now;
  final Store store = new Store();
  final AccessKeys keys =
      new AccessKeys("AKIDadmin", "admin-secret", store, new MasterKey(new byte[32]), store, clock);
  final Sessions sessions = new Sessions(keys, store, clock, Duration.ofHours(8));

  @Test
  void a_session_lasts_its_lifetime_and_ends_with_its_key() {
    var in = (Sessions.SignIn.SignedIn) sessions.signIn("AKIDadmin", "admin-secret", "10.0.0.1");
    assertThat(in.cookie()).hasSizeGreaterThan(40);
    assertThat(store.sessions.keySet()).doesNotContain(in.cookie()).hasSize(1);
    assertThat(sessions.find(in.cookie())).isPresent();
    now = now.plus(Duration.ofHours(8)).plusSeconds(1);
    assertThat(sessions.find(in.cookie())).as("expired").isEmpty();
    assertThat(sessions.sweep()).isEqualTo(1);

    AccessKey scoped = keys.create("AKIDadmin", List.of("a-1"), false, "");
    var second =
        (Sessions.SignIn.SignedIn) sessions.signIn(scoped.secretId(), scoped.secretKey(), "x");
    assertThat(sessions.find(second.cookie())).isPresent();
    keys.revoke("AKIDadmin", scoped.secretId());
    assertThat(sessions.find(second.cookie())).as("its key revoked").isEmpty();
  }

  @Test
  void failed_sign_ins_hold_off_the_address_and_the_key_for_longer_each_time() {
    for (int i = 0; i < Sessions.FREE_FAILURES; i++) {
      assertThat(sessions.signIn("AKIDadmin", "wrong", "10.0.0.9"))
          .isInstanceOf(Sessions.SignIn.Refused.class);
    }
    assertThat(sessions.signIn("AKIDadmin", "admin-secret", "10.0.0.9"))
        .as("right, but held off")
        .isInstanceOf(Sessions.SignIn.HeldOff.class);
    assertThat(sessions.signIn("AKIDadmin", "admin-secret", "10.0.0.10"))
        .as("the key is held off from any address")
        .isInstanceOf(Sessions.SignIn.HeldOff.class);
    var held = (Sessions.SignIn.HeldOff) sessions.signIn("AKIDadmin", "x", "10.0.0.9");
    now = held.until().plusSeconds(1);
    assertThat(sessions.signIn("AKIDadmin", "wrong", "10.0.0.9"))
        .isInstanceOf(Sessions.SignIn.Refused.class);
    var longer = (Sessions.SignIn.HeldOff) sessions.signIn("AKIDadmin", "admin-secret", "10.0.0.9");
    assertThat(Duration.between(now, longer.until())).isGreaterThan(Duration.ofSeconds(2));
    now = longer.until().plusSeconds(1);
    assertThat(sessions.signIn("AKIDadmin", "admin-secret", "10.0.0.9"))
        .isInstanceOf(Sessions.SignIn.SignedIn.class);
  }

  /** The three stores in memory, as the JDBC one holds them in tables. */
  static final class Store implements AccessKeyStore, AuditLog, SessionStore {
    final Map<String, StoredKey> keys = new HashMap<>();
    final Map<String, StoredSession> sessions = new HashMap<>();
    final List<Entry> audit = new ArrayList<>();

    @Override
    public void insert(StoredKey key) {
      keys.put(key.secretId(), key);
    }

    @Override
    public Optional<StoredKey> find(String secretId) {
      return Optional.ofNullable(keys.get(secretId));
    }

    @Override
    public List<StoredKey> list() {
      return List.copyOf(keys.values());
    }

    @Override
    public boolean revoke(String secretId, Instant at) {
      StoredKey k = keys.get(secretId);
      if (k == null || k.revokedAt() != null) {
        return false;
      }
      keys.put(
          secretId,
          new StoredKey(
              k.secretId(),
              k.sealedSecret(),
              k.buckets(),
              k.readOnly(),
              k.description(),
              k.createdAt(),
              k.createdBy(),
              at));
      return true;
    }

    @Override
    public long begin(Instant at, String actor, String action, String bucket, String target) {
      audit.add(new Entry(audit.size() + 1, at, actor, action, bucket, target, Outcome.UNKNOWN));
      return audit.size();
    }

    @Override
    public void settle(long seq, Outcome outcome) {
      Entry e = audit.get((int) seq - 1);
      audit.set(
          (int) seq - 1,
          new Entry(e.seq(), e.at(), e.actor(), e.action(), e.bucket(), e.target(), outcome));
    }

    @Override
    public List<Entry> list(Long beforeSeq, int limit) {
      return audit.reversed().stream().limit(limit).toList();
    }

    @Override
    public void insert(StoredSession session, Instant createdAt) {
      sessions.put(session.idHash(), session);
    }

    @Override
    public Optional<StoredSession> findSession(String idHash) {
      return Optional.ofNullable(sessions.get(idHash));
    }

    @Override
    public void delete(String idHash) {
      sessions.remove(idHash);
    }

    @Override
    public int deleteExpired(Instant at) {
      return removeIf(sessions, s -> s.expiresAt().isBefore(at));
    }

    private static <V> int removeIf(Map<String, V> map, java.util.function.Predicate<V> which) {
      int before = map.size();
      map.values().removeIf(which);
      return before - map.size();
    }

    final Map<String, Failures> failures = new HashMap<>();

    @Override
    public void failed(String who, Instant at) {
      failures.merge(who, new Failures(1, at), (a, b) -> new Failures(a.count() + 1, at));
    }

    @Override
    public Optional<Failures> failures(String who) {
      return Optional.ofNullable(failures.get(who));
    }

    @Override
    public void forgive(String who) {
      failures.remove(who);
    }

    @Override
    public int forgiveFailuresBefore(Instant before) {
      return removeIf(failures, f -> f.lastFailedAt().isBefore(before));
    }
  }
}
