package io.jobhook;

import io.jobhook.object.DiskBlobStore;
import io.jobhook.storage.SqliteSnapshot;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code backup}: a copy of an embedded data directory (SQLite and objects on its disk) from which
 * a node starts as from the original, taken while a node runs on it. Objects' bytes are immutable
 * blobs under unique names, so they are copied before the database and then, once the database's
 * snapshot is written, those it holds that appeared meanwhile.
 */
final class BackupCommand {
  static final String USAGE =
      """
      Usage: java -jar target/jobhook.jar backup [--data-dir DIR] --to BACKUP_DIR

      Copies an embedded data directory (the SQLite database, the objects' bytes on its disk, the
      credentials and the master key) to BACKUP_DIR, which must not exist or be empty, while
      jobhook may be running on it. To restore: stop jobhook, put BACKUP_DIR in the data
      directory's place, start it. With --database-url or --object-store, back up PostgreSQL and
      the object store with their own tools (pg_dump or continuous archiving; bucket versioning
      or replication); this command refuses a directory without an embedded database.
      """;

  /** Files of the data directory a node needs besides the database and the objects. */
  private static final List<String> KEYS = List.of("credentials.properties", "master.key");

  private final PrintStream out;
  private final PrintStream err;

  BackupCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  int run(List<String> args) throws Exception {
    Path dataDir = Path.of("data");
    Path target = null;
    for (int i = 0; i < args.size(); i++) {
      String option = args.get(i);
      if ((option.equals("--data-dir") || option.equals("--to")) && i + 1 >= args.size()) {
        return usage(option + " needs a value");
      }
      switch (option) {
        case "--data-dir" -> dataDir = Path.of(args.get(++i));
        case "--to" -> target = Path.of(args.get(++i));
        case "--help", "-h" -> {
          out.print(USAGE);
          return 0;
        }
        default -> {
          return usage("unknown option " + option);
        }
      }
    }
    if (target == null) {
      return usage("--to is required");
    }
    Path database = dataDir.resolve("jobhook.db");
    if (!Files.isRegularFile(database)) {
      return usage(
          "no embedded database in "
              + dataDir
              + " (jobhook.db): with --database-url, back up PostgreSQL with its own tools");
    }
    if (Files.exists(target) && !isEmptyDirectory(target)) {
      return usage(target + " exists and is not empty");
    }
    long started = System.nanoTime();
    DataDirectory.create(target);
    Path blobs = dataDir.resolve("objects").resolve("blobs");
    Path copiedBlobs = target.resolve("objects").resolve("blobs");
    boolean onDisk = Files.isDirectory(blobs);

    int copied = onDisk ? copyAll(blobs, copiedBlobs) : 0;
    List<String> held = SqliteSnapshot.write(database, target.resolve("jobhook.db"));
    List<String> missing = new ArrayList<>();
    if (onDisk) {
      for (String blob : held) {
        Path to = copiedBlobs.resolve(DiskBlobStore.relativePath(blob));
        if (!Files.exists(to)) {
          if (copy(blobs.resolve(DiskBlobStore.relativePath(blob)), to)) {
            copied++;
          } else {
            missing.add(blob);
          }
        }
      }
    }
    force(target.resolve("jobhook.db"));
    for (String file : KEYS) {
      if (Files.exists(dataDir.resolve(file))) {
        copy(dataDir.resolve(file), target.resolve(file));
      }
    }
    DataDirectory.restrictFiles(target);

    if (!missing.isEmpty()) {
      err.println(
          "jobhook backup: INCOMPLETE: "
              + missing.size()
              + " object blob(s) the database holds were removed while the backup ran (the"
              + " objects were deleted or replaced meanwhile); run it again");
      return 1;
    }
    out.printf(
        "backed up %s to %s in %.1f s: the database, %d object blob(s) (%d held)%s%n",
        dataDir,
        target,
        (System.nanoTime() - started) / 1e9,
        copied,
        held.size(),
        onDisk
            ? ""
            : "; no objects on this disk: with --object-store, back up that store with its own"
                + " tools");
    return 0;
  }

  /** Copies every blob file under {@code from}; returns how many. */
  private static int copyAll(Path from, Path to) throws IOException {
    int copied = 0;
    List<Path> files;
    try (Stream<Path> walk = Files.walk(from)) {
      files = walk.filter(Files::isRegularFile).toList();
    }
    for (Path file : files) {
      if (copy(file, to.resolve(from.relativize(file)))) {
        copied++;
      }
    }
    return copied;
  }

  /**
   * Copies one file and forces it to disk; false when it is gone (a blob the sweep removed
   * meanwhile).
   */
  private static boolean copy(Path from, Path to) throws IOException {
    Files.createDirectories(to.getParent());
    try {
      Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES);
    } catch (NoSuchFileException gone) {
      return false;
    }
    force(to);
    return true;
  }

  private static void force(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }

  private static boolean isEmptyDirectory(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.findAny().isEmpty();
    }
  }

  private int usage(String problem) {
    err.print("jobhook backup: " + problem + "\n\n" + USAGE);
    return 2;
  }
}
