package io.jobhook.object;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The free space of the disk that holds the data directory, watched so that jobhook stops taking
 * new data before the disk is full: below {@code reserve} bytes free, uploads and new jobs are
 * refused (deletes and reads go on), which leaves room for the database to record deletes, for
 * running jobs and for callbacks. Should another process fill the disk completely, a ballast file
 * kept in the directory is given up so that deletes can still be written; it comes back once there
 * is room again. Thread-safe.
 */
public final class DiskSpace {
  private static final Logger log = LoggerFactory.getLogger(DiskSpace.class);
  private static final long MAX_BALLAST = 16L << 20;

  /**
   * Room for what records a write beside its bytes: its index row and the database pages the commit
   * dirties (a page of SQLite's WAL, and some for an index split).
   */
  private static final long RECORDING = 64L << 10;

  private final FileStore store;
  private final Path dir;
  private final Path ballast;
  private final long reserve;
  private final long ballastSize;
  private volatile long usable;

  /** {@code reserve} 0 turns the watch off: nothing is refused, no ballast is kept. */
  public DiskSpace(Path dir, long reserve) throws IOException {
    this.dir = dir;
    this.store = Files.getFileStore(dir);
    this.ballast = dir.resolve("space.ballast");
    this.reserve = reserve;
    this.ballastSize = Math.min(MAX_BALLAST, reserve / 4);
    refresh();
  }

  /** Bytes free for jobhook, as of the last refresh. */
  public long usable() {
    return usable;
  }

  /** Whether free space has fallen below the reserve: writes of new data are refused. */
  public boolean low() {
    return reserve > 0 && usable < reserve;
  }

  /**
   * Whether {@code bytes} more, and the database pages that record them, would still leave the
   * reserve free, read afresh (an upload may be large).
   */
  public boolean fits(long bytes) {
    if (reserve == 0) {
      return true;
    }
    readUsable();
    return usable - Math.max(0, bytes) - RECORDING >= reserve;
  }

  /** Why writes are refused, when they are. */
  public Optional<String> shortage() {
    return low()
        ? Optional.of(
            "the disk holding "
                + dir
                + " has "
                + mib(usable)
                + " free, below the reserve of "
                + mib(reserve)
                + " (--disk-reserve): uploads and new jobs are refused until space is freed")
        : Optional.empty();
  }

  /**
   * Reads the free space again, and puts the ballast back when there is room; runs every second.
   */
  public boolean refresh() {
    if (readUsable()
        && ballastSize > 0
        && usable > reserve + ballastSize
        && !Files.exists(ballast)) {
      writeBallast();
    }
    return false;
  }

  private boolean readUsable() {
    try {
      usable = store.getUsableSpace();
      return true;
    } catch (IOException e) {
      log.warn("could not read the free space of {}: {}", dir, e.toString());
      return false;
    }
  }

  /**
   * Gives the ballast's space back to the disk, for a write that must not fail (a delete); true if
   * there was a ballast to give.
   */
  public boolean releaseBallast() {
    try {
      if (Files.deleteIfExists(ballast)) {
        log.warn(
            "the disk holding {} is full: released the {} ballast so that deletes can be written",
            dir,
            mib(ballastSize));
        usable = store.getUsableSpace();
        return true;
      }
    } catch (IOException e) {
      log.warn("could not release the ballast {}: {}", ballast, e.toString());
    }
    return false;
  }

  private void writeBallast() {
    Path part = dir.resolve("space.ballast.part");
    byte[] zeros = new byte[1 << 20];
    try (OutputStream out = Files.newOutputStream(part)) {
      for (long written = 0; written < ballastSize; written += zeros.length) {
        out.write(zeros, 0, (int) Math.min(zeros.length, ballastSize - written));
      }
    } catch (IOException e) {
      deleteQuietly(part);
      return;
    }
    try (FileChannel ch = FileChannel.open(part, StandardOpenOption.WRITE)) {
      ch.force(true); // allocated for real, not promised
      Files.move(part, ballast);
    } catch (IOException e) {
      deleteQuietly(part);
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // nothing to give back
    }
  }

  private static String mib(long bytes) {
    return String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
  }
}
