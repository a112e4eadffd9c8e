package io.jobhook.api;

import static io.jobhook.support.RawHttp.COS_HOST;
import static io.jobhook.support.TestNode.BUCKET;
import static org.assertj.core.api.Assertions.assertThat;

import com.qcloud.cos.COSClient;
import com.qcloud.cos.model.BucketCrossOriginConfiguration;
import com.qcloud.cos.model.CORSRule;
import io.jobhook.api.auth.QSign;
import io.jobhook.support.CallbackReceiver;
import io.jobhook.support.Chromium;
import io.jobhook.support.RawHttp;
import io.jobhook.support.TestNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;

/**
 * A bucket's CORS configuration through the official Java SDK, the preflights and answers it
 * governs on the wire, and a page in Chromium that uploads to and reads from the bucket across
 * origins, as a browser app with the JavaScript SDK does.
 */
class CorsIT {
  @TempDir static Path dataDir;
  @TempDir static Path browserProfile;
  static TestNode node;
  static COSClient sdk;

  /** The origin of the page the browser test loads, and of the rule that lets it in. */
  static final String PAGE_ORIGIN = "http://page.test";

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start(dataDir);
    sdk = node.sdk();
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @BeforeEach
  void noRules() {
    sdk.deleteBucketCrossOriginConfiguration(BUCKET);
  }

  static BucketCrossOriginConfiguration pageMayWrite() {
    CORSRule writes = new CORSRule();
    writes.setId("page");
    writes.setAllowedOrigins(PAGE_ORIGIN, "http://*.page.test");
    writes.setAllowedMethods(CORSRule.AllowedMethods.PUT, CORSRule.AllowedMethods.GET);
    writes.setAllowedHeaders("*");
    writes.setExposedHeaders("ETag", "x-cos-request-id");
    writes.setMaxAgeSeconds(600);
    CORSRule reads = new CORSRule();
    reads.setAllowedOrigins("*");
    reads.setAllowedMethods(CORSRule.AllowedMethods.GET, CORSRule.AllowedMethods.HEAD);
    return new BucketCrossOriginConfiguration(List.of(writes, reads));
  }

  @Test
  void the_java_sdk_sets_reads_and_deletes_a_buckets_cors_rules() throws Exception {
    assertThat(sdk.getBucketCrossOriginConfiguration(BUCKET)).as("none yet").isNull();
    sdk.setBucketCrossOriginConfiguration(BUCKET, pageMayWrite());

    List<CORSRule> rules = sdk.getBucketCrossOriginConfiguration(BUCKET).getRules();
    assertThat(rules).hasSize(2);
    assertThat(rules.get(0).getId()).isEqualTo("page");
    assertThat(rules.get(0).getAllowedOrigins()).containsExactly(PAGE_ORIGIN, "http://*.page.test");
    assertThat(rules.get(0).getAllowedMethods())
        .containsExactly(CORSRule.AllowedMethods.PUT, CORSRule.AllowedMethods.GET);
    assertThat(rules.get(0).getAllowedHeaders()).containsExactly("*");
    assertThat(rules.get(0).getExposedHeaders()).containsExactly("ETag", "x-cos-request-id");
    assertThat(rules.get(0).getMaxAgeSeconds()).isEqualTo(600);
    assertThat(rules.get(1).getAllowedOrigins()).containsExactly("*");

    sdk.deleteBucketCrossOriginConfiguration(BUCKET);
    assertThat(sdk.getBucketCrossOriginConfiguration(BUCKET)).isNull();

    String scratch = "cors-scratch-1250000000";
    sdk.setBucketCrossOriginConfiguration(scratch, pageMayWrite());
    sdk.deleteBucket(scratch);
    assertThat(sdk.getBucketCrossOriginConfiguration(scratch))
        .as("a deleted bucket's rules go with it")
        .isNull();

    RawHttp.Response audit =
        RawHttp.signed(node.port(), "GET", "127.0.0.1", "/admin/audit?format=json", null);
    assertThat(audit.status()).as(audit.text()).isEqualTo(200);
    assertThat(audit.text())
        .as("who changed which bucket's rules")
        .contains("\"Action\":\"PUT cos /\"")
        .contains("\"Action\":\"DELETE cos /\"")
        .contains("\"Target\":\"/?cors\"");
  }

  @Test
  void a_preflight_unsigned_is_answered_by_the_first_rule_that_allows_it_or_refused()
      throws Exception {
    assertThat(preflight("/in/a.wav", PAGE_ORIGIN, "PUT", "content-type").status())
        .as("no configuration yet")
        .isEqualTo(403);
    sdk.setBucketCrossOriginConfiguration(BUCKET, pageMayWrite());

    RawHttp.Response allowed =
        preflight("/in/a.wav", "http://app.page.test", "PUT", "authorization, content-type");
    assertThat(allowed.status()).as(allowed.text()).isEqualTo(200);
    assertThat(allowed.headers())
        .containsEntry("access-control-allow-origin", "http://app.page.test")
        .containsEntry("access-control-allow-methods", "PUT, GET")
        .containsEntry("access-control-allow-headers", "authorization, content-type")
        .containsEntry("access-control-expose-headers", "ETag, x-cos-request-id")
        .containsEntry("access-control-max-age", "600")
        .containsEntry("vary", "Origin");

    RawHttp.Response anyOrigin = preflight("/in/a.wav", "https://elsewhere.example", "GET", null);
    assertThat(anyOrigin.status()).isEqualTo(200);
    assertThat(anyOrigin.headers())
        .containsEntry("access-control-allow-origin", "https://elsewhere.example")
        .containsEntry("access-control-allow-methods", "GET, HEAD")
        .doesNotContainKey("access-control-max-age");

    RawHttp.Response refused = preflight("/in/a.wav", "https://elsewhere.example", "PUT", null);
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.text()).contains("<Code>AccessForbidden</Code>");
    assertThat(refused.headers()).doesNotContainKey("access-control-allow-origin");

    assertThat(preflight("/", PAGE_ORIGIN, "DELETE", null).status())
        .as("a method no rule lists")
        .isEqualTo(403);
    assertThat(preflight("/in/a.wav", PAGE_ORIGIN, null, null).status())
        .as("not a preflight")
        .isEqualTo(400);
  }

  @Test
  void answers_let_an_allowed_origin_read_them_errors_included() throws Exception {
    sdk.setBucketCrossOriginConfiguration(BUCKET, pageMayWrite());
    RawHttp.Response put =
        RawHttp.signedWith(
            node.port(),
            "PUT",
            COS_HOST,
            "/cors/a.txt",
            "a".getBytes(StandardCharsets.UTF_8),
            Map.of("Origin", PAGE_ORIGIN));
    assertThat(put.status()).isEqualTo(200);
    assertThat(put.headers())
        .containsEntry("access-control-allow-origin", PAGE_ORIGIN)
        .containsEntry("access-control-expose-headers", "ETag, x-cos-request-id");

    RawHttp.Response unsigned =
        RawHttp.send(
            node.port(),
            "GET",
            "/cors/a.txt",
            Map.of("Host", COS_HOST, "Origin", "https://elsewhere.example"),
            null);
    assertThat(unsigned.status()).as("refused for want of a signature").isEqualTo(403);
    assertThat(unsigned.headers())
        .as("yet readable by the page, which learns why")
        .containsEntry("access-control-allow-origin", "https://elsewhere.example");

    RawHttp.Response notAllowed =
        RawHttp.signedWith(
            node.port(),
            "DELETE",
            COS_HOST,
            "/cors/a.txt",
            null,
            Map.of("Origin", "https://elsewhere.example"));
    assertThat(notAllowed.status()).as("the call itself is not CORS's to refuse").isEqualTo(204);
    assertThat(notAllowed.headers()).doesNotContainKey("access-control-allow-origin");
  }

  @Test
  void bad_cors_documents_are_refused_and_change_nothing() throws Exception {
    sdk.setBucketCrossOriginConfiguration(BUCKET, pageMayWrite());
    for (String document :
        List.of(
            "<CORSConfiguration></CORSConfiguration>",
            "<CORSConfiguration><CORSRule><AllowedMethod>GET</AllowedMethod></CORSRule>"
                + "</CORSConfiguration>",
            "<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin>"
                + "<AllowedMethod>PATCH</AllowedMethod></CORSRule></CORSConfiguration>",
            "<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin>"
                + "<AllowedMethod>GET</AllowedMethod><MaxAgeSeconds>soon</MaxAgeSeconds>"
                + "</CORSRule></CORSConfiguration>",
            "<!DOCTYPE c [<!ENTITY o SYSTEM \"file:///etc/passwd\">]><CORSConfiguration><CORSRule>"
                + "<AllowedOrigin>&o;</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule>"
                + "</CORSConfiguration>")) {
      RawHttp.Response refused =
          RawHttp.signed(
              node.port(), "PUT", COS_HOST, "/?cors", document.getBytes(StandardCharsets.UTF_8));
      assertThat(refused.status()).as(document).isEqualTo(400);
      assertThat(refused.text()).as(document).contains("<Code>MalformedXML</Code>");
    }
    RawHttp.Response patched = RawHttp.signed(node.port(), "PATCH", COS_HOST, "/?cors", null);
    assertThat(patched.status()).isEqualTo(405);
    assertThat(sdk.getBucketCrossOriginConfiguration(BUCKET).getRules())
        .as("the configuration set before is kept")
        .hasSize(2);
  }

  @Test
  void a_page_of_an_allowed_origin_uploads_and_reads_back_and_another_origins_page_cannot()
      throws Exception {
    sdk.setBucketCrossOriginConfiguration(BUCKET, pageMayWrite());
    try (CallbackReceiver pages = CallbackReceiver.start()) {
      pages.respond(
          r ->
              CallbackReceiver.Reply.status(200)
                  .withHeader("Content-Type", "text/html")
                  .withBody("<!doctype html><title>app</title>".getBytes(), false));
      WebDriver browser =
          Chromium.start(
              browserProfile,
              "--host-resolver-rules=MAP *.myqcloud.com 127.0.0.1:"
                  + node.port()
                  + ", MAP *.test 127.0.0.1:"
                  + pages.port(),
              "--disable-features=HttpsUpgrades");
      try {
        browser.get(PAGE_ORIGIN + "/");
        Map<String, Object> written = upload(browser, "/browser/hello.txt", "hello from a page");
        assertThat(written).as(written.toString()).containsEntry("status", 200L);
        assertThat((String) written.get("etag"))
            .as("ETag is exposed to the page")
            .matches("\"[0-9a-f]{32}\"");
        assertThat(written.get("read")).isEqualTo("hello from a page");
        assertThat(sdk.getObjectMetadata(BUCKET, "browser/hello.txt").getUserMetadata())
            .containsEntry("from", "page");

        browser.get("http://other.test/");
        Map<String, Object> refused = upload(browser, "/browser/other.txt", "not allowed");
        assertThat(refused.get("error"))
            .as("the browser refuses the call after its preflight: " + refused)
            .isNotNull();
        assertThat(sdk.doesObjectExist(BUCKET, "browser/other.txt")).isFalse();
      } finally {
        browser.quit();
      }
    }
  }

  /**
   * In the page, as the JavaScript SDK calls (the port of the bucket's host is remapped to the
   * node's by the browser's resolver rules): a signed PUT of {@code text} to the bucket with a user
   * metadata header, then a signed GET of it; what the page's script could read of both.
   */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> upload(WebDriver browser, String path, String text) {
    String script =
        """
        const done = arguments[arguments.length - 1];
        const [url, putAuth, getAuth, text] = arguments;
        (async () => {
          const put = await fetch(url, {
            method: 'PUT',
            headers: { Authorization: putAuth, 'Content-Type': 'text/plain', 'x-cos-meta-from': 'page' },
            body: text,
          });
          const got = await fetch(url, { headers: { Authorization: getAuth } });
          return { status: put.status, etag: put.headers.get('ETag'), read: await got.text() };
        })().then(done, (e) => done({ error: String(e) }));
        """;
    return new LinkedHashMap<>(
        (Map<String, Object>)
            ((JavascriptExecutor) browser)
                .executeAsyncScript(
                    script,
                    "http://" + COS_HOST + path,
                    authorization("PUT", path),
                    authorization("GET", path),
                    text));
  }

  private static String authorization(String method, String path) {
    long now = System.currentTimeMillis() / 1000;
    return QSign.authorization(
        TestNode.CREDENTIALS.secretId(),
        TestNode.CREDENTIALS.secretKey(),
        (now - 60) + ";" + (now + 600),
        method,
        path,
        List.of(),
        List.of(Map.entry("host", COS_HOST)));
  }

  private static RawHttp.Response preflight(
      String path, String origin, String method, String requestHeaders) throws Exception {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Host", COS_HOST);
    headers.put("Origin", origin);
    if (method != null) {
      headers.put("Access-Control-Request-Method", method);
    }
    if (requestHeaders != null) {
      headers.put("Access-Control-Request-Headers", requestHeaders);
    }
    return RawHttp.send(node.port(), "OPTIONS", path, headers, null);
  }
}
