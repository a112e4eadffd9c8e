package io.jobhook.support;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the input of the build's AOT training run (pom.xml, profile {@code aot-cache}): 30 s of
 * speech-like stereo WAV at 44.1 kHz, white noise at 5 dB on the left and slowly swinging noise on
 * the right, so that the training runs every path of the denoiser long enough for the JIT to
 * profile it (stationary and swinging noise take different branches of the gain).
 */
public final class AotTrainingInput {
  private static final int RATE = 44_100;
  private static final double SECONDS = 30;

  private AotTrainingInput() {}

  public static void main(String[] args) throws Exception {
    Path target = Path.of(args[0]);
    long bytes = 44 + 2L * 2 * (int) (RATE * SECONDS); // the header, two channels of 16 bits
    if (Files.isRegularFile(target) && Files.size(target) == bytes) {
      return; // written by an earlier build: the same every time, and two seconds to make
    }
    float[] speech = TestAudio.speechLike(RATE, SECONDS);
    float[] steady = TestAudio.whiteNoise(speech.length, 0.1, 7);
    float[] swinging = TestAudio.whiteNoise(speech.length, 0.1, 8);
    for (int i = 0; i < swinging.length; i++) {
      swinging[i] *= (float) (1 + 0.8 * Math.sin(2 * Math.PI * 0.3 * i / RATE));
    }
    Files.write(
        target,
        TestAudio.wav16(
            RATE, TestAudio.mix(speech, steady, 5), TestAudio.mix(speech, swinging, 5)));
  }
}
