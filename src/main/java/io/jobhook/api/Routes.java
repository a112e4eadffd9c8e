package io.jobhook.api;

import java.util.Set;

/**
 * The route a request took, for metrics: the API, its resource and how many ids follow it ({@code
 * ci /jobs/{id}}, {@code ci /callbacks/{id}/redeliver}), or {@code cos /{key}}. Never a bucket, an
 * id or a key, so the series stay few.
 */
final class Routes {
  private static final Set<String> CI_RESOURCES =
      Set.of(
          "jobs",
          "queue",
          "asrqueue",
          "workflow",
          "triggerworkflow",
          "workflowexecution",
          "template",
          "callbacks",
          "callbacksecret",
          "inventorytriggerjob");
  private static final Set<String> ACTIONS = Set.of("redeliver", "rotate", "active", "paused");

  /** The CI resources whose changes are administrative (audited); jobs and objects are not. */
  private static final Set<String> ADMINISTRATIVE =
      Set.of(
          "queue",
          "asrqueue",
          "workflow",
          "triggerworkflow",
          "template",
          "callbacks",
          "callbacksecret");

  private Routes() {}

  /** The route of jobhook's administration: {@code admin /keys}, {@code admin /keys/{id}}. */
  static String admin(String rawPath) {
    String[] segments = rawPath.substring(1).split("/", -1);
    String resource = segments.length > 1 ? segments[1] : "";
    if (!resource.equals("keys") && !resource.equals("audit")) {
      return "admin other";
    }
    return "admin /" + resource + (segments.length > 2 ? "/{id}" : "");
  }

  /** Whether a change through this route is administrative, for the audit log. */
  static boolean administrative(String route) {
    if (!route.startsWith("ci /")) {
      return false;
    }
    int end = route.indexOf('/', 4);
    return ADMINISTRATIVE.contains(route.substring(4, end < 0 ? route.length() : end));
  }

  static String of(VirtualHost.Service service, String rawPath) {
    return switch (service) {
      case COS -> rawPath.equals("/") ? "cos /" : "cos /{key}";
      case CI -> {
        String[] segments = rawPath.substring(rawPath.isEmpty() ? 0 : 1).split("/", -1);
        if (!CI_RESOURCES.contains(segments[0])) {
          yield "ci other";
        }
        StringBuilder route = new StringBuilder("ci /").append(segments[0]);
        for (int i = 1; i < Math.min(segments.length, 4); i++) {
          String segment = segments[i];
          route.append(
              segment.isEmpty() ? "/" : ACTIONS.contains(segment) ? "/" + segment : "/{id}");
        }
        yield route.toString();
      }
    };
  }
}
