package io.jobhook.storage;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** A statement with optional conditions: a condition is added only when its value is given. */
final class Filters {
  private final StringBuilder sql;
  private final List<Object> args = new ArrayList<>();

  Filters(String base, Object... baseArgs) {
    this.sql = new StringBuilder(base);
    args.addAll(List.of(baseArgs));
  }

  /** Appends {@code AND condition} (one {@code ?}) when {@code value} is not null. */
  Filters and(String condition, Object value) {
    if (value != null) {
      sql.append(" AND ").append(condition);
      args.add(value);
    }
    return this;
  }

  /** Appends {@code AND column IN (...)} when {@code values} is not null or empty. */
  Filters in(String column, Collection<?> values) {
    if (values != null && !values.isEmpty()) {
      sql.append(" AND ")
          .append(column)
          .append(" IN (")
          .append("?,".repeat(values.size() - 1))
          .append("?)");
      args.addAll(values);
    }
    return this;
  }

  /**
   * Keyset paging on the {@code seq} column: rows after {@code afterSeq} (if given) in the order
   * asked, one more than {@code size} so that {@link Sql#page} can tell whether more follow.
   */
  Filters pagedBySeq(boolean ascending, Long afterSeq, int size) {
    return and(ascending ? "seq > ?" : "seq < ?", afterSeq)
        .then(ascending ? " ORDER BY seq ASC LIMIT ?" : " ORDER BY seq DESC LIMIT ?", size + 1);
  }

  /** Appends the rest of the statement with its own arguments. */
  Filters then(String tail, Object... tailArgs) {
    sql.append(tail);
    args.addAll(List.of(tailArgs));
    return this;
  }

  String sql() {
    return sql.toString();
  }

  Object[] args() {
    return args.toArray();
  }
}
