package io.jobhook.object;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The MD5 an object's ETag is, and the checks of an upload against what its client declared. */
public final class Digests {
  private Digests() {}

  public static MessageDigest md5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String hex(byte[] digest) {
    return HexFormat.of().formatHex(digest);
  }

  /** Throws when the bytes received are not the declared length or MD5 (hex, or null). */
  public static void check(BlobStore.Written written, long expectedLength, String expectedMd5)
      throws ObjectStore.IntegrityException {
    if (expectedLength >= 0 && written.size() != expectedLength) {
      throw new ObjectStore.IntegrityException(
          "IncompleteBody",
          "received " + written.size() + " bytes but Content-Length was " + expectedLength);
    }
    if (expectedMd5 != null && !expectedMd5.equalsIgnoreCase(written.md5Hex())) {
      throw new ObjectStore.IntegrityException(
          "BadDigest", "the Content-MD5 you specified did not match what was received");
    }
  }
}
