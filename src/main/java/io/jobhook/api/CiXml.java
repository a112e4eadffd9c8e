package io.jobhook.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.xml.XmlFactory;
import com.fasterxml.jackson.dataformat.xml.XmlMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.xml.stream.XMLInputFactory;

/**
 * Parses CI request bodies into a tree. No DTDs, no entities: a body that declares a DOCTYPE or an
 * entity is refused before parsing, and the parser itself has DTD support and external entities
 * switched off as a second line. Unknown elements are kept in the tree and ignored by readers.
 * Thread-safe.
 */
final class CiXml {
  static final int MAX_BODY_BYTES = 1 << 20;

  private static final XmlMapper MAPPER = createMapper();

  private CiXml() {}

  private static XmlMapper createMapper() {
    XMLInputFactory input = XMLInputFactory.newFactory();
    input.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    input.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    return new XmlMapper(XmlFactory.builder().xmlInputFactory(input).build());
  }

  /** Parses a {@code <Request>} document; the root element's children are returned. */
  static JsonNode parseRequest(byte[] body) {
    return parse(body, "Request");
  }

  /**
   * Parses a document whose root element is {@code root}; the root element's children are returned,
   * a repeated element as an array.
   */
  static JsonNode parse(byte[] body, String root) {
    if (body.length == 0) {
      throw ApiException.malformedXml(
          "the request body is empty; an XML <" + root + "> document is required");
    }
    String text = new String(body, StandardCharsets.UTF_8);
    String upper = text.toUpperCase(Locale.ROOT);
    if (upper.contains("<!DOCTYPE") || upper.contains("<!ENTITY")) {
      throw ApiException.malformedXml("DOCTYPE and ENTITY declarations are not allowed");
    }
    String trimmed = text.stripLeading();
    if (trimmed.startsWith("<?xml")) {
      int end = trimmed.indexOf("?>");
      trimmed = end < 0 ? "" : trimmed.substring(end + 2).stripLeading();
    }
    if (!trimmed.startsWith("<" + root + ">") && !trimmed.startsWith("<" + root + " ")) {
      throw ApiException.malformedXml("the root element must be <" + root + ">");
    }
    try {
      JsonNode node = MAPPER.readTree(body);
      if (node == null || node.isMissingNode()) {
        throw ApiException.malformedXml("the XML document is empty");
      }
      return node;
    } catch (IOException e) {
      throw ApiException.malformedXml("the XML is not well-formed: " + firstLine(e.getMessage()));
    }
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "parse error";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  /** Text of a child path, or null when absent or empty. */
  static String text(JsonNode node, String... path) {
    JsonNode n = node;
    for (String p : path) {
      if (n == null) {
        return null;
      }
      n = n.get(p);
    }
    if (n == null || n.isNull()) {
      return null;
    }
    if (n.isArray()) {
      throw ApiException.invalidArgument(
          "element " + String.join("/", path) + " must appear at most once");
    }
    if (n.isObject()) {
      // <Name></Name> parses as "", but <Name><x/></Name> is a structure where text was expected
      if (n.isEmpty()) {
        return null;
      }
      throw ApiException.invalidArgument("element " + String.join("/", path) + " must hold text");
    }
    String t = n.asText().trim();
    return t.isEmpty() ? null : t;
  }

  /** Every child element named {@code name}, in order: none, one, or the repeats of it. */
  static List<JsonNode> repeated(JsonNode parent, String name) {
    JsonNode listed = parent.get(name);
    List<JsonNode> items = new ArrayList<>();
    if (listed != null && listed.isArray()) {
      listed.forEach(items::add);
    } else if (listed != null) {
      items.add(listed);
    }
    return items;
  }

  /** Like {@link #text}, with "" for absent. */
  static String textOrEmpty(JsonNode node, String... path) {
    String t = text(node, path);
    return t == null ? "" : t;
  }

  /** An object key as requests may write it, with or without a leading slash, as stored. */
  static String objectKey(String key) {
    return key.startsWith("/") ? key.substring(1) : key;
  }

  /**
   * A job kind's settings: the text children of {@code parent}'s element named by the tag (for
   * NoiseReduction, {@code <NoiseReduction><Format/><Samplerate/></NoiseReduction>}), in order.
   */
  static Map<String, String> settings(JsonNode parent, String tag) {
    Map<String, String> settings = new LinkedHashMap<>();
    JsonNode element = parent == null || tag == null ? null : parent.get(tag);
    if (element != null && element.isObject()) {
      element
          .fieldNames()
          .forEachRemaining(
              name -> {
                String value = text(element, name);
                if (value != null) {
                  settings.put(name, value);
                }
              });
    }
    return settings;
  }
}
