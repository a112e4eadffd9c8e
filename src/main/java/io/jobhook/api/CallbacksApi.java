package io.jobhook.api;

import static io.jobhook.wire.Document.node;
import static io.jobhook.wire.Document.text;

import io.javalin.http.Context;
import io.jobhook.callback.CallbackLog;
import io.jobhook.callback.CallbackOutbox.DeliveryState;
import io.jobhook.callback.Redelivery;
import io.jobhook.callback.SigningSecrets;
import io.jobhook.wire.CiTimes;
import io.jobhook.wire.Document;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * jobhook's own CI-style API for the delivery log, redelivery and signing secrets (not part of
 * Tencent CI; documented in the README). XML by default, JSON with {@code ?format=json} or {@code
 * Accept: application/json}.
 */
final class CallbacksApi {
  private final CallbackLog log;
  private final Redelivery redelivery;
  private final SigningSecrets secrets;
  private final CiTimes times;

  CallbacksApi(CallbackLog log, Redelivery redelivery, SigningSecrets secrets, CiTimes times) {
    this.log = log;
    this.redelivery = redelivery;
    this.secrets = secrets;
    this.times = times;
  }

  void callbacks(
      Context ctx, VirtualHost host, RequestTarget target, String requestId, String[] segments) {
    target.requireAllSigned();
    String method = ctx.method().name();
    if (segments.length == 1 && method.equals("GET")) {
      list(ctx, host, target, requestId);
    } else if (segments.length == 2 && segments[1].equals("redeliver") && method.equals("POST")) {
      int n =
          redelivery.failed(
              host.bucket(),
              QueryParams.text(target, "queueId"),
              QueryParams.time(target, "startTime"),
              QueryParams.time(target, "endTime"));
      respond(
          ctx,
          target,
          node("Response", text("RequestId", requestId), text("Redelivered", Integer.toString(n))));
    } else if (segments.length == 2 && method.equals("GET")) {
      CallbackLog.Entry entry =
          log.find(host.bucket(), segments[1]).orElseThrow(() -> noSuchCallback(segments[1]));
      respond(ctx, target, node("Response", text("RequestId", requestId), entry(entry)));
    } else if (segments.length == 3 && segments[2].equals("redeliver") && method.equals("POST")) {
      if (!redelivery.one(host.bucket(), segments[1])) {
        throw noSuchCallback(segments[1]);
      }
      respond(
          ctx, target, node("Response", text("RequestId", requestId), text("Redelivered", "1")));
    } else {
      throw ApiException.methodNotAllowed(method, target.path());
    }
  }

  void secret(
      Context ctx, VirtualHost host, RequestTarget target, String requestId, String[] segments) {
    target.requireAllSigned();
    String method = ctx.method().name();
    List<SigningSecrets.Secret> current;
    if (segments.length == 1 && method.equals("GET")) {
      current = secrets.active(host.bucket());
    } else if (segments.length == 2 && segments[1].equals("rotate") && method.equals("POST")) {
      String grace = QueryParams.text(target, "graceSeconds");
      long seconds;
      try {
        seconds = grace == null ? 86_400 : Long.parseLong(grace);
        if (seconds < 0 || seconds > 30L * 86_400) {
          throw new NumberFormatException();
        }
      } catch (NumberFormatException e) {
        throw ApiException.invalidArgument("graceSeconds must be an integer from 0 to 2592000");
      }
      current = secrets.rotate(host.bucket(), Duration.ofSeconds(seconds));
    } else {
      throw ApiException.methodNotAllowed(method, target.path());
    }
    List<Document> children = new ArrayList<>();
    children.add(text("RequestId", requestId));
    List<Document.Node> items =
        current.stream()
            .map(
                s ->
                    node(
                        "Secret",
                        text("Value", s.value()),
                        text("CreationTime", times.format(s.createdAt())),
                        text("ExpireTime", times.format(s.expiresAt()))))
            .toList();
    children.add(new Document.Repeated("Secret", items));
    respond(ctx, target, new Document.Node("Response", children));
  }

  private void list(Context ctx, VirtualHost host, RequestTarget target, String requestId) {
    DeliveryState state = null;
    String stateParam = QueryParams.text(target, "state");
    if (stateParam != null) {
      try {
        state = DeliveryState.valueOf(stateParam);
      } catch (IllegalArgumentException e) {
        throw ApiException.invalidArgument("state must be Pending, Delivered or Failed");
      }
    }
    CallbackLog.Page page =
        log.list(
            host.bucket(),
            new CallbackLog.Query(
                QueryParams.text(target, "jobId"),
                QueryParams.text(target, "queueId"),
                state,
                QueryParams.time(target, "startTime"),
                QueryParams.time(target, "endTime"),
                QueryParams.after(target),
                QueryParams.integer(target, "size", 10, 1, 100)));
    List<Document> children = new ArrayList<>();
    children.add(text("RequestId", requestId));
    children.add(
        new Document.Repeated("Callback", page.entries().stream().map(this::entry).toList()));
    children.add(text("NextToken", QueryParams.nextToken(page.nextSeq())));
    respond(ctx, target, new Document.Node("Response", children));
  }

  private Document.Node entry(CallbackLog.Entry e) {
    List<Document.Node> attempts =
        e.attemptLog().stream()
            .map(
                a ->
                    node(
                        "Attempt",
                        text("Number", Integer.toString(a.number())),
                        text("Time", times.format(a.at())),
                        text("Address", a.address()),
                        text("Status", Integer.toString(a.status())),
                        text("LatencyMs", Long.toString(a.latencyMillis())),
                        text("Error", a.error()),
                        text("Response", a.responseSnippet())))
            .toList();
    return node(
        "Callback",
        text("CallbackId", e.id()),
        text("JobId", e.jobId()),
        text("QueueId", e.queueId()),
        text("EventName", e.eventName()),
        text("Url", e.url()),
        text("ContentType", e.contentType()),
        text("State", e.state().name()),
        text("Attempts", Integer.toString(e.attempts())),
        text("CreationTime", times.format(e.createdAt())),
        text("NextAttemptTime", times.format(e.nextAttemptAt())),
        text("DeliveredTime", times.format(e.deliveredAt())),
        text("LastError", e.lastError()),
        new Document.Repeated("Attempt", attempts));
  }

  /** Answers with the document as XML, or as JSON when {@code ?format=json} or Accept asks. */
  static void respond(Context ctx, RequestTarget target, Document.Node root) {
    String format = target.param("format");
    String accept = ctx.header("Accept");
    boolean json =
        (format != null && format.toLowerCase(Locale.ROOT).equals("json"))
            || (format == null && accept != null && accept.contains("application/json"));
    if (json) {
      ctx.status(200).contentType("application/json").result(Document.toJson(root));
    } else {
      ctx.status(200).contentType("application/xml").result(Document.toXml(root));
    }
  }

  private static ApiException noSuchCallback(String id) {
    return new ApiException(404, "NoSuchCallback", "callback " + id + " does not exist");
  }
}
