package io.jobhook.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** IN lists padded so that lists of any length share a few statement texts. */
class SqlTest {

  @Test
  void an_in_list_is_padded_with_its_last_value_to_a_power_of_two() {
    assertThat(Sql.inList(List.of("a"))).containsExactly("a", "a");
    assertThat(Sql.inList(List.of("a", "b"))).containsExactly("a", "b");
    assertThat(Sql.inList(List.of("a", "b", "c"))).containsExactly("a", "b", "c", "c");
    assertThat(Sql.inList(List.of(1, 2, 3, 4, 5))).hasSize(8).endsWith(5, 5, 5, 5);
    assertThat(Sql.inList(java.util.Collections.nCopies(1024, 7))).hasSize(1024);
    assertThat(Sql.placeholders(3)).isEqualTo("?, ?, ?");
  }
}
