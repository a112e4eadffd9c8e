package io.jobhook.job;

import static io.jobhook.support.TestNode.BUCKET;
import static org.assertj.core.api.Assertions.assertThat;

import com.qcloud.cos.model.ObjectMetadata;
import com.qcloud.cos.model.ciModel.job.MediaJobObject;
import io.jobhook.callback.RetryPolicy;
import io.jobhook.config.JobhookConfig;
import io.jobhook.support.CallbackReceiver;
import io.jobhook.support.SdkCalls;
import io.jobhook.support.TestAudio;
import io.jobhook.support.TestNode;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jobs held back by their queue's MaxConcurrent start when a running job of the queue ends, not at
 * the next poll: workers skip claims when the last one left nothing waiting, and this is the case
 * where it did (a job waits, but only for a running one to end).
 */
class QueueLimitIT {
  /** Far longer than the test may take: a job that waited for a poll would fail it. */
  private static final Duration POLL = Duration.ofMinutes(2);

  @TempDir Path dataDir;

  @Test
  void jobs_held_back_by_their_queue_limit_start_as_the_running_ones_end_not_at_the_next_poll()
      throws Exception {
    JobhookConfig d = TestNode.config(dataDir, RetryPolicy.parse("0s"), true, false);
    JobhookConfig oneAtATime = d.withJobs(d.jobs().withConcurrency(4, 1).withPollInterval(POLL));
    try (TestNode node = TestNode.start(oneAtATime);
        CallbackReceiver receiver = CallbackReceiver.start()) {
      byte[] wav =
          TestAudio.wav16(
              16000,
              TestAudio.mix(
                  TestAudio.speechLike(16000, 2), TestAudio.whiteNoise(32000, 0.1, 4), 5));
      ObjectMetadata meta = new ObjectMetadata();
      meta.setContentLength(wav.length);
      node.sdk().putObject(BUCKET, "in/speech.wav", new ByteArrayInputStream(wav), meta);
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        var request = SdkCalls.noiseReduction(BUCKET, "in/speech.wav", "out/" + i + ".wav");
        request.setCallBack(receiver.url("/cb"));
        ids.add(node.sdk().createMediaJobs(request).getJobsDetail().getJobId());
      }

      CallbackReceiver.await(
          Duration.ofSeconds(60),
          "a callback for each of the 4 jobs",
          () -> receiver.received().size() >= 4);

      List<MediaJobObject> done =
          ids.stream()
              .map(id -> node.sdk().describeMediaJob(SdkCalls.job(BUCKET, id)).getJobsDetail())
              .toList();
      assertThat(done).extracting(MediaJobObject::getState).containsOnly("Success");
      for (int i = 1; i < done.size(); i++) {
        // one at a time (MaxConcurrent 1): each started when (in the same second as, or after) the
        // one before ended
        assertThat(done.get(i).getStartTime())
            .as("job %d starts after job %d ends", i, i - 1)
            .isGreaterThanOrEqualTo(done.get(i - 1).getEndTime());
      }
    }
  }
}
