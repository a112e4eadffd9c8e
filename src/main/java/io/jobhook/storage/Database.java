package io.jobhook.storage;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.jobhook.engine.StorageUnavailableException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
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

  /**
   * Makes a SQLite write-ahead log durable; a seam for the tests that watch when commits return.
   */
  @FunctionalInterface
  interface WalSync {
    /**
     * Makes everything written to {@code wal} so far durable. Throws {@link Unavailable} when it
     * could not even try (the file could not be opened, for want of descriptors, say): nothing is
     * known to be lost then, and a later call may succeed. Any other exception is a failed fsync.
     */
    void sync(Path wal) throws IOException;

    /** The WAL could not be opened for syncing; the fsync itself never ran. */
    final class Unavailable extends IOException {
      Unavailable(IOException cause) {
        super("could not open the SQLite WAL to sync it: " + cause.getMessage(), cause);
      }
    }

    /**
     * The real thing: fsync through a handle kept open, reopened only when SQLite makes a new WAL
     * file.
     */
    static WalSync fsync() {
      return new HeldWal();
    }
  }

  /**
   * Keeps the WAL open between syncs, so that a sync needs no new file descriptor: a process that
   * has run out of them (a flood of connections) can still make its commits durable. SQLite deletes
   * the WAL when its last connection closes and creates a new one later; each sync compares the
   * file's identity (a stat, no descriptor) with the handle's and reopens when they differ.
   */
  private static final class HeldWal implements WalSync, java.io.Closeable {
    private FileChannel channel;
    private Object channelFile;

    @Override
    public synchronized void sync(Path wal) throws IOException {
      Object file;
      try {
        file = Files.readAttributes(wal, BasicFileAttributes.class).fileKey();
      } catch (NoSuchFileException e) {
        close(); // no WAL: its last connection closed, which checkpoints it into the synced
        // database file
        return;
      }
      if (channel == null || !file.equals(channelFile)) {
        close();
        try {
          channel = FileChannel.open(wal, StandardOpenOption.WRITE);
        } catch (NoSuchFileException e) {
          return;
        } catch (IOException e) {
          throw new Unavailable(e);
        }
        // the file we opened may already have been replaced: then sync the new one next time
        channelFile = file;
      }
      channel.force(false);
    }

    @Override
    public synchronized void close() {
      if (channel != null) {
        try {
          channel.close();
        } catch (IOException ignored) {
          // a descriptor we are done with
        }
        channel = null;
        channelFile = null;
      }
    }
  }

  private Database(HikariDataSource dataSource, Dialect dialect, WalSync walSync) {
    this.dataSource = dataSource;
    this.dialect = dialect;
    this.group = dialect.singleNode ? new GroupCommit(walFile(dataSource), walSync) : null;
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
    if (dialect == Dialect.SQLITE) {
      SQLiteConfig sqlite = new SQLiteConfig();
      sqlite.setJournalMode(SQLiteConfig.JournalMode.WAL);
      // NORMAL: SQLite syncs only around checkpoints; commits are made durable by the group
      // commit's own fsync of the WAL, which it overlaps with the next batch (see GroupCommit).
      sqlite.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
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

  private static void execute(Connection c, String sql) throws SQLException {
    try (var statement = c.prepareStatement(sql)) {
      statement.execute();
    }
  }

  /** Why this database confirms no more writes (its WAL could not be synced), if that happened. */
  public Optional<String> failure() {
    return group == null || group.walBroken == null
        ? Optional.empty()
        : Optional.of("storage failed: an fsync of the SQLite WAL failed; restart jobhook");
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

  /**
   * The single SQLite writer: batches concurrent transactions into one commit, and makes commits
   * durable on a second thread. The writer commits a batch (its frames are then in the WAL file, in
   * the operating system's cache, which a crash of the process does not lose) and goes on with the
   * next batch at once, while the syncer fsyncs the WAL and only then returns to the batch's
   * callers: one fsync serves every batch committed meanwhile, and the writer never waits for the
   * disk. An fsync of the WAL covers every commit written to it before, and recovery after a power
   * loss keeps a prefix of the commits, so what is confirmed stays.
   *
   * <p>Until that fsync, a commit is visible to readers (as with PostgreSQL's asynchronous commit):
   * a status read in that millisecond may show a state that a power loss takes back. Nothing acts
   * on such a state outside the database, though: every transaction, relaxed ones included, returns
   * only after the commits it may have read are durable. A callback claimed by the dispatcher, for
   * example, is sent only once the job state that created it is on disk.
   */
  private final class GroupCommit {
    private static final int MAX_BATCH = 256;

    private record Pending<T>(SqlWork<T> work, boolean relaxed, CompletableFuture<T> done) {}

    /**
     * A committed batch waiting to be acknowledged; {@code durable} when it needs an fsync first.
     */
    private record Committed(
        List<Pending<?>> batch, Object[] results, Throwable[] errors, boolean durable) {}

    private final Path wal;
    private final WalSync walSync;
    private final LinkedBlockingQueue<Pending<?>> queue = new LinkedBlockingQueue<>();
    private final LinkedBlockingQueue<Committed> unsynced = new LinkedBlockingQueue<>();

    /**
     * Queued after the writer's last commit: the syncer acknowledges everything before it and
     * stops.
     */
    private static final Committed STOP =
        new Committed(List.of(), new Object[0], new Throwable[0], false);

    private volatile boolean closed;

    /**
     * Set by the first failed fsync, for good: after one, Linux may report later fsyncs as
     * successful although the pages of the failed one were dropped, so no commit can be confirmed
     * any more (PostgreSQL stops for the same reason). A restart recovers from what is on disk.
     */
    private volatile IOException walBroken;

    // Platform threads: SQLite works through JNI and fsync blocks, either would pin a virtual
    // thread's carrier.
    private final Thread writer;
    private final Thread syncer;

    GroupCommit(Path wal, WalSync walSync) {
      this.wal = wal;
      this.walSync = walSync;
      syncDirectoryOf(wal);
      this.writer = Thread.ofPlatform().daemon().name("sqlite-writer").start(this::writeLoop);
      this.syncer = Thread.ofPlatform().daemon().name("sqlite-syncer").start(this::syncLoop);
    }

    <T> T submit(SqlWork<T> work, boolean relaxed) {
      if (closed) {
        throw new IllegalStateException("database is closed");
      }
      if (walBroken != null) {
        throw walFailure();
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

    private void writeLoop() {
      while (!closed) {
        try {
          Pending<?> first = queue.poll(100, TimeUnit.MILLISECONDS);
          if (first == null) {
            continue;
          }
          List<Pending<?>> batch = new ArrayList<>();
          batch.add(first);
          queue.drainTo(batch, MAX_BATCH - 1);
          // relaxed work (leases) first, in a commit of its own, so that claims are acknowledged
          // without waiting for an fsync when no durable commit is in flight; then the durable work
          List<Pending<?>> relaxed = batch.stream().filter(Pending::relaxed).toList();
          List<Pending<?>> durable = batch.stream().filter(p -> !p.relaxed()).toList();
          if (!relaxed.isEmpty()) {
            run(relaxed, false);
          }
          if (!durable.isEmpty()) {
            run(durable, true);
          }
        } catch (InterruptedException e) {
          return;
        } catch (Throwable t) {
          log.error("the SQLite writer failed a batch", t);
        }
      }
    }

    private void run(List<Pending<?>> batch, boolean durable) {
      Object[] results = new Object[batch.size()];
      Throwable[] errors = new Throwable[batch.size()];
      try (Connection c = dataSource.getConnection()) {
        c.setAutoCommit(false);
        // savepoints as plain statements, held for the batch: the driver's setSavepoint() would
        // compile a uniquely named one each time
        try (PreparedStatement savepoint = c.prepareStatement("SAVEPOINT caller");
            PreparedStatement release = c.prepareStatement("RELEASE caller")) {
          for (int i = 0; i < batch.size(); i++) {
            savepoint.execute();
            try {
              results[i] = batch.get(i).work().apply(c);
              release.execute();
            } catch (SQLException | RuntimeException e) {
              execute(c, "ROLLBACK TO caller");
              release.execute();
              errors[i] = e;
            }
          }
          c.commit();
        } catch (SQLException | RuntimeException e) {
          c.rollback();
          throw e;
        } finally {
          c.setAutoCommit(true);
        }
      } catch (SQLException | RuntimeException e) {
        // nothing of this batch was committed; what it read is acknowledged by earlier batches
        for (Pending<?> p : batch) {
          p.done().completeExceptionally(e);
        }
        return;
      }
      unsynced.add(new Committed(batch, results, errors, durable));
    }

    private void syncLoop() {
      List<Committed> ready = new ArrayList<>();
      while (true) {
        ready.clear();
        try {
          ready.add(unsynced.take());
        } catch (InterruptedException e) {
          return; // not expected: close() stops this thread with STOP, after the writer
        }
        unsynced.drainTo(ready);
        boolean stop = ready.removeIf(c -> c == STOP);
        acknowledge(ready);
        if (stop) {
          return;
        }
      }
    }

    private void acknowledge(List<Committed> ready) {
      IOException unsynced = null;
      if (walBroken == null && ready.stream().anyMatch(Committed::durable)) {
        unsynced = syncWal();
      }
      for (Committed committed : ready) {
        for (int i = 0; i < committed.batch().size(); i++) {
          Throwable error =
              walBroken != null
                  ? walFailure()
                  : unsynced != null
                      ? new StorageException(
                          new SQLException("closed before the WAL could be synced", unsynced))
                      : committed.errors()[i];
          complete(committed.batch().get(i), committed.results()[i], error);
        }
      }
    }

    /**
     * Syncs the WAL, waiting out a WAL that cannot be opened (the callers wait with it: nothing is
     * confirmed before it is durable). A failed fsync breaks the database for good. Returns the
     * reason when the database closed before a sync could run.
     */
    private IOException syncWal() {
      long backoffMillis = 10;
      while (true) {
        try {
          walSync.sync(wal);
          return null;
        } catch (WalSync.Unavailable e) {
          if (closed) {
            return e;
          }
          if (backoffMillis == 10) {
            log.warn("{}; commits wait until it can be synced", e.getMessage());
          }
          try {
            Thread.sleep(backoffMillis);
          } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return e;
          }
          backoffMillis = Math.min(1000, backoffMillis * 2);
        } catch (IOException e) {
          log.error(
              "could not fsync the SQLite WAL {}: no commit is confirmed from now on; restart jobhook",
              wal,
              e);
          walBroken = e;
          return null;
        }
      }
    }

    private StorageException walFailure() {
      return new StorageException(
          new SQLException("an fsync of the SQLite WAL failed; restart jobhook", walBroken));
    }

    /**
     * A WAL that SQLite has just created must not vanish in a power loss with its directory entry.
     */
    private static void syncDirectoryOf(Path file) {
      try (FileChannel dir =
          FileChannel.open(file.toAbsolutePath().getParent(), StandardOpenOption.READ)) {
        dir.force(true);
      } catch (IOException e) {
        log.debug("directory of {} not synced: {}", file, e.toString());
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
        unsynced.add(STOP);
        syncer.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (walSync instanceof java.io.Closeable held) {
        try {
          held.close();
        } catch (IOException ignored) {
          // closing our own descriptor
        }
      }
      Pending<?> p;
      while ((p = queue.poll()) != null) {
        p.done().completeExceptionally(new IllegalStateException("database closed"));
      }
    }
  }

  /** A failed statement or transaction on this database. */
  public static final class StorageException extends StorageUnavailableException {
    public StorageException(SQLException cause) {
      super(cause.getMessage(), cause);
    }
  }
}
