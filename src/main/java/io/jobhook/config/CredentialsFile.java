package io.jobhook.config;

import io.jobhook.access.AccessKeys;
import io.jobhook.api.auth.Credentials;
import io.jobhook.engine.OwnerOnlyFiles;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * Where the API credentials come from: the environment, else a pair generated once and kept in the
 * data directory (owner-readable only).
 */
public final class CredentialsFile {
  private static final String FILE = "credentials.properties";

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
    Credentials generated = new Credentials(AccessKeys.newSecretId(), AccessKeys.newSecretKey());
    Properties p = new Properties();
    p.setProperty("secretId", generated.secretId());
    p.setProperty("secretKey", generated.secretKey());
    StringWriter text = new StringWriter();
    p.store(
        text,
        "jobhook API credentials (generated); set JOBHOOK_SECRET_ID/JOBHOOK_SECRET_KEY to override");
    if (OwnerOnlyFiles.createOnce(file, text.toString())) {
      return new Loaded(generated, false, true, file);
    }
    Properties kept = new Properties();
    try (Reader r = Files.newBufferedReader(file)) {
      kept.load(r);
    }
    return new Loaded(
        new Credentials(kept.getProperty("secretId"), kept.getProperty("secretKey")),
        false,
        false,
        file);
  }
}
