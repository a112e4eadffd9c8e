package io.jobhook.wire;

import static io.jobhook.wire.Document.node;
import static io.jobhook.wire.Document.text;

import io.jobhook.callback.CallbackBody;
import io.jobhook.callback.CallbackEvent;
import io.jobhook.callback.CallbackFormat;
import io.jobhook.job.Job;
import io.jobhook.job.ObjectRef;
import io.jobhook.job.TaskFinishBodies;
import io.jobhook.job.WorkflowOrigin;
import io.jobhook.object.CosHeader;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders the TaskFinish callback of the seed page: the same element names, nesting and order in
 * XML and JSON, rendered once when the job ends.
 */
public final class TaskFinishDocument implements TaskFinishBodies {
  private final CiTimes times;

  public TaskFinishDocument(CiTimes times) {
    this.times = times;
  }

  @Override
  public CallbackBody render(Job job, CallbackFormat format) {
    return body(
        node("Response", text("EventName", CallbackEvent.TaskFinish.name()), jobsDetail(job)),
        format);
  }

  /** A document as a callback body in {@code format}: the same tree in XML or JSON. */
  static CallbackBody body(Document.Node root, CallbackFormat format) {
    return format == CallbackFormat.JSON
        ? new CallbackBody("application/json", Document.toJson(root))
        : new CallbackBody("application/xml", Document.toXml(root));
  }

  /**
   * The seed's JobsDetail: its elements in alphabetical order, as the seed has them; a job a
   * workflow started also carries {@code Input/CosHeaders} and {@code Workflow} (seed: "If the job
   * is triggered by a workflow"), in their alphabetical places.
   */
  private Document.Node jobsDetail(Job job) {
    var input = job.input();
    WorkflowOrigin workflow = job.workflow();
    List<Document> inputs = new ArrayList<>();
    inputs.add(text("BucketId", input.bucket()));
    if (workflow != null) {
      inputs.add(cosHeaders(workflow.cosHeaders()));
    }
    inputs.add(text("Object", input.key()));
    inputs.add(text("Region", input.region()));
    List<Document> detail =
        new ArrayList<>(
            List.of(
                text("Code", job.code()),
                text("CreationTime", times.format(job.creationTime())),
                text("EndTime", times.format(job.endTime())),
                new Document.Node("Input", inputs),
                text("JobId", job.id()),
                text("Message", job.message()),
                operation(job),
                text("QueueId", job.queueId()),
                text("StartTime", times.format(job.startTime())),
                text("State", job.state().name()),
                text("Tag", job.tag())));
    if (workflow != null) {
      detail.add(
          node(
              "Workflow",
              text("RunId", workflow.runId()),
              text("WorkflowId", workflow.workflowId()),
              text("WorkflowName", workflow.workflowName()),
              text("Name", workflow.nodeName())));
    }
    return new Document.Node("JobsDetail", detail);
  }

  /**
   * Key/Value pairs in the order the client sent them: repeated elements in XML, an array in JSON.
   */
  public static Document.Repeated cosHeaders(List<CosHeader> headers) {
    return new Document.Repeated(
        "CosHeaders",
        headers.stream()
            .map(h -> node("CosHeaders", text("Key", h.key()), text("Value", h.value())))
            .toList());
  }

  /**
   * Output and UserData as the seed shows them; a job run with a template also names it, in the
   * alphabetical place of the seed's other elements.
   */
  private static Document.Node operation(Job job) {
    ObjectRef output = job.operation().output();
    List<Document> operation = new ArrayList<>();
    operation.add(
        node(
            "Output",
            text("Bucket", output.bucket()),
            text("Object", output.key()),
            text("Region", output.region())));
    if (!job.operation().templateId().isEmpty()) {
      operation.add(text("TemplateId", job.operation().templateId()));
      operation.add(text("TemplateName", job.operation().templateName()));
    }
    operation.add(text("UserData", job.operation().userData()));
    return new Document.Node("Operation", operation);
  }
}
