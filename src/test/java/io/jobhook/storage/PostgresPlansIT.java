package io.jobhook.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobhook.support.TestPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.Assumptions;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * How PostgreSQL plans the statements that find their rows by key, in tables it has no statistics
 * of (a new database, until autovacuum first analyzes them). There the planner prefers a partial
 * index whose predicate the statement's state check implies (the jobs waiting or running, the
 * callbacks pending), and would read all of those rows to find one; the state checks are written so
 * that it cannot (Sql#filterOnly). Where statistics are stale, a statement's estimated cost can
 * also pass the point where PostgreSQL JIT-compiles it; jobhook's sessions never do.
 */
@EnabledIfEnvironmentVariable(named = "JOBHOOK_TEST_PG_URL", matches = "jdbc:postgresql:.*")
class PostgresPlansIT {
  private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void statements_that_find_their_rows_by_key_read_no_partial_index_of_unanalyzed_tables()
      throws Exception {
    TestPostgres pg = TestPostgres.empty();
    try (Database db = Database.open(pg.url(), pg.user(), pg.password());
        Connection c = DriverManager.getConnection(pg.url(), pg.user(), pg.password());
        Statement s = c.createStatement()) {
      SoftAssertions soft = new SoftAssertions();
      // rows the planner has no statistics of (200 jobs, a tenth of them waiting or running; 2,000
      // callbacks, a tenth pending), in tables autovacuum is kept from analyzing during the test
      s.execute("ALTER TABLE jobs SET (autovacuum_enabled = false)");
      s.execute("ALTER TABLE callbacks SET (autovacuum_enabled = false)");
      s.execute(
          """
          INSERT INTO jobs (id, bucket, region, queue_id, tag, state, progress, code, message,
            input_object, output_bucket, output_region, output_object, template_id, user_data,
            job_level, settings, callback_disabled, created_at, attempts, lease_owner, lease_until,
            version)
          SELECT 'j' || i, 'bucket-1250000000', 'ap-chengdu', 'p1', 'NoiseReduction',
            CASE i % 20 WHEN 0 THEN 'Submitted' WHEN 1 THEN 'Running' ELSE 'Success' END, 0, '', '',
            'in/' || i, 'bucket-1250000000', 'ap-chengdu', 'out/' || i, '', '', 0, '{}', 0, i, 1,
            'node-a', i, 1
          FROM generate_series(1, 200) i""");
      s.execute(
          """
          INSERT INTO callbacks (id, job_id, bucket, queue_id, event_name, url, destination,
            content_type, state, attempts, round_start, next_attempt_at, created_at)
          SELECT 'cb' || i, 'j' || i, 'bucket-1250000000', 'p1', 'TaskFinish',
            'http://receiver.example.com/cb', 'http://receiver.example.com:80', 'application/xml',
            CASE WHEN i % 10 = 0 THEN 'Pending' ELSE 'Delivered' END, 1, 0, i, i
          FROM generate_series(1, 2000) i""");
      soft.assertThat(
              plan(c, JdbcJobStore.FINISH, "Success", 100, "Success", "", T, "j1", "node-a"))
          .doesNotContain("jobs_running");
      soft.assertThat(plan(c, JdbcJobStore.CANCEL, "Cancel", "", T, "j1"))
          .doesNotContain("jobs_waiting");
      soft.assertThat(plan(c, JdbcJobStore.RETRY_LATER, T, "j1", "node-a"))
          .doesNotContain("jobs_running");
      soft.assertThat(plan(c, JdbcJobStore.PROGRESS, 50, "j1", "node-a"))
          .doesNotContain("jobs_running");
      soft.assertThat(plan(c, JdbcJobStore.claimedJobs(2), "node-a", "j1", "j2"))
          .doesNotContain("jobs_running");

      // the leased insert's check for an earlier pending callback of the job
      soft.assertThat(
              plan(
                  c,
                  JdbcCallbackOutbox.INSERT_LEASED_CALLBACK,
                  "cb1",
                  "j1",
                  "bucket-1250000000",
                  "p1",
                  "TaskFinish",
                  "http://receiver.example.com/cb",
                  "http://receiver.example.com:80",
                  "application/xml",
                  T,
                  "node-a",
                  T,
                  T,
                  T,
                  "j1"))
          .contains("callbacks_by_job")
          .doesNotContain("callbacks_due");
      // the claim's look-up of each due callback's job's first pending one
      soft.assertThat(
              plan(c, JdbcCallbackOutbox.dueCallbacks(1), T, "http://blocked.example:80", 64))
          .contains("SubPlan")
          .contains("callbacks_by_job")
          .doesNotContainPattern("(Seq Scan|callbacks_due) on callbacks e");
      soft.assertThat(plan(c, JdbcCallbackOutbox.RELEASE_ONE, T, 1L))
          .contains("callbacks_pkey")
          .doesNotContain("callbacks_due");
      soft.assertAll();
    }
  }

  @Test
  void a_claim_over_a_backlog_that_grew_since_the_last_analyze_is_not_jit_compiled()
      throws Exception {
    TestPostgres pg = TestPostgres.empty();
    try (Database db = Database.open(pg.url(), pg.user(), pg.password());
        Connection c = DriverManager.getConnection(pg.url(), pg.user(), pg.password());
        Statement s = c.createStatement()) {
      s.execute("ALTER TABLE callbacks SET (autovacuum_enabled = false)");
      String callbacks =
          """
          INSERT INTO callbacks (id, job_id, bucket, queue_id, event_name, url, destination,
            content_type, state, attempts, round_start, next_attempt_at, created_at)
          SELECT 'cb' || i, 'j' || i, 'bucket-1250000000', 'p1', 'TaskFinish',
            'http://receiver.example.com/cb', 'http://receiver.example.com:80', 'application/xml',
            'Pending', 0, 0, i, i
          FROM generate_series(%d, %d) i""";
      // analyzed while small, as autovacuum finds a table soon after start-up; then a backlog
      s.execute(callbacks.formatted(1, 100));
      s.execute("ANALYZE callbacks");
      s.execute(callbacks.formatted(101, 100_000));
      s.execute("INSERT INTO callback_bodies (callback_seq, body) SELECT seq, 'x' FROM callbacks");
      String claim = db.dialect().claim(JdbcCallbackOutbox.dueCallbacks(0), "j");
      Object[] args = {T.plusSeconds(1000), 512};

      Assumptions.assumeThat(plan(c, claim, args))
          .as("a server with JIT compiles this claim by default")
          .contains("JIT");
      String planInJobhooksSession = db.read(jobhook -> plan(jobhook, claim, args));
      assertThat(planInJobhooksSession).doesNotContain("JIT");
    }
  }

  @Test
  void a_listing_reads_its_page_from_the_key_order_index_without_sorting_the_bucket()
      throws Exception {
    TestPostgres pg = TestPostgres.empty();
    try (Database db = Database.open(pg.url(), pg.user(), pg.password());
        Connection c = DriverManager.getConnection(pg.url(), pg.user(), pg.password());
        Statement s = c.createStatement()) {
      s.execute(
          """
          INSERT INTO objects (bucket, object_key, blob, size, md5, content_type, user_meta,
            last_modified)
          SELECT 'bucket-1250000000', 'in/' || i, '', 1, 'x', 'audio/wav', '{}', 0
          FROM generate_series(1, 50000) i""");
      s.execute("ANALYZE objects");
      String page =
          plan(
              c,
              JdbcObjectIndex.listing(db.dialect(), false, true),
              "bucket-1250000000",
              "in/2",
              "in0",
              1001);
      assertThat(page).contains("objects_in_key_order").doesNotContain("Sort");
    }
  }

  @Test
  void retention_reads_the_oldest_callbacks_jobs_and_runs_from_their_indexes() throws Exception {
    TestPostgres pg = TestPostgres.empty();
    try (Database db = Database.open(pg.url(), pg.user(), pg.password());
        Connection c = DriverManager.getConnection(pg.url(), pg.user(), pg.password());
        Statement s = c.createStatement()) {
      // 50,000 ended jobs (one in ten of a run) and 5,000 ended runs; every job with a callback,
      // where a hashed anti-join with the callbacks table is the planner's cheapest plan
      s.execute(
          """
          INSERT INTO jobs (id, bucket, region, queue_id, tag, state, progress, code, message,
            input_object, output_bucket, output_region, output_object, template_id, user_data,
            job_level, settings, callback_disabled, created_at, ended_at, attempts, version,
            workflow_run_id)
          SELECT 'j' || i, 'bucket-1250000000', 'ap-chengdu', 'p1', 'NoiseReduction', 'Success',
            100, '', '', 'in/' || i, 'bucket-1250000000', 'ap-chengdu', 'out/' || i, '', '', 0,
            '{}', 0, i, i, 1, 1, CASE WHEN i % 10 = 0 THEN 'r' || (i / 10) END
          FROM generate_series(1, 50000) i""");
      s.execute(
          """
          INSERT INTO workflow_runs (id, bucket, region, workflow_id, workflow_name, name,
            object_key, cos_headers, topology, state, created_at, ended_at, version)
          SELECT 'r' || i, 'bucket-1250000000', 'ap-chengdu', 'w1', 'wf', '', 'in/' || i, '[]',
            '{}', 'Success', i * 10, i * 10, 1
          FROM generate_series(1, 5000) i""");
      s.execute(
          """
          INSERT INTO callbacks (id, job_id, bucket, queue_id, event_name, url, destination,
            content_type, state, attempts, round_start, next_attempt_at, created_at)
          SELECT 'cb' || i, 'j' || i, 'bucket-1250000000', 'p1', 'TaskFinish',
            'http://receiver.example.com/cb', 'http://receiver.example.com:80', 'application/xml',
            'Delivered', 1, 0, i, i
          FROM generate_series(1, 50000) i""");
      s.execute("ANALYZE jobs");
      s.execute("ANALYZE workflow_runs");
      s.execute("ANALYZE callbacks");

      SoftAssertions soft = new SoftAssertions();
      soft.assertThat(plan(c, JdbcJobStore.PRUNE_ENDED, 1_000L, 500))
          .contains("jobs_by_end")
          .contains("callbacks_by_job")
          .doesNotContain("Seq Scan")
          .doesNotContain("Sort");
      soft.assertThat(plan(c, JdbcCallbackLog.PRUNABLE, 1_000L, 1_000L, 0L, 500))
          .contains("callbacks_by_age")
          .doesNotContain("Seq Scan")
          .doesNotContain("Sort");
      soft.assertThat(plan(c, JdbcWorkflowStore.PRUNABLE_RUNS, 1_000L, 500))
          .contains("workflow_runs_by_end")
          .contains("jobs_by_run")
          .doesNotContain("Seq Scan")
          .doesNotContain("Sort");
      soft.assertAll();
    }
  }

  private static String plan(Connection c, String sql, Object... args) throws SQLException {
    List<String> lines = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("EXPLAIN " + sql)) {
      Sql.bind(ps, args);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          lines.add(rs.getString(1));
        }
      }
    }
    return String.join("\n", lines);
  }
}
