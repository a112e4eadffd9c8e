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

  /**
   * The stored headers a download returns, in their order: all but the tags, which it only counts
   * ({@code x-cos-tagging-count}), as COS does.
   */
  public Map<String, String> downloadHeaders() {
    Map<String, String> headers = new LinkedHashMap<>(storedHeaders);
    if (headers.remove(ObjectTags.HEADER) != null) {
      headers.put("x-cos-tagging-count", Integer.toString(ObjectTags.of(this).tags().size()));
    }
    return headers;
  }

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
