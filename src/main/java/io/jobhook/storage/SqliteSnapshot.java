package io.jobhook.storage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * A consistent copy of the embedded database, taken while a node may be writing to it: SQLite's
 * {@code VACUUM INTO} reads one snapshot of the WAL-mode database, as any reader does, and writes
 * it whole to a new file.
 */
public final class SqliteSnapshot {
  private SqliteSnapshot() {}

  /**
   * Writes the database at {@code database} to {@code target} (which must not exist) and returns
   * the names of the blobs that copy's objects and multipart parts hold.
   */
  public static List<String> write(Path database, Path target) throws SQLException {
    if (!Files.isRegularFile(database)) {
      throw new IllegalArgumentException("no embedded database at " + database);
    }
    try (Connection source = DriverManager.getConnection("jdbc:sqlite:" + database);
        Statement s = source.createStatement()) {
      s.execute("PRAGMA busy_timeout = 30000");
      s.execute("VACUUM INTO '" + target.toAbsolutePath().toString().replace("'", "''") + "'");
    }
    try (Connection copy = DriverManager.getConnection("jdbc:sqlite:" + target)) {
      return Sql.list(
          copy,
          "SELECT blob FROM objects WHERE blob <> ''"
              + " UNION SELECT blob FROM multipart_parts WHERE blob <> ''",
          rs -> rs.getString(1));
    }
  }
}
