package io.jobhook.process.noise;

/** Lets benchmark code reuse the production resampler and decoder (package-private). */
public final class ResamplerAccess {
  private ResamplerAccess() {}

  public static float[] resample(float[] x, int from, int to) {
    return from == to ? x.clone() : Resampler.resample(x, from, to);
  }

  public static PcmAudio decode(byte[] data) throws AudioFormatException {
    return NoiseReductionProcessor.decode(data);
  }
}
