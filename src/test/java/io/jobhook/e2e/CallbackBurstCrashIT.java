package io.jobhook.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobhook.support.CallbackReceiver;
import io.jobhook.support.RawHttp;
import io.jobhook.support.ServerProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 in the middle of a burst of 2,000 callbacks: after a restart every one arrives,
 * duplicates carry known ids.
 */
class CallbackBurstCrashIT {
  private static final int CALLBACKS = 2000;
  private static final Pattern JOB_ID = Pattern.compile("<JobId>(j[0-9a-f]{32})</JobId>");

  @TempDir Path dataDir;
  @TempDir Path logs;

  @Test
  void every_callback_arrives_at_least_once_and_duplicates_repeat_an_id() throws Exception {
    int port = ServerProcess.freePort();
    Path log = logs.resolve("server.log");
    Set<String> jobIds = ConcurrentHashMap.newKeySet();
    try (CallbackReceiver receiver = CallbackReceiver.start()) {
      // held answers until all jobs are in, then a little time per callback: the burst is in flight
      // at the kill
      var gate = new java.util.concurrent.CountDownLatch(1);
      receiver.respond(
          r -> {
            try {
              gate.await(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return CallbackReceiver.Reply.status(200).after(Duration.ofMillis(2));
          });
      ServerProcess first =
          ServerProcess.start(
              dataDir, port, log, "--callback-retry-schedule", "0s,100ms,200ms,500ms,1s");
      try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
        List<Future<?>> submits = new java.util.ArrayList<>();
        java.util.concurrent.atomic.AtomicInteger left =
            new java.util.concurrent.atomic.AtomicInteger(CALLBACKS);
        for (int t = 0; t < 8; t++) {
          submits.add(
              pool.submit(
                  () -> {
                    while (left.getAndDecrement() > 0) {
                      jobIds.add(submit(port, receiver.url("/burst")));
                    }
                    return null;
                  }));
        }
        for (Future<?> f : submits) {
          f.get();
        }
      }
      gate.countDown();
      CallbackReceiver.await(
          Duration.ofSeconds(120), "part of the burst", () -> receiver.received().size() >= 400);
      first.killHard();
      int beforeRestart = receiver.received().size();
      assertThat(beforeRestart).as("the kill came during the burst").isLessThan(jobIds.size());
      try (ServerProcess second = ServerProcess.start(dataDir, port, log)) {
        CallbackReceiver.await(
            Duration.ofSeconds(180),
            "a callback for every job",
            () -> jobIdsIn(receiver.received()).containsAll(jobIds));
      }
      Map<String, String> jobByCallbackId = new HashMap<>();
      Map<String, byte[]> bodyByCallbackId = new HashMap<>();
      for (CallbackReceiver.Received r : receiver.received()) {
        String callbackId = r.header("webhook-id");
        Matcher m = JOB_ID.matcher(r.bodyText());
        assertThat(m.find()).isTrue();
        String previous = jobByCallbackId.putIfAbsent(callbackId, m.group(1));
        if (previous != null) {
          assertThat(previous).as("a duplicate repeats its job").isEqualTo(m.group(1));
          assertThat(r.body())
              .as("a duplicate repeats its bytes")
              .isEqualTo(bodyByCallbackId.get(callbackId));
        }
        bodyByCallbackId.putIfAbsent(callbackId, r.body());
      }
      assertThat(jobIds).hasSize(CALLBACKS);
      assertThat(Set.copyOf(jobByCallbackId.values())).containsAll(jobIds);
      assertThat(jobByCallbackId)
          .as("one callback id per job")
          .hasSameSizeAs(Set.copyOf(jobByCallbackId.values()));
    }
  }

  private static String submit(int port, String callback) throws Exception {
    return RawHttp.jobId(
        RawHttp.signed(
            port, "POST", RawHttp.CI_HOST, "/jobs", RawHttp.missingInputJob(callback, null)));
  }

  private static Set<String> jobIdsIn(List<CallbackReceiver.Received> received) {
    Set<String> ids = new java.util.HashSet<>();
    for (var r : received) {
      Matcher m = JOB_ID.matcher(r.bodyText());
      if (m.find()) {
        ids.add(m.group(1));
      }
    }
    return ids;
  }
}
