package io.jobhook.storage;

import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The same contract on PostgreSQL. `.ci/run` starts a server and sets JOBHOOK_TEST_PG_URL; on a
 * machine without one these tests are skipped (and said so by JUnit).
 */
@EnabledIfEnvironmentVariable(named = "JOBHOOK_TEST_PG_URL", matches = "jdbc:postgresql:.*")
class PostgresJobStoreIT extends JobStoreContract {

  @Override
  Database openEmpty() throws Exception {
    String url = System.getenv("JOBHOOK_TEST_PG_URL");
    String user = System.getenv("JOBHOOK_TEST_PG_USER");
    String password = System.getenv("JOBHOOK_TEST_PG_PASSWORD");
    try (var c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS public CASCADE");
      s.execute("CREATE SCHEMA public");
    }
    return Database.open(url, user, password);
  }
}
