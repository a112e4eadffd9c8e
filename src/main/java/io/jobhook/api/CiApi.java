package io.jobhook.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.jobhook.callback.CallbackFormat;
import io.jobhook.callback.CallbackRequest;
import io.jobhook.callback.CallbackUrl;
import io.jobhook.callback.http.AddressGuard;
import io.jobhook.job.Job;
import io.jobhook.job.JobOperation;
import io.jobhook.job.JobPage;
import io.jobhook.job.JobQuery;
import io.jobhook.job.JobService;
import io.jobhook.job.JobState;
import io.jobhook.job.NewJob;
import io.jobhook.job.ObjectRef;
import io.jobhook.job.Queue;
import io.jobhook.job.QueueService;
import io.jobhook.job.QueueUpdate;
import io.jobhook.wire.CiTimes;
import java.net.InetAddress;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The CI media API: {@code /jobs} and {@code /queue} (contract §3.1-3.7); workflows in {@link
 * WorkflowApi}.
 */
final class CiApi {
  private static final DateTimeFormatter QUERY_TIME =
      new DateTimeFormatterBuilder()
          .appendPattern("yyyy-MM-dd'T'HH:mm:ss")
          .appendPattern("[XXX][XX][X]")
          .toFormatter(Locale.ROOT);

  private final JobService jobs;
  private final QueueService queues;
  private final CiDocuments documents;
  private final AddressGuard callbackGuard;
  private final CallbacksApi callbacks;
  private final WorkflowApi workflows;

  CiApi(
      JobService jobs,
      QueueService queues,
      CiTimes times,
      AddressGuard callbackGuard,
      CallbacksApi callbacks,
      WorkflowApi workflows) {
    this.callbacks = callbacks;
    this.workflows = workflows;
    this.jobs = jobs;
    this.queues = queues;
    this.documents = new CiDocuments(times);
    this.callbackGuard = callbackGuard;
  }

  /** Dispatches one CI request; the caller has verified the signature. */
  void handle(Context ctx, VirtualHost host, RequestTarget target, String requestId) {
    String method = ctx.method().name();
    String[] segments = target.path().substring(1).split("/", -1);
    String resource = segments[0];
    String id = segments.length > 1 ? segments[1] : null;
    if (resource.equals("callbacks")) {
      callbacks.callbacks(ctx, host, target, requestId, segments);
      return;
    }
    if (resource.equals("callbacksecret")) {
      callbacks.secret(ctx, host, target, requestId, segments);
      return;
    }
    switch (resource) {
      case "workflow" -> {
        workflows.workflow(ctx, host, target, requestId, segments);
        return;
      }
      case "triggerworkflow" -> {
        workflows.trigger(ctx, host, target, requestId);
        return;
      }
      case "workflowexecution" -> {
        workflows.executions(ctx, host, target, requestId, segments);
        return;
      }
      default -> {}
    }
    if (segments.length > 2) {
      throw notFound(target.path());
    }
    switch (resource) {
      case "jobs" -> {
        if (id == null && method.equals("POST")) {
          submit(ctx, host);
        } else if (id == null && method.equals("GET")) {
          list(ctx, host, target);
        } else if (id != null && !id.isEmpty() && method.equals("GET")) {
          xml(ctx, documents.job(jobs.get(host.bucket(), id)));
        } else if (id != null && !id.isEmpty() && method.equals("PUT")) {
          xml(ctx, documents.job(jobs.cancel(host.bucket(), id)));
        } else {
          throw methodNotAllowed(method, target.path());
        }
      }
      case "queue" -> {
        if (id == null && method.equals("GET")) {
          listQueues(ctx, host, target, requestId);
        } else if (id != null && !id.isEmpty() && (method.equals("PUT") || method.equals("POST"))) {
          updateQueue(ctx, host, id, requestId);
        } else {
          throw methodNotAllowed(method, target.path());
        }
      }
      case "template", "inventorytriggerjob" ->
          throw new ApiException(
              501,
              "NotImplemented",
              "/" + resource + " is not implemented by this jobhook version");
      default -> throw notFound(target.path());
    }
  }

  private void submit(Context ctx, VirtualHost host) {
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
    inputObject = stripLeadingSlash(inputObject);
    JsonNode op = req.get("Operation");
    int jobLevel = 0;
    String level = CiXml.text(req, "Operation", "JobLevel");
    if (level != null) {
      try {
        jobLevel = Integer.parseInt(level);
      } catch (NumberFormatException e) {
        jobLevel = -1;
      }
      if (jobLevel < 0 || jobLevel > 2) {
        throw ApiException.invalidArgument(
            "Operation/JobLevel must be 0, 1 or 2, not '" + level + "'");
      }
    }
    String outBucket = CiXml.text(req, "Operation", "Output", "Bucket");
    String outRegion = CiXml.text(req, "Operation", "Output", "Region");
    String outObject = CiXml.text(req, "Operation", "Output", "Object");
    ObjectRef output =
        new ObjectRef(
            outBucket == null ? host.bucket() : outBucket.toLowerCase(Locale.ROOT),
            outRegion == null ? host.region() : outRegion,
            outObject == null ? "" : stripLeadingSlash(outObject));
    if (!output.bucket().equals(host.bucket())) {
      throw ApiException.invalidArgument(
          "Operation/Output/Bucket must be the job's bucket " + host.bucket());
    }
    Map<String, String> settings = new LinkedHashMap<>();
    JsonNode tagSettings = op == null ? null : op.get(tag);
    if (tagSettings != null && tagSettings.isObject()) {
      tagSettings
          .fields()
          .forEachRemaining(
              e -> {
                String value = CiXml.text(tagSettings, e.getKey());
                if (value != null) {
                  settings.put(e.getKey(), value);
                }
              });
    }
    JobOperation operation =
        new JobOperation(
            output,
            orEmpty(CiXml.text(req, "Operation", "TemplateId")),
            orEmpty(CiXml.text(req, "Operation", "UserData")),
            jobLevel,
            settings);
    Job job =
        jobs.submit(
            new NewJob(
                host.bucket(),
                host.region(),
                CiXml.text(req, "QueueId"),
                tag,
                inputObject,
                operation,
                callbackRequest(req)));
    xml(ctx, documents.job(job));
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
    if (type != null && !type.equalsIgnoreCase("Url")) {
      throw ApiException.invalidArgument(
          "CallBackType '" + type + "' is not supported by jobhook; use Url");
    }
    if (url != null && url.equalsIgnoreCase("no")) {
      return new CallbackRequest(null, true, parsedFormat, type);
    }
    if (url != null) {
      checkCallbackUrl(url);
    }
    return new CallbackRequest(url, false, parsedFormat, type);
  }

  /** Refuses at submit time what delivery would refuse anyway: bad URLs and literal private IPs. */
  private void checkCallbackUrl(String url) {
    CallbackUrl parsed;
    try {
      parsed = CallbackUrl.parse(url);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalidArgument("CallBack: " + e.getMessage());
    }
    if (parsed.isLiteral()) {
      try {
        if (!callbackGuard.allows(InetAddress.getByName(parsed.host()))) { // a literal: no lookup
          throw ApiException.invalidArgument(
              "CallBack address "
                  + parsed.host()
                  + " is private or loopback; start jobhook with --allow-private-callbacks for local development");
        }
      } catch (java.net.UnknownHostException e) {
        throw ApiException.invalidArgument(
            "CallBack host '" + parsed.host() + "' is not a valid address");
      }
    }
  }

  private void list(Context ctx, VirtualHost host, RequestTarget target) {
    int size = intParam(target, "size", 10, 1, 100);
    String order = target.param("orderByTime");
    boolean ascending = order != null && order.equalsIgnoreCase("Asc");
    if (order != null && !ascending && !order.equalsIgnoreCase("Desc")) {
      throw ApiException.invalidArgument("orderByTime must be Desc or Asc");
    }
    Set<JobState> states = null;
    String statesParam = target.param("states");
    if (statesParam != null && !statesParam.isBlank()) {
      states = EnumSet.noneOf(JobState.class);
      for (String s : statesParam.split(",")) {
        String name = s.trim();
        if (name.equalsIgnoreCase("All")) {
          states = null;
          break;
        }
        states.add(parseState(name));
      }
    }
    Long after = null;
    String token = target.param("nextToken");
    if (token != null && !token.isEmpty()) {
      after = decodeToken(token);
    }
    JobQuery query =
        new JobQuery(
            emptyToNull(target.param("queueId")),
            emptyToNull(target.param("tag")),
            states,
            time(target, "startCreationTime"),
            time(target, "endCreationTime"),
            ascending,
            after,
            size);
    JobPage page = jobs.list(host.bucket(), query);
    xml(ctx, documents.jobs(page, page.nextSeq() == null ? "" : encodeToken(page.nextSeq())));
  }

  private static JobState parseState(String name) {
    for (JobState s : JobState.values()) {
      if (s.name().equalsIgnoreCase(name)) {
        return s;
      }
    }
    if (name.equalsIgnoreCase("Pause")) {
      return JobState.Submitted; // jobhook holds jobs of a paused queue as Submitted
    }
    throw ApiException.invalidArgument("states: unknown job state '" + name + "'");
  }

  static String encodeToken(long seq) {
    return "n" + Long.toString(seq, 36);
  }

  static long decodeToken(String token) {
    try {
      if (!token.startsWith("n")) {
        throw new NumberFormatException();
      }
      return Long.parseLong(token.substring(1), 36);
    } catch (NumberFormatException e) {
      throw ApiException.invalidArgument("nextToken '" + token + "' was not issued by this server");
    }
  }

  static Instant time(RequestTarget target, String name) {
    String value = emptyToNull(target.param(name));
    if (value == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(value, QUERY_TIME).toInstant();
    } catch (DateTimeParseException e) {
      throw ApiException.invalidArgument(
          name + " '" + value + "' is not a time like 2024-05-01T00:00:00+0800");
    }
  }

  private void listQueues(Context ctx, VirtualHost host, RequestTarget target, String requestId) {
    int pageNumber = intParam(target, "pageNumber", 1, 1, Integer.MAX_VALUE);
    int pageSize = intParam(target, "pageSize", 10, 1, 100);
    String state = emptyToNull(target.param("state"));
    if (state != null && !state.equals("Active") && !state.equals("Paused")) {
      throw ApiException.invalidArgument("state must be Active or Paused");
    }
    List<Queue> all = queues.list(host.bucket());
    List<String> missing = new ArrayList<>();
    String ids = emptyToNull(target.param("queueIds"));
    List<Queue> matching = all;
    if (ids != null) {
      List<String> wanted =
          List.of(ids.split(",")).stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
      matching = all.stream().filter(q -> wanted.contains(q.id())).toList();
      wanted.stream()
          .filter(w -> all.stream().noneMatch(q -> q.id().equals(w)))
          .forEach(missing::add);
    }
    if (state != null) {
      matching = matching.stream().filter(q -> q.state().name().equals(state)).toList();
    }
    xml(
        ctx,
        documents.queues(
            requestId,
            page(matching, pageNumber, pageSize),
            matching.size(),
            pageNumber,
            pageSize,
            missing));
  }

  private void updateQueue(Context ctx, VirtualHost host, String queueId, String requestId) {
    JsonNode req = CiXml.parseRequest(HttpServer.readBody(ctx, CiXml.MAX_BODY_BYTES));
    String bodyId = CiXml.text(req, "QueueId");
    if (bodyId != null && !bodyId.equals(queueId)) {
      throw ApiException.invalidArgument(
          "QueueId in the body (" + bodyId + ") differs from the path (" + queueId + ")");
    }
    String stateText = CiXml.text(req, "State");
    Queue.QueueState state = null;
    if (stateText != null) {
      try {
        state = Queue.QueueState.valueOf(stateText);
      } catch (IllegalArgumentException e) {
        throw ApiException.invalidArgument(
            "State must be Active or Paused, not '" + stateText + "'");
      }
    }
    String notifyUrl = CiXml.text(req, "NotifyConfig", "Url");
    if (notifyUrl != null) {
      checkCallbackUrl(notifyUrl);
    }
    String notifyType = CiXml.text(req, "NotifyConfig", "Type");
    if (notifyType != null && !notifyType.equalsIgnoreCase("Url")) {
      throw ApiException.invalidArgument(
          "NotifyConfig/Type '" + notifyType + "' is not supported by jobhook; use Url");
    }
    String notifyState = CiXml.text(req, "NotifyConfig", "State");
    if (notifyState != null && !notifyState.equals("On") && !notifyState.equals("Off")) {
      throw ApiException.invalidArgument("NotifyConfig/State must be On or Off");
    }
    String event = CiXml.text(req, "NotifyConfig", "Event");
    if (event != null) {
      for (String e : event.split(",")) {
        if (!e.trim().equals("TaskFinish") && !e.trim().equals("WorkflowFinish")) {
          throw ApiException.invalidArgument(
              "NotifyConfig/Event '" + e.trim() + "' is not TaskFinish or WorkflowFinish");
        }
      }
    }
    String resultFormat = CiXml.text(req, "NotifyConfig", "ResultFormat");
    if (resultFormat != null
        && !resultFormat.equalsIgnoreCase("XML")
        && !resultFormat.equalsIgnoreCase("JSON")) {
      throw ApiException.invalidArgument("NotifyConfig/ResultFormat must be XML or JSON");
    }
    Queue updated =
        queues.update(
            host.bucket(),
            queueId,
            new QueueUpdate(
                CiXml.text(req, "Name"),
                state,
                notifyUrl,
                notifyType == null ? null : "Url",
                event,
                notifyState,
                resultFormat == null ? null : resultFormat.toUpperCase(Locale.ROOT)));
    xml(ctx, documents.queueUpdated(requestId, updated));
  }

  /**
   * Page {@code pageNumber} (from 1) of {@code all}; empty past the end, however large the number.
   */
  static <T> List<T> page(List<T> all, int pageNumber, int pageSize) {
    long from = (long) (pageNumber - 1) * pageSize;
    return from >= all.size()
        ? List.of()
        : all.subList((int) from, (int) Math.min(all.size(), from + pageSize));
  }

  static int intParam(RequestTarget target, String name, int fallback, int min, int max) {
    String v = emptyToNull(target.param(name));
    if (v == null) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(v.trim());
      if (n < min || n > max) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw ApiException.invalidArgument(
          name + " must be an integer from " + min + " to " + max + ", not '" + v + "'");
    }
  }

  private static void xml(Context ctx, byte[] body) {
    ctx.status(200).contentType("application/xml").result(body);
  }

  private static ApiException notFound(String path) {
    return new ApiException(404, "NoSuchResource", "no CI API at " + path);
  }

  private static ApiException methodNotAllowed(String method, String path) {
    return new ApiException(405, "MethodNotAllowed", method + " is not allowed on " + path);
  }

  static String emptyToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }

  private static String stripLeadingSlash(String key) {
    return key.startsWith("/") ? key.substring(1) : key;
  }
}
