package io.jobhook.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.qcloud.cos.COSClient;
import io.jobhook.support.ServerProcess;
import io.jobhook.support.TestAudio;
import io.jobhook.support.TestNode;
import io.jobhook.support.Workflows;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 right after uploads were acknowledged, with runs waiting to start and runs in progress:
 * after a restart every upload has exactly one run, and every run finishes.
 */
class WorkflowCrashIT {
  static final String BUCKET = TestNode.BUCKET;
  static final int UPLOADS = 30;

  @TempDir Path dataDir;
  @TempDir Path logs;

  @Test
  void every_acknowledged_upload_gets_exactly_one_run_across_a_crash() throws Exception {
    int port = ServerProcess.freePort();
    Path log = logs.resolve("server.log");
    byte[] audio =
        TestAudio.wav16(
            16000,
            TestAudio.mix(
                TestAudio.speechLike(16000, 2.0), TestAudio.whiteNoise(32000, 0.05, 3), 5.0));
    String workflowId;
    try (ServerProcess first = ServerProcess.start(dataDir, port, log, "--max-running-jobs", "2")) {
      workflowId =
          Workflows.create(
              port,
              BUCKET,
              Workflows.definition(
                  "wf-crash",
                  "in/",
                  "<Start>A</Start><A>B</A><B>End</B>",
                  "out/${InputName}-${Node}.wav",
                  "A",
                  "B"));
      COSClient sdk = TestNode.sdkClient(port, TestNode.CREDENTIALS);
      try {
        for (int i = 0; i < UPLOADS; i++) {
          Workflows.upload(
              sdk, BUCKET, "in/take-" + i + ".wav", audio, Map.of("n", Integer.toString(i)));
        }
        first.killHard(); // the last upload was acknowledged a moment ago
      } finally {
        sdk.shutdown();
      }
    }
    // the kill interrupted work: uploads not yet turned into runs, or runs not yet finished
    assertThat(unfinishedWork()).as("events pending + runs running at the kill").isPositive();

    try (ServerProcess second = ServerProcess.start(dataDir, port, log)) {
      COSClient sdk = TestNode.sdkClient(port, TestNode.CREDENTIALS);
      try {
        Workflows.awaitOneSuccessfulRunPerUpload(
            sdk, sdk, BUCKET, workflowId, UPLOADS, Duration.ofSeconds(120));
        for (int i = 0; i < UPLOADS; i++) {
          assertThat(sdk.doesObjectExist(BUCKET, "out/take-" + i + "-B.wav"))
              .as("output of take %d", i)
              .isTrue();
        }
      } finally {
        sdk.shutdown();
      }
    }
  }

  private long unfinishedWork() throws Exception {
    try (Connection c =
            DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("jobhook.db"));
        ResultSet rs =
            c.createStatement()
                .executeQuery(
                    "SELECT (SELECT COUNT(*) FROM workflow_events)"
                        + " + (SELECT COUNT(*) FROM workflow_runs WHERE state = 'Running')")) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
