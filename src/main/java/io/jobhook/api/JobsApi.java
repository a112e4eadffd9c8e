package io.jobhook.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.jobhook.callback.CallbackFormat;
import io.jobhook.callback.CallbackRequest;
import io.jobhook.callback.KafkaTarget;
import io.jobhook.job.Job;
import io.jobhook.job.JobOperation;
import io.jobhook.job.JobPage;
import io.jobhook.job.JobQuery;
import io.jobhook.job.JobService;
import io.jobhook.job.JobState;
import io.jobhook.job.JobsException;
import io.jobhook.job.NewJob;
import io.jobhook.job.ObjectRef;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** {@code /jobs}: submit, list, describe and cancel (contract §3.1-3.4). */
final class JobsApi {
  /** The most ids one {@code GET /jobs/<ids>} may name. */
  static final int MAX_IDS = 100;

  private final JobService jobs;
  private final CiDocuments documents;
  private final CallbackUrlCheck callbackUrls;

  JobsApi(JobService jobs, CiDocuments documents, CallbackUrlCheck callbackUrls) {
    this.jobs = jobs;
    this.documents = documents;
    this.callbackUrls = callbackUrls;
  }

  void handle(Context ctx, VirtualHost host, RequestTarget target, String[] segments) {
    String method = ctx.method().name();
    String id = segments.length > 1 ? segments[1] : null;
    if (id == null && method.equals("POST")) {
      CiDocuments.respond(ctx, documents.job(submit(ctx, host)));
    } else if (id == null && method.equals("GET")) {
      list(ctx, host, target);
    } else if (id != null && id.contains(",") && method.equals("GET")) {
      describeSeveral(ctx, host, id);
    } else if (id != null && !id.isEmpty() && method.equals("GET")) {
      CiDocuments.respond(
          ctx,
          documents.job(
              jobs.describe(host.bucket(), id).orElseThrow(() -> new JobsException.NoSuchJob(id))));
    } else if (id != null && !id.isEmpty() && method.equals("PUT")) {
      // PUT /jobs/<id> cancels, with or without the ?cancel the Go SDK adds
      CiDocuments.respond(ctx, documents.job(jobs.cancel(host.bucket(), id)));
    } else {
      throw ApiException.methodNotAllowed(method, target.path());
    }
  }

  /** The Python SDK's {@code GET /jobs/<id1>,<id2>,...}: the known jobs and the unknown ids. */
  private void describeSeveral(Context ctx, VirtualHost host, String ids) {
    List<String> wanted =
        Arrays.stream(ids.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    if (wanted.isEmpty() || wanted.size() > MAX_IDS) {
      throw ApiException.invalidArgument("give 1 to " + MAX_IDS + " job ids, separated by commas");
    }
    List<Job> found = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (String id : new LinkedHashSet<>(wanted)) {
      jobs.describe(host.bucket(), id).ifPresentOrElse(found::add, () -> missing.add(id));
    }
    CiDocuments.respond(ctx, documents.jobs(found, missing));
  }

  private Job submit(Context ctx, VirtualHost host) {
    JsonNode req = CiXml.parseRequest(HttpServer.readBody(ctx, CiXml.MAX_BODY_BYTES));
    String tag = CiXml.text(req, "Tag");
    if (tag == null) {
      throw ApiException.invalidArgument("Tag is required");
    }
    String inputObject = CiXml.text(req, "Input", "Object");
    if (inputObject == null) {
      if (CiXml.text(req, "Input", "Url") != null) {
        throw ApiException.invalidArgument(
            "Input/Url is not supported; upload the input and use Input/Object");
      }
      throw ApiException.invalidArgument("Input/Object is required");
    }
    String outBucket = CiXml.text(req, "Operation", "Output", "Bucket");
    String outRegion = CiXml.text(req, "Operation", "Output", "Region");
    String outObject = CiXml.text(req, "Operation", "Output", "Object");
    ObjectRef output =
        new ObjectRef(
            outBucket == null ? host.bucket() : outBucket.toLowerCase(Locale.ROOT),
            outRegion == null ? host.region() : outRegion,
            outObject == null ? "" : CiXml.objectKey(outObject));
    if (!output.bucket().equals(host.bucket())) {
      throw ApiException.invalidArgument(
          "Operation/Output/Bucket must be the job's bucket " + host.bucket());
    }
    JobOperation operation =
        new JobOperation(
            output,
            CiXml.textOrEmpty(req, "Operation", "TemplateId"),
            CiXml.textOrEmpty(req, "Operation", "UserData"),
            jobLevel(req),
            settings(req, tag));
    return jobs.submit(
        new NewJob(
            host.bucket(),
            host.region(),
            CiXml.text(req, "QueueId"),
            tag,
            CiXml.objectKey(inputObject),
            operation,
            callbackRequest(req)));
  }

  private static int jobLevel(JsonNode req) {
    String level = CiXml.text(req, "Operation", "JobLevel");
    if (level == null) {
      return 0;
    }
    int jobLevel;
    try {
      jobLevel = Integer.parseInt(level);
    } catch (NumberFormatException e) {
      jobLevel = -1;
    }
    if (jobLevel < 0 || jobLevel > 2) {
      throw ApiException.invalidArgument(
          "Operation/JobLevel must be 0, 1 or 2, not '" + level + "'");
    }
    return jobLevel;
  }

  /** The job kind's settings: the children of {@code Operation/<Tag>}, as text. */
  private static Map<String, String> settings(JsonNode req, String tag) {
    return CiXml.settings(req.get("Operation"), tag);
  }

  private CallbackRequest callbackRequest(JsonNode req) {
    String url = CiXml.text(req, "CallBack");
    String format = CiXml.text(req, "CallBackFormat");
    String type = CiXml.text(req, "CallBackType");
    CallbackFormat parsedFormat = null;
    if (format != null) {
      parsedFormat =
          switch (format.toUpperCase(Locale.ROOT)) {
            case "XML" -> CallbackFormat.XML;
            case "JSON" -> CallbackFormat.JSON;
            default ->
                throw ApiException.invalidArgument(
                    "CallBackFormat must be XML or JSON, not '" + format + "'");
          };
    }
    if (type != null && type.equalsIgnoreCase("Kafka")) {
      KafkaTarget kafka = callbackUrls.kafka("CallBackKafkaConfig", req.get("CallBackKafkaConfig"));
      return new CallbackRequest(kafka.url(), false, parsedFormat, "Kafka");
    }
    if (type != null && !type.equalsIgnoreCase("Url")) {
      throw ApiException.invalidArgument(
          "CallBackType '"
              + type
              + "' is not supported by jobhook: use Url (an HTTP(S) receiver) or Kafka");
    }
    if (url != null && url.equalsIgnoreCase("no")) {
      return new CallbackRequest(null, true, parsedFormat, type);
    }
    if (url != null) {
      callbackUrls.check("CallBack", url);
    }
    return new CallbackRequest(url, false, parsedFormat, type);
  }

  private void list(Context ctx, VirtualHost host, RequestTarget target) {
    if (QueryParams.text(target, "inventoryTriggerJobId") != null) {
      throw ApiException.invalidArgument(
          "inventoryTriggerJobId: jobhook has no inventory-triggered jobs; filter by workflowId,"
              + " inputObject or queueId");
    }
    JobQuery query =
        new JobQuery(
            QueryParams.text(target, "queueId"),
            QueryParams.text(target, "tag"),
            QueryParams.states(target, JobState.class, name -> Optional.empty()),
            QueryParams.time(target, "startCreationTime"),
            QueryParams.time(target, "endCreationTime"),
            QueryParams.ascending(target),
            QueryParams.after(target),
            QueryParams.integer(target, "size", 10, 1, 100),
            QueryParams.text(target, "workflowId"),
            objectKeyOrNull(QueryParams.text(target, "inputObject")));
    JobPage page = jobs.list(host.bucket(), query);
    CiDocuments.respond(ctx, documents.jobs(page, QueryParams.nextToken(page.nextSeq())));
  }

  private static String objectKeyOrNull(String key) {
    return key == null ? null : CiXml.objectKey(key);
  }
}
