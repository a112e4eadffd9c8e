package io.jobhook.object;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobhook.engine.StorageUnavailableException;
import io.jobhook.storage.Database;
import io.jobhook.storage.JdbcObjectIndex;
import io.jobhook.storage.JdbcTransactions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The object store over a real SQLite index and a real blob store (each subclass names one): what
 * exists when, which blobs go, and that the orphan sweep never removes a blob an entry holds or a
 * writer can still settle.
 */
abstract class ObjectStoreContract {
  static final String BUCKET = "objects-1250000000";
  static final byte[] BIG = filled(IndexedObjectStore.INLINE_MAX + 1, 'b');

  @TempDir Path dir;
  Database db;
  JdbcObjectIndex index;
  JdbcTransactions transactions;
  BlobStore blobs;
  IndexedObjectStore store;

  /** The clock of the store: when objects are written and blobs announced. */
  final AtomicReference<Instant> now = new AtomicReference<>(Instant.now());

  abstract BlobStore openBlobs(Path dir) throws Exception;

  /** The index's database: SQLite in the test's directory unless a subclass says otherwise. */
  Database openDatabase(Path dir) throws Exception {
    return Database.open("jdbc:sqlite:" + dir.resolve("index.db"), null, null);
  }

  /**
   * Leaves what a write a crash interrupted leaves (a temp file, an incomplete multipart upload).
   */
  abstract void leaveUnfinishedWrite() throws Exception;

  @BeforeEach
  void open() throws Exception {
    db = openDatabase(dir);
    index = new JdbcObjectIndex(db);
    transactions = new JdbcTransactions(db);
    blobs = openBlobs(dir);
    store = new IndexedObjectStore(blobs, index, transactions, UploadListener.NONE, now::get, null);
  }

  @AfterEach
  void close() throws Exception {
    db.close();
    if (blobs instanceof AutoCloseable closeable) {
      closeable.close();
    }
  }

  @Test
  void a_staged_object_exists_only_once_its_index_entry_is_written_and_then_replaces_the_old_blob()
      throws IOException {
    store.put(BUCKET, "out/a.wav", stream(BIG), BIG.length, null, "audio/wav", Map.of(), null);
    assertThat(blobNames()).hasSize(1);

    byte[] next = filled(IndexedObjectStore.INLINE_MAX + 7, 'n');
    StagedObject staged =
        store.stage(BUCKET, "out/a.wav", stream(next), next.length, "audio/wav", Map.of());
    assertThat(staged.info().inline()).as("too big to keep inline").isFalse();
    assertThat(blobNames()).as("its bytes are stored").hasSize(2);
    assertThat(read("out/a.wav")).as("not visible yet").isEqualTo(BIG);

    publish(staged);
    assertThat(read("out/a.wav")).isEqualTo(next);
    assertThat(blobNames()).as("the replaced blob is gone").containsExactly(staged.info().blob());
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
    assertThat(blobNames()).isEmpty();
    assertThat(store.head(BUCKET, "out/big.wav")).isEmpty();
    assertThat(store.head(BUCKET, "out/small.wav")).isEmpty();
  }

  @Test
  void a_truncated_or_corrupted_body_is_refused_and_stores_nothing() throws IOException {
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
    assertThatThrownBy(
            () ->
                store.put(
                    BUCKET,
                    "out/bad.wav",
                    stream(BIG),
                    BIG.length,
                    "00000000000000000000000000000000",
                    null,
                    Map.of(),
                    null))
        .isInstanceOf(ObjectStore.IntegrityException.class);
    assertThat(blobNames()).isEmpty();
    assertThat(store.head(BUCKET, "out/short.wav")).isEmpty();
    assertThat(store.head(BUCKET, "out/bad.wav")).isEmpty();
  }

  @Test
  void a_large_object_streams_through_and_reads_back_whole_and_by_range() throws IOException {
    byte[] large = new byte[20 << 20]; // beyond one part of a multipart upload
    new java.util.Random(7).nextBytes(large);
    ObjectInfo info =
        store.put(BUCKET, "big/take.wav", stream(large), large.length, null, null, Map.of(), null);
    assertThat(info.size()).isEqualTo(large.length);
    assertThat(info.md5Hex()).isEqualTo(java.util.HexFormat.of().formatHex(md5(large)));
    assertThat(read("big/take.wav")).isEqualTo(large);
    long from = (9 << 20) + 123;
    try (ObjectStore.OpenObject object =
        store.open(BUCKET, "big/take.wav", i -> from).orElseThrow()) {
      assertThat(object.content().readAllBytes())
          .isEqualTo(Arrays.copyOfRange(large, (int) from, large.length));
    }
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
  void the_sweep_removes_unfinished_writes_and_orphans_never_a_referenced_or_unsettled_blob()
      throws Exception {
    store.put(BUCKET, "kept.wav", stream(BIG), BIG.length, null, "audio/wav", Map.of(), null);
    // a blob whose commit a crash took: written, never announced or settled
    blobs.write("ab000000-0000-0000-0000-000000000000", stream(BIG), -1, null);
    leaveUnfinishedWrite();
    Instant cutoff = Instant.now().plusSeconds(2);
    // a writer still at work: its blob announced after the cutoff
    now.set(cutoff.plusSeconds(60));
    StagedObject unsettled =
        store.stage(BUCKET, "out/b.wav", stream(BIG), BIG.length, "audio/wav", Map.of());

    assertThat(store.sweepOrphans(cutoff)).as("the orphan and the unfinished write").isEqualTo(2);
    assertThat(read("kept.wav")).isEqualTo(BIG);
    assertThat(blobNames())
        .as("the referenced blob and the staged one")
        .hasSize(2)
        .contains(unsettled.info().blob());

    publish(unsettled);
    assertThat(read("out/b.wav")).isEqualTo(BIG);
    assertThat(store.sweepOrphans(cutoff)).as("nothing more to sweep").isZero();
  }

  @Test
  void a_blob_the_sweep_took_from_a_slow_writer_can_no_longer_be_published() throws Exception {
    StagedObject slow =
        store.stage(BUCKET, "out/slow.wav", stream(BIG), BIG.length, "audio/wav", Map.of());
    // the writer took longer than the sweep's margin: its announcement is older than the cutoff
    assertThat(store.sweepOrphans(Instant.now().plusSeconds(2))).isEqualTo(1);

    assertThatThrownBy(() -> publish(slow)).isInstanceOf(StorageUnavailableException.class);
    assertThat(store.head(BUCKET, "out/slow.wav")).as("no entry names a removed blob").isEmpty();
  }

  /** Publishes as a job's final state does: in a transaction of its own here. */
  void publish(StagedObject staged) {
    transactions.inTransaction(
        tx -> {
          staged.publish(tx);
          return null;
        });
  }

  byte[] read(String key) throws IOException {
    try (ObjectStore.OpenObject object = store.open(BUCKET, key).orElseThrow()) {
      return object.content().readAllBytes();
    }
  }

  List<String> blobNames() throws IOException {
    List<String> names = new ArrayList<>();
    blobs.forEachBlob(Instant.now().plusSeconds(86_400), names::add);
    return names;
  }

  static byte[] md5(byte[] bytes) {
    try {
      return java.security.MessageDigest.getInstance("MD5").digest(bytes);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static InputStream stream(byte[] bytes) {
    return new ByteArrayInputStream(bytes);
  }

  static byte[] filled(int length, char c) {
    byte[] bytes = new byte[length];
    Arrays.fill(bytes, (byte) c);
    return bytes;
  }
}
