package io.jobhook.process.noise;

import io.jobhook.audio.AudioFormatException;
import io.jobhook.audio.PcmAudio;
import io.jobhook.audio.Resampler;

/** Lets benchmark code reuse the production resampler, FFT and decoder (package-private). */
public final class ResamplerAccess {
  private ResamplerAccess() {}

  public static float[] resample(float[] x, int from, int to) {
    return from == to ? x.clone() : Resampler.resample(x, from, to);
  }

  /** In-place forward FFT of a power-of-two length, with the production implementation. */
  public static void fft(double[] re, double[] im) {
    Fft.of(re.length).transform(re, im, false);
  }

  public static PcmAudio decode(byte[] data) throws AudioFormatException {
    return InMemoryAudio.decode(data);
  }
}
