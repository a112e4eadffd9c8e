package io.jobhook.console;

import static io.jobhook.console.Html.esc;
import static io.jobhook.console.Html.link;
import static io.jobhook.console.Html.path;
import static io.jobhook.console.Html.url;

import io.javalin.http.Context;
import io.jobhook.access.Sessions;
import io.jobhook.job.Job;
import io.jobhook.workflow.RunState;
import io.jobhook.workflow.Workflow;
import io.jobhook.workflow.WorkflowRun;
import io.jobhook.workflow.WorkflowService;
import io.jobhook.workflow.WorkflowState;
import io.jobhook.workflow.WorkflowStore;
import io.jobhook.workflow.WorkflowsException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Workflows: the list, a workflow's graph with its runs, a run's node states, trigger, state. */
final class WorkflowPages {
  private final Console.Services s;
  private final Pages pages;

  WorkflowPages(Console.Services services, Pages pages) {
    this.s = services;
    this.pages = pages;
  }

  void serve(Context ctx, Sessions.Session session, String[] seg, String method, String nonce) {
    boolean get = method.equals("GET") || method.equals("HEAD");
    try {
      if (seg.length == 1 && get) {
        Console.page(ctx, 200, list(ctx, session, nonce));
      } else if (seg.length == 3 && get) {
        String bucket = Pages.bucket(session, seg[1], false);
        Console.page(ctx, 200, workflow(session, bucket, seg[2], nonce));
      } else if (seg.length == 5 && seg[3].equals("runs") && get) {
        String bucket = Pages.bucket(session, seg[1], false);
        Console.page(ctx, 200, run(session, bucket, seg[2], seg[4], nonce));
      } else if (seg.length == 4 && seg[3].equals("state") && method.equals("POST")) {
        String bucket = Pages.bucket(session, seg[1], true);
        WorkflowState state;
        try {
          state = WorkflowState.valueOf(String.valueOf(ctx.formParam("state")));
        } catch (IllegalArgumentException e) {
          throw new Pages.Invalid("state must be Active or Paused");
        }
        pages.audited(
            session,
            "workflow " + state,
            bucket,
            "/workflow/" + seg[2],
            () -> s.workflows().setState(bucket, seg[2], state));
        ctx.redirect(path("workflows", bucket, seg[2]), io.javalin.http.HttpStatus.SEE_OTHER);
      } else if (seg.length == 4 && seg[3].equals("trigger") && method.equals("POST")) {
        String bucket = Pages.bucket(session, seg[1], true);
        String key = String.valueOf(ctx.formParam("object")).trim();
        if (key.isEmpty() || key.equals("null")) {
          throw new Pages.Invalid("name the object to run the workflow on");
        }
        String runId =
            pages.audited(
                session,
                "workflow trigger",
                bucket,
                "/workflow/" + seg[2],
                () -> s.workflows().trigger(bucket, seg[2], key, ""));
        ctx.redirect(
            path("workflows", bucket, seg[2]) + "/runs/" + url(runId),
            io.javalin.http.HttpStatus.SEE_OTHER);
      } else {
        throw new Pages.NotFound("no such page");
      }
    } catch (WorkflowsException.NoSuchWorkflow
        | WorkflowsException.NoSuchRun
        | WorkflowsException.NoSuchObject e) {
      throw new Pages.NotFound(e.getMessage());
    } catch (WorkflowsException.NotActive e) {
      throw new Pages.Invalid("the workflow is paused: activate it first");
    }
  }

  private String list(Context ctx, Sessions.Session session, String nonce) {
    List<String> buckets = pages.buckets(session);
    String bucket = pages.chosenBucket(ctx, session, buckets);
    StringBuilder b = new StringBuilder();
    b.append(Pages.bucketChoice("/console/workflows", buckets, bucket));
    List<Workflow> workflows = bucket == null ? List.of() : s.workflows().list(bucket);
    if (workflows.isEmpty()) {
      b.append("<p class=\"muted\">No workflows in this bucket.</p>");
    } else {
      b.append("<div class=\"scroll\"><table><thead><tr><th scope=\"col\">Workflow</th>")
          .append("<th scope=\"col\">Id</th><th scope=\"col\">State</th><th scope=\"col\">")
          .append("Nodes</th><th scope=\"col\" class=\"wide\">Updated</th></tr></thead><tbody>");
      for (Workflow w : workflows) {
        b.append("<tr><td>")
            .append(link(path("workflows", bucket, w.id()), w.name()))
            .append("</td><td>")
            .append(esc(w.id()))
            .append("</td><td>")
            .append(w.state())
            .append("</td><td class=\"num\">")
            .append(w.topology().nodes().size())
            .append("</td><td class=\"wide\">")
            .append(esc(s.times().format(w.updateTime())))
            .append("</td></tr>");
      }
      b.append("</tbody></table></div>");
    }
    return Layout.page("Workflows", "Workflows", session, nonce, b.toString(), null);
  }

  private String workflow(Sessions.Session session, String bucket, String id, String nonce) {
    Workflow w = s.workflows().get(bucket, id);
    boolean mayWrite = session.key().scope().allows(bucket, true);
    StringBuilder b = new StringBuilder();
    b.append("<dl>")
        .append(Pages.dt("Id", esc(w.id())))
        .append(Pages.dt("Bucket", esc(bucket)))
        .append(Pages.dt("State", "<span id=\"workflow-state\">" + w.state() + "</span>"))
        .append("</dl>");
    if (mayWrite) {
      WorkflowState next =
          w.state() == WorkflowState.Active ? WorkflowState.Paused : WorkflowState.Active;
      b.append("<form class=\"inline\" method=\"post\" action=\"")
          .append(path("workflows", bucket, id))
          .append("/state\">")
          .append(Layout.csrf(session))
          .append("<input type=\"hidden\" name=\"state\" value=\"")
          .append(next)
          .append("\"><button type=\"submit\">")
          .append(next == WorkflowState.Paused ? "Pause" : "Activate")
          .append("</button></form>");
      b.append("<form class=\"filters\" method=\"post\" action=\"")
          .append(path("workflows", bucket, id))
          .append("/trigger\">")
          .append(Layout.csrf(session))
          .append(Pages.text("object", "Object to run it on", ""))
          .append("<button type=\"submit\">Trigger a run</button></form>");
    }
    b.append("<h2>Topology</h2>").append(Graphs.topology(w.topology(), Map.of()));
    b.append("<h2>Runs</h2>");
    WorkflowStore.RunPage runs =
        s.workflows()
            .runs(bucket, new WorkflowStore.RunQuery(id, null, null, null, null, false, null, 20));
    if (runs.runs().isEmpty()) {
      b.append("<p class=\"muted\">No runs yet.</p>");
    } else {
      b.append("<div class=\"scroll\"><table><thead><tr><th scope=\"col\">Run</th>")
          .append("<th scope=\"col\">Object</th><th scope=\"col\">State</th>")
          .append("<th scope=\"col\" class=\"wide\">Started</th></tr></thead><tbody>");
      for (WorkflowRun r : runs.runs()) {
        b.append("<tr><td><a href=\"")
            .append(path("workflows", bucket, id))
            .append("/runs/")
            .append(url(r.id()))
            .append("\">")
            .append(esc(r.id()))
            .append("</a></td><td>")
            .append(esc(r.objectKey()))
            .append("</td><td class=\"state-")
            .append(r.state() == RunState.Running ? "Running" : r.state())
            .append("\">")
            .append(r.state())
            .append("</td><td class=\"wide\">")
            .append(esc(s.times().format(r.createTime())))
            .append("</td></tr>");
      }
      b.append("</tbody></table></div>");
    }
    return Layout.page("Workflow " + w.name(), "Workflows", session, nonce, b.toString(), null);
  }

  private String run(
      Sessions.Session session, String bucket, String workflowId, String runId, String nonce) {
    WorkflowService.RunView view = s.workflows().run(bucket, runId);
    if (!view.run().workflowId().equals(workflowId)) {
      throw new Pages.NotFound("run " + runId + " is not a run of " + workflowId);
    }
    Map<String, String> states = new HashMap<>();
    states.put(view.run().topology().startName(), "Success");
    for (Job j : view.jobs()) {
      if (j.workflow() != null) {
        states.put(j.workflow().nodeName(), j.state().name());
      }
    }
    if (view.run().state() == RunState.Success) {
      view.run()
          .topology()
          .nodes()
          .forEach(
              (name, node) -> {
                if (node.type().equals("End")) {
                  states.put(name, "Success");
                }
              });
    }
    StringBuilder b = new StringBuilder();
    b.append("<dl>")
        .append(
            Pages.dt(
                "Workflow",
                "<a href=\""
                    + path("workflows", bucket, workflowId)
                    + "\">"
                    + esc(view.run().workflowName())
                    + "</a>"))
        .append(Pages.dt("Object", esc(view.run().objectKey())))
        .append(Pages.dt("State", "<span id=\"run-state\">" + view.run().state() + "</span>"))
        .append(Pages.dt("Started", esc(s.times().format(view.run().createTime()))))
        .append(Pages.dt("Ended", esc(s.times().format(view.run().endTime()))))
        .append("</dl>");
    b.append("<h2>Nodes</h2>").append(Graphs.topology(view.run().topology(), states));
    b.append("<h2>Jobs</h2><ul>");
    for (Job j : view.jobs()) {
      b.append("<li>")
          .append(link(path("jobs", bucket, j.id()), j.id()))
          .append(" (")
          .append(esc(j.workflow() == null ? "" : j.workflow().nodeName()))
          .append("): ")
          .append(j.state())
          .append("</li>");
    }
    b.append("</ul>");
    return Layout.page("Run " + runId, "Workflows", session, nonce, b.toString(), null);
  }
}
