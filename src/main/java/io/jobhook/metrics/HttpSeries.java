package io.jobhook.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;

/**
 * HTTP requests by route, method and status, and their latency by route. A route names a family of
 * paths ({@code /jobs/{id}}), never a path itself, so the series stay few.
 */
public final class HttpSeries {
  private static final double[] SECONDS = {
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30
  };

  private final Counter requests;
  private final Histogram latency;

  public HttpSeries(Metrics metrics) {
    requests =
        Counter.builder()
            .name("jobhook_http_requests_total")
            .help("HTTP requests answered, by route, method and status.")
            .labelNames("route", "method", "status")
            .register(metrics.registry());
    latency =
        Histogram.builder()
            .name("jobhook_http_request_duration_seconds")
            .help("Time from a request's headers to its answer, by route and method.")
            .labelNames("route", "method")
            .classicOnly()
            .classicUpperBounds(SECONDS)
            .withoutExemplars()
            .register(metrics.registry());
  }

  public void answered(String route, String method, int status, double seconds) {
    requests.labelValues(route, method, Integer.toString(status)).inc();
    latency.labelValues(route, method).observe(seconds);
  }
}
