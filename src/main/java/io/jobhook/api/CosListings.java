package io.jobhook.api;

import io.jobhook.api.auth.QSign;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.function.UnaryOperator;

/** What COS's listings (objects, multipart uploads, parts) share: time format, key encoding. */
final class CosListings {
  private static final DateTimeFormatter ISO_MILLIS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  /** The most entries one page lists, and what it lists when the client does not say. */
  static final int MAX_PAGE = 1000;

  private CosListings() {}

  static String time(Instant at) {
    return ISO_MILLIS.format(at);
  }

  /**
   * How the listing writes keys, prefixes and markers: as they are, or URL-encoded when the client
   * asked for {@code encoding-type=url} (the only encoding COS knows; RFC 3986, as signatures
   * encode), so that any key survives XML.
   */
  static UnaryOperator<String> keyEncoding(RequestTarget target) {
    String type = target.param("encoding-type");
    if (type == null) {
      return s -> s;
    }
    if (!type.equalsIgnoreCase("url")) {
      throw ApiException.invalidArgument("encoding-type must be url, not '" + type + "'");
    }
    return s -> s == null ? null : QSign.encode(s);
  }
}
