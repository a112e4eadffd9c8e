package io.jobhook.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.jobhook.access.AuditLog.Outcome;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Access keys and their audit entries, on the in-memory store of {@link SessionsTest}. */
class AccessKeysTest {
  final Instant now = Instant.parse("2026-12-02T08:00:00Z");

  @Test
  void key_changes_are_audited_with_how_they_ended() {
    SessionsTest.Store store = new SessionsTest.Store();
    AccessKeys keys = keys(store, store);
    AccessKey key = keys.create("AKIDadmin", List.of("b-1", "a-1"), true, "reports");
    assertThat(keys.revoke("AKIDadmin", key.secretId())).isTrue();
    assertThat(keys.revoke("AKIDadmin", key.secretId())).as("revoked before").isFalse();

    assertThat(store.list(null, 10))
        .extracting(AuditLog.Entry::action, AuditLog.Entry::bucket, AuditLog.Entry::outcome)
        .containsExactly(
            tuple("key.revoke", "*", Outcome.FAILED),
            tuple("key.revoke", "*", Outcome.SUCCEEDED),
            tuple("key.create read-only", "a-1,b-1", Outcome.SUCCEEDED));
  }

  @Test
  void no_change_is_made_when_its_audit_entry_cannot_be_written() {
    SessionsTest.Store store = new SessionsTest.Store();
    AuditLog unwritable =
        new AuditLog() {
          @Override
          public long begin(Instant at, String actor, String action, String bucket, String target) {
            throw new IllegalStateException("the database is down");
          }

          @Override
          public void settle(long seq, Outcome outcome) {
            throw new AssertionError("nothing to settle");
          }

          @Override
          public List<Entry> list(Long beforeSeq, int limit) {
            return List.of();
          }
        };
    AccessKeys keys = keys(store, unwritable);
    assertThatThrownBy(() -> keys.create("AKIDadmin", List.of("a-1"), false, ""))
        .hasMessage("the database is down");
    assertThat(store.keys).as("no key without its audit entry").isEmpty();

    boolean[] made = {false};
    assertThatThrownBy(
            () ->
                keys.audited(
                    "AKIDadmin",
                    "queue Paused",
                    "a-1",
                    "/queue/q1",
                    () -> {
                      made[0] = true;
                      return null;
                    }))
        .hasMessage("the database is down");
    assertThat(made[0]).isFalse();
  }

  @Test
  void a_change_that_throws_is_audited_as_failed_and_its_exception_goes_on() {
    SessionsTest.Store store = new SessionsTest.Store();
    AccessKeys keys = keys(store, store);
    assertThatThrownBy(
            () ->
                keys.audited(
                    "AKIDadmin",
                    "template delete",
                    "a-1",
                    "/template/t1",
                    () -> {
                      throw new java.io.IOException("in use");
                    }))
        .isInstanceOf(java.io.IOException.class)
        .hasMessage("in use");
    assertThat(store.list(null, 1))
        .extracting(AuditLog.Entry::target, AuditLog.Entry::outcome)
        .containsExactly(tuple("/template/t1", Outcome.FAILED));
  }

  private AccessKeys keys(AccessKeyStore store, AuditLog audit) {
    return new AccessKeys(
        "AKIDadmin", "admin-secret", store, new MasterKey(new byte[32]), audit, () -> now);
  }
}
