package io.jobhook.callback;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jobhook.callback.http.AddressGuard;
import io.jobhook.config.JobhookConfig;
import io.jobhook.support.CallbackReceiver;
import io.jobhook.support.CallbackReceiver.Reply;
import io.jobhook.support.RawHttp;
import io.jobhook.support.TestNode;
import io.jobhook.support.WebhookVerifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Delivery semantics through the public API: signatures, retries, Retry-After, 410, timeouts, log.
 */
class CallbackSemanticsIT {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path dataDir;
  static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    JobhookConfig base =
        TestNode.config(dataDir, RetryPolicy.parse("0s,50ms,100ms,150ms,200ms,250ms"), true, false);
    node =
        TestNode.start(
            base.withCallbacks(
                base.callbacks().toBuilder()
                    .timeout(Duration.ofSeconds(1))
                    .connectTimeout(Duration.ofSeconds(1))
                    .build()));
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void four_attempts_carry_one_id_and_the_same_body_each_signed_verifiably() throws Exception {
    try (CallbackReceiver receiver = CallbackReceiver.start()) {
      AtomicInteger calls = new AtomicInteger();
      receiver.respond(r -> Reply.status(calls.incrementAndGet() <= 3 ? 500 : 200));
      String jobId = submit(receiver.url("/flaky"));
      JsonNode entry = awaitState(jobId, "Delivered");
      List<CallbackReceiver.Received> got = receiver.received();
      assertThat(got).hasSize(4);
      String secret = secrets().getFirst();
      for (CallbackReceiver.Received r : got) {
        assertThat(r.header("webhook-id")).isEqualTo(entry.get("CallbackId").asText());
        assertThat(r.body()).isEqualTo(got.getFirst().body());
        assertThat(WebhookVerifier.verifies(secret, r)).as("signature of attempt").isTrue();
        assertThat(Long.parseLong(r.header("webhook-timestamp")))
            .isCloseTo(System.currentTimeMillis() / 1000, org.assertj.core.data.Offset.offset(30L));
      }
      assertThat(entry.get("Attempts").asText()).isEqualTo("4");
      JsonNode attempts = entry.get("Attempt");
      assertThat(attempts).hasSize(4);
      assertThat(attempts.get(0).get("Status").asText()).isEqualTo("500");
      assertThat(attempts.get(0).get("Address").asText()).startsWith("127.0.0.1:");
      assertThat(attempts.get(3).get("Status").asText()).isEqualTo("200");
    }
  }

  @Test
  void a_tampered_body_or_a_wrong_secret_does_not_verify() throws Exception {
    try (CallbackReceiver receiver = CallbackReceiver.start()) {
      String jobId = submit(receiver.url("/ok"));
      awaitState(jobId, "Delivered");
      CallbackReceiver.Received r = receiver.received().getFirst();
      var tampered =
          new CallbackReceiver.Received(
              r.path(),
              r.headers(),
              r.bodyText().replace("Failed", "Success").getBytes(StandardCharsets.UTF_8),
              r.arrivedNanos());
      assertThat(WebhookVerifier.verifies(secrets().getFirst(), tampered)).isFalse();
      assertThat(
              WebhookVerifier.verifies(
                  "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[24]), r))
          .isFalse();
    }
  }

  @Test
  void after_rotation_both_secrets_sign_until_the_grace_period_ends() throws Exception {
    String bucket = "rotation-1250000000";
    String host = bucket + ".ci.ap-guangzhou.myqcloud.com";
    try (CallbackReceiver receiver = CallbackReceiver.start()) {
      String old = secretsOf(host).getFirst();
      var rotated =
          RawHttp.signed(
              node.port(), "POST", host, "/callbacksecret/rotate?graceSeconds=2&format=json", null);
      assertThat(rotated.status()).as(rotated.text()).isEqualTo(200);
      List<String> both = secretsOf(host);
      assertThat(both).hasSize(2).contains(old);
      String fresh = both.stream().filter(s -> !s.equals(old)).findFirst().orElseThrow();

      String during = submit(host, receiver.url("/during"));
      awaitState(host, during, "Delivered");
      CallbackReceiver.Received first = receiver.received().getFirst();
      assertThat(first.header("webhook-signature").split(" ")).hasSize(2);
      assertThat(WebhookVerifier.verifies(old, first)).isTrue();
      assertThat(WebhookVerifier.verifies(fresh, first)).isTrue();

      Thread.sleep(2100);
      assertThat(secretsOf(host)).containsExactly(fresh);
      Thread.sleep(5100); // the signing cache holds secrets for at most 5 s
      String after = submit(host, receiver.url("/after"));
      awaitState(host, after, "Delivered");
      CallbackReceiver.Received second = receiver.received().getLast();
      assertThat(WebhookVerifier.verifies(fresh, second)).isTrue();
      assertThat(WebhookVerifier.verifies(old, second)).isFalse();
    }
  }

  @Test
  void gone_stops_retrying_at_once() throws Exception {
    try (CallbackReceiver receiver = CallbackReceiver.start()) {
      receiver.respond(r -> Reply.status(410));
      String jobId = submit(receiver.url("/gone"));
      JsonNode entry = awaitState(jobId, "Failed");
      Thread.sleep(500);
      assertThat(receiver.received()).hasSize(1);
      assertThat(entry.get("LastError").asText()).contains("410");
    }
  }

  @Test
  void retry_after_is_honoured() throws Exception {
    try (CallbackReceiver receiver = CallbackReceiver.start()) {
      AtomicInteger calls = new AtomicInteger();
      receiver.respond(
          r ->
              calls.incrementAndGet() == 1
                  ? Reply.status(503).withHeader("Retry-After", "2")
                  : Reply.status(200));
      String jobId = submit(receiver.url("/later"));
      awaitState(jobId, "Delivered");
      List<CallbackReceiver.Received> got = receiver.received();
      assertThat(got).hasSize(2);
      long gapMillis = (got.get(1).arrivedNanos() - got.get(0).arrivedNanos()) / 1_000_000;
      assertThat(gapMillis)
          .as("the schedule says 50 ms, the receiver said 2 s")
          .isGreaterThanOrEqualTo(1900);
    }
  }

  @Test
  void a_hanging_receiver_times_out_and_is_retried() throws Exception {
    try (CallbackReceiver receiver = CallbackReceiver.start()) {
      AtomicInteger calls = new AtomicInteger();
      receiver.respond(
          r ->
              calls.incrementAndGet() == 1
                  ? Reply.status(200).after(Duration.ofSeconds(3))
                  : Reply.status(200));
      String jobId = submit(receiver.url("/hang"));
      JsonNode entry = awaitState(jobId, "Delivered");
      assertThat(entry.get("Attempt").get(0).get("Error").asText())
          .contains("no answer within 1000 ms");
      assertThat(entry.get("Attempt").get(0).get("LatencyMs").asLong()).isBetween(900L, 2500L);
    }
  }

  @Test
  void redirects_are_not_followed() throws Exception {
    try (CallbackReceiver target = CallbackReceiver.start();
        CallbackReceiver redirecting = CallbackReceiver.start()) {
      redirecting.respond(r -> Reply.status(302).withHeader("Location", target.url("/elsewhere")));
      String jobId = submit(redirecting.url("/moved"));
      JsonNode entry = awaitState(jobId, "Failed");
      assertThat(target.received()).isEmpty();
      assertThat(entry.get("LastError").asText()).contains("302").contains("not followed");
      assertThat(entry.get("Attempts").asInt()).isEqualTo(6);
    }
  }

  @Test
  void huge_and_slow_response_bodies_do_not_spoil_a_2xx() throws Exception {
    try (CallbackReceiver huge = CallbackReceiver.start();
        CallbackReceiver slow = CallbackReceiver.start()) {
      huge.respond(
          r ->
              Reply.status(200)
                  .withBody("x".repeat(8 << 20).getBytes(StandardCharsets.UTF_8), false));
      slow.respond(
          r -> Reply.status(200).withBody("y".repeat(100).getBytes(StandardCharsets.UTF_8), true));
      String hugeJob = submit(huge.url("/huge"));
      String slowJob = submit(slow.url("/slow"));
      JsonNode hugeEntry = awaitState(hugeJob, "Delivered");
      JsonNode slowEntry = awaitState(slowJob, "Delivered");
      assertThat(huge.received()).hasSize(1);
      assertThat(slow.received()).hasSize(1);
      assertThat(hugeEntry.get("Attempt").get(0).get("Response").asText()).hasSize(1024);
      assertThat(slowEntry.get("Attempt").get(0).get("LatencyMs").asLong()).isLessThan(2500L);
    }
  }

  @Test
  void the_log_answers_queries_and_redelivers_one_or_all_failed() throws Exception {
    // two receivers: two destinations, so that one's open circuit does not slow the other
    try (CallbackReceiver receiver = CallbackReceiver.start();
        CallbackReceiver other = CallbackReceiver.start()) {
      receiver.respond(r -> Reply.status(500));
      other.respond(r -> Reply.status(500));
      String a = submit(receiver.url("/a"));
      String b = submit(other.url("/b"));
      JsonNode failedA = awaitState(a, "Failed");
      awaitState(b, "Failed");
      int before = receiver.received().size() + other.received().size();

      var xml =
          RawHttp.signed(
              node.port(), "GET", RawHttp.CI_HOST, "/callbacks?state=Failed&size=100", null);
      assertThat(xml.status()).isEqualTo(200);
      assertThat(xml.headers().get("content-type")).startsWith("application/xml");
      assertThat(xml.text())
          .contains("<JobId>" + a + "</JobId>")
          .contains("<JobId>" + b + "</JobId>");
      var one = json("/callbacks/" + failedA.get("CallbackId").asText() + "?format=json");
      assertThat(one.get("Callback").get("JobId").asText()).isEqualTo(a);
      assertThat(json("/callbacks?jobId=" + a + "&format=json").get("Callback")).hasSize(1);
      var paged = json("/callbacks?size=1&format=json");
      assertThat(paged.get("Callback")).hasSize(1);
      assertThat(paged.get("NextToken").asText()).isNotEmpty();

      receiver.respond(r -> Reply.status(200));
      other.respond(r -> Reply.status(200));
      var single =
          RawHttp.signed(
              node.port(),
              "POST",
              RawHttp.CI_HOST,
              "/callbacks/" + failedA.get("CallbackId").asText() + "/redeliver",
              null);
      assertThat(single.status()).as(single.text()).isEqualTo(200);
      JsonNode redelivered = awaitState(a, "Delivered");
      assertThat(redelivered.get("Attempts").asInt()).isEqualTo(7);

      var all =
          RawHttp.signed(
              node.port(), "POST", RawHttp.CI_HOST, "/callbacks/redeliver?format=json", null);
      assertThat(JSON.readTree(all.body()).get("Redelivered").asInt()).isGreaterThanOrEqualTo(1);
      awaitState(b, "Delivered");
      assertThat(receiver.received().size() + other.received().size())
          .isGreaterThanOrEqualTo(before + 2);

      var missing =
          RawHttp.signed(node.port(), "POST", RawHttp.CI_HOST, "/callbacks/cbnope/redeliver", null);
      assertThat(missing.status()).isEqualTo(404);
      assertThat(missing.text()).contains("NoSuchCallback");
    }
  }

  @Test
  void metrics_show_outcomes_latency_and_backlog() throws Exception {
    try (CallbackReceiver receiver = CallbackReceiver.start()) {
      awaitState(submit(receiver.url("/m")), "Delivered");
      String metrics = RawHttp.metrics(node.port());
      assertThat(metrics)
          .contains("jobhook_callback_attempts_total{outcome=\"delivered\"}")
          .contains("jobhook_callback_attempt_duration_seconds_bucket{le=\"+Inf\"}")
          .contains("# TYPE jobhook_callback_circuit_state gauge");
      var delivered =
          Pattern.compile("jobhook_callback_attempts_total\\{outcome=\"delivered\"} (\\d+)")
              .matcher(metrics);
      assertThat(delivered.find()).isTrue();
      assertThat(Long.parseLong(delivered.group(1))).isPositive();
    }
  }

  @Test
  void an_allow_listed_private_range_is_reachable_while_others_stay_refused() throws Exception {
    var guard = new AddressGuard(false, AddressGuard.Cidr.parseList("127.0.0.0/8"));
    assertThat(guard.allows(java.net.InetAddress.getByName("127.0.0.1"))).isTrue();
    assertThat(guard.allows(java.net.InetAddress.getByName("::ffff:127.0.0.1"))).isTrue();
    assertThat(guard.allows(java.net.InetAddress.getByName("10.0.0.1"))).isFalse();
    assertThat(guard.allows(java.net.InetAddress.getByName("169.254.169.254"))).isFalse();
  }

  // --- helpers -------------------------------------------------------------------------------

  static String submit(String callback) throws Exception {
    return submit(RawHttp.CI_HOST, callback);
  }

  static String submit(String host, String callback) throws Exception {
    return RawHttp.jobId(
        RawHttp.signed(
            node.port(), "POST", host, "/jobs", RawHttp.missingInputJob(callback, "JSON")));
  }

  static JsonNode json(String path) throws Exception {
    return json(RawHttp.CI_HOST, path);
  }

  static JsonNode json(String host, String path) throws Exception {
    var r = RawHttp.signed(node.port(), "GET", host, path, null);
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    assertThat(r.headers().get("content-type")).startsWith("application/json");
    return JSON.readTree(r.body());
  }

  static JsonNode awaitState(String jobId, String state) throws Exception {
    return awaitState(RawHttp.CI_HOST, jobId, state);
  }

  static JsonNode awaitState(String host, String jobId, String state) throws Exception {
    JsonNode[] found = new JsonNode[1];
    CallbackReceiver.await(
        Duration.ofSeconds(30),
        "callback of " + jobId + " to be " + state,
        () -> {
          try {
            JsonNode list =
                json(host, "/callbacks?jobId=" + jobId + "&format=json").get("Callback");
            if (list.size() == 1 && list.get(0).get("State").asText().equals(state)) {
              found[0] = list.get(0);
              return true;
            }
            return false;
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
    return found[0];
  }

  static List<String> secrets() throws Exception {
    return secretsOf(RawHttp.CI_HOST);
  }

  static List<String> secretsOf(String host) throws Exception {
    List<String> values = new ArrayList<>();
    json(host, "/callbacksecret?format=json")
        .get("Secret")
        .forEach(s -> values.add(s.get("Value").asText()));
    return values;
  }
}
