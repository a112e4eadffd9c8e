package io.jobhook.e2e;

import static io.jobhook.support.TestNode.BUCKET;
import static org.assertj.core.api.Assertions.assertThat;

import com.qcloud.cos.COSClient;
import com.qcloud.cos.model.COSObject;
import com.qcloud.cos.model.CompleteMultipartUploadRequest;
import com.qcloud.cos.model.InitiateMultipartUploadRequest;
import com.qcloud.cos.model.ObjectMetadata;
import com.qcloud.cos.model.PartETag;
import io.jobhook.api.auth.QSign;
import io.jobhook.support.CallbackReceiver;
import io.jobhook.support.RawHttp;
import io.jobhook.support.S3ProxyServer;
import io.jobhook.support.SdkCalls;
import io.jobhook.support.ServerProcess;
import io.jobhook.support.TestAudio;
import io.jobhook.support.TestNode;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@code serve --object-store s3://...} on a real S3 API (S3Proxy): objects and job outputs go to
 * the store and read back through the SDK; a {@code kill -9} in the middle of a large upload (its
 * multipart upload begun, no entry committed) leaves nothing once jobhook has restarted: no object,
 * no unfinished upload, no blob that no entry holds; and a client's multipart upload with a part
 * stored before the kill goes on through the restarted node.
 */
class S3ObjectStoreCrashIT {
  static final String S3_BUCKET = "jobhook-cluster";
  static final String COS_HOST = BUCKET + ".cos." + TestNode.REGION + ".myqcloud.com";

  @TempDir Path dataDir;
  @TempDir Path s3Dir;
  @TempDir Path logs;

  static final int PART = 1 << 20;

  @Test
  void objects_and_outputs_live_in_the_store_and_a_crash_mid_upload_leaves_nothing()
      throws Exception {
    byte[] parted = new byte[PART + 1000];
    new java.util.Random(3).nextBytes(parted);
    String partedUploadId;
    PartETag firstPart;
    try (S3ProxyServer s3 = S3ProxyServer.start(s3Dir, S3_BUCKET);
        S3Client store = s3.client()) {
      int port = ServerProcess.freePort();
      Path log = logs.resolve("server.log");
      String[] args = {"--object-store", s3.spec(S3_BUCKET, "node/")};
      ServerProcess first = ServerProcess.startWith(s3.environment(), dataDir, port, log, args);
      COSClient sdk = TestNode.sdkClient(port, TestNode.CREDENTIALS);
      try {
        byte[] input = TestAudio.wav16(16000, TestAudio.speechLike(16000, 3.0)); // > 64 KiB
        ObjectMetadata meta = new ObjectMetadata();
        meta.setContentLength(input.length);
        sdk.putObject(BUCKET, "in/talk.wav", new ByteArrayInputStream(input), meta);
        String jobId =
            sdk.createMediaJobs(SdkCalls.noiseReduction(BUCKET, "in/talk.wav", "out/talk.wav"))
                .getJobsDetail()
                .getJobId();
        CallbackReceiver.await(
            Duration.ofSeconds(30),
            "the job to succeed",
            () ->
                "Success"
                    .equals(
                        sdk.describeMediaJob(SdkCalls.job(BUCKET, jobId))
                            .getJobsDetail()
                            .getState()));
        try (COSObject output = sdk.getObject(BUCKET, "out/talk.wav")) {
          byte[] wav = output.getObjectContent().readAllBytes();
          assertThat(new String(wav, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("RIFF");
        }
        assertThat(blobs(store)).as("the input's and the output's blobs, in the store").hasSize(2);

        // a client's multipart upload with its first part stored when the node dies
        partedUploadId =
            sdk.initiateMultipartUpload(new InitiateMultipartUploadRequest(BUCKET, "in/parted.bin"))
                .getUploadId();
        firstPart =
            SdkCalls.uploadPart(sdk, BUCKET, "in/parted.bin", partedUploadId, 1, parted, 0, PART);

        // a 30 MB upload, 12 MB of it sent: jobhook is streaming it as a multipart upload
        Socket upload = startUpload(port, "/in/huge.bin", 30_000_000, 12_000_000);
        CallbackReceiver.await(
            Duration.ofSeconds(30),
            "the multipart upload to begin",
            () -> !store.listMultipartUploads(b -> b.bucket(S3_BUCKET)).uploads().isEmpty());
        first.killHard();
        upload.close();
      } finally {
        sdk.shutdown();
        first.close();
      }

      try (ServerProcess second =
          ServerProcess.startWith(s3.environment(), dataDir, port, log, args)) {
        CallbackReceiver.await(
            Duration.ofSeconds(30),
            "the restart's sweep",
            () -> store.listMultipartUploads(b -> b.bucket(S3_BUCKET)).uploads().isEmpty());
        assertThat(RawHttp.signed(port, "HEAD", COS_HOST, "/in/huge.bin", null).status())
            .isEqualTo(404);
        assertThat(RawHttp.signed(port, "GET", COS_HOST, "/in/talk.wav", null).body().length)
            .as("read back after the restart")
            .isGreaterThan(64 * 1024);
        assertThat(blobs(store)).as("only the blobs entries and parts hold").hasSize(3);

        // the upload goes on through the restarted node
        COSClient again = TestNode.sdkClient(port, TestNode.CREDENTIALS);
        try {
          PartETag secondPart =
              SdkCalls.uploadPart(
                  again,
                  BUCKET,
                  "in/parted.bin",
                  partedUploadId,
                  2,
                  parted,
                  PART,
                  parted.length - PART);
          again.completeMultipartUpload(
              new CompleteMultipartUploadRequest(
                  BUCKET,
                  "in/parted.bin",
                  partedUploadId,
                  new ArrayList<>(List.of(firstPart, secondPart)))); // the SDK sorts it
          try (COSObject back = again.getObject(BUCKET, "in/parted.bin")) {
            assertThat(back.getObjectContent().readAllBytes()).isEqualTo(parted);
          }
        } finally {
          again.shutdown();
        }
        assertThat(blobs(store)).as("the parts' blobs gave way to the object's").hasSize(3);

        // readiness follows the store; liveness does not
        assertThat(RawHttp.send(port, "GET", "/readyz", Map.of("Host", "127.0.0.1"), null).status())
            .isEqualTo(200);
        s3.close();
        CallbackReceiver.await(
            Duration.ofSeconds(30),
            "/readyz to report the store",
            () -> {
              try {
                var ready = RawHttp.send(port, "GET", "/readyz", Map.of("Host", "127.0.0.1"), null);
                return ready.status() == 503 && ready.text().contains("object store");
              } catch (java.io.IOException e) {
                return false;
              }
            });
        assertThat(
                RawHttp.send(port, "GET", "/healthz", Map.of("Host", "127.0.0.1"), null).status())
            .isEqualTo(200);
      }
    }
  }

  private static List<String> blobs(S3Client store) {
    List<String> keys = new ArrayList<>();
    for (S3Object o : store.listObjectsV2Paginator(b -> b.bucket(S3_BUCKET)).contents()) {
      if (!o.key().endsWith("/")) { // S3Proxy lists its directories
        keys.add(o.key());
      }
    }
    return keys;
  }

  /** A signed PUT announcing {@code length} bytes, of which {@code sent} are sent. */
  private static Socket startUpload(int port, String path, long length, int sent) throws Exception {
    Socket socket = new Socket("127.0.0.1", port);
    long now = System.currentTimeMillis() / 1000;
    String auth =
        QSign.authorization(
            TestNode.CREDENTIALS.secretId(),
            TestNode.CREDENTIALS.secretKey(),
            (now - 60) + ";" + (now + 600),
            "PUT",
            path,
            List.of(),
            List.of(
                Map.entry("host", COS_HOST), Map.entry("content-length", Long.toString(length))));
    OutputStream out = socket.getOutputStream();
    out.write(
        ("PUT "
                + path
                + " HTTP/1.1\r\nHost: "
                + COS_HOST
                + "\r\nContent-Length: "
                + length
                + "\r\nAuthorization: "
                + auth
                + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    out.write(new byte[sent]);
    out.flush();
    return socket;
  }
}
