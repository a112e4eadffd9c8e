package io.jobhook.storage;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;

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

  static Instant instant(ResultSet rs, String column) throws SQLException {
    long millis = rs.getLong(column);
    return rs.wasNull() ? null : Instant.ofEpochMilli(millis);
  }

  /** A conditional update must touch 0 rows (someone else has it) or 1; more is a bug. */
  static boolean atMostOne(int updated, String what) {
    if (updated > 1) {
      throw new IllegalStateException(what + " changed " + updated + " rows; expected at most 1");
    }
    return updated == 1;
  }
}
