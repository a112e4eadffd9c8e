package io.jobhook.workflow;

import io.jobhook.engine.Transaction;
import io.jobhook.object.CosHeader;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Durable storage of workflows, their runs, and the events that move runs on. The writes that
 * belong with others in one transaction (an event with the fact it reports, a run's step with the
 * event that caused it) take the caller's {@link Transaction}. Implementations are thread-safe.
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

  /** Whether an Active workflow exists in the bucket, read inside {@code tx}. */
  boolean hasActive(Transaction tx, String bucket);

  Optional<WorkflowRun> findRun(String bucket, String runId);

  RunPage listRuns(String bucket, RunQuery query);

  /** Records an event inside {@code tx}: the fact it reports commits with it. */
  void recordEvent(
      Transaction tx,
      WorkflowEvent.Kind kind,
      String bucket,
      String subject,
      List<CosHeader> headers,
      Instant at);

  /**
   * Events not yet consumed, oldest first; an event that failed {@code maxAttempts} times is left
   * aside.
   */
  List<WorkflowEvent> pendingEvents(int limit, int maxAttempts);

  /** Consumes an event inside {@code tx}; false if it was consumed already. */
  boolean consume(Transaction tx, WorkflowEvent event);

  void insertRun(Transaction tx, WorkflowRun run);

  /**
   * Moves a run to the state and end time {@code run} carries, from the version it carries; false,
   * and nothing changed, if the run changed since it was read.
   */
  boolean updateRun(Transaction tx, WorkflowRun run);

  /** Counts a failed attempt to handle the event. */
  void failedAttempt(WorkflowEvent event);

  /** Events waiting, and how many of them were left aside after {@code maxAttempts} failures. */
  EventBacklog eventBacklog(int maxAttempts);

  /** What {@link #eventBacklog} counts. */
  record EventBacklog(long pending, long leftAside) {}

  /**
   * Deletes up to {@code limit} of the runs that ended before {@code endedBefore}, oldest first,
   * each with the jobs it started, and returns how many runs: only runs whose jobs have all ended
   * and none of which, nor the run, has a callback left in the delivery log.
   */
  int pruneRuns(Instant endedBefore, int limit);

  /** How many workflow runs are in each state (for metrics). */
  java.util.Map<String, Long> runsByState();

  /** Filters of the execution list; null means any. */
  record RunQuery(
      String workflowId,
      String name,
      Set<RunState> states,
      Instant createdFrom,
      Instant createdTo,
      boolean ascending,
      Long afterSeq,
      int size) {}

  /** A page of runs and the seq to continue after, if there are more. */
  record RunPage(List<WorkflowRun> runs, Long nextSeq) {}
}
