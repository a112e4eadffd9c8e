package io.jobhook.storage;

import io.jobhook.object.BucketStore;
import java.time.Instant;
import java.util.List;

/** {@link BucketStore} on JDBC: the {@code buckets} table. */
public final class JdbcBucketStore implements BucketStore {
  private final Database db;

  public JdbcBucketStore(Database db) {
    this.db = db;
  }

  @Override
  public void used(String bucket, String region, Instant at) {
    db.inTransaction(
        c ->
            Sql.update(
                c,
                """
          INSERT INTO buckets (bucket, region, created_at) VALUES (?, ?, ?)
          ON CONFLICT (bucket) DO UPDATE SET region = excluded.region
          WHERE buckets.region = '' AND excluded.region <> ''""",
                bucket,
                region,
                at));
  }

  @Override
  public List<Bucket> list(String region) {
    return db.read(
        c ->
            Sql.list(
                c,
                "SELECT bucket, region, created_at FROM buckets"
                    + (region == null ? "" : " WHERE region = ?")
                    + " ORDER BY "
                    + db.dialect().inKeyOrder("bucket"),
                rs -> new Bucket(rs.getString(1), rs.getString(2), Sql.instant(rs, "created_at")),
                region == null ? new Object[0] : new Object[] {region}));
  }

  @Override
  public boolean forget(String bucket) {
    return db.inTransaction(c -> Sql.update(c, "DELETE FROM buckets WHERE bucket = ?", bucket)) > 0;
  }
}
