package io.jobhook.api;

import static io.jobhook.wire.Document.node;
import static io.jobhook.wire.Document.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.jobhook.wire.CiTimes;
import io.jobhook.wire.Document;
import io.jobhook.wire.WorkflowFinishDocument;
import io.jobhook.workflow.RunState;
import io.jobhook.workflow.Topology;
import io.jobhook.workflow.Workflow;
import io.jobhook.workflow.WorkflowRun;
import io.jobhook.workflow.WorkflowService;
import io.jobhook.workflow.WorkflowState;
import io.jobhook.workflow.WorkflowStore;
import io.jobhook.workflow.WorkflowsException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The CI workflow API (contract §3.8-3.12): {@code /workflow} (create, update, activate, pause,
 * list, describe, delete), {@code /triggerworkflow} and {@code /workflowexecution}.
 */
final class WorkflowApi {
  private final WorkflowService workflows;
  private final CiTimes times;
  private final WorkflowFinishDocument tasks;
  private final CallbackUrlCheck callbackUrls;

  WorkflowApi(WorkflowService workflows, CiTimes times, CallbackUrlCheck callbackUrls) {
    this.workflows = workflows;
    this.times = times;
    this.tasks = new WorkflowFinishDocument(times);
    this.callbackUrls = callbackUrls;
  }

  void workflow(
      Context ctx, VirtualHost host, RequestTarget target, String requestId, String[] segments) {
    String method = ctx.method().name();
    String id = segments.length > 1 ? segments[1] : null;
    if (segments.length == 1 && method.equals("POST")) {
      Workflow created = workflows.create(host.bucket(), host.region(), definition(ctx, host));
      xml(ctx, node("Response", text("RequestId", requestId), item("MediaWorkflow", created)));
    } else if (segments.length == 1 && method.equals("GET")) {
      list(ctx, host, target, requestId);
    } else if (segments.length == 2 && method.equals("PUT") && stateChange(target) != null) {
      // the Go and Python SDKs' form: PUT /workflow/<id>?active or ?paused, no body
      workflows.setState(host.bucket(), id, stateChange(target));
      xml(ctx, node("Response", text("RequestId", requestId)));
    } else if (segments.length == 2 && method.equals("PUT")) {
      Workflow updated = workflows.update(host.bucket(), id, definition(ctx, host));
      xml(ctx, node("Response", text("RequestId", requestId), item("MediaWorkflow", updated)));
    } else if (segments.length == 2 && method.equals("GET")) {
      xml(
          ctx,
          node(
              "Response",
              item("MediaWorkflowList", workflows.get(host.bucket(), id)),
              text("RequestId", requestId)));
    } else if (segments.length == 2 && method.equals("DELETE")) {
      workflows.delete(host.bucket(), id);
      xml(ctx, node("Response", text("RequestId", requestId), text("WorkflowId", id)));
    } else if (segments.length == 3
        && method.equals("PUT")
        && (segments[2].equals("active") || segments[2].equals("paused"))) {
      workflows.setState(
          host.bucket(),
          id,
          segments[2].equals("active") ? WorkflowState.Active : WorkflowState.Paused);
      xml(ctx, node("Response", text("RequestId", requestId)));
    } else {
      throw ApiException.methodNotAllowed(method, target.path());
    }
  }

  /** The state {@code ?active} or {@code ?paused} asks for; null when neither is given. */
  private static WorkflowState stateChange(RequestTarget target) {
    boolean active = target.signedFlag("active");
    boolean paused = target.signedFlag("paused");
    if (active && paused) {
      throw ApiException.invalidArgument("give ?active or ?paused, not both");
    }
    return active ? WorkflowState.Active : paused ? WorkflowState.Paused : null;
  }

  void trigger(Context ctx, VirtualHost host, RequestTarget target, String requestId) {
    if (!ctx.method().name().equals("POST")) {
      throw ApiException.methodNotAllowed(ctx.method().name(), target.path());
    }
    String workflowId = QueryParams.required(target, "workflowId");
    String object = QueryParams.required(target, "object");
    String runId =
        workflows.trigger(
            host.bucket(),
            workflowId,
            object.startsWith("/") ? object.substring(1) : object,
            QueryParams.text(target, "name"));
    xml(ctx, node("Response", text("RequestId", requestId), text("InstanceId", runId)));
  }

  void executions(
      Context ctx, VirtualHost host, RequestTarget target, String requestId, String[] segments) {
    if (!ctx.method().name().equals("GET") || segments.length > 2) {
      throw ApiException.methodNotAllowed(ctx.method().name(), target.path());
    }
    if (segments.length == 2) {
      WorkflowService.RunView view = workflows.run(host.bucket(), segments[1]);
      WorkflowRun run = view.run();
      xml(
          ctx,
          node(
              "Response",
              text("RequestId", requestId),
              node(
                  "WorkflowExecution",
                  text("RunId", run.id()),
                  text("WorkflowId", run.workflowId()),
                  text("WorkflowName", run.workflowName()),
                  text("Name", run.name()),
                  text("State", run.state().name()),
                  text("CreateTime", times.format(run.createTime())),
                  text("Object", run.objectKey()),
                  topology(run.topology()),
                  tasks.tasks(view.jobs()))));
      return;
    }
    WorkflowStore.RunPage page =
        workflows.runs(
            host.bucket(),
            new WorkflowStore.RunQuery(
                QueryParams.text(target, "workflowId"),
                QueryParams.text(target, "name"),
                QueryParams.states(target, RunState.class, name -> Optional.empty()),
                QueryParams.time(target, "startCreationTime"),
                QueryParams.time(target, "endCreationTime"),
                QueryParams.ascending(target),
                QueryParams.after(target),
                QueryParams.integer(target, "size", 10, 1, 100)));
    List<Document> children = new ArrayList<>();
    children.add(text("RequestId", requestId));
    page.runs()
        .forEach(
            run ->
                children.add(
                    node(
                        "WorkflowExecutionList",
                        text("RunId", run.id()),
                        text("WorkflowId", run.workflowId()),
                        text("Object", run.objectKey()),
                        text("CreateTime", times.format(run.createTime())),
                        text("State", run.state().name()))));
    children.add(text("NextToken", QueryParams.nextToken(page.nextSeq())));
    xml(ctx, new Document.Node("Response", children));
  }

  private void list(Context ctx, VirtualHost host, RequestTarget target, String requestId) {
    int pageNumber = QueryParams.integer(target, "pageNumber", 1, 1, Integer.MAX_VALUE);
    int pageSize = QueryParams.integer(target, "pageSize", 10, 1, 100);
    List<Workflow> matching = workflows.list(host.bucket());
    List<String> missing = new ArrayList<>();
    List<String> wanted = QueryParams.ids(target, "ids");
    if (wanted != null) {
      List<Workflow> all = matching;
      matching = all.stream().filter(w -> wanted.contains(w.id())).toList();
      wanted.stream()
          .filter(w -> all.stream().noneMatch(x -> x.id().equals(w)))
          .forEach(missing::add);
    }
    String name = QueryParams.text(target, "name");
    if (name != null) {
      matching = matching.stream().filter(w -> w.name().equals(name)).toList();
    }
    List<Document> children = new ArrayList<>();
    // The SDK's list parser needs MediaWorkflowList before anything else (contract §3.8, quirk 2).
    QueryParams.page(matching, pageNumber, pageSize)
        .forEach(w -> children.add(item("MediaWorkflowList", w)));
    children.add(text("RequestId", requestId));
    children.add(text("TotalCount", Integer.toString(matching.size())));
    children.add(text("PageNumber", Integer.toString(pageNumber)));
    children.add(text("PageSize", Integer.toString(pageSize)));
    children.add(text("NonExistIDs", String.join(",", missing)));
    xml(ctx, new Document.Node("Response", children));
  }

  private Document.Node item(String element, Workflow w) {
    return node(
        element,
        text("Name", w.name()),
        text("WorkflowId", w.id()),
        text("State", w.state().name()),
        text("CreateTime", times.format(w.createTime())),
        text("UpdateTime", times.format(w.updateTime())),
        text("BucketId", w.bucket()),
        topology(w.topology()));
  }

  private static Document.Node topology(Topology t) {
    List<Document> deps = new ArrayList<>();
    t.dependencies().forEach((from, to) -> deps.add(text(from, String.join(",", to))));
    List<Document> nodes = new ArrayList<>();
    t.nodes()
        .forEach(
            (name, n) ->
                nodes.add(
                    switch (n) {
                      case Topology.Start s -> {
                        List<Document> input =
                            new ArrayList<>(
                                List.of(
                                    text("QueueId", s.queueId()),
                                    text("ObjectPrefix", s.objectPrefix())));
                        Topology.ExtFilter f = s.extFilter();
                        if (f.on()) {
                          input.add(
                              node(
                                  "ExtFilter",
                                  text("State", "On"),
                                  text("Audio", bool(f.audio())),
                                  text("Video", bool(f.video())),
                                  text("Image", bool(f.image())),
                                  text("AllFile", bool(f.allFile())),
                                  text("Custom", bool(!f.customExts().isEmpty())),
                                  text("CustomExts", String.join("/", f.customExts()))));
                        }
                        if (s.notifyConfig() != null) {
                          input.add(CiDocuments.notifyConfig(s.notifyConfig()));
                        }
                        yield node(name, text("Type", "Start"), new Document.Node("Input", input));
                      }
                      case Topology.End e -> node(name, text("Type", "End"));
                      case Topology.Task task -> {
                        List<Document> op = new ArrayList<>();
                        op.add(text("TemplateId", task.templateId()));
                        if (!task.settings().isEmpty()) {
                          List<Document> settings = new ArrayList<>();
                          task.settings().forEach((k, v) -> settings.add(text(k, v)));
                          op.add(new Document.Node(task.tag(), settings));
                        }
                        op.add(
                            node(
                                "Output",
                                text("Region", task.outputRegion()),
                                text("Bucket", task.outputBucket()),
                                text("Object", task.outputObject())));
                        yield node(
                            name, text("Type", task.tag()), new Document.Node("Operation", op));
                      }
                    }));
    return node(
        "Topology", new Document.Node("Dependencies", deps), new Document.Node("Nodes", nodes));
  }

  private static String bool(boolean b) {
    return b ? "true" : "false";
  }

  /** Parses {@code <Request><MediaWorkflow>} (contract §3.12) into a checked definition. */
  private WorkflowService.Definition definition(Context ctx, VirtualHost host) {
    JsonNode req = CiXml.parseRequest(HttpServer.readBody(ctx, CiXml.MAX_BODY_BYTES));
    JsonNode wf = req.get("MediaWorkflow");
    if (wf == null || !wf.isObject()) {
      throw ApiException.invalidArgument("MediaWorkflow is required");
    }
    String stateText = CiXml.text(wf, "State");
    WorkflowState state = null;
    if (stateText != null) {
      state =
          Arrays.stream(WorkflowState.values())
              .filter(s -> s.name().equalsIgnoreCase(stateText))
              .findFirst()
              .orElseThrow(
                  () ->
                      ApiException.invalidArgument(
                          "MediaWorkflow/State must be Active or Paused, not '" + stateText + "'"));
    }
    JsonNode topology = wf.get("Topology");
    if (topology == null || !topology.isObject()) {
      throw ApiException.invalidArgument("MediaWorkflow/Topology is required");
    }
    Map<String, List<String>> deps = new LinkedHashMap<>();
    JsonNode depsNode = topology.get("Dependencies");
    if (depsNode == null || !depsNode.isObject() || depsNode.isEmpty()) {
      throw ApiException.invalidArgument("Topology/Dependencies is required");
    }
    for (Iterator<String> it = depsNode.fieldNames(); it.hasNext(); ) {
      String from = it.next();
      String to = CiXml.text(depsNode, from);
      deps.put(
          from,
          to == null
              ? List.of()
              : Arrays.stream(to.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList());
    }
    JsonNode nodesNode = topology.get("Nodes");
    if (nodesNode == null || !nodesNode.isObject() || nodesNode.isEmpty()) {
      throw ApiException.invalidArgument("Topology/Nodes is required");
    }
    Map<String, Topology.Node> nodes = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = nodesNode.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getValue().isArray()) {
        throw ApiException.invalidArgument(
            "node " + e.getKey() + " appears more than once in Topology/Nodes");
      }
      nodes.put(e.getKey(), parseNode(e.getKey(), e.getValue(), host));
    }
    boolean endReferenced = deps.values().stream().anyMatch(to -> to.contains("End"));
    if (endReferenced
        && !nodes.containsKey("End")
        && nodes.values().stream().noneMatch(n -> n instanceof Topology.End)) {
      // the SDK's leftover writer (contract §3.12) leads to "End" without listing it in Nodes
      nodes.put("End", new Topology.End());
    }
    try {
      return new WorkflowService.Definition(
          CiXml.text(wf, "Name"), state, Topology.of(deps, nodes, workflows.jobTypes()));
    } catch (WorkflowsException.InvalidWorkflow invalid) {
      throw ApiException.invalidArgument(invalid.getMessage());
    }
  }

  private Topology.Node parseNode(String name, JsonNode n, VirtualHost host) {
    String type = CiXml.text(n, "Type");
    if (type == null) {
      throw ApiException.invalidArgument("node " + name + ": Type is required");
    }
    return switch (type) {
      case "Start" ->
          new Topology.Start(
              CiXml.textOrEmpty(n, "Input", "QueueId"),
              CiXml.objectKey(CiXml.textOrEmpty(n, "Input", "ObjectPrefix")),
              extFilter(name, n.path("Input").get("ExtFilter")),
              NotifyConfigRequest.parse(
                      n.get("Input"), "node " + name + ": Input/NotifyConfig", callbackUrls)
                  .orDefaults());
      case "End" -> new Topology.End();
      default -> {
        Map<String, String> settings = CiXml.settings(n.get("Operation"), type);
        String outObject = CiXml.text(n, "Operation", "Output", "Object");
        if (outObject == null) {
          // the SDK's leftover writer sends <Object/> (contract §3.12): name it after the input
          outObject = "${InputPath}/${InputName}_" + name + ".${ext}";
        }
        String outBucket = CiXml.text(n, "Operation", "Output", "Bucket");
        String outRegion = CiXml.text(n, "Operation", "Output", "Region");
        yield new Topology.Task(
            type,
            CiXml.textOrEmpty(n, "Operation", "TemplateId"),
            settings,
            outRegion == null ? host.region() : outRegion,
            outBucket == null ? host.bucket() : outBucket.toLowerCase(Locale.ROOT),
            CiXml.objectKey(outObject));
      }
    };
  }

  private static Topology.ExtFilter extFilter(String name, JsonNode f) {
    if (f == null || f.isEmpty() || !"On".equalsIgnoreCase(CiXml.text(f, "State"))) {
      return Topology.ExtFilter.OFF;
    }
    String custom = CiXml.text(f, "CustomExts");
    List<String> exts =
        "true".equalsIgnoreCase(CiXml.text(f, "Custom")) && custom != null
            ? Arrays.stream(custom.split("[/,]"))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList()
            : List.of();
    Topology.ExtFilter filter =
        new Topology.ExtFilter(
            true, flag(f, "Audio"), flag(f, "Video"), flag(f, "Image"), flag(f, "AllFile"), exts);
    if (!filter.audio()
        && !filter.video()
        && !filter.image()
        && !filter.allFile()
        && exts.isEmpty()) {
      throw ApiException.invalidArgument(
          "node "
              + name
              + ": ExtFilter is On but accepts nothing; set Audio, Video, "
              + "Image, AllFile or Custom with CustomExts");
    }
    return filter;
  }

  private static boolean flag(JsonNode f, String name) {
    return "true".equalsIgnoreCase(CiXml.text(f, name));
  }

  private static void xml(Context ctx, Document.Node body) {
    ctx.status(200).contentType("application/xml").result(Document.toXml(body));
  }
}
