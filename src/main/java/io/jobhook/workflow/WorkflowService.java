package io.jobhook.workflow;

import io.jobhook.engine.Ids;
import io.jobhook.job.Job;
import io.jobhook.job.JobOperation;
import io.jobhook.job.JobService;
import io.jobhook.job.JobsException;
import io.jobhook.job.ObjectRef;
import io.jobhook.job.QueueService;
import io.jobhook.object.CosHeader;
import io.jobhook.object.ObjectInfo;
import io.jobhook.object.ObjectStore;
import io.jobhook.template.TemplateReferences;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Workflow definitions (create, update, activate, pause, delete), manual runs, and run lookups.
 * Thread-safe.
 */
public final class WorkflowService implements TemplateReferences {
  private final WorkflowStore store;
  private final WorkflowEngine engine;
  private final JobService jobs;
  private final QueueService queues;
  private final ObjectStore objects;
  private final InstantSource clock;

  public WorkflowService(
      WorkflowStore store,
      WorkflowEngine engine,
      JobService jobs,
      QueueService queues,
      ObjectStore objects,
      InstantSource clock) {
    this.store = store;
    this.engine = engine;
    this.jobs = jobs;
    this.queues = queues;
    this.objects = objects;
    this.clock = clock;
  }

  /** What a client sends to create or replace a workflow; a null state means Active. */
  public record Definition(String name, WorkflowState state, Topology topology) {}

  /** The node types that run jobs, for {@link Topology#of}. */
  public Set<String> jobTypes() {
    return jobs.tags();
  }

  public Workflow create(String bucket, String region, Definition definition) {
    Instant now = clock.instant();
    Workflow workflow =
        new Workflow(
            "w" + Ids.hex32(),
            bucket,
            region,
            checkName(definition.name()),
            definition.state() == null ? WorkflowState.Active : definition.state(),
            resolve(bucket, definition.topology()),
            now,
            now);
    store.insert(workflow);
    return workflow;
  }

  public Workflow update(String bucket, String workflowId, Definition definition) {
    Workflow old = get(bucket, workflowId);
    Workflow updated =
        new Workflow(
            old.id(),
            bucket,
            old.region(),
            checkName(definition.name()),
            definition.state() == null ? old.state() : definition.state(),
            resolve(bucket, definition.topology()),
            old.createTime(),
            clock.instant());
    if (!store.update(updated)) {
      throw new WorkflowsException.NoSuchWorkflow(workflowId);
    }
    return updated;
  }

  public Workflow setState(String bucket, String workflowId, WorkflowState state) {
    Workflow old = get(bucket, workflowId);
    if (state == WorkflowState.Active) {
      resolve(bucket, old.topology()); // what it names may have gone while it was paused
    }
    Workflow updated =
        new Workflow(
            old.id(),
            bucket,
            old.region(),
            old.name(),
            state,
            old.topology(),
            old.createTime(),
            clock.instant());
    if (!store.update(updated)) {
      throw new WorkflowsException.NoSuchWorkflow(workflowId);
    }
    return updated;
  }

  public void delete(String bucket, String workflowId) {
    if (!store.delete(bucket, workflowId)) {
      throw new WorkflowsException.NoSuchWorkflow(workflowId);
    }
  }

  /**
   * The workflows of the bucket that will start jobs naming {@code templateId}: the Active ones
   * with a node that names it, and those with a run in flight whose topology names it.
   */
  @Override
  public List<String> activeUsers(String bucket, String templateId) {
    Set<String> users = new java.util.LinkedHashSet<>();
    store.list(bucket).stream()
        .filter(w -> w.state() == WorkflowState.Active && names(w.topology(), templateId))
        .forEach(w -> users.add(w.id()));
    Long after = null;
    do {
      WorkflowStore.RunPage page =
          store.listRuns(
              bucket,
              new WorkflowStore.RunQuery(
                  null, null, Set.of(RunState.Running), null, null, true, after, 100));
      page.runs().stream()
          .filter(run -> names(run.topology(), templateId))
          .forEach(run -> users.add(run.workflowId()));
      after = page.nextSeq();
    } while (after != null);
    return List.copyOf(users);
  }

  private static boolean names(Topology topology, String templateId) {
    return topology.nodes().values().stream()
        .anyMatch(n -> n instanceof Topology.Task t && t.templateId().equals(templateId));
  }

  public Workflow get(String bucket, String workflowId) {
    return store
        .find(bucket, workflowId)
        .orElseThrow(() -> new WorkflowsException.NoSuchWorkflow(workflowId));
  }

  public List<Workflow> list(String bucket) {
    return store.list(bucket);
  }

  /**
   * Starts a run of an Active workflow on an existing object, as an upload would (its CosHeaders
   * are the object's Content-Type and x-cos-meta-* headers); returns the run id.
   */
  public String trigger(String bucket, String workflowId, String objectKey, String runName) {
    Workflow workflow = get(bucket, workflowId);
    if (workflow.state() != WorkflowState.Active) {
      throw new WorkflowsException.NotActive(workflowId);
    }
    ObjectInfo object =
        objects
            .head(bucket, objectKey)
            .orElseThrow(() -> new WorkflowsException.NoSuchObject(bucket, objectKey));
    List<CosHeader> headers = new ArrayList<>();
    headers.add(new CosHeader("Content-Type", object.contentType()));
    object.cosMeta().forEach((k, v) -> headers.add(new CosHeader(k, v)));
    WorkflowEngine.RunStart start =
        engine.plan(workflow, objectKey, headers, runName == null ? "" : runName);
    engine.start(null, List.of(start));
    return start.run().id();
  }

  /** A run and the jobs it started so far. */
  public record RunView(WorkflowRun run, List<Job> jobs) {}

  public RunView run(String bucket, String runId) {
    WorkflowRun run =
        store.findRun(bucket, runId).orElseThrow(() -> new WorkflowsException.NoSuchRun(runId));
    return new RunView(run, jobs.describeRun(bucket, runId));
  }

  public WorkflowStore.RunPage runs(String bucket, WorkflowStore.RunQuery query) {
    return store.listRuns(bucket, query);
  }

  /** Workflow events waiting, and those left aside after failing again and again (for /metrics). */
  public WorkflowStore.EventBacklog eventBacklog() {
    return engine.eventBacklog();
  }

  /** How many runs are in each state, over all buckets (for /metrics). */
  public Map<String, Long> runsByState() {
    return store.runsByState();
  }

  private static String checkName(String name) {
    if (name == null || name.isBlank()) {
      throw new WorkflowsException.InvalidWorkflow("Name is required");
    }
    if (name.length() > 128) {
      throw new WorkflowsException.InvalidWorkflow("Name must be at most 128 characters");
    }
    return name;
  }

  /**
   * Checks what the topology refers to: the Start queue (the bucket's default queue when none is
   * named), and each job node's operation, which its processor must accept.
   */
  private Topology resolve(String bucket, Topology topology) {
    Map<String, Topology.Node> nodes = new LinkedHashMap<>();
    topology
        .nodes()
        .forEach(
            (name, node) -> {
              switch (node) {
                case Topology.Start start -> {
                  String queueId;
                  try {
                    queueId =
                        start.queueId() == null || start.queueId().isEmpty()
                            ? queues.defaultQueueId(bucket)
                            : queues.get(bucket, start.queueId()).id();
                  } catch (JobsException.NoSuchQueue e) {
                    throw new WorkflowsException.InvalidWorkflow(
                        "node "
                            + name
                            + ": Input/QueueId "
                            + start.queueId()
                            + " is not a queue of bucket "
                            + bucket);
                  }
                  nodes.put(
                      name,
                      new Topology.Start(
                          queueId, start.objectPrefix(), start.extFilter(), start.notifyConfig()));
                }
                case Topology.Task task -> {
                  if (!task.outputBucket().equals(bucket)) {
                    throw new WorkflowsException.InvalidWorkflow(
                        "node " + name + ": Output/Bucket must be the workflow's bucket " + bucket);
                  }
                  OutputName.check(name, task.outputObject());
                  try {
                    jobs.resolve(
                        bucket,
                        task.tag(),
                        new JobOperation(
                            new ObjectRef(bucket, task.outputRegion(), task.outputObject()),
                            task.templateId(),
                            "",
                            0,
                            task.settings()));
                  } catch (JobsException.InvalidJob e) {
                    throw new WorkflowsException.InvalidWorkflow(
                        "node " + name + ": " + e.getMessage());
                  }
                  nodes.put(name, task);
                }
                case Topology.End end -> nodes.put(name, end);
              }
            });
    return new Topology(topology.dependencies(), nodes);
  }
}
