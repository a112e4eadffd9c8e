package io.jobhook.process.noise;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The gain's rules that a whole denoised file shows only through its scores. */
class LogMmseGainTest {
  private static final int RATE = 16000;
  private static final int N = SpectralDenoiser.frameSize(RATE);
  private static final int BINS = N / 2 + 1;
  private static final double FLOOR = 0.1;

  /** The voice floor of noisy input: -9 dB. */
  private static final double VOICE_FLOOR = Math.pow(10, LogMmseGain.VOICE_FLOOR_DB / 20);

  /** A bin of the voice band whose power is half the noise's: the estimator takes it down. */
  private static final int QUIET_BIN = (int) Math.round(1000.0 * N / RATE);

  @Test
  void under_speech_like_noise_no_bin_falls_below_the_voice_floor_while_the_voice_is_heard() {
    double[] withVoiceFloor = gainAfter(speechLike(), framesWithTheVoice());
    double[] without = gainAfter(LogMmseGain.VoiceBand.NONE, framesWithTheVoice());
    assertThat(without[QUIET_BIN]).isLessThan(VOICE_FLOOR);
    assertThat(withVoiceFloor[QUIET_BIN]).isGreaterThanOrEqualTo(VOICE_FLOOR);
    // bins the estimator keeps above the voice floor are left as they are
    int loud = QUIET_BIN + 5;
    assertThat(without[loud]).isGreaterThan(VOICE_FLOOR);
    assertThat(withVoiceFloor[loud]).isEqualTo(without[loud]);
  }

  @Test
  void in_the_voice_s_pauses_the_gain_is_the_estimator_s() {
    double[] withVoiceFloor = gainAfter(speechLike(), framesOfNoiseAlone());
    double[] without = gainAfter(LogMmseGain.VoiceBand.NONE, framesOfNoiseAlone());
    assertThat(without[QUIET_BIN]).isLessThan(VOICE_FLOOR);
    assertThat(withVoiceFloor).containsExactly(without);
  }

  @Test
  void the_voice_floor_holds_for_the_hangover_after_the_voice_was_last_heard() {
    LogMmseGain.VoiceBand band = speechLike();
    assertThat(band.hangoverFrames()).isEqualTo(3); // 0.1 s of 32 ms hops
    for (int after = 1; after <= band.hangoverFrames() + 1; after++) {
      double[][] frames = new double[20 + after][];
      Arrays.fill(frames, 0, 20, framesWithTheVoice()[0]);
      Arrays.fill(frames, 20, frames.length, framesOfNoiseAlone()[0]);
      double quiet = gainAfter(band, frames)[QUIET_BIN];
      if (after <= band.hangoverFrames()) {
        assertThat(quiet).as("%d frames after", after).isEqualTo(VOICE_FLOOR);
      } else {
        assertThat(quiet).as("%d frames after", after).isLessThan(VOICE_FLOOR);
      }
    }
  }

  @Test
  void where_the_voice_stands_well_above_the_noise_its_floor_is_higher() {
    double[] noise = flat(1);
    assertThat(LogMmseGain.VoiceBand.of(NoiseKind.SPEECH_LIKE, noise, flat(1), RATE, N).floor())
        .isEqualTo(VOICE_FLOOR);
    // long-term SNR 6 dB and below: -9 dB; 7 dB and above: -6 dB
    assertThat(
            LogMmseGain.VoiceBand.of(
                    NoiseKind.SPEECH_LIKE, noise, flat(1 + Math.pow(10, 0.6)), RATE, N)
                .floor())
        .isEqualTo(VOICE_FLOOR);
    LogMmseGain.VoiceBand clean =
        LogMmseGain.VoiceBand.of(NoiseKind.SPEECH_LIKE, noise, flat(10), RATE, N);
    assertThat(clean.floor()).isEqualTo(Math.pow(10, LogMmseGain.VOICE_FLOOR_CLEAN_DB / 20));
    assertThat(gainAfter(clean, framesWithTheVoice())[QUIET_BIN])
        .isGreaterThanOrEqualTo(clean.floor());
  }

  @Test
  void below_the_voice_band_the_gain_is_the_estimator_s() {
    int rumble = (int) (50.0 * N / RATE);
    double[] withVoiceFloor = gainAfter(speechLike(), framesWithTheVoice());
    double[] without = gainAfter(LogMmseGain.VoiceBand.NONE, framesWithTheVoice());
    assertThat(without[rumble]).isLessThan(VOICE_FLOOR);
    assertThat(withVoiceFloor[rumble]).isEqualTo(without[rumble]);
  }

  private static LogMmseGain.VoiceBand speechLike() {
    return LogMmseGain.VoiceBand.of(NoiseKind.SPEECH_LIKE, flat(1), flat(1), RATE, N);
  }

  /** Twenty frames of the voice (30 times the noise's power) with a quiet bin and rumble. */
  private static double[][] framesWithTheVoice() {
    double[] frame = flat(30);
    frame[QUIET_BIN] = 0.5;
    frame[(int) (50.0 * N / RATE)] = 0.5;
    return repeat(frame);
  }

  private static double[][] framesOfNoiseAlone() {
    double[] frame = flat(1);
    frame[QUIET_BIN] = 0.5;
    return repeat(frame);
  }

  private static double[][] repeat(double[] frame) {
    double[][] frames = new double[20][];
    Arrays.fill(frames, frame);
    return frames;
  }

  /** The gain of the last of {@code powers}, frames of a bin's power over a noise of power 1. */
  private static double[] gainAfter(LogMmseGain.VoiceBand voiceBand, double[][] powers) {
    double[] floor = flat(FLOOR);
    for (int k = 0; k < BINS; k++) {
      if ((double) k * RATE / N < LogMmseGain.LOW_FREQUENCY_HZ) {
        floor[k] = LogMmseGain.LOW_FREQUENCY_FLOOR;
      }
    }
    LogMmseGain gain = new LogMmseGain(flat(1), floor, BINS, LogMmseGain.ALPHA, BINS, 1, voiceBand);
    double[] out = new double[BINS];
    double[] im = new double[BINS];
    for (double[] power : powers) {
      double[] re = new double[BINS];
      for (int k = 0; k < BINS; k++) {
        re[k] = Math.sqrt(power[k]);
      }
      gain.next(re, im, 1, out);
    }
    return out;
  }

  private static double[] flat(double value) {
    double[] x = new double[BINS];
    Arrays.fill(x, value);
    return x;
  }
}
