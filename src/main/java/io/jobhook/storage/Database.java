package io.jobhook.storage;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.locks.ReentrantLock;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection pool, migrations, and transactions. On SQLite, write transactions are serialized
 * by an in-process lock (SQLite has one writer anyway; waiting on a lock beats SQLite's busy-retry
 * sleeps) and begin IMMEDIATE; reads run in parallel under WAL. Thread-safe.
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
  private final ReentrantLock writeLock = new ReentrantLock();

  private Database(HikariDataSource dataSource, Dialect dialect) {
    this.dataSource = dataSource;
    this.dialect = dialect;
  }

  public static Database open(String jdbcUrl, String user, String password) {
    Dialect dialect = Dialect.of(jdbcUrl);
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl);
    config.setPoolName("jobhook-db");
    if (user != null) {
      config.setUsername(user);
    }
    if (password != null) {
      config.setPassword(password);
    }
    if (dialect == Dialect.SQLITE) {
      config.addDataSourceProperty("journal_mode", "WAL");
      // FULL: a committed job state or callback survives power loss, not only a process crash.
      config.addDataSourceProperty("synchronous", "FULL");
      config.addDataSourceProperty("busy_timeout", "30000");
      config.addDataSourceProperty("transaction_mode", "IMMEDIATE");
      config.setMaximumPoolSize(6);
    } else {
      config.setMaximumPoolSize(12);
    }
    HikariDataSource ds = new HikariDataSource(config);
    try {
      Flyway.configure().dataSource(ds).locations(Dialect.MIGRATIONS)
          .placeholders(dialect.migrationPlaceholders).load().migrate();
    } catch (RuntimeException e) {
      ds.close();
      throw e;
    }
    log.info("storage: {} ({})", dialect, redact(jdbcUrl));
    return new Database(ds, dialect);
  }

  private static String redact(String url) {
    return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
  }

  public Dialect dialect() {
    return dialect;
  }

  /** Runs {@code work} in one transaction, committed durably when it returns normally. */
  public <T> T inTransaction(SqlWork<T> work) {
    return transaction(work, false);
  }

  /**
   * Runs {@code work} in one transaction whose commit need not survive a power loss: for writes
   * that recovery makes unnecessary, such as leases (released at start-up on SQLite, expiring on
   * PostgreSQL) and progress. It costs no fsync; a later durable commit makes it durable too.
   */
  public <T> T inRelaxedTransaction(SqlWork<T> work) {
    return transaction(work, true);
  }

  private <T> T transaction(SqlWork<T> work, boolean relaxed) {
    boolean serialize = dialect.singleNode;
    if (serialize) {
      writeLock.lock();
    }
    try (Connection c = dataSource.getConnection()) {
      if (relaxed && dialect == Dialect.SQLITE) {
        pragma(c, "PRAGMA synchronous = OFF");
      }
      c.setAutoCommit(false);
      try {
        if (relaxed && dialect == Dialect.POSTGRESQL) {
          pragma(c, "SET LOCAL synchronous_commit = off");
        }
        T result = work.apply(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
        if (relaxed && dialect == Dialect.SQLITE) {
          pragma(c, "PRAGMA synchronous = FULL");
        }
      }
    } catch (SQLException e) {
      throw new StorageException(e);
    } finally {
      if (serialize) {
        writeLock.unlock();
      }
    }
  }

  private static void pragma(Connection c, String sql) throws SQLException {
    try (var st = c.createStatement()) {
      st.execute(sql);
    }
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
    dataSource.close();
  }

  /** A storage failure; the API maps it to 500 InternalError (retryable by the SDK). */
  public static final class StorageException extends RuntimeException {
    public StorageException(SQLException cause) {
      super(cause.getMessage(), cause);
    }
  }
}
