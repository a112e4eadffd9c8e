package io.jobhook.api;

import static io.jobhook.wire.Document.node;
import static io.jobhook.wire.Document.text;

import io.javalin.http.Context;
import io.jobhook.callback.KafkaTarget;
import io.jobhook.callback.NotifyConfig;
import io.jobhook.job.Job;
import io.jobhook.job.JobPage;
import io.jobhook.job.JobState;
import io.jobhook.job.Queue;
import io.jobhook.wire.CiTimes;
import io.jobhook.wire.Document;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders CI response documents with the element order the SDK's parsers need (contract §3): {@code
 * Object} last inside {@code Input} for the v1 parsers, each singular element once for the v2
 * (XStream) parsers, "-" for times not yet known.
 */
final class CiDocuments {
  private final CiTimes times;

  CiDocuments(CiTimes times) {
    this.times = times;
  }

  /** Answers 200 with a rendered document. */
  static void respond(Context ctx, byte[] xml) {
    ctx.status(200).contentType("application/xml").result(xml);
  }

  byte[] job(Job job) {
    return Document.toXml(node("Response", jobsDetail(job)));
  }

  /** Several jobs by id: one JobsDetail each, then the ids that name no job. */
  byte[] jobs(List<Job> found, List<String> missingIds) {
    List<Document> children = new ArrayList<>();
    found.forEach(j -> children.add(jobsDetail(j)));
    missingIds.forEach(id -> children.add(text("NonExistJobIds", id)));
    return Document.toXml(new Document.Node("Response", children));
  }

  byte[] jobs(JobPage page, String nextToken) {
    List<Document> children = new ArrayList<>();
    page.jobs().forEach(j -> children.add(jobsDetail(j)));
    children.add(text("NextToken", nextToken));
    return Document.toXml(new Document.Node("Response", children));
  }

  private Document.Node jobsDetail(Job job) {
    var in = job.input();
    var op = job.operation();
    var out = op.output();
    List<Document> operation = new ArrayList<>();
    operation.add(text("TemplateId", op.templateId()));
    if (!op.templateName().isEmpty()) {
      operation.add(text("TemplateName", op.templateName()));
    }
    if (!op.settings().isEmpty()) {
      List<Document> settings = new ArrayList<>();
      op.settings().forEach((k, v) -> settings.add(text(k, v)));
      operation.add(new Document.Node(job.tag(), settings));
    }
    operation.add(
        node(
            "Output",
            text("Region", out.region()),
            text("Bucket", out.bucket()),
            text("Object", out.key())));
    operation.add(text("UserData", op.userData()));
    operation.add(text("JobLevel", Integer.toString(op.jobLevel())));
    if (job.state() == JobState.Success) {
      operation.add(
          node(
              "MediaResult",
              node(
                  "OutputFile",
                  text("Bucket", out.bucket()),
                  text("Region", out.region()),
                  text("ObjectName", out.key()))));
    }
    return node(
        "JobsDetail",
        text("Code", job.code()),
        text("Message", job.message()),
        text("JobId", job.id()),
        text("Tag", job.tag()),
        text("Progress", Integer.toString(job.progress())),
        text("State", job.state().name()),
        text("CreationTime", times.format(job.creationTime())),
        text("StartTime", times.format(job.startTime())),
        text("EndTime", times.format(job.endTime())),
        text("QueueId", job.queueId()),
        text("QueueType", "Common"),
        node(
            "Input",
            text("BucketId", in.bucket()),
            text("Region", in.region()),
            text("Object", in.key())),
        new Document.Node("Operation", operation));
  }

  byte[] queues(
      String requestId,
      List<Queue> page,
      int total,
      int pageNumber,
      int pageSize,
      List<String> missing) {
    List<Document> children = new ArrayList<>();
    children.add(text("RequestId", requestId));
    children.add(text("TotalCount", Integer.toString(total)));
    children.add(text("PageNumber", Integer.toString(pageNumber)));
    children.add(text("PageSize", Integer.toString(pageSize)));
    page.forEach(q -> children.add(queue("QueueList", q)));
    if (!missing.isEmpty()) {
      List<Document> ids = new ArrayList<>();
      missing.forEach(id -> ids.add(text("QueueID", id)));
      children.add(new Document.Node("NonExistPIDs", ids));
    }
    return Document.toXml(new Document.Node("Response", children));
  }

  byte[] queueUpdated(String requestId, Queue q) {
    return Document.toXml(node("Response", text("RequestId", requestId), queue("Queue", q)));
  }

  private Document.Node queue(String element, Queue q) {
    var n = q.notifyConfig();
    return node(
        element,
        text("QueueId", q.id()),
        text("Name", q.name()),
        text("State", q.state().name()),
        text("MaxSize", Integer.toString(q.maxSize())),
        text("MaxConcurrent", Integer.toString(q.maxConcurrent())),
        text("UpdateTime", times.format(q.updateTime())),
        text("CreateTime", times.format(q.createTime())),
        notifyConfig(n),
        text("Category", q.category()),
        text("BucketId", q.bucket()),
        text("BucketName", q.bucket()));
  }

  /**
   * A NotifyConfig as CI shows it: {@code Url} for the Url type; for Kafka an empty {@code Url} and
   * {@code KafkaConfig{Region, InstanceId, Topic}}.
   */
  static Document.Node notifyConfig(NotifyConfig n) {
    boolean kafka = KafkaTarget.isKafka(n.url());
    List<Document> children = new ArrayList<>();
    children.add(text("Url", kafka ? "" : n.url()));
    children.add(text("Event", n.event()));
    children.add(text("Type", n.type()));
    children.add(text("State", n.state()));
    children.add(text("ResultFormat", n.resultFormat()));
    if (kafka) {
      KafkaTarget target = KafkaTarget.parse(n.url());
      children.add(
          node(
              "KafkaConfig",
              text("Region", target.region()),
              text("InstanceId", target.instanceId()),
              text("Topic", target.topic())));
    }
    return new Document.Node("NotifyConfig", children);
  }

  static byte[] error(String code, String message, String requestId) {
    String body =
        new String(
            Document.toXml(
                node(
                    "Error",
                    text("Code", code),
                    text("Message", message),
                    text("RequestId", requestId))),
            java.nio.charset.StandardCharsets.UTF_8);
    return ("<?xml version='1.0' encoding='utf-8' ?>\n" + body)
        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }
}
