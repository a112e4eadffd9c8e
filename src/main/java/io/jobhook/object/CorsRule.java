package io.jobhook.object;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One rule of a bucket's CORS configuration (COS's {@code <CORSRule>}): which origins may call the
 * bucket from a browser, with which methods and request headers, which response headers their
 * scripts may read, and how long a browser may keep a preflight's answer. Origins and headers may
 * hold one {@code *} each, which matches any run of characters; headers match without regard to
 * case.
 *
 * @param maxAgeSeconds null when the rule sets none
 */
public record CorsRule(
    String id,
    List<String> allowedOrigins,
    List<String> allowedMethods,
    List<String> allowedHeaders,
    List<String> exposeHeaders,
    Integer maxAgeSeconds) {

  /** The methods a rule may allow, as COS takes them. */
  public static final Set<String> METHODS = Set.of("GET", "PUT", "POST", "DELETE", "HEAD");

  /** At most this many rules in one bucket's configuration, as COS allows. */
  public static final int MAX_RULES = 100;

  public CorsRule {
    id = id == null ? "" : id;
    allowedOrigins = List.copyOf(allowedOrigins);
    allowedMethods = List.copyOf(allowedMethods);
    allowedHeaders = List.copyOf(allowedHeaders);
    exposeHeaders = List.copyOf(exposeHeaders);
    if (allowedOrigins.isEmpty() || allowedMethods.isEmpty()) {
      throw new IllegalArgumentException(
          "each <CORSRule> needs at least one <AllowedOrigin> and one <AllowedMethod>");
    }
    for (String method : allowedMethods) {
      if (!METHODS.contains(method)) {
        throw new IllegalArgumentException(
            "<AllowedMethod> " + method + " is none of GET, PUT, POST, DELETE, HEAD");
      }
    }
    for (String pattern : concat(allowedOrigins, allowedHeaders)) {
      if (pattern.isBlank() || pattern.indexOf('*') != pattern.lastIndexOf('*')) {
        throw new IllegalArgumentException("'" + pattern + "' is empty or holds more than one '*'");
      }
    }
    if (maxAgeSeconds != null && maxAgeSeconds < 0) {
      throw new IllegalArgumentException("<MaxAgeSeconds> must not be negative");
    }
  }

  /** Whether this rule lets {@code origin} call with {@code method}, sending {@code headers}. */
  public boolean allows(String origin, String method, List<String> headers) {
    return allowsOrigin(origin)
        && allowedMethods.contains(method)
        && headers.stream()
            .allMatch(
                h ->
                    allowedHeaders.stream()
                        .anyMatch(
                            p -> matches(p.toLowerCase(Locale.ROOT), h.toLowerCase(Locale.ROOT))));
  }

  private boolean allowsOrigin(String origin) {
    return allowedOrigins.stream().anyMatch(p -> matches(p, origin));
  }

  /** The first rule that allows the call, as browsers' CORS checks and COS take them. */
  public static java.util.Optional<CorsRule> first(
      List<CorsRule> rules, String origin, String method, List<String> headers) {
    return rules.stream().filter(r -> r.allows(origin, method, headers)).findFirst();
  }

  /** {@code pattern} with at most one {@code *}, standing for any run of characters. */
  static boolean matches(String pattern, String value) {
    int star = pattern.indexOf('*');
    if (star < 0) {
      return pattern.equals(value);
    }
    String head = pattern.substring(0, star);
    String tail = pattern.substring(star + 1);
    return value.length() >= head.length() + tail.length()
        && value.startsWith(head)
        && value.endsWith(tail);
  }

  private static List<String> concat(List<String> a, List<String> b) {
    return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
  }
}
