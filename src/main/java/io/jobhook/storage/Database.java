package io.jobhook.storage;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

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

  private Database(HikariDataSource dataSource, Dialect dialect) {
    this.dataSource = dataSource;
    this.dialect = dialect;
    this.group = dialect.singleNode ? new GroupCommit() : null;
  }

  public static Database open(String jdbcUrl, String user, String password) {
    Dialect dialect = Dialect.of(jdbcUrl);
    HikariConfig config = new HikariConfig();
    config.setPoolName("jobhook-db");
    if (user != null) {
      config.setUsername(user);
    }
    if (password != null) {
      config.setPassword(password);
    }
    if (dialect == Dialect.SQLITE) {
      SQLiteConfig sqlite = new SQLiteConfig();
      sqlite.setJournalMode(SQLiteConfig.JournalMode.WAL);
      // FULL: a committed job state or callback survives power loss, not only a process crash.
      sqlite.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
      sqlite.setBusyTimeout(30000);
      sqlite.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
      SQLiteDataSource file = new SQLiteDataSource(sqlite);
      file.setUrl(jdbcUrl);
      config.setDataSource(new StatementCachingDataSource(file));
      // a file database has no server that drops idle connections: keep them, and their statements
      config.setMaxLifetime(0);
      config.setMaximumPoolSize(6);
    } else {
      config.setJdbcUrl(jdbcUrl);
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

  /**
   * Runs {@code work} in one transaction, committed durably when it returns normally. On SQLite
   * concurrent calls are group-committed: one writer thread runs many callers' work in a single
   * transaction, each inside its own savepoint (so one failing rolls back only itself), and commits
   * once; every caller returns after that durable commit. One fsync then serves many writes.
   * Work must not call back into this database's write methods.
   */
  public <T> T inTransaction(SqlWork<T> work) {
    return group != null ? group.submit(work, false) : transaction(work, false);
  }

  /**
   * Runs {@code work} in one transaction whose commit need not survive a power loss: for writes
   * that recovery makes unnecessary, such as leases (released at start-up on SQLite, expiring on
   * PostgreSQL) and progress. It costs no fsync; a later durable commit makes it durable too.
   */
  public <T> T inRelaxedTransaction(SqlWork<T> work) {
    return group != null ? group.submit(work, true) : transaction(work, true);
  }

  /** One transaction on a pooled connection: the PostgreSQL path (SQLite goes through the group). */
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

  private static void execute(Connection c, String sql) throws SQLException {
    try (var statement = c.prepareStatement(sql)) {
      statement.execute();
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
    if (group != null) {
      group.close();
    }
    dataSource.close();
  }

  /** The single SQLite writer: batches concurrent transactions into one commit. */
  private final class GroupCommit {
    private static final int MAX_BATCH = 256;

    private record Pending<T>(SqlWork<T> work, boolean relaxed, CompletableFuture<T> done) {}

    private final LinkedBlockingQueue<Pending<?>> queue = new LinkedBlockingQueue<>();
    private volatile boolean closed;
    // A platform thread: SQLite works through JNI, which would pin a virtual thread's carrier.
    private final Thread writer = Thread.ofPlatform().daemon().name("sqlite-writer").start(this::loop);

    <T> T submit(SqlWork<T> work, boolean relaxed) {
      if (closed) {
        throw new IllegalStateException("database is closed");
      }
      Pending<T> pending = new Pending<>(work, relaxed, new CompletableFuture<>());
      queue.add(pending);
      try {
        return pending.done().get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for a commit", e);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof RuntimeException r) {
          throw r;
        }
        if (e.getCause() instanceof SQLException sql) {
          throw new StorageException(sql);
        }
        throw new IllegalStateException(e.getCause());
      }
    }

    private void loop() {
      while (!closed) {
        try {
          Pending<?> first = queue.poll(100, TimeUnit.MILLISECONDS);
          if (first == null) {
            continue;
          }
          List<Pending<?>> batch = new ArrayList<>();
          batch.add(first);
          queue.drainTo(batch, MAX_BATCH - 1);
          // relaxed work (leases) first, in its own commit without fsync, so that claims never
          // wait for a durable commit; then the durable work, in one fsync
          List<Pending<?>> relaxed = batch.stream().filter(Pending::relaxed).toList();
          List<Pending<?>> durable = batch.stream().filter(p -> !p.relaxed()).toList();
          if (!relaxed.isEmpty()) {
            run(relaxed);
          }
          if (!durable.isEmpty()) {
            run(durable);
          }
        } catch (InterruptedException e) {
          return;
        } catch (Throwable t) {
          log.error("the SQLite writer failed a batch", t);
        }
      }
    }

    private void run(List<Pending<?>> batch) {
      boolean relaxed = batch.stream().allMatch(Pending::relaxed);
      Object[] results = new Object[batch.size()];
      Throwable[] errors = new Throwable[batch.size()];
      try (Connection c = dataSource.getConnection()) {
        if (relaxed) {
          execute(c, "PRAGMA synchronous = OFF");
        }
        c.setAutoCommit(false);
        try {
          for (int i = 0; i < batch.size(); i++) {
            // savepoints as plain statements: the connection keeps them prepared, where the
            // driver's setSavepoint() would compile a uniquely named one each time
            execute(c, "SAVEPOINT caller");
            try {
              results[i] = batch.get(i).work().apply(c);
              execute(c, "RELEASE caller");
            } catch (SQLException | RuntimeException e) {
              execute(c, "ROLLBACK TO caller");
              execute(c, "RELEASE caller");
              errors[i] = e;
            }
          }
          c.commit();
        } catch (SQLException | RuntimeException e) {
          c.rollback();
          throw e;
        } finally {
          c.setAutoCommit(true);
          if (relaxed) {
            execute(c, "PRAGMA synchronous = FULL");
          }
        }
      } catch (SQLException | RuntimeException e) {
        for (Pending<?> p : batch) {
          p.done().completeExceptionally(e);
        }
        return;
      }
      for (int i = 0; i < batch.size(); i++) {
        complete(batch.get(i), results[i], errors[i]);
      }
    }

    @SuppressWarnings("unchecked")
    private <T> void complete(Pending<T> pending, Object result, Throwable error) {
      if (error != null) {
        pending.done().completeExceptionally(error);
      } else {
        pending.done().complete((T) result);
      }
    }

    void close() {
      closed = true;
      writer.interrupt();
      try {
        writer.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      Pending<?> p;
      while ((p = queue.poll()) != null) {
        p.done().completeExceptionally(new IllegalStateException("database closed"));
      }
    }
  }

  /** A storage failure; the API maps it to 500 InternalError (retryable by the SDK). */
  public static final class StorageException extends RuntimeException {
    public StorageException(SQLException cause) {
      super(cause.getMessage(), cause);
    }
  }
}
