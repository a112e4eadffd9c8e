package io.jobhook.e2e;

import static io.jobhook.support.RawHttp.CI_HOST;
import static org.assertj.core.api.Assertions.assertThat;

import io.jobhook.support.CallbackReceiver;
import io.jobhook.support.RawHttp;
import io.jobhook.support.ServerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve --retain-jobs}: a job that ended longer ago than the limit is deleted by the node's
 * retention pass; one whose callback is still in the delivery log is kept.
 */
class JobRetentionIT {
  @TempDir Path dataDir;
  @TempDir Path logs;

  @Test
  void a_job_ended_longer_ago_than_the_limit_is_deleted_unless_its_callback_is_still_logged()
      throws Exception {
    int port = ServerProcess.freePort();
    Path log = logs.resolve("server.log");
    String old;
    String notified;
    try (CallbackReceiver receiver = CallbackReceiver.start();
        ServerProcess first = ServerProcess.start(dataDir, port, log)) {
      old = RawHttp.jobId(submit(port, null));
      notified = RawHttp.jobId(submit(port, receiver.url("/cb")));
      CallbackReceiver.await(
          Duration.ofSeconds(30),
          "both jobs to end and the callback to arrive",
          () -> ended(port, old) && ended(port, notified) && !receiver.received().isEmpty());
    }
    Thread.sleep(2_100);

    // the pass runs as the node starts: both jobs ended more than 2s ago
    try (ServerProcess second = ServerProcess.start(dataDir, port, log, "--retain-jobs", "2s")) {
      CallbackReceiver.await(
          Duration.ofSeconds(30), "the old job to be deleted", () -> describe(port, old) == 404);
      assertThat(describe(port, notified))
          .as("its delivered callback stays in the log for --retain-delivered (7d)")
          .isEqualTo(200);
      assertThat(Files.readString(log))
          .contains(
              "deleted 1 job(s) and 0 workflow run(s) with their jobs, ended more than 2s ago");
      assertThat(RawHttp.metrics(port))
          .contains("jobhook_retention_jobs_deleted_total 1.0")
          .contains("jobhook_retention_runs_deleted_total 0.0")
          .contains("jobhook_retention_callbacks_deleted_total 0.0");
    }
  }

  private static RawHttp.Response submit(int port, String callback) throws Exception {
    return RawHttp.signed(port, "POST", CI_HOST, "/jobs", RawHttp.missingInputJob(callback, null));
  }

  private static boolean ended(int port, String jobId) {
    return RawHttp.uncheckedText(port, "/jobs/" + jobId).contains("<State>Failed</State>");
  }

  private static int describe(int port, String jobId) {
    try {
      return RawHttp.signed(port, "GET", CI_HOST, "/jobs/" + jobId, null).status();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
