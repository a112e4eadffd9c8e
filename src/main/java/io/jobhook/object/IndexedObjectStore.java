package io.jobhook.object;

import io.jobhook.engine.StorageUnavailableException;
import io.jobhook.engine.Transaction;
import io.jobhook.engine.Transactions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToLongFunction;

/**
 * Objects as an {@link ObjectIndex} entry (the metadata; committing it is the moment an object
 * exists) over immutable blobs in a {@link BlobStore} (local disk or an S3-compatible store).
 * Objects of at most {@value #INLINE_MAX} bytes live in the index entry itself: one committed write
 * instead of a blob of their own.
 *
 * <p>A blob is written under a fresh name, announced first to the index as unsettled; committing
 * its entry settles it. A crash at any point leaves the old object or the new one, and at worst an
 * orphan blob, which {@link #sweepOrphans} removes: the index hands a blob to the sweep only when
 * no entry holds it and no writer can still settle it, so a referenced blob is never removed, on
 * any node. Client multipart uploads ({@link MultipartUploads}) keep their parts as blobs of this
 * store, written and settled the same way.
 */
public final class IndexedObjectStore implements ObjectStore {
  static final int INLINE_MAX = 64 * 1024;

  private final BlobStore blobs;
  private final ObjectIndex index;
  private final Transactions transactions;
  private final UploadListener uploads;
  private final InstantSource clock;
  private final DiskSpace disk;

  /**
   * {@code uploads} hears of every client upload in its transaction; {@code disk} (null: none)
   * gives up its ballast when a delete finds the disk full.
   */
  public IndexedObjectStore(
      BlobStore blobs,
      ObjectIndex index,
      Transactions transactions,
      UploadListener uploads,
      InstantSource clock,
      DiskSpace disk) {
    this.blobs = blobs;
    this.index = index;
    this.transactions = transactions;
    this.uploads = uploads;
    this.clock = clock;
    this.disk = disk;
  }

  @Override
  public ObjectInfo put(
      String bucket,
      String key,
      InputStream body,
      long expectedLength,
      String expectedMd5,
      String contentType,
      Map<String, String> storedHeaders,
      List<CosHeader> upload)
      throws IOException {
    Staged staged =
        write(bucket, key, body, expectedLength, expectedMd5, contentType, storedHeaders);
    try {
      transactions.inTransaction(
          tx -> {
            publish(tx, staged.info(), staged.inlineData, upload);
            return null;
          });
    } catch (RuntimeException e) {
      staged.discard();
      throw e;
    }
    return staged.info();
  }

  @Override
  public StagedObject stage(
      String bucket,
      String key,
      InputStream body,
      long expectedLength,
      String contentType,
      Map<String, String> storedHeaders)
      throws IOException {
    return write(bucket, key, body, expectedLength, null, contentType, storedHeaders);
  }

  /** Small objects stay in memory, to be stored in their index entry; larger ones go to a blob. */
  private Staged write(
      String bucket,
      String key,
      InputStream body,
      long expectedLength,
      String expectedMd5,
      String contentType,
      Map<String, String> storedHeaders)
      throws IOException {
    byte[] head = body.readNBytes(INLINE_MAX + 1);
    String type =
        contentType == null || contentType.isBlank() ? "application/octet-stream" : contentType;
    boolean inline = head.length <= INLINE_MAX;
    NewBlob stored;
    if (inline) {
      BlobStore.Written written =
          new BlobStore.Written(head.length, Digests.hex(Digests.md5().digest(head)));
      Digests.check(written, expectedLength, expectedMd5);
      // the bytes go into the index entry: no blob
      stored = new NewBlob(ObjectInfo.INLINE, written.size(), written.md5Hex());
    } else {
      stored =
          writeBlob(
              new SequenceInputStream(new ByteArrayInputStream(head), body),
              expectedLength,
              expectedMd5);
    }
    return new Staged(
        new ObjectInfo(
            bucket,
            key,
            stored.size(),
            stored.md5Hex(),
            type,
            storedHeaders,
            clock.instant(),
            stored.blob()),
        inline ? head : null);
  }

  /** A blob written and announced, not yet held by any entry. */
  record NewBlob(String blob, long size, String md5Hex) {}

  /**
   * Writes {@code body} to a new blob announced to the index first: until an entry or part holding
   * it commits (or {@link #discardBlob} gives it up), the sweep leaves it alone.
   */
  NewBlob writeBlob(InputStream body, long expectedLength, String expectedMd5) throws IOException {
    String blob = UUID.randomUUID().toString();
    index.intend(blob, clock.instant());
    try {
      BlobStore.Written written = blobs.write(blob, body, expectedLength, expectedMd5);
      return new NewBlob(blob, written.size(), written.md5Hex());
    } catch (IOException | RuntimeException e) {
      index.abandon(blob);
      throw e;
    }
  }

  /**
   * Gives up a blob from {@link #writeBlob} whose entry or part did not commit. A commit whose
   * outcome was lost may have published it after all: only an unreferenced blob is removed.
   */
  void discardBlob(String blob) {
    index.abandon(blob);
    if (!index.references(blob)) {
      deleteBlobQuietly(blob);
    }
  }

  /**
   * Makes {@code info} the object inside {@code tx}; the blob of the object it replaces goes once
   * {@code tx} commits. {@code upload} (null for jobhook's own writes) is told to the {@link
   * UploadListener}.
   */
  void publish(Transaction tx, ObjectInfo info, byte[] inlineData, List<CosHeader> upload) {
    Optional<String> replaced = index.upsert(tx, info, inlineData);
    replaced.ifPresent(old -> tx.afterCommit(() -> deleteBlobQuietly(old)));
    if (upload != null) {
      uploads.uploaded(tx, info, upload);
    }
  }

  InputStream openBlob(String blob) throws IOException {
    return blobs.open(blob, 0);
  }

  /**
   * Bytes written, durable, and not yet in the index: a crash now leaves at most an orphan blob.
   */
  private final class Staged implements StagedObject {
    private final ObjectInfo info;
    private final byte[] inlineData;

    Staged(ObjectInfo info, byte[] inlineData) {
      this.info = info;
      this.inlineData = inlineData;
    }

    @Override
    public ObjectInfo info() {
      return info;
    }

    @Override
    public void publish(Transaction tx) {
      IndexedObjectStore.this.publish(tx, info, inlineData, null);
    }

    @Override
    public void discard() {
      if (!info.inline()) {
        discardBlob(info.blob());
      }
    }
  }

  @Override
  public boolean tag(String bucket, String key, ObjectTags tags) {
    // read, then write only if the object is the one read: a concurrent upload wins
    for (int attempt = 1; attempt <= 3; attempt++) {
      Optional<ObjectInfo> current = index.find(bucket, key);
      if (current.isEmpty()) {
        return false;
      }
      if (index.replaceHeaders(current.get(), tags.storedIn(current.get().storedHeaders()))) {
        return true;
      }
    }
    throw new StorageUnavailableException(
        bucket + "/" + key + " keeps changing under this tagging; retry", null);
  }

  @Override
  public Optional<ObjectInfo> head(String bucket, String key) {
    return index.find(bucket, key);
  }

  @Override
  public Optional<OpenObject> open(String bucket, String key, ToLongFunction<ObjectInfo> startAt)
      throws IOException {
    // A concurrent overwrite may remove the blob between the lookup and the open; look again.
    for (int attempt = 0; attempt < 3; attempt++) {
      Optional<ObjectIndex.Stored> stored = index.load(bucket, key);
      if (stored.isEmpty()) {
        return Optional.empty();
      }
      ObjectInfo info = stored.get().info();
      long offset = startAt.applyAsLong(info);
      if (info.inline()) {
        byte[] data = stored.get().inlineData() == null ? new byte[0] : stored.get().inlineData();
        int from = (int) Math.min(offset, data.length);
        return Optional.of(
            new OpenObject(info, new ByteArrayInputStream(data, from, data.length - from)));
      }
      try {
        return Optional.of(new OpenObject(info, blobs.open(info.blob(), offset)));
      } catch (NoSuchFileException e) {
        // the key was replaced meanwhile and its old blob removed
      }
    }
    throw new IOException("object " + bucket + "/" + key + " kept changing while being opened");
  }

  @Override
  public boolean delete(String bucket, String key) {
    Optional<String> blob;
    try {
      blob = index.delete(bucket, key);
    } catch (RuntimeException e) {
      // a full disk must not stop deletes, which free it: give the ballast back and try once more
      if (disk == null || !disk.releaseBallast()) {
        throw e;
      }
      blob = index.delete(bucket, key);
    }
    blob.ifPresent(this::deleteBlobQuietly);
    return blob.isPresent();
  }

  @Override
  public ObjectListing list(
      String bucket, String prefix, String delimiter, String marker, int maxKeys) {
    String before = KeyOrder.after(prefix);
    boolean fromMarker = marker != null && KeyOrder.compare(marker, prefix) >= 0;
    String from = fromMarker ? marker : prefix;
    boolean fromIncluded = !fromMarker;
    List<ObjectInfo> objects = new ArrayList<>();
    List<String> prefixes = new ArrayList<>();
    String last = null;
    while (true) {
      int wanted = maxKeys - objects.size() - prefixes.size() + 1;
      List<ObjectInfo> page = index.list(bucket, from, fromIncluded, before, wanted);
      String skipTo = null;
      for (ObjectInfo object : page) {
        if (objects.size() + prefixes.size() == maxKeys) {
          return new ObjectListing(objects, prefixes, true, last);
        }
        String rolledUp = rolledUp(object.key(), prefix, delimiter);
        if (rolledUp == null) {
          objects.add(object);
          last = object.key();
          continue;
        }
        // a page that starts after a common prefix does not list it again
        if (marker == null || KeyOrder.compare(rolledUp, marker) > 0) {
          prefixes.add(rolledUp);
          last = rolledUp;
        }
        skipTo = KeyOrder.after(rolledUp);
        break;
      }
      if (skipTo == null) {
        // the page held every key left, or the common prefix reaches the last key there can be
        return new ObjectListing(objects, prefixes, false, null);
      }
      from = skipTo;
      fromIncluded = true;
    }
  }

  /** The common prefix {@code key} rolls up into, or null when the delimiter leaves it alone. */
  private static String rolledUp(String key, String prefix, String delimiter) {
    if (delimiter == null || delimiter.isEmpty()) {
      return null;
    }
    int at = key.indexOf(delimiter, prefix.length());
    return at < 0 ? null : key.substring(0, at + delimiter.length());
  }

  /**
   * Removes what a crash left behind: unfinished writes begun before {@code cutoff}, and blobs last
   * modified before it that no entry holds and no writer can still settle. Returns how many it
   * removed.
   */
  public int sweepOrphans(Instant cutoff) throws IOException {
    AtomicInteger removed =
        new AtomicInteger(blobs.removeUnfinished(cutoff, blob -> index.claimOrphan(blob, cutoff)));
    blobs.forEachBlob(
        cutoff,
        blob -> {
          if (index.claimOrphan(blob, cutoff)) {
            deleteBlobQuietly(blob);
            removed.incrementAndGet();
          }
        });
    return removed.get();
  }

  /** Throws when the blob store cannot be reached (for readiness). */
  public void checkBlobs() throws IOException {
    blobs.check();
  }

  void deleteBlobQuietly(String blob) {
    if (ObjectInfo.INLINE.equals(blob)) {
      return;
    }
    try {
      blobs.delete(blob);
    } catch (IOException | RuntimeException ignored) {
      // an orphan blob wastes space but never corrupts an object; the sweep removes it
    }
  }
}
