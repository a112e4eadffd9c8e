package io.jobhook.support;

/**
 * Objective speech-quality measures against a clean reference: SNR, scale-invariant SDR, segmental
 * SNR and STOI (Taal, Hendriks, Heusdens, Jensen, "An Algorithm for Intelligibility Prediction of
 * Time-Frequency Weighted Noisy Speech", IEEE TASLP 2011), implemented from the published
 * algorithm.
 */
public final class SpeechMetrics {
  private SpeechMetrics() {}

  public static double snr(float[] ref, float[] est) {
    return io.jobhook.support.TestAudio.snrDb(ref, est);
  }

  public static double siSdr(float[] ref, float[] est) {
    int n = Math.min(ref.length, est.length);
    double mr = 0;
    double me = 0;
    for (int i = 0; i < n; i++) {
      mr += ref[i];
      me += est[i];
    }
    mr /= n;
    me /= n;
    double dot = 0;
    double rr = 0;
    for (int i = 0; i < n; i++) {
      dot += (ref[i] - mr) * (est[i] - me);
      rr += (ref[i] - mr) * (ref[i] - mr);
    }
    double alpha = dot / Math.max(rr, 1e-20);
    double target = 0;
    double noise = 0;
    for (int i = 0; i < n; i++) {
      double t = alpha * (ref[i] - mr);
      double d = (est[i] - me) - t;
      target += t * t;
      noise += d * d;
    }
    return 10 * Math.log10(target / Math.max(noise, 1e-20));
  }

  /**
   * Segmental SNR: mean over 30 ms frames of the frame SNR clamped to [-10, 35] dB, silent frames
   * skipped.
   */
  public static double segmentalSnr(float[] ref, float[] est, int rate) {
    int n = Math.min(ref.length, est.length);
    int frame = (int) (0.03 * rate);
    double sum = 0;
    int count = 0;
    double total = 0;
    for (int i = 0; i < n; i++) {
      total += (double) ref[i] * ref[i];
    }
    double silence = total / n * frame * 1e-4; // frames 40 dB below the mean are silence
    for (int start = 0; start + frame <= n; start += frame) {
      double s = 0;
      double e = 0;
      for (int i = start; i < start + frame; i++) {
        s += (double) ref[i] * ref[i];
        double d = est[i] - ref[i];
        e += d * d;
      }
      if (s < silence) {
        continue;
      }
      double v = 10 * Math.log10(s / Math.max(e, 1e-20));
      sum += Math.max(-10, Math.min(35, v));
      count++;
    }
    return count == 0 ? Double.NaN : sum / count;
  }

  // --- STOI --------------------------------------------------------------------------------------

  private static final int FS = 10000;
  private static final int N_FRAME = 256;
  private static final int NFFT = 512;
  private static final int NUM_BANDS = 15;
  private static final double MIN_FREQ = 150;
  private static final int N = 30; // frames per intermediate intelligibility segment
  private static final double BETA = -15; // lower SDR bound, dB
  private static final double DYN_RANGE = 40;

  public static double stoi(float[] ref, float[] est, int rate) {
    int n = Math.min(ref.length, est.length);
    double[] x = resample(java.util.Arrays.copyOf(ref, n), rate, FS);
    double[] y = resample(java.util.Arrays.copyOf(est, n), rate, FS);
    double[][] kept = removeSilentFrames(x, y);
    x = kept[0];
    y = kept[1];
    double[][] obm = thirdOctaveBands();
    double[][] xSpec = stft(x);
    double[][] ySpec = stft(y);
    int frames = xSpec.length;
    if (frames < N) {
      return Double.NaN;
    }
    double[][] xTob = new double[NUM_BANDS][frames];
    double[][] yTob = new double[NUM_BANDS][frames];
    for (int f = 0; f < frames; f++) {
      for (int b = 0; b < NUM_BANDS; b++) {
        double sx = 0;
        double sy = 0;
        for (int k = 0; k < NFFT / 2 + 1; k++) {
          if (obm[b][k] > 0) {
            sx += xSpec[f][k];
            sy += ySpec[f][k];
          }
        }
        xTob[b][f] = Math.sqrt(sx);
        yTob[b][f] = Math.sqrt(sy);
      }
    }
    double clip = Math.pow(10, -BETA / 20);
    double total = 0;
    int count = 0;
    for (int m = N; m <= frames; m++) {
      for (int b = 0; b < NUM_BANDS; b++) {
        double[] xs = java.util.Arrays.copyOfRange(xTob[b], m - N, m);
        double[] ys = java.util.Arrays.copyOfRange(yTob[b], m - N, m);
        double nx = norm(xs);
        double ny = norm(ys);
        double alpha = nx / Math.max(ny, 1e-20);
        for (int i = 0; i < N; i++) {
          ys[i] = Math.min(ys[i] * alpha, xs[i] * (1 + clip));
        }
        total += correlation(xs, ys);
        count++;
      }
    }
    return total / count;
  }

  private static double norm(double[] v) {
    double s = 0;
    for (double d : v) {
      s += d * d;
    }
    return Math.sqrt(s);
  }

  private static double correlation(double[] a, double[] b) {
    double ma = 0;
    double mb = 0;
    for (int i = 0; i < a.length; i++) {
      ma += a[i];
      mb += b[i];
    }
    ma /= a.length;
    mb /= b.length;
    double num = 0;
    double da = 0;
    double db = 0;
    for (int i = 0; i < a.length; i++) {
      num += (a[i] - ma) * (b[i] - mb);
      da += (a[i] - ma) * (a[i] - ma);
      db += (b[i] - mb) * (b[i] - mb);
    }
    return num / Math.max(Math.sqrt(da * db), 1e-20);
  }

  private static double[] hann(int n) {
    // the reference implementation uses hanning(n+2) without its end points
    double[] w = new double[n];
    for (int i = 0; i < n; i++) {
      w[i] = 0.5 - 0.5 * Math.cos(2 * Math.PI * (i + 1) / (n + 1));
    }
    return w;
  }

  private static double[][] removeSilentFrames(double[] x, double[] y) {
    int hop = N_FRAME / 2;
    double[] w = hann(N_FRAME);
    int frames = (x.length - N_FRAME) / hop + 1;
    double[] energy = new double[Math.max(0, frames)];
    double max = -Double.MAX_VALUE;
    for (int f = 0; f < frames; f++) {
      double e = 0;
      for (int i = 0; i < N_FRAME; i++) {
        double v = x[f * hop + i] * w[i];
        e += v * v;
      }
      energy[f] = 20 * Math.log10(Math.sqrt(e) + 1e-20);
      max = Math.max(max, energy[f]);
    }
    java.util.List<Integer> keep = new java.util.ArrayList<>();
    for (int f = 0; f < frames; f++) {
      if (energy[f] > max - DYN_RANGE) {
        keep.add(f);
      }
    }
    int length = (keep.size() - 1) * hop + N_FRAME;
    double[] xo = new double[Math.max(length, 0)];
    double[] yo = new double[Math.max(length, 0)];
    for (int j = 0; j < keep.size(); j++) {
      int src = keep.get(j) * hop;
      int dst = j * hop;
      for (int i = 0; i < N_FRAME; i++) {
        xo[dst + i] += x[src + i] * w[i];
        yo[dst + i] += y[src + i] * w[i];
      }
    }
    return new double[][] {xo, yo};
  }

  /** Power spectra of Hann-windowed 256-sample frames, hop 128, zero-padded to 512. */
  private static double[][] stft(double[] x) {
    int hop = N_FRAME / 2;
    double[] w = hann(N_FRAME);
    int frames = Math.max(0, (x.length - N_FRAME) / hop + 1);
    double[][] out = new double[frames][NFFT / 2 + 1];
    double[] re = new double[NFFT];
    double[] im = new double[NFFT];
    for (int f = 0; f < frames; f++) {
      java.util.Arrays.fill(re, 0);
      java.util.Arrays.fill(im, 0);
      for (int i = 0; i < N_FRAME; i++) {
        re[i] = x[f * hop + i] * w[i];
      }
      fft(re, im);
      for (int k = 0; k <= NFFT / 2; k++) {
        out[f][k] = re[k] * re[k] + im[k] * im[k];
      }
    }
    return out;
  }

  private static double[][] thirdOctaveBands() {
    double[] f = new double[NFFT / 2 + 1];
    for (int k = 0; k < f.length; k++) {
      f[k] = (double) k * FS / NFFT;
    }
    double[][] obm = new double[NUM_BANDS][f.length];
    for (int b = 0; b < NUM_BANDS; b++) {
      double cf = MIN_FREQ * Math.pow(2, b / 3.0);
      double lo = MIN_FREQ * Math.pow(2, (2 * b - 1) / 6.0);
      double hi = MIN_FREQ * Math.pow(2, (2 * b + 1) / 6.0);
      int loIdx = nearest(f, lo);
      int hiIdx = nearest(f, hi);
      for (int k = loIdx; k < hiIdx; k++) {
        obm[b][k] = 1;
      }
      assert cf > 0;
    }
    return obm;
  }

  private static int nearest(double[] f, double v) {
    int best = 0;
    for (int k = 1; k < f.length; k++) {
      if (Math.abs(f[k] - v) < Math.abs(f[best] - v)) {
        best = k;
      }
    }
    return best;
  }

  private static double[] resample(float[] x, int from, int to) {
    float[] y = io.jobhook.process.noise.ResamplerAccess.resample(x, from, to);
    double[] d = new double[y.length];
    for (int i = 0; i < y.length; i++) {
      d[i] = y[i];
    }
    return d;
  }

  private static void fft(double[] re, double[] im) {
    io.jobhook.process.noise.ResamplerAccess.fft(re, im);
  }
}
