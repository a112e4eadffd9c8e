package io.jobhook.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobhook.api.HttpLimits;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The limits of the HTTP edge and the disk, as {@code serve} options. */
class CommandLineTest {

  @Test
  void the_limits_have_their_documented_defaults() {
    JobhookConfig c = CommandLine.parseServe(List.of(), Map.of());
    assertThat(c.http().headerTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.http().idleTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.http().maxConnectionsPerClient()).isEqualTo(256);
    assertThat(c.http().maxConnections()).isEqualTo(HttpLimits.defaultMaxConnections()).isBetween(16, 10_000);
    assertThat(c.http().maxSignatureWindow()).isEqualTo(Duration.ofDays(7));
    assertThat(c.diskReserveBytes()).isEqualTo(64L << 20);
  }

  @Test
  void every_limit_can_be_set() {
    JobhookConfig c = CommandLine.parseServe(List.of("--header-timeout", "5s", "--idle-timeout", "2m",
        "--max-connections", "500", "--max-connections-per-client", "20", "--max-signature-window", "1h",
        "--disk-reserve", "2GiB"), Map.of());
    assertThat(c.http()).isEqualTo(new HttpLimits(Duration.ofSeconds(5), Duration.ofMinutes(2), 500, 20,
        Duration.ofHours(1)));
    assertThat(c.diskReserveBytes()).isEqualTo(2L << 30);
    assertThat(CommandLine.parseServe(List.of("--disk-reserve", "500MB"), Map.of()).diskReserveBytes())
        .isEqualTo(500_000_000L);
    assertThat(CommandLine.parseServe(List.of("--disk-reserve", "0"), Map.of()).diskReserveBytes()).isZero();
  }

  @Test
  void nonsense_limits_are_refused_at_start() {
    for (List<String> args : List.of(List.of("--disk-reserve", "lots"), List.of("--max-connections", "0"),
        List.of("--header-timeout", "0s"), List.of("--max-signature-window", "forever"),
        List.of("--disk-reserve", "99999999999GiB"))) {
      assertThatThrownBy(() -> CommandLine.parseServe(args, Map.of())).as(args.toString())
          .isInstanceOf(RuntimeException.class);
    }
  }
}
