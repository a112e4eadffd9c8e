package io.jobhook.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobhook.callback.RetryPolicy;
import io.jobhook.config.JobhookConfig;
import io.jobhook.support.CallbackReceiver;
import io.jobhook.support.RawHttp;
import io.jobhook.support.TestAudio;
import io.jobhook.support.TestNode;
import io.jobhook.support.Workflows;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /metrics through the Prometheus client: the token, the formats, and each feature's series. */
class MetricsIT {
  static final String PAUSED_BUCKET = "paused-1250000000";
  @TempDir static Path dataDir;
  static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start(dataDir, RetryPolicy.parse("0s,50ms,100ms"));
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void metrics_need_the_bearer_token() throws Exception {
    var none = scrape(null, null);
    assertThat(none.status()).isEqualTo(401);
    assertThat(none.text()).contains("<Code>AccessDenied</Code>").doesNotContain("jobhook_");
    var wrong = scrape("Bearer not-the-token-at-all", null);
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(wrong.text()).doesNotContain("jobhook_");
    var basic = scrape("Basic " + TestNode.METRICS_TOKEN, null);
    assertThat(basic.status()).isEqualTo(401);
    assertThat(scrape("Bearer " + TestNode.METRICS_TOKEN, null).status()).isEqualTo(200);
  }

  @Test
  void a_node_without_a_token_refuses_every_scrape(@TempDir Path otherData) throws Exception {
    JobhookConfig config = TestNode.config(otherData, RetryPolicy.parse("0s"), true, false);
    try (TestNode open = TestNode.start(config.withApi(config.api().withMetricsToken(null)))) {
      var r =
          RawHttp.send(
              open.port(),
              "GET",
              "/metrics",
              Map.of("Host", "127.0.0.1", "Authorization", "Bearer " + TestNode.METRICS_TOKEN),
              null);
      assertThat(r.status()).isEqualTo(403);
      assertThat(r.text()).contains("--metrics-token").doesNotContain("jobhook_");
    }
  }

  @Test
  void jobs_callbacks_queues_workflows_http_jvm_and_process_are_reported() throws Exception {
    byte[] wav = TestAudio.wav16(16000, TestAudio.speechLike(16000, 0.5));
    assertThat(RawHttp.signed(node.port(), "PUT", RawHttp.COS_HOST, "/in/m.wav", wav).status())
        .isEqualTo(200);
    try (CallbackReceiver receiver = CallbackReceiver.start();
        CallbackReceiver busy = CallbackReceiver.start()) {
      busy.respond(request -> CallbackReceiver.Reply.status(503).withHeader("Retry-After", "60"));
      submit("in/m.wav", busy.url("/busy"));
      String ok = submit("in/m.wav", receiver.url("/ok"));
      String missing = submit("in/none.wav", receiver.url("/missing"));
      awaitEnded(ok, "Success");
      awaitEnded(missing, "Failed");
      Workflows.create(
          node.port(),
          TestNode.BUCKET,
          Workflows.definition(
              "m", "wf/", "<Start>A</Start><A>End</A>", "wf-out/${Node}.wav", "A"));
      assertThat(RawHttp.signed(node.port(), "PUT", RawHttp.COS_HOST, "/wf/a.wav", wav).status())
          .isEqualTo(200);
      awaitSeries("jobhook_workflow_runs", "state", "Success", 1);
      // a bucket whose queue is paused keeps its jobs waiting
      String pausedHost = Workflows.ciHost(PAUSED_BUCKET);
      String queue = defaultQueueId(pausedHost);
      var paused =
          RawHttp.signed(
              node.port(),
              "PUT",
              pausedHost,
              "/queue/" + queue,
              RawHttp.queueState(queue, "Paused"));
      assertThat(paused.status()).as(paused.text()).isEqualTo(200);
      submit(pausedHost, "in/none.wav", "http://8.8.8.8/never");
      submit(pausedHost, "in/none.wav", "http://8.8.8.8/never");
      awaitSeries("jobhook_callback_attempts_total", "outcome", "retry", 1);
      String text = awaitSeries("jobhook_callback_attempts_total", "outcome", "delivered", 2);
      String busyDestination = "http://127.0.0.1:" + busy.port();
      assertThat(value(text, "jobhook_callbacks_pending", "destination", busyDestination))
          .isEqualTo(1);
      assertThat(
              value(
                  text,
                  "jobhook_callback_oldest_pending_age_seconds",
                  "destination",
                  busyDestination))
          .isGreaterThanOrEqualTo(0);
      assertThat(value(text, "jobhook_callback_circuit_state", "destination", busyDestination))
          .isEqualTo(0);

      assertThat(value(text, "jobhook_jobs_submitted_total", "tag", "NoiseReduction"))
          .isGreaterThanOrEqualTo(2);
      assertThat(
              value(text, "jobhook_jobs_ended_total", "tag", "NoiseReduction", "state", "Success"))
          .isGreaterThanOrEqualTo(1);
      assertThat(
              value(text, "jobhook_jobs_ended_total", "tag", "NoiseReduction", "state", "Failed"))
          .isGreaterThanOrEqualTo(1);
      assertThat(
              value(
                  text,
                  "jobhook_job_duration_seconds_count",
                  "tag",
                  "NoiseReduction",
                  "state",
                  "Success"))
          .isGreaterThanOrEqualTo(1);
      assertThat(value(text, "jobhook_job_queue_wait_seconds_count", "tag", "NoiseReduction"))
          .isGreaterThanOrEqualTo(2);
      assertThat(text)
          .contains("jobhook_workflow_events_pending ")
          .contains("jobhook_callback_attempt_duration_seconds_bucket{le=\"+Inf\"}")
          .contains("jobhook_http_connections_open ")
          .contains("jobhook_http_connections_refused_total ")
          .contains("# TYPE jvm_memory_used_bytes gauge")
          .contains("jvm_threads_current ")
          .contains("process_cpu_seconds_total ")
          .contains("process_open_fds ");
      assertThat(
              value(
                  text,
                  "jobhook_http_requests_total",
                  "route",
                  "ci /jobs",
                  "method",
                  "POST",
                  "status",
                  "200"))
          .isGreaterThanOrEqualTo(2);
      assertThat(
              value(
                  text,
                  "jobhook_http_requests_total",
                  "route",
                  "ci /jobs/{id}",
                  "method",
                  "GET",
                  "status",
                  "200"))
          .isPositive();
      assertThat(
              value(
                  text,
                  "jobhook_http_requests_total",
                  "route",
                  "cos /{key}",
                  "method",
                  "PUT",
                  "status",
                  "200"))
          .isPositive();
      assertThat(
              value(
                  text,
                  "jobhook_queue_jobs",
                  "bucket",
                  PAUSED_BUCKET,
                  "queue",
                  queue,
                  "state",
                  "Submitted"))
          .isEqualTo(2);
      assertThat(value(text, "jobhook_workflow_runs", "state", "Success")).isPositive();
      for (String series : dashboardSeries()) {
        assertThat(text).as("the dashboard's " + series).containsPattern("(?m)^" + series + "[{ ]");
      }
      // no id or object key ever becomes a label value
      assertThat(text).doesNotContain(ok).doesNotContain("in/m.wav");
    }
  }

  @Test
  void openmetrics_is_served_to_a_scraper_that_asks_for_it() throws Exception {
    var r =
        scrape(
            "Bearer " + TestNode.METRICS_TOKEN,
            "application/openmetrics-text; version=1.0.0; charset=utf-8");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.headers().get("content-type")).startsWith("application/openmetrics-text");
    assertThat(r.text()).endsWith("# EOF\n");
    var plain = scrape("Bearer " + TestNode.METRICS_TOKEN, "text/plain");
    assertThat(plain.headers().get("content-type")).startsWith("text/plain; version=0.0.4");
  }

  // --- helpers -------------------------------------------------------------------------------

  /** Every series the Grafana dashboard under docs/ queries. */
  private static java.util.Set<String> dashboardSeries() throws Exception {
    var dashboard =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(Path.of("docs/grafana-dashboard.json").toFile());
    java.util.Set<String> series = new java.util.TreeSet<>();
    Pattern name = Pattern.compile("\\b((?:jobhook|jvm|process)_[a-z_]+)\\b");
    for (var panel : dashboard.get("panels")) {
      for (var target : panel.path("targets")) {
        Matcher m = name.matcher(target.get("expr").asText());
        while (m.find()) {
          series.add(m.group(1));
        }
      }
    }
    assertThat(series).hasSizeGreaterThan(20);
    return series;
  }

  private static RawHttp.Response scrape(String authorization, String accept) throws Exception {
    Map<String, String> headers = new java.util.LinkedHashMap<>();
    headers.put("Host", "127.0.0.1");
    if (authorization != null) {
      headers.put("Authorization", authorization);
    }
    if (accept != null) {
      headers.put("Accept", accept);
    }
    return RawHttp.send(node.port(), "GET", "/metrics", headers, null);
  }

  /** Scrapes until the series with these labels reaches {@code atLeast}; returns that scrape. */
  private static String awaitSeries(String name, String label, String value, long atLeast)
      throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    String text = "";
    while (Instant.now().isBefore(deadline)) {
      text = scrape("Bearer " + TestNode.METRICS_TOKEN, null).text();
      if (value(text, name, label, value) >= atLeast) {
        return text;
      }
      Thread.sleep(50);
    }
    throw new AssertionError(name + "{" + label + "=" + value + "} stayed below " + atLeast);
  }

  /**
   * The value of the series {@code name} whose labels include every given {@code label, value}
   * pair; -1 when there is none.
   */
  static long value(String text, String name, String... labels) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{(.*)} (\\S+)$").matcher(text);
    while (m.find()) {
      String have = m.group(1);
      boolean all = true;
      for (int i = 0; i < labels.length; i += 2) {
        all &= have.contains(labels[i] + "=\"" + labels[i + 1] + "\"");
      }
      if (all) {
        return (long) Double.parseDouble(m.group(2));
      }
    }
    return -1;
  }

  private static String submit(String input, String callback) throws Exception {
    return submit(RawHttp.CI_HOST, input, callback);
  }

  private static String submit(String host, String input, String callback) throws Exception {
    String xml =
        "<Request><Tag>NoiseReduction</Tag><CallBack>"
            + callback
            + "</CallBack><Input><Object>"
            + input
            + "</Object></Input><Operation><Output><Object>out/m.wav</Object></Output>"
            + "</Operation></Request>";
    var r =
        RawHttp.signed(node.port(), "POST", host, "/jobs", xml.getBytes(StandardCharsets.UTF_8));
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    Matcher m = Pattern.compile("<JobId>(j[0-9a-f]{32})</JobId>").matcher(r.text());
    assertThat(m.find()).isTrue();
    return m.group(1);
  }

  private static void awaitEnded(String jobId, String state) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    String text = "";
    while (Instant.now().isBefore(deadline)) {
      text = RawHttp.signed(node.port(), "GET", RawHttp.CI_HOST, "/jobs/" + jobId, null).text();
      if (text.contains("<State>" + state + "</State>")) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("job " + jobId + " did not reach " + state + ": " + text);
  }

  private static String defaultQueueId(String host) throws Exception {
    String text = RawHttp.signed(node.port(), "GET", host, "/queue", null).text();
    Matcher m = Pattern.compile("<QueueId>([^<]+)</QueueId>").matcher(text);
    assertThat(m.find()).as(text).isTrue();
    return m.group(1);
  }
}
