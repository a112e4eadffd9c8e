package io.jobhook.storage;

/**
 * The few places where SQLite and PostgreSQL differ. Everything else is one JDBC implementation.
 */
public enum Dialect {
  SQLITE("classpath:db/migration/sqlite", "", true),
  POSTGRESQL("classpath:db/migration/postgresql", " FOR UPDATE OF j SKIP LOCKED", false);

  /** Flyway location of this dialect's migrations. */
  public final String migrations;

  /** Appended to a claim's candidate query so that nodes skip rows another node is claiming. */
  public final String claimLock;

  /**
   * True when only one process can use the database (SQLite under a data-directory lock): writes
   * are serialized in-process and leases can be released at start-up.
   */
  public final boolean singleNode;

  Dialect(String migrations, String claimLock, boolean singleNode) {
    this.migrations = migrations;
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
    throw new IllegalArgumentException("unsupported database URL " + jdbcUrl
        + " (use jdbc:sqlite:... or jdbc:postgresql:...)");
  }
}
