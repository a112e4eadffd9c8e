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
    assertThat(c.storage().abortUploadsAfter()).isEqualTo(Duration.ofDays(7));
    assertThat(c.jobs().retainJobs()).isEqualTo(Duration.ofDays(30));
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
                "2GiB",
                "--abort-uploads-after",
                "36h",
                "--retain-jobs",
                "90d"),
            Map.of());
    assertThat(c.jobs().retainJobs()).isEqualTo(Duration.ofDays(90));
    assertThat(CommandLine.parseServe(List.of("--retain-jobs", "0"), Map.of()).jobs().retainJobs())
        .isZero();
    assertThat(c.storage().abortUploadsAfter()).isEqualTo(Duration.ofHours(36));
    assertThat(
            CommandLine.parseServe(List.of("--abort-uploads-after", "0"), Map.of())
                .storage()
                .abortUploadsAfter())
        .isZero();
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
  void every_callback_setting_can_be_set_and_a_contradictory_one_is_refused() {
    CallbacksConfig c =
        CommandLine.parseServe(
                List.of(
                    "--allow-private-callbacks",
                    "--callback-allow-cidr",
                    "10.1.0.0/16",
                    "--callback-retry-schedule",
                    "0s,1m",
                    "--callback-timeout",
                    "3s",
                    "--callback-connect-timeout",
                    "1s",
                    "--callback-max-per-destination",
                    "8",
                    "--retain-delivered",
                    "1d",
                    "--retain-failed",
                    "2d"),
                Map.of())
            .callbacks();
    assertThat(c.allowPrivate()).isTrue();
    assertThat(c.allowList()).hasSize(1);
    assertThat(c.allowList().get(0).prefix()).isEqualTo(16);
    assertThat(c.retry().schedule()).containsExactly(Duration.ZERO, Duration.ofMinutes(1));
    assertThat(c.timeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(c.connectTimeout()).isEqualTo(Duration.ofSeconds(1));
    assertThat(c.maxPerDestination()).isEqualTo(8);
    assertThat(c.retainDelivered()).isEqualTo(Duration.ofDays(1));
    assertThat(c.retainFailed()).isEqualTo(Duration.ofDays(2));
    // what no option sets keeps its default
    assertThat(c.circuitFailures()).isEqualTo(CallbacksConfig.defaults().circuitFailures());
    assertThat(c.claimBatch()).isEqualTo(CallbacksConfig.defaults().claimBatch());

    assertThatThrownBy(
            () ->
                CommandLine.parseServe(
                    List.of("--retain-delivered", "10d", "--retain-failed", "1d"), Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("failed callbacks must be kept at least as long");
    assertThatThrownBy(
            () -> CommandLine.parseServe(List.of("--callback-max-per-destination", "0"), Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--callback-max-per-destination");
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
  void a_cluster_node_names_its_lease_object_store_and_kafka_clusters() {
    JobhookConfig defaults = CommandLine.parseServe(List.of(), Map.of());
    assertThat(defaults.jobs().lease()).isEqualTo(Duration.ofSeconds(30));
    assertThat(defaults.storage().objectStore()).isNull();
    assertThat(defaults.callbacks().kafka()).isEmpty();

    JobhookConfig c =
        CommandLine.parseServe(
            List.of(
                "--lease-duration",
                "5s",
                "--object-store",
                "s3://media/jobhook?endpoint=http://127.0.0.1:9000&region=us-east-1&pathStyle=true",
                "--kafka-instance",
                "prod=k1:9092,k2:9092",
                "--kafka-instance",
                "dev=localhost:9092",
                "--kafka-property",
                "prod.security.protocol=SASL_SSL",
                "--kafka-property",
                "prod.sasl.jaas.config=PlainLoginModule required password=\"hunter2\";"),
            Map.of());
    assertThat(c.jobs().lease()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.storage().objectStore().bucket()).isEqualTo("media");
    assertThat(c.storage().objectStore().prefix()).isEqualTo("jobhook/");
    assertThat(c.callbacks().kafka())
        .extracting(k -> k.id() + "=" + k.bootstrapServers())
        .containsExactly("prod=k1:9092,k2:9092", "dev=localhost:9092");
    assertThat(c.callbacks().kafka().get(0).properties())
        .containsEntry("security.protocol", "SASL_SSL")
        .containsKey("sasl.jaas.config");
    assertThat(String.join("\n", c.describe())).contains("k1:9092").doesNotContain("hunter2");
  }

  @Test
  void metrics_token_log_format_and_levels_are_read_and_the_token_never_shown() {
    JobhookConfig defaults = CommandLine.parseServe(List.of(), Map.of());
    assertThat(defaults.api().metricsToken()).isNull();
    assertThat(defaults.logging().json()).isFalse();
    assertThat(defaults.logging().levels()).isEmpty();

    JobhookConfig c =
        CommandLine.parseServe(
            List.of(
                "--metrics-token",
                "scrape-me-please-0123",
                "--log-format",
                "JSON",
                "--log-level",
                "io.jobhook.callback=debug",
                "--log-level",
                "warn"),
            Map.of());
    assertThat(c.api().metricsToken()).isEqualTo("scrape-me-please-0123");
    assertThat(c.logging().json()).isTrue();
    assertThat(c.logging().levels())
        .containsEntry("io.jobhook.callback", "DEBUG")
        .containsEntry(LoggingConfig.ROOT, "WARN");
    assertThat(c.describe()).contains("api.metricsToken=***");
    assertThat(String.join("\n", c.describe())).doesNotContain("scrape-me-please");

    JobhookConfig fromEnvironment =
        CommandLine.parseServe(List.of(), Map.of("JOBHOOK_METRICS_TOKEN", "from-the-environment"));
    assertThat(fromEnvironment.api().metricsToken()).isEqualTo("from-the-environment");
  }

  @Test
  void nonsense_limits_are_refused_at_start() {
    for (List<String> args :
        List.of(
            List.of("--disk-reserve", "lots"),
            List.of("--abort-uploads-after", "soon"),
            List.of("--retain-jobs", "-1d"),
            List.of("--max-connections", "0"),
            List.of("--header-timeout", "0s"),
            List.of("--max-signature-window", "forever"),
            List.of("--disk-reserve", "99999999999GiB"),
            List.of("--lease-duration", "100ms"),
            List.of("--kafka-instance", "nohosts"),
            List.of("--kafka-instance", "a=h:1", "--kafka-instance", "a=h:2"),
            List.of("--kafka-property", "other.acks=1"),
            List.of("--object-store", "http://not-s3/bucket"),
            List.of("--metrics-token", "short"),
            List.of("--log-format", "xml"),
            List.of("--log-level", "io.jobhook=loud"),
            List.of("--log-level", "=info"))) {
      assertThatThrownBy(() -> CommandLine.parseServe(args, Map.of()))
          .as(args.toString())
          .isInstanceOf(RuntimeException.class);
    }
  }
}
