package io.jobhook.wire;

import static io.jobhook.wire.Document.node;
import static io.jobhook.wire.Document.text;

import io.jobhook.callback.CallbackBody;
import io.jobhook.callback.CallbackEvent;
import io.jobhook.callback.CallbackFormat;
import io.jobhook.job.Job;
import io.jobhook.job.JobState;
import io.jobhook.job.ObjectRef;
import io.jobhook.workflow.WorkflowFinishBodies;
import io.jobhook.workflow.WorkflowRun;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders the WorkflowFinish notification (contract §5.2, §10.4): {@code
 * <Response><EventName>WorkflowFinish</EventName><WorkflowExecution>} with RunId, BucketId, Object,
 * CosHeaders, WorkflowId, WorkflowName, CreateTime, State and one {@code Tasks} per job the run
 * started, times with a space as CI writes them there, in XML or JSON from one tree.
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
                text("CreateTime", times.formatSpaced(run.createTime())),
                text("State", run.state().name())));
    execution.add(finishedTasks(jobs));
    return TaskFinishDocument.body(
        node(
            "Response",
            text("EventName", CallbackEvent.WorkflowFinish.name()),
            new Document.Node("WorkflowExecution", execution)),
        format);
  }

  /** One {@code Tasks} item per job, as the execution API lists them. */
  public Document.Repeated tasks(List<Job> jobs) {
    return new Document.Repeated(
        "Tasks",
        jobs.stream()
            .map(
                job -> {
                  List<Document> task =
                      new ArrayList<>(
                          List.of(
                              text("Type", job.tag()),
                              text("State", job.state().name()),
                              text("JobId", job.id()),
                              text("CreateTime", times.format(job.creationTime())),
                              text("StartTime", times.format(job.startTime())),
                              text("EndTime", times.format(job.endTime())),
                              text("Code", job.code()),
                              text("Message", job.message()),
                              text("Name", nodeName(job))));
                  template(job, task);
                  return new Document.Node("Tasks", task);
                })
            .toList());
  }

  /**
   * One {@code Tasks} item per job, as the notification carries them (contract §10.4, CI's
   * documentation): Type, CreateTime, EndTime, State, JobId, Name, the template, and ResultInfo
   * with the task's output; then StartTime, Code and Message, which say why a task failed.
   */
  private Document.Repeated finishedTasks(List<Job> jobs) {
    return new Document.Repeated(
        "Tasks",
        jobs.stream()
            .map(
                job -> {
                  List<Document> task =
                      new ArrayList<>(
                          List.of(
                              text("Type", job.tag()),
                              text("CreateTime", times.formatSpaced(job.creationTime())),
                              text("EndTime", times.formatSpaced(job.endTime())),
                              text("State", job.state().name()),
                              text("JobId", job.id()),
                              text("Name", nodeName(job))));
                  template(job, task);
                  task.add(text("StartTime", times.formatSpaced(job.startTime())));
                  task.add(text("Code", job.code()));
                  task.add(text("Message", job.message()));
                  task.add(resultInfo(job));
                  return new Document.Node("Tasks", task);
                })
            .toList());
  }

  /**
   * The task's output as CI reports it: its key, its URL on the bucket's COS host and the input's
   * name; for a task without output, the input and why.
   */
  private static Document.Node resultInfo(Job job) {
    ObjectRef input = job.input();
    if (job.state() != JobState.Success) {
      return node(
          "ResultInfo",
          text("ObjectCount", "0"),
          node(
              "ObjectInfo",
              text("InputObjectName", input.key()),
              text("Code", job.code()),
              text("Message", job.message())));
    }
    ObjectRef output = job.operation().output();
    return node(
        "ResultInfo",
        text("ObjectCount", "1"),
        node(
            "ObjectInfo",
            text("ObjectName", output.key()),
            text("ObjectUrl", objectUrl(output)),
            text("InputObjectName", input.key()),
            text("Code", job.code()),
            text("Message", job.message())));
  }

  /** {@code https://<bucket>.cos.<region>.myqcloud.com/<key>}, the key's segments escaped. */
  static String objectUrl(ObjectRef object) {
    StringBuilder url =
        new StringBuilder("https://")
            .append(object.bucket())
            .append(".cos.")
            .append(object.region())
            .append(".myqcloud.com");
    for (String segment : object.key().split("/", -1)) {
      url.append('/')
          .append(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"));
    }
    return url.toString();
  }

  private static void template(Job job, List<Document> task) {
    if (!job.operation().templateId().isEmpty()) {
      task.add(text("TemplateId", job.operation().templateId()));
      task.add(text("TemplateName", job.operation().templateName()));
    }
  }

  private static String nodeName(Job job) {
    return job.workflow() == null ? "" : job.workflow().nodeName();
  }
}
