package io.jobhook.console;

import static io.jobhook.console.Html.esc;
import static io.jobhook.console.Html.link;
import static io.jobhook.console.Html.path;
import static io.jobhook.console.Html.url;

import io.javalin.http.Context;
import io.jobhook.access.AccessKey;
import io.jobhook.access.AccessKeys;
import io.jobhook.access.AuditLog;
import io.jobhook.access.Sessions;
import io.jobhook.callback.CallbackLog;
import io.jobhook.callback.CallbackOutbox.DeliveryState;
import io.jobhook.callback.Circuits;
import io.jobhook.job.Job;
import io.jobhook.job.JobQuery;
import io.jobhook.job.JobState;
import io.jobhook.job.JobStore;
import io.jobhook.job.JobsException;
import io.jobhook.job.Queue;
import io.jobhook.job.QueueFilter;
import io.jobhook.job.QueueUpdate;
import io.jobhook.object.ObjectStore;
import io.jobhook.wire.Document;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The console's pages, each read from the services for the signed-in key's buckets. */
final class Pages {
  static final class NotFound extends RuntimeException {
    NotFound(String message) {
      super(message);
    }
  }

  static final class Forbidden extends RuntimeException {
    Forbidden(String message) {
      super(message);
    }
  }

  static final class Invalid extends RuntimeException {
    Invalid(String message) {
      super(message);
    }
  }

  private static final int PAGE_SIZE = 50;

  /** How many of the latest callbacks the overview's delivered share is taken over. */
  private static final int HEALTH_SAMPLE = 2000;

  private static final Duration EVENTS_FOR = Duration.ofMinutes(10);
  private static final Duration KEEP_ALIVE = Duration.ofSeconds(10);
  private static final Set<JobState> ENDED =
      EnumSet.of(JobState.Success, JobState.Failed, JobState.Cancel);

  private final Console.Services s;
  private final WorkflowPages workflowPages;
  private final CallbackPages callbackPages;
  private final TemplatePages templatePages;

  Pages(Console.Services services) {
    this.s = services;
    this.workflowPages = new WorkflowPages(services, this);
    this.callbackPages = new CallbackPages(services, this);
    this.templatePages = new TemplatePages(services, this);
  }

  void serve(Context ctx, Sessions.Session session, String path, String method, String nonce)
      throws IOException {
    String[] seg = path.substring(1).split("/", -1);
    boolean get = method.equals("GET") || method.equals("HEAD");
    switch (seg[0]) {
      case "" -> {
        if (!get || seg.length > 1) {
          throw new NotFound("no such page");
        }
        Console.page(ctx, 200, overview(session, nonce));
      }
      case "jobs" -> {
        if (seg.length == 1 && get) {
          Console.page(ctx, 200, jobs(ctx, session, nonce));
        } else if (seg.length == 2 && seg[1].equals("events") && get) {
          listEvents(ctx, session);
        } else if (seg.length == 3 && get) {
          Console.page(ctx, 200, job(session, bucket(session, seg[1], false), seg[2], nonce));
        } else if (seg.length == 4 && seg[3].equals("events") && get) {
          jobEvents(ctx, bucket(session, seg[1], false), seg[2]);
        } else {
          throw new NotFound("no such page");
        }
      }
      case "workflows" -> workflowPages.serve(ctx, session, seg, method, nonce);
      case "templates" -> templatePages.serve(ctx, session, seg, method, nonce);
      case "secrets" -> callbackPages.serve(ctx, session, seg, method, nonce);
      case "callbacks" -> {
        if (seg.length != 4) {
          callbackPages.serve(ctx, session, seg, method, nonce);
        } else if (seg[3].equals("redeliver") && method.equals("POST")) {
          String bucket = bucket(session, seg[1], true);
          var entry =
              s.callbackLog()
                  .find(bucket, seg[2])
                  .orElseThrow(() -> new NotFound("callback " + seg[2] + " does not exist"));
          audited(
              session,
              "redeliver",
              bucket,
              "/callbacks/" + entry.id(),
              () -> {
                if (!s.redelivery().one(bucket, entry.id())) {
                  throw new NotFound("callback " + seg[2] + " does not exist");
                }
                return null;
              });
          ctx.redirect(
              path("jobs", bucket, entry.jobId()) + "#callbacks",
              io.javalin.http.HttpStatus.SEE_OTHER);
        } else {
          throw new NotFound("no such page");
        }
      }
      case "objects" -> {
        if (seg.length < 3 || !get) {
          throw new NotFound("no such object");
        }
        String bucket = bucket(session, seg[1], false);
        String key =
            URLDecoder.decode(
                String.join("/", java.util.Arrays.copyOfRange(seg, 2, seg.length))
                    .replace("+", "%2B"),
                StandardCharsets.UTF_8);
        object(ctx, bucket, key);
      }
      case "queues" -> {
        if (seg.length == 1 && get) {
          Console.page(ctx, 200, queues(ctx, session, nonce));
        } else if (seg.length == 3 && method.equals("POST")) {
          String bucket = bucket(session, seg[1], true);
          Queue.QueueState state;
          try {
            state = Queue.QueueState.valueOf(String.valueOf(ctx.formParam("state")));
          } catch (IllegalArgumentException e) {
            throw new Invalid("state must be Active or Paused");
          }
          audited(
              session,
              "queue " + state,
              bucket,
              "/queue/" + seg[2],
              () -> {
                try {
                  return s.queues().update(bucket, seg[2], QueueUpdate.state(state));
                } catch (JobsException.NoSuchQueue e) {
                  throw new NotFound(e.getMessage());
                }
              });
          ctx.redirect(
              "/console/queues?bucket=" + url(bucket), io.javalin.http.HttpStatus.SEE_OTHER);
        } else if (seg.length == 4 && seg[3].equals("settings") && method.equals("POST")) {
          String bucket = bucket(session, seg[1], true);
          queueSettings(ctx, session, bucket, seg[2]);
          ctx.redirect(
              "/console/queues?bucket=" + url(bucket), io.javalin.http.HttpStatus.SEE_OTHER);
        } else {
          throw new NotFound("no such page");
        }
      }
      case "keys" -> {
        if (!session.key().scope().administrator()) {
          throw new Forbidden("only the administrator's key manages access keys");
        }
        if (seg.length == 1 && get) {
          Console.page(ctx, 200, keys(session, nonce, null));
        } else if (seg.length == 1 && method.equals("POST")) {
          String buckets = String.valueOf(ctx.formParam("buckets")).trim();
          List<String> list = new ArrayList<>();
          if (!buckets.equals("*")) {
            for (String b : buckets.split("[,\\s]+")) {
              if (!b.isBlank()) {
                list.add(b.trim());
              }
            }
            if (list.isEmpty()) {
              throw new Invalid("name the buckets, or * for every bucket");
            }
          }
          AccessKey created;
          try {
            created =
                s.keys()
                    .create(
                        session.key().secretId(),
                        list,
                        "on".equals(ctx.formParam("readOnly")),
                        String.valueOf(Optional.ofNullable(ctx.formParam("description")).orElse(""))
                            .trim());
          } catch (IllegalArgumentException e) {
            throw new Invalid(e.getMessage());
          }
          Console.page(ctx, 200, keys(session, nonce, created));
        } else if (seg.length == 3 && seg[2].equals("revoke") && method.equals("POST")) {
          boolean revoked;
          try {
            revoked = s.keys().revoke(session.key().secretId(), seg[1]);
          } catch (IllegalArgumentException e) {
            throw new Invalid(e.getMessage());
          }
          if (!revoked) {
            throw new NotFound("access key " + seg[1] + " does not exist or is revoked");
          }
          ctx.redirect("/console/keys", io.javalin.http.HttpStatus.SEE_OTHER);
        } else {
          throw new NotFound("no such page");
        }
      }
      default -> throw new NotFound("no such page");
    }
  }

  // --- overview ------------------------------------------------------------------------------

  private String overview(Sessions.Session session, String nonce) {
    Instant now = s.clock().instant();
    Instant hourAgo = now.minus(Duration.ofHours(1));
    JobStore.JobStats stats = s.jobs().stats(hourAgo);
    StringBuilder b = new StringBuilder();
    b.append("<section aria-labelledby=\"states\"><h2 id=\"states\">Jobs</h2>")
        .append("<ul class=\"cards\">");
    Map<JobState, Long> endedLastHour = new java.util.EnumMap<>(JobState.class);
    stats
        .endedPerMinute()
        .values()
        .forEach(m -> m.forEach((st, n) -> endedLastHour.merge(st, n, Long::sum)));
    for (JobState state :
        List.of(
            JobState.Submitted,
            JobState.Running,
            JobState.Success,
            JobState.Failed,
            JobState.Cancel)) {
      boolean ended = ENDED.contains(state);
      b.append("<li><span class=\"state-")
          .append(state)
          .append("\">")
          .append(state == JobState.Submitted ? "Waiting" : state)
          .append(ended ? " (1 h)" : " now")
          .append("</span><b>")
          .append(
              ended
                  ? endedLastHour.getOrDefault(state, 0L)
                  : stats.byState().getOrDefault(state, 0L))
          .append("</b></li>");
    }
    b.append("</ul></section>");
    b.append("<section aria-labelledby=\"per-minute\"><h2 id=\"per-minute\">Jobs ended per minute,")
        .append(" last hour</h2>")
        .append(Charts.endedPerMinute(stats.endedPerMinute(), now, s.times()))
        .append("</section>");

    b.append("<section aria-labelledby=\"health\"><h2 id=\"health\">Callback health</h2>");
    Map<String, Circuits.State> circuits = s.circuits().states();
    Map<String, CallbackLog.Backlog> backlog = new java.util.TreeMap<>();
    for (CallbackLog.Backlog x : s.callbackLog().pendingByDestination()) {
      backlog.put(x.destination(), x);
    }
    Map<String, CallbackLog.Health> health = new java.util.TreeMap<>();
    for (CallbackLog.Health h : s.callbackLog().healthOfLatest(HEALTH_SAMPLE)) {
      health.put(h.destination(), h);
    }
    Set<String> destinations = new java.util.TreeSet<>(backlog.keySet());
    destinations.addAll(health.keySet());
    destinations.addAll(circuits.keySet());
    if (destinations.isEmpty()) {
      b.append("<p class=\"muted\">No callbacks yet.</p>");
    } else {
      b.append("<div class=\"scroll\"><table><caption class=\"visually-hidden\">Callback health")
          .append(" per destination</caption><thead><tr><th scope=\"col\">Destination</th>")
          .append("<th scope=\"col\" class=\"num\">Pending</th><th scope=\"col\" class=\"num\">")
          .append("Oldest pending</th><th scope=\"col\" class=\"num\">Delivered (of the latest)")
          .append("</th>")
          .append("<th scope=\"col\">Circuit</th></tr></thead><tbody>");
      for (String d : destinations) {
        CallbackLog.Backlog p = backlog.get(d);
        CallbackLog.Health h = health.get(d);
        long done = h == null ? 0 : h.delivered() + h.failed();
        b.append("<tr><td>")
            .append(esc(d))
            .append("</td><td class=\"num\">")
            .append(p == null ? 0 : p.pending())
            .append("</td><td class=\"num\">")
            .append(p == null ? "-" : age(Duration.between(p.oldestCreatedAt(), now)))
            .append("</td><td class=\"num\">")
            .append(done == 0 ? "-" : (100 * h.delivered() / done) + " % of " + done)
            .append("</td><td>")
            .append(
                switch (circuits.getOrDefault(d, Circuits.State.CLOSED)) {
                  case CLOSED -> "closed";
                  case OPEN -> "<span class=\"error\">open</span>";
                  case HALF_OPEN -> "half-open";
                })
            .append("</td></tr>");
      }
      b.append("</tbody></table></div>");
    }
    b.append("</section>");

    b.append("<section aria-labelledby=\"failures\"><h2 id=\"failures\">Latest failures</h2>");
    List<String> visible = buckets(session);
    List<Job> failed =
        s.jobs().latestFailed(now.minus(Duration.ofDays(1)), 50).stream()
            .filter(j -> visible.contains(j.input().bucket()))
            .limit(10)
            .toList();
    List<String[]> failedCallbacks = new ArrayList<>();
    for (CallbackLog.Failure f : s.callbackLog().failedAmongLatest(HEALTH_SAMPLE, 50)) {
      if (visible.contains(f.bucket()) && failedCallbacks.size() < 10) {
        failedCallbacks.add(
            new String[] {
              f.bucket(), f.jobId(), f.url(), f.lastError(), s.times().format(f.createdAt())
            });
      }
    }
    if (failed.isEmpty() && failedCallbacks.isEmpty()) {
      b.append("<p class=\"muted\">No failed jobs or callbacks.</p>");
    }
    if (!failed.isEmpty()) {
      b.append("<h3>Jobs</h3>").append(jobTable(failed.subList(0, Math.min(10, failed.size()))));
    }
    if (!failedCallbacks.isEmpty()) {
      b.append("<h3>Callbacks</h3><div class=\"scroll\"><table><thead><tr><th scope=\"col\">Job")
          .append("</th><th scope=\"col\">Address</th><th scope=\"col\">Error</th>")
          .append("<th scope=\"col\">Created</th></tr></thead><tbody>");
      for (String[] f : failedCallbacks.subList(0, Math.min(10, failedCallbacks.size()))) {
        b.append("<tr><td>")
            .append(link(path("jobs", f[0], f[1]) + "#callbacks", f[1]))
            .append("</td><td>")
            .append(esc(f[2]))
            .append("</td><td>")
            .append(esc(f[3]))
            .append("</td><td>")
            .append(esc(f[4]))
            .append("</td></tr>");
      }
      b.append("</tbody></table></div>");
    }
    b.append("</section>");
    return Layout.page("Overview", "Overview", session, nonce, b.toString(), null);
  }

  // --- jobs ----------------------------------------------------------------------------------

  private String jobs(Context ctx, Sessions.Session session, String nonce) {
    List<String> buckets = buckets(session);
    String bucket = chosenBucket(ctx, session, buckets);
    JobQuery query = query(ctx);
    StringBuilder b = new StringBuilder();
    b.append("<form class=\"filters\" method=\"get\" action=\"/console/jobs\">")
        .append(bucketSelect(buckets, bucket))
        .append("<label for=\"state\">State<select id=\"state\" name=\"state\">")
        .append("<option value=\"\">any</option>");
    String stateParam = param(ctx, "state");
    for (JobState st : JobState.values()) {
      b.append("<option")
          .append(st.name().equals(stateParam) ? " selected" : "")
          .append('>')
          .append(st)
          .append("</option>");
    }
    b.append("</select></label>")
        .append(text("tag", "Tag", param(ctx, "tag")))
        .append(text("queue", "Queue", param(ctx, "queue")))
        .append(
            "<label for=\"from\">Created from<input id=\"from\" name=\"from\""
                + " type=\"datetime-local\" value=\"")
        .append(esc(param(ctx, "from")))
        .append(
            "\"></label><label for=\"to\">to<input id=\"to\" name=\"to\" type=\"datetime-local\""
                + " value=\"")
        .append(esc(param(ctx, "to")))
        .append("\"></label><button type=\"submit\">Filter</button></form>");
    if (bucket == null) {
      b.append("<p class=\"muted\">No bucket has jobs yet.</p>");
      return Layout.page("Jobs", "Jobs", session, nonce, b.toString(), null);
    }
    var page = s.jobs().list(bucket, query);
    b.append("<p class=\"muted\" aria-live=\"polite\" id=\"live\">Updates as jobs change.</p>");
    b.append(jobTable(page.jobs()));
    if (page.nextSeq() != null) {
      b.append("<p><a href=\"/console/jobs?")
          .append(ctx.queryString() == null ? "" : esc(dropAfter(ctx.queryString())) + "&amp;")
          .append("after=")
          .append(page.nextSeq())
          .append("\">Older jobs</a></p>");
    }
    String events =
        "/console/jobs/events?"
            + (ctx.queryString() == null ? "bucket=" + url(bucket) : ctx.queryString());
    return Layout.page("Jobs", "Jobs", session, nonce, b.toString(), Scripts.jobList(events));
  }

  private String jobTable(List<Job> jobs) {
    StringBuilder b = new StringBuilder();
    b.append("<div class=\"scroll\"><table id=\"jobs\"><caption class=\"visually-hidden\">Jobs,")
        .append(" newest first</caption><thead><tr><th scope=\"col\">Job</th>")
        .append("<th scope=\"col\">State</th><th scope=\"col\">Progress</th>")
        .append("<th scope=\"col\" class=\"wide\">Tag</th><th scope=\"col\" class=\"wide\">Queue")
        .append("</th><th scope=\"col\">Input</th><th scope=\"col\" class=\"wide\">Created</th>")
        .append("</tr></thead><tbody>");
    for (Job j : jobs) {
      b.append("<tr data-job=\"")
          .append(esc(j.id()))
          .append("\"><td>")
          .append(link(path("jobs", j.input().bucket(), j.id()), j.id()))
          .append("</td><td class=\"state state-")
          .append(j.state())
          .append("\">")
          .append(j.state())
          .append("</td><td><progress max=\"100\" value=\"")
          .append(j.progress())
          .append("\" aria-label=\"progress of ")
          .append(esc(j.id()))
          .append("\"></progress> <span class=\"pct\">")
          .append(j.progress())
          .append(" %</span></td><td class=\"wide\">")
          .append(esc(j.tag()))
          .append("</td><td class=\"wide\">")
          .append(esc(j.queueId()))
          .append("</td><td>")
          .append(esc(j.input().key()))
          .append("</td><td class=\"wide\">")
          .append(esc(s.times().format(j.creationTime())))
          .append("</td></tr>");
    }
    if (jobs.isEmpty()) {
      b.append("<tr><td colspan=\"7\" class=\"muted\">No jobs match.</td></tr>");
    }
    return b.append("</tbody></table></div>").toString();
  }

  private String job(Sessions.Session session, String bucket, String jobId, String nonce) {
    Job j =
        s.jobs()
            .describe(bucket, jobId)
            .orElseThrow(() -> new NotFound("job " + jobId + " does not exist"));
    StringBuilder b = new StringBuilder();
    b.append("<dl>")
        .append(dt("Bucket", esc(bucket)))
        .append(
            dt(
                "State",
                "<span id=\"state\" class=\"state-" + j.state() + "\">" + j.state() + "</span>"))
        .append(
            dt(
                "Progress",
                "<progress id=\"progress\" max=\"100\" value=\""
                    + j.progress()
                    + "\" aria-label=\"progress\"></progress> <span id=\"pct\">"
                    + j.progress()
                    + " %</span>"))
        .append(dt("Code", "<span id=\"code\">" + esc(j.code()) + "</span>"))
        .append(dt("Message", "<span id=\"message\">" + esc(j.message()) + "</span>"))
        .append(dt("Tag", esc(j.tag())))
        .append(dt("Queue", esc(j.queueId())))
        .append(dt("Created", esc(s.times().format(j.creationTime()))))
        .append(dt("Started", esc(s.times().format(j.startTime()))))
        .append(dt("Ended", esc(s.times().format(j.endTime()))))
        .append("</dl><p id=\"ended\" role=\"status\" hidden>The job has ended: <a href=\"\">")
        .append("reload</a> for its output and callbacks.</p>");
    b.append("<h2>Input and output</h2>")
        .append(objectLinks("Input", j.input().bucket(), j.input().key()));
    var out = j.operation().output();
    if (out != null && out.key() != null && !out.key().isEmpty()) {
      b.append(
          j.state() == JobState.Success
              ? objectLinks("Output", out.bucket(), out.key())
              : "<p>Output: "
                  + esc(out.key())
                  + " <span class=\"muted\">(once the job succeeds)</span></p>");
    }
    b.append("<h2>Settings</h2><div class=\"scroll\"><table><tbody>");
    b.append("<tr><th scope=\"row\">TemplateId</th><td>")
        .append(esc(j.operation().templateId()))
        .append("</td></tr><tr><th scope=\"row\">UserData</th><td>")
        .append(esc(j.operation().userData()))
        .append("</td></tr><tr><th scope=\"row\">JobLevel</th><td>")
        .append(j.operation().jobLevel())
        .append("</td></tr>");
    j.operation()
        .settings()
        .forEach(
            (k, v) ->
                b.append("<tr><th scope=\"row\">")
                    .append(esc(k))
                    .append("</th><td>")
                    .append(esc(v))
                    .append("</td></tr>"));
    b.append("</tbody></table></div>");
    b.append("<h2 id=\"callbacks\">Callbacks</h2>");
    var entries =
        s.callbackLog()
            .list(bucket, new CallbackLog.Query(jobId, null, null, null, null, null, 20))
            .entries();
    if (entries.isEmpty()) {
      b.append("<p class=\"muted\">No callback (yet).</p>");
    }
    for (CallbackLog.Entry e : entries) {
      b.append("<section class=\"callback\" aria-label=\"callback ")
          .append(esc(e.id()))
          .append("\"><h3>")
          .append(esc(e.eventName()))
          .append(" to ")
          .append(esc(e.url()))
          .append(": <span class=\"cb-state state-")
          .append(
              e.state() == DeliveryState.Delivered
                  ? "Success"
                  : e.state() == DeliveryState.Failed ? "Failed" : "Running")
          .append("\">")
          .append(e.state())
          .append("</span></h3><form class=\"inline\" method=\"post\" action=\"/console/callbacks/")
          .append(url(bucket))
          .append('/')
          .append(url(e.id()))
          .append("/redeliver\">")
          .append(Layout.csrf(session))
          .append("<button type=\"submit\">Redeliver</button></form>");
      b.append("<div class=\"scroll\"><table><thead><tr><th scope=\"col\">#</th>")
          .append("<th scope=\"col\">Time</th><th scope=\"col\">Address</th>")
          .append("<th scope=\"col\" class=\"num\">Status</th><th scope=\"col\" class=\"num\">")
          .append("Latency</th><th scope=\"col\">Answer (first KiB) or error</th></tr></thead>")
          .append("<tbody>");
      for (CallbackLog.Attempt a : e.attemptLog()) {
        b.append("<tr class=\"attempt\"><td>")
            .append(a.number())
            .append("</td><td>")
            .append(esc(s.times().format(a.at())))
            .append("</td><td>")
            .append(esc(a.address()))
            .append("</td><td class=\"num\">")
            .append(a.status())
            .append("</td><td class=\"num\">")
            .append(a.latencyMillis())
            .append(" ms</td><td><pre>")
            .append(esc(a.error() == null || a.error().isEmpty() ? a.responseSnippet() : a.error()))
            .append("</pre></td></tr>");
      }
      b.append("</tbody></table></div></section>");
    }
    String script =
        ENDED.contains(j.state())
            ? null
            : Scripts.jobProgress(path("jobs", bucket, jobId) + "/events");
    return Layout.page("Job " + jobId, "Jobs", session, nonce, b.toString(), script);
  }

  private static String objectLinks(String label, String bucket, String key) {
    String href = "/console/objects/" + url(bucket) + "/" + Html.keyPath(key);
    StringBuilder b = new StringBuilder("<p>").append(label).append(": <a href=\"").append(href);
    b.append("\" download>").append(esc(key)).append("</a></p>");
    String lower = key.toLowerCase(java.util.Locale.ROOT);
    if (lower.endsWith(".wav") || lower.endsWith(".mp3")) {
      b.append("<audio controls preload=\"none\" src=\"")
          .append(href)
          .append("\" aria-label=\"")
          .append(esc(label + " " + key))
          .append("\"></audio>");
    }
    return b.toString();
  }

  /** Pushes the job's state and progress while it changes, then an {@code end} event. */
  private void jobEvents(Context ctx, String bucket, String jobId) throws IOException {
    OutputStream out = sse(ctx);
    String last = null;
    Instant quietSince = s.clock().instant();
    Instant until = s.clock().instant().plus(EVENTS_FOR);
    EventPolling polling = EventPolling.start();
    while (s.clock().instant().isBefore(until)) {
      Job j = s.jobs().describe(bucket, jobId).orElseThrow(() -> new NotFound("no job " + jobId));
      String data =
          json(
              Document.text("state", j.state().name()),
              Document.text("progress", Integer.toString(j.progress())),
              Document.text("code", j.code()),
              Document.text("message", j.message()));
      boolean changed = !data.equals(last);
      if (changed) {
        send(out, ENDED.contains(j.state()) ? "end" : "job", data);
        last = data;
        quietSince = s.clock().instant();
      } else {
        quietSince = keepAlive(out, quietSince);
      }
      polling = polling.after(changed);
      if (ENDED.contains(j.state()) || !pause(polling.delay())) {
        return;
      }
    }
  }

  /** Pushes the listed jobs' states and progress whenever one changes or a new one appears. */
  private void listEvents(Context ctx, Sessions.Session session) throws IOException {
    List<String> buckets = buckets(session);
    String bucket = chosenBucket(ctx, session, buckets);
    if (bucket == null) {
      throw new NotFound("no bucket");
    }
    JobQuery query = query(ctx);
    OutputStream out = sse(ctx);
    String last = null;
    Instant quietSince = s.clock().instant();
    Instant until = s.clock().instant().plus(EVENTS_FOR);
    EventPolling polling = EventPolling.start();
    while (s.clock().instant().isBefore(until)) {
      List<Document.Node> rows =
          s.jobs().list(bucket, query).jobs().stream()
              .map(
                  j ->
                      Document.node(
                          "job",
                          Document.text("id", j.id()),
                          Document.text("state", j.state().name()),
                          Document.text("progress", Integer.toString(j.progress()))))
              .toList();
      String now = json(new Document.Repeated("jobs", rows));
      boolean changed = !now.equals(last);
      if (changed) {
        send(out, "jobs", now);
        last = now;
        quietSince = s.clock().instant();
      } else {
        quietSince = keepAlive(out, quietSince);
      }
      polling = polling.after(changed);
      if (!pause(polling.delay())) {
        return;
      }
    }
  }

  private static OutputStream sse(Context ctx) throws IOException {
    ctx.status(200);
    ctx.res().setContentType("text/event-stream; charset=utf-8");
    ctx.res().setHeader("Cache-Control", "no-store");
    OutputStream out = ctx.res().getOutputStream();
    out.write("retry: 2000\n\n".getBytes(StandardCharsets.UTF_8));
    out.flush();
    return out;
  }

  private static void send(OutputStream out, String event, String data) throws IOException {
    out.write(("event: " + event + "\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  /**
   * A comment line when nothing was sent for a while, so that a proxy in front (which closes
   * connections silent for a minute or so) keeps the stream open; returns when it was last written.
   */
  private Instant keepAlive(OutputStream out, Instant quietSince) throws IOException {
    Instant now = s.clock().instant();
    if (Duration.between(quietSince, now).compareTo(KEEP_ALIVE) < 0) {
      return quietSince;
    }
    out.write(": still here\n\n".getBytes(StandardCharsets.UTF_8));
    out.flush();
    return now;
  }

  private static boolean pause(Duration wait) {
    try {
      Thread.sleep(wait);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private void object(Context ctx, String bucket, String key) throws IOException {
    Optional<ObjectStore.OpenObject> opened = s.objects().open(bucket, key);
    if (opened.isEmpty()) {
      throw new NotFound("object " + key + " does not exist");
    }
    try (ObjectStore.OpenObject o = opened.get()) {
      ctx.status(200);
      // an uploaded object is the uploader's content: only audio plays in the page; anything else
      // (an HTML page, say) is a download, never rendered on the console's origin
      String type = o.info().contentType() == null ? "" : o.info().contentType();
      boolean audio = type.toLowerCase(java.util.Locale.ROOT).startsWith("audio/");
      ctx.res().setContentType(audio ? type : "application/octet-stream");
      ctx.res().setHeader("Content-Disposition", audio ? "inline" : "attachment");
      ctx.res().setContentLengthLong(o.info().size());
      o.content().transferTo(ctx.res().getOutputStream());
    }
  }

  // --- queues --------------------------------------------------------------------------------

  private String queues(Context ctx, Sessions.Session session, String nonce) {
    List<String> buckets = buckets(session);
    String bucket = chosenBucket(ctx, session, buckets);
    StringBuilder b = new StringBuilder();
    b.append(bucketChoice("/console/queues", buckets, bucket));
    if (bucket == null) {
      b.append("<p class=\"muted\">No bucket has queues yet.</p>");
      return Layout.page("Queues", "Queues", session, nonce, b.toString(), null);
    }
    boolean mayWrite = session.key().scope().allows(bucket, true);
    b.append("<div class=\"scroll\"><table><thead><tr><th scope=\"col\">Queue</th>")
        .append("<th scope=\"col\">Name</th><th scope=\"col\">State</th><th scope=\"col\"")
        .append(" class=\"num\">MaxConcurrent</th><th scope=\"col\">Notifications</th>")
        .append("<th scope=\"col\">Change</th></tr></thead><tbody>");
    for (Queue q : s.queues().list(bucket, new QueueFilter(null, null)).queues()) {
      var n = q.notifyConfig();
      b.append("<tr><td>")
          .append(esc(q.id()))
          .append("</td><td>")
          .append(esc(q.name()))
          .append("</td><td class=\"queue-state\">")
          .append(q.state())
          .append("</td><td class=\"num\">")
          .append(q.maxConcurrent())
          .append("</td><td>")
          .append(
              n == null || n.url() == null || n.url().isEmpty()
                  ? "<span class=\"muted\">none</span>"
                  : esc(n.state() + " " + n.type() + " " + n.event() + " to " + n.url()))
          .append("</td><td>");
      if (mayWrite) {
        Queue.QueueState next =
            q.state() == Queue.QueueState.Active
                ? Queue.QueueState.Paused
                : Queue.QueueState.Active;
        b.append("<form class=\"inline\" method=\"post\" action=\"/console/queues/")
            .append(url(bucket))
            .append('/')
            .append(url(q.id()))
            .append("\">")
            .append(Layout.csrf(session))
            .append("<input type=\"hidden\" name=\"state\" value=\"")
            .append(next)
            .append("\"><button type=\"submit\">")
            .append(next == Queue.QueueState.Paused ? "Pause" : "Activate")
            .append("</button></form>")
            .append(queueForm(session, bucket, q));
      } else {
        b.append("<span class=\"muted\">read-only</span>");
      }
      b.append("</td></tr>");
    }
    b.append("</tbody></table></div>");
    return Layout.page("Queues", "Queues", session, nonce, b.toString(), null);
  }

  /** MaxConcurrent and the notification settings of a queue, checked as the API checks them. */
  private void queueSettings(Context ctx, Sessions.Session session, String bucket, String queueId) {
    Integer maxConcurrent;
    try {
      maxConcurrent = QueueUpdate.maxConcurrent(ctx.formParam("maxConcurrent"));
    } catch (JobsException.InvalidJob e) {
      throw new Invalid(e.getMessage());
    }
    String url = String.valueOf(Optional.ofNullable(ctx.formParam("notifyUrl")).orElse("")).trim();
    List<String> events = ctx.formParams("notifyEvent");
    String state = ctx.formParam("notifyState");
    String format = ctx.formParam("notifyFormat");
    if (!"On".equals(state) && !"Off".equals(state)) {
      throw new Invalid("notifications are On or Off");
    }
    if (!"XML".equals(format) && !"JSON".equals(format)) {
      throw new Invalid("the notification format is XML or JSON");
    }
    for (String event : events) {
      if (!event.equals("TaskFinish") && !event.equals("WorkflowFinish")) {
        throw new Invalid("events are TaskFinish and WorkflowFinish");
      }
    }
    if (state.equals("On") && (url.isEmpty() || events.isEmpty())) {
      throw new Invalid("notifications that are On need a URL and at least one event");
    }
    try {
      if (!url.isEmpty()) {
        s.notifyUrls().check(url);
      }
    } catch (IllegalArgumentException | JobsException.InvalidJob e) {
      throw new Invalid(e.getMessage());
    }
    QueueUpdate update =
        new QueueUpdate(
            null,
            null,
            url.isEmpty() ? null : url,
            url.isEmpty() ? null : "Url",
            events.isEmpty() ? null : String.join(",", events),
            state,
            format,
            maxConcurrent);
    audited(
        session,
        "queue settings MaxConcurrent=" + maxConcurrent + " notify " + state,
        bucket,
        "/queue/" + queueId,
        () -> {
          try {
            return s.queues().update(bucket, queueId, update);
          } catch (IllegalArgumentException | JobsException.InvalidJob e) {
            throw new Invalid(e.getMessage());
          } catch (JobsException.NoSuchQueue e) {
            throw new NotFound(e.getMessage());
          }
        });
  }

  private static String queueForm(Sessions.Session session, String bucket, Queue q) {
    var n = q.notifyConfig();
    String event = n == null || n.event() == null ? "" : n.event();
    String id = Html.esc(q.id());
    StringBuilder b = new StringBuilder();
    b.append("<details><summary>Settings of ")
        .append(id)
        .append("</summary><form class=\"stack\" method=\"post\" action=\"/console/queues/")
        .append(url(bucket))
        .append('/')
        .append(url(q.id()))
        .append("/settings\">")
        .append(Layout.csrf(session))
        .append("<label for=\"mc-")
        .append(id)
        .append("\">MaxConcurrent<input id=\"mc-")
        .append(id)
        .append("\" name=\"maxConcurrent\" type=\"number\" min=\"1\" max=\"")
        .append(QueueUpdate.MAX_CONCURRENT)
        .append("\" required value=\"")
        .append(q.maxConcurrent())
        .append("\"></label><label for=\"nu-")
        .append(id)
        .append("\">Notification URL<input id=\"nu-")
        .append(id)
        .append("\" name=\"notifyUrl\" value=\"")
        .append(Html.esc(n == null ? "" : n.url()))
        .append("\"></label><fieldset><legend>Events</legend>");
    for (String e : List.of("TaskFinish", "WorkflowFinish")) {
      b.append("<label><span><input type=\"checkbox\" name=\"notifyEvent\" value=\"")
          .append(e)
          .append('"')
          .append(event.contains(e) ? " checked" : "")
          .append("> ")
          .append(e)
          .append("</span></label>");
    }
    b.append("</fieldset>")
        .append(
            select(
                "ns-" + id,
                "notifyState",
                "Notifications",
                List.of("On", "Off"),
                n == null ? "Off" : n.state()))
        .append(
            select(
                "nf-" + id,
                "notifyFormat",
                "Format",
                List.of("XML", "JSON"),
                n == null ? "XML" : n.resultFormat()))
        .append("<button type=\"submit\">Save</button></form></details>");
    return b.toString();
  }

  private static String select(
      String id, String name, String label, List<String> options, String chosen) {
    StringBuilder b =
        new StringBuilder("<label for=\"")
            .append(id)
            .append("\">")
            .append(label)
            .append("<select id=\"")
            .append(id)
            .append("\" name=\"")
            .append(name)
            .append("\">");
    for (String o : options) {
      b.append("<option")
          .append(o.equals(chosen) ? " selected" : "")
          .append('>')
          .append(o)
          .append("</option>");
    }
    return b.append("</select></label>").toString();
  }

  // --- access keys ---------------------------------------------------------------------------

  private String keys(Sessions.Session session, String nonce, AccessKey created) {
    StringBuilder b = new StringBuilder();
    if (created != null) {
      b.append("<section role=\"status\" aria-labelledby=\"created\"><h2 id=\"created\">New key")
          .append("</h2><p>Copy the secret key now: it is not shown again.</p><dl>")
          .append(
              dt("SecretId", "<code id=\"new-secret-id\">" + esc(created.secretId()) + "</code>"))
          .append(
              dt(
                  "SecretKey",
                  "<code id=\"new-secret-key\">" + esc(created.secretKey()) + "</code>"))
          .append("</dl></section>");
    }
    b.append("<h2>Create a key</h2><form class=\"stack\" method=\"post\" action=\"/console/keys\">")
        .append(Layout.csrf(session))
        .append(
            "<label for=\"buckets\">Buckets (comma-separated, or * for all)<input id=\"buckets\""
                + " name=\"buckets\" required></label>")
        .append(
            "<label><span><input type=\"checkbox\" name=\"readOnly\" id=\"readOnly\"> Read-only"
                + "</span></label>")
        .append(
            "<label for=\"description\">Description<input id=\"description\""
                + " name=\"description\" maxlength=\"200\"></label>")
        .append("<button type=\"submit\">Create</button></form>");
    b.append("<h2>Keys</h2><div class=\"scroll\"><table><thead><tr><th scope=\"col\">SecretId</th>")
        .append("<th scope=\"col\">Buckets</th><th scope=\"col\">Access</th><th scope=\"col\">")
        .append("Description</th><th scope=\"col\">State</th><th scope=\"col\">Revoke</th>")
        .append("</tr></thead><tbody>");
    for (AccessKeys.KeyInfo k : s.keys().list()) {
      b.append("<tr><td>")
          .append(esc(k.secretId()))
          .append("</td><td>")
          .append(
              k.scope().buckets().isEmpty() ? "all" : esc(String.join(", ", k.scope().buckets())))
          .append("</td><td>")
          .append(
              k.scope().administrator()
                  ? "administrator"
                  : k.scope().readOnly() ? "read-only" : "read-write")
          .append("</td><td>")
          .append(esc(k.description()))
          .append("</td><td>")
          .append(
              k.revokedAt() == null ? "Active" : "Revoked " + esc(s.times().format(k.revokedAt())))
          .append("</td><td>");
      if (!k.scope().administrator() && k.revokedAt() == null) {
        b.append("<form class=\"inline\" method=\"post\" action=\"/console/keys/")
            .append(url(k.secretId()))
            .append("/revoke\">")
            .append(Layout.csrf(session))
            .append("<button type=\"submit\" aria-label=\"Revoke ")
            .append(esc(k.secretId()))
            .append("\">Revoke</button></form>");
      }
      b.append("</td></tr>");
    }
    b.append("</tbody></table></div><h2>Audit log</h2><div class=\"scroll\"><table><thead><tr>")
        .append("<th scope=\"col\">Time</th><th scope=\"col\">SecretId</th><th scope=\"col\">")
        .append("Action</th><th scope=\"col\">Bucket</th><th scope=\"col\">Target</th>")
        .append("<th scope=\"col\">Outcome</th></tr>")
        .append("</thead><tbody>");
    for (AuditLog.Entry e : s.keys().auditLog(null, 50)) {
      b.append("<tr><td>")
          .append(esc(s.times().format(e.at())))
          .append("</td><td>")
          .append(esc(e.actor()))
          .append("</td><td>")
          .append(esc(e.action()))
          .append("</td><td>")
          .append(esc(e.bucket()))
          .append("</td><td>")
          .append(esc(e.target()))
          .append("</td><td>")
          .append(e.outcome().wireName())
          .append("</td></tr>");
    }
    b.append("</tbody></table></div>");
    return Layout.page("Access keys", "Access keys", session, nonce, b.toString(), null);
  }

  // --- helpers -------------------------------------------------------------------------------

  /**
   * Makes a change from the console under an audit entry in the signed-in key's name, its action
   * prefixed "console " (see {@link AccessKeys#audited}).
   */
  <T, E extends Exception> T audited(
      Sessions.Session session,
      String action,
      String bucket,
      String target,
      AccessKeys.Change<T, E> change)
      throws E {
    return s.keys().audited(session.key().secretId(), "console " + action, bucket, target, change);
  }

  List<String> buckets(Sessions.Session session) {
    return Console.visibleBuckets(session.key(), s.queues().buckets());
  }

  /** The bucket a page names, checked against the key's scope. */
  static String bucket(Sessions.Session session, String bucket, boolean write) {
    String b = URLDecoder.decode(bucket, StandardCharsets.UTF_8);
    if (!session.key().scope().allows(b, write)) {
      throw new Forbidden(
          write && session.key().scope().allows(b, false)
              ? "your key is read-only"
              : "your key may not open bucket " + b);
    }
    return b;
  }

  String chosenBucket(Context ctx, Sessions.Session session, List<String> buckets) {
    String asked = param(ctx, "bucket");
    if (asked != null && !asked.isEmpty()) {
      return bucket(session, asked, false);
    }
    return buckets.isEmpty() ? null : buckets.getFirst();
  }

  private JobQuery query(Context ctx) {
    Set<JobState> states = null;
    String state = param(ctx, "state");
    if (state != null && !state.isEmpty()) {
      try {
        states = Set.of(JobState.valueOf(state));
      } catch (IllegalArgumentException e) {
        throw new Invalid("no job state " + state);
      }
    }
    Long after = null;
    String afterParam = param(ctx, "after");
    if (afterParam != null && !afterParam.isEmpty()) {
      try {
        after = Long.parseLong(afterParam);
      } catch (NumberFormatException e) {
        throw new Invalid("after must be a number from a link");
      }
    }
    return new JobQuery(
        blankToNull(param(ctx, "queue")),
        blankToNull(param(ctx, "tag")),
        states,
        time(param(ctx, "from")),
        time(param(ctx, "to")),
        false,
        after,
        PAGE_SIZE,
        null,
        null);
  }

  Instant time(String localDateTime) {
    if (localDateTime == null || localDateTime.isEmpty()) {
      return null;
    }
    try {
      return LocalDateTime.parse(localDateTime).atZone(s.times().zone()).toInstant();
    } catch (DateTimeParseException e) {
      throw new Invalid("times look like 2026-12-02T08:00, not " + localDateTime);
    }
  }

  /** The form that shows a page for another bucket. */
  static String bucketChoice(String action, List<String> buckets, String chosen) {
    return "<form class=\"filters\" method=\"get\" action=\""
        + action
        + "\">"
        + bucketSelect(buckets, chosen)
        + "<button type=\"submit\">Show</button></form>";
  }

  static String bucketSelect(List<String> buckets, String chosen) {
    StringBuilder b =
        new StringBuilder("<label for=\"bucket\">Bucket<select id=\"bucket\" name=\"bucket\">");
    for (String bucket : buckets) {
      b.append("<option")
          .append(bucket.equals(chosen) ? " selected" : "")
          .append('>')
          .append(esc(bucket))
          .append("</option>");
    }
    return b.append("</select></label>").toString();
  }

  static String text(String name, String label, String value) {
    return "<label for=\""
        + name
        + "\">"
        + label
        + "<input id=\""
        + name
        + "\" name=\""
        + name
        + "\" value=\""
        + esc(value)
        + "\"></label>";
  }

  static String dt(String term, String html) {
    return "<dt>" + esc(term) + "</dt><dd>" + html + "</dd>";
  }

  static String param(Context ctx, String name) {
    return ctx.queryParam(name);
  }

  static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }

  private static String dropAfter(String query) {
    return query.replaceAll("(^|&)after=[^&]*", "").replaceFirst("^&", "");
  }

  static String age(Duration d) {
    long seconds = Math.max(0, d.toSeconds());
    return seconds < 120
        ? seconds + " s"
        : seconds < 7200 ? seconds / 60 + " min" : seconds / 3600 + " h";
  }

  /** One event's data: a JSON object of these members. */
  private static String json(Document... members) {
    return new String(
        Document.toJson(new Document.Node("event", List.of(members))), StandardCharsets.UTF_8);
  }
}
