package io.jobhook.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SQLite group commit acknowledges a transaction only once the WAL holding it has been synced
 * (on the syncer thread, while the writer goes on), and a relaxed transaction only once everything
 * committed before it has been: the WAL sync here is a gate the test opens and closes.
 */
class GroupCommitTest {
  @TempDir Path dir;
  private final GatedSync sync = new GatedSync();
  private Database db;

  @BeforeEach
  void open() {
    db = Database.open("jdbc:sqlite:" + dir.resolve("group.db"), null, null, sync);
    db.inTransaction(c -> execute(c, "CREATE TABLE t (v INTEGER)"));
  }

  @AfterEach
  void close() {
    sync.open();
    db.close();
  }

  @Test
  void the_wal_is_copied_into_the_database_file_once_it_holds_four_thousand_pages()
      throws IOException {
    Path file = dir.resolve("group.db");
    db.inTransaction(c -> execute(c, "CREATE TABLE blobs (b BLOB)"));
    for (int mib = 0; mib < 12; mib++) { // about 3,080 pages: SQLite's default would checkpoint
      db.inTransaction(c -> execute(c, "INSERT INTO blobs VALUES (randomblob(1048576))"));
    }
    assertThat(Files.size(file)).as("not yet copied").isLessThan(1 << 20);
    for (int mib = 12; mib < 24; mib++) {
      db.inTransaction(c -> execute(c, "INSERT INTO blobs VALUES (randomblob(1048576))"));
    }
    assertThat(Files.size(file)).as("copied past 4,000 pages").isGreaterThan(12L << 20);
  }

  @Test
  void a_durable_commit_returns_after_the_wal_sync_that_follows_it() throws Exception {
    assertThat(sync.wal).isEqualTo(dir.resolve("group.db-wal"));
    assertThat(Files.exists(sync.wal)).isTrue();
    sync.close();
    CompletableFuture<Integer> insert =
        async(() -> db.inTransaction(c -> execute(c, "INSERT INTO t VALUES (1)")));
    sync.awaitCalls(sync.callsBefore + 1);
    assertThat(count()).as("committed, visible to readers").isEqualTo(1);
    assertThat(insert).as("not acknowledged before its WAL is synced").isNotDone();

    sync.open();
    assertThat(insert.get(5, TimeUnit.SECONDS)).isEqualTo(1);
  }

  @Test
  void
      a_relaxed_commit_waits_for_the_sync_of_what_was_committed_before_it_but_needs_none_of_its_own()
          throws Exception {
    sync.close();
    CompletableFuture<Integer> durable =
        async(() -> db.inTransaction(c -> execute(c, "INSERT INTO t VALUES (1)")));
    sync.awaitCalls(sync.callsBefore + 1);
    CompletableFuture<Integer> relaxed =
        async(() -> db.inRelaxedTransaction(c -> execute(c, "UPDATE t SET v = 2")));
    Thread.sleep(200);
    assertThat(relaxed).as("it may have read the unsynced insert").isNotDone();

    sync.open();
    assertThat(durable.get(5, TimeUnit.SECONDS)).isEqualTo(1);
    assertThat(relaxed.get(5, TimeUnit.SECONDS)).isEqualTo(1);
    int calls = sync.calls.get();
    int updated = db.inRelaxedTransaction(c -> execute(c, "UPDATE t SET v = 3"));
    assertThat(updated).isEqualTo(1);
    assertThat(sync.calls.get()).as("nothing durable pending: no sync").isEqualTo(calls);
  }

  @Test
  void a_failed_wal_sync_fails_what_it_would_have_confirmed_and_every_transaction_after_it() {
    assertThat(db.failure()).isEmpty();
    sync.failing = true;
    assertThatThrownBy(() -> db.inTransaction(c -> execute(c, "INSERT INTO t VALUES (1)")))
        .isInstanceOf(Database.StorageException.class)
        .hasMessageContaining("fsync");
    sync.failing = false;
    assertThatThrownBy(() -> db.inRelaxedTransaction(c -> execute(c, "UPDATE t SET v = 2")))
        .as(
            "a later fsync may succeed without the pages of the failed one: nothing is confirmed any more")
        .isInstanceOf(Database.StorageException.class)
        .hasMessageContaining("restart");
    assertThat(db.failure())
        .as("what /healthz reports")
        .hasValueSatisfying(f -> assertThat(f).contains("fsync"));
  }

  @Test
  void a_wal_that_cannot_be_opened_holds_its_commits_back_until_it_can_and_breaks_nothing()
      throws Exception {
    sync.unopenable = true;
    int before = sync.calls.get();
    CompletableFuture<Integer> insert =
        async(() -> db.inTransaction(c -> execute(c, "INSERT INTO t VALUES (1)")));
    sync.awaitCalls(before + 3);
    assertThat(insert).as("not confirmed while its WAL could not be synced").isNotDone();
    sync.unopenable = false;
    assertThat(insert.get(5, TimeUnit.SECONDS)).isEqualTo(1);
    assertThat(db.failure()).as("a descriptor shortage is not a failed fsync").isEmpty();
    int inserted = db.inTransaction(c -> execute(c, "INSERT INTO t VALUES (2)"));
    assertThat(inserted).isEqualTo(1);
  }

  @Test
  void the_wal_sync_keeps_one_handle_and_follows_a_recreated_wal() throws Exception {
    Path wal = dir.resolve("other.db-wal");
    Files.write(wal, new byte[] {1});
    WalSync held = WalSync.fsync();
    held.sync(wal);
    held.sync(wal);
    assertThat(handlesOn(wal)).as("one handle, kept between syncs").containsExactly(wal.toString());
    Files.delete(wal);
    Files.write(
        wal,
        new byte[] {
          2
        }); // SQLite deletes its WAL when the last connection closes and makes a new one
    held.sync(wal);
    assertThat(handlesOn(wal))
        .as("the new file, not the deleted one")
        .containsExactly(wal.toString());
    Files.delete(wal);
    held.sync(wal);
    assertThat(handlesOn(wal)).as("no WAL, nothing held").isEmpty();
  }

  /** What this process's open descriptors point at that names {@code file} (Linux). */
  private static List<String> handlesOn(Path file) throws IOException {
    List<String> targets = new ArrayList<>();
    try (var fds = Files.list(Path.of("/proc/self/fd"))) {
      for (Path fd : fds.toList()) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith(file.toString())) {
            targets.add(target);
          }
        } catch (IOException closedMeanwhile) {
          // the listing's own descriptor, gone already
        }
      }
    }
    return targets;
  }

  @Test
  void work_that_fails_rolls_back_alone_and_the_rest_of_its_batch_commits() throws Exception {
    CountDownLatch writerHeld = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Integer> holding =
        async(
            () ->
                db.inTransaction(
                    c -> {
                      writerHeld.countDown();
                      await(release);
                      return execute(c, "INSERT INTO t VALUES (0)");
                    }));
    assertThat(writerHeld.await(5, TimeUnit.SECONDS)).as("the writer runs the first").isTrue();
    CompletableFuture<Integer> good =
        async(() -> db.inTransaction(c -> execute(c, "INSERT INTO t VALUES (1)")));
    CompletableFuture<Integer> bad =
        async(
            () ->
                db.inTransaction(
                    c -> {
                      execute(c, "INSERT INTO t VALUES (2)");
                      return execute(c, "INSERT INTO missing VALUES (3)");
                    }));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (db.queuedTransactions() < 2) { // both wait for the writer: they make one batch
      assertThat(System.nanoTime()).as("both queued").isLessThan(deadline);
      Thread.sleep(1);
    }
    release.countDown();
    assertThat(holding.get(5, TimeUnit.SECONDS)).isEqualTo(1);
    assertThat(good.get(5, TimeUnit.SECONDS)).isEqualTo(1);
    assertThatThrownBy(() -> bad.get(5, TimeUnit.SECONDS))
        .hasCauseInstanceOf(Database.StorageException.class)
        .hasMessageContaining("no such table: missing");
    assertThat(values()).containsExactly(0, 1);
  }

  @Test
  void work_alone_in_its_batch_that_fails_leaves_nothing_behind() {
    assertThatThrownBy(
            () ->
                db.inTransaction(
                    c -> {
                      execute(c, "INSERT INTO t VALUES (2)");
                      return execute(c, "INSERT INTO missing VALUES (3)");
                    }))
        .isInstanceOf(Database.StorageException.class)
        .hasMessageContaining("no such table: missing");
    assertThat(values()).isEmpty();
    db.inTransaction(c -> execute(c, "INSERT INTO t VALUES (4)"));
    assertThat(values()).containsExactly(4);
  }

  @Test
  void the_writer_keeps_a_larger_page_cache_than_the_readers() {
    assertThat(db.inTransaction(GroupCommitTest::cacheSize))
        .isEqualTo(-GroupCommit.WRITER_CACHE_KIB);
    assertThat(db.read(GroupCommitTest::cacheSize)).isEqualTo(-2000L);
  }

  @Test
  void an_insert_runs_no_second_query_for_generated_keys() {
    boolean keysFetched =
        db.inTransaction(
            c -> {
              try (var ps = c.prepareStatement("INSERT INTO t (v) VALUES (?)")) {
                ps.setInt(1, 7);
                ps.executeUpdate();
                try (var keys = ps.getGeneratedKeys()) {
                  return keys.next();
                }
              }
            });
    assertThat(keysFetched).isFalse();
    assertThat(values()).containsExactly(7);
  }

  private static long cacheSize(Connection c) throws SQLException {
    try (var ps = c.prepareStatement("PRAGMA cache_size");
        var rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private List<Integer> values() {
    return db.read(
        c -> {
          List<Integer> values = new ArrayList<>();
          try (var ps = c.prepareStatement("SELECT v FROM t ORDER BY v");
              var rs = ps.executeQuery()) {
            while (rs.next()) {
              values.add(rs.getInt(1));
            }
          }
          return values;
        });
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private int count() {
    return values().size();
  }

  private static int execute(Connection c, String sql) throws SQLException {
    try (var ps = c.prepareStatement(sql)) {
      ps.execute();
      return ps.getUpdateCount() < 0 ? 0 : ps.getUpdateCount();
    }
  }

  private static <T> CompletableFuture<T> async(java.util.function.Supplier<T> work) {
    CompletableFuture<T> result = new CompletableFuture<>();
    Thread.ofVirtual()
        .start(
            () -> {
              try {
                result.complete(work.get());
              } catch (Throwable t) {
                result.completeExceptionally(t);
              }
            });
    return result;
  }

  /** Counts syncs; while closed, a sync waits until the gate opens. */
  private static final class GatedSync implements WalSync {
    private final WalSync real = WalSync.fsync();
    final AtomicInteger calls = new AtomicInteger();
    private final Semaphore gate = new Semaphore(Integer.MAX_VALUE);
    volatile boolean failing;
    volatile boolean unopenable;
    volatile Path wal;
    int callsBefore;

    @Override
    public void sync(Path wal) throws IOException {
      this.wal = wal;
      calls.incrementAndGet();
      try {
        gate.acquire();
        gate.release();
      } catch (InterruptedException e) {
        throw new IOException(e);
      }
      if (failing) {
        throw new IOException("disk on fire");
      }
      if (unopenable) {
        throw new WalSync.Unavailable(new IOException("Too many open files"));
      }
      real.sync(wal);
    }

    void close() throws InterruptedException {
      callsBefore = calls.get();
      gate.acquire(Integer.MAX_VALUE);
    }

    void open() {
      if (gate.availablePermits() == 0) {
        gate.release(Integer.MAX_VALUE);
      }
    }

    void awaitCalls(int n) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (calls.get() < n && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertThat(calls.get()).as("syncs").isGreaterThanOrEqualTo(n);
    }
  }
}
