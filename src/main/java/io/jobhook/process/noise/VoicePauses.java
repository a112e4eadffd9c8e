package io.jobhook.process.noise;

import java.util.Map;
import java.util.TreeMap;

/**
 * The mean power spectrum of the frames where the voice pauses, whatever else sounds there: the
 * noise estimate for noise that the quietest frames misrepresent. Under typing, the quietest frames
 * are those between the clicks and hold a thousandth of the noise's power; under babble or a cafe,
 * they are the noise's own dips. A pause is told by the voice band (100 Hz to {@value
 * #VOICE_BAND_TO_HZ} Hz, falling 24 dB per octave above: where the voice's fundamental and first
 * formants carry most of its energy, and above which clicks and clinks carry theirs) after a
 * morphological opening over {@value #OPENING} quarters of a frame (a minimum, then a maximum; 80
 * ms at 16 kHz, 58 ms at 44.1 kHz, 116 ms there with the longer frames of speech-like noise, see
 * {@link SpectralDenoiser#profile}), which removes every sound shorter than that (a click, a knock)
 * and keeps syllables. A frame is in a pause when its opened voice-band level lies within {@value
 * #MARGIN_DB} dB of the level of the input's {@value #REFERENCE_PERCENTILE}th percentile frame; its
 * whole spectrum counts, clicks included.
 *
 * <p>One pass, alongside the profile's, from its quarters and frames: levels are counted in steps
 * of {@value #STEP_DB} dB, and each step keeps the sum of its frames' spectra, so that the
 * percentile, known only at the end, selects whole steps. Frames are taken side by side, two per
 * complex FFT. Memory is bounded by the number of steps (at most {@value #STEPS}, a spectrum each:
 * 3 MB at 44.1 kHz if the levels spread over the whole range; 30-90 steps, under 0.7 MB, for the
 * benchmark's speech). Not thread-safe; one per channel.
 */
final class VoicePauses {
  static final double VOICE_BAND_TO_HZ = 2000;
  static final int OPENING = 5;
  static final int REFERENCE_PERCENTILE = 20;
  static final double MARGIN_DB = 2;
  static final double STEP_DB = 0.5;

  /**
   * Frames are counted every {@value} quarters, that is side by side: a mean over pauses needs no
   * overlap, and it takes half the FFTs of a frame every half frame.
   */
  private static final int STRIDE = 4;

  private static final int MARGIN_STEPS = (int) Math.round(MARGIN_DB / STEP_DB);

  /** Levels (a frame's energy, 0 dB for 1) below -120 dB count as -120 dB, above 60 dB as 60. */
  private static final int LOWEST_STEP = (int) Math.round(-120 / STEP_DB);

  private static final int HIGHEST_STEP = (int) Math.round(60 / STEP_DB);
  static final int STEPS = HIGHEST_STEP - LOWEST_STEP + 1;

  /** Quarters either side of the one the opening is centred on. */
  private static final int HALF = OPENING / 2;

  /** Quarters (and their derived values) kept: enough for the opening and a frame behind it. */
  private static final int RING = 16;

  private final int n;
  private final int bins;
  private final Fft fft;
  private final double[] window;

  /**
   * Copies of the frames that are counted (every {@link #STRIDE}th), until their level is settled
   * seven quarters after their first: at most three are waiting.
   */
  private final float[][] waiting = new float[4][];

  private final double[] energies = new double[RING];
  private final double[] voiceEnergies = new double[RING];
  private final double[] minimum = new double[RING];
  private final double[] opened = new double[RING];
  private long quarters;
  private long nextMinimum;
  private long nextOpened;
  private long nextFrame;

  private final TreeMap<Integer, Step> steps = new TreeMap<>();
  private long frames;

  private final double[] re;
  private final double[] im;
  private final double[] powerA;
  private final double[] powerB;

  /** The level of a frame windowed into {@link #re}, waiting for its partner to share its FFT. */
  private Step pending;

  private boolean pendingCandidate;

  /** How many frames (every other one of the profile's) the input told it has; 0 if unknown. */
  private final long expectedFrames;

  /** The highest the reference level can still end at (see {@link #lowerHighestReference}). */
  private int highestReference = HIGHEST_STEP;

  /** The frames at one level: how many, their summed energy above 100 Hz and power spectra. */
  private static final class Step {
    long frames;
    double energy;
    final double[] power;

    Step(int bins) {
      power = new double[bins];
    }
  }

  /** {@code length}: how many samples the input told it has, 0 or less if unknown. */
  VoicePauses(int n, Fft fft, double[] window, long length) {
    this.n = n;
    this.bins = n / 2 + 1;
    this.fft = fft;
    this.window = window;
    this.expectedFrames =
        (NoiseProfiler.profileFrames(Math.max(0, length), n) + STRIDE - 1) / STRIDE;
    this.re = new double[n];
    this.im = new double[n];
    this.powerA = new double[bins];
    this.powerB = new double[bins];
  }

  /**
   * A hop-long quarter of a frame, in order: its energy above 100 Hz and in the voice band, and
   * whether it is digital silence (left out of the opening, and no frame over it is counted). The
   * quarters of a frame all come before the frame itself.
   */
  void quarter(double energy, double voiceEnergy, boolean silent) {
    energies[ring(quarters)] = energy;
    voiceEnergies[ring(quarters)] = silent ? Double.NaN : voiceEnergy;
    settle(quarters++, false);
  }

  /** The next frame of the profile pass (a frame every quarter), kept if it is to be counted. */
  void frame(float[] frame) {
    long f = quarters - 4; // a frame comes right after its last quarter
    if (f % STRIDE == 0) {
      int slot = (int) (f / STRIDE % waiting.length);
      if (waiting[slot] == null) {
        waiting[slot] = new float[n];
      }
      System.arraycopy(frame, 0, waiting[slot], 0, n);
    }
  }

  /**
   * The mean spectrum and energy of the frames in pauses, once the input has ended (called once);
   * null when it holds no whole frame, or more frames than it told.
   */
  NoiseProfiler.NoiseEstimate estimate() {
    if (quarters > 0) {
      settle(quarters - 1, true);
    }
    if (pending != null && pendingCandidate) {
      fft.powerOfReal(re, im, powerA);
      for (int k = 0; k < bins; k++) {
        pending.power[k] += powerA[k];
      }
    }
    pending = null;
    if (frames == 0 || (expectedFrames > 0 && frames > expectedFrames)) {
      return null; // more frames than told: frames skipped on the way might have been needed
    }
    int reference = referenceStep(frames);
    double[] spectrum = new double[bins];
    double energy = 0;
    long count = 0;
    for (Step step : steps.headMap(reference + MARGIN_STEPS, true).values()) {
      for (int k = 0; k < bins; k++) {
        spectrum[k] += step.power[k];
      }
      energy += step.energy;
      count += step.frames;
    }
    for (int k = 0; k < bins; k++) {
      spectrum[k] /= count;
    }
    return new NoiseProfiler.NoiseEstimate(spectrum, energy / count);
  }

  /**
   * Computes what the quarters up to {@code last} settle: each quarter's minimum over the opening,
   * then its maximum of those, then the frames whose four quarters are opened. At the end of the
   * input ({@code ending}) the windows stop at the last quarter, as they start at the first.
   */
  private void settle(long last, boolean ending) {
    for (; nextMinimum <= (ending ? last : last - HALF); nextMinimum++) {
      minimum[ring(nextMinimum)] = extreme(voiceEnergies, nextMinimum, last, false);
    }
    for (; nextOpened <= (ending ? last : nextMinimum - 1 - HALF); nextOpened++) {
      opened[ring(nextOpened)] = extreme(minimum, nextOpened, last, true);
    }
    for (; nextFrame + 3 <= (ending ? last : nextOpened - 1); nextFrame++) {
      if (nextFrame % STRIDE == 0) {
        count(nextFrame);
      }
    }
  }

  /** The extreme of the values around {@code at}, leaving out silence's (NaN; NaN if all are). */
  private static double extreme(double[] values, long at, long last, boolean max) {
    double m = Double.NaN;
    for (long k = Math.max(0, at - HALF); k <= Math.min(last, at + HALF); k++) {
      double v = values[ring(k)];
      if (!Double.isNaN(v)) {
        m = Double.isNaN(m) ? v : max ? Math.max(m, v) : Math.min(m, v);
      }
    }
    return m;
  }

  /**
   * Counts frame {@code f} (quarters f to f + 3, f a multiple of {@link #STRIDE}) at its opened
   * level, unless it lies over digital silence. Counted frames go in pairs, one FFT each, computed
   * unless neither can be in a pause, and each spectrum goes to its own level's sum: the pairs and
   * their sums are the same whether or not the length was told.
   */
  private void count(long f) {
    double level = 0;
    double energy = 0;
    for (int q = 0; q < 4; q++) {
      if (Double.isNaN(voiceEnergies[ring(f + q)])) {
        return; // over digital silence: neither counted nor transformed
      }
      level += opened[ring(f + q)];
      energy += energies[ring(f + q)];
    }
    int at = stepOf(level);
    Step step = steps.computeIfAbsent(at, s -> new Step(bins));
    step.frames++;
    step.energy += energy;
    frames++;
    if (at <= highestReference) {
      lowerHighestReference();
    }
    boolean candidate = at <= highestReference + MARGIN_STEPS;
    if (pending == null) {
      windowed(f, re);
      pending = step;
      pendingCandidate = candidate;
      return;
    }
    if (candidate || pendingCandidate) {
      windowed(f, im);
      fft.transform(re, im, false);
      Fft.unpackPowers(re, im, powerA, powerB);
      for (int k = 0; k < bins; k++) {
        pending.power[k] += powerA[k];
        step.power[k] += powerB[k];
      }
    }
    pending = null;
  }

  /**
   * When the input told its length, the reference level cannot end above the lowest level that
   * already has more frames at or below it than the reference's rank: frames above it plus the
   * margin can never be in a pause, and need no spectrum.
   */
  private void lowerHighestReference() {
    if (expectedFrames > 0) {
      highestReference = referenceStep(expectedFrames);
    }
  }

  /**
   * The level of the {@value #REFERENCE_PERCENTILE}th percentile frame of {@code frames}, among
   * those counted so far; {@link #HIGHEST_STEP} while too few are counted to reach its rank.
   */
  private int referenceStep(long frames) {
    long rank = (frames - 1) * REFERENCE_PERCENTILE / 100;
    long below = 0;
    for (Map.Entry<Integer, Step> step : steps.entrySet()) {
      below += step.getValue().frames;
      if (below > rank) {
        return step.getKey();
      }
    }
    return HIGHEST_STEP;
  }

  /** Frame {@code f}, windowed, into {@code into}. */
  private void windowed(long f, double[] into) {
    NoiseProfiler.windowed(waiting[(int) (f / STRIDE % waiting.length)], n, window, into);
  }

  private static int stepOf(double level) {
    if (!(level > 0)) {
      return LOWEST_STEP;
    }
    int step = (int) Math.floor(10 * Math.log10(level) / STEP_DB);
    return Math.max(LOWEST_STEP, Math.min(HIGHEST_STEP, step));
  }

  private static int ring(long index) {
    return (int) (index & (RING - 1));
  }
}
