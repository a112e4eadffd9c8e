package io.jobhook.process.noise;

/**
 * In-place iterative radix-2 complex FFT of a fixed power-of-two size, two stages per pass, with
 * precomputed twiddles (stored contiguously per stage, so each stage reads them in order) and a
 * bit-reversal table. Immutable and thread-safe; {@link #of} shares one instance per size.
 */
final class Fft {
  private static final java.util.Map<Integer, Fft> BY_SIZE =
      new java.util.concurrent.ConcurrentHashMap<>();

  static Fft of(int n) {
    return BY_SIZE.computeIfAbsent(n, Fft::new);
  }

  private final int n;

  /** Twiddles of the stage with half-length h at offsets h .. 2h-1. */
  private final double[] cos;

  private final double[] sin;
  private final int[] reversed;

  Fft(int n) {
    if (Integer.bitCount(n) != 1) {
      throw new IllegalArgumentException("FFT size must be a power of two: " + n);
    }
    this.n = n;
    cos = new double[Math.max(2, n)];
    sin = new double[Math.max(2, n)];
    for (int half = 1; half < n; half <<= 1) {
      for (int k = 0; k < half; k++) {
        cos[half + k] = Math.cos(Math.PI * k / half);
        sin[half + k] = Math.sin(Math.PI * k / half);
      }
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

  /**
   * After a forward transform of two real frames packed as {@code re} (frame A) and {@code im}
   * (frame B): their spectra, bins 0 to n/2, which separate exactly by conjugate symmetry, A[k] =
   * (Z[k] + conj Z[n-k]) / 2 and B[k] = (Z[k] - conj Z[n-k]) / 2i.
   */
  static void unpack(
      double[] re, double[] im, double[] aRe, double[] aIm, double[] bRe, double[] bIm) {
    int n = re.length;
    for (int k = 0; k < aRe.length; k++) {
      int m = k == 0 ? 0 : n - k;
      aRe[k] = 0.5 * (re[k] + re[m]);
      aIm[k] = 0.5 * (im[k] - im[m]);
      bRe[k] = 0.5 * (im[k] + im[m]);
      bIm[k] = -0.5 * (re[k] - re[m]);
    }
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
    int half = 1;
    if ((Integer.numberOfTrailingZeros(n) & 1) == 1) {
      for (int a = 0; a + 1 < n; a += 2) { // an odd number of stages: the first alone (twiddle 1)
        double br = re[a + 1];
        double bi = im[a + 1];
        re[a + 1] = re[a] - br;
        im[a + 1] = im[a] - bi;
        re[a] += br;
        im[a] += bi;
      }
      half = 2;
    }
    double sign = inverse ? 1 : -1;
    // Two radix-2 stages per pass over the data (half and 2*half): half the memory traffic.
    // The second stage's twiddle for the upper pair is the lower one's times sign*i: a swap.
    for (; half < n; half <<= 2) {
      int quad = half << 2;
      for (int start = 0; start < n; start += quad) {
        for (int k = 0; k < half; k++) {
          double w1r = cos[half + k];
          double w1i = sign * sin[half + k];
          double w2r = cos[2 * half + k];
          double w2i = sign * sin[2 * half + k];
          int a0 = start + k;
          int a1 = a0 + half;
          int a2 = a1 + half;
          int a3 = a2 + half;
          double tr = re[a1] * w1r - im[a1] * w1i;
          double ti = re[a1] * w1i + im[a1] * w1r;
          double b0r = re[a0] + tr;
          double b0i = im[a0] + ti;
          double b1r = re[a0] - tr;
          double b1i = im[a0] - ti;
          tr = re[a3] * w1r - im[a3] * w1i;
          ti = re[a3] * w1i + im[a3] * w1r;
          double b2r = re[a2] + tr;
          double b2i = im[a2] + ti;
          double b3r = re[a2] - tr;
          double b3i = im[a2] - ti;
          double ur = b2r * w2r - b2i * w2i;
          double ui = b2r * w2i + b2i * w2r;
          re[a0] = b0r + ur;
          im[a0] = b0i + ui;
          re[a2] = b0r - ur;
          im[a2] = b0i - ui;
          double vr = b3r * w2r - b3i * w2i;
          double vi = b3r * w2i + b3i * w2r;
          double sr = -sign * vi; // (sign * i) * v
          double si = sign * vr;
          re[a1] = b1r + sr;
          im[a1] = b1i + si;
          re[a3] = b1r - sr;
          im[a3] = b1i - si;
        }
      }
    }
  }
}
