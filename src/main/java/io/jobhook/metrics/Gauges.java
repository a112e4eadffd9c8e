package io.jobhook.metrics;

import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import java.util.ArrayList;
import java.util.List;

/**
 * A family of gauges read together at scrape time (several series from one query): add points, then
 * take the snapshot.
 */
final class Gauges {
  private final String name;
  private final String help;
  private final List<GaugeSnapshot.GaugeDataPointSnapshot> points = new ArrayList<>();

  Gauges(String name, String help) {
    this.name = name;
    this.help = help;
  }

  /** A point; {@code labels} are name, value, name, value... */
  Gauges add(double value, String... labels) {
    points.add(
        GaugeSnapshot.GaugeDataPointSnapshot.builder()
            .value(value)
            .labels(Labels.of(labels))
            .build());
    return this;
  }

  GaugeSnapshot snapshot() {
    var builder = GaugeSnapshot.builder().name(name).help(help);
    points.forEach(builder::dataPoint);
    return builder.build();
  }
}
