package io.jobhook.object;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An object's metadata ({@code blob} names the file holding its bytes, or is {@link #INLINE} for a
 * small object kept in the index itself): size, the ETag without quotes (the MD5 hex; for an object
 * completed from a multipart upload, COS's multipart ETag: the MD5 of the parts' MD5s, a dash, the
 * number of parts), content type, and the headers a download returns as the upload gave them
 * ({@code storedHeaders}, in the order given): its {@code x-cos-meta-*} headers (names lower-cased)
 * and the standard ones an object keeps ({@link #STANDARD_HEADERS}); its tags too, under {@link
 * ObjectTags#HEADER}, which a download does not return.
 */
public record ObjectInfo(
    String bucket,
    String key,
    long size,
    String md5Hex,
    String contentType,
    Map<String, String> storedHeaders,
    Instant lastModified,
    String blob) {
  /** The blob of an object whose bytes live in the index row. */
  public static final String INLINE = "";

  /** The standard headers an object keeps from its upload and returns with every download. */
  public static final List<String> STANDARD_HEADERS =
      List.of(
          "Cache-Control",
          "Content-Disposition",
          "Content-Encoding",
          "Content-Language",
          "Expires");

  public static final String META_PREFIX = "x-cos-meta-";

  /** The {@code x-cos-meta-*} headers alone, in their order. */
  public Map<String, String> cosMeta() {
    Map<String, String> meta = new LinkedHashMap<>();
    storedHeaders.forEach(
        (name, value) -> {
          if (name.startsWith(META_PREFIX)) {
            meta.put(name, value);
          }
        });
    return meta;
  }

  public boolean inline() {
    return INLINE.equals(blob);
  }
}
