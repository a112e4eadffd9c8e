package io.jobhook.storage;

import java.util.Map;

/**
 * The few places where SQLite and PostgreSQL differ. Everything else is one JDBC implementation.
 */
public enum Dialect {
  // rowKey: a primary key that is the row's own storage key (SQLite's rowid alias), for 1:1 side
  // tables
  SQLITE(
      Map.of(
          "identity",
          "INTEGER PRIMARY KEY AUTOINCREMENT",
          "rowKey",
          "INTEGER PRIMARY KEY",
          "bytes",
          "BLOB"),
      "",
      true),
  POSTGRESQL(
      Map.of(
          "identity",
          "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY",
          "rowKey",
          "BIGINT PRIMARY KEY",
          "bytes",
          "BYTEA"),
      " FOR UPDATE OF j SKIP LOCKED",
      false);

  /** Where the migrations live; their SQL is shared, the column types below fill it in. */
  public static final String MIGRATIONS = "classpath:db/migration/common";

  /** Flyway placeholders: the column types that differ between the two databases. */
  public final Map<String, String> migrationPlaceholders;

  /** Appended to a claim's candidate query so that nodes skip rows another node is claiming. */
  public final String claimLock;

  /**
   * True when only one process can use the database (SQLite under a data-directory lock): writes
   * are serialized in-process and leases can be released at start-up.
   */
  public final boolean singleNode;

  Dialect(Map<String, String> migrationPlaceholders, String claimLock, boolean singleNode) {
    this.migrationPlaceholders = migrationPlaceholders;
    this.claimLock = claimLock;
    this.singleNode = singleNode;
  }

  public static Dialect of(String jdbcUrl) {
    if (jdbcUrl.startsWith("jdbc:sqlite:")) {
      return SQLITE;
    }
    if (jdbcUrl.startsWith("jdbc:postgresql:")) {
      return POSTGRESQL;
    }
    throw new IllegalArgumentException(
        "unsupported database URL " + jdbcUrl + " (use jdbc:sqlite:... or jdbc:postgresql:...)");
  }
}
