package io.jobhook.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class EventPollingTest {
  @Test
  void waits_longer_while_nothing_changes_up_to_two_seconds_and_fast_again_after_a_change() {
    EventPolling polling = EventPolling.start();
    assertThat(polling.delay()).isEqualTo(Duration.ofMillis(300));
    polling = polling.after(false);
    assertThat(polling.delay()).isEqualTo(Duration.ofMillis(600));
    polling = polling.after(false).after(false);
    assertThat(polling.delay()).isEqualTo(Duration.ofSeconds(2));
    polling = polling.after(false);
    assertThat(polling.delay()).as("never beyond the slowest").isEqualTo(Duration.ofSeconds(2));
    polling = polling.after(true);
    assertThat(polling.delay()).isEqualTo(Duration.ofMillis(300));
  }
}
