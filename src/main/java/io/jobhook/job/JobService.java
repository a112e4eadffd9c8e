package io.jobhook.job;

import io.jobhook.engine.Ids;
import io.jobhook.engine.Transaction;
import io.jobhook.engine.Transactions;
import io.jobhook.engine.Wakeup;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Submits, reads and cancels jobs. Every state change is one committed transaction (a cancel's
 * carries its callback); the workers are woken once it has committed. Thread-safe.
 */
public final class JobService {
  private final JobStore jobs;
  private final QueueService queues;
  private final Transactions transactions;
  private final JobEnds ends;
  private final Map<String, Processor> kinds;
  private final IdleWorkers idleWorkers;
  private final Wakeup workers;
  private final InstantSource clock;

  /**
   * {@code kinds}: the job kinds this node accepts, by tag; {@code idleWorkers}: free capacity a
   * submitted job may start on directly ({@link IdleWorkers#NONE} for none); {@code workers} is
   * signalled when jobs wait for a claim.
   */
  public JobService(
      JobStore jobs,
      QueueService queues,
      Transactions transactions,
      JobEnds ends,
      List<Processor> kinds,
      IdleWorkers idleWorkers,
      Wakeup workers,
      InstantSource clock) {
    this.jobs = jobs;
    this.queues = queues;
    this.transactions = transactions;
    this.ends = ends;
    this.kinds =
        kinds.stream().collect(Collectors.toUnmodifiableMap(Processor::tag, Function.identity()));
    this.idleWorkers = idleWorkers;
    this.workers = workers;
    this.clock = clock;
  }

  /**
   * Stores a new job; returns it as accepted (Submitted, as CI answers), though it may already run:
   * with a worker free it is stored claimed for that worker and starts at once.
   */
  public Job submit(NewJob request) {
    validate(request.tag(), request.operation());
    String queueId =
        request.queueId() == null || request.queueId().isEmpty()
            ? queues.defaultQueueId(request.bucket())
            : queues.get(request.bucket(), request.queueId()).id();
    Job accepted = newJob(request, queueId, null);
    Optional<IdleWorkers.Slot> slot = idleWorkers.reserve();
    Job stored;
    try {
      stored =
          transactions.inTransaction(
              tx ->
                  slot.isPresent()
                      ? jobs.insertClaimedIfFree(tx, accepted, slot.get().lease())
                      : jobs.insert(tx, accepted));
    } catch (RuntimeException e) {
      slot.ifPresent(IdleWorkers.Slot::release);
      throw e;
    }
    if (stored.state() == JobState.Running) {
      slot.orElseThrow().start(stored);
      return accepted;
    }
    slot.ifPresent(IdleWorkers.Slot::release);
    workers.signal();
    return stored;
  }

  /** The supported job tags. */
  public Set<String> tags() {
    return kinds.keySet();
  }

  /**
   * Throws {@link JobsException.InvalidJob} when the tag is unknown or its kind refuses the
   * operation.
   */
  public void validate(String tag, JobOperation operation) {
    Processor kind = kinds.get(tag);
    if (kind == null) {
      throw new JobsException.InvalidJob(
          "Tag '"
              + tag
              + "' is not supported; supported: "
              + String.join(", ", kinds.keySet().stream().sorted().toList()));
    }
    kind.validate(operation);
  }

  /**
   * A new Submitted job, not yet stored: a workflow run stores the jobs it starts in its own
   * transaction, with {@link #enqueue}. The request must have been validated.
   */
  public Job newJob(NewJob request, String queueId, WorkflowOrigin origin) {
    Instant now = clock.instant();
    return new Job(
        Ids.jobId(now),
        0,
        queueId,
        request.tag(),
        JobState.Submitted,
        0,
        "Success",
        "",
        new ObjectRef(request.bucket(), request.region(), request.inputObject()),
        request.operation(),
        request.callback(),
        now,
        null,
        null,
        0,
        origin);
  }

  /** Stores a new job inside {@code tx}; the workers look for it once {@code tx} has committed. */
  public void enqueue(Transaction tx, Job job) {
    jobs.insert(tx, job);
    tx.afterCommit(workers::signal);
  }

  public Job get(String bucket, String jobId) {
    return jobs.find(bucket, jobId).orElseThrow(() -> new JobsException.NoSuchJob(jobId));
  }

  public JobPage list(String bucket, JobQuery query) {
    queues.touchBucket(bucket);
    return jobs.list(bucket, query);
  }

  /** The jobs a workflow run started, oldest first. */
  public List<Job> jobsOfRun(String runId) {
    return jobs.jobsOfRun(runId);
  }

  public Job cancel(String bucket, String jobId) {
    Job job = get(bucket, jobId);
    if (job.state() == JobState.Cancel) {
      return job;
    }
    if (job.state() != JobState.Submitted) {
      throw new JobsException.NotCancelable(jobId, job.state());
    }
    JobEnds.Ending ending =
        ends.of(job.finished(JobState.Cancel, "Cancel", "job cancelled by user", clock.instant()));
    boolean cancelled =
        transactions.inTransaction(
            tx -> {
              if (!jobs.cancel(tx, ending.job())) {
                return false;
              }
              ending.record(tx);
              return true;
            });
    if (!cancelled) {
      throw new JobsException.NotCancelable(jobId, get(bucket, jobId).state());
    }
    return ending.job();
  }
}
