package io.jobhook.support;

import java.sql.DriverManager;
import java.sql.Statement;

/**
 * The PostgreSQL server `.ci/run` starts (JOBHOOK_TEST_PG_URL, _USER, _PASSWORD), emptied for a
 * test. Tests that use it are enabled only when JOBHOOK_TEST_PG_URL is set.
 */
public record TestPostgres(String url, String user, String password) {

  /** The server from the environment, as it is. */
  public static TestPostgres fromEnvironment() {
    return new TestPostgres(
        System.getenv("JOBHOOK_TEST_PG_URL"),
        System.getenv("JOBHOOK_TEST_PG_USER"),
        System.getenv("JOBHOOK_TEST_PG_PASSWORD"));
  }

  /** The server from the environment, with an empty public schema. */
  public static TestPostgres empty() throws Exception {
    TestPostgres pg = fromEnvironment();
    try (var c = DriverManager.getConnection(pg.url, pg.user, pg.password);
        Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS public CASCADE");
      s.execute("CREATE SCHEMA public");
    }
    return pg;
  }
}
