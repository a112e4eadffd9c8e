package io.jobhook.storage;

import com.zaxxer.hikari.HikariConfig;
import java.util.Map;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * What differs between SQLite and PostgreSQL: column types in the migrations, how the connection
 * pool is set up, and how a claim keeps other nodes off the rows it takes. Everything else is one
 * JDBC implementation.
 */
public enum Dialect {
  SQLITE(
      // rowKey: a primary key that is the row's storage key (the rowid alias), for 1:1 tables
      Map.of(
          "identity", "INTEGER PRIMARY KEY AUTOINCREMENT",
          "rowKey", "INTEGER PRIMARY KEY",
          "bytes", "BLOB",
          "objectKeyInOrder", "object_key",
          // an index SQLite does not need declared empty: no row is written to it
          "postgresOnly", "WHERE 1 = 0"),
      true,
      false) {
    @Override
    String inKeyOrder(String column) {
      return column; // SQLite compares text by its bytes
    }

    @Override
    void configurePool(HikariConfig pool, String jdbcUrl) {
      SQLiteConfig sqlite = new SQLiteConfig();
      sqlite.setJournalMode(SQLiteConfig.JournalMode.WAL);
      // NORMAL: SQLite syncs only around checkpoints; commits are made durable by the group
      // commit's own fsync of the WAL, which it overlaps with the next batch (see GroupCommit).
      sqlite.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
      sqlite.setBusyTimeout(30000);
      // The commit that takes the WAL past this many pages copies them into the database file,
      // on the writer, while every transaction queued behind it waits: a quarter as often as at
      // SQLite's default of 1,000 pages, and a page written many times in between is copied once.
      sqlite.setPragma(
          SQLiteConfig.Pragma.WAL_AUTOCHECKPOINT, Integer.toString(WAL_CHECKPOINT_PAGES));
      sqlite.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
      // sqlite-jdbc otherwise compiles and runs SELECT last_insert_rowid() after every INSERT, for
      // getGeneratedKeys, which jobhook never calls (keys come back through RETURNING or a lookup)
      sqlite.setGetGeneratedKeys(false);
      SQLiteDataSource file = new SQLiteDataSource(sqlite);
      file.setUrl(jdbcUrl);
      pool.setDataSource(new StatementCachingDataSource(file));
      // a file database has no server that drops idle connections: keep them, and their statements
      pool.setMaxLifetime(0);
      pool.setMaximumPoolSize(6);
    }

    @Override
    String claim(String select, String lockedTable) {
      return select; // one writer at a time: no other claim can read the rows meanwhile
    }
  },

  POSTGRESQL(
      Map.of(
          "identity", "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY",
          "rowKey", "BIGINT PRIMARY KEY",
          "bytes", "BYTEA",
          "objectKeyInOrder", "object_key COLLATE \"C\"",
          "postgresOnly", ""),
      false,
      true) {
    @Override
    String inKeyOrder(String column) {
      return column + " COLLATE \"C\"";
    }

    @Override
    void configurePool(HikariConfig pool, String jdbcUrl) {
      pool.setJdbcUrl(jdbcUrl);
      pool.setMaximumPoolSize(12);
      // No JIT compilation of statements: it pays off for long analytical queries only, and a
      // statement whose estimated cost passes jit_above_cost (a claim over a backlog that grew
      // since the table was last analyzed) spends tens of milliseconds compiling to run in a few.
      pool.setConnectionInitSql("SET jit = off");
      // a batch of inserts goes to the server as multi-row INSERTs: fewer statements to execute
      pool.addDataSourceProperty("reWriteBatchedInserts", "true");
    }

    @Override
    String claim(String select, String lockedTable) {
      // nodes claiming at once each take other rows, and none waits for another's
      return select + " FOR UPDATE OF " + lockedTable + " SKIP LOCKED";
    }
  };

  /** Where the migrations live; their SQL is shared, the column types below fill it in. */
  public static final String MIGRATIONS = "classpath:db/migration/common";

  /**
   * SQLite's {@code wal_autocheckpoint}: 16 MB of 4 KB pages, four times its default (see the
   * SQLite pool's configuration), well inside the disk reserve that running work may still use.
   */
  static final int WAL_CHECKPOINT_PAGES = 4_000;

  /**
   * Flyway placeholders: the column types that differ between the two databases, the key order of
   * {@link #inKeyOrder}, and the condition that leaves an index PostgreSQL alone needs empty.
   */
  public final Map<String, String> migrationPlaceholders;

  /**
   * True when only one process can use the database (SQLite under a data-directory lock): writes
   * are serialized in-process and leases can be released at start-up.
   */
  public final boolean singleNode;

  /**
   * True when a WITH clause may hold an INSERT ... RETURNING (PostgreSQL), so that a row and its
   * 1:1 child row go in as one statement, one round trip to the server.
   */
  public final boolean insertsInWith;

  Dialect(Map<String, String> migrationPlaceholders, boolean singleNode, boolean insertsInWith) {
    this.migrationPlaceholders = migrationPlaceholders;
    this.singleNode = singleNode;
    this.insertsInWith = insertsInWith;
  }

  /**
   * {@code column} (object keys) compared and ordered as COS lists keys, by the bytes of their
   * UTF-8: PostgreSQL's default collation follows language rules, under which the keys of one
   * prefix need not even be adjacent. The migrations' {@code objectKeyInOrder} is the same
   * expression, for the indexes that serve it.
   */
  abstract String inKeyOrder(String column);

  /** Sets the pool up for a database of this kind at {@code jdbcUrl}. */
  abstract void configurePool(HikariConfig pool, String jdbcUrl);

  /**
   * The whole statement that reads a claim's candidates: {@code select} (with its ORDER BY and
   * LIMIT) made safe against other nodes claiming the rows of {@code lockedTable} (the alias it
   * gives the table whose rows it claims) at the same time.
   */
  abstract String claim(String select, String lockedTable);

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
