package io.jobhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobhook.callback.CallbackMetrics;
import io.jobhook.callback.PendingCallback;
import io.jobhook.config.CallbacksConfig;
import io.jobhook.storage.Database;
import io.jobhook.storage.JdbcCallbackOutbox;
import io.jobhook.storage.JdbcTransactions;
import io.jobhook.support.CallbackReceiver;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The callback dispatcher's loops, on a real database and to a real receiver. */
class CallbackDeliveryTest {
  @TempDir Path dir;

  /**
   * Sends ending wake the next claim only while the last one may have left callbacks due: with the
   * poll an hour away, a wake-up lost anywhere (a claim put off for want of free senders, a claim
   * that left out the saturated destination, one held back after reading past it) leaves the rest
   * of the backlog waiting, and the test times out.
   */
  @Test
  void a_backlog_many_times_the_senders_and_the_destinations_limit_drains_by_wake_ups_alone()
      throws Exception {
    int backlog = 600;
    try (Database db = Database.open("jdbc:sqlite:" + dir.resolve("callbacks.db"), null, null);
        CallbackReceiver receiver = CallbackReceiver.start()) {
      receiver.respond(r -> CallbackReceiver.Reply.status(200).after(Duration.ofMillis(2)));
      var outbox = new JdbcCallbackOutbox(db);
      Instant now = Instant.now();
      new JdbcTransactions(db)
          .inTransaction(
              tx -> {
                for (int i = 0; i < backlog; i++) {
                  outbox.enqueue(
                      tx,
                      PendingCallback.create(
                          "cb-" + i,
                          "job-" + i,
                          "examplebucket-1250000000",
                          "p1",
                          "TaskFinish",
                          receiver.url("/cb"),
                          "application/xml",
                          ("<Response>" + i + "</Response>").getBytes(StandardCharsets.UTF_8),
                          now,
                          now));
                }
                return null;
              });
      CallbacksConfig config =
          CallbacksConfig.builder()
              .allowPrivate(true)
              .claimBatch(64)
              .maxPerDestination(4)
              .outboxPoll(Duration.ofHours(1))
              .build();
      try (var delivery =
          new CallbackDelivery(
              db,
              config,
              InstantSource.system(),
              "node-a",
              Duration.ofSeconds(30),
              CallbackMetrics.NONE)) {
        CallbackReceiver.await(
            Duration.ofSeconds(60),
            "the whole backlog to arrive",
            () -> receiver.received().size() >= backlog);
      }
      assertThat(receiver.received().stream().map(r -> r.header("webhook-id")).distinct())
          .hasSize(backlog);
    }
  }
}
