package io.jobhook.object;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * An object's tags, as COS keeps them: at most {@link #MAX_TAGS}, each key 1 to 128 characters and
 * unique, each value at most 256, no control characters. Kept with the object's stored headers
 * under {@link #HEADER} in its query form ({@code k1=v1&k2=v2}, URL-encoded), which is also how an
 * upload gives them.
 */
public record ObjectTags(Map<String, String> tags) {
  /** The header an upload sets tags with, and the stored header that keeps them. */
  public static final String HEADER = "x-cos-tagging";

  public static final int MAX_TAGS = 10;

  public ObjectTags {
    tags = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tags));
    if (tags.size() > MAX_TAGS) {
      throw new IllegalArgumentException(
          "an object holds at most " + MAX_TAGS + " tags, not " + tags.size());
    }
    tags.forEach(
        (key, value) -> {
          if (key.isEmpty() || key.length() > 128 || value.length() > 256) {
            throw new IllegalArgumentException(
                "a tag's key is 1 to 128 characters and its value at most 256: '" + key + "'");
          }
          if ((key + value).chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("a tag holds no control characters");
          }
        });
  }

  /** Tags in their query form, as the {@code x-cos-tagging} header gives them. */
  public static ObjectTags parseHeader(String header) {
    Map<String, String> tags = new LinkedHashMap<>();
    if (!header.isBlank()) {
      for (String pair : header.split("&", -1)) {
        int eq = pair.indexOf('=');
        String key = decode(eq < 0 ? pair : pair.substring(0, eq));
        String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
        if (tags.put(key, value) != null) {
          throw new IllegalArgumentException("the tag '" + key + "' is given twice");
        }
      }
    }
    return new ObjectTags(tags);
  }

  /** The query form, for the stored header. */
  public String header() {
    StringJoiner joined = new StringJoiner("&");
    tags.forEach((key, value) -> joined.add(encode(key) + "=" + encode(value)));
    return joined.toString();
  }

  /** The tags an object's stored headers keep; none when they keep none. */
  public static ObjectTags of(ObjectInfo info) {
    String stored = info.storedHeaders().get(HEADER);
    return stored == null ? new ObjectTags(Map.of()) : parseHeader(stored);
  }

  /** {@code headers} with these tags in place of any others (none: the header removed). */
  public Map<String, String> storedIn(Map<String, String> headers) {
    Map<String, String> updated = new LinkedHashMap<>(headers);
    updated.remove(HEADER);
    if (!tags.isEmpty()) {
      updated.put(HEADER, header());
    }
    return updated;
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + s + "' is not URL-encoded");
    }
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
