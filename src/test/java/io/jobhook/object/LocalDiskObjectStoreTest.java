package io.jobhook.object;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobhook.storage.Database;
import io.jobhook.storage.JdbcObjectIndex;
import io.jobhook.storage.JdbcTransactions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Puts and staged objects on real disk and a real SQLite index: what exists when, and which blobs
 * go.
 */
class LocalDiskObjectStoreTest {
  private static final String BUCKET = "objects-1250000000";
  private static final byte[] BIG = filled(LocalDiskObjectStore.INLINE_MAX + 1, 'b');

  @TempDir Path dir;
  private Database db;
  private JdbcObjectIndex index;
  private JdbcTransactions transactions;
  private LocalDiskObjectStore store;

  @BeforeEach
  void open() throws IOException {
    db = Database.open("jdbc:sqlite:" + dir.resolve("index.db"), null, null);
    index = new JdbcObjectIndex(db);
    transactions = new JdbcTransactions(db);
    store =
        new LocalDiskObjectStore(
            dir.resolve("objects"),
            index,
            transactions,
            UploadListener.NONE,
            InstantSource.system(),
            null);
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void a_staged_object_exists_only_once_its_index_entry_is_written_and_then_replaces_the_old_blob()
      throws IOException {
    store.put(BUCKET, "out/a.wav", stream(BIG), BIG.length, null, "audio/wav", Map.of(), null);
    assertThat(blobFiles()).hasSize(1);

    byte[] next = filled(LocalDiskObjectStore.INLINE_MAX + 7, 'n');
    StagedObject staged =
        store.stage(BUCKET, "out/a.wav", stream(next), next.length, "audio/wav", Map.of());
    assertThat(staged.info().inline()).as("too big to keep inline").isFalse();
    assertThat(blobFiles()).as("its bytes are on disk").hasSize(2);
    assertThat(read("out/a.wav")).as("not visible yet").isEqualTo(BIG);

    publish(staged);
    assertThat(read("out/a.wav")).isEqualTo(next);
    assertThat(blobFiles()).as("the replaced blob is gone").containsExactly(staged.info().blob());
  }

  @Test
  void a_discarded_staged_object_leaves_nothing_behind() throws IOException {
    StagedObject big =
        store.stage(BUCKET, "out/big.wav", stream(BIG), BIG.length, "audio/wav", Map.of());
    StagedObject small =
        store.stage(
            BUCKET, "out/small.wav", stream(new byte[] {1, 2, 3}), 3, "audio/wav", Map.of());
    assertThat(small.info().inline()).as("kept in memory, for its index entry").isTrue();
    assertThat(small.info().md5Hex())
        .isEqualTo(java.util.HexFormat.of().formatHex(md5(new byte[] {1, 2, 3})));
    big.discard();
    small.discard();
    assertThat(blobFiles()).isEmpty();
    assertThat(store.head(BUCKET, "out/big.wav")).isEmpty();
    assertThat(store.head(BUCKET, "out/small.wav")).isEmpty();
  }

  @Test
  void a_truncated_body_is_refused_and_stores_nothing() {
    assertThatThrownBy(
            () ->
                store.stage(
                    BUCKET, "out/short.wav", stream(BIG), BIG.length + 1, "audio/wav", Map.of()))
        .isInstanceOf(ObjectStore.IntegrityException.class);
    assertThatThrownBy(
            () ->
                store.put(
                    BUCKET, "out/short.wav", stream(new byte[5]), 6, null, null, Map.of(), null))
        .isInstanceOf(ObjectStore.IntegrityException.class);
    assertThat(blobFiles()).isEmpty();
    assertThat(store.head(BUCKET, "out/short.wav")).isEmpty();
  }

  @Test
  void discarding_a_staged_object_whose_entry_was_committed_after_all_keeps_its_bytes()
      throws IOException {
    StagedObject staged =
        store.stage(BUCKET, "out/a.wav", stream(BIG), BIG.length, "audio/wav", Map.of());
    publish(staged); // the commit whose answer was lost: committed, though the job cannot know

    staged.discard();
    assertThat(read("out/a.wav")).isEqualTo(BIG);
  }

  @Test
  void the_sweep_removes_temp_files_and_unreferenced_blobs_never_a_referenced_or_unsettled_one()
      throws IOException {
    store.put(BUCKET, "kept.wav", stream(BIG), BIG.length, null, "audio/wav", Map.of(), null);
    StagedObject unsettled =
        store.stage(BUCKET, "out/b.wav", stream(BIG), BIG.length, "audio/wav", Map.of());
    Path orphan = dir.resolve("objects/blobs/ab/ab000000-0000-0000-0000-000000000000");
    Files.createDirectories(orphan.getParent());
    Files.write(orphan, BIG); // written before a crash took its commit
    Path part = Files.write(dir.resolve("objects/tmp/put-123.part"), new byte[100]);
    Path fresh = Files.write(dir.resolve("objects/tmp/put-456.part"), new byte[100]);
    java.time.Instant cutoff = java.time.Instant.now().plusSeconds(1);
    Files.setLastModifiedTime(fresh, java.nio.file.attribute.FileTime.from(cutoff.plusSeconds(60)));

    assertThat(store.sweepOrphans(cutoff)).isEqualTo(2);
    assertThat(Files.exists(orphan)).isFalse();
    assertThat(Files.exists(part)).isFalse();
    assertThat(Files.exists(fresh)).as("modified after the cutoff: an upload in progress").isTrue();
    assertThat(read("kept.wav")).isEqualTo(BIG);
    assertThat(blobFiles())
        .as("the referenced blob and the staged one")
        .hasSize(2)
        .contains(unsettled.info().blob());

    unsettled.discard();
    assertThat(store.sweepOrphans(cutoff)).as("nothing more to sweep").isZero();
    assertThat(blobFiles()).hasSize(1);
  }

  /** Publishes as a job's final state does: in a transaction of its own here. */
  private void publish(StagedObject staged) {
    transactions.inTransaction(
        tx -> {
          staged.publish(tx);
          return null;
        });
  }

  private byte[] read(String key) throws IOException {
    try (ObjectStore.OpenObject object = store.open(BUCKET, key).orElseThrow()) {
      return object.content().readAllBytes();
    }
  }

  private List<String> blobFiles() {
    try (Stream<Path> files = Files.walk(dir.resolve("objects").resolve("blobs"))) {
      return files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).toList();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] md5(byte[] bytes) {
    try {
      return java.security.MessageDigest.getInstance("MD5").digest(bytes);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static InputStream stream(byte[] bytes) {
    return new ByteArrayInputStream(bytes);
  }

  private static byte[] filled(int length, char c) {
    byte[] bytes = new byte[length];
    Arrays.fill(bytes, (byte) c);
    return bytes;
  }
}
