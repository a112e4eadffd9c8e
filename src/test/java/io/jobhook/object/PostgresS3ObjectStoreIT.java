package io.jobhook.object;

import io.jobhook.storage.Database;
import io.jobhook.support.TestPostgres;
import java.nio.file.Path;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** The object store contract as a cluster runs it: the index on PostgreSQL, blobs in S3. */
@EnabledIfEnvironmentVariable(named = "JOBHOOK_TEST_PG_URL", matches = "jdbc:postgresql:.*")
class PostgresS3ObjectStoreIT extends S3ObjectStoreIT {

  @Override
  Database openDatabase(Path dir) throws Exception {
    TestPostgres pg = TestPostgres.empty();
    return Database.open(pg.url(), pg.user(), pg.password());
  }
}
