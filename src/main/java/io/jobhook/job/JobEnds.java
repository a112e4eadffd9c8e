package io.jobhook.job;

import io.jobhook.callback.CallbackEvent;
import io.jobhook.callback.CallbackQueue;
import io.jobhook.callback.CallbackRequest;
import io.jobhook.callback.NotifyConfig;
import io.jobhook.callback.PendingCallback;
import io.jobhook.callback.PendingCallbacks;
import io.jobhook.engine.Transaction;
import java.util.List;
import java.util.Optional;

/**
 * What a job's end brings with it, in the transaction of its final state: its TaskFinish callback,
 * rendered from the job as it ended, and whatever listens for ended jobs. A committed final state
 * therefore always has its callback. Thread-safe.
 */
public final class JobEnds {
  private final QueueService queues;
  private final TaskFinishBodies bodies;
  private final PendingCallbacks pendingCallbacks;
  private final CallbackQueue callbacks;
  private final List<JobEndListener> listeners;

  public JobEnds(
      QueueService queues,
      TaskFinishBodies bodies,
      PendingCallbacks pendingCallbacks,
      CallbackQueue callbacks,
      List<JobEndListener> listeners) {
    this.queues = queues;
    this.bodies = bodies;
    this.pendingCallbacks = pendingCallbacks;
    this.callbacks = callbacks;
    this.listeners = List.copyOf(listeners);
  }

  /**
   * Prepares what {@code ended} brings with it: reads and renders now, outside the transaction, so
   * that the transaction (on SQLite, the single writer's time) only writes.
   */
  public Ending of(Job ended) {
    CallbackRequest own = ended.callback();
    // The queue's NotifyConfig is read only for a job that names no callback of its own.
    NotifyConfig queue =
        own.followsQueue()
            ? queues
                .find(ended.input().bucket(), ended.queueId())
                .map(Queue::notifyConfig)
                .orElse(null)
            : null;
    return new Ending(
        ended,
        pendingCallbacks.of(
            CallbackEvent.TaskFinish,
            new PendingCallbacks.Subject(ended.id(), ended.input().bucket(), ended.queueId()),
            own,
            queue,
            format -> bodies.render(ended, format)));
  }

  /** A job's end, prepared: written by {@link #record} in the transaction of its final state. */
  public final class Ending {
    private final Job job;
    private final Optional<PendingCallback> callback;

    private Ending(Job job, Optional<PendingCallback> callback) {
      this.job = job;
      this.callback = callback;
    }

    public Job job() {
      return job;
    }

    public void record(Transaction tx) {
      callback.ifPresent(cb -> callbacks.enqueue(tx, cb));
      for (JobEndListener listener : listeners) {
        listener.ended(tx, job);
      }
    }
  }
}
