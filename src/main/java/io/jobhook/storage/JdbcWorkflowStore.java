package io.jobhook.storage;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobhook.engine.Transaction;
import io.jobhook.object.CosHeader;
import io.jobhook.workflow.RunState;
import io.jobhook.workflow.Topology;
import io.jobhook.workflow.Workflow;
import io.jobhook.workflow.WorkflowEvent;
import io.jobhook.workflow.WorkflowRun;
import io.jobhook.workflow.WorkflowState;
import io.jobhook.workflow.WorkflowStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link WorkflowStore} on JDBC: workflows, their runs and their events. */
public final class JdbcWorkflowStore implements WorkflowStore {
  private static final ObjectMapper JSON = JsonColumns.MAPPER;
  private static final TypeReference<List<CosHeader>> HEADERS = new TypeReference<>() {};

  private final Database db;

  public JdbcWorkflowStore(Database db) {
    this.db = db;
  }

  @Override
  public boolean hasActive(Transaction tx, String bucket) {
    return JdbcTransactions.within(
        tx,
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT 1 FROM workflows WHERE bucket = ? AND state = 'Active' LIMIT 1")) {
            Sql.bind(ps, bucket);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next();
            }
          }
        });
  }

  @Override
  public void recordEvent(
      Transaction tx,
      WorkflowEvent.Kind kind,
      String bucket,
      String subject,
      List<CosHeader> headers,
      Instant at) {
    JdbcTransactions.within(
        tx,
        c ->
            Sql.update(
                c,
                """
          INSERT INTO workflow_events (kind, bucket, subject, headers, created_at, attempts)
          VALUES (?, ?, ?, ?, ?, 0)""",
                kind,
                bucket,
                subject,
                JsonColumns.writeValue(headers),
                at));
  }

  @Override
  public void insert(Workflow w) {
    db.inTransaction(
        c ->
            Sql.update(
                c,
                """
          INSERT INTO workflows (id, bucket, region, name, state, topology, created_at, updated_at)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
                w.id(),
                w.bucket(),
                w.region(),
                w.name(),
                w.state(),
                writeTopology(w.topology()),
                w.createTime(),
                w.updateTime()));
  }

  @Override
  public boolean update(Workflow w) {
    return db.inTransaction(
        c ->
            Sql.atMostOne(
                Sql.update(
                    c,
                    """
          UPDATE workflows SET name = ?, state = ?, topology = ?, updated_at = ? WHERE id = ? AND bucket = ?""",
                    w.name(),
                    w.state(),
                    writeTopology(w.topology()),
                    w.updateTime(),
                    w.id(),
                    w.bucket()),
                "workflow update"));
  }

  @Override
  public boolean delete(String bucket, String workflowId) {
    return db.inTransaction(
        c ->
            Sql.atMostOne(
                Sql.update(
                    c, "DELETE FROM workflows WHERE id = ? AND bucket = ?", workflowId, bucket),
                "workflow delete"));
  }

  @Override
  public Optional<Workflow> find(String bucket, String workflowId) {
    List<Workflow> found =
        workflows("SELECT * FROM workflows WHERE bucket = ? AND id = ?", bucket, workflowId);
    return found.stream().findFirst();
  }

  @Override
  public List<Workflow> list(String bucket) {
    return workflows("SELECT * FROM workflows WHERE bucket = ? ORDER BY created_at, id", bucket);
  }

  @Override
  public List<Workflow> active(String bucket) {
    return workflows(
        "SELECT * FROM workflows WHERE bucket = ? AND state = 'Active' ORDER BY created_at, id",
        bucket);
  }

  private List<Workflow> workflows(String sql, Object... args) {
    return db.read(
        c ->
            Sql.list(
                c,
                sql,
                rs ->
                    new Workflow(
                        rs.getString("id"),
                        rs.getString("bucket"),
                        rs.getString("region"),
                        rs.getString("name"),
                        WorkflowState.valueOf(rs.getString("state")),
                        readTopology(rs.getString("topology")),
                        Sql.instant(rs, "created_at"),
                        Sql.instant(rs, "updated_at")),
                args));
  }

  @Override
  public Optional<WorkflowRun> findRun(String bucket, String runId) {
    return db.read(
        c ->
            Sql.first(
                c,
                "SELECT * FROM workflow_runs WHERE bucket = ? AND id = ?",
                JdbcWorkflowStore::mapRun,
                bucket,
                runId));
  }

  @Override
  public RunPage listRuns(String bucket, RunQuery q) {
    Filters f =
        new Filters("SELECT * FROM workflow_runs WHERE bucket = ?", bucket)
            .and("workflow_id = ?", q.workflowId())
            .and("name = ?", q.name())
            .in("state", q.states() == null ? null : q.states().stream().map(Enum::name).toList())
            .and("created_at >= ?", q.createdFrom())
            .and("created_at <= ?", q.createdTo())
            .pagedBySeq(q.ascending(), q.afterSeq(), q.size());
    Sql.Page<WorkflowRun> page = db.read(c -> Sql.page(c, f, q.size(), JdbcWorkflowStore::mapRun));
    return new RunPage(page.items(), page.nextSeq());
  }

  @Override
  public List<WorkflowEvent> pendingEvents(int limit, int maxAttempts) {
    return db.read(
        c ->
            Sql.list(
                c,
                "SELECT * FROM workflow_events WHERE attempts < ? ORDER BY seq LIMIT ?",
                rs ->
                    new WorkflowEvent(
                        rs.getLong("seq"),
                        WorkflowEvent.Kind.valueOf(rs.getString("kind")),
                        rs.getString("bucket"),
                        rs.getString("subject"),
                        JsonColumns.readValue(rs.getString("headers"), HEADERS),
                        Sql.instant(rs, "created_at"),
                        rs.getInt("attempts")),
                maxAttempts,
                limit));
  }

  @Override
  public boolean consume(Transaction tx, WorkflowEvent event) {
    return JdbcTransactions.within(
        tx,
        c ->
            Sql.atMostOne(
                Sql.update(c, "DELETE FROM workflow_events WHERE seq = ?", event.seq()),
                "workflow event"));
  }

  @Override
  public void insertRun(Transaction tx, WorkflowRun r) {
    JdbcTransactions.within(
        tx,
        c ->
            Sql.update(
                c,
                """
          INSERT INTO workflow_runs (id, bucket, region, workflow_id, workflow_name, name, object_key, cos_headers,
            topology, state, created_at, ended_at, version)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                r.id(),
                r.bucket(),
                r.region(),
                r.workflowId(),
                r.workflowName(),
                r.name(),
                r.objectKey(),
                JsonColumns.writeValue(r.cosHeaders()),
                writeTopology(r.topology()),
                r.state(),
                r.createTime(),
                r.endTime(),
                r.version()));
  }

  @Override
  public boolean updateRun(Transaction tx, WorkflowRun run) {
    return JdbcTransactions.within(
        tx,
        c ->
            Sql.atMostOne(
                Sql.update(
                    c,
                    """
          UPDATE workflow_runs SET state = ?, ended_at = ?, version = version + 1
          WHERE id = ? AND version = ?""",
                    run.state(),
                    run.endTime(),
                    run.id(),
                    run.version()),
                "run advance"));
  }

  @Override
  public void failedAttempt(WorkflowEvent event) {
    db.inTransaction(
        c ->
            Sql.update(
                c,
                "UPDATE workflow_events SET attempts = attempts + 1 WHERE seq = ?",
                event.seq()));
  }

  @Override
  public EventBacklog eventBacklog(int maxAttempts) {
    return db.read(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT COUNT(*), COALESCE(SUM(CASE WHEN attempts >= ? THEN 1 ELSE 0 END), 0) FROM workflow_events")) {
            Sql.bind(ps, maxAttempts);
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              return new EventBacklog(rs.getLong(1), rs.getLong(2));
            }
          }
        });
  }

  /**
   * Up to a number of runs ended before a time, oldest first, through the index of ended runs:
   * those whose jobs have all ended, and with no callback of the run or its jobs in the log.
   * Counted per run, as {@link JdbcJobStore#PRUNE_ENDED} counts, so that no plan reads a whole
   * table.
   */
  static final String PRUNABLE_RUNS =
      """
      SELECT r.id FROM workflow_runs r
      WHERE r.ended_at IS NOT NULL AND r.ended_at < ?
        AND (SELECT COUNT(*) FROM callbacks c WHERE c.job_id = r.id) = 0
        AND (SELECT COUNT(*) FROM jobs j WHERE j.workflow_run_id = r.id
          AND (j.ended_at IS NULL OR EXISTS (SELECT 1 FROM callbacks c WHERE c.job_id = j.id))) = 0
      ORDER BY r.ended_at LIMIT ?""";

  @Override
  public int pruneRuns(Instant endedBefore, int limit) {
    return db.inTransaction(
        c -> {
          List<String> doomed =
              Sql.list(
                  c,
                  PRUNABLE_RUNS,
                  rs -> rs.getString(1),
                  endedBefore,
                  Math.min(limit, Sql.MAX_IN_LIST)); // its jobs are deleted by an IN list
          if (doomed.isEmpty()) {
            return 0;
          }
          List<Object> ids = Sql.inList(doomed);
          String marks = Sql.placeholders(ids.size());
          Sql.update(c, "DELETE FROM jobs WHERE workflow_run_id IN (" + marks + ")", ids.toArray());
          return Sql.update(
              c, "DELETE FROM workflow_runs WHERE id IN (" + marks + ")", ids.toArray());
        });
  }

  @Override
  public Map<String, Long> runsByState() {
    return db.read(
        c -> {
          try (PreparedStatement ps =
                  c.prepareStatement("SELECT state, COUNT(*) FROM workflow_runs GROUP BY state");
              ResultSet rs = ps.executeQuery()) {
            Map<String, Long> counts = new java.util.TreeMap<>();
            while (rs.next()) {
              counts.put(rs.getString(1), rs.getLong(2));
            }
            return counts;
          }
        });
  }

  private static WorkflowRun mapRun(ResultSet rs) throws SQLException {
    return new WorkflowRun(
        rs.getString("id"),
        rs.getString("bucket"),
        rs.getString("region"),
        rs.getString("workflow_id"),
        rs.getString("workflow_name"),
        rs.getString("name"),
        rs.getString("object_key"),
        JsonColumns.readValue(rs.getString("cos_headers"), HEADERS),
        readTopology(rs.getString("topology")),
        RunState.valueOf(rs.getString("state")),
        Sql.instant(rs, "created_at"),
        Sql.instant(rs, "ended_at"),
        rs.getInt("version"));
  }

  /** Topologies as JSON: each node's record fields plus a {@code kind}; dependencies as lists. */
  static String writeTopology(Topology t) {
    ObjectNode root = JSON.createObjectNode();
    root.set("dependencies", JSON.valueToTree(t.dependencies()));
    ObjectNode nodes = root.putObject("nodes");
    t.nodes()
        .forEach(
            (name, node) -> {
              ObjectNode n = JSON.valueToTree(node);
              n.put("kind", node.getClass().getSimpleName());
              nodes.set(name, n);
            });
    return root.toString();
  }

  static Topology readTopology(String json) {
    try {
      JsonNode root = JSON.readTree(json);
      Map<String, List<String>> deps =
          JSON.convertValue(root.get("dependencies"), new TypeReference<>() {});
      Map<String, Topology.Node> nodes = new LinkedHashMap<>();
      root.get("nodes")
          .fields()
          .forEachRemaining(
              e -> {
                ObjectNode n = ((ObjectNode) e.getValue()).deepCopy();
                String kind = n.remove("kind").asText();
                Class<? extends Topology.Node> type =
                    switch (kind) {
                      case "Start" -> Topology.Start.class;
                      case "End" -> Topology.End.class;
                      case "Task" -> Topology.Task.class;
                      default ->
                          throw new IllegalStateException("corrupt topology: node kind " + kind);
                    };
                nodes.put(e.getKey(), JSON.convertValue(n, type));
              });
      return new Topology(deps, nodes);
    } catch (IOException e) {
      throw new UncheckedIOException("corrupt topology column", e);
    }
  }
}
