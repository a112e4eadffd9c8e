package io.jobhook.process.noise;

import io.jobhook.audio.AudioFormatException;
import io.jobhook.audio.AudioStream;
import io.jobhook.audio.PcmAudio;
import java.io.IOException;
import java.util.Arrays;
import java.util.function.IntUnaryOperator;

/**
 * What a whole input says of its noise, in one pass: per channel, the noise power spectrum (the
 * mean spectrum of the quietest frames, judged by their energy where speech is, or of the voice's
 * pauses where those hold far more: {@link VoicePauses}), the long-term mean power spectrum, and
 * the noise level over time ({@link LevelTrack}).
 */
final class NoiseProfiler {
  private NoiseProfiler() {}

  /** Share of frames, the quietest ones, that define the noise profile. */
  private static final double NOISE_FRAME_SHARE = 0.1;

  /**
   * The noise power spectrum of each channel: the mean spectrum of its quietest tenth of frames (by
   * energy above 100 Hz, see {@link #SPEECH_BAND_FROM_HZ}, over frames that lie wholly inside the
   * audio), or of its voice's pauses ({@link #PAUSES_OVER_QUIETEST}), and the noise level over time
   * ({@link LevelTrack}) relative to the estimate taken, in one pass over {@code source}. To keep
   * memory bounded, at most about 4 MB of spectra per channel are kept (1,024 frames at 44.1 kHz,
   * 2,044 at 16 kHz, the quietest so far in a max-heap): up to about two minutes of audio at 44.1
   * kHz (five at 16 kHz) that is exactly the quietest tenth; beyond, the quietest frames there are
   * room for, which for long recordings is the purer noise estimate anyway. When the input tells
   * its length, room is kept for a tenth of its frames only, so that a frame's spectrum is computed
   * only if it is among the quietest tenth so far: for a short input, every frame would otherwise
   * be.
   */
  static NoiseProfile profile(AudioStream.Source source, SpectralDenoiser.Progress progress)
      throws IOException, AudioFormatException {
    return profile(source, progress, SpectralDenoiser::frameSize);
  }

  /** The profile with frames of {@code frameSize.applyAsInt(sampleRate)} samples. */
  static NoiseProfile profile(
      AudioStream.Source source, SpectralDenoiser.Progress progress, IntUnaryOperator frameSize)
      throws IOException, AudioFormatException {
    try (AudioStream in = source.open()) {
      int rate = in.sampleRate();
      int channels = in.channelCount();
      int n = frameSize.applyAsInt(rate);
      Fft fft = Fft.of(n);
      double[] window = SpectralDenoiser.sqrtHann(n);
      QuietestFrames[] quietest = new QuietestFrames[channels];
      MeanSpectrum[] means = new MeanSpectrum[channels];
      LevelTrack[] levels = new LevelTrack[channels];
      VoicePauses[] pauses = new VoicePauses[channels];
      Framer.FrameConsumer[] consumers = new Framer.FrameConsumer[channels];
      Framer[] framers = new Framer[channels];
      for (int ch = 0; ch < channels; ch++) {
        QuietestFrames q =
            quietest[ch] = new QuietestFrames(n, fft, window, profileFrames(in.frameCount(), n));
        MeanSpectrum m = means[ch] = new MeanSpectrum(n, fft, window);
        LevelTrack l = levels[ch] = new LevelTrack();
        VoicePauses p = pauses[ch] = new VoicePauses(n, fft, window, in.frameCount());
        consumers[ch] =
            new Framer.FrameConsumer() {
              @Override
              public void quarter(double energy, double voiceEnergy, boolean silent) {
                p.quarter(energy, voiceEnergy, silent);
              }

              @Override
              public void frame(float[] frame, double energy, boolean touchesSilence) {
                if (!touchesSilence) {
                  q.offer(frame, energy);
                  m.offer(frame);
                }
                l.offer(energy);
                p.frame(frame);
              }
            };
        framers[ch] = new Framer(n, rate);
      }
      int blockSize = SpectralDenoiser.blockSize(in.frameCount());
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
      NoiseKind[] kind = new NoiseKind[channels];
      for (int ch = 0; ch < channels; ch++) {
        NoiseEstimate estimate = quietest[ch].quietestTenth(framers[ch]);
        NoiseEstimate inPauses = pauses[ch].estimate();
        boolean speechLike = false;
        if (inPauses != null && inPauses.power() >= PAUSES_OVER_QUIETEST * estimate.power()) {
          estimate = inPauses;
          speechLike = levels[ch].shareReaching(inPauses.energy(), rate, n) < SWINGING_SHARE;
        }
        noise[ch] = estimate.spectrum();
        mean[ch] = means[ch].mean(noise[ch]);
        noiseLevel[ch] = levels[ch].relativeTo(estimate.energy(), rate, n);
        // speech-like noise keeps its track near 1: its estimate holds its loud moments too
        kind[ch] =
            speechLike
                ? NoiseKind.SPEECH_LIKE
                : LevelTrack.isStationary(noiseLevel[ch]) ? NoiseKind.STEADY : NoiseKind.SWINGING;
      }
      return new NoiseProfile(
          rate, n, channels, noise, mean, noiseLevel, kind, levels[0].span(), frames);
    }
  }

  /**
   * How many times the power of the quietest frames' spectrum the pauses' must hold to be the noise
   * estimate instead (see {@link VoicePauses}). Under stationary noise the two agree within 1.5
   * times (the pauses hold some of the voice's quietest sounds), and the quietest frames are the
   * purer estimate; under babble, a cafe or typing the pauses hold 2.2 to 1,000 times more
   * (docs/denoiser-tuning.md), and so does noise that swings slowly (pink noise under a 0.3 Hz
   * tremolo: 2.2 to 2.7).
   */
  static final double PAUSES_OVER_QUIETEST = 1.8;

  /**
   * Noise whose estimate comes from the voice's pauses is speech-like, and the gain treats it so
   * ({@link LogMmseGain#VOICE_FLOOR_DB}), unless its slow envelope ({@link LevelTrack}) reaches the
   * pauses' level over 30% of the input or more: then what lifts the pauses over the quietest
   * frames is the noise swinging slowly (pink noise under a 0.3 Hz tremolo: 44-59% of the input at
   * 0 and 5 dB), which the level track follows, not events as short as syllables (babble of one to
   * six talkers, a cafe, typing: 0-18%) (docs/denoiser-tuning.md).
   */
  static final double SWINGING_SHARE = 0.3;

  /** A noise power spectrum and the mean energy (above 100 Hz) of the frames it comes from. */
  record NoiseEstimate(double[] spectrum, double energy) {
    double power() {
      double sum = 0;
      for (double p : spectrum) {
        sum += p;
      }
      return sum;
    }
  }

  /** How many of {@code frames} define the noise profile: the quietest tenth. */
  static long noiseFrames(long frames) {
    return Math.round(frames * NOISE_FRAME_SHARE);
  }

  /**
   * How many frames the profile pass will see in {@code samples} per channel (a frame every n/4
   * samples, wholly inside the audio); 0 when the length is not known beforehand.
   */
  static long profileFrames(long samples, int n) {
    return samples < n ? 0 : 1 + (samples - n) / (n / 4);
  }

  /**
   * The first {@code length} samples times the window into {@code dst}, zero-padded to its length.
   */
  static void windowed(float[] samples, int length, double[] window, double[] dst) {
    for (int i = 0; i < dst.length; i++) {
      dst[i] = i < length ? samples[i] * window[i] : 0;
    }
  }

  private static boolean allZero(float[] x, int from, int length) {
    for (int i = from; i < from + length; i++) {
      if (x[i] != 0) {
        return false;
      }
    }
    return true;
  }

  private static double energy(float[] x, int from, int length) {
    double e = 0;
    for (int i = from; i < from + length; i++) {
      e += x[i] * x[i];
    }
    return e;
  }

  /**
   * Above 100 Hz, where frames are judged (for their energies only: the audio itself is not
   * filtered): which frames are the quietest, and how loud the noise is over time, should be judged
   * where speech is. Brown noise has most of its energy below 30 Hz, where it drifts slowly and at
   * random: judged over the whole band, the quietest frames would be those where the drift happens
   * to be small, and the level track would follow the drift.
   */
  static final double SPEECH_BAND_FROM_HZ = 100;

  /**
   * Calls back with every window of n samples starting at a multiple of n/4, as samples arrive (the
   * noise profile looks at frames twice as dense as the denoiser's: more candidates for the
   * quietest).
   */
  private static final class Framer {
    private final int n;
    private final int hop;
    private final float[] frame;
    private int filled;

    /** The first samples, kept for audio shorter than one frame. */
    final float[] head;

    int headLength;

    /** The frame high-passed, for its energy (see {@link #SPEECH_BAND_FROM_HZ}). */
    private final float[] banded;

    private final Biquad band;

    /**
     * The high-passed frame low-passed again, twice (24 dB per octave above the top): the voice
     * band (see {@link VoicePauses}).
     */
    private final float[] voiced;

    private final Biquad voiceTop;
    private final Biquad voiceTopAgain;

    Framer(int n, int sampleRate) {
      this.n = n;
      this.hop = n / 4;
      this.frame = new float[n];
      this.banded = new float[n];
      this.head = new float[n];
      this.band = Biquad.highPass(SPEECH_BAND_FROM_HZ, sampleRate);
      this.voiced = new float[n];
      this.voiceTop = Biquad.lowPass(VoicePauses.VOICE_BAND_TO_HZ, sampleRate);
      this.voiceTopAgain = Biquad.lowPass(VoicePauses.VOICE_BAND_TO_HZ, sampleRate);
    }

    /**
     * Receives each quarter's energies as it completes, then each window that it completes. A
     * quarter whose samples are all zero is digital silence (a file's padding, an edit's gap): it
     * holds no noise to measure, and a window with such a quarter would pass for the quietest.
     */
    interface FrameConsumer {
      /**
       * A hop-long quarter's energy above 100 Hz and in the voice band (see {@link VoicePauses}),
       * and whether it is digital silence.
       */
      void quarter(double energy, double voiceEnergy, boolean silent);

      /**
       * A window and its energy above 100 Hz (the same value in every pass, so passes agree on
       * frames), and whether any of its quarters is digital silence.
       */
      void frame(float[] frame, double energy, boolean touchesSilence);
    }

    /** Whether each of the window's four quarters is digital silence, oldest first. */
    private final boolean[] silent = new boolean[4];

    /** Energies of the window's four hop-long quarters, oldest first. */
    private final double[] quarters = new double[4];

    private boolean firstFrame = true;

    /** The window's quarter {@code slot}, from sample {@code from}: measured and passed on. */
    private void quarter(int slot, int from, FrameConsumer onFrame) {
      quarters[slot] = energy(banded, from, hop);
      silent[slot] = allZero(frame, from, hop);
      onFrame.quarter(quarters[slot], energy(voiced, from, hop), silent[slot]);
    }

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
        voiceTop.filter(banded, filled, voiced, filled, take);
        voiceTopAgain.filter(voiced, filled, voiced, filled, take);
        filled += take;
        i += take;
        if (filled == n) {
          // a window shares three quarters with the previous one: sum only the new quarter
          if (firstFrame) {
            for (int q = 0; q < 3; q++) {
              quarter(q + 1, q * hop, onFrame);
            }
            firstFrame = false;
          }
          System.arraycopy(quarters, 1, quarters, 0, 3);
          System.arraycopy(silent, 1, silent, 0, 3);
          quarter(3, n - hop, onFrame);
          onFrame.frame(
              frame,
              quarters[0] + quarters[1] + quarters[2] + quarters[3],
              silent[0] || silent[1] || silent[2] || silent[3]);
          System.arraycopy(frame, hop, frame, 0, n - hop);
          System.arraycopy(banded, hop, banded, 0, n - hop);
          System.arraycopy(voiced, hop, voiced, 0, n - hop);
          filled = n - hop;
        }
      }
    }
  }

  /**
   * The long-term mean power spectrum, speech and noise together, from a sample of the frames: a
   * pair of neighbouring frames out of every {@value #STRIDE}, both in one complex FFT (the sum of
   * two real frames' power spectra is the mean of the FFT's power at k and n-k). A statistic over
   * the whole signal needs no more, and it costs one FFT per {@value #STRIDE} frames.
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
          int m = k == 0 ? 0 : n - k;
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

  /**
   * The power spectra of the quietest frames seen so far: a max-heap on energy, of bounded size.
   * Spectra are computed two frames per complex FFT: a kept frame waits for the next one, unless it
   * is replaced first (its slot in the heap taken by a quieter frame) or the input ends.
   */
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

    /** A kept frame whose spectrum is still to be computed, into {@code pendingSpectrum}. */
    private final float[] pendingFrame;

    private float[] pendingSpectrum;

    private final double[] powerA;
    private final double[] powerB;

    /**
     * {@code expectedFrames}: how many frames will be offered, 0 if unknown. When it is known, only
     * the quietest tenth of them are kept from the start: a frame's spectrum is computed only if it
     * is among the quietest so far, and with room for all frames of a short input, every frame
     * would be.
     */
    QuietestFrames(int n, Fft fft, double[] window, long expectedFrames) {
      this.fft = fft;
      this.window = window;
      this.bins = n / 2 + 1;
      int bounded = Math.max(64, SPECTRA_BYTES / 4 / bins);
      this.capacity =
          expectedFrames > 0 ? (int) Math.min(bounded, noiseFrames(expectedFrames) + 1) : bounded;
      this.energies = new double[Math.min(capacity, 64)];
      this.spectra = new float[energies.length][];
      this.re = new double[n];
      this.im = new double[n];
      this.pendingFrame = new float[n];
      this.powerA = new double[bins];
      this.powerB = new double[bins];
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
        spectrum(frame, spectra[size]);
        energies[size] = energy;
        siftUp(size++);
      } else if (energy < energies[0]) {
        spectrum(frame, spectra[0]);
        energies[0] = energy;
        siftDown(0);
      }
    }

    /** The power spectrum of {@code frame} into {@code power}, now or with the next frame kept. */
    private void spectrum(float[] frame, float[] power) {
      if (pendingSpectrum == null || pendingSpectrum == power) {
        System.arraycopy(frame, 0, pendingFrame, 0, frame.length);
        pendingSpectrum = power;
        return;
      }
      windowed(pendingFrame, pendingFrame.length, window, re);
      windowed(frame, frame.length, window, im);
      fft.transform(re, im, false);
      Fft.unpackPowers(re, im, powerA, powerB);
      for (int k = 0; k < bins; k++) {
        pendingSpectrum[k] = (float) powerA[k];
        power[k] = (float) powerB[k];
      }
      pendingSpectrum = null;
    }

    /** Computes the spectrum of a frame still waiting for a partner. */
    private void flush() {
      if (pendingSpectrum != null) {
        single(pendingFrame, pendingFrame.length, pendingSpectrum);
        pendingSpectrum = null;
      }
    }

    private void single(float[] samples, int length, float[] power) {
      windowed(samples, length, window, re);
      fft.powerOfReal(re, im, powerA);
      for (int k = 0; k < bins; k++) {
        power[k] = (float) powerA[k];
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
      flush();
      if (size == 0) {
        float[] power = new float[bins];
        single(framer.head, framer.headLength, power);
        for (int k = 0; k < bins; k++) {
          noise[k] = power[k];
        }
        return new NoiseEstimate(noise, 0);
      }
      int take = (int) Math.min(size, Math.max(1, noiseFrames(offered)));
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
  }
}
