package io.jobhook.workflow;

import io.jobhook.callback.PendingCallback;
import io.jobhook.job.Job;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Durable storage of workflows, their runs, and the events that move runs on. Starting runs and
 * advancing one are single transactions that also consume the event that caused them, so every
 * event has its effect exactly once. Implementations are thread-safe.
 */
public interface WorkflowStore {

  void insert(Workflow workflow);

  /** Replaces name, state, topology and update time; false if there is no such workflow. */
  boolean update(Workflow workflow);

  boolean delete(String bucket, String workflowId);

  Optional<Workflow> find(String bucket, String workflowId);

  /** The bucket's workflows, oldest first. */
  List<Workflow> list(String bucket);

  /** The bucket's Active workflows, oldest first. */
  List<Workflow> active(String bucket);

  Optional<WorkflowRun> findRun(String bucket, String runId);

  RunPage listRuns(String bucket, RunQuery query);

  /** The jobs a run started, oldest first. */
  List<Job> jobsOfRun(String runId);

  /** Events not yet consumed, oldest first; an event that failed {@code maxAttempts} times is left aside. */
  List<WorkflowEvent> pendingEvents(int limit, int maxAttempts);

  /**
   * Stores the runs with their first jobs and consumes {@code event} (null for a manual trigger),
   * in one transaction. False, and nothing stored, if the event was consumed already.
   */
  boolean startRuns(WorkflowEvent event, List<RunStart> runs);

  /**
   * Applies {@code step} (null: nothing to do) and consumes {@code event}, in one transaction.
   * False, and nothing changed, if the event was consumed already or the run changed since it was
   * read (the event is then handled again).
   */
  boolean advance(WorkflowEvent event, RunStep step);

  /** Counts a failed attempt to handle the event. */
  void failedAttempt(WorkflowEvent event);

  /** Events waiting, and how many of them were left aside after {@code maxAttempts} failures. */
  EventBacklog eventBacklog(int maxAttempts);

  /** What {@link #eventBacklog} counts. */
  record EventBacklog(long pending, long leftAside) {}

  /** A new run and the jobs it starts with. */
  record RunStart(WorkflowRun run, List<Job> jobs) {}

  /**
   * A run moving on from {@code run.version()}: jobs to start, its new state, and its WorkflowFinish
   * callback when it ends.
   */
  record RunStep(WorkflowRun run, List<Job> newJobs, Optional<PendingCallback> callback) {}

  /** Filters of the execution list; null means any. */
  record RunQuery(String workflowId, String name, Set<RunState> states, Instant createdFrom, Instant createdTo,
      boolean ascending, Long afterSeq, int size) {}

  /** A page of runs and the seq to continue after, if there are more. */
  record RunPage(List<WorkflowRun> runs, Long nextSeq) {}
}
