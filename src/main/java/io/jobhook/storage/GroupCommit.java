package io.jobhook.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single SQLite writer: batches concurrent transactions into one commit, and makes commits
 * durable on a second thread. The writer commits a batch (its frames are then in the WAL file, in
 * the operating system's cache, which a crash of the process does not lose) and goes on with the
 * next batch at once, while the syncer fsyncs the WAL and only then returns to the batch's callers:
 * one fsync serves every batch committed meanwhile, and the writer never waits for the disk. An
 * fsync of the WAL covers every commit written to it before, and recovery after a power loss keeps
 * a prefix of the commits, so what is confirmed stays.
 *
 * <p>Until that fsync, a commit is visible to readers (as with PostgreSQL's asynchronous commit): a
 * status read in that millisecond may show a state that a power loss takes back. Nothing acts on
 * such a state outside the database, though: every transaction, relaxed ones included, returns only
 * after the commits it may have read are durable. A callback claimed by the dispatcher, for
 * example, is sent only once the job state that created it is on disk.
 */
final class GroupCommit {
  private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);

  private static final int MAX_BATCH = 256;

  /**
   * The writer's page cache, in KiB: a claim reads the due callbacks and their bodies, and their
   * rows and index pages are written again by the lease, the attempt's record and the next claims.
   * With SQLite's default of 2 MiB, draining a backlog of callbacks read 12.8 KB per callback back
   * from the operating system; with 32 MiB, 2.9 KB (the WAL frames checkpoints copy). Readers keep
   * the default, one cache per connection.
   */
  static final int WRITER_CACHE_KIB = 32 * 1024;

  private record Pending<T>(Database.SqlWork<T> work, boolean relaxed, CompletableFuture<T> done) {}

  /** A committed batch waiting to be acknowledged; {@code durable} when it needs an fsync first. */
  private record Committed(
      List<Pending<?>> batch, Object[] results, Throwable[] errors, boolean durable) {}

  private final DataSource dataSource;
  private final Path wal;
  private final WalSync walSync;
  private final LinkedBlockingQueue<Pending<?>> queue = new LinkedBlockingQueue<>();
  private final LinkedBlockingQueue<Committed> unsynced = new LinkedBlockingQueue<>();

  /**
   * Queued after the writer's last commit: the syncer acknowledges everything before it and stops.
   */
  private static final Committed STOP =
      new Committed(List.of(), new Object[0], new Throwable[0], false);

  private volatile boolean closed;

  /**
   * Set by the first failed fsync, for good: after one, Linux may report later fsyncs as successful
   * although the pages of the failed one were dropped, so no commit can be confirmed any more
   * (PostgreSQL stops for the same reason). A restart recovers from what is on disk.
   */
  private volatile IOException walBroken;

  // Platform threads: SQLite's JNI calls and fsync would pin a virtual thread's carrier.
  private final Thread writer;
  private final Thread syncer;

  /** Used by the writer thread only; null until its first batch and after a failed one. */
  private Connection connection;

  /** The {@code cache_size} the writer's connection had before, to give it back as it was. */
  private long poolCacheSize;

  GroupCommit(DataSource dataSource, Path wal, WalSync walSync) {
    this.dataSource = dataSource;
    this.wal = wal;
    this.walSync = walSync;
    syncDirectoryOf(wal);
    this.writer = Thread.ofPlatform().daemon().name("sqlite-writer").start(this::writeLoop);
    this.syncer = Thread.ofPlatform().daemon().name("sqlite-syncer").start(this::syncLoop);
  }

  <T> T submit(Database.SqlWork<T> work, boolean relaxed) {
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
        throw new Database.StorageException(sql);
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  /** Transactions waiting for the writer. */
  int queued() {
    return queue.size();
  }

  private void writeLoop() {
    try {
      writeBatches();
    } finally {
      dropConnection();
    }
  }

  private void writeBatches() {
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
    try {
      Connection c = connection();
      c.setAutoCommit(false);
      try {
        if (batch.size() == 1) {
          runAlone(c, batch.getFirst(), results, errors);
        } else {
          runEachInSavepoint(c, batch, results, errors);
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
      dropConnection(); // it failed to begin, commit or roll back: the next batch takes another
      for (Pending<?> p : batch) {
        p.done().completeExceptionally(e);
      }
      return;
    }
    unsynced.add(new Committed(batch, results, errors, durable));
  }

  /** The writer's connection, kept from batch to batch with its larger page cache. */
  private Connection connection() throws SQLException {
    if (connection == null) {
      Connection c = dataSource.getConnection();
      try (PreparedStatement size = c.prepareStatement("PRAGMA cache_size");
          ResultSet rs = size.executeQuery()) {
        rs.next();
        poolCacheSize = rs.getLong(1);
        Database.execute(c, "PRAGMA cache_size = -" + WRITER_CACHE_KIB);
      } catch (SQLException e) {
        c.close();
        throw e;
      }
      connection = c;
    }
    return connection;
  }

  /** Gives the writer's connection back to the pool, with the page cache it had there. */
  private void dropConnection() {
    if (connection == null) {
      return;
    }
    try (Connection c = connection) {
      connection = null;
      Database.execute(c, "PRAGMA cache_size = " + poolCacheSize);
    } catch (SQLException e) {
      log.debug("the SQLite writer's connection closed with {}", e.toString());
    }
  }

  /**
   * Work alone in its transaction: a failure rolls the whole transaction back, so it needs no
   * savepoint. A savepoint is not free: SQLite copies the original of every page modified under one
   * to a sub-journal, a temporary file past 64 KiB, written and thrown away at every commit.
   */
  private static void runAlone(Connection c, Pending<?> work, Object[] results, Throwable[] errors)
      throws SQLException {
    try {
      results[0] = work.work().apply(c);
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      errors[0] = e;
    }
  }

  /** Each work in a savepoint of its own, so that one failing rolls back only itself. */
  private static void runEachInSavepoint(
      Connection c, List<Pending<?>> batch, Object[] results, Throwable[] errors)
      throws SQLException {
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
          Database.execute(c, "ROLLBACK TO caller");
          release.execute();
          errors[i] = e;
        }
      }
    }
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
                    ? new Database.StorageException(
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

  /** Why no commit is confirmed any more (a failed fsync of the WAL), if that happened. */
  Optional<String> failure() {
    return walBroken == null
        ? Optional.empty()
        : Optional.of("storage failed: an fsync of the SQLite WAL failed; restart jobhook");
  }

  private Database.StorageException walFailure() {
    return new Database.StorageException(
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
