package io.jobhook.audio;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobhook.support.TestAudio;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class WavCodecTest {
  /** Three channels of 16-bit samples, each with its own values, the extremes among them. */
  @Test
  void a_16_bit_file_reads_back_each_channel_apart_to_the_exact_sample() throws Exception {
    short[][] written = {
      {0, 1, -1, Short.MAX_VALUE, Short.MIN_VALUE, 12345},
      {-2, 300, -300, 7, Short.MIN_VALUE, Short.MAX_VALUE},
      {100, -100, 0, -32767, 32766, -12345}
    };
    PcmAudio audio = WavCodec.decode(TestAudio.wav16(8000, written));
    assertThat(audio.channelCount()).isEqualTo(3);
    for (int ch = 0; ch < 3; ch++) {
      float[] expected = new float[written[ch].length];
      for (int f = 0; f < expected.length; f++) {
        expected[f] = written[ch][f] / 32768f;
      }
      assertThat(audio.channels()[ch]).as("channel %d", ch).containsExactly(expected);
    }
  }

  /**
   * Written with dither, a sample lands within one step of its value; beyond full scale it is
   * clipped to the range, and 0 stays within a step of 0.
   */
  @Test
  void written_samples_are_dithered_by_at_most_a_step_and_clipped_at_full_scale() throws Exception {
    float[] left = {0f, 0.5f, -0.5f, 1.5f, -1.5f, 1f, -1f, 1e-6f};
    float[] right = {0.25f, -0.25f, 3f, -3f, 0f, 0.001f, -0.001f, 0.75f};
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    WavCodec.encode16(new PcmAudio(8000, new float[][] {left, right}), out);
    ByteBuffer data = ByteBuffer.wrap(out.toByteArray(), 44, left.length * 4);
    data.order(ByteOrder.LITTLE_ENDIAN);
    for (int f = 0; f < left.length; f++) {
      for (float sample : new float[] {left[f], right[f]}) {
        short got = data.getShort();
        double exact = Math.max(-32768, Math.min(32767, sample * 32767.0));
        assertThat((double) got).as("sample %s", sample).isBetween(exact - 1, exact + 1);
      }
    }
  }
}
