package io.jobhook.engine;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;

/**
 * CI-style identifiers: a letter or two and 32 lower-case hex digits. Ids of rows created per job
 * (jobs, callbacks, workflow runs) sort by creation time, like a UUIDv7: 12 hex digits of epoch
 * milliseconds, then 20 random ones (80 bits). New rows then land at the end of the id indexes
 * rather than on a random page each, and a commit writes a few pages instead of one per row.
 * Thread-safe.
 */
public final class Ids {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final HexFormat HEX = HexFormat.of();

  private Ids() {}

  public static String jobId(Instant createdAt) {
    return "j" + timeOrdered(createdAt);
  }

  public static String callbackId(Instant createdAt) {
    return "cb" + timeOrdered(createdAt);
  }

  public static String workflowRunId(Instant createdAt) {
    return "i" + timeOrdered(createdAt);
  }

  public static String queueId() {
    return "p" + hex32();
  }

  /** 32 random hex digits. */
  public static String hex32() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return HEX.formatHex(bytes);
  }

  /** 32 hex digits: the time's epoch milliseconds (12), then 80 random bits (20). */
  static String timeOrdered(Instant createdAt) {
    byte[] random = new byte[10];
    RANDOM.nextBytes(random);
    String millis = HEX.toHexDigits(createdAt.toEpochMilli()).substring(4);
    return millis + HEX.formatHex(random);
  }
}
