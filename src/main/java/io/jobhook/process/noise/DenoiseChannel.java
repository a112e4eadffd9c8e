package io.jobhook.process.noise;

import io.jobhook.audio.FloatBlock;
import io.jobhook.audio.SampleStage;
import java.util.Arrays;

/**
 * One channel's denoiser over a stream pushed block by block. The signal is framed as if it had n
 * zeros before and after it; pairs of frames share one complex FFT. It keeps only the samples the
 * next frames overlap, and hands out each output sample once no later frame can change it. Not
 * thread-safe; channels are independent and may run in parallel.
 */
final class DenoiseChannel implements SampleStage {
  private final int n;
  private final int hop;
  private final int bins;
  private final double[] window;

  /** The window again, over the inverse FFT's scale (n) and the overlap's summed gain. */
  private final double[] synthesis;

  private final Fft fft;

  private final LogMmseGain gain;

  /**
   * The noise level over the noise spectrum's (see {@link LevelTrack}), an entry per levelSpan
   * profile frames.
   */
  private final float[] noiseLevel;

  private final int levelSpan;
  private final double[] re;
  private final double[] im;
  private final double[] gainA;
  private final double[] gainB;
  private final double[] aRe;
  private final double[] aIm;
  private final double[] bRe;
  private final double[] bIm;

  /** The padded input and the overlap-add output, both from padded index {@link #base}. */
  private double[] z;

  private double[] y;
  private long base;
  private int length;
  private long received;
  private long emitted;
  private long nextFrame;

  DenoiseChannel(
      int n,
      int sampleRate,
      double[] noise,
      double[] mean,
      float[] noiseLevel,
      NoiseKind kind,
      int levelSpan) {
    this.n = n;
    this.hop = n / 2;
    this.bins = n / 2 + 1;
    this.window = SpectralDenoiser.sqrtHann(n);
    this.z = new double[4 * n]; // grows to the block size on the first push
    this.y = new double[4 * n];
    double gain = 0;
    for (int i = 0; i < n; i += hop) {
      gain += window[i] * window[i];
    }
    this.synthesis = new double[n];
    for (int i = 0; i < n; i++) {
      synthesis[i] = window[i] / (n * gain);
    }
    this.fft = Fft.of(n);
    this.noiseLevel = noiseLevel;
    this.levelSpan = levelSpan;
    boolean stationary = kind == NoiseKind.STEADY;
    double[] floor = new double[bins];
    for (int k = 0; k < bins; k++) {
      floor[k] =
          (double) k * sampleRate / n < LogMmseGain.LOW_FREQUENCY_HZ
              ? LogMmseGain.LOW_FREQUENCY_FLOOR
              : LogMmseGain.cleanBandFloor(mean[k], noise[k], stationary);
    }
    // Above the input's band (audio recorded or made at a lower rate, say), only noise: there the
    // gain is a constant, low and natural, and no bin rises above it at random.
    int emptyFrom = LogMmseGain.emptyTopFrom(mean, noise, meanLevel(noiseLevel), sampleRate, n);
    double alpha = LogMmseGain.smoothingPerHop(LogMmseGain.smoothing(mean, noise), hop, sampleRate);
    this.gain =
        new LogMmseGain(
            noise,
            floor,
            emptyFrom,
            alpha,
            LogMmseGain.absenceFrom(stationary, sampleRate, n),
            LogMmseGain.absenceHalfWidth(sampleRate, n),
            LogMmseGain.VoiceBand.of(kind, noise, mean, sampleRate, n));
    this.re = new double[n];
    this.im = new double[n];
    this.gainA = new double[bins];
    this.gainB = new double[bins];
    this.aRe = new double[bins];
    this.aIm = new double[bins];
    this.bRe = new double[bins];
    this.bIm = new double[bins];
    append(null, 0, n); // the leading zeros
  }

  /** The noise's mean level over the whole input, relative to the noise profile. */
  private static double meanLevel(float[] noiseLevel) {
    if (noiseLevel.length == 0) {
      return 1;
    }
    double sum = 0;
    for (float level : noiseLevel) {
      sum += level;
    }
    return sum / noiseLevel.length;
  }

  /** Adds input samples; appends the output samples that became final to {@code out}. */
  @Override
  public void push(float[] x, int off, int len, FloatBlock out) {
    append(x, off, len);
    received += len;
    run(false, out);
  }

  /** Ends the input; appends the remaining output (as many samples in all as went in). */
  @Override
  public void finish(FloatBlock out) {
    append(null, 0, n); // the trailing zeros
    run(true, out);
  }

  private void append(float[] x, int off, int len) {
    if (length + len > z.length) {
      int size = Math.max(length + len, z.length * 2);
      z = Arrays.copyOf(z, size);
      y = Arrays.copyOf(y, size);
    }
    for (int i = 0; i < len; i++) {
      z[length + i] = x == null ? 0 : x[off + i];
      y[length + i] = 0;
    }
    length += len;
  }

  private void run(boolean end, FloatBlock out) {
    long available = base + length;
    while (true) {
      long startA = nextFrame * hop;
      boolean hasA = end ? startA <= received + n : startA + hop + n <= available;
      if (!hasA) {
        break;
      }
      boolean hasB = !end || startA + hop <= received + n;
      pair((int) (startA - base), hasB, nextFrame);
      nextFrame += hasB ? 2 : 1;
    }
    // Output sample i sits at padded index i + n; it is final once the frames still to come
    // (from nextFrame * hop on) no longer cover it.
    long finalUpTo = end ? received : Math.min(received, nextFrame * hop - n);
    if (emitted < finalUpTo) {
      out.addAll(y, (int) (emitted + n - base), (int) (finalUpTo - emitted));
      emitted = finalUpTo;
    }
    long keepFrom = Math.min(nextFrame * hop, emitted + n);
    int drop = (int) (keepFrom - base);
    if (drop > 0) {
      System.arraycopy(z, drop, z, 0, length - drop);
      System.arraycopy(y, drop, y, 0, length - drop);
      length -= drop;
      base = keepFrom;
    }
  }

  /** Frame j (of hop n/2) is centred where profile frames (hop n/4) 2j - 4 and 2j - 3 are. */
  private double levelOf(long frame) {
    if (noiseLevel.length == 0) {
      return 1;
    }
    long entry = Math.max(0, 2 * frame - 4) / levelSpan;
    return noiseLevel[(int) Math.min(noiseLevel.length - 1, entry)];
  }

  /**
   * Two real frames per complex FFT: frame A in the real part, frame B (one hop later) in the
   * imaginary part. Their spectra separate exactly by conjugate symmetry, and since the gains are
   * real and symmetric, one inverse FFT returns both enhanced frames.
   */
  private void pair(int a, boolean hasB, long frameA) {
    int b = a + hop;
    for (int i = 0; i < n; i++) {
      re[i] = z[a + i] * window[i];
      im[i] = hasB ? z[b + i] * window[i] : 0;
    }
    fft.transform(re, im, false);
    Fft.unpack(re, im, aRe, aIm, bRe, bIm);
    gain.next(aRe, aIm, levelOf(frameA), gainA);
    if (hasB) {
      gain.next(bRe, bIm, levelOf(frameA + 1), gainB);
    }
    for (int k = 0; k < bins; k++) {
      double gb = hasB ? gainB[k] : 0;
      // Y[k] = gA*A[k] + i*gB*B[k]; the bins above n/2 follow, A and B being real spectra
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
    // where the frames overlap, B's part is added before A's: the order of the sums is part of
    // the output's bits
    if (hasB) {
      for (int i = 0; i < n; i++) {
        y[b + i] += im[i] * synthesis[i];
      }
    }
    for (int i = 0; i < n; i++) {
      y[a + i] += re[i] * synthesis[i];
    }
  }
}
