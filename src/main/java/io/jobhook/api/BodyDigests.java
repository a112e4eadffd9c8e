package io.jobhook.api;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The digests a client may send of its request body, {@code Content-MD5} (base64) and {@code
 * x-cos-content-sha1} (hex): q-sign covers neither the body nor its length's meaning, so a signed
 * request replayed with another body of the same length is only caught where a digest was sent (and
 * signed, as the SDK signs both headers). A malformed digest is {@code 400 InvalidDigest}, a wrong
 * one {@code 400 BadDigest}, and nothing is stored.
 */
record BodyDigests(byte[] md5, byte[] sha1) {

  static BodyDigests of(String contentMd5, String contentSha1) {
    byte[] md5 = null;
    if (contentMd5 != null) {
      try {
        md5 = Base64.getDecoder().decode(contentMd5.trim());
      } catch (IllegalArgumentException e) {
        md5 = new byte[0];
      }
      if (md5.length != 16) {
        throw new ApiException(400, "InvalidDigest", "Content-MD5 is not a base64 MD5 digest");
      }
    }
    byte[] sha1 = null;
    if (contentSha1 != null) {
      String hex = contentSha1.trim();
      if (!hex.matches("[0-9a-fA-F]{40}")) {
        throw new ApiException(
            400, "InvalidDigest", "x-cos-content-sha1 is not a hex SHA-1 digest");
      }
      sha1 = HexFormat.of().parseHex(hex.toLowerCase(java.util.Locale.ROOT));
    }
    return new BodyDigests(md5, sha1);
  }

  boolean any() {
    return md5 != null || sha1 != null;
  }

  /** Checks a whole body against the digests given. */
  void check(byte[] body) {
    if (md5 != null) {
      compare(md5, digest("MD5").digest(body), "Content-MD5");
    }
    if (sha1 != null) {
      compare(sha1, digest("SHA-1").digest(body), "x-cos-content-sha1");
    }
  }

  /** A digest over a body read in pieces, checked at its end. */
  Running running() {
    return new Running(md5 == null ? null : digest("MD5"), sha1 == null ? null : digest("SHA-1"));
  }

  /** The digests of a body being read. */
  final class Running {
    private final MessageDigest md5Of;
    private final MessageDigest sha1Of;

    private Running(MessageDigest md5Of, MessageDigest sha1Of) {
      this.md5Of = md5Of;
      this.sha1Of = sha1Of;
    }

    void update(byte[] b, int off, int len) {
      if (md5Of != null) {
        md5Of.update(b, off, len);
      }
      if (sha1Of != null) {
        sha1Of.update(b, off, len);
      }
    }

    void check() {
      if (md5Of != null) {
        compare(md5, md5Of.digest(), "Content-MD5");
      }
      if (sha1Of != null) {
        compare(sha1, sha1Of.digest(), "x-cos-content-sha1");
      }
    }
  }

  private static void compare(byte[] expected, byte[] actual, String header) {
    if (!MessageDigest.isEqual(expected, actual)) {
      throw new ApiException(
          400, "BadDigest", "the " + header + " you specified did not match what was received");
    }
  }

  private static MessageDigest digest(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
