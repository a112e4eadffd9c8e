package io.jobhook.process.noise;

import io.jobhook.audio.SampleStage;
import io.jobhook.audio.PcmAudio;
import io.jobhook.audio.FloatBlock;
import io.jobhook.audio.AudioStream;
import io.jobhook.audio.AudioFormatException;
import java.io.IOException;
import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Noise reduction by short-time spectral gain: an STFT of 43-64 ms frames (see {@link #frameSize})
 * with 50% overlap (square-root Hann analysis and synthesis windows, overlap-add; measured against
 * 75% with Hann windows: as good or better and half the work), a noise power spectrum taken from the
 * quietest frames of the whole signal and scaled over time where the noise grows louder (see
 * {@link LevelTrack}), a decision-directed a-priori SNR estimate (Ephraim-Malah) refined by a second
 * step (TSNR), and the log-spectral-amplitude (log-MMSE) gain, floored so that the residual noise
 * stays natural instead of "musical". Channels are processed independently.
 *
 * <p>Everything streams: {@link #profile} reads the input once for the noise spectrum and
 * {@link Channel} denoises block by block, so memory is bounded by the block and frame sizes, not
 * by the length of the audio.
 */
public final class SpectralDenoiser {
  /** Decision-directed smoothing of the a-priori SNR, for noisy input (see {@link #smoothing}). */
  static final double ALPHA = 0.96;
  /**
   * The smoothing for input whose long-term SNR is 10 dB or more; between 7.5 and 10 dB it moves
   * from {@link #ALPHA} to this. With little noise to hide it, the lag of the smoothed estimate at
   * speech onsets is what costs intelligibility: at 0.96, white noise at 10 dB (44.1 kHz) ended
   * with STOI 0.001 below the input in two of three noise draws; at 0.93 above it in all, while
   * noisy input keeps the stronger smoothing that wins it its SNR (measured on the benchmark: STOI
   * at or above the input on all 30 mixtures of three draws, per-mixture wins unchanged, mean SNR
   * gain 0.1 dB lower).
   */
  static final double ALPHA_CLEAN = 0.93;
  private static final double NOISY_SNR_DB = 7.5;
  private static final double CLEAN_SNR_DB = 10;
  /** Gain floor: -20 dB. */
  private static final double GAIN_FLOOR = 0.1;
  /**
   * Below 100 Hz, under the voice, the floor drops to -40 dB: rumble and brown noise live there and
   * nothing of speech is lost by taking more of them out (measured: +0.7 dB mean SNR gain on the
   * benchmark, STOI unchanged).
   */
  private static final double LOW_FREQUENCY_HZ = 100;
  private static final double LOW_FREQUENCY_FLOOR = 0.01;
  /** Long-term SNR of a bin above which its floor rises, and by how many dB per dB (see {@link #cleanBandFloor}). */
  private static final double CLEAN_BAND_SNR_DB = 15;
  private static final double CLEAN_BAND_SLOPE = 5;
  private static final double CLEAN_BAND_POWER_RATIO = Math.pow(10, CLEAN_BAND_SNR_DB / 10);
  /** Lower bound of the a-priori SNR, -25 dB. */
  private static final double XI_MIN = Math.pow(10, -25 / 10.0);
  /** Share of frames, the quietest ones, that define the noise profile. */
  private static final double NOISE_FRAME_SHARE = 0.1;
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
    double towardsClean = Math.max(0, Math.min(1, (snrDb - NOISY_SNR_DB) / (CLEAN_SNR_DB - NOISY_SNR_DB)));
    return ALPHA + (ALPHA_CLEAN - ALPHA) * towardsClean;
  }

  /**
   * Where speech stands far above the noise over the whole signal (a long-term SNR above 15 dB in
   * that bin, as between the harmonics of mains hum), the floor rises 5 dB per dB of SNR, to no
   * attenuation at 19 dB: the noise there is masked anyway, and attenuating the quiet parts of
   * speech in an otherwise clean band is what cost intelligibility. Measured on three draws of the
   * benchmark's 30 mixtures: STOI below the input's on 6, 6 and 6 before (the hum ones, by up to
   * 0.004), on 1, 1 and 0 after (by at most 0.0011); mean SNR gain about 0.06 dB lower. Lower
   * thresholds, gentler slopes or higher thresholds all left more hum mixtures below.
   */
  static double cleanBandFloor(double meanPower, double noisePower) {
    if (meanPower <= CLEAN_BAND_POWER_RATIO * noisePower) {
      return GAIN_FLOOR; // most bins: no logarithm needed (per job, for every bin of every channel)
    }
    double snrDb = 10 * Math.log10(Math.max(meanPower, 1e-30) / Math.max(noisePower, 1e-30));
    double floorDb = 20 * Math.log10(GAIN_FLOOR) + Math.max(0, snrDb - CLEAN_BAND_SNR_DB) * CLEAN_BAND_SLOPE;
    return Math.min(1.0, Math.pow(10, floorDb / 20));
  }

  /** Frames read per block. */
  static final int BLOCK = 16384;

  /** Receives the share of work done, 0.0 to 1.0. */
  @FunctionalInterface
  public interface Progress {
    void done(double fraction);
  }

  /**
   * Per-channel noise and long-term mean power spectra of a whole input, the noise level over time
   * relative to that noise spectrum (see {@link LevelTrack}: an entry per {@code levelSpan} frames of
   * the profile pass, the same for every channel), and the input's length in frames.
   */
  public record NoiseProfile(int sampleRate, int channels, double[][] noise, double[][] mean, float[][] noiseLevel,
      int levelSpan, long frames) {}

  /** Denoises audio held in memory (the streaming path over an in-memory stream). */
  public PcmAudio denoise(PcmAudio in, Progress progress) {
    try {
      AudioStream.Source source = () -> AudioStream.of(in);
      NoiseProfile profile = profile(source, f -> { });
      float[][] out = new float[in.channelCount()][];
      Channel[] channels = channels(profile);
      PcmAudio.eachChannel(channels.length, ch -> {
        FloatBlock o = new FloatBlock();
        channels[ch].push(in.channels()[ch], 0, in.frames(), o);
        channels[ch].finish(o);
        out[ch] = Arrays.copyOf(o.data(), o.size());
      });
      progress.done(1.0);
      return new PcmAudio(in.sampleRate(), out);
    } catch (IOException | AudioFormatException e) {
      throw new IllegalArgumentException("audio cannot be denoised: " + e.getMessage(), e);
    }
  }

  /**
   * The longest power-of-two frame of at most 64 ms (43-64 ms: 64 ms at 16 kHz, 46 ms at 44.1 kHz).
   * Fine frequency resolution is what separates the voice's low harmonics from noise under them
   * (brown, pink, hum), and long frames cost time resolution: measured on the benchmark, 16 kHz
   * with 64 ms frames instead of 32 ms gained 0.7-3.5 dB on brown, pink and hum and moved white by
   * +0.1 to -0.4 dB; 93 ms at 44.1 kHz lost white noise's STOI.
   */
  static int frameSize(int sampleRate) {
    return Math.max(64, Integer.highestOneBit((int) (sampleRate * MAX_FRAME_SECONDS)));
  }

  private static final double MAX_FRAME_SECONDS = 0.064;
  /**
   * The hop {@link #ALPHA} and {@link #ALPHA_CLEAN} were tuned at (1,024 samples at 44.1 kHz): the
   * smoothing is a recursive average over frames, so at another hop its factor changes to keep the
   * same time constant in seconds (about 0.57 s for noisy input).
   */
  private static final double SMOOTHING_HOP_SECONDS = 1024 / 44100.0;

  /** The decision-directed smoothing per hop of {@code hop} samples, for {@code alpha} at the reference hop. */
  static double smoothingPerHop(double alpha, int hop, int sampleRate) {
    return Math.pow(alpha, (double) hop / sampleRate / SMOOTHING_HOP_SECONDS);
  }

  /** One streaming denoiser per channel of the profiled input. */
  Channel[] channels(NoiseProfile profile) {
    Channel[] out = new Channel[profile.channels()];
    for (int ch = 0; ch < out.length; ch++) {
      out[ch] = new Channel(frameSize(profile.sampleRate()), profile.sampleRate(), profile.noise()[ch], profile.mean()[ch],
          profile.noiseLevel()[ch], profile.levelSpan());
    }
    return out;
  }

  /**
   * The noise power spectrum of each channel: the mean spectrum of its quietest tenth of frames (by
   * energy above 100 Hz, see {@link SpeechBand}, over frames that lie wholly inside the audio), and
   * the noise level over time ({@link LevelTrack}), in one pass over {@code source}. To keep memory
   * bounded, at most about 4 MB of spectra per channel are kept (1,024 frames at 44.1 kHz, 2,044 at
   * 16 kHz, the quietest so far in a max-heap): up to about two minutes of audio at 44.1 kHz (five
   * at 16 kHz) that is exactly the quietest tenth; beyond, the quietest frames there are room for,
   * which for long recordings is the purer noise estimate anyway.
   */
  public NoiseProfile profile(AudioStream.Source source, Progress progress) throws IOException, AudioFormatException {
    try (AudioStream in = source.open()) {
      int rate = in.sampleRate();
      int channels = in.channelCount();
      int n = frameSize(rate);
      Fft fft = Fft.of(n);
      double[] window = sqrtHann(n);
      QuietestFrames[] quietest = new QuietestFrames[channels];
      MeanSpectrum[] means = new MeanSpectrum[channels];
      LevelTrack[] levels = new LevelTrack[channels];
      Framer.FrameConsumer[] consumers = new Framer.FrameConsumer[channels];
      Framer[] framers = new Framer[channels];
      for (int ch = 0; ch < channels; ch++) {
        QuietestFrames q = quietest[ch] = new QuietestFrames(n, fft, window);
        MeanSpectrum m = means[ch] = new MeanSpectrum(n, fft, window);
        LevelTrack l = levels[ch] = new LevelTrack();
        consumers[ch] = (frame, energy) -> {
          q.offer(frame, energy);
          m.offer(frame);
          l.offer(energy);
        };
        framers[ch] = new Framer(n, rate);
      }
      int blockSize = blockSize(in.frameCount());
      float[][] block = new float[channels][blockSize];
      long frames = 0;
      int got;
      while ((got = in.read(block, blockSize)) > 0) {
        int count = got;
        PcmAudio.eachChannel(channels, ch -> framers[ch].push(block[ch], count, consumers[ch]));
        frames += got;
        if (in.frameCount() > 0) {
          progress.done(Math.min(1.0, (double) frames / in.frameCount()));
        }
      }
      if (frames == 0) {
        throw AudioFormatException.corrupt("the audio holds no samples");
      }
      double[][] noise = new double[channels][];
      double[][] mean = new double[channels][];
      float[][] noiseLevel = new float[channels][];
      for (int ch = 0; ch < channels; ch++) {
        QuietestFrames.NoiseEstimate estimate = quietest[ch].quietestTenth(framers[ch]);
        noise[ch] = estimate.spectrum();
        mean[ch] = means[ch].mean(noise[ch]);
        noiseLevel[ch] = levels[ch].relativeTo(estimate.energy(), rate, n);
      }
      return new NoiseProfile(rate, channels, noise, mean, noiseLevel, levels[0].span(), frames);
    }
  }

  /** Blocks as large as the audio when it is short (a tiny job should not allocate for a long one). */
  static int blockSize(long frames) {
    return frames < 0 ? BLOCK : (int) Math.max(256, Math.min(BLOCK, frames));
  }

  private static final java.util.Map<Integer, double[]> SQRT_HANN = new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * The square root of the periodic Hann window of size n, for analysis and synthesis alike: their
   * product, a Hann window, adds up to a constant at 50% overlap. Shared, never to be modified.
   */
  static double[] sqrtHann(int n) {
    return SQRT_HANN.computeIfAbsent(n, size -> {
      double[] window = new double[size];
      for (int i = 0; i < size; i++) {
        window[i] = Math.sqrt(0.5 - 0.5 * Math.cos(2 * Math.PI * i / size));
      }
      return window;
    });
  }

  /** The first {@code length} samples times the window into {@code dst}, zero-padded to its length. */
  private static void windowed(float[] samples, int length, double[] window, double[] dst) {
    for (int i = 0; i < dst.length; i++) {
      dst[i] = i < length ? samples[i] * window[i] : 0;
    }
  }

  private static double energy(float[] x, int from, int length) {
    double e = 0;
    for (int i = from; i < from + length; i++) {
      e += x[i] * x[i];
    }
    return e;
  }

  /**
   * A second-order Butterworth high-pass at {@value #CUTOFF_HZ} Hz, for frame energies only (the
   * audio itself is not filtered): which frames are the quietest, and how loud the noise is over
   * time, should be judged where speech is. Brown noise has most of its energy below 30 Hz, where it
   * drifts slowly and at random; measured over the whole band, the frames picked as the quietest
   * were those where that drift happened to be small, and the level track followed the drift.
   */
  private static final class SpeechBand {
    static final double CUTOFF_HZ = 100;
    private final double b0;
    private final double b1;
    private final double a1;
    private final double a2;
    private double x1;
    private double x2;
    private double y1;
    private double y2;

    SpeechBand(int sampleRate) {
      double w0 = 2 * Math.PI * Math.min(CUTOFF_HZ, sampleRate / 4.0) / sampleRate;
      double alpha = Math.sin(w0) / Math.sqrt(2); // Q = 1/sqrt(2)
      double a0 = 1 + alpha;
      b0 = (1 + Math.cos(w0)) / 2 / a0; // b2 = b0, b1 = -2 b0
      b1 = -2 * b0;
      a1 = -2 * Math.cos(w0) / a0;
      a2 = (1 - alpha) / a0;
    }

    void filter(float[] x, int from, float[] y, int to, int length) {
      for (int i = 0; i < length; i++) {
        double in = x[from + i];
        double out = b0 * (in + x2) + b1 * x1 - a1 * y1 - a2 * y2;
        x2 = x1;
        x1 = in;
        y2 = y1;
        y1 = out;
        y[to + i] = (float) out;
      }
    }
  }

  /**
   * Calls back with every window of n samples starting at a multiple of n/4, as samples arrive (the
   * noise profile looks at frames twice as dense as the denoiser's: more candidates for the quietest).
   */
  private static final class Framer {
    private final int n;
    private final int hop;
    private final float[] frame;
    private int filled;
    /** The first samples, kept for audio shorter than one frame. */
    final float[] head;
    int headLength;

    /** The frame high-passed, for its energy (see {@link SpeechBand}). */
    private final float[] banded;
    private final SpeechBand band;

    Framer(int n, int sampleRate) {
      this.n = n;
      this.hop = n / 4;
      this.frame = new float[n];
      this.banded = new float[n];
      this.head = new float[n];
      this.band = new SpeechBand(sampleRate);
    }

    /** Receives each window and its energy (the same value in every pass, so passes agree on frames). */
    @FunctionalInterface
    interface FrameConsumer {
      void accept(float[] frame, double energy);
    }

    /** Energies of the window's four hop-long quarters, oldest first. */
    private final double[] quarters = new double[4];
    private boolean firstFrame = true;

    void push(float[] x, int len, FrameConsumer onFrame) {
      int copyHead = Math.min(len, n - headLength);
      if (copyHead > 0) {
        System.arraycopy(x, 0, head, headLength, copyHead);
        headLength += copyHead;
      }
      int i = 0;
      while (i < len) {
        int take = Math.min(len - i, n - filled);
        System.arraycopy(x, i, frame, filled, take);
        band.filter(x, i, banded, filled, take);
        filled += take;
        i += take;
        if (filled == n) {
          // a window shares three quarters with the previous one: sum only the new quarter
          if (firstFrame) {
            for (int q = 0; q < 3; q++) {
              quarters[q + 1] = energy(banded, q * hop, hop);
            }
            firstFrame = false;
          }
          System.arraycopy(quarters, 1, quarters, 0, 3);
          quarters[3] = energy(banded, n - hop, hop);
          onFrame.accept(frame, quarters[0] + quarters[1] + quarters[2] + quarters[3]);
          System.arraycopy(frame, hop, frame, 0, n - hop);
          System.arraycopy(banded, hop, banded, 0, n - hop);
          filled = n - hop;
        }
      }
    }

  }

  /**
   * The long-term mean power spectrum, speech and noise together, from a sample of the frames: a
   * pair of neighbouring frames out of every {@value #STRIDE}, both in one complex FFT (the sum of two
   * real frames' power spectra is the mean of the FFT's power at k and n-k). A statistic over the
   * whole signal needs no more, and it costs one FFT per {@value #STRIDE} frames.
   */
  private static final class MeanSpectrum {
    static final int STRIDE = 32;

    private final Fft fft;
    private final double[] window;
    private final double[] re;
    private final double[] im;
    private final double[] sum;
    private long seen;
    private long summed;

    MeanSpectrum(int n, Fft fft, double[] window) {
      this.fft = fft;
      this.window = window;
      this.re = new double[n];
      this.im = new double[n];
      this.sum = new double[n / 2 + 1];
    }

    void offer(float[] frame) {
      long position = seen++ % STRIDE;
      if (position == 0) {
        windowed(frame, frame.length, window, re);
      } else if (position == 1) {
        windowed(frame, frame.length, window, im);
        fft.transform(re, im, false);
        int n = re.length;
        for (int k = 0; k < sum.length; k++) {
          int m = (n - k) % n;
          sum[k] += 0.5 * (re[k] * re[k] + im[k] * im[k] + re[m] * re[m] + im[m] * im[m]);
        }
        summed += 2;
      }
    }

    /** The mean power per bin; {@code fallback} when too few frames were seen to have one. */
    double[] mean(double[] fallback) {
      if (summed == 0) {
        return fallback.clone();
      }
      double[] mean = new double[sum.length];
      for (int k = 0; k < mean.length; k++) {
        mean[k] = sum[k] / summed;
      }
      return mean;
    }
  }

  /** The power spectra of the quietest frames seen so far: a max-heap on energy, of bounded size. */
  private static final class QuietestFrames {
    private static final int SPECTRA_BYTES = 4 << 20;

    private final Fft fft;
    private final double[] window;
    private final int bins;
    private final int capacity;
    private double[] energies;
    private float[][] spectra;
    private final double[] re;
    private final double[] im;
    private int size;
    private long offered;

    QuietestFrames(int n, Fft fft, double[] window) {
      this.fft = fft;
      this.window = window;
      this.bins = n / 2 + 1;
      this.capacity = Math.max(64, SPECTRA_BYTES / 4 / bins);
      this.energies = new double[Math.min(capacity, 64)];
      this.spectra = new float[energies.length][];
      this.re = new double[n];
      this.im = new double[n];
    }

    /** Keeps the frame's spectrum if it is among the quietest so far (its FFT only then). */
    void offer(float[] frame, double energy) {
      offered++;
      if (size < capacity) {
        if (size == energies.length) { // grow as frames come: short audio keeps short arrays
          energies = Arrays.copyOf(energies, Math.min(capacity, size * 2));
          spectra = Arrays.copyOf(spectra, energies.length);
        }
        spectra[size] = new float[bins];
        spectrum(frame, frame.length, spectra[size]);
        energies[size] = energy;
        siftUp(size++);
      } else if (energy < energies[0]) {
        spectrum(frame, frame.length, spectra[0]);
        energies[0] = energy;
        siftDown(0);
      }
    }

    private void spectrum(float[] samples, int length, float[] power) {
      windowed(samples, length, window, re);
      Arrays.fill(im, 0);
      fft.transform(re, im, false);
      for (int k = 0; k < bins; k++) {
        power[k] = (float) (re[k] * re[k] + im[k] * im[k]);
      }
    }

    private void siftUp(int i) {
      while (i > 0 && energies[(i - 1) / 2] < energies[i]) {
        swap(i, (i - 1) / 2);
        i = (i - 1) / 2;
      }
    }

    private void siftDown(int i) {
      while (true) {
        int largest = i;
        for (int c = 2 * i + 1; c <= 2 * i + 2 && c < size; c++) {
          if (energies[c] > energies[largest]) {
            largest = c;
          }
        }
        if (largest == i) {
          return;
        }
        swap(i, largest);
        i = largest;
      }
    }

    private void swap(int a, int b) {
      double e = energies[a];
      energies[a] = energies[b];
      energies[b] = e;
      float[] s = spectra[a];
      spectra[a] = spectra[b];
      spectra[b] = s;
    }

    /**
     * The mean spectrum and the mean energy of the quietest tenth of all frames offered (as many as
     * were kept); for audio shorter than one frame, the whole of it zero-padded, and energy 0.
     */
    NoiseEstimate quietestTenth(Framer framer) {
      double[] noise = new double[bins];
      if (size == 0) {
        float[] power = new float[bins];
        spectrum(framer.head, framer.headLength, power);
        for (int k = 0; k < bins; k++) {
          noise[k] = power[k];
        }
        return new NoiseEstimate(noise, 0);
      }
      int take = (int) Math.min(size, Math.max(1, Math.round(offered * NOISE_FRAME_SHARE)));
      Integer[] order = new Integer[size];
      for (int i = 0; i < size; i++) {
        order[i] = i;
      }
      Arrays.sort(order, (a, b) -> Double.compare(energies[a], energies[b]));
      double energy = 0;
      for (int t = 0; t < take; t++) {
        float[] power = spectra[order[t]];
        for (int k = 0; k < bins; k++) {
          noise[k] += power[k];
        }
        energy += energies[order[t]];
      }
      for (int k = 0; k < bins; k++) {
        noise[k] /= take;
      }
      return new NoiseEstimate(noise, energy / take);
    }

    /** A noise power spectrum and the mean energy (above 100 Hz) of the frames it comes from. */
    record NoiseEstimate(double[] spectrum, double energy) {}
  }

  /**
   * The noise level over time, for noise whose level swings (traffic passing, a fan speeding up,
   * noise under a tremolo): the noise spectrum comes from the quietest frames of the whole input, so
   * where the noise is louder than there, it is underestimated and left in. Speech and noise are
   * told apart by duration: frame energies (every frame of the profile pass, as many as two per
   * frame of the denoiser) go through a morphological opening, a minimum and then a maximum over a
   * centred window of {@value #WINDOW_SECONDS} s, which removes every rise shorter than the window
   * (words, syllables) and keeps the slower ones, the noise's. The level is that envelope over the
   * quietest frames' energy, never below 1: for stationary noise the opening stays at or under the
   * quietest frames' level, and nothing changes. The track needs both passes: it is known before
   * the first frame is denoised, so it looks ahead as far as behind.
   *
   * <p>Memory is bounded: at most {@value #CAPACITY} minima per channel (256 KB); when they are all
   * taken, neighbours merge into their minimum and each entry then spans twice as many frames. The
   * opening starts with a minimum anyway, so merging costs only time resolution, which stays finer
   * than the window for about seven hours of 44.1 kHz audio.
   */
  static final class LevelTrack {
    static final double WINDOW_SECONDS = 1.0;
    /**
     * How far the envelope must rise over the quietest frames' energy before the level follows, so
     * that speech without a pause as long as a frame is not taken for louder noise: with none, the
     * hum mixtures at 10 dB lost 1.3-2.4 dB of their SNR gain to attenuated speech; with 1.5, 0.6-1.1
     * dB of that came back, at 0.5-0.8 dB of the modulated-noise gain (2 gave more of it away).
     */
    static final double MARGIN = 1.5;
    static final int CAPACITY = 1 << 16;

    private float[] minima = new float[256];
    private int size;
    /** Profile frames per entry: 2 (a denoiser frame's worth) until the first merge, then doubling. */
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
     * frame j is centred where profile frames 2j - 4 and 2j - 3 are, so it reads entry
     * (2j - 4) / span (see {@link #entryOf}).
     */
    float[] relativeTo(double noiseEnergy, int sampleRate, int n) {
      double entrySeconds = span * (n / 4.0) / sampleRate;
      int half = Math.max(1, (int) Math.round(WINDOW_SECONDS / 2 / entrySeconds));
      float[] opened = sliding(sliding(Arrays.copyOf(minima, size), half, false), half, true);
      for (int i = 0; i < opened.length; i++) {
        opened[i] = noiseEnergy > 0 ? (float) Math.max(1, opened[i] / noiseEnergy / MARGIN) : 1;
      }
      return opened;
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

  /**
   * One channel's denoiser over a stream pushed block by block. The signal is framed as if it had
   * n zeros before and after it; pairs of frames share one complex FFT. It keeps only the samples
   * the next frames overlap, and hands out each output sample once no later frame can change it.
   * Not thread-safe; channels are independent and may run in parallel.
   */
  static final class Channel implements SampleStage {
    private final int n;
    private final int hop;
    private final int bins;
    private final double[] window;
    private final double overlapGain;
    private final Fft fft;
    /** 1 / noise power per bin: multiplying is much cheaper than dividing, bin after bin. */
    private final double[] inverseNoise;
    private final double[] prevCleanPower;
    private final double[] floor;
    private final double alpha;
    /** The noise level over the noise spectrum's (see {@link LevelTrack}), an entry per levelSpan profile frames. */
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
    private boolean first = true;
    /** The padded input and the overlap-add output, both from padded index {@link #base}. */
    private double[] z;
    private double[] y;
    private long base;
    private int length;
    private long received;
    private long emitted;
    private long nextFrame;

    Channel(int n, int sampleRate, double[] noise, double[] mean, float[] noiseLevel, int levelSpan) {
      this.n = n;
      this.hop = n / 2;
      this.bins = n / 2 + 1;
      this.window = sqrtHann(n);
      this.z = new double[4 * n]; // grows to the block size on the first push
      this.y = new double[4 * n];
      double gain = 0;
      for (int i = 0; i < n; i += hop) {
        gain += window[i] * window[i];
      }
      this.overlapGain = gain;
      this.fft = Fft.of(n);
      this.inverseNoise = new double[bins];
      for (int k = 0; k < bins; k++) {
        inverseNoise[k] = 1 / Math.max(noise[k], 1e-20);
      }
      this.prevCleanPower = new double[bins];
      this.alpha = smoothingPerHop(smoothing(mean, noise), hop, sampleRate);
      this.noiseLevel = noiseLevel;
      this.levelSpan = levelSpan;
      this.floor = new double[bins];
      for (int k = 0; k < bins; k++) {
        floor[k] = (double) k * sampleRate / n < LOW_FREQUENCY_HZ ? LOW_FREQUENCY_FLOOR
            : cleanBandFloor(mean[k], noise[k]);
      }
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
      for (; emitted < finalUpTo; emitted++) {
        out.add((float) y[(int) (emitted + n - base)]);
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
      for (int k = 0; k < bins; k++) {
        int m = (n - k) % n;
        aRe[k] = 0.5 * (re[k] + re[m]);
        aIm[k] = 0.5 * (im[k] - im[m]);
        bRe[k] = 0.5 * (im[k] + im[m]);
        bIm[k] = -0.5 * (re[k] - re[m]);
      }
      gains(aRe, aIm, inverseNoise, 1 / levelOf(frameA), prevCleanPower, gainA, first, floor, alpha);
      first = false;
      if (hasB) {
        gains(bRe, bIm, inverseNoise, 1 / levelOf(frameA + 1), prevCleanPower, gainB, false, floor, alpha);
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
        y[a + i] += re[i] * w;
        if (hasB) {
          y[b + i] += im[i] * w;
        }
      }
    }
  }

  /**
   * Log-MMSE gains of one frame's spectrum with the decision-directed a-priori SNR; updates the
   * previous frame's clean power estimate in place.
   */
  private static void gains(double[] specRe, double[] specIm, double[] inverseNoise, double inverseLevel,
      double[] prevCleanPower, double[] gain, boolean firstFrame, double[] floor, double alpha) {
    for (int k = 0; k < gain.length; k++) {
      double power = specRe[k] * specRe[k] + specIm[k] * specIm[k];
      double inverseNoiseNow = inverseNoise[k] * inverseLevel;
      double gamma = Math.min(power * inverseNoiseNow, 1e6);
      double xi = firstFrame
          ? Math.max(gamma - 1, XI_MIN)
          : alpha * prevCleanPower[k] * inverseNoiseNow + (1 - alpha) * Math.max(gamma - 1, 0);
      xi = Math.max(xi, XI_MIN);
      double v = xi / (1 + xi) * gamma;
      double fl = floor[k];
      double g = Math.max(fl, Math.min(1.0, xi / (1 + xi) * lsaFactor(v)));
      // Two-step noise reduction (Plapous, Marro, Scalart 2006): the decision-directed estimate
      // lags a frame behind at speech onsets; re-estimating the a-priori SNR from this frame's
      // own gain removes that lag (measured: +0.23 dB mean SNR gain, fewer STOI losses).
      // (A bin at the floor whose power is not above the noise stays there: skipping it halves the
      // cost of the second step and changes no audible output.)
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
  /** exp(E1(v)/2) on [2^-30, 1), 64 points per octave: indexed by the bits of v, no log, no division. */
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
   * The log-MMSE gain's exp(E1(v)/2), from tables with linear interpolation (two transcendental
   * calls per bin and frame were a third of the denoising time). Below 1 the table is indexed by
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
    double mantissa = Double.longBitsToDouble((Double.doubleToRawLongBits(v) & 0x000FFFFFFFFFFFFFL) | 0x3FF0000000000000L);
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
