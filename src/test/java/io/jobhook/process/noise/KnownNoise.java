package io.jobhook.process.noise;

import io.jobhook.audio.AudioStream;
import io.jobhook.audio.FloatBlock;
import io.jobhook.audio.PcmAudio;
import java.io.IOException;
import java.util.Arrays;

/**
 * The denoiser told what the noise is, for benchmarks that measure what its own noise estimate
 * costs: the noise spectrum is the long-term mean power spectrum of the noise alone (what the
 * profile pass measures of a whole input, here of the noise without the speech), in place of the
 * mean of the input's quietest frames, and without the level track (a mean over the whole input
 * already holds the noise's louder stretches). Everything else is the input's own profile.
 */
public final class KnownNoise {
  private KnownNoise() {}

  /** {@code noisy} (mono) denoised with the mean spectrum of {@code noise}, its noise part. */
  public static float[] denoise(int sampleRate, float[] noisy, float[] noise) {
    try {
      NoiseProfile input = profileOf(sampleRate, noisy);
      double[] known = profileOf(sampleRate, noise).mean()[0];
      DenoiseChannel channel =
          new DenoiseChannel(
              SpectralDenoiser.frameSize(sampleRate),
              sampleRate,
              known,
              input.mean()[0],
              new float[0],
              input.levelSpan());
      FloatBlock out = new FloatBlock();
      channel.push(noisy, 0, noisy.length, out);
      channel.finish(out);
      return Arrays.copyOf(out.data(), out.size());
    } catch (IOException | io.jobhook.audio.AudioFormatException e) {
      throw new IllegalArgumentException("audio cannot be denoised: " + e.getMessage(), e);
    }
  }

  private static NoiseProfile profileOf(int sampleRate, float[] samples)
      throws IOException, io.jobhook.audio.AudioFormatException {
    PcmAudio audio = new PcmAudio(sampleRate, new float[][] {samples});
    return NoiseProfiler.profile(() -> AudioStream.of(audio), fraction -> {});
  }
}
