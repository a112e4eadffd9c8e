package io.jobhook.api;

import static io.jobhook.support.RawHttp.CI_HOST;
import static org.assertj.core.api.Assertions.assertThat;

import io.jobhook.support.RawHttp;
import io.jobhook.support.TestNode;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A captured signed request cannot be made to mean something else: not by a second spelling of a
 * signed parameter, nor by an unsigned parameter on jobhook's own endpoints, nor long after.
 */
class SignedMeaningIT {
  @TempDir static Path dataDir;
  static TestNode node;
  static int port;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start(dataDir);
    port = node.port();
    for (int i = 0; i < 8; i++) { // jobs to list; their input is missing, so they fail at once
      RawHttp.signed(
          port,
          "POST",
          CI_HOST,
          "/jobs",
          ("<Request><Tag>NoiseReduction</Tag><Input><Object>in/x.wav"
                  + "</Object></Input><Operation><Output><Object>out/x.wav</Object></Output></Operation></Request>")
              .getBytes());
    }
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  static String secrets() throws Exception {
    var r = RawHttp.signed(port, "GET", CI_HOST, "/callbacksecret", null);
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    return r.text().replaceAll("<RequestId>[^<]*</RequestId>", "");
  }

  @Test
  void a_second_spelling_of_a_signed_parameter_cannot_replace_its_value() throws Exception {
    String before = secrets();
    for (String forged :
        new String[] {
          "%20graceSeconds=86400&graceSeconds=0",
          "%09graceSeconds=86400&graceSeconds=0",
          "graceSeconds%20=86400&graceSeconds=0",
          "graceSeconds=86400&GraceSeconds=0"
        }) {
      var r =
          RawHttp.replayed(
              port,
              "POST",
              CI_HOST,
              "/callbacksecret/rotate?graceSeconds=86400",
              "/callbacksecret/rotate?" + forged,
              null);
      ApiErrorsIT.assertError(r, 400, "InvalidArgument");
    }
    assertThat(secrets()).as("no rotation happened").isEqualTo(before);
  }

  @Test
  void a_list_signed_for_one_job_cannot_be_stretched_to_a_hundred() throws Exception {
    var honest = RawHttp.signed(port, "GET", CI_HOST, "/jobs?size=1", null);
    assertThat(honest.text().split("<JobsDetail>", -1)).as(honest.text()).hasSize(2);
    for (String forged :
        new String[] {"%20size=1&size=100", "size=1&%09size=100", "size%20=1&size=100"}) {
      var r = RawHttp.replayed(port, "GET", CI_HOST, "/jobs?size=1", "/jobs?" + forged, null);
      ApiErrorsIT.assertError(r, 400, "InvalidArgument");
    }
  }

  @Test
  void jobhooks_own_endpoints_act_only_on_signed_parameters() throws Exception {
    String before = secrets();
    var r =
        RawHttp.replayed(
            port,
            "POST",
            CI_HOST,
            "/callbacksecret/rotate",
            "/callbacksecret/rotate?graceSeconds=0",
            null);
    ApiErrorsIT.assertError(r, 400, "InvalidArgument");
    assertThat(r.text()).contains("graceSeconds").contains("not covered");
    assertThat(secrets()).isEqualTo(before);
    var redeliver =
        RawHttp.replayed(
            port, "POST", CI_HOST, "/callbacks/redeliver", "/callbacks/redeliver?queueId=p1", null);
    ApiErrorsIT.assertError(redeliver, 400, "InvalidArgument");
  }

  @Test
  void the_ci_api_still_takes_the_sdks_unsigned_extras() throws Exception {
    var r = RawHttp.replayed(port, "GET", CI_HOST, "/queue", "/queue?x-sdk-extra=1", null);
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    assertThat(r.text()).contains("<QueueList>");
  }

  @Test
  void a_signature_valid_for_ten_years_is_refused() throws Exception {
    long now = System.currentTimeMillis() / 1000;
    var r =
        RawHttp.signedAt(
            port,
            "GET",
            CI_HOST,
            "/callbacksecret",
            null,
            TestNode.CREDENTIALS,
            (now - 60) + ";" + (now + 10L * 365 * 86_400));
    ApiErrorsIT.assertError(r, 403, "AccessDenied");
    assertThat(r.text()).contains("--max-signature-window").doesNotContain("whsec_");
  }

  @Test
  void paging_far_past_the_end_is_an_empty_page_and_out_of_range_numbers_are_refused()
      throws Exception {
    var far =
        RawHttp.signed(port, "GET", CI_HOST, "/queue?pageNumber=2147483647&pageSize=10", null);
    assertThat(far.status()).as(far.text()).isEqualTo(200);
    assertThat(far.text())
        .contains("<PageNumber>2147483647</PageNumber>")
        .doesNotContain("<QueueList>");
    var workflows =
        RawHttp.signed(port, "GET", CI_HOST, "/workflow?pageNumber=2147483647&pageSize=100", null);
    assertThat(workflows.status()).as(workflows.text()).isEqualTo(200);
    for (String query :
        new String[] {
          "/queue?pageNumber=2147483648",
          "/queue?pageNumber=0",
          "/queue?pageSize=101",
          "/queue?pageSize=-1",
          "/jobs?size=0",
          "/jobs?size=99999999999999999999",
          "/workflow?pageNumber=-5",
          "/workflowexecution?size=1000",
          "/callbacks?size=0",
          "/callbacksecret/rotate?graceSeconds=-1"
        }) {
      String method = query.contains("rotate") ? "POST" : "GET";
      ApiErrorsIT.assertError(
          RawHttp.signed(port, method, CI_HOST, query, null), 400, "InvalidArgument");
    }
  }
}
