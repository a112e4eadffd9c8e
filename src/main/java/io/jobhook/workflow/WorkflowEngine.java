package io.jobhook.workflow;

import io.jobhook.callback.CallbackEvent;
import io.jobhook.callback.NotifyConfig;
import io.jobhook.callback.PendingCallback;
import io.jobhook.callback.PendingCallbacks;
import io.jobhook.job.Queue;
import io.jobhook.engine.Wakeup;
import io.jobhook.callback.CallbackRequest;
import io.jobhook.job.Job;
import io.jobhook.job.JobOperation;
import io.jobhook.job.JobService;
import io.jobhook.job.JobState;
import io.jobhook.job.JobsException;
import io.jobhook.job.NewJob;
import io.jobhook.job.ObjectRef;
import io.jobhook.job.QueueService;
import io.jobhook.job.WorkflowOrigin;
import io.jobhook.object.CosHeader;
import io.jobhook.engine.Ids;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves workflows on from their events: an upload starts a run of every Active workflow whose Start
 * node accepts the key; a job's end starts the nodes whose dependencies have all succeeded, or ends
 * the run (Success when every job node succeeded, Failed as soon as one fails) and queues its
 * WorkflowFinish callback. Each event is handled in one transaction with its effects, so a crash
 * repeats nothing and loses nothing. Thread-safe; {@link #runOnce()} is the loop body.
 */
public final class WorkflowEngine {
  private static final Logger log = LoggerFactory.getLogger(WorkflowEngine.class);
  private static final int BATCH = 64;
  /** An event that failed this often (a bug, not a transient fault) is left aside and logged. */
  static final int MAX_ATTEMPTS = 10;

  private final WorkflowStore store;
  private final JobService jobs;
  private final QueueService queues;
  private final WorkflowFinishBodies finishBodies;
  private final PendingCallbacks pendingCallbacks;
  private final InstantSource clock;
  private final Wakeup callbacks;

  public WorkflowEngine(WorkflowStore store, JobService jobs, QueueService queues, WorkflowFinishBodies finishBodies,
      PendingCallbacks pendingCallbacks, InstantSource clock, Wakeup callbacks) {
    this.store = store;
    this.jobs = jobs;
    this.queues = queues;
    this.finishBodies = finishBodies;
    this.pendingCallbacks = pendingCallbacks;
    this.clock = clock;
    this.callbacks = callbacks;
  }

  /** Handles pending events; returns true when more may be pending right away. */
  public boolean runOnce() {
    List<WorkflowEvent> events = store.pendingEvents(BATCH, MAX_ATTEMPTS);
    boolean again = events.size() == BATCH;
    for (WorkflowEvent event : events) {
      try {
        boolean done = switch (event.kind()) {
          case Upload -> uploaded(event);
          case JobEnded -> jobEnded(event);
        };
        again |= !done; // the run changed under us: read it again
      } catch (RuntimeException e) {
        log.error("workflow event {} ({} {}) failed; attempt {} of {}", event.seq(), event.kind(), event.subject(),
            event.attempts() + 1, MAX_ATTEMPTS, e);
        store.failedAttempt(event);
      }
    }
    return again;
  }

  private boolean uploaded(WorkflowEvent event) {
    List<WorkflowStore.RunStart> runs = new ArrayList<>();
    for (Workflow workflow : store.active(event.bucket())) {
      if (workflow.topology().start().accepts(event.subject())) {
        runs.add(plan(workflow, event.subject(), event.headers(), ""));
      }
    }
    boolean stored = store.startRuns(event, runs);
    if (stored && !runs.isEmpty()) {
      jobs.wakeWorkers();
    }
    return true;
  }

  /** A new run of {@code workflow} on {@code objectKey} and the jobs of the nodes that follow Start. */
  WorkflowStore.RunStart plan(Workflow workflow, String objectKey, List<CosHeader> headers, String runName) {
    Topology topology = workflow.topology();
    Instant now = clock.instant();
    WorkflowRun run = new WorkflowRun(Ids.workflowRunId(now), workflow.bucket(), workflow.region(), workflow.id(),
        workflow.name(), runName, objectKey, headers, topology, RunState.Running, now, null, 0);
    List<Job> first = topology.successors(topology.startName()).stream().map(node -> jobFor(run, node)).toList();
    return new WorkflowStore.RunStart(run, first);
  }

  private Job jobFor(WorkflowRun run, String node) {
    Topology.Task task = (Topology.Task) run.topology().nodes().get(node);
    String output = OutputName.expand(task.outputObject(), run.objectKey(), task.settings().get("Format"), run.id(),
        run.workflowId());
    JobOperation operation = new JobOperation(new ObjectRef(task.outputBucket(), task.outputRegion(), output),
        task.templateId(), "", 0, task.settings());
    NewJob request = new NewJob(run.bucket(), run.region(), run.queueId(), task.tag(), run.objectKey(), operation,
        CallbackRequest.NONE);
    return jobs.newJob(request, run.queueId(),
        new WorkflowOrigin(run.id(), run.workflowId(), run.workflowName(), node, run.cosHeaders()));
  }

  private boolean jobEnded(WorkflowEvent event) {
    Job ended;
    try {
      ended = jobs.get(event.bucket(), event.subject());
    } catch (JobsException.NoSuchJob e) {
      store.advance(event, null);
      return true;
    }
    Optional<WorkflowRun> found = store.findRun(event.bucket(), ended.workflow().runId());
    if (found.isEmpty() || found.get().state() != RunState.Running) {
      store.advance(event, null); // the run ended already (another node failed first)
      return true;
    }
    WorkflowRun run = found.get();
    List<Job> runJobs = store.jobsOfRun(run.id());
    WorkflowStore.RunStep step = ended.state() == JobState.Success
        ? afterSuccess(run, runJobs)
        : finish(run, RunState.Failed, runJobs);
    boolean applied = store.advance(event, step);
    if (applied && step != null) {
      if (!step.newJobs().isEmpty()) {
        jobs.wakeWorkers();
      }
      if (step.callback().isPresent()) {
        callbacks.signal();
      }
    }
    return applied;
  }

  private WorkflowStore.RunStep afterSuccess(WorkflowRun run, List<Job> runJobs) {
    Topology topology = run.topology();
    Map<String, Job> byNode = new HashMap<>();
    runJobs.forEach(j -> byNode.put(j.workflow().nodeName(), j));
    List<Job> next = new ArrayList<>();
    for (String node : topology.taskNames()) {
      boolean ready = !byNode.containsKey(node) && topology.predecessors(node).stream()
          .allMatch(p -> p.equals(topology.startName()) || succeeded(byNode.get(p)));
      if (ready) {
        next.add(jobFor(run, node));
      }
    }
    if (next.isEmpty() && topology.taskNames().stream().allMatch(n -> succeeded(byNode.get(n)))) {
      return finish(run, RunState.Success, runJobs);
    }
    return next.isEmpty() ? null : new WorkflowStore.RunStep(run, next, Optional.empty());
  }

  private static boolean succeeded(Job job) {
    return job != null && job.state() == JobState.Success;
  }

  private WorkflowStore.RunStep finish(WorkflowRun run, RunState state, List<Job> runJobs) {
    WorkflowRun ended = run.ended(state, clock.instant());
    NotifyConfig queue = queues.find(run.bucket(), run.queueId()).map(Queue::notifyConfig).orElse(null);
    Optional<PendingCallback> callback = pendingCallbacks.of(CallbackEvent.WorkflowFinish,
        new PendingCallbacks.Subject(run.id(), run.bucket(), run.queueId()), CallbackRequest.NONE, queue,
        format -> finishBodies.render(ended, runJobs, format));
    return new WorkflowStore.RunStep(ended, List.of(), callback);
  }
}
