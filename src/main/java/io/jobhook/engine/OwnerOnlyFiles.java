package io.jobhook.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Files that hold a secret: readable by their owner only from their first byte on. */
public final class OwnerOnlyFiles {
  private OwnerOnlyFiles() {}

  /**
   * Writes {@code content} to {@code file} unless it exists: into a file created with mode 600,
   * then moved into place, so a reader sees the whole content or no file. False when the file was
   * there already (or another process put it there meanwhile): its content stands.
   */
  public static boolean createOnce(Path file, String content) throws IOException {
    if (Files.exists(file)) {
      return false;
    }
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      Files.createFile(
          tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } else {
      Files.createFile(tmp);
    }
    Files.writeString(tmp, content, StandardCharsets.UTF_8);
    try {
      Files.move(tmp, file); // no replace: whoever got there first keeps the file
      return true;
    } catch (FileAlreadyExistsException raced) {
      Files.deleteIfExists(tmp);
      return false;
    }
  }
}
