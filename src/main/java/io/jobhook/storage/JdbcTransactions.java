package io.jobhook.storage;

import io.jobhook.engine.Transaction;
import io.jobhook.engine.Transactions;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * {@link Transactions} on a {@link Database}: each unit of work is one of its transactions (on
 * SQLite, a savepoint of a group commit), and the store methods that take the {@link Transaction}
 * write on its connection.
 */
public final class JdbcTransactions implements Transactions {
  private final Database db;

  public JdbcTransactions(Database db) {
    this.db = db;
  }

  @Override
  public <T> T inTransaction(Function<Transaction, T> work) {
    List<Runnable> afterCommit = new ArrayList<>(2);
    List<Runnable> afterRollback = new ArrayList<>(0);
    T result;
    try {
      result =
          db.inTransaction(
              c -> {
                // an attempt that is tried again rolled back: nothing of it is to run on commit
                runAndClear(afterRollback);
                afterCommit.clear();
                return work.apply(new Open(c, afterCommit, afterRollback));
              });
    } catch (RuntimeException | Error e) {
      runAndClear(afterRollback);
      throw e;
    }
    afterCommit.forEach(Runnable::run);
    return result;
  }

  private static void runAndClear(List<Runnable> actions) {
    actions.forEach(Runnable::run);
    actions.clear();
  }

  /** Runs a store method's statements on the transaction's connection. */
  static <T> T within(Transaction tx, Database.SqlWork<T> work) {
    if (!(tx instanceof Open open)) {
      throw new IllegalArgumentException("not a transaction of this database: " + tx);
    }
    try {
      return work.apply(open.connection());
    } catch (java.sql.SQLException e) {
      throw new Database.StorageException(e);
    }
  }

  private record Open(
      Connection connection, List<Runnable> afterCommit, List<Runnable> afterRollback)
      implements Transaction {
    @Override
    public void afterCommit(Runnable action) {
      afterCommit.add(action);
    }

    @Override
    public void afterRollback(Runnable action) {
      afterRollback.add(action);
    }
  }
}
