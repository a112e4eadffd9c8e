package io.jobhook.api;

import static io.jobhook.support.RawHttp.CI_HOST;
import static org.assertj.core.api.Assertions.assertThat;

import io.jobhook.api.auth.Credentials;
import io.jobhook.callback.RetryPolicy;
import io.jobhook.support.RawHttp;
import io.jobhook.support.TestNode;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --allow-anonymous lets unsigned requests in, but a signature that is present must still be valid,
 * and administration always needs the administrator's.
 */
class AnonymousAccessIT {
  @TempDir Path dataDir;

  @Test
  void unsigned_requests_pass_and_bad_signatures_still_fail() throws Exception {
    try (TestNode node =
        TestNode.start(TestNode.config(dataDir, RetryPolicy.DEFAULT, true, true))) {
      var unsigned = RawHttp.send(node.port(), "GET", "/queue", Map.of("Host", CI_HOST), null);
      assertThat(unsigned.status()).as(unsigned.text()).isEqualTo(200);
      // a download's response headers are set by signed requests only
      var put =
          RawHttp.send(
              node.port(),
              "PUT",
              "/page.html",
              Map.of("Host", RawHttp.COS_HOST),
              "<b>x</b>".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      assertThat(put.status()).as(put.text()).isEqualTo(200);
      var overridden =
          RawHttp.send(
              node.port(),
              "GET",
              "/page.html?response-content-type=text%2Fhtml",
              Map.of("Host", RawHttp.COS_HOST),
              null);
      assertThat(overridden.status()).as(overridden.text()).isEqualTo(400);
      assertThat(overridden.text()).contains("response-content-type needs a signed request");
      long now = System.currentTimeMillis() / 1000;
      var forged =
          RawHttp.signedAt(
              node.port(),
              "GET",
              CI_HOST,
              "/queue",
              null,
              new Credentials(TestNode.CREDENTIALS.secretId(), "not-the-key"),
              (now - 60) + ";" + (now + 60));
      assertThat(forged.status()).isEqualTo(403);
      assertThat(forged.text()).contains("SignatureDoesNotMatch");
      // administration is never anonymous
      var keys =
          RawHttp.send(
              node.port(), "POST", "/admin/keys?buckets=*", Map.of("Host", "127.0.0.1"), null);
      assertThat(keys.status()).as(keys.text()).isEqualTo(403);
      assertThat(keys.text()).contains("AccessDenied").doesNotContain("SecretKey");
      var audit =
          RawHttp.send(node.port(), "GET", "/admin/audit", Map.of("Host", "127.0.0.1"), null);
      assertThat(audit.status()).isEqualTo(403);
    }
  }
}
