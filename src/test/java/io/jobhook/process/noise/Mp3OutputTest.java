package io.jobhook.process.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobhook.audio.AudioFormatException;
import io.jobhook.audio.Mp3Decoder;
import io.jobhook.audio.OutputFormat;
import io.jobhook.audio.PcmAudio;
import io.jobhook.audio.TempFiles;
import io.jobhook.job.JobOperation;
import io.jobhook.job.JobsException;
import io.jobhook.job.ObjectRef;
import io.jobhook.support.TestAudio;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Format=mp3: LAME output that our own decoder (and any player) reads back. */
class Mp3OutputTest {

  static byte[] denoise(byte[] input, Integer rate, OutputFormat format) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new NoiseReductionProcessor(null, null)
        .denoise(
            NoiseReductionProcessor.prepare(
                () -> new ByteArrayInputStream(input), new TempFiles(null)),
            rate,
            format,
            out,
            f -> {});
    return out.toByteArray();
  }

  @Test
  void stereo_44k_denoised_to_mp3_decodes_with_its_rate_channels_and_length() throws Exception {
    float[] left =
        TestAudio.mix(TestAudio.speechLike(44100, 2), TestAudio.whiteNoise(88200, 0.05, 1), 5);
    float[] right =
        TestAudio.mix(TestAudio.speechLike(44100, 2), TestAudio.whiteNoise(88200, 0.05, 2), 5);
    byte[] mp3 = denoise(TestAudio.wav16(44100, left, right), null, OutputFormat.MP3);

    assertThat(Mp3Decoder.looksLikeMp3(mp3)).isTrue();
    assertThat(mp3.length).as("CBR 192 kbit/s is far smaller than WAV").isLessThan(88200 * 4 / 4);
    PcmAudio decoded = Mp3Decoder.decode(mp3);
    assertThat(decoded.sampleRate()).isEqualTo(44100);
    assertThat(decoded.channelCount()).isEqualTo(2);
    // the encoder adds its delay and pads the last frame: at most a few MP3 frames of 1,152 samples
    assertThat(decoded.frames()).isBetween(88200, 88200 + 4 * 1152);
    assertThat(TestAudio.power(decoded.channels()[0])).isGreaterThan(1e-4);
  }

  @Test
  void mono_resampled_to_16k_mp3() throws Exception {
    float[] noisy =
        TestAudio.mix(TestAudio.speechLike(48000, 1), TestAudio.whiteNoise(48000, 0.05, 3), 5);
    PcmAudio decoded =
        Mp3Decoder.decode(denoise(TestAudio.wav16(48000, noisy), 16000, OutputFormat.MP3));
    assertThat(decoded.sampleRate()).isEqualTo(16000);
    assertThat(decoded.channelCount()).isEqualTo(1);
    assertThat(decoded.frames()).isBetween(16000, 16000 + 4 * 1152);
  }

  @Test
  void mp3_output_refuses_what_mp3_cannot_carry_and_the_job_says_how_to_fix_it() {
    byte[] fourChannels =
        TestAudio.wav16(16000, new float[1600], new float[1600], new float[1600], new float[1600]);
    assertThatThrownBy(() -> denoise(fourChannels, null, OutputFormat.MP3))
        .isInstanceOfSatisfying(
            AudioFormatException.class, e -> assertThat(e.code).isEqualTo("InvalidParameter"))
        .hasMessageContaining("1 or 2 channels");
    byte[] rate96k = TestAudio.wav16(96000, new float[9600]);
    assertThatThrownBy(() -> denoise(rate96k, null, OutputFormat.MP3))
        .hasMessageContaining("set SampleRate");
  }

  @Test
  void the_format_setting_accepts_wav_and_mp3_only() {
    ObjectRef out = new ObjectRef("b", "r", "o.mp3");
    new NoiseReductionProcessor(null, null)
        .validate(new JobOperation(out, "", "", 0, Map.of("Format", "MP3")));
    new NoiseReductionProcessor(null, null)
        .validate(new JobOperation(out, "", "", 0, Map.of("Format", "wav")));
    assertThatThrownBy(
            () ->
                new NoiseReductionProcessor(null, null)
                    .validate(new JobOperation(out, "", "", 0, Map.of("Format", "aac"))))
        .isInstanceOf(JobsException.InvalidJob.class)
        .hasMessageContaining("supported: wav, mp3");
  }
}
