package io.jobhook.job;

import io.jobhook.engine.Transaction;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Durable storage of jobs, the job engine's queue: the {@code jobs} table. The writes that belong
 * with others in one transaction (a job's insert, its final state) take the caller's {@link
 * Transaction}; leases and progress commit on their own. Implementations are thread-safe.
 */
public interface JobStore {

  /**
   * Stores a new job (its {@code seq} is ignored) inside {@code tx}; returns it with its assigned
   * seq.
   */
  Job insert(Transaction tx, Job job);

  /**
   * Stores a new job like {@link #insert}, and in the same transaction claims it under {@code
   * lease} when a claim would take it now: its queue is Active and below MaxConcurrent, and no job
   * is waiting (which would come first). Returns it as stored: Running when claimed, else
   * Submitted.
   */
  Job insertClaimedIfFree(Transaction tx, Job job, IdleWorkers.Lease lease);

  Optional<Job> find(String bucket, String jobId);

  JobPage list(String bucket, JobQuery query);

  /** How many jobs wait and run in each queue that has any (for metrics). */
  List<QueueDepth> queueDepths();

  /**
   * How many jobs wait and run now (every bucket), and how many ended in each minute since {@code
   * since}, by final state (for the console's overview).
   */
  JobStats stats(Instant since);

  /**
   * Jobs waiting and running ({@code byState}: Submitted, Running), and jobs ended per minute
   * (epoch minute to counts by final state).
   */
  record JobStats(
      java.util.Map<JobState, Long> byState,
      java.util.SortedMap<Long, java.util.Map<JobState, Long>> endedPerMinute) {}

  /** The jobs that failed since {@code since} in every bucket, the last to end first. */
  List<Job> latestFailed(Instant since, int limit);

  /** Jobs of one queue that wait for a worker, and that run. */
  record QueueDepth(String bucket, String queueId, long waiting, long running) {}

  /** The jobs a workflow run started, oldest first. */
  List<Job> jobsOfRun(String runId);

  /**
   * Leases up to {@code limit} jobs that are Submitted (or Running with an expired lease) on Active
   * queues, highest {@code JobLevel} first then oldest, never exceeding a queue's MaxConcurrent,
   * and marks them Running for {@code owner}.
   */
  Claimed claimDue(String owner, Instant now, Instant leaseUntil, int limit);

  /**
   * The jobs a claim leased, and whether it saw others it left: beyond {@code limit}, or held back
   * by their queue's MaxConcurrent (a running job's end can let them start). False means that no
   * job was claimable but those it took, as of the claim.
   */
  record Claimed(List<Job> jobs, boolean othersWaiting) {}

  /** Extends every lease {@code owner} holds; returns how many. */
  int renewLeases(String owner, Instant leaseUntil);

  /**
   * Gives up {@code owner}'s lease of a running job so that it runs again, by any node, once {@code
   * notBefore} has passed; meanwhile it does not count against its queue's MaxConcurrent. False if
   * the lease had been lost already.
   */
  boolean retryLater(String jobId, String owner, Instant notBefore);

  /** Records progress of a job {@code owner} holds; false if the lease was lost. */
  boolean updateProgress(String jobId, String owner, int progress);

  /**
   * Moves a job {@code owner} holds to its final state inside {@code tx}; false, and nothing
   * changed, if the lease had been lost to another run of the job.
   */
  boolean finish(Transaction tx, Job finished, String owner);

  /** Cancels a job that is still Submitted, inside {@code tx}; false if it was not. */
  boolean cancel(Transaction tx, Job cancelled);

  /**
   * Returns every Running job to Submitted. Only for a single-node store at start-up, when no other
   * process can hold a lease; returns how many.
   */
  int releaseAllLeases();

  /**
   * Returns the Running jobs leased to {@code owner} to Submitted: a node that stops hands what it
   * could not finish to the others at once rather than when the leases run out. A run of that owner
   * still under way publishes nothing after this (its lease is gone). Returns how many.
   */
  int releaseLeasesOf(String owner);

  /**
   * Deletes up to {@code limit} of the jobs that ended before {@code endedBefore}, oldest first,
   * and returns how many: only jobs no workflow run started (those go with their runs) and with no
   * callback left in the delivery log (which keeps its own retention; a pending callback keeps its
   * job).
   */
  int pruneEnded(Instant endedBefore, int limit);
}
