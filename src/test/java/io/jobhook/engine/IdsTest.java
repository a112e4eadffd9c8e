package io.jobhook.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class IdsTest {
  private static final Instant T0 = Instant.parse("2026-11-28T12:00:00Z");

  @Test
  void idsKeepTheCiShape() {
    assertThat(Ids.jobId(T0)).matches("j[0-9a-f]{32}");
    assertThat(Ids.callbackId(T0)).matches("cb[0-9a-f]{32}");
    assertThat(Ids.workflowRunId(T0)).matches("i[0-9a-f]{32}");
    assertThat(Ids.queueId()).matches("p[0-9a-f]{32}");
  }

  @Test
  void idsSortByCreationTimeAcrossMilliseconds() {
    List<String> ids = new ArrayList<>();
    for (int ms = 0; ms < 1000; ms += 7) {
      ids.add(Ids.jobId(T0.plusMillis(ms)));
    }
    assertThat(ids).isSorted();
    assertThat(Ids.jobId(Instant.parse("2100-01-01T00:00:00Z"))).isGreaterThan(Ids.jobId(T0));
  }

  @Test
  void idsOfTheSameMillisecondStayDistinct() {
    var seen = new HashSet<String>();
    for (int i = 0; i < 100_000; i++) {
      seen.add(Ids.callbackId(T0));
    }
    assertThat(seen).hasSize(100_000);
    assertThat(Ids.jobId(T0)).startsWith(String.format("j%012x", T0.toEpochMilli()));
  }
}
