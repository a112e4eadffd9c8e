package io.jobhook.process.noise;

/**
 * Band-limited sample-rate conversion: windowed-sinc interpolation (Kaiser window, 32 zero
 * crossings each side) with the cut-off at the lower of the two Nyquist frequencies, so that
 * down-sampling does not alias.
 */
public final class Resampler {
  private static final int HALF_TAPS = 32;
  private static final double KAISER_BETA = 8.6;
  private static final int WINDOW_TABLE = 4096;
  /** Kaiser window sampled over r = 0..1 (distance from centre over half-width). */
  private static final double[] KAISER = kaiserTable();

  private Resampler() {}

  public static PcmAudio resample(PcmAudio in, int targetRate) {
    if (targetRate == in.sampleRate()) {
      return in;
    }
    float[][] out = new float[in.channelCount()][];
    for (int ch = 0; ch < in.channelCount(); ch++) {
      out[ch] = resample(in.channels()[ch], in.sampleRate(), targetRate);
    }
    return new PcmAudio(targetRate, out);
  }

  static float[] resample(float[] x, int fromRate, int toRate) {
    double ratio = (double) toRate / fromRate;
    int outLength = (int) Math.floor(x.length * ratio);
    double cutoff = Math.min(1.0, ratio) * 0.97;
    double halfWidth = HALF_TAPS / cutoff; // in input samples
    float[] y = new float[outLength];
    for (int m = 0; m < outLength; m++) {
      double t = m / ratio;
      int first = (int) Math.ceil(t - halfWidth);
      int last = (int) Math.floor(t + halfWidth);
      double acc = 0;
      for (int k = Math.max(0, first); k <= Math.min(x.length - 1, last); k++) {
        double d = t - k;
        double r = d / halfWidth;
        double w = kaiser(Math.abs(r));
        acc += x[k] * cutoff * sinc(cutoff * d) * w;
      }
      y[m] = (float) acc;
    }
    return y;
  }

  private static double kaiser(double r) {
    double pos = Math.min(r, 1.0) * WINDOW_TABLE;
    int i = (int) pos;
    if (i >= WINDOW_TABLE) {
      return KAISER[WINDOW_TABLE];
    }
    double frac = pos - i;
    return KAISER[i] * (1 - frac) + KAISER[i + 1] * frac;
  }

  private static double[] kaiserTable() {
    double[] table = new double[WINDOW_TABLE + 1];
    double i0Beta = besselI0(KAISER_BETA);
    for (int i = 0; i <= WINDOW_TABLE; i++) {
      double r = (double) i / WINDOW_TABLE;
      table[i] = besselI0(KAISER_BETA * Math.sqrt(Math.max(0, 1 - r * r))) / i0Beta;
    }
    return table;
  }

  private static double sinc(double x) {
    if (Math.abs(x) < 1e-9) {
      return 1;
    }
    double px = Math.PI * x;
    return Math.sin(px) / px;
  }

  private static double besselI0(double x) {
    double sum = 1;
    double term = 1;
    double q = x * x / 4;
    for (int k = 1; k < 50; k++) {
      term *= q / (k * k);
      sum += term;
      if (term < 1e-12 * sum) {
        break;
      }
    }
    return sum;
  }
}
