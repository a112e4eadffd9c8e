package io.jobhook.callback;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobhook.engine.Transaction;
import io.jobhook.engine.Wakeup;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class CallbackDispatcherTest {
  static final String SATURATED = "http://saturated.example:80";

  final InstantSource clock = InstantSource.system();
  final Circuits circuits =
      new Circuits(clock, 5, Duration.ofSeconds(5), Duration.ofMinutes(5), destination -> 1);

  /**
   * An outbox whose every claim finds nothing, and whose claims past a blocked destination take 20
   * ms, as reading past a long backlog of that destination's due callbacks does.
   */
  final class BacklogOutbox implements CallbackOutbox {
    final List<Set<String>> claims = new CopyOnWriteArrayList<>();

    @Override
    public List<PendingCallback> claimDue(
        String owner, Instant now, Instant leaseUntil, int limit, Set<String> blocked) {
      claims.add(Set.copyOf(blocked));
      if (!blocked.isEmpty()) {
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return List.of();
    }

    long pastBlocked() {
      return claims.stream().filter(b -> !b.isEmpty()).count();
    }

    @Override
    public void enqueue(Transaction tx, PendingCallback callback) {}

    @Override
    public java.util.Optional<PendingCallback> enqueueLeased(
        Transaction tx, PendingCallback callback, String owner, Instant leaseUntil) {
      return java.util.Optional.empty();
    }

    @Override
    public void recordAttempts(List<AttemptRecord> attempts) {}

    @Override
    public void release(List<PendingCallback> callbacks) {}

    @Override
    public int releaseAllLeases() {
      return 0;
    }

    @Override
    public int releaseLeasesOf(String owner) {
      return 0;
    }
  }

  final BacklogOutbox outbox = new BacklogOutbox();

  CallbackDispatcher dispatcher() {
    SigningSecrets.Store noSecrets =
        new SigningSecrets.Store() {
          @Override
          public List<SigningSecrets.Secret> active(String bucket, Instant now, String ifNone) {
            return List.of(new SigningSecrets.Secret(ifNone, now, null));
          }

          @Override
          public void rotate(String bucket, String secret, Instant now, Instant oldExpireAt) {}
        };
    return new CallbackDispatcher(
        outbox,
        (callback, headers) -> {
          throw new AssertionError("nothing is due");
        },
        RetryPolicy.DEFAULT,
        new SigningSecrets(noSecrets, clock),
        circuits,
        CallbackMetrics.NONE,
        clock,
        "node-a",
        Duration.ofSeconds(30),
        64,
        new Wakeup(),
        new Wakeup());
  }

  @Test
  void claims_past_a_saturated_destination_are_spaced_out_and_resume_at_once_when_it_frees() {
    assertThat(circuits.tryStart(SATURATED)).isEqualTo(Circuits.Admission.STARTED);
    assertThat(circuits.blocked()).containsExactly(SATURATED);
    try (CallbackDispatcher dispatcher = dispatcher()) {
      long until = System.nanoTime() + Duration.ofMillis(300).toNanos();
      int calls = 0;
      while (System.nanoTime() < until) {
        dispatcher.runOnce();
        calls++;
      }
      // unthrottled, each call would claim: 15 claims of 20 ms in 300 ms
      assertThat(calls).isGreaterThan(5);
      assertThat(outbox.pastBlocked())
          .as("each claim past the backlog is followed by nine times its length without one")
          .isBetween(1L, 3L);

      circuits.finished(SATURATED, true);
      int before = outbox.claims.size();
      dispatcher.runOnce();
      assertThat(outbox.claims).hasSize(before + 1);
      assertThat(outbox.claims.getLast()).as("nothing blocked: no hold").isEmpty();
    }
  }
}
