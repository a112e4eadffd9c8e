package io.jobhook.process.noise;

import java.util.Arrays;

/**
 * The gain of each frequency bin, frame by frame: the log-spectral-amplitude (log-MMSE) estimator
 * on a decision-directed a-priori SNR (Ephraim-Malah) refined by a second step (TSNR), floored so
 * that the residual noise stays natural instead of "musical". One per channel, which it follows
 * frame by frame (the previous frame's clean power); not thread-safe.
 */
final class LogMmseGain {
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
   * #cleanBandFloor}); for stationary noise from a higher SNR on.
   */
  private static final double CLEAN_BAND_SNR_DB = 15;

  private static final double CLEAN_BAND_SNR_DB_STATIONARY = 19;
  private static final double CLEAN_BAND_SLOPE = 5;
  private static final double CLEAN_BAND_POWER_RATIO = Math.pow(10, CLEAN_BAND_SNR_DB / 10);
  private static final double CLEAN_BAND_POWER_RATIO_STATIONARY =
      Math.pow(10, CLEAN_BAND_SNR_DB_STATIONARY / 10);

  /**
   * A band at the top of the spectrum that holds no signal at all (the input's content stops below
   * it) is taken down to -30 dB with a constant gain: there is nothing in it to keep, and the
   * estimator's gain, left to itself, lifts a bin above the floor wherever the noise happens to
   * peak (docs/denoiser-tuning.md). Only above 8 kHz: below, speech's long-term power can lie under
   * the noise's and still be worth keeping (the voice under brown noise, fricatives in a noisy 16
   * kHz recording).
   */
  static final double EMPTY_BAND_GAIN = Math.pow(10, -30 / 20.0);

  private static final double EMPTY_BAND_FROM_HZ = 8000;

  /**
   * A band holds no signal where the long-term mean power, over a window of 1 kHz either side (2
   * kHz below the top of the spectrum), is below 1.1 times the noise's: the two estimates, from
   * different frames, differ by a few percent in pure noise, and any signal of its own lifts the
   * mean above the noise.
   */
  private static final double EMPTY_BAND_WINDOW_HZ = 1000;

  private static final double EMPTY_BAND_POWER_RATIO = 1.1;

  /**
   * The first bin of the band at the top of the spectrum that holds no signal (see {@link
   * #EMPTY_BAND_GAIN}); {@code meanPower.length} when there is none. {@code meanLevel} is the
   * noise's mean level over the input relative to {@code noisePower}, {@code n} the frame size.
   */
  static int emptyTopFrom(
      double[] meanPower, double[] noisePower, double meanLevel, int sampleRate, int n) {
    int bins = meanPower.length;
    double[] meanSum = new double[bins + 1];
    double[] noiseSum = new double[bins + 1];
    for (int k = 0; k < bins; k++) {
      meanSum[k + 1] = meanSum[k] + meanPower[k];
      noiseSum[k + 1] = noiseSum[k] + noisePower[k];
    }
    int half = (int) Math.round(EMPTY_BAND_WINDOW_HZ * n / sampleRate);
    int lowest = (int) Math.ceil(EMPTY_BAND_FROM_HZ * n / sampleRate);
    int from = bins;
    while (from - 1 >= lowest) {
      int k = from - 1;
      // near the top the window keeps its width, shifted down: half a window's estimate of pure
      // noise strays past the ratio now and then, and one such window ends the band
      int hi = Math.min(bins, k + half + 1);
      int lo = Math.max(0, hi - (2 * half + 1));
      double mean = meanSum[hi] - meanSum[lo];
      double noise = (noiseSum[hi] - noiseSum[lo]) * meanLevel;
      if (!(mean < EMPTY_BAND_POWER_RATIO * noise)) {
        break;
      }
      from = k;
    }
    return from;
  }

  /** Lower bound of the a-priori SNR, -25 dB. */
  private static final double XI_MIN = Math.pow(10, -25 / 10.0);

  /**
   * The decision-directed smoothing for a channel, from its long-term SNR: the mean power over the
   * whole input against the noise profile's, summed over the bins.
   */
  static double smoothing(double[] meanPower, double[] noisePower) {
    double towardsClean =
        towardsClean(longTermSnrDb(meanPower, noisePower), NOISY_SNR_DB, CLEAN_SNR_DB);
    return ALPHA + (ALPHA_CLEAN - ALPHA) * towardsClean;
  }

  /** 0 at a long-term SNR of {@code noisyDb} and below, 1 at {@code cleanDb} and above. */
  private static double towardsClean(double snrDb, double noisyDb, double cleanDb) {
    return Math.max(0, Math.min(1, (snrDb - noisyDb) / (cleanDb - noisyDb)));
  }

  /** The input's SNR over its whole length, from its mean power against its noise's. */
  static double longTermSnrDb(double[] meanPower, double[] noisePower) {
    double mean = 0;
    double noise = 0;
    for (int k = 0; k < meanPower.length; k++) {
      mean += meanPower[k];
      noise += noisePower[k];
    }
    return 10 * Math.log10(Math.max(mean - noise, 1e-30) / Math.max(noise, 1e-30));
  }

  /**
   * Where speech stands far above the noise over the whole signal (a long-term SNR above 15 dB in
   * that bin, as between the harmonics of mains hum), the floor rises 5 dB per dB of SNR, to no
   * attenuation at 19 dB: the noise there is masked anyway, and attenuating the quiet parts of
   * speech in an otherwise clean band is what costs intelligibility (docs/denoiser-tuning.md). For
   * stationary noise ({@link NoiseKind#STEADY}) it rises from 19 dB on: the noise spectrum holds in
   * the pauses too, where a raised floor only lets noise through (the voice's formant bands under
   * white noise at 5 dB stand 16-18 dB above it), while under speech-like noise the quiet parts of
   * speech in such bands need the higher floor.
   */
  static double cleanBandFloor(double meanPower, double noisePower, boolean stationaryNoise) {
    double ratio = stationaryNoise ? CLEAN_BAND_POWER_RATIO_STATIONARY : CLEAN_BAND_POWER_RATIO;
    if (meanPower <= ratio * noisePower) {
      return GAIN_FLOOR; // most bins: no logarithm needed (per job, for every bin of every channel)
    }
    double fromDb = stationaryNoise ? CLEAN_BAND_SNR_DB_STATIONARY : CLEAN_BAND_SNR_DB;
    double snrDb = 10 * Math.log10(Math.max(meanPower, 1e-30) / Math.max(noisePower, 1e-30));
    double floorDb = 20 * Math.log10(GAIN_FLOOR) + (snrDb - fromDb) * CLEAN_BAND_SLOPE;
    return Math.min(1.0, Math.pow(10, floorDb / 20));
  }

  /**
   * Speech absence, for stationary noise: a bin whose neighbourhood ({@value #ABSENCE_WINDOW_HZ} Hz
   * either side) has a mean a-priori SNR below -15 dB holds no speech, and goes to its floor;
   * between -15 and -10 dB its gain moves there linearly. The estimator's own gain, bin by bin,
   * lifts single bins above the floor wherever the noise happens to peak, and in the pauses that is
   * most of the noise left. Only where the noise is stationary ({@link NoiseKind#STEADY}): under
   * babble the a-priori SNR of quiet speech is no better than the noise's, and gating it costs
   * intelligibility. From {@value #ABSENCE_FROM_HZ} Hz up: below, between mains hum's harmonics, it
   * took 0.03 dB from the hum (docs/denoiser-tuning.md).
   */
  static final double ABSENCE_WINDOW_HZ = 100;

  static final double ABSENCE_FROM_HZ = 300;
  private static final double XI_ABSENT = Math.pow(10, -15 / 10.0);
  private static final double XI_PRESENT = Math.pow(10, -10 / 10.0);
  private static final double PRESENCE_SLOPE = 1 / (XI_PRESENT - XI_ABSENT);

  /**
   * The first bin of the speech absence rule, or {@code n / 2 + 1} (none) for noise that is not
   * stationary; never below its half-width, so that every neighbourhood starts at bin 0 or above.
   */
  static int absenceFrom(boolean stationaryNoise, int sampleRate, int n) {
    return stationaryNoise
        ? Math.max(
            absenceHalfWidth(sampleRate, n), (int) Math.ceil(ABSENCE_FROM_HZ * n / sampleRate))
        : n / 2 + 1;
  }

  /** The speech absence rule's neighbourhood, in bins either side. */
  static int absenceHalfWidth(int sampleRate, int n) {
    return Math.max(1, (int) Math.round(ABSENCE_WINDOW_HZ * n / sampleRate));
  }

  /**
   * Under speech-like noise (babble, a cafe, typing: {@link NoiseKind#SPEECH_LIKE}), while the
   * voice is heard and for {@value #VOICE_HANGOVER_SECONDS} s after, no bin's gain goes below -9
   * dB; in the voice's pauses the floor stays at {@link #GAIN_FLOOR}. Such noise rises and falls as
   * fast as the voice, bin by bin it looks like the voice's quiet sounds, and a gain taken down to
   * -20 dB wherever it dominates also takes the quiet parts of the voice out and follows the
   * noise's own rises: the envelope that carries intelligibility ends further from the clean
   * voice's than the noisy input's was (STOI below the input's). Held at -9 dB while the voice is
   * heard, STOI ends above the input's on most such mixtures for at most 0.6 dB of SNR
   * (docs/denoiser-tuning.md); the pauses, where nothing of the voice is lost, still lose the
   * noise.
   */
  static final double VOICE_FLOOR_DB = -9;

  /**
   * The voice floor where the input's long-term SNR is {@value #VOICE_FLOOR_CLEAN_SNR_DB} dB or
   * more (from {@value #VOICE_FLOOR_NOISY_SNR_DB} dB it moves there from {@link #VOICE_FLOOR_DB}):
   * with little noise to hide, the voice's quiet sounds that even -9 dB takes out are what STOI
   * misses (docs/denoiser-tuning.md).
   */
  static final double VOICE_FLOOR_CLEAN_DB = -6;

  private static final double VOICE_FLOOR_NOISY_SNR_DB = 6;
  private static final double VOICE_FLOOR_CLEAN_SNR_DB = 7;

  /** The voice floor's gain for an input of this long-term SNR. */
  static double voiceFloor(double longTermSnrDb) {
    double towardsClean =
        towardsClean(longTermSnrDb, VOICE_FLOOR_NOISY_SNR_DB, VOICE_FLOOR_CLEAN_SNR_DB);
    return Math.pow(
        10, (VOICE_FLOOR_DB + towardsClean * (VOICE_FLOOR_CLEAN_DB - VOICE_FLOOR_DB)) / 20);
  }

  /**
   * A frame holds the voice when its power from {@value #VOICE_FROM_HZ} to {@value #VOICE_TO_HZ} Hz
   * is at least twice the noise's there (at the noise's level of the moment).
   */
  static final double VOICE_HEARD_RATIO = 2;

  static final double VOICE_FROM_HZ = 100;
  static final double VOICE_TO_HZ = 4000;

  /** How long the voice floor holds after the voice was last heard: its decays and soft ends. */
  static final double VOICE_HANGOVER_SECONDS = 0.1;

  /**
   * The bins that tell whether the voice is heard ({@link #VOICE_HEARD_RATIO}), the noise's power
   * summed over them, the hangover in frames and the floor ({@link #voiceFloor}); {@link #NONE} for
   * noise that is not speech-like, where the gain has no voice floor.
   */
  record VoiceBand(int from, int to, double noisePower, int hangoverFrames, double floor) {
    static final VoiceBand NONE = new VoiceBand(0, 0, 0, 0, 0);

    /** For a channel of {@code noise} and long-term {@code mean} power spectra. */
    static VoiceBand of(NoiseKind kind, double[] noise, double[] mean, int sampleRate, int n) {
      if (kind != NoiseKind.SPEECH_LIKE) {
        return NONE;
      }
      int from = (int) Math.ceil(VOICE_FROM_HZ * n / sampleRate);
      int to = Math.min(noise.length, (int) Math.floor(VOICE_TO_HZ * n / sampleRate) + 1);
      double sum = 0;
      for (int k = from; k < to; k++) {
        sum += noise[k];
      }
      double hopSeconds = (double) (n / 2) / sampleRate;
      return new VoiceBand(
          from,
          to,
          sum,
          (int) Math.round(VOICE_HANGOVER_SECONDS / hopSeconds),
          voiceFloor(longTermSnrDb(mean, noise)));
    }

    boolean floorsTheGain() {
      return to > from;
    }
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

  /** 1 / noise power per bin: multiplying is much cheaper than dividing, bin after bin. */
  private final double[] inverseNoise;

  private final double[] floor;

  /**
   * The first bin of the empty band at the top ({@link #emptyTopFrom}), where the gain is fixed.
   */
  private final int emptyFrom;

  private final double alpha;

  /** The first bin of the speech absence rule ({@link #absenceFrom}), and its half-width. */
  private final int absenceFrom;

  private final int absenceHalfWidth;

  private final VoiceBand voiceBand;

  /** Frames since the voice was last heard ({@link #VOICE_HEARD_RATIO}); at first, never. */
  private int framesSinceVoice = Integer.MAX_VALUE;

  /** The previous frame's clean power estimate per bin. */
  private final double[] prevCleanPower;

  private boolean firstFrame = true;

  // per-bin intermediates, so that each pass over the bins is a short loop of independent
  // iterations: the arithmetic in loops of its own, the table lookups in theirs
  private final double[] power;
  private final double[] gamma;
  private final double[] ratio;
  private final double[] v;

  /**
   * The decision-directed a-priori SNR per bin, its running sum over the bins, and its mean over
   * each bin's neighbourhood (the speech absence rule's).
   */
  private final double[] priori;

  private final double[] prioriSum;
  private final double[] localPriori;

  /**
   * The gain of one channel: {@code noise} its noise power per bin, {@code floor} the lowest gain
   * per bin, {@code emptyFrom} the first bin of the empty band at the top (the gain is {@link
   * #EMPTY_BAND_GAIN} from there on), {@code alpha} the decision-directed smoothing per frame,
   * {@code absenceFrom} and {@code absenceHalfWidth} the speech absence rule's first bin and
   * neighbourhood ({@link #ABSENCE_WINDOW_HZ}), {@code voiceBand} where the voice is listened for
   * under speech-like noise ({@link #VOICE_FLOOR_DB}).
   */
  LogMmseGain(
      double[] noise,
      double[] floor,
      int emptyFrom,
      double alpha,
      int absenceFrom,
      int absenceHalfWidth,
      VoiceBand voiceBand) {
    int bins = noise.length;
    this.absenceFrom = absenceFrom;
    this.absenceHalfWidth = absenceHalfWidth;
    this.voiceBand = voiceBand;
    this.priori = new double[bins];
    this.prioriSum = new double[bins + 1];
    this.localPriori = new double[bins];
    this.inverseNoise = new double[bins];
    for (int k = 0; k < bins; k++) {
      inverseNoise[k] = 1 / Math.max(noise[k], 1e-20);
    }
    this.floor = floor;
    this.emptyFrom = emptyFrom;
    this.alpha = alpha;
    this.prevCleanPower = new double[bins];
    this.power = new double[bins];
    this.gamma = new double[bins];
    this.ratio = new double[bins];
    this.v = new double[bins];
  }

  /**
   * Log-MMSE gains of the next frame's spectrum, its noise {@code level} times the noise profile's,
   * with the decision-directed a-priori SNR. Branch-free per bin: which way a bin goes depends on
   * the audio, and a mispredicted branch per bin costs more than the arithmetic it saves.
   */
  void next(double[] specRe, double[] specIm, double level, double[] gain) {
    // the empty band's gain is fixed: only the bins below it are estimated
    int estimated = emptyFrom;
    Arrays.fill(gain, emptyFrom, gain.length, EMPTY_BAND_GAIN);
    double inverseLevel = 1 / level;
    double previousWeight = firstFrame ? 0 : alpha;
    double currentWeight = firstFrame ? 1 : 1 - alpha;
    double currentFloor = firstFrame ? XI_MIN : 0;
    firstFrame = false;
    for (int k = 0; k < estimated; k++) {
      double p = specRe[k] * specRe[k] + specIm[k] * specIm[k];
      double inverseNoiseNow = inverseNoise[k] * inverseLevel;
      double g = Math.min(p * inverseNoiseNow, 1e6);
      double xi =
          Math.max(
              previousWeight * prevCleanPower[k] * inverseNoiseNow
                  + currentWeight * Math.max(g - 1, currentFloor),
              XI_MIN);
      double r = xi / (1 + xi);
      priori[k] = xi;
      power[k] = p;
      gamma[k] = g;
      ratio[k] = r;
      v[k] = r * g;
    }
    for (int k = 0; k < estimated; k++) {
      gain[k] = Math.max(floor[k], Math.min(1.0, ratio[k] * lsaFactor(v[k])));
    }
    // Two-step noise reduction (Plapous, Marro, Scalart 2006): the decision-directed estimate
    // lags a frame behind at speech onsets; re-estimating the a-priori SNR from this frame's own
    // gain removes that lag. A bin at the floor whose power is not above the noise stays there.
    for (int k = 0; k < estimated; k++) {
      double xi = Math.max(gain[k] * gain[k] * gamma[k], XI_MIN);
      double r = xi / (1 + xi);
      ratio[k] = r;
      v[k] = r * gamma[k];
    }
    for (int k = 0; k < estimated; k++) {
      double fl = floor[k];
      double first = gain[k];
      double second = Math.max(fl, Math.min(1.0, ratio[k] * lsaFactor(v[k])));
      double g = first > fl || gamma[k] > 1 ? second : first;
      prevCleanPower[k] = g * g * power[k];
      gain[k] = g;
    }
    if (absenceFrom < estimated) {
      takeDownWhereSpeechIsAbsent(estimated, gain);
    }
    if (voiceBand.floorsTheGain()) {
      holdWhileTheVoiceIsHeard(estimated, level, gain);
    }
  }

  /**
   * Applies the voice floor from the voice band's first bin up, if the voice is heard or was within
   * the hangover.
   */
  private void holdWhileTheVoiceIsHeard(int estimated, double level, double[] gain) {
    double heard = 0;
    for (int k = voiceBand.from(); k < Math.min(voiceBand.to(), estimated); k++) {
      heard += power[k];
    }
    if (heard >= VOICE_HEARD_RATIO * voiceBand.noisePower() * level) {
      framesSinceVoice = 0;
    } else if (framesSinceVoice < voiceBand.hangoverFrames()) {
      framesSinceVoice++;
    } else {
      return;
    }
    double voiceFloor = voiceBand.floor();
    for (int k = voiceBand.from(); k < estimated; k++) {
      if (gain[k] < voiceFloor) {
        gain[k] = voiceFloor;
        prevCleanPower[k] = voiceFloor * voiceFloor * power[k];
      }
    }
  }

  /** Applies the speech absence rule ({@link #ABSENCE_WINDOW_HZ}) from bin absenceFrom on. */
  private void takeDownWhereSpeechIsAbsent(int estimated, double[] gain) {
    int half = absenceHalfWidth;
    int first = absenceFrom - half; // never below bin 0 (see absenceFrom)
    prioriSum[first] = 0;
    for (int k = first; k < estimated; k++) {
      prioriSum[k + 1] = prioriSum[k] + priori[k];
    }
    // the neighbourhood's mean: where it lies whole below the estimated bins' end, in a loop
    // without a bound or a division per bin (a third of the time of one with them); the last
    // bins' neighbourhoods end with the estimated bins
    int wholeTo = Math.max(absenceFrom, estimated - half);
    double inverseWidth = 1.0 / (2 * half + 1);
    for (int k = absenceFrom; k < wholeTo; k++) {
      localPriori[k] = (prioriSum[k + half + 1] - prioriSum[k - half]) * inverseWidth;
    }
    for (int k = wholeTo; k < estimated; k++) {
      localPriori[k] = (prioriSum[estimated] - prioriSum[k - half]) / (estimated - k + half);
    }
    for (int k = absenceFrom; k < estimated; k++) {
      double presence = Math.max(0, Math.min(1, (localPriori[k] - XI_ABSENT) * PRESENCE_SLOPE));
      double fl = floor[k];
      double g = fl + presence * (gain[k] - fl);
      prevCleanPower[k] = g * g * power[k];
      gain[k] = g;
    }
  }

  private static final int OCTAVES = 36;
  private static final int PER_OCTAVE = 64;
  private static final int LOWEST_EXPONENT = -30;
  private static final int MANTISSA_BITS_BELOW_INDEX = 52 - 6;
  private static final long FIRST_INDEX = (long) (1023 + LOWEST_EXPONENT) * PER_OCTAVE;

  /**
   * exp(E1(v)/2) on [2^-30, 2^6], 64 points per octave, indexed by the exponent and the top six
   * mantissa bits of v; the last two entries are equal, so that everything above 2^6 (where the
   * factor is 1 to within 1e-28) reads the last one.
   */
  private static final double[] LSA = new double[OCTAVES * PER_OCTAVE + 2];

  static {
    for (int i = 0; i <= OCTAVES * PER_OCTAVE; i++) {
      double v =
          Math.scalb(1 + (double) (i % PER_OCTAVE) / PER_OCTAVE, i / PER_OCTAVE + LOWEST_EXPONENT);
      LSA[i] = Math.exp(0.5 * expIntegral(v));
    }
    LSA[OCTAVES * PER_OCTAVE + 1] = LSA[OCTAVES * PER_OCTAVE];
  }

  /**
   * The log-MMSE gain's exp(E1(v)/2) for v >= 0, from a table with linear interpolation, as two
   * transcendental calls per bin and frame would be a third of the denoising time. The table is
   * indexed by v's bits (no log, no division, no branch); relative error below 1e-4. Below 2^-30 it
   * reads the first entry, about 24,600: the gain is clamped to 1 long before that.
   */
  static double lsaFactor(double v) {
    long bits = Double.doubleToRawLongBits(v);
    long position = (bits >>> MANTISSA_BITS_BELOW_INDEX) - FIRST_INDEX;
    int i = (int) Math.min(Math.max(position, 0), OCTAVES * PER_OCTAVE);
    // the mantissa bits below the index, as a fraction of one step; meaningless but harmless at
    // the clamped ends, where neighbouring entries differ by a few parts in a thousand at most
    double fraction =
        (bits & ((1L << MANTISSA_BITS_BELOW_INDEX) - 1))
            * (1.0 / (1L << MANTISSA_BITS_BELOW_INDEX));
    return LSA[i] + (LSA[i + 1] - LSA[i]) * fraction;
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
