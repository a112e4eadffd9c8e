package io.jobhook.job;

import io.jobhook.engine.Ids;
import io.jobhook.engine.Transaction;
import io.jobhook.engine.Transactions;
import io.jobhook.engine.Wakeup;
import java.time.Instant;
import java.time.InstantSource;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
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
  private final JobTemplates templates;
  private final IdleWorkers idleWorkers;
  private final Wakeup workers;
  private final InstantSource clock;
  private final JobSubmitListener submitted;

  /**
   * {@code kinds}: the job kinds this node accepts, by tag; {@code idleWorkers}: free capacity a
   * submitted job may start on directly ({@link IdleWorkers#NONE} for none); {@code workers} is
   * signalled when jobs wait for a claim; {@code submitted} hears of every job stored.
   */
  public JobService(
      JobStore jobs,
      QueueService queues,
      Transactions transactions,
      JobEnds ends,
      List<Processor> kinds,
      JobTemplates templates,
      IdleWorkers idleWorkers,
      Wakeup workers,
      InstantSource clock,
      JobSubmitListener submitted) {
    this.jobs = jobs;
    this.queues = queues;
    this.transactions = transactions;
    this.ends = ends;
    this.kinds =
        kinds.stream().collect(Collectors.toUnmodifiableMap(Processor::tag, Function.identity()));
    this.templates = templates;
    this.idleWorkers = idleWorkers;
    this.workers = workers;
    this.clock = clock;
    this.submitted = submitted;
  }

  /**
   * Stores a new job; returns it as accepted (Submitted, as CI answers), though it may already run:
   * with a worker free it is stored claimed for that worker and starts at once.
   */
  public Job submit(NewJob request) {
    request = request.withOperation(resolve(request.bucket(), request.tag(), request.operation()));
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
    submitted.submitted(stored);
    if (stored.state() == JobState.Running) {
      slot.orElseThrow().start(stored);
      return accepted;
    }
    slot.ifPresent(IdleWorkers.Slot::release);
    workers.signal();
    return stored;
  }

  /** Jobs waiting and running, and jobs ended per minute since {@code since}, every bucket. */
  public JobStore.JobStats stats(Instant since) {
    return jobs.stats(since);
  }

  /** The jobs that failed since {@code since}, every bucket, the last to end first. */
  public List<Job> latestFailed(Instant since, int limit) {
    return jobs.latestFailed(since, limit);
  }

  /** The supported job tags. */
  public Set<String> tags() {
    return kinds.keySet();
  }

  /**
   * The operation a job of {@code tag} runs: with the template it names merged in, validated by its
   * kind. Throws {@link JobsException.InvalidJob} when the tag is unknown, the template does not
   * exist in the bucket or is for another tag, or the kind refuses the result.
   */
  public JobOperation resolve(String bucket, String tag, JobOperation operation) {
    Processor kind = kind(tag);
    JobOperation resolved = operation;
    if (!operation.templateId().isEmpty()) {
      JobTemplate template =
          templates
              .find(bucket, operation.templateId())
              .orElseThrow(
                  () ->
                      new JobsException.InvalidJob(
                          "TemplateId " + operation.templateId() + " does not exist"));
      if (!template.tag().equals(tag)) {
        throw new JobsException.InvalidJob(
            "TemplateId "
                + template.id()
                + " is a "
                + template.tag()
                + " template, not a "
                + tag
                + " one");
      }
      resolved = operation.withTemplate(template);
    }
    kind.validate(resolved);
    return resolved;
  }

  /** Throws {@link JobsException.InvalidJob} when {@code tag}'s kind refuses the settings. */
  public void validateSettings(String tag, Map<String, String> settings) {
    kind(tag).validateSettings(settings);
  }

  private Processor kind(String tag) {
    Processor kind = kinds.get(tag);
    if (kind == null) {
      throw new JobsException.InvalidJob(
          "Tag '"
              + tag
              + "' is not supported; supported: "
              + String.join(", ", kinds.keySet().stream().sorted().toList()));
    }
    return kind;
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
    tx.afterCommit(
        () -> {
          submitted.submitted(job);
          workers.signal();
        });
  }

  /** The job as stored. */
  public Job get(String bucket, String jobId) {
    return jobs.find(bucket, jobId).orElseThrow(() -> new JobsException.NoSuchJob(jobId));
  }

  /** The job as clients see it: a Submitted job of a paused queue shows as Pause. */
  public Optional<Job> describe(String bucket, String jobId) {
    return jobs.find(bucket, jobId).map(job -> shown(job, new PausedQueues(bucket)));
  }

  /**
   * A page of jobs as clients see them. {@code Pause} and {@code Submitted} in the states asked for
   * are told apart by the state of the bucket's queue, which holds every job of the bucket.
   */
  public JobPage list(String bucket, JobQuery query) {
    queues.touchBucket(bucket);
    PausedQueues paused = new PausedQueues(bucket);
    JobQuery stored = query;
    if (query.states() != null) {
      boolean queuePaused = paused.test(queues.defaultQueueId(bucket));
      EnumSet<JobState> states = EnumSet.noneOf(JobState.class);
      states.addAll(query.states());
      boolean waiting = states.remove(JobState.Pause) && queuePaused;
      waiting |= states.remove(JobState.Submitted) && !queuePaused;
      if (waiting) {
        states.add(JobState.Submitted);
      }
      if (states.isEmpty()) {
        return new JobPage(List.of(), null);
      }
      stored = query.withStates(states);
    }
    JobPage page = jobs.list(bucket, stored);
    return new JobPage(
        page.jobs().stream().map(job -> shown(job, paused)).toList(), page.nextSeq());
  }

  /** The jobs a run started, as clients see them. */
  public List<Job> describeRun(String bucket, String runId) {
    PausedQueues paused = new PausedQueues(bucket);
    return jobs.jobsOfRun(runId).stream().map(job -> shown(job, paused)).toList();
  }

  private static Job shown(Job job, PausedQueues paused) {
    return job.state() == JobState.Submitted && paused.test(job.queueId())
        ? job.shownAs(JobState.Pause)
        : job;
  }

  /** Whether a queue of the bucket is paused, each queue looked up once. */
  private final class PausedQueues implements Predicate<String> {
    private final String bucket;
    private final Map<String, Boolean> known = new HashMap<>();

    PausedQueues(String bucket) {
      this.bucket = bucket;
    }

    @Override
    public boolean test(String queueId) {
      return known.computeIfAbsent(
          queueId,
          id ->
              queues.find(bucket, id).map(q -> q.state() == Queue.QueueState.Paused).orElse(false));
    }
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
