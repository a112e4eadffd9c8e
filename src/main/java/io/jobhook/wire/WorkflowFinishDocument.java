package io.jobhook.wire;

import static io.jobhook.wire.Document.node;
import static io.jobhook.wire.Document.text;

import io.jobhook.callback.CallbackBody;
import io.jobhook.callback.CallbackEvent;
import io.jobhook.callback.CallbackFormat;
import io.jobhook.job.Job;
import io.jobhook.workflow.WorkflowFinishBodies;
import io.jobhook.workflow.WorkflowRun;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders the WorkflowFinish notification (contract §5.2): {@code
 * <Response><EventName>WorkflowFinish </EventName><WorkflowExecution>} with RunId, BucketId,
 * Object, CosHeaders, WorkflowId, WorkflowName, CreateTime, State and one {@code Tasks} per job the
 * run started, in XML or JSON from one tree.
 */
public final class WorkflowFinishDocument implements WorkflowFinishBodies {
  private final CiTimes times;

  public WorkflowFinishDocument(CiTimes times) {
    this.times = times;
  }

  @Override
  public CallbackBody render(WorkflowRun run, List<Job> jobs, CallbackFormat format) {
    List<Document> execution =
        new ArrayList<>(
            List.of(
                text("RunId", run.id()),
                text("BucketId", run.bucket()),
                text("Object", run.objectKey()),
                TaskFinishDocument.cosHeaders(run.cosHeaders()),
                text("WorkflowId", run.workflowId()),
                text("WorkflowName", run.workflowName()),
                text("CreateTime", times.format(run.createTime())),
                text("State", run.state().name())));
    execution.add(tasks(jobs));
    return TaskFinishDocument.body(
        node(
            "Response",
            text("EventName", CallbackEvent.WorkflowFinish.name()),
            new Document.Node("WorkflowExecution", execution)),
        format);
  }

  /** One {@code Tasks} item per job; the same items the execution API lists. */
  public Document.Repeated tasks(List<Job> jobs) {
    return new Document.Repeated(
        "Tasks",
        jobs.stream()
            .map(
                job ->
                    node(
                        "Tasks",
                        text("Type", job.tag()),
                        text("State", job.state().name()),
                        text("JobId", job.id()),
                        text("CreateTime", times.format(job.creationTime())),
                        text("StartTime", times.format(job.startTime())),
                        text("EndTime", times.format(job.endTime())),
                        text("Code", job.code()),
                        text("Message", job.message()),
                        text("Name", job.workflow() == null ? "" : job.workflow().nodeName())))
            .toList());
  }
}
