package io.jobhook.e2e;

import static io.jobhook.support.TestNode.BUCKET;
import static org.assertj.core.api.Assertions.assertThat;

import com.qcloud.cos.COSClient;
import io.jobhook.support.CallbackReceiver;
import io.jobhook.support.SdkCalls;
import io.jobhook.support.ServerProcess;
import io.jobhook.support.TestNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node stopped as a service manager stops it (SIGTERM) while a callback is in flight: the
 * callback completes and is logged before the process exits, so the restarted node does not send it
 * again.
 */
class GracefulShutdownIT {
  @TempDir Path dataDir;
  @TempDir Path logs;

  @Test
  void a_callback_in_flight_at_sigterm_completes_and_is_not_sent_again_after_a_restart()
      throws Exception {
    int port = ServerProcess.freePort();
    Path log = logs.resolve("server.log");
    String[] fastRetries = {"--callback-retry-schedule", "0s,100ms,200ms,300ms,500ms"};
    try (CallbackReceiver receiver = CallbackReceiver.start()) {
      AtomicInteger requests = new AtomicInteger();
      // the first request is answered only after the node has been told to stop
      receiver.respond(
          r ->
              requests.incrementAndGet() == 1
                  ? CallbackReceiver.Reply.status(200).after(Duration.ofMillis(1500))
                  : CallbackReceiver.Reply.status(200));
      ServerProcess first = ServerProcess.start(dataDir, port, log, fastRetries);
      COSClient sdk = TestNode.sdkClient(port, TestNode.CREDENTIALS);
      String jobId;
      try {
        jobId =
            SdkCalls.denoiseJobs(
                    sdk, BUCKET, "input/a.wav", 16000, 1, 1, "output/a-", receiver.url("/cb"))
                .getFirst();
      } finally {
        sdk.shutdown();
      }
      CallbackReceiver.await(
          Duration.ofSeconds(30), "the callback in flight", () -> requests.get() == 1);
      first.close(); // SIGTERM, then waits for the process to exit

      try (ServerProcess second = ServerProcess.start(dataDir, port, log, fastRetries)) {
        Thread.sleep(3000); // a callback left pending would be sent again at once
        assertThat(receiver.received()).as("sent once, not again after the restart").hasSize(1);
        assertThat(receiver.received().getFirst().bodyText()).contains(jobId);
        var delivered =
            io.jobhook.support.RawHttp.signed(
                second.port(),
                "GET",
                io.jobhook.support.RawHttp.CI_HOST,
                "/callbacks?jobId=" + jobId,
                null);
        assertThat(delivered.text()).contains("<State>Delivered</State>");
      }
      assertThat(Files.readString(log)).doesNotContain("ERROR");
    }
  }
}
