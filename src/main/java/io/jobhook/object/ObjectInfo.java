package io.jobhook.object;

import java.time.Instant;
import java.util.Map;

/**
 * An object's metadata ({@code blob} names the file holding its bytes, or is {@link #INLINE} for a
 * small object kept in the index itself): size, the ETag without quotes (the MD5 hex; for an object
 * completed from a multipart upload, COS's multipart ETag: the MD5 of the parts' MD5s, a dash, the
 * number of parts), content type, and the {@code x-cos-meta-*} headers in the order they were given
 * (names lower-cased, without prefix).
 */
public record ObjectInfo(
    String bucket,
    String key,
    long size,
    String md5Hex,
    String contentType,
    Map<String, String> userMeta,
    Instant lastModified,
    String blob) {
  /** The blob of an object whose bytes live in the index row. */
  public static final String INLINE = "";

  public boolean inline() {
    return INLINE.equals(blob);
  }
}
