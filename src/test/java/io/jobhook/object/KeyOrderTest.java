package io.jobhook.object;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyOrderTest {
  @Test
  void keys_compare_as_their_utf8_bytes_do() {
    List<String> keys = List.of("a", "a/", "ab", "é", "\uFF5E", "\uD83D\uDE00", "\uDBFF\uDFFF");
    for (String a : keys) {
      for (String b : keys) {
        assertThat(Integer.signum(KeyOrder.compare(a, b)))
            .as(a + " vs " + b)
            .isEqualTo(
                Integer.signum(
                    Arrays.compareUnsigned(
                        a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8))));
      }
    }
  }

  @Test
  void the_key_after_a_prefix_is_after_every_key_that_starts_with_it() {
    assertThat(KeyOrder.after("a/")).isEqualTo("a0");
    assertThat(KeyOrder.after("a\uD7FF")).isEqualTo("a\uE000");
    assertThat(KeyOrder.after("a\uDBFF\uDFFF")).isEqualTo("b");
    assertThat(KeyOrder.after("")).isNull();
    assertThat(KeyOrder.after("\uDBFF\uDFFF")).isNull();
    String after = KeyOrder.after("x\uFFFF");
    assertThat(KeyOrder.compare("x\uFFFF\uD83D\uDE00", after)).isNegative();
    assertThat(KeyOrder.compare("x\uFFFF", after)).isNegative();
  }
}
