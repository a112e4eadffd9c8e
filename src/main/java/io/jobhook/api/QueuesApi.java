package io.jobhook.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.jobhook.job.Queue;
import io.jobhook.job.QueueFilter;
import io.jobhook.job.QueueService;
import io.jobhook.job.QueueUpdate;

/** {@code /queue}: list and update (contract §3.5-3.7). */
final class QueuesApi {
  private final QueueService queues;
  private final CiDocuments documents;
  private final CallbackUrlCheck callbackUrls;

  QueuesApi(QueueService queues, CiDocuments documents, CallbackUrlCheck callbackUrls) {
    this.queues = queues;
    this.documents = documents;
    this.callbackUrls = callbackUrls;
  }

  void handle(
      Context ctx, VirtualHost host, RequestTarget target, String requestId, String[] segments) {
    String method = ctx.method().name();
    String id = segments.length > 1 ? segments[1] : null;
    if (id == null && method.equals("GET")) {
      list(ctx, host, target, requestId);
    } else if (id != null && !id.isEmpty() && (method.equals("PUT") || method.equals("POST"))) {
      update(ctx, host, id, requestId);
    } else {
      throw ApiException.methodNotAllowed(method, target.path());
    }
  }

  private void list(Context ctx, VirtualHost host, RequestTarget target, String requestId) {
    int pageNumber = QueryParams.integer(target, "pageNumber", 1, 1, Integer.MAX_VALUE);
    int pageSize = QueryParams.integer(target, "pageSize", 10, 1, 100);
    String state = QueryParams.text(target, "state");
    if (state != null && !state.equals("Active") && !state.equals("Paused")) {
      throw ApiException.invalidArgument("state must be Active or Paused");
    }
    QueueFilter.Matches matches =
        queues.list(
            host.bucket(),
            new QueueFilter(
                QueryParams.ids(target, "queueIds"),
                state == null ? null : Queue.QueueState.valueOf(state)));
    CiDocuments.respond(
        ctx,
        documents.queues(
            requestId,
            QueryParams.page(matches.queues(), pageNumber, pageSize),
            matches.queues().size(),
            pageNumber,
            pageSize,
            matches.missingIds()));
  }

  private void update(Context ctx, VirtualHost host, String queueId, String requestId) {
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
    NotifyConfigRequest notify = NotifyConfigRequest.parse(req, "NotifyConfig", callbackUrls);
    // not in the SDK's request, but what a queue is for: the console sets it too
    Integer maxConcurrent = QueueUpdate.maxConcurrent(CiXml.text(req, "MaxConcurrent"));
    Queue updated =
        queues.update(
            host.bucket(),
            queueId,
            new QueueUpdate(
                CiXml.text(req, "Name"),
                state,
                notify.url(),
                notify.type(),
                notify.event(),
                notify.state(),
                notify.resultFormat(),
                maxConcurrent));
    CiDocuments.respond(ctx, documents.queueUpdated(requestId, updated));
  }
}
