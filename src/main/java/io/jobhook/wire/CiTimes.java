package io.jobhook.wire;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** CI's time format, {@code 2022-06-30T18:47:18+0800}, in a configured zone; "-" when unknown. */
public final class CiTimes {
  private static final String PATTERN = "yyyy-MM-dd'T'HH:mm:ssZ";
  private final DateTimeFormatter formatter;

  public CiTimes(ZoneId zone) {
    this.formatter = DateTimeFormatter.ofPattern(PATTERN).withZone(zone);
  }

  public String format(Instant instant) {
    return instant == null ? "-" : formatter.format(instant);
  }
}
