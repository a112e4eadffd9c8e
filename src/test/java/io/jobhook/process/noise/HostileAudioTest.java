package io.jobhook.process.noise;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobhook.audio.AudioFormatException;
import io.jobhook.support.TestAudio;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * Damaged and hostile audio through the processor's own path: inputs mutated at random (bytes set,
 * runs of 0xFF, cuts), mostly in the headers, from valid WAV (16-bit stereo, 24-bit, float, 64-bit
 * float) and MP3 files. Each one either denoises or fails with one of the job's input codes, in
 * bounded time; nothing else escapes (a NaN sample once did, as an ArrayIndexOutOfBoundsException).
 */
class HostileAudioTest {
  private static final int INPUTS = 400;
  private static final List<String> INPUT_CODES =
      List.of("InvalidInputFormat", "InputDecodeFailed");

  @Test
  void mutated_inputs_denoise_or_fail_with_an_input_code_and_never_hang() throws Exception {
    float[] tone = NoiseReductionTest.sine(440, 0.5, 8000, 0.3);
    List<byte[]> seeds =
        List.of(
            TestAudio.wav16(8000, tone, tone),
            TestAudio.wav(8000, 24, false, tone),
            TestAudio.wav(8000, 32, true, tone),
            TestAudio.wav(8000, 64, true, tone),
            NoiseReductionTest.resource("/audio/tone-mono-16k.mp3"),
            NoiseReductionTest.resource("/audio/tone-stereo-44k.mp3"));
    SplittableRandom random = new SplittableRandom(20261201);
    ExecutorService worker = Executors.newSingleThreadExecutor();
    int denoised = 0;
    int refused = 0;
    try {
      for (int i = 0; i < INPUTS; i++) {
        byte[] input = mutate(seeds.get(random.nextInt(seeds.size())), random);
        Future<String> outcome =
            worker.submit(
                () -> {
                  try {
                    InMemoryAudio.denoise(input, null, new ByteArrayOutputStream(), f -> {});
                    return null;
                  } catch (AudioFormatException e) {
                    return e.code;
                  }
                });
        String code;
        try {
          code = outcome.get(Duration.ofSeconds(20).toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
          throw new AssertionError(
              "hangs on input " + HexFormat.of().formatHex(input, 0, Math.min(64, input.length)),
              e);
        } catch (java.util.concurrent.ExecutionException e) {
          throw new AssertionError(
              "input "
                  + i
                  + " escaped with "
                  + e.getCause()
                  + "; it begins "
                  + HexFormat.of().formatHex(input, 0, Math.min(64, input.length)),
              e.getCause());
        }
        if (code == null) {
          denoised++;
        } else {
          assertThat(code).isIn(INPUT_CODES);
          refused++;
        }
      }
    } finally {
      worker.shutdownNow();
    }
    // both outcomes occur, so the mutations neither always break nor always spare the input
    assertThat(denoised).isPositive();
    assertThat(refused).isPositive();
  }

  /**
   * One to eight mutations, half of them in the first 64 bytes (the WAV header, the first MP3
   * frame's).
   */
  private static byte[] mutate(byte[] seed, SplittableRandom random) {
    byte[] d = seed.clone();
    for (int m = 1 + random.nextInt(8); m > 0; m--) {
      int at = random.nextInt(Math.min(d.length, random.nextBoolean() ? 64 : d.length));
      switch (random.nextInt(4)) {
        case 0 -> d[at] = (byte) random.nextInt(256);
        case 1 -> d[at] = (byte) (random.nextBoolean() ? 0xFF : 0);
        case 2 -> d = Arrays.copyOf(d, Math.max(1, at));
        default -> Arrays.fill(d, at, Math.min(d.length, at + 4), (byte) 0xFF);
      }
    }
    return d;
  }
}
