package io.jobhook.audio;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The temp files of one piece of work, in one directory (the system's when null), deleted on close.
 */
public final class TempFiles implements AutoCloseable {
  private final Path dir;
  private final List<Path> created = new ArrayList<>();

  public TempFiles(Path dir) {
    this.dir = dir;
  }

  public synchronized Path create() throws IOException {
    Path file;
    if (dir == null) {
      file = Files.createTempFile("jobhook-", ".tmp");
    } else {
      Files.createDirectories(dir);
      file = Files.createTempFile(dir, "jobhook-", ".tmp");
    }
    created.add(file);
    return file;
  }

  @Override
  public synchronized void close() {
    for (Path file : created) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException ignored) {
        // a leftover temp file wastes space; the work itself is done
      }
    }
    created.clear();
  }
}
