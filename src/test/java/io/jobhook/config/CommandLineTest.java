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
    assertThat(c.api().limits().headerTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.api().limits().idleTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.api().limits().maxConnectionsPerClient()).isEqualTo(256);
    assertThat(c.api().limits().maxConnections())
        .isEqualTo(HttpLimits.defaultMaxConnections())
        .isBetween(16, 10_000);
    assertThat(c.api().limits().maxSignatureWindow()).isEqualTo(Duration.ofDays(7));
    assertThat(c.storage().diskReserveBytes()).isEqualTo(64L << 20);
  }

  @Test
  void every_limit_can_be_set() {
    JobhookConfig c =
        CommandLine.parseServe(
            List.of(
                "--header-timeout",
                "5s",
                "--idle-timeout",
                "2m",
                "--max-connections",
                "500",
                "--max-connections-per-client",
                "20",
                "--max-signature-window",
                "1h",
                "--disk-reserve",
                "2GiB"),
            Map.of());
    assertThat(c.api().limits())
        .isEqualTo(
            new HttpLimits(
                Duration.ofSeconds(5), Duration.ofMinutes(2), 500, 20, Duration.ofHours(1)));
    assertThat(c.storage().diskReserveBytes()).isEqualTo(2L << 30);
    assertThat(
            CommandLine.parseServe(List.of("--disk-reserve", "500MB"), Map.of())
                .storage()
                .diskReserveBytes())
        .isEqualTo(500_000_000L);
    assertThat(
            CommandLine.parseServe(List.of("--disk-reserve", "0"), Map.of())
                .storage()
                .diskReserveBytes())
        .isZero();
  }

  @Test
  void the_effective_configuration_names_every_setting_and_masks_passwords() {
    JobhookConfig c =
        CommandLine.parseServe(
            List.of(
                "--database-url",
                "jdbc:postgresql://db:5432/jobhook?user=jh&password=hunter2",
                "--max-running-jobs",
                "3"),
            Map.of("JOBHOOK_DB_PASSWORD", "s3cret"));
    List<String> lines = c.describe();
    assertThat(lines)
        .contains(
            "jobs.maxRunning=3",
            "storage.databasePassword=***",
            "callbacks.circuitFailures=5",
            "api.port=8080",
            "workflows.maxEventAttempts=10");
    assertThat(String.join("\n", lines))
        .doesNotContain("hunter2")
        .doesNotContain("s3cret")
        .contains("password=***");
  }

  @Test
  void nonsense_limits_are_refused_at_start() {
    for (List<String> args :
        List.of(
            List.of("--disk-reserve", "lots"),
            List.of("--max-connections", "0"),
            List.of("--header-timeout", "0s"),
            List.of("--max-signature-window", "forever"),
            List.of("--disk-reserve", "99999999999GiB"))) {
      assertThatThrownBy(() -> CommandLine.parseServe(args, Map.of()))
          .as(args.toString())
          .isInstanceOf(RuntimeException.class);
    }
  }
}
