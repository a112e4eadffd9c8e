package io.jobhook.storage;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Connections that keep their prepared statements. sqlite-jdbc compiles the SQL on every {@code
 * prepareStatement} (PostgreSQL's driver caches statements server-side by itself), a large share of
 * the CPU a short transaction costs. A statement its user closes goes back to its connection's
 * cache with its parameters and batch cleared, and the next {@code prepareStatement} of the same
 * SQL on that connection gets it again; closing the connection closes them all. The pool sits on
 * top and sees ordinary connections.
 *
 * <p>Each connection's cache is used by one thread at a time, like the connection itself.
 */
final class StatementCachingDataSource implements DataSource {
  /** Distinct SQL strings kept per connection; the least recently used goes first. */
  static final int MAX_CACHED_SQL = 200;

  private final DataSource target;

  StatementCachingDataSource(DataSource target) {
    this.target = target;
  }

  @Override
  public Connection getConnection() throws SQLException {
    return caching(target.getConnection());
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    return caching(target.getConnection(username, password));
  }

  private static Connection caching(Connection raw) {
    return (Connection)
        Proxy.newProxyInstance(
            Connection.class.getClassLoader(),
            new Class<?>[] {Connection.class},
            new CachingConnection(raw));
  }

  private static Object forward(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private static final class CachingConnection implements InvocationHandler {
    private final Connection raw;
    private final Map<String, ArrayDeque<PreparedStatement>> idle =
        new LinkedHashMap<>(64, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(
              Map.Entry<String, ArrayDeque<PreparedStatement>> eldest) {
            if (size() <= MAX_CACHED_SQL) {
              return false;
            }
            eldest.getValue().forEach(CachingConnection::closeQuietly);
            return true;
          }
        };

    CachingConnection(Connection raw) {
      this.raw = raw;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      return switch (method.getName()) {
        case "prepareStatement" ->
            args.length == 1 ? prepare((String) args[0]) : forward(raw, method, args);
        case "close" -> {
          closeIdle();
          raw.close();
          yield null;
        }
        case "unwrap" ->
            ((Class<?>) args[0]).isInstance(proxy) ? proxy : raw.unwrap((Class<?>) args[0]);
        case "isWrapperFor" ->
            ((Class<?>) args[0]).isInstance(proxy) || raw.isWrapperFor((Class<?>) args[0]);
        case "equals" -> proxy == args[0];
        case "hashCode" -> System.identityHashCode(proxy);
        case "toString" -> "caching " + raw;
        default -> forward(raw, method, args);
      };
    }

    private PreparedStatement prepare(String sql) throws SQLException {
      ArrayDeque<PreparedStatement> free = idle.get(sql);
      PreparedStatement statement = free == null ? null : free.poll();
      if (statement == null || statement.isClosed()) {
        statement = raw.prepareStatement(sql);
      }
      return (PreparedStatement)
          Proxy.newProxyInstance(
              PreparedStatement.class.getClassLoader(),
              new Class<?>[] {PreparedStatement.class},
              new CachedStatement(this, sql, statement));
    }

    /** Takes back a statement its user closed; it stays open for the next user of the same SQL. */
    void giveBack(String sql, PreparedStatement statement) {
      try {
        if (raw.isClosed()) {
          statement.close();
          return;
        }
        statement.clearParameters();
        statement.clearBatch();
        idle.computeIfAbsent(sql, s -> new ArrayDeque<>(2)).push(statement);
      } catch (SQLException e) {
        closeQuietly(statement);
      }
    }

    private void closeIdle() {
      List<PreparedStatement> all = new ArrayList<>();
      idle.values().forEach(all::addAll);
      idle.clear();
      all.forEach(CachingConnection::closeQuietly);
    }

    private static void closeQuietly(PreparedStatement statement) {
      try {
        statement.close();
      } catch (SQLException e) {
        // closing a statement of a connection that is going away: nothing to keep
      }
    }
  }

  /**
   * One use of a cached statement: {@code close()} returns it to the cache instead of closing it.
   */
  private static final class CachedStatement implements InvocationHandler {
    private final CachingConnection owner;
    private final String sql;
    private final PreparedStatement raw;
    private boolean inUse = true;

    CachedStatement(CachingConnection owner, String sql, PreparedStatement raw) {
      this.owner = owner;
      this.sql = sql;
      this.raw = raw;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      switch (method.getName()) {
        case "close" -> {
          if (inUse) {
            inUse = false;
            owner.giveBack(sql, raw);
          }
          return null;
        }
        case "isClosed" -> {
          return !inUse || raw.isClosed();
        }
        case "equals" -> {
          return proxy == args[0];
        }
        case "hashCode" -> {
          return System.identityHashCode(proxy);
        }
        default -> {
          if (!inUse) {
            throw new SQLException("statement is closed");
          }
          return forward(raw, method, args);
        }
      }
    }
  }

  @Override
  public PrintWriter getLogWriter() throws SQLException {
    return target.getLogWriter();
  }

  @Override
  public void setLogWriter(PrintWriter out) throws SQLException {
    target.setLogWriter(out);
  }

  @Override
  public void setLoginTimeout(int seconds) throws SQLException {
    target.setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() throws SQLException {
    return target.getLoginTimeout();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return target.getParentLogger();
  }

  @Override
  public <T> T unwrap(Class<T> type) throws SQLException {
    return type.isInstance(this) ? type.cast(this) : target.unwrap(type);
  }

  @Override
  public boolean isWrapperFor(Class<?> type) throws SQLException {
    return type.isInstance(this) || target.isWrapperFor(type);
  }
}
