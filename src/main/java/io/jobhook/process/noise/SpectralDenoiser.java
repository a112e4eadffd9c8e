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
    float[][] out = new float[in.channelCount()][];
    for (int ch = 0; ch < in.channelCount(); ch++) {
      final int channel = ch;
      out[ch] = denoiseChannel(in.channels()[ch], n, f -> progress.done((channel + f) / in.channelCount()));
    }
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
    Fft fft = new Fft(n);
    double[] re = new double[n];
    double[] im = new double[n];

    double[] noise = noiseProfile(x, n, hop, frames, window, fft, re, im);

    double[] prevCleanPower = new double[bins];
    double[] y = new double[padded + n];
    double[] power = new double[bins];
    for (int f = 0; f < frames; f++) {
      int start = f * hop;
      loadFrame(x, start - n, window, re, im);
      fft.transform(re, im, false);
      for (int k = 0; k < bins; k++) {
        power[k] = re[k] * re[k] + im[k] * im[k];
        double noiseK = Math.max(noise[k], 1e-20);
        double gamma = Math.min(power[k] / noiseK, 1e6);
        double xi = f == 0
            ? Math.max(gamma - 1, XI_MIN)
            : ALPHA * prevCleanPower[k] / noiseK + (1 - ALPHA) * Math.max(gamma - 1, 0);
        xi = Math.max(xi, XI_MIN);
        double v = xi / (1 + xi) * gamma;
        double gain = xi / (1 + xi) * Math.exp(0.5 * expIntegral(v));
        gain = Math.max(GAIN_FLOOR, Math.min(1.0, gain));
        prevCleanPower[k] = gain * gain * power[k];
        re[k] *= gain;
        im[k] *= gain;
        if (k > 0 && k < n / 2) {
          re[n - k] = re[k];
          im[n - k] = -im[k];
        }
      }
      fft.transform(re, im, true);
      for (int i = 0; i < n; i++) {
        y[start + i] += re[i] / n * window[i] / overlapGain;
      }
      if ((f & 255) == 0) {
        progress.done((double) f / frames);
      }
    }
    float[] out = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      out[i] = (float) y[i + n];
    }
    return out;
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
