package io.jobhook.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ScopeTest {
  @Test
  void a_scope_allows_its_buckets_and_a_read_only_one_no_writes() {
    Scope two = new Scope(false, List.of("a-1", "b-1"), false);
    assertThat(two.allows("a-1", true)).isTrue();
    assertThat(two.allows("c-1", false)).isFalse();
    Scope reads = new Scope(false, List.of("a-1"), true);
    assertThat(reads.allows("a-1", false)).isTrue();
    assertThat(reads.allows("a-1", true)).isFalse();
    Scope everywhere = new Scope(false, List.of(), false);
    assertThat(everywhere.allows("any-1", true)).isTrue();
    assertThat(Scope.ADMINISTRATOR.allows("any-1", true)).isTrue();
    assertThatThrownBy(() -> new Scope(true, List.of("a-1"), false))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
