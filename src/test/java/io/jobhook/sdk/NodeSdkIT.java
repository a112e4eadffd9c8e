package io.jobhook.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobhook.support.NodeSdk;
import io.jobhook.support.TestNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official Node.js SDK, unmodified and pointed at jobhook by its {@code Ip} and {@code
 * Protocol} options, as a second real client: objects, jobs in the Go and Python forms (the {@code
 * Samplerate} spelling, several ids, list filters, {@code ?cancel}, the Pause state), Smart Audio
 * queues, templates, workflows paused and activated without a body and notifying their own
 * NotifyConfig, WorkflowFinish as CI documents it, and a JSON callback it verifies and compares
 * with the seed (src/test/node/sdk-check.js).
 */
class NodeSdkIT {
  @TempDir static Path dataDir;
  static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start(dataDir);
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void the_node_sdk_drives_objects_jobs_queues_workflows_and_callbacks() throws Exception {
    NodeSdk.Run run =
        NodeSdk.run(
            "sdk-check.js",
            Map.of(
                "JOBHOOK_PORT", Integer.toString(node.port()),
                "JOBHOOK_BUCKET", TestNode.BUCKET,
                "JOBHOOK_REGION", TestNode.REGION,
                "JOBHOOK_SECRET_ID", TestNode.CREDENTIALS.secretId(),
                "JOBHOOK_SECRET_KEY", TestNode.CREDENTIALS.secretKey(),
                "JOBHOOK_AUDIO",
                    Path.of("src/test/resources/audio/tone-mono-16k.mp3")
                        .toAbsolutePath()
                        .toString()),
            180);

    assertThat(run.exitCode()).as(run.output()).isZero();
    // every check ran: a script that stopped early cannot pass
    assertThat(run.output().lines().filter(l -> l.startsWith("ok ")).toList())
        .as(run.output())
        .containsExactly(
            List.of(
                    "objects",
                    "multipart-upload",
                    "object-copy",
                    "delete-multiple",
                    "bucket-cors",
                    "list-buckets",
                    "object-tagging",
                    "samplerate",
                    "json-callback",
                    "samplerate-java-spelling",
                    "several-ids",
                    "list-filters",
                    "asrqueue-and-cancel",
                    "templates",
                    "workflow-paused-active",
                    "workflow-run-by-upload",
                    "workflow-notify-config",
                    "workflow-run-by-multipart-upload",
                    "template-delete")
                .stream()
                .map(name -> "ok " + name)
                .toArray(String[]::new));
  }
}
