package io.jobhook.object;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobhook.engine.StorageUnavailableException;
import io.jobhook.storage.Database;
import io.jobhook.storage.JdbcMultipartIndex;
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
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
  MultipartUploads multipart;
  final List<ObjectInfo> uploadsHeard = new ArrayList<>();

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
    store =
        new IndexedObjectStore(
            blobs,
            index,
            transactions,
            (tx, object, headers) -> tx.afterCommit(() -> uploadsHeard.add(object)),
            now::get,
            null);
    multipart = new MultipartUploads(store, new JdbcMultipartIndex(db), transactions, now::get);
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
  void tags_change_only_the_objects_stored_headers_and_never_a_newer_write() throws IOException {
    ObjectInfo written =
        store.put(
            BUCKET,
            "in/tagged.wav",
            stream(BIG),
            BIG.length,
            null,
            "audio/wav",
            Map.of("x-cos-meta-a", "1"),
            null);
    int uploads = uploadsHeard.size();
    assertThat(store.tag(BUCKET, "in/tagged.wav", new ObjectTags(Map.of("team", "a b&c"))))
        .isTrue();
    ObjectInfo tagged = store.head(BUCKET, "in/tagged.wav").orElseThrow();
    assertThat(ObjectTags.of(tagged).tags()).containsExactly(Map.entry("team", "a b&c"));
    assertThat(tagged.cosMeta()).containsExactly(Map.entry("x-cos-meta-a", "1"));
    assertThat(tagged)
        .as("the same bytes, ETag, time and blob")
        .returns(written.md5Hex(), ObjectInfo::md5Hex)
        .returns(
            written.lastModified().truncatedTo(java.time.temporal.ChronoUnit.MILLIS),
            ObjectInfo::lastModified)
        .returns(written.blob(), ObjectInfo::blob);
    assertThat(read("in/tagged.wav")).isEqualTo(BIG);
    assertThat(uploadsHeard).as("tagging is no upload").hasSize(uploads);

    assertThat(store.tag(BUCKET, "in/tagged.wav", new ObjectTags(Map.of()))).isTrue();
    assertThat(store.head(BUCKET, "in/tagged.wav").orElseThrow().storedHeaders())
        .containsExactly(Map.entry("x-cos-meta-a", "1"));
    assertThat(store.tag(BUCKET, "in/none.wav", new ObjectTags(Map.of("a", "b")))).isFalse();

    now.set(now.get().plusSeconds(1));
    store.put(
        BUCKET, "in/tagged.wav", stream(new byte[] {9}), 1, null, "audio/wav", Map.of(), null);
    assertThat(index.replaceHeaders(tagged, Map.of("x-cos-tagging", "stale=1")))
        .as("a write made meanwhile is not tagged with what was read before it")
        .isFalse();
    assertThat(store.head(BUCKET, "in/tagged.wav").orElseThrow().storedHeaders()).isEmpty();
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

  static final int PART = (int) MultipartUploads.MIN_PART_SIZE;

  @Test
  void a_multipart_upload_completes_into_one_object_of_the_parts_it_lists_and_their_blobs_go()
      throws IOException {
    List<CosHeader> headers = List.of(new CosHeader("x-cos-meta-a", "1"));
    MultipartUpload upload =
        multipart.initiate(BUCKET, "in/big.wav", "audio/wav", Map.of("x-cos-meta-a", "1"), headers);
    byte[] one = filled(PART, '1');
    byte[] two = filled(PART + 3, '2');
    byte[] three = filled(10, '3');
    multipart.uploadPart(BUCKET, "in/big.wav", upload.uploadId(), 1, stream(one), PART, null);
    // part 2 sent twice: the second replaces the first, whose blob goes
    multipart.uploadPart(BUCKET, "in/big.wav", upload.uploadId(), 2, stream(one), PART, null);
    UploadedPart second =
        multipart.uploadPart(
            BUCKET, "in/big.wav", upload.uploadId(), 2, stream(two), two.length, null);
    multipart.uploadPart(BUCKET, "in/big.wav", upload.uploadId(), 3, stream(three), 10, null);
    assertThat(blobNames()).hasSize(3);
    assertThat(store.head(BUCKET, "in/big.wav")).as("nothing until completed").isEmpty();
    assertThat(
            multipart.parts(BUCKET, "in/big.wav", upload.uploadId(), 1, 10).parts().stream()
                .map(UploadedPart::md5Hex))
        .containsExactly(second.md5Hex(), Digests.hex(md5(three)));

    ObjectInfo done =
        multipart.complete(
            BUCKET,
            "in/big.wav",
            upload.uploadId(),
            List.of(
                new MultipartUploads.ChosenPart(1, "\"" + Digests.hex(md5(one)) + "\""),
                new MultipartUploads.ChosenPart(3, Digests.hex(md5(three)).toUpperCase())));

    byte[] whole = new byte[PART + 10];
    System.arraycopy(one, 0, whole, 0, PART);
    System.arraycopy(three, 0, whole, PART, 10);
    assertThat(read("in/big.wav")).isEqualTo(whole);
    byte[] partMd5s = new byte[32];
    System.arraycopy(md5(one), 0, partMd5s, 0, 16);
    System.arraycopy(md5(three), 0, partMd5s, 16, 16);
    assertThat(done.md5Hex()).isEqualTo(Digests.hex(md5(partMd5s)) + "-2");
    assertThat(store.head(BUCKET, "in/big.wav").orElseThrow())
        .returns("audio/wav", ObjectInfo::contentType)
        .returns(Map.of("x-cos-meta-a", "1"), ObjectInfo::storedHeaders)
        .returns(done.md5Hex(), ObjectInfo::md5Hex);
    assertThat(uploadsHeard).as("told as a single PUT would be").containsExactly(done);
    assertThat(blobNames()).as("the object's blob alone").containsExactly(done.blob());
    assertThatThrownBy(() -> multipart.parts(BUCKET, "in/big.wav", upload.uploadId(), 0, 10))
        .isInstanceOf(MultipartRefused.class)
        .extracting(e -> ((MultipartRefused) e).reason)
        .isEqualTo(MultipartRefused.Reason.NO_SUCH_UPLOAD);
  }

  @Test
  void a_completion_that_lists_parts_wrongly_is_refused_and_changes_nothing() throws IOException {
    store.put(BUCKET, "in/kept.wav", stream(BIG), BIG.length, null, "audio/wav", Map.of(), null);
    String id = multipart.initiate(BUCKET, "in/kept.wav", null, Map.of(), List.of()).uploadId();
    byte[] small = filled(PART - 1, 's');
    String smallTag = Digests.hex(md5(small));
    multipart.uploadPart(BUCKET, "in/kept.wav", id, 1, stream(small), small.length, null);
    multipart.uploadPart(BUCKET, "in/kept.wav", id, 2, stream(small), small.length, null);
    var first = new MultipartUploads.ChosenPart(1, smallTag);
    var second = new MultipartUploads.ChosenPart(2, smallTag);

    assertRefused(List.of(second, first), id, MultipartRefused.Reason.INVALID_PART_ORDER);
    assertRefused(List.of(first, first), id, MultipartRefused.Reason.INVALID_PART_ORDER);
    assertRefused(
        List.of(new MultipartUploads.ChosenPart(1, "0".repeat(32))),
        id,
        MultipartRefused.Reason.INVALID_PART);
    assertRefused(
        List.of(new MultipartUploads.ChosenPart(3, smallTag)),
        id,
        MultipartRefused.Reason.INVALID_PART);
    assertRefused(List.of(), id, MultipartRefused.Reason.INVALID_PART);
    assertRefused(List.of(first, second), id, MultipartRefused.Reason.ENTITY_TOO_SMALL);
    assertRefused(List.of(first), "no-such-upload", MultipartRefused.Reason.NO_SUCH_UPLOAD);
    assertThatThrownBy(() -> multipart.complete(BUCKET, "in/other.wav", id, List.of(first)))
        .as("an upload id is of one key")
        .isInstanceOf(MultipartRefused.class);

    assertThat(read("in/kept.wav")).isEqualTo(BIG);
    assertThat(blobNames()).as("the object's and the two parts'").hasSize(3);
    assertThat(multipart.parts(BUCKET, "in/kept.wav", id, 0, 10).parts()).hasSize(2);
    // the last part alone may be small
    multipart.complete(BUCKET, "in/kept.wav", id, List.of(second));
    assertThat(read("in/kept.wav")).isEqualTo(small);
    assertThat(blobNames()).as("the old object's blob and the parts' went").hasSize(1);
  }

  private void assertRefused(
      List<MultipartUploads.ChosenPart> chosen, String id, MultipartRefused.Reason reason) {
    assertThatThrownBy(() -> multipart.complete(BUCKET, "in/kept.wav", id, chosen))
        .isInstanceOf(MultipartRefused.class)
        .extracting(e -> ((MultipartRefused) e).reason)
        .isEqualTo(reason);
  }

  @Test
  void an_aborted_upload_takes_its_parts_and_refuses_later_ones() throws IOException {
    String id = multipart.initiate(BUCKET, "in/gone.wav", null, Map.of(), List.of()).uploadId();
    multipart.uploadPart(BUCKET, "in/gone.wav", id, 1, stream(BIG), BIG.length, null);
    assertThat(blobNames()).hasSize(1);

    multipart.abort(BUCKET, "in/gone.wav", id);

    assertThat(blobNames()).isEmpty();
    assertThatThrownBy(
            () -> multipart.uploadPart(BUCKET, "in/gone.wav", id, 2, stream(BIG), BIG.length, null))
        .isInstanceOf(MultipartRefused.class);
    assertThatThrownBy(() -> multipart.abort(BUCKET, "in/gone.wav", id))
        .isInstanceOf(MultipartRefused.class);
    assertThat(blobNames()).as("the refused part left nothing").isEmpty();
    assertThat(store.head(BUCKET, "in/gone.wav")).isEmpty();
  }

  @Test
  void the_sweep_keeps_recorded_parts_and_removes_a_part_a_crash_left_unrecorded()
      throws Exception {
    String id = multipart.initiate(BUCKET, "in/slow.wav", null, Map.of(), List.of()).uploadId();
    UploadedPart recorded =
        multipart.uploadPart(BUCKET, "in/slow.wav", id, 1, stream(BIG), BIG.length, null);
    // a crash between writing a part's blob and recording it: announced, never settled
    IndexedObjectStore.NewBlob unrecorded = store.writeBlob(stream(BIG), BIG.length, null);

    assertThat(store.sweepOrphans(Instant.now().plusSeconds(2))).isEqualTo(1);

    assertThat(blobNames()).containsExactly(recorded.blob());
    assertThat(blobNames()).doesNotContain(unrecorded.blob());
    multipart.complete(
        BUCKET, "in/slow.wav", id, List.of(new MultipartUploads.ChosenPart(1, recorded.md5Hex())));
    assertThat(read("in/slow.wav")).isEqualTo(BIG);
  }

  @Test
  void racing_completions_and_aborts_end_the_upload_once_and_leave_no_blob_behind()
      throws Exception {
    int completed = 0;
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      for (int round = 0; round < 6; round++) {
        String key = "race/" + round;
        String id = multipart.initiate(BUCKET, key, null, Map.of(), List.of()).uploadId();
        UploadedPart part = multipart.uploadPart(BUCKET, key, id, 1, stream(BIG), BIG.length, null);
        List<MultipartUploads.ChosenPart> chosen =
            List.of(new MultipartUploads.ChosenPart(1, part.md5Hex()));
        CountDownLatch start = new CountDownLatch(1);
        Callable<Boolean> complete =
            () -> {
              start.await();
              multipart.complete(BUCKET, key, id, chosen);
              return true;
            };
        Callable<Boolean> abort =
            () -> {
              start.await();
              multipart.abort(BUCKET, key, id);
              return false;
            };
        // two completions alone, or with an abort (which, quicker than a completion's copy,
        // mostly wins: the completions then find their upload gone, or its part's blob)
        boolean withAbort = round % 2 == 1;
        List<Callable<Boolean>> calls =
            withAbort ? List.of(complete, complete, abort) : List.of(complete, complete);
        List<Future<Boolean>> outcomes = new ArrayList<>();
        calls.forEach(call -> outcomes.add(pool.submit(call)));
        start.countDown();
        int ended = 0;
        boolean roundCompleted = false;
        for (Future<Boolean> outcome : outcomes) {
          try {
            roundCompleted |= outcome.get();
            ended++;
          } catch (ExecutionException e) {
            assertThat(e.getCause())
                .as("the losers are told why")
                .isInstanceOf(MultipartRefused.class);
          }
        }
        assertThat(ended).as("round " + round + ": one call ended the upload").isEqualTo(1);
        assertThat(roundCompleted || withAbort).as("round " + round + " completed").isTrue();
        assertThat(store.head(BUCKET, key).isPresent()).isEqualTo(roundCompleted);
        if (roundCompleted) {
          assertThat(read(key)).isEqualTo(BIG);
          completed++;
        }
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(blobNames()).as("the completed objects' blobs and nothing else").hasSize(completed);
  }

  @Test
  void uploads_begun_before_the_cutoff_are_aborted_with_their_parts() throws IOException {
    String abandoned =
        multipart.initiate(BUCKET, "in/old.wav", null, Map.of(), List.of()).uploadId();
    multipart.uploadPart(BUCKET, "in/old.wav", abandoned, 1, stream(BIG), BIG.length, null);
    Instant cutoff = now.get().plusSeconds(1);
    now.set(cutoff.plusSeconds(3600));
    String recent = multipart.initiate(BUCKET, "in/new.wav", null, Map.of(), List.of()).uploadId();
    UploadedPart kept =
        multipart.uploadPart(BUCKET, "in/new.wav", recent, 1, stream(BIG), BIG.length, null);

    assertThat(multipart.abortInitiatedBefore(cutoff)).isEqualTo(1);

    assertThat(blobNames()).containsExactly(kept.blob());
    assertThatThrownBy(() -> multipart.parts(BUCKET, "in/old.wav", abandoned, 0, 10))
        .isInstanceOf(MultipartRefused.class);
    assertThat(multipart.parts(BUCKET, "in/new.wav", recent, 0, 10).parts()).hasSize(1);
    assertThat(multipart.abortInitiatedBefore(cutoff)).as("nothing more to abort").isZero();
  }

  @Test
  void uploads_are_listed_by_key_and_id_under_a_prefix_from_the_markers_on() {
    String a1 = multipart.initiate(BUCKET, "a/x", null, Map.of(), List.of()).uploadId();
    now.set(now.get().plusMillis(1));
    String a2 = multipart.initiate(BUCKET, "a/x", null, Map.of(), List.of()).uploadId();
    String b = multipart.initiate(BUCKET, "a/y", null, Map.of(), List.of()).uploadId();
    multipart.initiate(BUCKET, "b/z", null, Map.of(), List.of());
    multipart.initiate("other-1250000000", "a/x", null, Map.of(), List.of());

    assertThat(ids(multipart.uploads(BUCKET, "a/", null, null, 10))).containsExactly(a1, a2, b);
    assertThat(ids(multipart.uploads(BUCKET, "a/", "a/x", a1, 10))).containsExactly(a2, b);
    assertThat(ids(multipart.uploads(BUCKET, "a/", "a/x", null, 10))).containsExactly(b);
    assertThat(ids(multipart.uploads(BUCKET, "", null, null, 2))).containsExactly(a1, a2);
  }

  private static List<String> ids(List<MultipartUpload> uploads) {
    return uploads.stream().map(MultipartUpload::uploadId).toList();
  }

  @Test
  void a_bucket_lists_in_the_order_of_its_keys_utf8_bytes_page_by_page_with_common_prefixes()
      throws IOException {
    // U+FF5E sorts before U+1F600 by code point (and by UTF-8 bytes), after it by UTF-16 units
    List<String> keys =
        List.of("a/1", "a/2/x", "a/2/y", "a/3", "a", "b c", "é", "\uFF5E", "\uD83D\uDE00");
    for (String key : keys) {
      store.put(BUCKET, key, stream(key.getBytes()), -1, null, null, Map.of(), null);
    }
    store.put("other-1250000000", "a/1", stream(BIG), BIG.length, null, null, Map.of(), null);

    assertThat(keysOf(store.list(BUCKET, "", null, null, 100)))
        .containsExactly("a", "a/1", "a/2/x", "a/2/y", "a/3", "b c", "é", "\uFF5E", "\uD83D\uDE00");
    ObjectListing grouped = store.list(BUCKET, "a/", "/", null, 100);
    assertThat(keysOf(grouped)).containsExactly("a/1", "a/3");
    assertThat(grouped.commonPrefixes()).containsExactly("a/2/");
    assertThat(grouped.truncated()).isFalse();
    ObjectListing top = store.list(BUCKET, "", "/", null, 100);
    assertThat(keysOf(top)).containsExactly("a", "b c", "é", "\uFF5E", "\uD83D\uDE00");
    assertThat(top.commonPrefixes()).containsExactly("a/");
    assertThat(top.objects().getFirst().size()).isEqualTo(1);

    // one entry a page, from each page's marker on: each key or common prefix exactly once
    List<String> seen = new ArrayList<>();
    String marker = null;
    for (int page = 0; page < 10; page++) {
      ObjectListing one = store.list(BUCKET, "a/", "/", marker, 1);
      seen.addAll(keysOf(one));
      seen.addAll(one.commonPrefixes());
      if (!one.truncated()) {
        break;
      }
      marker = one.nextMarker();
    }
    assertThat(seen).containsExactly("a/1", "a/2/", "a/3");
    assertThat(keysOf(store.list(BUCKET, "a/", null, "a/2/x", 100)))
        .containsExactly("a/2/y", "a/3");
    assertThat(keysOf(store.list(BUCKET, "z", null, null, 100))).isEmpty();
    assertThat(keysOf(store.list(BUCKET, "a/", null, "0", 2)))
        .as("a marker before the prefix starts at the prefix")
        .containsExactly("a/1", "a/2/x");
  }

  private static List<String> keysOf(ObjectListing listing) {
    return listing.objects().stream().map(ObjectInfo::key).toList();
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
