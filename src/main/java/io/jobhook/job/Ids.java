package io.jobhook.job;

import java.security.SecureRandom;
import java.util.HexFormat;

/** CI-style identifiers: one letter and 32 lower-case hex digits. Thread-safe. */
public final class Ids {
  private static final SecureRandom RANDOM = new SecureRandom();

  private Ids() {}

  public static String jobId() {
    return "j" + hex32();
  }

  public static String queueId() {
    return "p" + hex32();
  }

  public static String callbackId() {
    return "cb" + hex32();
  }

  public static String hex32() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
