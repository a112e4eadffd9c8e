package io.jobhook.storage;

import com.fasterxml.jackson.core.type.TypeReference;
import io.jobhook.object.CorsRule;
import io.jobhook.object.CorsStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** {@link CorsStore} on JDBC: the {@code bucket_cors} table. */
public final class JdbcCorsStore implements CorsStore {
  private static final TypeReference<List<CorsRule>> RULES = new TypeReference<>() {};

  private final Database db;

  public JdbcCorsStore(Database db) {
    this.db = db;
  }

  @Override
  public Optional<List<CorsRule>> find(String bucket) {
    return db.read(
        c ->
            Sql.first(
                c,
                "SELECT rules FROM bucket_cors WHERE bucket = ?",
                rs -> JsonColumns.readValue(rs.getString(1), RULES),
                bucket));
  }

  @Override
  public void put(String bucket, List<CorsRule> rules, Instant at) {
    if (rules.isEmpty()) {
      throw new IllegalArgumentException("a CORS configuration holds at least one rule");
    }
    db.inTransaction(
        c ->
            Sql.update(
                c,
                """
          INSERT INTO bucket_cors (bucket, rules, updated_at) VALUES (?, ?, ?)
          ON CONFLICT (bucket) DO UPDATE SET rules = excluded.rules, updated_at = excluded.updated_at""",
                bucket,
                JsonColumns.writeValue(rules),
                at));
  }

  @Override
  public boolean delete(String bucket) {
    return db.inTransaction(c -> Sql.update(c, "DELETE FROM bucket_cors WHERE bucket = ?", bucket))
        > 0;
  }
}
