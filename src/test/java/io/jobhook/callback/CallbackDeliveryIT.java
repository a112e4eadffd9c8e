package io.jobhook.callback;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobhook.support.CallbackReceiver;
import io.jobhook.support.RawHttp;
import io.jobhook.support.TestNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Delivery through failing and missing receivers: retried with the same id and bytes, never lost.
 */
class CallbackDeliveryIT {
  @TempDir static Path dataDir;
  static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    node =
        TestNode.start(
            dataDir,
            RetryPolicy.parse("0s,50ms,100ms,200ms,400ms,800ms,800ms,800ms,800ms,800ms,800ms"));
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void a_receiver_failing_three_times_gets_the_same_callback_on_the_fourth_attempt()
      throws Exception {
    try (CallbackReceiver receiver = CallbackReceiver.start()) {
      AtomicInteger calls = new AtomicInteger();
      receiver.answer(() -> calls.incrementAndGet() <= 3 ? 500 : 200);
      String jobId = submit(receiver.url("/flaky"));
      CallbackReceiver.await(
          Duration.ofSeconds(20), "four attempts", () -> receiver.received().size() >= 4);
      Thread.sleep(1200);
      List<CallbackReceiver.Received> attempts = receiver.received();
      assertThat(attempts).hasSize(4);
      assertThat(attempts)
          .extracting(r -> r.header("webhook-id"))
          .containsOnly(attempts.getFirst().header("webhook-id"));
      assertThat(attempts)
          .allSatisfy(r -> assertThat(r.body()).isEqualTo(attempts.getFirst().body()));
      assertThat(attempts.getFirst().bodyText()).contains("<JobId>" + jobId + "</JobId>");
    }
  }

  @Test
  void a_receiver_that_is_down_for_a_while_gets_the_callback_when_it_is_back() throws Exception {
    int port;
    try (CallbackReceiver probe = CallbackReceiver.start()) {
      port = probe.port();
    }
    String url = "http://127.0.0.1:" + port + "/later";
    String jobId = submit(url);
    Thread.sleep(1000); // several attempts meet a closed port
    try (CallbackReceiver back = CallbackReceiver.startOn(port)) {
      CallbackReceiver.await(
          Duration.ofSeconds(20),
          "delivery after the receiver returns",
          () -> back.received().stream().anyMatch(r -> r.bodyText().contains(jobId)));
    }
  }

  @Test
  void a_slow_receiver_does_not_hold_up_another_one() throws Exception {
    try (CallbackReceiver slow = CallbackReceiver.start();
        CallbackReceiver fast = CallbackReceiver.start()) {
      slow.answer(
          () -> {
            try {
              Thread.sleep(3000);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return 200;
          });
      for (int i = 0; i < 3; i++) {
        submit(slow.url("/slow"));
      }
      String fastJob = submit(fast.url("/fast"));
      CallbackReceiver.await(
          Duration.ofSeconds(2),
          "the fast receiver's callback",
          () -> fast.received().stream().anyMatch(r -> r.bodyText().contains(fastJob)));
    }
  }

  private static String submit(String callback) throws Exception {
    return RawHttp.jobId(
        RawHttp.signed(
            node.port(),
            "POST",
            RawHttp.CI_HOST,
            "/jobs",
            RawHttp.missingInputJob(callback, null)));
  }
}
