package io.jobhook.job;

import io.jobhook.job.CallbackRequest.CallbackFormat;
import java.util.Optional;

/**
 * Where a job's TaskFinish callback goes (contract §5.1): the job's own {@code CallBack} first,
 * else the queue's NotifyConfig when it is On for TaskFinish; {@code CallBack=no} means none.
 */
public record CallbackTarget(String url, CallbackFormat format) {

  public static Optional<CallbackTarget> of(Job job, Queue queue, String event) {
    CallbackRequest request = job.callback();
    if (request.disabled()) {
      return Optional.empty();
    }
    if (request.url() != null && !request.url().isBlank()) {
      return Optional.of(new CallbackTarget(request.url(),
          request.format() == null ? CallbackFormat.XML : request.format()));
    }
    return ofQueue(queue, event).map(target -> request.format() == null ? target
        : new CallbackTarget(target.url(), request.format()));
  }

  /** The queue's NotifyConfig target for {@code event} (in its ResultFormat), if it is On for that event. */
  public static Optional<CallbackTarget> ofQueue(Queue queue, String event) {
    Queue.NotifyConfig notify = queue == null ? null : queue.notifyConfig();
    if (notify == null || !notify.notifiesOn(event) || !"Url".equalsIgnoreCase(notify.type())) {
      return Optional.empty();
    }
    CallbackFormat format = "JSON".equalsIgnoreCase(notify.resultFormat()) ? CallbackFormat.JSON : CallbackFormat.XML;
    return Optional.of(new CallbackTarget(notify.url(), format));
  }
}
