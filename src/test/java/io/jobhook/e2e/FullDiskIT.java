package io.jobhook.e2e;

import static io.jobhook.support.RawHttp.COS_HOST;
import static org.assertj.core.api.Assertions.assertThat;

import io.jobhook.support.CallbackReceiver;
import io.jobhook.support.RawHttp;
import io.jobhook.support.ServerProcess;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;

/**
 * jobhook on a small disk (a 64 MiB tmpfs that `.ci/run` mounts and names in
 * JOBHOOK_TEST_SMALL_DISK): it stops taking data at its reserve with a clear 503, says so in
 * /readyz, still deletes when another process has filled the disk to the last byte, and takes data
 * again once there is room.
 */
@EnabledIfEnvironmentVariable(named = "JOBHOOK_TEST_SMALL_DISK", matches = "/.+")
class FullDiskIT {
  private static final int MIB = 1 << 20;

  @TempDir Path logs;
  private Path disk;
  private Path dataDir;
  private Path filler;

  @BeforeEach
  void onTheSmallDisk() throws IOException {
    disk = Path.of(System.getenv("JOBHOOK_TEST_SMALL_DISK"));
    dataDir = Files.createTempDirectory(disk, "data-");
    filler = disk.resolve("filler-" + dataDir.getFileName());
  }

  @AfterEach
  void cleanUp() throws IOException {
    Files.deleteIfExists(filler);
    try (Stream<Path> all = Files.walk(dataDir)) {
      for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  @Test
  void uploads_stop_at_the_reserve_deletes_work_on_a_full_disk_and_uploads_resume()
      throws Exception {
    int port = ServerProcess.freePort();
    try (ServerProcess server =
        ServerProcess.start(dataDir, port, logs.resolve("server.log"), "--disk-reserve", "8MiB")) {
      List<String> stored = new ArrayList<>();
      RawHttp.Response refused = null;
      for (int i = 0; i < 100 && refused == null; i++) {
        var r = RawHttp.signed(port, "PUT", COS_HOST, "/fill/" + i, randomBytes(MIB, i));
        if (r.status() == 200) {
          stored.add("/fill/" + i);
        } else {
          refused = r;
        }
      }
      assertThat(refused).as("an upload was refused before the disk filled").isNotNull();
      assertThat(refused.status()).as(refused.text()).isEqualTo(503);
      assertThat(refused.text())
          .contains("<Code>ServiceUnavailable</Code>")
          .contains("--disk-reserve");
      assertThat(stored.size()).as("most of the disk was usable").isGreaterThan(30);
      assertThat(Files.getFileStore(disk).getUsableSpace())
          .as("the reserve stayed free")
          .isGreaterThan(8L * MIB);

      // another process takes the disk below the reserve: jobhook says so, and takes no new data at
      // all
      fillToTheLastByte();
      truncateBy(4L * MIB);
      CallbackReceiver.await(
          Duration.ofSeconds(5),
          "/readyz to report the shortage",
          () -> get(port, "/readyz").status() == 503);
      assertThat(get(port, "/readyz").text()).contains("reserve");
      assertThat(get(port, "/healthz").status()).as("alive all the same").isEqualTo(200);
      var job =
          RawHttp.signed(
              port,
              "POST",
              RawHttp.CI_HOST,
              "/jobs",
              ("<Request><Tag>NoiseReduction</Tag><Input>"
                      + "<Object>fill/0</Object></Input><Operation><Output><Object>o.wav</Object></Output></Operation></Request>")
                  .getBytes());
      assertThat(job.status()).as("new jobs wait for space too").isEqualTo(503);
      assertThat(RawHttp.signed(port, "PUT", COS_HOST, "/small", new byte[10]).status())
          .isEqualTo(503);

      fillToTheLastByte();
      assertThat(Files.getFileStore(disk).getUsableSpace()).isLessThan(64 * 1024);
      for (String key : stored.subList(0, 6)) {
        var deleted = RawHttp.signed(port, "DELETE", COS_HOST, key, null);
        assertThat(deleted.status())
            .as("DELETE %s on a full disk: %s", key, deleted.text())
            .isEqualTo(204);
        assertThat(RawHttp.signed(port, "GET", COS_HOST, key, null).status()).isEqualTo(404);
      }
      var kept = RawHttp.signed(port, "GET", COS_HOST, stored.get(10), null);
      assertThat(kept.body()).as("other objects intact").isEqualTo(randomBytes(MIB, 10));

      Files.delete(filler);
      for (String key : stored.subList(6, 20)) {
        assertThat(RawHttp.signed(port, "DELETE", COS_HOST, key, null).status()).isEqualTo(204);
      }
      CallbackReceiver.await(
          Duration.ofSeconds(5), "/readyz back to 200", () -> get(port, "/readyz").status() == 200);
      assertThat(RawHttp.signed(port, "PUT", COS_HOST, "/again", randomBytes(MIB, 1000)).status())
          .isEqualTo(200);
      assertThat(RawHttp.signed(port, "GET", COS_HOST, "/again", null).body())
          .isEqualTo(randomBytes(MIB, 1000));
    }
  }

  @Test
  void without_a_reserve_an_upload_that_meets_a_full_disk_answers_503_and_leaves_nothing_behind()
      throws Exception {
    int port = ServerProcess.freePort();
    Path log = logs.resolve("server.log");
    try (ServerProcess server = ServerProcess.start(dataDir, port, log, "--disk-reserve", "0")) {
      fillToTheLastByte();
      // give back 3 MiB: an upload of 6 MiB starts and runs out of room half way
      truncateBy(3L * MIB);
      var r = RawHttp.signed(port, "PUT", COS_HOST, "/too-big", randomBytes(6 * MIB, 7));
      assertThat(r.status()).as(r.text()).isEqualTo(503);
      assertThat(r.text()).contains("<Code>ServiceUnavailable</Code>").contains("disk is full");
      assertThat(RawHttp.signed(port, "GET", COS_HOST, "/too-big", null).status()).isEqualTo(404);
      try (Stream<Path> parts = Files.list(dataDir.resolve("objects/tmp"))) {
        assertThat(parts.toList()).as("no temp file left").isEmpty();
      }
    }
    assertThat(Files.readString(log)).doesNotContain("\tat ").doesNotContain("InternalError");
  }

  private void fillToTheLastByte() throws IOException {
    byte[] chunk = new byte[4 * 1024];
    try (OutputStream out =
        Files.newOutputStream(
            filler,
            java.nio.file.StandardOpenOption.CREATE,
            java.nio.file.StandardOpenOption.APPEND)) {
      while (true) {
        out.write(chunk);
      }
    } catch (IOException full) {
      // the disk is full now
    }
  }

  private void truncateBy(long bytes) throws IOException {
    try (var ch =
        java.nio.channels.FileChannel.open(filler, java.nio.file.StandardOpenOption.WRITE)) {
      ch.truncate(Math.max(0, ch.size() - bytes));
    }
  }

  private static RawHttp.Response get(int port, String path) {
    try {
      return RawHttp.send(port, "GET", path, Map.of("Host", "127.0.0.1"), null);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static byte[] randomBytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }
}
