package io.jobhook.process.noise;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobhook.audio.AudioStream;
import io.jobhook.audio.PcmAudio;
import io.jobhook.support.TestAudio;
import org.junit.jupiter.api.Test;

/**
 * The frames the denoiser takes: 43-64 ms, or 51-100 ms when a channel's noise is speech-like (see
 * {@link SpectralDenoiser#speechLikeFrameSize}), for every channel of the input.
 */
class FrameSizeTest {

  @Test
  void speech_like_noise_at_44_1_khz_is_denoised_with_93_ms_frames_steady_noise_with_46_ms() {
    int rate = 44100;
    float[] clean = TestAudio.speechLike(rate, 6);
    float[] typing = TestAudio.mix(clean, TestAudio.typing(rate, clean.length, 6, 21), 5);
    float[] white = TestAudio.mix(clean, TestAudio.whiteNoise(clean.length, 0.05, 22), 5);

    assertThat(profileOf(rate, typing).frameSize()).isEqualTo(4096);
    assertThat(profileOf(rate, white).frameSize()).isEqualTo(2048);
    // a stereo input whose one channel is speech-like: both channels take the longer frames
    NoiseProfile both = profileOf(rate, typing, white);
    assertThat(both.frameSize()).isEqualTo(4096);
    assertThat(both.noise()[1]).hasSize(4096 / 2 + 1);
  }

  @Test
  void at_16_khz_the_frames_are_64_ms_whatever_the_noise() {
    int rate = 16000;
    float[] clean = TestAudio.speechLike(rate, 6);
    float[] typing = TestAudio.mix(clean, TestAudio.typing(rate, clean.length, 6, 21), 5);
    NoiseProfile profile = profileOf(rate, typing);
    assertThat(profile.noiseKind()[0]).isEqualTo(NoiseKind.SPEECH_LIKE);
    assertThat(profile.frameSize()).isEqualTo(1024);
  }

  private static NoiseProfile profileOf(int rate, float[]... channels) {
    PcmAudio audio = new PcmAudio(rate, channels);
    try {
      return new SpectralDenoiser().profile(() -> AudioStream.of(audio), fraction -> {});
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
