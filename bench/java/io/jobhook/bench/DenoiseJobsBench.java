package io.jobhook.bench;

import io.jobhook.Jobhook;
import io.jobhook.config.JobhookConfig;
import io.jobhook.support.TestAudio;
import io.jobhook.support.TestNode;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * NoiseReduction jobs in the server: 10-second 44.1 kHz mono files (speech-like sound in white
 * noise at 5 dB), submitted all at once through the signed API, each complete when its callback
 * arrives; for each {@code --max-running-jobs} given, a node of its own, a warm-up, then the
 * measured phase. Prints one {@code max_running=N jobs= ... jobs_per_s=} line per setting (see
 * {@link LoadPhase}).
 *
 * <pre>  DenoiseJobsBench JOBS MAX_RUNNING...</pre>
 */
public final class DenoiseJobsBench {
  public static void main(String[] args) throws Exception {
    int jobs = Integer.parseInt(args[0]);
    System.out.println("cores=" + Runtime.getRuntime().availableProcessors());
    float[] noisy =
        TestAudio.mix(TestAudio.speechLike(44100, 10), TestAudio.whiteNoise(441000, 0.1, 7), 5);
    byte[] wav = TestAudio.wav16(44100, noisy);
    Map<String, Long> called = new ConcurrentHashMap<>();
    try (PipelineBench.Receiver receiver = new PipelineBench.Receiver(called)) {
      String callback = "http://127.0.0.1:" + receiver.port() + "/cb";
      for (int a = 1; a < args.length; a++) {
        int maxRunning = Integer.parseInt(args[a]);
        try (Jobhook node = startNode(maxRunning)) {
          int port = node.port();
          PipelineBench.upload(port, "in/ten-seconds.wav", wav);
          LoadPhase.Connect submitters =
              () -> PipelineBench.submitter(port, callback, "in/ten-seconds.wav");
          LoadPhase.run(Math.max(8, jobs / 2), jobs, 0, submitters, called, null);
          LoadPhase.run(jobs, jobs, 0, submitters, called, "max_running=" + maxRunning);
        }
      }
    }
    System.exit(0);
  }

  static Jobhook startNode(int maxRunning) throws Exception {
    Path dir = ScratchDir.create("jobhook-denoise-jobs");
    JobhookConfig d = JobhookConfig.defaults(dir);
    JobhookConfig config =
        d.withApi(d.api().withAddress("127.0.0.1", 0))
            .withJobs(d.jobs().withConcurrency(maxRunning, 1000))
            .withCallbacks(d.callbacks().toBuilder().allowPrivate(true).build());
    return Jobhook.start(config, TestNode.CREDENTIALS, InstantSource.system());
  }
}
