package io.jobhook.cli;

import static io.jobhook.support.RawHttp.CI_HOST;
import static io.jobhook.support.RawHttp.COS_HOST;
import static org.assertj.core.api.Assertions.assertThat;

import io.jobhook.support.CallbackReceiver;
import io.jobhook.support.RawHttp;
import io.jobhook.support.ServerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jobhook backup}: taken while a node runs and uploads go on, the copy starts a node that
 * serves every object and job the copy holds, byte for byte.
 */
class BackupIT {
  private static final Pattern KEY = Pattern.compile("<Key>([^<]+)</Key>");

  @TempDir Path dataDir;
  @TempDir Path backups;
  @TempDir Path logs;

  @Test
  void a_backup_taken_while_uploads_go_on_starts_a_node_with_every_object_and_job_it_holds()
      throws Exception {
    Path log = logs.resolve("server.log");
    Path backup = backups.resolve("copy");
    byte[] small = "kept inline in the database".getBytes();
    byte[] large = new byte[300_000];
    new Random(7).nextBytes(large);
    String job;
    AtomicInteger uploads = new AtomicInteger();
    try (ServerProcess running = ServerProcess.start(dataDir, ServerProcess.freePort(), log)) {
      int port = running.port();
      assertThat(RawHttp.signed(port, "PUT", COS_HOST, "/kept/small.txt", small).status())
          .isEqualTo(200);
      assertThat(RawHttp.signed(port, "PUT", COS_HOST, "/kept/large.bin", large).status())
          .isEqualTo(200);
      job =
          RawHttp.jobId(
              RawHttp.signed(port, "POST", CI_HOST, "/jobs", RawHttp.missingInputJob(null, null)));
      CallbackReceiver.await(
          Duration.ofSeconds(30),
          "the job to end",
          () -> RawHttp.uncheckedText(port, "/jobs/" + job).contains("<State>Failed</State>"));

      // uploads and overwrites of blob-sized objects go on while the backup runs
      AtomicBoolean stop = new AtomicBoolean();
      Thread writer =
          Thread.ofVirtual()
              .start(
                  () -> {
                    for (int i = 0; !stop.get(); i++) {
                      try {
                        RawHttp.signed(port, "PUT", COS_HOST, "/busy/" + (i % 40), busy(i % 40));
                        uploads.incrementAndGet();
                      } catch (Exception e) {
                        return;
                      }
                    }
                  });
      CallbackReceiver.await(Duration.ofSeconds(30), "uploads under way", () -> uploads.get() > 20);
      CommandLineIT.Run backedUp =
          CommandLineIT.run("backup", "--data-dir", dataDir.toString(), "--to", backup.toString());
      stop.set(true);
      writer.join();
      assertThat(backedUp.exit()).as(backedUp.output()).isZero();
      assertThat(backedUp.output()).contains("backed up");
    }
    assertThat(uploads.get()).as("uploads went on").isGreaterThan(20);
    assertThat(Files.readAllBytes(backup.resolve("master.key")))
        .isEqualTo(Files.readAllBytes(dataDir.resolve("master.key")));

    try (ServerProcess restored = ServerProcess.start(backup, ServerProcess.freePort(), log)) {
      int port = restored.port();
      assertThat(RawHttp.signed(port, "GET", COS_HOST, "/kept/small.txt", null).body())
          .isEqualTo(small);
      assertThat(RawHttp.signed(port, "GET", COS_HOST, "/kept/large.bin", null).body())
          .isEqualTo(large);
      assertThat(RawHttp.uncheckedText(port, "/jobs/" + job)).contains("<State>Failed</State>");
      List<String> busy = keys(RawHttp.signed(port, "GET", COS_HOST, "/?prefix=busy/", null));
      assertThat(busy).as("the uploads done before the snapshot").isNotEmpty();
      for (String key : busy) {
        int n = Integer.parseInt(key.substring("busy/".length()));
        RawHttp.Response read = RawHttp.signed(port, "GET", COS_HOST, "/" + key, null);
        assertThat(read.status()).as(key + ": " + read.text()).isEqualTo(200);
        assertThat(Arrays.equals(read.body(), busy(n))).as(key + " reads back whole").isTrue();
      }
    }
  }

  @Test
  void a_backup_refuses_a_target_in_use_and_a_directory_without_an_embedded_database()
      throws Exception {
    Path used = Files.createDirectories(backups.resolve("used"));
    Files.writeString(used.resolve("something"), "x");
    Files.writeString(dataDir.resolve("jobhook.db"), "");
    CommandLineIT.Run inUse =
        CommandLineIT.run("backup", "--data-dir", dataDir.toString(), "--to", used.toString());
    assertThat(inUse.exit()).isEqualTo(2);
    assertThat(inUse.output()).contains("exists and is not empty");

    CommandLineIT.Run noDatabase =
        CommandLineIT.run(
            "backup",
            "--data-dir",
            backups.resolve("nothing").toString(),
            "--to",
            backups.resolve("copy").toString());
    assertThat(noDatabase.exit()).isEqualTo(2);
    assertThat(noDatabase.output()).contains("no embedded database");
    assertThat(backups.resolve("copy")).doesNotExist();

    CommandLineIT.Run noTarget = CommandLineIT.run("backup", "--data-dir", dataDir.toString());
    assertThat(noTarget.exit()).isEqualTo(2);
    assertThat(noTarget.output()).contains("--to is required");
  }

  /** The bytes uploaded as busy/n: blob-sized (over 64 KiB), different for every n. */
  private static byte[] busy(int n) {
    byte[] bytes = new byte[100_000];
    Arrays.fill(bytes, (byte) n);
    return bytes;
  }

  private static List<String> keys(RawHttp.Response listing) {
    assertThat(listing.status()).as(listing.text()).isEqualTo(200);
    List<String> keys = new ArrayList<>();
    Matcher m = KEY.matcher(listing.text());
    while (m.find()) {
      keys.add(m.group(1));
    }
    return keys;
  }
}
