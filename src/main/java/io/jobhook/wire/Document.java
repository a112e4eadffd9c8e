package io.jobhook.wire;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * An ordered document tree rendered to XML or JSON, so that both formats come from one view and
 * cannot drift apart. Element order is exactly the order of construction.
 */
public sealed interface Document {

  String name();

  /** A leaf element with text. */
  record Text(String name, String value) implements Document {}

  /** An element with child elements. */
  record Node(String name, List<Document> children) implements Document {}

  /** A repeated element: in XML each item is an element of this name, in JSON an array. */
  record Repeated(String name, List<Node> items) implements Document {}

  static Text text(String name, String value) {
    return new Text(name, value == null ? "" : value);
  }

  static Node node(String name, Document... children) {
    return new Node(name, List.of(children));
  }

  static byte[] toXml(Node root) {
    StringBuilder out = new StringBuilder(1024);
    writeXml(root, out);
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  static byte[] toJson(Node root) {
    StringBuilder out = new StringBuilder(1024);
    out.append('{');
    writeJsonMembers(root.children(), out);
    out.append('}');
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void writeXml(Document doc, StringBuilder out) {
    switch (doc) {
      case Text t -> {
        out.append('<').append(t.name()).append('>');
        escapeXml(t.value(), out);
        out.append("</").append(t.name()).append('>');
      }
      case Node n -> {
        out.append('<').append(n.name()).append('>');
        n.children().forEach(c -> writeXml(c, out));
        out.append("</").append(n.name()).append('>');
      }
      case Repeated r ->
          r.items().forEach(item -> writeXml(new Node(r.name(), item.children()), out));
    }
  }

  private static void writeJsonMembers(List<Document> members, StringBuilder out) {
    boolean first = true;
    for (Document d : members) {
      if (!first) {
        out.append(',');
      }
      first = false;
      quoteJson(d.name(), out);
      out.append(':');
      switch (d) {
        case Text t -> quoteJson(t.value(), out);
        case Node n -> {
          out.append('{');
          writeJsonMembers(n.children(), out);
          out.append('}');
        }
        case Repeated r -> {
          out.append('[');
          for (int i = 0; i < r.items().size(); i++) {
            if (i > 0) {
              out.append(',');
            }
            out.append('{');
            writeJsonMembers(r.items().get(i).children(), out);
            out.append('}');
          }
          out.append(']');
        }
      }
    }
  }

  private static void escapeXml(String s, StringBuilder out) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&apos;");
        default -> {
          // XML 1.0 cannot carry most control characters, even escaped; drop them.
          if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') {
            out.append(c);
          }
        }
      }
    }
  }

  private static void quoteJson(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
