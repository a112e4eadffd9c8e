package io.jobhook.e2e;

import static io.jobhook.support.TestNode.BUCKET;
import static org.assertj.core.api.Assertions.assertThat;

import com.qcloud.cos.COSClient;
import com.qcloud.cos.model.ObjectMetadata;
import com.qcloud.cos.model.ciModel.job.MediaJobObject;
import io.jobhook.support.SdkCalls;
import io.jobhook.support.TestAudio;
import io.jobhook.support.TestNode;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A long NoiseReduction job reports Progress between 0 and 100 while it runs, as a user polling
 * sees it.
 */
class ProgressIT {
  @TempDir Path dataDir;

  @Test
  void progress_advances_while_a_long_job_runs() throws Exception {
    int rate = 44100;
    // five seconds of speech-like sound (slow to synthesize) repeated: five minutes
    float[] phrase = TestAudio.speechLike(rate, 5);
    float[] speech = new float[phrase.length * 60];
    for (int i = 0; i < 60; i++) {
      System.arraycopy(phrase, 0, speech, i * phrase.length, phrase.length);
    }
    float[] noisy = TestAudio.mix(speech, TestAudio.whiteNoise(speech.length, 0.05, 8), 5);
    byte[] wav = TestAudio.wav16(rate, noisy);
    try (TestNode node = TestNode.start(dataDir)) {
      COSClient sdk = node.sdk();
      ObjectMetadata meta = new ObjectMetadata();
      meta.setContentLength(wav.length);
      sdk.putObject(BUCKET, "input/long.wav", new ByteArrayInputStream(wav), meta);
      String jobId =
          sdk.createMediaJobs(SdkCalls.noiseReduction(BUCKET, "input/long.wav", "output/long.wav"))
              .getJobsDetail()
              .getJobId();

      List<Integer> runningProgress = new ArrayList<>();
      String state;
      long deadline = System.nanoTime() + 120_000_000_000L;
      do {
        MediaJobObject job = sdk.describeMediaJob(SdkCalls.job(BUCKET, jobId)).getJobsDetail();
        state = job.getState();
        if (state.equals("Running")) {
          runningProgress.add(Integer.parseInt(job.getProgress()));
        }
        Thread.sleep(20);
      } while (!state.equals("Success") && !state.equals("Failed") && System.nanoTime() < deadline);

      assertThat(state).isEqualTo("Success");
      assertThat(sdk.describeMediaJob(SdkCalls.job(BUCKET, jobId)).getJobsDetail().getProgress())
          .isEqualTo("100");
      assertThat(runningProgress).as("Progress seen while Running").isSorted();
      assertThat(runningProgress.stream().filter(p -> p > 0 && p < 100).distinct().count())
          .as("distinct values between 0 and 100 while Running: %s", runningProgress)
          .isGreaterThanOrEqualTo(2);
    }
  }
}
