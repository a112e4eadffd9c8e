package io.jobhook.api;

import static io.jobhook.wire.Document.node;
import static io.jobhook.wire.Document.text;

import io.javalin.http.Context;
import io.jobhook.job.QueueService;
import io.jobhook.object.Buckets;
import io.jobhook.object.CosHeader;
import io.jobhook.object.DiskSpace;
import io.jobhook.object.MultipartUploads;
import io.jobhook.object.ObjectInfo;
import io.jobhook.object.ObjectStore;
import io.jobhook.object.ObjectTags;
import io.jobhook.wire.Document;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The COS object API (contract §3.13): PUT (a copy too), GET, HEAD and DELETE of an object; on the
 * bucket, listing its objects and deleting several; multipart uploads through {@link MultipartApi}.
 */
final class ObjectApi {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ObjectApi.class);
  private static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH)
          .withZone(ZoneOffset.UTC);
  private static final String META_PREFIX = ObjectInfo.META_PREFIX;

  private final ObjectStore objects;
  private final QueueService queues;
  private final DiskSpace disk;
  private final MultipartApi multipart;
  private final ObjectListingApi listing;
  private final DeleteObjectsApi deletes;
  private final CorsApi cors;
  private final Buckets buckets;
  private final TaggingApi tagging;

  ObjectApi(
      ObjectStore objects,
      MultipartUploads multipart,
      QueueService queues,
      DiskSpace disk,
      CorsApi cors,
      Buckets buckets) {
    this.objects = objects;
    this.queues = queues;
    this.disk = disk;
    this.multipart = new MultipartApi(multipart, objects, disk);
    this.listing = new ObjectListingApi(objects);
    this.deletes = new DeleteObjectsApi(objects);
    this.cors = cors;
    this.buckets = buckets;
    this.tagging = new TaggingApi(objects);
  }

  /**
   * COS query parameters that make a request on an object another operation (a part of a multipart
   * object, ACL, tags, restore, append, select, versions, symlinks, processing on download): none
   * is implemented, and none may fall through to the plain PUT, GET or DELETE of the object, which
   * would overwrite it with a document, return it whole, or delete it. Multipart uploads are
   * answered before these are looked at.
   */
  private static final Set<String> OBJECT_OPERATIONS =
      Set.of(
          "partnumber",
          "acl",
          "restore",
          "append",
          "select",
          "versionid",
          "symlink",
          "rename",
          "torrent",
          "retention",
          "legal-hold",
          "ci-process");

  void handle(Context ctx, VirtualHost host, RequestTarget target) throws IOException {
    String key = target.path().substring(1);
    if (key.isEmpty()) {
      bucket(ctx, host, target);
    } else if (multipart.handlesObject(ctx, host, target, key)) {
      queues.touchBucket(host.bucket());
    } else {
      object(ctx, host, target, key);
    }
  }

  /**
   * The bucket's own calls: list its objects or its uploads, delete several objects, its CORS
   * configuration; create, check or delete it.
   */
  private void bucket(Context ctx, VirtualHost host, RequestTarget target) {
    String method = ctx.method().name();
    if (target.signedFlag("uploads")) {
      multipart.listUploads(ctx, host, target);
      return;
    }
    if (target.signedFlag("delete")) {
      deletes.delete(ctx, host);
      return;
    }
    if (target.signedFlag("cors")) {
      cors.configure(ctx, host);
      return;
    }
    Set<String> taken = method.equals("GET") ? ObjectListingApi.PARAMS : Set.of();
    refuseOperations(
        target,
        name ->
            !name.startsWith("q-")
                && !name.equals("sign")
                && !name.equals("x-cos-security-token")
                && !taken.contains(name));
    switch (method) {
      case "GET" -> listing.list(ctx, host, target);
      case "PUT", "HEAD" -> {
        queues.touchBucket(host.bucket()); // buckets exist implicitly; creating one is a no-op
        ctx.status(200);
      }
      case "DELETE" -> {
        // as COS: only an empty bucket goes, with its settings; a bucket being implicit, it
        // leaves the listing of buckets until it is used again
        if (!objects.list(host.bucket(), "", null, null, 1).objects().isEmpty()) {
          throw new ApiException(
              409, "BucketNotEmpty", "the bucket " + host.bucket() + " still holds objects");
        }
        cors.forget(host.bucket());
        buckets.forget(host.bucket());
        ctx.status(204);
      }
      default ->
          throw new ApiException(
              405, "MethodNotAllowed", method + " on a bucket is not supported; use object keys");
    }
  }

  private void object(Context ctx, VirtualHost host, RequestTarget target, String key)
      throws IOException {
    if (target.signedFlag("tagging")) {
      tagging.handle(ctx, host, key);
      return;
    }
    refuseOperations(target, OBJECT_OPERATIONS::contains);
    String method = ctx.method().name();
    switch (method) {
      case "PUT" -> put(ctx, host, key);
      case "GET" -> get(ctx, host, key, target, true);
      case "HEAD" -> get(ctx, host, key, target, false);
      case "DELETE" -> {
        objects.delete(host.bucket(), key);
        ctx.status(204);
      }
      default ->
          throw new ApiException(405, "MethodNotAllowed", method + " is not allowed on objects");
    }
  }

  /**
   * Refuses a COS operation jobhook does not implement, named by a query parameter ({@code
   * operation} of its lower-cased name): on an object, one of {@link #OBJECT_OPERATIONS}; on the
   * bucket, any parameter but a signature carried in the query and those of the call answered
   * (every other bucket operation takes one: ACL, CORS, lifecycle, versioning).
   */
  private static void refuseOperations(RequestTarget target, Predicate<String> operation) {
    for (RequestTarget.Param p : target.params().values()) {
      if (operation.test(p.name().trim().toLowerCase(Locale.ROOT))) {
        throw new ApiException(
            501,
            "NotImplemented",
            "the COS operation of '?" + p.name() + "' is not implemented by jobhook");
      }
    }
  }

  private void put(Context ctx, VirtualHost host, String key) throws IOException {
    HttpServletRequest req = ctx.req();
    Optional<CopySource> source = CopySource.of(ctx);
    if (source.isPresent()) {
      copy(ctx, host, key, source.get());
      return;
    }
    UploadHeaders headers = UploadHeaders.of(req);
    ObjectInfo info =
        receive(
            ctx,
            disk,
            key,
            (body, length, md5) -> {
              queues.touchBucket(host.bucket());
              return objects.put(
                  host.bucket(),
                  key,
                  body,
                  length,
                  md5,
                  req.getContentType(),
                  headers.stored(),
                  headers.sent());
            });
    ctx.header("ETag", etag(info));
    ctx.status(200);
  }

  /**
   * PUT Object - Copy: the source's bytes streamed into a new object, with the source's content
   * type and metadata ({@code x-cos-metadata-directive: Copy}, the default) or the request's
   * ({@code Replaced}); a copy is an upload, as workflows see it.
   */
  private void copy(Context ctx, VirtualHost host, String key, CopySource source)
      throws IOException {
    String directive = ctx.header("x-cos-metadata-directive");
    boolean replaced =
        directive != null && directive.trim().toLowerCase(Locale.ROOT).startsWith("replace");
    if (directive != null && !replaced && !directive.trim().equalsIgnoreCase("copy")) {
      throw ApiException.invalidArgument(
          "x-cos-metadata-directive must be Copy or Replaced, not '" + directive + "'");
    }
    if (!replaced && source.bucket().equals(host.bucket()) && source.key().equals(key)) {
      throw new ApiException(
          400,
          "InvalidRequest",
          "an object copied onto itself must change its metadata (x-cos-metadata-directive: Replaced)");
    }
    try (CopySource.Opened from = source.open(objects, ctx, false)) {
      ObjectInfo src = from.info();
      requireRoom(disk, src.size());
      UploadHeaders headers;
      String contentType;
      if (replaced) {
        headers = UploadHeaders.of(ctx.req());
        contentType = ctx.req().getContentType();
      } else {
        List<CosHeader> sent = new ArrayList<>();
        sent.add(new CosHeader("Content-Type", src.contentType()));
        src.cosMeta().forEach((name, value) -> sent.add(new CosHeader(name, value)));
        headers = new UploadHeaders(src.storedHeaders(), sent);
        contentType = src.contentType();
      }
      // the tags follow their own directive: the source's unless replaced by the request's
      String taggingDirective = ctx.header("x-cos-tagging-directive");
      ObjectTags tags =
          taggingDirective != null && taggingDirective.equalsIgnoreCase("Replaced")
              ? TaggingApi.fromHeader(ctx.header(ObjectTags.HEADER))
              : ObjectTags.of(src);
      headers = new UploadHeaders(tags.storedIn(headers.stored()), headers.sent());
      queues.touchBucket(host.bucket());
      ObjectInfo info =
          objects.put(
              host.bucket(),
              key,
              from.content(),
              src.size(),
              // a multipart ETag is no MD5 to check against
              src.md5Hex().contains("-") ? null : src.md5Hex(),
              contentType,
              headers.stored(),
              headers.sent());
      ctx.status(200)
          .contentType("application/xml")
          .result(
              Document.toXml(
                  node(
                      "CopyObjectResult",
                      text("ETag", etag(info)),
                      text("LastModified", CosListings.time(info.lastModified())))));
    }
  }

  private void get(
      Context ctx, VirtualHost host, String key, RequestTarget target, boolean withBody)
      throws IOException {
    HttpServletResponse res = ctx.res();
    Map<String, String> overrides =
        responseOverrides(target, ctx.attribute(HttpServer.CALLER) != null);
    if (!withBody) {
      Optional<ObjectInfo> info = objects.head(host.bucket(), key);
      if (info.isEmpty()) {
        throw ApiException.noSuchKey(key);
      }
      if (answeredByConditions(ctx, info.get(), overrides)) {
        return;
      }
      headers(res, info.get(), overrides);
      res.setContentLengthLong(info.get().size());
      ctx.status(200);
      return;
    }
    Optional<ObjectStore.OpenObject> opened = objects.open(host.bucket(), key);
    if (opened.isEmpty()) {
      throw ApiException.noSuchKey(key);
    }
    try (ObjectStore.OpenObject object = opened.get()) {
      ObjectInfo info = object.info();
      if (answeredByConditions(ctx, info, overrides)) {
        return;
      }
      long from = 0;
      long to = info.size() - 1;
      String range = ctx.header("Range");
      boolean partial = false;
      if (range != null && range.startsWith("bytes=") && !range.contains(",")) {
        long[] r = parseRange(range.substring(6).trim(), info.size());
        from = r[0];
        to = r[1];
        partial = true;
        res.setHeader("Content-Range", "bytes " + from + "-" + to + "/" + info.size());
      }
      headers(res, info, overrides);
      long count = Math.max(0, to - from + 1);
      res.setContentLengthLong(count);
      ctx.status(partial ? 206 : 200);
      InputStream in = object.content();
      in.skipNBytes(from);
      OutputStream out = res.getOutputStream();
      byte[] buf = new byte[64 * 1024];
      long left = count;
      while (left > 0) {
        int n = in.read(buf, 0, (int) Math.min(buf.length, left));
        if (n < 0) {
          break;
        }
        out.write(buf, 0, n);
        left -= n;
      }
      // no flush after the last write: the write that reaches Content-Length completes the
      // response, and touching the output after that can meet a buffer Jetty has released
    }
  }

  /** Stores a client's request body: see {@link #receive}. */
  @FunctionalInterface
  interface BodyStore<T> {
    T store(InputStream body, long length, String md5Hex) throws IOException;
  }

  /**
   * Hands the request body to {@code store} with its declared length and MD5 (hex, or null),
   * refused first when the disk has no room for it; the MD5 is checked by the store, which computes
   * it anyway (it is the ETag), the SHA-1 as the body streams in. A body that does not match them
   * is {@code 400}, and nothing of it is kept.
   */
  static <T> T receive(Context ctx, DiskSpace disk, String key, BodyStore<T> store)
      throws IOException {
    HttpServletRequest req = ctx.req();
    long length = req.getContentLengthLong();
    requireRoom(disk, length);
    BodyDigests digests =
        BodyDigests.of(req.getHeader("Content-MD5"), req.getHeader("x-cos-content-sha1"));
    String md5 = digests.md5() == null ? null : HexFormat.of().formatHex(digests.md5());
    try (InputStream body =
        new ClientBody(req.getInputStream(), key, new BodyDigests(null, digests.sha1()))) {
      return store.store(body, length, md5);
    } catch (ObjectStore.IntegrityException e) {
      throw new ApiException(400, e.code, e.getMessage());
    }
  }

  /** Refuses an upload of {@code length} bytes that the disk has no room for. */
  static void requireRoom(DiskSpace disk, long length) {
    if (!disk.fits(length)) {
      throw new ApiException(
          503,
          "ServiceUnavailable",
          "an object of "
              + length
              + " bytes does not fit: "
              + disk.usable()
              + " bytes are free and the disk reserve is kept free (--disk-reserve)");
    }
  }

  /**
   * What an upload carries to its object: the headers a download returns ({@code x-cos-meta-*},
   * names lower-cased, and {@link ObjectInfo#STANDARD_HEADERS}) and, for workflow callbacks, the
   * {@code x-cos-meta-*} headers and {@code Content-Type} in the order sent.
   */
  record UploadHeaders(Map<String, String> stored, List<CosHeader> sent) {
    static UploadHeaders of(HttpServletRequest req) {
      Map<String, String> stored = new LinkedHashMap<>();
      List<CosHeader> sent = new ArrayList<>();
      for (String name : Collections.list(req.getHeaderNames())) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.startsWith(META_PREFIX) && lower.length() > META_PREFIX.length()) {
          stored.put(lower, req.getHeader(name));
          sent.add(new CosHeader(lower, req.getHeader(name)));
        } else if (lower.equals("content-type")) {
          sent.add(new CosHeader("Content-Type", req.getHeader(name)));
        }
      }
      for (String standard : ObjectInfo.STANDARD_HEADERS) {
        String value = req.getHeader(standard);
        if (value != null) {
          stored.put(standard, value);
        }
      }
      return new UploadHeaders(
          TaggingApi.fromHeader(req.getHeader(ObjectTags.HEADER)).storedIn(stored), sent);
    }
  }

  /**
   * The request body: a failure to read it (the client closed or reset the connection before
   * sending all it announced) is the client's error, {@code 400 IncompleteBody}, not a server
   * fault.
   */
  private static final class ClientBody extends java.io.FilterInputStream {
    private final String key;
    private final BodyDigests.Running digests;
    private boolean ended;

    /** {@code digests} are checked when the body ends, before the store commits anything. */
    ClientBody(InputStream in, String key, BodyDigests digests) {
      super(in);
      this.key = key;
      this.digests = digests.any() ? digests.running() : null;
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      int n;
      try {
        n = super.read(b, off, len);
      } catch (IOException e) {
        throw cutShort(e);
      }
      if (digests != null) {
        if (n > 0) {
          digests.update(b, off, n);
        } else if (n < 0 && !ended) {
          ended = true;
          digests.check();
        }
      }
      return n;
    }

    private ApiException cutShort(IOException e) {
      log.info("upload of {} cut short by the client: {}", key, e.toString());
      return new ApiException(
          400, "IncompleteBody", "the request body ended before all of its Content-Length arrived");
    }
  }

  static long[] parseRange(String spec, long size) {
    int dash = spec.indexOf('-');
    try {
      if (dash < 0) {
        throw new NumberFormatException();
      }
      String a = spec.substring(0, dash).trim();
      String b = spec.substring(dash + 1).trim();
      long from;
      long to;
      if (a.isEmpty()) {
        long suffix = Long.parseLong(b);
        from = Math.max(0, size - suffix);
        to = size - 1;
      } else {
        from = Long.parseLong(a);
        to = b.isEmpty() ? size - 1 : Math.min(size - 1, Long.parseLong(b));
      }
      if (from > to || from >= size) {
        throw new ApiException(416, "InvalidRange", "the requested range is not satisfiable");
      }
      return new long[] {from, to};
    } catch (NumberFormatException e) {
      throw new ApiException(416, "InvalidRange", "the Range header '" + spec + "' is not valid");
    }
  }

  /**
   * Answers a download its conditions decide: {@code 304} with the object's headers, or {@code
   * 412}; false when it proceeds.
   */
  private static boolean answeredByConditions(
      Context ctx, ObjectInfo info, Map<String, String> overrides) {
    return switch (Preconditions.of(ctx, info)) {
      case PROCEED -> false;
      case NOT_MODIFIED -> {
        headers(ctx.res(), info, overrides);
        ctx.status(304);
        yield true;
      }
      case FAILED ->
          throw new ApiException(
              412,
              "PreconditionFailed",
              "the object does not meet the request's conditions (If-Match, If-Unmodified-Since)");
    };
  }

  private static void headers(
      HttpServletResponse res, ObjectInfo info, Map<String, String> overrides) {
    res.setHeader("ETag", etag(info));
    res.setHeader("Content-Type", info.contentType());
    res.setHeader("Last-Modified", HTTP_DATE.format(info.lastModified()));
    res.setHeader("Accept-Ranges", "bytes");
    info.downloadHeaders().forEach(res::setHeader);
    overrides.forEach(res::setHeader);
  }

  /** The query parameters of a download that set one of its response headers, as COS takes them. */
  private static final Map<String, String> RESPONSE_OVERRIDES =
      Map.of(
          "response-content-type", "Content-Type",
          "response-content-language", "Content-Language",
          "response-expires", "Expires",
          "response-cache-control", "Cache-Control",
          "response-content-disposition", "Content-Disposition",
          "response-content-encoding", "Content-Encoding");

  /**
   * The response headers a download asks for ({@code response-content-disposition} for a file name,
   * say). Only when a signature covers them, as COS and S3 require: anyone who can add a parameter
   * to a signed request, or send an anonymous one under {@code --allow-anonymous}, could otherwise
   * turn a download into a page that the browser renders.
   */
  private static Map<String, String> responseOverrides(RequestTarget target, boolean signed) {
    Map<String, String> headers = new java.util.TreeMap<>();
    RESPONSE_OVERRIDES.forEach(
        (param, header) -> {
          if (!signed && target.param(param) != null) {
            throw ApiException.invalidArgument(param + " needs a signed request");
          }
          if (target.signedFlag(param)) {
            String value = target.param(param);
            if (value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
              throw ApiException.invalidArgument(param + " holds a control character");
            }
            headers.put(header, value);
          }
        });
    return headers;
  }

  private static String etag(ObjectInfo info) {
    return etag(info.md5Hex());
  }

  /** An ETag as COS writes it, in quotes. */
  static String etag(String md5Hex) {
    return "\"" + md5Hex + "\"";
  }
}
