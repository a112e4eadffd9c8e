package io.jobhook.job;

import io.jobhook.callback.CallbackRequest;

/** A job as a client asks for it, before it has an id or a queue. */
public record NewJob(
    String bucket,
    String region,
    String queueId,
    String tag,
    String inputObject,
    JobOperation operation,
    CallbackRequest callback) {

  public NewJob withOperation(JobOperation resolved) {
    return new NewJob(bucket, region, queueId, tag, inputObject, resolved, callback);
  }
}
