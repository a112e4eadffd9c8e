package io.jobhook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A long file through the packaged {@code denoise} command under a heap far smaller than the audio:
 * it streams. Twenty minutes of 16 kHz mono is 38 MB of WAV and would need about 400 MB as decoded
 * float and double arrays; it must pass in 48 MB.
 */
class LongAudioIT {
  static final int RATE = 16000;
  static final int SECONDS = 20 * 60;

  @TempDir Path dir;

  @Test
  void twenty_minutes_denoise_and_resample_in_a_48_mb_heap() throws Exception {
    Path in = dir.resolve("long.wav");
    writeNoisyTones(in);
    Path out = dir.resolve("out.wav");
    Process p =
        new ProcessBuilder(
                ProcessHandle.current().info().command().orElse("java"),
                "-Xmx48m",
                "-jar",
                "target/jobhook.jar",
                "denoise",
                in.toString(),
                out.toString(),
                "--sample-rate",
                "8000")
            .redirectErrorStream(true)
            .start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(output).isZero();

    ByteBuffer header =
        ByteBuffer.wrap(Files.readAllBytes(out), 0, 44).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(header.getInt(24)).isEqualTo(8000);
    long frames = Integer.toUnsignedLong(header.getInt(40)) / 2;
    assertThat(frames).isEqualTo((long) SECONDS * 8000);
    assertThat(Files.size(out)).isEqualTo(44 + frames * 2);
    assertThat(List.of(Files.list(dir).toArray())).as("no temp files left").hasSize(2);
  }

  /**
   * A 440 Hz tone switching on and off every second, in white noise, written without holding it.
   */
  private static void writeNoisyTones(Path path) throws Exception {
    long frames = (long) SECONDS * RATE;
    SplittableRandom random = new SplittableRandom(1);
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(path), 1 << 16)) {
      ByteBuffer h = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
      h.put("RIFF".getBytes(StandardCharsets.US_ASCII))
          .putInt((int) (36 + frames * 2))
          .put("WAVEfmt ".getBytes(StandardCharsets.US_ASCII))
          .putInt(16)
          .putShort((short) 1)
          .putShort((short) 1)
          .putInt(RATE)
          .putInt(RATE * 2)
          .putShort((short) 2)
          .putShort((short) 16)
          .put("data".getBytes(StandardCharsets.US_ASCII))
          .putInt((int) (frames * 2));
      out.write(h.array());
      ByteBuffer chunk = ByteBuffer.allocate(2 * RATE).order(ByteOrder.LITTLE_ENDIAN);
      for (long i = 0; i < frames; i++) {
        double tone = (i / RATE) % 2 == 0 ? 0.3 * Math.sin(2 * Math.PI * 440 * i / RATE) : 0;
        chunk.putShort((short) Math.round((tone + 0.05 * (random.nextDouble() * 2 - 1)) * 32767));
        if (!chunk.hasRemaining()) {
          out.write(chunk.array());
          chunk.clear();
        }
      }
    }
  }
}
