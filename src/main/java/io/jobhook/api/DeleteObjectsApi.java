package io.jobhook.api;

import static io.jobhook.wire.Document.node;
import static io.jobhook.wire.Document.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.jobhook.object.ObjectStore;
import io.jobhook.wire.Document;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * COS's Delete Multiple Objects ({@code POST /?delete}): up to 1,000 keys in one {@code <Delete>}
 * document, each deleted as a single DELETE would be (a key that does not exist counts as deleted),
 * each answered as {@code Deleted} or, when it failed, {@code Error}; {@code Quiet} leaves the
 * deleted ones out.
 */
final class DeleteObjectsApi {
  private static final org.slf4j.Logger log =
      org.slf4j.LoggerFactory.getLogger(DeleteObjectsApi.class);
  static final int MAX_KEYS = 1000;

  private final ObjectStore objects;

  DeleteObjectsApi(ObjectStore objects) {
    this.objects = objects;
  }

  void delete(Context ctx, VirtualHost host) {
    if (!ctx.method().name().equals("POST")) {
      throw new ApiException(
          405, "MethodNotAllowed", "?delete on a bucket takes POST (to delete several objects)");
    }
    byte[] body = HttpServer.readBody(ctx, CiXml.MAX_BODY_BYTES); // Content-MD5 checked there
    JsonNode doc = CiXml.parse(body, "Delete");
    boolean quiet = "true".equalsIgnoreCase(CiXml.textOrEmpty(doc, "Quiet").trim());
    List<String> keys = new ArrayList<>();
    List<JsonNode> items = CiXml.repeated(doc, "Object");
    for (JsonNode item : items) {
      // as written: a key may begin or end with spaces
      String key = item.hasNonNull("Key") ? item.get("Key").asText() : null;
      if (key == null || key.isEmpty()) {
        throw ApiException.malformedXml("each <Object> needs a <Key>");
      }
      if (CiXml.text(item, "VersionId") != null) {
        throw new ApiException(
            501, "NotImplemented", "deleting a version of an object is not implemented by jobhook");
      }
      keys.add(key);
    }
    if (keys.isEmpty() || keys.size() > MAX_KEYS) {
      throw ApiException.malformedXml(
          "a <Delete> document names 1 to " + MAX_KEYS + " objects, not " + keys.size());
    }
    List<Document> results = new ArrayList<>();
    for (String key : keys) {
      try {
        objects.delete(host.bucket(), key);
        if (!quiet) {
          results.add(node("Deleted", text("Key", key)));
        }
      } catch (IOException | RuntimeException e) {
        log.warn("deleting {} of a batch failed: {}", key, e.toString());
        results.add(
            node(
                "Error",
                text("Key", key),
                text("Code", "InternalError"),
                text("Message", "the object could not be deleted; try again")));
      }
    }
    ctx.status(200)
        .contentType("application/xml")
        .result(Document.toXml(new Document.Node("DeleteResult", results)));
  }
}
