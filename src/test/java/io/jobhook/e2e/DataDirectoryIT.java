package io.jobhook.e2e;

import static io.jobhook.support.RawHttp.COS_HOST;
import static org.assertj.core.api.Assertions.assertThat;

import io.jobhook.support.CallbackReceiver;
import io.jobhook.support.RawHttp;
import io.jobhook.support.ServerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data directory is its owner's alone, and what a kill -9 leaves in it is swept at the next
 * start.
 */
class DataDirectoryIT {
  @TempDir Path parent;
  @TempDir Path logs;

  @Test
  void the_data_directory_is_private_and_files_left_by_a_crash_are_removed_at_start()
      throws Exception {
    Path dataDir =
        Files.createDirectory(
            parent.resolve("data"),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    int port = ServerProcess.freePort();
    Path log = logs.resolve("server.log");
    byte[] big = new byte[300_000];
    new Random(1).nextBytes(big);

    ServerProcess first = ServerProcess.start(dataDir, port, log);
    assertThat(RawHttp.signed(port, "PUT", COS_HOST, "/kept.bin", big).status()).isEqualTo(200);
    first.killHard();

    // what a crash in the middle of an upload, a job and a put's commit leaves behind
    Path part = Files.write(dataDir.resolve("objects/tmp/put-1.part"), new byte[1000]);
    Path orphanBlob = dataDir.resolve("objects/blobs/zz/zz000000-0000-0000-0000-000000000000");
    Files.createDirectories(orphanBlob.getParent());
    Files.write(orphanBlob, big);
    Files.createDirectories(dataDir.resolve("tmp"));
    Path jobTemp = Files.write(dataDir.resolve("tmp/jobhook-1.tmp"), new byte[1000]);

    try (ServerProcess second = ServerProcess.start(dataDir, port, log)) {
      CallbackReceiver.await(
          Duration.ofSeconds(10),
          "the leftovers to be swept",
          () -> !Files.exists(part) && !Files.exists(orphanBlob) && !Files.exists(jobTemp));
      assertThat(RawHttp.signed(port, "GET", COS_HOST, "/kept.bin", null).body()).isEqualTo(big);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir)))
          .isEqualTo("rwx------");
      for (String name :
          List.of("jobhook.db", "jobhook.db-wal", "jobhook.db-shm", "jobhook.lock")) {
        assertThat(
                PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve(name))))
            .as(name)
            .isEqualTo("rw-------");
      }
    }
    assertThat(Files.readString(log)).contains("removed 3 file(s) left by an earlier crash");
  }
}
