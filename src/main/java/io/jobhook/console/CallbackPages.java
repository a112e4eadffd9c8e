package io.jobhook.console;

import static io.jobhook.console.Html.esc;
import static io.jobhook.console.Html.link;
import static io.jobhook.console.Html.path;
import static io.jobhook.console.Html.url;

import io.javalin.http.Context;
import io.jobhook.access.Sessions;
import io.jobhook.callback.CallbackLog;
import io.jobhook.callback.CallbackOutbox.DeliveryState;
import io.jobhook.callback.SigningSecrets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Callbacks: the delivery log searched, failed ones redelivered one by one or all in a range, and
 * the bucket's signing secrets, shown on request and rotated with a grace period.
 */
final class CallbackPages {
  private static final long MAX_GRACE_SECONDS = 30L * 86_400;

  private final Console.Services s;
  private final Pages pages;

  CallbackPages(Console.Services services, Pages pages) {
    this.s = services;
    this.pages = pages;
  }

  /** {@code /callbacks}, {@code /callbacks/{bucket}/redeliver-failed}, {@code /secrets/...}. */
  void serve(Context ctx, Sessions.Session session, String[] seg, String method, String nonce) {
    boolean get = method.equals("GET") || method.equals("HEAD");
    if (seg[0].equals("callbacks") && seg.length == 1 && get) {
      Console.page(ctx, 200, search(ctx, session, nonce, null));
    } else if (seg[0].equals("callbacks")
        && seg.length == 3
        && seg[2].equals("redeliver-failed")
        && method.equals("POST")) {
      String bucket = Pages.bucket(session, seg[1], true);
      Instant from = pages.time(ctx.formParam("from"));
      Instant to = pages.time(ctx.formParam("to"));
      String queue = Pages.blankToNull(ctx.formParam("queue"));
      int n =
          pages.audited(
              session,
              "redeliver failed",
              bucket,
              "/callbacks/redeliver from " + s.times().format(from) + " to " + s.times().format(to),
              () -> s.redelivery().failed(bucket, queue, from, to));
      Console.page(
          ctx,
          200,
          search(ctx, session, nonce, n + " failed callback(s) of " + bucket + " redelivered."));
    } else if (seg[0].equals("secrets") && seg.length == 3 && method.equals("POST")) {
      String bucket = Pages.bucket(session, seg[1], true);
      switch (seg[2]) {
        case "show" -> {
          pages.audited(session, "secret shown", bucket, "/callbacksecret", () -> null);
          Console.page(ctx, 200, secrets(session, bucket, nonce, true, null));
        }
        case "rotate" -> {
          long grace;
          try {
            grace = Long.parseLong(String.valueOf(ctx.formParam("graceSeconds")).trim());
          } catch (NumberFormatException e) {
            grace = -1;
          }
          if (grace < 0 || grace > MAX_GRACE_SECONDS) {
            throw new Pages.Invalid("the grace period is 0 to 2592000 seconds");
          }
          Duration gracePeriod = Duration.ofSeconds(grace);
          pages.audited(
              session,
              "secret rotate",
              bucket,
              "/callbacksecret/rotate?graceSeconds=" + grace,
              () -> s.secrets().rotate(bucket, gracePeriod));
          Console.page(
              ctx,
              200,
              secrets(
                  session,
                  bucket,
                  nonce,
                  true,
                  "Rotated: the old secret signs too for " + grace + " s."));
        }
        default -> throw new Pages.NotFound("no such page");
      }
    } else if (seg[0].equals("secrets") && seg.length == 1 && get) {
      List<String> buckets = pages.buckets(session);
      String bucket = pages.chosenBucket(ctx, session, buckets);
      if (bucket == null) {
        throw new Pages.NotFound("no bucket yet");
      }
      Console.page(ctx, 200, secrets(session, bucket, nonce, false, null));
    } else {
      throw new Pages.NotFound("no such page");
    }
  }

  private String search(Context ctx, Sessions.Session session, String nonce, String notice) {
    List<String> buckets = pages.buckets(session);
    String bucket = pages.chosenBucket(ctx, session, buckets);
    StringBuilder b = new StringBuilder();
    if (notice != null) {
      b.append("<p role=\"status\" id=\"notice\">").append(esc(notice)).append("</p>");
    }
    String state = Pages.param(ctx, "state");
    b.append("<form class=\"filters\" method=\"get\" action=\"/console/callbacks\">")
        .append(Pages.bucketSelect(buckets, bucket))
        .append("<label for=\"state\">State<select id=\"state\" name=\"state\">")
        .append("<option value=\"\">any</option>");
    for (DeliveryState st : DeliveryState.values()) {
      b.append("<option")
          .append(st.name().equals(state) ? " selected" : "")
          .append('>')
          .append(st)
          .append("</option>");
    }
    b.append("</select></label>")
        .append(Pages.text("jobId", "Job", Pages.param(ctx, "jobId")))
        .append(Pages.text("queue", "Queue", Pages.param(ctx, "queue")))
        .append("<button type=\"submit\">Search</button></form>");
    if (bucket == null) {
      return Layout.page("Callbacks", "Callbacks", session, nonce, b.toString(), null);
    }
    DeliveryState wanted = null;
    if (state != null && !state.isEmpty()) {
      try {
        wanted = DeliveryState.valueOf(state);
      } catch (IllegalArgumentException e) {
        throw new Pages.Invalid("state is Pending, Delivered or Failed");
      }
    }
    var page =
        s.callbackLog()
            .list(
                bucket,
                new CallbackLog.Query(
                    Pages.blankToNull(Pages.param(ctx, "jobId")),
                    Pages.blankToNull(Pages.param(ctx, "queue")),
                    wanted,
                    null,
                    null,
                    null,
                    50));
    b.append("<div class=\"scroll\"><table id=\"callbacks\"><thead><tr><th scope=\"col\">Job</th>")
        .append("<th scope=\"col\">Event</th><th scope=\"col\">Address</th>")
        .append("<th scope=\"col\">State</th><th scope=\"col\" class=\"num\">Attempts</th>")
        .append("<th scope=\"col\">Last error</th><th scope=\"col\" class=\"wide\">Created</th>")
        .append("</tr></thead><tbody>");
    for (CallbackLog.Entry e : page.entries()) {
      b.append("<tr><td>")
          .append(link(path("jobs", bucket, e.jobId()) + "#callbacks", e.jobId()))
          .append("</td><td>")
          .append(esc(e.eventName()))
          .append("</td><td>")
          .append(esc(e.url()))
          .append("</td><td>")
          .append(e.state())
          .append("</td><td class=\"num\">")
          .append(e.attempts())
          .append("</td><td>")
          .append(esc(e.lastError()))
          .append("</td><td class=\"wide\">")
          .append(esc(s.times().format(e.createdAt())))
          .append("</td></tr>");
    }
    if (page.entries().isEmpty()) {
      b.append("<tr><td colspan=\"7\" class=\"muted\">No callbacks match.</td></tr>");
    }
    b.append("</tbody></table></div>");
    if (session.key().scope().allows(bucket, true)) {
      b.append("<h2>Redeliver failed callbacks</h2><form class=\"filters\" method=\"post\"")
          .append(" action=\"/console/callbacks/")
          .append(url(bucket))
          .append("/redeliver-failed\">")
          .append(Layout.csrf(session))
          .append(
              "<label for=\"rfrom\">Created from<input id=\"rfrom\" name=\"from\""
                  + " type=\"datetime-local\"></label>")
          .append(
              "<label for=\"rto\">to<input id=\"rto\" name=\"to\" type=\"datetime-local\">"
                  + "</label>")
          .append(Pages.text("rqueue", "Queue", "").replace("name=\"rqueue\"", "name=\"queue\""))
          .append("<button type=\"submit\">Redeliver every failed one</button></form>");
      b.append("<p><a href=\"/console/secrets?bucket=")
          .append(url(bucket))
          .append("\">Signing secrets of ")
          .append(esc(bucket))
          .append("</a></p>");
    }
    return Layout.page("Callbacks", "Callbacks", session, nonce, b.toString(), null);
  }

  private String secrets(
      Sessions.Session session, String bucket, String nonce, boolean shown, String notice) {
    StringBuilder b = new StringBuilder();
    if (notice != null) {
      b.append("<p role=\"status\" id=\"notice\">").append(esc(notice)).append("</p>");
    }
    b.append("<p>Callbacks of ")
        .append(esc(bucket))
        .append(" are signed with these secrets (Standard Webhooks, <code>whsec_</code>);")
        .append(" receivers verify with any of them.</p>");
    b.append("<div class=\"scroll\"><table><thead><tr><th scope=\"col\">Secret</th>")
        .append("<th scope=\"col\">Created</th><th scope=\"col\">Expires</th></tr></thead><tbody>");
    for (SigningSecrets.Secret secret : s.secrets().active(bucket)) {
      b.append("<tr><td><code class=\"secret\">")
          .append(shown ? esc(secret.value()) : "whsec_••••••••")
          .append("</code></td><td>")
          .append(esc(s.times().format(secret.createdAt())))
          .append("</td><td>")
          .append(esc(s.times().format(secret.expiresAt())))
          .append("</td></tr>");
    }
    b.append("</tbody></table></div>");
    String action = "/console/secrets/" + url(bucket);
    if (!shown) {
      b.append("<form method=\"post\" action=\"")
          .append(action)
          .append("/show\">")
          .append(Layout.csrf(session))
          .append("<button type=\"submit\">Show the secrets</button></form>");
    }
    b.append("<h2>Rotate</h2><form class=\"filters\" method=\"post\" action=\"")
        .append(action)
        .append("/rotate\">")
        .append(Layout.csrf(session))
        .append(
            "<label for=\"graceSeconds\">Old secret keeps signing for (seconds)<input"
                + " id=\"graceSeconds\" name=\"graceSeconds\" type=\"number\" min=\"0\""
                + " max=\"2592000\" value=\"86400\" required></label>")
        .append("<button type=\"submit\">Rotate the secret</button></form>");
    return Layout.page("Signing secrets", "Callbacks", session, nonce, b.toString(), null);
  }
}
