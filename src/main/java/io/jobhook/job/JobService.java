package io.jobhook.job;

import io.jobhook.callback.CallbackTarget;
import io.jobhook.callback.CallbackRequest;
import io.jobhook.engine.Ids;
import io.jobhook.callback.CallbackEvent;
import io.jobhook.callback.CallbackRequest;
import io.jobhook.callback.NotifyConfig;
import io.jobhook.callback.PendingCallback;
import io.jobhook.callback.PendingCallbacks;
import io.jobhook.engine.Wakeup;
import io.jobhook.object.StagedObject;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Submits, reads, cancels and finishes jobs. Every state change is one committed row (plus its
 * callback, for final states); workers and the callback dispatcher are woken after the commit.
 * Thread-safe.
 */
public final class JobService {
  private final JobStore jobs;
  private final QueueService queues;
  private final InstantSource clock;
  private final TaskFinishBodies taskFinish;
  private final PendingCallbacks pendingCallbacks;
  private final Map<String, Consumer<JobOperation>> validators;
  private final Wakeup workers;
  private final Wakeup callbacks;
  private final Wakeup workflows;
  private volatile IdleWorkers idleWorkers = IdleWorkers.NONE;

  /** {@code workflows} is signalled when a job a workflow started ends (its run moves on). */
  public JobService(JobStore jobs, QueueService queues, InstantSource clock,
      TaskFinishBodies taskFinish, PendingCallbacks pendingCallbacks, Map<String, Consumer<JobOperation>> validators,
      Wakeup workers, Wakeup callbacks, Wakeup workflows) {
    this.pendingCallbacks = pendingCallbacks;
    this.workflows = workflows;
    this.jobs = jobs;
    this.queues = queues;
    this.clock = clock;
    this.taskFinish = taskFinish;
    this.validators = Map.copyOf(validators);
    this.workers = workers;
    this.callbacks = callbacks;
  }

  /** Lets submitted jobs start on free workers directly (set once the workers exist). */
  public void startDirectlyOn(IdleWorkers workers) {
    this.idleWorkers = workers;
  }

  /**
   * Stores a new job; returns it as accepted (Submitted, as CI answers), though it may already run:
   * with a worker free it is stored claimed for that worker and starts at once.
   */
  public Job submit(NewJob request) {
    validate(request.tag(), request.operation());
    String queueId = request.queueId() == null || request.queueId().isEmpty()
        ? queues.defaultQueueId(request.bucket())
        : queues.get(request.bucket(), request.queueId()).id();
    Job accepted = newJob(request, queueId, null);
    Optional<IdleWorkers.Slot> slot = idleWorkers.reserve();
    Job stored;
    try {
      stored = slot.isPresent() ? jobs.insertClaimedIfFree(accepted, slot.get().lease()) : jobs.insert(accepted);
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
  public java.util.Set<String> tags() {
    return validators.keySet();
  }

  /** Throws {@link JobsException.InvalidJob} when the tag is unknown or its processor refuses the operation. */
  public void validate(String tag, JobOperation operation) {
    Consumer<JobOperation> validator = validators.get(tag);
    if (validator == null) {
      throw new JobsException.InvalidJob("Tag '" + tag + "' is not supported; supported: "
          + String.join(", ", validators.keySet().stream().sorted().toList()));
    }
    validator.accept(operation);
  }

  /**
   * A new Submitted job, not yet stored: a workflow run stores the jobs it starts in its own
   * transaction, then calls {@link #wakeWorkers()}. The request must have been validated.
   */
  public Job newJob(NewJob request, String queueId, WorkflowOrigin origin) {
    Instant now = clock.instant();
    return new Job(Ids.jobId(now), 0, queueId, request.tag(), JobState.Submitted, 0, "Success", "",
        new ObjectRef(request.bucket(), request.region(), request.inputObject()), request.operation(),
        request.callback(), now, null, null, 0, origin);
  }

  /** Lets workers look for due jobs now (after a queue is resumed, for example). */
  public void wakeWorkers() {
    workers.signal();
  }

  public Job get(String bucket, String jobId) {
    return jobs.find(bucket, jobId).orElseThrow(() -> new JobsException.NoSuchJob(jobId));
  }

  public JobPage list(String bucket, JobQuery query) {
    queues.touchBucket(bucket);
    return jobs.list(bucket, query);
  }

  public Job cancel(String bucket, String jobId) {
    Job job = get(bucket, jobId);
    if (job.state() == JobState.Cancel) {
      return job;
    }
    if (job.state() != JobState.Submitted) {
      throw new JobsException.NotCancelable(jobId, job.state());
    }
    Job cancelled = job.finished(JobState.Cancel, "Cancel", "job cancelled by user", clock.instant());
    if (!jobs.cancel(cancelled, callbackFor(cancelled))) {
      throw new JobsException.NotCancelable(jobId, get(bucket, jobId).state());
    }
    ended(cancelled);
    return cancelled;
  }

  /**
   * Records a worker's outcome with the outputs it staged, which appear with the final state; false
   * when the worker had lost its lease (nothing changed, and the outputs are discarded).
   */
  public boolean finish(Job running, String owner, JobState finalState, String code, String message,
      List<StagedObject> outputs) {
    Job finished = running.finished(finalState, code, message, clock.instant());
    switch (jobs.finish(finished, owner, callbackFor(finished), outputs)) {
      case JobStore.FinishOutcome.Recorded recorded -> {
        for (int i = 0; i < outputs.size(); i++) {
          outputs.get(i).published(recorded.replacedBlobs().get(i));
        }
        ended(finished);
        return true;
      }
      case JobStore.FinishOutcome.LeaseLost lost -> {
        outputs.forEach(StagedObject::discard);
        return false;
      }
    }
  }

  private void ended(Job job) {
    callbacks.signal();
    if (job.workflow() != null) {
      workflows.signal();
    }
  }

  private Optional<PendingCallback> callbackFor(Job job) {
    CallbackRequest own = job.callback();
    // The queue's NotifyConfig matters only when the job names no callback of its own: read it then.
    NotifyConfig queue = own.followsQueue()
        ? queues.find(job.input().bucket(), job.queueId()).map(Queue::notifyConfig).orElse(null) : null;
    return pendingCallbacks.of(CallbackEvent.TaskFinish,
        new PendingCallbacks.Subject(job.id(), job.input().bucket(), job.queueId()), own, queue,
        format -> taskFinish.render(job, format));
  }
}
