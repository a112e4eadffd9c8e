package io.jobhook.config;

import io.jobhook.api.auth.Credentials;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Properties;

/**
 * Where the API credentials come from: the environment, else a pair generated once and kept in the
 * data directory (owner-readable only).
 */
public final class CredentialsFile {
  private static final String FILE = "credentials.properties";
  private static final String ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

  /** The credentials and whether they were just generated (so worth printing). */
  public record Loaded(
      Credentials credentials, boolean fromEnvironment, boolean generated, Path file) {}

  private CredentialsFile() {}

  public static Loaded load(Path dataDir, Map<String, String> env) throws IOException {
    String id = env.get("JOBHOOK_SECRET_ID");
    String key = env.get("JOBHOOK_SECRET_KEY");
    Path file = dataDir.resolve(FILE);
    if (id != null && !id.isBlank() && key != null && !key.isBlank()) {
      return new Loaded(new Credentials(id, key), true, false, file);
    }
    if (Files.exists(file)) {
      Properties p = new Properties();
      try (Reader r = Files.newBufferedReader(file)) {
        p.load(r);
      }
      return new Loaded(
          new Credentials(p.getProperty("secretId"), p.getProperty("secretKey")),
          false,
          false,
          file);
    }
    Credentials generated = new Credentials("AKID" + random(32), random(32));
    Properties p = new Properties();
    p.setProperty("secretId", generated.secretId());
    p.setProperty("secretKey", generated.secretKey());
    Path tmp = dataDir.resolve(FILE + ".tmp");
    try (Writer w = Files.newBufferedWriter(tmp)) {
      p.store(
          w,
          "jobhook API credentials (generated); set JOBHOOK_SECRET_ID/JOBHOOK_SECRET_KEY to override");
    }
    try {
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException ignored) {
      // not a POSIX file system
    }
    Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    return new Loaded(generated, false, true, file);
  }

  private static String random(int length) {
    SecureRandom rnd = new SecureRandom();
    StringBuilder sb = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      sb.append(ALPHABET.charAt(rnd.nextInt(ALPHABET.length())));
    }
    return sb.toString();
  }
}
