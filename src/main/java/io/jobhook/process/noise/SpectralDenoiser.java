package io.jobhook.process.noise;

import java.util.Arrays;

/**
 * Stationary-noise reduction by short-time spectral gain: an STFT of about 32 ms frames with 75%
 * overlap (Hann analysis and synthesis windows, overlap-add), a noise power spectrum taken from the
 * quietest frames of the whole signal, a decision-directed a-priori SNR estimate (Ephraim-Malah)
 * and the log-spectral-amplitude (log-MMSE) gain, floored so that the residual noise stays
 * natural instead of "musical". Channels are processed independently.
 */
public final class SpectralDenoiser {
  /** Decision-directed smoothing of the a-priori SNR. */
  private static final double ALPHA = 0.98;
  /** Gain floor: -20 dB. */
  private static final double GAIN_FLOOR = 0.1;
  /** Lower bound of the a-priori SNR, -25 dB. */
  private static final double XI_MIN = Math.pow(10, -25 / 10.0);
  /** Share of frames, the quietest ones, that define the noise profile. */
  private static final double NOISE_FRAME_SHARE = 0.1;

  /** Receives the share of work done, 0.0 to 1.0. */
  @FunctionalInterface
  public interface Progress {
    void done(double fraction);
  }

  public PcmAudio denoise(PcmAudio in, Progress progress) {
    int n = frameSize(in.sampleRate());
    int channels = in.channelCount();
    float[][] out = new float[channels][];
    // Channels are independent: run them on the cores there are (progress follows channel 0).
    java.util.stream.IntStream.range(0, channels).parallel().forEach(ch ->
        out[ch] = denoiseChannel(in.channels()[ch], n, ch == 0 ? progress : f -> { }));
    return new PcmAudio(in.sampleRate(), out);
  }

  static int frameSize(int sampleRate) {
    int target = (int) Math.round(sampleRate * 0.032);
    return Math.max(64, Integer.highestOneBit(Math.max(1, target - 1)) << 1);
  }

  private float[] denoiseChannel(float[] x, int n, Progress progress) {
    int hop = n / 4;
    int bins = n / 2 + 1;
    double[] window = new double[n];
    for (int i = 0; i < n; i++) {
      window[i] = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / n); // periodic Hann
    }
    double overlapGain = 0;
    for (int i = 0; i < n; i += hop) {
      overlapGain += window[i] * window[i];
    }
    // pad so that every sample is covered by a full set of overlapping frames
    int padded = x.length + 2 * n;
    int frames = (padded - n) / hop + 1;
    Fft fft = Fft.of(n);
    double[] re = new double[n];
    double[] im = new double[n];

    double[] noise = noiseProfile(x, n, hop, frames, window, fft, re, im);

    double[] prevCleanPower = new double[bins];
    double[] y = new double[padded + n];
    double[] gainA = new double[bins];
    double[] gainB = new double[bins];
    double[] aRe = new double[bins];
    double[] aIm = new double[bins];
    double[] bRe = new double[bins];
    double[] bIm = new double[bins];
    boolean first = true;
    // Two real frames per complex FFT: frame f in the real part, frame f+1 in the imaginary part.
    // Their spectra separate exactly by conjugate symmetry, and since the gains are real and
    // symmetric, one inverse FFT returns both enhanced frames (real and imaginary parts).
    for (int f = 0; f < frames; f += 2) {
      int startA = f * hop;
      int startB = startA + hop;
      boolean hasB = f + 1 < frames;
      for (int i = 0; i < n; i++) {
        int ia = startA - n + i;
        int ib = startB - n + i;
        re[i] = ia >= 0 && ia < x.length ? x[ia] * window[i] : 0;
        im[i] = hasB && ib >= 0 && ib < x.length ? x[ib] * window[i] : 0;
      }
      fft.transform(re, im, false);
      for (int k = 0; k < bins; k++) {
        int m = (n - k) % n;
        aRe[k] = 0.5 * (re[k] + re[m]);
        aIm[k] = 0.5 * (im[k] - im[m]);
        bRe[k] = 0.5 * (im[k] + im[m]);
        bIm[k] = -0.5 * (re[k] - re[m]);
      }
      gains(aRe, aIm, noise, prevCleanPower, gainA, first);
      first = false;
      if (hasB) {
        gains(bRe, bIm, noise, prevCleanPower, gainB, false);
      }
      for (int k = 0; k < bins; k++) {
        double gb = hasB ? gainB[k] : 0;
        // Y[k] = gA*A[k] + i*gB*B[k]; the bins above n/2 follow from A and B being real signals' spectra
        double yaRe = gainA[k] * aRe[k];
        double yaIm = gainA[k] * aIm[k];
        double ybRe = gb * bRe[k];
        double ybIm = gb * bIm[k];
        re[k] = yaRe - ybIm;
        im[k] = yaIm + ybRe;
        if (k > 0 && k < n / 2) {
          re[n - k] = yaRe + ybIm;
          im[n - k] = -yaIm + ybRe;
        }
      }
      fft.transform(re, im, true);
      for (int i = 0; i < n; i++) {
        double w = window[i] / (n * overlapGain);
        y[startA + i] += re[i] * w;
        if (hasB) {
          y[startB + i] += im[i] * w;
        }
      }
      if ((f & 254) == 0) {
        progress.done((double) f / frames);
      }
    }
    float[] out = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      out[i] = (float) y[i + n];
    }
    return out;
  }

  /**
   * Log-MMSE gains of one frame's spectrum with the decision-directed a-priori SNR; updates the
   * previous frame's clean power estimate in place.
   */
  private static void gains(double[] specRe, double[] specIm, double[] noise, double[] prevCleanPower,
      double[] gain, boolean firstFrame) {
    for (int k = 0; k < gain.length; k++) {
      double power = specRe[k] * specRe[k] + specIm[k] * specIm[k];
      double noiseK = Math.max(noise[k], 1e-20);
      double gamma = Math.min(power / noiseK, 1e6);
      double xi = firstFrame
          ? Math.max(gamma - 1, XI_MIN)
          : ALPHA * prevCleanPower[k] / noiseK + (1 - ALPHA) * Math.max(gamma - 1, 0);
      xi = Math.max(xi, XI_MIN);
      double v = xi / (1 + xi) * gamma;
      double g = xi / (1 + xi) * Math.exp(0.5 * expIntegral(v));
      g = Math.max(GAIN_FLOOR, Math.min(1.0, g));
      prevCleanPower[k] = g * g * power;
      gain[k] = g;
    }
  }

  /** Mean power spectrum of the quietest frames (by time-domain energy). */
  private static double[] noiseProfile(float[] x, int n, int hop, int frames, double[] window,
      Fft fft, double[] re, double[] im) {
    double[] energy = new double[frames];
    for (int f = 0; f < frames; f++) {
      int from = f * hop - n;
      double e = 0;
      int covered = 0;
      for (int i = 0; i < n; i++) {
        int idx = from + i;
        if (idx >= 0 && idx < x.length) {
          e += x[idx] * x[idx];
          covered++;
        }
      }
      // frames that hang over the padding are not representative of the noise
      energy[f] = covered == n ? e : Double.MAX_VALUE;
    }
    Integer[] order = new Integer[frames];
    for (int i = 0; i < frames; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(energy[a], energy[b]));
    int full = (int) Arrays.stream(energy).filter(e -> e != Double.MAX_VALUE).count();
    int take = Math.max(1, (int) Math.round(full * NOISE_FRAME_SHARE));
    int bins = n / 2 + 1;
    double[] noise = new double[bins];
    int used = 0;
    for (int i = 0; i < frames && used < take; i++) {
      int f = order[i];
      loadFrame(x, f * hop - n, window, re, im);
      fft.transform(re, im, false);
      for (int k = 0; k < bins; k++) {
        noise[k] += re[k] * re[k] + im[k] * im[k];
      }
      used++;
    }
    for (int k = 0; k < bins; k++) {
      noise[k] /= Math.max(1, used);
    }
    return noise;
  }

  private static void loadFrame(float[] x, int from, double[] window, double[] re, double[] im) {
    for (int i = 0; i < re.length; i++) {
      int idx = from + i;
      re[i] = idx >= 0 && idx < x.length ? x[idx] * window[i] : 0;
      im[i] = 0;
    }
  }

  /** The exponential integral E1(x) for x > 0 (Abramowitz and Stegun 5.1.53 and 5.1.56). */
  static double expIntegral(double x) {
    if (x <= 0) {
      return 50; // E1 diverges at 0; any large value gives the full LSA gain ceiling
    }
    if (x <= 1) {
      return -Math.log(x) - 0.57721566 + x * (0.99999193 + x * (-0.24991055 + x * (0.05519968
          + x * (-0.00976004 + x * 0.00107857))));
    }
    if (x > 50) {
      return 0;
    }
    double num = x * x + 2.334733 * x + 0.250621;
    double den = x * x + 3.330657 * x + 1.681534;
    return num / den * Math.exp(-x) / x;
  }
}
