package io.jobhook.wire;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * CI's time formats in a configured zone: {@code 2022-06-30T18:47:18+0800} almost everywhere, and
 * {@code 2022-08-09 14:54:17+0800} (a space for the T) in the WorkflowFinish notification, as CI
 * writes it there; "-" when unknown.
 */
public final class CiTimes {
  private final DateTimeFormatter formatter;
  private final DateTimeFormatter spaced;
  private final ZoneId zone;

  public CiTimes(ZoneId zone) {
    this.zone = zone;
    this.formatter = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssZ").withZone(zone);
    this.spaced = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ssZ").withZone(zone);
  }

  /** The zone times are shown in. */
  public ZoneId zone() {
    return zone;
  }

  public String format(Instant instant) {
    return instant == null ? "-" : formatter.format(instant);
  }

  /** The WorkflowFinish notification's form. */
  public String formatSpaced(Instant instant) {
    return instant == null ? "-" : spaced.format(instant);
  }
}
