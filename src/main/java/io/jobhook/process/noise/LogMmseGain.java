package io.jobhook.process.noise;

/**
 * The gain of each frequency bin, frame by frame: the log-spectral-amplitude (log-MMSE) estimator
 * on a decision-directed a-priori SNR (Ephraim-Malah) refined by a second step (TSNR), floored so
 * that the residual noise stays natural instead of "musical". Stateless; the state of a channel
 * (its previous clean power) is the caller's.
 */
final class LogMmseGain {
  private LogMmseGain() {}

  /** Decision-directed smoothing of the a-priori SNR, for noisy input (see {@link #smoothing}). */
  static final double ALPHA = 0.96;

  /**
   * The smoothing for input whose long-term SNR is 10 dB or more; between 7.5 and 10 dB it moves
   * from {@link #ALPHA} to this. With little noise to hide it, the lag of the smoothed estimate at
   * speech onsets is what costs intelligibility, while noisy input keeps the stronger smoothing
   * that wins it its SNR (docs/denoiser-tuning.md).
   */
  static final double ALPHA_CLEAN = 0.93;

  private static final double NOISY_SNR_DB = 7.5;
  private static final double CLEAN_SNR_DB = 10;

  /** Gain floor: -20 dB. */
  private static final double GAIN_FLOOR = 0.1;

  /**
   * Below 100 Hz, under the voice, the floor drops to -40 dB: rumble and brown noise live there and
   * nothing of speech is lost by taking more of them out.
   */
  static final double LOW_FREQUENCY_HZ = 100;

  static final double LOW_FREQUENCY_FLOOR = 0.01;

  /**
   * Long-term SNR of a bin above which its floor rises, and by how many dB per dB (see {@link
   * #cleanBandFloor}).
   */
  private static final double CLEAN_BAND_SNR_DB = 15;

  private static final double CLEAN_BAND_SLOPE = 5;
  private static final double CLEAN_BAND_POWER_RATIO = Math.pow(10, CLEAN_BAND_SNR_DB / 10);

  /** Lower bound of the a-priori SNR, -25 dB. */
  private static final double XI_MIN = Math.pow(10, -25 / 10.0);

  /**
   * The decision-directed smoothing for a channel, from its long-term SNR: the mean power over the
   * whole input against the noise profile's, summed over the bins.
   */
  static double smoothing(double[] meanPower, double[] noisePower) {
    double mean = 0;
    double noise = 0;
    for (int k = 0; k < meanPower.length; k++) {
      mean += meanPower[k];
      noise += noisePower[k];
    }
    double snrDb = 10 * Math.log10(Math.max(mean - noise, 1e-30) / Math.max(noise, 1e-30));
    double towardsClean =
        Math.max(0, Math.min(1, (snrDb - NOISY_SNR_DB) / (CLEAN_SNR_DB - NOISY_SNR_DB)));
    return ALPHA + (ALPHA_CLEAN - ALPHA) * towardsClean;
  }

  /**
   * Where speech stands far above the noise over the whole signal (a long-term SNR above 15 dB in
   * that bin, as between the harmonics of mains hum), the floor rises 5 dB per dB of SNR, to no
   * attenuation at 19 dB: the noise there is masked anyway, and attenuating the quiet parts of
   * speech in an otherwise clean band is what costs intelligibility (docs/denoiser-tuning.md).
   */
  static double cleanBandFloor(double meanPower, double noisePower) {
    if (meanPower <= CLEAN_BAND_POWER_RATIO * noisePower) {
      return GAIN_FLOOR; // most bins: no logarithm needed (per job, for every bin of every channel)
    }
    double snrDb = 10 * Math.log10(Math.max(meanPower, 1e-30) / Math.max(noisePower, 1e-30));
    double floorDb =
        20 * Math.log10(GAIN_FLOOR) + Math.max(0, snrDb - CLEAN_BAND_SNR_DB) * CLEAN_BAND_SLOPE;
    return Math.min(1.0, Math.pow(10, floorDb / 20));
  }

  /**
   * The hop {@link #ALPHA} and {@link #ALPHA_CLEAN} were tuned at (1,024 samples at 44.1 kHz): the
   * smoothing is a recursive average over frames, so at another hop its factor changes to keep the
   * same time constant in seconds (about 0.57 s for noisy input).
   */
  private static final double SMOOTHING_HOP_SECONDS = 1024 / 44100.0;

  /**
   * The decision-directed smoothing per hop of {@code hop} samples, for {@code alpha} at the
   * reference hop.
   */
  static double smoothingPerHop(double alpha, int hop, int sampleRate) {
    return Math.pow(alpha, (double) hop / sampleRate / SMOOTHING_HOP_SECONDS);
  }

  /**
   * Log-MMSE gains of one frame's spectrum with the decision-directed a-priori SNR; updates the
   * previous frame's clean power estimate in place.
   */
  static void gains(
      double[] specRe,
      double[] specIm,
      double[] inverseNoise,
      double inverseLevel,
      double[] prevCleanPower,
      double[] gain,
      boolean firstFrame,
      double[] floor,
      double alpha) {
    for (int k = 0; k < gain.length; k++) {
      double power = specRe[k] * specRe[k] + specIm[k] * specIm[k];
      double inverseNoiseNow = inverseNoise[k] * inverseLevel;
      double gamma = Math.min(power * inverseNoiseNow, 1e6);
      double xi =
          firstFrame
              ? Math.max(gamma - 1, XI_MIN)
              : alpha * prevCleanPower[k] * inverseNoiseNow + (1 - alpha) * Math.max(gamma - 1, 0);
      xi = Math.max(xi, XI_MIN);
      double v = xi / (1 + xi) * gamma;
      double fl = floor[k];
      double g = Math.max(fl, Math.min(1.0, xi / (1 + xi) * lsaFactor(v)));
      // Two-step noise reduction (Plapous, Marro, Scalart 2006): the decision-directed estimate
      // lags a frame behind at speech onsets; re-estimating the a-priori SNR from this frame's
      // own gain removes that lag. A bin at the floor whose power is not above the noise stays
      // there, so the second step skips it.
      if (g > fl || gamma > 1) {
        double xi2 = Math.max(g * g * gamma, XI_MIN);
        double v2 = xi2 / (1 + xi2) * gamma;
        g = Math.max(fl, Math.min(1.0, xi2 / (1 + xi2) * lsaFactor(v2)));
      }
      prevCleanPower[k] = g * g * power;
      gain[k] = g;
    }
  }

  private static final int LSA_TABLE = 2048; // small enough to stay in the L1 cache
  private static final double LSA_HIGH = 50;

  /** exp(E1(v)/2) sampled on [1, 50]: a smooth curve from 1.12 down to 1. */
  private static final double[] LSA_ABOVE_ONE = new double[LSA_TABLE + 2];

  private static final int OCTAVES = 30;
  private static final int PER_OCTAVE = 64;

  /**
   * exp(E1(v)/2) on [2^-30, 1), 64 points per octave: indexed by the bits of v, no log, no
   * division.
   */
  private static final double[] LSA_BELOW_ONE = new double[OCTAVES * PER_OCTAVE + 1];

  static {
    for (int i = 0; i < LSA_TABLE + 2; i++) {
      double v = 1 + (LSA_HIGH - 1) * i / LSA_TABLE;
      LSA_ABOVE_ONE[i] = Math.exp(0.5 * expIntegral(Math.min(v, LSA_HIGH)));
    }
    for (int i = 0; i <= OCTAVES * PER_OCTAVE; i++) {
      double v = Math.scalb(1 + (double) (i % PER_OCTAVE) / PER_OCTAVE, i / PER_OCTAVE - OCTAVES);
      LSA_BELOW_ONE[i] = Math.exp(0.5 * expIntegral(v));
    }
  }

  /**
   * The log-MMSE gain's exp(E1(v)/2), from tables with linear interpolation, as two transcendental
   * calls per bin and frame would be a third of the denoising time. Below 1 the table is indexed by
   * v's exponent and mantissa bits. Relative error below 1e-4.
   */
  static double lsaFactor(double v) {
    if (v >= LSA_HIGH) {
      return 1;
    }
    if (v >= 1) {
      double pos = (v - 1) * (LSA_TABLE / (LSA_HIGH - 1));
      int i = (int) pos;
      double frac = pos - i;
      return LSA_ABOVE_ONE[i] + (LSA_ABOVE_ONE[i + 1] - LSA_ABOVE_ONE[i]) * frac;
    }
    int exponent = Math.getExponent(v);
    if (exponent < -OCTAVES) {
      return 1e6; // the gain is clamped to 1 long before this
    }
    // v = 2^exponent * mantissa, mantissa in [1, 2)
    double mantissa =
        Double.longBitsToDouble(
            (Double.doubleToRawLongBits(v) & 0x000FFFFFFFFFFFFFL) | 0x3FF0000000000000L);
    double pos = (mantissa - 1) * PER_OCTAVE;
    int j = (int) pos;
    int i = (exponent + OCTAVES) * PER_OCTAVE + j;
    return LSA_BELOW_ONE[i] + (LSA_BELOW_ONE[i + 1] - LSA_BELOW_ONE[i]) * (pos - j);
  }

  /** The exponential integral E1(x) for x > 0 (Abramowitz and Stegun 5.1.53 and 5.1.56). */
  static double expIntegral(double x) {
    if (x <= 0) {
      return 50; // E1 diverges at 0; any large value gives the full LSA gain ceiling
    }
    if (x <= 1) {
      return -Math.log(x)
          - 0.57721566
          + x
              * (0.99999193
                  + x * (-0.24991055 + x * (0.05519968 + x * (-0.00976004 + x * 0.00107857))));
    }
    if (x > 50) {
      return 0;
    }
    double num = x * x + 2.334733 * x + 0.250621;
    double den = x * x + 3.330657 * x + 1.681534;
    return num / den * Math.exp(-x) / x;
  }
}
