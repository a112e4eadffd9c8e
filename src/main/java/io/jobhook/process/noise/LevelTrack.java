package io.jobhook.process.noise;

import java.util.Arrays;

/**
 * The noise level over time, for noise whose level swings (traffic passing, a fan speeding up,
 * noise under a tremolo): the noise spectrum comes from the quietest frames of the whole input, so
 * where the noise is louder than there, it is underestimated and left in. Speech and noise are told
 * apart by duration: frame energies (every frame of the profile pass, as many as two per frame of
 * the denoiser) go through a morphological opening, a minimum and then a maximum over a centred
 * window of {@value #WINDOW_SECONDS} s, which removes every rise shorter than the window (words,
 * syllables) and keeps the slower ones, the noise's. The level is that envelope over the quietest
 * frames' energy, never below 1: for stationary noise the opening stays at or under the quietest
 * frames' level, and nothing changes. The track needs both passes: it is known before the first
 * frame is denoised, so it looks ahead as far as behind.
 *
 * <p>Memory is bounded: at most {@value #CAPACITY} minima per channel (256 KB); when they are all
 * taken, neighbours merge into their minimum and each entry then spans twice as many frames. The
 * opening starts with a minimum anyway, so merging costs only time resolution, which stays finer
 * than the window for about seven hours of 44.1 kHz audio.
 */
final class LevelTrack {
  static final double WINDOW_SECONDS = 1.0;

  /**
   * How far the envelope must rise over the quietest frames' energy before the level follows, so
   * that speech without a pause as long as a frame is not taken for louder noise; a larger margin
   * gives away more of what the track wins on noise that swings (docs/denoiser-tuning.md).
   */
  static final double MARGIN = 1.5;

  static final int CAPACITY = 1 << 16;

  /**
   * The highest level at which a noise still counts as stationary (white, pink, hum, room tone): a
   * track that never lifts this far means the noise spectrum holds at every moment, and the gain
   * may trust it further (see {@link LogMmseGain}). On the benchmark's mixtures, white and pink
   * noise, hum and room tone at every level, and brown noise and a fan at 0 dB, stay at or under
   * 1.28, and so does pink noise under a slow tremolo, its estimate being its mean (from the
   * voice's pauses); brown noise and the fan at 5 and 10 dB lift it to 1.6-4.3. Speech-like noise
   * (babble, a cafe, typing) keeps it near 1 too, its estimate holding its loud moments, and is
   * told apart by where that estimate comes from ({@link NoiseKind#SPEECH_LIKE}).
   */
  static final float STATIONARY_LEVEL = 1.3f;

  /** Whether a track ({@link #relativeTo}'s result) is that of stationary noise. */
  static boolean isStationary(float[] levels) {
    for (float level : levels) {
      if (level > STATIONARY_LEVEL) {
        return false;
      }
    }
    return true;
  }

  private float[] minima = new float[256];
  private int size;

  /**
   * Profile frames per entry: 2 (a denoiser frame's worth) until the first merge, then doubling.
   */
  private int span = 2;

  private int inLast;

  void offer(double energy) {
    if (inLast > 0 && inLast < span) {
      minima[size - 1] = (float) Math.min(minima[size - 1], energy);
      inLast++;
      return;
    }
    if (size == minima.length) {
      if (size < CAPACITY) {
        minima = Arrays.copyOf(minima, size * 2);
      } else {
        for (int i = 0; i < size / 2; i++) {
          minima[i] = Math.min(minima[2 * i], minima[2 * i + 1]);
        }
        size /= 2;
        span *= 2;
      }
    }
    minima[size++] = (float) energy;
    inLast = 1;
  }

  /**
   * The level of each entry over {@code noiseEnergy}, the quietest frames' mean energy; denoiser
   * frame j is centred where profile frames 2j - 4 and 2j - 3 are, so it reads entry (2j - 4) /
   * span (see {@link #entryOf}).
   */
  float[] relativeTo(double noiseEnergy, int sampleRate, int n) {
    float[] opened = opened(sampleRate, n);
    for (int i = 0; i < opened.length; i++) {
      opened[i] = noiseEnergy > 0 ? (float) Math.max(1, opened[i] / noiseEnergy / MARGIN) : 1;
    }
    return opened;
  }

  /**
   * The share of the input over which the envelope reaches {@code energy}: noise whose own slow
   * swings carry it up to its mean, as opposed to noise whose mean is lifted by events shorter than
   * the window (voices, clatter, clicks), which the opening removes.
   */
  double shareReaching(double energy, int sampleRate, int n) {
    float[] opened = opened(sampleRate, n);
    int reaching = 0;
    for (float level : opened) {
      if (level >= energy) {
        reaching++;
      }
    }
    return opened.length == 0 ? 0 : (double) reaching / opened.length;
  }

  /** The frame energies' opening over the window: the envelope without the rises shorter. */
  private float[] opened(int sampleRate, int n) {
    double entrySeconds = span * (n / 4.0) / sampleRate;
    int half = Math.max(1, (int) Math.round(WINDOW_SECONDS / 2 / entrySeconds));
    return sliding(sliding(Arrays.copyOf(minima, size), half, false), half, true);
  }

  /** Profile frames per entry of {@link #relativeTo}'s result. */
  int span() {
    return span;
  }

  /** The minimum (or maximum) of each value and its {@code half} neighbours on either side. */
  private static float[] sliding(float[] x, int half, boolean max) {
    float[] out = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      float m = x[i];
      for (int k = Math.max(0, i - half); k <= Math.min(x.length - 1, i + half); k++) {
        m = max ? Math.max(m, x[k]) : Math.min(m, x[k]);
      }
      out[i] = m;
    }
    return out;
  }
}
