package io.jobhook.console;

import static io.jobhook.console.Html.esc;
import static io.jobhook.console.Html.url;

import io.javalin.http.Context;
import io.jobhook.access.Sessions;
import io.jobhook.template.Template;
import io.jobhook.template.TemplateFilter;
import io.jobhook.template.TemplatesException;
import java.util.List;

/** Templates: each bucket's named job settings, and deleting one no active workflow uses. */
final class TemplatePages {
  private final Console.Services s;
  private final Pages pages;

  TemplatePages(Console.Services services, Pages pages) {
    this.s = services;
    this.pages = pages;
  }

  void serve(Context ctx, Sessions.Session session, String[] seg, String method, String nonce) {
    if (seg.length == 1 && (method.equals("GET") || method.equals("HEAD"))) {
      Console.page(ctx, 200, list(ctx, session, nonce));
    } else if (seg.length == 4 && seg[3].equals("delete") && method.equals("POST")) {
      String bucket = Pages.bucket(session, seg[1], true);
      pages.audited(
          session,
          "template delete",
          bucket,
          "/template/" + seg[2],
          () -> {
            try {
              s.templates().delete(bucket, seg[2]);
              return null;
            } catch (TemplatesException.NoSuchTemplate e) {
              throw new Pages.NotFound(e.getMessage());
            } catch (TemplatesException.InUse e) {
              throw new Pages.Invalid(e.getMessage());
            }
          });
      ctx.redirect(
          "/console/templates?bucket=" + url(bucket), io.javalin.http.HttpStatus.SEE_OTHER);
    } else {
      throw new Pages.NotFound("no such page");
    }
  }

  private String list(Context ctx, Sessions.Session session, String nonce) {
    List<String> buckets = pages.buckets(session);
    String bucket = pages.chosenBucket(ctx, session, buckets);
    StringBuilder b = new StringBuilder();
    b.append(Pages.bucketChoice("/console/templates", buckets, bucket));
    List<Template> templates =
        bucket == null
            ? List.of()
            : s.templates().list(bucket, new TemplateFilter(null, null, null, null));
    if (templates.isEmpty()) {
      b.append("<p class=\"muted\">No templates in this bucket.</p>");
      return Layout.page("Templates", "Templates", session, nonce, b.toString(), null);
    }
    boolean mayWrite = session.key().scope().allows(bucket, true);
    b.append("<div class=\"scroll\"><table id=\"templates\"><thead><tr><th scope=\"col\">Name")
        .append("</th><th scope=\"col\">Id</th><th scope=\"col\">Tag</th><th scope=\"col\">")
        .append("Settings</th><th scope=\"col\" class=\"wide\">Updated</th><th scope=\"col\">")
        .append("Delete</th></tr></thead><tbody>");
    for (Template t : templates) {
      b.append("<tr><td>")
          .append(esc(t.name()))
          .append("</td><td>")
          .append(esc(t.id()))
          .append("</td><td>")
          .append(esc(t.tag()))
          .append("</td><td>");
      t.settings().forEach((k, v) -> b.append(esc(k)).append('=').append(esc(v)).append("<br>"));
      b.append("</td><td class=\"wide\">")
          .append(esc(s.times().format(t.updateTime())))
          .append("</td><td>");
      if (mayWrite) {
        b.append("<form class=\"inline\" method=\"post\" action=\"/console/templates/")
            .append(url(bucket))
            .append('/')
            .append(url(t.id()))
            .append("/delete\">")
            .append(Layout.csrf(session))
            .append("<button type=\"submit\" aria-label=\"Delete ")
            .append(esc(t.name()))
            .append("\">Delete</button></form>");
      }
      b.append("</td></tr>");
    }
    b.append("</tbody></table></div>");
    return Layout.page("Templates", "Templates", session, nonce, b.toString(), null);
  }
}
