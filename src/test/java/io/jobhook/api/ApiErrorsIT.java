package io.jobhook.api;

import static io.jobhook.support.RawHttp.CI_HOST;
import static io.jobhook.support.RawHttp.COS_HOST;
import static org.assertj.core.api.Assertions.assertThat;

import io.jobhook.support.CallbackReceiver;
import io.jobhook.support.RawHttp;
import io.jobhook.support.TestNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad and hostile input gets a CI {@code <Error>} with the right status and changes nothing. */
class ApiErrorsIT {
  @TempDir static Path dataDir;
  static TestNode node;
  static int port;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start(dataDir);
    port = node.port();
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  static RawHttp.Response postJob(String xml) throws Exception {
    return RawHttp.signed(port, "POST", CI_HOST, "/jobs", xml.getBytes(StandardCharsets.UTF_8));
  }

  static void assertError(RawHttp.Response r, int status, String code) {
    assertThat(r.status()).as(r.text()).isEqualTo(status);
    assertThat(r.headers().get("content-type")).startsWith("application/xml");
    assertThat(r.text())
        .contains("<Error><Code>" + code + "</Code><Message>")
        .contains("<RequestId>");
    assertThat(r.headers()).containsKey("x-ci-request-id").containsKey("x-cos-request-id");
  }

  @Test
  void requests_refused_before_any_route_get_ci_errors_with_their_request_id() throws Exception {
    var escaping = RawHttp.send(port, "GET", "/a/../../etc/passwd", Map.of("Host", COS_HOST), null);
    assertError(escaping, 400, "InvalidRequest");
    var oversized =
        RawHttp.send(
            port,
            "GET",
            "/jobs",
            Map.of("Host", CI_HOST, "X-Padding", "a".repeat(64 * 1024)),
            null);
    assertError(oversized, 431, "RequestHeaderFieldsTooLarge");
    for (var refused : java.util.List.of(escaping, oversized)) {
      String id = refused.headers().get("x-cos-request-id");
      assertThat(id).isNotBlank().isEqualTo(refused.headers().get("x-ci-request-id"));
      assertThat(refused.text()).contains("<RequestId>" + id + "</RequestId>");
    }
    assertThat(escaping.headers().get("x-cos-request-id"))
        .isNotEqualTo(oversized.headers().get("x-cos-request-id"));
  }

  @Test
  void an_external_entity_is_refused_without_being_resolved() throws Exception {
    var r =
        postJob(
            "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + "<Request><Tag>&x;</Tag></Request>");
    assertError(r, 400, "MalformedXML");
    assertThat(r.text()).doesNotContain("root:");
  }

  @Test
  void billion_laughs_is_refused() throws Exception {
    StringBuilder xml =
        new StringBuilder("<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">");
    for (int i = 1; i < 10; i++) {
      xml.append("<!ENTITY lol")
          .append(i)
          .append(" \"")
          .append(("&lol" + (i == 1 ? "" : i - 1) + ";").repeat(10))
          .append("\">");
    }
    xml.append("]><Request><Tag>&lol9;</Tag></Request>");
    assertError(postJob(xml.toString()), 400, "MalformedXML");
  }

  @Test
  void an_entity_reference_without_a_doctype_is_refused() throws Exception {
    assertError(postJob("<Request><Tag>&undefined;</Tag></Request>"), 400, "MalformedXML");
  }

  @Test
  void a_huge_body_is_refused() throws Exception {
    String xml =
        "<Request><Tag>NoiseReduction</Tag><UserData>"
            + "x".repeat(2 << 20)
            + "</UserData></Request>";
    assertError(postJob(xml), 413, "EntityTooLarge");
  }

  @Test
  void malformed_xml_and_a_wrong_root_are_refused() throws Exception {
    assertError(postJob("<Request><Tag>NoiseReduction</Request>"), 400, "MalformedXML");
    assertError(postJob("<Job><Tag>NoiseReduction</Tag></Job>"), 400, "MalformedXML");
    assertError(postJob(""), 400, "MalformedXML");
  }

  @Test
  void missing_and_invalid_fields_are_named_in_the_error() throws Exception {
    var noTag = postJob("<Request><Input><Object>a.wav</Object></Input></Request>");
    assertError(noTag, 400, "InvalidArgument");
    assertThat(noTag.text()).contains("Tag is required");
    var noInput =
        postJob(
            "<Request><Tag>NoiseReduction</Tag><Operation><Output><Object>o.wav</Object></Output></Operation></Request>");
    assertError(noInput, 400, "InvalidArgument");
    assertThat(noInput.text()).contains("Input/Object");
    var noOutput =
        postJob(
            "<Request><Tag>NoiseReduction</Tag><Input><Object>a.wav</Object></Input></Request>");
    assertError(noOutput, 400, "InvalidArgument");
    assertThat(noOutput.text()).contains("Output/Object");
    var badLevel = postJob(job("<JobLevel>7</JobLevel>", ""));
    assertError(badLevel, 400, "InvalidArgument");
    assertThat(badLevel.text()).contains("JobLevel");
    assertError(
        postJob(job("<NoiseReduction><Format>flac</Format></NoiseReduction>", "")),
        400,
        "InvalidArgument");
    assertError(
        postJob(job("<NoiseReduction><SampleRate>fast</SampleRate></NoiseReduction>", "")),
        400,
        "InvalidArgument");
    assertError(
        postJob(job("", "<CallBack>ftp://example.com/x</CallBack>")), 400, "InvalidArgument");
    assertError(
        postJob(
            job("", "<CallBack>http://example.com/x</CallBack><CallBackType>Kafka</CallBackType>")),
        400,
        "InvalidArgument");
    // TDMQ (Tencent's message queue) does not exist off-cloud: refused, naming what works
    var tdmq =
        postJob(
            job("", "<CallBack>http://example.com/x</CallBack><CallBackType>TDMQ</CallBackType>"));
    assertError(tdmq, 400, "InvalidArgument");
    assertThat(tdmq.text()).contains("TDMQ").contains("use Url");
    var queueTdmq =
        RawHttp.signed(
            port,
            "PUT",
            CI_HOST,
            "/queue/pdeadbeefdeadbeefdeadbeefdeadbeef",
            "<Request><NotifyConfig><Type>TDMQ</Type></NotifyConfig></Request>"
                .getBytes(StandardCharsets.UTF_8));
    assertError(queueTdmq, 400, "InvalidArgument");
    assertThat(queueTdmq.text()).contains("NotifyConfig/Type").contains("TDMQ").contains("use Url");
    // both spellings of the sample rate at once must agree
    var twoRates =
        postJob(
            job(
                "<NoiseReduction><SampleRate>16000</SampleRate><Samplerate>8000</Samplerate>"
                    + "</NoiseReduction>",
                ""));
    assertError(twoRates, 400, "InvalidArgument");
    assertThat(twoRates.text()).contains("differ");
    assertError(
        postJob(job("", "<QueueId>pdeadbeefdeadbeefdeadbeefdeadbeef</QueueId>")),
        404,
        "NoSuchQueue");
  }

  @Test
  void unknown_api_paths_and_hosts_get_errors() throws Exception {
    assertError(RawHttp.signed(port, "GET", CI_HOST, "/nosuchthing", null), 404, "NoSuchResource");
    assertError(RawHttp.signed(port, "GET", "127.0.0.1:" + port, "/jobs", null), 400, "InvalidURI");
    assertError(
        RawHttp.signed(port, "GET", CI_HOST, "/jobs?size=1000", null), 400, "InvalidArgument");
    assertError(
        RawHttp.signed(port, "GET", CI_HOST, "/jobs?nextToken=forged", null),
        400,
        "InvalidArgument");
    assertError(
        RawHttp.signed(port, "GET", CI_HOST, "/jobs?startCreationTime=yesterday", null),
        400,
        "InvalidArgument");
  }

  @Test
  void unsigned_and_expired_requests_are_forbidden() throws Exception {
    assertError(
        RawHttp.send(port, "GET", "/jobs", Map.of("Host", CI_HOST), null), 403, "AccessDenied");
    long old = System.currentTimeMillis() / 1000 - 7200;
    assertError(
        RawHttp.signedAt(
            port, "GET", CI_HOST, "/queue", null, TestNode.CREDENTIALS, (old - 60) + ";" + old),
        403,
        "RequestTimeTooSkewed");
    var head = RawHttp.send(port, "HEAD", "/some/key", Map.of("Host", COS_HOST), null);
    assertThat(head.status()).isEqualTo(403);
    assertThat(head.body()).isEmpty();
  }

  @Test
  void absolute_form_targets_of_the_sdk_proxy_mode_are_served() throws Exception {
    var r = RawHttp.signedProxyForm(port, "GET", CI_HOST, "/queue?pageSize=5");
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    assertThat(r.text()).contains("<QueueList>");
  }

  @Test
  void healthz_answers_without_a_signature_on_any_host_that_names_no_bucket() throws Exception {
    for (String host :
        new String[] {"whatever", "127.0.0.1:" + port, "jobhook.internal.example.com"}) {
      var r = RawHttp.send(port, "GET", "/healthz", Map.of("Host", host), null);
      assertThat(r.status()).as(host).isEqualTo(200);
      assertThat(r.text()).contains("ok");
    }
  }

  @Test
  void objects_named_healthz_and_metrics_read_back_as_themselves() throws Exception {
    for (String key : new String[] {"healthz", "metrics"}) {
      byte[] content = ("the object " + key).getBytes(StandardCharsets.UTF_8);
      assertThat(RawHttp.signed(port, "PUT", COS_HOST, "/" + key, content).status()).isEqualTo(200);
      var read = RawHttp.signed(port, "GET", COS_HOST, "/" + key, null);
      assertThat(read.status()).isEqualTo(200);
      assertThat(read.text()).isEqualTo("the object " + key);
      assertError(
          RawHttp.send(port, "GET", "/" + key, Map.of("Host", COS_HOST), null),
          403,
          "AccessDenied");
    }
  }

  @Test
  void a_wrong_content_md5_stores_nothing() throws Exception {
    byte[] body = "payload".getBytes(StandardCharsets.UTF_8);
    var headers = new java.util.LinkedHashMap<String, String>();
    long now = System.currentTimeMillis() / 1000;
    headers.put("Host", COS_HOST);
    headers.put("Content-Length", Integer.toString(body.length));
    headers.put("Content-MD5", "AAAAAAAAAAAAAAAAAAAAAA==");
    var signedHeaders = new java.util.ArrayList<Map.Entry<String, String>>();
    headers.forEach((k, v) -> signedHeaders.add(Map.entry(k.toLowerCase(), v)));
    headers.put(
        "Authorization",
        io.jobhook.api.auth.QSign.authorization(
            TestNode.CREDENTIALS.secretId(),
            TestNode.CREDENTIALS.secretKey(),
            (now - 60) + ";" + (now + 600),
            "PUT",
            "/bad-md5.txt",
            java.util.List.of(),
            signedHeaders));
    assertError(RawHttp.send(port, "PUT", "/bad-md5.txt", headers, body), 400, "BadDigest");
    assertThat(RawHttp.signed(port, "GET", COS_HOST, "/bad-md5.txt", null).status()).isEqualTo(404);
  }

  @Test
  void digests_of_the_body_are_checked_where_the_client_sends_them() throws Exception {
    byte[] job = job("", "").getBytes(StandardCharsets.UTF_8);
    byte[] other = job("", "").replace("out/x.wav", "out/y.wav").getBytes(StandardCharsets.UTF_8);
    String md5 =
        java.util.Base64.getEncoder()
            .encodeToString(java.security.MessageDigest.getInstance("MD5").digest(job));
    String sha1 =
        java.util.HexFormat.of()
            .formatHex(java.security.MessageDigest.getInstance("SHA-1").digest(job));
    assertError(
        RawHttp.signedWith(port, "POST", CI_HOST, "/jobs", other, Map.of("Content-MD5", md5)),
        400,
        "BadDigest");
    assertError(
        RawHttp.signedWith(
            port, "POST", CI_HOST, "/jobs", other, Map.of("x-cos-content-sha1", sha1)),
        400,
        "BadDigest");
    assertError(
        RawHttp.signedWith(
            port, "POST", CI_HOST, "/jobs", job, Map.of("x-cos-content-sha1", "xyz")),
        400,
        "InvalidDigest");
    var right =
        RawHttp.signedWith(
            port,
            "POST",
            CI_HOST,
            "/jobs",
            job,
            Map.of("Content-MD5", md5, "x-cos-content-sha1", sha1));
    assertThat(right.status()).as(right.text()).isEqualTo(200);

    for (int size : new int[] {100, 300_000}) { // kept in the index, and in a blob file
      byte[] content = new byte[size];
      new java.util.Random(size).nextBytes(content);
      byte[] tampered = content.clone();
      tampered[size / 2] ^= 1;
      String digest =
          java.util.HexFormat.of()
              .formatHex(java.security.MessageDigest.getInstance("SHA-1").digest(content));
      String key = "/sha1-" + size;
      assertError(
          RawHttp.signedWith(
              port, "PUT", COS_HOST, key, tampered, Map.of("x-cos-content-sha1", digest)),
          400,
          "BadDigest");
      assertThat(RawHttp.signed(port, "GET", COS_HOST, key, null).status())
          .as("nothing stored")
          .isEqualTo(404);
      assertThat(
              RawHttp.signedWith(
                      port, "PUT", COS_HOST, key, content, Map.of("x-cos-content-sha1", digest))
                  .status())
          .isEqualTo(200);
      assertThat(RawHttp.signed(port, "GET", COS_HOST, key, null).body()).isEqualTo(content);
    }
    try (var parts = java.nio.file.Files.list(dataDir.resolve("objects/tmp"))) {
      assertThat(parts.toList()).as("no temp file left by the refused upload").isEmpty();
    }
  }

  @Test
  void an_upload_cut_short_by_the_client_is_its_error_and_stores_nothing() throws Exception {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
      long now = System.currentTimeMillis() / 1000;
      var signedHeaders =
          java.util.List.<Map.Entry<String, String>>of(
              Map.entry("host", COS_HOST), Map.entry("content-length", "1000000"));
      String auth =
          io.jobhook.api.auth.QSign.authorization(
              TestNode.CREDENTIALS.secretId(),
              TestNode.CREDENTIALS.secretKey(),
              (now - 60) + ";" + (now + 600),
              "PUT",
              "/cut-short.bin",
              java.util.List.of(),
              signedHeaders);
      socket
          .getOutputStream()
          .write(
              ("PUT /cut-short.bin HTTP/1.1\r\nHost: "
                      + COS_HOST
                      + "\r\nContent-Length: 1000000\r\nAuthorization: "
                      + auth
                      + "\r\n\r\n"
                      + "x".repeat(200_000))
                  .getBytes(StandardCharsets.US_ASCII));
      socket.shutdownOutput(); // the client goes away 800,000 bytes early
      String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(answer).startsWith("HTTP/1.1 400").contains("<Code>IncompleteBody</Code>");
    }
    assertThat(RawHttp.signed(port, "GET", COS_HOST, "/cut-short.bin", null).status())
        .isEqualTo(404);
  }

  @Test
  void callback_no_turns_off_the_queue_notification_for_that_job() throws Exception {
    try (CallbackReceiver receiver = CallbackReceiver.start()) {
      String queueId = queueIdOf(RawHttp.signed(port, "GET", CI_HOST, "/queue", null).text());
      var update =
          updateQueue(
              queueId,
              "<NotifyConfig><Url>"
                  + receiver.url("/q")
                  + "</Url><Event>TaskFinish</Event><Type>Url</Type><State>On</State></NotifyConfig>");
      assertThat(update.status()).as(update.text()).isEqualTo(200);
      String silent = jobIdOf(postJob(job("", "<CallBack>no</CallBack>")).text());
      String notified = jobIdOf(postJob(job("", "")).text());
      CallbackReceiver.await(
          Duration.ofSeconds(20),
          "queue callback",
          () -> receiver.received().stream().anyMatch(r -> r.bodyText().contains(notified)));
      CallbackReceiver.await(
          Duration.ofSeconds(20),
          "the silent job to end",
          () -> RawHttp.uncheckedText(port, "/jobs/" + silent).contains("<State>Failed</State>"));
      Thread.sleep(300);
      assertThat(receiver.received()).noneMatch(r -> r.bodyText().contains(silent));
      // leave the default queue as the other tests expect it
      RawHttp.signed(
          port,
          "PUT",
          CI_HOST,
          "/queue/" + queueId,
          ("<Request><NotifyConfig><State>Off</State></NotifyConfig></Request>")
              .getBytes(StandardCharsets.UTF_8));
    }
  }

  private static String job(String operationExtra, String requestExtra) {
    return "<Request><Tag>NoiseReduction</Tag>"
        + requestExtra
        + "<Input><Object>in/missing.wav</Object></Input>"
        + "<Operation>"
        + operationExtra
        + "<Output><Object>out/x.wav</Object></Output></Operation></Request>";
  }

  @Test
  void cos_operations_a_query_parameter_names_are_refused_and_leave_the_object_as_it_was()
      throws Exception {
    byte[] original = "the original".getBytes(StandardCharsets.UTF_8);
    assertThat(RawHttp.signed(port, "PUT", COS_HOST, "/kept.txt", original).status())
        .isEqualTo(200);
    byte[] document = "<Document/>".getBytes(StandardCharsets.UTF_8);
    // what reading a part, ACLs, tags and bucket settings send: none may act on the object
    List<RawHttp.Response> refused =
        List.of(
            RawHttp.signed(port, "GET", COS_HOST, "/kept.txt?partNumber=1", null),
            RawHttp.signed(port, "PUT", COS_HOST, "/kept.txt?partNumber=1", document),
            RawHttp.signed(port, "PUT", COS_HOST, "/kept.txt?acl", document),
            RawHttp.signed(port, "PUT", COS_HOST, "/kept.txt?restore", document),
            RawHttp.signed(port, "DELETE", COS_HOST, "/kept.txt?retention", null),
            RawHttp.signed(port, "PUT", COS_HOST, "/?lifecycle", document),
            RawHttp.signed(port, "GET", COS_HOST, "/?acl", null),
            RawHttp.signed(port, "GET", COS_HOST, "/?list-type=2", null),
            RawHttp.signed(port, "GET", COS_HOST, "/?uploads&delimiter=/", null),
            RawHttp.signed(port, "GET", "service.cos.myqcloud.com", "/?tagkey=team", null));
    for (RawHttp.Response r : refused) {
      assertError(r, 501, "NotImplemented");
      assertThat(r.text()).contains("is not implemented by jobhook");
    }
    // multipart calls on an upload that does not exist: 404, the object untouched
    for (RawHttp.Response r :
        List.of(
            RawHttp.signed(port, "PUT", COS_HOST, "/kept.txt?partNumber=1&uploadId=u1", document),
            RawHttp.signed(port, "GET", COS_HOST, "/kept.txt?uploadId=u1", null),
            RawHttp.signed(port, "DELETE", COS_HOST, "/kept.txt?uploadId=u1", null),
            RawHttp.signed(
                port,
                "POST",
                COS_HOST,
                "/kept.txt?uploadId=u1",
                "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>x</ETag></Part>"
                    .concat("</CompleteMultipartUpload>")
                    .getBytes(StandardCharsets.UTF_8)))) {
      assertError(r, 404, "NoSuchUpload");
    }
    assertError(
        RawHttp.signed(port, "GET", COS_HOST, "/?max-keys=0", null), 400, "InvalidArgument");
    assertError(
        RawHttp.signed(port, "GET", COS_HOST, "/?encoding-type=base64", null),
        400,
        "InvalidArgument");
    var kept = RawHttp.signed(port, "GET", COS_HOST, "/kept.txt", null);
    assertThat(kept.status()).isEqualTo(200);
    assertThat(kept.body()).isEqualTo(original);
    // a parameter that names no operation changes nothing: the object as usual
    assertThat(RawHttp.signed(port, "GET", COS_HOST, "/kept.txt?foo=bar", null).body())
        .isEqualTo(original);
  }

  @Test
  void multipart_uploads_refuse_bad_part_numbers_lists_and_documents_with_cos_errors()
      throws Exception {
    var initiated = RawHttp.signed(port, "POST", COS_HOST, "/mp/a.bin?uploads", null);
    assertThat(initiated.status()).as(initiated.text()).isEqualTo(200);
    String id = initiated.text().replaceAll("(?s).*<UploadId>([^<]+)</UploadId>.*", "$1");
    byte[] part = "abc".getBytes(StandardCharsets.UTF_8);
    String path = "/mp/a.bin?uploadId=" + id;

    assertError(
        RawHttp.signed(port, "PUT", COS_HOST, path + "&partNumber=0", part),
        400,
        "InvalidArgument");
    assertError(
        RawHttp.signed(port, "PUT", COS_HOST, path + "&partNumber=10001", part),
        400,
        "InvalidArgument");
    assertError(RawHttp.signed(port, "PUT", COS_HOST, path, part), 400, "InvalidArgument");
    // multipart parameters count only when signed: a captured PUT cannot become a part upload
    assertError(
        RawHttp.replayed(port, "PUT", COS_HOST, "/mp/a.bin", path + "&partNumber=1", part),
        400,
        "InvalidArgument");
    assertError(
        RawHttp.replayed(port, "POST", COS_HOST, "/mp/a.bin", "/mp/a.bin?uploads", null),
        400,
        "InvalidArgument");
    var sent = RawHttp.signed(port, "PUT", COS_HOST, path + "&partNumber=1", part);
    assertThat(sent.status()).isEqualTo(200);
    assertThat(sent.headers().get("etag")).isEqualTo("\"900150983cd24fb0d6963f7d28e17f72\"");

    String one =
        "<Part><PartNumber>1</PartNumber><ETag>900150983cd24fb0d6963f7d28e17f72</ETag></Part>";
    assertError(
        complete(
            path,
            "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
                + "<CompleteMultipartUpload>"
                + one
                + "</CompleteMultipartUpload>"),
        400,
        "MalformedXML");
    assertError(complete(path, "<Request>" + one + "</Request>"), 400, "MalformedXML");
    assertError(
        complete(
            path,
            "<CompleteMultipartUpload><Part><PartNumber>x</PartNumber>"
                + "<ETag>y</ETag></Part></CompleteMultipartUpload>"),
        400,
        "MalformedXML");
    assertError(
        complete(path, "<CompleteMultipartUpload>" + one + one + "</CompleteMultipartUpload>"),
        400,
        "InvalidPartOrder");
    assertError(
        complete(
            path,
            "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>\"00\"</ETag></Part>"
                + "</CompleteMultipartUpload>"),
        400,
        "InvalidPart");
    assertError(
        RawHttp.signed(port, "GET", COS_HOST, "/mp/a.bin?uploads", null), 405, "MethodNotAllowed");
    assertThat(RawHttp.signed(port, "GET", COS_HOST, "/mp/a.bin", null).status())
        .as("nothing until completed")
        .isEqualTo(404);

    var done = complete(path, "<CompleteMultipartUpload>" + one + "</CompleteMultipartUpload>");
    assertThat(done.status()).as(done.text()).isEqualTo(200);
    assertThat(done.text())
        .contains("<Key>mp/a.bin</Key>")
        .containsPattern("<ETag>&quot;[0-9a-f]{32}-1&quot;</ETag>");
    assertThat(RawHttp.signed(port, "GET", COS_HOST, "/mp/a.bin", null).body()).isEqualTo(part);
    assertError(
        complete(path, "<CompleteMultipartUpload>" + one + "</CompleteMultipartUpload>"),
        404,
        "NoSuchUpload");
  }

  @Test
  void copies_refuse_bad_sources_and_a_copy_onto_itself_that_changes_nothing() throws Exception {
    byte[] body = "source".getBytes(StandardCharsets.UTF_8);
    assertThat(RawHttp.signed(port, "PUT", COS_HOST, "/copy/src.txt", body).status())
        .isEqualTo(200);
    String self = COS_HOST + "/copy/src.txt";
    assertError(copy("/copy/src.txt", self, Map.of()), 400, "InvalidRequest");
    assertError(copy("/copy/a.txt", "nohost", Map.of()), 400, "InvalidArgument");
    assertError(copy("/copy/a.txt", COS_HOST + "/", Map.of()), 400, "InvalidArgument");
    assertError(copy("/copy/a.txt", self + "?versionId=1", Map.of()), 501, "NotImplemented");
    assertError(copy("/copy/a.txt", COS_HOST + "/copy/none.txt", Map.of()), 404, "NoSuchKey");
    assertError(
        copy("/copy/a.txt", self, Map.of("x-cos-metadata-directive", "Sideways")),
        400,
        "InvalidArgument");
    assertError(
        copy("/copy/a.txt", self, Map.of("x-cos-copy-source-If-None-Match", "*" + md5Hex(body))),
        412,
        "PreconditionFailed");
    assertError(
        copy("/copy/a.txt", self, Map.of("x-cos-copy-source-If-Modified-Since", "yesterday")),
        400,
        "InvalidArgument");
    assertThat(RawHttp.signed(port, "GET", COS_HOST, "/copy/a.txt", null).status())
        .as("no refused copy wrote anything")
        .isEqualTo(404);

    var replaced = copy("/copy/src.txt", self, Map.of("x-cos-metadata-directive", "Replaced"));
    assertThat(replaced.status()).as(replaced.text()).isEqualTo(200);
    assertThat(replaced.text()).startsWith("<CopyObjectResult><ETag>&quot;" + md5Hex(body));
    assertThat(RawHttp.signed(port, "GET", COS_HOST, "/copy/src.txt", null).body()).isEqualTo(body);
  }

  @Test
  void bad_tags_are_refused_and_change_nothing() throws Exception {
    StringBuilder eleven = new StringBuilder();
    for (int i = 0; i < 11; i++) {
      eleven.append(i == 0 ? "" : "&").append("k").append(i).append("=v");
    }
    assertError(
        RawHttp.signedWith(
            port,
            "PUT",
            COS_HOST,
            "/tags/refused.txt",
            "x".getBytes(StandardCharsets.UTF_8),
            Map.of("x-cos-tagging", eleven.toString())),
        400,
        "InvalidTag");
    assertThat(RawHttp.signed(port, "GET", COS_HOST, "/tags/refused.txt", null).status())
        .as("an upload with bad tags writes nothing")
        .isEqualTo(404);

    assertThat(
            RawHttp.signedWith(
                    port,
                    "PUT",
                    COS_HOST,
                    "/tags/kept.txt",
                    "x".getBytes(StandardCharsets.UTF_8),
                    Map.of("x-cos-tagging", "team=audio"))
                .status())
        .isEqualTo(200);
    for (String document :
        List.of(
            "<Tagging><TagSet><Tag><Key>a</Key><Value>1</Value></Tag>"
                + "<Tag><Key>a</Key><Value>2</Value></Tag></TagSet></Tagging>",
            "<Tagging><TagSet><Tag><Key></Key><Value>1</Value></Tag></TagSet></Tagging>",
            "<Tagging><TagSet><Tag><Key>"
                + "k".repeat(129)
                + "</Key><Value>1</Value></Tag>"
                + "</TagSet></Tagging>")) {
      assertError(putTags("/tags/kept.txt", document), 400, "InvalidTag");
    }
    assertError(
        putTags(
            "/tags/kept.txt",
            "<!DOCTYPE t [<!ENTITY v \"x\">]><Tagging><TagSet><Tag><Key>a</Key><Value>&v;</Value>"
                + "</Tag></TagSet></Tagging>"),
        400,
        "MalformedXML");
    assertThat(RawHttp.signed(port, "GET", COS_HOST, "/tags/kept.txt?tagging", null).text())
        .as("the tags set with the upload are kept")
        .isEqualTo(
            "<Tagging><TagSet><Tag><Key>team</Key><Value>audio</Value></Tag></TagSet></Tagging>");
    var retagged =
        copy(
            "/tags/copy.txt",
            COS_HOST + "/tags/kept.txt",
            Map.of("x-cos-tagging-directive", "Replaced", "x-cos-tagging", "team=video"));
    assertThat(retagged.status()).as(retagged.text()).isEqualTo(200);
    assertThat(RawHttp.signed(port, "GET", COS_HOST, "/tags/copy.txt?tagging", null).text())
        .as("a copy that replaces the tags")
        .contains("<Value>video</Value>")
        .doesNotContain("audio");
    assertError(
        RawHttp.signed(port, "GET", COS_HOST, "/tags/none.txt?tagging", null), 404, "NoSuchKey");
    assertError(
        RawHttp.signed(port, "DELETE", COS_HOST, "/tags/none.txt?tagging", null), 404, "NoSuchKey");
  }

  @Test
  void a_batch_delete_refuses_bad_documents_and_digests_and_deletes_nothing() throws Exception {
    byte[] kept = "kept".getBytes(StandardCharsets.UTF_8);
    assertThat(RawHttp.signed(port, "PUT", COS_HOST, "/batch/kept.txt", kept).status())
        .isEqualTo(200);
    byte[] doc =
        "<Delete><Object><Key>batch/kept.txt</Key></Object></Delete>"
            .getBytes(StandardCharsets.UTF_8);
    assertError(
        RawHttp.signedWith(
            port,
            "POST",
            COS_HOST,
            "/?delete",
            doc,
            Map.of("Content-MD5", "1B2M2Y8AsgTpgAmY7PhCfg==")),
        400,
        "BadDigest");
    assertError(
        RawHttp.signed(
            port,
            "POST",
            COS_HOST,
            "/?delete",
            "<Delete></Delete>".getBytes(StandardCharsets.UTF_8)),
        400,
        "MalformedXML");
    assertError(
        RawHttp.signed(
            port,
            "POST",
            COS_HOST,
            "/?delete",
            "<!DOCTYPE d [<!ENTITY k \"batch/kept.txt\">]><Delete><Object><Key>&k;</Key></Object></Delete>"
                .getBytes(StandardCharsets.UTF_8)),
        400,
        "MalformedXML");
    assertError(RawHttp.signed(port, "GET", COS_HOST, "/?delete", null), 405, "MethodNotAllowed");
    assertThat(RawHttp.signed(port, "GET", COS_HOST, "/batch/kept.txt", null).body())
        .isEqualTo(kept);

    var done = RawHttp.signed(port, "POST", COS_HOST, "/?delete", doc);
    assertThat(done.status()).as(done.text()).isEqualTo(200);
    assertThat(done.text())
        .isEqualTo("<DeleteResult><Deleted><Key>batch/kept.txt</Key></Deleted></DeleteResult>");
    assertThat(RawHttp.signed(port, "GET", COS_HOST, "/batch/kept.txt", null).status())
        .isEqualTo(404);
  }

  private RawHttp.Response putTags(String path, String document) throws Exception {
    return RawHttp.signed(
        port, "PUT", COS_HOST, path + "?tagging", document.getBytes(StandardCharsets.UTF_8));
  }

  private RawHttp.Response copy(String path, String source, Map<String, String> headers)
      throws Exception {
    Map<String, String> all = new java.util.LinkedHashMap<>(headers);
    all.put("x-cos-copy-source", source);
    return RawHttp.signedWith(port, "PUT", COS_HOST, path, null, all);
  }

  private static String md5Hex(byte[] bytes) throws Exception {
    return java.util.HexFormat.of()
        .formatHex(java.security.MessageDigest.getInstance("MD5").digest(bytes));
  }

  private RawHttp.Response complete(String path, String document) throws Exception {
    return RawHttp.signed(port, "POST", COS_HOST, path, document.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void a_response_header_override_counts_only_when_signed() throws Exception {
    assertThat(
            RawHttp.signed(
                    port,
                    "PUT",
                    COS_HOST,
                    "/page.html",
                    "<b>x</b>".getBytes(StandardCharsets.UTF_8))
                .status())
        .isEqualTo(200);
    var signed =
        RawHttp.signed(
            port, "GET", COS_HOST, "/page.html?response-content-type=text%2Fplain", null);
    assertThat(signed.status()).as(signed.text()).isEqualTo(200);
    assertThat(signed.headers().get("content-type")).startsWith("text/plain");
    // added to a signed link afterwards: refused, not applied
    var added =
        RawHttp.replayed(
            port,
            "GET",
            COS_HOST,
            "/page.html",
            "/page.html?response-content-type=text%2Fhtml",
            null);
    assertError(added, 400, "InvalidArgument");
    assertThat(added.text()).contains("response-content-type");
  }

  @Test
  void a_queue_takes_its_max_concurrent_from_the_api_within_1_to_1000() throws Exception {
    String queueId = queueIdOf(RawHttp.signed(port, "GET", CI_HOST, "/queue", null).text());
    String before = maxConcurrentOf(RawHttp.signed(port, "GET", CI_HOST, "/queue", null).text());
    try {
      var set = updateMaxConcurrent(queueId, "3");
      assertThat(set.status()).as(set.text()).isEqualTo(200);
      assertThat(maxConcurrentOf(set.text())).isEqualTo("3");
      assertThat(maxConcurrentOf(RawHttp.signed(port, "GET", CI_HOST, "/queue", null).text()))
          .isEqualTo("3");
      for (String refused : List.of("0", "1001", "-1", "many")) {
        var r = updateMaxConcurrent(queueId, refused);
        assertError(r, 400, "InvalidArgument");
        assertThat(r.text()).contains("MaxConcurrent");
      }
      var empty = updateMaxConcurrent(queueId, "");
      assertThat(empty.status()).as(empty.text()).isEqualTo(200);
      assertThat(maxConcurrentOf(empty.text())).as("an empty element leaves it").isEqualTo("3");
    } finally {
      updateMaxConcurrent(queueId, before);
    }
  }

  private static RawHttp.Response updateMaxConcurrent(String queueId, String value)
      throws Exception {
    return updateQueue(queueId, "<MaxConcurrent>" + value + "</MaxConcurrent>");
  }

  /** An UpdateMediaQueue as the SDK sends it (empty Name and State), with {@code elements}. */
  private static RawHttp.Response updateQueue(String queueId, String elements) throws Exception {
    return RawHttp.signed(
        port,
        "PUT",
        CI_HOST,
        "/queue/" + queueId,
        ("<Request><Name></Name><QueueId>"
                + queueId
                + "</QueueId><State></State>"
                + elements
                + "</Request>")
            .getBytes(StandardCharsets.UTF_8));
  }

  private static String maxConcurrentOf(String xml) {
    var m = java.util.regex.Pattern.compile("<MaxConcurrent>(\\d+)</MaxConcurrent>").matcher(xml);
    assertThat(m.find()).as(xml).isTrue();
    return m.group(1);
  }

  private static String queueIdOf(String xml) {
    var m = java.util.regex.Pattern.compile("<QueueId>(p[0-9a-f]{32})</QueueId>").matcher(xml);
    assertThat(m.find()).as(xml).isTrue();
    return m.group(1);
  }

  private static String jobIdOf(String xml) {
    var m = java.util.regex.Pattern.compile("<JobId>(j[0-9a-f]{32})</JobId>").matcher(xml);
    assertThat(m.find()).as(xml).isTrue();
    return m.group(1);
  }
}
