package io.jobhook.api;

import io.javalin.http.Context;
import io.jobhook.object.ObjectInfo;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * The conditions of a download (GET or HEAD), evaluated as HTTP orders them (RFC 9110 §13.2.2):
 * {@code If-Match}, else {@code If-Unmodified-Since}, fail it ({@code 412}); then {@code
 * If-None-Match}, else {@code If-Modified-Since}, make it {@code 304 Not Modified}. Times compare
 * in whole seconds, as the {@code Last-Modified} a client holds; a date that does not parse is
 * ignored, as the RFC asks.
 */
final class Preconditions {
  /** What the conditions call for. */
  enum Outcome {
    PROCEED,
    NOT_MODIFIED,
    FAILED
  }

  private Preconditions() {}

  static Outcome of(Context ctx, ObjectInfo info) {
    String etag = info.md5Hex();
    Instant modified = info.lastModified().truncatedTo(ChronoUnit.SECONDS);
    String ifMatch = ctx.header("If-Match");
    if (ifMatch != null) {
      if (!matches(ifMatch, etag)) {
        return Outcome.FAILED;
      }
    } else {
      Instant unmodifiedSince = date(ctx.header("If-Unmodified-Since"));
      if (unmodifiedSince != null && modified.isAfter(unmodifiedSince)) {
        return Outcome.FAILED;
      }
    }
    String ifNoneMatch = ctx.header("If-None-Match");
    if (ifNoneMatch != null) {
      return matches(ifNoneMatch, etag) ? Outcome.NOT_MODIFIED : Outcome.PROCEED;
    }
    Instant modifiedSince = date(ctx.header("If-Modified-Since"));
    return modifiedSince != null && !modified.isAfter(modifiedSince)
        ? Outcome.NOT_MODIFIED
        : Outcome.PROCEED;
  }

  /** Whether a list of entity tags ({@code "a", W/"b"}) or {@code *} names the object's. */
  private static boolean matches(String header, String etag) {
    return header.trim().equals("*") || header.contains(etag);
  }

  private static Instant date(String value) {
    if (value == null) {
      return null;
    }
    try {
      return ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
