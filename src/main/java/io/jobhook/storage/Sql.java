package io.jobhook.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Small helpers for binding and reading the column types we use. */
final class Sql {
  private Sql() {}

  static void bind(PreparedStatement ps, Object... values) throws SQLException {
    for (int i = 0; i < values.length; i++) {
      Object v = values[i];
      switch (v) {
        case null -> ps.setNull(i + 1, Types.NULL);
        case Instant t -> ps.setLong(i + 1, t.toEpochMilli());
        case Boolean b -> ps.setInt(i + 1, b ? 1 : 0);
        case Enum<?> e -> ps.setString(i + 1, e.name());
        default -> ps.setObject(i + 1, v);
      }
    }
  }

  /**
   * The most values a statement of jobhook's names in one {@code IN (...)} list (padded, up to
   * 1,024), well within SQLite's limit of variables.
   */
  static final int MAX_IN_LIST = 1000;

  /**
   * The values of an {@code IN (...)} list, padded by repeating the last to a power of two: lists
   * of any length share a few statement texts, so prepared statements stay cached. Not empty.
   */
  static List<Object> inList(List<?> values) {
    int size = Integer.highestOneBit(Math.max(1, values.size() - 1)) << 1;
    List<Object> padded = new ArrayList<>(values);
    while (padded.size() < size) {
      padded.add(values.getLast());
    }
    return padded;
  }

  /**
   * {@code predicate} as a check of the rows found some other way, which no partial index's
   * predicate matches. On PostgreSQL, a query whose condition implies the predicate of a partial
   * index (the jobs waiting or running, the callbacks pending) may be planned through that index
   * when the table's statistics are few or stale, as in a new database until its first ANALYZE: a
   * statement that finds its row by key then reads every waiting, running or pending row.
   */
  static String filterOnly(String predicate) {
    return "CASE WHEN " + predicate + " THEN 1 ELSE 0 END = 1";
  }

  /** {@code ?, ?, ...} for {@code n} values. */
  static String placeholders(int n) {
    return String.join(", ", java.util.Collections.nCopies(n, "?"));
  }

  /** Arguments for a statement: {@code first}, then {@code rest}, nulls kept. */
  static Object[] concat(List<?> first, Object... rest) {
    List<Object> all = new ArrayList<>(first);
    all.addAll(java.util.Arrays.asList(rest));
    return all.toArray();
  }

  /** Maps the current row. */
  @FunctionalInterface
  interface RowMapper<T> {
    T map(ResultSet rs) throws SQLException;
  }

  /** A page of rows and the seq to continue after, when more follow. */
  record Page<T>(List<T> items, Long nextSeq) {}

  /** Runs a query built with {@link Filters#pagedBySeq} and cuts its page. */
  static <T> Page<T> page(Connection c, Filters f, int size, RowMapper<T> mapper)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(f.sql())) {
      bind(ps, f.args());
      List<T> items = new ArrayList<>();
      long lastSeq = 0;
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          if (items.size() == size) {
            return new Page<>(items, lastSeq); // the extra row: more follow
          }
          items.add(mapper.map(rs));
          lastSeq = rs.getLong("seq");
        }
      }
      return new Page<>(items, null);
    }
  }

  static Instant instant(ResultSet rs, String column) throws SQLException {
    long millis = rs.getLong(column);
    return rs.wasNull() ? null : Instant.ofEpochMilli(millis);
  }

  /** Runs a query with its arguments; every row it returns, mapped, in its order. */
  static <T> List<T> list(Connection c, String sql, RowMapper<T> mapper, Object... args)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, args);
      List<T> rows = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.add(mapper.map(rs));
        }
      }
      return rows;
    }
  }

  /** Runs a query with its arguments; its first row, mapped, if it returns any. */
  static <T> Optional<T> first(Connection c, String sql, RowMapper<T> mapper, Object... args)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, args);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(mapper.map(rs)) : Optional.empty();
      }
    }
  }

  /** Runs one statement that changes rows, with its arguments; returns how many it changed. */
  static int update(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, args);
      return ps.executeUpdate();
    }
  }

  /** A conditional update must touch 0 rows (someone else has it) or 1; more is a bug. */
  static boolean atMostOne(int updated, String what) {
    if (updated > 1) {
      throw new IllegalStateException(what + " changed " + updated + " rows; expected at most 1");
    }
    return updated == 1;
  }
}
