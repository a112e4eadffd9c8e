package io.jobhook.audio;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FloatBlockTest {
  @Test
  void a_block_made_with_room_for_one_sample_takes_any_number_in_order() {
    FloatBlock block = new FloatBlock(1);
    float[] expected = new float[5000];
    for (int i = 0; i < expected.length; i++) {
      expected[i] = i * 0.5f;
    }
    block.add(expected[0]);
    block.addAll(expected, 1, 999);
    double[] wide = new double[4000];
    for (int i = 0; i < wide.length; i++) {
      wide[i] = expected[1000 + i];
    }
    block.addAll(wide, 0, wide.length);
    assertThat(block.size()).isEqualTo(expected.length);
    assertThat(Arrays.copyOf(block.data(), block.size())).containsExactly(expected);

    block.clear();
    block.add(7f);
    assertThat(block.size()).isEqualTo(1);
    assertThat(block.data()[0]).isEqualTo(7f);
  }
}
