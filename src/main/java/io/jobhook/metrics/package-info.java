/**
 * Metrics in the Prometheus format, at the edge: the series each feature reports through its
 * listener ports ({@code CallbackMetrics}, {@code JobSubmitListener}, {@code JobEndListener}) or
 * reads at scrape time from its stores, with the JVM and process metrics of the Prometheus Java
 * client. The domain never sees Prometheus.
 */
package io.jobhook.metrics;
