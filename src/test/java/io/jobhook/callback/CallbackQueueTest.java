package io.jobhook.callback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobhook.engine.Wakeup;
import io.jobhook.storage.Database;
import io.jobhook.storage.JdbcCallbackOutbox;
import io.jobhook.storage.JdbcTransactions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A callback whose destination has a free sender is stored leased and sent as its transaction
 * commits, with no claim: no dispatcher loop runs in these tests, so whatever is sent was handed
 * off.
 */
class CallbackQueueTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final String URL = "http://receiver.example.com:8080/cb";

  @TempDir Path dir;
  private final InstantSource clock = InstantSource.fixed(T0);
  private Database db;
  private JdbcCallbackOutbox outbox;
  private JdbcTransactions transactions;
  private final Wakeup dispatcherWakeup = new Wakeup();
  private final BlockingQueue<String> sent = new LinkedBlockingQueue<>();
  private final CountDownLatch receiverAnswers = new CountDownLatch(1);
  private CallbackDispatcher dispatcher;
  private CallbackQueue queue;

  @BeforeEach
  void open() {
    db = Database.open("jdbc:sqlite:" + dir.resolve("callbacks.db"), null, null);
    outbox = new JdbcCallbackOutbox(db);
    transactions = new JdbcTransactions(db);
    dispatcher =
        new CallbackDispatcher(
            outbox,
            (callback, headers) -> {
              sent.add(callback.id());
              try {
                receiverAnswers.await(10, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return new AttemptResult(
                  new DeliveryOutcome.Delivered(200), "10.0.0.1:8080", Duration.ZERO, null);
            },
            RetryPolicy.DEFAULT,
            new SigningSecrets(
                new SigningSecrets.Store() {
                  @Override
                  public List<SigningSecrets.Secret> active(
                      String bucket, Instant now, String ifNone) {
                    return List.of(new SigningSecrets.Secret(ifNone, now, null));
                  }

                  @Override
                  public void rotate(
                      String bucket, String secret, Instant now, Instant oldExpireAt) {}
                },
                clock),
            new Circuits(clock, 5, Duration.ofSeconds(5), Duration.ofMinutes(5), d -> 64),
            CallbackMetrics.NONE,
            clock,
            "node-a",
            Duration.ofSeconds(30),
            1, // one sender: the second callback finds it busy
            dispatcherWakeup,
            new Wakeup());
    queue = new CallbackQueue(outbox, dispatcherWakeup, dispatcher::reserve);
    dispatcher.runOnce(); // as the dispatcher's loop does at start: nothing is due
  }

  @AfterEach
  void close() {
    receiverAnswers.countDown();
    dispatcher.close();
    db.close();
  }

  private PendingCallback callback(String jobId) {
    return callback(jobId, T0);
  }

  private PendingCallback callback(String jobId, Instant dueAt) {
    return PendingCallback.create(
        "cb-" + jobId,
        jobId,
        "bucket-1250000000",
        "queue",
        "TaskFinish",
        URL,
        "application/xml",
        "<Response/>".getBytes(StandardCharsets.UTF_8),
        T0,
        dueAt);
  }

  @Test
  void a_callback_goes_to_a_free_sender_when_its_transaction_commits_and_waits_when_none_is_free()
      throws Exception {
    // rolled back: nothing sent, and the sender's slot comes back
    assertThatThrownBy(
            () ->
                transactions.inTransaction(
                    tx -> {
                      queue.enqueue(tx, callback("j-rolled-back"));
                      throw new IllegalStateException("the job's final state could not be written");
                    }))
        .isInstanceOf(IllegalStateException.class);
    assertThat(sent.poll(200, TimeUnit.MILLISECONDS)).isNull();
    assertThat(outbox.claimDue("node-b", T0, T0.plusSeconds(60), 10, Set.of())).isEmpty();

    // not due yet (a retry schedule that begins with a wait): stored due, for a claim in time
    transactions.inTransaction(
        tx -> {
          queue.enqueue(tx, callback("j-later", T0.plusSeconds(10)));
          return null;
        });
    assertThat(dispatcherWakeup.await(Duration.ofSeconds(5))).isTrue();
    assertThat(sent.poll(200, TimeUnit.MILLISECONDS)).isNull();
    assertThat(outbox.claimDue("node-b", T0.plusSeconds(10), T0.plusSeconds(60), 10, Set.of()))
        .extracting(PendingCallback::id)
        .containsExactly("cb-j-later");

    transactions.inTransaction(
        tx -> {
          queue.enqueue(tx, callback("j-1"));
          return null;
        });
    assertThat(sent.poll(5, TimeUnit.SECONDS)).as("sent without a claim").isEqualTo("cb-j-1");
    assertThat(outbox.claimDue("node-b", T0, T0.plusSeconds(60), 10, Set.of()))
        .as("leased to the node sending it")
        .isEmpty();
    assertThat(dispatcherWakeup.await(Duration.ZERO)).as("no claim asked for").isFalse();

    // the one sender is busy with j-1: the next callback is stored due, and a claim is asked for
    transactions.inTransaction(
        tx -> {
          queue.enqueue(tx, callback("j-2"));
          return null;
        });
    assertThat(dispatcherWakeup.await(Duration.ofSeconds(5))).isTrue();
    assertThat(outbox.claimDue("node-b", T0, T0.plusSeconds(60), 10, Set.of()))
        .extracting(PendingCallback::id)
        .containsExactly("cb-j-2");
  }
}
