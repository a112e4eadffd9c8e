package io.jobhook.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The official Node.js SDK ({@code cos-nodejs-sdk-v5}, pinned with its lock file in {@code
 * src/test/node}), installed from npm into {@code target/node-sdk} on first use, and the scripts
 * that drive it.
 */
public final class NodeSdk {
  private static final Path SOURCES = Path.of("src/test/node");
  private static final Path HOME = Path.of("target/node-sdk");

  private NodeSdk() {}

  /** What a script printed, and how it ended. */
  public record Run(int exitCode, String output) {}

  /**
   * Runs {@code script} (a file of src/test/node) with {@code env}, for at most {@code seconds}.
   */
  public static Run run(String script, Map<String, String> env, long seconds) throws Exception {
    install();
    Files.copy(SOURCES.resolve(script), HOME.resolve(script), StandardCopyOption.REPLACE_EXISTING);
    ProcessBuilder pb =
        new ProcessBuilder("node", script).directory(HOME.toFile()).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process process = pb.start();
    byte[] out;
    try (var in = process.getInputStream()) {
      out = in.readAllBytes(); // ends when the process closes its output
    }
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException(script + " did not end within " + seconds + " s");
    }
    return new Run(process.exitValue(), new String(out, StandardCharsets.UTF_8));
  }

  /** npm ci, when the installed lock file is not the committed one. */
  private static synchronized void install() throws IOException, InterruptedException {
    Files.createDirectories(HOME);
    Path lock = SOURCES.resolve("package-lock.json");
    Path installedLock = HOME.resolve("node_modules/.package-lock.json");
    Path copiedLock = HOME.resolve("package-lock.json");
    if (Files.exists(installedLock)
        && Files.exists(copiedLock)
        && Files.mismatch(lock, copiedLock) == -1) {
      return;
    }
    for (String file : List.of("package.json", "package-lock.json")) {
      Files.copy(SOURCES.resolve(file), HOME.resolve(file), StandardCopyOption.REPLACE_EXISTING);
    }
    Process npm =
        new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund")
            .directory(HOME.toFile())
            .redirectErrorStream(true)
            .start();
    String log = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!npm.waitFor(5, TimeUnit.MINUTES) || npm.exitValue() != 0) {
      throw new IllegalStateException("npm ci of the Node.js SDK failed:\n" + log);
    }
  }
}
