package io.jobhook.storage;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.jobhook.engine.StorageUnavailableException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection pool, migrations, and transactions. On SQLite every write goes through one writer
 * thread that group-commits concurrent transactions (SQLite has one writer anyway, and one fsync
 * for many writes is what makes it fast); reads run in parallel under WAL. On PostgreSQL each
 * transaction runs on its own pooled connection. Thread-safe.
 */
public final class Database implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Database.class);

  /** Work inside a transaction or on a read connection. */
  @FunctionalInterface
  public interface SqlWork<T> {
    T apply(Connection connection) throws SQLException;
  }

  private final HikariDataSource dataSource;
  private final Dialect dialect;
  private final GroupCommit group;

  private Database(HikariDataSource dataSource, Dialect dialect, WalSync walSync) {
    this.dataSource = dataSource;
    this.dialect = dialect;
    this.group =
        dialect.singleNode ? new GroupCommit(dataSource, walFile(dataSource), walSync) : null;
  }

  /**
   * The SQLite database's write-ahead log, as SQLite names it: the main file's path plus "-wal".
   */
  private static Path walFile(DataSource dataSource) {
    try (Connection c = dataSource.getConnection();
        var ps = c.prepareStatement("PRAGMA database_list");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        String file = rs.getString("file");
        if ("main".equals(rs.getString("name")) && file != null && !file.isEmpty()) {
          return Path.of(file + "-wal");
        }
      }
      throw new IllegalStateException(
          "jobhook needs a SQLite database file, not an in-memory database");
    } catch (SQLException e) {
      throw new StorageException(e);
    }
  }

  public static Database open(String jdbcUrl, String user, String password) {
    return open(jdbcUrl, user, password, WalSync.fsync());
  }

  static Database open(String jdbcUrl, String user, String password, WalSync walSync) {
    Dialect dialect = Dialect.of(jdbcUrl);
    HikariConfig config = new HikariConfig();
    config.setPoolName("jobhook-db");
    if (user != null) {
      config.setUsername(user);
    }
    if (password != null) {
      config.setPassword(password);
    }
    dialect.configurePool(config, jdbcUrl);
    HikariDataSource ds = new HikariDataSource(config);
    try {
      Flyway.configure()
          .dataSource(ds)
          .locations(Dialect.MIGRATIONS)
          .placeholders(dialect.migrationPlaceholders)
          .load()
          .migrate();
    } catch (RuntimeException e) {
      ds.close();
      throw e;
    }
    log.info("storage: {} ({})", dialect, redact(jdbcUrl));
    try {
      return new Database(ds, dialect, walSync);
    } catch (RuntimeException e) {
      ds.close();
      throw e;
    }
  }

  private static String redact(String url) {
    return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
  }

  public Dialect dialect() {
    return dialect;
  }

  /**
   * Runs {@code work} in one transaction, committed durably when it returns normally. On SQLite
   * concurrent calls are group-committed: one writer thread runs many callers' work in a single
   * transaction, each inside its own savepoint (so one failing rolls back only itself), and commits
   * once; every caller returns after that durable commit. One fsync then serves many writes. Work
   * must not call back into this database's write methods.
   */
  public <T> T inTransaction(SqlWork<T> work) {
    return group != null ? group.submit(work, false) : transaction(work, false);
  }

  /**
   * Runs {@code work} in one transaction whose commit need not survive a power loss: for writes
   * that recovery makes unnecessary, such as leases (released at start-up on SQLite, expiring on
   * PostgreSQL) and progress. It costs no fsync of its own (a later durable commit makes it durable
   * too), but like every transaction it returns only once all it read is durable.
   */
  public <T> T inRelaxedTransaction(SqlWork<T> work) {
    return group != null ? group.submit(work, true) : transaction(work, true);
  }

  /**
   * One transaction on a pooled connection: the PostgreSQL path (SQLite goes through the group).
   */
  private <T> T transaction(SqlWork<T> work, boolean relaxed) {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        if (relaxed) {
          execute(c, "SET LOCAL synchronous_commit = off");
        }
        T result = work.apply(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new StorageException(e);
    }
  }

  static void execute(Connection c, String sql) throws SQLException {
    try (var statement = c.prepareStatement(sql)) {
      statement.execute();
    }
  }

  /** Throws when the database does not answer a trivial query (for readiness). */
  public void ping() {
    read(
        c -> {
          try (var s = c.createStatement()) {
            s.execute("SELECT 1");
          }
          return null;
        });
  }

  /** Why this database confirms no more writes (its WAL could not be synced), if that happened. */
  public Optional<String> failure() {
    return group == null ? Optional.empty() : group.failure();
  }

  /** Transactions waiting for the SQLite writer (for tests); 0 on PostgreSQL. */
  int queuedTransactions() {
    return group == null ? 0 : group.queued();
  }

  /** Runs read-only {@code work} on a pooled connection in auto-commit mode. */
  public <T> T read(SqlWork<T> work) {
    try (Connection c = dataSource.getConnection()) {
      return work.apply(c);
    } catch (SQLException e) {
      throw new StorageException(e);
    }
  }

  @Override
  public void close() {
    if (group != null) {
      group.close();
    }
    dataSource.close();
  }

  /** A failed statement or transaction on this database. */
  public static final class StorageException extends StorageUnavailableException {
    public StorageException(SQLException cause) {
      super(cause.getMessage(), cause);
    }
  }
}
