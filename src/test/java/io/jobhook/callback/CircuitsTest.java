package io.jobhook.callback;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobhook.callback.Circuits.Admission;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import org.junit.jupiter.api.Test;

class CircuitsTest {
  static final String DEAD = "http://dead.example:80";
  static final String FINE = "http://fine.example:80";

  Instant now = Instant.parse("2026-01-01T00:00:00Z");
  final InstantSource clock = () -> now;
  final Circuits circuits =
      new Circuits(clock, 3, Duration.ofSeconds(5), Duration.ofSeconds(20), destination -> 2);

  void fail(String destination) {
    assertThat(circuits.tryStart(destination)).isEqualTo(Admission.STARTED);
    circuits.finished(destination, false);
  }

  @Test
  void a_destination_that_keeps_failing_is_opened_probed_and_closed_again() {
    fail(DEAD);
    fail(DEAD);
    assertThat(circuits.blocked()).isEmpty();
    fail(DEAD);
    assertThat(circuits.blocked()).containsExactly(DEAD);
    assertThat(circuits.tryStart(DEAD)).isEqualTo(Admission.OPEN);
    assertThat(circuits.states()).containsEntry(DEAD, Circuits.State.OPEN);
    assertThat(circuits.tryStart(FINE)).as("others are not affected").isEqualTo(Admission.STARTED);

    now = now.plusSeconds(5);
    assertThat(circuits.states()).containsEntry(DEAD, Circuits.State.HALF_OPEN);
    assertThat(circuits.tryStart(DEAD)).as("one probe").isEqualTo(Admission.STARTED);
    assertThat(circuits.tryStart(DEAD)).as("only one probe").isEqualTo(Admission.OPEN);
    circuits.finished(DEAD, false);
    now = now.plusSeconds(9);
    assertThat(circuits.tryStart(DEAD))
        .as("the cool-down doubled to 10 s")
        .isEqualTo(Admission.OPEN);
    now = now.plusSeconds(1);
    assertThat(circuits.tryStart(DEAD)).isEqualTo(Admission.STARTED);
    circuits.finished(DEAD, true);
    assertThat(circuits.blocked()).isEmpty();
    assertThat(circuits.tryStart(DEAD)).isEqualTo(Admission.STARTED);
  }

  @Test
  void a_destination_at_its_in_flight_limit_is_saturated_until_an_attempt_ends() {
    assertThat(circuits.tryStart(FINE)).isEqualTo(Admission.STARTED);
    assertThat(circuits.tryStart(FINE)).isEqualTo(Admission.STARTED);
    assertThat(circuits.tryStart(FINE)).isEqualTo(Admission.SATURATED);
    assertThat(circuits.blocked()).containsExactly(FINE);
    circuits.finished(FINE, true);
    assertThat(circuits.tryStart(FINE)).isEqualTo(Admission.STARTED);
  }

  @Test
  void the_cool_down_stops_growing_at_its_maximum() {
    for (int i = 0; i < 3; i++) {
      fail(DEAD);
    }
    for (int round = 0; round < 5; round++) {
      now = now.plusSeconds(20);
      assertThat(circuits.tryStart(DEAD)).isEqualTo(Admission.STARTED);
      circuits.finished(DEAD, false);
    }
    now = now.plusSeconds(20);
    assertThat(circuits.tryStart(DEAD)).isEqualTo(Admission.STARTED);
  }
}
