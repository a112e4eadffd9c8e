package io.jobhook;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data directory holds webhook secrets, credentials and small objects in its database: it is
 * its owner's alone, {@code 0700}, and the files jobhook makes in it directly {@code 0600},
 * whatever the umask (SQLite creates its files {@code 0644}).
 */
final class DataDirectory {
  private static final Logger log = LoggerFactory.getLogger(DataDirectory.class);
  private static final Set<PosixFilePermission> OWNER_ONLY_DIR =
      PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> OWNER_ONLY_FILE =
      PosixFilePermissions.fromString("rw-------");

  private DataDirectory() {}

  /** Creates the directory owner-only, or narrows an existing one to that. */
  static void create(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      Files.createDirectories(dir);
    }
    if (!posix(dir)) {
      return;
    }
    Set<PosixFilePermission> now = Files.getPosixFilePermissions(dir);
    if (!now.equals(OWNER_ONLY_DIR)) {
      Files.setPosixFilePermissions(dir, OWNER_ONLY_DIR);
      log.info(
          "data directory {} was {}; made it {}",
          dir,
          PosixFilePermissions.toString(now),
          "rwx------");
    }
  }

  /**
   * Narrows the regular files directly in the directory (the database and its WAL, the lock) to
   * 0600.
   */
  static void restrictFiles(Path dir) throws IOException {
    if (!posix(dir)) {
      return;
    }
    try (var files = Files.list(dir)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        try {
          if (!Files.getPosixFilePermissions(file).equals(OWNER_ONLY_FILE)) {
            Files.setPosixFilePermissions(file, OWNER_ONLY_FILE);
          }
        } catch (NoSuchFileException gone) {
          // SQLite removed it meanwhile
        }
      }
    }
  }

  /**
   * Deletes the files directly in {@code dir} last modified before {@code cutoff}; returns how
   * many.
   */
  static int removeFilesModifiedBefore(Path dir, Instant cutoff) throws IOException {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    int removed = 0;
    try (var files = Files.list(dir)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        try {
          if (Files.getLastModifiedTime(file).toInstant().isBefore(cutoff)
              && Files.deleteIfExists(file)) {
            removed++;
          }
        } catch (NoSuchFileException gone) {
          // its work ended meanwhile
        }
      }
    }
    return removed;
  }

  private static boolean posix(Path dir) {
    return Files.getFileAttributeView(dir, java.nio.file.attribute.PosixFileAttributeView.class)
        != null;
  }
}
