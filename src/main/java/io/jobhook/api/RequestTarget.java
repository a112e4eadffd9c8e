package io.jobhook.api;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap.SimpleEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The request path decoded exactly once ({@code +} stays {@code +}, as the signer expects) and the
 * query parameters decoded, in arrival order; a parameter without a value has the value "".
 */
public record RequestTarget(String path, List<Map.Entry<String, String>> params) {

  public static RequestTarget of(String rawPath, String rawQuery) {
    String path = decode(rawPath == null || rawPath.isEmpty() ? "/" : rawPath);
    List<Map.Entry<String, String>> params = new ArrayList<>();
    if (rawQuery != null && !rawQuery.isEmpty()) {
      for (String part : rawQuery.split("&")) {
        if (part.isEmpty()) {
          continue;
        }
        int eq = part.indexOf('=');
        String name = eq < 0 ? part : part.substring(0, eq);
        String value = eq < 0 ? "" : part.substring(eq + 1);
        params.add(new SimpleEntry<>(decode(name), decode(value)));
      }
    }
    return new RequestTarget(path, List.copyOf(params));
  }

  /** The first value of a parameter, matched case-insensitively; null when absent. */
  public String param(String name) {
    for (Map.Entry<String, String> p : params) {
      if (p.getKey().equalsIgnoreCase(name)) {
        return p.getValue();
      }
    }
    return null;
  }

  /** Percent-decoding as UTF-8 that leaves {@code +} alone. */
  static String decode(String s) {
    if (s.indexOf('%') < 0) {
      return s;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%' && i + 2 < s.length() && hex(s.charAt(i + 1)) >= 0 && hex(s.charAt(i + 2)) >= 0) {
        out.write(hex(s.charAt(i + 1)) * 16 + hex(s.charAt(i + 2)));
        i += 2;
      } else if (c == '%') {
        throw new ApiException(400, "InvalidURI", "malformed percent-encoding in '" + s + "'");
      } else {
        byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        if (Character.isHighSurrogate(c) && i + 1 < s.length()) {
          b = s.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
          i++;
        }
        out.writeBytes(b);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static int hex(char c) {
    return Character.digit(c, 16);
  }
}
