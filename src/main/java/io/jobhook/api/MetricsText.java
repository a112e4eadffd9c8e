package io.jobhook.api;

import io.jobhook.callback.CallbackLog;
import io.jobhook.callback.CallbackMetrics;
import io.jobhook.callback.Circuits;
import io.jobhook.workflow.WorkflowStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Renders metrics in the Prometheus text exposition format (version 0.0.4). */
final class MetricsText {
  private MetricsText() {}

  /** What the HTTP edge did with connections since start-up. */
  record Connections(int open, long refused, long headerTimeouts) {}

  static String render(
      CallbackMetrics m,
      Circuits circuits,
      CallbackLog log,
      WorkflowStore.EventBacklog workflowEvents,
      Connections connections,
      Instant now) {
    StringBuilder out = new StringBuilder(2048);
    out.append("# HELP jobhook_http_connections_open HTTP connections open now.\n");
    out.append("# TYPE jobhook_http_connections_open gauge\n");
    out.append("jobhook_http_connections_open ").append(connections.open()).append('\n');
    out.append(
        "# HELP jobhook_http_connections_refused_total Connections refused by --max-connections or "
            + "--max-connections-per-client.\n");
    out.append("# TYPE jobhook_http_connections_refused_total counter\n");
    out.append("jobhook_http_connections_refused_total ")
        .append(connections.refused())
        .append('\n');
    out.append(
        "# HELP jobhook_http_header_timeouts_total Connections closed because their request headers took longer "
            + "than --header-timeout.\n");
    out.append("# TYPE jobhook_http_header_timeouts_total counter\n");
    out.append("jobhook_http_header_timeouts_total ")
        .append(connections.headerTimeouts())
        .append('\n');
    out.append(
        "# HELP jobhook_workflow_events_pending Uploads and job ends not yet turned into workflow runs or steps.\n");
    out.append("# TYPE jobhook_workflow_events_pending gauge\n");
    out.append("jobhook_workflow_events_pending ").append(workflowEvents.pending()).append('\n');
    out.append(
        "# HELP jobhook_workflow_events_left_aside Workflow events that failed 10 times (see the log).\n");
    out.append("# TYPE jobhook_workflow_events_left_aside gauge\n");
    out.append("jobhook_workflow_events_left_aside ")
        .append(workflowEvents.leftAside())
        .append('\n');
    out.append(
        "# HELP jobhook_callback_attempts_total Callback attempts by outcome since start-up.\n");
    out.append("# TYPE jobhook_callback_attempts_total counter\n");
    counter(out, "jobhook_callback_attempts_total", "outcome", "delivered", m.delivered.sum());
    counter(out, "jobhook_callback_attempts_total", "outcome", "retry", m.retried.sum());
    counter(out, "jobhook_callback_attempts_total", "outcome", "failed", m.failed.sum());

    out.append("# HELP jobhook_callback_attempt_duration_seconds Latency of callback attempts.\n");
    out.append("# TYPE jobhook_callback_attempt_duration_seconds histogram\n");
    long cumulative = 0;
    for (int i = 0; i < CallbackMetrics.LATENCY_BUCKETS.length; i++) {
      cumulative += m.bucket(i);
      out.append("jobhook_callback_attempt_duration_seconds_bucket{le=\"")
          .append(number(CallbackMetrics.LATENCY_BUCKETS[i]))
          .append("\"} ")
          .append(cumulative)
          .append('\n');
    }
    long count = m.attempts();
    out.append("jobhook_callback_attempt_duration_seconds_bucket{le=\"+Inf\"} ")
        .append(count)
        .append('\n');
    out.append("jobhook_callback_attempt_duration_seconds_sum ")
        .append(number(m.latencySumSeconds()))
        .append('\n');
    out.append("jobhook_callback_attempt_duration_seconds_count ").append(count).append('\n');

    var backlog = log.pendingByDestination();
    out.append(
        "# HELP jobhook_callbacks_pending Callbacks waiting for delivery, per destination.\n");
    out.append("# TYPE jobhook_callbacks_pending gauge\n");
    for (CallbackLog.Backlog b : backlog) {
      counter(out, "jobhook_callbacks_pending", "destination", b.destination(), b.pending());
    }
    out.append(
        "# HELP jobhook_callback_oldest_pending_age_seconds Age of the oldest pending callback, per destination.\n");
    out.append("# TYPE jobhook_callback_oldest_pending_age_seconds gauge\n");
    for (CallbackLog.Backlog b : backlog) {
      double age = Math.max(0, Duration.between(b.oldestCreatedAt(), now).toMillis() / 1000.0);
      out.append("jobhook_callback_oldest_pending_age_seconds{destination=\"")
          .append(escape(b.destination()))
          .append("\"} ")
          .append(number(age))
          .append('\n');
    }
    out.append(
        "# HELP jobhook_callback_circuit_state Circuit per destination: 0 closed, 1 open, 2 half-open.\n");
    out.append("# TYPE jobhook_callback_circuit_state gauge\n");
    Map<String, Circuits.State> states = new TreeMap<>(circuits.states());
    states.forEach(
        (d, s) ->
            counter(
                out,
                "jobhook_callback_circuit_state",
                "destination",
                d,
                switch (s) {
                  case CLOSED -> 0;
                  case OPEN -> 1;
                  case HALF_OPEN -> 2;
                }));
    return out.toString();
  }

  private static void counter(StringBuilder out, String name, String label, String value, long n) {
    out.append(name)
        .append('{')
        .append(label)
        .append("=\"")
        .append(escape(value))
        .append("\"} ")
        .append(n)
        .append('\n');
  }

  private static String number(double d) {
    return String.format(Locale.ROOT, "%s", d);
  }

  private static String escape(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
