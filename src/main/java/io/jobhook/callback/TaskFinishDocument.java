package io.jobhook.callback;

import static io.jobhook.callback.Document.node;
import static io.jobhook.callback.Document.text;

import io.jobhook.job.CallbackRequest.CallbackFormat;
import io.jobhook.job.Job;

/**
 * Renders the TaskFinish callback of the seed page: the same element names, nesting and order in
 * XML and JSON, rendered once when the job ends.
 */
public final class TaskFinishDocument {
  public static final String EVENT = "TaskFinish";

  private final CallbackTimes times;

  public TaskFinishDocument(CallbackTimes times) {
    this.times = times;
  }

  /** A rendered body and its content type. */
  public record Rendered(String contentType, byte[] body) {}

  public Rendered render(Job job, CallbackFormat format) {
    Document.Node root = node("Response", text("EventName", EVENT), jobsDetail(job));
    return format == CallbackFormat.JSON
        ? new Rendered("application/json", Document.toJson(root))
        : new Rendered("application/xml", Document.toXml(root));
  }

  private Document.Node jobsDetail(Job job) {
    var input = job.input();
    var output = job.operation().output();
    return node(
        "JobsDetail",
        text("Code", job.code()),
        text("CreationTime", times.format(job.creationTime())),
        text("EndTime", times.format(job.endTime())),
        node("Input", text("BucketId", input.bucket()), text("Object", input.key()), text("Region", input.region())),
        text("JobId", job.id()),
        text("Message", job.message()),
        node(
            "Operation",
            node("Output", text("Bucket", output.bucket()), text("Object", output.key()), text("Region", output.region())),
            text("UserData", job.operation().userData())),
        text("QueueId", job.queueId()),
        text("StartTime", times.format(job.startTime())),
        text("State", job.state().name()),
        text("Tag", job.tag()));
  }
}
