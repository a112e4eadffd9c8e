package io.jobhook.object;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Blobs as files under {@code root/blobs}, sharded by the first two characters of their name. A
 * write goes to a temp file under {@code root/tmp}, is checked and fsynced, then renamed into place
 * and its directory fsynced: a crash leaves the blob whole or not at all (and at worst a temp
 * file).
 */
public final class DiskBlobStore implements BlobStore {
  private final Path blobs;
  private final Path tmp;

  public DiskBlobStore(Path root) throws IOException {
    this.blobs = Files.createDirectories(root.resolve("blobs"));
    this.tmp = Files.createDirectories(root.resolve("tmp"));
  }

  @Override
  public Written write(String name, InputStream body, long expectedLength, String expectedMd5)
      throws IOException {
    Path temp = Files.createTempFile(tmp, "put-", ".part");
    try {
      MessageDigest md5 = Digests.md5();
      long size;
      try (OutputStream out = new DigestOutputStream(Files.newOutputStream(temp), md5)) {
        size = body.transferTo(out);
      }
      Written written = new Written(size, Digests.hex(md5.digest()));
      Digests.check(written, expectedLength, expectedMd5);
      try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      Path target = path(name);
      Files.createDirectories(target.getParent());
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      fsyncDirectory(target.getParent());
      return written;
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  @Override
  public InputStream open(String name, long offset) throws IOException {
    FileChannel channel = FileChannel.open(path(name), StandardOpenOption.READ);
    channel.position(offset);
    return Channels.newInputStream(channel);
  }

  @Override
  public void delete(String name) throws IOException {
    Files.deleteIfExists(path(name));
  }

  @Override
  public void forEachBlob(Instant cutoff, Consumer<String> action) throws IOException {
    try (var files = Files.walk(blobs, 2)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        if (modifiedBefore(file, cutoff)) {
          action.accept(file.getFileName().toString());
        }
      }
    }
  }

  @Override
  public int removeUnfinished(Instant cutoff, Predicate<String> abandoned) throws IOException {
    int removed = 0;
    try (var parts = Files.list(tmp)) {
      for (Path part : parts.toList()) {
        if (modifiedBefore(part, cutoff) && Files.deleteIfExists(part)) {
          removed++;
        }
      }
    }
    return removed;
  }

  @Override
  public void check() throws IOException {
    if (!Files.isDirectory(blobs) || !Files.isWritable(blobs)) {
      throw new IOException(blobs + " is not a writable directory");
    }
  }

  private Path path(String name) {
    return blobs.resolve(relativePath(name));
  }

  /** Where a blob lives under {@code root/blobs}: a directory per first two characters. */
  public static Path relativePath(String name) {
    return Path.of(name.substring(0, 2), name);
  }

  private static boolean modifiedBefore(Path file, Instant cutoff) {
    try {
      return Files.getLastModifiedTime(file).toInstant().isBefore(cutoff);
    } catch (IOException e) {
      return false; // gone meanwhile
    }
  }

  private static void fsyncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException ignored) {
      // not every file system lets a directory be opened for sync
    }
  }
}
