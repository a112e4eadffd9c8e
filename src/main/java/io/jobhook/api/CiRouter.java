package io.jobhook.api;

import io.javalin.http.Context;

/**
 * Sends a signed CI request to the API of its first path segment: {@code /jobs}, {@code /queue} and
 * {@code /asrqueue}, the workflow resources and jobhook's own {@code /callbacks}.
 */
final class CiRouter {
  private final JobsApi jobs;
  private final QueuesApi queues;
  private final WorkflowApi workflows;
  private final TemplatesApi templates;
  private final CallbacksApi callbacks;

  CiRouter(
      JobsApi jobs,
      QueuesApi queues,
      WorkflowApi workflows,
      TemplatesApi templates,
      CallbacksApi callbacks) {
    this.jobs = jobs;
    this.queues = queues;
    this.workflows = workflows;
    this.templates = templates;
    this.callbacks = callbacks;
  }

  /** Dispatches one CI request; the caller has verified the signature. */
  void handle(Context ctx, VirtualHost host, RequestTarget target, String requestId) {
    String[] segments = target.path().substring(1).split("/", -1);
    String resource = segments[0];
    switch (resource) {
      case "callbacks" -> callbacks.callbacks(ctx, host, target, requestId, segments);
      case "callbacksecret" -> callbacks.secret(ctx, host, target, requestId, segments);
      case "workflow" -> workflows.workflow(ctx, host, target, requestId, segments);
      case "triggerworkflow" -> workflows.trigger(ctx, host, target, requestId);
      case "workflowexecution" -> workflows.executions(ctx, host, target, requestId, segments);
      case "jobs" -> jobs.handle(ctx, host, target, atMostTwo(segments, target));
      // Smart Audio queues (where CI documents NoiseReduction) are the same queues: one set per
      // bucket, so a job runs whichever id form it names
      case "queue", "asrqueue" ->
          queues.handle(ctx, host, target, requestId, atMostTwo(segments, target));
      case "template" -> templates.handle(ctx, host, target, requestId, segments);
      case "inventorytriggerjob" -> {
        atMostTwo(segments, target);
        throw new ApiException(
            501, "NotImplemented", "/" + resource + " is not implemented by this jobhook version");
      }
      default -> throw ApiException.noSuchResource(target.path());
    }
  }

  private static String[] atMostTwo(String[] segments, RequestTarget target) {
    if (segments.length > 2) {
      throw ApiException.noSuchResource(target.path());
    }
    return segments;
  }
}
