package io.jobhook.api;

import io.jobhook.api.auth.QSign;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap.SimpleEntry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The request path decoded exactly once ({@code +} stays {@code +}, as the signer expects) and the
 * query parameters, parsed once for both the signature check and the handlers. Each parameter is
 * known by the key q-sign gives it ({@code lower(Enc(trim(name)))}) and holds its value as signed
 * (decoded, trimmed), so a handler reads exactly what was verified. Two parameters with one key
 * ({@code size} twice, or {@code size} and {@code %20Size}) make the request ambiguous and are
 * refused; no SDK sends them. A parameter without a value has the value "".
 *
 * @param signedKeys the keys the request's signature covers (all of them for an unsigned request
 *     let through by {@code --allow-anonymous}, which has no signature to be more precise than)
 */
public record RequestTarget(String path, Map<String, Param> params, Set<String> signedKeys) {

  /** One query parameter: its name as sent (decoded) and its value as signed. */
  public record Param(String name, String value) {}

  public RequestTarget {
    params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    signedKeys = Set.copyOf(signedKeys);
  }

  /**
   * Parses a request line's path and query; throws a 400 for bad encoding or ambiguous parameters.
   */
  public static RequestTarget of(String rawPath, String rawQuery) {
    String path = decode(rawPath == null || rawPath.isEmpty() ? "/" : rawPath);
    Map<String, Param> params = new LinkedHashMap<>();
    if (rawQuery != null && !rawQuery.isEmpty()) {
      for (String part : rawQuery.split("&")) {
        if (part.isEmpty()) {
          continue;
        }
        int eq = part.indexOf('=');
        String name = decode(eq < 0 ? part : part.substring(0, eq));
        String value = decode(eq < 0 ? "" : part.substring(eq + 1));
        Param earlier = params.putIfAbsent(keyOf(name), new Param(name, value.trim()));
        if (earlier != null) {
          throw ApiException.invalidArgument(
              "query parameter '"
                  + name.trim()
                  + "' is given more than once"
                  + (earlier.name().equals(name)
                      ? ""
                      : " (as '" + earlier.name() + "' and '" + name + "')"));
        }
      }
    }
    return new RequestTarget(path, params, params.keySet());
  }

  /** The key q-sign lists a parameter under in {@code q-url-param-list}. */
  public static String keyOf(String name) {
    return QSign.encode(name.trim()).toLowerCase(java.util.Locale.ROOT);
  }

  /** This target, with only {@code keys} counted as covered by the signature. */
  public RequestTarget signedBy(Set<String> keys) {
    return new RequestTarget(path, params, keys);
  }

  /** The parameters as (name, value) pairs, in arrival order: what the signature check reads. */
  public List<Map.Entry<String, String>> pairs() {
    List<Map.Entry<String, String>> pairs = new ArrayList<>(params.size());
    params.values().forEach(p -> pairs.add(new SimpleEntry<>(p.name(), p.value())));
    return pairs;
  }

  /**
   * The value of a parameter (names match as q-sign matches them: trimmed, any case); null when
   * absent.
   */
  public String param(String name) {
    Param p = params.get(keyOf(name));
    return p == null ? null : p.value();
  }

  /**
   * Whether a parameter that names an action ({@code ?active}, {@code ?paused}) is present. Such a
   * parameter changes what the request does, so it counts only when the signature covers it.
   */
  public boolean signedFlag(String name) {
    String key = keyOf(name);
    if (!params.containsKey(key)) {
      return false;
    }
    if (!signedKeys.contains(key)) {
      throw ApiException.invalidArgument(
          "query parameter '"
              + name
              + "' is not covered by the request's signature (list it in q-url-param-list)");
    }
    return true;
  }

  /**
   * Refuses parameters the signature does not cover. jobhook's own endpoints call it: the CI API
   * must let the SDK's unsigned extras through, but what jobhook adds acts only on what was signed.
   */
  public void requireAllSigned() {
    for (Map.Entry<String, Param> p : params.entrySet()) {
      if (!signedKeys.contains(p.getKey())) {
        throw ApiException.invalidArgument(
            "query parameter '"
                + p.getValue().name()
                + "' is not covered by the request's signature (list it in q-url-param-list)");
      }
    }
  }

  /** Percent-decoding as UTF-8 that leaves {@code +} alone. */
  static String decode(String s) {
    if (s.indexOf('%') < 0) {
      return s;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%'
          && i + 2 < s.length()
          && hex(s.charAt(i + 1)) >= 0
          && hex(s.charAt(i + 2)) >= 0) {
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
