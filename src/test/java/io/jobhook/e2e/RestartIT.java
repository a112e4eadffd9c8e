package io.jobhook.e2e;

import static io.jobhook.support.TestNode.BUCKET;
import static org.assertj.core.api.Assertions.assertThat;

import com.qcloud.cos.COSClient;
import com.qcloud.cos.model.ciModel.job.MediaJobsRequest;
import io.jobhook.support.CallbackReceiver;
import io.jobhook.support.SdkCalls;
import io.jobhook.support.ServerProcess;
import io.jobhook.support.TestNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kill -9 with jobs queued and running and callbacks pending; after a restart nothing is lost. */
class RestartIT {
  private static final Pattern JOB_ID = Pattern.compile("<JobId>(j[0-9a-f]{32})</JobId>");

  @TempDir Path dataDir;
  @TempDir Path logs;

  @Test
  void every_job_finishes_and_every_callback_arrives_after_kill_minus_9() throws Exception {
    int jobCount = 12;
    int port = ServerProcess.freePort();
    Path log = logs.resolve("server.log");
    try (CallbackReceiver receiver = CallbackReceiver.start()) {
      AtomicBoolean receiverHealthy = new AtomicBoolean(false);
      receiver.answer(() -> receiverHealthy.get() ? 200 : 503);
      List<String> jobIds = new ArrayList<>();

      ServerProcess first =
          ServerProcess.start(
              dataDir,
              port,
              log,
              "--max-running-jobs",
              "2",
              "--callback-retry-schedule",
              "0s,100ms,200ms,300ms,500ms,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s");
      COSClient sdk = TestNode.sdkClient(port, TestNode.CREDENTIALS);
      try {
        jobIds.addAll(
            SdkCalls.denoiseJobs(
                sdk,
                BUCKET,
                "input/long.wav",
                44100,
                90, // long enough that jobs are still running when the first callback arrives
                jobCount,
                "output/long-",
                receiver.url("/cb")));
        // wait until at least one job has finished (its callback is refused: pending) and another
        // runs, as the server reports it: a first callback can lag the jobs' ends, and a kill
        // between a job's end and the next claim would interrupt none
        CallbackReceiver.await(
            Duration.ofSeconds(60),
            "a first callback attempt",
            () -> !receiver.received().isEmpty());
        String queueId = SdkCalls.defaultQueueId(sdk, BUCKET);
        CallbackReceiver.await(
            Duration.ofSeconds(60), "a job running", () -> anyRunning(sdk, queueId));
      } finally {
        first.killHard(); // also when a wait above fails: no server outlives the test
        sdk.shutdown();
      }
      int attemptsBeforeKill = receiver.received().size();
      assertThat(jobIdsIn(receiver)).as("callbacks seen before the kill").hasSizeLessThan(jobCount);

      receiverHealthy.set(true);
      try (ServerProcess second = ServerProcess.start(dataDir, port, log)) {
        CallbackReceiver.await(
            Duration.ofSeconds(120),
            "callbacks for all jobs",
            () -> jobIdsDeliveredOk(receiver, attemptsBeforeKill).containsAll(jobIds));
        COSClient again = TestNode.sdkClient(port, TestNode.CREDENTIALS);
        try {
          for (String id : jobIds) {
            assertThat(again.describeMediaJob(SdkCalls.job(BUCKET, id)).getJobsDetail().getState())
                .as(id)
                .isEqualTo("Success");
          }
        } finally {
          again.shutdown();
        }
      }
      assertThat(jobIdsIn(receiver)).containsExactlyInAnyOrderElementsOf(jobIds);
      // the kill really interrupted work: the second process found leased jobs and callbacks
      assertThat(java.nio.file.Files.readString(log))
          .containsPattern("recovered [1-9]\\d* interrupted job");
    }
  }

  /** Whether the server lists a job of the queue as Running: one list request, filtered. */
  private static boolean anyRunning(COSClient sdk, String queueId) {
    MediaJobsRequest running = new MediaJobsRequest();
    running.setBucketName(BUCKET);
    running.setTag("NoiseReduction");
    running.setQueueId(queueId);
    running.setStates("Running");
    running.setSize(1);
    return !sdk.describeMediaJobs(running).getJobsDetailList().isEmpty();
  }

  private static Set<String> jobIdsIn(CallbackReceiver receiver) {
    Set<String> ids = new HashSet<>();
    for (var r : receiver.received()) {
      Matcher m = JOB_ID.matcher(r.bodyText());
      if (m.find()) {
        ids.add(m.group(1));
      }
    }
    return ids;
  }

  private static Set<String> jobIdsDeliveredOk(CallbackReceiver receiver, int skip) {
    Set<String> ids = new HashSet<>();
    List<CallbackReceiver.Received> all = receiver.received();
    for (var r : all.subList(Math.min(skip, all.size()), all.size())) {
      Matcher m = JOB_ID.matcher(r.bodyText());
      if (m.find()) {
        ids.add(m.group(1));
      }
    }
    return ids;
  }
}
