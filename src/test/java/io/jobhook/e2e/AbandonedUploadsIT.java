package io.jobhook.e2e;

import static io.jobhook.support.RawHttp.COS_HOST;
import static org.assertj.core.api.Assertions.assertThat;

import io.jobhook.support.CallbackReceiver;
import io.jobhook.support.RawHttp;
import io.jobhook.support.ServerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve --abort-uploads-after}: a multipart upload its client abandoned is aborted by the
 * node's sweep, its parts' bytes freed; one still within the limit is kept.
 */
class AbandonedUploadsIT {
  @TempDir Path dataDir;
  @TempDir Path logs;

  @Test
  void an_upload_abandoned_longer_than_the_limit_is_aborted_at_the_next_sweep() throws Exception {
    int port = ServerProcess.freePort();
    Path log = logs.resolve("server.log");
    String abandoned;
    try (ServerProcess first = ServerProcess.start(dataDir, port, log)) {
      abandoned = initiate(port, "/in/abandoned.bin");
      var part =
          RawHttp.signed(
              port,
              "PUT",
              COS_HOST,
              "/in/abandoned.bin?partNumber=1&uploadId=" + abandoned,
              new byte[200_000]);
      assertThat(part.status()).as(part.text()).isEqualTo(200);
    }
    Thread.sleep(2_100);

    // the sweep runs as the node starts: the upload is older than the limit
    try (ServerProcess second =
        ServerProcess.start(dataDir, port, log, "--abort-uploads-after", "2s")) {
      String recent = initiate(port, "/in/recent.bin");
      CallbackReceiver.await(
          Duration.ofSeconds(30),
          "the abandoned upload to be aborted",
          () -> parts(port, "/in/abandoned.bin", abandoned) == 404);
      assertThat(parts(port, "/in/recent.bin", recent)).isEqualTo(200);
      assertThat(Files.readString(log))
          .contains("aborted 1 multipart upload(s) begun more than 2s ago");
    }
    try (var blobs = Files.walk(dataDir.resolve("objects"))) {
      assertThat(blobs.filter(Files::isRegularFile))
          .as("the part's bytes were freed")
          .noneMatch(p -> p.toFile().length() == 200_000);
    }
  }

  private static String initiate(int port, String path) throws Exception {
    var r = RawHttp.signed(port, "POST", COS_HOST, path + "?uploads", null);
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    return r.text().replaceAll("(?s).*<UploadId>([^<]+)</UploadId>.*", "$1");
  }

  private static int parts(int port, String path, String uploadId) {
    try {
      return RawHttp.signed(port, "GET", COS_HOST, path + "?uploadId=" + uploadId, null).status();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
