package io.jobhook.storage;

import io.jobhook.support.TestPostgres;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The same contract on PostgreSQL. `.ci/run` starts a server and sets JOBHOOK_TEST_PG_URL; on a
 * machine without one these tests are skipped (and said so by JUnit).
 */
@EnabledIfEnvironmentVariable(named = "JOBHOOK_TEST_PG_URL", matches = "jdbc:postgresql:.*")
class PostgresJobStoreIT extends JobStoreContract {

  @Override
  Database openEmpty() throws Exception {
    TestPostgres pg = TestPostgres.empty();
    return Database.open(pg.url(), pg.user(), pg.password());
  }
}
