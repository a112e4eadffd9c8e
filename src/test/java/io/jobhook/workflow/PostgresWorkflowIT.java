package io.jobhook.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.qcloud.cos.COSClient;
import io.jobhook.callback.RetryPolicy;
import io.jobhook.config.JobhookConfig;
import io.jobhook.support.TestAudio;
import io.jobhook.support.TestNode;
import io.jobhook.support.TestPostgres;
import io.jobhook.support.Workflows;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes on one PostgreSQL database (sharing the object directory, as the README says they
 * must): uploads to either node start exactly one run each, both workflow engines race for the same
 * events and runs, and every run finishes with both of its chained jobs.
 */
@EnabledIfEnvironmentVariable(named = "JOBHOOK_TEST_PG_URL", matches = "jdbc:postgresql:.*")
class PostgresWorkflowIT {
  static final String BUCKET = "wfpg-1250000000";
  static final int UPLOADS = 20;

  @TempDir Path shared;

  @Test
  void two_nodes_start_one_run_per_upload_and_finish_every_run() throws Exception {
    TestPostgres pg = TestPostgres.empty();
    byte[] audio =
        TestAudio.wav16(
            16000,
            TestAudio.mix(TestAudio.speechLike(16000, 1), TestAudio.whiteNoise(16000, 0.05, 5), 5));
    try (TestNode a = TestNode.start(config(pg));
        TestNode b = TestNode.start(config(pg))) {
      String workflowId =
          Workflows.create(
              a.port(),
              BUCKET,
              Workflows.definition(
                  "wf-pg",
                  "in/",
                  "<Start>First</Start><First>Second</First><Second>End</Second>",
                  "out/${InputName}-${Node}.wav",
                  "First",
                  "Second"));
      for (int i = 0; i < UPLOADS; i++) {
        COSClient sdk = i % 2 == 0 ? a.sdk() : b.sdk();
        Workflows.upload(sdk, BUCKET, "in/take-" + i + ".wav", audio, Map.of());
      }
      Workflows.awaitOneSuccessfulRunPerUpload(
          b.sdk(), a.sdk(), BUCKET, workflowId, UPLOADS, Duration.ofSeconds(60));
      for (int i = 0; i < UPLOADS; i++) {
        assertThat(a.sdk().doesObjectExist(BUCKET, "out/take-" + i + "-Second.wav"))
            .as("take %d", i)
            .isTrue();
      }
    }
  }

  private JobhookConfig config(TestPostgres pg) {
    JobhookConfig base = TestNode.config(shared, RetryPolicy.parse("0s,50ms,100ms"), true, false);
    return base.withStorage(base.storage().withDatabase(pg.url(), pg.user(), pg.password()));
  }
}
