package io.jobhook.process.noise;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobhook.audio.AudioStream;
import io.jobhook.audio.PcmAudio;
import io.jobhook.support.TestAudio;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The noise estimate from the voice's pauses: taken where the quietest frames misrepresent the
 * noise (clicks between the words), and left where they do not (stationary noise); and whether the
 * noise it was taken for is speech-like.
 */
class VoicePausesTest {
  private static final int RATE = 16000;

  @ParameterizedTest(name = "input SNR {0} dB")
  @ValueSource(doubles = {0, 5, 10})
  void under_typing_the_noise_estimate_holds_the_clicks(double inputSnr) {
    float[] clean = TestAudio.speechLike(RATE, 8);
    float[] noisy = TestAudio.mix(clean, TestAudio.typing(RATE, clean.length, 6, 21), inputSnr);
    NoiseProfile profile = profileOf(noisy);
    double estimated = power(profile.noise()[0]);
    double actual = power(KnownNoise.meanSpectrum(noiseOf(noisy, clean), frameSize()));
    assertThat(profile.noiseKind()[0]).isEqualTo(NoiseKind.SPEECH_LIKE);
    float[] out = InMemoryAudio.denoise(new PcmAudio(RATE, new float[][] {noisy})).channels()[0];
    double gain = TestAudio.snrDb(clean, out) - TestAudio.snrDb(clean, noisy);
    System.out.printf(
        "typing at %.0f dB: estimate %.3f of the noise's power, SNR gain %.2f dB%n",
        inputSnr, estimated / actual, gain);
    // the quietest frames, between the clicks, held under a thousandth of it: a gain of 0.00 dB
    // (2.9-4.0 dB now, the voice floor keeping the voice's quiet sounds at -6 to -9 dB)
    assertThat(estimated / actual).isBetween(0.7, 1.5);
    assertThat(gain).isGreaterThan(2.5);
  }

  @ParameterizedTest(name = "input SNR {0} dB")
  @ValueSource(doubles = {0, 5, 10})
  void under_white_noise_the_estimate_holds_the_noise_s_power_and_no_more(double inputSnr) {
    float[] clean = TestAudio.speechLike(RATE, 8);
    float[] noisy = TestAudio.mix(clean, TestAudio.whiteNoise(clean.length, 0.05, 22), inputSnr);
    double estimated = power(profileOf(noisy).noise()[0]);
    double actual = power(KnownNoise.meanSpectrum(noiseOf(noisy, clean), frameSize()));
    System.out.printf("white noise at %.0f dB: estimate %.3f%n", inputSnr, estimated / actual);
    assertThat(estimated / actual).isBetween(0.9, 1.05);
  }

  @Test
  void stationary_noise_is_not_speech_like() {
    float[] clean = TestAudio.speechLike(RATE, 8);
    float[] noisy = TestAudio.mix(clean, TestAudio.whiteNoise(clean.length, 0.05, 22), 0);
    assertThat(profileOf(noisy).noiseKind()[0]).isNotEqualTo(NoiseKind.SPEECH_LIKE);
  }

  /**
   * White noise under a slow tremolo (0.3 Hz, 60% deep): its pauses hold 1.8 times its quietest
   * frames' power or more, as a speech-like noise's do, and give the estimate, but what lifts them
   * is a swing the level track follows.
   */
  @Test
  void noise_that_swings_slowly_is_not_speech_like() {
    float[] clean = TestAudio.speechLike(RATE, 12);
    float[] noise = TestAudio.whiteNoise(clean.length, 0.05, 25);
    for (int i = 0; i < noise.length; i++) {
      noise[i] *= (float) (1 + 0.6 * Math.sin(2 * Math.PI * 0.3 * i / RATE));
    }
    NoiseProfile profile = profileOf(TestAudio.mix(clean, noise, 0));
    double actual = power(KnownNoise.meanSpectrum(noise, frameSize()));
    // the mean of the noise, not its troughs: the estimate came from the pauses
    assertThat(power(profile.noise()[0]) / actual).isGreaterThan(0.5);
    assertThat(profile.noiseKind()[0]).isNotEqualTo(NoiseKind.SPEECH_LIKE);
  }

  /** Channels decide alone: typing on the left, white noise on the right, each at 5 dB. */
  @Test
  void each_channel_takes_the_estimate_its_own_noise_calls_for() {
    int rate = 44100;
    float[] clean = TestAudio.speechLike(rate, 8);
    float[] typed = TestAudio.mix(clean, TestAudio.typing(rate, clean.length, 6, 23), 5);
    float[] hissed = TestAudio.mix(clean, TestAudio.whiteNoise(clean.length, 0.05, 24), 5);
    PcmAudio stereo = new PcmAudio(rate, new float[][] {typed, hissed});
    NoiseProfile profile;
    try {
      profile = NoiseProfiler.profile(() -> AudioStream.of(stereo), fraction -> {});
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    int n = SpectralDenoiser.frameSize(rate);
    double typing = power(KnownNoise.meanSpectrum(noiseOf(typed, clean), n));
    double white = power(KnownNoise.meanSpectrum(noiseOf(hissed, clean), n));
    System.out.printf(
        "stereo at 44.1 kHz: typing estimate %.3f, white noise estimate %.3f%n",
        power(profile.noise()[0]) / typing, power(profile.noise()[1]) / white);
    assertThat(power(profile.noise()[0]) / typing).isBetween(0.5, 1.5);
    assertThat(power(profile.noise()[1]) / white).isBetween(0.9, 1.05);
    assertThat(profile.noiseKind()[0]).isEqualTo(NoiseKind.SPEECH_LIKE);
    assertThat(profile.noiseKind()[1]).isNotEqualTo(NoiseKind.SPEECH_LIKE);
  }

  @Test
  void a_stream_longer_than_it_told_falls_back_to_the_quietest_frames() {
    float[] clean = TestAudio.speechLike(RATE, 8);
    float[] noisy = TestAudio.mix(clean, TestAudio.typing(RATE, clean.length, 6, 21), 5);
    PcmAudio audio = new PcmAudio(RATE, new float[][] {noisy});
    // frames above the level the told length allowed were not transformed: no estimate from them
    NoiseProfile profile;
    try {
      profile =
          NoiseProfiler.profile(
              () -> InMemoryAudio.telling(audio, noisy.length / 2), fraction -> {});
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    double actual = power(KnownNoise.meanSpectrum(noiseOf(noisy, clean), frameSize()));
    assertThat(power(profile.noise()[0]) / actual).isLessThan(0.01);
  }

  private static int frameSize() {
    return SpectralDenoiser.frameSize(RATE);
  }

  private static float[] noiseOf(float[] noisy, float[] clean) {
    float[] noise = new float[noisy.length];
    for (int i = 0; i < noise.length; i++) {
      noise[i] = noisy[i] - clean[i];
    }
    return noise;
  }

  private static double power(double[] spectrum) {
    double sum = 0;
    for (double p : spectrum) {
      sum += p;
    }
    return sum;
  }

  private static NoiseProfile profileOf(float[] samples) {
    PcmAudio audio = new PcmAudio(RATE, new float[][] {samples});
    try {
      return NoiseProfiler.profile(() -> AudioStream.of(audio), fraction -> {});
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
