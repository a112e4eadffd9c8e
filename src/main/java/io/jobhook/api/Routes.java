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

  /**
   * A route of the CI or COS API.
   *
   * @param name the family of paths, for metrics and the audit log
   * @param administrative whether a change through it is administrative (audited)
   */
  record Route(String name, boolean administrative) {}

  static Route of(VirtualHost.Service service, String rawPath) {
    return switch (service) {
      case COS -> new Route(rawPath.equals("/") ? "cos /" : "cos /{key}", false);
      case CI -> {
        String[] segments = rawPath.substring(rawPath.isEmpty() ? 0 : 1).split("/", -1);
        if (!CI_RESOURCES.contains(segments[0])) {
          yield new Route("ci other", false);
        }
        StringBuilder route = new StringBuilder("ci /").append(segments[0]);
        for (int i = 1; i < Math.min(segments.length, 4); i++) {
          String segment = segments[i];
          route.append(
              segment.isEmpty() ? "/" : ACTIONS.contains(segment) ? "/" + segment : "/{id}");
        }
        yield new Route(route.toString(), ADMINISTRATIVE.contains(segments[0]));
      }
    };
  }
}
