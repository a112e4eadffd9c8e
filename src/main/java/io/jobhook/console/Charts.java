package io.jobhook.console;

import io.jobhook.job.JobState;
import io.jobhook.wire.CiTimes;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.SortedMap;

/** Charts drawn on the server as SVG: no script, readable by screen readers through a summary. */
final class Charts {
  private static final int MINUTES = 60;
  private static final int WIDTH = 600;
  private static final int HEIGHT = 160;
  private static final int LEFT = 36;
  private static final int BOTTOM = 20;

  private Charts() {}

  /**
   * Jobs ended in each of the last 60 minutes, stacked: succeeded below, failed or cancelled on
   * top.
   */
  static String endedPerMinute(
      SortedMap<Long, Map<JobState, Long>> perMinute, Instant now, CiTimes times) {
    long lastMinute = now.getEpochSecond() / 60;
    long[] ok = new long[MINUTES];
    long[] bad = new long[MINUTES];
    long max = 1;
    long totalOk = 0;
    long totalBad = 0;
    for (int i = 0; i < MINUTES; i++) {
      Map<JobState, Long> m = perMinute.getOrDefault(lastMinute - (MINUTES - 1) + i, Map.of());
      ok[i] = m.getOrDefault(JobState.Success, 0L);
      bad[i] = m.getOrDefault(JobState.Failed, 0L) + m.getOrDefault(JobState.Cancel, 0L);
      max = Math.max(max, ok[i] + bad[i]);
      totalOk += ok[i];
      totalBad += bad[i];
    }
    String summary =
        (totalOk + totalBad)
            + " jobs ended in the last hour: "
            + totalOk
            + " succeeded, "
            + totalBad
            + " failed or were cancelled; at most "
            + max
            + " in one minute.";
    double bar = (WIDTH - LEFT) / (double) MINUTES;
    double scale = (HEIGHT - BOTTOM - 8) / (double) max;
    StringBuilder svg = new StringBuilder(8192);
    svg.append("<figure><svg id=\"per-minute-chart\" viewBox=\"0 0 ")
        .append(WIDTH)
        .append(' ')
        .append(HEIGHT)
        .append("\" width=\"100%\" role=\"img\" aria-label=\"")
        .append(Html.esc(summary))
        .append("\"><title>")
        .append(Html.esc(summary))
        .append("</title>");
    svg.append("<text x=\"0\" y=\"12\">")
        .append(max)
        .append("</text><text x=\"0\" y=\"")
        .append(HEIGHT - BOTTOM)
        .append("\">0</text>");
    for (int i = 0; i < MINUTES; i++) {
      double x = LEFT + i * bar;
      double hOk = ok[i] * scale;
      double hBad = bad[i] * scale;
      double base = HEIGHT - BOTTOM;
      if (ok[i] > 0) {
        rect(svg, x, base - hOk, bar - 1, hOk, "#1b7f3b");
      }
      if (bad[i] > 0) {
        rect(svg, x, base - hOk - hBad, bar - 1, hBad, "#b3261e");
      }
    }
    DateTimeFormatter hhmm = DateTimeFormatter.ofPattern("HH:mm").withZone(times.zone());
    for (int i = 0; i < MINUTES; i += 15) {
      svg.append("<text x=\"")
          .append(LEFT + i * bar)
          .append("\" y=\"")
          .append(HEIGHT - 4)
          .append("\">")
          .append(hhmm.format(Instant.ofEpochSecond((lastMinute - (MINUTES - 1) + i) * 60)))
          .append("</text>");
    }
    svg.append("</svg><figcaption>")
        .append(Html.esc(summary))
        .append(" Green: succeeded; red: failed or cancelled.</figcaption></figure>");
    return svg.toString();
  }

  private static void rect(StringBuilder svg, double x, double y, double w, double h, String fill) {
    svg.append(
        String.format(
            java.util.Locale.ROOT,
            "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"></rect>",
            x,
            y,
            w,
            h,
            fill));
  }
}
