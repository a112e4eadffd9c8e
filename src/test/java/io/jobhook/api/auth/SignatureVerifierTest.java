package io.jobhook.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobhook.api.RequestTarget;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.AbstractMap.SimpleEntry;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The vectors of wire contract §2.3 and Appendix A, and tampered variants of them. */
class SignatureVerifierTest {
  static final Credentials PROBE =
      new Credentials("AKIDprobeSecretId0000000000000000000", "probeSecretKey000000000000000000");
  static final String CI_HOST = "examplebucket-1250000000.ci.ap-guangzhou.myqcloud.com";
  static final String COS_HOST = "examplebucket-1250000000.cos.ap-guangzhou.myqcloud.com";

  static SignatureVerifier verifierAt(long epochSecond) {
    return new SignatureVerifier(
        PROBE,
        InstantSource.fixed(Instant.ofEpochSecond(epochSecond)),
        Duration.ofMinutes(15),
        Duration.ofDays(7));
  }

  static SignedRequest request(
      String method, String rawPath, String rawQuery, Map<String, String> headers) {
    RequestTarget target = RequestTarget.of(rawPath, rawQuery);
    TreeMap<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    h.putAll(headers);
    return new SignedRequest(method, target.path(), target.pairs(), h::get);
  }

  static String auth(String time, String headerList, String paramList, String signature) {
    return "q-sign-algorithm=sha1&q-ak="
        + PROBE.secretId()
        + "&q-sign-time="
        + time
        + "&q-key-time="
        + time
        + "&q-header-list="
        + headerList
        + "&q-url-param-list="
        + paramList
        + "&q-signature="
        + signature;
  }

  @Test
  void worked_example_of_section_2_3_matches_every_intermediate_value() {
    String http =
        QSign.httpString(
            "GET",
            "/jobs",
            List.of(
                e("queueId", "p9a8b7c6d5e4f30211223344556677aa"),
                e("tag", "NoiseReduction"),
                e("states", "Success,Failed"),
                e("startCreationTime", "2024-05-01T00:00:00+0800"),
                e("size", "20")),
            List.of(
                e("Host", CI_HOST),
                e("Content-Type", "application/xml"),
                e("Content-Length", "0")));
    assertThat(http)
        .isEqualTo(
            "get\n/jobs\n"
                + "queueid=p9a8b7c6d5e4f30211223344556677aa&size=20&startcreationtime=2024-05-01T00%3A00%3A00%2B0800&states=Success%2CFailed&tag=NoiseReduction\n"
                + "content-length=0&content-type=application%2Fxml&host="
                + CI_HOST
                + "\n");
    assertThat(
            QSign.signature(
                PROBE.secretKey(), "1716170400;1716174000", "1716170400;1716174000", http))
        .isEqualTo("e1582a25f0748608c2a281690d7d2a4513a8c62f");
  }

  @Test
  void worked_example_of_section_2_3_verifies_as_a_request() {
    var req =
        request(
            "GET",
            "/jobs",
            "queueId=p9a8b7c6d5e4f30211223344556677aa&tag=NoiseReduction&states=Success,Failed&startCreationTime=2024-05-01T00:00:00%2B0800&size=20",
            Map.of(
                "Host",
                CI_HOST,
                "Content-Type",
                "application/xml",
                "Content-Length",
                "0",
                "User-Agent",
                "x",
                "Authorization",
                auth(
                    "1716170400;1716174000",
                    "content-length;content-type;host",
                    "queueid;size;startcreationtime;states;tag",
                    "e1582a25f0748608c2a281690d7d2a4513a8c62f")));
    assertThatCode(() -> verifierAt(1716171000).verify(req)).doesNotThrowAnyException();
  }

  @Test
  void captured_create_job_request_1_verifies() {
    assertThatCode(() -> verifierAt(1795862200).verify(capturedCreateJob("579")))
        .doesNotThrowAnyException();
  }

  @Test
  void captured_list_request_8_with_encoded_times_verifies() {
    var req =
        request(
            "GET",
            "/jobs",
            "queueId=p9a8b7c6d5e4f30211223344556677aa&size=20&orderByTime=Desc&nextToken=1716170409000-j00000000000000000000000000000000&endCreationTime=2024-05-31T23%3A59%3A59%2B0800&tag=NoiseReduction&states=Success%2CFailed&startCreationTime=2024-05-01T00%3A00%3A00%2B0800",
            Map.of(
                "Host",
                CI_HOST,
                "x-cos-sdk-log-debug",
                "off",
                "Authorization",
                auth(
                    "1795862146;1795865746",
                    "host",
                    "endcreationtime;nexttoken;orderbytime;queueid;size;startcreationtime;states;tag",
                    "30f0854cd4dfaebcc21153da11fd40e0695ef575")));
    assertThatCode(() -> verifierAt(1795862200).verify(req)).doesNotThrowAnyException();
  }

  @Test
  void captured_put_of_key_with_space_cjk_and_plus_verifies() {
    var req =
        request(
            "PUT",
            "/dir%20a/%E5%A3%B0%E9%9F%B3%20file%2B1.mp3",
            null,
            Map.of(
                "Host",
                COS_HOST,
                "Content-Length",
                "21",
                "Authorization",
                auth(
                    "1795862148;1795865748",
                    "content-length;host",
                    "",
                    "52f62b4ec7460fe76b4fc8d6b7315d9c6a8880a9")));
    assertThatCode(() -> verifierAt(1795862200).verify(req)).doesNotThrowAnyException();
  }

  @Test
  void captured_put_with_user_metadata_verifies() {
    var req =
        request(
            "PUT",
            "/input/demo.mp3",
            null,
            Map.of(
                "Host",
                COS_HOST,
                "Content-Length",
                "21",
                "Content-Type",
                "audio/mpeg",
                "x-cos-meta-probe",
                "yes",
                "Authorization",
                auth(
                    "1795862148;1795865748",
                    "content-length;content-type;host;x-cos-meta-probe",
                    "",
                    "29e2e2292ae1dbd4d553810cb6e2ca6d9417d710")));
    assertThatCode(() -> verifierAt(1795862200).verify(req)).doesNotThrowAnyException();
  }

  @Test
  void captured_trigger_with_valueless_attach_param_verifies() {
    var req =
        request(
            "POST",
            "/triggerworkflow",
            "attachParam&workflowId=w1b2c3d4e5f60718293a4b5c6d7e8f90&object=input%2Fdemo.mp3",
            Map.of(
                "Host",
                CI_HOST,
                "Content-Length",
                "135",
                "Content-Type",
                "application/xml",
                "Authorization",
                auth(
                    "1795862147;1795865747",
                    "content-length;content-type;host",
                    "attachparam;object;workflowid",
                    "cfa4afbaae6d0315b493195ff4593639f57c9c37")));
    assertThatCode(() -> verifierAt(1795862200).verify(req)).doesNotThrowAnyException();
  }

  @Test
  void captured_request_with_unsigned_security_token_and_extra_params_verifies() {
    var req =
        request(
            "GET",
            "/queue",
            "unsigned=extra",
            Map.of(
                "Host",
                CI_HOST,
                "x-cos-security-token",
                "tmp-session-token",
                "Authorization",
                auth(
                    "1795862148;1795865748",
                    "host",
                    "",
                    "d5265ae7d9fcaaf8202f8ad24cfe1d165c29ef8e")));
    assertThat(verifierAt(1795862200).verify(req)).as("the keys the signature covers").isEmpty();
  }

  @Test
  void verification_names_the_parameters_the_signature_covers() {
    var req =
        request(
            "POST",
            "/triggerworkflow",
            "attachParam&workflowId=w1b2c3d4e5f60718293a4b5c6d7e8f90&object=input%2Fdemo.mp3&unsigned=1",
            Map.of(
                "Host",
                CI_HOST,
                "Content-Length",
                "135",
                "Content-Type",
                "application/xml",
                "Authorization",
                auth(
                    "1795862147;1795865747",
                    "content-length;content-type;host",
                    "attachparam;object;workflowid",
                    "cfa4afbaae6d0315b493195ff4593639f57c9c37")));
    assertThat(verifierAt(1795862200).verify(req))
        .containsExactlyInAnyOrder("attachparam", "object", "workflowid");
  }

  @Test
  void a_window_longer_than_the_cap_is_rejected_even_when_the_signature_matches() {
    long now = 1795862200;
    String tenYears = (now - 60) + ";" + (now + 10L * 365 * 86_400);
    String header =
        QSign.authorization(
            PROBE.secretId(),
            PROBE.secretKey(),
            tenYears,
            "GET",
            "/callbacksecret",
            List.of(),
            List.of(e("host", CI_HOST)));
    var req =
        request("GET", "/callbacksecret", null, Map.of("Host", CI_HOST, "Authorization", header));
    assertRejected(verifierAt(now), req, SignatureVerifier.Rejection.WINDOW_TOO_LONG);
    var longer =
        new SignatureVerifier(
            PROBE,
            InstantSource.fixed(Instant.ofEpochSecond(now)),
            Duration.ofMinutes(15),
            Duration.ofDays(3651));
    assertThatCode(() -> longer.verify(req))
        .as("accepted under a cap that allows it")
        .doesNotThrowAnyException();
  }

  @Test
  void a_window_of_exactly_the_cap_is_accepted() {
    long now = 1795862200;
    String week = now + ";" + (now + 7 * 86_400);
    String header =
        QSign.authorization(
            PROBE.secretId(),
            PROBE.secretKey(),
            week,
            "GET",
            "/queue",
            List.of(),
            List.of(e("host", CI_HOST)));
    var req = request("GET", "/queue", null, Map.of("Host", CI_HOST, "Authorization", header));
    assertThatCode(() -> verifierAt(now).verify(req)).doesNotThrowAnyException();
  }

  @Test
  void two_parameters_under_one_signing_key_are_rejected() {
    String header =
        QSign.authorization(
            PROBE.secretId(),
            PROBE.secretKey(),
            "1795862100;1795865700",
            "GET",
            "/jobs",
            List.of(e("size", "1")),
            List.of(e("host", CI_HOST)));
    List<Map.Entry<String, String>> both = List.of(e(" size", "1"), e("size", "100"));
    var req =
        new SignedRequest(
            "GET",
            "/jobs",
            both,
            name ->
                name.equalsIgnoreCase("host")
                    ? CI_HOST
                    : name.equalsIgnoreCase("Authorization") ? header : null);
    assertRejected(verifierAt(1795862200), req, SignatureVerifier.Rejection.MISMATCH);
  }

  @Test
  void a_changed_header_value_is_rejected() {
    assertRejected(
        verifierAt(1795862200), capturedCreateJob("580"), SignatureVerifier.Rejection.MISMATCH);
  }

  @Test
  void a_changed_path_is_rejected() {
    var req =
        request(
            "PUT",
            "/dir%20a/%E5%A3%B0%E9%9F%B3%20file%2B2.mp3",
            null,
            Map.of(
                "Host",
                COS_HOST,
                "Content-Length",
                "21",
                "Authorization",
                auth(
                    "1795862148;1795865748",
                    "content-length;host",
                    "",
                    "52f62b4ec7460fe76b4fc8d6b7315d9c6a8880a9")));
    assertRejected(verifierAt(1795862200), req, SignatureVerifier.Rejection.MISMATCH);
  }

  @Test
  void a_changed_query_value_is_rejected() {
    var req =
        request(
            "POST",
            "/triggerworkflow",
            "attachParam&workflowId=w1b2c3d4e5f60718293a4b5c6d7e8f91&object=input%2Fdemo.mp3",
            Map.of(
                "Host",
                CI_HOST,
                "Content-Length",
                "135",
                "Content-Type",
                "application/xml",
                "Authorization",
                auth(
                    "1795862147;1795865747",
                    "content-length;content-type;host",
                    "attachparam;object;workflowid",
                    "cfa4afbaae6d0315b493195ff4593639f57c9c37")));
    assertRejected(verifierAt(1795862200), req, SignatureVerifier.Rejection.MISMATCH);
  }

  @Test
  void a_signature_used_after_its_window_is_rejected() {
    assertRejected(
        verifierAt(1795865749), capturedCreateJob("579"), SignatureVerifier.Rejection.EXPIRED);
  }

  @Test
  void a_signature_from_the_far_future_is_rejected() {
    assertRejected(
        verifierAt(1795862144 - 3600),
        capturedCreateJob("579"),
        SignatureVerifier.Rejection.EXPIRED);
  }

  @Test
  void an_unknown_secret_id_is_rejected() {
    var other =
        new SignatureVerifier(
            new Credentials("AKIDsomeoneElse", PROBE.secretKey()),
            InstantSource.fixed(Instant.ofEpochSecond(1795862200)),
            Duration.ofMinutes(15),
            Duration.ofDays(7));
    assertRejected(other, capturedCreateJob("579"), SignatureVerifier.Rejection.UNKNOWN_KEY);
  }

  @Test
  void a_wrong_secret_key_is_rejected() {
    var other =
        new SignatureVerifier(
            new Credentials(PROBE.secretId(), "anotherKey"),
            InstantSource.fixed(Instant.ofEpochSecond(1795862200)),
            Duration.ofMinutes(15),
            Duration.ofDays(7));
    assertRejected(other, capturedCreateJob("579"), SignatureVerifier.Rejection.MISMATCH);
  }

  @Test
  void a_missing_or_garbled_authorization_is_rejected() {
    assertRejected(
        verifierAt(1795862200),
        request("GET", "/queue", null, Map.of("Host", CI_HOST)),
        SignatureVerifier.Rejection.MISSING);
    assertRejected(
        verifierAt(1795862200),
        request("GET", "/queue", null, Map.of("Host", CI_HOST, "Authorization", "Bearer abc")),
        SignatureVerifier.Rejection.MALFORMED);
  }

  @Test
  void a_signature_that_does_not_cover_host_is_rejected() {
    var req =
        request(
            "GET",
            "/queue",
            null,
            Map.of(
                "Host",
                CI_HOST,
                "Authorization",
                auth("1795862148;1795865748", "", "", "d5265ae7d9fcaaf8202f8ad24cfe1d165c29ef8e")));
    assertRejected(verifierAt(1795862200), req, SignatureVerifier.Rejection.MALFORMED);
  }

  @Test
  void authorization_built_by_our_signer_verifies() {
    String header =
        QSign.authorization(
            PROBE.secretId(),
            PROBE.secretKey(),
            "1795862100;1795865700",
            "GET",
            "/jobs/j1",
            List.of(e("size", "5")),
            List.of(e("host", CI_HOST)));
    var req =
        request("GET", "/jobs/j1", "size=5", Map.of("Host", CI_HOST, "Authorization", header));
    assertThatCode(() -> verifierAt(1795862200).verify(req)).doesNotThrowAnyException();
  }

  private static SignedRequest capturedCreateJob(String contentLength) {
    return request(
        "POST",
        "/jobs",
        null,
        Map.of(
            "Host",
            CI_HOST,
            "Content-Type",
            "application/xml",
            "Content-Length",
            contentLength,
            "x-cos-sdk-log-debug",
            "off",
            "Authorization",
            auth(
                "1795862144;1795865744",
                "content-length;content-type;host",
                "",
                "e3fc8dfd9d3ac755aad10ae9e688bc1e7491ad40")));
  }

  private static void assertRejected(
      SignatureVerifier verifier, SignedRequest req, SignatureVerifier.Rejection why) {
    assertThatThrownBy(() -> verifier.verify(req))
        .isInstanceOfSatisfying(
            SignatureVerifier.SignatureRejectedException.class,
            e -> assertThat(e.rejection()).isEqualTo(why));
  }

  private static Map.Entry<String, String> e(String k, String v) {
    return new SimpleEntry<>(k, v);
  }
}
