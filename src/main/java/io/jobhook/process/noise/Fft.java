package io.jobhook.process.noise;

/**
 * In-place iterative radix-2 complex FFT of a fixed power-of-two size, with precomputed twiddles
 * and bit-reversal table. Immutable and thread-safe; {@link #of} shares one instance per size.
 */
final class Fft {
  private static final java.util.Map<Integer, Fft> BY_SIZE = new java.util.concurrent.ConcurrentHashMap<>();

  static Fft of(int n) {
    return BY_SIZE.computeIfAbsent(n, Fft::new);
  }

  private final int n;
  private final double[] cos;
  private final double[] sin;
  private final int[] reversed;

  Fft(int n) {
    if (Integer.bitCount(n) != 1) {
      throw new IllegalArgumentException("FFT size must be a power of two: " + n);
    }
    this.n = n;
    cos = new double[n / 2];
    sin = new double[n / 2];
    for (int i = 0; i < n / 2; i++) {
      cos[i] = Math.cos(2 * Math.PI * i / n);
      sin[i] = Math.sin(2 * Math.PI * i / n);
    }
    reversed = new int[n];
    int bits = Integer.numberOfTrailingZeros(n);
    for (int i = 0; i < n; i++) {
      reversed[i] = Integer.reverse(i) >>> (32 - bits);
    }
  }

  int size() {
    return n;
  }

  /** Forward transform (sign -1) or inverse without the 1/n scale (sign +1). */
  void transform(double[] re, double[] im, boolean inverse) {
    for (int i = 0; i < n; i++) {
      int j = reversed[i];
      if (j > i) {
        double t = re[i];
        re[i] = re[j];
        re[j] = t;
        t = im[i];
        im[i] = im[j];
        im[j] = t;
      }
    }
    double sign = inverse ? 1 : -1;
    for (int len = 2; len <= n; len <<= 1) {
      int half = len >> 1;
      int step = n / len;
      for (int start = 0; start < n; start += len) {
        for (int k = 0; k < half; k++) {
          double wr = cos[k * step];
          double wi = sign * sin[k * step];
          int a = start + k;
          int b = a + half;
          double xr = re[b] * wr - im[b] * wi;
          double xi = re[b] * wi + im[b] * wr;
          re[b] = re[a] - xr;
          im[b] = im[a] - xi;
          re[a] += xr;
          im[a] += xi;
        }
      }
    }
  }
}
