package io.jobhook.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

class StatementCachingDataSourceTest {
  private static final String INSERT = "INSERT INTO t (x) VALUES (?)";

  @TempDir Path dir;
  StatementCachingDataSource dataSource;

  @BeforeEach
  void open() throws SQLException {
    SQLiteDataSource file = new SQLiteDataSource();
    file.setUrl("jdbc:sqlite:" + dir.resolve("t.db"));
    dataSource = new StatementCachingDataSource(file);
    try (Connection c = dataSource.getConnection();
        var st = c.createStatement()) {
      st.execute("CREATE TABLE t (x INTEGER)");
    }
  }

  @Test
  void a_closed_statement_is_handed_out_again_with_its_parameters_cleared() throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      PreparedStatement first;
      try (PreparedStatement ps = c.prepareStatement(INSERT)) {
        ps.setInt(1, 7);
        ps.executeUpdate();
        first = ps.unwrap(PreparedStatement.class);
      }
      try (PreparedStatement ps = c.prepareStatement(INSERT)) {
        assertThat(ps.unwrap(PreparedStatement.class))
            .as("the same compiled statement")
            .isSameAs(first);
        ps.executeUpdate(); // no parameter set: NULL, not the 7 of the last use
      }
      assertThat(values(c)).containsExactly(7, null);
    }
  }

  @Test
  void a_statement_in_use_is_not_shared_and_a_closed_one_cannot_be_used() throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement a = c.prepareStatement(INSERT);
        PreparedStatement b = c.prepareStatement(INSERT)) {
      assertThat(a.unwrap(PreparedStatement.class)).isNotSameAs(b.unwrap(PreparedStatement.class));
      a.close();
      assertThat(a.isClosed()).isTrue();
      assertThatThrownBy(() -> a.setInt(1, 1)).isInstanceOf(SQLException.class);
      b.setInt(1, 1);
      assertThat(b.executeUpdate()).isEqualTo(1);
    }
  }

  @Test
  void closing_the_connection_closes_the_statements_it_kept() throws SQLException {
    PreparedStatement kept;
    try (Connection c = dataSource.getConnection()) {
      try (PreparedStatement ps = c.prepareStatement(INSERT)) {
        kept = ps.unwrap(PreparedStatement.class);
      }
      assertThat(kept.isClosed()).isFalse();
    }
    assertThat(kept.isClosed()).isTrue();
  }

  private static java.util.List<Integer> values(Connection c) throws SQLException {
    var out = new java.util.ArrayList<Integer>();
    try (PreparedStatement ps = c.prepareStatement("SELECT x FROM t ORDER BY rowid");
        var rs = ps.executeQuery()) {
      while (rs.next()) {
        int x = rs.getInt(1);
        out.add(rs.wasNull() ? null : x);
      }
    }
    return out;
  }
}
