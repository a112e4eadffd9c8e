package io.jobhook.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.qcloud.cos.COSClient;
import com.qcloud.cos.exception.CosServiceException;
import io.jobhook.api.auth.Credentials;
import io.jobhook.callback.RetryPolicy;
import io.jobhook.config.JobhookConfig;
import io.jobhook.support.RawHttp;
import io.jobhook.support.TestNode;
import io.jobhook.support.TestPostgres;
import io.jobhook.support.Workflows;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Access keys scoped to buckets and to reads, made with the {@code keys} command against a running
 * server, used by the official Java SDK and raw requests; revocation; the audit log; secrets sealed
 * at rest; and two nodes on one PostgreSQL that see a revocation at once.
 */
class AccessKeysIT {
  static final String MINE = TestNode.BUCKET;
  static final String OTHER = "other-1250000000";

  @TempDir Path dataDir;

  @Test
  void a_key_opens_its_buckets_only_a_read_only_key_writes_nothing_and_a_revoked_key_nothing()
      throws Exception {
    try (TestNode node = TestNode.start(dataDir)) {
      String server = "http://127.0.0.1:" + node.port();
      Map<String, String> writer =
          keys("create", "--server", server, "--bucket", MINE, "--description", "uploader");
      Map<String, String> reader =
          keys("create", "--server", server, "--bucket", MINE, "--read-only");
      assertThat(writer.get("SecretId")).startsWith("AKID").hasSize(36);
      assertThat(writer.get("SecretKey")).hasSize(32);
      assertThat(writer).containsEntry("Buckets", MINE).containsEntry("ReadOnly", "false");
      assertThat(reader).containsEntry("ReadOnly", "true");
      Credentials writes = new Credentials(writer.get("SecretId"), writer.get("SecretKey"));
      Credentials reads = new Credentials(reader.get("SecretId"), reader.get("SecretKey"));

      // the official SDK, configured with the scoped key, works on its bucket and nowhere else
      COSClient sdk = TestNode.sdkClient(node.port(), writes);
      try {
        put(sdk, MINE, "in/a.txt", "mine");
        assertThat(sdk.doesObjectExist(MINE, "in/a.txt")).isTrue();
        CosServiceException denied =
            (CosServiceException) catchThrowable(() -> put(sdk, OTHER, "x", "no"));
        assertThat(denied.getStatusCode()).isEqualTo(403);
        assertThat(denied.getErrorCode()).isEqualTo("AccessDenied");
        // nor can it copy another bucket's object into its own
        put(node.sdk(), OTHER, "secret.txt", "theirs");
        CosServiceException copyDenied =
            (CosServiceException)
                catchThrowable(() -> sdk.copyObject(OTHER, "secret.txt", MINE, "in/stolen.txt"));
        assertThat(copyDenied.getStatusCode()).isEqualTo(403);
        assertThat(copyDenied.getErrorMessage()).contains(OTHER);
        assertThat(sdk.doesObjectExist(MINE, "in/stolen.txt")).isFalse();
      } finally {
        sdk.shutdown();
      }
      var otherJobs =
          as(writes, node.port(), "POST", Workflows.ciHost(OTHER), "/jobs", jobRequest());
      assertThat(otherJobs.status()).isEqualTo(403);
      assertThat(otherJobs.text()).contains("AccessDenied").contains(OTHER);
      assertThat(as(writes, node.port(), "POST", RawHttp.CI_HOST, "/jobs", jobRequest()).status())
          .isEqualTo(200);
      // listing buckets shows a key the buckets it may read, and only those
      var listed = as(writes, node.port(), "GET", "service.cos.myqcloud.com", "/", null);
      assertThat(listed.status()).as(listed.text()).isEqualTo(200);
      assertThat(listed.text()).contains("<Name>" + MINE + "</Name>").doesNotContain(OTHER);
      assertThat(RawHttp.signed(node.port(), "GET", "service.cos.myqcloud.com", "/", null).text())
          .as("the administrator's key reads every bucket")
          .contains("<Name>" + MINE + "</Name>")
          .contains("<Name>" + OTHER + "</Name>");

      // read-only: reads pass, every write is refused
      assertThat(as(reads, node.port(), "GET", RawHttp.COS_HOST, "/in/a.txt", null).text())
          .isEqualTo("mine");
      assertThat(as(reads, node.port(), "GET", RawHttp.CI_HOST, "/jobs", null).status())
          .isEqualTo(200);
      for (var write :
          List.of(
              List.of("PUT", RawHttp.COS_HOST, "/in/b.txt"),
              List.of("DELETE", RawHttp.COS_HOST, "/in/a.txt"),
              List.of("POST", RawHttp.CI_HOST, "/jobs"))) {
        var r =
            as(
                reads,
                node.port(),
                write.get(0),
                write.get(1),
                write.get(2),
                write.get(0).equals("POST") ? jobRequest() : "x".getBytes());
        assertThat(r.status()).as(write.toString()).isEqualTo(403);
        assertThat(r.text()).contains("AccessDenied").contains("read-only");
      }

      // only the administrator administers
      var listedByWriter = as(writes, node.port(), "GET", "127.0.0.1", "/admin/keys", null);
      assertThat(listedByWriter.status()).isEqualTo(403);

      // an administrative change made with the scoped key is audited under its SecretId
      String queue = defaultQueue(node.port(), writes);
      var paused =
          as(
              writes,
              node.port(),
              "PUT",
              RawHttp.CI_HOST,
              "/queue/" + queue,
              RawHttp.queueState(queue, "Paused"));
      assertThat(paused.status()).as(paused.text()).isEqualTo(200);
      var refused =
          as(
              writes,
              node.port(),
              "PUT",
              RawHttp.CI_HOST,
              "/queue/p-no-such-queue",
              RawHttp.queueState("p-no-such-queue", "Paused"));
      assertThat(refused.status()).as(refused.text()).isEqualTo(404);

      String list = String.join("\n", lines("list", "--server", server));
      assertThat(list)
          .contains("SecretId=" + TestNode.CREDENTIALS.secretId() + " Buckets=* ReadOnly=false")
          .contains("SecretId=" + writes.secretId() + " Buckets=" + MINE + " ReadOnly=false")
          .contains("SecretId=" + reads.secretId() + " Buckets=" + MINE + " ReadOnly=true")
          .contains("Description=uploader")
          .doesNotContain(writes.secretKey());

      // revoked: refused at once
      assertThat(lines("revoke", writes.secretId(), "--server", server))
          .containsExactly("Revoked=" + writes.secretId());
      var afterRevoke = as(writes, node.port(), "GET", RawHttp.COS_HOST, "/in/a.txt", null);
      assertThat(afterRevoke.status()).isEqualTo(403);
      assertThat(afterRevoke.text()).contains("InvalidAccessKeyId");
      assertThat(String.join("\n", lines("list", "--server", server)))
          .contains("SecretId=" + writes.secretId() + " Buckets=" + MINE)
          .contains("State=Revoked");
      Run again = run("revoke", writes.secretId(), "--server", server);
      assertThat(again.exit()).isEqualTo(1);
      assertThat(again.output()).contains("404").contains("NoSuchAccessKey");

      // the audit log: who did what, newest first
      var audit = RawHttp.signed(node.port(), "GET", "127.0.0.1", "/admin/audit?format=json", null);
      assertThat(audit.status()).as(audit.text()).isEqualTo(200);
      var entries = new com.fasterxml.jackson.databind.ObjectMapper().readTree(audit.text());
      List<String> seen = new ArrayList<>();
      for (var e : entries.path("Entry")) {
        seen.add(
            e.path("SecretId").asText()
                + " "
                + e.path("Action").asText()
                + " "
                + e.path("Bucket").asText()
                + " "
                + e.path("Target").asText()
                + " "
                + e.path("Outcome").asText());
      }
      String admin = TestNode.CREDENTIALS.secretId();
      assertThat(seen)
          .containsSubsequence(
              admin + " key.revoke * " + writes.secretId() + " Failed",
              admin + " key.revoke * " + writes.secretId() + " Succeeded",
              writes.secretId() + " PUT ci /queue/{id} " + MINE + " /queue/p-no-such-queue Failed",
              writes.secretId() + " PUT ci /queue/{id} " + MINE + " /queue/" + queue + " Succeeded",
              admin + " key.create read-only " + MINE + " " + reads.secretId() + " Succeeded",
              admin + " key.create read-write " + MINE + " " + writes.secretId() + " Succeeded");

      // the secret keys are sealed at rest: neither is anywhere in the data directory
      try (var files = Files.walk(dataDir)) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          String bytes = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
          assertThat(bytes).as(f.toString()).doesNotContain(reads.secretKey());
          assertThat(bytes).as(f.toString()).doesNotContain(writes.secretKey());
        }
      }
      assertThat(Files.getPosixFilePermissions(dataDir.resolve("master.key")))
          .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }
  }

  @Test
  void bad_requests_for_keys_get_clear_errors() throws Exception {
    try (TestNode node = TestNode.start(dataDir)) {
      String server = "http://127.0.0.1:" + node.port();
      Run noBucket = run("create", "--server", server);
      assertThat(noBucket.exit()).isEqualTo(2);
      assertThat(noBucket.output()).contains("--bucket B (repeatable) or --all-buckets");
      Run badBucket = run("create", "--server", server, "--bucket", "Not A Bucket");
      assertThat(badBucket.exit()).isEqualTo(1);
      assertThat(badBucket.output()).contains("400").contains("is not a bucket name");
      var revokeAdmin =
          RawHttp.signed(
              node.port(),
              "DELETE",
              "127.0.0.1",
              "/admin/keys/" + TestNode.CREDENTIALS.secretId(),
              null);
      assertThat(revokeAdmin.status()).isEqualTo(400);
      assertThat(revokeAdmin.text()).contains("environment");
      var unsigned =
          RawHttp.send(node.port(), "GET", "/admin/keys", Map.of("Host", "127.0.0.1"), null);
      assertThat(unsigned.status()).isEqualTo(403);
      Map<String, String> all = keys("create", "--server", server, "--all-buckets");
      assertThat(all).containsEntry("Buckets", "*");
      Credentials everywhere = new Credentials(all.get("SecretId"), all.get("SecretKey"));
      assertThat(
              as(everywhere, node.port(), "GET", Workflows.ciHost(OTHER), "/jobs", null).status())
          .isEqualTo(200);
      assertThat(as(everywhere, node.port(), "GET", "127.0.0.1", "/admin/audit", null).status())
          .isEqualTo(403);
    }
  }

  @Test
  @EnabledIfEnvironmentVariable(named = "JOBHOOK_TEST_PG_URL", matches = "jdbc:postgresql:.*")
  void two_nodes_on_one_database_share_keys_and_see_a_revocation_at_once() throws Exception {
    TestPostgres pg = TestPostgres.empty();
    JobhookConfig base = TestNode.config(dataDir, RetryPolicy.parse("0s"), true, false);
    JobhookConfig config =
        base.withStorage(base.storage().withDatabase(pg.url(), pg.user(), pg.password()));
    try (TestNode a = TestNode.start(config);
        TestNode b = TestNode.start(config)) {
      Map<String, String> key =
          keys("create", "--server", "http://127.0.0.1:" + a.port(), "--bucket", MINE);
      Credentials scoped = new Credentials(key.get("SecretId"), key.get("SecretKey"));
      assertThat(as(scoped, b.port(), "GET", RawHttp.CI_HOST, "/jobs", null).status())
          .isEqualTo(200);
      keys("revoke", scoped.secretId(), "--server", "http://127.0.0.1:" + a.port());
      var refused = as(scoped, b.port(), "GET", RawHttp.CI_HOST, "/jobs", null);
      assertThat(refused.status()).isEqualTo(403);
      assertThat(refused.text()).contains("InvalidAccessKeyId");
    }
  }

  // --- helpers -------------------------------------------------------------------------------

  private static void put(COSClient sdk, String bucket, String key, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    var meta = new com.qcloud.cos.model.ObjectMetadata();
    meta.setContentLength(bytes.length);
    sdk.putObject(bucket, key, new ByteArrayInputStream(bytes), meta);
  }

  private static byte[] jobRequest() {
    return RawHttp.missingInputJob(null, null);
  }

  private static String defaultQueue(int port, Credentials key) throws Exception {
    String text = as(key, port, "GET", RawHttp.CI_HOST, "/queue", null).text();
    Matcher m = Pattern.compile("<QueueId>([^<]+)</QueueId>").matcher(text);
    assertThat(m.find()).as(text).isTrue();
    return m.group(1);
  }

  private static RawHttp.Response as(
      Credentials key, int port, String method, String host, String path, byte[] body)
      throws Exception {
    long now = System.currentTimeMillis() / 1000;
    return RawHttp.signedAt(port, method, host, path, body, key, (now - 60) + ";" + (now + 600));
  }

  record Run(int exit, String output) {}

  /** Runs {@code java -jar target/jobhook.jar keys ARGS} with the administrator's key pair. */
  private static Run run(String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.add("-jar");
    cmd.add("target/jobhook.jar");
    cmd.add("keys");
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("JOBHOOK_SECRET_ID", TestNode.CREDENTIALS.secretId());
    pb.environment().put("JOBHOOK_SECRET_KEY", TestNode.CREDENTIALS.secretKey());
    Process p = pb.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), output);
  }

  private static List<String> lines(String... args) throws Exception {
    Run r = run(args);
    assertThat(r.exit()).as(r.output()).isZero();
    return r.output().lines().toList();
  }

  private static Map<String, String> keys(String... args) throws Exception {
    Map<String, String> values = new LinkedHashMap<>();
    for (String line : lines(args)) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        values.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    return values;
  }
}
