package io.jobhook.console;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Escaping for HTML text, attributes and URL parts. */
final class Html {
  private Html() {}

  /** Text or an attribute value, escaped. */
  static String esc(Object value) {
    if (value == null) {
      return "";
    }
    String s = value.toString();
    StringBuilder out = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /** A query parameter value or a path segment, percent-encoded. */
  static String url(String value) {
    return URLEncoder.encode(value == null ? "" : value, StandardCharsets.UTF_8)
        .replace("+", "%20");
  }

  /** The console's page of one thing in a bucket: /console/SECTION/BUCKET/ID, encoded. */
  static String path(String section, String bucket, String id) {
    return "/console/" + section + "/" + url(bucket) + "/" + url(id);
  }

  /** A link to {@code href} (already encoded) reading {@code text}. */
  static String link(String href, Object text) {
    return "<a href=\"" + esc(href) + "\">" + esc(text) + "</a>";
  }

  /** An object key as a URL path: each segment encoded, the slashes kept. */
  static String keyPath(String key) {
    StringBuilder out = new StringBuilder();
    for (String segment : key.split("/", -1)) {
      if (!out.isEmpty()) {
        out.append('/');
      }
      out.append(url(segment));
    }
    return out.toString();
  }
}
