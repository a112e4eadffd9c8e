package io.jobhook.process.noise;

import io.jobhook.audio.AudioStream;
import io.jobhook.audio.FloatBlock;
import io.jobhook.audio.PcmAudio;
import java.io.IOException;
import java.util.Arrays;

/**
 * The denoiser told what the noise is, for benchmarks that measure what its own noise estimate
 * costs: the noise spectrum is the mean power spectrum of the noise alone over all its frames, in
 * place of the mean of the input's quietest frames, and without the level track (a mean over the
 * whole input already holds the noise's louder stretches). Everything else is the input's own
 * profile.
 */
public final class KnownNoise {
  private KnownNoise() {}

  /** {@code noisy} (mono) denoised with the mean spectrum of {@code noise}, its noise part. */
  public static float[] denoise(int sampleRate, float[] noisy, float[] noise) {
    try {
      NoiseProfile input = profileOf(sampleRate, noisy);
      // the frames the denoiser takes for this input
      double[] known = meanSpectrum(noise, input.frameSize());
      DenoiseChannel channel =
          new DenoiseChannel(
              input.frameSize(),
              sampleRate,
              known,
              input.mean()[0],
              new float[0],
              // the spectrum told without its level over time: steady unless speech-like
              input.noiseKind()[0] == NoiseKind.SPEECH_LIKE
                  ? NoiseKind.SPEECH_LIKE
                  : NoiseKind.STEADY,
              input.levelSpan());
      FloatBlock out = new FloatBlock();
      channel.push(noisy, 0, noisy.length, out);
      channel.finish(out);
      return Arrays.copyOf(out.data(), out.size());
    } catch (IOException | io.jobhook.audio.AudioFormatException e) {
      throw new IllegalArgumentException("audio cannot be denoised: " + e.getMessage(), e);
    }
  }

  /**
   * The mean power spectrum of every frame of {@code samples} (a frame every n/4 samples, wholly
   * inside, windowed as the denoiser's are): the profile pass's long-term mean samples one frame
   * pair in 32, too few for a noise of clicks.
   */
  static double[] meanSpectrum(float[] samples, int n) {
    Fft fft = Fft.of(n);
    double[] window = SpectralDenoiser.sqrtHann(n);
    double[] re = new double[n];
    double[] im = new double[n];
    double[] sum = new double[n / 2 + 1];
    long frames = 0;
    for (int start = 0; start + n <= samples.length; start += n / 4, frames++) {
      for (int i = 0; i < n; i++) {
        re[i] = samples[start + i] * window[i];
      }
      Arrays.fill(im, 0);
      fft.transform(re, im, false);
      for (int k = 0; k < sum.length; k++) {
        sum[k] += re[k] * re[k] + im[k] * im[k];
      }
    }
    for (int k = 0; k < sum.length; k++) {
      sum[k] /= Math.max(1, frames);
    }
    return sum;
  }

  private static NoiseProfile profileOf(int sampleRate, float[] samples)
      throws IOException, io.jobhook.audio.AudioFormatException {
    PcmAudio audio = new PcmAudio(sampleRate, new float[][] {samples});
    return new SpectralDenoiser().profile(() -> AudioStream.of(audio), fraction -> {});
  }
}
