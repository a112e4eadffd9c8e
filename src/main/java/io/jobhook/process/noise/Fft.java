package io.jobhook.process.noise;

import java.util.Arrays;

/**
 * In-place iterative complex FFT of a fixed power-of-two size: a bit-reversal, then radix-4 passes
 * (two radix-2 stages each, three complex multiplications per butterfly), with an odd stage alone
 * first. Twiddles are precomputed, a butterfly's three side by side, each pass's in order.
 * Immutable and thread-safe; {@link #of} shares one instance per size.
 */
final class Fft {
  private static final java.util.Map<Integer, Fft> BY_SIZE =
      new java.util.concurrent.ConcurrentHashMap<>();

  static Fft of(int n) {
    return BY_SIZE.computeIfAbsent(n, Fft::new);
  }

  private final int n;

  /**
   * For the radix-4 pass whose first stage has half-length h, butterfly k's twiddles W^2k, W^k and
   * W^3k (W = e^(-i pi / 2h), the sign applied per direction) as (cos, sin) pairs from 6 (h + k).
   */
  private final double[] twiddles;

  private final int[] reversed;

  Fft(int n) {
    if (Integer.bitCount(n) != 1) {
      throw new IllegalArgumentException("FFT size must be a power of two: " + n);
    }
    this.n = n;
    // the passes' first stages: after the odd stage alone (half 2 on), or after the first pass,
    // whose twiddles are all 1 (half 4 on); the last pass's half is n/4
    twiddles = new double[6 * Math.max(2, n / 2)];
    int first = (Integer.numberOfTrailingZeros(n) & 1) == 1 ? 2 : 4;
    for (int half = first; half < n; half <<= 2) {
      double step = Math.PI / (2 * half);
      for (int k = 0; k < half; k++) {
        int t = 6 * (half + k);
        twiddles[t] = Math.cos(2 * k * step);
        twiddles[t + 1] = Math.sin(2 * k * step);
        twiddles[t + 2] = Math.cos(k * step);
        twiddles[t + 3] = Math.sin(k * step);
        twiddles[t + 4] = Math.cos(3 * k * step);
        twiddles[t + 5] = Math.sin(3 * k * step);
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

  /**
   * After a forward transform of two real frames packed as {@code re} (frame A) and {@code im}
   * (frame B): their power spectra, bins 0 to n/2, as {@link #unpack} separates them.
   */
  static void unpackPowers(double[] re, double[] im, double[] powerA, double[] powerB) {
    int n = re.length;
    for (int k = 0; k < powerA.length; k++) {
      int m = k == 0 ? 0 : n - k;
      double aRe = 0.5 * (re[k] + re[m]);
      double aIm = 0.5 * (im[k] - im[m]);
      double bRe = 0.5 * (im[k] + im[m]);
      double bIm = -0.5 * (re[k] - re[m]);
      powerA[k] = aRe * aRe + aIm * aIm;
      powerB[k] = bRe * bRe + bIm * bIm;
    }
  }

  /**
   * The power spectrum, bins 0 to n/2, of the real frame in {@code re}, transformed alone ({@code
   * im}, zeroed first, and {@code re} are overwritten).
   */
  void powerOfReal(double[] re, double[] im, double[] power) {
    Arrays.fill(im, 0);
    transform(re, im, false);
    for (int k = 0; k < power.length; k++) {
      power[k] = re[k] * re[k] + im[k] * im[k];
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
    if (half == 1 && n >= 4) { // the first radix-4 pass: every twiddle is 1
      for (int a0 = 0; a0 < n; a0 += 4) {
        double b0r = re[a0] + re[a0 + 1];
        double b0i = im[a0] + im[a0 + 1];
        double b1r = re[a0] - re[a0 + 1];
        double b1i = im[a0] - im[a0 + 1];
        double ur = re[a0 + 2] + re[a0 + 3];
        double ui = im[a0 + 2] + im[a0 + 3];
        double vr = re[a0 + 2] - re[a0 + 3];
        double vi = im[a0 + 2] - im[a0 + 3];
        re[a0] = b0r + ur;
        im[a0] = b0i + ui;
        re[a0 + 2] = b0r - ur;
        im[a0 + 2] = b0i - ui;
        double sr = -sign * vi; // (sign * i) * v
        double si = sign * vr;
        re[a0 + 1] = b1r + sr;
        im[a0 + 1] = b1i + si;
        re[a0 + 3] = b1r - sr;
        im[a0 + 3] = b1i - si;
      }
      half = 4;
    }
    // Two radix-2 stages per pass (half and 2*half): half the memory traffic. With inputs x0..x3
    // (a0..a3) and W = e^(sign i pi / 2h): the first stage's pairs take W^2k x1 and W^2k x3, the
    // second's W^k times (x2 + W^2k x3), which is W^k x2 + W^3k x3, and its upper pair the same
    // times sign*i: three multiplications where two stages take four.
    for (; half < n; half <<= 2) {
      int quad = half << 2;
      for (int start = 0; start < n; start += quad) {
        for (int k = 0; k < half; k++) {
          int t = 6 * (half + k);
          double w1r = twiddles[t];
          double w1i = sign * twiddles[t + 1];
          double w2r = twiddles[t + 2];
          double w2i = sign * twiddles[t + 3];
          double w3r = twiddles[t + 4];
          double w3i = sign * twiddles[t + 5];
          int a0 = start + k;
          int a1 = a0 + half;
          int a2 = a1 + half;
          int a3 = a2 + half;
          double c1r = re[a1] * w1r - im[a1] * w1i;
          double c1i = re[a1] * w1i + im[a1] * w1r;
          double c2r = re[a2] * w2r - im[a2] * w2i;
          double c2i = re[a2] * w2i + im[a2] * w2r;
          double c3r = re[a3] * w3r - im[a3] * w3i;
          double c3i = re[a3] * w3i + im[a3] * w3r;
          double b0r = re[a0] + c1r;
          double b0i = im[a0] + c1i;
          double b1r = re[a0] - c1r;
          double b1i = im[a0] - c1i;
          double ur = c2r + c3r;
          double ui = c2i + c3i;
          double vr = c2r - c3r;
          double vi = c2i - c3i;
          re[a0] = b0r + ur;
          im[a0] = b0i + ui;
          re[a2] = b0r - ur;
          im[a2] = b0i - ui;
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
