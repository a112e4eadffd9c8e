package io.jobhook.config;

import io.jobhook.object.s3.S3Location;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Where data lives.
 *
 * @param dataDir the database (embedded), objects, temp files and generated credentials ({@code
 *     --data-dir}, default ./data)
 * @param databaseUrl {@code jdbc:postgresql://...} to share one database between nodes, or null for
 *     the embedded SQLite database in the data directory ({@code --database-url})
 * @param databaseUser from JOBHOOK_DB_USER
 * @param databasePassword from JOBHOOK_DB_PASSWORD; never logged
 * @param diskReserveBytes free space below which uploads and new jobs are refused ({@code
 *     --disk-reserve}, default 64 MiB; 0 turns it off)
 * @param orphanSweepInterval how often files a crash left behind (uploads cut short, jobs' temp
 *     files, blobs no object holds) are looked for and removed (default 15 min)
 * @param objectStore where object bytes live beyond the index ({@code --object-store
 *     s3://BUCKET[/PREFIX]?...}); null for the data directory's disk
 * @param abortUploadsAfter how long a client's multipart upload may stay neither completed nor
 *     aborted before the sweep aborts it and frees its parts ({@code --abort-uploads-after},
 *     default 7 days; zero keeps them until the client aborts them, as COS does)
 */
public record StorageConfig(
    Path dataDir,
    String databaseUrl,
    String databaseUser,
    String databasePassword,
    long diskReserveBytes,
    Duration orphanSweepInterval,
    S3Location objectStore,
    Duration abortUploadsAfter) {

  public static StorageConfig defaults(Path dataDir) {
    return new StorageConfig(
        dataDir, null, null, null, 64L << 20, Duration.ofMinutes(15), null, Duration.ofDays(7));
  }

  public StorageConfig {
    if (dataDir == null) {
      throw new IllegalArgumentException("--data-dir is required");
    }
    if (diskReserveBytes < 0) {
      throw new IllegalArgumentException("--disk-reserve must not be negative");
    }
    if (abortUploadsAfter.isNegative()) {
      throw new IllegalArgumentException("--abort-uploads-after must not be negative");
    }
  }

  public StorageConfig withDatabase(String url, String user, String password) {
    return new StorageConfig(
        dataDir,
        url,
        user,
        password,
        diskReserveBytes,
        orphanSweepInterval,
        objectStore,
        abortUploadsAfter);
  }

  public StorageConfig withDiskReserve(long bytes) {
    return new StorageConfig(
        dataDir,
        databaseUrl,
        databaseUser,
        databasePassword,
        bytes,
        orphanSweepInterval,
        objectStore,
        abortUploadsAfter);
  }

  public StorageConfig withObjectStore(S3Location location) {
    return new StorageConfig(
        dataDir,
        databaseUrl,
        databaseUser,
        databasePassword,
        diskReserveBytes,
        orphanSweepInterval,
        location,
        abortUploadsAfter);
  }

  public StorageConfig withAbortUploadsAfter(Duration after) {
    return new StorageConfig(
        dataDir,
        databaseUrl,
        databaseUser,
        databasePassword,
        diskReserveBytes,
        orphanSweepInterval,
        objectStore,
        after);
  }

  /** The JDBC URL: the configured one, or the embedded database in the data directory. */
  public String jdbcUrl() {
    return databaseUrl != null
        ? databaseUrl
        : "jdbc:sqlite:" + dataDir.resolve("jobhook.db").toAbsolutePath();
  }
}
