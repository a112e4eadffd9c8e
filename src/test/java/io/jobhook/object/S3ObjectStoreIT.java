package io.jobhook.object;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobhook.object.s3.S3BlobStore;
import io.jobhook.support.S3ProxyServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The object store contract on a real S3 API (S3Proxy in its own process), each test under a prefix
 * of its own.
 */
class S3ObjectStoreIT extends ObjectStoreContract {
  static final String S3_BUCKET = "jobhook-objects";
  static S3ProxyServer s3;
  static int tests;
  String prefix;

  @BeforeAll
  static void startS3() throws Exception {
    s3 = S3ProxyServer.start(Files.createTempDirectory("s3proxy"), S3_BUCKET);
  }

  @AfterAll
  static void stopS3() {
    s3.close();
  }

  @Override
  BlobStore openBlobs(Path dir) {
    prefix = "test-" + (++tests) + "/";
    return new S3BlobStore(s3.location(S3_BUCKET, prefix));
  }

  @Override
  void leaveUnfinishedWrite() {
    try (S3Client client = s3.client()) {
      String key = prefix + "blobs/cd000000-0000-0000-0000-000000000000";
      String upload = client.createMultipartUpload(b -> b.bucket(S3_BUCKET).key(key)).uploadId();
      client.uploadPart(
          b -> b.bucket(S3_BUCKET).key(key).uploadId(upload).partNumber(1),
          RequestBody.fromBytes(new byte[1024]));
    }
  }

  @Test
  void blobs_are_objects_under_the_prefix_and_a_refused_multipart_upload_leaves_nothing()
      throws Exception {
    byte[] large = new byte[(9 << 20) + 5];
    var stored =
        store.put(
            BUCKET,
            "in/large.wav",
            stream(large),
            large.length,
            null,
            null,
            java.util.Map.of(),
            null);
    try (S3Client client = s3.client()) {
      assertThat(
              client
                  .headObject(b -> b.bucket(S3_BUCKET).key(prefix + "blobs/" + stored.blob()))
                  .contentLength())
          .isEqualTo(large.length);
    }
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                store.put(
                    BUCKET,
                    "in/cut.wav",
                    stream(large),
                    large.length + 1,
                    null,
                    null,
                    java.util.Map.of(),
                    null))
        .isInstanceOf(ObjectStore.IntegrityException.class);
    assertThat(blobNames()).containsExactly(stored.blob());
    try (S3Client client = s3.client()) {
      assertThat(client.listMultipartUploads(b -> b.bucket(S3_BUCKET).prefix(prefix)).uploads())
          .as("the refused upload was aborted")
          .isEmpty();
    }
  }
}
