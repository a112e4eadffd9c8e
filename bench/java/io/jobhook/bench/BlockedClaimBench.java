package io.jobhook.bench;

import io.jobhook.callback.PendingCallback;
import io.jobhook.engine.Ids;
import io.jobhook.storage.Database;
import io.jobhook.storage.JdbcCallbackOutbox;
import io.jobhook.storage.JdbcTransactions;
import io.jobhook.support.TestPostgres;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The dispatcher's claim while one destination is blocked (its circuit open, or its in-flight cap
 * reached) and holds a due backlog older than the other destinations' due callbacks, beside a claim
 * with nothing blocked. The first reads past the whole backlog in the due order; the dispatcher
 * spaces such claims out. {@code BlockedClaimBench BACKLOG sqlite|postgresql}
 */
public final class BlockedClaimBench {
  public static void main(String[] args) throws Exception {
    int backlog = Integer.parseInt(args[0]);
    Database db =
        args[1].equals("postgresql")
            ? openPostgres()
            : Database.open(
                "jdbc:sqlite:" + ScratchDir.create("claim-bench").resolve("bench.db"), null, null);
    JdbcCallbackOutbox outbox = new JdbcCallbackOutbox(db);
    JdbcTransactions transactions = new JdbcTransactions(db);
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    int healthy = 40_000;
    for (int done = 0; done < backlog + healthy; ) {
      List<PendingCallback> batch = new ArrayList<>();
      for (int i = 0; i < 1_000 && done < backlog + healthy; i++, done++) {
        boolean dead = done < backlog;
        batch.add(
            PendingCallback.create(
                Ids.callbackId(t0),
                Ids.jobId(t0),
                "bench-1250000000",
                "q",
                "TaskFinish",
                dead ? "http://dead.example.com/cb" : "http://healthy.example.com/cb",
                "application/xml",
                new byte[200],
                t0,
                t0.plusMillis(done)));
      }
      transactions.inTransaction(
          tx -> {
            batch.forEach(cb -> outbox.enqueue(tx, cb));
            return null;
          });
    }
    db.inTransaction(
        c -> {
          try (PreparedStatement analyze = c.prepareStatement("ANALYZE")) {
            return analyze.execute();
          }
        });
    Set<String> blocked = Set.of("http://dead.example.com:80");
    Instant now = t0.plusSeconds(3600);
    int claims = 200;
    for (int round = 0; round < 2; round++) { // the first round warms up
      long started = System.nanoTime();
      int claimed = 0;
      for (int i = 0; i < claims; i++) {
        claimed += outbox.claimDue("bench", now, now.plusSeconds(3600), 64, blocked).size();
      }
      double claimMs = (System.nanoTime() - started) / 1e6 / claims;
      started = System.nanoTime();
      for (int i = 0; i < claims; i++) {
        outbox.claimDue("bench", now, now.plusSeconds(3600), 64, Set.of());
      }
      double unblockedMs = (System.nanoTime() - started) / 1e6 / claims;
      if (round == 1) {
        System.out.printf(
            Locale.ROOT,
            "RESULT blocked-claim database=%s backlog=%d claim_past_blocked_ms=%.3f (%d claimed)"
                + " claim_with_nothing_blocked_ms=%.3f ratio=%.1f%n",
            args[1],
            backlog,
            claimMs,
            claimed,
            unblockedMs,
            claimMs / unblockedMs);
      }
    }
    db.close();
  }

  private static Database openPostgres() throws Exception {
    TestPostgres pg = TestPostgres.empty();
    return Database.open(pg.url(), pg.user(), pg.password());
  }
}
