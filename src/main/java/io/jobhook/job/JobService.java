package io.jobhook.job;

import io.jobhook.callback.PendingCallback;
import io.jobhook.callback.TaskFinishDocument;
import io.jobhook.engine.Wakeup;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import java.util.Map;
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
  private final TaskFinishDocument taskFinish;
  private final Map<String, Consumer<JobOperation>> validators;
  private final Wakeup workers;
  private final Wakeup callbacks;
  private final java.time.Duration firstCallbackDelay;

  public JobService(JobStore jobs, QueueService queues, InstantSource clock,
      TaskFinishDocument taskFinish, Map<String, Consumer<JobOperation>> validators, Wakeup workers,
      Wakeup callbacks, java.time.Duration firstCallbackDelay) {
    this.firstCallbackDelay = firstCallbackDelay;
    this.jobs = jobs;
    this.queues = queues;
    this.clock = clock;
    this.taskFinish = taskFinish;
    this.validators = Map.copyOf(validators);
    this.workers = workers;
    this.callbacks = callbacks;
  }

  public Job submit(NewJob request) {
    Consumer<JobOperation> validator = validators.get(request.tag());
    if (validator == null) {
      throw new JobsException.InvalidJob("Tag '" + request.tag() + "' is not supported; supported: "
          + String.join(", ", validators.keySet().stream().sorted().toList()));
    }
    validator.accept(request.operation());
    String queueId = request.queueId() == null || request.queueId().isEmpty()
        ? queues.defaultQueueId(request.bucket())
        : queues.get(request.bucket(), request.queueId()).id();
    Instant now = clock.instant();
    Job job = jobs.insert(new Job(Ids.jobId(), 0, queueId, request.tag(), JobState.Submitted, 0,
        "Success", "", new ObjectRef(request.bucket(), request.region(), request.inputObject()),
        request.operation(), request.callback(), now, null, null, 0));
    workers.signal();
    return job;
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
    callbacks.signal();
    return cancelled;
  }

  /** Records a worker's outcome; false when the worker had lost its lease (nothing changed). */
  public boolean finish(Job running, String owner, JobState finalState, String code, String message) {
    Job finished = running.finished(finalState, code, message, clock.instant());
    boolean done = jobs.finish(finished, owner, callbackFor(finished));
    if (done) {
      callbacks.signal();
    }
    return done;
  }

  private Optional<PendingCallback> callbackFor(Job job) {
    // The queue's NotifyConfig matters only when the job names no callback of its own: read it then.
    CallbackRequest own = job.callback();
    boolean needsQueue = !own.disabled() && (own.url() == null || own.url().isBlank());
    Queue queue = needsQueue ? queues.find(job.input().bucket(), job.queueId()).orElse(null) : null;
    return CallbackTarget.of(job, queue, TaskFinishDocument.EVENT).map(target -> {
      TaskFinishDocument.Rendered body = taskFinish.render(job, target.format());
      Instant now = clock.instant();
      return PendingCallback.create(Ids.callbackId(), job.id(), job.input().bucket(), job.queueId(),
          TaskFinishDocument.EVENT, target.url(), body.contentType(), body.body(), now, now.plus(firstCallbackDelay));
    });
  }
}
