package io.jobhook.api;

import static io.jobhook.wire.Document.node;
import static io.jobhook.wire.Document.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.jobhook.template.Template;
import io.jobhook.template.TemplateFilter;
import io.jobhook.template.TemplateService;
import io.jobhook.wire.CiTimes;
import io.jobhook.wire.Document;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code /template}: create, update, describe and delete templates (contract §10.2), in the shape
 * the Java SDK's parsers read and the Go SDK's structs name.
 */
final class TemplatesApi {
  private final TemplateService templates;
  private final CiTimes times;

  TemplatesApi(TemplateService templates, CiTimes times) {
    this.templates = templates;
    this.times = times;
  }

  void handle(
      Context ctx, VirtualHost host, RequestTarget target, String requestId, String[] segments) {
    String method = ctx.method().name();
    String id = segments.length > 1 && !segments[1].isEmpty() ? segments[1] : null;
    if (segments.length > 2) {
      throw ApiException.noSuchResource(target.path());
    }
    if (id == null && method.equals("POST")) {
      answer(ctx, requestId, templates.create(host.bucket(), definition(ctx)));
    } else if (id == null && method.equals("GET")) {
      list(ctx, host, target, requestId);
    } else if (id != null && method.equals("PUT")) {
      answer(ctx, requestId, templates.update(host.bucket(), id, definition(ctx)));
    } else if (id != null && method.equals("GET")) {
      answer(ctx, requestId, templates.get(host.bucket(), id));
    } else if (id != null && method.equals("DELETE")) {
      templates.delete(host.bucket(), id);
      xml(ctx, node("Response", text("RequestId", requestId), text("TemplateId", id)));
    } else {
      throw ApiException.methodNotAllowed(method, target.path());
    }
  }

  /** {@code <Request><Tag/><Name/><Tag's settings/></Request>}: the settings are the children. */
  private static TemplateService.Definition definition(Context ctx) {
    JsonNode req = CiXml.parseRequest(HttpServer.readBody(ctx, CiXml.MAX_BODY_BYTES));
    String tag = CiXml.text(req, "Tag");
    return new TemplateService.Definition(tag, CiXml.text(req, "Name"), CiXml.settings(req, tag));
  }

  private void list(Context ctx, VirtualHost host, RequestTarget target, String requestId) {
    int pageNumber = QueryParams.integer(target, "pageNumber", 1, 1, Integer.MAX_VALUE);
    int pageSize = QueryParams.integer(target, "pageSize", 10, 1, 100);
    List<Template> matching =
        templates.list(
            host.bucket(),
            new TemplateFilter(
                QueryParams.text(target, "tag"),
                QueryParams.text(target, "category"),
                QueryParams.ids(target, "ids"),
                QueryParams.text(target, "name")));
    List<Document> children = new ArrayList<>();
    children.add(text("RequestId", requestId));
    children.add(text("TotalCount", Integer.toString(matching.size())));
    children.add(text("PageNumber", Integer.toString(pageNumber)));
    children.add(text("PageSize", Integer.toString(pageSize)));
    QueryParams.page(matching, pageNumber, pageSize)
        .forEach(t -> children.add(template("TemplateList", t)));
    xml(ctx, new Document.Node("Response", children));
  }

  private void answer(Context ctx, String requestId, Template template) {
    xml(ctx, node("Response", text("RequestId", requestId), template("Template", template)));
  }

  private Document.Node template(String element, Template t) {
    List<Document> settings = new ArrayList<>();
    t.settings().forEach((name, value) -> settings.add(text(name, value)));
    return node(
        element,
        text("TemplateId", t.id()),
        text("Name", t.name()),
        text("Tag", t.tag()),
        // the Go SDK reads a template's tag from Code (its Template struct), the Java SDK from Tag
        text("Code", t.tag()),
        text("BucketId", t.bucket()),
        text("Category", Template.CATEGORY),
        text("CreateTime", times.format(t.createTime())),
        text("UpdateTime", times.format(t.updateTime())),
        new Document.Node(t.tag(), settings));
  }

  private static void xml(Context ctx, Document.Node body) {
    ctx.status(200).contentType("application/xml").result(Document.toXml(body));
  }
}
