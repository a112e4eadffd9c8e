package io.jobhook.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A benchmark's working directory, deleted with everything in it when the JVM exits: one run leaves
 * databases and a broker's log of hundreds of megabytes, and benchmarks are run again and again.
 */
final class ScratchDir {
  private ScratchDir() {}

  static Path create(String prefix) throws IOException {
    Path dir = Files.createTempDirectory(prefix);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir), "delete " + dir));
    return dir;
  }

  private static void delete(Path dir) {
    try (Stream<Path> tree = Files.walk(dir)) {
      // children before their directory
      tree.sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    } catch (IOException | UncheckedIOException e) {
      System.err.println("could not delete " + dir + ": " + e);
    }
  }
}
