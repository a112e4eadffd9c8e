package io.jobhook.callback;

import java.net.URI;
import java.util.Locale;

/**
 * A callback URL, parsed once, refusing what different parsers would read differently: an absolute
 * {@code http(s)} URL of at most {@value #MAX_LENGTH} characters, without user info, whose host, if
 * it looks like an IPv4 address at all, is one in canonical dotted-decimal form. {@code 0177.0.0.1}
 * is 127.0.0.1 to {@code inet_aton} and curl but 177.0.0.1 to Java; {@code 0x7f.1} and {@code
 * 2130706433} are loopback to some and host names to others: none of them is taken.
 *
 * @param host lower case; an IPv6 literal without its brackets
 * @param requestPath the path and query as sent in the request line
 */
public record CallbackUrl(String scheme, String host, int port, String requestPath) {
  public static final int MAX_LENGTH = 2048;

  /**
   * Parses and checks a URL; throws {@link IllegalArgumentException} saying what is wrong with it.
   */
  public static CallbackUrl parse(String url) {
    if (url.length() > MAX_LENGTH) {
      throw new IllegalArgumentException(
          "a callback URL may be at most " + MAX_LENGTH + " characters long, not " + url.length());
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (java.net.URISyntaxException e) {
      throw new IllegalArgumentException("'" + url + "' is not a valid URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
      throw new IllegalArgumentException(
          "a callback must be an absolute http or https URL, not '" + url + "'");
    }
    if (uri.getRawUserInfo() != null) {
      throw new IllegalArgumentException(
          "a callback URL may not carry user info ('" + uri.getRawUserInfo() + "@')");
    }
    String host = uri.getHost().toLowerCase(Locale.ROOT);
    if (host.startsWith("[")) {
      host = host.substring(1, host.length() - 1);
      if (host.contains("%")) {
        throw new IllegalArgumentException(
            "a callback URL may not name an IPv6 zone ('" + uri.getHost() + "')");
      }
    } else if (looksLikeIpv4(host) && !isCanonicalIpv4(host)) {
      throw new IllegalArgumentException(
          "callback host '"
              + uri.getHost()
              + "' is not an IPv4 address in canonical form (four decimal numbers 0-255 without leading zeros)");
    }
    int port = uri.getPort() < 0 ? (scheme.equals("https") ? 443 : 80) : uri.getPort();
    String path =
        (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
            + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    return new CallbackUrl(scheme, host, port, path);
  }

  /**
   * The destination of a URL, {@code scheme://host:port} ({@code kafka://INSTANCE} for a Kafka
   * target): what limits and circuits apply to; a URL that does not parse (stored by an older
   * version) shares one destination with its kind.
   */
  public static String destinationOf(String url) {
    try {
      return KafkaTarget.isKafka(url)
          ? KafkaTarget.parse(url).destination()
          : parse(url).destination();
    } catch (IllegalArgumentException e) {
      return "invalid://invalid:0";
    }
  }

  public String destination() {
    return scheme + "://" + bracketed() + ":" + port;
  }

  /** The {@code Host} header: the port only when it is not the scheme's own. */
  public String hostHeader() {
    return bracketed() + (port == (scheme.equals("https") ? 443 : 80) ? "" : ":" + port);
  }

  /** Whether the host is an address rather than a name (no lookup, no SNI). */
  public boolean isLiteral() {
    return host.contains(":") || isCanonicalIpv4(host);
  }

  private String bracketed() {
    return host.contains(":") ? "[" + host + "]" : host;
  }

  /**
   * Whether a host would be read as an IPv4 address by the URL standard's host parser: its last
   * label (a trailing dot aside) is a number, decimal or {@code 0x} hex.
   */
  static boolean looksLikeIpv4(String host) {
    String h = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    String last = h.substring(h.lastIndexOf('.') + 1);
    if (last.isEmpty()) {
      return false;
    }
    if (last.startsWith("0x")) {
      return last.substring(2).chars().allMatch(c -> Character.digit(c, 16) >= 0);
    }
    return last.chars().allMatch(c -> c >= '0' && c <= '9');
  }

  static boolean isCanonicalIpv4(String host) {
    String[] parts = host.split("\\.", -1);
    if (parts.length != 4) {
      return false;
    }
    for (String part : parts) {
      if (part.isEmpty()
          || part.length() > 3
          || (part.length() > 1 && part.charAt(0) == '0')
          || !part.chars().allMatch(c -> c >= '0' && c <= '9')
          || Integer.parseInt(part) > 255) {
        return false;
      }
    }
    return true;
  }
}
