package io.jobhook.api;

import io.javalin.http.Context;
import io.jobhook.access.AccessKey;
import io.jobhook.object.ObjectInfo;
import io.jobhook.object.ObjectStore;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * The object a copy reads ({@code PUT Object - Copy}, {@code Upload Part - Copy}), as named by its
 * {@code x-cos-copy-source} header: {@code <bucket>.cos.<region>.<domain>/<url-encoded key>}.
 */
record CopySource(String bucket, String key) {
  static final String HEADER = "x-cos-copy-source";

  /** The source the request names, if it names one. */
  static Optional<CopySource> of(Context ctx) {
    String header = ctx.header(HEADER);
    return header == null ? Optional.empty() : Optional.of(parse(header.trim()));
  }

  static CopySource parse(String header) {
    String s = header.replaceFirst("(?i)^https?://", "");
    if (s.contains("?")) {
      throw new ApiException(
          501,
          "NotImplemented",
          "copying a version of an object is not implemented by jobhook ("
              + HEADER
              + ": "
              + header
              + ")");
    }
    int slash = s.indexOf('/');
    if (slash <= 0 || slash == s.length() - 1) {
      throw ApiException.invalidArgument(
          HEADER + " must be <bucket>.cos.<region>.myqcloud.com/<key>, not '" + header + "'");
    }
    VirtualHost host = VirtualHost.parse(s.substring(0, slash));
    if (host.service() != VirtualHost.Service.COS) {
      throw ApiException.invalidArgument(HEADER + " must name a cos endpoint: '" + header + "'");
    }
    return new CopySource(host.bucket(), RequestTarget.decode(s.substring(slash + 1)));
  }

  /** An opened source: its metadata, and the {@code length} bytes of its range (or all of it). */
  record Opened(ObjectInfo info, InputStream content, long length) implements AutoCloseable {
    @Override
    public void close() throws IOException {
      content.close();
    }
  }

  /**
   * Opens the source for {@code ctx}'s caller, who must be allowed to read its bucket, once the
   * request's {@code x-cos-copy-source-If-*} conditions hold ({@code 412} otherwise); {@code
   * withRange} reads {@code x-cos-copy-source-range} (a part's copy).
   */
  Opened open(ObjectStore objects, Context ctx, boolean withRange) throws IOException {
    AccessKey caller = ctx.attribute(HttpServer.CALLER);
    if (caller != null && !caller.scope().allows(bucket, false)) {
      throw new ApiException(
          403,
          "AccessDenied",
          "the key " + caller.secretId() + " may not read the copy source's bucket " + bucket);
    }
    long[] range = new long[2]; // the first byte read, and how many
    Optional<ObjectStore.OpenObject> opened =
        objects.open(
            bucket,
            key,
            info -> {
              range[0] = 0;
              range[1] = info.size();
              String spec = withRange ? ctx.header("x-cos-copy-source-range") : null;
              if (spec != null) {
                long[] r =
                    ObjectApi.parseRange(spec.trim().replaceFirst("^bytes=", ""), info.size());
                range[0] = r[0];
                range[1] = r[1] - r[0] + 1;
              }
              return range[0];
            });
    if (opened.isEmpty()) {
      throw new ApiException(404, "NoSuchKey", "the copy source " + key + " does not exist");
    }
    ObjectStore.OpenObject object = opened.get();
    try {
      checkConditions(ctx, object.info());
    } catch (RuntimeException e) {
      object.close();
      throw e;
    }
    return new Opened(object.info(), new Limited(object.content(), range[1]), range[1]);
  }

  /** A stream that ends after {@code left} bytes: a range's end. */
  private static final class Limited extends FilterInputStream {
    private long left;

    Limited(InputStream in, long left) {
      super(in);
      this.left = left;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (left <= 0) {
        return -1;
      }
      int n = super.read(b, off, (int) Math.min(len, left));
      if (n > 0) {
        left -= n;
      }
      return n;
    }
  }

  private static void checkConditions(Context ctx, ObjectInfo info) {
    String etag = info.md5Hex();
    String ifMatch = ctx.header("x-cos-copy-source-If-Match");
    String ifNoneMatch = ctx.header("x-cos-copy-source-If-None-Match");
    Instant ifModifiedSince = date(ctx, "x-cos-copy-source-If-Modified-Since");
    Instant ifUnmodifiedSince = date(ctx, "x-cos-copy-source-If-Unmodified-Since");
    // as the Last-Modified header the client compares with tells it: in whole seconds
    Instant modified = info.lastModified().truncatedTo(ChronoUnit.SECONDS);
    boolean holds =
        (ifMatch == null || ifMatch.contains(etag))
            && (ifNoneMatch == null || !ifNoneMatch.contains(etag))
            && (ifModifiedSince == null || modified.isAfter(ifModifiedSince))
            && (ifUnmodifiedSince == null || !modified.isAfter(ifUnmodifiedSince));
    if (!holds) {
      throw new ApiException(
          412, "PreconditionFailed", "the copy source does not meet the request's conditions");
    }
  }

  private static Instant date(Context ctx, String header) {
    String value = ctx.header(header);
    if (value == null) {
      return null;
    }
    try {
      return ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      throw ApiException.invalidArgument(header + " is not an HTTP date: '" + value + "'");
    }
  }
}
