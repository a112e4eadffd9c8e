package io.jobhook.object;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Where object bytes live: immutable blobs under names the object store picks, never reused. A blob
 * is written whole and durably before any index entry names it, and removed only once none does;
 * what a crash leaves behind is found by {@link #forEachBlob} and swept. Implementations are
 * thread-safe.
 */
public interface BlobStore {

  /**
   * Writes {@code body} to the new blob {@code name}, checking its length ({@code expectedLength},
   * or -1) and MD5 (hex, or null) before it is complete; on a mismatch nothing of it remains and
   * {@link ObjectStore.IntegrityException} is thrown. Returns the size and MD5 hex written.
   */
  Written write(String name, InputStream body, long expectedLength, String expectedMd5)
      throws IOException;

  /** What a write stored. */
  record Written(long size, String md5Hex) {}

  /**
   * Opens a blob from byte {@code offset} on; throws {@link java.nio.file.NoSuchFileException} when
   * it does not exist (it was replaced and removed meanwhile).
   */
  InputStream open(String name, long offset) throws IOException;

  /** Removes a blob; nothing happens when it does not exist. */
  void delete(String name) throws IOException;

  /** Hands the name of every blob last modified before {@code cutoff} to {@code action}. */
  void forEachBlob(Instant cutoff, Consumer<String> action) throws IOException;

  /**
   * Removes what writes that never finished left behind: temp files last modified before {@code
   * cutoff}, or incomplete uploads of blobs {@code abandoned} says no writer can still finish (by
   * their names: not every store reports when an upload began). Returns how many it removed.
   */
  int removeUnfinished(Instant cutoff, Predicate<String> abandoned) throws IOException;

  /** Throws when the store cannot be reached (for readiness). */
  void check() throws IOException;
}
