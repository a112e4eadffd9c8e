package io.jobhook.storage;

import java.io.IOException;
import java.nio.file.Path;

/** Makes a SQLite write-ahead log durable; a seam for the tests that watch when commits return. */
@FunctionalInterface
interface WalSync {
  /**
   * Makes everything written to {@code wal} so far durable. Throws {@link Unavailable} when it
   * could not even try (the file could not be opened, for want of descriptors, say): nothing is
   * known to be lost then, and a later call may succeed. Any other exception is a failed fsync.
   */
  void sync(Path wal) throws IOException;

  /** The WAL could not be opened for syncing; the fsync itself never ran. */
  final class Unavailable extends IOException {
    Unavailable(IOException cause) {
      super("could not open the SQLite WAL to sync it: " + cause.getMessage(), cause);
    }
  }

  /**
   * The real thing: fsync through a handle kept open, reopened only when SQLite makes a new WAL
   * file.
   */
  static WalSync fsync() {
    return new HeldWal();
  }
}
