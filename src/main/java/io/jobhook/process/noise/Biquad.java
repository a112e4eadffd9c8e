package io.jobhook.process.noise;

/**
 * A second-order Butterworth filter (Q = 1/sqrt(2)), high-pass or low-pass, for the frame energies
 * the noise profile judges frames by (the audio itself is never filtered). Both kinds have b2 = b0.
 * Keeps its state from one call to the next; not thread-safe.
 */
final class Biquad {
  private final double b0;
  private final double b1;
  private final double a1;
  private final double a2;
  private double x1;
  private double x2;
  private double y1;
  private double y2;

  private Biquad(double b0, double b1, double a1, double a2) {
    this.b0 = b0;
    this.b1 = b1;
    this.a1 = a1;
    this.a2 = a2;
  }

  /** Passes what lies above {@code cutoffHz} (at most a quarter of the sample rate). */
  static Biquad highPass(double cutoffHz, int sampleRate) {
    double w0 = 2 * Math.PI * Math.min(cutoffHz, sampleRate / 4.0) / sampleRate;
    double alpha = Math.sin(w0) / Math.sqrt(2);
    double a0 = 1 + alpha;
    double b0 = (1 + Math.cos(w0)) / 2 / a0;
    return new Biquad(b0, -2 * b0, -2 * Math.cos(w0) / a0, (1 - alpha) / a0);
  }

  /** Passes what lies below {@code cutoffHz} (at most a quarter of the sample rate). */
  static Biquad lowPass(double cutoffHz, int sampleRate) {
    double w0 = 2 * Math.PI * Math.min(cutoffHz, sampleRate / 4.0) / sampleRate;
    double alpha = Math.sin(w0) / Math.sqrt(2);
    double a0 = 1 + alpha;
    double b0 = (1 - Math.cos(w0)) / 2 / a0;
    return new Biquad(b0, 2 * b0, -2 * Math.cos(w0) / a0, (1 - alpha) / a0);
  }

  /**
   * {@code length} samples of {@code x} from {@code from}, filtered, into {@code y} from {@code
   * to}.
   */
  void filter(float[] x, int from, float[] y, int to, int length) {
    for (int i = 0; i < length; i++) {
      y[to + i] = (float) next(x[from + i]);
    }
  }

  private double next(double in) {
    double out = b0 * (in + x2) + b1 * x1 - a1 * y1 - a2 * y2;
    x2 = x1;
    x1 = in;
    y2 = y1;
    y1 = out;
    return out;
  }
}
