package io.jobhook.process.noise;

import io.jobhook.audio.AudioFormatException;
import io.jobhook.audio.AudioStream;
import java.io.IOException;

/**
 * Noise reduction by short-time spectral gain: an STFT of 43-64 ms frames (see {@link #frameSize};
 * 51-100 ms under speech-like noise, see {@link #speechLikeFrameSize}) with 50% overlap
 * (square-root Hann analysis and synthesis windows, overlap-add: half the work of 75% overlap, for
 * the same quality), a noise power spectrum taken from the quietest frames of the whole signal and
 * scaled over time where the noise grows louder (see {@link LevelTrack}), a decision-directed
 * a-priori SNR estimate (Ephraim-Malah) refined by a second step (TSNR), and the
 * log-spectral-amplitude (log-MMSE) gain, floored so that the residual noise stays natural instead
 * of "musical"; where the noise is stationary, bins whose neighbourhood holds no speech go to that
 * floor. Channels are processed independently.
 *
 * <p>Everything streams: {@link #profile} reads the input once for the noise spectrum and {@link
 * DenoiseChannel} denoises block by block, so memory is bounded by the block and frame sizes, not
 * by the length of the audio.
 */
public final class SpectralDenoiser {
  /** Frames read per block. */
  static final int BLOCK = 16384;

  /** Receives the share of work done, 0.0 to 1.0. */
  @FunctionalInterface
  public interface Progress {
    void done(double fraction);
  }

  /**
   * The longest power-of-two frame of at most 64 ms (43-64 ms: 64 ms at 16 kHz, 46 ms at 44.1 kHz).
   * Fine frequency resolution is what separates the voice's low harmonics from noise under them
   * (brown, pink, hum), and longer frames would cost time resolution (docs/denoiser-tuning.md).
   */
  static int frameSize(int sampleRate) {
    return Math.max(64, Integer.highestOneBit((int) (sampleRate * MAX_FRAME_SECONDS)));
  }

  private static final double MAX_FRAME_SECONDS = 0.064;

  /**
   * The longest power-of-two frame of at most 100 ms (51-100 ms: 93 ms at 44.1 kHz, 64 ms at 16
   * kHz, where it is {@link #frameSize}'s): for speech-like noise (babble, a cafe, typing), whose
   * estimate comes from the voice's pauses, the finer frequency resolution separates the voice's
   * harmonics from the noise between them better than the shorter frames resolve its onsets
   * (docs/denoiser-tuning.md: at 44.1 kHz, 0.3-2.0 dB more SNR gain on those and STOI above the
   * input's on all of them; under steady noise the shorter frames keep 0.2-1.3 dB more).
   */
  static int speechLikeFrameSize(int sampleRate) {
    return Math.max(64, Integer.highestOneBit((int) (sampleRate * MAX_SPEECH_LIKE_FRAME_SECONDS)));
  }

  private static final double MAX_SPEECH_LIKE_FRAME_SECONDS = 0.1;

  /**
   * The noise profile of {@code source} (see {@link NoiseProfiler}), with the frames the denoiser
   * is to use: read once with {@link #frameSize}'s, and once more with {@link
   * #speechLikeFrameSize}'s when a channel's noise is speech-like and those are longer (then every
   * channel takes them, so that all stay aligned). Progress goes from 0 to 1 over the first pass.
   */
  public NoiseProfile profile(AudioStream.Source source, Progress progress)
      throws IOException, AudioFormatException {
    NoiseProfile profile = NoiseProfiler.profile(source, progress);
    boolean speechLike =
        java.util.Arrays.asList(profile.noiseKind()).contains(NoiseKind.SPEECH_LIKE);
    if (!speechLike || speechLikeFrameSize(profile.sampleRate()) == profile.frameSize()) {
      return profile;
    }
    return NoiseProfiler.profile(source, f -> {}, SpectralDenoiser::speechLikeFrameSize);
  }

  /** One streaming denoiser per channel of the profiled input. */
  DenoiseChannel[] channels(NoiseProfile profile) {
    DenoiseChannel[] out = new DenoiseChannel[profile.channels()];
    for (int ch = 0; ch < out.length; ch++) {
      out[ch] =
          new DenoiseChannel(
              profile.frameSize(),
              profile.sampleRate(),
              profile.noise()[ch],
              profile.mean()[ch],
              profile.noiseLevel()[ch],
              profile.noiseKind()[ch],
              profile.levelSpan());
    }
    return out;
  }

  /**
   * Blocks as large as the audio when it is short (a tiny job should not allocate for a long one).
   */
  static int blockSize(long frames) {
    return frames < 0 ? BLOCK : (int) Math.max(256, Math.min(BLOCK, frames));
  }

  private static final java.util.Map<Integer, double[]> SQRT_HANN =
      new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * The square root of the periodic Hann window of size n, for analysis and synthesis alike: their
   * product, a Hann window, adds up to a constant at 50% overlap. Shared, never to be modified.
   */
  static double[] sqrtHann(int n) {
    return SQRT_HANN.computeIfAbsent(
        n,
        size -> {
          double[] window = new double[size];
          for (int i = 0; i < size; i++) {
            window[i] = Math.sqrt(0.5 - 0.5 * Math.cos(2 * Math.PI * i / size));
          }
          return window;
        });
  }
}
