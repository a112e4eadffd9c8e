package io.jobhook.api;

import static io.jobhook.wire.Document.node;
import static io.jobhook.wire.Document.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.jobhook.object.ObjectInfo;
import io.jobhook.object.ObjectStore;
import io.jobhook.object.ObjectTags;
import io.jobhook.wire.Document;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * COS object tagging: {@code PUT}, {@code GET} and {@code DELETE /<key>?tagging}, and the tags an
 * upload gives with {@code x-cos-tagging}. Tags change nothing but themselves: not the object's
 * bytes, its ETag or its time, and no workflow starts.
 */
final class TaggingApi {
  private final ObjectStore objects;

  TaggingApi(ObjectStore objects) {
    this.objects = objects;
  }

  void handle(Context ctx, VirtualHost host, String key) {
    switch (ctx.method().name()) {
      case "PUT" -> {
        ObjectTags tags = parse(HttpServer.readBody(ctx, CiXml.MAX_BODY_BYTES));
        if (!objects.tag(host.bucket(), key, tags)) {
          throw ApiException.noSuchKey(key);
        }
        ctx.status(200);
      }
      case "GET" -> {
        ObjectInfo info =
            objects.head(host.bucket(), key).orElseThrow(() -> ApiException.noSuchKey(key));
        List<Document> tags = new ArrayList<>();
        ObjectTags.of(info)
            .tags()
            .forEach((k, v) -> tags.add(node("Tag", text("Key", k), text("Value", v))));
        ctx.status(200)
            .contentType("application/xml")
            .result(Document.toXml(node("Tagging", new Document.Node("TagSet", tags))));
      }
      case "DELETE" -> {
        if (!objects.tag(host.bucket(), key, new ObjectTags(Map.of()))) {
          throw ApiException.noSuchKey(key);
        }
        ctx.status(204);
      }
      default ->
          throw new ApiException(
              405, "MethodNotAllowed", "?tagging on an object takes PUT, GET or DELETE");
    }
  }

  /** The tags of an upload's {@code x-cos-tagging} header; none without one. */
  static ObjectTags fromHeader(String header) {
    try {
      return ObjectTags.parseHeader(header == null ? "" : header);
    } catch (IllegalArgumentException e) {
      throw new ApiException(400, "InvalidTag", e.getMessage());
    }
  }

  private static ObjectTags parse(byte[] body) {
    JsonNode doc = CiXml.parse(body, "Tagging");
    JsonNode set = doc.get("TagSet");
    Map<String, String> tags = new LinkedHashMap<>();
    for (JsonNode tag :
        set == null || !set.isObject() ? List.<JsonNode>of() : CiXml.repeated(set, "Tag")) {
      String key = tag.hasNonNull("Key") ? tag.get("Key").asText() : null;
      String value = tag.hasNonNull("Value") ? tag.get("Value").asText() : "";
      if (key == null
          || !tag.get("Key").isValueNode()
          || (tag.has("Value") && !tag.get("Value").isValueNode())) {
        throw ApiException.malformedXml("each <Tag> holds a <Key> and a <Value>, as text");
      }
      if (tags.put(key, value) != null) {
        throw new ApiException(400, "InvalidTag", "the tag '" + key + "' is given twice");
      }
    }
    try {
      return new ObjectTags(tags);
    } catch (IllegalArgumentException e) {
      throw new ApiException(400, "InvalidTag", e.getMessage());
    }
  }
}
