package io.jobhook.object;

import io.jobhook.engine.Transaction;
import io.jobhook.engine.Transactions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.InstantSource;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Objects on local disk: bytes in immutable blob files, metadata in an {@link ObjectIndex}. A put
 * writes a temp file, fsyncs it, renames it to a fresh blob name and then commits the index row, so
 * a crash at any point leaves either the old object or the new one (plus, at worst, an orphan
 * blob). Objects of at most {@value #INLINE_MAX} bytes live in the index row itself: one
 * group-committed transaction instead of two fsyncs of their own (SQLite stores small blobs faster
 * than a file system). A blob is removed only when no committed entry holds it: orphans (a crash
 * between the bytes and the commit, a commit whose outcome was lost) are swept by {@link
 * #sweepOrphans}.
 */
public final class LocalDiskObjectStore implements ObjectStore {
  static final int INLINE_MAX = 64 * 1024;

  private final Path blobs;
  private final Path tmp;
  private final ObjectIndex index;
  private final Transactions transactions;
  private final UploadListener uploads;
  private final InstantSource clock;
  private final DiskSpace disk;

  /** Blobs this process wrote whose entries are not committed yet: never orphans. */
  private final Set<String> unsettled = ConcurrentHashMap.newKeySet();

  /**
   * {@code uploads} hears of every client upload in its transaction; {@code disk} (null: none)
   * gives up its ballast when a delete finds the disk full.
   */
  public LocalDiskObjectStore(
      Path root,
      ObjectIndex index,
      Transactions transactions,
      UploadListener uploads,
      InstantSource clock,
      DiskSpace disk)
      throws IOException {
    this.blobs = Files.createDirectories(root.resolve("blobs"));
    this.tmp = Files.createDirectories(root.resolve("tmp"));
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
      Map<String, String> userMeta,
      List<CosHeader> upload)
      throws IOException {
    Staged staged = write(bucket, key, body, expectedLength, expectedMd5, contentType, userMeta);
    try {
      transactions.inTransaction(
          tx -> {
            staged.publish(tx);
            if (upload != null) {
              uploads.uploaded(tx, staged.info(), upload);
            }
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
      Map<String, String> userMeta)
      throws IOException {
    return write(bucket, key, body, expectedLength, null, contentType, userMeta);
  }

  /**
   * Small objects stay in memory, to be stored in their index entry; larger ones go to a durable
   * blob.
   */
  private Staged write(
      String bucket,
      String key,
      InputStream body,
      long expectedLength,
      String expectedMd5,
      String contentType,
      Map<String, String> userMeta)
      throws IOException {
    byte[] head = body.readNBytes(INLINE_MAX + 1);
    String type =
        contentType == null || contentType.isBlank() ? "application/octet-stream" : contentType;
    if (head.length <= INLINE_MAX) {
      String hex = hex(md5().digest(head));
      check(head.length, expectedLength, hex, expectedMd5);
      return new Staged(
          new ObjectInfo(
              bucket, key, head.length, hex, type, userMeta, clock.instant(), ObjectInfo.INLINE),
          head);
    }
    body = new java.io.SequenceInputStream(new java.io.ByteArrayInputStream(head), body);
    Path temp = Files.createTempFile(tmp, "put-", ".part");
    try {
      MessageDigest md5 = md5();
      long size;
      try (OutputStream out = new DigestOutputStream(Files.newOutputStream(temp), md5)) {
        size = body.transferTo(out);
      }
      String hex = hex(md5.digest());
      check(size, expectedLength, hex, expectedMd5);
      try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      String blob = UUID.randomUUID().toString();
      Path target = blobPath(blob);
      Files.createDirectories(target.getParent());
      unsettled.add(blob);
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      fsyncDirectory(target.getParent());
      return new Staged(
          new ObjectInfo(bucket, key, size, hex, type, userMeta, clock.instant(), blob), null);
    } finally {
      Files.deleteIfExists(temp);
    }
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
      Optional<String> replaced = index.upsert(tx, info, inlineData);
      tx.afterCommit(
          () -> {
            unsettled.remove(info.blob());
            replaced.ifPresent(LocalDiskObjectStore.this::deleteBlobQuietly);
          });
    }

    @Override
    public void discard() {
      // A commit whose outcome was lost may have published it: only an unreferenced blob goes.
      if (!info.inline() && !index.references(info.blob())) {
        deleteBlobQuietly(info.blob());
      }
      unsettled.remove(info.blob());
    }
  }

  private static void check(long size, long expectedLength, String md5Hex, String expectedMd5)
      throws IntegrityException {
    if (expectedLength >= 0 && size != expectedLength) {
      throw new IntegrityException(
          "IncompleteBody", "received " + size + " bytes but Content-Length was " + expectedLength);
    }
    if (expectedMd5 != null && !expectedMd5.equalsIgnoreCase(md5Hex)) {
      throw new IntegrityException(
          "BadDigest", "the Content-MD5 you specified did not match what was received");
    }
  }

  private static String hex(byte[] digest) {
    return HexFormat.of().formatHex(digest);
  }

  @Override
  public Optional<ObjectInfo> head(String bucket, String key) {
    return index.find(bucket, key);
  }

  @Override
  public Optional<OpenObject> open(String bucket, String key) throws IOException {
    // A concurrent overwrite may remove the blob between the lookup and the open; look again.
    for (int attempt = 0; attempt < 3; attempt++) {
      Optional<ObjectIndex.Stored> stored = index.load(bucket, key);
      if (stored.isEmpty()) {
        return Optional.empty();
      }
      ObjectInfo info = stored.get().info();
      if (info.inline()) {
        byte[] data = stored.get().inlineData();
        return Optional.of(
            new OpenObject(
                info, new java.io.ByteArrayInputStream(data == null ? new byte[0] : data)));
      }
      try {
        return Optional.of(new OpenObject(info, Files.newInputStream(blobPath(info.blob()))));
      } catch (NoSuchFileException e) {
        // the key was replaced meanwhile and its old blob collected
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

  /**
   * Removes what a crash left behind: uploads' temp files, and blob files no committed entry holds
   * (written before a crash took their commit). Only files last modified before {@code
   * modifiedBefore} are looked at, and never a blob this process is about to publish. Returns how
   * many files it removed.
   */
  public int sweepOrphans(java.time.Instant modifiedBefore) throws IOException {
    int removed = 0;
    try (var parts = Files.list(tmp)) {
      for (Path part : parts.toList()) {
        if (modifiedBefore(part, modifiedBefore) && Files.deleteIfExists(part)) {
          removed++;
        }
      }
    }
    try (var blobFiles = Files.walk(blobs, 2)) {
      for (Path file : blobFiles.filter(Files::isRegularFile).toList()) {
        String blob = file.getFileName().toString();
        if (modifiedBefore(file, modifiedBefore)
            && !unsettled.contains(blob)
            && !index.references(blob)
            && Files.deleteIfExists(file)) {
          removed++;
        }
      }
    }
    return removed;
  }

  private static boolean modifiedBefore(Path file, java.time.Instant cutoff) {
    try {
      return Files.getLastModifiedTime(file).toInstant().isBefore(cutoff);
    } catch (IOException e) {
      return false; // gone meanwhile
    }
  }

  private Path blobPath(String blob) {
    return blobs.resolve(blob.substring(0, 2)).resolve(blob);
  }

  private void deleteBlobQuietly(String blob) {
    if (ObjectInfo.INLINE.equals(blob)) {
      return;
    }
    try {
      Files.deleteIfExists(blobPath(blob));
    } catch (IOException ignored) {
      // an orphan blob wastes space but never corrupts an object
    }
  }

  private static void fsyncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException ignored) {
      // not every file system lets a directory be opened for sync
    }
  }

  private static MessageDigest md5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
