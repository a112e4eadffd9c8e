package io.jobhook.workflow;

import io.jobhook.callback.CallbackEvent;
import io.jobhook.callback.CallbackQueue;
import io.jobhook.callback.CallbackRequest;
import io.jobhook.callback.NotifyConfig;
import io.jobhook.callback.PendingCallback;
import io.jobhook.callback.PendingCallbacks;
import io.jobhook.engine.Ids;
import io.jobhook.engine.Transactions;
import io.jobhook.job.Job;
import io.jobhook.job.JobOperation;
import io.jobhook.job.JobService;
import io.jobhook.job.JobState;
import io.jobhook.job.JobsException;
import io.jobhook.job.NewJob;
import io.jobhook.job.ObjectRef;
import io.jobhook.job.Queue;
import io.jobhook.job.QueueService;
import io.jobhook.job.WorkflowOrigin;
import io.jobhook.object.CosHeader;
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

  private final WorkflowStore store;
  private final Transactions transactions;
  private final JobService jobs;
  private final QueueService queues;
  private final WorkflowFinishBodies finishBodies;
  private final PendingCallbacks pendingCallbacks;
  private final CallbackQueue callbacks;
  private final InstantSource clock;
  private final int batch;
  private final int maxAttempts;

  /**
   * {@code batch}: events handled per pass; {@code maxAttempts}: failures after which an event (a
   * bug, not a transient fault) is left aside and logged.
   */
  public WorkflowEngine(
      WorkflowStore store,
      Transactions transactions,
      JobService jobs,
      QueueService queues,
      WorkflowFinishBodies finishBodies,
      PendingCallbacks pendingCallbacks,
      CallbackQueue callbacks,
      InstantSource clock,
      int batch,
      int maxAttempts) {
    this.batch = batch;
    this.maxAttempts = maxAttempts;
    this.store = store;
    this.transactions = transactions;
    this.jobs = jobs;
    this.queues = queues;
    this.finishBodies = finishBodies;
    this.pendingCallbacks = pendingCallbacks;
    this.callbacks = callbacks;
    this.clock = clock;
  }

  /** A new run and the jobs it starts with. */
  record RunStart(WorkflowRun run, List<Job> jobs) {}

  /**
   * A run moving on from {@code run.version()}: jobs to start, its new state, and its
   * WorkflowFinish callback when it ends.
   */
  record RunStep(WorkflowRun run, List<Job> newJobs, Optional<PendingCallback> callback) {}

  /** Workflow events waiting, and those left aside after failing again and again (for /metrics). */
  public WorkflowStore.EventBacklog eventBacklog() {
    return store.eventBacklog(maxAttempts);
  }

  /** Handles pending events; returns true when more may be pending right away. */
  public boolean runOnce() {
    List<WorkflowEvent> events = store.pendingEvents(batch, maxAttempts);
    boolean again = events.size() == batch;
    for (WorkflowEvent event : events) {
      try {
        boolean done =
            switch (event.kind()) {
              case Upload -> uploaded(event);
              case JobEnded -> jobEnded(event);
            };
        again |= !done; // the run changed under us: read it again
      } catch (RuntimeException e) {
        log.error(
            "workflow event {} ({} {}) failed; attempt {} of {}",
            event.seq(),
            event.kind(),
            event.subject(),
            event.attempts() + 1,
            maxAttempts,
            e);
        store.failedAttempt(event);
      }
    }
    return again;
  }

  private boolean uploaded(WorkflowEvent event) {
    List<RunStart> runs = new ArrayList<>();
    for (Workflow workflow : store.active(event.bucket())) {
      if (workflow.topology().start().accepts(event.subject())) {
        runs.add(plan(workflow, event.subject(), event.headers(), ""));
      }
    }
    start(event, runs);
    return true;
  }

  /**
   * Stores the runs with their first jobs and consumes {@code event} (null for a manual trigger),
   * in one transaction; false, and nothing stored, if the event was consumed already.
   */
  boolean start(WorkflowEvent event, List<RunStart> runs) {
    return transactions.inTransaction(
        tx -> {
          if (event != null && !store.consume(tx, event)) {
            return false;
          }
          for (RunStart start : runs) {
            store.insertRun(tx, start.run());
            start.jobs().forEach(job -> jobs.enqueue(tx, job));
          }
          return true;
        });
  }

  /**
   * Applies {@code step} (null: nothing to do) and consumes {@code event}, in one transaction;
   * false, and nothing changed, if the event was consumed already or the run changed since it was
   * read (the event is then handled again).
   */
  private boolean advance(WorkflowEvent event, RunStep step) {
    try {
      return transactions.inTransaction(
          tx -> {
            if (!store.consume(tx, event)) {
              return false;
            }
            if (step == null) {
              return true;
            }
            if (!store.updateRun(tx, step.run())) {
              throw new RunChanged(); // rolls the consumed event back with it
            }
            step.newJobs().forEach(job -> jobs.enqueue(tx, job));
            step.callback().ifPresent(callback -> callbacks.enqueue(tx, callback));
            return true;
          });
    } catch (RunChanged e) {
      return false;
    }
  }

  /** Rolls an advance back: another node moved the run on since it was read. */
  private static final class RunChanged extends RuntimeException {
    RunChanged() {
      super(null, null, false, false);
    }
  }

  /**
   * A new run of {@code workflow} on {@code objectKey} and the jobs of the nodes that follow Start.
   */
  RunStart plan(Workflow workflow, String objectKey, List<CosHeader> headers, String runName) {
    Topology topology = workflow.topology();
    Instant now = clock.instant();
    WorkflowRun run =
        new WorkflowRun(
            Ids.workflowRunId(now),
            workflow.bucket(),
            workflow.region(),
            workflow.id(),
            workflow.name(),
            runName,
            objectKey,
            headers,
            topology,
            RunState.Running,
            now,
            null,
            0);
    List<Job> first =
        topology.successors(topology.startName()).stream().map(node -> jobFor(run, node)).toList();
    return new RunStart(run, first);
  }

  private Job jobFor(WorkflowRun run, String node) {
    Topology.Task task = (Topology.Task) run.topology().nodes().get(node);
    // the template (as it is now) is merged in first: its Format names the output's ${ext}
    JobOperation resolved =
        jobs.resolve(
            run.bucket(),
            task.tag(),
            new JobOperation(
                new ObjectRef(task.outputBucket(), task.outputRegion(), task.outputObject()),
                task.templateId(),
                "",
                0,
                task.settings()));
    String output =
        OutputName.expand(
            task.outputObject(),
            run.objectKey(),
            resolved.settings().get("Format"),
            run.id(),
            run.workflowId());
    JobOperation operation =
        new JobOperation(
            new ObjectRef(task.outputBucket(), task.outputRegion(), output),
            resolved.templateId(),
            resolved.templateName(),
            "",
            0,
            resolved.settings());
    NewJob request =
        new NewJob(
            run.bucket(),
            run.region(),
            run.queueId(),
            task.tag(),
            run.objectKey(),
            operation,
            workflowNotify(run)
                .map(config -> CallbackRequest.from(config, CallbackEvent.TaskFinish))
                .orElse(CallbackRequest.NONE));
    return jobs.newJob(
        request,
        run.queueId(),
        new WorkflowOrigin(run.id(), run.workflowId(), run.workflowName(), node, run.cosHeaders()));
  }

  private boolean jobEnded(WorkflowEvent event) {
    Job ended;
    try {
      ended = jobs.get(event.bucket(), event.subject());
    } catch (JobsException.NoSuchJob e) {
      advance(event, null);
      return true;
    }
    Optional<WorkflowRun> found = store.findRun(event.bucket(), ended.workflow().runId());
    if (found.isEmpty() || found.get().state() != RunState.Running) {
      advance(event, null); // the run ended already (another node failed first)
      return true;
    }
    WorkflowRun run = found.get();
    List<Job> runJobs = jobs.jobsOfRun(run.id());
    RunStep step =
        ended.state() == JobState.Success
            ? afterSuccess(run, runJobs)
            : finish(run, RunState.Failed, runJobs);
    return advance(event, step);
  }

  private RunStep afterSuccess(WorkflowRun run, List<Job> runJobs) {
    Topology topology = run.topology();
    Map<String, Job> byNode = new HashMap<>();
    runJobs.forEach(j -> byNode.put(j.workflow().nodeName(), j));
    List<Job> next = new ArrayList<>();
    for (String node : topology.taskNames()) {
      boolean ready =
          !byNode.containsKey(node)
              && topology.predecessors(node).stream()
                  .allMatch(p -> p.equals(topology.startName()) || succeeded(byNode.get(p)));
      if (ready) {
        try {
          next.add(jobFor(run, node));
        } catch (JobsException.InvalidJob e) {
          // what the node names is gone (a template deleted while this run was in flight): the
          // run cannot go on, so it fails rather than wait forever
          log.warn(
              "run {} of workflow {} failed: node {}: {}",
              run.id(),
              run.workflowId(),
              node,
              e.getMessage());
          return finish(run, RunState.Failed, runJobs);
        }
      }
    }
    if (next.isEmpty() && topology.taskNames().stream().allMatch(n -> succeeded(byNode.get(n)))) {
      return finish(run, RunState.Success, runJobs);
    }
    return next.isEmpty() ? null : new RunStep(run, next, Optional.empty());
  }

  /** The NotifyConfig of the run's Start node, if it has one. */
  private static Optional<NotifyConfig> workflowNotify(WorkflowRun run) {
    return Optional.ofNullable(run.topology().start().notifyConfig());
  }

  private static boolean succeeded(Job job) {
    return job != null && job.state() == JobState.Success;
  }

  private RunStep finish(WorkflowRun run, RunState state, List<Job> runJobs) {
    WorkflowRun ended = run.ended(state, clock.instant());
    // the workflow's own NotifyConfig, else its queue's
    NotifyConfig notify =
        workflowNotify(run)
            .or(() -> queues.find(run.bucket(), run.queueId()).map(Queue::notifyConfig))
            .orElse(null);
    Optional<PendingCallback> callback =
        pendingCallbacks.of(
            CallbackEvent.WorkflowFinish,
            new PendingCallbacks.Subject(run.id(), run.bucket(), run.queueId()),
            CallbackRequest.NONE,
            notify,
            format -> finishBodies.render(ended, runJobs, format));
    return new RunStep(ended, List.of(), callback);
  }
}
